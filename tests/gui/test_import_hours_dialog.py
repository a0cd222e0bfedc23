"""A time clock's file imported through the import dialog (the roster's frame, the
time clock's kind): the columns step proposes the clock's headers, the preview shows
every row with its error by line, the commit writes the valid entries and their
findings, and the result says what it kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hourskit import TODAY, HoursWorld, build
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.models import Finding, TimeEntry
from internhost.core.storage import db
from internhost.gui.database import Database
from internhost.gui.dialogs.import_roster import HOURS, ImportRosterDialog, Step
from internhost.gui.ops import Ops
from internhost.gui.settings import UiSettings

CLOCK = (
    "Employee ID,Punch Date,Clock In,Clock Out,Work Done\r\n"
    "B-1,10/13/2025,6:00 AM,5:00 PM,office_clerical\r\n"
    "B-2,10/13/2025,3:30 PM,5:30 PM,\r\n"
    "B-9,10/13/2025,3:30 PM,5:30 PM,\r\n"
)


@pytest.fixture
def world(factory) -> HoursWorld:
    return build(factory)


@pytest.fixture
def hr_ops(db_path: Path, world: HoursWorld, ops_for) -> Iterator[Ops]:
    handle = Database.open(db_path, world.hr, lambda: TODAY)
    yield ops_for(handle)
    handle.close()


@pytest.fixture
def dialog(qtbot, hr_ops: Ops, ui_settings: UiSettings) -> ImportRosterDialog:
    dialog = ImportRosterDialog(hr_ops, settings=ui_settings, kind=HOURS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    return dialog


def entries(world: HoursWorld) -> int:
    with db.read_session(world.factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(TimeEntry)) or 0


def click_next(qtbot, dialog: ImportRosterDialog) -> None:
    assert dialog.next_button.isEnabled(), dialog.columns_step.missing_label.text()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)


def test_a_clock_file_through_the_dialog(
    qtbot, dialog: ImportRosterDialog, world: HoursWorld, tmp_path: Path, screenshot
) -> None:
    assert dialog.windowTitle() == "Import hours"
    assert dialog.file_step.school_combo.isHidden()  # the roster's options are not offered
    path = tmp_path / "clock.csv"
    path.write_bytes(CLOCK.encode())
    dialog.load_file(path)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.file is not None, dialog.file_step.status.text()
    screenshot(dialog, "import_hours_file")
    click_next(qtbot, dialog)
    assert dialog.step == Step.COLUMNS
    assert dialog.choices == ["badge", "date", "in", "out", None]  # "Work Done" is not known
    combo = dialog.columns_step.combos[4]
    combo.setCurrentIndex(combo.findData("tasks"))
    screenshot(dialog, "import_hours_columns")
    click_next(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.step == Step.PREVIEW, timeout=10_000)
    model = dialog.review_step.rows.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    assert [(r.line, r.action) for r in rows] == [(2, "create"), (3, "create"), (4, "invalid")]
    assert entries(world) == 0  # the preview is a dry run
    screenshot(dialog, "import_hours_preview")
    # All or nothing: the bad badge blocks the import until the user skips it.
    assert not dialog.next_button.isEnabled()
    dialog.back_button.click()
    dialog.back_button.click()
    dialog.file_step.skip_invalid.setChecked(True)
    click_next(qtbot, dialog)
    click_next(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.step == Step.PREVIEW, timeout=10_000)
    click_next(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.step == Step.RESULT, timeout=20_000)
    assert dialog.report is not None and dialog.report.imported == 2
    assert dialog.result_step.heading.text() == "Imported 2 time entries"
    assert entries(world) == 2
    with db.read_session(world.factory, SYSTEM) as s:  # eleven hours, no meal: a finding
        assert s.scalar(select(func.count()).where(Finding.rule_id == "US-IL-140-3")) == 1
    screenshot(dialog, "import_hours_result")


def test_the_interns_screen_opens_the_hours_import(qtbot, hr_ops: Ops) -> None:
    """HR finds it beside the roster import in the screen's More menu."""
    from dialogs import in_dialog

    from internhost.gui.views.interns import InternsView

    screen = InternsView(hr_ops)
    qtbot.addWidget(screen)
    screen.show()
    assert hr_ops.runner.settle()
    assert screen.hours_action.isVisible()
    run = in_dialog(screen.hours_action.trigger, save=False)
    assert run.title == "Import hours" and not run.saved
