"""The main window on the sample data and on an empty database, with screenshots."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.services.dashboard import dashboard, is_empty
from internhost.core.storage import db
from internhost.gui.main_window import MainWindow
from internhost.gui.settings import UiSettings

SIZE = QSize(1280, 800)


def find_row(window: MainWindow, text: str) -> int:
    model = window.interns_view.model
    for row in range(model.rowCount()):
        if text in model.row_at(row).name:
            return row
    raise AssertionError(f"{text} not in the list")


def test_dashboard_on_sample_data(
    open_window, demo_path: Path, qtbot, screenshot, sample_today
) -> None:
    window = open_window(demo_path)
    window.resize(SIZE)
    assert window.current_page == "dashboard"
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            expected = dashboard(s, SYSTEM, sample_today)
    finally:
        engine.dispose()
    view = window.dashboard_view
    assert view.dashboard == expected
    assert view.metrics["active_interns"].value.text() == str(expected.active_interns)
    assert str(demo_path) in window.path_label.text()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Dashboard",
        "Set-up",
        "Interns",
        "Schedule planner",
        "Compliance",
        "Incidents",
        "Placements",
        "Staff",
        "Schools",
        "Calendars",
        "Worksites",
        "Equipment",
        "Onboarding plan",
        "Backups",
        "Accounts",
        "Audit trail",
    ]
    screenshot(window, "main-window")


def test_interns_view_with_detail(
    open_window, demo_path: Path, qtbot, screenshot, sample_today
) -> None:
    window = open_window(demo_path)
    window.resize(SIZE)
    window.show_page("interns")
    view = window.interns_view
    view.table.selectRow(find_row(window, "Núñez"))
    assert window.runner.settle()  # the detail is read on the worker
    assert view.detail.current is not None
    assert view.detail.header.ui.nameLabel.text() == view.detail.current.display_name
    screenshot(window, "interns")


def test_welcome_then_sample_data(open_window, db_path: Path, qtbot, screenshot) -> None:
    window = open_window(db_path)
    window.resize(SIZE)
    assert window.current_page == "welcome"
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Welcome"]
    screenshot(window, "welcome")
    qtbot.mouseClick(window.welcome_page.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page == "dashboard", timeout=60_000)
    assert window.dashboard_view.dashboard.active_interns > 0
    engine = db.make_engine(db_path, TEST_KEY, create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            assert not is_empty(s)
    finally:
        engine.dispose()


def test_geometry_is_restored(open_window, demo_path: Path, ui_settings: UiSettings, qtbot) -> None:
    first = open_window(demo_path)
    first.resize(760, 560)  # within the offscreen 800×800 screen
    first.splitter.setSizes([240, 520])
    first.show_page("interns")
    first.interns_view.splitter.setSizes([150, 300])
    table_height = first.interns_view.splitter.sizes()[0]  # as the layout allowed it
    first.interns_view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first.close()
    second = open_window(demo_path)
    assert second.size() == QSize(760, 560)
    assert second.splitter.sizes()[0] == 240
    second.show_page("interns")
    assert abs(second.interns_view.splitter.sizes()[0] - table_height) <= 5  # rounding
    assert (second.interns_view.model.sort_column, second.interns_view.model.sort_order) == (
        2,
        Qt.SortOrder.DescendingOrder,
    )


def test_a_missing_database_fails_with_a_message(
    ui_settings: UiSettings, tmp_path: Path, qtbot
) -> None:
    window = MainWindow(tmp_path / "gone.db", settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.failed, timeout=20_000) as blocker:
        window.open_database()
    assert "no database at" in blocker.args[0]
    assert window.current_page == "loading"
    assert blocker.args[0] in window.loading_page.message.text()


def _look(window: MainWindow, qtbot) -> None:
    """One look for others' changes, as the idle timer makes it, waited for."""
    window._look_for_changes()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)


def test_changes_saved_elsewhere_show_without_a_click(open_window, demo_path: Path, qtbot):
    from internhost.core.services import setup
    from internhost.gui.main_window import CHANGED_ELSEWHERE

    window = open_window(demo_path)
    assert window.watch_timer.isActive()
    window.show_page("staff")
    staff = window._page("staff")
    assert window.runner.settle()  # its rows, read on the database worker
    before = staff.model.rowCount()
    _look(window, qtbot)  # the first look notes where things stand
    _look(window, qtbot)
    assert window.statusBar().currentMessage() != CHANGED_ELSEWHERE

    # The app's own write is no news; another process's (here: another engine) is.
    window.database.write(
        setup.save_staff,
        setup.StaffInput("Own", "Write", "mentor", email="own@example.com"),
        today=window.clock(),
    )
    _look(window, qtbot)
    assert window.statusBar().currentMessage() != CHANGED_ELSEWHERE
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            setup.save_staff(
                s,
                SYSTEM,
                setup.StaffInput("Elsewhere", "Saved", "mentor", email="else@example.com"),
                today=window.clock(),
            )
    finally:
        engine.dispose()
    _look(window, qtbot)
    assert window.statusBar().currentMessage() == CHANGED_ELSEWHERE
    assert staff.model.rowCount() == before + 2  # both, without leaving the screen
    window.close()
    assert not window.watch_timer.isActive()
