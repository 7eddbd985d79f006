"""Linked Places Format export: Shusha's toponyms with language tags, citations and dates."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from gazetteer.cli import main
from gazetteer.facade import Gazetteer
from gazetteer.lpf_export import CONTEXT, DEFAULT_BASE, when


def lpf(g: Gazetteer, place_ids: list[str]) -> dict[str, Any]:
    buffer = io.StringIO()
    g.export_lpf(buffer, place_ids=place_ids)
    document: dict[str, Any] = json.loads(buffer.getvalue())
    return document


def test_when_timespans() -> None:
    assert when(None, None) is None
    assert when(1923, None) == {"timespans": [{"start": {"in": "1923"}}]}
    assert when(1924, 1990) == {"timespans": [{"start": {"in": "1924"}, "end": {"in": "1990"}}]}
    # LPF: a timespan must have a start; "until 1991" starts at the latest in 1991
    assert when(None, 1991) == {"timespans": [{"start": {"latest": "1991"}, "end": {"in": "1991"}}]}
    assert when(-782, None) == {"timespans": [{"start": {"in": "-0782"}}]}  # Erebuni


def test_shusha_toponyms_with_language_tags_citations_and_dates(gazetteer: Gazetteer) -> None:
    document = lpf(gazetteer, ["shusha"])
    assert document["type"] == "FeatureCollection" and document["@context"] == CONTEXT
    (shusha,) = document["features"]
    assert shusha["@id"] == DEFAULT_BASE + "shusha" and shusha["type"] == "Feature"
    assert shusha["properties"]["title"] == "Shusha"
    assert shusha["properties"]["ccodes"] == ["AZ"]
    toponyms = {(n["toponym"], n["lang"]) for n in shusha["names"]}
    assert {
        ("Shusha", "en"),
        ("Şuşa", "az"),
        ("Շուշի", "hy"),
        ("Шуша", "ru"),
        ("Shushi", "en"),
    } <= toponyms
    assert ("Panahabad", "en") in toponyms
    cited = [n for n in shusha["names"] if n.get("citations")]
    assert cited, "LPF wants at least one toponym with a citation"
    assert {
        "label": "https://en.wikipedia.org/wiki/Shusha",
        "@id": "https://en.wikipedia.org/wiki/Shusha",
    } in [c for n in cited for c in n["citations"]]
    # dates: Shusha's part-of relations with their periods (its curated names are undated)
    spans = {r["relationTo"].removeprefix(DEFAULT_BASE): r for r in shusha["relations"]}
    assert spans["shushi_province"]["when"] == {
        "timespans": [{"start": {"in": "1992"}, "end": {"in": "2020"}}]
    }
    assert spans["nkao"]["when"]["timespans"][0]["end"] == {"in": "1991"}
    assert spans["shusha_district"]["when"] == {"timespans": [{"start": {"in": "1930"}}]}
    assert all(r["relationType"] == "gvp:broaderPartitive" for r in shusha["relations"])
    assert shusha["types"][0]["identifier"] == "aat:300008389"  # city, Getty AAT
    assert shusha["geometry"] == {
        "type": "GeometryCollection",
        "geometries": [{"type": "Point", "coordinates": [46.74833, 39.75833]}],
    }
    assert {"type": "closeMatch", "identifier": "gn:147105"} in shusha["links"]


def test_dated_toponyms(gazetteer: Gazetteer) -> None:
    (stepanakert,) = lpf(gazetteer, ["stepanakert"])["features"]
    names = {(n["toponym"], n["lang"]): n for n in stepanakert["names"]}
    assert names[("Stepanakert", "en")]["when"] == {"timespans": [{"start": {"in": "1923"}}]}
    assert names[("Ստեփանակերտ", "hy")]["when"] == {"timespans": [{"start": {"in": "1923"}}]}
    khankendi = names[("Khankendi", "en")]  # the variant, undated, and the historic one
    assert "when" not in khankendi or khankendi["when"]["timespans"][0]["end"] == {"in": "1923"}
    assert ("Stepʻanakert", "hy-Latn") in names


def test_places_without_coordinates_have_null_geometry(gazetteer: Gazetteer) -> None:
    document = lpf(gazetteer, ["azerbaijan"])
    (country,) = document["features"]
    assert country["geometry"] is None
    assert country["properties"]["ccodes"] == ["AZ"]
    assert country["types"][0]["label"] == "country"


def test_cli_export_lpf(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = str(gazetteer.path)
    gazetteer.close()
    target = tmp_path / "karabakh.lpf.json"
    assert (
        main(["export", "lpf", "--query", "Шуша", "--limit", "1", "-o", str(target), "--db", path])
        == 0
    )
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [f["properties"]["title"] for f in document["features"]] == ["Shusha"]
