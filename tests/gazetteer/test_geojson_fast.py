"""The GeoJSON export's Features built in SQL are byte for byte what ``json.dumps`` makes of
``geojson_export.feature``: every escape, number, optional property and label rule."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from db.store import NAME_COLUMNS, PLACE_COLUMNS
from gazetteer.facade import Gazetteer
from gazetteer.geojson_export import feature, iter_records

#: Texts JSON must escape (quote, backslash, control characters, NUL) or keep as they are
#: (non-ASCII, U+2028, DEL), and plain ones.
TEXTS = [
    'say "hi"',
    "back\\slash",
    "line\nbreak",
    "tab\there",
    "bell\x07and\x1f",
    "nul\x00inside",
    "\x7fdel",
    "line\u2028separator",
    "Շուշի",
    "Шуша",
    "Şuşa",
    "mountain \U0001f3d4",
    "=SUM(A1)",
    "plain",
]
#: A place's names: two English ones, then Azerbaijani, Armenian, Russian, Chechen, and
#: Armenian in Latin letters (not ``hy`` for the label).
LANGS = [
    ("en", "Latn", "official"),
    ("en", "Latn", "common"),
    ("az", "Latn", "common"),
    ("hy", "Armn", "historic"),
    ("ru", "Cyrl", "variant"),
    ("ce", "Cyrl", "common"),
    ("hy-Latn", "Latn", "common"),
]
FLOATS = [0.1 + 0.2, 1e-05, 40.0, -33.5, 89.99999999999999, 1 / 3, 44.63342, None]


def _place_id(i: int) -> str:
    """Place ids, one in seven an awkward text."""
    return f"p{i:02d}" if i % 7 else f"odd {i} {TEXTS[i % len(TEXTS)]}"


def _gazetteer(g: Gazetteer) -> None:
    """Places whose every JSON value is awkward somewhere, with each label case: a
    preferred English name, only a preferred Azerbaijani or Chechen one, none preferred,
    no names at all; written to the tables directly, as any file may hold them."""
    store = g.store
    sources = [store.source_id("GeoNames"), store.source_id('Census "final", \\ 2011\n')]
    places = []
    for i in range(60):
        places.append(
            (
                _place_id(i),
                TEXTS[i % len(TEXTS)] if i % 5 == 0 else "city",
                FLOATS[i % len(FLOATS)],
                FLOATS[(i + 3) % len(FLOATS)],
                "p01" if i % 4 == 0 and i else None,
                0,
                [None, 587084, 1 / 3, 10**15][i % 4],  # a stray REAL in an integer column
                None if i % 3 else f"Q{i}",
                TEXTS[(i + 2) % len(TEXTS)] if i % 6 == 0 else None,
            )
        )
    store.bulk_insert("place", PLACE_COLUMNS, places)
    store.bulk_insert(
        "population",
        ("place_id", "value", "year", "source_id"),
        [
            ("p02", 100, None, None),
            ("p02", 150, 2010, None),
            ("p03", 7, None, None),
            ("p04", 0.1 + 0.2, 2000.5, None),
        ],
    )
    names = []
    for i, place in enumerate(places):
        if i % 10 == 9:
            continue  # no names: the label is the id
        for j, (lang, script, kind) in enumerate(LANGS):
            # Preferred: all names, then all but the first, … then none (i % 7 == 6).
            preferred = j >= i % 7 and i % 7 != 6
            names.append(
                (
                    len(names) + 1,
                    place[0],
                    TEXTS[(i + j) % len(TEXTS)].strip("\n\t") or "x",
                    lang,
                    script,
                    kind,
                    TEXTS[(i + j + 3) % len(TEXTS)] if (i + j) % 4 == 0 else None,
                    [None, -782, 1918.0][(i + j) % 3],
                    [None, 1991, None][(i + j) % 3] if j != 3 else 2020.5,
                    TEXTS[(i + j + 5) % len(TEXTS)] if (i + j) % 5 == 0 else None,
                    int(preferred),
                    sources[(i + j) % 3] if (i + j) % 3 < 2 else None,
                )
            )
    store.bulk_insert("name", ("id", *NAME_COLUMNS), names)


def _reference(
    g: Gazetteer, place_ids: Sequence[str] | None = None, langs: Sequence[str] = ()
) -> bytes:
    """The FeatureCollection as json.dumps writes it from the Python records."""
    out = io.StringIO()
    out.write('{"type": "FeatureCollection", "features": [\n')
    for i, record in enumerate(iter_records(g.store, place_ids, langs)):
        out.write(",\n" if i else "")
        out.write(json.dumps(feature(record), ensure_ascii=False, separators=(",", ":")))
    out.write("\n]}\n")
    return out.getvalue().encode("utf-8")


def test_features_equal_json_dumps_of_the_python_features(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    g = empty_gazetteer
    _gazetteer(g)
    expected = _reference(g)
    for needle in (b'\\"hi\\"', b"back\\\\slash", b"\\u0000", b"\\u0007", b"\x7fdel", b"\\n"):
        assert needle in expected
    assert b"0.30000000000000004" in expected and b"1e-05" in expected
    assert b'"geonames_id":0.3333333333333333' in expected and b'"to":2020.5' in expected
    path = tmp_path / "places.geojson"
    assert g.export_geojson(path) == 60
    assert path.read_bytes() == expected  # the file: bytes straight from SQLite
    text = io.StringIO()
    g.export_geojson(text)
    assert text.getvalue().encode("utf-8") == expected  # a text stream
    features = json.loads(expected)["features"]
    labels = {f["id"]: f["properties"]["name"] for f in features}
    assert labels["p09"] == "p09"  # no names: the id
    assert {f["properties"].get("population") for f in features} >= {150, 7, 0.1 + 0.2}
    # The first preferred name in en, az, hy, ru (English "common" sorts before
    # "official"), else the first preferred (Chechen), else the first name (Azerbaijani).
    assert [labels[_place_id(i)] for i in range(1, 7)] == [
        TEXTS[(i + j) % len(TEXTS)] for i, j in ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 2))
    ]


@pytest.mark.parametrize(
    ("place_ids", "langs"),
    [
        (None, ("az",)),
        (["p02", _place_id(14), "p09", "nowhere", "p13", _place_id(21)], ()),
        (["p05", "p06"], ("hy", "ru")),
    ],
)
def test_features_equal_with_filters(
    empty_gazetteer: Gazetteer,
    tmp_path: Path,
    place_ids: list[str] | None,
    langs: tuple[str, ...],
) -> None:
    g = empty_gazetteer
    _gazetteer(g)
    path = tmp_path / "some.geojson"
    g.export_geojson(path, place_ids=place_ids, langs=langs)
    assert path.read_bytes() == _reference(g, place_ids, langs)
