"""Extraction vocabulary, compiled once per Reference.

Word lists live in data/reference (extract_terms.csv, extract_series.csv,
extract_sources.csv, extract_org_titles.csv, venues.csv) so that researchers can
correct them without touching code; this module only turns them into regular
expressions and sets. A broken file raises ReferenceDataError naming the line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from etl.extract.fast import Gated
from etl.reference import Reference, ReferenceDataError, read_reference_csv

SERIES = (
    "heads_of_state",
    "heads_of_government",
    "foreign_ministers",
    "defence_ministers",
    "security_council_secretaries",
    "ministerial_other",
    "expert_group",
    "bilateral_sideline",
    "courtesy_call",
    "military_exercise",
    "other",
    "summit",
)
TERM_KINDS = (
    "title_core",
    "title_modifier",
    "rank",
    "honorific",
    "exclude_title",
    "context_cue",
    "absence_cue",
    "virtual",
    "hybrid",
    "venue_word",
    "stop_name",
    "portfolio",
)
# Country names in pycountry that are also common first names: never name stop words.
_NAME_LIKE_COUNTRIES = frozenset({"jordan", "chad", "georgia", "israel", "niger", "guinea", "dominica"})
# Upper- and lower-case letters of Latin-1 and Latin Extended-A (names such as Erdoğan, Khürelsükh).
UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
LO = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
COUNTRY_PREFIX = (
    r"(?:(?:the\s+)?(?:(?:Islamic|People'?s|People’s|Democratic|Federal|Federative|Socialist|Arab|Kyrgyz|United)\s+)*"
    r"(?:Republic|Kingdom|State|Sultanate|Emirate|Commonwealth)\s+of\s+(?:the\s+)?)"
)
POSSESSIVE = r"(?:'s|’s|'|’)?"


@dataclass(frozen=True)
class SeriesRule:
    """One row of extract_series.csv: a pattern and the series it names."""

    pattern: Gated
    series: str
    mechanism: str | None


@dataclass
class Lexicon:
    """Everything the extractor matches against, precompiled."""

    ref: Reference
    terms: dict[str, tuple[str, ...]]
    title_core_re: Gated
    title_vocab: frozenset[str]
    rank_re: re.Pattern
    honorific_re: Gated
    honorifics: frozenset[str]
    exclude_title_re: re.Pattern
    context_re: Gated
    absence_re: Gated
    virtual_re: Gated
    hybrid_re: Gated
    stop_names: frozenset[str]
    series_rules: tuple[SeriesRule, ...]
    source_rules: tuple[tuple[re.Pattern, str | None], ...]
    org_rules: tuple[tuple[re.Pattern, str], ...]
    country_re: re.Pattern
    country_lookup: dict[str, str]
    country_first_tokens: frozenset[str]
    city_re: Gated
    venue_re: Gated
    venues: dict[str, tuple[str, str]]
    venue_words_re: Gated
    person_re: Gated | None
    person_country: dict[str, set[str]]
    person_surname: dict[str, set[str]]
    # Memo tables of pure per-lexicon functions (stop words, name runs, titles ...), by table name.
    country_names: tuple[str, ...] = ()  # every way of writing a country, case-folded
    memo: defaultdict[str, dict] = field(default_factory=lambda: defaultdict(dict), repr=False, compare=False)
    groups: Any = field(default=None, repr=False, compare=False)  # etl.extract.people.GroupPatterns, built once


def _trie_pattern(node: dict) -> str:
    """Regex for a character trie; the end marker '' makes the rest optional. Longer matches are tried first."""
    ends = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        branches.append(piece + _trie_pattern(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        body = f"(?:{body})?"
    return body


def _phrase_trie(phrases) -> dict:
    trie: dict = {}
    for phrase in {" ".join(p.split()) for p in phrases if p and p.strip()}:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _alternation(phrases: list[str] | tuple[str, ...] | set[str]) -> str:
    """A regex matching any of the literal phrases (a factored trie, so it stays fast with
    hundreds of phrases); spaces match any whitespace; the longest phrase wins at a position."""
    return _trie_pattern(_phrase_trie(phrases))


def _word_alternation(phrases) -> str:
    r"""``(?<![\w-])(?:{_alternation(phrases)})(?![\w-])`` with the look-behind moved after each first
    character: the same matches, but the pattern now starts with a choice of characters, which lets a
    case-sensitive search skip straight to them."""
    trie = _phrase_trie(phrases)
    branches = []
    for ch in sorted(k for k in trie if k):
        c = re.escape(ch)
        branches.append(f"{c}(?<![\\w-]{c}){_trie_pattern(trie[ch])}")
    return "(?:" + "|".join(branches) + ")(?![\\w-])"


def _word_re(phrases, flags=re.IGNORECASE) -> re.Pattern:
    """Match any phrase as whole words."""
    return re.compile(rf"(?<![\w-])(?:{_alternation(phrases)})(?![\w-])", flags)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Lower-case key of a name: no punctuation, single spaces (memoised: names recur)."""
    return " ".join(_NAME_PUNCT.sub(" ", name).lower().split())


def _read_terms(directory: Path) -> dict[str, tuple[str, ...]]:
    path = directory / "extract_terms.csv"
    terms: dict[str, list[str]] = {k: [] for k in TERM_KINDS}
    for line, row in read_reference_csv(path, ("kind", "term")):
        if row["kind"] not in terms:
            raise ReferenceDataError(f"{path}:{line}: unknown kind '{row['kind']}' (one of {', '.join(TERM_KINDS)})")
        terms[row["kind"]].append(row["term"].casefold())
    return {k: tuple(v) for k, v in terms.items()}


def _compile(path: Path, line: int, pattern: str, flags=re.IGNORECASE) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ReferenceDataError(f"{path}:{line}: bad regular expression: {exc}") from exc


def _read_series(directory: Path) -> tuple[SeriesRule, ...]:
    path = directory / "extract_series.csv"
    rules = []
    for line, row in read_reference_csv(path, ("pattern", "series")):
        if row["series"] not in SERIES:
            raise ReferenceDataError(f"{path}:{line}: unknown series '{row['series']}'")
        rules.append(
            SeriesRule(Gated(_compile(path, line, row["pattern"])), row["series"], row.get("mechanism") or None)
        )
    return tuple(rules)


def _read_sources(directory: Path) -> tuple[tuple[re.Pattern, str | None], ...]:
    path = directory / "extract_sources.csv"
    rows = read_reference_csv(path, ("pattern",))
    return tuple((_compile(path, line, row["pattern"]), row.get("iso3") or None) for line, row in rows)


def _read_org_titles(directory: Path, ref: Reference) -> tuple[tuple[re.Pattern, str], ...]:
    path = directory / "extract_org_titles.csv"
    rules = []
    for line, row in read_reference_csv(path, ("pattern", "code")):
        if row["code"] not in ref.organisations:
            raise ReferenceDataError(f"{path}:{line}: unknown organisation code '{row['code']}'")
        rules.append((_compile(path, line, row["pattern"]), row["code"]))
    return tuple(rules)


def _read_venues(directory: Path, ref: Reference) -> dict[str, tuple[str, str]]:
    path = directory / "venues.csv"
    venues: dict[str, tuple[str, str]] = {}
    for line, row in read_reference_csv(path, ("venue", "city", "aliases")):
        if row["city"] not in ref.cities:
            raise ReferenceDataError(f"{path}:{line}: city '{row['city']}' is not in gazetteer.csv")
        for alias in [row["venue"], *[a.strip() for a in row["aliases"].split("|") if a.strip()]]:
            venues[alias.casefold()] = (row["venue"], row["city"])
    return venues


def _read_demonyms(directory: Path) -> dict[str, str]:
    path = directory / "extract_demonyms.csv"
    return {row["alias"].casefold(): row["iso3"].upper() for _, row in read_reference_csv(path, ("alias", "iso3"))}


def _country_names(ref: Reference) -> dict[str, str]:
    """Every way of writing a country: reference aliases first, then ISO names, then extra demonyms."""
    lookup = dict(ref.country_aliases)
    for iso3, country in ref.countries.items():
        lookup.setdefault(country.name.casefold(), iso3)
    for record in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            if value and "," not in value and "(" not in value:
                lookup.setdefault(value.casefold(), record.alpha_3)
    for alias, iso3 in _read_demonyms(ref.directory).items():
        lookup.setdefault(alias, iso3)
    return lookup


def _persons(ref: Reference) -> tuple[Gated | None, dict[str, set[str]], dict[str, set[str]]]:
    by_key: dict[str, set[str]] = {}
    by_surname: dict[str, set[str]] = {}
    names = []
    for person in ref.persons:
        for variant in (person.name, *person.aliases):
            key = name_key(variant)
            by_key.setdefault(key, set()).add(person.country)
            if len(key.split()) >= 2:
                names.append(variant)
                by_surname.setdefault(key.split()[-1], set()).add(person.country)
    pattern = Gated(re.compile(_word_alternation(names))) if names else None
    return pattern, by_key, by_surname


def _build(ref: Reference) -> Lexicon:
    directory = ref.directory
    terms = _read_terms(directory)
    cores = terms["title_core"]
    vocab = set()
    for kind in ("title_core", "title_modifier", "rank", "honorific"):
        for term in terms[kind]:
            vocab.update(term.replace("-", " - ").split())
            vocab.update(term.split())  # "prosecutor-general" is one token too
    vocab.update({"of", "the", "and", "for", "-", "&"})
    countries = _country_names(ref)
    first_tokens = {alias.split()[0].casefold() for alias in countries}
    stops = set(terms["stop_name"]) | set(terms["title_core"]) | set(terms["title_modifier"]) | set(terms["rank"])
    stops |= {t.rstrip(".") for t in terms["honorific"]}
    for alias in ref.country_aliases:
        stops.update(alias.split())
    for alias in countries:
        if alias not in _NAME_LIKE_COUNTRIES and len(alias.split()) == 1:
            stops.add(alias)
    for alias in ref.city_aliases:
        stops.update(alias.split())
    # A word of a known person's name is never a stop word, though a city or a month shares it:
    # "Nursultan Nazarbayev" (the city Nursultan), "Dong Jun" (Jun for June).
    country_words = {w for alias in ref.country_aliases for w in alias.split()} | set(countries)
    stops -= {
        w
        for person in ref.persons
        for variant in (person.name, *person.aliases)
        for w in variant.casefold().replace("-", " ").split()
        if w not in vocab and w not in country_words
    }
    country_alt = _alternation(countries)
    country_re = re.compile(rf"(?<![\w-])(?P<c>{COUNTRY_PREFIX}?(?:{country_alt})){POSSESSIVE}(?![\w-])", re.IGNORECASE)
    city_re = re.compile(rf"(?<![\w-])(?:{_alternation(ref.city_aliases)})(?![\w-])", re.IGNORECASE)
    venues = _read_venues(directory, ref)
    person_re, person_country, person_surname = _persons(ref)
    return Lexicon(
        ref=ref,
        terms=terms,
        title_core_re=Gated(_word_re([c + "s" for c in cores if c.isalpha()] + list(cores))),
        title_vocab=frozenset(vocab),
        rank_re=re.compile(rf"(?:\s|^)(?:{_alternation(terms['rank'])})\s*$", re.IGNORECASE),
        honorific_re=Gated(
            re.compile(rf"(?<![\w.])(?:{_alternation([h for h in terms['honorific']])})(?=\s|$)", re.IGNORECASE)
        ),
        honorifics=frozenset(h.rstrip(".") for h in terms["honorific"]),
        exclude_title_re=_word_re(terms["exclude_title"]),
        context_re=Gated(_word_re(terms["context_cue"])),
        absence_re=Gated(_word_re(terms["absence_cue"])),
        virtual_re=Gated(_word_re(terms["virtual"])),
        hybrid_re=Gated(_word_re(terms["hybrid"])),
        stop_names=frozenset(stops),
        series_rules=_read_series(directory),
        source_rules=_read_sources(directory),
        org_rules=_read_org_titles(directory, ref),
        country_re=country_re,
        country_lookup=countries,
        country_first_tokens=frozenset(first_tokens),
        country_names=tuple(countries),
        city_re=Gated(city_re),
        venue_re=Gated(re.compile(rf"(?<![\w-])(?:{_alternation(venues)})(?![\w-])", re.IGNORECASE)),
        venues=venues,
        venue_words_re=Gated(_word_re(terms["venue_word"])),
        person_re=person_re,
        person_country=person_country,
        person_surname=person_surname,
    )


_CACHE: dict[int, tuple[Reference, Lexicon]] = {}


def get_lexicon(ref: Reference) -> Lexicon:
    """The compiled lexicon for ``ref`` (built on first use, then cached)."""
    hit = _CACHE.get(id(ref))
    if hit is None or hit[0] is not ref:
        if len(_CACHE) > 8:
            _CACHE.clear()
        hit = _CACHE[id(ref)] = (ref, _build(ref))
    return hit[1]


_COUNTRY_STRIP = re.compile(rf"^{COUNTRY_PREFIX}", re.IGNORECASE)
_POSSESSIVE_END = re.compile(r"(?:'s|’s|'|’)$")
_NAME_PUNCT = re.compile(r"[.\-’'‘]")


def country_of(lex: Lexicon, written: str) -> str | None:
    """ISO3 of a country name or demonym as matched by ``lex.country_re`` (prefix and possessive allowed);
    memoised per lexicon (the same names recur)."""
    memo = lex.memo["country_of"]
    try:
        return memo[written]
    except KeyError:
        if len(memo) > 50000:
            memo.clear()
        found = memo[written] = _country_of(lex, written)
        return found


def _country_of(lex: Lexicon, written: str) -> str | None:
    text = " ".join(written.split())
    text = _POSSESSIVE_END.sub("", text)
    key = text.casefold()
    if key in lex.country_lookup:
        return lex.country_lookup[key]
    key = _COUNTRY_STRIP.sub("", text).casefold()
    return lex.country_lookup.get(key)
