"""Spreadsheet normalisation: a CSV column of toponyms matched to places and given the
profile's name, coordinates and a match status in new columns.

Every original column and row stays as it was, in its order; the new columns follow them,
named after the source column (``place_place_id``, ``place_name``, ``place_lat`` …). The
match status says how sure the match is:

``exact``      the cell is a stored name of the place (up to case and invisible characters)
``variant``    another spelling of a stored name: diacritics, romanisation, script, a
               generic word (Şusa, Xankendi, Ханкенди, Shusha District → Şuşa rayonu)
``fuzzy``      a typo or a shortened form (Stepanakrt, Stepan…): check it
``ambiguous``  several places have the name and the column does not say which (the
               candidates are listed)
``not found``  no place matches

An empty cell gets empty new cells. A shared name is resolved, as in running text, from the
other places in the same column — and the optional region — only when that evidence is
clear. The file is read whole and checked before anything is written; the output is written
atomically.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

from gazetteer.csv_format import neutralise
from gazetteer.csv_import import decode
from gazetteer.errors import InvalidFileError, Problem
from gazetteer.files import write_atomically
from gazetteer.model import Place
from gazetteer.profiles import NamingProfile, rendering
from gazetteer.toponyms import PlaceLookup, context_evidence, is_clear

__all__ = [
    "MATCH_STATUSES",
    "NEW_COLUMNS",
    "CellMatch",
    "Sheet",
    "SheetReport",
    "normalise_sheet",
    "read_sheet",
    "status_of_tier",
    "write_sheet",
    "write_sheet_file",
]

MATCH_STATUSES: Final = ("exact", "variant", "fuzzy", "ambiguous", "not found")
#: Suffixes of the columns added after the originals.
NEW_COLUMNS: Final = ("place_id", "name", "lat", "lon", "match", "matched_name", "candidates")

# Search tiers (gazetteer.search) by what they mean for a cell.
_VARIANT_TIERS: Final = frozenset({"plain", "skeleton", "strip", "skeleton-alt", "core"})
_EXACT_TIERS: Final = frozenset({"exact"})

_UTF8_BOM: Final = "\ufeff"


def status_of_tier(tier: str) -> str:
    """The match status a search tier stands for (exact, variant or fuzzy)."""
    if tier in _EXACT_TIERS:
        return "exact"
    if tier in _VARIANT_TIERS:
        return "variant"
    return "fuzzy"  # prefix, phonetic, fuzzy, consonants: worth a look


@dataclass(frozen=True)
class CellMatch:
    """One place a cell's text may name, as the search found it."""

    place: Place
    matched_text: str
    matched_lang: str
    tier: str
    score: float


#: Looks a cell's text up: places it may name, best first.
CellLookup = Callable[[str], Sequence[CellMatch]]


@dataclass
class Sheet:
    """A CSV table as read: header, rows (lists of cells) with their line numbers, and
    the details needed to write it back the same way."""

    file: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    delimiter: str = ","
    bom: bool = False


@dataclass(frozen=True)
class SheetReport:
    """What normalising a column did: rows per match status, and the columns added."""

    rows: int
    counts: dict[str, int]
    columns: tuple[str, ...]
    resolved_by_context: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def _delimiter(first_line: str) -> str:
    """The delimiter of the header line: the most frequent of , ; tab (Excel in many
    locales writes ;), counting only outside quotes."""
    counts: Counter[str] = Counter()
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in ",;\t":
            counts[ch] += 1
    return counts.most_common(1)[0][0] if counts else ","


def read_sheet(data: bytes, file: str) -> Sheet:
    """Parse CSV bytes; ``InvalidFileError`` lists every problem (encoding, quoting, a row
    with more or fewer cells than the header) with file and line."""
    text = decode(data, file)
    bom = data.startswith(b"\xef\xbb\xbf")
    if not text.strip():
        raise InvalidFileError([Problem(file, 1, "header", "file is empty")])
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(file, start, "row", f"bad CSV quoting ({error})"))
            break
        if not header:
            header = cells
        elif cells and len(cells) != len(header):
            problems.append(Problem(file, start, "row", f"{len(cells)} cells, but the header "
                                    f"has {len(header)}"))  # fmt: skip
        else:
            rows.append(cells)
            lines.append(start)
        start = reader.line_num + 1
    if problems:
        raise InvalidFileError(problems)
    return Sheet(file, header, rows, lines, delimiter, bom)


def _column_index(sheet: Sheet, column: str) -> int:
    names = [h.strip() for h in sheet.header]
    if column in names:
        return names.index(column)
    folded = [n.casefold() for n in names]
    if column.strip().casefold() in folded:
        return folded.index(column.strip().casefold())
    shown = ", ".join(repr(n) for n in names)
    raise InvalidFileError(
        [Problem(sheet.file, 1, "column", f"no column {column!r}; the columns are {shown}")]
    )


def _new_names(sheet: Sheet, column: str) -> list[str]:
    """Names of the added columns, never clashing with an existing one."""
    taken = {h.strip() for h in sheet.header}
    out = []
    for suffix in NEW_COLUMNS:
        name = f"{column}_{suffix}"
        while name in taken:
            name += "_"
        taken.add(name)
        out.append(name)
    return out


@dataclass
class _CellResult:
    status: str
    matches: list[CellMatch]
    place: Place | None = None
    matched: CellMatch | None = None


def _classify(matches: Sequence[CellMatch]) -> _CellResult:
    if not matches:
        return _CellResult("not found", [])
    top = matches[0]
    # Places found as well as the best one: the same tier and the same score.
    rivals = [m for m in matches if m.tier == top.tier and abs(m.score - top.score) < 1e-6]
    seen: dict[str, CellMatch] = {}
    for m in rivals:
        seen.setdefault(m.place.id, m)
    if len(seen) > 1:
        return _CellResult("ambiguous", list(seen.values()))
    return _CellResult(status_of_tier(top.tier), [top], top.place, top)


def normalise_sheet(
    sheet: Sheet,
    column: str,
    lookup: CellLookup,
    profile: NamingProfile,
    places: PlaceLookup,
    *,
    region: str | None = None,
) -> tuple[Sheet, SheetReport]:
    """The sheet with the new columns filled for every row, and what happened.

    ``lookup`` searches one cell's text; ``places`` gives parents and coordinates for
    resolving shared names from the rest of the column.
    """
    index = _column_index(sheet, column)
    source = sheet.header[index].strip()
    added = _new_names(sheet, source)
    results: dict[str, _CellResult] = {}
    for row in sheet.rows:
        cell = row[index].strip() if index < len(row) else ""
        if cell and cell not in results:
            results[cell] = _classify(lookup(cell))
    resolved = _resolve_from_column(results, places, region)
    counts: Counter[str] = Counter()
    new_rows: list[list[str]] = []
    for row in sheet.rows:
        if not row:
            new_rows.append(row)  # a blank line stays a blank line
            continue
        cell = row[index].strip()
        if not cell:
            new_rows.append([*row, *([""] * len(added))])
            continue
        result = results[cell]
        counts[result.status] += 1
        new_rows.append([*row, *_cells(result, profile)])
    report = SheetReport(
        rows=sum(1 for r in sheet.rows if r),
        counts={s: counts.get(s, 0) for s in MATCH_STATUSES},
        columns=tuple(added),
        resolved_by_context=sum(1 for r in sheet.rows if r and r[index].strip() in resolved),
    )
    header = [*sheet.header, *added]
    return Sheet(sheet.file, header, new_rows, sheet.lines, sheet.delimiter, sheet.bom), report


def _resolve_from_column(
    results: dict[str, _CellResult], places: PlaceLookup, region: str | None
) -> set[str]:
    """Resolve ambiguous cells from the places the column names unambiguously."""
    context: Counter[str] = Counter()
    for result in results.values():
        if result.place is not None and result.status in ("exact", "variant"):
            context[result.place.id] += 1
    resolved: set[str] = set()
    for cell, result in results.items():
        if result.status != "ambiguous":
            continue
        ids = [m.place.id for m in result.matches]
        evidence = context_evidence(ids, context, places, region)
        ranked = sorted(result.matches, key=lambda m: -evidence.get(m.place.id, 0.0))
        top = evidence.get(ranked[0].place.id, 0.0)
        runner = evidence.get(ranked[1].place.id, 0.0) if len(ranked) > 1 else 0.0
        result.matches = ranked
        if is_clear(top, runner):
            chosen = ranked[0]
            result.status = status_of_tier(chosen.tier)
            result.place, result.matched = chosen.place, chosen
            resolved.add(cell)
    return resolved


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _cells(result: _CellResult, profile: NamingProfile) -> list[str]:
    """The new cells of one row, formula-like values neutralised."""
    if result.place is None or result.matched is None:
        candidates = ";".join(m.place.id for m in result.matches)
        return ["", "", "", "", result.status, "", candidates]
    place = result.place
    name = rendering(place, profile, first_mention=True).text
    cells = [place.id, name, _number(place.lat), _number(place.lon), result.status,
             result.matched.matched_text, ""]  # fmt: skip
    return [neutralise(c) for c in cells]


def write_sheet(sheet: Sheet, out: IO[str]) -> None:
    """Write the sheet as CSV (RFC 4180 line ends, the input's delimiter and BOM)."""
    if sheet.bom:
        out.write(_UTF8_BOM)
    writer = csv.writer(out, delimiter=sheet.delimiter, lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow(row)


def write_sheet_file(sheet: Sheet, path: Path) -> None:
    """Write the sheet to ``path`` atomically (a temporary file renamed into place)."""
    write_atomically(path, lambda out: write_sheet(sheet, out))
