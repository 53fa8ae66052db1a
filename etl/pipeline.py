"""The build: read -> extract -> normalize -> validate, returning the tables and the counts.

`read_and_prepare` (reading, extraction, normalization of each record) is a pure function of
one file, so an engine can map it over files in any order or on any worker. What depends on
several files — who a named person is (matching is order-dependent), which document keeps a
meeting two files describe, parents and statuses — is done by one `Assembler` that takes the
prepared files in one fixed order (input_order), which is what makes the tables identical
across engines. The matcher is asked once per distinct (name, participant), in that order.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from etl.memberships import StatusLookup, normalize_membership, overlapping_periods
from etl.normalize.countries import country_name
from etl.normalize.persons import PersonMatcher
from etl.normalize.records import NormalizedRecord, RecordError, normalize_record, resolve_persons
from etl.reference import Reference
from etl.schema import TABLE_KEYS, columns, to_frame
from etl.sources import InputError
from etl.sources.csv_input import CSV_SUFFIXES, DELEGATION_COLUMNS, MEETING_COLUMNS, parse_csv_bytes
from etl.sources.press import PRESS_SUFFIXES, parse_press_bytes
from etl.sources.records import RECORD_SUFFIXES, parse_record_bytes

if TYPE_CHECKING:
    import pandas as pd

KIND_DIRS = {"records": RECORD_SUFFIXES, "press": PRESS_SUFFIXES, "csv": CSV_SUFFIXES}
KIND_PRIORITY = {"records": 0, "csv": 1, "press": 2}  # who wins when two inputs describe one meeting
MEMBERSHIPS_FILE = "memberships.csv"
SNIPPET_CHARS = 160


@dataclass
class InputResult:
    """What one input file yielded: meeting documents, membership rows, or rejects."""

    path: str
    kind: str
    sha256: str | None = None  # of the file's bytes; None when it cannot be read
    docs: list[tuple[str, dict, list[dict]]] = field(default_factory=list)  # (locator, doc, extra sources)
    memberships: list[tuple[str, dict]] = field(default_factory=list)
    rejects: list[tuple] = field(default_factory=list)  # rows of the rejects table (see reject)


@dataclass
class BuildResult:
    tables: dict[str, pd.DataFrame]
    counts: dict[str, dict[str, int]]
    warnings: list[str]
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per phase (see etl.build.run_build)


def discover_inputs(raw: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every input file under ``raw``, sorted; unknown files are kind 'unsupported'."""
    found: list[tuple[str, Path]] = []
    if (raw / MEMBERSHIPS_FILE).is_file():
        found.append(("memberships", raw / MEMBERSHIPS_FILE))
    for kind, suffixes in KIND_DIRS.items():
        folder = raw / kind
        if not folder.is_dir():
            continue
        for _, name in sorted(_files_under(str(folder))):
            path = Path(name)
            if path.name.startswith(".") or path.name.lower() in ("readme.md", "readme.txt"):
                continue
            found.append((kind if path.suffix.lower() in suffixes else "unsupported", path))
    return found


def _files_under(folder: str) -> list[tuple[tuple[str, ...], str]]:
    """(path parts below ``folder``, path) of every file in it and its subfolders, as sorted(Path.rglob("*"))
    with is_file() finds them (symbolic links to files count; links to folders are not followed), but
    with one scandir per folder instead of a stat per file. Sorting the parts sorts as Paths do."""
    found = []
    stack = [(folder, ())]
    while stack:
        directory, parts = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, (*parts, entry.name)))
            elif entry.is_file():
                found.append(((*parts, entry.name), entry.path))
    return found


def _snippet(data: bytes | str) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return " ".join(text[:SNIPPET_CHARS].split())


def reject(path: str, locator: str, table: str, code: str, reason: str, snippet: str | None = None) -> tuple:
    """A rejects row: (input_path, locator, table, reason_code, reason, snippet), the table's column order."""
    return (path, locator, table, code, reason, snippet)


def _csv_docs(rows: list[tuple[int, dict]], path: str, result: InputResult) -> None:
    groups: dict[tuple, tuple[str, dict]] = {}
    for line, row in rows:
        if "__error__" in row:
            result.rejects.append(reject(path, f"line {line}", "meetings", "malformed_row", row["__error__"]))
            continue
        key = (row.get("series"), row.get("date_start"), row.get("host_country"), row.get("title"))
        if key not in groups:
            meeting = {c: row.get(c) or None for c in MEETING_COLUMNS}
            source = {"key": "csv", "url": row.get("source_url"), "publisher": row.get("source_publisher"),
                      "title": row.get("source_title"), "published": row.get("source_published") or None}  # fmt: skip
            groups[key] = (f"line {line}", {"meeting": meeting, "sources": [source], "delegations": []})
        if row.get("participant"):
            delegation = {target: row.get(col) or None for col, target in DELEGATION_COLUMNS.items()}
            delegation["__locator__"] = f"line {line}"
            groups[key][1]["delegations"].append(delegation)
    for locator, doc in groups.values():
        result.docs.append((locator, doc, []))


def read_input(kind: str, path: Path, ref: Reference, raw: Path | None = None) -> InputResult:
    """Read (and for press releases, extract) one input file. Never raises on bad input.

    Paths in the tables are relative to ``raw`` so that the same inputs give the same
    tables wherever they sit.
    """
    name = path.relative_to(raw).as_posix() if raw is not None else str(path)
    result = InputResult(name, kind)
    table = "memberships" if kind == "memberships" else "meetings"
    data = b""
    try:
        data = path.read_bytes()
        result.sha256 = hashlib.sha256(data).hexdigest()
        if kind == "unsupported":
            raise InputError("unsupported_file", f"'{path.suffix}' files are not read here; expected one of "
                             f"{', '.join(KIND_DIRS.get(path.parent.name, ()))}")  # fmt: skip
        if kind == "records":
            result.docs.append(("file", parse_record_bytes(data, name), []))
        elif kind == "csv":
            _csv_docs(parse_csv_bytes(data, name), name, result)
        elif kind == "memberships":
            rows = parse_csv_bytes_loose(data, name)
            result.memberships = [(f"line {line}", row) for line, row in rows]
        elif kind == "press":
            _press_docs(parse_press_bytes(data, name), result, ref)
    except InputError as exc:
        result.rejects.append(reject(name, "file", table, exc.code, str(exc), _snippet(data)))
    except OSError as exc:
        result.rejects.append(reject(name, "file", table, "unreadable_file", f"cannot read the file: {exc.strerror}"))
    except Exception as exc:  # a reader or extractor bug must not stop the build; it shows up in rejects
        result.docs.clear()
        result.rejects.append(
            reject(name, "file", table, "internal_error", f"{type(exc).__name__}: {exc}", _snippet(data))
        )
    return result


def parse_csv_bytes_loose(data: bytes, path: str) -> list[tuple[int, dict]]:
    """Rows of a plain CSV (the memberships file), with line numbers."""
    import csv
    import io

    if not data.strip():
        raise InputError("empty_file", "file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not_utf8", f"not UTF-8 text (invalid byte at offset {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("country", "status", "effective_from") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError("missing_field", f"header lacks required column(s): {', '.join(missing)}")
    return [(reader.line_num, {k: v for k, v in row.items() if k is not None}) for row in reader]


def _press_docs(release, result: InputResult, ref: Reference) -> None:
    from etl.extract import extract_release

    meta = release.meta
    source = {
        "url": meta.get("url"), "publisher": meta.get("publisher"), "title": meta.get("title"),
        "published": meta.get("published"), "retrieved": meta.get("retrieved"), "sha256": release.sha256,
    }  # fmt: skip
    meetings = extract_release(release.text, published=release.published, url=meta.get("url"), ref=ref)
    if not meetings:
        raise InputError("no_meeting_found", "the extractor found no SCO meeting in this text")
    for i, record in enumerate(meetings):
        doc = {"meeting": dict(record["meeting"]), "sources": [], "delegations": []}
        doc["delegations"] = [dict(d, source="press") for d in record.get("delegations", [])]
        result.docs.append((f"meeting[{i}]", doc, [source]))


def _merge_source(sources: dict[str, dict], row: dict) -> None:
    """Keep one row per source: fill its gaps from later citations; a stored press text wins the path."""
    kept = sources.setdefault(row["source_id"], row)
    if kept is row:
        return
    if row.get("sha256") and not kept.get("sha256"):
        kept["sha256"], kept["path"] = row["sha256"], row["path"]
    for key, value in row.items():
        if kept.get(key) is None and value is not None:
            kept[key] = value


def _resolve_parent(hint: dict, meeting: dict, meetings: dict[str, dict]) -> str | None:
    """The id of the one meeting that fits a parent hint (series, year, host, city), or None."""
    fits = [
        m for m in meetings.values()
        if m["series"] == hint.get("series")
        and (not hint.get("year") or m["date_start"].year == int(hint["year"]))
        and (not hint.get("host_country") or m["host_country"] == hint["host_country"])
        and (not hint.get("city") or (m["city"] or "").casefold() == str(hint["city"]).casefold())
        and m["meeting_id"] != meeting["meeting_id"]
    ]  # fmt: skip
    if len(fits) > 1:  # prefer the one running on the day
        day = meeting["date_start"]
        fits = [m for m in fits if m["date_start"] <= day <= (m["date_end"] or m["date_start"])] or fits
    return fits[0]["meeting_id"] if len(fits) == 1 else None


@dataclass
class PreparedDoc:
    """One meeting document of an input, normalized (``record``) or rejected whole (``error``)."""

    locator: str
    n_rows: int  # delegation rows as read, for the counts
    snippet: str  # the start of its title, for a reject
    meeting_id: str | None = None
    error: tuple[str, str] | None = None  # (reason code, reason)
    record: NormalizedRecord | None = None  # None in an outline


@dataclass
class Prepared:
    """An input file read and normalized record by record: everything that depends on this file
    and the reference data alone. ``prepare`` makes it anywhere (a Dask worker); ``assemble``
    does what depends on every file (persons, duplicates, parents, statuses) in one process."""

    path: str
    kind: str
    sha256: str | None = None  # of the file's bytes; None when it cannot be read
    read: dict[str, int] = field(default_factory=dict)  # rows read per table
    rejects: list[tuple] = field(default_factory=list)  # the file's rejects, then its membership rows'
    memberships: list[dict] = field(default_factory=list)
    docs: list[PreparedDoc] = field(default_factory=list)
    persons: list[tuple[str, str]] = field(default_factory=list)  # (name, participant) in order of first sighting

    def outline(self) -> Prepared:
        """This input without its normalized records: enough for assemble to choose the records it keeps."""
        return replace(self, docs=[replace(doc, record=None) for doc in self.docs])

    def records(self, wanted: list[int]) -> list[NormalizedRecord]:
        """The normalized records of the documents at positions ``wanted``."""
        return [self.docs[i].record for i in wanted]


def prepare(res: InputResult, ref: Reference) -> Prepared:
    """Normalize what one input yielded. Pure: no state shared between inputs."""
    out = Prepared(res.path, res.kind, res.sha256, rejects=list(res.rejects))
    read = Counter(r[2] for r in res.rejects)
    for locator, raw in res.memberships:
        read["memberships"] += 1
        try:
            out.memberships.append(normalize_membership(raw, ref))
        except RecordError as exc:
            snippet = _snippet(",".join(map(str, raw.values())))
            out.rejects.append(reject(res.path, locator, "memberships", exc.code, str(exc), snippet))
    persons: dict[tuple[str, str], None] = {}
    for locator, doc, extra in res.docs:
        n_rows = len(doc.get("delegations") or [])
        read["meetings"] += 1
        read["delegations"] += n_rows
        title = (doc.get("meeting") or {}).get("title")
        prepared = PreparedDoc(locator, n_rows, _snippet(str(title or "")))
        try:
            record = normalize_record(doc, res.path, ref, extra)
        except RecordError as exc:
            prepared.error = (exc.code, str(exc))
        except Exception as exc:  # a normalizer bug must not stop the build; it shows up in rejects
            prepared.error = ("internal_error", f"{type(exc).__name__}: {exc}")
        else:
            record.meeting["input_path"] = res.path
            for item in record.rows:
                if isinstance(item, tuple):
                    row = item[2]
                    row["input_path"] = res.path
                    if row["name"]:
                        persons[(row["name"], row["participant"])] = None
            prepared.meeting_id = record.meeting["meeting_id"]
            prepared.record = record
        out.docs.append(prepared)
    out.read = dict(read)
    out.persons = list(persons)
    return out


def read_and_prepare(kind: str, path: Path, ref: Reference, raw: Path | None = None) -> Prepared:
    """Read, extract and normalize one input file: the per-file work an engine may run anywhere."""
    return prepare(read_input(kind, path, ref, raw), ref)


class _Persons:
    """PersonMatcher.resolve, asked once per distinct (name, participant) in input order.

    Asking again for a pair gives the same id and leaves the matcher as it was, so the tables
    depend only on the order of first sightings, which is the order of the sorted inputs.
    """

    def __init__(self, ref: Reference):
        self.matcher = PersonMatcher(ref)
        self._seen: dict[tuple[str, str], str] = {}

    def resolve(self, name: str, participant: str) -> str:
        pid = self._seen.get((name, participant))
        if pid is None:
            pid = self._seen[(name, participant)] = self.matcher.resolve(name, participant)
        return pid

    def resolve_all(self, pairs: list[tuple[str, str]]) -> None:
        seen = self._seen
        for pair in pairs:
            if pair not in seen:
                seen[pair] = self.matcher.resolve(*pair)


def _meeting_rejected(rejects: list[tuple], path: str, locator: str, n_rows: int, code: str) -> None:
    """A reject for each delegation row of a rejected meeting."""
    reason = f"its meeting was rejected ({code})"
    rejects.extend(
        (path, f"{locator} delegations[{i}]", "delegations", "meeting_rejected", reason, None) for i in range(n_rows)
    )


def input_order(kind: str, path: str) -> tuple[int, str]:
    """The order in which inputs are assembled: curated records, then CSV, then press releases (the
    first to describe a meeting keeps it), each by path relative to the raw folder."""
    return (KIND_PRIORITY.get(kind, 9), path)


def ordered_inputs(inputs: list[tuple[str, Path]], raw: Path) -> list[tuple[str, Path]]:
    """Discovered inputs in the order assemble needs them (see input_order)."""
    return sorted(inputs, key=lambda item: input_order(item[0], item[1].relative_to(raw).as_posix()))


class Assembler:
    """Turns prepared inputs, given one by one in input_order, into the tables.

    Each input goes through ``decide`` (who each of its named delegates is, and which of its
    documents keep their meeting: the first to describe it) and then ``add`` (rows and rejects).
    Both must see the inputs in the same order; ``add`` of an input needs only what ``decide``
    has seen up to that input, so an engine may decide a prefix of the inputs, fetch the records
    it keeps, add them, and go on, while the rest are still being read. ``finish`` does what needs
    every input: parents, statuses, the persons table, validation.
    """

    def __init__(self, ref: Reference):
        self.ref = ref
        self.persons = _Persons(ref)
        self.kept: dict[str, tuple[int, int]] = {}  # meeting id -> (input number, document position)
        self.decided = 0
        self.added = 0
        self.rejects: list[tuple] = []
        self.read = Counter()
        self.meetings: dict[str, dict] = {}
        self.owners: dict[str, str] = {}
        self.delegations: list[dict] = []
        self.sources: dict[str, dict] = {}
        self.hints: list[tuple[dict, dict]] = []
        self.membership_rows: list[dict] = []

    def see_names(self, pairs: list[tuple[str, str]]) -> None:
        """Match (name, participant) pairs of the inputs about to be decided, in their order: an engine may
        hand over the distinct names of several consecutive inputs at once (and outlines without them)."""
        self.persons.resolve_all(pairs)

    def decide(self, res: Prepared) -> list[int]:
        """Take in the next input's names and meeting ids; return the positions of its documents that
        keep their meeting but come without their record (an outline): ``add`` needs those records."""
        n = self.decided
        self.decided += 1
        self.persons.resolve_all(res.persons)
        wanted = []
        for j, doc in enumerate(res.docs):
            if doc.error is None and self.kept.setdefault(doc.meeting_id, (n, j)) == (n, j) and doc.record is None:
                wanted.append(j)
        return wanted

    def add(self, res: Prepared) -> None:
        """Add the rows and rejects of the next input (already decided, kept records filled in)."""
        n = self.added
        if n >= self.decided:
            raise ValueError("add() of an input that decide() has not seen")
        self.added += 1
        rejects, sources = self.rejects, self.sources
        for table, count in res.read.items():
            self.read[table] += count
        rejects.extend(res.rejects)
        for row in res.memberships:
            self.membership_rows.append(row)
            if row["source_url"]:
                sources.setdefault(row["source_id"], {"source_id": row["source_id"], "url": row["source_url"],
                                   "publisher": row["source_publisher"], "title": None, "published": None,
                                   "retrieved": None, "sha256": None, "path": res.path})  # fmt: skip
        for j, doc in enumerate(res.docs):
            if doc.error is not None:
                code, reason = doc.error
                rejects.append(reject(res.path, doc.locator, "meetings", code, reason, doc.snippet))
                _meeting_rejected(rejects, res.path, doc.locator, doc.n_rows, code)
                continue
            mid = doc.meeting_id
            if self.kept[mid] != (n, j):
                reason = f"meeting {mid} is already recorded by {self.owners[mid]}"
                rejects.append(reject(res.path, doc.locator, "meetings", "duplicate_meeting", reason, doc.snippet))
                _meeting_rejected(rejects, res.path, doc.locator, doc.n_rows, "duplicate_meeting")
                continue
            norm = doc.record
            if norm is None:
                raise ValueError(f"{res.path} {doc.locator}: the record of a kept meeting is missing")
            rows, row_rejects = resolve_persons(norm, self.persons.resolve)
            self.meetings[mid] = norm.meeting
            self.owners[mid] = f"{res.path} ({doc.locator})"
            for r in row_rejects:
                rejects.append(reject(res.path, f"{doc.locator} {r.locator}", "delegations", r.code, r.reason,
                                      r.snippet))  # fmt: skip
            self.delegations.extend(rows)
            for source in norm.sources:
                _merge_source(sources, source)
            if norm.parent_hint and not norm.meeting["parent_meeting_id"]:
                self.hints.append((norm.meeting, norm.parent_hint))

    def finish(self) -> BuildResult:
        """Parents, statuses, persons and countries; validate every table."""
        from etl.validate import split_valid

        if self.added != self.decided:
            raise ValueError(f"{self.decided - self.added} decided input(s) were never added")
        ref, matcher = self.ref, self.persons.matcher
        rejects, meetings, delegations = self.rejects, self.meetings, self.delegations
        membership_rows = self.membership_rows
        warnings: list[str] = []
        for meeting, hint in self.hints:
            parent = _resolve_parent(hint, meeting, meetings)
            meeting["parent_meeting_id"] = parent
            if parent is None:
                warnings.append(f"{meeting['meeting_id']}: no single meeting fits its parent hint {hint}")
        for mid in sorted(meetings):
            parent = meetings[mid]["parent_meeting_id"]
            if parent and parent not in meetings:
                bad = meetings.pop(mid)
                rejects.append(reject(bad["input_path"], "file", "meetings", "unknown_parent",
                                      f"parent meeting '{parent}' is not in the dataset", bad["title"]))  # fmt: skip
                for row in [d for d in delegations if d["meeting_id"] == mid]:
                    rejects.append(reject(row["input_path"], f"{mid} {row['participant']}", "delegations",
                                          "meeting_rejected", "its meeting was rejected (unknown_parent)"))  # fmt: skip
                delegations = [d for d in delegations if d["meeting_id"] != mid]

        for a, b in overlapping_periods(membership_rows):
            warnings.append(f"memberships: {a['country']} {a['status']} from {a['effective_from']} overlaps "
                            f"{b['status']} from {b['effective_from']}")  # fmt: skip
        lookup = StatusLookup(membership_rows, ref.organisations)
        for row in delegations:
            row["status"] = lookup.status_on(row["participant"], meetings[row["meeting_id"]]["date_start"])

        used_persons = {d["person_id"] for d in delegations if d["person_id"]}
        persons = [
            {"person_id": pid, "name": matcher.canonical[pid][0], "country": matcher.canonical[pid][1],
             "aliases": "; ".join(sorted(matcher.aliases[pid])) or None}
            for pid in sorted(used_persons)
        ]  # fmt: skip
        countries = _countries(ref, meetings.values(), delegations, membership_rows)

        rows = {
            "meetings": list(meetings.values()),
            "delegations": delegations,
            "persons": persons,
            "countries": countries,
            "memberships": membership_rows,
            "sources": list(self.sources.values()),
        }
        tables: dict[str, pd.DataFrame] = {}
        for table, table_rows in rows.items():
            accepted, rejected = split_valid(to_frame(table_rows, table), table)
            for row in rejected.to_dict("records"):
                rejects.append(reject(str(row.get("input_path") or row.get("path") or ""),
                                      str(row.get(columns(table)[0])), table, "schema_violation", row["reason"]))  # fmt: skip
            tables[table] = _sorted(accepted, table)
        tables["rejects"] = _sorted(to_frame(rejects, "rejects"), "rejects")

        counts = {}
        for table in ("meetings", "delegations", "memberships"):
            rejected = int((tables["rejects"]["table"] == table).sum())
            counts[table] = {"read": self.read[table], "accepted": len(tables[table]), "rejected": rejected}
        return BuildResult(tables, counts, warnings)


def assemble(results: list[InputResult | Prepared], ref: Reference) -> BuildResult:
    """Normalize, de-duplicate, derive statuses and validate the read inputs (in any order) into tables."""
    prepared = [r if isinstance(r, Prepared) else prepare(r, ref) for r in results]
    prepared.sort(key=lambda r: input_order(r.kind, r.path))
    assembler = Assembler(ref)
    for res in prepared:
        assembler.decide(res)
    for res in prepared:
        assembler.add(res)
    return assembler.finish()


def _countries(ref: Reference, meetings, delegations, memberships) -> list[dict]:
    codes = set(ref.countries)
    codes |= {m["host_country"] for m in meetings} | {m["chair_country"] for m in meetings if m["chair_country"]}
    codes |= {d["participant"] for d in delegations if d["participant_type"] == "country"}
    codes |= {m["country"] for m in memberships}
    aliases: dict[str, list[str]] = {}
    for alias, iso3 in ref.country_aliases.items():
        aliases.setdefault(iso3, []).append(alias)
    out = []
    for code in sorted(codes):
        c = ref.countries.get(code)
        out.append({
            "iso3": code, "name": country_name(code, ref), "aliases": "; ".join(sorted(aliases.get(code, []))) or None,
            "capital": c.capital if c else None, "capital_lat": c.lat if c else None, "capital_lon": c.lon if c else None,
        })  # fmt: skip
    return out


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    keys = TABLE_KEYS[table]
    return frame.sort_values(keys, na_position="first", kind="mergesort").reset_index(drop=True)
