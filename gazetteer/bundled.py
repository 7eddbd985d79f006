"""The bundled gazetteer: reading ``db/data/gazetteer.json`` into place inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db import bundled_data_path
from gazetteer.intake import NameInput, PlaceInput, PopulationInput, RelationInput

BUNDLED_FORMAT = "caucasus-gazetteer/1"


def read_bundled(path: Path | None = None) -> list[PlaceInput]:
    """All places of the bundled file (or of another file in the same format)."""
    path = path or bundled_data_path()
    with path.open(encoding="utf-8") as handle:
        document = json.load(handle)
    if document.get("format") != BUNDLED_FORMAT:
        raise ValueError(f"{path}: not a {BUNDLED_FORMAT} file")
    return [_place(record) for record in document["places"]]


def _place(record: dict[str, Any]) -> PlaceInput:
    return PlaceInput(
        id=record["id"],
        role=record["role"],
        lat=record.get("lat"),
        lon=record.get("lon"),
        parent_id=record.get("parent"),
        geonames_id=record.get("geonames_id"),
        wikidata_id=record.get("wikidata_id"),
        note=record.get("note"),
        sources=list(record.get("sources", [])),
        names=[
            NameInput(
                text=n["text"],
                lang=n["lang"],
                kind=n["kind"],
                script=n.get("script"),
                romanization=n.get("romanization"),
                valid_from=n.get("from"),
                valid_to=n.get("to"),
                used_by=n.get("used_by"),
                preferred=bool(n.get("preferred", False)),
                source=n.get("source"),
            )
            for n in record.get("names", [])
        ],
        populations=[
            PopulationInput(p["value"], p.get("year"), p.get("source"))
            for p in record.get("population", [])
        ],
        relations=[
            RelationInput(
                kind=r["kind"],
                target_id=r["target"],
                valid_from=r.get("from"),
                valid_to=r.get("to"),
                source=r.get("source"),
                note=r.get("note"),
            )
            for r in record.get("relations", [])
        ],
    )
