"""The place card: everything known about one place, laid out for reading and copying.

Header (display name under the naming profile, role, parent chain as clickable crumbs),
coordinates in decimal and DMS with copy buttons, names grouped by language with kind,
period, source and who uses them, a timeline of the dated names, the population series as a
small chart with its sources, nearby places with distance and direction (click to open), and
the sources. The card only displays: it is handed a ``PlaceDetails`` and the nearby list, and
asks for another place through ``placeActivated``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gazetteer.geo import format_decimal, format_dms
from gazetteer.hierarchy import Hierarchy, Link
from gazetteer.model import Name, Place, PlaceDetails
from gazetteer.nearby import NearbyPlace
from ui.card_models import NAME_ROLE, PLACE_ID_ROLE, NamesModel, NearbyModel
from ui.charts import NameTimeline, PopulationChart

Namer = Callable[[Place], str]

#: Places listed under "Contains" before "and N more".
CONTAINS_SHOWN = 12
#: Below this width the card stacks its two columns.
TWO_COLUMN_WIDTH = 640


def _section(title: str) -> QLabel:
    label = QLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 8, 0, 2)
    return label


def names_as_text(names: Sequence[Name]) -> str:
    """All names as tab-separated lines (language, kind, period, text) for the clipboard."""
    return "\n".join(
        "\t".join((n.lang, n.kind + (" (preferred)" if n.preferred else ""), n.period, n.text))
        for n in names
    )


class _FitTreeView(QTreeView):
    """A tree that asks for the height of all its rows, so the card scrolls, not the tree."""

    def sizeHint(self):  # type: ignore[no-untyped-def]
        hint = super().sizeHint()
        model = self.model()
        rows = 0
        if model is not None:
            rows = model.rowCount()
            for r in range(model.rowCount()):
                if self.isExpanded(model.index(r, 0)):
                    rows += model.rowCount(model.index(r, 0))
        row_h = self.sizeHintForRow(0) if rows else self.fontMetrics().height() + 6
        header = self.header().sizeHint().height() if not self.isHeaderHidden() else 0
        hint.setHeight(header + max(rows, 1) * max(row_h, 1) + 2 * self.frameWidth() + 2)
        return hint


class PlaceCard(QScrollArea):
    """Shows one place; emits ``placeActivated(id)`` when a crumb or a nearby place is clicked."""

    placeActivated = Signal(str)

    def __init__(self, namer: Namer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placeCard")
        self._namer = namer
        self._details: PlaceDetails | None = None
        self._hierarchy: Hierarchy | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

        body = QWidget()
        body.setObjectName("placeCardBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(10, 6, 10, 10)

        self.placeholder = QLabel(
            "Type a name in any script above — Xankəndi, Ханкенди, Շուշի, Shushi — "
            "then press Enter to open a place here."
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #666;")
        outer.addWidget(self.placeholder)

        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.content)
        outer.addStretch(1)

        # -- header
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        content.addWidget(self.title)

        crumbs_row = QHBoxLayout()
        crumbs_row.setSpacing(2)
        self.role_label = QLabel()
        crumbs_row.addWidget(self.role_label)
        self._crumbs = QHBoxLayout()
        self._crumbs.setSpacing(0)
        crumbs_row.addLayout(self._crumbs)
        crumbs_row.addSpacing(24)
        content.addLayout(crumbs_row)
        self.crumb_buttons: list[QToolButton] = []

        # Coordinates share the line with the crumbs: the card's top stays three lines short.
        coords_row = crumbs_row
        self.coords_label = QLabel()
        self.coords_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        coords_row.addWidget(self.coords_label)
        self.copy_decimal_button = QPushButton("Copy")
        self.copy_decimal_button.setToolTip("Copy the coordinates in decimal degrees")
        self.copy_decimal_button.clicked.connect(self.copy_decimal)
        self.copy_dms_button = QPushButton("Copy DMS")
        self.copy_dms_button.setToolTip("Copy the coordinates in degrees, minutes, seconds")
        self.copy_dms_button.clicked.connect(self.copy_dms)
        for button in (self.copy_decimal_button, self.copy_dms_button):
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            coords_row.addWidget(button)
        coords_row.addStretch(1)

        # What the place is and was part of (dated), and what it contains: links to open.
        self.hierarchy_label = QLabel()
        self.hierarchy_label.setObjectName("hierarchyLabel")
        self.hierarchy_label.setWordWrap(True)
        self.hierarchy_label.setTextFormat(Qt.TextFormat.RichText)
        self.hierarchy_label.linkActivated.connect(self._link_activated)
        content.addWidget(self.hierarchy_label)

        # -- names across the whole card (their columns need the width), then two columns:
        #    timeline and population | nearby places
        content.addSpacing(6)
        self.names_model = NamesModel(self)
        self.names_view = _FitTreeView()
        self.names_view.setObjectName("namesView")
        self.names_view.setModel(self.names_model)
        self.names_view.setRootIsDecorated(False)
        self.names_view.setUniformRowHeights(True)
        self.names_view.setAlternatingRowColors(True)
        self.names_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Long source titles are elided (full text in the tooltip) rather than scrolled to.
        self.names_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.names_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.names_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.names_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.names_view.customContextMenuRequested.connect(self._names_menu)
        self.names_view.header().setStretchLastSection(True)
        # Fitting columns measures rows; imported places can have hundreds of names, and the
        # first few dozen are representative enough.
        self.names_view.header().setResizeContentsPrecision(40)
        content.addWidget(self.names_view)

        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._columns.setSpacing(16)
        content.addLayout(self._columns)

        left = QVBoxLayout()
        left.addWidget(_section("Name timeline"))
        self.timeline = NameTimeline()
        left.addWidget(self.timeline)
        left.addWidget(_section("Population"))
        # The chart is as wide as its bars need; the numbered sources sit beside it.
        population_row = QHBoxLayout()
        self.population = PopulationChart()
        population_row.addWidget(self.population, 0, Qt.AlignmentFlag.AlignTop)
        self.population_sources = QLabel()
        self.population_sources.setWordWrap(True)
        self.population_sources.setStyleSheet("color: #555;")
        self.population_sources.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.population_sources.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        population_row.addWidget(self.population_sources, 1)
        left.addLayout(population_row)
        left.addStretch(1)
        self._columns.addLayout(left, 1)

        right = QVBoxLayout()
        right.addWidget(_section("Nearby"))
        self.nearby_model = NearbyModel(namer, self)
        self.nearby_view = QTableView()
        self.nearby_view.setObjectName("nearbyView")
        self.nearby_view.setModel(self.nearby_model)
        self.nearby_view.verticalHeader().hide()
        self.nearby_view.setShowGrid(False)
        self.nearby_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.nearby_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.nearby_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.nearby_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.nearby_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.nearby_view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.nearby_view.clicked.connect(self._nearby_clicked)
        self.nearby_view.activated.connect(self._nearby_clicked)
        right.addWidget(self.nearby_view)
        self.nearby_empty = QLabel()
        self.nearby_empty.setWordWrap(True)
        self.nearby_empty.setStyleSheet("color: #666;")
        right.addWidget(self.nearby_empty)
        right.addStretch(1)
        self._columns.addLayout(right, 1)

        content.addWidget(_section("Sources"))
        self.sources_label = QLabel()
        self.sources_label.setWordWrap(True)
        self.sources_label.setOpenExternalLinks(True)
        self.sources_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        content.addWidget(self.sources_label)

        self.setWidget(body)
        self.content.hide()

    # -- showing ----------------------------------------------------------------------------

    def place(self) -> Place | None:
        """The place shown, or None."""
        return self._details.place if self._details else None

    def details(self) -> PlaceDetails | None:
        """Everything shown about the place."""
        return self._details

    def clear(self) -> None:
        """Show the placeholder."""
        self._details = None
        self.content.hide()
        self.placeholder.show()

    def set_namer(self, namer: Namer) -> None:
        """Re-render under another naming profile."""
        self._namer = namer
        self.nearby_model.set_namer(namer)
        if self._details is not None:
            self._render_header(self._details)

    def show_place(
        self,
        details: PlaceDetails,
        nearby: Sequence[NearbyPlace] = (),
        nearby_note: str = "",
        hierarchy: Hierarchy | None = None,
    ) -> None:
        """Show ``details``; ``nearby`` rows (nearest first), or ``nearby_note`` if none;
        ``hierarchy`` adds the dated part-of links and what the place contains."""
        self._details = details
        self._hierarchy = hierarchy
        place = details.place
        self._render_header(details)
        if place.lat is not None and place.lon is not None:
            self.coords_label.setText(
                f"{format_decimal(place.lat, place.lon)}   ·   {format_dms(place.lat, place.lon)}"
            )
        else:
            self.coords_label.setText("No coordinates recorded.")
        has_coords = place.lat is not None and place.lon is not None
        self.copy_decimal_button.setVisible(has_coords)
        self.copy_dms_button.setVisible(has_coords)

        self.names_model.set_names(place.names)
        self.names_view.expandAll()
        # Name, kind, period and used-by fit their contents; the source takes what is left.
        for column in range(self.names_model.columnCount() - 1):
            self.names_view.resizeColumnToContents(column)
        self.names_view.setColumnWidth(0, max(self.names_view.columnWidth(0) + 8, 140))
        self.names_view.updateGeometry()

        self.timeline.set_names(place.names)
        sources = self.population.set_populations(details.populations)
        self.population_sources.setText("\n".join(f"[{i}] {s}" for i, s in enumerate(sources, 1)))
        self.population_sources.setVisible(bool(sources))

        self.nearby_model.set_nearby(nearby)
        self.nearby_view.setVisible(bool(nearby))
        self.nearby_view.resizeColumnsToContents()
        self.nearby_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rows = min(len(nearby), 8)
        self.nearby_view.setFixedHeight(
            self.nearby_view.horizontalHeader().sizeHint().height()
            + rows * self.nearby_view.verticalHeader().defaultSectionSize()
            + 4
        )
        self.nearby_empty.setText(nearby_note)
        self.nearby_empty.setVisible(not nearby and bool(nearby_note))

        links = []
        for source in details.sources:
            url = source.url or (source.citation if source.citation.startswith("http") else None)
            text = _escape(source.citation)
            links.append(f'<a href="{_escape(url)}">{text}</a>' if url else text)
        self.sources_label.setText("<br>".join(links) if links else "No sources recorded.")

        self.placeholder.hide()
        self.content.show()
        self.verticalScrollBar().setValue(0)

    def _render_header(self, details: PlaceDetails) -> None:
        place = details.place
        self.hierarchy_label.setText(self._hierarchy_html())
        self.hierarchy_label.setVisible(bool(self.hierarchy_label.text()))
        self.title.setText(self._namer(place))
        self.title.setToolTip(place.id)
        self.role_label.setText(f"{place.role} · in" if details.parent_chain else place.role)
        for button in self.crumb_buttons:
            self._crumbs.removeWidget(button)
            button.deleteLater()
        while self._crumbs.count():
            item = self._crumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.crumb_buttons = []
        # Nearest parent first, as people say it: "Shusha District › Azerbaijan".
        for i, parent in enumerate(details.parent_chain):
            if i:
                self._crumbs.addWidget(QLabel("›"))
            button = QToolButton()
            button.setText(self._namer(parent))
            button.setToolTip(f"Open {parent.id} ({parent.role})")
            button.setAutoRaise(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("QToolButton { color: #1a5fb4; }")
            button.setProperty("place_id", parent.id)
            button.clicked.connect(lambda _=False, pid=parent.id: self.placeActivated.emit(pid))
            self._crumbs.addWidget(button)
            self.crumb_buttons.append(button)

    def _link(self, link: Link) -> str:
        chain = " › ".join(self._namer(p) for p in link.chain)
        text = _escape(self._namer(link.other) + (f" ({chain})" if chain else ""))
        period = f" {link.period}" if link.period else ""
        return f'<a href="place:{_escape(link.other.id)}">{text}</a>{period}'

    def _hierarchy_html(self) -> str:
        """ "Part of" (every recorded link, dated ones with their period) and "Contains"."""
        hierarchy = self._hierarchy
        if hierarchy is None:
            return ""
        lines = []
        # The current parent alone is already the crumbs; say more only when there is more.
        if any(link.dated for link in hierarchy.part_of) or len(hierarchy.part_of) > 1:
            lines.append("Part of: " + " · ".join(self._link(k) for k in hierarchy.part_of))
        if hierarchy.contains:
            shown = [self._link(k) for k in hierarchy.contains[:CONTAINS_SHOWN]]
            more = len(hierarchy.contains) - len(shown)
            lines.append(
                f"Contains ({len(hierarchy.contains)}): "
                + ", ".join(shown)
                + (f" and {more} more" if more > 0 else "")
            )
        return "<br>".join(lines)

    def _link_activated(self, href: str) -> None:
        if href.startswith("place:"):
            self.placeActivated.emit(href.removeprefix("place:"))

    # -- copying ----------------------------------------------------------------------------

    def copy_decimal(self) -> None:
        """Copy the coordinates as decimal degrees."""
        place = self.place()
        if place is not None and place.lat is not None and place.lon is not None:
            QGuiApplication.clipboard().setText(format_decimal(place.lat, place.lon))

    def copy_dms(self) -> None:
        """Copy the coordinates as degrees, minutes and seconds."""
        place = self.place()
        if place is not None and place.lat is not None and place.lon is not None:
            QGuiApplication.clipboard().setText(format_dms(place.lat, place.lon))

    def selected_name(self) -> Name | None:
        """The name selected in the names list, if any."""
        index = self.names_view.currentIndex()
        name = index.siblingAtColumn(0).data(NAME_ROLE) if index.isValid() else None
        return name if isinstance(name, Name) else None

    def _names_menu(self, pos: QPoint) -> None:
        index = self.names_view.indexAt(pos)
        menu = QMenu(self)
        name = index.siblingAtColumn(0).data(NAME_ROLE) if index.isValid() else None
        if isinstance(name, Name):
            menu.addAction(
                f"Copy “{name.text}”", lambda: QGuiApplication.clipboard().setText(name.text)
            )
        menu.addAction(
            "Copy all names",
            lambda: QGuiApplication.clipboard().setText(names_as_text(self.names_model.names())),
        )
        menu.popup(self.names_view.viewport().mapToGlobal(pos))

    def _nearby_clicked(self, index: QModelIndex) -> None:
        place_id = index.data(PLACE_ID_ROLE)
        if place_id:
            self.placeActivated.emit(str(place_id))

    # -- layout -----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = self.viewport().width() >= TWO_COLUMN_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
