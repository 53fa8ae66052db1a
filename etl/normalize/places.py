"""City names -> gazetteer entries (canonical name, country, coordinates)."""

from __future__ import annotations

from etl.reference import City, Reference


def find_city(name: str | None, ref: Reference) -> City | None:
    """The gazetteer entry for a city name or alias (case-insensitive); None if not listed."""
    if not name:
        return None
    key = " ".join(str(name).split()).strip(" .,").casefold()
    canonical = ref.city_aliases.get(key)
    return ref.cities[canonical] if canonical else None
