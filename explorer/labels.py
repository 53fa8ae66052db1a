"""Plain-English labels and colours for the codes used in the dataset (docs/records.md)."""

from __future__ import annotations

SERIES = {
    "heads_of_state": "Heads of state (summit)",
    "heads_of_government": "Heads of government",
    "foreign_ministers": "Foreign ministers",
    "defence_ministers": "Defence ministers",
    "security_council_secretaries": "Security council secretaries",
    "ministerial_other": "Other ministerial",
    "expert_group": "Expert and working groups",
    "bilateral_sideline": "Bilateral, on the sidelines",
    "courtesy_call": "Courtesy calls",
    "military_exercise": "Military exercises",
    "other": "Other",
}

# How a series reads inside a sentence: "<noun> meetings".
SERIES_NOUN = {
    "heads_of_state": "heads of state",
    "heads_of_government": "heads of government",
    "foreign_ministers": "foreign ministers'",
    "defence_ministers": "defence ministers'",
    "security_council_secretaries": "security council secretaries'",
    "ministerial_other": "other ministerial",
    "expert_group": "expert group",
    "bilateral_sideline": "bilateral sideline",
    "courtesy_call": "courtesy call",
    "military_exercise": "military exercise",
    "other": "other",
}

# The regular council-level series: a member is expected at every one of them while a member.
COUNCIL_SERIES = (
    "heads_of_state",
    "heads_of_government",
    "foreign_ministers",
    "defence_ministers",
    "security_council_secretaries",
)
# Which series each status makes a state eligible for (the attendance rate's denominator).
ELIGIBLE_SERIES = {
    "member": COUNCIL_SERIES,
    "observer": ("heads_of_state",),
    "dialogue_partner": (),
    "partner": (),
}

LEVELS = {
    "head_of_state": "Head of state",
    "head_of_government": "Head of government",
    "deputy_head": "Deputy head of state or government",
    "minister": "Minister",
    "deputy_minister": "Deputy minister",
    "ambassador": "Ambassador or envoy",
    "senior_official": "Senior official",
    "military_chief": "Military chief",
    "head_of_organisation": "Head of an organisation",
    "other": "Other",
}

STATUSES = {
    "member": "Member",
    "observer": "Observer",
    "dialogue_partner": "Dialogue partner",
    "partner": "Partner",
    "guest": "Guest",
    "organisation": "Organisation",
}
MEMBERSHIP_STATUSES = ("member", "observer", "dialogue_partner", "partner")

# Colours (hex) for SCO statuses, used by charts, the map and its legend.
STATUS_COLORS = {
    "member": "#1f5f8b",
    "observer": "#e69f00",
    "dialogue_partner": "#56b4e9",
    "partner": "#009e73",
    "guest": "#b0b7bf",
    "organisation": "#8c6bb1",
}
NO_STATUS_COLOR = "#e4e8ec"

ROLES = {
    "head_of_delegation": "Head of delegation",
    "member": "Delegation member",
    "host": "Host",
    "guest": "Guest",
}

FORMATS = {"in_person": "In person", "virtual": "Virtual", "hybrid": "Hybrid"}


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label of a code, or the code itself with underscores as spaces."""
    if code is None:
        return ""
    return mapping.get(code, str(code).replace("_", " "))


def hex_to_rgb(color: str, alpha: int = 255) -> list[int]:
    """[r, g, b, a] of a #rrggbb colour (for pydeck)."""
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]
