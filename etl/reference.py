"""Reference data that researchers may correct: data/reference/*.csv.

A broken reference file fails the whole build with a ReferenceDataError that names
the file and the line, because every table downstream depends on it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

LEVELS = (
    "head_of_state",
    "head_of_government",
    "deputy_head",
    "minister",
    "deputy_minister",
    "ambassador",
    "senior_official",
    "military_chief",
    "head_of_organisation",
    "other",
)


class ReferenceDataError(Exception):
    """A reference file is missing, malformed or inconsistent."""


def read_reference_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a reference CSV with their 1-based line numbers; raise on any defect."""
    if not path.exists():
        raise ReferenceDataError(f"{path}: reference file is missing")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise ReferenceDataError(f"{path}:1: header lacks column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise ReferenceDataError(f"{path}:{line}: wrong number of fields")
        for col in required:
            if col != "aliases" and col != "comment" and not row[col].strip():
                raise ReferenceDataError(f"{path}:{line}: empty value in required column '{col}'")
        rows.append((line, {k: v.strip() for k, v in row.items()}))
    return rows


def _float(path: Path, line: int, value: str, lo: float, hi: float) -> float:
    try:
        number = float(value)
    except ValueError as exc:
        raise ReferenceDataError(f"{path}:{line}: '{value}' is not a number") from exc
    if not lo <= number <= hi:
        raise ReferenceDataError(f"{path}:{line}: {number} is outside [{lo}, {hi}]")
    return number


def _aliases(value: str) -> list[str]:
    return [a.strip() for a in value.split("|") if a.strip()]


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    capital: str
    lat: float
    lon: float


@dataclass(frozen=True)
class City:
    name: str
    iso3: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    country: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class LevelRule:
    pattern: re.Pattern
    level: str


@dataclass
class Reference:
    """All reference tables, loaded and checked once."""

    countries: dict[str, Country]
    country_aliases: dict[str, str]
    organisations: dict[str, str]
    organisation_aliases: dict[str, str]
    cities: dict[str, City]
    city_aliases: dict[str, str]
    level_rules: list[LevelRule]
    persons: list[Person]
    directory: Path = field(default=REFERENCE_DIR)

    def is_participant_code(self, code: str) -> bool:
        """True for a known organisation code or any ISO 3166 alpha-3 code."""
        from etl.normalize.countries import iso3_exists

        return code in self.organisations or iso3_exists(code)


def load_reference(directory: Path | str = REFERENCE_DIR) -> Reference:
    """Load and check every reference file under ``directory``."""
    return _load_reference(Path(directory).resolve())


@lru_cache(maxsize=8)
def _load_reference(directory: Path) -> Reference:
    from etl.normalize.countries import iso3_exists

    countries: dict[str, Country] = {}
    path = directory / "countries.csv"
    for line, row in read_reference_csv(path, ("iso3", "name", "capital", "capital_lat", "capital_lon")):
        iso3 = row["iso3"].upper()
        if not iso3_exists(iso3):
            raise ReferenceDataError(f"{path}:{line}: '{row['iso3']}' is not an ISO 3166 alpha-3 code")
        countries[iso3] = Country(
            iso3,
            row["name"],
            row["capital"],
            _float(path, line, row["capital_lat"], -90, 90),
            _float(path, line, row["capital_lon"], -180, 180),
        )

    aliases: dict[str, str] = {}
    path = directory / "country_aliases.csv"
    for line, row in read_reference_csv(path, ("alias", "iso3")):
        iso3 = row["iso3"].upper()
        if not iso3_exists(iso3):
            raise ReferenceDataError(f"{path}:{line}: '{row['iso3']}' is not an ISO 3166 alpha-3 code")
        aliases[row["alias"].casefold()] = iso3

    organisations: dict[str, str] = {}
    org_aliases: dict[str, str] = {}
    path = directory / "organisations.csv"
    for line, row in read_reference_csv(path, ("code", "name", "aliases")):
        code = row["code"]
        if not re.fullmatch(r"[A-Z][A-Z0-9-]+", code) or len(code) == 3 and iso3_exists(code):
            raise ReferenceDataError(
                f"{path}:{line}: organisation code '{code}' must be upper-case and not an ISO3 code"
            )
        organisations[code] = row["name"]
        for alias in [row["name"], *_aliases(row["aliases"])]:
            org_aliases[alias.casefold()] = code

    cities: dict[str, City] = {}
    city_aliases: dict[str, str] = {}
    path = directory / "gazetteer.csv"
    for line, row in read_reference_csv(path, ("city", "iso3", "lat", "lon", "aliases")):
        iso3 = row["iso3"].upper()
        if not iso3_exists(iso3):
            raise ReferenceDataError(f"{path}:{line}: '{row['iso3']}' is not an ISO 3166 alpha-3 code")
        city = City(
            row["city"], iso3, _float(path, line, row["lat"], -90, 90), _float(path, line, row["lon"], -180, 180)
        )
        cities[city.name] = city
        for alias in [city.name, *_aliases(row["aliases"])]:
            city_aliases[alias.casefold()] = city.name

    rules: list[LevelRule] = []
    path = directory / "title_levels.csv"
    for line, row in read_reference_csv(path, ("pattern", "level")):
        if row["level"] not in LEVELS:
            raise ReferenceDataError(f"{path}:{line}: unknown level '{row['level']}' (one of {', '.join(LEVELS)})")
        try:
            pattern = re.compile(row["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise ReferenceDataError(f"{path}:{line}: bad regular expression: {exc}") from exc
        rules.append(LevelRule(pattern, row["level"]))

    persons: list[Person] = []
    seen: set[str] = set()
    path = directory / "persons.csv"
    for line, row in read_reference_csv(path, ("person_id", "name", "country", "aliases")):
        if row["person_id"] in seen:
            raise ReferenceDataError(f"{path}:{line}: duplicate person_id '{row['person_id']}'")
        seen.add(row["person_id"])
        country = row["country"].upper()
        if country not in organisations and not iso3_exists(country):
            raise ReferenceDataError(f"{path}:{line}: unknown country or organisation '{row['country']}'")
        persons.append(Person(row["person_id"], row["name"], country, tuple(_aliases(row["aliases"]))))

    return Reference(countries, aliases, organisations, org_aliases, cities, city_aliases, rules, persons, directory)
