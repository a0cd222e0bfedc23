"""The time-entry dialog on its own (the Hours tab will open it): log hours with a
break and a task, see what the service refuses beside its field, and correct an
entry; the stored entry and its findings are the service's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

import pytest
from dialogs import in_dialog
from hourskit import TODAY, HoursWorld, build
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Finding, TimeEntry
from internhost.core.services import time_entries as te
from internhost.core.storage import db
from internhost.gui.database import Database
from internhost.gui.dialogs.time_entry import open_time_entry
from internhost.gui.ops import Ops

DAY = TODAY.replace(day=14)


@pytest.fixture
def world(factory) -> HoursWorld:
    return build(factory)


@pytest.fixture
def mentor_ops(db_path, world: HoursWorld, ops_for) -> Iterator[Ops]:
    handle = Database.open(db_path, world.mentor, lambda: TODAY)
    yield ops_for(handle)
    handle.close()


@pytest.fixture
def holder(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def stored(world: HoursWorld) -> list[TimeEntry]:
    with db.read_session(world.factory, SYSTEM) as s:
        return list(s.scalars(select(TimeEntry)))


def test_a_mentor_logs_hours_with_a_break_and_a_task(
    world: HoursWorld, mentor_ops: Ops, holder: QWidget, screenshot
) -> None:
    rows = []

    def fill(dialog, form) -> None:
        form.input("work_date").set_value(DAY)
        form.input("start").set_value(time(6))
        form.input("end").set_value(time(17))
        form.input("breaks").add_row((time(9), time(9, 10)))
        form.input("area_id").set_value(world.floor)
        form.input("supervisor_staff_id").set_value(world.supervisor)
        form.input("tasks").add_row(("punch_press", world.press, "45"))
        dialog.resize(760, 900)
        screenshot(dialog, "time-entry")

    run = in_dialog(
        lambda: open_time_entry(
            holder, mentor_ops, world.interns["Ruiz"], today=TODAY, saved=rows.append
        ),
        fill,
    )
    assert run.saved, (run.errors, run.banner)
    (entry,) = stored(world)
    assert (entry.start_local.hour, entry.end_local.hour) == (6, 17)
    assert entry.entered_by == world.mentor.user_id and entry.area_id == world.floor
    # Eleven hours with only a 10-minute break: no refusal, a meal finding stored.
    assert rows and any("meal" in f.casefold() for f in rows[0].findings)
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.scalar(select(Finding.id).where(Finding.time_entry_id == entry.id))


def test_a_refusal_shows_beside_its_field_and_nothing_is_saved(
    world: HoursWorld, mentor_ops: Ops, holder: QWidget
) -> None:
    def fill(dialog, form) -> None:
        form.input("work_date").set_value(DAY)
        form.input("start").set_value(time(17))
        form.input("end").set_value(time(15))
        form.input("tasks").add_row(("office_clerical", None, "lots"))

    run = in_dialog(
        lambda: open_time_entry(holder, mentor_ops, world.interns["Ruiz"], today=TODAY), fill
    )
    assert not run.saved
    assert "whole number" in run.errors["tasks"]
    assert stored(world) == []

    def fill_times(dialog, form) -> None:
        form.input("work_date").set_value(DAY)
        form.input("start").set_value(time(17))
        form.input("end").set_value(time(15))

    run = in_dialog(
        lambda: open_time_entry(holder, mentor_ops, world.interns["Ruiz"], today=TODAY),
        fill_times,
    )
    assert not run.saved and "out date" in run.errors["end"]
    assert stored(world) == []


def test_editing_an_entry_opens_it_as_stored(
    world: HoursWorld, mentor_ops: Ops, holder: QWidget
) -> None:
    data = te.TimeEntryInput(
        world.placements["Ruiz"],
        DAY,
        time(15, 30),
        time(17, 30),
        breaks=(te.BreakInput(time(16), time(16, 15)),),
    )
    row = world.call(world.hr, te.save_time_entry, data, today=TODAY)
    seen = {}

    def fill(dialog, form) -> None:
        seen.update(form.values())
        form.input("end").set_value(time(18))

    run = in_dialog(
        lambda: open_time_entry(
            holder, mentor_ops, world.interns["Ruiz"], entry_id=row.id, today=TODAY
        ),
        fill,
    )
    assert run.saved, (run.errors, run.banner)
    assert seen["start"] == time(15, 30) and seen["breaks"] == ((time(16), time(16, 15)),)
    (entry,) = stored(world)
    assert entry.end_local.hour == 18
