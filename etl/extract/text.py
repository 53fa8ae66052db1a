"""Layout of a press release: header lines, dateline, sentences and footer.

Offsets always index into the text passed in. A dateline ("BEIJING, Dec. 13 (Xinhua) --",
"MOSCOW, June 15. /TASS/.", "ASTANA. KAZINFORM -") gives the filing city and date, which
are not necessarily the meeting's. Sentence splitting is heuristic: abbreviations such as
"Dec.", "Mr." and initials ("S. Jaishankar") do not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.extract.fast import lowered

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_DL_CITY = r"(?P<city>[A-Z][A-Z'’\-]+(?:[ -][A-Z][A-Z'’\-]+){0,2})(?:,\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?=,)|\s*\[[^\]]{1,30}\])?"
_DL_DATE = rf"(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?)"
_DATELINES = (
    # BEIJING, Dec. 13 (Xinhua) --      ASTANA, July 4 (Xinhua) -
    re.compile(rf"{_DL_CITY},\s+{_DL_DATE}\s*\((?P<agency>[A-Za-z][\w .-]{{1,20}})\)\s*(?:--|[-–—:])\s*"),
    # MOSCOW, June 15. /TASS/.     TASHKENT. /TASS/.
    re.compile(rf"{_DL_CITY}(?:,\s+{_DL_DATE})?\.?,?\s*/(?P<agency>TASS|ТАСС)/\.?\s*"),
    # ASTANA. KAZINFORM -   ASTANA. July 4. KAZINFORM -
    re.compile(rf"{_DL_CITY}\.\s+(?:{_DL_DATE}\.?\s+)?(?P<agency>KAZINFORM|Kazinform)\s*(?:--|[-–—:.])?\s*"),
    # Almaty. September 14. Silkroadnews –   Astana. October 31. Kazakhstan Today -
    re.compile(
        rf"(?P<city>[A-Z][A-Za-z'’\-]+(?:\s[A-Z][A-Za-z'’\-]+)?)\.\s+{_DL_DATE}\.?\s+"
        rf"(?P<agency>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)\s*(?:--|[-–—:])\s*"
    ),
    # NEW DELHI, 4 July 2024 --   Astana, 4 July 2024 —
    re.compile(
        rf"(?P<city>[A-Z][A-Za-z'’\-]+(?:\s[A-Z][A-Za-z'’\-]+)?)(?:\s*\[[^\]]{{1,30}}\])?,\s+{_DL_DATE}\s*(?:\((?P<agency>[^)]{{1,20}})\))?\s*(?:--|[-–—:])\s*"
    ),
    # DUSHANBE, April 14, 2015, Asia-Plus –
    re.compile(rf"{_DL_CITY},\s+{_DL_DATE},\s*(?P<agency>[A-Z][\w .-]{{1,20}}?)\s*(?:--|[-–—:])\s+"),
    # BEIJING, (UrduPoint / Pakistan Point News - 22nd Aug, 2022 ) :
    re.compile(rf"{_DL_CITY},\s*\((?P<agency>[^()]{{1,80}})\)\s*(?::|--|[–—-])\s*"),
    # NEW DELHI: / ISLAMABAD (APP) - / ALMATY - "Peace Mission 2010" ...
    re.compile(rf"{_DL_CITY}\s*(?:\((?P<agency>[A-Za-z][\w .-]{{1,20}})\))?\s*(?::|--|[–—]|(?<=\s)-)\s+"),
    # Tashkent, Uzbekistan (UzDaily.com) -- : the city in title case, its country, the agency in brackets
    re.compile(
        r"(?P<city>[A-Z][a-z'’\-]+(?:\s[A-Z][a-z'’\-]+)?),\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s*"
        r"\((?P<agency>[^()]{1,30})\)\s*(?:--|[-–—:])\s*"
    ),
    # New Delhi: / Tianjin (PTI): — the city in title case, then a colon
    re.compile(r"(?P<city>[A-Z][a-z'’\-]+(?:\s[A-Z][a-z'’\-]+)?)\s*(?:\((?P<agency>[A-Za-z][\w .-]{1,20})\))?:\s+"),
)
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "adm",
        "prof",
        "sen",
        "rep",
        "gov",
        "no",
        "vol",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "u.s",
        "u.k",
        "h.e",
        "e.g",
        "i.e",
        "approx",
        "jr",
        "sr",
    ]
)
# A sentence end: [.!?]+ and closing quotes or brackets before white space, or a line break. Written
# as one character class first (then the rest of each branch) so that re skips quickly to candidates;
# the same matches as r"[.!?]+[\"”’)\]]*(?=\s)|\n".
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[.!?]*[\"”’)\]]*(?=\s))")
# A breadcrumb line; _breadcrumb() tests it without trying the pattern at every position.
_BREADCRUMB = re.compile(r">|»|^(home|news|press releases?|print|share|close|email|suggest to a friend)\b", re.I)
_BREADCRUMB_START = re.compile(r"(home|news|press releases?|print|share|close|email|suggest to a friend)\b", re.I)


def _breadcrumb(line: str) -> bool:
    """bool(_BREADCRUMB.search(line)), without trying the pattern at every position."""
    return ">" in line or "»" in line or _BREADCRUMB_START.match(line) is not None


_FOOTER = re.compile(
    r"^(suggest to a friend|print|share|close|e-?mail|tweet|related|source|back to top|\[?print\]?|editor:).{0,40}$",
    re.I,
)
# A line that ends the article on a news site: what follows is comments, links to other stories, menus.
_END_OF_ARTICLE = re.compile(
    r"\s*(?:stay\s+tuned|leave\s+a\s+(?:reply|comment)|your\s+email\s+address\s+will\s+not"
    r"|related\s+(?:news|articles?|posts?|stories|content|topics)|you\s+(?:may|might)\s+also\s+like"
    r"|related\s+(?:readings?|links?|coverage)|more\s+(?:news|stories)\s+(?:from|on)|most\s+(?:read|popular|viewed)"
    r"|recommended\s+for\s+you"
    r"|trending\s+now|tags?\s*:|share\s+this|follow\s+us\b|subscribe\s+to\b|comments?\s*(?:\(\d+\))?\s*$"
    r"|advertisement\s*$|top\s+stories\s*$|latest\s+news\s*$)",
    re.I,
)
# a word of every _END_OF_ARTICLE alternative
_END_OF_ARTICLE_WORDS = (
    "stay tuned", "leave a", "email address", "related news", "related article", "related post", "related stories",
    "related content", "related topics", "related reading", "related link", "related coverage", "also like",
    "more news", "more stories", "most read", "most popular", "most viewed", "recommended for", "trending now",
    "tags:", "tag:", "share this", "follow us", "subscribe to", "comment", "advertisement", "top stories", "latest news",
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"”’]?$")
_WORD_START = re.compile(r"[A-Za-z][\w'’-]*")
_DOTTED_WORD = re.compile(r"([\w.]+)\.+[\"”’)\]]*$")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]?")
_DATE_ONLY = re.compile(
    rf"^\s*(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)\s*$"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: absolute offsets, paragraph number and text."""

    start: int
    end: int
    para: int
    text: str


@dataclass(frozen=True)
class Dateline:
    """The dateline at the top of a release: filing city, date and agency as written."""

    city: str  # as written
    city_start: int
    date_text: str | None
    date_start: int | None
    agency: str | None
    end: int


@dataclass
class Doc:
    """A release split into header, dateline, body sentences and footer."""

    text: str
    body_start: int
    body_end: int
    headline: tuple[int, int] | None
    sentences: list[Sentence]
    dateline: Dateline | None
    footer_lines: list[tuple[int, int]] = field(default_factory=list)
    stamp: str | None = None  # a date printed above the text ("24 July 2020, 13:59"): when it was filed


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        start = pos + len(line) - len(line.lstrip())
        end = pos + len(line.rstrip())
        if end > start:
            spans.append((start, end))
        pos += len(line) + 1
    return spans


def _unwrap(text: str, lines: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], bool]:
    """Lines joined into paragraphs when the text is hard-wrapped (most lines near one width, many ending
    mid-sentence): a line that runs near the full width goes on in the next one, unless a blank line
    follows. Returns the spans and whether any were joined."""
    if len(lines) < 6:
        return lines, False
    widths = [e - s for s, e in lines]
    width = max(widths)
    if not 50 <= width <= 100:
        return lines, False
    full = [i for i, w in enumerate(widths) if w >= 0.75 * width]
    open_ended = [i for i in full if text[lines[i][1] - 1] not in _LINE_END_CHARS]
    if len(full) < 0.5 * len(lines) or len(open_ended) < 0.4 * len(full):
        return lines, False
    out = [lines[0]]
    for (s, e), prev_width in zip(lines[1:], widths, strict=False):
        ps, pe = out[-1]
        gap = text[pe:s]
        if gap.count("\n") == 1 and prev_width >= 0.75 * width:
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out, True


def _is_header(line: str) -> bool:
    if _breadcrumb(line) and len(line) < 120:
        return True
    if len(line) > 220 or _SENTENCE_END.search(line) and len(line) > 60:
        return False
    words = _WORD_START.findall(line)
    if not words:
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.6 or not _SENTENCE_END.search(line)


def _is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line)) or bool(_DATE_ONLY.match(line)) or (len(line) < 30 and not line.endswith("."))


# A header line holding a date, maybe a time, maybe a place: "September 11, 2014, Dushanbe" (the Kremlin's
# events: the day and the city of the event), "24 July 2020, 13:59", "Updated 31 August 2025 at 19:56 IST".
_HEADER_DATE = re.compile(
    rf"\s*(?:(?:updated|published|posted)(?:\s+on)?:?\s+)?(?P<date>{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
    r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*(?:[AaPp]\.?[Mm]\.?|IST|GMT|UTC|MSK))?(?:\s*\([^()]{1,20}\))?)?"
    r"(?:,\s*(?P<city>[A-Z][A-Za-z'’\- ]{2,30}?))?\s*(?:\d+\s*)?$",
    re.I,
)


def header_date(text: str, start: int, end: int) -> tuple[str, int, str | None, int | None] | None:
    """(date as written, its offset, city or None, its offset) of a header date line, or None."""
    m = _HEADER_DATE.match(text, start, end)
    if not m:
        return None
    return m.group("date"), m.start("date"), m.group("city"), m.start("city") if m.group("city") else None


def find_dateline(text: str, start: int) -> Dateline | None:
    """The dateline at ``start`` (city, date, agency), or None."""
    head = text[start : start + 160]
    for pattern in _DATELINES:
        m = pattern.match(head)
        if m and m.group("city"):
            date = m.groupdict().get("date")
            return Dateline(
                m.group("city"),
                start + m.start("city"),
                date,
                start + m.start("date") if date else None,
                (m.groupdict().get("agency") or None),
                start + m.end(),
            )
    return None


_LINE_END_CHARS = frozenset('.!?:;"”’)')
_WRAPPED_BOUNDARY = re.compile(r"[.!?](?:(?<=[.!?])[.!?]*[\"”’)\]]*(?=\s))")
_LINK_LINE = re.compile(
    r"\s*(?:also\s+read|read\s+also|read\s+more|see\s+also|related\s*:|also\s+watch|watch\s*:)", re.I
)
_NEXT_WORD = re.compile(r"\s+([A-Z][\w'’-]*)")
_SENTENCE_STARTS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "in",
        "on",
        "at",
        "as",
        "after",
        "before",
        "during",
        "meanwhile",
        "also",
        "earlier",
        "later",
        "there",
        "but",
        "and",
        "however",
        "president",
        "prime",
        "minister",
    ]
)
_TWO_LETTER_INITIAL = re.compile(r"(?:Ch|Kh|Sh|Ts|Zh|Yu|Ya|Yo|Ye)")


def split_sentences(text: str, start: int, end: int, para: int, wrapped: bool = False) -> list[Sentence]:
    """Sentences of text[start:end] with absolute offsets (``wrapped``: line breaks are not boundaries)."""
    out = []
    cur = start
    for m in (_WRAPPED_BOUNDARY if wrapped else _BOUNDARY).finditer(text, start, end):
        stop = m.end()
        if m.group(0) != "\n":
            before = _DOTTED_WORD.search(text[max(cur, stop - 12) : stop])
            word = before.group(1).lower() if before else ""
            if before and len(before.group(1)) == 2 and _TWO_LETTER_INITIAL.fullmatch(before.group(1)):
                continue  # "Ts. Elbegdorj", "Sh. Mirziyoyev": transliterated two-letter initials
            if word in _ABBREV or (len(word) == 1 and word.isalpha()) or _INITIALS.fullmatch(word):
                nxt = text[stop : stop + 3].lstrip()
                if not nxt or not nxt[0].isupper() or word in _ABBREV or len(word) == 1:
                    continue
                after = _NEXT_WORD.match(text, stop, end)
                if len(word) <= 4 and after and after.group(1).lower() not in _SENTENCE_STARTS:
                    continue  # "A.U. Mamin", "M.V. Mishustin": initials before a surname
        piece = text[cur:stop].strip()
        if piece:
            s = cur + (len(text[cur:stop]) - len(text[cur:stop].lstrip()))
            out.append(Sentence(s, s + len(piece), para, piece))
        cur = stop
    piece = text[cur:end].strip()
    if piece:
        s = cur + (len(text[cur:end]) - len(text[cur:end].lstrip()))
        out.append(Sentence(s, s + len(piece), para, piece))
    return out


def _site_blocks(text: str, lines: list[tuple[int, int]], first: int) -> set[int]:
    """Starts of the lines of a news site's blocks inside or after the article: from a line such as
    "Related readings:", "Leave a Reply" or "Stay tuned", the headlines and short lines that follow it,
    up to the next line that reads as a paragraph of the article."""
    out: set[int] = set()
    low = lowered(text)  # the release's mirror, which the extractor takes anyway
    if not any(word in low for word in _END_OF_ARTICLE_WORDS):
        return out  # a quick look for the words first: most texts have no such block
    skipping = False
    for s, e in lines[first:]:
        if _END_OF_ARTICLE.match(text, s, e):
            skipping = True
        elif skipping and e - s >= 60 and _SENTENCE_END.search(text, s, e):
            skipping = False  # the article goes on
        if skipping:
            out.add(s)
    return out


_TITLE_LINE = re.compile(
    r"\s*(?:H\.?E\.?\s+|Mr\.?\s+|Ms\.?\s+)?(?:President|Prime|Premier|Minister|Chairman|Chair|Secretary|Foreign|Deputy|Vice|Head|"
    r"Ambassador|Director|General|Mr|Ms|Dr)\b"
)


def _headline_tail(text: str, lines: list[tuple[int, int]], first: int) -> set[int]:
    """Starts of a run of three or more headline lines (no closing stop, a few words each, one with a
    word in lower case) that ends the text after the article: links to other stories."""
    run: list[int] = []
    for s, e in reversed(lines[first + 1 :]):
        line = text[s:e].strip()
        words = line.split()
        if not (3 <= len(words) <= 16) or _SENTENCE_END.search(line) or line.endswith(":") or line[0] in "-–•*·":
            break
        run.append(s)
    if len(run) < 3:
        return set()
    titled = sum(1 for s in run if _TITLE_LINE.match(text, s))
    return set(run) if titled * 2 < len(run) else set()  # (not a list of attendees, one per line)


def analyse(text: str) -> Doc:
    """Split a release into header, dateline, body sentences and footer."""
    lines, wrapped = _unwrap(text, _lines(text))
    first = 0
    headline = None
    while first < len(lines) - 1 and _is_header(text[lines[first][0] : lines[first][1]]):
        if not _breadcrumb(text[lines[first][0] : lines[first][1]]):
            headline = lines[first]
        first += 1
    last = len(lines)
    skipped = _site_blocks(text, lines, first + 1) | _headline_tail(text, lines, first)
    footer: list[tuple[int, int]] = []
    while last - 1 > first and _is_footer(text[lines[last - 1][0] : lines[last - 1][1]]):
        last -= 1
        footer.insert(0, lines[last])
    if first >= last:
        first, headline = 0, None
    body = lines[first:last]
    dateline = find_dateline(text, body[0][0]) if body else None
    stamp = None
    for s, e in lines[:first]:
        found = header_date(text, s, e)
        if found is None:
            continue
        date_text, date_at, city, city_at = found
        stamp = stamp or date_text
        if dateline is None and city is not None and city_at is not None:
            dateline = Dateline(city, city_at, date_text, date_at, None, e)
    sentences: list[Sentence] = []
    for para, (s, e) in enumerate(body):
        if (text[s] in "AaRrSsW" and _LINK_LINE.match(text, s, e)) or s in skipped:
            continue  # "Also read | ..." links to other stories; comment forms, "Related" lists
        if para == 0 and dateline and body[0][0] <= dateline.end <= e:
            s = dateline.end
        sentences.extend(split_sentences(text, s, e, para, wrapped))
    body_start = body[0][0] if body else 0
    body_end = body[-1][1] if body else len(text)
    return Doc(text, body_start, body_end, headline, sentences, dateline, footer, stamp)
