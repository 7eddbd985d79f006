"""The name export's SQL: coordinates written as Python's repr without calling Python for
the ordinary ones."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from db.name_export import float_text
from gazetteer.facade import Gazetteer

COORDINATES = st.floats(min_value=-180, max_value=180, allow_nan=False)


def _texts(values: list[float | None]) -> tuple[list[tuple[str | None, str | None]], int]:
    """``(repr, float_text)`` of each value as a REAL column gives it back (-0.0 comes back
    as 0.0), and how often the SQL called Python."""
    conn = sqlite3.connect(":memory:")
    calls: list[float] = []
    conn.create_function("gz_float", 1, lambda x: calls.append(x) or repr(x))
    conn.execute("CREATE TABLE t (x REAL)")
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    rows = conn.execute(f"SELECT x, {float_text('x')} FROM t ORDER BY rowid").fetchall()
    return [(None if x is None else repr(x), text) for x, text in rows], len(calls)


@settings(max_examples=500)
@given(st.lists(COORDINATES | COORDINATES.map(lambda x: round(x, 5)), max_size=50))
def test_coordinate_text_is_pythons_repr(values: list[float]) -> None:
    pairs, _ = _texts(values)
    assert all(expected == text for expected, text in pairs), pairs


def test_ordinary_coordinates_never_call_python() -> None:
    ordinary = [40.2717, 44.63342, -33.5, 40.0, 0.0001, -179.123456789, 90.0]
    odd = [0.1 + 0.2, 1e-05, 0.0, 89.99999999999999, 1 / 3, 12.3456789012]
    pairs, calls = _texts([*ordinary, *odd, None])
    assert [text for _, text in pairs] == [*(repr(v) for v in ordinary + odd), None]
    assert calls == len(odd)


def test_an_export_stopped_early_or_run_through_leaves_no_place_rows(
    gazetteer: Gazetteer,
) -> None:
    store = gazetteer.store
    places = int(store._scalar("SELECT count(*) FROM place"))

    def left() -> int:
        return int(store._scalar("SELECT count(*) FROM temp.gz_export_place"))

    lines = store.iter_name_lines()
    features = store.iter_features(["abovyan", "aghdam"])
    assert next(lines) and next(features)  # two exports' places in the table at once
    assert left() == places + 2
    lines.close()  # a reader that stops early, as a cancelled export does
    assert left() == 2
    assert list(features) == []  # the two Features came in the first batch
    assert left() == 0
