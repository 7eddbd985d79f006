"""Build the bundled gazetteer (db/data/gazetteer.json) from the team's reference table.

Usage: python scripts/build_bundled.py [../shared/data/reference_places.csv]

The reference table has one row per place: preferred names in en/az/hy/ru, other names as
``lang:kind:name[:from-to]``, role, parent, coordinates, one population figure with year and
source, GeoNames/Wikidata ids and source URLs. Every fact and source is kept. The few
corrections below are facts the table gets plainly wrong; each says why.

This was run once to create the bundled file; later curation (dated relations, who uses a
name) is made in the JSON file itself, which is the source of truth from then on.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = HERE.parent / "shared" / "data" / "reference_places.csv"
OUTPUT = HERE / "db" / "data" / "gazetteer.json"

#: Plain errors in the reference table, fixed here (place id -> field -> (wrong, right, why)).
CORRECTIONS: dict[str, dict[str, tuple[str, str, str]]] = {
    "stepanakert": {
        "role": (
            "capital",
            "city",
            "it is not a capital of its parent (Azerbaijan); it was the administrative centre "
            "of the NKAO and of the Republic of Artsakh, which dated relations record",
        ),
    },
}

LATIN_TRANSLITERATION = {"hy": "hy-Latn", "ru": "ru-Latn", "az": "az-Latn"}


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def parse_other_names(cell: str) -> list[dict[str, object]]:
    """``lang:kind:name[:from-to]`` entries separated by ``;``."""
    names: list[dict[str, object]] = []
    for entry in filter(None, (e.strip() for e in cell.split(";"))):
        lang, kind, rest = entry.split(":", 2)
        text, _, period = rest.partition(":")
        name: dict[str, object] = {"text": text.strip(), "lang": lang, "kind": kind}
        if kind == "transliteration" and lang in LATIN_TRANSLITERATION and not _non_latin(text):
            # A romanised Armenian/Russian name is Armenian/Russian *in Latin script*.
            name["lang"] = LATIN_TRANSLITERATION.get(lang, lang)
        if period:
            start, _, end = period.partition("-")
            if _year(start) is not None:
                name["from"] = _year(start)
            if _year(end) is not None:
                name["to"] = _year(end)
        names.append(name)
    return names


def _non_latin(text: str) -> bool:
    return any(ord(ch) >= 0x370 and ch.isalpha() for ch in text)


def convert(row: dict[str, str]) -> dict[str, object]:
    """One reference row to one bundled place record."""
    place_id = row["id"]
    fixes = CORRECTIONS.get(place_id, {})
    role = row["role"]
    if "role" in fixes:
        assert role == fixes["role"][0], (place_id, role)
        role = fixes["role"][1]
    names: list[dict[str, object]] = []
    for lang in ("en", "az", "hy", "ru"):
        text = row[f"name_{lang}"].strip()
        if text:
            names.append({"text": text, "lang": lang, "kind": "common", "preferred": True})
    names.extend(parse_other_names(row["other_names"]))
    record: dict[str, object] = {"id": place_id, "role": role}
    if row["lat"] and row["lon"]:
        record["lat"] = float(row["lat"])
        record["lon"] = float(row["lon"])
    if row["parent_id"]:
        record["parent"] = row["parent_id"]
    if row["geonames_id"]:
        record["geonames_id"] = int(row["geonames_id"])
    if row["wikidata_id"]:
        record["wikidata_id"] = row["wikidata_id"]
    record["sources"] = [s.strip() for s in row["source_urls"].split(";") if s.strip()]
    record["names"] = names
    if row["population"]:
        figure: dict[str, object] = {"value": int(row["population"])}
        if row["population_year"]:
            figure["year"] = int(row["population_year"])
        if row["population_source"]:
            figure["source"] = row["population_source"]
        record["population"] = [figure]
    return record


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    with source.open(encoding="utf-8", newline="") as handle:
        places = [convert(row) for row in csv.DictReader(handle)]
    document = {
        "format": "caucasus-gazetteer/1",
        "description": "Places of the South Caucasus with their names in Armenian, "
        "Azerbaijani, English and Russian; compiled from the sources cited per place.",
        "places": places,
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    print(f"wrote {len(places)} places to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
