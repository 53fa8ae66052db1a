"""Person names -> person_id, matching spelling variants (Shoigu/Shoygu) with rapidfuzz."""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz, process

from etl.normalize.ids import person_id
from etl.reference import Reference

MATCH_CUTOFF = 85  # token_sort_ratio; Rahmon/Rakhmonov and Aleynik/Aleinik score above it


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("-", " ").replace(".", " ").split())


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

    def resolve(self, name: str, country: str | None) -> str:
        """The person_id for ``name`` of ``country``; registers a new person when no match."""
        key = _key(name)
        candidates = self._names.get(country or "", [])
        exact = [pid for k, pid in candidates if k == key]
        if exact:
            pid = exact[0]
        else:
            match = process.extractOne(
                key, [k for k, _ in candidates], scorer=fuzz.token_sort_ratio, score_cutoff=MATCH_CUTOFF
            )
            if match:
                pid = candidates[match[2]][1]
            else:
                pid = person_id(name, country)
                if pid not in self.canonical:
                    self.canonical[pid] = (name, country or "")
                    self.aliases[pid] = set()
                self._names.setdefault(country or "", []).append((key, pid))
                return pid
        if name != self.canonical[pid][0]:
            self.aliases[pid].add(name)
        return pid
