"""The results table: a ``QAbstractTableModel`` over the place ids a search returned.

The model holds only the ordered hits (place id plus the name that matched) and fetches the
places themselves lazily, a window of rows at a time, into a cache — the shape Anki's browser
uses, so a result list of any length costs nothing until rows are painted. The search worker
primes the cache for the rows it already loaded, so painting the first screen needs no
database read on the GUI thread.

Which name is shown first is not decided here: ``namer`` (the current naming profile) turns a
place into its display text, and changing it re-renders every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from gazetteer.model import CORE_LANGUAGES, Place

#: Places fetched per cache miss: about two screens, so scrolling rarely misses twice.
FETCH_WINDOW = 100

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ResultEntry:
    """One row: the place and why it matched (the stored name, its language, tier, score)."""

    place_id: str
    matched_text: str = ""
    matched_lang: str = ""
    matched_kind: str = ""
    tier: str = ""
    score: float | None = None


class Column(IntEnum):
    """The table's columns, in display order."""

    NAME = 0
    MATCHED = 1
    LANG = 2
    ROLE = 3
    PARENT = 4
    EN = 5
    AZ = 6
    HY = 7
    RU = 8


HEADERS = {
    Column.NAME: "Name",
    Column.MATCHED: "Matched",
    Column.LANG: "Lang",
    Column.ROLE: "Role",
    Column.PARENT: "In",
    Column.EN: "English",
    Column.AZ: "Azərbaycanca",
    Column.HY: "Հայերեն",
    Column.RU: "Русский",
}
LANGUAGE_COLUMNS = {Column.EN: "en", Column.AZ: "az", Column.HY: "hy", Column.RU: "ru"}
assert tuple(LANGUAGE_COLUMNS.values()) == CORE_LANGUAGES

#: Custom data roles.
PLACE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Plain ints and tuples, computed once: data() and flags() run for every cell on every paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FONT, int(PLACE_ID_ROLE)})
_COLUMNS = tuple(Column)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

Namer = Callable[[Place], str]
Loader = Callable[[Sequence[str]], Iterable[Place]]


def default_namer(place: Place) -> str:
    """The place's neutral label (used until a naming profile is chosen)."""
    return place.label


class ResultsModel(QAbstractTableModel):
    """Search hits as table rows, places loaded lazily through ``loader``.

    ``loader(ids)`` returns the places for those ids (unknown ids are skipped); it is the
    façade's ``places`` in the app.
    """

    def __init__(self, loader: Loader, namer: Namer = default_namer, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._namer = namer
        self._entries: list[ResultEntry] = []
        self._row_of: dict[str, int] = {}
        self._places: dict[str, Place | None] = {}  # None: asked for, not in the database
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content ----------------------------------------------------------------------------

    def set_results(
        self, entries: Sequence[ResultEntry], places: Mapping[str, Place] | None = None
    ) -> None:
        """Replace all rows; ``places`` primes the cache (places and their parents)."""
        self.beginResetModel()
        self._entries = list(entries)
        self._row_of = {}
        for row, entry in enumerate(self._entries):
            self._row_of.setdefault(entry.place_id, row)
        # Keep cached places: the same places come back keystroke after keystroke.
        if len(self._places) > 20 * FETCH_WINDOW:
            self._places = {}
        if places:
            self._places.update(places)
        self.endResetModel()

    def extend(
        self, entries: Sequence[ResultEntry], places: Mapping[str, Place] | None = None
    ) -> None:
        """Append rows (a search's later hits); ``places`` primes the cache."""
        if places:
            self._places.update(places)
        if not entries:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        for offset, entry in enumerate(entries):
            self._entries.append(entry)
            self._row_of.setdefault(entry.place_id, first + offset)
        self.endInsertRows()

    def clear(self) -> None:
        """No rows."""
        self.set_results([])

    def set_namer(self, namer: Namer) -> None:
        """Render names under another naming profile; every row's names repaint."""
        self._namer = namer
        if self._entries:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._entries) - 1, len(Column) - 1)
            )

    def invalidate(self) -> None:
        """Forget cached places (after the data changed); rows reload as they are painted."""
        self._places = {}
        if self._entries:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._entries) - 1, len(Column) - 1)
            )

    # -- lookups ----------------------------------------------------------------------------

    def entries(self) -> list[ResultEntry]:
        """The rows' hits, in order."""
        return list(self._entries)

    def entry(self, row: int) -> ResultEntry:
        """The hit of one row."""
        return self._entries[row]

    def place_ids(self) -> list[str]:
        """The rows' place ids, in order."""
        return [e.place_id for e in self._entries]

    def row_of(self, place_id: str) -> int | None:
        """The row showing ``place_id``, or None."""
        return self._row_of.get(place_id)

    def place_at(self, row: int) -> Place | None:
        """The place of a row (loading it if needed); None if it no longer exists."""
        if not 0 <= row < len(self._entries):
            return None
        place_id = self._entries[row].place_id
        if place_id not in self._places:
            self._fetch_around(row)
        return self._places.get(place_id)

    def cached_place(self, place_id: str) -> Place | None:
        """A place already in the cache (no database read), else None."""
        return self._places.get(place_id)

    def display_name(self, place: Place) -> str:
        """``place`` rendered under the current naming profile."""
        return self._namer(place)

    def _fetch_around(self, row: int) -> None:
        start = max(0, row - FETCH_WINDOW // 4)
        wanted = [
            e.place_id
            for e in self._entries[start : start + FETCH_WINDOW]
            if e.place_id not in self._places
        ]
        found = {p.id: p for p in self._loader(wanted)}
        parents = {p.parent_id for p in found.values() if p.parent_id} - self._places.keys()
        parents -= found.keys()
        if parents:
            found.update({p.id: p for p in self._loader(sorted(parents))})
        for place_id in wanted:
            self._places[place_id] = found.get(place_id)
        self._places.update(found)

    def _parent_of(self, place: Place) -> Place | None:
        if not place.parent_id:
            return None
        if place.parent_id not in self._places:
            found = list(self._loader([place.parent_id]))
            self._places[place.parent_id] = found[0] if found else None
        return self._places.get(place.parent_id)

    # -- Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
            if role == Qt.ItemDataRole.ToolTipRole and Column(section) in LANGUAGE_COLUMNS:
                return f"Preferred name in {LANGUAGE_COLUMNS[Column(section)]}"
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1 if 0 <= section < len(self._entries) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: leave early for the
        # roles this model does not provide (most of them) before any other work.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._entries):
            return None
        entry = self._entries[row]
        column = _COLUMNS[index.column()]
        if role == PLACE_ID_ROLE:
            return entry.place_id
        if role == _FONT:
            return self._bold if column == Column.NAME else None
        if role == _TOOLTIP and column in (Column.MATCHED, Column.LANG):
            return _explain(entry)
        # Display text (and the same text as tooltip, for cells too narrow to show it).
        if column == Column.MATCHED:
            return entry.matched_text
        if column == Column.LANG:
            return entry.matched_lang
        place = self.place_at(index.row())
        if place is None:
            # The place went away since the search (deleted elsewhere): say so in the row
            # rather than raising inside a paint.
            return (
                f"({entry.place_id}: no longer in the gazetteer)" if column == Column.NAME else ""
            )
        if column == Column.NAME:
            return self._namer(place)
        if column == Column.ROLE:
            return place.role
        if column == Column.PARENT:
            parent = self._parent_of(place)
            return self._namer(parent) if parent is not None else ""
        name = place.preferred_name(LANGUAGE_COLUMNS[column])
        return name.text if name is not None else ""


def _explain(entry: ResultEntry) -> str:
    """Why a row matched, for its tooltip."""
    if not entry.matched_text:
        return ""
    parts = [f"Matched “{entry.matched_text}”"]
    detail = ", ".join(x for x in (entry.matched_lang, entry.matched_kind) if x)
    if detail:
        parts.append(f"({detail})")
    if entry.tier:
        parts.append(f"at tier {entry.tier}")
    if entry.score is not None:
        parts.append(f"score {entry.score:g}")
    return " ".join(parts)
