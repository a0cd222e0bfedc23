"""The delegate every table draws its cells with: pills (small badges) before the
text, the long column's text wrapped, and an elided cell's whole text as its tooltip.

Which column wraps is the column policy's decision (``tables.fit_columns`` sets
``wrap_column``); the delegate only draws it and measures it (``wrapped_height``),
so the row heights the policy sets and the lines painted always agree. A wrapped
cell shows at most ``MAX_LINES`` lines (the last elided): a row stays scannable, and
the tooltip has the rest. In a table that wraps, every cell starts at the top of its
row, level with the first line of the long text.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from internhost.gui.models.columns import PILLS_ROLE, Pill
from internhost.gui.theme import PILL_TONES

Index = QModelIndex | QPersistentModelIndex
#: The stylesheet's padding inside a table cell, each side (``QTableView::item``).
ITEM_PADDING = 6
#: Below and above a line of text in a row (the rows' default height is the font's
#: height plus this).
ROW_PADDING = 12
#: Lines a wrapped cell shows at most.
MAX_LINES = 6
TOP = Qt.AlignmentFlag.AlignTop
VERTICAL = Qt.AlignmentFlag.AlignVertical_Mask


def text_margin(widget: QWidget | None) -> int:
    """Width a cell adds around its text, both sides: the stylesheet's padding and the
    style's own text margin (what ``QStyledItemDelegate`` leaves when it paints)."""
    style = widget.style() if widget is not None else QApplication.style()
    inner = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
    return 2 * (ITEM_PADDING + inner)


def wrapped_lines(text: str, font: QFont, width: int) -> tuple[list[str], bool]:
    """``text`` broken into lines at word boundaries (anywhere in a word too long for a
    line) for ``width`` pixels: at most ``MAX_LINES``, the last elided if text is left
    over; and whether they hold the whole text."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start, length = line.textStart(), line.textLength()
        if len(lines) == MAX_LINES - 1 and start + length < len(text):
            rest = text[start:].replace("\n", " ")
            lines.append(QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width))
            layout.endLayout()
            return lines, False
        lines.append(text[start : start + length].rstrip())
    layout.endLayout()
    return lines, True


def pill_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.5, font.pointSizeF() * 0.8))
    small.setBold(True)
    return small


class CellDelegate(QStyledItemDelegate):
    """Draws a cell's pills (``PILLS_ROLE``) before its text, wraps the text of
    ``wrap_column``, and gives an elided cell its whole text as a tooltip.

    The style paints the other cells (inset to the top in a table that wraps). The pills take
    the badge labels' look (``theme.PILL_TONES``) so a flag reads the same in a table
    as in a form.
    """

    GAP = 6
    PAD = 7  # inside a pill, each side

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The column whose text wraps (the policy's long column), or -1.
        self.wrap_column = -1

    def pills_width(self, pills: tuple[Pill, ...] | None, font: QFont) -> int:
        if not pills:
            return 0
        metrics = QFontMetrics(pill_font(font))
        return sum(metrics.horizontalAdvance(p.text) + 2 * self.PAD + self.GAP for p in pills)

    def lines(self, index: Index, width: int, font: QFont, margin: int) -> tuple[list[str], bool]:
        """The lines of a wrapped cell in a column ``width`` wide, and whether they
        hold its whole text."""
        room = width - margin - self.pills_width(index.data(PILLS_ROLE), font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        return wrapped_lines(text, font, room) if room > 0 and text else ([text], True)

    def wrapped_height(self, index: Index, width: int, font: QFont, margin: int) -> int:
        """The row height a wrapped cell needs in a column ``width`` wide."""
        lines, _whole = self.lines(index, width, font, margin)
        return QFontMetrics(font).lineSpacing() * max(len(lines), 1) + ROW_PADDING

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if self.wrap_column < 0:
            return
        # Every cell of a table that wraps starts at the top, level with the first line.
        option.displayAlignment = (option.displayAlignment & ~VERTICAL) | TOP
        option.decorationAlignment = Qt.AlignmentFlag.AlignLeft | TOP
        if index.column() == self.wrap_column:  # the lines are ours: the style draws them
            margin = text_margin(option.widget)
            lines, _whole = self.lines(index, option.rect.width(), option.font, margin)
            option.text = "\n".join(lines)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        size.setWidth(size.width() + self.pills_width(index.data(PILLS_ROLE), option.font))
        return size

    def elided(self, option: QStyleOptionViewItem, index: Index) -> bool:
        """Whether the cell shows less than its whole text in ``option.rect``."""
        if not index.data(Qt.ItemDataRole.DisplayRole):
            return False
        if index.column() == self.wrap_column:
            margin = text_margin(option.widget)
            return not self.lines(index, option.rect.width(), option.font, margin)[1]
        return self.sizeHint(option, index).width() > option.rect.width()

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """The model's tooltip, led by the whole text when the cell elides it."""
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        tip = full_tooltip(index, self.elided(opt, index))
        if not tip:
            QToolTip.hideText()
            event.ignore()
            return False
        QToolTip.showText(event.globalPos(), tip, view, option.rect)
        return True

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        pills = index.data(PILLS_ROLE)
        wraps = index.column() == self.wrap_column
        if not pills and self.wrap_column < 0:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget: QWidget | None = opt.widget  # None when no view paints (Qt allows it)
        style = widget.style() if widget is not None else QApplication.style()
        if not pills and not wraps:  # top-aligned: the row's background, the content inset
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
            opt.rect = opt.rect.adjusted(0, ROW_PADDING // 2, 0, 0)
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            return
        text, opt.text = opt.text, ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        font = pill_font(opt.font)
        metrics = QFontMetrics(font)
        side = text_margin(widget) // 2
        rect = opt.rect.adjusted(side, 0, -side, 0)
        height = metrics.height() + 2
        top_aligned = self.wrap_column >= 0
        # Pills sit on the first line of a table that wraps, else in the middle of the row.
        first_line = rect.top() + (ROW_PADDING + opt.fontMetrics.height()) / 2
        top = (first_line if top_aligned else rect.center().y()) - height / 2 + 1
        x = float(rect.left())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        for pill in pills or ():
            background, foreground = PILL_TONES[pill.tone]
            width = min(metrics.horizontalAdvance(pill.text) + 2.0 * self.PAD, rect.right() - x)
            width = max(width, 0.0)
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
            if top_aligned:  # a wrapped cell's lines come broken and elided already
                room.adjust(0, ROW_PADDING // 2, 0, 0)
                align = Qt.AlignmentFlag.AlignLeft | TOP
            else:
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            if not wraps:
                text = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, room.width())
            painter.drawText(room, align, text)
        painter.restore()


def full_tooltip(index: Index, elided: bool) -> str:
    """A cell's tooltip: the model's, led by the cell's whole text when it is elided
    (unless the model's tooltip already holds it)."""
    tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    if elided and text and text not in tip:
        return f"{text}\n\n{tip}" if tip else text
    return tip
