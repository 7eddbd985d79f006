"""The main window: search as you type, results, the place card and the map, keyboard first.

Layout: a toolbar with the search field, the naming-profile selector and the target-language
selector; the results table across the top; the place card and the map side by side below;
a status line with the hit count and search time.

The translator's flow is all keyboard: Ctrl+F / Ctrl+L focus the search; typing searches (on
a worker thread, newest query wins); Up/Down move through the results without leaving the
field; Enter opens the card; Ctrl+C copies the place's name in the target language. Moving
through the results highlights the place on the map; opening it (Enter, a click, a marker,
a crumb or a nearby place) fills the card.

The window talks only to the ``Gazetteer`` façade. Searching runs on the search worker;
opening a card and copying are single indexed reads done on the GUI thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gazetteer.errors import GazetteerError, NotFoundError, StorageError
from gazetteer.facade import Gazetteer
from gazetteer.geo import format_decimal, format_dms
from gazetteer.model import CORE_LANGUAGES, Place
from gazetteer.nearby import NearbyPlace, NoCoordinatesError
from gazetteer.profiles import DEFAULT_PROFILE_ID, NamingProfile, render
from gazetteer.search import SearchHit
from ui.about import about_html, show_about
from ui.card_models import language_label
from ui.errors import show_storage_error
from ui.export_dialog import ExportDialog
from ui.import_dialog import ImportDialog
from ui.map_view import DEFAULT_GEOJSON, SOUTH_CAUCASUS, MapPlace, MapView
from ui.normalise_window import NormaliseWindow
from ui.place_card import PlaceCard, names_as_text
from ui.results_model import PLACE_ID_ROLE, Column, ResultEntry, ResultsModel
from ui.search_worker import DEBOUNCE_MS, SearchController, SearchOutcome
from ui.settings import Settings

#: Most hits a search returns to the table (the model is lazy, so this bounds only the search).
SEARCH_LIMIT = 200
#: Hits in the first stage of a search: a screenful, shown (and drawn on the map) at once.
FIRST_PAGE = 12
#: Radius of the card's "nearby" list, and how many places it shows.
NEARBY_KM = 15.0
NEARBY_ROWS = 12
#: Half the map's width and height in degrees (lon, lat) around an opened place.
MAP_HALF_SPAN = (2.4, 1.5)
#: Capitals and cities in the map's box are drawn as landmarks (the largest first).
CONTEXT_ROLES = ("capital", "city")
CONTEXT_LIMIT = 40


@dataclass
class SearchPayload:
    """One stage of a search's answer: rows, the places loaded with them, and display names
    rendered on the worker under the profile ``profile_id``.

    The first stage holds the first ``FIRST_PAGE`` hits (what the table shows at once); the
    second, if there are more, all hits up to ``SEARCH_LIMIT``.
    """

    entries: list[ResultEntry]
    places: dict[str, Place] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    profile_id: str = ""
    first: bool = True
    complete: bool = True


def _places_of(hits: Sequence[SearchHit]) -> dict[str, Place]:
    """The hits' places and their parents, by id."""
    places: dict[str, Place] = {}
    for hit in hits:
        places[hit.place.id] = hit.place
        if hit.parent is not None:
            places.setdefault(hit.parent.id, hit.parent)
    return places


def entry_from_hit(hit: SearchHit) -> ResultEntry:
    """A table row from one search hit (the place and the stored name that matched)."""
    matched = hit.matched
    return ResultEntry(
        place_id=hit.place.id,
        matched_text=matched.text,
        matched_lang=matched.lang,
        matched_kind=matched.kind,
        tier=matched.tier,
        score=matched.score,
    )


class MainWindow(QMainWindow):
    """The gazetteer's window over one open ``Gazetteer``."""

    #: Emitted when a result list has been put in the table (painting follows in this turn
    #: of the event loop).
    results_shown = Signal(str)
    #: Emitted when every hit of a search is in the table (after ``results_shown``, at once
    #: when the first screenful was all there is).
    results_completed = Signal(str)
    #: Emitted after the card shows a place.
    place_opened = Signal(str)

    def __init__(
        self,
        gazetteer: Gazetteer,
        settings: Settings,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        first_page: int = FIRST_PAGE,
        font_warning: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.gazetteer = gazetteer
        self.settings = settings
        self._results_query: str | None = None  # the query the table shows results for
        self._open_on_results = False
        self._map_places: dict[str, Place] = {}
        self._context: list[Place] = []  # cities around the open place, for orientation
        self._names: dict[str, str] = {}  # place id -> display name under the profile
        self._first_page = first_page
        self._totals = gazetteer.totals()
        self.normalise_window: NormaliseWindow | None = None
        self.import_dialog: ImportDialog | None = None
        self.setWindowTitle(f"Caucasus Gazetteer — {gazetteer.path.name if gazetteer.path else ''}")

        # -- naming profile
        self._profiles: list[NamingProfile] = gazetteer.naming_profiles()
        wanted = settings.get("naming/profile") or DEFAULT_PROFILE_ID
        self._profile = next((p for p in self._profiles if p.id == wanted), self._profiles[0])

        # -- toolbar: search, profile, target language
        toolbar = QToolBar("Search")
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(
            "Search any name in any script — Xankəndi, Ханкенди, Շուշի, Shushi   (Ctrl+F)"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(360)
        toolbar.addWidget(self.search_edit)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Profile "))
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        for profile in self._profiles:
            self.profile_combo.addItem(profile.title, profile.id)
            self.profile_combo.setItemData(
                self.profile_combo.count() - 1, profile.description, Qt.ItemDataRole.ToolTipRole
            )
        self.profile_combo.setCurrentIndex(self._profiles.index(self._profile))
        toolbar.addWidget(self.profile_combo)
        toolbar.addWidget(QLabel("  Copy in "))
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetCombo")
        for lang in CORE_LANGUAGES:
            self.target_combo.addItem(language_label(lang), lang)
        target = settings.get("naming/target_language")
        self.target_combo.setCurrentIndex(max(self.target_combo.findData(target), 0))
        self.target_combo.setToolTip("The language Ctrl+C copies a place's name in")
        toolbar.addWidget(self.target_combo)

        # -- font warning banner (only when a script would show as boxes)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        self.font_banner = QLabel(font_warning or "")
        self.font_banner.setObjectName("fontBanner")
        self.font_banner.setWordWrap(True)
        self.font_banner.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 6px;")
        self.font_banner.setVisible(bool(font_warning))
        column.addWidget(self.font_banner)

        # -- results
        self.results_model = ResultsModel(gazetteer.places, self.display_name, self)
        self.results_view = QTableView()
        self.results_view.setObjectName("resultsView")
        self.results_view.setModel(self.results_model)
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setShowGrid(False)
        self.results_view.setWordWrap(False)
        self.results_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.results_view.verticalHeader().hide()
        header = self.results_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((Column.NAME, 200), (Column.MATCHED, 150), (Column.LANG, 50),
                           (Column.ROLE, 80), (Column.PARENT, 150), (Column.EN, 130),
                           (Column.AZ, 130), (Column.HY, 130)):  # fmt: skip
            header.resizeSection(col, width)
        self.results_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results_view.customContextMenuRequested.connect(self._results_menu)

        # -- card and map
        self.card = PlaceCard(self.display_name)
        self.card.placeActivated.connect(self.open_place)
        self.map_view = MapView()
        self.map_view.setObjectName("mapView")
        self.map_view.placeClicked.connect(self._map_clicked)

        self.lower_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lower_splitter.setObjectName("lowerSplitter")
        self.lower_splitter.addWidget(self.card)
        self.lower_splitter.addWidget(self.map_view)
        self.lower_splitter.setStretchFactor(0, 3)
        self.lower_splitter.setStretchFactor(1, 2)
        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.results_view)
        self.main_splitter.addWidget(self.lower_splitter)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 5)
        column.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

        # -- status line
        self.status_label = QLabel("Type a name to search.")
        self.status_label.setObjectName("statusLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.db_label = QLabel(self._totals_text())
        self.db_label.setObjectName("dbLabel")
        self.db_label.setStyleSheet("color: #666;")
        self.statusBar().addPermanentWidget(self.db_label)

        # -- searching
        self.search = SearchController(self._run_search, debounce_ms, self)
        self.search.finished.connect(self._on_results)
        self.search.failed.connect(self._on_search_failed)
        self.search_edit.textChanged.connect(self._on_text_changed)
        self.search_edit.returnPressed.connect(self._on_return)
        self.search_edit.installEventFilter(self)
        self.results_view.installEventFilter(self)
        self.results_view.activated.connect(self._on_row_activated)
        self.results_view.clicked.connect(self._on_row_activated)
        self.results_view.selectionModel().currentRowChanged.connect(self._on_current_row)

        self.profile_combo.currentIndexChanged.connect(self._on_profile_changed)
        self.target_combo.currentIndexChanged.connect(self._on_target_changed)

        self._build_actions()
        self._restore_geometry()
        self._show_region_landmarks()

    def _show_region_landmarks(self) -> None:
        # Before any search (and with no card open) the map shows the region's capitals and
        # cities, not empty land.
        lon_min, lat_min, lon_max, lat_max = SOUTH_CAUCASUS
        self._context = self._landmarks((lat_min, lon_min, lat_max, lon_max))
        self._update_map_markers()

    # -- actions and menus ------------------------------------------------------------------

    def _build_actions(self) -> None:
        menu_file = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import_dialog)
        menu_file.addAction(self.import_action)
        self.export_action = QAction("&Export to CSV…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.open_export_dialog)
        menu_file.addAction(self.export_action)
        menu_file.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu_file.addAction(quit_action)

        menu_edit = self.menuBar().addMenu("&Edit")
        self.find_action = QAction("&Find", self)
        self.find_action.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("Ctrl+L")])
        self.find_action.triggered.connect(self.focus_search)
        menu_edit.addAction(self.find_action)
        self.copy_action = QAction("&Copy name in target language", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.triggered.connect(self.copy_target_name)
        menu_edit.addAction(self.copy_action)
        copy_all = QAction("Copy &all names", self)
        copy_all.setShortcut(QKeySequence("Ctrl+Shift+C"))
        copy_all.triggered.connect(lambda: self._copy_all_names(self.current_place()))
        menu_edit.addAction(copy_all)
        copy_coords = QAction("Copy c&oordinates", self)
        copy_coords.setShortcut(QKeySequence("Ctrl+Alt+C"))
        copy_coords.triggered.connect(
            lambda: self._copy_coordinates(self.current_place(), dms=False)
        )
        menu_edit.addAction(copy_coords)

        menu_view = self.menuBar().addMenu("&View")
        self.open_action = QAction("&Open selected place", self)
        self.open_action.triggered.connect(self.open_current)
        menu_view.addAction(self.open_action)
        fit = QAction("Show the whole &region on the map", self)
        fit.triggered.connect(lambda: self.map_view.fit_region())
        menu_view.addAction(fit)

        menu_tools = self.menuBar().addMenu("&Tools")
        self.normalise_action = QAction("&Normalise place names in a text…", self)
        self.normalise_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.normalise_action.triggered.connect(self.open_normalise_window)
        menu_tools.addAction(self.normalise_action)

        menu_help = self.menuBar().addMenu("&Help")
        about = QAction("&About", self)
        about.triggered.connect(self.show_about)
        menu_help.addAction(about)

    # -- naming -----------------------------------------------------------------------------

    @property
    def profile(self) -> NamingProfile:
        """The naming profile everything is rendered under."""
        return self._profile

    def display_name(self, place: Place) -> str:
        """``place`` as the current naming profile writes it (cached per place id: the same
        places come back keystroke after keystroke, and the map labels all of them)."""
        text = self._names.get(place.id)
        if text is None:
            text = self._names[place.id] = render(place, self._profile, first_mention=True)
        return text

    def target_language(self) -> str:
        """The language Ctrl+C copies names in."""
        return str(self.target_combo.currentData())

    def _on_profile_changed(self, index: int) -> None:
        self._profile = self._profiles[index]
        self._names.clear()
        self.settings.set("naming/profile", self._profile.id)
        self.results_model.set_namer(self.display_name)
        self.card.set_namer(self.display_name)
        self.map_view.set_labels({pid: self.display_name(p) for pid, p in self._map_places.items()})

    def _on_target_changed(self, _index: int) -> None:
        self.settings.set("naming/target_language", self.target_language())

    # -- searching --------------------------------------------------------------------------

    def _run_search(self, query: str) -> Iterator[SearchPayload]:
        """Runs on the search worker, in two stages: the first screenful of hits with their
        display names rendered (so the GUI thread only paints), then, if there are more, all
        hits up to ``SEARCH_LIMIT`` (skipped when a newer query is already waiting)."""
        if not query.strip():
            yield SearchPayload([])
            return
        profile = self._profile  # immutable; a profile change re-renders on the GUI side
        hits = self.gazetteer.search(query, limit=self._first_page)
        complete = len(hits) < self._first_page
        places = _places_of(hits)
        # Names already rendered for an earlier keystroke are reused (a read of the GUI's
        # cache; if the profile changed meanwhile, the GUI drops this stage's labels anyway).
        cache = self._names
        labels = {
            pid: cache.get(pid) or render(p, profile, first_mention=True)
            for pid, p in places.items()
        }
        yield SearchPayload([entry_from_hit(h) for h in hits], places, labels, profile.id,
                            first=True, complete=complete)  # fmt: skip
        if complete:
            return
        hits = self.gazetteer.search(query, limit=SEARCH_LIMIT)
        yield SearchPayload([entry_from_hit(h) for h in hits], _places_of(hits),
                            profile_id=profile.id, first=False, complete=True)  # fmt: skip

    def _on_text_changed(self, text: str) -> None:
        self.search.set_query(text)

    def _on_results(self, outcome: SearchOutcome) -> None:
        payload: SearchPayload = outcome.result
        query = outcome.query
        if payload.profile_id == self._profile.id:
            self._names.update(payload.labels)
        self._show_status(query, len(payload.entries), payload.complete, outcome.elapsed_ms)
        if not payload.first:
            self._extend_results(payload)
            self.results_completed.emit(query)
            return
        self._results_query = query
        self.results_model.set_results(payload.entries, payload.places)
        count = len(payload.entries)
        if count:
            self.results_view.selectionModel().setCurrentIndex(
                self.results_model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_map_markers()
        if self._open_on_results:
            self._open_on_results = False
            self.open_current()
        self.results_shown.emit(query)
        if payload.complete:
            self.results_completed.emit(query)

    def _show_status(self, query: str, count: int, complete: bool, elapsed_ms: float) -> None:
        if not query.strip():
            self.status_label.setText("Type a name to search.")
        elif count == 0:
            self.status_label.setText(f"No place matches “{query}” · {elapsed_ms:.1f} ms")
        else:
            more = "+" if count >= SEARCH_LIMIT or not complete else ""
            self.status_label.setText(
                f"{count}{more} place{'s' if count != 1 else ''} for “{query}” · "
                f"{elapsed_ms:.1f} ms"
            )

    def _extend_results(self, payload: SearchPayload) -> None:
        """The second stage: append the hits beyond the first screenful. If the ranking of
        the first ones moved (it should not), replace all rows, keeping the current place."""
        shown = self.results_model.place_ids()
        if [e.place_id for e in payload.entries[: len(shown)]] == shown:
            self.results_model.extend(payload.entries[len(shown) :], payload.places)
            return
        current = self.current_result_id()
        self.results_model.set_results(payload.entries, payload.places)
        row = self.results_model.row_of(current) if current else None
        if row is not None:
            self.results_view.selectionModel().setCurrentIndex(
                self.results_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _on_search_failed(self, outcome: SearchOutcome) -> None:
        error = outcome.error
        if isinstance(error, StorageError):
            show_storage_error(self, error)
            self.status_label.setText("Search failed: the database reported a problem.")
            return
        self.status_label.setText(f"Search failed for “{outcome.query}”.")
        assert error is not None
        raise error  # a bug: let the crash dialog show it with its traceback

    def results_are_current(self) -> bool:
        """True when the table shows the results of the text now in the search field."""
        return self._results_query == self.search_edit.text() and self.search.is_idle()

    def focus_search(self) -> None:
        """Ctrl+F / Ctrl+L: put the cursor in the search field, its text selected."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- results and the map ----------------------------------------------------------------

    def _update_map_markers(self, extra: Sequence[Place] = ()) -> None:
        """Markers for the first screenful of results (whose names the worker rendered), the
        open place, its neighbours and the cities around it."""
        places: dict[str, Place] = {}
        for pid in self.results_model.place_ids()[: self._first_page]:
            place = self.results_model.cached_place(pid)
            if place is not None and place.lat is not None and place.lon is not None:
                places[pid] = place
        shown = self.card.place()
        for place in (
            *extra,
            *([shown] if shown else []),
            *(n.place for n in self.card.nearby_model.nearby()),
            *self._context,
        ):
            if place.lat is not None and place.lon is not None:
                places.setdefault(place.id, place)
        self._map_places = places
        self.map_view.set_places([
            MapPlace(p.id, self.display_name(p), float(p.lat), float(p.lon), p.role)  # type: ignore[arg-type]
            for p in places.values()
        ])  # fmt: skip
        current = self.current_result_id()
        self.map_view.select_place(current if current in places else (shown.id if shown else None))

    def current_result_id(self) -> str | None:
        """Place id of the current results row, or None."""
        index = self.results_view.currentIndex()
        return str(index.data(PLACE_ID_ROLE)) if index.isValid() else None

    def current_place(self) -> Place | None:
        """The place copy commands act on: the card's when the card has focus, else the
        current results row's, else the card's."""
        focus = QGuiApplication.focusObject()
        card_place = self.card.place()
        if card_place is not None and isinstance(focus, QWidget) and self.card.isAncestorOf(focus):
            return card_place
        index = self.results_view.currentIndex()
        if index.isValid():
            return self.results_model.place_at(index.row())
        return card_place

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.map_view.select_place(str(current.data(PLACE_ID_ROLE)))

    def _on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_place(str(index.data(PLACE_ID_ROLE)))

    def _on_return(self) -> None:
        """Enter in the search field opens the current result — once the results for what
        was typed have arrived (Enter right after typing must not open a stale row)."""
        if self.results_are_current():
            self.open_current()
        else:
            self._open_on_results = True
            self.search.search_now(self.search_edit.text())

    def open_current(self) -> None:
        """Open the card of the current results row."""
        place_id = self.current_result_id()
        if place_id is not None:
            self.open_place(place_id)

    def _map_clicked(self, place_id: str) -> None:
        row = self.results_model.row_of(place_id)
        if row is not None:
            self.results_view.selectionModel().setCurrentIndex(
                self.results_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.results_view.scrollTo(self.results_model.index(row, 0))
        self.open_place(place_id, fit_map=False)

    def open_place(self, place_id: str, *, fit_map: bool = True, reload: bool = False) -> None:
        """Show a place on the card, its neighbours on the map, and select it there.

        The map zooms to the place and its neighbours unless ``fit_map`` is false (a click
        on the map itself: the user chose that view). The place already on the card is only
        selected on the map, unless ``reload`` (its data changed) reads it again.
        """
        current = self.card.place()
        if (
            not reload
            and current is not None
            and current.id == place_id
            and self.card.content.isVisible()
        ):
            self.map_view.select_place(place_id)
            return
        try:
            details = self.gazetteer.details(place_id)
        except NotFoundError:
            self.status_label.setText(f"{place_id} is no longer in the gazetteer.")
            return
        nearby: list[NearbyPlace] = []
        note = ""
        try:
            nearby = self.gazetteer.nearby(place_id, NEARBY_KM)[:NEARBY_ROWS]
            if not nearby:
                note = f"Nothing else recorded within {NEARBY_KM:g} km."
        except NoCoordinatesError:
            note = "No coordinates recorded, so nothing can be placed near it."
        self.card.show_place(details, nearby, note, self.gazetteer.hierarchy(place_id))
        if details.place.lat is not None and details.place.lon is not None:
            lat, lon = details.place.lat, details.place.lon
            half_lon, half_lat = MAP_HALF_SPAN
            self._context = self._landmarks((lat - half_lat, lon - half_lon,
                                             lat + half_lat, lon + half_lon))  # fmt: skip
        row = self.results_model.row_of(place_id)
        if row is not None and self.results_view.currentIndex().row() != row:
            self.results_view.selectionModel().setCurrentIndex(
                self.results_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_map_markers([details.place])
        place = details.place
        if fit_map and place.lat is not None and place.lon is not None:
            # Wide enough (about 250 km) that borders, rivers and coast show: a map zoomed to
            # a few villages is blank land that says nothing about where they are.
            self.map_view.fit_region(
                (
                    place.lon - MAP_HALF_SPAN[0],
                    place.lat - MAP_HALF_SPAN[1],
                    place.lon + MAP_HALF_SPAN[0],
                    place.lat + MAP_HALF_SPAN[1],
                )
            )
        self.map_view.select_place(place_id)
        self.place_opened.emit(place_id)

    def _landmarks(self, box: tuple[float, float, float, float]) -> list[Place]:
        """Capitals and cities inside ``box`` (south, west, north, east), largest first, so
        the map has recognisable places on it."""
        ids = self.gazetteer.select_places(roles=CONTEXT_ROLES, within=box) or []
        places = sorted(self.gazetteer.places(ids), key=lambda p: -p.importance)
        return places[:CONTEXT_LIMIT]

    # -- copying ----------------------------------------------------------------------------

    def copy_target_name(self) -> None:
        """Ctrl+C: the place's name in the target language to the clipboard.

        A name selected on the card is copied as it is. When the place has no attested name
        in the target language, the generated romanisation is copied and the status line
        says so: it is offered, never passed off as attested.
        """
        focus = QGuiApplication.focusObject()
        if focus is self.card.names_view and self.card.selected_name() is not None:
            name = self.card.selected_name()
            assert name is not None
            self._copy(name.text, f"Copied “{name.text}” ({name.lang}, {name.kind}).")
            return
        place = self.current_place()
        if place is None:
            self.status_label.setText("Nothing to copy: search for a place first.")
            return
        target = self.target_language()
        try:
            xref = self.gazetteer.cross_reference(place.id, target, profile=self._profile)
        except GazetteerError as error:
            self.status_label.setText(f"Could not look up {place.id} in {target}: {error}")
            return
        best = xref.best
        label = self.display_name(place)
        if best is None:
            self.status_label.setText(
                f"{label} has no name in {target}, and none can be generated."
            )
            return
        if best.generated and target != "en":
            # A BGN/PCGN romanisation is what English texts use for an unnamed place; it is
            # not an Azerbaijani, Armenian or Russian name, so it is shown, not copied.
            self.status_label.setText(
                f"{label} has no {target} name on record (nothing copied). Generated "
                f"{best.method} romanisation of {best.from_text}: “{best.text}”."
            )
        elif best.generated:
            self._copy(
                best.text,
                f"{label} has no {target} name on record: copied the generated "
                f"{best.method} romanisation “{best.text}” of {best.from_text}.",
            )
        else:
            self._copy(best.text, f"Copied “{best.text}” ({best.lang}, {best.kind}).")

    def _copy_text(self, text: str) -> None:
        self._copy(text, f"Copied “{text}”.")

    def _copy(self, text: str, message: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.status_label.setText(message)

    def _copy_all_names(self, place: Place | None) -> None:
        if place is not None:
            self._copy(names_as_text(place.names), f"Copied all {len(place.names)} names.")

    def _copy_coordinates(self, place: Place | None, *, dms: bool) -> None:
        if place is None or place.lat is None or place.lon is None:
            self.status_label.setText("No coordinates to copy.")
            return
        text = format_dms(place.lat, place.lon) if dms else format_decimal(place.lat, place.lon)
        self._copy(text, f"Copied coordinates {text}.")

    def _results_menu(self, pos: QPoint) -> None:
        index = self.results_view.indexAt(pos)
        if not index.isValid():
            return
        place = self.results_model.place_at(index.row())
        if place is None:
            return
        self.results_view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        menu = self.build_place_menu(place)
        menu.popup(self.results_view.viewport().mapToGlobal(pos))

    def build_place_menu(self, place: Place) -> QMenu:
        """The context menu of a place: copy its target-language name, any name, all names,
        or its coordinates; open its card."""
        menu = QMenu(self)
        menu.addAction(f"Open “{self.display_name(place)}”", lambda: self.open_place(place.id))
        menu.addSeparator()
        menu.addAction(f"Copy name in {self.target_language()}\tCtrl+C", self.copy_target_name)
        names = menu.addMenu("Copy name")
        for name in place.names:
            detail = ", ".join(x for x in (name.lang, name.kind, name.period) if x)
            names.addAction(f"{name.text}   ({detail})", partial(self._copy_text, name.text))
        menu.addAction("Copy all names", lambda: self._copy_all_names(place))
        has_coords = place.lat is not None and place.lon is not None
        decimal = menu.addAction(
            "Copy coordinates (decimal)", lambda: self._copy_coordinates(place, dms=False)
        )
        dms = menu.addAction(
            "Copy coordinates (DMS)", lambda: self._copy_coordinates(place, dms=True)
        )
        decimal.setEnabled(has_coords)
        dms.setEnabled(has_coords)
        return menu

    # -- export, about ----------------------------------------------------------------------

    def selected_place_ids(self) -> list[str]:
        """Place ids of the selected result rows, in table order."""
        rows = sorted({i.row() for i in self.results_view.selectionModel().selectedRows()})
        return [self.results_model.entry(r).place_id for r in rows]

    def make_export_dialog(self) -> ExportDialog:
        """The export dialog for the current results and selection (not yet shown)."""
        return ExportDialog(
            self.gazetteer, self.settings, self.results_model.place_ids(),
            self.selected_place_ids(), self._totals["places"], self,
        )  # fmt: skip

    def open_export_dialog(self) -> ExportDialog:
        """Ctrl+E: show the export dialog (non-blocking)."""
        dialog = self.make_export_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(
            lambda rows, path: self.status_label.setText(f"Exported {rows} rows to {path}.")
        )
        dialog.open()
        return dialog

    def _totals_text(self) -> str:
        path = self.gazetteer.path
        return (f"{self._totals['places']} places · {self._totals['names']} names · "
                f"{path if path else ''}")  # fmt: skip

    def open_import_dialog(self) -> ImportDialog:
        """File › Import (Ctrl+I): the import dialog (the same one each time, showing its last
        outcome); a finished import refreshes the window."""
        if self.import_dialog is None:
            self.import_dialog = ImportDialog(self.gazetteer, self.settings, self)
            self.import_dialog.imported.connect(lambda _report: self.refresh_after_import())
        self.import_dialog.open()
        return self.import_dialog

    def refresh_after_import(self) -> None:
        """The data changed: new totals on the status line, the search run again (its hits
        and their names may have changed), the open card and the map's places reloaded."""
        self._totals = self.gazetteer.totals()
        self.db_label.setText(self._totals_text())
        self._names.clear()
        self.results_model.invalidate()
        if self.search_edit.text().strip():
            self.search.search_now(self.search_edit.text())
        shown = self.card.place()
        if shown is not None:
            self.open_place(shown.id, fit_map=False, reload=True)
        else:
            self._show_region_landmarks()

    def about_text(self) -> str:
        """The About box's text."""
        metadata = json.loads(DEFAULT_GEOJSON.read_text(encoding="utf-8")).get("metadata", {})
        totals = self._totals
        return about_html(totals["places"], totals["names"], totals["sources"], metadata)

    def show_about(self) -> None:
        """Help › About."""
        show_about(self, self.about_text())

    def open_normalise_window(self) -> NormaliseWindow:
        """Tools › Normalise (Ctrl+Shift+N): the editor's window for a text's place names,
        under the current naming profile (one window, raised when already open)."""
        if self.normalise_window is None:
            self.normalise_window = NormaliseWindow(self.gazetteer, self.profile.id, self)
        self.normalise_window.show()
        if QGuiApplication.platformName() != "offscreen":  # no window stack to raise in there
            self.normalise_window.raise_()
        self.normalise_window.activateWindow()
        return self.normalise_window

    # -- keyboard ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # A line edit or view claims Ctrl+C for itself; let it only when there is selected
            # text to copy, so the translator's Ctrl+C reaches the "copy name" action.
            if not event.matches(QKeySequence.StandardKey.Copy):
                return super().eventFilter(watched, event)
            if watched is self.search_edit and self.search_edit.hasSelectedText():
                return False
            event.ignore()
            return True
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move_current(key)
                return True
        if watched is self.results_view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def _move_current(self, key: int) -> None:
        """Arrows in the search field move through the results without leaving the field."""
        rows = self.results_model.rowCount()
        if not rows:
            return
        row = self.results_view.currentIndex().row()
        page = max(
            self.results_view.viewport().height() // max(self.results_view.rowHeight(0), 1) - 1, 1
        )
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page,
                Qt.Key.Key_PageUp: -page}[Qt.Key(key)]  # fmt: skip
        new = min(max(row + step, 0), rows - 1) if row >= 0 else 0
        index = self.results_model.index(new, 0)
        self.results_view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.results_view.scrollTo(index)

    # -- geometry ---------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.get("window/geometry")
        if geometry.isEmpty():
            self.resize(1360, 860)
        else:
            self.restoreGeometry(geometry)
        for key, splitter, default in (
            ("window/main_splitter", self.main_splitter, [120, 700]),
            ("window/lower_splitter", self.lower_splitter, [820, 540]),
        ):
            state = self.settings.get(key)
            if state.isEmpty() or not splitter.restoreState(state):
                splitter.setSizes(default)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/main_splitter", self.main_splitter.saveState())
        self.settings.set("window/lower_splitter", self.lower_splitter.saveState())
        self.settings.sync()
        self.search.shutdown()
        if self.normalise_window is not None:
            self.normalise_window.close()  # stops its finder thread
        if self.import_dialog is not None:
            self.import_dialog.shutdown()  # cancels a running import and waits for it
        super().closeEvent(event)
