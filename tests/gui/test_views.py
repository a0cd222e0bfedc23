"""Screens in use: typing a search, clicking headers, links, and what each role sees."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

from dialogs import settle
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel
from testkeys import TEST_KEY

from internhost.core import dto
from internhost.core.actor import Actor, Role
from internhost.core.storage import db
from internhost.gui.models.interns_model import COLUMNS
from internhost.gui.views.dashboard import DashboardView
from internhost.gui.views.interns import SEARCH_DELAY_MS

SAMPLE_TODAY = date(2026, 11, 20)
AGE = next(i for i, c in enumerate(COLUMNS) if c.header == "Age")
END = next(i for i, c in enumerate(COLUMNS) if c.header == "End")


def click_header(qtbot, view, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_typing_nguyen_finds_nguyen_after_a_pause(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    qtbot.keyClicks(view.search, "nguyen")
    assert view.model.rowCount() == 24  # debounced: nothing yet
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=SEARCH_DELAY_MS * 10)
    assert view.model.row_at(0).name == "Nguyễn, Thị Ánh"
    assert view.count.text() == "1 intern found"
    view.table.selectRow(0)
    view.search.clear()
    view.apply_search()
    assert view.model.rowCount() == 1  # shown until the answer comes
    assert window.runner.settle()
    assert view.model.rowCount() == 24
    assert view.selected_intern_id() == view.detail.current.id  # selection survived


def test_header_click_sorts_by_age_and_ignores_unsortable(
    open_window, demo_path: Path, qtbot
) -> None:
    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    click_header(qtbot, view, AGE)
    assert window.runner.settle()
    ages = [view.model.row_at(r).age for r in range(view.model.rowCount())]
    assert view.model.sort_column == AGE and ages in (sorted(ages), sorted(ages, reverse=True))
    click_header(qtbot, view, END)  # End has no SQL sort key
    assert window.runner.settle()
    assert view.model.sort_column == AGE
    assert view.table.horizontalHeader().sortIndicatorSection() == AGE


def test_dashboard_link_opens_the_intern(open_window, demo_path: Path) -> None:
    window = open_window(demo_path)
    change = window.dashboard_view.dashboard.rule_changes[0]
    window.dashboard_view.intern_activated.emit(change.intern_id)
    assert window.runner.settle()
    assert window.current_page == "interns"
    assert window.interns_view.detail.current.id == change.intern_id


def first_mentor(path: Path) -> int:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute("SELECT id FROM staff WHERE role = 'mentor' ORDER BY id").fetchone()[0]


def test_mentor_sees_own_interns_without_birth_dates_or_contacts(
    open_window, demo_path: Path
) -> None:
    mentor = Actor(Role.MENTOR, "Mentor", staff_id=first_mentor(demo_path))
    window = open_window(demo_path, actor=mentor)
    assert not window.welcome_page.load_button.isVisibleTo(window.welcome_page)
    window.show_page("interns")
    view = window.interns_view
    assert 0 < view.model.rowCount() < 24
    view.table.selectRow(0)
    assert window.runner.settle()
    ui = view.detail.profile.ui
    assert not ui.birthDateValue.isVisibleTo(view.detail)
    assert not ui.addressValue.isVisibleTo(view.detail)
    assert ui.ageValue.text()  # the age (and band) still show
    assert not view.detail.contacts_view.isVisibleTo(view.detail)
    assert "may not see" in view.detail.contacts_note.text()


def test_rule_changes_without_birth_dates_name_no_date(qtbot, ops) -> None:
    today = date(2026, 11, 20)
    view = DashboardView(ops)
    qtbot.addWidget(view)
    view.set_dashboard(
        dto.Dashboard(
            today=today,
            employer_name="Acme",
            active_interns=1,
            active_placements=1,
            hours_limited=0,
            worksites=1,
            schools=1,
            mentors=1,
            hours_this_week=7.5,
            open_checklist_items=0,
            week_from=date(2026, 11, 15),
            rule_changes=(
                dto.RuleChange(1, "Zoë Łukasiewicz", 18, None),
                dto.RuleChange(2, "José Núñez", 16, date(2026, 12, 1)),
            ),
        )
    )
    rows = [
        [w.text() for w in frame.findChildren(QLabel)]
        for frame in view.rule_changes.findChildren(QFrame)
        if frame.objectName() == "listRow"
    ]
    assert "Zoë Łukasiewicz" in rows[0][0] and rows[0][1] == "rules change soon"
    assert "José Núñez" in rows[1][0] and rows[1][1].startswith("turns 16 · Dec 1")
    assert view.metrics["hours_this_week"].value.text() == "7.5"
    assert view.metrics["hours_this_week"].caption.text() == "Nov 15 – Nov 21"


def test_the_dashboard_and_set_up_read_again_when_a_write_announces_what_they_count(
    qtbot, ops, database
) -> None:
    from internhost.core.services import dashboard, setup
    from internhost.gui.views.setup_view import SetupView

    board, summary = DashboardView(ops), SetupView(ops)
    for view in (board, summary):
        qtbot.addWidget(view)
    board.show()  # shown before anyone gave it a dashboard: it reads its own
    summary.show()
    assert summary.summary.text() == "Loading…"
    settle(board)
    assert board.dashboard == database.read(dashboard.dashboard, SAMPLE_TODAY)
    mentors = board.dashboard.mentors
    checks = summary.scroll_area.widget()
    assert checks is not None and summary.summary.text() != "Loading…"

    summary.hide()  # not on screen: it notes the change, and reads once shown again
    ops.write(
        board,
        setup.save_staff,
        setup.StaffInput("Nia", "Okafor", "mentor", email="nia.okafor@example.com"),
        today=SAMPLE_TODAY,
        changes={"staff"},
    )
    settle(board)
    assert board.dashboard.mentors == mentors + 1
    assert summary.scroll_area.widget() is checks  # not read while hidden
    summary.show()
    settle(summary)
    assert summary.scroll_area.widget() is not checks
