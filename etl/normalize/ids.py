"""Stable, deterministic identifiers: meetings, persons, sources."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

SERIES_CODES = {
    "heads_of_state": "chs",
    "heads_of_government": "chg",
    "foreign_ministers": "cfm",
    "defence_ministers": "cdm",
    "security_council_secretaries": "scs",
    "ministerial_other": "min",
    "expert_group": "exp",
    "bilateral_sideline": "bil",
    "courtesy_call": "cc",
    "military_exercise": "mex",
    "other": "oth",
}
# Series that meet at most once a day in one host country: their id needs no title hash.
COUNCIL_SERIES = frozenset(
    {"heads_of_state", "heads_of_government", "foreign_ministers", "defence_ministers", "security_council_secretaries"}
)


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated slug."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def meeting_id(series: str, date_start: date, host_country: str | None, title: str = "") -> str:
    """`<code>-<date_start>-<host>`, plus a title hash for series that can repeat on a day."""
    host = (host_country or "xxx").lower()
    base = f"{SERIES_CODES[series]}-{date_start.isoformat()}-{host}"
    if series in COUNCIL_SERIES:
        return base
    digest = hashlib.sha1(" ".join(title.lower().split()).encode()).hexdigest()[:6]
    return f"{base}-{digest}"


def person_id(name: str, country: str | None) -> str:
    """`<country>-<name slug>` for a person not in the persons reference."""
    return f"{(country or 'xxx').lower()}-{slugify(name)}"


def source_id(url: str | None, sha256: str | None = None) -> str:
    """`src-` and 12 hex digits of the url's (or the stored text's) SHA-256."""
    key = url or sha256 or ""
    return "src-" + hashlib.sha256(key.encode()).hexdigest()[:12]
