"""People and delegations named in one sentence.

A person is a run of capitalised name tokens anchored by a title: "Kazakh Defence Minister
Adilbek Dzhaksybekov" (demonym + title + name), "Secretary General of the SCO Muratbek
Imanaliev" (title of organisation + name), "Qian Lihua, director of ..." (apposition),
"President Mirziyoyev of Uzbekistan" (name of country), or a name from persons.csv.
Unnamed delegates come from plural lists ("diplomatic envoys of Kazakhstan, Kyrgyzstan and
Russia" -> one row per country) and singular phrases ("the deputy director of the Regional
Anti-Terrorist Structure"). Caveats: names without a title are only taken from persons.csv;
a capitalised word missing from the stop list may be read as part of a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process

from etl.extract.fast import gated
from etl.extract.lexicon import LO, UP, Lexicon, country_of
from etl.extract.text import Sentence

PARTICLES = r"(?:bin|bint|ibn|al|el|ul|ud|van|von|de|da|di|du|der|la|le)"
_PARTICLES = frozenset(PARTICLES[3:-1].split("|"))
# A capitalised name token: "S.", "Ts." (transliterated initials), "S", "KP" (initials without dots, before a name), "O'Neil", "Jaishankar", "McDonald", "Al-Hussein". The capital is taken first
# (then the other branches) so that sre can skip to capitals; the look-behind after it checks the character
# before the token.
_TOKEN_TAIL = rf"(?:\.(?:[{UP}]\.)*(?:[{UP}][{LO}]{{2,}})?|['’][{UP}][{LO}]+|(?:[{LO}]+|[{LO}]*[{UP}][{LO}]+)(?:[-'’][{UP}]?[{LO}]+)*(?:(?=\.)(?<=Ch|Kh|Sh|Ts|Zh|Yu|Ya|Yo|Ye)\.)?|[{UP}]?(?=[ \u00a0][{UP}][{LO}]))"
_TOKEN = rf"[{UP}]{_TOKEN_TAIL}"
_RUN = re.compile(
    rf"[{UP}](?<![\w'’.-][{UP}]){_TOKEN_TAIL}(?:[ \u00a0\n](?:{PARTICLES}[ \u00a0\n])?{_TOKEN})*(?![\w-])"
)
_LTOK = re.compile(r"\([^()]{1,60}\)|[\w'’.&-]+|[^\w\s]")
_NOT_NAME_SUFFIX = re.compile(r"(?:tion|sion|ment|ness|ism|ship|ical|ities|ative|ance|ization|isation)$")
_POSS = re.compile(r"(?:'s|’s|'|’)$")
_DETERMINER = frozenset({"the", "a", "an"})
# Compiled once (re's own cache lookup costs a microsecond a call in the hot loops).
_LEADING_THE = re.compile(r"^the\s+", re.I)
_OF_FROM = re.compile(r"\s+(?:of|from)\s", re.I)
_OF_COUNTRY_END = re.compile(r"\bof\s+(?P<c>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})$")
# a state body named after "of": "representatives of the Ministry of Education of ..."
_BODY_NEXT = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+)?(?:Ministry|Ministries|Agency|Department|State\s+Committee|Committee|Office|Service|"
    r"Council|Administration|General\s+Staff|Prosecutor|Supreme\s+Court|National|Federal|Central)\b"
)
_APPOSITION_COMMA = re.compile(r"\s*,\s*(?:who\s+is\s+|the\s+|a\s+|an\s+)?")
_APPOSITION_SEGMENT = re.compile(r"(?:[^,;:()]|\([^()]*\))+")
_APPOSITION_CUT = re.compile(r"\s+(?:and(?!\s+Plenipotentiary)|as well as|while|who|which|said|met|attended)\s+")
_TRAILING_COMMA = re.compile(r",\s*$")
_NAME_NEXT = re.compile(r"[ \u00a0]+[A-Z][a-z]")
_COMMA_ONLY = re.compile(r"\s*,\s*")
_GLUED_INITIAL = re.compile(r"(?:[A-Z]\.)+[A-Z][a-z]")
_LIST_GOES_ON = re.compile(r"(?:,|\band)\s*$")
_OF_COUNTRY = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?|\s*\(\s*")
_NEXT_CAPITAL = re.compile(r"\s*,?\s*(?:[A-Z][\w'’.-]*)")
_POSSESSED = re.compile(r"\s*(?:participation|attendance|speech|address|remarks|arrival|talks|meeting|chairmanship)")
_NON_SPACE = re.compile(r"\S+")
_IES = re.compile(r"(?:ies)$")
_STATUS_TAIL = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+)?(?:SCO\s+)?(?:(?:member|observer|guest|partner|"
    r"dialogue[- ]partner|invited)\s+(?:states?|countries|nations))?\s*[,:(—–-]?\s*$",
    re.I,
)
_CONNECT = frozenset({"of", "the", "for"})
_PLURAL = (
    r"(?:envoys|ambassadors|ministers|leaders|presidents|premiers|heads\s+of\s+(?:state|government|the\s+delegations?|"
    r"delegations?)|heads|delegations|representatives|officials|secretaries|advisers|advisors|chiefs|directors|"
    r"coordinators|counterparts|delegates|deputies|diplomats|chairmen|troops|servicemen|contingents|units|"
    r"prosecutors(?:[- ]general)?|prosecutor[- ]generals|attorneys[- ]general|justices|judges|governors|speakers|"
    r"commanders|ombudsmen|soldiers|personnel)"
)
_STATUS = (
    r"(?P<status>(?:(?:the\s+)?SCO\s+)?(?:member|observer|guest|partner|dialogue[- ]partner|invited)\s+"
    r"(?:states?|countries|nations))\s*(?:,\s*(?=such|including|namely))?(?:,|:|—|–|-|\(|such\s+as|including|namely)?\s*"
)
_REPORTING = gated(
    r"\b(?:told\s+(?:a\s+|the\s+)?(?:press|news|media|reporters|journalists|xinhua|tass|kazinform|ians|pti|ani|"
    r"irna|belta|sputnik|interfax|briefing)|press\s+(?:briefing|conference)|news\s+(?:briefing|conference)|"
    r"in\s+an\s+interview|briefed\s+(?:the\s+)?(?:media|press|reporters))\b",
    re.IGNORECASE,
)
_GUEST = re.compile(r"\bguests?\b|\binvited\b|\bat the invitation\b", re.IGNORECASE)


@dataclass(slots=True)
class Mention:
    """One delegate as found in the text (a person or an unnamed delegate)."""

    participant: str | None
    name: str | None
    title: str | None
    start: int
    end: int
    sent: int
    source: str
    name_start: int | None = None
    name_end: int | None = None
    excluded: bool = False
    guest: bool = False
    counterpart: bool = False
    plural: bool = False
    level: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TitleInfo:
    """A parsed title: clean text, country or organisation, and flags."""

    title: str
    country: str | None
    org: str | None
    has_core: bool
    excluded: bool
    counterpart: bool
    honorific: bool


@lru_cache(maxsize=16384)
def is_capitalised(written: str) -> bool:
    """True when a matched name starts with a capital letter (after a leading 'the'); memoised."""
    text = _LEADING_THE.sub("", written)
    return bool(text) and text[0].isupper()


@lru_cache(maxsize=16384)
def _base(token: str) -> str:
    return _POSS.sub("", token).lower().rstrip(".,")


def _is_stop(token: str, lex: Lexicon) -> bool:
    memo = lex.memo["stops"]
    hit = memo.get(token)
    if hit is None:
        if len(memo) > 50000:
            memo.clear()
        hit = memo[token] = _stop_word(token, lex)
    return hit


def _stop_word(token: str, lex: Lexicon) -> bool:
    if len(token) == 2 and token[1] == "." and token[0].isupper():
        return False  # an initial ("A. Atambaev", "I. Karimov"), not the article or the pronoun
    base = _base(token)
    if base in lex.stop_names or base.rstrip(".") in lex.stop_names:
        return True
    return len(base) > 6 and bool(_NOT_NAME_SUFFIX.search(base))


def name_candidates(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Spans of capitalised word runs that may be person names (stop words removed)."""
    out = []
    memo = lex.memo["runs"]
    for m in _RUN.finditer(text, start, end):
        run = m.group()
        names = memo.get(run)
        if names is None:
            if len(memo) > 50000:
                memo.clear()
            names = memo[run] = _run_names(run, lex)
        if names:
            base = m.start()
            out += [(base + a, base + b) for a, b in names]
    return out


def _run_names(run: str, lex: Lexicon) -> tuple[tuple[int, int], ...]:
    """Name spans (relative offsets) in one capitalised run: the runs of non-stop tokens, trimmed of
    particles and trailing initials, that hold a word longer than two letters."""
    tokens = []
    pos = 0
    for word in run.split():  # the run's tokens are separated by single spaces
        tokens.append((pos, pos + len(word), word))
        pos += len(word) + 1
    out = []
    group: list[tuple[int, int, str]] = []
    for tok in [*tokens, None]:
        if tok is not None and not _is_stop(tok[2], lex):
            group.append(tok)
            continue
        while group and (group[-1][2] in _PARTICLES or group[-1][2].endswith(".")):
            if group[-1][2].endswith(".") and len(group[-1][2]) == 2 and len(group) > 1:
                break
            group.pop()
        while group and group[0][2] in _PARTICLES:
            group.pop(0)
        if group and any(len(t[2]) > 2 and not t[2].endswith(".") for t in group):
            out.append((group[0][0], group[-1][1]))
        group = []
    return tuple(out)


def _trim_start(tokens: list[str], i: int, lex: Lexicon) -> int:
    """The index of the first of tokens[i:] that can begin a title (dropping "On Thursday", "Also",
    connectors); len(tokens) when none can."""
    memo = lex.memo["title_start"]
    while i < len(tokens):
        tok = tokens[i]
        starts = memo.get(tok)
        if starts is None:
            if len(memo) > 50000:
                memo.clear()
            starts = memo[tok] = _can_start_title(tok, lex)
        if starts:
            break
        i += 1
    return i


def _can_start_title(tok: str, lex: Lexicon) -> bool:
    """Whether a title may begin with this token (else _trim_start drops it)."""
    low = _base(tok)
    if tok.startswith("(") or low in _CONNECT or low in ("and", "to", "&"):
        return False
    if low in lex.title_vocab or low in lex.honorifics or low in lex.country_first_tokens:
        return True
    if tok.isupper() and len(tok) >= 2:
        return True
    if low == "shanghai":  # "Shanghai Cooperation Organization (SCO) Secretary-General"
        return True
    return bool(lex.country_re.match(tok))


def _starts_title(token: str, lex: Lexicon) -> bool:
    low = _base(token)
    return low in lex.title_vocab or low in lex.honorifics or low in lex.country_first_tokens


def _and_continues(tokens: list[str], i: int, lex: Lexicon) -> bool:
    """Whether 'and' at tokens[i] joins two parts of one title ("Vice President and Vice Chairman",
    "Agriculture and Rural Affairs") rather than two people ("Xi Jinping and Russian President ...")."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if _base(prev) in lex.title_vocab and _base(prev) not in _CONNECT:
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if not nxt or _starts_title(nxt, lex) or (nxt.isupper() and len(nxt) >= 2):
        return False  # "... of Turkmenistan and UN Deputy Secretary-General": the next title begins
    return prev[0].isupper() and _is_stop(prev, lex)


def _scan(text: str, start: int, end: int) -> list[str]:
    """_LTOK tokens of text[start:end]. Only white space lies between and around them (any other
    character is part of a token), which lets _walk_left find where each one is.

    Without a bracket, no token spans white space, so each white-space-separated chunk is tokenized on
    its own: an alphanumeric chunk is one token (the common case, with no regex at all)."""
    piece = text[start:end]
    if "(" in piece:
        return _LTOK.findall(piece)
    out: list[str] = []
    for chunk in piece.split():
        if chunk.isalnum():
            out.append(chunk)
        else:
            out += _LTOK.findall(chunk)
    return out


def left_title(text: str, lo: int, hi: int, lex: Lexicon) -> tuple[int, int] | None:
    """The title phrase ending just before ``hi`` (within the sentence starting at ``lo``), read from
    the tokens of text[max(lo, hi - 220):hi].

    The walk back from ``hi`` mostly stops within a few words, so it first reads only the last ~50
    characters, from a space that no bracket token can straddle (a scan from there gives the tokens a
    scan of the whole window gives there); when the walk runs to the start of that stretch, it reads
    the whole window.
    """
    window = max(lo, hi - 220)
    cut = hi - 48
    if cut > window:
        space = text.rfind(" ", window, cut)
        if space >= 0 and text.find("(", max(window, space - 60), space + 1) < 0:
            found = _walk_left(text, hi, _scan(text, space + 1, hi), lex, False)
            if found is not _UNDECIDED:
                return found
    return _walk_left(text, hi, _scan(text, window, hi), lex, True)


_UNDECIDED = (-1, -1)


def _walk_left(text: str, hi: int, tokens: list[str], lex: Lexicon, whole: bool) -> tuple[int, int] | None:
    """left_title's walk over the tokens of the window (``whole``) or of its end, a scan that stopped at
    ``hi``: _UNDECIDED when the walk gets to the first token of a partial list, where the tokens before
    would count."""
    memo = lex.memo["title_walk"]
    i = len(tokens) - 1
    taken = len(tokens)
    while i >= 0:
        tok = tokens[i]
        kind = memo.get(tok)
        if kind is None:
            if len(memo) > 50000:
                memo.clear()
            kind = memo[tok] = _walk_kind(tok, lex)
        if kind is _TAKE or kind is _PAREN:
            taken = i
        elif kind is _BREAK:
            break
        elif kind is _COMMA:
            if not (taken < len(tokens) and _comma_inside_title(tokens, i, taken, lex)):
                break
            taken = i
        elif kind is _AND:
            if not _and_continues(tokens, i, lex):
                break
            taken = i
        elif kind is _UNDER:
            nxt = _base(tokens[i + 1]) if i + 1 < len(tokens) else ""
            if not (nxt == "-" or nxt.startswith("secretary")):
                break
            taken = i
        elif kind is _DASH:  # "Deputy Prime Minister – Minister of Foreign Affairs"
            nxt = _base(tokens[i + 1]) if i + 1 < len(tokens) else ""
            prev = tokens[i - 1] if i > 0 else ""
            if not (nxt in lex.title_vocab and (_base(prev) in lex.title_vocab or lex.country_re.fullmatch(prev))):
                break
            taken = i
        elif kind is _PORTFOLIO:  # "Iran's justice minister": a portfolio in lower case right before the title
            if not (i + 1 < len(tokens) and _base(tokens[i + 1]) in ("minister", "ministers", "ministry")):
                break
            taken = i
        else:  # "to", "on": inside a title only after a title word ("Ambassador to", "Adviser on")
            prev = _base(tokens[i - 1]) if i > 0 else ""
            country_before = i > 0 and bool(lex.country_re.fullmatch(tokens[i - 1]))
            if (prev not in lex.title_vocab or prev in _CONNECT) and not country_before:
                break  # "Adviser to the Prime Minister of Pakistan on National Security" goes on
            taken = i
        i -= 1
    if i < 1 and not whole:
        return _UNDECIDED
    first = _trim_start(tokens, taken, lex)
    if first == len(tokens):
        return None
    # Where the kept tokens lie: back from hi, each token ends where the white space before the next begins.
    end = hi
    while text[end - 1].isspace():
        end -= 1
    stop = end
    for k in range(len(tokens) - 1, first, -1):
        end -= len(tokens[k])
        while text[end - 1].isspace():
            end -= 1
    return end - len(tokens[first]), stop


_TAKE, _PAREN, _BREAK, _COMMA, _AND, _TO_ON, _DASH = "take", "paren", "break", "comma", "and", "to_on", "dash"
_UNDER, _PORTFOLIO = "under", "portfolio"


def _walk_kind(tok: str, lex: Lexicon) -> str:
    """How left_title's walk treats a token (the order of the tests matters: "&" is not alphanumeric)."""
    if tok.startswith("("):
        return _PAREN
    if tok == ",":
        return _COMMA
    if tok in ("–", "—", "-", "--"):
        return _DASH
    if not tok[0].isalnum():
        return _BREAK
    low = _base(tok)
    if low in ("and", "&"):
        return _AND
    if low == "under":  # "Under-Secretary-General", but "the meeting under Russian Minister X's chairmanship"
        return _UNDER
    if low in ("to", "on", "at", "in"):  # "Ambassador to", "Adviser on", "Deputy Prosecutor-General at"
        return _TO_ON
    if low in _CONNECT or tok[0].isupper() or low in lex.title_vocab:
        return _TAKE
    if low in lex.terms["portfolio"]:  # (asked once per token: the walk memoises its kinds)
        return _PORTFOLIO
    return _BREAK


def _comma_inside_title(tokens: list[str], i: int, taken: int, lex: Lexicon) -> bool:
    """A comma within a title: before a rank ("Minister of Defence, Colonel General") or in a list of
    portfolios ("Minister of Agriculture, Food Industry and Melioration")."""
    words = " ".join(tokens[taken:])
    memo = lex.memo["after_comma"]
    found = memo.get(words)
    if found is None:
        if len(memo) > 50000:
            memo.clear()
        # (only a rank, holds a title word)
        found = memo[words] = (_only_rank(words, lex), bool(lex.title_core_re.search(words)))
    if found[0]:
        return True
    if i == 0 or found[1]:
        return False
    prev = tokens[i - 1]
    if taken < len(tokens) and all(_base(t).rstrip(".") in lex.honorifics for t in tokens[taken:]):
        # "Emir of Qatar, Sheikh Tamim": an honorific after a title that ends in a country or title word
        return bool(lex.country_re.fullmatch(prev)) or _base(prev) in lex.title_vocab
    return prev[0].isupper() and _is_stop(prev, lex) and _base(prev) not in lex.country_first_tokens


def _only_rank(words: str, lex: Lexicon) -> bool:
    """True when the words are a military rank ("Colonel General") and nothing else."""
    return bool(words) and bool(lex.rank_re.fullmatch(" " + words))


def _strip_rank(title: str, lex: Lexicon) -> str:
    m = lex.rank_re.search(title)
    if not m:
        return title
    head = title[: m.start()].rstrip()
    if re.search(r"(secretary|director|consul|attorney|prosecutor|governor|inspector|procurator)$", head, re.I):
        return title
    if re.search(r"\b(chief|chiefs) of( the)?$", head, re.I):
        return title
    return head


def _entity_after(title: str, lex: Lexicon) -> tuple[int, str | None, str | None]:
    """First organisation or country named in a title (not one introduced by 'to')."""
    best: tuple[int, str | None, str | None] = (10**6, None, None)
    for pattern, code in lex.org_rules:
        m = pattern.search(title)
        if m and m.start() < best[0]:
            best = (m.start(), None, code)
    for m in lex.country_re.finditer(title):
        if not is_capitalised(m.group(0)):
            continue
        before = title[: m.start()].rstrip().lower()
        if before.endswith((" to", " for", " in", " with")) or before == "to":
            continue
        if m.start() < best[0]:
            best = (m.start(), country_of(lex, m.group(0)), None)
        break
    return best


_OF_WORD = re.compile(r"\bof\s+(?:the\s+)?([A-Z][a-z]{4,})\b")


def _misspelt_country(title: str, lex: Lexicon) -> str | None:
    """The country of "President of Mangolia": a capitalised word after "of" close to a one-word country
    name (rapidfuzz ratio >= 85), when the title names no country as written."""
    words = _OF_WORD.findall(title)
    if not words:
        return None
    names = lex.memo.get("one_word_countries")
    if names is None:
        names = lex.memo["one_word_countries"] = {
            n: c for n, c in ((name, country_of(lex, name)) for name in lex.country_names if " " not in name) if c
        }
    for word in words:
        found = process.extractOne(word.lower(), list(names), scorer=fuzz.ratio, score_cutoff=85)
        if found:
            return names[found[0]]
    return None


_TITLES: dict[tuple[object, str], TitleInfo] = {}


def parse_title(raw: str, lex: Lexicon) -> TitleInfo:
    """Country, organisation and clean title text of a title phrase as written (memoised: titles recur)."""
    key = (lex.ref.directory, raw)
    info = _TITLES.get(key)
    if info is None:
        if len(_TITLES) > 50000:
            _TITLES.clear()
        info = _TITLES[key] = _parse_title(raw, lex)
    return info


def _parse_title(raw: str, lex: Lexicon) -> TitleInfo:
    text = " ".join(raw.split())
    honorific = bool(lex.honorific_re.search(text))
    text = lex.honorific_re.sub(" ", text)
    text = re.sub(r"^\s*(?:the|a|an|his|her|their)\s+", "", text, flags=re.I).strip()
    country = None
    m = lex.country_re.match(text)
    if m and is_capitalised(m.group(0)):
        country = country_of(lex, m.group(0))
        text = text[m.end() :].strip()
    text = re.sub(r"\s*\([^()]*\)", "", text)
    text = " ".join(text.split()).strip(" ,-–")
    ranked = text
    text = _strip_rank(text, lex).strip(" ,-–")
    text = _strip_rank(text, lex).strip(" ,-–")
    rank_only = not text and country is not None and bool(lex.rank_re.search(ranked))
    if rank_only:  # "Tajikistan's Lieutenant General Emomali Sobirzoda": an officer of that country
        text = ranked
    text = re.sub(r"^(?:the|and|of)\s+", "", text, flags=re.I)
    text = re.sub(r"\s+(?:and|of|the)$", "", text, flags=re.I)
    org = None
    if text:
        pos, c2, org = _entity_after(text, lex)
        if country and org and pos > 0:
            org = None
        if not country and c2:
            country = c2
    if not country and not org:
        country = _misspelt_country(text, lex)
    has_core = rank_only or bool(lex.title_core_re.search(text))
    excluded = bool(lex.exclude_title_re.search(raw))
    counterpart = bool(re.search(r"\b(?:counterparts?|colleagues?)\b", text, re.I))
    return TitleInfo(text, country, org, has_core, excluded, counterpart, honorific)


def ends_with_country(lex: Lexicon) -> re.Pattern:
    """ "... of <country>" at the end of a phrase (compiled once per lexicon)."""
    pattern = lex.memo["ends_with_country"].get("re")
    if pattern is None:
        pattern = lex.memo["ends_with_country"]["re"] = re.compile(
            r"\bof\s+" + lex.country_re.pattern.replace("(?P<c>", "(?:") + r"\s*$", re.IGNORECASE
        )
    return pattern


def _apposition(text: str, pos: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """ ", director of the Defense Ministry's Foreign Affairs Office," after a name: the title span."""
    m = _APPOSITION_COMMA.match(text, pos, end)
    if not m:
        return None
    start = m.end()
    seg = _APPOSITION_SEGMENT.match(text, start, end)
    if not seg:
        return None
    stop = seg.end()
    piece = text[start:stop]
    cut = _APPOSITION_CUT.search(piece)
    if cut:
        piece = piece[: cut.start()]
        stop = start + len(piece)
    piece = piece.rstrip(". ")
    stop = start + len(piece)
    if not piece or len(piece) > 160:
        return None
    first = _base(piece.split()[0])
    if not (
        first in lex.title_vocab
        or lex.country_re.match(piece)
        or first.isupper()
        or (piece[0].isupper() and ends_with_country(lex).search(piece))  # "... Minister of Uzbekistan"
    ):
        return None
    if not lex.title_core_re.search(piece):
        return None
    if name_candidates(text, start, stop, lex):
        return None
    return start, stop


def _carried_title(out: list[Mention], lex: Lexicon) -> str | None:
    """The title a list carries over to its next item: the last one written, without its country and in
    the singular ("Prime Ministers of Kazakhstan" -> "Prime Minister"); None when no one had a title."""
    title = next((o.title for o in reversed(out) if o.title and not o.excluded), None)
    if title is None:
        return None
    return _singular(ends_with_country(lex).sub("", title).strip(" ,"))


def _comma_before(text: str, pos: int) -> bool:
    """Whether a comma comes just before ``pos`` (white space apart)."""
    k = pos - 1
    while k > 0 and text[k] == " ":
        k -= 1
    return text[k] == ","


def _bare_country_before(text: str, lo: int, n_start: int, lex: Lexicon) -> tuple[str, int] | None:
    """ "..., Tajikistan, Akil Akilov": a country alone between list commas, just before the name."""
    m = _BARE_COUNTRY.search(text, max(lo, n_start - 45), n_start)
    if not m:
        return None
    c = lex.country_re.fullmatch(m.group("c"))
    if not c or not is_capitalised(m.group("c")):
        return None
    code = country_of(lex, m.group("c"))
    return (code, m.start("c")) if code else None


_BARE_COUNTRY = re.compile(r"(?:,|\band)\s+(?:the\s+)?(?P<c>[A-Z][\w'’ -]{2,40}?)\s*,\s*$")


def _reverse_apposition(text: str, lo: int, n_start: int, lex: Lexicon) -> tuple[int, int] | None:
    """ "its ambassador to Kyrgyzstan, Alok Dimri": a title, a comma, then the name."""
    m = _TRAILING_COMMA.search(text[max(lo, n_start - 4) : n_start])
    if not m:
        return None
    comma = max(lo, n_start - 4) + m.start()
    span = left_title(text, lo, comma, lex)
    if span is None or text[span[1] : comma].strip():
        return None
    if _TRAILING_COMMA.search(text[max(lo, span[0] - 3) : span[0]]) or name_candidates(text, span[0], span[1], lex):
        return None
    if not lex.title_core_re.search(text, span[0], span[1]):
        return None
    return span


def _adjacent_country(text: str, pos: int, end: int, lex: Lexicon) -> tuple[str, int] | None:
    m = _OF_COUNTRY.match(text, pos, end)
    if not m:
        return None
    c = lex.country_re.match(text, m.end(), end)
    if not c or not is_capitalised(c.group(0)):
        return None
    tail = c.end() + (1 if text[c.end() : c.end() + 1] == ")" else 0)
    return country_of(lex, c.group(0)), tail


# A plural title a list of "Country's Name" items takes its title from ("defence ministers", "heads of state")
_GROUP_TITLE = re.compile(
    r"\b((?:(?:deputy|vice|prime|foreign|defen[cs]e|interior|finance|trade|justice|health|culture|transport|"
    r"agriculture|energy|economy|education|emergency|security)\s+){0,2}(?:ministers|presidents|premiers|"
    r"prosecutors[- ]general|heads\s+of\s+(?:state|government)|chiefs\s+of\s+(?:general\s+)?staff|secretaries))\b",
    re.I,
)
_SUBJECT_OF_MEETING = re.compile(
    r"\s+(?:also\s+|later\s+|then\s+|separately\s+)?(?:met|meets|held|holds|had|received|receives|called\s+on|"
    r"engaged\s+(?:in|with)|conducted|conversed|interacted)\b"
)
_PAIR_NOUN = re.compile(
    r"\s+(?:engagement|meeting|talks|summit|ties|relations|bilateral|deal|dialogue|meet|encounter)\b"
)
# nothing before a name but "Meanwhile, ", "Later, ", "On the same day, " ...
_LEAD_ONLY = re.compile(
    r"\s*(?:(?:Meanwhile|Later|Also|Separately|Earlier|In\s+addition|Additionally|On\s+the\s+same\s+day|The\s+same\s+day|"
    r"That\s+day|Subsequently|Then)\s*,?\s*)?"
)
_SAID = re.compile(r"\b(?:said|says|stressed|noted|emphasi[sz]ed|underlined|pointed\s+out|called|urged|stated)\b")
# "During a meeting with X, ...": talks whose subject comes after the clause (the classifier reads them too)
DURING_MEETING_WITH = r"\s*(?:During|At|In)\s+(?:a|the|his|her|their)\s+(?:[\w-]+\s+)?(?:meeting|talks)\s+with\b"
_AFTER_DURING_MEETING = re.compile(DURING_MEETING_WITH + r"[^;]*,\s*$", re.I)
_ORG_PHRASE_END = re.compile(r",|;|\.\s|\s(?:and|who|which|were|was|are|is|participated|attended|took|met)\s")


_TAKES_PART_IN = re.compile(
    r"\s*(?:participation|attendance|speech|address|remarks)\s+(?:in|at)\s+(?:the\s+)?([^.;]{0,120})"
)
_MEETING_WORD = re.compile(r"\b(?:meeting|conference|summit|forum|session|council|dialogue)\b", re.I)
_SCO_WORD = re.compile(r"\b(?:SCO|Shanghai\s+Cooperation)\b")


def _other_meeting(text: str, pos: int, end: int) -> bool:
    """Whether a possessive's "participation in the ..." names a meeting that is not the SCO's."""
    m = _TAKES_PART_IN.match(text, pos, end)
    return bool(m and _MEETING_WORD.search(m.group(1)) and not _SCO_WORD.search(m.group(1)))


def _adjacent_org(text: str, pos: int, end: int, lex: Lexicon) -> tuple[str, int] | None:
    """The organisation of "NAME of the Executive Committee of the SCO Regional Anti-Terrorist Structure"."""
    m = _OF_COUNTRY.match(text, pos, end)
    if not m:
        return None
    stop = _ORG_PHRASE_END.search(text, m.end(), min(end, m.end() + 120))
    phrase = text[m.end() : stop.start() if stop else min(end, m.end() + 120)]
    for pattern, code in lex.org_rules:
        found = pattern.search(phrase)
        if found:
            return code, m.end() + found.end()
    return None


def context_positions(sent: Sentence, text: str, lex: Lexicon, mask: int = -1) -> tuple[int, int]:
    """First position of a context cue (after it nobody attends) and last reporting cue (before it)."""
    ctx = lex.context_re.first_in(mask, text, sent.start, sent.end)  # offsets only
    rep = None
    for m in _REPORTING.folded_in(mask, text, sent.start, sent.end):  # only the offsets are used
        rep = m
    absent = lex.absence_re.first_in(mask, text, sent.start, sent.end)
    ctx_pos = ctx.start() if ctx else sent.end + 1
    if ctx and ctx.start() - sent.start <= 3 and text.startswith("speech", ctx.end() - 6):
        # "In his speech at the summit, President X said ...": the speaker took part; what he said is context
        said = _SAID.search(text, ctx.end(), sent.end)
        ctx_pos = said.start() if said else ctx_pos
    rep_pos = rep.start() if rep else sent.start - 1
    if absent:
        rep_pos = max(rep_pos, absent.start())
    return ctx_pos, rep_pos


def persons_in(
    text: str, sent: Sentence, idx: int, lex: Lexicon, cues: tuple[int, int] | None = None, mask: int = -1
) -> list[Mention]:
    """Named people of one sentence, with title and participant when written (``mask``: the sentence's
    WordIndex mask, when known)."""
    gp = group_patterns(lex)
    represented, represented_by = gp.represented, gp.represented_by
    out: list[Mention] = []
    reverse_list = False  # the sentence's first title-comma-name pair came title first
    ctx_pos, rep_pos = cues or context_positions(sent, text, lex, mask)
    for n_start, n_end in name_candidates(text, sent.start, sent.end, lex):
        name = text[n_start:n_end]
        possessive = bool(_POSS.search(name))
        if possessive:
            name = _POSS.sub("", name)
            n_end = n_start + len(name)
        if "\n" in name:  # a hard-wrapped line broke the name
            name = " ".join(name.split())
        if "-" in name and " " not in name and _PAIR_NOUN.match(text, n_end, sent.end):
            continue  # "the Modi-Xi engagement": two leaders' names joined, not a person
        span = left_title(text, sent.start, n_start, lex)
        if span and out and span[0] < out[-1].name_end <= span[1]:  # a run-on list: "A.U. Mamin Premier of China Li"
            rest = _NON_SPACE.search(text, out[-1].name_end, span[1])
            span = (rest.start(), span[1]) if rest else None
        info = parse_title(text[span[0] : span[1]], lex) if span else None
        misspelt = None
        if info is not None and not (info.country or info.org) and text.endswith("of ", 0, n_start):
            first, _, rest = name.partition(" ")
            misspelt = _misspelt_country(f"of {first}", lex) if len(rest.split()) >= 2 else None
            if misspelt:  # "President of Mangolia Tsakhiagiin Elbegdorj": the country, then the name
                n_start += len(first) + 1
                name = rest
        start = span[0] if span else n_start
        end = n_end
        source = "explicit"
        reverse = False
        if (info is None or not (info.has_core or info.honorific)) and out:
            bare = _bare_country_before(text, sent.start, n_start, lex) if _comma_before(text, n_start) else None
            carried = _carried_title(out, lex) if bare else None
            if carried is not None:  # "The Prime Ministers of Kazakhstan, Karim Masimov, Russia, Vladimir Putin, ..."
                info = TitleInfo(carried, bare[0], None, True, False, False, False)
                start, source = bare[1], "list"
        if info is None or not (info.has_core or info.honorific):
            # "Qian Lihua, director of ..." (title after) or "the Prime Minister of Qatar, Mohammed ..." (title
            # before): a list keeps one order, so the order of the sentence's first such pair decides
            rev = _reverse_apposition(text, sent.start, n_start, lex)
            app = (
                None
                if rev and (not out or reverse_list)
                else _apposition(text, n_end + (2 if possessive else 0), sent.end, lex)
            )
            if app:
                info = parse_title(text[app[0] : app[1]], lex)
                end = app[1]
                source = "apposition"
            elif rev:
                info = parse_title(text[rev[0] : rev[1]], lex)
                start = rev[0]
                source, reverse = "apposition", True
        adj = _adjacent_country(text, n_end, sent.end, lex)
        if adj and _NAME_NEXT.match(text, adj[1], sent.end) and text.endswith("of the ", 0, n_start):
            continue  # "Chairman of the Halk Maslahaty of Turkmenistan Gurbanguly ...": a body in a title
        single = " " not in name.strip() and not _GLUED_INITIAL.match(name)  # "Y.Sodbaatar" is a full name
        if (
            info is not None
            and not (info.has_core or info.honorific or info.title or info.org)
            and info.country
            and any(o.title and not o.excluded for o in out)
            and _LIST_GOES_ON.search(text, max(sent.start, span[0] - 6), span[0])
        ):  # "Russian President Vladimir Putin, Kazakhstan Kassym-Joomart Tokayev, ...": the title carries over
            info = TitleInfo(_carried_title(out, lex) or "", info.country, None, True, False, False, False)
            source = "list"
        if (
            info is not None
            and not (info.has_core or info.honorific or info.title or info.org)
            and info.country
            and not single
            and _POSS.search(text[span[0] : span[1]].rstrip())
        ):  # "The visiting defence ministers were Kyrgyzstan's Ismail Isakov, Russia's Sergei Ivanov, ..."
            groups = _GROUP_TITLE.findall(text, sent.start, span[0])
            title = _singular(" ".join(groups[-1].split())) if groups else ""
            info = TitleInfo(title, info.country, None, True, False, False, False)
            source = "list"
        if (info is None or not (info.has_core or info.honorific)) and not single:
            groups = _GROUP_TITLE.findall(text, sent.start, n_start) if adj else None
            if groups:  # "the foreign ministers of six SCO members -- Li Zhaoxing from China, ..."
                info = TitleInfo(_singular(" ".join(groups[-1].split())), None, None, True, False, False, False)
                source = "list"
        if info is None or not (info.has_core or info.honorific):
            key_known = lex.person_country.get(_known_key(name))
            subject_word = not key_known and (
                (
                    _SUBJECT_OF_MEETING.match(text, n_end, sent.end)
                    and (single or _LEAD_ONLY.fullmatch(text, sent.start, n_start))  # "Vladimir Arkhipov met with ..."
                )
                or (single and _AFTER_DURING_MEETING.match(text, sent.start, n_start))
            )  # "During a meeting with X in Tehran, Araqchi reaffirmed ..."
            if subject_word and single:
                key_known = lex.person_surname.get(name.lower())  # "Modi held talks with ...": a known surname
                key_known = key_known if key_known and len(key_known) == 1 else None
            if not key_known and _before_counterparts(text, n_end, sent.end, gp):
                # "met Pavel Orlov and Qin Gang, his counterparts from Russia and China": paired below
                info = TitleInfo("counterpart", None, None, True, False, True, False)
                source = "paired"
            elif not key_known and subject_word:
                # "Dong engaged in discussions with ...": kept only if a fuller name in the release is his
                info = TitleInfo("", None, None, False, False, False, False)
                source = "short"
            elif not key_known:
                continue
            else:
                info = TitleInfo("", None, None, False, False, False, False)
                source = "known"
        elif single and not reverse and not _single_ok(text, span, n_start, lex):
            continue  # a lone word is a name after a title ("Minister Lavrov", "the Prime Minister, Mishustin")
        participant = info.org or info.country or misspelt
        if participant is None:
            lo = max(sent.start, start - 90)
            rep = (
                represented.search_in(mask, text, lo, start) if represented_by.first_in(mask, text, lo, start) else None
            )
            if rep:
                participant = country_of(lex, rep.group("c"))
                source = "adjacent"
        if participant is None and adj:
            participant, end = adj[0], max(end, adj[1])
            source = "adjacent"
        if participant is None and (info.has_core or info.title):
            org = _adjacent_org(text, n_end, sent.end, lex)
            if org:  # "Director Myrzakan Subanov of the Executive Committee of the SCO RATS"
                participant, end = org[0], max(end, org[1])
                source = "org"
        if participant is None:
            known = lex.person_country.get(_known_key(name))
            if not known and single:
                known = lex.person_surname.get(name.lower())
            if known and len(known) == 1:
                participant = next(iter(known))
                source = "known" if source == "explicit" else source
            else:
                source = "home" if source in ("explicit", "apposition") else source
        elif info.org:
            source = "org"
        if (
            source == "home"
            and out
            and out[-1].source == "explicit"
            and _COMMA_ONLY.fullmatch(text, out[-1].end, start)
        ):
            # "Chinese President Xi Jinping, Vice-President Wang Qishan": the list goes on in the same country
            participant, source = out[-1].participant, "list"
        excluded = info.excluded or n_start >= ctx_pos or n_end <= rep_pos
        if possessive and not _POSSESSED.match(text[n_end + 2 : n_end + 30]):
            excluded = True
        elif possessive and _other_meeting(text, n_end + 2, sent.end):
            excluded = True  # "Hina Rabbani Khar's participation in the Meeting of the Neighbouring Countries ..."
        if len(out) == 0:
            reverse_list = reverse
        out.append(
            Mention(
                participant,
                name,
                info.title or None,
                start,
                end,
                idx,
                source,
                n_start,
                n_end,
                excluded=excluded,
                counterpart=info.counterpart,
            )
        )
    if len(out) > 1 and "counterparts" in sent.text:
        _respective_counterparts(text, out, sent.end, lex)
    if any(m.participant is None and m.source == "paired" for m in out):
        out = [m for m in out if m.participant is not None or m.source != "paired"]  # a pairing that failed
    return out


_NAMES_BETWEEN = re.compile(r"(?:\s*(?:,|\band\b)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*")


def _before_counterparts(text: str, pos: int, end: int, gp: GroupPatterns) -> bool:
    """Whether only more names stand between ``pos`` and ", his counterparts from A and B"."""
    if text.find("counterparts", pos, min(end, pos + 160)) < 0:
        return False
    names = _NAMES_BETWEEN.match(text, pos, end)
    return bool(gp.counterparts_from.match(text, names.end() if names else pos, end))


def _respective_counterparts(text: str, out: list[Mention], end: int, lex: Lexicon) -> None:
    """ "met Sergei Lavrov and Qin Gang, his counterparts from Russia and China": the names and the
    countries pair up in order."""
    gp = group_patterns(lex)
    for k, m in enumerate(out):
        app = gp.counterparts_from.match(text, m.name_end, end)
        if not app:
            continue
        countries = [country_of(lex, c.group(0)) for c in lex.country_re.finditer(text, *app.span("list"))]
        n = len(countries)
        chain = out[k - n + 1 : k + 1] if n >= 2 and k - n + 1 >= 0 else []
        joined = all(_PAIR_SEP.fullmatch(text, a.name_end, b.name_start) for a, b in pairwise(chain))
        if not chain or not joined or None in countries:
            continue
        for row, code in zip(chain, countries, strict=True):
            row.participant, row.title, row.source, row.counterpart = code, "counterpart", "paired", True
        m.end = max(m.end, app.end())


def _known_key(name: str) -> str:
    from etl.extract.lexicon import name_key

    return name_key(name)


def _single_ok(text: str, span: tuple[int, int] | None, n_start: int, lex: Lexicon) -> bool:
    """A one-word name needs a title core (or honorific) right before it: "President Putin"."""
    if span is None:
        return False
    words = text[span[0] : n_start].split()
    if not words:
        return False
    last = _base(words[-1])
    if bool(lex.title_core_re.fullmatch(last)) or last in lex.honorifics or words[-1].startswith("("):
        return True
    # "President of Kazakhstan Nazarbayev": a title that ends in "of" and its country
    before = text[span[0] : n_start].rstrip()
    tail = _OF_COUNTRY_END.search(before)
    return (
        tail is not None
        and bool(lex.country_re.fullmatch(tail.group("c")))
        and bool(lex.title_core_re.search(before, 0, tail.start()))
    )


def _singular(title: str) -> str:
    words = title.split()
    if not words:
        return title
    fixes = {"heads": "head", "delegations": "delegation", "secretaries": "secretary", "deputies": "deputy",
             "chiefs": "chief", "chairmen": "chairman", "states": "state"}  # fmt: skip
    # the head noun is the last word before the first "of": "chiefs of the general staff of the armed forces"
    last = next((i - 1 for i, w in enumerate(words) if w.lower() == "of" and i > 0), len(words) - 1)
    for i, w in enumerate(words[: last + 1]):
        low = w.lower()
        if low in fixes:
            words[i] = fixes[low] if w.islower() else fixes[low].capitalize()
        elif i == last and low.endswith("ies") and len(low) > 4:
            words[i] = w[:-3] + "y"
        elif i == last and low.endswith("s") and not low.endswith("ss"):
            words[i] = w[:-1]
    return " ".join(words)


def _trim_title_words(title: str, lex: Lexicon) -> tuple[str, int]:
    """The title without leading words that cannot start one, and the offset where it now starts."""
    words = list(_NON_SPACE.finditer(title))
    vocab = lex.title_vocab - {"of", "the", "and", "for", "-", "&"}
    while words and not (
        {
            _base(words[0].group()),
            _IES.sub("y", _base(words[0].group())),
            _base(words[0].group()).rstrip("s"),
        }
        & vocab
    ):
        words.pop(0)
    if not words:
        return "", len(title)
    return title[words[0].start() :], words[0].start()


class GroupPatterns:
    """Compiled patterns for unnamed delegates (built once per lexicon)."""

    def __init__(self, lex: Lexicon):
        c = lex.country_re.pattern.replace("(?P<c>", "(?:")
        ci = rf"(?:the\s+)?{c}"  # "the Republic of India, the Kyrgyz Republic and the Russian Federation"
        clist = rf"{c}(?:\s*,\s*{ci})*(?:\s*,?\s*(?:and|as\s+well\s+as)\s+{ci})?"
        self.plural_word = gated(rf"\b{_PLURAL}\b", re.IGNORECASE)
        self.plural_tail = re.compile(
            rf"(?:\s+(?:of|from)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:ministries|agencies|departments|delegations|services|"
            rf"authorities|bodies|offices|structures|staffs?|forces|armies|committees|councils|missions|embassies)"
            # "departments for disaster prevention and relief from Kazakhstan, ..."
            rf"(?:\s+(?:for|on|in\s+charge\s+of|responsible\s+for)\s+(?:[\w'’-]+\s+){{0,5}}?[\w'’-]+)?){{0,2}}"
            rf"\s+(?:of|from)\s+(?:the\s+)?(?:{_STATUS})?(?P<list>{clist})",
            re.IGNORECASE,
        )
        self._clist, self._c = clist, c  # the rarer patterns below are compiled when first needed
        # a military rank anywhere in a sentence ("Belarus's Lieutenant General Viktor Khrenin")
        self.rank_word = gated(lex.rank_re.pattern.replace(r"\s*$", r"\b"), re.IGNORECASE)
        self.title_before = re.compile(r"(?:[\w'’-]+\s+){0,3}$")  # what title_words_start() computes
        self.demonym_before = re.compile(
            rf"(?P<list>{c}(?:\s*,\s*{c})*\s*,?\s*and\s+{c})\s+(?:[\w-]+\s+){{0,2}}$", re.IGNORECASE
        )
        self.status_word = gated(
            r"\b(?:member|observer|guest|partner|invited)\s+(?:states?|countries|nations)\b", re.IGNORECASE
        )
        self.status_list = gated(rf"{_STATUS}(?P<list>{clist})", re.IGNORECASE)
        self.singular_core = lex.title_core_re
        by = (
            r"(?:\b(?:represented|led|headed)\s+by\s+(?:its\s+|their\s+|the\s+)?|\b(?:sent|dispatched|fielded)\s+"
            r"(?:its|their)\s+)(?:(?-i:[A-Z])[\w&'’-]*\s+(?:and\s+|&\s+)?){0,4}$"  # "... by Petroleum Minister X"
        )
        self.represented = gated(rf"{lex.country_re.pattern}[^.;]{{0,70}}?{by}", re.IGNORECASE)
        self.represented_by = gated(by, re.IGNORECASE, anchors=False)  # its end, which must match: a quick check
        self.right = re.compile(
            r"(?:\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*|\([^()]*\))(?:\s+(?:of\s+|and\s+)?(?:the\s+)?"
            r"(?:[A-Z][\w'’-]*|\([^()]*\)))*)*"
        )

    @cached_property
    def org_list_tail(self) -> re.Pattern:
        """ "representatives of the Ministry of Education of the Republic of India, Ministry of Science,
        Research and Technology of the Islamic Republic of Iran, ...": a list of bodies, each of a state."""
        c = self._c
        cap = r"(?-i:[A-Z])[\w'’-]*"
        body = rf"(?:the\s+)?{cap}(?:(?:\s*,\s*|\s+(?:and|of|for|on)\s+|\s+){cap}){{0,10}}?\s+of\s+"
        item = rf"(?:the\s+)?(?:{body})?(?:the\s+)?{c}"
        return re.compile(
            rf"\s+(?:of|from)\s+(?P<list>{item}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){item})+)", re.IGNORECASE
        )

    def _list_after(self, before: str, after: str = "") -> re.Pattern:
        """A pattern of ``before``, then a list of countries (group ``list``), then ``after``."""
        return re.compile(rf"{before}(?P<list>{self._clist}){after}", re.IGNORECASE)

    @cached_property
    def plural_dash_tail(self) -> re.Pattern:
        """ "the heads of six states – China, Russia, ... –": the states listed after a dash or colon."""
        return self._list_after(
            r"\s+(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:states|countries|nations)"
            r"(?:\s+of\s+the\s+(?:SCO|Shanghai\s+Cooperation\s+Organi[sz]ation)(?:\s*\(SCO\))?)?\s*(?:[–—:]|-{1,2}|,)\s*"
            r"(?:namely\s+|including\s+)?"
        )

    @cached_property
    def in_which(self) -> re.Pattern:
        """ "the first meeting in which Pakistan and India participated": states said to take part."""
        return self._list_after(
            r"\b(?:in|at)\s+which\s+(?:the\s+)?",
            r"\s+(?:have\s+|had\s+|also\s+)?(?:participated|took\s+part|were\s+represented)\b",
        )

    @cached_property
    def counterparts_from(self) -> re.Pattern:
        """ ", his counterparts from Russia and China" after a list of names."""
        return self._list_after(r"\s*,\s*(?:his|her|their)\s+(?:[\w-]+\s+)?counterparts\s+(?:from|of)\s+(?:the\s+)?")

    @cached_property
    def attended_by(self) -> re.Pattern:
        """ "attended by China, Russia and India", "with the participation of ..." (ATTENDED_CUE first)."""
        return self._list_after(
            r"\b(?:attended\s+by|with\s+the\s+participation\s+of|participated\s+by|joined\s+by)\s+(?:the\s+)?",
            r"(?!\s*['’]s?\b|\s+[A-Z])",
        )


# The words an attended_by phrase begins with: a gate looked up in the sentence's word mask first.
ATTENDED_CUE = gated(
    r"\b(?:attended\s+by|with\s+the\s+participation\s+of|participated\s+by|joined\s+by)\b", re.IGNORECASE
)


def group_patterns(lex: Lexicon) -> GroupPatterns:
    """Cached GroupPatterns for a lexicon (kept on the lexicon: asked for several times a sentence)."""
    groups = lex.groups
    if groups is None:
        groups = lex.groups = GroupPatterns(lex)
    return groups


def _list_rows(text, span, title, title_start, idx, lex, guest, excluded, taken) -> list[Mention]:
    rows = []
    for c in lex.country_re.finditer(text, *span):
        if not is_capitalised(c.group(0)):
            continue
        code = country_of(lex, c.group(0))
        if code and not any(s <= c.start() < e for s, e in taken):
            rows.append(
                Mention(
                    code,
                    None,
                    title or None,
                    min(title_start, c.start()),
                    c.end(),
                    idx,
                    "list",
                    plural=True,
                    guest=guest,
                    excluded=excluded,
                )
            )
    return rows


def _inside(pos: int, taken: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies in one of the spans (a plain loop: quicker than any() over a generator)."""
    for s, e in taken:  # noqa: SIM110
        if s <= pos < e:
            return True
    return False


def _overlaps(a: int, b: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in taken)


def title_words_start(text: str, start: int, end: int) -> int:
    r"""Where ``(?:[\w'’-]+\s+){0,3}$`` first matches in text[start:end] (GroupPatterns.title_before):
    the start of the furthest of the last three "word, then white space" units that end at ``end``,
    read backwards instead of trying every position."""
    best = end - 1 if end > start and text[end - 1] == "\n" else end  # no unit: "$" (before a final newline)
    j = end
    for _ in range(3):
        k = j
        while k > start and text[k - 1].isspace():
            k -= 1
        if k == j:
            break
        w = k
        while w > start and (text[w - 1].isalnum() or text[w - 1] in "_'’-"):
            w -= 1
        if w == k:
            break
        best = j = w
    return best


def _plural_groups(text, sent, idx, lex, taken, cues, mask=-1) -> list[Mention]:
    """ "diplomatic envoys of Kazakhstan, Kyrgyzstan and Russia", "the Kazakh and Kyrgyz ministers"."""
    gp = group_patterns(lex)
    ctx_pos, rep_pos = cues
    out: list[Mention] = []
    for pw in gp.plural_word.folded_in(mask, text, sent.start, sent.end):  # only the offsets are used
        # every plural_tail match begins with " of " or " from ": a quick look first
        tail = None
        if _OF_FROM.match(text, pw.end(), sent.end):
            tail = (
                gp.plural_tail.match(text, pw.end(), sent.end)
                or gp.plural_dash_tail.match(text, pw.end(), sent.end)
                or (_BODY_NEXT.match(text, pw.end(), sent.end) and gp.org_list_tail.match(text, pw.end(), sent.end))
            )
        if tail:
            t_start = title_words_start(text, max(sent.start, pw.start() - 60), pw.start())
            trimmed, shift = _trim_title_words(text[t_start : tail.start("list")], lex)
            title = _singular(_STATUS_TAIL.sub("", trimmed))
            status = (tail.groupdict().get("status") or "").lower()
            span = tail.span("list")
            first = t_start + shift
        else:
            if " and " not in text[max(sent.start, pw.start() - 150) : pw.start()]:
                continue
            dem = gp.demonym_before.search(text, max(sent.start, pw.start() - 150), pw.start())
            if not dem:
                continue
            title = _singular(_trim_title_words(text[dem.end("list") : pw.end()], lex)[0])
            status, span, first = "", dem.span("list"), dem.start("list")
        if _overlaps(min(first, span[0]), span[1], taken):
            continue
        guest = "guest" in status or "invited" in status
        excluded = first >= ctx_pos or span[1] <= rep_pos
        rows = _list_rows(text, span, title, first, idx, lex, guest, excluded, taken)
        names = _paired_names(text, span[1], sent.end, len(rows), lex) if len(rows) > 1 else None
        if names:  # "the foreign ministers of Pakistan and Belarus – Dar and Aleynik (respectively)"
            for row, (a, b) in zip(rows, names, strict=True):
                row.name, row.name_start, row.name_end, row.source = text[a:b], a, b, "paired"
                row.plural = False
            span = (span[0], names[-1][1])
        out.extend(rows)
        if rows:
            taken.append((min(first, span[0]), span[1]))
    return out


_PAIR_LEAD = re.compile(r"\s*(?:[–—:]|-{1,2}|,)\s*")
_PAIR_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def _paired_names(text: str, pos: int, end: int, count: int, lex: Lexicon) -> list[tuple[int, int]] | None:
    """Names right after a list of countries, one for each, in order: "of Pakistan and Belarus – Dar
    and Aleynik", "of India and China, Jaishankar and Wang Yi, respectively". None unless exactly
    ``count`` names follow, joined by commas and "and"."""
    lead = _PAIR_LEAD.match(text, pos, end)
    if not lead:
        return None
    cands = name_candidates(text, lead.end(), min(end, lead.end() + 60 * count), lex)
    names, at = [], lead.end()
    for a, b in cands:
        if a != at:
            break
        names.append((a, b))
        if len(names) == count:
            break
        sep = _PAIR_SEP.match(text, b, end)
        if not sep:
            break
        at = sep.end()
    if len(names) != count:
        return None
    return names


def groups_in(
    text: str,
    sent: Sentence,
    idx: int,
    lex: Lexicon,
    taken: list[tuple[int, int]],
    cues: tuple[int, int] | None = None,
    mask: int = -1,
    cores: list[re.Match] | None = None,
) -> list[Mention]:
    """Unnamed delegates of one sentence: plural lists by country and singular titled phrases (``mask``:
    the sentence's WordIndex mask; ``cores``: its title-core matches, when known; only their offsets are
    used)."""
    gp = group_patterns(lex)
    cues = cues or context_positions(sent, text, lex, mask)
    out = _plural_groups(text, sent, idx, lex, taken, cues, mask)
    for sw in gp.status_word.folded_in(mask, text, sent.start, sent.end):  # only the offsets are used
        m = gp.status_list.search_in(mask, text, max(sent.start, sw.start() - 9), min(sent.end, sw.end() + 400))
        if not m or _overlaps(m.start(), m.end(), taken):
            continue
        status = m.group("status").lower()
        guest = "guest" in status or "invited" in status
        rows = _list_rows(text, m.span("list"), None, m.start("status"), idx, lex, guest, m.start() >= cues[0], taken)
        out.extend(rows)
        if rows:
            taken.append((m.start(), m.end()))
    said = []  # lists of states said to take part: "attended by ...", "in which ... participated"
    if ATTENDED_CUE.first_in(mask, text, sent.start, sent.end):
        said += gp.attended_by.finditer(text, sent.start, sent.end)
    if text.find("which", sent.start, sent.end) >= 0:
        said += gp.in_which.finditer(text, sent.start, sent.end)
    for m in said:
        if _overlaps(m.start("list"), m.end("list"), taken):
            continue
        rows = _list_rows(text, m.span("list"), None, m.start("list"), idx, lex, False, m.start() >= cues[0], taken)
        out.extend(rows)
        if rows:
            taken.append(m.span("list"))
    out.extend(_singular_unnamed(text, sent, idx, lex, taken, cues[0], mask, cores))
    if ("Secretariat" in sent.text or "RATS" in sent.text or "Structure" in sent.text) and _TAKING_PART.search(
        sent.text
    ):
        out.extend(_unnamed_bodies(text, sent, idx, taken, cues[0], out))
    return out


_SCO = r"(?:SCO|Shanghai\s+Cooperation\s+Organi[sz]ation)"
# The SCO's permanent bodies named as taking part: "..., and the SCO Secretariat participated in this meeting"
_BODY = re.compile(
    rf"(?:(?<=,\s)|(?<=\band\s)|(?<=\bas\s\bwell\sas\s)|(?<=\bby\s)|(?<=^))(?:the\s+)?"
    rf"(?:(?P<sec>{_SCO}\s+Secretariat|Secretariat\s+of\s+the\s+{_SCO})|(?P<rats>(?:Executive\s+Committee\s+of\s+"
    rf"the\s+)?(?:{_SCO}\s+)?(?:Regional\s+(?:Anti|Counter)[- ]?Terror(?:ist|ism)\s+Structure|RATS)"
    rf"(?:\s+of\s+the\s+{_SCO})?(?:\s*\(RATS\))?))"
)
_TAKING_PART = re.compile(
    r"\b(?:participated|attended|took\s+part|taking\s+part|were\s+(?:also\s+)?present|joined|participants\s+(?:included|were))\b",
    re.I,
)


def _unnamed_bodies(text, sent, idx, taken, ctx_pos, out) -> list[Mention]:
    """The SCO Secretariat and RATS listed among the participants, without a person named."""
    have = {m.participant for m in out}
    rows = []
    for m in _BODY.finditer(text, sent.start, sent.end):
        code = "SCO-SEC" if m.group("sec") else "SCO-RATS"
        if code in have or _overlaps(m.start(), m.end(), taken):
            continue
        have.add(code)
        rows.append(
            Mention(code, None, None, m.start(), m.end(), idx, "list", plural=True, excluded=m.start() >= ctx_pos)
        )
        taken.append((m.start(), m.end()))
    return rows


_VERB_AFTER = re.compile(r"\s+(?:for|to|towards?|back|home|out|off|into)\b")


def _singular_unnamed(text, sent, idx, lex, taken, ctx_pos, mask=-1, cores=None) -> list[Mention]:
    gp = group_patterns(lex)
    out = []
    if cores is None:
        cores = gp.singular_core.finditer_in(mask, text, sent.start, sent.end)
    for m in cores:
        if text[m.start() : m.end()].lower().endswith("s") or _inside(m.start(), taken):
            continue
        if _VERB_AFTER.match(text, m.end(), sent.end) and text[m.start() : m.end()].lower() == "head":
            continue  # "soldiers of the PLA head for their training": the verb
        span = left_title(text, sent.start, m.end(), lex)
        if span is None:
            continue
        right = gp.right.match(text, m.end(), sent.end)
        end = right.end() if right else m.end()
        before = text[max(sent.start, span[0] - 12) : span[0]].lower().split()
        raw = text[span[0] : end]
        starts_det = bool(before) and before[-1] in _DETERMINER
        info = parse_title(raw, lex)
        if not info.has_core or info.excluded:
            continue
        has_pre = bool(lex.country_re.match(raw)) or starts_det
        if not has_pre:
            continue
        participant = info.org or info.country
        if participant is None:
            continue
        nxt = _NEXT_CAPITAL.match(text, end, sent.end)
        names_after = name_candidates(text, end, min(sent.end, nxt.end() + 40), lex) if nxt else None
        if names_after:
            first = names_after[0]
            if first[0] - end <= 3:
                continue
        start = span[0]
        if starts_det:
            det = text.rfind(before[-1], max(sent.start, span[0] - 12), span[0])
            start = det if det >= 0 else start
        out.append(
            Mention(
                participant,
                None,
                info.title,
                start,
                end,
                idx,
                "unnamed",
                excluded=start >= ctx_pos,
                guest=bool(_GUEST.search(raw)),
                counterpart=info.counterpart,
            )
        )
        taken.append((start, end))
    return out
