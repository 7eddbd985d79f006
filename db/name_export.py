"""The SQL of the name export (the long CSV layout): every name with its place, the place's
latest population and the name's source, one row per name, in the stable export order.

Two shapes over the same cell definitions, so they cannot drift apart:

- ``lines_sql``: each row as one CSV line, built inside SQLite (``format``), for the
  million-row export; Python only checks, joins and writes the lines.
- ``cells_sql``: each row as separate text cells, for the rows whose cells need CSV quoting
  (a comma, quote, CR or LF inside a cell), picked by name id (``Store.name_cells``).

Cells are text exactly as the CSV shows them: NULL is '', integers are SQLite's decimal text
(the same as Python's), ``lat``/``lon`` are Python's ``repr`` (shortest round-trip; SQLite's
own real-to-text keeps 15 digits) through ``gz_float``, and with neutralising every text cell
that starts like a spreadsheet formula goes through ``gz_neutralise``. Both functions are
registered on the connection by the store; ``gz_float`` is called on non-NULL reals only.

``format('%s')`` stops a text at a NUL character, where ``||`` and plain columns do not, so
a line whose cells hold a NUL gets a '"' appended, which sends it to ``cells_sql`` like any
line that needs quoting. Checked: the place's text cells (once per place), the name's text,
``romanization`` and ``used_by``, and citations when the source table has a NUL in one (a
cheap test up front). Not checked, 7 % of the export's time: the language, script and kind
codes, which the validation holds to its code lists everywhere a name is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The place's latest population: a dated figure before an undated one, then the newest
#: year, then the larger value. A correlated lookup per place through ``population_place``:
#: the window function over the whole population table it replaces had to be materialised
#: and indexed on every export, and could not be restricted to a few places.
LATEST_POPULATION_JOIN = """
    LEFT JOIN population l ON l.id = (
        SELECT id FROM population WHERE place_id = p.id
        ORDER BY year IS NULL, year DESC, value DESC LIMIT 1
    )"""

#: The order of one place's names: content only, never rowids, so a re-imported database
#: exports the same bytes.
WITHIN_PLACE = """n.lang, n.preferred DESC, n.kind, coalesce(n.valid_from, -99999),
             coalesce(n.valid_to, 99999), n.text, n.used_by, s.citation"""

#: The export order: places by id, then each place's names.
NAME_ORDER = f"""
    ORDER BY p.id, {WITHIN_PLACE}"""

#: The export's place part of each line, built once per place and per export: ``export``
#: tells concurrent exports on one connection apart; the primary key keeps each export's
#: places in id order, so the lines query walks them in order (see ``lines_sql``).
PLACE_LINES_TABLE_SQL = """
    CREATE TEMP TABLE IF NOT EXISTS gz_export_place (
        export INTEGER NOT NULL,
        id     TEXT NOT NULL,
        line   TEXT NOT NULL,
        PRIMARY KEY (export, id)
    ) WITHOUT ROWID"""

#: Drops one export's place lines (bound: the export number).
CLEAR_PLACE_LINES_SQL = "DELETE FROM temp.gz_export_place WHERE export = ?"

#: Characters that make a spreadsheet read a cell as a formula (``csv_format.FORMULA_TRIGGERS``).
_TRIGGERS = "('=', '+', '-', '@', char(9), char(13))"

#: Whether some citation holds a NUL: then each line checks its citation (a per-row check
#: that costs 5 % of the export otherwise; the source table has a few hundred rows).
CITATION_HAS_NUL_SQL = "SELECT EXISTS (SELECT 1 FROM source WHERE instr(citation, char(0)))"


def float_text(column: str) -> str:
    """A coordinate (-180 … 180, a CHECK constraint) as Python's ``repr``; NULL stays NULL.

    SQLite's own text (``%!.15g``) is the same when the value is the double nearest a
    decimal of at most 9 places and at least 0.0001 in size: such a decimal has at most 12
    significant digits, so rounding the double to 15 digits gives that decimal back, and
    so does repr (the shortest text that reads back as the double: any shorter such text
    would be a different decimal on the same 15-digit grid, further than half a unit in
    the last place of the double). ``round(x * 1e9) / 1e9 = x`` proves it with exact
    arithmetic (a whole number below 2^53, one correctly rounded division). Every other
    value (17 digits, exponents, zeros with their sign) goes through ``gz_float``. GeoNames
    gives 5 decimals: Python is called for a handful of 470 000 coordinates, not all.
    """
    return (
        f"CASE WHEN {column} IS NULL THEN NULL "
        f"WHEN abs({column}) >= 0.0001 AND round({column} * 1e9) / 1e9 = {column} "
        f"THEN CAST({column} AS TEXT) ELSE gz_float({column}) END"
    )


@dataclass(frozen=True)
class _Cell:
    """One column of the long layout: its SQL ``column``, and what it holds: ``text``
    (neutralised when asked), ``number`` (an integer, or anything SQLite stored there) or
    ``float`` (a coordinate). ``nul_check``: look for a NUL in it (see the module doc)."""

    column: str
    kind: str = "text"
    nul_check: bool = False

    def expr(self, neutralise: bool) -> str:
        """The cell as an SQL value; NULL stays NULL."""
        if self.kind == "float":
            return float_text(self.column)
        if self.kind == "number" or not neutralise:
            return self.column
        # ``< 'A'`` is a plain comparison, no function call: every trigger sorts before
        # 'A', so the million cells that start with a letter skip ``substr`` altogether.
        return (
            f"CASE WHEN {self.column} < 'A' AND substr({self.column}, 1, 1) IN {_TRIGGERS} "
            f"THEN gz_neutralise({self.column}) ELSE {self.column} END"
        )

    def text(self, neutralise: bool) -> str:
        """The cell as SQL text, NUL-safe: '' for NULL, numbers as SQLite's text (the same
        conversion ``format('%s')`` makes)."""
        if self.kind == "number":
            return f"coalesce(CAST({self.column} AS TEXT), '')"
        return f"coalesce({self.expr(neutralise)}, '')"


#: The nine place columns of ``LONG_COLUMNS`` (place_id … wikidata_id), over ``p`` (place)
#: and ``l`` (its latest population).
PLACE_CELLS = (
    _Cell("p.id", nul_check=True),
    _Cell("p.role", nul_check=True),
    _Cell("p.lat", "float"),
    _Cell("p.lon", "float"),
    _Cell("p.parent_id", nul_check=True),
    _Cell("l.value", "number"),
    _Cell("l.year", "number"),
    _Cell("p.geonames_id", "number"),
    _Cell("p.wikidata_id", nul_check=True),
)

#: The ten name columns of ``LONG_COLUMNS`` (name … name_source), over ``n`` (name) and
#: ``s`` (its source). ``preferred`` is 0 or 1 (a CHECK constraint), the CSV's '0' or '1'.
NAME_CELLS = (
    _Cell("n.text", nul_check=True),
    _Cell("n.lang"),
    _Cell("n.script"),
    _Cell("n.kind"),
    _Cell("n.romanization", nul_check=True),
    _Cell("n.valid_from", "number"),
    _Cell("n.valid_to", "number"),
    _Cell("n.used_by", nul_check=True),
    _Cell("n.preferred", "number"),
    _Cell("s.citation"),
)


def lang_filter(langs: Sequence[str], neutralise: bool = False) -> tuple[str, list[Any]]:
    """A condition keeping names whose (neutralised) language cell is one of ``langs`` or
    starts with one of them and a hyphen (``hy`` keeps ``hy-Latn``), and its bound
    parameters (three per tag: the tag, its length + 1, the tag and '-'); ``("", [])`` for
    no tags."""
    if not langs:
        return "", []
    lang = NAME_CELLS[1].expr(neutralise)
    params: list[Any] = []
    for tag in langs:
        params += [tag, len(tag) + 1, tag + "-"]
    return "(" + " OR ".join([f"{lang} = ? OR substr({lang}, 1, ?) = ?"] * len(langs)) + ")", params


def _line(cells: list[_Cell], neutralise: bool, lead: str = "") -> str:
    """``format`` joining ``cells`` by commas (after ``lead``), then '"' if one of the
    checked cells holds a NUL."""
    checks = " OR ".join(f"instr({c.column}, char(0))" for c in cells if c.nul_check)
    args = [c.expr(neutralise) for c in cells] + [f"CASE WHEN {checks} THEN '\"' END"]
    return f"format('{lead}{','.join(['%s'] * len(cells))}%s', {', '.join(args)})"


def place_lines_sql(neutralise: bool, places: str = "") -> str:
    """Fills ``gz_export_place`` with the place part of the lines (nine cells) of every
    place, or of those ``places`` (a condition on ``p``) picks; bound first: the export
    number. Once per place, not once per name: two of the cells are a Python call."""
    return f"""
    INSERT INTO temp.gz_export_place (export, id, line)
    SELECT ?, p.id, {_line(list(PLACE_CELLS), neutralise)}
    FROM place p {LATEST_POPULATION_JOIN}
    {f"WHERE {places}" if places else ""}
    ORDER BY p.id"""


def lines_sql(neutralise: bool, names: str = "", *, check_citation: bool = False) -> str:
    """``(line, name id)`` per name of the places of one export (``place_lines_sql``; bound
    first: the export number) in export order: ``line`` is the row's 19 cells joined by
    commas, unquoted (the caller checks which lines need quoting), as UTF-8 bytes: the CSV
    file is UTF-8 too, so the text is never decoded into Python strings and encoded back
    (a tenth of the export's time).

    ``names`` (a condition on ``n``) restricts the names; ``check_citation``: look for a
    NUL in citations too (``CITATION_HAS_NUL_SQL``).

    Why this shape (measured on 1.18 million names, 235 000 places):
    - the place part of the line is read from ``gz_export_place``, built once per place:
      building it for each name took a third of the query's time; a materialised CTE
      instead of the table costs 6 % more (SQLite indexes it anew and walks ``place`` too);
    - ``CROSS JOIN`` fixes the join order: the export's places walked in id order through
      the table's primary key, names found through ``name_place``, so SQLite sorts the
      few names of each place (``USE TEMP B-TREE FOR RIGHT PART OF ORDER BY``) instead of
      sorting a million wide rows at once, which also needed a few hundred MB of temp;
    - ``format`` builds a line in one call, twice as fast as ``||`` between 19 cells,
      which copies the growing string at every step.
    """
    name_cells = list(NAME_CELLS)
    if check_citation:
        name_cells[-1] = _Cell("s.citation", nul_check=True)
    return f"""
    SELECT CAST(pl.line || {_line(name_cells, neutralise, ",")} AS BLOB), n.id
    FROM temp.gz_export_place pl
    CROSS JOIN name n ON n.place_id = pl.id
    LEFT JOIN source s ON s.id = n.source_id
    WHERE pl.export = ? {f"AND {names}" if names else ""}
    ORDER BY pl.id, {WITHIN_PLACE}"""


def cells_sql(neutralise: bool, where: str) -> str:
    """``(name id, 19 text cells)`` per name that ``where`` (a WHERE clause on ``n``) picks,
    in no particular order (the store files them by name id): the cells ``lines_sql``
    joins, NUL-safe."""
    cells = ", ".join(c.text(neutralise) for c in PLACE_CELLS + NAME_CELLS)
    return f"""
    SELECT n.id, {cells}
    FROM name n JOIN place p ON p.id = n.place_id {LATEST_POPULATION_JOIN}
    LEFT JOIN source s ON s.id = n.source_id
    {where}"""
