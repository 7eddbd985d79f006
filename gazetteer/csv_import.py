"""Reading CSV files (long or wide layout) into place inputs, reporting every bad spot.

Nothing is written here: ``read_csv`` returns place inputs or raises ``InvalidFileError``
listing every problem as ``FILE:LINE: field: problem``; the façade then writes the places in
one transaction. Encodings are checked first: UTF-8 with or without a byte-order mark is
accepted, anything else is refused with a hint at what the file probably is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.csv_format import LONG_COLUMNS, unneutralise, unpack_names
from gazetteer.errors import InvalidFileError, Problem, ValidationError
from gazetteer.intake import (
    NameInput,
    PlaceInput,
    PopulationInput,
    check_name,
    check_place,
)
from gazetteer.languages import detect_script, parse_language_tag

_UTF8_BOM = b"\xef\xbb\xbf"


def decode(data: bytes, file: str) -> str:
    """UTF-8 text of a file (BOM dropped); ``InvalidFileError`` saying what it is instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidFileError([Problem(file, 1, "encoding", "file is UTF-16; save it as UTF-8")])
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidFileError(
            [Problem(file, line, "encoding", f"not UTF-8 ({_guess(data)}); save it as UTF-8")]
        ) from None


def _guess(data: bytes) -> str:
    """A plausible name for a non-UTF-8 encoding, from which one gives sensible letters."""
    for encoding, label, letters in (
        ("cp1251", "looks like Windows-1251 (cp1251) Cyrillic", range(0x0410, 0x0450)),
        ("cp1254", "looks like Windows-1254 (cp1254) Turkish/Azerbaijani", range(0x00C0, 0x0180)),
    ):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        high = [ch for ch in text if ord(ch) > 0x7F]
        if high and sum(ord(ch) in letters for ch in high) / len(high) > 0.8:
            return label
    return "unknown 8-bit encoding, perhaps Latin-1 or Windows-1252"


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


def _rows(text: str, file: str) -> tuple[list[str], Iterator[_Row]]:
    # Lines end at CR, LF or CRLF only (newline=""), as RFC 4180 says: str.splitlines would
    # also break a row at U+0085, U+2028, VT, FF or FS..US inside a cell, and the value
    # check would never see them (the row would be reported as having too few cells).
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidFileError([Problem(file, 1, "header", "file is empty")]) from None
    except csv.Error as error:
        raise InvalidFileError([Problem(file, 1, "header", str(error))]) from None
    header = [h.strip() for h in header]

    def rows() -> Iterator[_Row]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise InvalidFileError([Problem(file, start, "row", str(error))]) from None
            if any(c.strip() for c in cells):
                if len(cells) != len(header):
                    yield _Row(start, {"__width__": str(len(cells))})
                else:
                    yield _Row(
                        start, {h: unneutralise(c) for h, c in zip(header, cells, strict=True)}
                    )
            start = reader.line_num + 1

    return header, rows()


#: The CSV column of an input field whose name differs (an error names the column).
_COLUMN_OF_FIELD = {"source": "name_source", "sources": "source_urls"}


def _float(cells: dict[str, str], field: str) -> float | None:
    text = cells.get(field, "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a number") from None


def _int(cells: dict[str, str], field: str) -> int | None:
    text = cells.get(field, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a whole number") from None


def detect_layout(header: list[str]) -> str | None:
    """``long``, ``wide`` or None, from a header row."""
    columns = set(header)
    if {"place_id", "name", "lang"} <= columns:
        return "long"
    if "id" in columns and any(c.startswith("name_") for c in columns):
        return "wide"
    return None


def read_csv(path: Path, known_place_ids: set[str] | None = None) -> list[PlaceInput]:
    """Read a long- or wide-layout CSV file into place inputs, checking every field.

    ``known_place_ids`` are ids already in the database (for checking parents). Raises
    ``InvalidFileError`` listing every problem; returns nothing partial.
    """
    file = str(path)
    text = decode(Path(path).read_bytes(), file)
    header, rows = _rows(text, file)
    layout = detect_layout(header)
    if layout is None:
        raise InvalidFileError(
            [
                Problem(
                    file,
                    1,
                    "header",
                    "unrecognised columns; expected the long layout (place_id, name, lang, ...) "
                    "or the wide layout (id, name_en, name_az, name_hy, name_ru, ...)",
                )
            ]
        )
    problems: list[Problem] = []
    places: dict[str, PlaceInput] = {}
    first_line: dict[str, int] = {}
    parents: list[tuple[int, str]] = []
    for row in rows:
        if "__width__" in row.cells:
            problems.append(
                Problem(
                    file,
                    row.line,
                    "row",
                    f"has {row.cells['__width__']} cells, the header has {len(header)}",
                )
            )
            continue
        try:
            reader = _read_long_row if layout == "long" else _read_wide_row
            place = reader(row.cells, header, file, row.line, problems)
        except ValidationError as error:
            field = _COLUMN_OF_FIELD.get(error.field, error.field)
            problems.append(Problem(file, row.line, field, error.problem))
            continue
        if place is None:
            continue
        if place.parent_id:
            parents.append((row.line, place.parent_id))
        if place.id in places:
            _merge_rows(places[place.id], place, file, row.line, problems)
        else:
            places[place.id] = place
            first_line[place.id] = row.line
    known = set(known_place_ids or ()) | set(places)
    for line, parent in parents:
        if parent not in known:
            problems.append(Problem(file, line, "parent_id", f"no place with id {parent!r}"))
    for pid, place in places.items():
        if place.role is None and pid not in (known_place_ids or set()):
            problems.append(
                Problem(file, first_line[pid], "role", f"place {pid!r} is new and needs a role")
            )
    if problems:
        raise InvalidFileError(sorted(problems, key=lambda p: (p.line, p.field)))
    return list(places.values())


def _place_fields(cells: dict[str, str], id_column: str) -> PlaceInput:
    place = PlaceInput(
        id=cells.get(id_column, ""),
        role=cells.get("role", "").strip() or None,
        lat=_float(cells, "lat"),
        lon=_float(cells, "lon"),
        parent_id=cells.get("parent_id", "").strip() or None,
        geonames_id=_int(cells, "geonames_id"),
        wikidata_id=cells.get("wikidata_id", "").strip() or None,
    )
    return check_place(place)


def _check_name_into(
    name: NameInput,
    place: PlaceInput,
    column: str | None,
    file: str,
    line: int,
    problems: list[Problem],
) -> None:
    """Check a name; a problem is reported at ``column`` (wide) or at its own field (long)."""
    try:
        check_name(name)
    except ValidationError as error:
        where = column or _COLUMN_OF_FIELD.get(error.field, error.field)
        problem = error.problem if column is None else f"{name.text!r}: {error.problem}"
        problems.append(Problem(file, line, where, problem))
        return
    place.names.append(name)


def _read_long_row(
    cells: dict[str, str], header: list[str], file: str, line: int, problems: list[Problem]
) -> PlaceInput | None:
    place = _place_fields(cells, "place_id")
    population = _int(cells, "population")
    if population is not None:
        place.populations.append(PopulationInput(population, _int(cells, "population_year")))
    preferred = cells.get("preferred", "").strip().lower()
    if preferred not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ValidationError("preferred", f"{preferred!r} is not 0/1")
    name = NameInput(
        text=cells.get("name", ""),
        lang=cells.get("lang", ""),
        kind=cells.get("kind", "") or "variant",
        script=cells.get("script", "").strip() or None,
        romanization=cells.get("romanization", "").strip() or None,
        valid_from=_int(cells, "valid_from"),
        valid_to=_int(cells, "valid_to"),
        used_by=cells.get("used_by", "") or None,
        preferred=preferred in ("1", "true", "yes"),
        source=cells.get("name_source", "") or None,
    )
    _check_name_into(name, place, None, file, line, problems)
    return place


def _read_wide_row(
    cells: dict[str, str], header: list[str], file: str, line: int, problems: list[Problem]
) -> PlaceInput | None:
    place = _place_fields(cells, "id")
    for column in header:
        if not column.startswith("name_") or not cells.get(column, "").strip():
            continue
        lang = column[len("name_") :]
        try:
            parse_language_tag(lang)
        except ValueError as error:
            problems.append(Problem(file, line, column, str(error)))
            continue
        name = NameInput(text=cells[column], lang=lang, kind="common", preferred=True)
        _check_name_into(name, place, column, file, line, problems)
    try:
        packed = unpack_names(cells.get("other_names", ""))
    except ValueError as error:
        problems.append(Problem(file, line, "other_names", str(error)))
        packed = []
    for entry in packed:
        lang = _transliteration_tag(entry.lang, entry.kind, entry.text)
        name = NameInput(
            entry.text, lang, entry.kind, valid_from=entry.valid_from, valid_to=entry.valid_to
        )
        _check_name_into(name, place, "other_names", file, line, problems)
    population = _int(cells, "population")
    if population is not None:
        place.populations.append(
            PopulationInput(
                population,
                _int(cells, "population_year"),
                cells.get("population_source", "") or None,
            )
        )
    place.sources.extend(s.strip() for s in cells.get("source_urls", "").split(";") if s.strip())
    return check_place(place)


def _transliteration_tag(lang: str, kind: str, text: str) -> str:
    """The reference table writes a romanised Armenian name as ``hy:transliteration:…``.

    A transliteration is by definition in another script than its language's own, so such
    an entry is tagged with the script of its text (``hy-Latn``), as BCP 47 wants.
    """
    if kind != "transliteration":
        return lang
    try:
        tag = parse_language_tag(lang)
    except ValueError:
        return lang  # reported as an unknown language when the name is checked
    detected = detect_script(text)
    if tag.script is None and tag.expected_script not in (None, detected) and detected != "Zyyy":
        return f"{tag.language}-{detected}"
    return lang


def _merge_rows(
    target: PlaceInput, extra: PlaceInput, file: str, line: int, problems: list[Problem]
) -> None:
    """Fold a further row of the same place (long layout) into the first one."""
    for field in ("role", "lat", "lon", "parent_id", "geonames_id", "wikidata_id"):
        mine, theirs = getattr(target, field), getattr(extra, field)
        if mine is not None and theirs is not None and mine != theirs:
            problems.append(
                Problem(
                    file,
                    line,
                    field,
                    f"{theirs!r} contradicts {mine!r} given earlier for {target.id!r}",
                )
            )
        elif mine is None and theirs is not None:
            setattr(target, field, theirs)
    target.names.extend(extra.names)
    for figure in extra.populations:
        if figure not in target.populations:
            target.populations.append(figure)
    target.sources.extend(s for s in extra.sources if s not in target.sources)


__all__ = ["LONG_COLUMNS", "decode", "detect_layout", "read_csv"]
