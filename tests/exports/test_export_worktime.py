"""``export shifts`` and ``export time-entries`` (issue 13 §6): the columns in order,
times as HH:MM, hours with two decimals, tasks ";"-separated, and a mentor's export
holding their own interns only."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, time

import pytest
from hourskit import TODAY, HoursWorld, build

from internhost import cli
from internhost.core.actor import SYSTEM
from internhost.core.fileio.exporting import HEADERS
from internhost.core.models import Shift, TimeEntry, WorkTask
from internhost.core.services import exports
from internhost.core.services import time_entries as te
from internhost.core.storage import db

DAY = TODAY.replace(day=14)


@pytest.fixture
def w(factory) -> HoursWorld:
    world = build(factory)
    entry = te.TimeEntryInput(
        world.placements["Ruiz"],
        DAY,
        time(7, 5),
        time(15, 35),
        breaks=(te.BreakInput(time(11), time(11, 30)),),
        tasks=(te.TaskInput("office_clerical"), te.TaskInput("punch_press", world.press, 20)),
    )
    first = world.call(world.hr, te.save_time_entry, entry, today=TODAY)
    other = te.TimeEntryInput(
        world.placements["Lee"], DAY, time(16), time(18), auto_break_minutes=15
    )
    world.call(world.hr, te.save_time_entry, other, today=TODAY)
    with db.unit_of_work(factory, SYSTEM) as s:
        s.get(TimeEntry, first.id).approved_at = datetime(2025, 10, 15, 12, tzinfo=UTC)
        s.get(TimeEntry, first.id).approved_by = world.hr.user_id
        shift = Shift(
            placement_id=world.placements["Ruiz"],
            work_date=DAY,
            start_local=datetime(2025, 10, 14, 7),
            end_local=datetime(2025, 10, 14, 15, 30),
            area_id=world.floor,
            supervisor_name="Sam Super",
        )
        shift.tasks = [WorkTask(task_key="office_clerical"), WorkTask(task_key="punch_press")]
        s.add(shift)
    return world


def rows(w: HoursWorld, actor, entity: str) -> list[dict]:
    with db.read_session(w.factory, actor) as s:
        headers, found = exports.export_rows(s, actor, entity)
    assert headers == list(HEADERS[entity])
    return found


def test_the_columns_are_the_issues(w: HoursWorld) -> None:
    assert HEADERS["shifts"] == (
        "id", "intern_id", "placement_id", "work_date", "start", "end", "area", "supervisor",
        "tasks",
    )  # fmt: skip
    assert HEADERS["time-entries"] == (
        "id", "intern_id", "placement_id", "badge", "student_id", "work_date", "start", "end",
        "break_minutes", "hours", "source", "approved_by", "approved_at", "locked",
    )  # fmt: skip


def test_time_entries_as_csv_and_json(w: HoursWorld) -> None:
    text = io.StringIO()
    with db.read_session(w.factory, w.hr) as s:
        exports.write_export(s, w.hr, "time-entries", "csv", text)
    found = list(csv.DictReader(io.StringIO(text.getvalue().lstrip("\ufeff"))))
    assert [(r["badge"], r["start"], r["end"], r["break_minutes"], r["hours"]) for r in found] == [
        ("B-1", "07:05", "15:35", "30", "8.00"),
        ("B-3", "16:00", "18:00", "15", "1.75"),
    ]
    first = found[0]
    assert first["student_id"] == "S-100" and first["work_date"] == "2025-10-14"
    assert first["approved_by"] == "Hr" and first["approved_at"].startswith("2025-10-15T12:00")
    assert (first["locked"], first["source"]) == ("no", "manual")
    text = io.StringIO()
    with db.read_session(w.factory, w.hr) as s:
        exports.write_export(s, w.hr, "time-entries", "json", text)
    assert [r["hours"] for r in json.loads(text.getvalue())] == [8.0, 1.75]


def test_shifts_with_their_tasks(w: HoursWorld) -> None:
    (shift,) = rows(w, w.hr, "shifts")
    assert (shift["start"], shift["end"], shift["area"]) == ("07:00", "15:30", "Floor")
    assert shift["tasks"] == "office_clerical;punch_press"
    assert shift["intern_id"] == w.interns["Ruiz"]


def test_a_mentor_exports_only_their_interns(w: HoursWorld) -> None:
    assert {r["intern_id"] for r in rows(w, w.mentor, "time-entries")} == {w.interns["Ruiz"]}
    assert {r["intern_id"] for r in rows(w, w.other_mentor, "time-entries")} == {w.interns["Lee"]}
    assert rows(w, w.other_mentor, "shifts") == []
    assert len(rows(w, w.viewer, "time-entries")) == 2


def test_the_command(w: HoursWorld, db_path, capsys) -> None:
    assert cli.main(["--db", str(db_path), "export", "time-entries", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert cli.main(["--db", str(db_path), "export", "shifts"]) == 0
    assert "office_clerical;punch_press" in capsys.readouterr().out
