"""The SQL of the GeoJSON export: each place's Feature as JSON text built by SQLite, the
same bytes ``gazetteer.geojson_export.feature`` gives through ``json.dumps(…,
ensure_ascii=False, separators=(",", ":"))`` (a test holds them equal).

A Feature is written in two parts, so that no place column is read once per name:

- the head, once per place into ``gz_export_place`` (see ``db.name_export``): everything up
  to and including ``"names":[`` — id, geometry, label, role, the optional properties and
  the latest population;
- one JSON object per name, in the export's name order, which the store joins with commas
  and closes with ``]}}``.

Texts go through ``json_quote``, which escapes exactly as ``json.dumps`` does (checked for
every code point, NUL included); integers are the same text in both. A REAL where an integer
belongs, which ``json_quote`` would write with 15 digits, goes through ``gz_json`` (Python's
``json.dumps``); coordinates are Python's repr (``name_export.float_text``). An absent
optional property is left out, as the Python side does.
"""

from __future__ import annotations

from operator import itemgetter

from db.name_export import LATEST_POPULATION_JOIN, WITHIN_PLACE, float_text


def _number(column: str) -> str:
    """An integer column's value as JSON (a stray REAL as Python writes it)."""
    return f"CASE typeof({column}) WHEN 'real' THEN gz_json({column}) ELSE json_quote({column}) END"


def _optional(key: str, value: str, column: str) -> str:
    """``,"key":value`` when ``column`` is not NULL, else NULL (``format`` writes '')."""
    return f"""CASE WHEN {column} IS NOT NULL THEN ',"{key}":' || {value} END"""


def heads_sql(places: str = "") -> str:
    """Fills ``gz_export_place`` with each place's Feature head; bound: the export number,
    then the parameters of ``places`` (a condition on ``p``, all places when empty).

    A head is three parts joined by NUL (which JSON text never holds raw: ``json_quote``
    escapes it): the Feature up to ``"name":``, the place id as JSON (the label of a place
    without names), the rest up to ``"names":[``. The label is picked in ``feature``.
    """
    point = (
        "CASE WHEN p.lat IS NULL OR p.lon IS NULL THEN 'null' "
        """ELSE '{"type":"Point","coordinates":[' || """
        + float_text("p.lon")
        + " || ',' || "
        + float_text("p.lat")
        + " || ']}' END"
    )
    population = (
        f"""CASE WHEN l.id IS NOT NULL THEN ',"population":' || {_number("l.value")} || """
        f"""CASE WHEN l.year IS NOT NULL THEN ',"population_year":' || {_number("l.year")} """
        "ELSE '' END END"
    )
    first = """'{"type":"Feature","id":%s,"geometry":%s,"properties":{"id":%s,"name":'"""
    rest = """',"role":%s%s%s%s%s%s,"names":['"""
    rest_args = [
        "json_quote(p.role)",
        _optional("parent_id", "json_quote(p.parent_id)", "p.parent_id"),
        _optional("geonames_id", _number("p.geonames_id"), "p.geonames_id"),
        _optional("wikidata_id", "json_quote(p.wikidata_id)", "p.wikidata_id"),
        _optional("note", "json_quote(p.note)", "p.note"),
        population,
    ]
    return f"""
    INSERT INTO temp.gz_export_place (export, id, line)
    SELECT ?, p.id,
           format({first}, json_quote(p.id), {point}, json_quote(p.id))
           || char(0) || json_quote(p.id) || char(0)
           || format({rest}, {", ".join(rest_args)})
    FROM place p {LATEST_POPULATION_JOIN}
    {f"WHERE {places}" if places else ""}
    ORDER BY p.id"""


#: The heads of one export's places in id order (bound: the export number).
HEADS_SQL = """
    SELECT id, CAST(line AS BLOB) FROM temp.gz_export_place WHERE export = ? ORDER BY id"""


def names_sql(langs: str = "") -> str:
    """``(place id, label rank, name JSON)`` for the names of one export's places (bound:
    the export number, then the parameters of ``langs``, a ``name_export.lang_filter``),
    places in id order, each place's names in the export's name order
    (``geojson_export.name_properties`` for each).

    The label rank orders the names ``geojson_export._label`` picks the label from: a
    preferred name in English 0, Azerbaijani 1, Armenian 2, Russian 3, another language 4,
    a name not preferred 5; the place's first name of the lowest rank is its label.
    """
    obj = """'{"text":%s,"lang":%s,"script":%s,"kind":%s%s%s%s%s%s%s}'"""
    args = [
        "json_quote(n.text)",
        "json_quote(n.lang)",
        "json_quote(n.script)",
        "json_quote(n.kind)",
        """CASE WHEN n.preferred THEN ',"preferred":true' END""",
        _optional("romanization", "json_quote(n.romanization)", "n.romanization"),
        _optional("from", _number("n.valid_from"), "n.valid_from"),
        _optional("to", _number("n.valid_to"), "n.valid_to"),
        _optional("used_by", "json_quote(n.used_by)", "n.used_by"),
        _optional("source", "json_quote(s.citation)", "s.citation"),
    ]
    return f"""
    SELECT pl.id,
           CASE WHEN n.preferred THEN CASE n.lang WHEN 'en' THEN 0 WHEN 'az' THEN 1
                WHEN 'hy' THEN 2 WHEN 'ru' THEN 3 ELSE 4 END ELSE 5 END,
           CAST(format({obj}, {", ".join(args)}) AS BLOB)
    FROM temp.gz_export_place pl
    CROSS JOIN name n ON n.place_id = pl.id
    LEFT JOIN source s ON s.id = n.source_id
    WHERE pl.export = ? {f"AND {langs}" if langs else ""}
    ORDER BY pl.id, {WITHIN_PLACE}"""


def feature(head: bytes, names: list[tuple[str, int, bytes]]) -> bytes:
    """One place's Feature from its head (``heads_sql``) and its rows of ``names_sql``.

    The label is the text of the first name of the lowest rank (``min`` keeps the first of
    equals), cut from its JSON object: it starts ``{"text":`` and the text ends at the
    first ``,"lang":`` (a quote inside a JSON string is always escaped); with no names,
    the place id.
    """
    first, id_json, rest = head.split(b"\x00")
    label = id_json
    if names:
        text = min(names, key=itemgetter(1))[2]
        label = text[8 : text.index(b',"lang":')]
    return b"".join((first, label, rest, b",".join([row[2] for row in names]), b"]}}"))
