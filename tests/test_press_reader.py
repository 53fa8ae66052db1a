"""Front matter of press releases as people write it: loose YAML, dates in several forms."""

from __future__ import annotations

from datetime import date

import pytest

from etl.sources import InputError
from etl.sources.press import parse_press_bytes


@pytest.mark.parametrize(
    "published, expected",
    [
        ("2024-05-21", date(2024, 5, 21)),
        ("2024-05-21T10:15:00+06:00", date(2024, 5, 21)),
        ("May 21, 2024", date(2024, 5, 21)),
        ("21 May 2024 10:00", date(2024, 5, 21)),
        ("21.05.2024 14:54:00", date(2024, 5, 21)),
        ("May 2024", None),  # not a day: no anchor for relative days
        ("yesterday", None),
        ("31.02.2024", None),
    ],
)
def test_published_dates_are_read_in_the_forms_sites_print_them(published, expected):
    release = parse_press_bytes(f"---\npublished: {published}\n---\nBody.".encode(), "x.txt")
    assert release.published == expected


def test_front_matter_that_is_not_yaml_but_plain_key_value_lines_is_read():
    raw = b'---\nurl: https://example.org/a\ntitle: In Pictures: "Peace Mission" drills\npublished: 2016-09-20\n---\nBody.'
    release = parse_press_bytes(raw, "x.txt")
    assert release.meta["title"] == 'In Pictures: "Peace Mission" drills'
    assert release.meta["url"] == "https://example.org/a"
    assert release.published == date(2016, 9, 20)


def test_front_matter_that_is_neither_is_rejected_with_its_reason():
    with pytest.raises(InputError, match="front matter is not valid YAML"):
        parse_press_bytes(b"---\ntitle: [unclosed\n  - and: {\n---\nBody.", "x.txt")
