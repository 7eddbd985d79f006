"""GeoJSON export checked against the rules of RFC 7946, on the real bundled gazetteer."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from gazetteer.cli import main
from gazetteer.errors import CancelledError
from gazetteer.facade import Gazetteer


def check_rfc7946(document: dict[str, Any]) -> None:
    """The RFC 7946 rules a FeatureCollection of points must meet."""
    assert document["type"] == "FeatureCollection"  # §3.3
    assert "crs" not in document  # §4: no crs member; WGS84 is implied
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert feature["type"] == "Feature"  # §3.2
        assert "crs" not in feature
        assert set(feature) >= {"type", "geometry", "properties"}  # both members required
        assert isinstance(feature["properties"], dict) or feature["properties"] is None
        if "id" in feature:
            assert isinstance(feature["id"], (str, int))  # §3.2: string or number
        geometry = feature["geometry"]
        if geometry is None:  # §3.2: an unlocated feature has a null geometry
            continue
        assert geometry["type"] == "Point"
        position = geometry["coordinates"]
        assert len(position) in (2, 3) and all(isinstance(v, float) for v in position)  # §3.1.1
        lon, lat = position[0], position[1]  # §3.1.1 / §4: longitude first
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert all(math.isfinite(v) for v in position)


def export(g: Gazetteer, **options: Any) -> dict[str, Any]:
    buffer = io.StringIO()
    g.export_geojson(buffer, **options)
    document: dict[str, Any] = json.loads(buffer.getvalue())
    return document


def test_whole_gazetteer_is_valid_rfc7946(gazetteer: Gazetteer) -> None:
    document = export(gazetteer)
    check_rfc7946(document)
    assert len(document["features"]) == gazetteer.stats().places


def test_longitude_comes_first_and_names_are_properties(gazetteer: Gazetteer) -> None:
    features = {f["id"]: f for f in export(gazetteer)["features"]}
    shusha = features["shusha"]
    assert shusha["geometry"] == {"type": "Point", "coordinates": [46.74833, 39.75833]}
    properties = shusha["properties"]
    assert properties["name"] == "Shusha" and properties["role"] == "city"
    assert properties["population"] == 4064 and properties["population_year"] == 2015
    names = {(n["text"], n["lang"]) for n in properties["names"]}
    assert {("Shusha", "en"), ("Şuşa", "az"), ("Շուշի", "hy"), ("Шуша", "ru")} <= names
    stepanakert = {n["text"]: n for n in features["stepanakert"]["properties"]["names"]}
    assert stepanakert["Stepanakert"]["from"] == 1923 and stepanakert["Stepanakert"]["preferred"]


def test_a_place_without_coordinates_has_null_geometry(gazetteer: Gazetteer) -> None:
    unlocated = [pid for pid in gazetteer.store.all_place_ids() if gazetteer.place(pid).lat is None]
    assert unlocated, "the bundled data has places without coordinates (countries)"
    features = {f["id"]: f for f in export(gazetteer, place_ids=unlocated)["features"]}
    assert set(features) == set(unlocated)
    assert all(f["geometry"] is None for f in features.values())


def test_filters_region_role_and_language(gazetteer: Gazetteer) -> None:
    ids = gazetteer.select_places(where="shusha_district", roles=["settlement"])
    assert ids is not None and "shusha" in ids and "shusha_district" not in ids
    document = export(gazetteer, place_ids=ids, langs=["hy"])
    check_rfc7946(document)
    for feature in document["features"]:
        assert all(n["lang"].split("-")[0] == "hy" for n in feature["properties"]["names"])
    assert gazetteer.select_places() is None  # nothing filters: everything
    near = gazetteer.select_places(within=("shusha", 5.0))
    assert near is not None and "shusha" in near and "stepanakert" not in near  # ~10 km apart
    box = gazetteer.select_places(within=(39.7, 46.7, 39.8, 46.8))
    assert box is not None and "shusha" in box and "stepanakert" not in box


def test_file_export_is_atomic_and_cancellable(gazetteer: Gazetteer, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.geojson"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(CancelledError):
        gazetteer.export_geojson(target, progress=lambda done, total: False)
    assert target.read_text(encoding="utf-8") == "old"
    assert list(folder.iterdir()) == [target]  # no temporary file left
    count = gazetteer.export_geojson(target)
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # RFC 7946 §11 / RFC 8259: no byte-order mark
    check_rfc7946(json.loads(raw.decode("utf-8")))
    assert count == gazetteer.stats().places


def test_cli_export_geojson_with_filters(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = str(gazetteer.path)
    gazetteer.close()
    target = tmp_path / "shusha.geojson"
    argv = ["export", "geojson", "--where", "shusha_district", "--lang", "az", "-o", str(target)]
    assert main([*argv, "--db", path]) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    check_rfc7946(document)
    ids = {f["id"] for f in document["features"]}
    assert {"shusha", "shusha_district"} <= ids and "stepanakert" not in ids
