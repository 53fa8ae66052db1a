"""Meetings of a release: which meetings it reports and who attended each.

The lead sentence decides the main meeting: a council (series from extract_series.csv),
a courtesy call (a leader "met with"/"received" a group of ministers) or a bilateral
meeting (a leader met one counterpart). Later sentences can open further bilateral
meetings ("on the sidelines, he met ...") or courtesy calls ("the ministers were received
by ..."); such a frame runs to the end of its paragraph. Caveats: a frame never spans
paragraphs; "summit" alone is resolved by who attends (heads of government from countries
whose president leads -> heads_of_government); dates and cities are taken from the
trigger sentence first, then its paragraph, the lead paragraph and the dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, reduce
from operator import or_
from urllib.parse import urlparse

from rapidfuzz import fuzz

from etl.extract.fast import WORDS, gated, lowered, text_mask, unknown
from etl.extract.lexicon import Lexicon, SeriesRule, country_of, name_key
from etl.extract.people import (
    ATTENDED_CUE,
    DURING_MEETING_WITH,
    Mention,
    context_positions,
    ends_with_country,
    group_patterns,
    groups_in,
    is_capitalised,
    persons_in,
)
from etl.extract.text import Doc, Sentence
from etl.extract.when import DateMention, find_dates, parse_written
from etl.normalize.dates import DateSpan
from etl.normalize.levels import delegation_level

_MEET = gated(
    r"\b(?:met|meets|meet|meeting)\s+(?:separately\s+|also\s+|later\s+)?with\b|\b(?:met|meets)\b(?!\s+by\b)|"
    r"\b(?:held|holds|hold|had|has|have|engaged\s+in|conducted)\s+(?:[“\"‘]?(?:bilateral|separate|official|informal|one-on-one|brief|"
    r"a|an|round\s+of|productive|substantive|fruitful|cordial|useful|warm)\s+)*[“\"‘]?(?:talks|meetings?|consultations|"
    r"conversations?|discussions?)\b[^.;]{0,120}?\bwith\b|\btalks\s+with\b|\b(?:conversed|interacted|engaged)\s+with\b",
    re.IGNORECASE,
)
_IS_MEETING = re.compile(r"\b(?:is|are)\s+meeting\s+(?=(?:his|her|their)\s|[A-Z])")
_PLANNED = re.compile(
    r"\b(?:will|would|shall|(?:is|are|was|were)\s+(?:scheduled|expected|due|set|going|slated)\s+to|"
    r"(?:plans?|planning|intends?|hopes?|wants?)\s+to|(?:is|are)\s+to|(?:is|are)\s+(?:also\s+)?likely\s+to)\s+"
    r"(?:also\s+|then\s+|later\s+)?$",
    re.I,
)
# "will also have a bilateral meeting with", "will be holding talks with": the verb before the noun
_HAVE_A_MEETING = re.compile(
    r"(?:be\s+)?(?:have|hold|holding|having|conduct|conducting)\s+(?:(?:a|an|bilateral|separate|one-on-one|formal|"
    r"informal|brief|official)\s+)*$",
    re.I,
)


def _planned_before(text: str, lo: int, hi: int) -> bool:
    """Whether the words just before a meeting verb (or "have a meeting") say it is only planned."""
    lead = _HAVE_A_MEETING.search(text, lo, hi)
    return _PLANNED.search(text, lo, lead.start() if lead else hi) is not None


_SEPARATE_TALKS = re.compile(r"\b(?:talks|discussions?|bilateral|separate|one-on-one|conversations?)\b", re.I)
_DURING_MEETING = re.compile(DURING_MEETING_WITH, re.I)
_RECEIVE = gated(r"\b(?:received|receives|receive|receiving)\b", re.IGNORECASE)
_PASSIVE = gated(
    r"\b(?:was|were|had\s+been)\s+(?:\w+ly\s+|later\s+|also\s+|then\s+|jointly\s+)?received\s+by\b|\bcalled\s+on\b|\bpaid\s+a\s+courtesy\s+call\s+on\b|"
    r"\b(?P<meal>lunch|dinner|breakfast|luncheon)\s+(?:hosted|given)\s+by\b",
    re.IGNORECASE,
)
_ATTENDED_A = re.compile(r"\battended\s+an?\s+(?:working\s+|official\s+)?$")
_GROUP_SUBJ = re.compile(
    r"^\s*(?:(?:then|later|afterwards|also),?\s+)?(?:the|all|they|both)?\s*(?:[\w'’-]+\s+){0,3}?"
    r"(?:ministers|heads\s+of\s+(?:the\s+)?delegations?|participants|delegates|secretaries|leaders|chiefs|"
    r"delegation\s+leaders|heads\s+of\s+state|prime\s+ministers)"
    r"(?:\s+of\s+[^,;.]{0,60}?)?\s*(?:,\s*[^,;.]{0,60},\s*)?(?:(?:also|later|then|jointly)\s+)?$|^\s*They\s+(?:also\s+|later\s+|then\s+)?$",
    re.IGNORECASE,
)
_GROUP_OBJ = re.compile(
    r"(?:\s+(?:on|at|in)\s+[^,;]{0,70}?)?\s+(?:with\s+)?(?:the\s+|a\s+group\s+of\s+|all\s+)?(?:[\w'’-]+\s+){0,4}?"
    r"(?P<grp>prime\s+ministers|ministers|heads\s+of\s+(?:the\s+)?delegations?|heads\s+of\s+state|heads|participants|"
    r"delegates|secretaries|leaders|chiefs|representatives|delegations|envoys|ambassadors|diplomats|"
    r"members\s+of\s+the\s+\w+)\b",
    re.IGNORECASE,
)
SIDELINE = gated(
    r"\b(?:on|in|at)\s+the\s+(?:sidelines?|margins?)\b|\bon\s+the\s+eve\s+of\b|\bahead\s+of\b|\bprior\s+to\b|"
    r"\bwhile\s+attending\b|\bwithin\s+the\s+framework\s+of\b|\bin\s+the\s+framework\s+of\b|\bduring\s+the\b|"
    r"\bbilateral\b|\bsideline\b",
    re.IGNORECASE,
)
_SEQUENCE = gated(
    r"\b(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty-first|twenty-second|twenty-third|twenty-fourth|twenty-fifth|twenty-sixth))\s+"
    r"(?:regular\s+|extraordinary\s+|annual\s+|sco\s+)?(?:meeting|session|summit)\b",
    re.IGNORECASE,
)
_ORDINALS = {w: i + 1 for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth"])}  # fmt: skip
_CITY_BEFORE = re.compile(
    r"(?i:\b(?:in|at|to|of|hosted|held|host|venue|visiting|visit|capital|city)\s+(?:the\s+)?)"
    r"(?:[A-Z][\w-]+(?:'s|’s)?\s+){0,2}(?:(?:(?:largest|biggest|second[- ]largest|ancient|historic|historical|"
    r"southern|northern|eastern|western|central|coastal|northeastern|northwestern|southeastern|southwestern)\s+)?"
    r"(?:capital|city|port\s+city|resort\s+city|region)\s+(?:of\s+)?)?$"
)
_CITY_AFTER_BAD = re.compile(
    r"^\s*(?:(?i:cooperation)|Spirit|Five|Declaration|Convention|Charter|Initiative|"
    r"International(?!\s+(?:Convention|Conference|Exhibition|Congress|Expo)\b)|Organi[sz]ation|"
    r"Agreement|Treaty|Process|Format|Forum|Group)\b"
)
_REGION_OF = re.compile(r"\b(?:province|region|oblast|district|autonomous\s+region)\s+of\s+(?:the\s+)?$", re.I)
_CITY_HOSTS = re.compile(
    r"^\s*(?:hosted|hosts|will\s+host|is\s+hosting|was\s+the\s+venue|played\s+host|has\s+hosted|"
    r"(?:has\s+held|held|holds|is\s+holding)\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,4}?(?:meeting|summit|session|conference|sitting|forum))\b",
    re.I,
)
_CITY_APPOSITION_AFTER = re.compile(
    r"\s*,\s*(?:the\s+)?(?:capital|city)\b[^,;.]{0,60},\s*(?:hosted|hosts|will\s+host|is\s+hosting|was\s+the\s+venue|played\s+host)\b",
    re.I,
)
_ABOUT_IT = re.compile(
    r"\s*(?:(?:During|At|In\s+the\s+course\s+of)\s+the\s+(?:meeting|talks)|The\s+(?:meeting|talks)\b)"
)
_CITY_MEETING_AFTER = re.compile(r"\s+(?:summit|meeting|session|talks|conference|gathering)\b", re.I)
_CITY_OTHER_BEFORE = re.compile(
    r"\b(?:for|to|towards|ahead\s+of|before|after|since|at|upcoming|next|forthcoming|previous|last|coming)\s+(?:the\s+)?$",
    re.I,
)
_CITY_APPOSITION_BEFORE = re.compile(r"\b(?:the\s+)?capital\s+of\s+(?:the\s+)?[A-Z][\w'’ -]{1,50},\s*$")
_NOW = gated(
    r"\b(?:kicks\s+off|(?:has|have)\s+kicked\s+off|is\s+being\s+held|are\s+being\s+held|is\s+taking\s+place|"
    r"are\s+taking\s+place|is\s+under\s*way|(?:has|have)\s+got\s+under\s*way|gets\s+under\s*way|commences|"
    r"(?:has|have)\s+(?:opened|started|begun|commenced)|opens\s+in|are\s+attending|is\s+attending|"
    r"are\s+participating|are\s+taking\s+part|is\s+taking\s+part|is\s+hosting|convenes\s+in|"
    r"(?:has|have)\s+just\s+(?:concluded|ended|closed|wrapped\s+up))\b",
    re.IGNORECASE,
)
_PREP_BEFORE = re.compile(r"\b(?:prepar\w*|ahead\s+of)\s+(?:for\s+)?(?:the\s+)?$", re.I)
_GENERIC = gated(r"\b(?:traditionally|usually|as\s+a\s+rule|annually|every\s+year|each\s+year)\b", re.I)
_NOT_NOW = re.compile(r"\b(?:will|shall|annually|every\s+year|each\s+year|usually|traditionally|next)\b", re.I)
_HERE = gated(r"\bhere\b", re.IGNORECASE)
_CAPITAL = gated(r"\bthe\s+(?P<c>[A-Z][a-z]+)\s+capital\b")
_VENUE_AT = re.compile(
    r"\b(?:at|in)\s+the\s+(?P<v>[A-Z][\w'’-]*(?:\s+(?:of\s+the\s+|of\s+|and\s+|the\s+)?[A-Z][\w'’-]*){0,6})"
)
_CHAIR = gated(
    r"\b(?:chaired|presided\s+over|co-chaired)\s+by\b|\bunder\s+the\s+(?:rotating\s+)?(?:chairmanship|presidency|chair)\s+of\b|"
    r"\bas\s+the\s+(?:rotating\s+)?(?:chair|president|presidency|chairman)\b|\b(?:chairmanship|presidency)\b|"
    r"\bchaired\b|\bpresided\s+over\b",
    re.IGNORECASE,
)
_HOSTED_BY = re.compile(r"\bhosted\s+by\b|\bat\s+the\s+invitation\s+of\b", re.IGNORECASE)
_HISTORY = gated(
    r"\b(?:last\s+(?:year|month)|previous\s+(?:summit|meeting)|next\s+year|founded|was\s+established|were\s+established|"
    r"since\s+its\s+(?:founding|inception|establishment)|recalled|anniversary|years\s+ago)\b",
    re.IGNORECASE,
)
_FUTURE = gated(
    r"\b(?:(?:will|would)\s+(?:be\s+held|take\s+place|host|gather|convene|meet|attend|visit|hold)|slated|scheduled|upcoming|due\s+to\s+(?:be\s+held|take)|"
    r"is\s+to\s+be\s+held|to\s+be\s+held)\b",
    re.IGNORECASE,
)
_YEAR = gated(r"\b(19[89]\d|20[0-4]\d)\b")
_PERIOD = re.compile(
    r"\b(?:for|until|till|through)\s+(?:the\s+)?(?:years?\s+)?(?:19|20)\d\d(?:\s*(?:[-–—]|to)\s*(?:19|20)?\d\d)?\b|"
    r"\b(?:19|20)\d\d\s*(?:[-–—]|to)\s*(?:19|20)?\d\d\b|"
    r"\bsince\s+(?:[\w-]+\s+){0,6}?(?:in\s+)?(?:19|20)\d\d\b"  # "for the first time since the pandemic in 2020"
)
_CLAUSE_END = re.compile(r"[;.]\s|,\s+(?:who|which|where|and\s+(?:the|they|he|she))\b")
_NOT_A_PERSON = re.compile(r"(?:'s|’s)?\s+(?:Thought|era|administration|government)\b")
_REPORTED_BEFORE = re.compile(r"\b(said|announced|told|stated|reported)\s*(on\s*)?$")
_REPORTED_AFTER = re.compile(r"\s*,?\s*(said|announced|told)")
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
_VIA_VIDEO = re.compile(r"via|video", re.I)
EARLIER = re.compile(
    r"\s*(?:Earlier|Previously|Before that),?\s+(?!in\s+the\s+day|today|that\s+day|on\s+the\s+same)", re.I
)
_PRONOUN_START = re.compile(
    r"^\s*(?:(?:Earlier|Later|Meanwhile|Also|Then|Separately|Subsequently|Afterwards|Besides)"
    r"(?:\s+(?:in\s+the\s+day|on\s+\w+|today))?,?\s+)?(?:[Hh]e|[Ss]he|[Tt]hey|The\s+two|Both)\b"
)
_PM_LED = frozenset({"IND", "PAK", "ARM", "KHM", "NPL", "MMR", "MYS", "LAO", "VNM", "BHR", "KWT", "QAT", "ARE", "SAU"})
_TIER = {"head_of_state": 0, "head_of_government": 0, "deputy_head": 1, "minister": 2, "head_of_organisation": 2,
         "military_chief": 3, "deputy_minister": 3, "senior_official": 4, "ambassador": 4, "other": 5}  # fmt: skip
_RANK = {"head_of_state": 0, "head_of_government": 1, "deputy_head": 2, "minister": 3, "head_of_organisation": 3,
         "military_chief": 4, "deputy_minister": 5, "senior_official": 6, "ambassador": 7, "other": 8}  # fmt: skip
_SCO_BODIES = frozenset({"SCO-SEC", "SCO-RATS"})
SERIES_LABEL = {
    "heads_of_state": "SCO Council of Heads of State",
    "heads_of_government": "SCO Council of Heads of Government",
    "foreign_ministers": "SCO Council of Foreign Ministers",
    "defence_ministers": "Meeting of SCO Defence Ministers",
    "security_council_secretaries": "Meeting of Secretaries of SCO Security Councils",
    "expert_group": "SCO expert meeting",
    "military_exercise": "SCO joint military exercise",
    "other": "SCO-related meeting",
}


@dataclass
class Trigger:
    """The sentence and words that open a meeting, with who met whom."""

    kind: str  # council | courtesy | bilateral
    sent: int
    start: int
    end: int
    subjects: list[Mention] = field(default_factory=list)
    objects: list[Mention] = field(default_factory=list)
    series: str | None = None
    series_span: tuple[int, int] | None = None
    mechanism: str | None = None
    pair: bool = False  # "A and B met": may only retell a bilateral told before


@dataclass
class Frame:
    """A meeting being read: its trigger and the sentences that belong to it."""

    trigger: Trigger
    sentences: list[int]
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Context:
    """Everything read from one release: sentences, mentions, dates, home country."""

    text: str
    doc: Doc
    lex: Lexicon
    published: date | None
    url: str | None
    anchor: date | None = None
    home: str | None = None
    mentions: list[list[Mention]] = field(default_factory=list)
    dates: list[list[DateMention]] = field(default_factory=list)
    masks: list[int] = field(default_factory=list)  # WordIndex mask of each sentence (see etl.extract.fast)
    history: dict = field(default_factory=dict)  # history_sentence's answers, asked again and again


def ev(text: str, start: int, end: int) -> dict:
    """An evidence span of ``text``."""
    return {"text": text[start:end], "start": start, "end": end}


def home_country(url: str | None, agency: str | None, lex: Lexicon) -> str | None:
    """The country whose officials an unqualified title refers to, from the url or the news agency."""
    memo = lex.memo["home"]
    key = (url, agency)
    if key not in memo:
        if len(memo) > 20000:
            memo.clear()
        memo[key] = _home_country(url, agency, lex)
    return memo[key]


def _home_country(url: str | None, agency: str | None, lex: Lexicon) -> str | None:
    for value in (url or "", agency or ""):
        if not value:
            continue
        probe = value if value is agency else (urlparse(value).netloc + urlparse(value).path).lower()
        for pattern, iso3 in lex.source_rules:
            if pattern.search(probe):
                return iso3
    return None


PREP_WORDS = gated(r"\b(?:preparations?|prepares?|preparing|ahead|run-up|lead-up|eve|prelude)\b", re.IGNORECASE)
_PREPARING_FOR = re.compile(
    r"\b(?:preparations?|prepare|preparing|ahead|run-up|lead-up|eve|prelude)\s+(?:for|of|to)\s+(?:the\s+)?"
    r"(?:upcoming\s+|forthcoming\s+|next\s+)?(?:meeting\s+of\s+(?:the\s+)?)?(?:[\w()'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
_SERIES_MEMO: dict[tuple[str, int, int, int], tuple[SeriesRule, re.Match] | None] = {}


def series_match(text: str, start: int, end: int, lex: Lexicon, mask: int = -1) -> tuple[SeriesRule, re.Match] | None:
    """The first series rule (in file order) matching text[start:end], with its match (``mask``: the
    WordIndex mask of the sentence holding the range, when known)."""
    key = (text, start, end, id(lex))  # (a Path's hash is not cached: the lexicon's id is)
    if key in _SERIES_MEMO:
        return _SERIES_MEMO[key]
    if len(_SERIES_MEMO) > 512:
        _SERIES_MEMO.clear()
    found = _SERIES_MEMO[key] = _series_match(text, start, end, lex, mask)
    return found


def _series_match(text: str, start: int, end: int, lex: Lexicon, mask: int) -> tuple[SeriesRule, re.Match] | None:
    if mask == -1:
        mask = text_mask(text, start, end)
    fallback = None
    preparing = PREP_WORDS.may(mask)  # (a quick look at the sentence's words)
    for rule in _series_candidates(lex, mask):
        m = rule.pattern.search_ungated(text, start, end, mask)
        if m:
            if not (preparing and _PREPARING_FOR.search(text, max(start, m.start() - 120), m.start())):
                return rule, m
            fallback = fallback or (rule, m)  # "preparations for the Heads of State Council": another meeting
    return fallback


def _series_candidates(lex: Lexicon, mask: int) -> tuple[SeriesRule, ...]:
    """The series rules (in file order) that may match in a sentence with this WordIndex mask; memoised
    by the bits the rules look at, which few sentences vary in."""
    memo = lex.memo["series_rules"]
    union = memo.get("union")
    if union is None:
        union = memo["union"] = reduce(or_, (r.pattern.flag for r in lex.series_rules), 0)
    key = union if unknown(mask, union) else mask & union
    found = memo.get(key)
    if found is None:
        if len(memo) > 20000:
            memo.clear()
            memo["union"] = union
        found = memo[key] = tuple(r for r in lex.series_rules if r.pattern.may(mask))  # as for any mask with this key
    return found


def _clause_end(text: str, pos: int, end: int) -> int:
    m = _CLAUSE_END.search(text, pos, end)
    return m.start() if m else end


def _live(ms: list[Mention]) -> list[Mention]:
    return [m for m in ms if not m.excluded and m.participant != "__none__"]


def classify(ctx: Context, idx: int) -> Trigger | None:
    """The kind of meeting sentence ``idx`` opens, if any."""
    sent = ctx.doc.sentences[idx]
    text, lex = ctx.text, ctx.lex
    mask = ctx.masks[idx]
    ms = _live(ctx.mentions[idx])
    passive = _PASSIVE.search_in(mask, text, sent.start, sent.end)
    if (
        passive
        and passive.group("meal")
        and not _ATTENDED_A.search(text, max(sent.start, passive.start() - 30), passive.start())
    ):
        passive = None  # only "attended a working lunch hosted by X" is a call on X
    if passive:
        hosts = [m for m in ms if m.start >= passive.end() and m.name]
        if hosts:
            return Trigger(
                "courtesy",
                idx,
                passive.start(),
                passive.end(),
                hosts[:1],
                [m for m in ms if m.end <= passive.start()],
                *_group_series(ctx, sent, sent.start, passive.start(), mask),
            )
    meet = _MEET.search_in(mask, text, sent.start, sent.end)
    if meet is None and (
        text.find("is meeting", sent.start, sent.end) >= 0 or text.find("are meeting", sent.start, sent.end) >= 0
    ):
        meet = _IS_MEETING.search(text, sent.start, sent.end)  # "Lavrov is meeting his Iranian colleague"
    if meet and _planned_before(text, max(sent.start, meet.start() - 70), meet.start()):
        meet = None  # "is scheduled to meet with the Prime Minister on Tuesday": not yet held
    recv = _RECEIVE.search_in(mask, text, sent.start, sent.end)
    verb = min((v for v in (meet, recv) if v), key=lambda v: v.start(), default=None)
    during = verb is not None and verb is meet and _DURING_MEETING.match(text, sent.start, verb.end())
    if during:
        # "During a meeting with Secretary-General X in Tehran on Sunday, Araqchi reaffirmed ...": the
        # subject comes after the clause
        comma = text.find(",", verb.end(), sent.end)
        after = [m for m in ms if comma >= 0 and m.start > comma and m.name]
        objects = [m for m in ms if verb.end() <= m.start and (comma < 0 or m.end <= comma)]
        if after and objects:
            return Trigger("bilateral", idx, verb.start(), verb.end(), after[:1], objects)
    if verb:
        subjects = [m for m in ms if m.end <= verb.start() and m.name]
        objects = [m for m in ms if m.start >= verb.end()]
        stop = _clause_end(text, verb.end(), sent.end)
        grp = _GROUP_OBJ.match(text, verb.end(), stop)
        near_objects = [o for o in objects if not o.plural and (not grp or o.start < grp.start("grp"))]
        implicit = _PRONOUN_START.match(sent.text) or lex.title_core_re.first_in(mask, text, sent.start, verb.start())
        counterparts = [
            o
            for o in objects
            if (o.plural and o.title and "counterpart" in o.title.lower()) or (o.source == "paired" and o.counterpart)
        ]
        if counterparts and (subjects or implicit) and len(counterparts) == len(objects):
            # "met his counterparts from Uzbekistan, Kazakhstan and Tajikistan": one bilateral each
            return Trigger("bilateral", idx, verb.start(), verb.end(), subjects, counterparts)
        if (
            _SEPARATE_TALKS.search(verb.group(0))
            and len(subjects) == 1
            and len(objects) >= 2
            and all(o.plural and not o.name for o in objects)
            and len({o.participant for o in objects}) == len(objects)
        ):  # "held discussions with defence ministers from Pakistan, Iran and Russia": one bilateral each
            return Trigger("bilateral", idx, verb.start(), verb.end(), subjects, objects)
        if (
            (grp or (objects and all(o.plural for o in objects)))
            and not near_objects
            and (subjects or implicit or idx == 0)
        ):
            series, span, mech = _group_series(ctx, sent, grp.start("grp") if grp else verb.end(), sent.end, mask)
            return Trigger("courtesy", idx, verb.start(), verb.end(), subjects, objects, series, span, mech)
        named = [o for o in objects if o.name and not o.plural]
        group = [m for m in ms if m.end <= verb.start() and m.plural]
        if not subjects and len(named) == 1 and len({m.participant for m in group}) >= 2:
            # "defence ministers of China, Kazakhstan and Russia met with Kazakh President X": a call on him
            series, span, mech = _group_series(ctx, sent, sent.start, verb.start(), mask)
            return Trigger("courtesy", idx, verb.start(), verb.end(), named, group, series, span, mech)
        if not subjects and named and _GROUP_SUBJ.match(text[sent.start : verb.start()]):
            # "The delegation leaders met with President Xi": the group calls on one person
            series, span, mech = _group_series(ctx, sent, sent.start, verb.start(), mask)
            return Trigger("courtesy", idx, verb.start(), verb.end(), named[:1], [], series, span, mech)
        if objects and (subjects or implicit or idx == 0 or SIDELINE.first_in(mask, text, sent.start, verb.start())):
            rest = [o for o in objects if not subjects or o.participant not in {s.participant for s in subjects}]
            if rest:
                if verb is recv and not SIDELINE.first_in(mask, text, sent.start, sent.end):
                    series, span, mech = _group_series(ctx, sent, verb.end(), sent.end, mask)
                    return Trigger("courtesy", idx, verb.start(), verb.end(), subjects, rest, series, span, mech)
                return Trigger("bilateral", idx, verb.start(), verb.end(), subjects, rest)
    if meet and verb is meet:
        pair = _pair_subjects(ctx, idx, ms, verb)
        if pair:  # "Lavrov and his Chinese counterpart Wang Yi met on the sidelines of ..."
            return Trigger("bilateral", idx, verb.start(), verb.end(), [pair[0]], [pair[1]], pair=True)
    found = series_match(text, sent.start, sent.end, lex, mask)
    if found:
        rule, m = found
        return Trigger(
            "council",
            idx,
            m.start(),
            m.end(),
            [m for m in ms if m.name][:1],
            [],
            rule.series,
            (m.start(), m.end()),
            rule.mechanism,
        )
    return None


_PAIR_AND = re.compile(r"\s*,?\s+and\s+")
_INTRANSITIVE_MEET = re.compile(r"(?:met|meet|meets|held\s+talks|had\s+talks|hold\s+talks)\b(?!\s+with\b)", re.I)


def _pair_subjects(ctx: Context, idx: int, ms: list[Mention], verb: re.Match) -> tuple[Mention, Mention] | None:
    """Two named people of two sides joined by "and" just before an intransitive "met" ("A and B met")."""
    if not _INTRANSITIVE_MEET.match(ctx.text, verb.start()):
        return None
    clause_end = _clause_end(ctx.text, verb.end(), ctx.doc.sentences[idx].end)
    clause_start = ctx.text.rfind(";", ctx.doc.sentences[idx].start, verb.start()) + 1
    subjects = [m for m in ms if clause_start <= m.start and m.end <= verb.start() and m.name and not m.plural]
    others = [m for m in ms if verb.start() <= m.start < clause_end and m.name and not m.plural]
    if len(subjects) != 2 or others:
        return None
    a, b = subjects
    if a.participant == b.participant or a.participant is None or b.participant is None:
        return None
    if not _PAIR_AND.match(ctx.text, a.end) or ctx.text[b.end : verb.start()].strip(" ,"):
        return None
    return a, b


def _group_series(
    ctx: Context, sent: Sentence, start: int, end: int, mask: int = -1
) -> tuple[str | None, tuple[int, int] | None, str | None]:
    found = series_match(ctx.text, start, end, ctx.lex, mask) or series_match(
        ctx.text, sent.start, sent.end, ctx.lex, mask
    )
    if not found:
        return None, None, None
    rule, m = found
    return rule.series, (m.start(), m.end()), rule.mechanism


def _anchor(ctx: Context) -> date | None:
    dl = ctx.doc.dateline
    if dl and dl.date_text:
        span = parse_written(dl.date_text, ctx.published)
        if span is not None:
            return span.start
    if ctx.published is None and ctx.doc.stamp:  # no published date given: the date printed above the text
        span = parse_written(ctx.doc.stamp, None)
        if span is not None:
            return span.start
    return ctx.published


def build_context(text: str, doc: Doc, lex: Lexicon, published: date | None, url: str | None) -> Context:
    """Mentions and dates of every body sentence."""
    ctx = Context(text, doc, lex, published, url)
    ctx.anchor = _anchor(ctx)
    group_patterns(lex)  # built (and its gates registered) before the masks are taken
    low = lowered(text)
    ctx.masks = [WORDS.mask(low, s.start, s.end) for s in doc.sentences]
    for i, sent in enumerate(doc.sentences):
        mask = ctx.masks[i]
        cores = lex.title_core_re.folded_in(mask, text, sent.start, sent.end)
        if cores or _may_name_delegates(text, sent, lex, mask):
            cues = context_positions(sent, text, lex, mask)
            ms = persons_in(text, sent, i, lex, cues, mask)
            taken = [(m.start, m.end) for m in ms]
            ms.extend(groups_in(text, sent, i, lex, taken, cues, mask, cores))
        else:
            ms = []
        ms.sort(key=lambda m: m.start)
        ctx.mentions.append(ms)
        ctx.dates.append(find_dates(text, sent.start, sent.end, ctx.anchor, mask))
    known = _known_untitled(ctx)
    for i, extra in known.items():
        ctx.mentions[i].extend(extra)
        ctx.mentions[i].sort(key=lambda m: m.start)
    _other_bodies(ctx)
    _short_names(ctx)
    agency = doc.dateline.agency if doc.dateline else None
    ctx.home = home_country(url, agency, lex)
    unplaced = [m for ms in ctx.mentions for m in ms if m.participant is None]
    if unplaced:  # (the fallbacks read sentences again: only when someone needs them)
        ctx.home = ctx.home or _place_country(ctx) or _first_country(ctx)
        for m in unplaced:
            m.participant = ctx.home or "__none__"
    return ctx


_OTHER_BODY = re.compile(r"\b(?:BRICS|G-?20|G-?7|NATO|ASEAN|European\s+Union)\b")
_SCO_NAMED = re.compile(r"\b(?:SCO|Shanghai\s+Cooperation)\b")
_GROUP_START = re.compile(r"\s*(?:The\s+)?(?:leaders|heads|members|presidents)\s+of\b", re.I)


_WILL_ATTEND = gated(
    r"\b(?:will|shall|(?:is|are)\s+(?:scheduled|expected|due|set|slated|going)\s+to|(?:is|are)\s+to|plans?\s+to)\s+"
    r"(?:also\s+|then\s+|later\s+)?(?:meet|hold|visit|travel|have\s+talks|pay\s+(?:a\s+)?(?:state\s+|official\s+)?visit)\b",
    re.I,
)
_DID_ATTEND = re.compile(
    r"\b(?:attended|took\s+part|participated|met|held|has\s+met|have\s+met|joined|arrived|chaired|addressed|"
    r"received|welcomed|was\s+held|were\s+held)\b",
    re.I,
)


_OTHER_BODY_WORDS = ("BRICS", "G20", "G-20", "G7", "G-7", "NATO", "ASEAN", "European Union")


def _plans_only(text: str) -> bool:
    """A sentence that tells only of plans to meet or visit: "President Mirziyoyev will meet the Tajik
    President" (who will attend the meeting a release announces is told by the sentences naming it)."""
    return not _DID_ATTEND.search(text)  # (asked where _WILL_ATTEND is found)


def _other_bodies(ctx: Context) -> None:
    """People of a sentence about another organisation's meeting (BRICS, the CSTO, ...) that does not
    name the SCO, or of the group sentence right after one ("Leaders of Brazil, Russia, ... discussed"),
    are context."""
    sents = ctx.doc.sentences
    text = ctx.text
    others = any(w in text for w in _OTHER_BODY_WORDS)  # a look for plain words first: most texts name none
    for i, sent in enumerate(sents):
        if not ctx.mentions[i]:
            continue
        here = others and _OTHER_BODY.search(sent.text) and not _SCO_NAMED.search(sent.text)
        after = (
            others
            and i > 0
            and _GROUP_START.match(sent.text)
            and _OTHER_BODY.search(sents[i - 1].text)
            and not _SCO_NAMED.search(sent.text)
        )
        planned = _WILL_ATTEND.first_in(ctx.masks[i], text, sent.start, sent.end) and _plans_only(sent.text)
        if here or after or planned:
            for m in ctx.mentions[i]:
                m.excluded = True


def _may_name_delegates(text: str, sent: Sentence, lex: Lexicon, mask: int = -1) -> bool:
    """Cheap pre-check: every delegate pattern needs a title word, an honorific, a rank or a group word."""
    if lex.title_core_re.first_in(mask, text, sent.start, sent.end) or lex.honorific_re.first_in(
        mask, text, sent.start, sent.end
    ):
        return True
    gp = group_patterns(lex)
    if gp.rank_word.first_in(mask, text, sent.start, sent.end):  # "Belarus's Lieutenant General Viktor Khrenin"
        return True
    return (
        bool(gp.plural_word.first_in(mask, text, sent.start, sent.end))
        or bool(gp.status_word.first_in(mask, text, sent.start, sent.end))
        or bool(ATTENDED_CUE.first_in(mask, text, sent.start, sent.end))
    )


def _short_names(ctx: Context) -> None:
    """ "Mr. Wei" after "Wei Fenghe", "Singh" after "Rajnath Singh": a one-word name that is a word of exactly
    one fuller name in the release is that person (country and full name). A bare word read only as the
    subject of a meeting verb ("Dong engaged in talks") is dropped unless it is someone's name so."""
    if not any(m.name and (" " not in m.name or m.source == "short") for ms in ctx.mentions for m in ms):
        return  # no one-word name, no untitled subject
    _resolve_short_names(ctx)
    titled: dict[str, str] = {}
    for ms in ctx.mentions:
        for m in ms:
            if m.name and m.participant not in (None, "__none__") and m.source != "short":
                titled.setdefault(name_key(m.name), m.participant)
    for i, ms in enumerate(ctx.mentions):
        for m in ms:
            if m.source == "short" and m.name and name_key(m.name) in titled:
                # "Vladimir Arkhipov met with ..." and, further on, "President of Russia Vladimir Arkhipov"
                m.participant, m.source = titled[name_key(m.name)], "known"
        if any(m.source == "short" for m in ms):
            ctx.mentions[i] = [m for m in ms if m.source != "short"]


def _resolve_short_names(ctx: Context) -> None:
    full: dict[str, set[tuple[str | None, str]]] = {}
    for ms in ctx.mentions:
        for m in ms:
            if m.name and " " in m.name and m.participant != "__none__":
                for word in m.name.replace(".", " ").split():
                    if len(word) > 1:
                        full.setdefault(word.lower(), set()).add((m.participant, m.name))
    if not full:
        return
    for ms in ctx.mentions:
        for m in ms:
            if m.name and " " not in m.name:
                found = full.get(m.name.lower())
                if found and len(found) == 1:
                    participant, m.name = next(iter(found))
                    m.participant = participant or m.participant
                    if m.source == "short":
                        m.source = "known"


def _place_country(ctx: Context) -> str | None:
    """For a release of unknown origin: the country of its dateline city, else of the venue or city its
    first sentence names ("Foreign Minister Li Zhaoxing met in the Shanghai International Conference
    Center ..." is China's minister)."""
    lex = ctx.lex
    dl = ctx.doc.dateline
    if dl:
        city = lex.ref.city_aliases.get(dl.city.casefold())
        if city in lex.ref.cities:
            return lex.ref.cities[city].iso3
    for i, sent in enumerate(ctx.doc.sentences[:1]):
        v = _venue_at(ctx, sent.start, sent.end, ctx.masks[i])
        city = (v[1] if v else None) or (c[0] if (c := _city_at(ctx, sent.start, sent.end, ctx.masks[i])) else None)
        if city in lex.ref.cities:
            return lex.ref.cities[city].iso3
    return None


def _first_country(ctx: Context) -> str | None:
    for ms in ctx.mentions[:3]:
        for m in ms:
            if m.name and m.participant and m.source == "explicit" and not m.excluded and not m.counterpart:
                return m.participant  # (not "his Uzbek counterpart X": the other side)
    return None


_AT_IT_SURNAME = re.compile(
    r"\s*(?:During|At)\s+the\s+(?:meeting|summit|session|talks)\s*,\s*(?P<n>[A-Z][\w'’-]+)\s+[a-z]"
)


def _known_untitled(ctx: Context) -> dict[int, list[Mention]]:
    """Names from persons.csv written without a title, in sentences that also name other delegates."""
    out: dict[int, list[Mention]] = {}
    if ctx.lex.person_re is None:
        return out
    for i, sent in enumerate(ctx.doc.sentences):
        found = ctx.lex.person_re.folded_in(ctx.masks[i], ctx.text, sent.start, sent.end)  # its own matches: no mirror
        lead = _AT_IT_SURNAME.match(ctx.text, sent.start, sent.end) if not found else None
        if lead:  # "During the meeting, Modi expressed ...": a known surname, the subject of a sentence about it
            countries = ctx.lex.person_surname.get(lead.group("n").lower(), set())
            if len(countries) == 1 and not any(m.start <= lead.start("n") < m.end for m in ctx.mentions[i]):
                a, b = lead.span("n")
                out.setdefault(i, []).append(
                    Mention(next(iter(countries)), lead.group("n"), None, a, b, i, "known", a, b)
                )
        if not found:
            continue
        spans = [(m.start, m.end) for m in ctx.mentions[i]]
        for m in found:
            if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in spans):
                continue
            after = ctx.text[m.end() : m.end() + 12]
            if _NOT_A_PERSON.match(after):
                continue
            countries = ctx.lex.person_country.get(name_key(m.group(0)), set())
            if len(countries) != 1:
                continue
            ctx_pos, rep_pos = context_positions(sent, ctx.text, ctx.lex, ctx.masks[i])
            excluded = m.start() >= ctx_pos or m.end() <= rep_pos  # as persons_in decides for titled names
            possessive = ctx.text[m.end() : m.end() + 2] in ("'s", "’s")
            out.setdefault(i, []).append(
                Mention(
                    next(iter(countries)),
                    m.group(0),
                    None,
                    m.start(),
                    m.end(),
                    i,
                    "known",
                    m.start(),
                    m.end(),
                    excluded=excluded or possessive,
                )
            )
    return out


# ----------------------------------------------------------------------------------------------- frames


def find_frames(ctx: Context) -> list[Frame]:
    """The main meeting frame and any sideline bilateral or courtesy frames."""
    sents = ctx.doc.sentences
    triggers = [classify(ctx, i) for i in range(len(sents))]
    first = _first_day(ctx)
    of_another_year = []
    for i, t in enumerate(triggers):
        if t is not None and t.kind == "council" and first and history_sentence(ctx, i, first.year):
            # "under a decision adopted at the September 2022 meeting in Samarkand": another time's meeting
            triggers[i] = None
            of_another_year.append((i, t))
        elif t is not None and t.kind == "council" and _only_planned(ctx, i):
            triggers[i] = None  # "to take part in the meeting that is scheduled to be held on Friday"
        elif (
            t is not None
            and t.kind == "council"
            and _GENERIC.first_in(ctx.masks[i], ctx.text, sents[i].start, sents[i].end)
        ):
            triggers[i] = None  # "Traditionally, the presiding nation arranges the summit": no meeting in particular
        elif t is not None and t.kind != "council" and first and another_month(sents[i].text, first):
            triggers[i] = None  # "In February this year, President X visited China and held talks with ..."
    if of_another_year and all(t is None for t in triggers):
        for i, t in of_another_year:  # the release tells of no other meeting: the year it opened with was not the news
            triggers[i] = t
    told: list[tuple[set[str | None], set[str | None]]] = []  # (subjects, objects) of each bilateral so far
    for i, t in enumerate(triggers):
        if t is None or t.kind != "bilateral":
            continue
        sides = {m.participant for m in (*t.subjects, *t.objects)}
        if t.pair and any(objs & sides and subjs <= sides for subjs, objs in told):
            triggers[i] = None  # "Mr. Singh and Mr. Wei met at 9.30 p.m.": the same talks, told again
        else:
            told.append(({m.participant for m in t.subjects}, {m.participant for m in t.objects}))
    main_idx = next((i for i, t in enumerate(triggers) if t is not None and sents[i].para <= sents[0].para + 1), None)
    if main_idx is None:
        main_idx = next((i for i, t in enumerate(triggers) if t is not None), None)
    if main_idx is None:
        return []
    main = triggers[main_idx]
    frames = [Frame(main, [])]
    owner = [0] * len(sents)
    for i in range(main_idx + 1, len(sents)):
        t = triggers[i]
        if t is None or (t.kind == "council" and not _another_council(ctx, i, t, main)):
            continue
        if t.kind == "bilateral" and not _is_sideline_bilateral(ctx, t, main):
            continue
        frames.append(Frame(t, []))
        k = len(frames) - 1
        para = sents[i].para
        for j in range(i, len(sents)):
            if j > i and triggers[j] is not None and triggers[j].kind != "council":
                break
            if sents[j].para != para:
                # a meeting of its own goes on in the paragraph that opens "At the meeting, ..."
                if t.kind != "council" or sents[j].para != para + 1 or not _ABOUT_IT.match(sents[j].text):
                    break
                para = sents[j].para
            owner[j] = k
    for i in range(len(sents)):
        frames[owner[i]].sentences.append(i)
    return frames


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "In February this year, President X visited China": a sentence set in another month
_OTHER_MONTH_LEAD = re.compile(
    r"\s*(?:In|Back\s+in|Earlier\s+in|On)\s+(?P<m>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?"
    r"(?:\s+\d{1,2})?(?:,?\s+(?:this|last)\s+year|,?\s+(?P<y>\d{4}))?\s*,"
)


def another_month(text: str, day: date | None) -> bool:
    """Whether a sentence opens with a month other than that of ``day`` ("In February this year, ...")."""
    lead = _OTHER_MONTH_LEAD.match(text)
    if lead is None or day is None:
        return False
    month = _MONTHS.index(lead.group("m")[:3].lower()) + 1
    year = int(lead.group("y")) if lead.group("y") else day.year
    return (year, month) != (day.year, day.month)


_WAS_HELD = gated(
    r"\b(?:was|were|has\s+been)\s+(?:held|convened|organi[sz]ed|hosted)\b|(?<!\bbe\s)\bheld\s+(?:in|on|at)\b|"
    r"\btook\s+place\b|(?<!\bbe\s)\bhosted\s+(?:the|a|an)\b",
    re.I,
)


_ADOPTED_AT = re.compile(
    r"\b(?:adopted|approved|signed|agreed|reached|taken|made)\s+(?:by|at|during)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,5}$|"
    r"\b(?:decisions?|resolutions?|outcomes?|results?|documents?)\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,5}$",
    re.I,
)


def _another_council(ctx: Context, idx: int, t: Trigger, main: Trigger) -> bool:
    """A later sentence that tells of another SCO meeting held (not planned, not of another time), with a
    place or day of its own: "... a meeting of the SCO Council of National Coordinators, held in Beijing
    Oct. 17-20": a record of its own."""
    if main.kind != "council" or t.series in (main.series, "summit", None) or main.series == "summit":
        return False
    sent = ctx.doc.sentences[idx]
    mask = ctx.masks[idx]
    if not _WAS_HELD.first_in(mask, ctx.text, sent.start, sent.end) or _FUTURE.first_in(
        mask, ctx.text, sent.start, sent.end
    ):
        return False
    if history_sentence(ctx, idx, None) or PREP_WORDS.first_in(mask, ctx.text, sent.start, sent.end):
        return False  # "reviewed preparations for the meeting of the Council of Heads of State": not held yet
    lo = t.series_span[0] if t.series_span else t.start
    if _ADOPTED_AT.search(ctx.text, max(sent.start, lo - 60), lo):
        return False  # "the resolutions adopted by the meeting of the SCO Council of Heads of State, held in Ufa"
    days = [d for d in ctx.dates[idx] if d.span is not None and not d.relative]
    return bool(days) or _city_at(ctx, sent.start, sent.end, mask) is not None


_HAPPENED = gated(
    r"\b(?:was|were|has\s+been|have\s+been)\s+held\b|\btook\s+place\b|\b(?:kicked|got)\s+(?:off|under\s*way)\b|"
    r"\b(?:opened|began|started|attended|participated|chaired|met)\b",
    re.I,
)


_REPORTED = re.compile(r"\b(?:announced|said|told|reported|stated|confirmed)\b", re.I)


def _only_planned(ctx: Context, idx: int) -> bool:
    """A sentence that tells of an SCO meeting only as one to come ("... the meeting that is scheduled to be
    held on Friday"), not one held or being held today."""
    sent = ctx.doc.sentences[idx]
    future = _FUTURE.first_in(ctx.masks[idx], ctx.text, sent.start, sent.end)
    if not future or _HAPPENED.first_in(ctx.masks[idx], ctx.text, sent.start, sent.end):
        return False
    anchor = ctx.anchor  # "will attend the summit in Samarkand today": held as the release is written
    return not any(
        d.span is not None
        and anchor is not None
        and d.span.start == anchor
        and d.start > future.start()
        and not _REPORTED.search(ctx.text, future.start(), d.start)  # "..., the spokesperson announced Friday"
        for d in ctx.dates[idx]
    )


def _first_day(ctx: Context) -> date | None:
    """The first date written out in full in the release (the time it reports on), not in a sentence about
    another time ("Founded on June 15, 2001, ...")."""
    for i, ds in enumerate(ctx.dates):
        for d in ds:
            if d.span is not None and not d.relative:
                s = ctx.doc.sentences[i]
                if _HISTORY.first_in(ctx.masks[i], ctx.text, s.start, s.end):
                    break
                return d.span.start
    return None


def _is_sideline_bilateral(ctx: Context, t: Trigger, main: Trigger) -> bool:
    sent = ctx.doc.sentences[t.sent]
    if SIDELINE.first_in(ctx.masks[t.sent], ctx.text, sent.start, sent.end):
        return True
    return main.kind in ("council", "bilateral", "courtesy")


# ----------------------------------------------------------------------------------------------- fields


def _sentence_dates(ctx: Context, idx: int) -> list[DateMention]:
    sent = ctx.doc.sentences[idx]
    out = []
    for d in ctx.dates[idx]:
        if d.span is None and not d.relative:
            continue
        after = ctx.text[d.end : d.end + 25].lower()
        before = ctx.text[max(sent.start, d.start - 25) : d.start].lower()
        if d.relative and _REPORTED_BEFORE.search(before):
            continue
        if _REPORTED_AFTER.match(after) and d.relative:
            continue
        out.append(d)
    return out


def _pick_date(ds: list[DateMention]) -> DateMention | None:
    day = [d for d in ds if d.span is not None and d.span.precision == "day" and not d.relative]
    if day:
        return day[0]
    rel = [d for d in ds if d.relative]
    if rel:
        return rel[0]
    return next((d for d in ds if d.span is not None), None)


_ENDED_BEFORE = re.compile(
    r"\b(?:concluded|ended|closed|wrapped\s+up|came\s+to\s+an\s+end|culminated)\b[^.;]{0,20}$", re.I
)
_BEGAN_BEFORE = re.compile(r"\b(?:began|begun|started|commenced|kicked\s+off|opened|launched)\s+(?:on\s+)?$", re.I)


def _began(ctx: Context, frame: Frame, ended: DateMention) -> DateMention | None:
    """The day the frame says the meeting began, when it is before the day it ended."""
    for i in frame.sentences:
        for d in _sentence_dates(ctx, i):
            if (
                d.span is not None
                and d.span.precision == "day"
                and d.span.start < ended.span.start
                and (ended.span.start - d.span.start).days <= 31
                and _BEGAN_BEFORE.search(ctx.text, max(0, d.start - 20), d.start)
            ):
                return d
    return None


def _day_told_before(ctx: Context, idx: int) -> DateMention | None:
    """The last written day named before sentence ``idx`` ("On 15 June ... Earlier in the day ...")."""
    for i in range(idx - 1, -1, -1):
        days = [d for d in _sentence_dates(ctx, i) if d.span is not None and d.span.precision == "day"]
        if days:
            return days[-1]
    return None


def meeting_date(
    ctx: Context, frame: Frame, fallback: tuple[DateSpan | None, dict | None], main: bool = True
) -> tuple[DateSpan | None, dict | None, float]:
    """The meeting's dates, evidence and how directly they were stated (the lead paragraph counts for the
    release's main meeting only)."""
    sents = ctx.doc.sentences
    t = frame.trigger
    para = sents[t.sent].para
    order = [t.sent] + [i for i in frame.sentences if sents[i].para == para and i != t.sent]
    if main and t.sent == min(frame.sentences, default=t.sent):
        order += [i for i in range(len(sents)) if sents[i].para == sents[0].para and i not in order]
    for i in order:
        d = _pick_date(_sentence_dates(ctx, i))
        if d is not None:
            if d.relative and d.text.lower().endswith("in the day"):
                d = _day_told_before(ctx, i) or d  # "Earlier in the day": the day the text last named
            if d.span is None:
                return None, ev(ctx.text, d.start, d.end), 0.0
            began = _ENDED_BEFORE.search(ctx.text, max(0, d.start - 30), d.start) and _began(ctx, frame, d)
            if began:  # "the exercise, which began on 24 August, concluded on Wednesday"
                span = DateSpan(began.span.start, d.span.start, "day")
                return span, ev(ctx.text, began.start, began.end), 0.8
            return d.span, ev(ctx.text, d.start, d.end), 0.9 if not d.relative else 0.75
    if EARLIER.match(sents[t.sent].text):
        return None, None, 0.0  # "Earlier, he held talks ...": some other, unsaid day
    if fallback[0] is not None:
        return fallback[0], fallback[1], 0.6
    if main and t.kind == "council" and t.series:
        told = series_told(ctx, t.series)  # "On September 13 the 29th meeting of the SCO RATS Council was held"
        if "date" in told:
            return told["date"], told["date_ev"], 0.7
    dl = ctx.doc.dateline
    if dl and dl.date_text and dl.date_start is not None:
        span = parse_written(dl.date_text, ctx.published)
        if span:
            return span, ev(ctx.text, dl.date_start, dl.date_start + len(dl.date_text)), 0.6
    # A report in the present tense ("the session has kicked off", "ministers are attending") tells of
    # the day it was filed: the dateline's or the published date, at lower confidence.
    anchor = ctx.anchor
    if anchor is not None:
        for i in order[:3]:
            s = sents[i]
            now = _NOW.first_in(ctx.masks[i], ctx.text, s.start, s.end)
            if now and not _NOT_NOW.search(ctx.text, s.start, s.end):
                return DateSpan(anchor, None, "day"), ev(ctx.text, now.start(), now.end()), 0.5
    # Otherwise no date. The published date is only an anchor for relative days ("today", "on Monday")
    # and present-tense reports, never the meeting's date by itself.
    return None, None, 0.0


_COMMA_WORDS = re.compile(r"\s*,\s*(?:the\s+)?([A-Z][\w'’]+(?:\s[A-Z][\w'’]+)?)")


def _own_country_after(lex: Lexicon, written: str, after: str) -> bool:
    """Whether a city is followed by its own country: "Chebarkul, Russia", "Qingdao, China"."""
    m = _COMMA_WORDS.match(after)
    if not m:
        return False
    city = lex.ref.city_aliases.get(" ".join(written.casefold().split()))
    country = country_of(lex, m.group(1)) or country_of(lex, m.group(1).split()[0])
    return city in lex.ref.cities and country == lex.ref.cities[city].iso3


def _city_at(ctx: Context, start: int, end: int, mask: int = -1) -> tuple[str, int, int] | None:
    text, lex = ctx.text, ctx.lex
    for m in lex.city_re.finditer_in(mask, text, start, end):
        if not text[m.start()].isupper():
            continue
        before = text[max(start, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 30]
        if _CITY_AFTER_BAD.match(after) or _REGION_OF.search(before):
            continue  # "in the Russian province of Chelyabinsk": the region, not the city
        if _FROM_BEFORE.search(before) and not _VIA_VIDEO.search(text[max(start, m.start() - 60) : m.start()]):
            continue
        if (
            (m.start() == start and not m.group(0).isupper())  # "Bishkek hosted"; not a dateline ("BEIJING,")
            or _CITY_HOSTS.match(after)
            or _CITY_BEFORE.search(before)
            or (_CITY_MEETING_AFTER.match(after) and not _CITY_OTHER_BEFORE.search(before))  # "a 14 May Moscow meeting"
            or _CITY_APPOSITION_AFTER.match(text, m.end(), end)  # "Bishkek, the capital of ..., hosted"
            or _CITY_APPOSITION_BEFORE.search(text[max(start, m.start() - 70) : m.start()])
            or _own_country_after(lex, m.group(0), after)  # "... Firing Ranges, Chebarkul, Russia"
        ):
            name = lex.ref.city_aliases[" ".join(m.group(0).casefold().split())]
            return name, m.start(), m.end()
    for m in _CAPITAL.finditer_in(mask, text, start, end):
        code = country_of(lex, m.group("c"))
        if code and code in lex.ref.countries:
            capital = lex.ref.countries[code].capital
            if capital in lex.ref.cities:
                return capital, m.start(), m.end()
    return None


def _venue_at(ctx: Context, start: int, end: int, mask: int = -1) -> tuple[str, str | None, int, int] | None:
    m = ctx.lex.venue_re.search_in(mask, ctx.text, start, end)
    if m and _OF_THE.match(ctx.text, m.end(), end):  # "Congress Hall of the Ala Archa State Residence"
        inner = ctx.lex.venue_re.search_in(mask, ctx.text, m.end(), min(end, m.end() + 80))
        m = inner if inner and inner.start() - m.end() <= 8 else m
    if m:
        venue, city = ctx.lex.venues[" ".join(m.group(0).casefold().split())]
        return venue, city, m.start(), m.end()
    for m in _VENUE_AT.finditer(ctx.text, start, end):
        phrase = m.group("v")
        if ctx.lex.venue_words_re.search(phrase) and not ctx.lex.city_re.fullmatch(phrase):
            return phrase, None, m.start("v"), m.end("v")
    return None


_OF_THE = re.compile(r"\s+(?:of|at|in)\s+(?:the\s+)?")
_HELD_AT = re.compile(
    r"\b(?:held|conducted|took\s+place|staged|hosted|organi[sz]ed|convened|arrived)\s+(?:[\w-]+\s+){0,2}?(?:in|at)\b",
    re.I,
)


def meeting_place(ctx: Context, frame: Frame, virtual: bool, year: int | None = None) -> dict:
    """City, venue and their evidence for a frame."""
    sents = ctx.doc.sentences
    t = frame.trigger
    para = sents[t.sent].para
    order = [t.sent] + [i for i in frame.sentences if sents[i].para == para and i != t.sent]
    lead = [i for i in range(len(sents)) if sents[i].para == sents[0].para and i not in order]
    out: dict = {"city": None, "venue": None, "evidence": {}, "city_conf": 0.0}
    found_named: list[list[int]] = []

    def named() -> list[int]:
        """Later sentences that name the same meeting ("The 17th Meeting of ... was held in Tashkent")."""
        if not found_named:
            ids = []
            for i in range(len(sents)) if t.series else ():
                found = i not in order and series_match(ctx.text, sents[i].start, sents[i].end, ctx.lex, ctx.masks[i])
                if found and found[0].series == t.series and not history_sentence(ctx, i, year):
                    ids.append(i)
            found_named.append(ids)
        return found_named[0]

    def told() -> list[int]:
        """ "During the meeting, held on the sidelines of ... in Goa": the next paragraph goes on about it."""
        return [i for i in frame.sentences if i not in order and _ABOUT_IT.match(sents[i].text)][:2]

    def venue_in(ids) -> bool:
        for i in ids:
            v = _venue_at(ctx, sents[i].start, sents[i].end, ctx.masks[i])
            if v:
                out["venue"] = v[0]
                out["evidence"]["venue"] = ev(ctx.text, v[2], v[3])
                if v[1]:
                    out["venue_city"] = v[1]
                return True
        return False

    def held_there() -> list[int]:
        """ "The closing ceremony was conducted at the drill ground of ..., Chebarkul, Russia": where the
        frame's other sentences say it was held."""
        return [
            i
            for i in frame.sentences
            if i not in order and _HELD_AT.search(sents[i].text) and not _NOT_NOW.search(sents[i].text)
        ]

    venue_in(order)
    lead_group = (lambda: lead) if t.sent == min(frame.sentences, default=t.sent) else list
    groups = (((lambda: order), 0.9), (told, 0.8), (lead_group, 0.75), (named, 0.7), (held_there, 0.65))
    for group, conf in groups:
        if group is named and out["venue"] is None:
            venue_in(named())  # no city yet: the venue may be named where the meeting is named again
        for i in group():
            if i != t.sent and group is not named and history_sentence(ctx, i, year):
                continue  # "The first meeting was held in Almaty in 2001"
            c = _city_at(ctx, sents[i].start, sents[i].end, ctx.masks[i])
            if c:
                out["city"], out["city_conf"] = c[0], conf
                out["evidence"]["city"] = ev(ctx.text, c[1], c[2])
                return out
            here = _HERE.first_in(ctx.masks[i], ctx.text, sents[i].start, sents[i].end)  # offsets only
            if here and ctx.doc.dateline:
                city = ctx.lex.ref.city_aliases.get(ctx.doc.dateline.city.casefold())
                if city:
                    out["city"], out["city_conf"] = city, conf
                    out["evidence"]["city"] = ev(ctx.text, here.start(), here.end())
                    return out
    if out.get("venue_city"):
        out["city"], out["city_conf"] = out["venue_city"], 0.8
        out["evidence"]["city"] = out["evidence"]["venue"]
        return out
    head = ctx.doc.headline
    if head is not None and frame.trigger.kind == "council" and not virtual:  # "... Signed in Shanghai"
        c = _city_at(ctx, head[0], head[1])
        if c:
            out["city"], out["city_conf"] = c[0], 0.45
            out["evidence"]["city"] = ev(ctx.text, c[1], c[2])
            return out
    dl = ctx.doc.dateline
    if dl:
        city = ctx.lex.ref.city_aliases.get(dl.city.casefold())
        if city:
            out["city"], out["city_conf"] = city, 0.5 if not virtual else 0.4
            out["evidence"]["city"] = ev(ctx.text, dl.city_start, dl.city_start + len(dl.city))
            out["from_dateline"] = True
    return out


_THE_MEETING = re.compile(r"\b(?:the|this)\s+(?:meeting|session|council|conference|event)\b", re.I)


def meeting_format(ctx: Context, sentence_ids: list[int], frame_ids: list[int]) -> tuple[str, dict | None]:
    """in_person, virtual or hybrid: hybrid cues anywhere in the frame, virtual ones in its lead sentences."""
    for i in frame_ids:
        s = ctx.doc.sentences[i]
        h = ctx.lex.hybrid_re.first_in(ctx.masks[i], ctx.text, s.start, s.end)  # offsets only
        if h:
            return "hybrid", ev(ctx.text, h.start(), h.end())
    virtual = None
    for i in sentence_ids:
        s = ctx.doc.sentences[i]
        h = ctx.lex.hybrid_re.first_in(ctx.masks[i], ctx.text, s.start, s.end)
        if h:
            return "hybrid", ev(ctx.text, h.start(), h.end())
        v = ctx.lex.virtual_re.first_in(ctx.masks[i], ctx.text, s.start, s.end)
        if v and virtual is None:
            virtual = ev(ctx.text, v.start(), v.end())
    if virtual is None:
        for i in frame_ids:  # "chaired the meeting held recently via videoconference", further on
            s = ctx.doc.sentences[i]
            if i not in sentence_ids:
                v = ctx.lex.virtual_re.first_in(ctx.masks[i], ctx.text, s.start, s.end)
                if v and _THE_MEETING.search(s.text):
                    virtual = ev(ctx.text, v.start(), v.end())
                    break
    if virtual:
        return "virtual", virtual
    return "in_person", None


def meeting_chair(ctx: Context, sentence_ids: list[int], mentions: list[Mention]) -> tuple[str | None, dict | None]:
    """The chairing country, when the text names it."""
    text, lex = ctx.text, ctx.lex
    for i in sentence_ids:
        s = ctx.doc.sentences[i]
        for m in _CHAIR.finditer_in(ctx.masks[i], text, s.start, s.end):
            word = m.group(0).lower()
            if word.endswith("by") or word.endswith("of"):
                for p in mentions:
                    if p.name and m.end() <= p.start <= m.end() + 90 and p.participant in lex.ref.countries:
                        return p.participant, ev(text, m.start(), p.end)
                c = lex.country_re.search(text, m.end(), min(s.end, m.end() + 60))
                if c and is_capitalised(c.group(0)):
                    return country_of(lex, c.group(0)), ev(text, m.start(), c.end())
                continue
            before = text[max(s.start, m.start() - 80) : m.start()]
            cs = [c for c in lex.country_re.finditer(before) if is_capitalised(c.group(0))]
            if cs and word in ("chairmanship", "presidency") and before.endswith(cs[-1].group(0) + " "):
                c = cs[-1]
                return country_of(lex, c.group(0)), ev(text, m.start() - len(before) + c.start(), m.end())
            if cs and word.startswith("as the"):
                c = cs[-1]
                return country_of(lex, c.group(0)), ev(text, m.start() - len(before) + c.start(), m.end())
            if word in ("chaired", "presided over"):
                subj = [
                    p
                    for p in mentions
                    if p.name and s.start <= p.start < m.start() and p.participant in lex.ref.countries
                ]
                if subj:
                    return subj[-1].participant, ev(text, subj[-1].start, m.end())
    return None, None


def meeting_sequence(ctx: Context, sentence_ids: list[int]) -> int | None:
    """The meeting's number in its series ("the 24th meeting"), if written."""
    for i in sentence_ids:
        s = ctx.doc.sentences[i]
        m = _SEQUENCE.search_in(ctx.masks[i], ctx.text, s.start, s.end)
        if m:
            return int(m.group("n")) if m.group("n") else _ORDINALS[m.group("w").lower()]
    return None


# ----------------------------------------------------------------------------------------------- delegations


_LEVELS: dict[tuple[object, str | None], str] = {}


def level_of(title: str | None, ref) -> str:
    """delegation_level, memoised per reference and title."""
    key = (ref.directory, title)
    level = _LEVELS.get(key)
    if level is None:
        if len(_LEVELS) > 20000:
            _LEVELS.clear()
        level = _LEVELS[key] = delegation_level(title, ref)
    return level


def _level(m: Mention, ref) -> str:
    return m.level or level_of(m.title, ref)


def _same_person(a: Mention, b: Mention) -> bool:
    if a.participant != b.participant or not a.name or not b.name:
        return False
    return _same_name(name_key(a.name), name_key(b.name))


@lru_cache(maxsize=65536)
def _same_name(ka: str, kb: str) -> bool:
    """Whether two name keys name one person (memoised: the same pairs recur)."""
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    if len(ta) == 1 or len(tb) == 1:
        return ta[-1] == tb[-1] or ta[0] == tb[-1] or tb[0] == ta[-1]
    return fuzz.token_sort_ratio(ka, kb) >= 85 or ta[-1] == tb[-1] and ta[0][0] == tb[0][0]


def _better(a: Mention, b: Mention) -> Mention:
    """The more informative of two mentions of one person (keeps the other's name if longer)."""
    score = {"explicit": 5, "org": 5, "apposition": 4, "adjacent": 4, "known": 3, "home": 2}
    keep, other = (
        (a, b) if (score.get(a.source, 1), bool(a.title)) >= (score.get(b.source, 1), bool(b.title)) else (b, a)
    )
    if other.name and keep.name and len(other.name) > len(keep.name) and " " in other.name:
        keep.aliases.append(keep.name)
        keep.name = other.name
    if not keep.title and other.title:
        keep.title = other.title
    return keep


def resolve_levels(ctx: Context, mentions: list[Mention], subject: Mention | None) -> None:
    """Set each mention's level; a 'counterpart' takes the level and title of the person met."""
    ref = ctx.lex.ref
    titled = {}
    for ms in ctx.mentions:
        for m in ms:
            if m.name and m.title and not m.counterpart:
                titled.setdefault((m.participant, name_key(m.name).split()[-1]), m)
    for m in mentions:
        if m.counterpart and subject is not None:
            # the office, not the country: "Defence Minister of India" met his counterpart, China's Defence Minister
            m.title = ends_with_country(ctx.lex).sub("", subject.title or "").strip() or subject.title
            m.level = _level(subject, ref)
        elif not m.title and m.name:
            t = titled.get((m.participant, name_key(m.name).split()[-1]))
            if t is not None:
                m.title, m.level = t.title, _level(t, ref)
        if m.level is None:
            m.level = level_of(m.title, ref)


def dedupe(mentions: list[Mention]) -> list[Mention]:
    """One row per person; unnamed rows only where no named row of that participant has the same level."""
    named: list[Mention] = []
    for m in mentions:
        if not m.name:
            continue
        for i, k in enumerate(named):
            if _same_person(k, m):
                named[i] = _better(k, m)
                break
        else:
            named.append(m)
    unnamed: list[Mention] = []
    for m in mentions:
        if m.name:
            continue
        if any(
            k.participant == m.participant and (k.level == m.level or m.counterpart or m.level in (None, "other"))
            for k in named
        ):  # "delegates from India" after India's named delegate: no second, untitled row
            continue
        if any(u.participant == m.participant and u.level == m.level for u in unnamed):
            continue
        if not m.plural and any(k.participant == m.participant and k.start < m.start for k in named):
            continue  # "the Kazakh FM" after Kazakhstan's named minister: the same person again
        title = (m.title or "").lower()
        if title and any(k.participant == m.participant and title in (k.title or "").lower() for k in named):
            continue  # "Foreign Ministers of India, Kazakhstan..." and Kazakhstan's "Deputy PM-Foreign Minister"
        unnamed.append(m)
    levelled = {u.participant for u in unnamed if u.level not in (None, "other")}
    # "Chinese soldiers" beside "the chiefs of general staff of China, ...": one unnamed row of China
    unnamed = [u for u in unnamed if u.level not in (None, "other") or u.participant not in levelled]
    out = named + unnamed
    out.sort(key=lambda m: m.start)
    return out


def assign_roles(rows: list[Mention], host: str | None, lex: Lexicon, lead: Mention | None = None) -> list[str]:
    """Role of each row: the host state's head 'host', other heads 'head_of_delegation', the rest 'member'.
    The head of a delegation is its highest-level member; the person who leads the meeting sentence
    ("Putin met with ...") heads his delegation even when his title is not written."""
    roles = ["member"] * len(rows)
    best: dict[str, int] = {}

    def rank(m: Mention) -> int:
        """Lower is higher: the lead person first, then by level."""
        return -1 if lead is not None and m is lead else _RANK.get(m.level, 9)

    for i, m in enumerate(rows):
        j = best.get(m.participant)
        if j is None or rank(m) < rank(rows[j]):
            best[m.participant] = i
    for participant, i in best.items():
        if participant == host:
            roles[i] = "host"
        elif rows[i].guest or (participant in lex.ref.organisations and participant not in _SCO_BODIES):
            roles[i] = "guest"
        else:
            roles[i] = "head_of_delegation"
    return roles


_SOURCE_CONFIDENCE = {"explicit": 0.95, "org": 0.95, "apposition": 0.9, "adjacent": 0.9, "known": 0.8, "list": 0.8,
                      "unnamed": 0.75, "home": 0.65}  # fmt: skip


def row_confidence(m: Mention) -> float:
    """How explicit the evidence for a delegation row is."""
    base = _SOURCE_CONFIDENCE.get(m.source, 0.6)
    if m.level == "other":
        base -= 0.1
    if m.counterpart:
        base -= 0.05
    return round(base, 2)


def resolve_summit(rows: list[Mention], text_has_government: bool) -> str:
    """heads_of_state or heads_of_government for a meeting only called a summit."""
    if text_has_government:
        return "heads_of_government"
    levels = [(m.participant, m.level) for m in rows if m.name]
    if any(level == "head_of_state" for _, level in levels):
        return "heads_of_state"
    gov = [p for p, level in levels if level == "head_of_government"]
    if gov and any(p not in _PM_LED for p in gov):
        return "heads_of_government"
    return "heads_of_state"


def history_sentence(ctx: Context, idx: int, year: int | None, series: str | None = None) -> bool:
    """True for a sentence about another time (another year, 'last year', 'founded') or about another
    meeting yet to come ("the summit slated for July will be held with ...")."""
    key = (idx, year, series)
    found = ctx.history.get(key)
    if found is None:
        found = ctx.history[key] = _history_sentence(ctx, idx, year, series)
    return found


def _history_sentence(ctx: Context, idx: int, year: int | None, series: str | None) -> bool:
    s = ctx.doc.sentences[idx]
    mask = ctx.masks[idx]
    if _HISTORY.first_in(mask, ctx.text, s.start, s.end):
        return True
    future = _FUTURE.first_in(mask, ctx.text, s.start, s.end) if series is not None else None
    if future and _PREP_BEFORE.search(ctx.text, max(s.start, future.start() - 30), future.start()):
        future = None  # "discussed preparing for the upcoming meeting of ...": this meeting's work
    if future:
        other = series_match(ctx.text, s.start, s.end, ctx.lex, mask)
        if (
            other is not None
            and other[0].series != series
            and (
                future.start() < other[1].start()  # "X would meet Y at the foreign ministers' meeting"
                or not any(m.start < other[1].start() for m in ctx.mentions[idx] if not m.excluded)
            )
        ):  # about another meeting yet to come, not a plan this meeting's attendees made for it
            return True
    if year is None:
        return False
    if not _YEAR.may(mask):
        return False
    years = {int(y) for y in _YEAR.findall(s.text)}
    if not years or years == {year}:
        return False
    # a period a plan runs for ("the Plan of Cooperation for 2020-2021") does not date the sentence
    years = {int(y) for y in _YEAR.findall(_PERIOD.sub(" ", s.text))}
    return bool(years) and year not in years


def series_told(ctx: Context, series: str) -> dict:
    """The day(s) and city that the release's sentences naming a meeting of ``series`` give it ("The SCO
    Defence Ministers' meeting from June 25 to 26 brings together ..."): keys date (DateSpan), date_ev,
    city, city_ev; a sentence about another time or a meeting to come gives nothing."""
    out: dict = {}
    for i, sent in enumerate(ctx.doc.sentences):
        found = series_match(ctx.text, sent.start, sent.end, ctx.lex, ctx.masks[i])
        if not found or found[0].series != series or history_sentence(ctx, i, None):
            continue
        if _FUTURE.first_in(ctx.masks[i], ctx.text, sent.start, sent.end):
            continue
        mask = ctx.masks[i]
        # "On May 20, X met Y on the sidelines of the meeting in Astana": the day is the talks', the city the meeting's
        talks = any(v.search_in(mask, ctx.text, sent.start, sent.end) for v in (_MEET, _RECEIVE, _PASSIVE))
        if "date" not in out and not talks:
            days = [d for d in _sentence_dates(ctx, i) if d.span is not None and not d.relative]
            if days:
                out["date"], out["date_ev"] = days[0].span, ev(ctx.text, days[0].start, days[0].end)
        if "city" not in out:
            c = _city_at(ctx, sent.start, sent.end, ctx.masks[i])
            if c:
                out["city"], out["city_ev"] = c[0], ev(ctx.text, c[1], c[2])
    return out
