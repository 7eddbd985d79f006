"""The CSV layouts the gazetteer reads and writes, shared by export and import.

*long*: one row per name, every name field plus its place's fields — lossless for names, so
export → import → export is byte-identical. *wide*: one row per place, the preferred name in
each of the four languages in ``name_xx`` columns and every other name packed into
``other_names`` as ``lang:kind:name[:from-to]`` — the same layout as the team's reference
table, so that table imports as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from gazetteer.model import CORE_LANGUAGES

LONG_COLUMNS = (
    "place_id",
    "role",
    "lat",
    "lon",
    "parent_id",
    "population",
    "population_year",
    "geonames_id",
    "wikidata_id",
    "name",
    "lang",
    "script",
    "kind",
    "romanization",
    "valid_from",
    "valid_to",
    "used_by",
    "preferred",
    "name_source",
)

WIDE_COLUMNS = (
    "id",
    *(f"name_{lang}" for lang in CORE_LANGUAGES),
    "other_names",
    "role",
    "parent_id",
    "lat",
    "lon",
    "population",
    "population_year",
    "population_source",
    "geonames_id",
    "wikidata_id",
    "source_urls",
)

#: First characters that make a spreadsheet run a cell as a formula (CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def neutralise(cell: str) -> str:
    """Prefix a formula-like cell with ``'`` so spreadsheets show it as text.

    Numbers (``-33.5``) are left alone: a spreadsheet reads them as numbers, not formulas.
    """
    if cell.startswith(FORMULA_TRIGGERS) and not _is_number(cell):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo ``neutralise`` on import."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(":", "\\:")


@dataclass(frozen=True)
class PackedName:
    """One entry of an ``other_names`` cell."""

    lang: str
    kind: str
    text: str
    valid_from: int | None = None
    valid_to: int | None = None


def pack_name(name: PackedName) -> str:
    """``lang:kind:text[:from-to]`` with ``\\``, ``;`` and ``:`` escaped in the text."""
    entry = f"{name.lang}:{name.kind}:{_escape(name.text)}"
    if name.valid_from is not None or name.valid_to is not None:
        start = "" if name.valid_from is None else str(name.valid_from)
        end = "" if name.valid_to is None else str(name.valid_to)
        entry += f":{start}-{end}"
    return entry


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for ch in chars:
        if ch == "\\":
            current.append(ch)
            current.append(next(chars, ""))
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    out: list[str] = []
    chars = iter(text)
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


def _parse_year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    return int(text)


def unpack_names(cell: str) -> list[PackedName]:
    """Parse an ``other_names`` cell; ValueError names the entry that is malformed."""
    names: list[PackedName] = []
    for raw in _split_unescaped(cell, ";"):
        if not raw.strip():
            continue
        parts = _split_unescaped(raw.strip(), ":")
        if len(parts) not in (3, 4):
            raise ValueError(f"entry {_unescape(raw)!r} is not lang:kind:name[:from-to]")
        lang, kind, text = parts[0].strip(), parts[1].strip(), _unescape(parts[2]).strip()
        start = end = None
        if len(parts) == 4:
            period = parts[3].strip()
            if "-" not in period:
                raise ValueError(f"period {period!r} of {text!r} is not from-to")
            first, _, last = (
                period.rpartition("-") if period.count("-") > 1 else period.partition("-")
            )
            try:
                start, end = _parse_year(first), _parse_year(last)
            except ValueError:
                raise ValueError(
                    f"period {period!r} of {text!r} has a year that is not a number"
                ) from None
        names.append(PackedName(lang, kind, text, start, end))
    return names
