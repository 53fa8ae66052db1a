"""Country names, demonyms, possessives and misspellings -> ISO 3166 alpha-3."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz, process

from etl.reference import Reference

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


@lru_cache(maxsize=512)
def iso3_exists(code: str) -> bool:
    """True when ``code`` is an ISO 3166-1 alpha-3 code."""
    return bool(code) and len(code) == 3 and pycountry.countries.get(alpha_3=code.upper()) is not None


def _clean(name: str) -> str:
    text = " ".join(str(name).replace("\u00a0", " ").split())
    text = _ARTICLE.sub("", text)
    return _POSSESSIVE.sub("", text).strip(" .,;:").casefold()


def country_code(name: str | None, ref: Reference, fuzzy: bool = True) -> str | None:
    """ISO3 code for a country name, demonym, possessive or ISO code; None if unknown."""
    if name is None:
        return None
    raw = str(name).strip()
    if len(raw) == 3 and raw.isupper() and iso3_exists(raw):
        return raw
    key = _clean(raw)
    if not key:
        return None
    if key in ref.country_aliases:
        return ref.country_aliases[key]
    try:
        return pycountry.countries.lookup(key).alpha_3
    except LookupError:
        pass
    if fuzzy and len(key) >= 5:
        match = process.extractOne(key, ref.country_aliases.keys(), scorer=fuzz.ratio, score_cutoff=88)
        if match:
            return ref.country_aliases[match[0]]
    return None


def organisation_code(name: str | None, ref: Reference) -> str | None:
    """Organisation code (SCO-SEC, SCO-RATS, UN, ...) for a code or a name; None if unknown."""
    if name is None:
        return None
    raw = str(name).strip()
    if raw in ref.organisations:
        return raw
    return ref.organisation_aliases.get(_clean(raw))


def participant_code(name: str | None, ref: Reference) -> str | None:
    """A participant is a country (ISO3) or an organisation code; None if neither."""
    return organisation_code(name, ref) or country_code(name, ref)


def country_name(code: str, ref: Reference) -> str:
    """Display name for an ISO3 or organisation code."""
    if code in ref.countries:
        return ref.countries[code].name
    if code in ref.organisations:
        return ref.organisations[code]
    record = pycountry.countries.get(alpha_3=code)
    if record is None:
        return code
    return getattr(record, "common_name", None) or record.name
