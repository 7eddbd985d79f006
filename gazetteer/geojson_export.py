"""GeoJSON export (RFC 7946): one Feature per place, its names as properties.

RFC 7946 rules kept here: a ``FeatureCollection`` of ``Feature`` objects; positions are
``[longitude, latitude]`` in WGS84 (§3.1.1, §4) and there is no ``crs`` member (§4); a
place without coordinates has ``"geometry": null`` (§3.2); the feature ``id`` is a string
(§3.2); the file is UTF-8 JSON (§1, RFC 8259). Features are written one at a time, so a
quarter of a million places never sit in memory together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from db import Store
from gazetteer.errors import CancelledError
from gazetteer.files import write_atomically
from gazetteer.intake import Progress

#: Places read from the database at a time.
BATCH = 500


@dataclass(frozen=True)
class PlaceRecord:
    """A place row with what the exports need about it, straight from the store."""

    place: dict[str, Any]
    names: list[dict[str, Any]]
    population: dict[str, Any] | None


def iter_records(
    store: Store, place_ids: Sequence[str] | None = None, langs: Sequence[str] = ()
) -> Iterator[PlaceRecord]:
    """Places in id order with their names (only those in ``langs`` when given; ``hy``
    includes ``hy-Latn``) and latest population, read in batches."""
    batch: list[dict[str, Any]] = []
    for row in store.iter_places(place_ids):
        batch.append(row)
        if len(batch) == BATCH:
            yield from _records(store, batch, langs)
            batch = []
    if batch:
        yield from _records(store, batch, langs)


def lang_matches(lang: str, wanted: Sequence[str]) -> bool:
    """Whether a name's tag is one of ``wanted`` or a variant of one (``hy`` ⊃ ``hy-Latn``)."""
    return any(lang == w or lang.startswith(w + "-") for w in wanted)


def _records(
    store: Store, places: list[dict[str, Any]], langs: Sequence[str]
) -> Iterator[PlaceRecord]:
    ids = [p["id"] for p in places]
    names = store.names_for_places(ids)
    populations = store.latest_populations(ids)
    for place in places:
        own = names[place["id"]]
        if langs:
            own = [n for n in own if lang_matches(n["lang"], langs)]
        yield PlaceRecord(place, own, populations.get(place["id"]))


def _label(record: PlaceRecord) -> str:
    """A neutral label: the preferred English name, else any preferred name, else the id."""
    for lang in ("en", "az", "hy", "ru"):
        for name in record.names:
            if name["lang"] == lang and name["preferred"]:
                return str(name["text"])
    preferred = [n for n in record.names if n["preferred"]]
    return str((preferred or record.names or [{"text": record.place["id"]}])[0]["text"])


def name_properties(name: dict[str, Any]) -> dict[str, Any]:
    """One name as a JSON object: empty fields left out."""
    out: dict[str, Any] = {
        "text": name["text"],
        "lang": name["lang"],
        "script": name["script"],
        "kind": name["kind"],
    }
    if name["preferred"]:
        out["preferred"] = True
    for key, column in (
        ("romanization", "romanization"),
        ("from", "valid_from"),
        ("to", "valid_to"),
        ("used_by", "used_by"),
        ("source", "source"),
    ):
        if name.get(column) is not None:
            out[key] = name[column]
    return out


def point(place: dict[str, Any]) -> dict[str, Any] | None:
    """A GeoJSON Point ``[lon, lat]``, or None for a place without coordinates."""
    if place["lat"] is None or place["lon"] is None:
        return None
    return {"type": "Point", "coordinates": [place["lon"], place["lat"]]}


def feature(record: PlaceRecord) -> dict[str, Any]:
    """The GeoJSON Feature of one place."""
    place = record.place
    properties: dict[str, Any] = {"id": place["id"], "name": _label(record), "role": place["role"]}
    for key in ("parent_id", "geonames_id", "wikidata_id", "note"):
        if place[key] is not None:
            properties[key] = place[key]
    if record.population is not None:
        properties["population"] = record.population["value"]
        if record.population["year"] is not None:
            properties["population_year"] = record.population["year"]
    properties["names"] = [name_properties(n) for n in record.names]
    return {
        "type": "Feature",
        "id": place["id"],
        "geometry": point(place),
        "properties": properties,
    }


def write_geojson(
    store: Store,
    out: IO[str],
    *,
    place_ids: Sequence[str] | None = None,
    langs: Sequence[str] = (),
    progress: Progress | None = None,
) -> int:
    """Write a FeatureCollection to a text stream; returns the number of features."""
    return _write(store, lambda data: out.write(data.decode("utf-8")), place_ids, langs, progress)


def _write(
    store: Store,
    write: Callable[[bytes], object],
    place_ids: Sequence[str] | None,
    langs: Sequence[str],
    progress: Progress | None,
) -> int:
    """``write_geojson`` into ``write``, which takes UTF-8 bytes.

    The Features come as JSON text built by SQLite (``Store.iter_features``), byte for byte
    what ``json.dumps(feature(record), ensure_ascii=False, separators=(",", ":"))`` gives (a
    test holds them equal): 235 210 places took 11.4–12.0 s through dicts and ``json``,
    5.6–5.8 s so (``bench/import.py``'s GeoJSON export, run alternately; README).
    """
    total = len(place_ids) if place_ids is not None else int(store.counts()["places"])
    write(b'{"type": "FeatureCollection", "features": [\n')
    count = 0
    for features in store.iter_features(place_ids, langs):
        write((b",\n" if count else b"") + b",\n".join(features))
        count += len(features)
        _tick(progress, count, total)
    write(b"\n]}\n")
    _tick(progress, count, max(count, total), force=True)
    return count


def _tick(progress: Progress | None, done: int, total: int, *, force: bool = False) -> None:
    if progress is not None and (force or done % 1000 == 0) and not progress(done, total):
        raise CancelledError("export cancelled")


def export_geojson_file(
    store: Store,
    path: Path,
    *,
    place_ids: Sequence[str] | None = None,
    langs: Sequence[str] = (),
    progress: Progress | None = None,
) -> int:
    """``write_geojson`` to ``path``, atomically (as bytes: the JSON comes as UTF-8)."""
    return write_atomically(
        path, lambda out: _write(store, out.write, place_ids, langs, progress), binary=True
    )
