"""Synthetic corpora for benchmarks and scale tests: curated records, a user CSV and press releases.

Everything is generated from the reference data with a seeded random generator, so the
same seed gives the same files. People are invented (syllable names); urls point at
example.org. The wording of the releases is the project's own, in a few house styles.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from etl.reference import load_reference

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MEMBERS = ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"]
OBSERVERS = ["MNG", "AFG"]
GUESTS = ["TKM", "TUR", "AZE", "ARM", "LKA", "NPL", "KHM", "EGY", "QAT", "SAU"]
SERIES = [
    ("heads_of_state", "President", "summit of the SCO Council of Heads of State", 0.1),
    ("heads_of_government", "Prime Minister", "meeting of the SCO Council of Heads of Government", 0.1),
    ("foreign_ministers", "Foreign Minister", "meeting of the SCO Council of Foreign Ministers", 0.3),
    ("defence_ministers", "Defence Minister", "meeting of SCO defence ministers", 0.25),
    ("security_council_secretaries", "Secretary of the Security Council", "meeting of SCO security council secretaries", 0.25),
]  # fmt: skip
SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mu",
    "sa",
    "len",
    "dor",
    "bek",
    "an",
    "vi",
    "zu",
    "ol",
    "mar",
    "tem",
    "ir",
    "nur",
    "go",
    "shi",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
CSV_HEADER = ["series", "title", "date_start", "date_end", "host_country", "city", "participant", "name",
              "person_title", "role", "source_url", "source_publisher", "source_published"]  # fmt: skip


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    return f"{word()} {word()}"


def _meetings(n: int, rng: random.Random, ref) -> list[dict]:
    cities_by_country: dict[str, list[str]] = {}
    for city in ref.cities.values():
        cities_by_country.setdefault(city.iso3, []).append(city.name)
    hosts = [c for c in MEMBERS if c in cities_by_country]
    people = {(c, s[0]): _name(rng) for c in MEMBERS + OBSERVERS + GUESTS for s in SERIES}
    weights = [s[3] for s in SERIES]
    out, used = [], set()
    start = date(2002, 1, 1)
    while len(out) < n:
        series, title, label, _ = rng.choices(SERIES, weights)[0]
        host = rng.choice(hosts)
        day = start + timedelta(days=rng.randrange(0, 365 * 24))
        if (series, day, host) in used:
            continue
        used.add((series, day, host))
        if rng.random() < 0.05:  # leaders change now and then
            people[(rng.choice(MEMBERS), series)] = _name(rng)
        attendees = MEMBERS[:6] + [c for c in MEMBERS[6:] if rng.random() < 0.8]
        attendees += [c for c in OBSERVERS + GUESTS if rng.random() < 0.1]
        delegations = [
            {"participant": c, "name": people[(c, series)], "title": title,
             "role": "host" if c == host else "head_of_delegation"}
            for c in attendees
        ]  # fmt: skip
        out.append({
            "series": series, "label": label, "host": host, "city": rng.choice(cities_by_country[host]),
            "date_start": day, "date_end": day + timedelta(days=1) if rng.random() < 0.3 else None,
            "delegations": delegations,
        })  # fmt: skip
    return out


def _release(m: dict, ref, i: int, rng: random.Random) -> str:
    day = m["date_start"]
    when = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    names = {code: ref.countries[code].name for code in ref.countries}
    lines = [
        f"{m['city'].upper()}, {MONTHS[day.month - 1][:3]}. {day.day} -- A {m['label']} took place in {m['city']} "
        f"on {when}, with {names[m['host']]} as host.",
        "",
    ]
    for d in m["delegations"]:
        lines.append(f"{names[d['participant']]} was represented by {d['title']} {d['name']}.")
    lines.append("")
    lines.append("The participants reviewed cooperation within the organisation and agreed to meet again next year.")
    front = {"url": f"https://example.org/synthetic/release-{i:06d}", "publisher": "Synthetic Wire",
             "published": day.isoformat(), "title": f"{m['label'].capitalize()} in {m['city']}"}  # fmt: skip
    return "---\n" + yaml.dump(front, Dumper=_DUMPER, sort_keys=True) + "---\n" + "\n".join(lines) + "\n"


def write_synthetic(out: Path | str, meetings: int = 1000, releases: int = 0, seed: int = 0,
                    fmt: str = "yaml") -> dict[str, int]:  # fmt: skip
    """Write ``meetings`` meetings (YAML records or one CSV) and ``releases`` press releases under ``out``."""
    rng = random.Random(seed)
    ref = load_reference()
    out = Path(out)
    rows = _meetings(meetings, rng, ref)
    n_delegations = sum(len(m["delegations"]) for m in rows)
    if fmt == "csv":
        (out / "csv").mkdir(parents=True, exist_ok=True)
        with open(out / "csv" / "synthetic.csv", "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_HEADER)
            for i, m in enumerate(rows):
                url = f"https://example.org/synthetic/meeting-{i:07d}"
                for d in m["delegations"]:
                    writer.writerow([m["series"], f"Synthetic {m['label']}", m["date_start"].isoformat(),
                                     m["date_end"].isoformat() if m["date_end"] else "", m["host"], m["city"],
                                     d["participant"], d["name"], d["title"], d["role"], url, "Synthetic Wire",
                                     m["date_start"].isoformat()])  # fmt: skip
    else:
        (out / "records").mkdir(parents=True, exist_ok=True)
        for i, m in enumerate(rows):
            record = {
                "meeting": {"series": m["series"], "title": f"Synthetic {m['label']}",
                            "date_start": m["date_start"].isoformat(),
                            "date_end": m["date_end"].isoformat() if m["date_end"] else None,
                            "host_country": m["host"], "city": m["city"]},
                "sources": [{"key": "s", "url": f"https://example.org/synthetic/meeting-{i:07d}",
                             "publisher": "Synthetic Wire"}],
                "delegations": [dict(d, source="s") for d in m["delegations"]],
            }  # fmt: skip
            (out / "records" / f"synthetic-{i:07d}.yaml").write_text(yaml.dump(record, Dumper=_DUMPER, sort_keys=False))
    if releases:
        (out / "press").mkdir(parents=True, exist_ok=True)
        for i in range(releases):
            m = rows[i % len(rows)]
            (out / "press" / f"release-{i:06d}.txt").write_text(_release(m, ref, i, rng))
    return {"meetings": len(rows), "delegation_rows": n_delegations, "releases": releases}
