"""Two small QPainter charts for the place card: a population series and a name timeline.

Painted by hand on purpose: QtCharts would pull in PySide6-Addons (+156 MB) for two tiny
charts, and matplotlib adds a second of start-up (research/ecosystem.md §5).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from gazetteer.model import Name, Population

#: One colour per core language, so a name's bar and its language group match at a glance.
#: Muted and unrelated to any flag: the palette must not read as taking a side.
LANGUAGE_COLOURS = {
    "en": QColor("#4e79a7"),
    "az": QColor("#59a14f"),
    "hy": QColor("#e15759"),
    "ru": QColor("#b07aa1"),
}
OTHER_COLOUR = QColor("#9c9c9c")
TEXT = QColor("#202020")
MUTED = QColor("#6b6b6b")
GRID = QColor("#dcdcdc")


def language_colour(tag: str) -> QColor:
    """The colour of a language tag's primary subtag (grey for others)."""
    return LANGUAGE_COLOURS.get(tag.split("-")[0], OTHER_COLOUR)


def format_count(value: int) -> str:
    """``75 000``: digits grouped by a narrow no-break space, readable in any language."""
    return f"{value:,}".replace(",", "\u202f")


def nice_step(span: float, target_ticks: int = 5) -> int:
    """A round year step (1, 2, 5, 10, 20, 25, 50 …) giving about ``target_ticks`` ticks."""
    raw = max(span / max(target_ticks, 1), 1.0)
    exponent = 10 ** math.floor(math.log10(raw))
    for mantissa in (1, 2, 2.5, 5, 10):
        if mantissa == 2.5 and exponent < 10:  # 2.5 years is not a round step
            continue
        if mantissa * exponent >= raw:
            return int(mantissa * exponent)
    return int(10 * exponent)


class PopulationChart(QWidget):
    """Bars of a place's population figures by year, each with its value and source number.

    Undated figures come last, labelled "undated". The source of each bar is its tooltip
    and is listed (numbered) under the chart by the card.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figures: list[Population] = []
        self._sources: list[str] = []
        self._bars: list[tuple[QRectF, Population]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(28)

    def set_populations(self, figures: Sequence[Population]) -> list[str]:
        """Show ``figures``; returns the distinct sources in the order their numbers use."""
        self._figures = sorted(figures, key=lambda p: (p.year is None, p.year or 0, p.value))
        self._sources = []
        for figure in self._figures:
            if figure.source and figure.source not in self._sources:
                self._sources.append(figure.source)
        self._bars = []
        self.updateGeometry()
        self.update()
        return list(self._sources)

    def figures(self) -> list[Population]:
        """The figures shown, oldest first."""
        return list(self._figures)

    def sizeHint(self) -> QSize:
        return QSize(max(90, 64 * len(self._figures) + 12), 104 if self._figures else 28)

    def minimumSizeHint(self) -> QSize:
        return QSize(
            min(90, 64 * len(self._figures) + 12) if self._figures else 200,
            104 if self._figures else 28,
        )

    def _source_number(self, figure: Population) -> int | None:
        return self._sources.index(figure.source) + 1 if figure.source else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        if not self._figures:
            painter.setPen(MUTED)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                "No population figures recorded.",
            )
            return
        line = metrics.height()
        top, bottom = line + 4, self.height() - 2 * line - 6
        height = max(bottom - top, 10)
        slot = min(72.0, (self.width() - 8) / len(self._figures))
        bar_width = max(slot * 0.6, 6.0)
        peak = max(f.value for f in self._figures) or 1
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(0, bottom), QPointF(self.width(), bottom))
        self._bars = []
        for i, figure in enumerate(self._figures):
            centre = 4 + slot * (i + 0.5)
            bar_h = max(height * figure.value / peak, 1.0)
            rect = QRectF(centre - bar_width / 2, bottom - bar_h, bar_width, bar_h)
            self._bars.append((rect, figure))
            painter.fillRect(
                rect, QColor("#7f9cb8") if figure.year is not None else QColor("#b9c6d3")
            )
            painter.setPen(TEXT)
            value = format_count(figure.value)
            painter.drawText(
                QRectF(centre - slot / 2, rect.top() - line - 1, slot, line),
                Qt.AlignmentFlag.AlignCenter, _elide(metrics, value, slot),
            )  # fmt: skip
            year = str(figure.year) if figure.year is not None else "undated"
            number = self._source_number(figure)
            painter.drawText(
                QRectF(centre - slot / 2, bottom + 2, slot, line),
                Qt.AlignmentFlag.AlignCenter, _elide(metrics, year, slot),
            )  # fmt: skip
            if number is not None:
                painter.setPen(MUTED)
                painter.drawText(
                    QRectF(centre - slot / 2, bottom + 2 + line, slot, line),
                    Qt.AlignmentFlag.AlignCenter, f"[{number}]",
                )  # fmt: skip

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for rect, figure in self._bars:
                if rect.adjusted(-4, -20, 4, 0).contains(QPointF(event.pos())):
                    year = figure.year if figure.year is not None else "undated"
                    source = figure.source or "no source recorded"
                    QToolTip.showText(
                        event.globalPos(), f"{format_count(figure.value)} ({year})\n{source}", self
                    )
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


@dataclass(frozen=True)
class TimelineRow:
    """One dated name on the timeline; ``None`` ends are open (before / still in use)."""

    label: str
    lang: str
    start: int | None
    end: int | None
    name: Name


class NameTimeline(QWidget):
    """A horizontal bar per dated name, coloured by language, on a shared year axis.

    Names with no dates at all are left off: a bar for them would claim "always", which the
    data does not say.
    """

    ROW = 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TimelineRow] = []
        self._range = (1900, _dt.date.today().year)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_names(self, names: Sequence[Name], label: Callable[[Name], str] | None = None) -> None:
        """Show the dated ones of ``names``; ``label`` formats a row's text."""
        fmt = label or (lambda n: f"{n.text} · {n.lang}")
        dated = [n for n in names if n.valid_from is not None or n.valid_to is not None]
        dated.sort(
            key=lambda n: (
                n.valid_from if n.valid_from is not None else -(10**6),
                n.valid_to if n.valid_to is not None else 10**6,
                n.lang,
            )
        )
        self._rows = [TimelineRow(fmt(n), n.lang, n.valid_from, n.valid_to, n) for n in dated]
        years = [y for r in self._rows for y in (r.start, r.end) if y is not None]
        this_year = _dt.date.today().year
        if years:
            low, high = min(years), max(max(years), this_year)
            # Room before the first year, so an open start ("–1923") still reads as a bar.
            pad = max(10, (high - low) // 6)
            self._range = (low - pad, high)
        self.updateGeometry()
        self.update()

    def rows(self) -> list[TimelineRow]:
        """The rows drawn, in order."""
        return list(self._rows)

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        if not self._rows:
            return QSize(220, int(line + 8))
        return QSize(320, int(self.ROW * len(self._rows) + line + 10))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        if not self._rows:
            painter.setPen(MUTED)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                "No dated names recorded.",
            )
            return
        label_w = min(
            max(metrics.horizontalAdvance(r.label) for r in self._rows) + 10, self.width() * 0.45
        )
        left, right = label_w, self.width() - 8
        low, high = self._range
        span = max(high - low, 1)

        def x_of(year: float) -> float:
            return left + (right - left) * (year - low) / span

        axis_y = self.ROW * len(self._rows) + 2
        step = nice_step(span, max(int((right - left) / 45), 2))
        painter.setPen(QPen(GRID, 1))
        first = math.ceil(low / step) * step
        last_label_end = -1.0
        for year in range(first, high + 1, step):
            x = x_of(year)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, 0), QPointF(x, axis_y))
            text = str(year)
            width = metrics.horizontalAdvance(text)
            # Centred under its tick, kept inside the widget, never on top of its neighbour.
            label_x = min(x - width / 2, self.width() - width - 1)
            if label_x < last_label_end + 6:
                continue
            last_label_end = label_x + width
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(label_x, axis_y + 2, width + 1, metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                text,
            )
        for i, row in enumerate(self._rows):
            y = i * self.ROW + 3
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(0, y, label_w - 6, self.ROW - 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _elide(metrics, row.label, label_w - 6),
            )
            start = x_of(row.start) if row.start is not None else left
            end = x_of(row.end) if row.end is not None else right
            colour = language_colour(row.lang)
            bar = QRectF(start, y + 3, max(end - start, 3.0), self.ROW - 10)
            painter.fillRect(bar, colour)
            # An open end fades out: the data says "before" or "still", not a year.
            painter.setPen(QPen(colour.darker(130), 1, Qt.PenStyle.DashLine))
            if row.start is None:
                painter.drawLine(
                    QPointF(left, bar.center().y()), QPointF(left - 4, bar.center().y())
                )
            if row.end is None:
                painter.drawLine(
                    QPointF(right, bar.center().y()), QPointF(right + 4, bar.center().y())
                )


def _elide(metrics: QFontMetricsF, text: str, width: float) -> str:
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(width, 0.0))
