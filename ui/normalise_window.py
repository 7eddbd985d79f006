"""The Normalise window: an editor's pass over a text's place names, mention by mention.

Paste or open a text; its place names are found (on a worker thread, as the text changes)
and highlighted — green when accepted, yellow while waiting for a decision, orange when the
editor must choose the place, grey when kept as written. The table lists every mention with
the form the naming profile proposes. Step through them (F3 / Shift+F3), accept one
(Ctrl+Return), keep the original (Ctrl+K), choose another candidate place or another name of
the place, or accept everything proposed (Ctrl+Shift+A). The result below shows only what
was accepted; copy it, save it, and save the change report that replays it.

The window talks only to the ``Gazetteer`` façade: ``find_toponyms`` on the worker,
``rewrite_mentions`` (a few reads) on the GUI thread after each decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gazetteer.csv_import import decode
from gazetteer.errors import GazetteerError, InvalidFileError, StorageError
from gazetteer.facade import Gazetteer
from gazetteer.model import Place
from gazetteer.profiles import DEFAULT_PROFILE_ID, NamingProfile
from gazetteer.rewrite import ACCEPT, KEEP, Decision, RewriteResult
from gazetteer.toponyms import Mention
from ui.errors import show_storage_error
from ui.search_worker import SearchController, SearchOutcome

#: Pause after the text changes before its names are looked for again.
FIND_DEBOUNCE_MS = 300

#: Highlight colours by state (light, so the text stays readable).
COLOURS = {
    "accepted": QColor("#c8efc8"),
    "pending": QColor("#fff1a8"),
    "choose": QColor("#ffd0a0"),
    "kept": QColor("#e2e2e2"),
    "current": QColor("#a8d4ff"),
}


@dataclass(frozen=True)
class MentionRow:
    """What the table shows for one mention."""

    surface: str
    place: str
    proposal: str
    state: str


class MentionsModel(QAbstractTableModel):
    """The mentions of the current text, one row each, read from the window's state."""

    HEADERS = ("Found", "Place", "Becomes", "State")

    def __init__(self, window: NormaliseWindow) -> None:
        super().__init__(window)
        self._window = window

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._window.mentions)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self._window.mentions):
            return None
        row = self._window.row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.surface, row.place, row.proposal, row.state)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return COLOURS.get(self._window.state_of(index.row()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._window.explain(index.row())
        return None

    def refresh(self) -> None:
        """Everything may have changed (a new text, or a decision)."""
        self.beginResetModel()
        self.endResetModel()


class NormaliseWindow(QMainWindow):
    """Find, review and rewrite the place names of one text under a naming profile."""

    #: Emitted when the mentions of the current text have been found and highlighted.
    mentions_found = Signal(int)
    #: Emitted after the result text changed (a decision, a profile change, a new text).
    result_changed = Signal()

    def __init__(
        self,
        gazetteer: Gazetteer,
        profile_id: str | None = None,
        parent: QWidget | None = None,
        *,
        debounce_ms: int = FIND_DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("normaliseWindow")
        self.setWindowTitle("Normalise place names")
        self.gazetteer = gazetteer
        self.mentions: list[Mention] = []
        self.decisions: dict[int, Decision] = {}
        self.result: RewriteResult | None = None
        self._proposals: dict[int, str] = {}
        self._why: dict[int, str] = {}
        self._text = ""  # the text the mentions were found in (exact, \r\n and all)
        self._bom = False
        self._places: dict[str, Place] = {}
        self._current = -1
        self._display_offsets: list[int] = []
        self._left: set[int] = set()  # mentions the proposal leaves alone (no place, …)
        self._result_left: set[int] = set()
        self._pending_exact: str | None = None  # the loaded text, before the editor's \n

        self._profiles: list[NamingProfile] = gazetteer.naming_profiles()
        wanted = profile_id or DEFAULT_PROFILE_ID
        self._profile = next((p for p in self._profiles if p.id == wanted), self._profiles[0])

        # -- toolbar
        toolbar = QToolBar("Normalise")
        toolbar.setObjectName("normaliseToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addWidget(QLabel(" Profile "))
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("normaliseProfileCombo")
        for profile in self._profiles:
            self.profile_combo.addItem(profile.title, profile.id)
        self.profile_combo.setCurrentIndex(self._profiles.index(self._profile))
        self.profile_combo.currentIndexChanged.connect(self._on_profile_changed)
        toolbar.addWidget(self.profile_combo)
        toolbar.addSeparator()
        self._actions(toolbar)

        # -- source text (left)
        self.source_edit = QPlainTextEdit()
        self.source_edit.setObjectName("sourceEdit")
        self.source_edit.setPlaceholderText(
            "Paste a text here (Ctrl+V) or open one (Ctrl+O). Its place names are found and "
            "highlighted as you go."
        )
        self.source_edit.textChanged.connect(self._on_text_changed)

        # -- mentions and decisions (right)
        self.model = MentionsModel(self)
        self.table = QTableView()
        self.table.setObjectName("mentionsView")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.clicked.connect(lambda index: self.go_to(index.row()))

        details = QWidget()
        form = QFormLayout(details)
        self.detail_label = QLabel("No mention selected.")
        self.detail_label.setObjectName("mentionDetail")
        self.detail_label.setWordWrap(True)
        form.addRow(self.detail_label)
        self.place_combo = QComboBox()
        self.place_combo.setObjectName("placeCombo")
        self.place_combo.activated.connect(self._on_place_chosen)
        form.addRow("Place:", self.place_combo)
        self.name_combo = QComboBox()
        self.name_combo.setObjectName("nameCombo")
        form.addRow("Another name:", self.name_combo)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("Accept")
        self.accept_button.clicked.connect(self.accept_current)
        self.keep_button = QPushButton("Keep original")
        self.keep_button.clicked.connect(self.keep_current)
        self.use_name_button = QPushButton("Use this name")
        self.use_name_button.clicked.connect(self.use_chosen_name)
        for button in (self.accept_button, self.keep_button, self.use_name_button):
            buttons.addWidget(button)
        form.addRow(buttons)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.table)
        right.addWidget(details)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.source_edit)
        top.addWidget(right)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)

        self.result_edit = QPlainTextEdit()
        self.result_edit.setObjectName("resultEdit")
        self.result_edit.setReadOnly(True)
        self.result_edit.setPlaceholderText("The result: the text with the accepted changes.")

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.result_edit)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        column.addWidget(self.splitter)
        self.setCentralWidget(central)

        self.status_label = QLabel("Paste or open a text.")
        self.status_label.setObjectName("normaliseStatus")
        self.statusBar().addWidget(self.status_label, 1)

        # -- finding on the worker thread
        self.finder = SearchController(self._find, debounce_ms, self)
        self.finder.finished.connect(self._on_found)
        self.finder.failed.connect(self._on_find_failed)
        self._update_details()
        self.resize(1200, 800)

    # -- actions ----------------------------------------------------------------------------

    def _action(
        self, text: str, shortcut: str, slot: Any, toolbar: QToolBar | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        if toolbar is not None:
            toolbar.addAction(action)
        return action

    def _actions(self, toolbar: QToolBar) -> None:
        self.open_action = self._action("Open…", "Ctrl+O", self.choose_file, toolbar)
        self.find_action = self._action("Find names", "F5", self.find_now, toolbar)
        toolbar.addSeparator()
        self.previous_action = self._action("◀ Previous", "Shift+F3", self.previous, toolbar)
        self.next_action = self._action("Next ▶", "F3", self.next, toolbar)
        self.accept_action = self._action("Accept", "Ctrl+Return", self.accept_current)
        self.keep_action = self._action("Keep", "Ctrl+K", self.keep_current)
        self.accept_all_action = self._action("Accept all", "Ctrl+Shift+A", self.accept_all,
                                              toolbar)  # fmt: skip
        toolbar.addSeparator()
        self.copy_action = self._action("Copy result", "Ctrl+Shift+C", self.copy_result, toolbar)
        self.save_action = self._action("Save result…", "Ctrl+S", self.choose_result_file,
                                        toolbar)  # fmt: skip
        self.save_report_action = self._action("Save report…", "Ctrl+Shift+S",
                                               self.choose_report_file, toolbar)  # fmt: skip

    # -- the text ---------------------------------------------------------------------------

    @property
    def profile(self) -> NamingProfile:
        """The naming profile the proposals follow."""
        return self._profile

    def set_text(self, text: str, *, bom: bool = False) -> None:
        """Show ``text`` (exactly; \\r\\n line ends are kept in the result) and find its names."""
        self._pending_exact = text
        self._bom = bom
        self.source_edit.setPlainText(text)

    def open_file(self, path: Path | str) -> bool:
        """Load a UTF-8 text file; False (with a message) when it cannot be read."""
        path = Path(path)
        try:
            data = path.read_bytes()
            text = decode(data, str(path))
        except OSError as error:
            self._warn(f"Cannot read {path}: {error.strerror or error}")
            return False
        except InvalidFileError as error:
            self._warn("\n".join(str(p) for p in error.problems))
            return False
        self.set_text(text, bom=data.startswith(b"\xef\xbb\xbf"))
        self.setWindowTitle(f"Normalise place names — {path.name}")
        return True

    def choose_file(self) -> None:
        """Ctrl+O: pick a text file to open."""
        name, _ = QFileDialog.getOpenFileName(self, "Open a text", "", "Text (*.txt *.md);;All (*)")
        if name:
            self.open_file(name)

    def _current_text(self) -> str:
        shown = self.source_edit.toPlainText()
        exact = self._pending_exact
        # The editor turns \r\n into \n; while the text is the one loaded, use the original.
        if exact is not None and exact.replace("\r\n", "\n").replace("\r", "\n") == shown:
            return exact
        self._pending_exact = None
        return shown

    def _on_text_changed(self) -> None:
        self.status_label.setText("Looking for place names…")
        self.finder.set_query(self._current_text())

    def find_now(self) -> None:
        """F5: look for the names now, without waiting for typing to pause."""
        self.finder.search_now(self._current_text())

    def _find(self, text: str) -> list[Mention]:
        """Runs on the worker thread."""
        return self.gazetteer.find_toponyms(text)

    def _on_found(self, outcome: SearchOutcome) -> None:
        text: str = outcome.query
        if text != self._current_text():
            return  # the text changed again; its own answer is on the way
        same_text = text == self._text
        self._text = text
        self.mentions = list(outcome.result)
        if not same_text:
            self.decisions = {}
        self._display_offsets = self._display_positions(text)
        ids = {c.place_id for m in self.mentions for c in m.candidates}
        try:
            self._places = {p.id: p for p in self.gazetteer.places(sorted(ids))}
        except StorageError as error:
            show_storage_error(self, error)
            return
        self._recompute()
        self._current = min(self._current, len(self.mentions) - 1) if same_text else -1
        if self.mentions and self._current < 0:
            self.go_to(0)
        else:
            self._update_details()
            self._highlight()
        self.mentions_found.emit(len(self.mentions))

    def _on_find_failed(self, outcome: SearchOutcome) -> None:
        error = outcome.error
        if isinstance(error, StorageError):
            show_storage_error(self, error)
        else:
            self.status_label.setText(f"Finding place names failed: {error}")

    def _display_positions(self, text: str) -> list[int]:
        """For each code point offset of ``text``, the editor's position (UTF-16 units, one
        per line break): what highlighting and cursors need."""
        positions = [0] * (len(text) + 1)
        pos = 0
        for i, ch in enumerate(text):
            positions[i] = pos
            if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
                continue  # \r\n is one line break in the editor
            pos += 2 if ord(ch) > 0xFFFF else 1
        positions[len(text)] = pos
        return positions

    # -- decisions --------------------------------------------------------------------------

    def _effective(self, all_accepted: bool) -> dict[int, Decision]:
        """Decisions for the rewriter: the editor's, and for the rest keep (for the result)
        or accept (for the proposals)."""
        fallback = Decision(ACCEPT) if all_accepted else Decision(KEEP)
        return {m.start: self.decisions.get(m.start, fallback) for m in self.mentions}

    def _recompute(self) -> None:
        try:
            proposal = self.gazetteer.rewrite_mentions(
                self._text, self.mentions, self._profile, decisions=self._effective(True)
            )
            self.result = self.gazetteer.rewrite_mentions(
                self._text, self.mentions, self._profile, decisions=self._effective(False)
            )
        except StorageError as error:
            show_storage_error(self, error)
            return
        self._proposals = {c.start: c.new for c in proposal.changes}
        self._why = {c.start: c.reason for c in proposal.changes}
        self._why.update({x.start: x.reason for x in proposal.left})
        self._left = {x.start for x in proposal.left}
        self._result_left = {x.start for x in self.result.left}
        self.result_edit.setPlainText(self.result.text)
        self.model.refresh()
        if 0 <= self._current < len(self.mentions):
            self.table.selectRow(self._current)
        changed = len(self.result.changes)
        waiting = sum(
            1 for i in range(len(self.mentions)) if self.state_of(i) in ("pending", "choose")
        )
        self.status_label.setText(
            f"{len(self.mentions)} place name(s) found; {changed} change(s) accepted; "
            f"{waiting} waiting for a decision. Profile: {self._profile.title}."
        )
        self.result_changed.emit()

    def _decide(self, index: int, decision: Decision, *, advance: bool = True) -> None:
        if not 0 <= index < len(self.mentions):
            return
        self.decisions[self.mentions[index].start] = decision
        self._recompute()
        if advance and index + 1 < len(self.mentions):
            self.go_to(index + 1)
        else:
            self.go_to(index)

    def _chosen_place(self, index: int) -> str | None:
        m = self.mentions[index]
        decision = self.decisions.get(m.start)
        if decision is not None and decision.place_id:
            return decision.place_id
        return m.place_id

    def accept_current(self) -> None:
        """Accept the proposal for the current mention (with the place chosen in the list)."""
        if not 0 <= self._current < len(self.mentions):
            return
        place = self.place_combo.currentData()
        if not place:
            self.status_label.setText("Choose the place this name stands for first.")
            return
        m = self.mentions[self._current]
        chosen = place if place != m.place_id else None
        self._decide(self._current, Decision(ACCEPT, place_id=chosen))

    def keep_current(self) -> None:
        """Keep the current mention as it is written."""
        self._decide(self._current, Decision(KEEP))

    def use_chosen_name(self) -> None:
        """Write the name chosen under "Another name" for the current mention."""
        name = self.name_combo.currentData()
        place = self.place_combo.currentData()
        if not (0 <= self._current < len(self.mentions)) or not name or not place:
            return
        self._decide(self._current, Decision(ACCEPT, place_id=place, text=name))

    def accept_all(self) -> None:
        """Accept every proposal that has a place (mentions whose place is still to be
        chosen wait for the editor)."""
        for i, m in enumerate(self.mentions):
            if m.start not in self.decisions and self._chosen_place(i) is not None:
                self.decisions[m.start] = Decision(ACCEPT)
        self._recompute()
        self._highlight()
        self._update_details()

    def _on_profile_changed(self, index: int) -> None:
        self._profile = self._profiles[index]
        if self.mentions:
            self._recompute()
            self._highlight()
            self._update_details()

    def _on_place_chosen(self, _index: int) -> None:
        self._fill_names()

    # -- navigation and display -------------------------------------------------------------

    def next(self) -> None:
        """F3: the next mention."""
        if self.mentions:
            self.go_to(min(self._current + 1, len(self.mentions) - 1))

    def previous(self) -> None:
        """Shift+F3: the previous mention."""
        if self.mentions:
            self.go_to(max(self._current - 1, 0))

    @property
    def current(self) -> int:
        """Index of the current mention (-1 when none)."""
        return self._current

    def go_to(self, index: int) -> None:
        """Make mention ``index`` current: select it, show it in the text, fill the details."""
        if not 0 <= index < len(self.mentions):
            return
        self._current = index
        self.table.selectRow(index)
        m = self.mentions[index]
        cursor = self.source_edit.textCursor()
        cursor.setPosition(self._display_offsets[m.start])
        cursor.setPosition(self._display_offsets[m.end], QTextCursor.MoveMode.KeepAnchor)
        self.source_edit.blockSignals(True)
        self.source_edit.setTextCursor(cursor)
        self.source_edit.blockSignals(False)
        self.source_edit.ensureCursorVisible()
        self._highlight()
        self._update_details()

    def state_of(self, index: int) -> str:
        """accepted, kept, choose (the place is unknown or the ending cannot move) or pending."""
        m = self.mentions[index]
        decision = self.decisions.get(m.start)
        if decision is not None and decision.action == KEEP:
            return "kept"
        if decision is not None:
            return "choose" if m.start in self._result_left else "accepted"
        if self._chosen_place(index) is None or m.start in self._left:
            return "choose"
        return "pending"

    def row(self, index: int) -> MentionRow:
        """The table row of mention ``index``."""
        m = self.mentions[index]
        place_id = self._chosen_place(index)
        if place_id is None:
            place = f"? {len(m.candidates)} places"
        else:
            known = self._places.get(place_id)
            place = f"{known.label} [{place_id}]" if known else place_id
        decision = self.decisions.get(m.start)
        changes = {c.start: c.new for c in self.result.changes} if self.result else {}
        if decision is not None and decision.action == ACCEPT and m.start in changes:
            proposal = changes[m.start]  # what was accepted (another place or name, too)
        elif m.start in self._proposals:
            proposal = self._proposals[m.start]
        else:
            proposal = "" if m.start in self._left else "(unchanged)"
        labels = {"accepted": "accepted", "kept": "kept", "choose": "choose",
                  "pending": "to review"}  # fmt: skip
        return MentionRow(m.surface, place, proposal, labels[self.state_of(index)])

    def explain(self, index: int) -> str:
        """Why the mention is proposed as it is (tool tip)."""
        m = self.mentions[index]
        parts = [f"{m.surface!r}: {m.status}, confidence {m.confidence:.2f}"]
        parts.extend(m.notes)
        if m.start in self._why:
            parts.append(self._why[m.start])
        return "\n".join(parts)

    def _highlight(self) -> None:
        selections = []
        for i, m in enumerate(self.mentions):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.source_edit.document())
            cursor.setPosition(self._display_offsets[m.start])
            cursor.setPosition(self._display_offsets[m.end], QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            state = "current" if i == self._current else self.state_of(i)
            selection.format.setBackground(COLOURS[state])
            selections.append(selection)
        self.source_edit.setExtraSelections(selections)

    def highlighted_spans(self) -> list[tuple[int, int]]:
        """The (start, end) editor positions of every highlight (for tests and checks)."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.source_edit.extraSelections()
        ]

    def _update_details(self) -> None:
        has = 0 <= self._current < len(self.mentions)
        for widget in (self.place_combo, self.name_combo, self.accept_button, self.keep_button,
                       self.use_name_button):  # fmt: skip
            widget.setEnabled(has)
        self.place_combo.clear()
        if not has:
            self.detail_label.setText("No mention selected." if not self.mentions else "")
            self.name_combo.clear()
            return
        m = self.mentions[self._current]
        self.detail_label.setText(self.explain(self._current))
        chosen = self._chosen_place(self._current)
        if chosen is None:
            self.place_combo.addItem("— choose the place —", None)
        for c in m.candidates:
            place = self._places.get(c.place_id)
            label = place.label if place else c.place_id
            parent = ""
            if place is not None and place.parent_id:
                up = self._places.get(place.parent_id)
                parent = f", in {up.label}" if up else f", in {place.parent_id}"
            self.place_combo.addItem(f"{label} [{c.place_id}] {place.role if place else ''}"
                                     f"{parent} — matched {c.name.text}", c.place_id)  # fmt: skip
        if chosen is not None:
            self.place_combo.setCurrentIndex(max(self.place_combo.findData(chosen), 0))
        self._fill_names()

    def _fill_names(self) -> None:
        self.name_combo.clear()
        place_id = self.place_combo.currentData()
        place = self._places.get(place_id) if place_id else None
        if place is None:
            return
        for name in place.names:
            facts = ", ".join(x for x in (name.lang, name.kind, name.period) if x)
            self.name_combo.addItem(f"{name.text}  ({facts})", name.text)

    # -- output -----------------------------------------------------------------------------

    def result_text(self) -> str:
        """The text with the accepted changes."""
        return self.result.text if self.result is not None else self._current_text()

    def copy_result(self) -> None:
        """Ctrl+Shift+C: put the result on the clipboard."""
        QGuiApplication.clipboard().setText(self.result_text())
        self.status_label.setText("Result copied.")

    def save_result(self, path: Path | str) -> None:
        """Write the result as UTF-8 (with the original's byte-order mark, if it had one)."""
        data = ("\ufeff" if self._bom else "") + self.result_text()
        Path(path).write_bytes(data.encode("utf-8", "surrogatepass"))
        self.status_label.setText(f"Saved the result to {path}.")

    def save_report(self, path: Path | str) -> None:
        """Write the change report (JSON); ``gazetteer normalise --apply`` replays it."""
        if self.result is None:
            return
        text = json.dumps(self.result.report(), ensure_ascii=False, indent=2) + "\n"
        Path(path).write_text(text, encoding="utf-8")
        self.status_label.setText(f"Saved the change report to {path}.")

    def choose_result_file(self) -> None:
        """Ctrl+S: pick where to save the result."""
        name, _ = QFileDialog.getSaveFileName(self, "Save the result", "", "Text (*.txt)")
        if name:
            self._guarded(self.save_result, name)

    def choose_report_file(self) -> None:
        """Ctrl+Shift+S: pick where to save the change report."""
        name, _ = QFileDialog.getSaveFileName(self, "Save the change report", "", "JSON (*.json)")
        if name:
            self._guarded(self.save_report, name)

    def _guarded(self, write: Any, name: str) -> None:
        try:
            write(name)
        except OSError as error:
            self._warn(f"Cannot write {name}: {error.strerror or error}")
        except GazetteerError as error:
            self._warn(str(error))

    def _warn(self, message: str) -> None:
        self.status_label.setText(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "Normalise", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.finder.shutdown()
        super().closeEvent(event)
