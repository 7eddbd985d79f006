"""Item models behind the place card: names grouped by language, and nearby places.

``NamesModel`` is a two-level tree — one row per language, its names as children — with the
name's kind, period, source and who uses it as columns. ``NearbyModel`` is a flat table of
places around the card's place with distance and compass direction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from gazetteer.geo import format_distance
from gazetteer.model import CORE_LANGUAGES, KIND_RANK, Name, Place
from gazetteer.nearby import NearbyPlace
from ui.charts import language_colour

Index = QModelIndex | QPersistentModelIndex
Namer = Callable[[Place], str]

#: The Name record of a name row (None on language rows).
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
#: The language tag of a row (both levels).
LANG_ROLE = Qt.ItemDataRole.UserRole + 3
#: The place id of a nearby row.
PLACE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

#: The core languages by their own names (the app's UI language is English; the names are
#: what a speaker of each language looks for).
_NATIVE = {"en": "English", "az": "Azərbaycanca", "hy": "Հայերեն", "ru": "Русский"}


def language_label(tag: str) -> str:
    """``Հայերեն · hy``, ``Armenian (Latin) · hy-Latn``: a readable name for a language tag."""
    if tag in _NATIVE:
        return f"{_NATIVE[tag]} · {tag}"
    parts = tag.split("-")
    locale = QLocale(parts[0])
    language = (
        QLocale.languageToString(locale.language())
        if locale.language() != QLocale.Language.C
        else parts[0]
    )
    scripts = {"Latn": "Latin", "Cyrl": "Cyrillic", "Armn": "Armenian", "Arab": "Arabic"}
    extra = [scripts.get(p, p) for p in parts[1:]]
    return f"{language} ({', '.join(extra)}) · {tag}" if extra else f"{language} · {tag}"


def group_names(names: Sequence[Name]) -> list[tuple[str, list[Name]]]:
    """Names grouped by language tag: the four core languages (each followed by its
    variants such as ``hy-Latn``) first, then the rest alphabetically; inside a group the
    preferred name first, then by kind (official … historic), period and text.
    """
    groups: dict[str, list[Name]] = {}
    for name in names:
        groups.setdefault(name.lang, []).append(name)

    def group_key(tag: str) -> tuple[int, str]:
        primary = tag.split("-")[0]
        rank = CORE_LANGUAGES.index(primary) if primary in CORE_LANGUAGES else len(CORE_LANGUAGES)
        return rank, tag

    def name_key(n: Name) -> tuple[Any, ...]:
        return (
            not n.preferred,
            KIND_RANK.get(n.kind, 99),
            n.valid_from if n.valid_from is not None else -(10**6),
            n.text,
        )

    return [(tag, sorted(groups[tag], key=name_key)) for tag in sorted(groups, key=group_key)]


class NameColumn(IntEnum):
    """Columns of the names tree."""

    NAME = 0
    KIND = 1
    PERIOD = 2
    USED_BY = 3
    SOURCE = 4


class _ReadOnlyColumns:
    """Column titles and read-only, selectable cells: what both card models share.

    A mixin listed before the Qt base class, so that Qt calls these overrides.
    """

    HEADERS: tuple[str, ...] = ()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class NamesModel(_ReadOnlyColumns, QAbstractItemModel):
    """Language rows (top level) with their names as children.

    Internal ids: 0 for a language row, ``group + 1`` for a name row of that group.
    """

    HEADERS = ("Name", "Kind", "Period", "Used by", "Source")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[Name]]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_names(self, names: Sequence[Name]) -> None:
        """Replace the names shown."""
        self.beginResetModel()
        self._groups = group_names(names)
        self.endResetModel()

    def languages(self) -> list[str]:
        """The language tags, in display order."""
        return [tag for tag, _ in self._groups]

    def names(self) -> list[Name]:
        """Every name, in display order."""
        return [n for _, names in self._groups for n in names]

    def name_at(self, index: Index) -> Name | None:
        """The name of a name row, None for a language row or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(NameColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = NameColumn(index.column())
        if index.internalId() == 0:
            tag, names = self._groups[index.row()]
            if role == LANG_ROLE:
                return tag
            if column != NameColumn.NAME:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{language_label(tag)}  ({len(names)})"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(language_colour(tag).darker(140))
            return None
        name = self._groups[index.internalId() - 1][1][index.row()]
        if role == NAME_ROLE:
            return name
        if role == LANG_ROLE:
            return name.lang
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == NameColumn.NAME and name.preferred else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _name_tooltip(name)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == NameColumn.NAME:
            return name.text
        if column == NameColumn.KIND:
            return name.kind + (", preferred" if name.preferred else "")
        if column == NameColumn.PERIOD:
            return name.period
        if column == NameColumn.SOURCE:
            return name.source or ""
        return name.used_by or ""


def _name_tooltip(name: Name) -> str:
    parts = [f"{name.text} — {name.lang} ({name.script}), {name.kind}"]
    if name.romanization:
        parts.append(f"romanisation: {name.romanization}")
    if name.period:
        parts.append(f"period: {name.period}")
    if name.used_by:
        parts.append(f"used by: {name.used_by}")
    if name.source:
        parts.append(f"source: {name.source}")
    return "\n".join(parts)


class NearbyColumn(IntEnum):
    """Columns of the nearby table."""

    NAME = 0
    DISTANCE = 1
    DIRECTION = 2
    ROLE = 3


class NearbyModel(_ReadOnlyColumns, QAbstractTableModel):
    """Places around the card's place, nearest first, labelled under the naming profile."""

    HEADERS = ("Place", "Distance", "Direction", "Role")

    def __init__(self, namer: Namer, parent: Any = None) -> None:
        super().__init__(parent)
        self._namer = namer
        self._rows: list[NearbyPlace] = []

    def set_nearby(self, rows: Sequence[NearbyPlace]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_namer(self, namer: Namer) -> None:
        """Relabel under another naming profile."""
        self._namer = namer
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def nearby(self) -> list[NearbyPlace]:
        """The rows, nearest first."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(NearbyColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = NearbyColumn(index.column())
        if role == PLACE_ID_ROLE:
            return item.place.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == NearbyColumn.DISTANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.phrase(self._namer(item.place))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == NearbyColumn.NAME:
            return self._namer(item.place)
        if column == NearbyColumn.DISTANCE:
            return format_distance(item.distance_km)
        if column == NearbyColumn.DIRECTION:
            return f"{item.compass} ({item.bearing:.0f}°)" if item.compass else "same point"
        return item.place.role
