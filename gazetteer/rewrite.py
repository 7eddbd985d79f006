"""The rewriter: a text's toponyms put into a naming profile's house style, with a report.

Given the mentions the finder found (:mod:`gazetteer.toponyms`), a naming profile
(:mod:`gazetteer.profiles`) and the editor's decisions, :func:`rewrite` produces the new
text and a change list — position, old, new, place, reason — plus the mentions it left
alone and why (ambiguous, unsure, an ending it cannot carry over). Only the mentions
themselves change: every character outside them is copied as it was, and
:func:`apply_report` replays a report on the original text to give exactly the same output.

House style details handled here:

- first and later mentions: a profile can give the second name of a dual form ("Shushi
  (Shusha)") on a place's first mention only; a form that is already dual in the text
  ("Khankendi (Stepanakert)", "Stepanakert/Khankendi") is one unit, so running the rewriter
  twice changes nothing the second time;
- grammatical endings move to the new name (Shusha's → Shushi's, Xankəndidə →
  Stepanakertdə, в Шуше → в Шуши); where that cannot be done safely the mention is left;
- a mention written in capitals stays in capitals.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from gazetteer.errors import GazetteerError
from gazetteer.inflection import Reinflected, fold_surface, reinflect, script_of_word
from gazetteer.model import Place
from gazetteer.profiles import NamingProfile, Rendering, rendering
from gazetteer.toponyms import Mention

__all__ = [
    "ACCEPT",
    "KEEP",
    "REPORT_FORMAT",
    "Change",
    "Decision",
    "Left",
    "ReportMismatchError",
    "RewriteResult",
    "apply_report",
    "line_column",
    "rewrite",
]

#: Mentions at least this sure are rewritten without the editor's say-so.
DEFAULT_MIN_CONFIDENCE: Final = 0.7
#: Identifies the JSON report format.
REPORT_FORMAT: Final = "caucasus-gazetteer/normalise-report/1"

ACCEPT: Final = "accept"
KEEP: Final = "keep"


@dataclass(frozen=True)
class Decision:
    """What the editor decided for one mention (keyed by the mention's start offset).

    ``accept``: write the profile's form (of ``place_id`` when given: another candidate);
    ``keep``: leave the text as it is; ``text``: write ``text`` instead (another name of
    the place, or anything the editor typed) — the grammatical ending is still carried over.
    """

    action: str = ACCEPT
    place_id: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Change:
    """One replacement: ``original[start:end] == old`` becomes ``new``."""

    start: int
    end: int
    old: str
    new: str
    place_id: str | None
    reason: str
    line: int = 0
    column: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (offsets are code points into the original text)."""
        return {
            "start": self.start, "end": self.end, "line": self.line, "column": self.column,
            "old": self.old, "new": self.new, "place_id": self.place_id, "reason": self.reason,
        }  # fmt: skip


@dataclass(frozen=True)
class Left:
    """A mention left as it was, with the reason (for the editor to look at)."""

    start: int
    end: int
    surface: str
    reason: str
    candidates: tuple[str, ...] = ()
    line: int = 0
    column: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "start": self.start, "end": self.end, "line": self.line, "column": self.column,
            "surface": self.surface, "reason": self.reason, "candidates": list(self.candidates),
        }  # fmt: skip


@dataclass(frozen=True)
class RewriteResult:
    """The new text, what changed, and what was left for the editor."""

    original: str
    text: str
    profile_id: str
    changes: tuple[Change, ...]
    left: tuple[Left, ...] = field(default_factory=tuple)

    def report(self) -> dict[str, Any]:
        """The change report as JSON-ready data; :func:`apply_report` replays it."""
        return {
            "format": REPORT_FORMAT,
            "profile": self.profile_id,
            "original_sha256": _sha256(self.original),
            "result_sha256": _sha256(self.text),
            "changes": [c.to_dict() for c in self.changes],
            "left": [x.to_dict() for x in self.left],
        }


class ReportMismatchError(GazetteerError):
    """A report that does not fit the text it is applied to: ``where`` says which change
    (or ``text``), ``problem`` what does not match."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a code-point offset (for people reading a report)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Lines:
    """Line and column of many offsets in one text (one pass over it, then bisection)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


# --------------------------------------------------------------------------------------
# Units: a mention, or a dual form already in the text
# --------------------------------------------------------------------------------------

_PAREN_OPEN: Final = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*")
_PAREN_CLOSE: Final = re.compile(r"[ \t\u00a0]*\)")
_SLASH: Final = re.compile(r"[ \t\u00a0]*/[ \t\u00a0]*")


@dataclass
class _Unit:
    start: int
    end: int
    mentions: list[Mention]

    @property
    def head(self) -> Mention:
        return self.mentions[0]


def _place_of(mention: Mention, decisions: Mapping[int, Decision]) -> str | None:
    decision = decisions.get(mention.start)
    if decision is not None and decision.place_id:
        return decision.place_id
    return mention.place_id


def _units(
    text: str, mentions: Sequence[Mention], decisions: Mapping[int, Decision]
) -> list[_Unit]:
    """Mentions grouped into units: "A (B)" and "A/B" of one place are one unit."""
    units: list[_Unit] = []
    k = 0
    while k < len(mentions):
        m = mentions[k]
        unit = _Unit(m.start, m.end, [m])
        if k + 1 < len(mentions):
            nxt = mentions[k + 1]
            place = _place_of(m, decisions)
            same = place is not None and place == _place_of(nxt, decisions)
            between = text[m.end : nxt.start]
            if same:
                close = _PAREN_CLOSE.match(text, nxt.end)
                # "Shushi's (Shusha)": an ending before the brackets; "A/B's": at the end.
                if _PAREN_OPEN.fullmatch(between) and close and not nxt.ending:
                    unit = _Unit(m.start, close.end(), [m, nxt])
                elif _SLASH.fullmatch(between) and not m.ending:
                    unit = _Unit(m.start, nxt.end, [m, nxt])
        units.append(unit)
        k += len(unit.mentions)
    return units


# --------------------------------------------------------------------------------------
# Rewriting
# --------------------------------------------------------------------------------------


def _match_case(new: str, old_name: str) -> str:
    """Capitals stay capitals: SHUSHA → SHUSHI (a heading); otherwise the name's own case."""
    letters = [c for c in old_name if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters if c.lower() != c.upper()):
        return new.upper()
    return new


def _same_letters(a: str, b: str) -> bool:
    """Equal up to case and Unicode normal form. Not casefold: it makes Երևան of Երեւան."""
    return unicodedata.normalize("NFC", a).lower() == unicodedata.normalize("NFC", b).lower()


def _new_form(text: str, unit: _Unit, primary: str, rest: str, matched: str) -> Reinflected:
    """The text that replaces ``unit``: ``primary`` (the profile's name) with the unit's
    grammatical ending carried over, and ``rest`` (a dual form's second name: "A (B)"
    takes the ending after A, "A/B" at the end).

    ``matched`` is the stored name the head mention matched. Where the mention already is
    the primary name, its own letters and ending stay.
    """
    m = unit.head
    carrier = next((x for x in unit.mentions if x.ending), None)
    ending = carrier.ending if carrier else ""
    name_part = text[m.start : m.name_end]
    capitals = _match_case(primary, name_part) != primary
    if capitals:
        rest = rest.upper()
    slash = rest.startswith("/")
    if _same_letters(name_part, primary):
        return Reinflected(name_part + (rest + ending if slash else ending + rest))
    if (
        carrier is m
        and m.ending_lang == "ru"
        and m.tier == "inflected"
        and _same_letters(matched, primary)
    ):
        return Reinflected(m.surface + rest)  # в Нагорном Карабахе stays as written
    new_primary = _match_case(primary, name_part)
    russian = script_of_word(fold_surface(name_part)) == "cyrl"
    if carrier is None and not russian:
        return Reinflected(new_primary + rest)
    if russian and script_of_word(fold_surface(primary)) != "cyrl":
        # Russian text leaves a name in another script undeclined (из Stepanakert).
        note = f"Russian ending {ending!r} dropped: not declined in another script"
        return Reinflected(new_primary + rest, note if ending else "")
    base = new_primary + rest if slash else new_primary
    grammar = carrier or m
    moved = reinflect(
        base, ending, lang=grammar.ending_lang or "ru", case=grammar.ending_case,
        old_name=matched, before=text[: m.start],
    )  # fmt: skip
    if moved.text is None:
        surface = text[unit.start : unit.end]
        return Reinflected(None, f"{moved.note}: {surface!r} → {primary!r} left as it is")
    notes = [f"ending {ending!r} kept"] if ending else []
    if moved.note:
        notes.append(moved.note)
    return Reinflected(moved.text if slash else moved.text + rest, "; ".join(notes))


def rewrite(
    text: str,
    mentions: Sequence[Mention],
    profile: NamingProfile,
    places: Mapping[str, Place],
    *,
    decisions: Mapping[int, Decision] | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    year: int | None = None,
) -> RewriteResult:
    """Rewrite ``text``'s mentions under ``profile``.

    ``places`` holds every place a mention or a decision may name (with its names);
    ``decisions`` maps a mention's start offset to the editor's decision; mentions without
    one are rewritten when they are unambiguous and at least ``min_confidence`` sure.
    """
    chosen = decisions or {}
    changes: list[Change] = []
    left: list[Left] = []
    seen: set[str] = set()
    lines = _Lines(text)
    shown_as: dict[tuple[str, bool], Rendering] = {}  # a place is written the same each time

    def leave(unit: _Unit, reason: str, candidates: Sequence[str] = ()) -> None:
        line, col = lines.at(unit.start)
        left.append(Left(unit.start, unit.end, text[unit.start : unit.end], reason,
                         tuple(candidates), line, col))  # fmt: skip

    for unit in _units(text, mentions, chosen):
        m = unit.head
        decision = chosen.get(m.start)
        old = text[unit.start : unit.end]
        if decision is not None and decision.action == KEEP:
            if m.place_id or decision.place_id:
                seen.add(decision.place_id or m.place_id or "")
            continue
        place_id = _place_of(m, chosen)
        if place_id is None:
            leave(unit, "ambiguous: several places have this name",
                  [c.place_id for c in m.candidates])  # fmt: skip
            continue
        if decision is None and m.confidence < min_confidence:
            why = "; ".join(m.notes) or "weak match"
            leave(unit, f"unsure ({m.confidence:.2f}): {why}", [place_id])
            continue
        place = places.get(place_id)
        if place is None:
            leave(unit, f"place {place_id} is not in the gazetteer", [place_id])
            continue
        first = place_id not in seen
        if decision is not None and decision.text:
            primary, rest, why = decision.text, "", "editor's choice"
        else:
            shown = shown_as.get((place_id, first))
            if shown is None:
                shown = shown_as[place_id, first] = rendering(
                    place, profile, first_mention=first, year=year
                )
            primary = shown.primary.text
            rest = shown.text[len(primary) :] if shown.text.startswith(primary) else ""
            if not rest and shown.text != primary:
                primary = shown.text
            why = f"{'first' if first else 'later'} mention; profile {profile.id}"
            if shown.primary.is_generated:
                why += "; generated romanisation (no attested name)"
        matched = next((c.name.text for c in m.candidates if c.place_id == place_id),
                       text[m.start : m.name_end])  # fmt: skip
        outcome = _new_form(text, unit, primary, rest, matched)
        if outcome.text is None:
            leave(unit, outcome.note, [place_id])
            seen.add(place_id)
            continue
        new, notes = outcome.text, [outcome.note] if outcome.note else []
        seen.add(place_id)
        if new == old:
            continue
        if m.status == "resolved" and (decision is None or not decision.place_id):
            notes.append("place chosen by context")
        if decision is not None and decision.place_id:
            notes.append("place chosen by the editor")
        reason = "; ".join([why, *notes])
        line, col = lines.at(unit.start)
        changes.append(Change(unit.start, unit.end, old, new, place_id, reason, line, col))
    result = _apply(text, changes)
    return RewriteResult(text, result, profile.id, tuple(changes), tuple(left))


def _apply(text: str, changes: Sequence[Change]) -> str:
    parts: list[str] = []
    pos = 0
    for c in changes:
        parts.append(text[pos : c.start])
        parts.append(c.new)
        pos = c.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_report(original: str, report: Mapping[str, Any] | Sequence[Change]) -> str:
    """Replay a change report on ``original``; the result is the rewriter's output.

    ``ReportMismatchError`` when the report was made for another text: a checksum that
    differs, or a change whose ``old`` is not at its position, or changes that overlap.
    """
    if isinstance(report, Mapping):
        if report.get("format") not in (None, REPORT_FORMAT):
            raise ReportMismatchError("format", f"not a normalise report: {report.get('format')!r}")
        digest = report.get("original_sha256")
        if digest and digest != _sha256(original):
            raise ReportMismatchError("text", "the report was made for a different text")
        try:
            changes = [
                Change(int(c["start"]), int(c["end"]), str(c["old"]), str(c["new"]),
                       c.get("place_id"), str(c.get("reason", "")))
                for c in report.get("changes", [])
            ]  # fmt: skip
        except (KeyError, TypeError, ValueError) as error:
            raise ReportMismatchError("changes", f"malformed change entry ({error})") from None
    else:
        changes = list(report)
    changes.sort(key=lambda c: c.start)
    pos = 0
    for k, c in enumerate(changes, 1):
        if c.start < pos or c.end < c.start or c.end > len(original):
            raise ReportMismatchError(f"change {k}", f"offsets {c.start}–{c.end} overlap or "
                                      "fall outside the text")  # fmt: skip
        if original[c.start : c.end] != c.old:
            found = original[c.start : c.end]
            raise ReportMismatchError(f"change {k}", f"expected {c.old!r} at {c.start}, "
                                      f"found {found!r}")  # fmt: skip
        pos = c.end
    return _apply(original, changes)
