"""Linked Places Format (LPF, JSON-LD) export, as the World Historical Gazetteer takes
contributions (github.com/LinkedPasts/linked-places-format, v1.2).

Per place: ``@id``, ``properties.title`` (the preferred English name, else another
preferred name) and ``ccodes`` when the country is known; ``names[]`` with ``toponym``,
``lang`` (BCP 47), ``citations`` (the name's source, else the place's first source: LPF
wants at least one cited toponym) and ``when`` timespans from the name's period;
``types[]`` with a Getty AAT concept where one fits the role (from WHG's AAT subset) and the
role itself as ``sourceLabels``; ``geometry`` (a GeometryCollection with the point, or
null without coordinates); ``links`` to GeoNames and Wikidata; ``relations`` (part-of as
``gvp:broaderPartitive`` with their periods); ``descriptions`` from the note.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from db import Store
from gazetteer.files import write_atomically
from gazetteer.geojson_export import BATCH, PlaceRecord, _label, _tick, iter_records
from gazetteer.intake import Progress

CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
#: Base of the ``@id`` of exported places when the user gives none (``--base-uri``): a URN,
#: which names the record without pretending it is published at some web address. A
#: contributor to the World Historical Gazetteer passes the address where they publish.
DEFAULT_BASE = "urn:caucasus-gazetteer:place:"

#: Role → (Getty AAT concept, its label), from WHG's subset of place types (aat_whg-subset.tsv).
AAT_TYPES: dict[str, tuple[str, str]] = {
    "country": ("aat:300387506", "country"),
    "capital": ("aat:300008389", "city"),
    "city": ("aat:300008389", "city"),
    "town": ("aat:300008375", "town"),
    "village": ("aat:300008372", "village"),
    "hamlet": ("aat:300008347", "inhabited place"),
    "populated place": ("aat:300008347", "inhabited place"),
    "abandoned place": ("aat:300167671", "deserted settlement"),
    "region": ("aat:300232418", "administrative division"),
    "province": ("aat:300000774", "province"),
    "district": ("aat:300000705", "district"),
    "administrative division": ("aat:300232418", "administrative division"),
    "river": ("aat:300008707", "river"),
    "lake": ("aat:300008680", "lake"),
    "reservoir": ("aat:300006191", "reservoir"),
    "spring": ("aat:300008697", "spring"),
    "mountain": ("aat:300008795", "mountain"),
    "mountain range": ("aat:300386831", "mountain range"),
    "pass": ("aat:300259572", "pass"),
    "plain": ("aat:300008805", "plain"),
    "valley": ("aat:300008761", "valley"),
    "cave": ("aat:300008746", "cave"),
    "fortress": ("aat:300006888", "fortification"),
    "archaeological site": ("aat:300000810", "archaeological site"),
    "airport": ("aat:300000681", "airport"),
    "corridor": ("aat:300182722", "region (geographic)"),
    "area": ("aat:300182722", "region (geographic)"),
    "monastery": ("aat:300263741", "religious complex"),
    "cathedral": ("aat:300120364", "religious structure"),
    "church": ("aat:300120364", "religious structure"),
    "mosque": ("aat:300120364", "religious structure"),
}
#: Country places known by id → ISO 3166-1 code, for ``ccodes`` (GeoNames ids).
COUNTRY_CODES = {
    174982: "AM",
    587116: "AZ",
    130758: "IR",
    614540: "GE",
    298795: "TR",
    2017370: "RU",
}


def when(start: int | None, end: int | None) -> dict[str, Any] | None:
    """An LPF ``when`` for a period in years (open ends stay open), or None."""
    if start is None and end is None:
        return None
    span: dict[str, Any] = {}
    if start is not None:
        span["start"] = {"in": _year(start)}
    if end is not None:
        span["end"] = {"in": _year(end)}
        span.setdefault("start", {"latest": _year(end)})  # LPF: a timespan must have a start
    return {"timespans": [span]}


def _year(year: int) -> str:
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"


def _citation(label: str) -> dict[str, str]:
    cite = {"label": label}
    if label.startswith(("http://", "https://")):
        cite["@id"] = label
    return cite


class _Context:
    """What a feature needs beyond its own row: sources, relations, labels, country codes."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base
        self._codes: dict[str, str | None] = {}
        self._labels: dict[str, str] = {}

    def country_code(self, place_id: str | None) -> str | None:
        """The ISO code of the country a place lies in (through its current parents)."""
        seen: list[str] = []
        code: str | None = None
        while place_id and place_id not in seen and len(seen) < 32:
            if place_id in self._codes:
                code = self._codes[place_id]
                break
            seen.append(place_id)
            row = self.store.get_place(place_id)
            if row is None:
                break
            if row["role"] == "country":
                code = COUNTRY_CODES.get(row["geonames_id"] or 0)
                break
            place_id = row["parent_id"]
        for pid in seen:
            self._codes[pid] = code
        return code

    def label(self, place_id: str) -> str:
        """The title another place would get (for relation labels), cached."""
        if place_id not in self._labels:
            rows = self.store.get_places([place_id])
            names = self.store.names_for_places([place_id])[place_id]
            self._labels[place_id] = (
                _label(PlaceRecord(rows[place_id], names, None)) if place_id in rows else place_id
            )
        return self._labels[place_id]

    def feature(self, record: PlaceRecord, sources: list[str]) -> dict[str, Any]:
        """The LPF Feature of one place, ``sources`` being the citations of its own sources
        in their recorded order."""
        place = record.place
        pid = place["id"]
        properties: dict[str, Any] = {"title": _label(record)}
        code = self.country_code(pid)
        if code:
            properties["ccodes"] = [code]
        names = []
        for i, name in enumerate(record.names):
            entry: dict[str, Any] = {"toponym": name["text"], "lang": name["lang"]}
            cited = name.get("source") or (sources[0] if i == 0 and sources else None)
            if cited:
                entry["citations"] = [_citation(cited)]
            period = when(name["valid_from"], name["valid_to"])
            if period:
                entry["when"] = period
            names.append(entry)
        aat = AAT_TYPES.get(place["role"])
        kind: dict[str, Any] = {"sourceLabels": [{"label": place["role"], "lang": "en"}]}
        if aat:
            kind = {"identifier": aat[0], "label": aat[1], **kind}
        out: dict[str, Any] = {
            "@id": self.base + pid,
            "type": "Feature",
            "properties": properties,
            "names": names,
            "types": [kind],
            "geometry": None,
        }
        if place["lat"] is not None and place["lon"] is not None:
            out["geometry"] = {
                "type": "GeometryCollection",
                "geometries": [{"type": "Point", "coordinates": [place["lon"], place["lat"]]}],
            }
        links = []
        if place["geonames_id"]:
            links.append({"type": "closeMatch", "identifier": f"gn:{place['geonames_id']}"})
        if place["wikidata_id"]:
            links.append({"type": "closeMatch", "identifier": f"wd:{place['wikidata_id']}"})
        if links:
            out["links"] = links
        relations = []
        for rel in self.store.relations_from(pid):
            if rel["kind"] != "part_of":
                continue
            relation: dict[str, Any] = {
                "relationType": "gvp:broaderPartitive",
                "relationTo": self.base + rel["target_id"],
                "label": f"part of {self.label(rel['target_id'])}",
            }
            period = when(rel["valid_from"], rel["valid_to"])
            if period:
                relation["when"] = period
            if rel["source"]:
                relation["citations"] = [_citation(rel["source"])]
            relations.append(relation)
        if not relations and place["parent_id"]:
            relations.append(
                {
                    "relationType": "gvp:broaderPartitive",
                    "relationTo": self.base + place["parent_id"],
                    "label": f"part of {self.label(place['parent_id'])}",
                }
            )
        if relations:
            out["relations"] = relations
        if place["note"]:
            out["descriptions"] = [{"value": place["note"], "lang": "en"}]
        return out


def write_lpf(
    store: Store,
    out: IO[str],
    *,
    place_ids: Sequence[str] | None = None,
    langs: Sequence[str] = (),
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
) -> int:
    """Write an LPF FeatureCollection to a text stream; returns the number of features."""
    context = _Context(store, base)
    total = len(place_ids) if place_ids is not None else int(store.counts()["places"])
    out.write(
        '{"type": "FeatureCollection", "@context": ' + json.dumps(CONTEXT) + ', "features": [\n'
    )
    count = 0
    records = iter_records(store, place_ids, langs)
    # The places' sources asked once per batch of places, not once per place.
    while batch := list(itertools.islice(records, BATCH)):
        citations = store.citations_for_places([record.place["id"] for record in batch])
        for record in batch:
            if count:
                out.write(",\n")
            feature = context.feature(record, citations[record.place["id"]])
            out.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
            count += 1
            _tick(progress, count, total)
    out.write("\n]}\n")
    _tick(progress, count, max(count, total), force=True)
    return count


def export_lpf_file(store: Store, path: Path, **options: Any) -> int:
    """``write_lpf`` to ``path``, atomically."""
    return write_atomically(path, lambda out: write_lpf(store, out, **options), newline="\n")
