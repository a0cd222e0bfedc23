"""The one column policy (``widgets.tables.fit_columns``) on the sample data at
1024×700: key columns hold their widest text, the long column takes the rest and
wraps, an elided cell's tooltip holds its text, a 50,000-row model costs no per-row
work; and the layouts issue #12 §5 named: the checklist's rows, the purge's result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QApplication,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)
from screens import show_intern

from internhost.gui.main_window import DEFAULT_SIZE, MainWindow
from internhost.gui.models.columns import Column, RowsModel
from internhost.gui.widgets.cells import CellDelegate
from internhost.gui.widgets.tables import (
    WRAPPED_ROWS,
    ColumnFit,
    Want,
    columns_table,
    fit_columns,
    plain_table,
    plan_widths,
)

SMALL = QSize(1024, 700)
#: The offscreen platform's notes when a window or a tooltip shows.
TOOLTIP_NOISE = pytest.mark.qt_log_ignore("This plugin does not support (raise|propagateSizeHints)")


def at(open_window, demo_path: Path, size: QSize = SMALL) -> MainWindow:
    window = open_window(demo_path)
    window.resize(size)
    window.runner.settle()
    return window


def settled(qtbot, view: QTableView) -> None:
    """Let the resize reach the view and its fit run (it follows a width change late)."""
    qtbot.wait(20)
    view.findChild(ColumnFit).refit()


def texts(view: QTableView, column: int) -> list[str]:
    model = view.model()
    return [str(model.index(r, column).data() or "") for r in range(model.rowCount())]


def assert_whole(view: QTableView, column: int) -> None:
    """The column is at least as wide as its widest text."""
    metrics = view.fontMetrics()
    widest = max(texts(view, column), key=metrics.horizontalAdvance)
    assert view.columnWidth(column) >= metrics.horizontalAdvance(widest), (column, widest)


def assert_long(view: QTableView, column: int) -> None:
    """The long column takes what the others leave (the columns fill the view), and
    wraps there."""
    shown = [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]
    assert sum(view.columnWidth(c) for c in shown) == view.viewport().width()
    delegate = view.itemDelegate()
    assert isinstance(delegate, CellDelegate) and delegate.wrap_column == column


def qtbot_wait_until(condition: Any, timeout_ms: int = 2_000) -> None:
    from PySide6.QtCore import QDeadlineTimer, QThread

    deadline = QDeadlineTimer(timeout_ms)
    while not condition() and not deadline.hasExpired():
        QApplication.processEvents()
        QThread.msleep(10)


def tooltip_at(view: QTableView, row: int, column: int) -> str:
    """The tooltip a pause over the cell shows."""
    QToolTip.hideText()
    QApplication.processEvents()
    qtbot_wait_until(lambda: not QToolTip.isVisible())
    center = view.visualRect(view.model().index(row, column)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, center, view.viewport().mapToGlobal(center))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


# -- the policy, in numbers --------------------------------------------------------------


def test_key_columns_keep_their_width_and_the_long_one_takes_the_rest() -> None:
    wants = [Want(80, 40), Want(300, 60, long=True), Want(100, 50, keep=True)]
    assert plan_widths(wants, 900, 150) == [80, 720, 100]


def test_a_long_column_under_its_floor_squeezes_the_widest_key_columns_first() -> None:
    wants = [Want(200, 60), Want(120, 60), Want(400, 80, long=True), Want(110, 70, keep=True)]
    widths = plan_widths(wants, 500, 150)
    assert widths[2] == 150  # the long column at its floor
    assert widths[3] == 110  # kept whole: a date, a phone number
    assert widths[0] == widths[1] == 120 and sum(widths) == 500


def test_a_long_column_needing_less_than_its_floor_gets_what_it_needs() -> None:
    wants = [Want(300, 60), Want(300, 60), Want(90, 50, long=True)]
    assert plan_widths(wants, 600, 200) == [255, 255, 90]


def test_beside_a_long_text_no_key_column_takes_more_than_its_share() -> None:
    wants = [Want(60, 40, keep=True), Want(500, 60), Want(900, 80, long=True)]
    widths = plan_widths(wants, 1000, 150)
    assert widths == [60, 350, 590]  # the warnings-like key column capped at 35 %


def test_without_a_long_column_the_last_takes_the_spare_width() -> None:
    assert plan_widths([Want(80, 40), Want(100, 50)], 400, 150) == [80, 320]


# -- the screens named in the issue, at 1024×700 ----------------------------------------


def test_equipment_names_are_whole_and_the_tasks_wrap(open_window, demo_path: Path, qtbot):
    window = at(open_window, demo_path)
    window.show_page("equipment")
    window.runner.settle()
    table = window._page("equipment").table
    settled(qtbot, table)
    for column in (0, 1, 2):  # machine, worksite, area
        assert_whole(table, column)
    assert_long(table, 3)
    rows = table.verticalHeader()
    assert max(rows.sectionSize(r) for r in range(table.model().rowCount())) >= 3 * (
        rows.defaultSectionSize() - 12
    )  # a machine's tasks take several lines


def test_schools_are_whole_at_1024(open_window, demo_path: Path, qtbot) -> None:
    window = at(open_window, demo_path)
    window.show_page("schools")
    window.runner.settle()
    table = window._page("schools").table
    settled(qtbot, table)
    for column in (0, 2, 3, 4):  # school, coordinator, email, phone
        assert_whole(table, column)
    assert_long(table, 1)  # the district's long name wraps


@TOOLTIP_NOISE
def test_guardian_phone_numbers_and_the_findings_what_are_whole(
    open_window, demo_path: Path, qtbot
) -> None:
    window = at(open_window, demo_path)
    detail = show_intern(window).detail
    contacts = detail.contacts_view
    settled(qtbot, contacts)
    assert contacts.model().rowCount() >= 2
    for column in range(contacts.model().columnCount()):
        assert_whole(contacts, column)  # the phone above all: "(815) …" no more
    detail.tabs.setCurrentIndex(detail.FINDINGS)
    table = detail.findings_tab.table
    settled(qtbot, table)
    what = 5
    assert_long(table, what)
    delegate = table.itemDelegate()
    for row in range(table.model().rowCount()):
        rect = table.visualRect(table.model().index(row, what))
        assert rect.height() > table.verticalHeader().defaultSectionSize()  # wrapped
        assert not _elided(table, delegate, row, what)
    for column in (0, 1):  # the severity, the date
        assert_whole(table, column)
    rule = table.model().index(0, 3)  # squeezed first when the what needs room
    assert str(rule.data()) in tooltip_at(table, 0, 3)


def _elided(view: QTableView, delegate: CellDelegate, row: int, column: int) -> bool:
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    delegate.initStyleOption(option, index)
    return delegate.elided(option, index)


# -- tooltips ------------------------------------------------------------------------------


class Named:
    def __init__(self, name: str, note: str = "") -> None:
        self.name, self.note = name, note


@TOOLTIP_NOISE
def test_an_elided_cell_shows_its_whole_text_as_tooltip(qtbot) -> None:
    columns = (
        Column("Name", lambda r: r.name),
        Column("Note", lambda r: r.note, tooltip=lambda r: "From the file" if r.note else None),
    )
    model: RowsModel[Named] = RowsModel(columns)
    long_name = "Alexandra Nguyễn-Whitfield of the Rockford Public Schools District 205"
    model.set_rows([Named(long_name, "x"), Named("Ana", "")])
    view = columns_table(model)
    qtbot.addWidget(view)
    view.resize(260, 200)
    view.show()
    qtbot.waitExposed(view)
    settled(qtbot, view)
    assert view.columnWidth(0) < view.fontMetrics().horizontalAdvance(long_name)
    assert tooltip_at(view, 0, 0) == long_name  # elided: the whole text
    assert tooltip_at(view, 1, 0) == ""  # whole already: no tooltip
    assert tooltip_at(view, 0, 1) == "From the file"  # the model's own tooltip stays


@TOOLTIP_NOISE
def test_an_elided_intern_name_at_1024_has_a_tooltip(open_window, demo_path: Path, qtbot):
    window = at(open_window, demo_path)
    window.show_page("interns")
    window.runner.settle()
    table = window.interns_view.table
    settled(qtbot, table)
    metrics = table.fontMetrics()
    for row in range(table.model().rowCount()):
        index = table.model().index(row, 3)  # the school
        if not table.visualRect(index).isValid():
            continue
        text = str(index.data())
        if metrics.horizontalAdvance(text) > table.columnWidth(3):
            assert tooltip_at(table, row, 3) == text
            return
        assert tooltip_at(table, row, 3) == ""
    # At 1024 every column fits: then no tooltip anywhere, which the loop checked.


# -- big lazy models -------------------------------------------------------------------------


class Counting(QAbstractTableModel):
    """50,000 rows that count what is asked of them."""

    columns = (
        Column("Name", lambda r: r),
        Column("Note", lambda r: r, long=True),
    )

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows, self.asked = rows, 0

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.asked += 1
        return f"Row {index.row()} with some words to wrap" if role == 0 else None


def test_fifty_thousand_rows_cost_no_work_per_row(qtbot) -> None:
    model = Counting(50_000)
    view = plain_table()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    fit = fit_columns(view)
    model.asked = 0
    model.beginResetModel()
    model.endResetModel()
    fit.refit()
    assert model.asked < 2_000  # the rows in view, not 50,000
    assert not fit.wraps() and model.rows > WRAPPED_ROWS  # the long column elides


# -- layouts ------------------------------------------------------------------------------------


def test_the_checklist_shows_six_rows_at_the_default_size(open_window, demo_path: Path, qtbot):
    window = at(open_window, demo_path, DEFAULT_SIZE)
    detail = show_intern(window).detail
    detail.tabs.setCurrentIndex(detail.CHECKLIST)
    table = detail.checklist_tab.table
    settled(qtbot, table)
    viewport = table.viewport().rect()
    whole = [
        r
        for r in range(table.model().rowCount())
        if viewport.contains(table.visualRect(table.model().index(r, 0)))
    ]
    assert len(whole) >= 6, len(whole)


def test_the_purge_result_shows_beside_its_button(open_window, demo_path: Path, qtbot):
    window = at(open_window, demo_path)
    window.show_page("backups")
    view = window._page("backups")
    view.review_purge()
    qtbot.waitUntil(lambda: view.purge_status.text().startswith("Nobody"), timeout=10_000)
    qtbot.wait(20)
    button, note = (_box(w, window) for w in (view.review_button, view.purge_status))
    assert note.isValid() and note.left() - button.right() <= 24  # just right of it
    assert abs(note.top() - button.top()) <= 24  # on its row


def _box(widget: QWidget, window: QWidget) -> Any:
    return widget.rect().translated(widget.mapTo(window, QPoint(0, 0)))
