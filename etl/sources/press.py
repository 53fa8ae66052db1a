"""Press releases: text, Markdown or HTML files with optional YAML front matter.

Front matter (all optional) sits between two `---` lines at the top:
url, publisher, published (YYYY-MM-DD), title, retrieved. HTML is reduced to text
(scripts and styles dropped, block elements become line breaks); character offsets
of evidence spans refer to that text.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import yaml

from etl.sources import InputError, load_yaml

PRESS_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


@dataclass
class PressRelease:
    path: str
    text: str
    sha256: str
    meta: dict = field(default_factory=dict)

    @property
    def published(self) -> date | None:
        value = self.meta.get("published")
        if isinstance(value, date):
            return value
        if not value:
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            pass
        dotted = re.match(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b", str(value))  # 21.05.2024 14:54
        if dotted:
            try:
                return date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
            except ValueError:
                return None
        from etl.normalize.dates import parse_date_span  # "21 May 2024", "May 21, 2024"

        try:
            span = parse_date_span(re.sub(r"[ ,T]+\d{1,2}:\d{2}.*$", "", str(value)).strip())
        except ValueError:
            return None
        return span.start if span.precision == "day" else None


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document, one block per line."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


_PLAIN_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ \t]*(?P<value>.*?)[ \t]*$")


def _plain_front_matter(block: str) -> dict | None:
    """Front matter read as plain ``key: value`` lines (the value is all text after the first colon, as
    text), or None when a line is not of that form."""
    meta = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        m = _PLAIN_LINE.match(line)
        if not m:
            return None
        value = m.group("value")
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[m.group("key")] = value or None
    return meta


def parse_press_bytes(data: bytes, path: str) -> PressRelease:
    """Decode, split front matter and reduce HTML; raise InputError with a reason code."""
    if not data.strip():
        raise InputError("empty_file", "file is empty")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            "not_utf8", f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    if "\x00" in raw:
        raise InputError("not_text", "file holds NUL bytes: not a text file")
    meta: dict = {}
    body = raw
    m = _FRONT.match(raw)
    if m:
        try:
            meta = load_yaml(m.group(1)) or {}
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            meta = _plain_front_matter(m.group(1))  # "title: In Pics: drills" is not YAML but is clear
            if meta is None:
                raise InputError(
                    "malformed_file", f"front matter is not valid YAML: {str(exc).splitlines()[0]}"
                ) from exc
        if not isinstance(meta, dict):
            raise InputError("malformed_file", "front matter is not a mapping of keys to values")
        body = raw[m.end() :]
    if path.lower().endswith((".html", ".htm")) or re.match(r"\s*<(!doctype|html)", body, re.I):
        body = html_to_text(body)
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise InputError("empty_file", "no text after the front matter")
    return PressRelease(path, body, hashlib.sha256(body.encode()).hexdigest(), meta)


def read_press_file(path: Path | str) -> PressRelease:
    """Read one press release file (see parse_press_bytes)."""
    p = Path(path)
    return parse_press_bytes(p.read_bytes(), str(p))
