"""Competency ratings over time as lines, painted with QPainter (PySide6 Essentials has
no QtCharts): one line per competency across the intern's evaluations, each point at
its evaluation's date, the levels on the framework's own scale.

Lines differ by colour and by marker shape, so they read apart without colour too;
the legend names each, and a point's tooltip gives the evaluation, the level and
the evidence note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from internhost.core.dto_progress import EvaluationRow
from internhost.gui.formatting import short_date

COLOURS = (
    QColor("#2f6f9f"),
    QColor("#c0642f"),
    QColor("#3f8f4f"),
    QColor("#8f3f8f"),
    QColor("#9f8f2f"),
    QColor("#2f8f8f"),
    QColor("#6f6f6f"),
    QColor("#af3f4f"),
)
MARKERS = ("circle", "square", "triangle", "diamond")
AXIS = 30
LEGEND_ROW = 18
FOOT = 18
RADIUS = 4.0


@dataclass(frozen=True)
class Point:
    competency: str
    on: date
    level: int
    caption: str


class RatingsChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: dict[str, list[Point]] = {}
        self.scale = 4
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def set_evaluations(self, evaluations: Sequence[EvaluationRow]) -> None:
        """The ratings of ``evaluations`` (oldest first), a line per competency."""
        self.lines = {}
        self.scale = max((e.scale_max for e in evaluations if e.ratings), default=4)
        for e in evaluations:
            for r in e.ratings:
                note = f": {r.evidence}" if r.evidence else ""
                caption = (
                    f"{r.competency}, {e.period_label.lower()} evaluation of "
                    f"{short_date(e.evaluated_on)}: level {r.level} of {e.scale_max}{note}"
                )
                self.lines.setdefault(r.competency, []).append(
                    Point(r.competency, e.evaluated_on, r.level, caption)
                )
        rows = (len(self.lines) + 2) // 3
        self.setMinimumHeight(170 + rows * LEGEND_ROW)
        self.updateGeometry()
        self.update()

    def _legend_height(self) -> int:
        return ((len(self.lines) + 2) // 3) * LEGEND_ROW + 6

    def _plot(self) -> QRectF:
        top = self._legend_height() + 8
        return QRectF(AXIS, top, self.width() - AXIS - 16, self.height() - top - FOOT - 6)

    def _days(self) -> tuple[date, date] | None:
        every = [p.on for points in self.lines.values() for p in points]
        return (min(every), max(every)) if every else None

    def _at(self, point: Point, plot: QRectF, first: date, last: date, line: int) -> QPointF:
        """Where a point is drawn: lines at the same level are set a little apart
        (``line``: its line's index), so none hides another."""
        span = max(1, (last - first).days)
        x = plot.left() + 10 + (plot.width() - 20) * ((point.on - first).days / span)
        if first == last:
            x = plot.center().x()
        band = plot.height() / self.scale
        count = len(self.lines)
        apart = min(2 * RADIUS, band * 0.6 / max(1, count))
        y = plot.bottom() - (point.level - 0.5) * band + (line - (count - 1) / 2) * apart
        return QPointF(x, y)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        plot = self._plot()
        self._grid(painter, plot, text)
        days = self._days()
        if days is None:
            painter.setPen(QPen(text, 1))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No ratings yet.")
            return
        self._legend(painter, text)
        first, last = days
        for index, points in enumerate(self.lines.values()):
            colour = COLOURS[index % len(COLOURS)]
            marker = MARKERS[(index // len(COLOURS) + index) % len(MARKERS)]
            where = [self._at(p, plot, first, last, index) for p in points]
            painter.setPen(QPen(colour, 2))
            for a, b in pairwise(where):
                painter.drawLine(a, b)
            painter.setBrush(colour)
            for at in where:
                _marker(painter, marker, at)
        painter.setPen(QPen(text, 1))
        for day, align in (
            (first, Qt.AlignmentFlag.AlignLeft),
            (last, Qt.AlignmentFlag.AlignRight),
        ):
            painter.drawText(
                QRectF(plot.left(), plot.bottom() + 2, plot.width(), FOOT), align, short_date(day)
            )

    def _grid(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        faint = QColor(text)
        faint.setAlpha(50)
        for level in range(1, self.scale + 1):
            y = plot.bottom() - (level - 0.5) * plot.height() / self.scale
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QPen(text, 1))
            painter.drawText(
                QRectF(0, y - 8, AXIS - 6, 16), Qt.AlignmentFlag.AlignRight, str(level)
            )
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))

    def _legend(self, painter: QPainter, text: QColor) -> None:
        width = (self.width() - AXIS - 8) / 3
        for index, name in enumerate(self.lines):
            colour = COLOURS[index % len(COLOURS)]
            marker = MARKERS[(index // len(COLOURS) + index) % len(MARKERS)]
            x = AXIS + (index % 3) * width
            y = 4 + (index // 3) * LEGEND_ROW
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(x, y + 8), QPointF(x + 18, y + 8))
            painter.setBrush(colour)
            _marker(painter, marker, QPointF(x + 9, y + 8))
            painter.setPen(QPen(text, 1))
            shown = painter.fontMetrics().elidedText(
                name, Qt.TextElideMode.ElideRight, int(width - 30)
            )
            painter.drawText(
                QRectF(x + 24, y, width - 26, 16), Qt.AlignmentFlag.AlignVCenter, shown
            )

    def event(self, e: object) -> bool:
        if isinstance(e, QHelpEvent):
            days = self._days()
            if days is not None:
                plot = self._plot()
                for line, points in enumerate(self.lines.values()):
                    for p in points:
                        at = self._at(p, plot, *days, line)
                        if (at - QPointF(e.pos())).manhattanLength() <= RADIUS * 2.5:
                            QToolTip.showText(e.globalPos(), p.caption, self)
                            return True
            QToolTip.hideText()
            return True
        return super().event(e)  # type: ignore[arg-type]


def _marker(painter: QPainter, shape: str, at: QPointF) -> None:
    r = RADIUS
    if shape == "circle":
        painter.drawEllipse(at, r, r)
    elif shape == "square":
        painter.drawRect(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r))
    elif shape == "triangle":
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(at.x(), at.y() - r),
                    QPointF(at.x() + r, at.y() + r),
                    QPointF(at.x() - r, at.y() + r),
                ]
            )
        )
    else:
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(at.x(), at.y() - r),
                    QPointF(at.x() + r, at.y()),
                    QPointF(at.x(), at.y() + r),
                    QPointF(at.x() - r, at.y()),
                ]
            )
        )
