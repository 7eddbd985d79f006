"""MapView driven as a user would: real widget, real bundled base map, real mouse events."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui import map_view
from ui.map_view import MapPlace, MapView, load_base_map, nice_scale_km, project

pytestmark = pytest.mark.gui

STEPANAKERT_LABEL = "Ստեփանակերտ / Xankəndi"

PLACES = [
    MapPlace("yerevan", "Երևան / İrəvan", 40.17765, 44.5126, "capital"),
    MapPlace("baku", "Բաքու / Bakı", 40.37767, 49.89201, "capital"),
    MapPlace("tbilisi", "Թբիլիսի / Tiflis", 41.69411, 44.83368, "capital"),
    MapPlace("ganja", "Գանձակ / Gəncə", 40.68278, 46.36056, "city"),
    MapPlace("gyumri", "Գյումրի / Gümrü", 40.78944, 43.8475, "city"),
    MapPlace("stepanakert", STEPANAKERT_LABEL, 39.81528, 46.75194, "city"),
    MapPlace("shusha", "Շուշի / Şuşa", 39.75833, 46.74833, "town"),
    MapPlace("aghdam", "Ակնա / Ağdam", 39.99096, 46.92736, "town"),
    MapPlace("lachin", "Բերձոր / Laçın", 39.63972, 46.54611, "village"),
    MapPlace("araks", "Արաքս / Araz", 39.35, 45.15, "river"),
    MapPlace("aragats", "Արագած / Alagöz", 40.5328, 44.2008, "mountain"),
]


@pytest.fixture
def view(qtbot):  # type: ignore[no-untyped-def]
    """A shown 900×650 map with the places above, fitted to the region."""
    w = MapView()
    qtbot.addWidget(w)
    w.resize(900, 650)
    w.set_places(PLACES)
    w.show()
    qtbot.waitExposed(w)
    return w


def wheel(view: MapView, pos: QPoint, notches: int) -> None:
    """Send a real wheel event (120 units per notch) to the viewport at ``pos``."""
    global_pos = QPointF(view.viewport().mapToGlobal(pos))
    event = QWheelEvent(
        QPointF(pos),
        global_pos,
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def visible_label_rects(view: MapView) -> dict[str, QRectF]:
    rects = {}
    for pid in view.place_ids():
        rect = view.label_rect(pid)
        if rect is not None:
            rects[pid] = rect
    return rects


# --------------------------------------------------------------------------- base map data


def test_bundled_geojson_holds_the_region_and_its_provenance() -> None:
    base = load_base_map()
    names = {c.name for c in base.countries}
    assert {"Armenia", "Azerbaijan", "Georgia", "Iran", "Turkey", "Russia"} <= names
    isos = {c.iso_a3 for c in base.countries}
    assert {"ARM", "AZE", "GEO", "IRN", "TUR", "RUS"} <= isos
    assert base.bbox == (36.0, 34.0, 54.0, 46.0)
    assert "Natural Earth" in base.metadata["source"]
    assert base.metadata["source_version"]
    assert "public domain" in base.metadata["license"].lower()
    # Small enough to ship and parse at start; big enough to be the 10 m data, not a sketch.
    size = map_view.DEFAULT_GEOJSON.stat().st_size
    assert 40_000 < size < 200_000
    armenia = next(c for c in base.countries if c.iso_a3 == "ARM")
    assert sum(len(r) for r in armenia.rings) > 200


def test_every_coordinate_is_inside_the_box_and_rounded() -> None:
    base = load_base_map()
    lon_min, lat_min, lon_max, lat_max = base.bbox
    for country in base.countries:
        for ring in country.rings:
            assert ring[0] == ring[-1], f"{country.name}: ring not closed"
            for lon, lat in ring:
                assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max
                assert round(lon, 4) == lon and round(lat, 4) == lat


def test_view_draws_a_land_path_per_country(view: MapView) -> None:
    assert {"Armenia", "Azerbaijan", "Georgia", "Iran", "Turkey"} <= set(view.country_names())
    # Yerevan's scene point lies inside some drawn land fill (the paths are real shapes).
    yerevan = project(40.17765, 44.5126)
    tips = {item.toolTip() for item in view.scene().items(yerevan) if item.toolTip()}
    assert "Armenia" in tips
    # The Caspian east of Baku is sea: no country fill there.
    caspian = project(40.3, 51.0)
    assert not any(item.toolTip() in view.country_names() for item in view.scene().items(caspian))


def test_start_view_fits_the_south_caucasus(view: MapView) -> None:
    area = QRectF(view.viewport().rect())
    for pid in ("yerevan", "baku", "tbilisi", "stepanakert"):
        assert area.contains(QPointF(view.place_view_pos(pid))), pid
    # Batumi (west) and the Absheron tip (east) are on screen too.
    for lat, lon in ((41.64, 41.63), (40.45, 50.3)):
        assert area.contains(QPointF(view.mapFromScene(project(lat, lon))))


# --------------------------------------------------------------------------- clicks


def test_clicking_a_marker_emits_its_id(qtbot, view: MapView) -> None:  # type: ignore[no-untyped-def]
    pos = view.place_view_pos("ganja")
    with qtbot.waitSignal(view.placeClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["ganja"]
    assert view.selected_place_id() == "ganja"
    assert view.is_highlighted("ganja")


def test_click_a_few_pixels_off_still_hits(qtbot, view: MapView) -> None:  # type: ignore[no-untyped-def]
    pos = view.place_view_pos("baku") + QPoint(3, -2)
    with qtbot.waitSignal(view.placeClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["baku"]


def test_clicking_empty_map_emits_nothing(qtbot, view: MapView) -> None:  # type: ignore[no-untyped-def]
    empty = view.mapFromScene(project(42.5, 47.5))  # Dagestan: no place near
    with qtbot.assertNotEmitted(view.placeClicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert view.selected_place_id() is None


def test_dragging_pans_and_is_not_a_click(qtbot, view: MapView) -> None:  # type: ignore[no-untyped-def]
    wheel(view, view.viewport().rect().center(), 4)  # zoomed in, so there is room to pan
    start = view.place_view_pos("ganja")
    scene_before = view.mapToScene(view.viewport().rect().center())
    with qtbot.assertNotEmitted(view.placeClicked):
        QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        for step in range(1, 11):
            QTest.mouseMove(view.viewport(), start + QPoint(-8 * step, -5 * step))
        QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(-80, -50))
    scene_after = view.mapToScene(view.viewport().rect().center())
    assert scene_after != scene_before
    # The map moved with the hand: Ganja is now where the cursor let go.
    assert (view.place_view_pos("ganja") - (start + QPoint(-80, -50))).manhattanLength() <= 3


# --------------------------------------------------------------------------- selection


def test_select_place_highlights_exactly_one(view: MapView) -> None:
    assert not any(view.is_highlighted(pid) for pid in view.place_ids())
    assert view.select_place("yerevan")
    assert [pid for pid in view.place_ids() if view.is_highlighted(pid)] == ["yerevan"]
    assert view.select_place("baku")
    assert [pid for pid in view.place_ids() if view.is_highlighted(pid)] == ["baku"]
    assert view.selected_place_id() == "baku"
    # The selected place's label is shown even when its role would not earn one.
    assert view.select_place("lachin")
    assert view.is_label_visible("lachin")
    view.select_place(None)
    assert view.selected_place_id() is None
    assert not any(view.is_highlighted(pid) for pid in view.place_ids())


def test_select_unknown_id_clears_and_says_so(view: MapView) -> None:
    view.select_place("yerevan")
    assert view.select_place("no-such-place") is False
    assert view.selected_place_id() is None
    assert not view.is_highlighted("yerevan")


def test_select_place_centres_an_offscreen_marker(view: MapView) -> None:
    baku = view.place_view_pos("baku")
    wheel(view, baku, 12)  # deep into Absheron: Yerevan is far off-screen
    area = QRectF(view.viewport().rect())
    assert not area.contains(QPointF(view.place_view_pos("yerevan")))
    view.select_place("yerevan")
    pos = QPointF(view.place_view_pos("yerevan"))
    assert area.contains(pos)
    assert (pos - area.center()).manhattanLength() < 4


def test_selection_survives_set_places_when_id_remains(view: MapView) -> None:
    view.select_place("ganja")
    view.set_places(PLACES[::-1])
    assert view.is_highlighted("ganja")
    view.set_places([p for p in PLACES if p.id != "ganja"])
    assert view.selected_place_id() is None


# --------------------------------------------------------------------------- labels


def test_armenian_labels_are_set_and_shown(view: MapView) -> None:
    assert view.label_text("stepanakert") == STEPANAKERT_LABEL
    assert view.is_label_visible("stepanakert")
    rect = view.label_rect("stepanakert")
    assert rect is not None and rect.width() > 100  # laid out as real text, not empty boxes


def test_set_labels_relabels_without_rebuilding(view: MapView) -> None:
    marker_count = len(view.scene().items())
    view.set_labels({"stepanakert": "Khankendi", "shusha": "Шуша", "unknown": "ignored"})
    assert view.label_text("stepanakert") == "Khankendi"
    assert view.label_text("shusha") == "Шуша"
    assert view.label_text("yerevan") == "Երևան / İrəvan"  # untouched
    assert view.label_text("unknown") is None
    assert len(view.scene().items()) == marker_count


def test_only_important_labels_at_low_zoom_all_when_zoomed_in(view: MapView) -> None:
    assert view.is_label_visible("yerevan") and view.is_label_visible("ganja")
    for minor in ("lachin", "araks", "aragats", "aghdam"):
        assert not view.is_label_visible(minor), minor
    wheel(view, view.place_view_pos("lachin"), 10)
    assert view.is_label_visible("lachin")
    assert view.is_label_visible("shusha")


@pytest.mark.parametrize("notches", [0, 3, 6, 10])
def test_labels_never_overlap_each_other_markers_or_the_edge(view: MapView, notches: int) -> None:
    wheel(view, view.place_view_pos("stepanakert"), notches)
    rects = visible_label_rects(view)
    assert rects, "some labels must show"
    area = QRectF(view.viewport().rect())
    for pid, rect in rects.items():
        assert area.contains(rect), f"{pid} label cut off: {rect}"
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.intersects(rb), f"labels {a} and {b} overlap"
    # A label covers no marker, except that a capital's (or the selected place's) label may
    # cover the dot of a lesser place rather than vanish.
    role = {p.id: p.role for p in PLACES}
    for pid, rect in rects.items():
        for other in view.place_ids():
            if other == pid or (role[pid] == "capital" and role[other] != "capital"):
                continue
            c = QPointF(view.place_view_pos(other))
            dot = QRectF(c.x() - 2, c.y() - 2, 4, 4)
            assert not rect.intersects(dot), f"label {pid} covers marker {other}"


def test_a_capital_crowded_by_suburbs_keeps_its_label(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = MapView()
    qtbot.addWidget(w)
    w.resize(700, 500)
    ring = [
        MapPlace(f"s{i}", f"Suburb {i}", 40.17765 + dlat, 44.5126 + dlon, "town")
        for i, (dlat, dlon) in enumerate(
            [(0.05, 0.1), (-0.05, 0.1), (0.05, -0.1), (-0.05, -0.1), (0.1, 0), (-0.1, 0)]
        )
    ]
    w.set_places([*ring, MapPlace("yerevan", "Yerevan", 40.17765, 44.5126, "capital")])
    w.show()
    qtbot.waitExposed(w)
    assert w.is_label_visible("yerevan")


# --------------------------------------------------------------------------- zoom & scale bar


def test_wheel_zoom_changes_scale_and_scale_bar(view: MapView) -> None:
    start_scale, start_km = view.zoom_level(), view.scale_bar_km()
    assert start_km in (50, 100, 200)
    wheel(view, view.viewport().rect().center(), 5)
    assert view.zoom_level() > start_scale * 2.5
    zoomed_km = view.scale_bar_km()
    assert zoomed_km < start_km
    wheel(view, view.viewport().rect().center(), -5)
    assert view.zoom_level() == pytest.approx(start_scale)
    assert view.scale_bar_km() == start_km


def test_wheel_zoom_keeps_the_point_under_the_cursor(view: MapView) -> None:
    cursor = view.place_view_pos("ganja")
    wheel(view, cursor, 3)
    assert (view.place_view_pos("ganja") - cursor).manhattanLength() <= 2


def test_zoom_is_bounded(view: MapView) -> None:
    wheel(view, view.viewport().rect().center(), 60)
    north_south_km_per_px = map_view.KM_PER_DEG_LAT / view.zoom_level()
    assert north_south_km_per_px == pytest.approx(map_view.MIN_KM_PER_PX)
    wheel(view, view.viewport().rect().center(), -120)
    scene = view.scene().sceneRect()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    # Zoomed fully out, the whole data box is visible but not much more.
    assert shown.contains(scene.adjusted(0.01, 0.01, -0.01, -0.01))
    assert shown.width() < scene.width() * 1.6 and shown.height() < scene.height() * 1.6


def test_keyboard_zoom_and_refit(qtbot, view: MapView) -> None:  # type: ignore[no-untyped-def]
    start = view.zoom_level()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom_level() > start
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.zoom_level() == pytest.approx(start)


@pytest.mark.parametrize(
    ("max_km", "expected"),
    [(1.0, 1.0), (1.9, 1.0), (2.0, 2.0), (4.99, 2.0), (5.0, 5.0), (149.0, 100.0), (0.37, 0.2)],
)
def test_nice_scale_km(max_km: float, expected: float) -> None:
    assert nice_scale_km(max_km) == pytest.approx(expected)


def test_scale_bar_matches_ground_distance(view: MapView) -> None:
    # Yerevan–Baku is ~460 km great-circle; the map's km/px at ~40° N must agree within 3 %.
    a, b = view.place_view_pos("yerevan"), view.place_view_pos("baku")
    pixels = ((a.x() - b.x()) ** 2 + (a.y() - b.y()) ** 2) ** 0.5
    assert pixels * view.km_per_pixel() == pytest.approx(460, rel=0.03)


# --------------------------------------------------------------------------- layering


def test_map_view_imports_no_domain_or_storage() -> None:
    tree = ast.parse(Path(map_view.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"gazetteer", "db", "sqlite3", "sqlite_utils"}
