"""Tables: the plain read-only table, column sizing from the columns' samples, the fitted
table that squeezes columns into the width it has, and the delegate that draws pills (small
badges) in cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from internhost.gui.models.columns import PILLS_ROLE, Column, Pill
from internhost.gui.theme import PILL_TONES

#: Cell padding (the stylesheet's 6 px a side) plus Qt's own margins and a little air.
CELL_PADDING = 26
#: The stylesheet's padding inside a table cell, each side.
ITEM_PADDING = 6


def plain_table(view: QTableView | None = None) -> QTableView:
    """A read-only, row-selecting table without a vertical header or grid."""
    view = view if view is not None else QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return view


def size_columns(view: QTableView, columns: Sequence[Column[Any]]) -> None:
    """Width each column for its sample text (or header) in the current font."""
    body = view.fontMetrics()
    bold = QFont(view.font())
    bold.setBold(True)
    head = QFontMetrics(bold)
    for index, column in enumerate(columns):
        width = max(body.horizontalAdvance(column.sample), head.horizontalAdvance(column.header))
        view.setColumnWidth(index, width + CELL_PADDING)


def columns_table(model: QAbstractItemModel, columns: Sequence[Column[Any]]) -> QTableView:
    """A ``plain_table`` of ``model``: pills drawn, each column as wide as its sample
    and resizable, the last one stretching to the edge."""
    view = plain_table()
    view.setModel(model)
    view.setItemDelegate(PillDelegate(view))
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    size_columns(view, columns)
    return view


class FittedTable(QTableView):
    """A short table that never scrolls: as tall as its rows, and as wide as its parent.

    Columns take their content's width; when that is too wide, the widest give up
    space first (their text elides, and the tooltip shows it whole), so the last
    row is never hidden under a scroll bar.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fitted")  # a smaller font (theme): these tables are secondary
        plain_table(self)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def refit(self) -> None:
        model = self.model()
        if model is None:
            return
        self.ensurePolished()  # the stylesheet's font decides every width below
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        count = model.columnCount()
        floors = [header.sectionSizeFromContents(c).width() + 8 for c in range(count)]
        natural = [max(self.sizeHintForColumn(c), floors[c]) for c in range(count)]
        columns = getattr(model, "columns", ())
        keep = [c < len(columns) and not columns[c].elide for c in range(count)]
        # Squeeze the elidable columns first; the others only if that is not enough.
        first = [n if k else f for n, f, k in zip(natural, floors, keep, strict=True)]
        available = self.viewport().width()
        widths = _squeeze(_squeeze(natural, first, available), floors, available)
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        rows = max(model.rowCount(), 1)
        self.setFixedHeight(
            header.sizeHint().height()
            + self.verticalHeader().defaultSectionSize() * rows
            + 2 * self.frameWidth()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.refit()


def _squeeze(natural: list[int], floors: list[int], available: int) -> list[int]:
    """Column widths that fit ``available``: extra space goes to the last column; a
    shortfall is taken from the widest columns first (one common cap), so short
    columns such as phone numbers stay whole and long ones elide."""
    total = sum(natural)
    if not natural or available <= 0:
        return natural
    if total <= available:
        return [*natural[:-1], natural[-1] + available - total]

    def capped(cap: int) -> list[int]:
        return [min(n, max(cap, f)) for n, f in zip(natural, floors, strict=True)]

    low, high = 0, max(natural)  # the largest cap whose widths still fit
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if sum(capped(mid)) <= available else (low, mid - 1)
    return capped(low)


class PillDelegate(QStyledItemDelegate):
    """Draws a cell's pills (``PILLS_ROLE``) before its text, which elides after them.

    Cells without pills paint as usual. The pills take the badge labels' look
    (``theme.PILL_TONES``) so a flag reads the same in a table as in a form.
    """

    GAP = 6
    PAD = 7  # inside a pill, each side

    @staticmethod
    def pill_font(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.5, font.pointSizeF() * 0.8))
        small.setBold(True)
        return small

    def _pills_width(self, pills: tuple[Pill, ...], font: QFont) -> int:
        metrics = QFontMetrics(self.pill_font(font))
        return sum(metrics.horizontalAdvance(p.text) + 2 * self.PAD + self.GAP for p in pills)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        pills = index.data(PILLS_ROLE)
        if pills:
            size.setWidth(size.width() + self._pills_width(pills, option.font))
        return size

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        pills = index.data(PILLS_ROLE)
        if not pills:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        font = self.pill_font(opt.font)
        metrics = QFontMetrics(font)
        rect = opt.rect.adjusted(ITEM_PADDING, 0, -ITEM_PADDING, 0)
        height = metrics.height() + 2
        top = rect.center().y() - height / 2 + 1
        x = float(rect.left())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        for pill in pills:
            background, foreground = PILL_TONES[pill.tone]
            width = metrics.horizontalAdvance(pill.text) + 2 * self.PAD
            width = min(width, max(0.0, rect.right() - x))
            box = QRectF(x, top, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(background))
            painter.drawRoundedRect(box, height / 2, height / 2)
            painter.setPen(QColor(foreground))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, pill.text)
            x += width + self.GAP
        if text:
            painter.setFont(opt.font)
            painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
            room = rect.adjusted(int(x - rect.left()), 0, 0, 0)
            elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, room.width())
            painter.drawText(
                room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )
        painter.restore()
