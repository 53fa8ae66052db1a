"""Press release -> meeting records (the shape of docs/records.md), with evidence spans.

Rule-based and fast (no dateparser or NLP models in the hot path): precompiled regular
expressions over sentences, vocabulary from data/reference/extract_*.csv.

Caveats:
- Only people anchored by a title, an apposition, "of <country>", a list that carries a title,
  or persons.csv become delegates; a bare country name never does (context countries stay out),
  except in a list of states said to take part ("attended by China, Russia and India").
- Three inferences add rows at lower confidence: the state whose city hosts a meeting
  takes part in it (0.5, unnamed, even when the release names no one else); both sides of
  talks "on the sidelines of" a meeting the release tells of attended that meeting (0.7 of
  the talks' rows); and ministers of several states who call on a leader the day of their
  meeting attended it (0.7 of the call's rows).
- An unnamed side of talks ("his counterparts from Russia and China") takes the name of the one
  person of that state, of the same rank, the release names (0.8 of the row's confidence; the
  row's evidence then holds a "name" span too).
- Unqualified titles ("Vice Foreign Minister X") take the release's home country (from
  the url or the news agency), with lower confidence.
- Relative days are resolved against the dateline or published date; with neither they
  stay None. A report in the present tense ("the session has kicked off", "ministers are
  attending") is dated by the dateline or published date, at lower confidence. Otherwise a
  release without any date expression (written date, relative day or dated dateline) gets
  date_start None: the published date is never taken as the meeting's date by itself.
  A dateline city is used only when the text names no other place, and for a virtual
  meeting only when it is the chair's.
- Bilaterals "on the sidelines of" a meeting the release gives no record of add a record of
  that occasion (both sides attended it) with an empty date unless one is stated; the build
  rejects it as undated unless it can be dated.
- A meeting the release tells of only as one to come ("will attend the summit on July 4",
  "the meeting scheduled for Friday") gives no record, and neither do talks only planned:
  a preview states a plan, not an attendance. A meeting held "today" as the release is
  written counts. Nor does a sentence about what is done every year, or about a meeting of
  another time whose decisions are cited.
- A later sentence that tells of another SCO meeting held, with a day or place of its own,
  gives a record of its own.
- Evidence offsets index into the text passed in.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from etl.extract.lexicon import get_lexicon
from etl.extract.meetings import (
    EARLIER,
    PREP_WORDS,
    SERIES_LABEL,
    SIDELINE,
    Context,
    Frame,
    Trigger,
    another_month,
    assign_roles,
    build_context,
    dedupe,
    ev,
    find_frames,
    history_sentence,
    level_of,
    meeting_chair,
    meeting_date,
    meeting_format,
    meeting_place,
    meeting_sequence,
    resolve_levels,
    resolve_summit,
    row_confidence,
    series_match,
    series_told,
)
from etl.extract.people import Mention
from etl.extract.text import analyse
from etl.reference import Reference, load_reference

__all__ = ["extract_release", "extract_press_file"]


_ON_SIDELINES = re.compile(r"\b(?:on|in|at)\s+the\s+(?:sidelines?|margins?)\s+of\b", re.IGNORECASE)
_ATTENDED = re.compile(
    r"\b(?:attended|(?:were|was)\s+(?:also\s+)?present|also\s+present|took\s+part|accompanied)\b", re.IGNORECASE
)


def _year_hint(ctx: Context, frame: Frame) -> int | None:
    for i in [frame.trigger.sent, *frame.sentences]:
        for d in ctx.dates[i]:
            if d.span is not None and not d.relative:
                return d.span.start.year
    return ctx.anchor.year if ctx.anchor else None


def _frame_mentions(
    ctx: Context, frame: Frame, year: int | None, main: bool, day: datetime.date | None = None
) -> list[Mention]:
    out = []
    for i in frame.sentences:
        if not ctx.mentions[i]:
            continue
        if i != frame.trigger.sent and (
            history_sentence(ctx, i, year, frame.trigger.series) or another_month(ctx.doc.sentences[i].text, day)
        ):
            continue
        out.extend(m for m in ctx.mentions[i] if not m.excluded and m.participant != "__none__")
    return out


def _subject(ctx: Context, frame: Frame, main_subject: Mention | None) -> Mention | None:
    t = frame.trigger
    if t.subjects:
        return t.subjects[0]
    sent = ctx.doc.sentences[t.sent]
    known = [m for m in ctx.mentions[t.sent] if m.name and m.start < t.start and not m.excluded]
    if known:
        return known[0]
    if main_subject is not None:
        surname = main_subject.name.split()[-1] if main_subject.name else ""
        if (
            surname
            and surname in ctx.text[sent.start : t.start]
            or ctx.text[sent.start : t.start].strip()[:3] in ("He ", "She")
        ):
            return main_subject
        return main_subject
    return None


def _parent_series(
    ctx: Context, frame: Frame, main: Frame, main_series: str | None, city: str | None = None
) -> tuple[str | None, dict | None]:
    t = frame.trigger
    if t.kind == "courtesy" and t.series:
        return t.series, ev(ctx.text, *t.series_span) if t.series_span else None
    sent = ctx.doc.sentences[t.sent]
    found = series_match(ctx.text, sent.start, sent.end, ctx.lex)
    if found:
        return found[0].series, ev(ctx.text, found[1].start(), found[1].end())
    if frame is not main and main_series:
        return main_series, None
    for i in range(min(3, len(ctx.doc.sentences))):
        s = ctx.doc.sentences[i]
        found = series_match(ctx.text, s.start, s.end, ctx.lex)
        if found:
            pev = ev(ctx.text, found[1].start(), found[1].end())
            if i != t.sent and (_WILL.search(s.text) or PREP_WORDS.search(s.text)):
                # "Mr Singh will chair the SCO Defence Ministers Meeting tomorrow", "as India prepares to chair"
                pev["upcoming"] = True
            return found[0].series, pev
    if ctx.doc.headline:
        found = series_match(ctx.text, *ctx.doc.headline, ctx.lex)
        if found:
            return found[0].series, None
    sideline = SIDELINE.first_in(ctx.masks[t.sent], ctx.text, sent.start, sent.end)
    if sideline or city is not None:
        # "on the sideline of SCO meet in New Delhi": the meeting the release names further on; or talks
        # in the city of an SCO meeting the release tells of ("In Astana, Hu will also attend the SCO summit")
        for i in range(3 if sideline else 0, len(ctx.doc.sentences)):
            s = ctx.doc.sentences[i]
            found = series_match(ctx.text, s.start, s.end, ctx.lex)
            if (
                not sideline
                and found
                and (city.casefold() not in s.text.casefold() or _WILL.search(s.text) or PREP_WORDS.search(s.text))
            ):
                continue  # only a meeting the release says is held there
            if found and found[0].series not in ("bilateral_sideline", "courtesy_call"):
                pev = ev(ctx.text, found[1].start(), found[1].end())
                if _WILL.search(s.text):
                    pev["upcoming"] = True
                return found[0].series, pev
    return None, None


def _has_government(ctx: Context, frame: Frame) -> bool:
    for i in [frame.trigger.sent, *frame.sentences[:3]]:
        s = ctx.doc.sentences[i]
        found = series_match(ctx.text, s.start, s.end, ctx.lex)
        if found and found[0].series == "heads_of_government":
            return True
    return False


def _title(
    series: str,
    mechanism: str | None,
    city: str | None,
    year: int | None,
    rows: list[dict],
    kind: str,
    parent: str | None,
    host_name: str | None,
) -> str:
    where = f" in {city}" if city else ""
    when = f" ({year})" if year else ""
    if kind == "courtesy":
        group = (
            (SERIES_LABEL.get(parent or "", "SCO meeting"))
            .replace("Meeting of ", "")
            .replace("SCO Council of ", "SCO ")
        )
        who = host_name or "Host"
        return f"{who} meets {group}{where}{when}"
    if kind == "bilateral":
        names = [r["name"] or r["participant"] for r in rows if r["role"] in ("host", "head_of_delegation")][:2]
        pair = " – ".join(names) if names else "Bilateral"
        label = f"the {SERIES_LABEL[parent]}" if parent in SERIES_LABEL else "an SCO meeting"
        return f"{pair} meeting on the sidelines of {label}{when}"
    label = mechanism or SERIES_LABEL.get(series, "SCO meeting")
    if mechanism and not label.startswith("SCO"):
        label = f"SCO {label}"
    prefix = "" if label.startswith(("Meeting", "SCO joint")) else "Meeting of the "
    return f"{prefix}{label}{where}{when}"


def _rows(ctx: Context, mentions: list[Mention], host: str | None, lead: Mention | None = None) -> list[dict]:
    rows = dedupe(mentions)
    lead = next(
        (
            m
            for m in rows
            if lead is not None
            and m.name
            and m.participant == lead.participant
            and m.name.split()[-1] == (lead.name or "").split()[-1]
        ),
        None,
    )
    roles = assign_roles(rows, host, ctx.lex, lead)
    out = []
    for m, role in zip(rows, roles, strict=True):
        out.append(
            {
                # a named person whose state the release does not tell: the build rejects the row, saying so
                "participant": None if m.participant == "__none__" else m.participant,
                "name": m.name,
                "title": m.title,
                "level": m.level,
                "role": role,
                "attended": True,
                "confidence": row_confidence(m),
                "evidence": ev(ctx.text, m.start, m.end),
            }
        )
    return out


def _name_counterparts(ctx: Context, rows: list[dict]) -> None:
    """ "Jaishankar held talks with his counterparts from Russia and China": an unnamed side of talks is the
    one person of that state the release names (Foreign Minister Sergey Lavrov), when it names only one."""
    levels = {r["level"] for r in rows if r["name"]}  # counterparts hold the same rank
    for row in rows:
        if row["name"] or row["participant"] not in ctx.lex.ref.countries:
            continue
        people: dict[str, Mention] = {}
        for ms in ctx.mentions:
            for m in ms:
                if m.name and not m.excluded and m.participant == row["participant"] and " " in m.name:
                    people.setdefault(m.name.split()[-1].lower(), m)
        if len(people) == 1 and levels and level_of(next(iter(people.values())).title, ctx.lex.ref) not in levels:
            continue
        if len(people) == 1:
            (m,) = people.values()
            row.update(name=m.name, title=m.title or row["title"], confidence=round(row["confidence"] * 0.8, 2))
            row["evidence"] = {**row["evidence"], "name": ev(ctx.text, m.name_start, m.name_end)}


def _visitors(main_record: dict, host: str | None) -> list[dict]:
    """The main meeting's visiting heads of delegation, for a courtesy call that only says 'the ministers'."""
    out = []
    for row in main_record["delegations"]:
        if row["participant"] != host and row["role"] in ("head_of_delegation", "guest", "host"):
            copy = dict(row, role="head_of_delegation" if row["role"] == "host" else row["role"])
            copy["confidence"] = round(row["confidence"] * 0.7, 2)
            out.append(copy)
    return out


def _split_bilaterals(frames: list[Frame]) -> list[Frame]:
    """One frame per counterpart country when a leader met several ("with X of A and Y of B")."""
    out = []
    for frame in frames:
        t = frame.trigger
        parts = list(dict.fromkeys(o.participant for o in t.objects))
        if t.kind != "bilateral" or len(parts) < 2:
            out.append(frame)
            continue
        for p in parts:
            sub = Trigger(t.kind, t.sent, t.start, t.end, t.subjects, [o for o in t.objects if o.participant == p])
            out.append(Frame(sub, frame.sentences))
    return out


def _calls_on_a_state(t, subject) -> bool:
    """A bilateral between an SCO body (Secretariat, RATS) and a state or another organisation."""
    sides = {m.participant for m in (subject, *t.objects) if m is not None}
    return (
        len(sides) == 2
        and any(str(p).startswith("SCO-") for p in sides)
        and not all(str(p).startswith("SCO-") for p in sides)
    )


def _build(ctx: Context, frame: Frame, main: Frame, main_record: dict | None, main_subject: Mention | None) -> dict:
    lex, text = ctx.lex, ctx.text
    t = frame.trigger
    year = _year_hint(ctx, frame)
    fallback = (None, None)
    if main_record is not None and main_record["meeting"]["date_start"] is not None and t.kind != "council":
        m = main_record["meeting"]
        from etl.normalize.dates import DateSpan

        fallback = (DateSpan(m["date_start"], m["date_end"], m["date_precision"]), m["evidence"].get("date_start"))
    span, date_ev, date_conf = meeting_date(ctx, frame, fallback, frame is main)
    if span is not None:
        year = span.start.year
    lead = sorted(
        {t.sent, *[i for i in frame.sentences if ctx.doc.sentences[i].para == ctx.doc.sentences[t.sent].para]}
    )
    fmt, fmt_ev = meeting_format(ctx, lead, frame.sentences)
    place = meeting_place(ctx, frame, fmt == "virtual", year)
    if frame is not main and place["city"] is None and main_record is not None and t.kind != "council":
        place["city"] = main_record["meeting"]["city"]
    mentions = _frame_mentions(ctx, frame, year, frame is main, span.start if span is not None else None)
    subject = _subject(ctx, frame, main_subject)
    if t.kind == "bilateral":
        allowed = {o.participant for o in t.objects} | {subject.participant if subject else None}
        # a bilateral's people are named where it is told, or said to attend it
        mentions = [
            m
            for m in mentions
            if m.participant in allowed and (m.sent == t.sent or _ATTENDED.search(ctx.doc.sentences[m.sent].text))
        ]
    if t.kind in ("bilateral", "courtesy") and subject is not None and subject not in mentions:
        mentions.insert(0, subject)
    resolve_levels(ctx, mentions, subject)
    evidence: dict = {}
    series, mechanism = t.series, t.mechanism
    parent_hint = None
    city = place["city"]
    city_country = _city_country(ctx, city)
    chair, chair_ev = meeting_chair(ctx, lead, mentions)
    if fmt == "virtual" and place.get("from_dateline") and city_country != chair:
        # held by video: the dateline is where the reporter filed, not where the chair sat
        city = city_country = place["city"] = None
        place["evidence"].pop("city", None)
    main_series = main_record["meeting"]["series"] if main_record else None
    if t.kind in ("courtesy", "bilateral"):
        pseries, pev = _parent_series(
            ctx,
            frame,
            main,
            main_series if main.trigger.kind == "council" else None,
            city if t.kind == "bilateral" else None,
        )
        if pseries == "summit":
            pseries = resolve_summit(dedupe(list(mentions)), _has_government(ctx, frame))
        host = subject.participant if t.kind == "courtesy" and subject is not None else city_country
        if host is None and main_record is not None:
            host = main_record["meeting"]["host_country"]
        series = "courtesy_call" if t.kind == "courtesy" else "bilateral_sideline"
        mechanism = None
        upcoming_only = bool(pev and pev.get("upcoming")) and not _ON_SIDELINES.search(ctx.doc.sentences[t.sent].text)
        if pseries:
            parent_hint = {"series": pseries, "year": year, "host_country": city_country or host, "city": city}
            if pev:
                evidence["parent_hint"] = pev
        calls_on = t.kind == "bilateral" and _calls_on_a_state(t, subject)
        if pseries and not (upcoming_only and calls_on):
            pass
        elif calls_on:
            # "Wang Yi meets SCO Secretary-General Zhang Ming": the organisation's head calls on the state
            # (and talks ahead of a meeting still to come are not on its sidelines)
            series = "courtesy_call"
            host = city_country or next(
                (m.participant for m in (subject, *t.objects) if m is not None and m.participant in lex.ref.countries),
                None,  # the head of an SCO body meeting another organisation's: no state hosts it
            )
        elif (
            t.kind == "bilateral"
            and not pseries
            and not _ON_SIDELINES.search(ctx.doc.sentences[t.sent].text)
            and not (main_record is not None and main_record["meeting"]["series"] == "bilateral_sideline")
        ):  # (a release that opens with talks on the sidelines goes on with more of them)
            series = "other"  # on the sidelines of a meeting the text does not name: still sideline talks
        chair, chair_ev = None, None
        sev = ev(text, t.start, t.end)
    else:
        if series == "summit":
            series = resolve_summit(dedupe(list(mentions)), _has_government(ctx, frame))
        host = city_country or chair
        if fmt == "virtual" and chair:
            host = chair
        sev = ev(text, *t.series_span) if t.series_span else ev(text, t.start, t.end)
    evidence["series"] = sev
    if date_ev:
        evidence["date_start"] = date_ev
    evidence.update(place["evidence"])
    if fmt_ev:
        evidence["format"] = fmt_ev
    if chair_ev:
        evidence["chair_country"] = chair_ev
    if host and "city" in evidence and host == city_country:
        evidence["host_country"] = evidence["city"]
    rows = _rows(ctx, mentions, host, subject if t.kind != "council" or subject in t.subjects else None)
    if t.kind == "bilateral":
        _name_counterparts(ctx, rows)
    if (
        t.kind == "courtesy"
        and frame is not main
        and main_record is not None
        and all(r["participant"] == host for r in rows)
    ):
        rows.extend(_visitors(main_record, host))
    if (
        t.kind == "council"
        and host in lex.ref.countries
        and not any(r["participant"] == host for r in rows)
        and "host_country" in evidence
    ):
        # the state whose city hosts the meeting takes part in it, though the text names no one of it
        rows.append(
            {
                "participant": host,
                "name": None,
                "title": None,
                "level": None,
                "role": "host",
                "attended": True,
                "confidence": 0.5,
                "evidence": evidence["host_country"],
            }
        )
    host_name = subject.name if subject is not None else None
    title = _title(
        series, mechanism, city, year, rows, t.kind, parent_hint["series"] if parent_hint else None, host_name
    )
    conf = 0.35 + (0.25 if t.kind != "council" or t.series not in (None, "summit") else 0.1)
    conf += 0.2 * (date_conf >= 0.75) + 0.1 * (0 < date_conf < 0.75) + 0.1 * (place["city_conf"] >= 0.75)
    conf += 0.05 * (0 < place["city_conf"] < 0.75) + 0.05 * bool(rows)
    meeting = {
        "series": series,
        "mechanism": mechanism if series in ("ministerial_other", "expert_group") else None,
        "title": title,
        "sequence": meeting_sequence(ctx, lead) if t.kind == "council" else None,
        "date_start": span.start if span else None,
        "date_end": span.end if span else None,
        "date_precision": span.precision if span else None,
        "format": fmt,
        "host_country": host,
        "city": city,
        "venue": place["venue"],
        "chair_country": chair,
        "parent": None,
        "parent_hint": parent_hint,
        "confidence": round(min(conf, 0.99), 2),
        "evidence": evidence,
    }
    record = {"meeting": meeting, "delegations": rows}
    if t.kind == "bilateral" and EARLIER.match(ctx.doc.sentences[t.sent].text):
        record["_earlier"] = True  # talks at some other time: not evidence of who attended the meeting
    if evidence.get("parent_hint", {}).pop("upcoming", False):
        record["_upcoming"] = True  # the talks came before the meeting they were held for: no record of it
    if t.kind == "courtesy":
        near = [t.sent, *[i for i in frame.sentences if i > t.sent][:2]]
        if any(_ON_SIDELINES.search(ctx.doc.sentences[i].text) for i in near):
            record["_sidelines"] = True  # a courtesy call on the sidelines: the occasion took place
    return record


def extract_release(
    text: str,
    published: datetime.date | None = None,
    url: str | None = None,
    ref: Reference | None = None,
) -> list[dict]:
    """Meeting records (meeting + delegations, with evidence spans) reported by one press release."""
    ref = ref or load_reference()
    lex = get_lexicon(ref)
    if isinstance(published, datetime.datetime):
        published = published.date()
    doc = analyse(text)
    ctx = build_context(text, doc, lex, published, url)
    frames = _split_bilaterals(find_frames(ctx))
    if not frames:
        return []
    main = frames[0]
    main_subject = main.trigger.subjects[0] if main.trigger.subjects else None
    if main_subject is None:
        first = [m for m in ctx.mentions[main.trigger.sent] if m.name and not m.excluded]
        main_subject = first[0] if first else None
    records = []
    main_record = _build(ctx, main, main, None, main_subject)
    records.append(main_record)
    for frame in frames[1:]:
        records.append(_build(ctx, frame, main, main_record, main_subject))
    records = _merge_repeats(records)
    records += _occasions(ctx, records)
    for rec in records:
        rec.pop("_sidelines", None)
        rec.pop("_upcoming", None)
        rec.pop("_earlier", None)
    return records


_WILL = re.compile(r"\b(?:will|shall|is\s+to|are\s+to|is\s+due\s+to|tomorrow|next)\b", re.I)


def _city_country(ctx: Context, city: str | None) -> str | None:
    return ctx.lex.ref.cities[city].iso3 if city in ctx.lex.ref.cities else None


_SIDE_SERIES = frozenset({"bilateral_sideline", "courtesy_call"})


def _callers_attended(call: dict, told: dict | None) -> None:
    """The ministers who called on a leader as a group, the day of their meeting the release tells of,
    attended that meeting (0.7 of the call's confidence); the leader they called on did not."""
    if (
        told is None
        or not told["meeting"]["date_start"]
        or call["meeting"]["date_start"] != told["meeting"]["date_start"]
    ):
        return
    rows = told["delegations"]
    for r in call["delegations"]:
        if r["role"] != "host" and not any(x["participant"] == r["participant"] for x in rows):
            role = "host" if r["participant"] == told["meeting"]["host_country"] else "head_of_delegation"
            rows.append(dict(r, role=role, confidence=round(r["confidence"] * 0.7, 2)))


def _occasions(ctx: Context, records: list[dict]) -> list[dict]:
    """The meetings that bilaterals were held on the sidelines of, when the release reports no record of
    them itself: an SCO summit "on the sidelines of" which two leaders met took place, and both sides were
    there. It takes the days and city the release gives it elsewhere. It is not dated by the day of the
    talks (it may have begun before), so an undated one is rejected by the build unless another source
    dates it. ``occasion: true`` tells a reader of the record that it was inferred from the talks."""
    have = {r["meeting"]["series"]: r for r in records if r["meeting"]["series"] not in _SIDE_SERIES}
    out: dict[tuple, dict] = {}
    for rec in records:
        m = rec["meeting"]
        hint = m["parent_hint"]
        sideline = m["series"] == "bilateral_sideline" or rec.get("_sidelines")
        if m["series"] == "courtesy_call" and not sideline and hint and not rec.get("_upcoming"):
            _callers_attended(rec, have.get(hint["series"]))
        if not sideline or not hint or hint["series"] == "summit" or rec.get("_upcoming") or rec.get("_earlier"):
            continue
        told = have.get(hint["series"])
        if told is not None:  # the release tells of that meeting too: both sides of the talks attended it
            rows = told["delegations"]
            for r in rec["delegations"]:
                if not any(x["participant"] == r["participant"] for x in rows):
                    role = "host" if r["participant"] == told["meeting"]["host_country"] else "head_of_delegation"
                    rows.append(dict(r, role=role, confidence=round(r["confidence"] * 0.7, 2)))
            continue
        key = (hint["series"], hint["city"], hint["host_country"])
        occ = out.get(key)
        if occ is None:
            series = hint["series"]
            told_of = series_told(ctx, series)  # "The SCO Defence Ministers' meeting from June 25 to 26 ..."
            meeting = {
                "series": series,
                "mechanism": None,
                "title": _title(series, None, hint["city"], hint["year"], [], "council", None, None),
                "sequence": None,
                "date_start": told_of["date"].start if "date" in told_of else None,
                "date_end": told_of["date"].end if "date" in told_of else None,
                "date_precision": told_of["date"].precision if "date" in told_of else None,
                "format": m["format"],
                "host_country": hint["host_country"] or _city_country(ctx, told_of.get("city")),
                "city": hint["city"] or told_of.get("city"),
                "venue": None,
                "chair_country": None,
                "parent": None,
                "parent_hint": None,
                "confidence": round(min(m["confidence"], 0.6), 2),
                "occasion": True,
                "evidence": {
                    k: v
                    for k, v in (
                        ("series", m["evidence"].get("parent_hint")),
                        ("date_start", told_of.get("date_ev")),
                        ("city", None if hint["city"] else told_of.get("city_ev")),
                    )
                    if v
                },
            }
            occ = out[key] = {"meeting": meeting, "delegations": []}
        om = occ["meeting"]
        if m["city"] is None and om["city"] is not None and "city" in om["evidence"]:
            # talks on the sidelines of a meeting the release places elsewhere in its text were held there
            m["city"], m["evidence"]["city"] = om["city"], om["evidence"]["city"]
            if m["host_country"] is None:
                m["host_country"] = om["host_country"]
        rows = occ["delegations"]
        for r in rec["delegations"]:
            if any(x["participant"] == r["participant"] and x["name"] == r["name"] for x in rows):
                continue
            role = "host" if r["participant"] == hint["host_country"] else "head_of_delegation"
            if any(x["participant"] == r["participant"] for x in rows):
                role = "member"
            rows.append(dict(r, role=role, confidence=round(r["confidence"] * 0.7, 2)))
    return list(out.values())


def _merge_repeats(records: list[dict]) -> list[dict]:
    """One record per sideline meeting: a release that tells of the same bilateral twice (a summary line,
    then the story) gives one meeting, dated and placed by whichever telling says so."""
    out: list[dict] = []
    seen: dict[tuple, dict] = {}
    for rec in records:
        m = rec["meeting"]
        if m["series"] not in ("bilateral_sideline", "courtesy_call"):
            out.append(rec)
            continue
        key = (m["series"], frozenset(r["participant"] for r in rec["delegations"]))
        first = seen.get(key)
        if first is None or (
            first["meeting"]["date_start"] and m["date_start"] and first["meeting"]["date_start"] != m["date_start"]
        ):
            seen[key] = rec
            out.append(rec)
            continue
        fm = first["meeting"]
        for f in ("date_start", "city", "venue"):
            if fm[f] is None and m[f] is not None:
                fm[f] = m[f]
                if f == "date_start":
                    fm["date_end"], fm["date_precision"] = m["date_end"], m["date_precision"]
                if f in m["evidence"]:
                    fm["evidence"][f] = m["evidence"][f]
        names = {(r["participant"], r["name"].split()[-1]) for r in first["delegations"] if r["name"]}
        for r in rec["delegations"]:
            if r["name"] and (r["participant"], r["name"].split()[-1]) not in names:
                # the story names whom the summary line left unnamed ("his Tajik counterpart"): one row
                rows = first["delegations"]
                unnamed = next(
                    (i for i, x in enumerate(rows) if x["participant"] == r["participant"] and not x["name"]), None
                )
                if unnamed is None:
                    rows.append(r)
                else:
                    rows[unnamed] = dict(r, role=rows[unnamed]["role"])
    return out


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def extract_press_file(path: str | Path, ref: Reference | None = None) -> dict:
    """Read a press release file and extract its meetings, as JSON-serialisable data."""
    from etl.sources.press import read_press_file

    release = read_press_file(path)
    meta = release.meta
    meetings = extract_release(release.text, release.published, meta.get("url"), ref)
    source = {
        "url": meta.get("url"),
        "publisher": meta.get("publisher"),
        "title": meta.get("title"),
        "published": release.published,
        "sha256": release.sha256,
        "path": str(path),
    }
    return _jsonable({"source": source, "meetings": meetings})
