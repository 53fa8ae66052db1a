"""Titles as written in sources -> delegation level, by the ordered rules in title_levels.csv."""

from __future__ import annotations

from etl.reference import Reference


def delegation_level(title: str | None, ref: Reference) -> str:
    """The level of a delegate with this title: the first matching rule wins; 'other' if none."""
    if not title:
        return "other"
    text = " ".join(str(title).split())
    for rule in ref.level_rules:
        if rule.pattern.search(text):
            return rule.level
    return "other"
