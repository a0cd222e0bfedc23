"""Hours per week as bars, painted with QPainter (no chart library).

Each bar stacks the approved hours (solid) under those awaiting approval (hatched),
so the two read apart without colour; the legend says which is which, and every
bar's tooltip gives both numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from internhost.core.dto import WeekHours
from internhost.gui.formatting import hours, short_date

APPROVED = QColor("#2f6f9f")
AWAITING = QColor("#8fb4d0")
#: At most this many recent weeks are drawn (a term is about 18).
MAX_WEEKS = 26
LEGEND = 22
AXIS = 34
FOOT = 18


class WeekChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weeks: tuple[WeekHours, ...] = ()
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(480, 190)

    def set_weeks(self, weeks: Sequence[WeekHours]) -> None:
        self.weeks = tuple(weeks)[-MAX_WEEKS:]
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(AXIS, LEGEND + 6, self.width() - AXIS - 8, self.height() - LEGEND - FOOT - 10)

    def _bars(self) -> list[tuple[WeekHours, QRectF, float]]:
        """Each week, its bar's slot and the scale (pixels per minute)."""
        plot = self._plot()
        if not self.weeks:
            return []
        top = max(w.approved_minutes + w.awaiting_minutes for w in self.weeks) or 60
        scale = plot.height() / (top * 1.1)
        slot = plot.width() / len(self.weeks)
        return [
            (w, QRectF(plot.left() + i * slot, plot.top(), slot, plot.height()), scale)
            for i, w in enumerate(self.weeks)
        ]

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        self._legend(painter, text)
        plot = self._plot()
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        bars = self._bars()
        if not bars:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No hours logged yet.")
            return
        top_minutes = plot.height() / bars[0][2]
        painter.drawText(
            QRectF(0, plot.top() - 6, AXIS - 4, 14),
            Qt.AlignmentFlag.AlignRight,
            hours(top_minutes / 60),
        )
        painter.drawText(
            QRectF(0, plot.bottom() - 8, AXIS - 4, 14), Qt.AlignmentFlag.AlignRight, "0"
        )
        every = max(1, len(bars) // 6)
        for index, (week, slot, scale) in enumerate(bars):
            width = max(4.0, slot.width() * 0.6)
            x = slot.center().x() - width / 2
            approved = week.approved_minutes * scale
            awaiting = week.awaiting_minutes * scale
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(APPROVED)
            painter.drawRect(QRectF(x, plot.bottom() - approved, width, approved))
            painter.setPen(QPen(APPROVED, 1))
            painter.setBrush(QBrush(AWAITING, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(QRectF(x, plot.bottom() - approved - awaiting, width, awaiting))
            if index % every == 0:
                painter.setPen(QPen(text, 1))
                caption = short_date(week.week_start)
                wide = painter.fontMetrics().horizontalAdvance(caption) + 6
                left = min(max(0.0, slot.center().x() - wide / 2), self.width() - wide)
                painter.drawText(
                    QRectF(left, plot.bottom() + 2, wide, FOOT),
                    Qt.AlignmentFlag.AlignHCenter,
                    caption,
                )

    def _legend(self, painter: QPainter, text: QColor) -> None:
        x = AXIS
        for name, brush in (
            ("Approved", QBrush(APPROVED)),
            ("Awaiting approval", QBrush(AWAITING, Qt.BrushStyle.BDiagPattern)),
        ):
            painter.setPen(QPen(APPROVED, 1))
            painter.setBrush(brush)
            painter.drawRect(QRectF(x, 5, 12, 12))
            painter.setPen(QPen(text, 1))
            width = painter.fontMetrics().horizontalAdvance(name)
            painter.drawText(QRectF(x + 17, 2, width + 4, 18), Qt.AlignmentFlag.AlignVCenter, name)
            x += 17 + width + 18
        painter.drawText(
            QRectF(x, 2, self.width() - x - 8, 18),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            "hours per week",
        )

    def event(self, e: object) -> bool:
        if isinstance(e, QHelpEvent):
            for week, slot, _scale in self._bars():
                if slot.contains(QPointF(e.pos())):
                    QToolTip.showText(
                        e.globalPos(),
                        f"Week of {short_date(week.week_start)}: "
                        f"{hours(week.approved_minutes / 60)} h approved, "
                        f"{hours(week.awaiting_minutes / 60)} h awaiting approval",
                        self,
                    )
                    return True
            QToolTip.hideText()
            return True
        return super().event(e)  # type: ignore[arg-type]
