"""Speed helpers for the extractor's regular expressions; every shortcut gives the bare pattern's results.

Most extractor regexes are keyword patterns (``\\bmet\\s+with\\b``, a trie of 300 country names)
searched sentence by sentence, and Python's ``re`` tries a pattern at every position of the range.
:class:`Gated` wraps a compiled pattern and skips or shortens that work:

- literal gates: the literals one of which every match contains are derived from the pattern itself
  (:func:`necessary_literals`, from the parsed pattern, so editing a pattern or a word list in
  data/reference keeps them right); a range that holds none of them is not searched;
- word masks: :class:`WordIndex` gives each sentence a bit mask of the word segments it holds (one
  memoised look per white-space-separated chunk); ``search_in``/``finditer_in`` take that mask and
  skip a sentence lacking the segments of every literal;
- start places: when every match starts with one of a few distinctive literals
  (:func:`start_literals`), the pattern is only tried where one of them occurs;
- mirror patterns: a case-insensitive pattern runs as an equivalent case-sensitive one over a
  lower-cased mirror of the text (:func:`mirror_pattern`), which ``re`` matches several times faster;
  the match found is taken again with the pattern itself, so callers get its own match objects
  (``first_in``/``folded_in`` return the mirror's matches, for callers that only use offsets).

The mirror is ``text`` with the four characters that ``re.IGNORECASE`` folds onto an ASCII letter of
another case mapped to that letter, then lower-cased; it has the same length as the text, so offsets
carry over. tests/test_extract_units.py checks each shortcut against the bare pattern.
"""

from __future__ import annotations

import re
import sys
from functools import reduce
from operator import or_
from re import _casefix as sre_casefix  # type: ignore[attr-defined]
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

# The only non-ASCII characters that re.IGNORECASE matches with an ASCII letter: İ ı ſ and the Kelvin sign.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_MIRRORS: list[tuple[str, str]] = [("", ""), ("", "")]  # [a release's text, the last short string]


def lowered(text: str) -> str:
    """The lower-cased mirror of ``text`` (same length, so offsets carry over), cached for the last release
    text and the last short string."""
    slot = 0 if len(text) > 200 else 1
    mirror = _MIRRORS[slot]
    if mirror[0] is text:
        return mirror[1]
    if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text):
        low = text.lower()
    else:
        low = text.translate(_FOLD).lower()
    _MIRRORS[slot] = (text, low)
    return low


_CAP = 2000  # most alternative strings followed when expanding a pattern into literals
_ZERO_WIDTH = (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT)
_REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT)


def _exact_op(op, av) -> set[str] | None:
    """Every string (lower-cased) that one parsed item matches, when there are few; else None."""
    if op is sre_c.LITERAL:
        ch = chr(av)
        return {ch.lower()} if ch.isascii() else None
    if op in _ZERO_WIDTH:
        return {""}
    if op is sre_c.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is sre_c.LITERAL and chr(a).isascii():
                chars.add(chr(a).lower())
            elif o is sre_c.RANGE and a[1] < 128 and a[1] - a[0] < 12:
                chars.update(chr(c).lower() for c in range(a[0], a[1] + 1))
            else:
                return None
        return chars
    if op is sre_c.SUBPATTERN:
        return _exact(av[-1])
    if op is sre_c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            x = _exact(branch)
            if x is None:
                return None
            out |= x
            if len(out) > _CAP:
                return None
        return out
    if op in _REPEATS:
        lo, hi, item = av
        if hi > 3:
            return None
        x = _exact(item)
        if x is None:
            return None
        out, level = (set() if lo else {""}), {""}
        for k in range(1, hi + 1):
            level = {a + b for a in level for b in x}
            if len(level) > _CAP:
                return None
            if k >= lo:
                out |= level
        return out
    return None


def _exact(items) -> set[str] | None:
    out = {""}
    for op, av in items:
        x = _exact_op(op, av)
        if x is None or len(out) * len(x) > _CAP:
            return None
        out = {a + b for a in out for b in x}
    return out


def _necessary_op(op, av) -> set[str] | None:
    """Strings one of which every match of a mandatory item contains; None when unknown."""
    if op is sre_c.SUBPATTERN:
        return _necessary(av[-1])
    if op is sre_c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            x = _necessary(branch)
            if x is None:
                return None
            out |= x
        return out
    if op in _REPEATS and av[0] >= 1:
        return _necessary(av[2])
    return None


# Words in nearly every sentence: a gate on them passes anyway, so another literal is preferred.
_COMMON = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "had", "has", "have", "he", "his", "in", "is", "it",
     "its", "of", "on", "she", "that", "the", "their", "this", "to", "was", "were", "will", "with"}
)  # fmt: skip


def _score(strings: set[str]) -> tuple[bool, int, int]:
    """Preference among literal sets: no common word, the longest shortest literal, the fewest literals."""
    return not strings & _COMMON, min(min(len(s) for s in strings), 6), -len(strings)


def _prefixes(items) -> set[str]:
    """Strings one of which every match of the sequence starts with ({""} when nothing is known): the
    exact strings of its leading finite items, then the prefixes of the first other item."""
    out = {""}
    for op, av in items:
        x = _exact_op(op, av)
        if x is not None and len(out) * len(x) <= _CAP:
            out = {a + b for a in out for b in x}
            continue
        sub = _prefixes_op(op, av)
        merged = {a + b for a in out for b in sub}
        return merged if len(merged) <= _CAP else out
    return out


def _prefixes_op(op, av) -> set[str]:
    if op is sre_c.SUBPATTERN:
        return _prefixes(av[-1])
    if op is sre_c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            out |= _prefixes(branch)
            if len(out) > _CAP:
                return {""}
        return out
    if op in _REPEATS and av[0] >= 1:
        return _prefixes(av[2])
    return {""}


def _necessary(items) -> set[str] | None:
    """Strings one of which every match of the sequence contains: the best of the prefix sets that
    start after each item of unknown strings, and of the sets those items need themselves."""
    items = list(items)
    candidates: list[set[str]] = []
    start = 0
    for j in range(len(items) + 1):
        if j < len(items) and _exact_op(*items[j]) is not None:
            continue
        cand = _prefixes(items[start : j + 1])
        if "" not in cand:
            candidates.append(cand)
        if j < len(items):
            sub = _necessary_op(*items[j])
            if sub and "" not in sub:
                candidates.append(sub)
        start = j + 1
    return max(candidates, key=_score) if candidates else None


def _minimal(strings: set[str]) -> tuple[str, ...]:
    """The strings that contain no other one (enough for an any-of test), shortest first."""
    out: list[str] = []
    for s in sorted(strings, key=lambda s: (len(s), s)):
        if not any(o in s for o in out):
            out.append(s)
    return tuple(out)


def start_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Lower-cased literals one of which every match of ``pattern`` starts with (the shortest of those
    sharing a start), or None when some match may start otherwise."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        found = _prefixes(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - no start literals: the pattern is searched as usual
        return None
    if not found or "" in found:
        return None
    out: list[str] = []
    for lit in sorted(found, key=lambda s: (len(s), s)):
        if not any(lit.startswith(o) for o in out):
            out.append(lit)
    return tuple(out)


def necessary_literals(pattern: re.Pattern, min_length: int = 3) -> tuple[str, ...] | None:
    """Lower-cased literals one of which lies inside every match of ``pattern``; None when there is
    no useful set (a literal shorter than ``min_length``, or a construct the analysis does not follow)."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unparsable pattern simply gets no gate
        return None
    found = _necessary(list(parsed))
    if not found or min(len(s) for s in found) < min_length:
        return None
    return _minimal(found)


def literal_trie(strings) -> str:
    """A case-sensitive regex matching any of the literal strings (a factored trie: the longest one wins)."""
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(trie)


_SEGMENT = re.compile(r"[a-z0-9]+")


class WordIndex:
    """Which word segments (runs of letters and digits) occur in a stretch of text.

    Gated patterns register the segments of their literals and get one bit per segment. The mask of
    a stretch ORs, over its whitespace-separated chunks, the bits of the segments found inside each
    chunk; chunks recur from release to release, so their masks are memoised. A segment has no white
    space, so it lies inside one chunk. A mask also has a top bit just above the bits known when it was
    taken: a gate with a bit at or above it (a segment registered later) treats that bit as present
    (see ``unknown``), so a mask never hides a segment.
    """

    def __init__(self) -> None:
        self._bits: dict[str, int] = {}
        # (finder, mask of each segment with its prefixes that are segments too, chunk memo, top bit)
        self._state: tuple | None = None

    def register(self, segment: str) -> int:
        """The bit of a segment."""
        bit = self._bits.get(segment)
        if bit is None:
            bit = self._bits[segment] = 1 << len(self._bits)
            self._state = None
        return bit

    def _build(self) -> tuple:
        bits = dict(self._bits)
        top = 1 << len(bits)
        prefix = {s: _or(bits.get(s[:k], 0) for k in range(1, len(s) + 1)) for s in bits}
        finder = re.compile(f"(?=({literal_trie(bits)}))").finditer if bits else None
        state = self._state = (finder, prefix, {}, top)
        return state

    def mask(self, low: str, start: int = 0, end: int | None = None) -> int:
        """The bits of the segments that occur in low[start:end] (``low`` lower-cased), and the top bit."""
        state = self._state or self._build()
        finder, prefix, memo, top = state
        chunks = low[start:end].split()
        bits = list(map(memo.get, chunks))
        if None in bits:
            if len(memo) > 200000:
                memo.clear()
            for k, chunk in enumerate(chunks):
                if bits[k] is None:
                    found = 0
                    if finder is not None:
                        # the longest segment starting at each position: its prefixes that are segments come too
                        for m in finder(chunk):
                            found |= prefix[m.group(1)]
                    bits[k] = memo[chunk] = found
        return reduce(or_, filter(None, bits), top)


def unknown(mask: int, bits: int) -> bool:
    """Whether some of ``bits`` were registered after ``mask`` was taken (at or above its top bit), or the
    mask is -1 (nothing known): such bits must count as present."""
    return bits.bit_length() >= mask.bit_length()


def _or(values) -> int:
    out = 0
    for v in values:
        out |= v
    return out


WORDS = WordIndex()


def text_mask(text: str, start: int = 0, end: int | None = None) -> int:
    """The WordIndex mask of text[start:end]."""
    return WORDS.mask(lowered(text), start, end)


def _word_requirements(literals: tuple[str, ...] | None) -> tuple[int, int, tuple[int, ...]] | None:
    """The WordIndex gate of a literal set: (bits of every segment, bits of one-segment literals, masks of
    the segments of each longer literal). A literal needs all its segments of three characters or more
    (or its longest one, of two); None when a literal has no such segment."""
    if not literals:
        return None
    single = 0
    multi = set()
    for lit in literals:
        segs = _SEGMENT.findall(lit)
        keep = ([g for g in segs if len(g) >= 3] or [max(segs, key=len)]) if segs else []
        if not keep or len(keep[0]) < 2:
            return None
        req = _or(WORDS.register(g) for g in keep)
        if len(set(keep)) == 1:
            single |= req
        else:
            multi.add(req)
    multi = {m for m in multi if not m & single}  # a literal holding a one-segment literal's segment: covered
    return single | _or(multi), single, tuple(sorted(multi))


_MAX_STARTS = 12  # beyond this many start literals, a plain search is quicker than trying each place
_OTHER_CASES = frozenset(sre_casefix._EXTRA_CASES)  # lower-case letters re.IGNORECASE pairs with other letters
_PLAIN_OPS = (sre_c.AT, sre_c.ANY, sre_c.CATEGORY)


def _mirror_char(ch: str, ignore_case: bool) -> str | None:
    """The character a mirror pattern needs in place of ``ch``; None when the mirror cannot stand in."""
    low = ch.lower()
    if low == ch.upper() and low == ch:  # not a cased letter
        return ch
    if not ignore_case or len(low) != 1:
        return None
    if low.isascii() or ("\u00df" <= low <= "\u017f" and ord(low) not in _OTHER_CASES and low not in "\u0131\u017f"):
        return low
    return None


def _mirror_items(items: list, ignore_case: bool) -> list | None:
    """A copy of parsed items for matching the mirror case-sensitively (letters lower-cased where the
    pattern ignores case); None when some item cannot be carried over."""
    out = []
    for op, av in items:
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL):
            ch = _mirror_char(chr(av), ignore_case)
            if ch is None:
                return None
            out.append((op, ord(ch)))
        elif op is sre_c.IN:
            members = []
            for o, a in av:
                if o is sre_c.LITERAL:
                    ch = _mirror_char(chr(a), ignore_case)
                    if ch is None:
                        return None
                    members.append((o, ord(ch)))
                elif o is sre_c.RANGE:
                    chars = (
                        [_mirror_char(chr(c), ignore_case) for c in range(a[0], a[1] + 1)]
                        if a[1] - a[0] < 64
                        else [None]
                    )
                    if None in chars:
                        return None
                    members.extend((sre_c.LITERAL, ord(c)) for c in dict.fromkeys(chars))
                elif o in (sre_c.CATEGORY, sre_c.NEGATE):
                    members.append((o, a))
                else:
                    return None
            out.append((op, members))
        elif op is sre_c.SUBPATTERN:
            group, add, remove, p = av
            inner = _mirror_items(p, (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
            if inner is None:
                return None
            out.append((op, (group, add, remove, _subpattern(p, inner))))
        elif op is sre_c.BRANCH:
            branches = [_mirror_items(b, ignore_case) for b in av[1]]
            if any(b is None for b in branches):
                return None
            out.append((op, (av[0], [_subpattern(b0, b) for b0, b in zip(av[1], branches, strict=True)])))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            inner = _mirror_items(av[2], ignore_case)
            if inner is None:
                return None
            out.append((op, (av[0], av[1], _subpattern(av[2], inner))))
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            inner = _mirror_items(av[1], ignore_case)
            if inner is None:
                return None
            out.append((op, (av[0], _subpattern(av[1], inner))))
        elif op in _PLAIN_OPS:
            out.append((op, av))
        else:  # group references, conditionals, atomic groups ...: not carried over
            return None
    return out


def _subpattern(like, items: list):
    return sre_parse.SubPattern(like.state, items)


def mirror_pattern(pattern: re.Pattern) -> re.Pattern | None:
    """For a case-insensitive pattern, an equivalent case-sensitive one to run over the mirror (``lowered``):
    it matches at the same places, and much faster (``re`` compares ignoring case char by char and cannot
    skip branches by their first letter). None for a case-sensitive pattern or one it cannot carry over."""
    if not pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        items = _mirror_items(list(parsed), True)
        if items is None:
            return None
        parsed.state.flags &= ~re.IGNORECASE
        return sre_compile.compile(sre_parse.SubPattern(parsed.state, items), pattern.flags & ~re.IGNORECASE)
    except Exception:  # noqa: BLE001 - no mirror: the pattern runs as it is
        return None


class Gated:
    """A compiled regex behind literal gates, with the results of the bare pattern.

    ``search``/``finditer``/``findall`` skip a range that holds none of the literals every match
    contains; ``search_in``/``finditer_in`` take the WordIndex mask of the sentence the range lies in,
    skip it when the pattern cannot match there and otherwise try only the places where a start
    literal occurs (when the pattern has few distinctive ones). A case-insensitive pattern is run as
    its case-sensitive mirror over the lower-cased text (see ``mirror_pattern``) and the match it finds
    is taken again with the pattern itself, so callers get the pattern's own match objects.
    ``match``/``fullmatch``/``sub`` go straight to the pattern.
    """

    __slots__ = ("re", "pattern", "flags", "literals", "flag", "_single", "_multi", "_gate", "_mirror", "_starts",
                 "match", "fullmatch", "sub")  # fmt: skip

    def __init__(self, pattern: re.Pattern, literals: tuple[str, ...] | None = None, anchors: bool = True):
        self.re = pattern
        self.pattern = pattern.pattern
        self.flags = pattern.flags
        self.match = pattern.match
        self.fullmatch = pattern.fullmatch
        self.sub = pattern.sub
        self._mirror = mirror_pattern(pattern)
        every = literals if literals is not None else necessary_literals(pattern, min_length=1)
        self.flag, self._single, self._multi = _word_requirements(every) or (0, 0, ())
        lits = every if every and min(len(s) for s in every) >= 3 else None
        self.literals = lits
        if lits is None:
            self._gate = None
        elif len(lits) <= 6:
            self._gate = lits
        else:  # many literals: one case-sensitive trie over the mirror
            self._gate = re.compile(literal_trie(lits)).search
        starts = start_literals(pattern) if anchors else None
        if starts and all(len(lit) >= 2 and lit not in _COMMON for lit in starts):
            # try only at those literals (the ones whose words the sentence has); not worth it for short or
            # common start words ("in", "was"), which are everywhere
            entries = [(lit, (_word_requirements((lit,)) or (0,))[0]) for lit in starts]
            self._starts = (_or(req for _, req in entries), {}, entries)
        else:
            self._starts = None

    def _places(self, mask: int, text: str, pos: int, endpos: int) -> list[int] | None:
        """Where in text[pos:endpos] a match may start (where a start literal the sentence's words allow
        occurs), in order; None when there is no such shortcut (no start literals, or many apply)."""
        starts = self._starts
        if starts is None:
            return None
        union, memo, entries = starts
        key = union if unknown(mask, union) else mask & union
        lits = memo.get(key)
        if lits is None:
            if len(memo) > 4096:
                memo.clear()
            lits = memo[key] = tuple(lit for lit, req in entries if key & req == req)
        if len(lits) > _MAX_STARTS:
            return None
        low = lowered(text)
        if pos < 0:
            pos = 0
        out: list[int] = []
        for lit in lits:
            i = low.find(lit, pos, endpos)
            while i >= 0:
                out.append(i)
                i = low.find(lit, i + 1, endpos)
        out.sort()
        return out

    def _at(self, text: str, places: list[int], endpos: int, folded: bool):
        """finditer over candidate start places (a match starts at one of them, so the others need no try)."""
        mirror = self._mirror
        subject, matcher = (lowered(text), mirror.match) if mirror is not None else (text, self.re.match)
        cursor = -1
        for p in places:
            if p < cursor:
                continue
            m = matcher(subject, p, endpos)
            if m is not None:
                yield m if folded or mirror is None else self.re.match(text, p, endpos)
                cursor = m.end()

    def may(self, mask: int) -> bool:
        """Whether the pattern may match in a sentence with this WordIndex mask (True without a word gate)."""
        flag = self.flag
        if not flag:
            return True
        hit = mask & flag
        if hit == flag or hit & self._single:  # all its segments, or a one-segment literal's, are there
            return True
        if flag.bit_length() >= mask.bit_length():  # unknown(mask, flag): some of its bits came later
            return True
        return bool(hit) and any(mask & req == req for req in self._multi)

    def present(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """Whether text[pos:endpos] contains one of the literals (always True without a gate)."""
        gate = self._gate
        if gate is None:
            return True
        if pos < 0:
            pos = 0
        low = lowered(text)
        if type(gate) is tuple:
            return any(low.find(lit, pos, endpos) >= 0 for lit in gate)
        return gate(low, pos, endpos) is not None

    def _search(self, text: str, pos: int, endpos: int) -> re.Match | None:
        mirror = self._mirror
        if mirror is None:
            return self.re.search(text, pos, endpos)
        m = mirror.search(lowered(text), pos, endpos)
        return self.re.match(text, m.start(), endpos) if m is not None else None

    def _finditer(self, text: str, pos: int, endpos: int):
        mirror = self._mirror
        if mirror is None:
            return self.re.finditer(text, pos, endpos)
        match = self.re.match
        return (match(text, m.start(), endpos) for m in mirror.finditer(lowered(text), pos, endpos))

    def search_ungated(self, text: str, pos: int = 0, endpos: int = sys.maxsize, mask: int = -1) -> re.Match | None:
        """Pattern.search without the gates (for a caller that checked ``may`` already)."""
        places = self._places(mask, text, pos, endpos)
        if places is None:
            return self._search(text, pos, endpos)
        return next(self._at(text, places, endpos, False), None)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        """Pattern.search, skipped when the range lacks every literal."""
        if self._gate is not None and not self.present(text, pos, endpos):
            return None
        return self._search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        """Pattern.finditer, empty when the range lacks every literal."""
        if self._gate is not None and not self.present(text, pos, endpos):
            return iter(())
        return self._finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list:
        """Pattern.findall, empty when the range lacks every literal."""
        if self._gate is not None and not self.present(text, pos, endpos):
            return []
        return self.re.findall(text, pos, endpos)

    def search_in(self, mask: int, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        """Pattern.search over a range inside a sentence whose WordIndex mask is ``mask``."""
        flag = self.flag
        if flag:
            if not mask & flag and flag.bit_length() < mask.bit_length():
                return None  # none of its words in the sentence (may() inlined for the usual answer)
            return self.search_ungated(text, pos, endpos, mask) if self.may(mask) else None
        return self.search(text, pos, endpos)

    def folded_in(self, mask: int, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[re.Match]:
        """The matches of finditer_in at the same places, but taken over the mirror when the pattern has
        one (their group texts are lower-cased): for callers that only use offsets and lower-case text."""
        flag = self.flag
        if flag and not mask & flag and flag.bit_length() < mask.bit_length():
            return []  # none of its words in the sentence (may() inlined for the usual answer)
        if not self.may(mask) or (self._gate is not None and not flag and not self.present(text, pos, endpos)):
            return []
        places = self._places(mask, text, pos, endpos)
        if places is not None:
            return list(self._at(text, places, endpos, True))
        if self._mirror is None:
            return list(self.re.finditer(text, pos, endpos))
        return list(self._mirror.finditer(lowered(text), pos, endpos))

    def first_in(self, mask: int, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        """The match of search_in at the same place, but taken over the mirror when the pattern has one
        (its group texts are lower-cased): for callers that only use offsets or test for a match."""
        if self._mirror is None:
            return self.search_in(mask, text, pos, endpos)
        flag = self.flag
        if flag and not mask & flag and flag.bit_length() < mask.bit_length():
            return None  # none of its words in the sentence (may() inlined for the usual answer)
        if not self.may(mask) or (self._gate is not None and not flag and not self.present(text, pos, endpos)):
            return None
        places = self._places(mask, text, pos, endpos)
        if places is None:
            return self._mirror.search(lowered(text), pos, endpos)
        return next(self._at(text, places, endpos, True), None)

    def finditer_in(self, mask: int, text: str, pos: int = 0, endpos: int = sys.maxsize):
        """Pattern.finditer over a range inside a sentence whose WordIndex mask is ``mask``."""
        if self.flag:
            if not self.may(mask):
                return iter(())
            places = self._places(mask, text, pos, endpos)
            return self._finditer(text, pos, endpos) if places is None else self._at(text, places, endpos, False)
        return self.finditer(text, pos, endpos)


def gated(pattern: str | re.Pattern, flags: int = 0, anchors: bool = True) -> Gated:
    """Compile (if needed) and gate a pattern (``anchors``: whether to try matches only where a start
    literal occurs; not worth it for a pattern searched over short stretches)."""
    return Gated(pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags), anchors=anchors)
