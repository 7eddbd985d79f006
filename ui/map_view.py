"""Offline map of the South Caucasus: country shapes from a bundled GeoJSON plus place markers.

The widget knows nothing about the gazetteer: callers hand it plain ``MapPlace`` records and
get place ids back through ``placeClicked``. Base data is ``ui/data/caucasus.geojson``, a cut
of Natural Earth (public domain) made by ``scripts/build_map.py``; reading it needs only
``json``.

Drawing model
-------------
* Scene coordinates are an equirectangular projection, x = lon·cos 40°, y = −lat. Over
  34–46° N this is within ±8 % of true shape, and it keeps the scene unit ≈ 111 km so the
  scale bar is one multiplication.
* Land is one filled ``QGraphicsPathItem`` per country (no pen); the lines are two further
  path items — international borders and coastline — built from the polygon edges, so a
  border shared by two countries is stroked once and the artificial edges of the clip box
  are never stroked. Pens are cosmetic (1 px at every zoom).
* Markers and their labels ignore the view transform, so they keep their pixel size when
  zoomed. Which labels show is decided in view (pixel) space after every zoom or pan:
  selected place first, then by role importance, greedily, skipping any label that would
  overlap another label or marker or leave the viewport.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

DEFAULT_GEOJSON = Path(__file__).resolve().parent / "data" / "caucasus.geojson"

REF_LAT = 40.0
_COS_REF = math.cos(math.radians(REF_LAT))
KM_PER_DEG_LAT = 111.195  # mean; one scene unit in y is exactly one degree of latitude

# What the map shows on start: Georgia, Armenia, Azerbaijan (with Nakhchivan) and a margin.
SOUTH_CAUCASUS = (39.6, 38.2, 50.9, 43.8)  # lon_min, lat_min, lon_max, lat_max

# Countries drawn in the brighter land colour; neighbours are greyed so the region stands out.
FOCUS_ISO = frozenset({"ARM", "AZE", "GEO"})

# Zoom limit in km per pixel, measured north-south (one scene unit is one degree of
# latitude everywhere). 50 m/px is well past the ~300 m accuracy of the base map,
# which is as far as zooming still helps to tell nearby places apart.
MIN_KM_PER_PX = 0.05
WHEEL_STEP = 1.25  # zoom factor per wheel notch (120 eighths of a degree)

_COLORS = {
    "sea": QColor("#b9d7ea"),
    "outside": QColor("#d4d4cf"),  # beyond the data's bounding box: not sea, just no data
    "land_focus": QColor("#fbf8ef"),
    "land_other": QColor("#eceae2"),
    "border": QColor("#7b6f80"),
    "coast": QColor("#5d84a6"),
    "highlight": QColor("#ff7f00"),
    "marker_outline": QColor("#333333"),
    "label_text": QColor("#1a1a1a"),
    "label_halo": QColor(255, 255, 255, 205),
}


@dataclass(frozen=True, slots=True)
class MapPlace:
    """One place to draw: plain data, so the widget needs no gazetteer import.

    ``role`` is the place's feature class as the gazetteer spells it (``capital``, ``city``,
    ``town``, ``village``, ``river``, ``mountain`` …); unknown roles get a neutral marker.
    """

    id: str
    label: str
    lat: float
    lon: float
    role: str


@dataclass(frozen=True, slots=True)
class CountryShape:
    """A country polygon from the base map, rings as (lon, lat) tuples."""

    name: str
    iso_a3: str
    rings: tuple[tuple[tuple[float, float], ...], ...]


@dataclass(frozen=True, slots=True)
class BaseMap:
    """The parsed base-map file: countries, data bounding box and provenance metadata."""

    countries: tuple[CountryShape, ...]
    bbox: tuple[float, float, float, float]
    metadata: Mapping[str, Any]


def load_base_map(path: Path = DEFAULT_GEOJSON) -> BaseMap:
    """Read a GeoJSON FeatureCollection of (Multi)Polygons as written by build_map.py."""
    data = json.loads(path.read_text(encoding="utf-8"))
    countries: list[CountryShape] = []
    for feature in data["features"]:
        geom = feature["geometry"]
        if geom["type"] == "Polygon":
            polygons = [geom["coordinates"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["coordinates"]
        else:  # lines or points have no place in a country layer; skip rather than fail
            continue
        rings = tuple(
            tuple((float(x), float(y)) for x, y, *_ in ring) for poly in polygons for ring in poly
        )
        props = feature.get("properties") or {}
        countries.append(CountryShape(props.get("name", ""), props.get("iso_a3", ""), rings))
    if "bbox" in data:
        bbox = tuple(float(v) for v in data["bbox"][:4])
    else:
        xs = [x for c in countries for r in c.rings for x, _ in r]
        ys = [y for c in countries for r in c.rings for _, y in r]
        bbox = (min(xs), min(ys), max(xs), max(ys))
    return BaseMap(tuple(countries), bbox, data.get("metadata", {}))  # type: ignore[arg-type]


def project(lat: float, lon: float) -> QPointF:
    """Geographic (WGS84 degrees) to scene coordinates."""
    return QPointF(lon * _COS_REF, -lat)


def unproject(point: QPointF) -> tuple[float, float]:
    """Scene coordinates back to (lat, lon)."""
    return -point.y(), point.x() / _COS_REF


def nice_scale_km(max_km: float) -> float:
    """Largest 1-2-5 × 10ⁿ distance not above ``max_km`` (the scale bar's round number)."""
    if max_km <= 0:
        return 0.0
    exponent = math.floor(math.log10(max_km))
    for mantissa in (5.0, 2.0, 1.0):
        value = mantissa * 10.0**exponent
        if value <= max_km * (1 + 1e-9):
            return value
    return 10.0 ** (exponent - 1) * 5.0  # unreachable: 1·10ⁿ ≤ max_km by construction


# ---------------------------------------------------------------------------------------------
# Marker styles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    shape: str  # circle | capital | square | diamond | triangle | ring
    radius: float
    fill: QColor
    tier: int  # 0 most important; decides label priority and the zoom at which labels show


_ROLE_STYLES: dict[str, _Style] = {
    "country": _Style("ring", 5.0, QColor("#555555"), 0),
    "capital": _Style("capital", 5.0, QColor("#99000d"), 0),
    "region": _Style("square", 4.0, QColor("#8c8c8c"), 1),
    "province": _Style("square", 4.0, QColor("#8c8c8c"), 1),
    "city": _Style("circle", 4.0, QColor("#b2182b"), 1),
    "district": _Style("square", 3.5, QColor("#a6a6a6"), 2),
    "town": _Style("circle", 3.5, QColor("#d6604d"), 2),
    "village": _Style("circle", 2.5, QColor("#f4a582"), 3),
    "settlement": _Style("circle", 2.5, QColor("#f4a582"), 3),
    "river": _Style("diamond", 3.5, QColor("#2166ac"), 3),
    "lake": _Style("circle", 3.5, QColor("#4393c3"), 3),
    "reservoir": _Style("circle", 3.5, QColor("#4393c3"), 3),
    "mountain": _Style("triangle", 4.5, QColor("#8c510a"), 3),
    "mountain range": _Style("triangle", 4.5, QColor("#8c510a"), 3),
    "pass": _Style("triangle", 4.0, QColor("#bf812d"), 3),
    "monastery": _Style("square", 3.0, QColor("#762a83"), 3),
    "cathedral": _Style("square", 3.0, QColor("#762a83"), 3),
    "church": _Style("square", 3.0, QColor("#762a83"), 3),
    "fortress": _Style("square", 3.0, QColor("#542788"), 3),
    "archaeological site": _Style("square", 3.0, QColor("#7f6a55"), 3),
    "airport": _Style("square", 3.0, QColor("#4d4d4d"), 3),
}
_DEFAULT_STYLE = _Style("circle", 3.0, QColor("#878787"), 3)

# Largest km/px at which labels of a tier are offered to the layout (None: always).
_TIER_MAX_KM_PER_PX: dict[int, float | None] = {0: None, 1: None, 2: 0.8, 3: 0.4}


def _style_for(role: str) -> _Style:
    return _ROLE_STYLES.get(role.strip().lower(), _DEFAULT_STYLE)


class _Label(QGraphicsItem):
    """Text on a soft white halo so it reads over borders and coastlines."""

    PAD_X = 2.0
    PAD_Y = 0.5

    def __init__(self, text: str, font: QFont, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self._font = font
        self._text = ""
        self._size = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self._text = text
        metrics = QFontMetricsF(self._font)
        self._ascent = metrics.ascent()
        self._size = QRectF(
            0.0,
            0.0,
            metrics.horizontalAdvance(text) + 2 * self.PAD_X,
            metrics.height() + 2 * self.PAD_Y,
        )
        self.update()

    def set_font(self, font: QFont) -> None:
        self._font = font
        self.set_text(self._text)

    def text(self) -> str:
        return self._text

    def size(self) -> tuple[float, float]:
        return self._size.width(), self._size.height()

    def boundingRect(self) -> QRectF:
        return self._size

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_COLORS["label_halo"])
        painter.drawRoundedRect(self._size, 3.0, 3.0)
        painter.setFont(self._font)
        painter.setPen(_COLORS["label_text"])
        painter.drawText(QPointF(self.PAD_X, self.PAD_Y + self._ascent), self._text)


class _Marker(QGraphicsItem):
    """A place symbol, fixed pixel size, with its label as a child item."""

    HIGHLIGHT_GROW = 3.0

    def __init__(self, place: MapPlace, index: int, font: QFont) -> None:
        super().__init__()
        self.place = place
        self.index = index  # input order: earlier places win label conflicts within a tier
        self.style = _style_for(place.role)
        self.highlighted = False
        self.setPos(project(place.lat, place.lon))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        # Clicks are resolved by the view (with a few pixels of slack), so the drag-to-pan
        # behaviour of the view is never blocked by a marker swallowing the press.
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(place.label)
        self.setZValue(10 - self.style.tier)
        self.label = _Label(place.label, font, self)
        self.label.setVisible(False)

    def radius(self) -> float:
        return self.style.radius + (self.HIGHLIGHT_GROW if self.highlighted else 0.0)

    def set_highlighted(self, on: bool, label_font: QFont) -> None:
        self.prepareGeometryChange()
        self.highlighted = on
        self.setZValue(100 if on else 10 - self.style.tier)
        self.label.set_font(label_font)
        self.update()

    def boundingRect(self) -> QRectF:
        r = self.radius() + 2.0  # outline and antialiasing
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        r = self.radius()
        fill = _COLORS["highlight"] if self.highlighted else self.style.fill
        outline = QPen(_COLORS["marker_outline"], 1.5 if self.highlighted else 1.0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(outline)
        painter.setBrush(fill)
        shape = self.style.shape
        if shape in ("circle", "capital"):
            painter.drawEllipse(QPointF(0, 0), r, r)
            if shape == "capital":  # a white ring inside: the usual capital symbol
                painter.setPen(QPen(QColor("white"), 1.2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(0, 0), r * 0.55, r * 0.55)
        elif shape == "ring":
            painter.setBrush(QColor(255, 255, 255, 180))
            painter.setPen(QPen(fill, 2.0))
            painter.drawEllipse(QPointF(0, 0), r, r)
            painter.setBrush(fill)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QPointF(0, 0), r * 0.35, r * 0.35)
        elif shape == "square":
            s = r * 0.85
            painter.drawRect(QRectF(-s, -s, 2 * s, 2 * s))
        elif shape == "diamond":
            painter.drawPolygon(
                QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0)])
            )
        elif shape == "triangle":
            h = r * 0.9
            painter.drawPolygon(QPolygonF([QPointF(0, -r), QPointF(r, h), QPointF(-r, h)]))


# ---------------------------------------------------------------------------------------------
# The view
# ---------------------------------------------------------------------------------------------


class MapView(QGraphicsView):
    """Pan/zoom map of the region with clickable, selectable place markers.

    Wheel zooms around the cursor, dragging pans, ``+``/``-`` zoom, ``0``/Home refits the
    region. Until the user zooms or pans, resizing keeps the region fitted.
    """

    placeClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None, base_map: BaseMap | None = None) -> None:
        # Set before QGraphicsView.__init__: Qt may deliver resize/show events during it.
        self._user_moved = False
        self._markers: dict[str, _Marker] = {}
        self._selected: str | None = None
        self._press_pos: QPoint | None = None
        super().__init__(parent)

        self._base_map = base_map if base_map is not None else load_base_map()
        lon_min, lat_min, lon_max, lat_max = self._base_map.bbox
        self._data_rect = QRectF(project(lat_max, lon_min), project(lat_min, lon_max))

        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(max(self._label_font.pointSizeF(), 8.0) * 0.95)
        self._selected_font = QFont(self._label_font)
        self._selected_font.setBold(True)

        self._scene = QGraphicsScene(self)
        self._scene.setSceneRect(self._data_rect)
        self.setScene(self._scene)
        self._build_base_layer()

        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        # Zoom anchoring is done by hand in zoom_by(): AnchorUnderMouse relies on the global
        # cursor position, which is wrong for synthetic events and on some platforms.
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The scale bar is painted in viewport coordinates; partial updates would smear it
        # when the view scrolls, so repaint the whole (small) viewport.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)

        # Panning fires many scroll events; lay labels out once per event-loop turn.
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self._layout_labels)
        # (A bound slot, not timer.start: valueChanged(int) would pass the value as interval.)
        self.horizontalScrollBar().valueChanged.connect(self._schedule_layout)
        self.verticalScrollBar().valueChanged.connect(self._schedule_layout)

        self.fit_region()
        self._user_moved = False

    # ----------------------------------------------------------------------------- base map

    def _build_base_layer(self) -> None:
        """Land fills per country, then borders and coast as two stroked paths."""
        lon_min, lat_min, lon_max, lat_max = self._base_map.bbox

        def on_clip_edge(a: tuple[float, float], b: tuple[float, float]) -> bool:
            # A segment running along the clip box is an artefact of the cut, not a border.
            return (a[0] == b[0] and a[0] in (lon_min, lon_max)) or (
                a[1] == b[1] and a[1] in (lat_min, lat_max)
            )

        def key(a: tuple[float, float], b: tuple[float, float]) -> tuple[Any, ...]:
            return (a, b) if a <= b else (b, a)

        # Coverage-simplified data shares vertices exactly, so an edge seen twice is a
        # border between two countries and an edge seen once is coastline.
        counts: dict[tuple[Any, ...], int] = {}
        for country in self._base_map.countries:
            for ring in country.rings:
                for a, b in pairwise(ring):
                    counts[key(a, b)] = counts.get(key(a, b), 0) + 1

        border, coast = QPainterPath(), QPainterPath()
        seen: set[tuple[Any, ...]] = set()
        for country in self._base_map.countries:
            land = QPainterPath()
            land.setFillRule(Qt.FillRule.OddEvenFill)  # holes (enclaves) stay holes
            for ring in country.rings:
                land.addPolygon(QPolygonF([project(lat, lon) for lon, lat in ring]))
                current: QPainterPath | None = None
                for a, b in pairwise(ring):
                    k = key(a, b)
                    if k in seen or on_clip_edge(a, b):
                        current = None
                        continue
                    seen.add(k)
                    target = border if counts[k] > 1 else coast
                    if target is not current:
                        target.moveTo(project(a[1], a[0]))
                        current = target
                    target.lineTo(project(b[1], b[0]))
            item = QGraphicsPathItem(land)
            color = "land_focus" if country.iso_a3 in FOCUS_ISO else "land_other"
            item.setBrush(QBrush(_COLORS[color]))
            item.setPen(QPen(Qt.PenStyle.NoPen))
            item.setToolTip(country.name)
            item.setZValue(0)
            self._scene.addItem(item)

        for path, color, z in ((coast, "coast", 1), (border, "border", 2)):
            pen = QPen(_COLORS[color], 1.0)
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            line = QGraphicsPathItem(path)
            line.setPen(pen)
            line.setBrush(Qt.BrushStyle.NoBrush)
            line.setZValue(z)
            self._scene.addItem(line)

    def base_map(self) -> BaseMap:
        """The parsed base-map data (countries, bbox, provenance)."""
        return self._base_map

    def country_names(self) -> list[str]:
        """English names of the countries drawn, in file order."""
        return [c.name for c in self._base_map.countries]

    # ----------------------------------------------------------------------------- places

    def set_places(self, places: Sequence[MapPlace]) -> None:
        """Replace all markers. Earlier places win label conflicts within a role tier.

        Places outside the base map's box are still drawn (the scene grows to hold them)
        because hiding a place silently would be worse than showing it off the map.
        The selection is kept if its id is still present.
        """
        for marker in self._markers.values():
            self._scene.removeItem(marker)
        self._markers = {}
        scene_rect = QRectF(self._data_rect)
        for index, place in enumerate(places):
            marker = _Marker(place, index, self._label_font)
            self._markers[place.id] = marker
            self._scene.addItem(marker)
            scene_rect = scene_rect.united(QRectF(marker.pos(), marker.pos()))
        self._scene.setSceneRect(scene_rect)
        if self._selected is not None and self._selected not in self._markers:
            self._selected = None
        if self._selected is not None:
            self._markers[self._selected].set_highlighted(True, self._selected_font)
        self._layout_labels()

    def set_labels(self, labels: Mapping[str, str]) -> None:
        """Change label texts (e.g. under another naming profile); unknown ids are ignored."""
        for place_id, text in labels.items():
            marker = self._markers.get(place_id)
            if marker is None:
                continue
            marker.label.set_text(text)
            marker.setToolTip(text)
        self._layout_labels()

    def place_ids(self) -> list[str]:
        """Ids of all markers, in the order they were given."""
        return list(self._markers)

    def label_text(self, place_id: str) -> str | None:
        """Current label text of a place, or None if there is no such marker."""
        marker = self._markers.get(place_id)
        return marker.label.text() if marker is not None else None

    def is_label_visible(self, place_id: str) -> bool:
        """Whether the place's label survived the zoom and collision rules right now."""
        marker = self._markers.get(place_id)
        return marker is not None and marker.label.isVisible()

    def label_rect(self, place_id: str) -> QRectF | None:
        """Viewport rectangle of a visible label (for layout checks), else None."""
        marker = self._markers.get(place_id)
        if marker is None or not marker.label.isVisible():
            return None
        origin = QPointF(self.mapFromScene(marker.pos())) + marker.label.pos()
        w, h = marker.label.size()
        return QRectF(origin.x(), origin.y(), w, h)

    def place_view_pos(self, place_id: str) -> QPoint | None:
        """Viewport position (pixels) of a marker, e.g. to click it in tests."""
        marker = self._markers.get(place_id)
        return self.mapFromScene(marker.pos()) if marker is not None else None

    # ----------------------------------------------------------------------------- selection

    def select_place(self, place_id: str | None) -> bool:
        """Highlight one marker (None clears); centre on it if it is off-screen.

        Returns False, leaving nothing highlighted, for an id that has no marker (e.g. a
        place without coordinates). Does not emit ``placeClicked``.
        """
        if self._selected is not None and self._selected in self._markers:
            self._markers[self._selected].set_highlighted(False, self._label_font)
        marker = self._markers.get(place_id) if place_id is not None else None
        self._selected = place_id if marker is not None else None
        if marker is not None:
            marker.set_highlighted(True, self._selected_font)
            margin = 24
            inner = self.viewport().rect().adjusted(margin, margin, -margin, -margin)
            if not inner.contains(self.mapFromScene(marker.pos())):
                self.centerOn(marker.pos())
                self._user_moved = True  # a resize must not refit away from the selection
        self._layout_labels()
        return marker is not None

    def selected_place_id(self) -> str | None:
        """Id of the highlighted place, or None."""
        return self._selected

    def is_highlighted(self, place_id: str) -> bool:
        """Whether that place's marker is drawn highlighted."""
        marker = self._markers.get(place_id)
        return marker is not None and marker.highlighted

    # ----------------------------------------------------------------------------- zoom

    def km_per_pixel(self) -> float:
        """Ground distance of one horizontal pixel at the latitude of the view centre."""
        centre_lat, _ = unproject(self.mapToScene(self.viewport().rect().center()))
        stretch = math.cos(math.radians(centre_lat)) / _COS_REF
        return KM_PER_DEG_LAT * stretch / self.transform().m11()

    def zoom_level(self) -> float:
        """Current scale in pixels per scene unit (one degree of latitude)."""
        return self.transform().m11()

    def _min_scale(self) -> float:
        vp = self.viewport().rect()
        rect = self._scene.sceneRect()
        return min(vp.width() / rect.width(), vp.height() / rect.height())

    def _max_scale(self) -> float:
        return KM_PER_DEG_LAT / MIN_KM_PER_PX

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport px) fixed."""
        current = self.transform().m11()
        target = min(max(current * factor, self._min_scale()), self._max_scale())
        if math.isclose(target, current):
            return
        if anchor is None:
            anchor = self.viewport().rect().center()
        fixed = self.mapToScene(anchor)
        self.scale(target / current, target / current)
        # Scroll so that the scene point under the anchor is back under it.
        drift = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())
        self._user_moved = True
        self._layout_labels()

    def fit_region(self, bounds: tuple[float, float, float, float] = SOUTH_CAUCASUS) -> None:
        """Show (lon_min, lat_min, lon_max, lat_max), by default the South Caucasus."""
        lon_min, lat_min, lon_max, lat_max = bounds
        rect = QRectF(project(lat_max, lon_min), project(lat_min, lon_max))
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._user_moved = False
        self._layout_labels()

    def fit_places(self, place_ids: Iterable[str] | None = None) -> None:
        """Show the given places (all by default) with a margin; at least ~50 km across."""
        ids = list(place_ids) if place_ids is not None else list(self._markers)
        points = [self._markers[i].pos() for i in ids if i in self._markers]
        if not points:
            self.fit_region()
            return
        rect = QRectF(points[0], points[0])
        for p in points[1:]:
            rect = rect.united(QRectF(p, p))
        pad = max(0.25, 0.15 * max(rect.width(), rect.height()))
        rect = rect.adjusted(-pad, -pad, pad, pad)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._layout_labels()

    def scale_bar_km(self) -> float:
        """The round distance the scale bar currently shows."""
        return nice_scale_km(self.km_per_pixel() * self._scale_bar_max_px())

    def _scale_bar_max_px(self) -> float:
        return min(140.0, self.viewport().width() * 0.3)

    # ----------------------------------------------------------------------------- labels

    def _schedule_layout(self, _value: int = 0) -> None:
        self._layout_timer.start()

    def _layout_labels(self) -> None:
        """Greedy label placement in viewport pixels; see the module docstring."""
        self._layout_timer.stop()
        if not self._markers:
            return
        vp = QRectF(self.viewport().rect()).adjusted(2, 2, -2, -2)
        km_px = self.km_per_pixel()
        cell = 64.0
        # Obstacles carry a rank: a marker's tier, or -1 for labels and the scale bar,
        # which nothing may ever cover.
        grid: dict[tuple[int, int], list[tuple[QRectF, int]]] = {}

        def cells(r: QRectF) -> Iterable[tuple[int, int]]:
            for gx in range(int(r.left() // cell), int(r.right() // cell) + 1):
                for gy in range(int(r.top() // cell), int(r.bottom() // cell) + 1):
                    yield gx, gy

        def free(r: QRectF, may_cover_above: int) -> bool:
            """True if ``r`` hits no obstacle, ignoring markers of tier > may_cover_above."""
            r = r.adjusted(-1, -1, 1, 1)  # one pixel of air so neighbours never touch
            return not any(
                rank <= may_cover_above and o.intersects(r)
                for c in cells(r)
                for o, rank in grid.get(c, ())
            )

        def occupy(r: QRectF, rank: int) -> None:
            for c in cells(r):
                grid.setdefault(c, []).append((r, rank))

        occupy(self._scale_bar_rect(), -1)
        on_screen: list[tuple[_Marker, QPointF]] = []
        for marker in self._markers.values():
            pos = QPointF(self.mapFromScene(marker.pos()))
            r = marker.radius()
            if vp.adjusted(-r, -r, r, r).contains(pos):
                on_screen.append((marker, pos))
                # Visible markers are obstacles, so a label hides no symbol (but see below).
                occupy(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r), marker.style.tier)
            else:
                marker.label.setVisible(False)

        def priority(item: tuple[_Marker, QPointF]) -> tuple[int, int, int]:
            m = item[0]
            return (0 if m.highlighted else 1, m.style.tier, m.index)

        everything = 1 << 30
        for marker, pos in sorted(on_screen, key=priority):
            tier = marker.style.tier
            limit = _TIER_MAX_KM_PER_PX.get(tier)
            wanted = marker.highlighted or limit is None or km_px <= limit
            if not wanted or not marker.label.text():
                marker.label.setVisible(False)
                continue
            w, h = marker.label.size()
            r = marker.radius() + 2.0
            # Right, left, then above/below (right-aligned, centred): the usual order of
            # preference in cartography, as text to the right reads most naturally.
            offsets = (
                (r, -h / 2),
                (-r - w, -h / 2),
                (r * 0.6, -r * 0.6 - h),
                (r * 0.6, r * 0.6),
                (-w / 2, -r - h),
                (-w / 2, r),
                (-r * 0.6 - w, -r * 0.6 - h),
                (-r * 0.6 - w, r * 0.6),
            )
            # A capital ringed by suburbs would otherwise lose its name to their dots: the
            # selected label may, as a last resort, cover any marker, a tier-0 label the
            # markers of lesser places. Labels never cover labels.
            passes = [everything]
            if marker.highlighted:
                passes.append(-1)
            elif tier == 0:
                passes.append(0)
            placed = False
            for may_cover_above in passes:
                for dx, dy in offsets:
                    rect = QRectF(pos.x() + dx, pos.y() + dy, w, h)
                    if vp.contains(rect) and free(rect, may_cover_above):
                        occupy(rect, -1)
                        marker.label.setPos(dx, dy)
                        placed = True
                        break
                if placed:
                    break
            marker.label.setVisible(placed)

    def _scale_bar_rect(self) -> QRectF:
        """Viewport rectangle of the scale bar's backing box (shared by paint and layout)."""
        metrics = QFontMetricsF(self.font())
        km = self.scale_bar_km()
        length = km / self.km_per_pixel() if km > 0 else 0.0
        x0, y0 = 12.0, self.viewport().height() - 14.0
        return QRectF(
            x0 - 6,
            y0 - metrics.height() - 8,
            max(length, metrics.horizontalAdvance(f"{km:g} km")) + 12,
            metrics.height() + 16,
        )

    # ----------------------------------------------------------------------------- painting

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Sea inside the data box, neutral grey beyond it (no data there, not sea)."""
        rect = QRectF(rect)
        painter.fillRect(rect, _COLORS["outside"])
        painter.fillRect(rect.intersected(self._data_rect), _COLORS["sea"])

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Scale bar in the bottom-left corner, in viewport pixels."""
        km = self.scale_bar_km()
        if km <= 0:
            return
        length = km / self.km_per_pixel()
        text = f"{km:g} km"
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setFont(self.font())
        metrics = QFontMetricsF(self.font())
        box = self._scale_bar_rect()
        x0, y0 = box.left() + 6, box.bottom() - 8
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 190))
        painter.drawRect(box)
        pen = QPen(QColor("#222222"), 2.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + length, y0))
        painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0 + 1))
        painter.drawLine(QPointF(x0 + length, y0 - 5), QPointF(x0 + length, y0 + 1))
        painter.setPen(QColor("#222222"))
        painter.drawText(QPointF(x0, y0 - 5 - metrics.descent()), text)
        painter.restore()

    # ----------------------------------------------------------------------------- events

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_moved:
            self.fit_region()
        else:
            self._layout_labels()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._user_moved:
            self.fit_region()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps == 0:
            event.ignore()
            return
        self.zoom_by(WHEEL_STEP**steps, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(WHEEL_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / WHEEL_STEP)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit_region()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_pos is not None and (
            (event.position().toPoint() - self._press_pos).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._user_moved = True  # a drag-pan: stop refitting on resize
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        # The view consumed the press (pan or click), so it owns the release too; the
        # scene leaves it unaccepted because no item takes mouse buttons.
        event.accept()
        pos = event.position().toPoint()
        moved = (pos - self._press_pos).manhattanLength()
        self._press_pos = None
        if moved >= QApplication.startDragDistance():
            return  # that was a pan, not a click
        place_id = self._place_at(pos)
        if place_id is not None:
            self.select_place(place_id)
            self.placeClicked.emit(place_id)

    def _place_at(self, pos: QPoint, slack: int = 4) -> str | None:
        """Topmost marker (or visible label) at ``pos``, allowing a few pixels of slack."""
        area = QRect(pos.x() - slack, pos.y() - slack, 2 * slack + 1, 2 * slack + 1)
        best: tuple[float, str] | None = None
        for item in self.items(area):
            if isinstance(item, _Label) and item.isVisible():
                item = item.parentItem()
            if isinstance(item, _Marker):
                centre = QPointF(self.mapFromScene(item.pos()))
                d = math.hypot(centre.x() - pos.x(), centre.y() - pos.y())
                # Exact hits on the topmost item come first in items(); prefer the nearest
                # centre among the candidates so a click between two dots picks the closer.
                if best is None or d < best[0]:
                    best = (d, item.place.id)
        return best[1] if best is not None else None
