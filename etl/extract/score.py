"""Score the extractor against hand-made expectations: precision, recall and F1 per field.

A case is NAME.txt (a press release with optional front matter) beside NAME.expected.yaml:

    meetings:
      - series: foreign_ministers
        date_start: 2024-05-21
        city: Astana
        host_country: KAZ
        delegations:
          - {participant: KAZ, name: Murat Nurtleu}
          - {participant: IND, name: null}
    not_participants: [UKR]        # countries named only as context
    not_persons: [Ebrahim Raisi]   # people named who did not take part

Expected and extracted meetings are paired greedily (series, date, then shared
participants). Fields: countries (participant codes per meeting), persons (name and
country), date_start, city, host_country, series. ``context_errors`` counts context
countries or people that came out as attendees (the aim is none).

    python -m etl.extract.score DIR [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

FIELDS = ("countries", "persons", "date_start", "city", "host_country", "series")


def name_key(name: str) -> str:
    """Lower-case ASCII name with punctuation as spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[.\-'’]", " ", text).split())


def same_name(a: str, b: str) -> bool:
    """Two spellings of one person's name (Shoigu/Shoygu, S. Jaishankar/Subrahmanyam Jaishankar)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    return ka == kb or fuzz.token_sort_ratio(ka, kb) >= 85 or ka.split()[-1] == kb.split()[-1]


def as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def participants(meeting_rows: list[dict]) -> set[str]:
    return {row["participant"] for row in meeting_rows}


def pair_meetings(expected: list[dict], got: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Greedy pairing of expected and extracted meetings by series, date and shared participants."""
    pairs, free = [], list(range(len(got)))
    for exp in expected:
        best, best_score = None, 0.0
        exp_p = participants(exp.get("delegations") or [])
        for i in free:
            g = got[i]["meeting"]
            got_p = participants(got[i]["delegations"])
            shared = len(exp_p & got_p) / max(1, len(exp_p | got_p))
            score = (
                2 * (g["series"] == exp.get("series"))
                + (g["date_start"] == as_date(exp.get("date_start")))
                + 3 * shared
            )
            if score > best_score:
                best, best_score = i, score
        if best is None:
            pairs.append((exp, None))
        else:
            free.remove(best)
            pairs.append((exp, got[best]))
    pairs.extend((None, got[i]) for i in free)
    return pairs


def count_persons(exp_rows: list[dict], got_rows: list[dict]) -> tuple[int, int, int]:
    """(tp, fp, fn) of named delegates, matched on country and name."""
    exp_named = [(r["participant"], r["name"]) for r in exp_rows if r.get("name")]
    got_named = [(r["participant"], r["name"]) for r in got_rows if r.get("name")]
    tp, used = 0, set()
    for p, n in exp_named:
        for j, (gp, gn) in enumerate(got_named):
            if j not in used and gp == p and same_name(n, gn):
                tp, _ = tp + 1, used.add(j)
                break
    return tp, len(got_named) - tp, len(exp_named) - tp


@lru_cache(maxsize=1)
def _city_aliases() -> dict[str, str]:
    from etl.reference import load_reference

    return load_reference().city_aliases


def canonical_city(name: str | None) -> str | None:
    """The gazetteer's name for a city written any of the ways it lists; other names as written."""
    if name is None:
        return None
    return _city_aliases().get(" ".join(name.casefold().split()), name)


def score_case(expected: dict, got: list[dict]) -> dict[str, list[int]]:
    """[tp, fp, fn] per field for one case."""
    counts = {f: [0, 0, 0] for f in FIELDS}
    for exp, g in pair_meetings(expected.get("meetings") or [], got):
        exp_rows = (exp.get("delegations") or []) if exp else []
        got_rows = g["delegations"] if g else []
        ep, gp = participants(exp_rows), participants(got_rows)
        c = counts["countries"]
        c[0], c[1], c[2] = c[0] + len(ep & gp), c[1] + len(gp - ep), c[2] + len(ep - gp)
        for i, v in enumerate(count_persons(exp_rows, got_rows)):
            counts["persons"][i] += v
        for f in ("date_start", "city", "host_country", "series"):
            if exp and f not in exp:  # not annotated: not scored
                continue
            e = (as_date(exp.get(f)) if f == "date_start" else exp.get(f)) if exp else None
            v = g["meeting"][f] if g else None
            if f == "city":  # one city however it is spelt ("St. Petersburg", "Saint Petersburg")
                e, v = canonical_city(e), canonical_city(v)
            if e is not None and v == e:
                counts[f][0] += 1
            else:
                counts[f][1] += v is not None
                counts[f][2] += e is not None
    return counts


def context_errors(expected: dict, got: list[dict]) -> list[str]:
    """Context countries or people (not_participants, not_persons) that came out as attendees."""
    attending = {row["participant"] for m in got for row in m["delegations"]}
    names = [row["name"] for m in got for row in m["delegations"] if row["name"]]
    errors = [f"country {c}" for c in sorted(set(expected.get("not_participants") or []) & attending)]
    errors += [
        f"person {p}" for p in expected.get("not_persons") or [] if any(name_key(p) == name_key(n) for n in names)
    ]
    return errors


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (1.0 when there is nothing to find)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    """Summed counts over cases, per-case counts and context errors."""

    totals: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0, 0] for f in FIELDS})
    cases: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    context: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, expected: dict, got: list[dict]) -> None:
        counts = score_case(expected, got)
        self.cases[name] = counts
        for f, (tp, fp, fn) in counts.items():
            t = self.totals[f]
            t[0], t[1], t[2] = t[0] + tp, t[1] + fp, t[2] + fn
        errors = context_errors(expected, got)
        if errors:
            self.context[name] = errors

    def table(self) -> str:
        lines = [f"{'field':<13}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
        for f in FIELDS:
            p, r, f1 = prf(*self.totals[f])
            t = self.totals[f]
            lines.append(f"{f:<13}{p:7.3f}{r:7.3f}{f1:7.3f}{t[0]:6d}{t[1]:5d}{t[2]:5d}")
        lines.append(f"context attendees invented: {sum(len(v) for v in self.context.values())}")
        return "\n".join(lines)


def load_expected(path: Path) -> dict:
    return yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8")) or {}


def _brief(meeting: dict) -> str:
    m = meeting["meeting"]
    rows = ", ".join(f"{r['participant']}:{r['name'] or '-'}" for r in meeting["delegations"])
    return f"{m['series']} {m['date_start']} {m['city']} [{rows}]"


def score_dir(folder: Path, ref=None, verbose: bool = False, out=sys.stdout) -> Report:
    """Extract every NAME.txt under ``folder`` that has an expectation and score it."""
    from etl.extract import extract_release
    from etl.reference import load_reference
    from etl.sources.press import read_press_file

    ref = ref or load_reference()
    report = Report()
    for path in sorted(folder.glob("*.txt")):
        if not path.with_suffix(".expected.yaml").exists():
            continue
        release, expected = read_press_file(path), load_expected(path)
        got = extract_release(release.text, release.published, release.meta.get("url"), ref)
        report.add(path.stem, expected, got)
        if verbose:
            c = report.cases[path.stem]
            bad = {f: v for f, v in c.items() if v[1] or v[2]}
            if bad or path.stem in report.context:
                print(f"\n== {path.stem}: {bad} {report.context.get(path.stem, '')}", file=out)
                for exp, g in pair_meetings(expected.get("meetings") or [], got):
                    exp_rows = ", ".join(
                        f"{r['participant']}:{r.get('name') or '-'}" for r in (exp or {}).get("delegations") or []
                    )
                    if exp:
                        print(
                            f"  expected {exp.get('series')} {exp.get('date_start')} {exp.get('city')} [{exp_rows}]",
                            file=out,
                        )
                    print(f"  got      {_brief(g) if g else None}", file=out)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.extract.score", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="folder of NAME.txt + NAME.expected.yaml cases")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the cases with errors")
    args = parser.parse_args(argv)
    report = score_dir(args.folder, verbose=args.verbose)
    print(f"\nextractor scores over {len(report.cases)} cases in {args.folder}\n{report.table()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
