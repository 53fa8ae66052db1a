"""Person names -> person_id, matching spelling variants (Shoigu/Shoygu) with rapidfuzz.

Order of matching, within the person's country or organisation: the exact name or a
known alias (data/reference/persons.csv); a name abbreviated to initials ("S. Lebedev")
or to a surname ("Yermekbayev") when exactly one known person fits; then the closest
spelling by token-sort ratio above MATCH_CUTOFF. Otherwise a new person is registered.
"""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz, process

from etl.normalize.ids import person_id
from etl.reference import Reference

MATCH_CUTOFF = 85  # token_sort_ratio; Rahmon/Rakhmonov and Aleynik/Aleinik score above it


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("-", " ").replace(".", ". ").replace(".", "").split())


def _abbreviation_fits(short: str, full: str) -> bool:
    """True when ``short`` ("s lebedev", "n n bordyuzha", "lebedev") abbreviates ``full`` ("sergey lebedev").

    The surname must be the same; the first initial, if any, must start the first given name
    (later initials are often patronymics that the full form leaves out).
    """
    s, f = short.split(), full.split()
    if not s or s == f or len(f) < 2 or s[-1] != f[-1]:
        return False
    initials = s[:-1]
    if any(len(t) > 1 for t in initials):
        return False
    return not initials or initials[0] == f[0][0]


class PersonMatcher:
    """Resolves names to person ids: the reference table first, then persons seen so far."""

    def __init__(self, ref: Reference):
        self._names: dict[str, list[tuple[str, str]]] = {}  # country -> [(key, person_id)]
        self._exact: dict[tuple[str, str], str] = {}  # (country, key) -> person_id
        self.canonical: dict[str, tuple[str, str]] = {}  # person_id -> (name, country)
        self.aliases: dict[str, set[str]] = {}
        for person in ref.persons:
            self.canonical[person.person_id] = (person.name, person.country)
            self.aliases[person.person_id] = set(person.aliases)
            for variant in (person.name, *person.aliases):
                self._add(person.country, _key(variant), person.person_id)

    def _add(self, country: str, key: str, pid: str) -> None:
        self._names.setdefault(country, []).append((key, pid))
        self._exact.setdefault((country, key), pid)

    def _match(self, key: str, country: str) -> str | None:
        candidates = self._names.get(country, [])
        if not candidates:
            return None
        fits = {pid for k, pid in candidates if _abbreviation_fits(key, k)}
        if len(fits) == 1:
            return fits.pop()
        match = process.extractOne(
            key, [k for k, _ in candidates], scorer=fuzz.token_sort_ratio, score_cutoff=MATCH_CUTOFF
        )
        return candidates[match[2]][1] if match else None

    def resolve(self, name: str, country: str | None) -> str:
        """The person_id for ``name`` of ``country``; registers a new person when no match."""
        key = _key(name)
        country = country or ""
        pid = self._exact.get((country, key))
        if pid is None:
            pid = self._match(key, country)
            if pid is None:
                pid = person_id(name, country)
                if pid not in self.canonical:
                    self.canonical[pid] = (name, country)
                    self.aliases[pid] = set()
            self._add(country, key, pid)
        if name != self.canonical[pid][0]:
            self.aliases[pid].add(name)
        return pid
