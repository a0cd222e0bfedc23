"""The Compliance screen: every finding across interns, filters, a warning acknowledged
with a reason, the override refused for a hazardous order, the dashboard's counts
opening it filtered, and a finding opening its intern at the place to fix it: the
planner at its shift, the placement editor, the Hours tab at its entry."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from dialogs import in_dialog, saved, settle
from PySide6.QtCore import QSize
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.models import Finding, FindingOverride
from internhost.core.rules.decisions import decision_for
from internhost.core.services import accounts, directory, setup
from internhost.core.storage import db
from internhost.gui.main_window import MainWindow
from internhost.gui.models.findings_list import COLUMNS, FindingsListModel
from internhost.gui.views.findings_screen import FindingsScreen

SIZE = QSize(1280, 800)
HAZARD = "US-FLSA-HO7"
NOTICE = "US-IL-206-55-notice-hours"


def _accounts(path: Path) -> dict[str, Actor]:
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            return {a.role: accounts.actor_for(a) for a in accounts.list_accounts(s, SYSTEM)}
    finally:
        engine.dispose()


def _count(path: Path, stmt) -> int:
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            return s.scalar(stmt)
    finally:
        engine.dispose()


@pytest.fixture
def hr(demo_path: Path) -> Actor:
    return _accounts(demo_path)["hr_admin"]


def open_screen(open_window, path: Path, actor: Actor) -> tuple[MainWindow, FindingsScreen]:
    window = open_window(path, actor=actor)
    window.resize(SIZE)
    window.show_page("compliance")
    assert window.runner.settle()
    screen = window._page("compliance")
    assert isinstance(screen, FindingsScreen)
    return window, screen


def rows(screen: FindingsScreen) -> list:
    model = screen.model
    return [model.row_at(r) for r in range(model.rowCount())]


def select_rule(screen: FindingsScreen, rule: str, source: str) -> None:
    listed = rows(screen)
    row = next(i for i, f in enumerate(listed) if f.rule == rule and f.source == source)
    screen.table.selectRow(row)
    assert screen.selected().rule == rule


def test_the_model_contract(qtmodeltester, open_window, demo_path: Path, hr: Actor) -> None:
    window, _screen = open_screen(open_window, demo_path, hr)
    model = FindingsListModel(window.ops)
    model.refresh()
    assert window.runner.settle()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() > 0 and model.columnCount() == len(COLUMNS)


def test_every_finding_is_listed_and_filtered(open_window, demo_path: Path, hr: Actor) -> None:
    window, screen = open_screen(open_window, demo_path, hr)
    total = _count(demo_path, select(func.count(Finding.id)))
    assert screen.model.rowCount() == total
    assert screen.count.text() == f"{total} findings"
    screen.severity.setCurrentIndex(screen.severity.findData("warning"))
    assert window.runner.settle()
    assert {f.severity for f in rows(screen)} == {"warning"}
    screen.source.setCurrentIndex(screen.source.findData("logged"))
    assert window.runner.settle()
    assert {(f.severity, f.source) for f in rows(screen)} == {("warning", "logged hours")}
    screen.clear_filters()
    assert window.runner.settle()
    assert screen.model.rowCount() == total
    screen.search.setText("zzz-nobody")
    screen.apply_filters()
    assert window.runner.settle()
    assert screen.list_stack.currentWidget() is screen.message


def test_acknowledging_a_warning_with_a_reason(
    open_window, demo_path: Path, hr: Actor, screenshot
) -> None:
    window, screen = open_screen(open_window, demo_path, hr)
    select_rule(screen, NOTICE, "planned shift")
    assert screen.acknowledge_button.isEnabled()
    assert not screen.override_button.isEnabled() and not screen.revoke_button.isEnabled()
    finding_id = screen.selected().id

    refused = in_dialog(lambda: screen.decide("acknowledge"), lambda d, form: None)
    assert not refused.saved and refused.errors["reason"] == "Is required"

    def fill(dialog, form) -> None:
        form.input("reason").set_value("Weekly-hours notice sent to the school coordinator.")

    saved(lambda: screen.decide("acknowledge"), fill)
    settle(screen)
    assert window.runner.settle()
    f = screen.selected()
    assert f.id == finding_id and f.status == "acknowledged"
    assert f.decision_reason == "Weekly-hours notice sent to the school coordinator."
    assert "Acknowledged by" in screen.detail.ui.decisionValue.text()
    assert screen.revoke_button.isEnabled()
    screenshot(window, "compliance-acknowledged")

    screen.revoke()
    assert window.runner.settle()
    assert screen.selected().status == "revoked"
    revoked = select(func.count(FindingOverride.id)).where(FindingOverride.revoked_at.is_not(None))
    assert _count(demo_path, revoked) == 1


def test_the_override_is_refused_for_a_hazardous_order(
    open_window, demo_path: Path, hr: Actor
) -> None:
    _window, screen = open_screen(open_window, demo_path, hr)
    select_rule(screen, HAZARD, "planned shift")
    advice = decision_for("hazardous_order", "violation", "V").advice
    assert not screen.override_button.isEnabled()
    assert screen.override_button.toolTip() == advice
    assert screen.advice.text() == advice and screen.advice.isVisibleTo(screen)

    def fill(dialog, form) -> None:
        form.input("reason").set_value("The supervisor watched the whole time.")

    decided = _count(demo_path, select(func.count(FindingOverride.id)))  # the sample's
    run = in_dialog(lambda: screen.decide("override"), fill)  # asked anyway: the core says no
    assert not run.saved
    assert advice.rstrip(".") in run.errors["kind"]
    assert _count(demo_path, select(func.count(FindingOverride.id))) == decided


def test_a_mentor_reads_but_decides_nothing(open_window, demo_path: Path) -> None:
    mentor = _accounts(demo_path)["mentor"]
    _window, screen = open_screen(open_window, demo_path, mentor)
    assert 0 < screen.model.rowCount() < _count(demo_path, select(func.count(Finding.id)))
    for widget in (screen.acknowledge_button, screen.override_button, screen.revoke_button):
        assert not widget.isVisibleTo(screen)
    assert screen.open_button.isVisibleTo(screen)


def test_the_dashboard_counts_open_it_filtered(open_window, demo_path: Path, hr: Actor) -> None:
    window = open_window(demo_path, actor=hr)
    window.resize(SIZE)
    card = window.dashboard_view.findings
    counted = int(card.counts["violation"].text().split(">")[1].split("<")[0])
    card.counts["violation"].linkActivated.emit("findings:violation")
    assert window.runner.settle()
    assert window.current_page == "compliance"
    screen = window._page("compliance")
    assert screen.status.currentIndex() == screen.status.count() - 1  # as the dashboard counts
    assert {f.severity for f in rows(screen)} == {"violation"}
    assert screen.model.rowCount() == counted


def test_a_logged_finding_opens_the_hours_tab_at_its_entry(
    open_window, demo_path: Path, hr: Actor
) -> None:
    window, screen = open_screen(open_window, demo_path, hr)
    select_rule(screen, HAZARD, "logged hours")
    wanted = screen.selected()
    assert wanted.time_entry_id is not None
    screen.open_intern()
    assert window.runner.settle()
    settle(window)
    assert window.current_page == "interns"
    detail = window.interns_view.detail
    assert detail.current is not None and detail.current.id == wanted.intern_id
    assert detail.tabs.currentWidget() is detail.hours_tab
    hours = detail.hours_tab
    chosen = hours.entries_view.selectionModel().selectedRows()
    assert [hours.entries.row_at(i.row()).id for i in chosen] == [wanted.time_entry_id]


def test_a_planned_finding_opens_the_planner_at_its_shift(
    open_window, demo_path: Path, hr: Actor, screenshot
) -> None:
    window, screen = open_screen(open_window, demo_path, hr)
    select_rule(screen, NOTICE, "planned shift")
    wanted = screen.selected()
    screen.open_intern()
    assert window.runner.settle()
    settle(window)
    assert window.runner.settle()
    assert window.current_page == "planner"
    planner = window._page("planner")
    assert planner.subject.currentData() == wanted.intern_id
    assert planner.view.current == f"shift:{wanted.shift_id}"
    assert planner.week <= wanted.work_date < planner.week + timedelta(days=7)
    assert any(f.rule == NOTICE for f in planner.view.findings_of(planner.view.current))
    screenshot(window, "compliance-open-shift")


def test_a_placement_finding_opens_the_placement_editor(
    open_window, demo_path: Path, hr: Actor
) -> None:
    window, screen = open_screen(open_window, demo_path, hr)
    listed = rows(screen)
    row = next(i for i, f in enumerate(listed) if f.source == "placement")
    screen.table.selectRow(row)
    wanted = screen.selected()
    run = in_dialog(screen.open_intern, lambda d, form: None, save=False)
    assert run.dialog is not None and "placement" in run.title.lower()
    assert window.current_page == "compliance"
    assert wanted.placement_id is not None


def test_a_calendar_edit_shows_findings_stale_then_checks_them_again(
    open_window, demo_path: Path, hr: Actor
) -> None:
    window, screen = open_screen(open_window, demo_path, hr)
    stale = select(func.count(Finding.id)).where(Finding.stale.is_(True))
    database = window.ops.database
    for calendar in database.read(directory.list_calendars):
        data = database.read(directory.calendar_for_edit, calendar.id)
        database.write(setup.save_calendar, data, calendar.id)  # inputs touched
    assert _count(demo_path, stale) > 0  # shown stale meanwhile
    window.ops.announce({"calendar"})  # what the editor's save announces
    assert window.runner.settle()
    assert window.runner.settle()  # the re-check it started, then the screens' reads
    assert _count(demo_path, stale) == 0
    assert rows(screen) and not any(f.stale for f in rows(screen))
