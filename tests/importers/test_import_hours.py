"""The time-clock import: who a row names, how punches read, what is refused by line
and column, idempotent re-imports, all or nothing, and the findings it stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hourskit import TODAY, HoursWorld, build
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.errors import PermissionDenied
from internhost.core.importers.hours import import_hours
from internhost.core.importers.result import ImportRefused, ImportReport
from internhost.core.models import AuditEvent, Finding, PayPeriod, TimeEntry, WorkBreak, WorkTask
from internhost.core.storage import db


@pytest.fixture
def w(factory) -> HoursWorld:
    return build(factory)


def run(w: HoursWorld, text: str, actor=None, **options) -> ImportReport:
    data = text.replace("\n", "\r\n").encode()
    return import_hours(w.factory, actor or w.hr, data, today=TODAY, **options)


def count(w: HoursWorld, model=TimeEntry) -> int:
    with db.read_session(w.factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def entries(w: HoursWorld) -> list[tuple]:
    with db.read_session(w.factory, SYSTEM) as s:
        return [
            tuple(row)
            for row in s.execute(
                select(
                    TimeEntry.placement_id,
                    TimeEntry.start_local,
                    TimeEntry.end_local,
                    TimeEntry.source,
                    TimeEntry.entered_by,
                ).order_by(TimeEntry.start_local, TimeEntry.placement_id)
            )
        ]


def problems(report: ImportReport) -> list[tuple]:
    return [(e.line, e.column, e.message) for e in report.errors]


def test_header_aliases_and_clock_times_import_by_badge_and_student_id(w: HoursWorld) -> None:
    report = run(
        w,
        "Badge #,Student #,School,Punch Date,Clock In,Clock Out,Lunch Out,Lunch In\n"
        "B-1,,,10/14/2025,7:05 AM,3:35 PM,11:00 am,11:30am\n"
        ",S-100,East High,2025-10-14,19:05,21:00,,\n",
    )
    assert problems(report) == [] and report.imported == 2
    assert entries(w) == [
        (
            w.placements["Ruiz"],
            datetime(2025, 10, 14, 7, 5),
            datetime(2025, 10, 14, 15, 35),
            "import",
            w.hr.user_id,
        ),
        (
            w.placements["Okafor"],
            datetime(2025, 10, 14, 19, 5),
            datetime(2025, 10, 14, 21),
            "import",
            w.hr.user_id,
        ),
    ]
    assert count(w, WorkBreak) == 1


def test_reimporting_the_same_file_adds_nothing_and_a_cumulative_file_adds_the_new_rows(
    w: HoursWorld,
) -> None:
    first = "badge,date,in,out\nB-1,2025-10-13,15:30,17:30\n"
    assert run(w, first).imported == 1
    events = count(w, AuditEvent)
    again = run(w, first)
    assert (again.imported, again.error_count) == (0, 0)
    assert [(i.line, i.column, i.message) for i in again.warnings] == [
        (2, "in", "already imported: the same entry is on record")
    ]
    assert count(w, AuditEvent) == events
    grown = run(w, first.replace("\n", "\n", 1) + "B-1,2025-10-14,15:30,17:30\n")
    assert grown.imported == 1 and count(w) == 2
    changed = run(w, "badge,date,in,out\nB-1,2025-10-13,15:30,18:00\n")
    assert problems(changed) == [
        (2, "out", "an entry starting 15:30 on 2025-10-13 is on record with out-time 17:30")
    ]


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("B-9,,,2025-10-14,15:30,17:30", "badge", "no placement has badge 'B-9'"),
        (",,,2025-10-14,15:30,17:30", "badge", "a name alone never matches"),
        (",S-100,,2025-10-14,15:30,17:30", "student_id", "ambiguous"),
        (",S-100,West High,2025-10-14,15:30,17:30", "school", "unknown school"),
        (",S-999,,2025-10-14,15:30,17:30", "student_id", "no intern with student id"),
        ("B-1,,,2025-10-16,15:30,17:30", "date", "after today"),
        ("B-1,,,2025-08-01,15:30,17:30", "date", "no active placement"),
        ("B-4,,,2025-10-14,15:30,17:30", "date", "is a draft"),
        ("B-1,,,2025-10-14,17:30,15:30", "out", "give the out date"),
        ("B-1,,,2025-10-14,25:00,17:30", "in", "not a time"),
        ("B-1,,,14/10/2025,15:30,17:30", "date", "not a date"),
        ("B-1,,,2025-10-14,,17:30", "in", "is required"),
        ("B-1,S-300,Central High,2025-10-14,15:30,17:30", "student_id", "another intern"),
    ],
)
def test_a_bad_row_names_its_line_and_column_and_nothing_is_written(
    w: HoursWorld, row: str, column: str, words: str
) -> None:
    report = run(w, f"badge,student_id,school,date,in,out\nB-2,,,2025-10-13,8:00,9:00\n{row}\n")
    assert [(e.line, e.column) for e in report.errors] == [(3, column)], problems(report)
    assert words in report.errors[0].message
    assert report.imported == 0 and count(w) == 0


def test_skip_invalid_writes_the_valid_rows(w: HoursWorld) -> None:
    report = run(
        w,
        "badge,date,in,out\nB-1,2025-10-13,8:00,9:00\nB-1,2025-10-13,8:30,10:00\n",
        skip_invalid=True,
    )
    assert problems(report) == [(3, "in", "overlaps the entry of line 2")]
    assert report.imported == 1 and count(w) == 1


def test_a_shift_past_midnight_with_its_out_date(w: HoursWorld) -> None:
    report = run(w, "badge,date,in,out,out_date\nB-1,2025-10-13,22:00,2:00,2025-10-14\n")
    assert report.imported == 1
    assert entries(w)[0][1:3] == (datetime(2025, 10, 13, 22), datetime(2025, 10, 14, 2))


def test_a_closed_pay_period_is_a_row_error(w: HoursWorld) -> None:
    with db.unit_of_work(w.factory, SYSTEM) as s:
        s.add(
            PayPeriod(
                start_date=date(2025, 10, 5),
                end_date=date(2025, 10, 11),
                closed_at=datetime.now(UTC),
            )
        )
    report = run(w, "badge,date,in,out\nB-1,2025-10-08,8:00,9:00\n")
    assert problems(report) == [
        (2, "date", "is in the pay period 2025-10-05–2025-10-11, which is closed")
    ]


def test_tasks_are_task_keys_or_machines_and_supervisors_staff(w: HoursWorld) -> None:
    report = run(
        w,
        "badge,date,in,out,supervisor,tasks\n"
        "B-1,2025-10-13,8:00,9:00,sam@acme.example,office_clerical; Punch press 2\n"
        "B-2,2025-10-13,8:00,9:00,Nobody Known,\n",
    )
    assert problems(report) == []
    assert [w.message for w in report.warnings] == [
        "'Nobody Known' is no staff member on record; kept as written"
    ]
    with db.read_session(w.factory, SYSTEM) as s:
        assert sorted(
            tuple(r) for r in s.execute(select(WorkTask.task_key, WorkTask.equipment_id))
        ) == [
            ("office_clerical", None),
            ("punch_press", w.press),
        ]
        assert set(s.scalars(select(TimeEntry.supervisor_name))) == {"Sam Super", "Nobody Known"}
    bad = run(w, "badge,date,in,out,tasks\nB-1,2025-10-14,8:00,9:00,juggling\n")
    assert problems(bad) == [
        (2, "tasks", "'juggling' is neither a task key nor a machine at the worksite")
    ]


def test_the_import_stores_the_findings_of_what_it_wrote(w: HoursWorld) -> None:
    """A punch press for a 16-year-old, and eleven hours with no meal: stored, not refused."""
    report = run(w, "badge,date,in,out,tasks\nB-2,2025-10-13,6:00,17:00,Punch press 2\n")
    assert report.imported == 1
    with db.read_session(w.factory, SYSTEM) as s:
        rules = set(s.scalars(select(Finding.rule_id).where(Finding.time_entry_id.is_not(None))))
    assert "US-IL-140-3" in rules and any("HO" in r for r in rules), rules


def test_a_dry_run_writes_nothing(w: HoursWorld) -> None:
    events = count(w, AuditEvent)
    report = run(w, "badge,date,in,out\nB-1,2025-10-13,8:00,9:00\n", dry_run=True)
    assert report.would_import == 1 and report.imported == 0
    assert count(w) == 0 and count(w, AuditEvent) == events


def test_a_missing_identifier_column_is_refused_whole(w: HoursWorld) -> None:
    with pytest.raises(ImportRefused, match="badge or student_id"):
        run(w, "name,date,in,out\nAna Ruiz,2025-10-13,8:00,9:00\n")
    report = run(
        w, "Emp Code,date,in,out\nB-1,2025-10-13,8:00,9:00\n", mappings={"Emp Code": "badge"}
    )
    assert report.imported == 1


def test_only_roles_that_import_may_run_it(w: HoursWorld) -> None:
    for actor in (w.mentor, w.viewer):
        with pytest.raises(PermissionDenied):
            run(w, "badge,date,in,out\nB-1,2025-10-13,8:00,9:00\n", actor=actor)
    assert count(w) == 0


#: Punches of one day (in, out, lunch out, lunch in): a lunch, an afternoon, a long
#: day without a meal, and a morning and an afternoon record that touch.
DAY_SHAPES = (
    (("8:00 AM", "2:00 PM", "11:00 AM", "11:30 AM"),),
    (("3:30 PM", "5:30 PM", "", ""),),
    (("7:00 AM", "6:00 PM", "", ""),),
    (("8:00 AM", "12:00 PM", "", ""), ("12:00 PM", "4:30 PM", "", "")),
)


def _demo_punches(factory, days: int, shapes=DAY_SHAPES[:2]) -> tuple[list[str], date]:
    """Rows of a clock file for ``days`` weekdays of every active placement of the
    demo (given badges), after its closed pay periods and on days not logged, each
    day shaped after ``shapes`` in turn; and the day after the last."""
    from internhost.core.models import Placement

    with db.unit_of_work(factory, SYSTEM) as s:
        placements = list(s.scalars(select(Placement).where(Placement.status == "active")))
        for placement in placements:
            placement.badge = placement.badge or f"T{placement.id}"
        logged = set(s.execute(select(TimeEntry.placement_id, TimeEntry.work_date)))
        closed = s.scalar(select(func.max(PayPeriod.end_date))) or date.min
        punches, last = [], date.min
        for placement in placements:  # days after the closed pay periods
            day, made = max(placement.start_date, closed + timedelta(days=1)), 0
            while made < days and day <= (placement.end_date or date.max):
                if day.weekday() < 5 and (placement.id, day) not in logged:
                    for punch in shapes[made % len(shapes)]:
                        punches.append(f"{placement.badge},{day.isoformat()},{','.join(punch)}")
                    made, last = made + 1, max(last, day)
                day = date.fromordinal(day.toordinal() + 1)
    return punches, date.fromordinal(last.toordinal() + 1)


def _clock_file(punches: list[str]) -> bytes:
    text = "Badge,Date,In,Out,Lunch Out,Lunch In\n" + "\n".join(punches) + "\n"
    return text.replace("\n", "\r\n").encode()


def _stored_findings(factory) -> dict[str, tuple]:
    with db.read_session(factory, SYSTEM) as s:
        return {
            f.identity: (f.severity, f.template, f.params, f.input_hash, f.stale)
            for f in s.scalars(select(Finding))
        }


def test_the_import_stores_what_a_full_recheck_of_every_intern_would(demo_path) -> None:
    """The import re-checks only what its entries feed (not the plans and placements
    they leave as they were), over many interns at once: every intern checked again
    in full afterwards finds exactly the findings the import stored."""
    from testkeys import TEST_KEY

    from internhost.core.services import compliance

    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    punches, today = _demo_punches(factory, 4)
    report = import_hours(factory, SYSTEM, _clock_file(punches), today=today, skip_invalid=True)
    assert report.imported == len(punches), report.errors[:3]
    imported = _stored_findings(factory)
    assert any("|entry:" in identity for identity in imported)
    with db.unit_of_work(factory, SYSTEM) as s:
        compliance.check_all(s, SYSTEM, today)
    assert _stored_findings(factory) == imported
    engine.dispose()


@pytest.mark.parametrize("seed", range(2))
def test_imports_of_random_days_store_what_a_full_recheck_would(demo_path, seed: int) -> None:
    """Clock files bringing random days (in any order, among days already logged,
    records touching those of the day before or after) re-check only the weeks their
    entries touch, and store exactly what a full re-check of every intern finds."""
    import random

    from testkeys import TEST_KEY

    from internhost.core.services import compliance

    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    punches, today = _demo_punches(factory, 12, DAY_SHAPES)
    days: dict[str, list[str]] = {}
    for punch in punches:  # a day's records come in one file
        days.setdefault(punch.rsplit(",", 4)[0], []).append(punch)
    order = list(days.values())
    random.Random(seed).shuffle(order)
    for part in (order[:5], order[5 : len(order) // 2], order[len(order) // 2 :]):
        rows = [punch for day in part for punch in day]
        report = import_hours(factory, SYSTEM, _clock_file(rows), today=today)
        assert report.imported == len(rows), report.errors[:3]
        imported = _stored_findings(factory)
        assert any("|entry:" in identity for identity in imported)
        with db.unit_of_work(factory, SYSTEM) as s:
            compliance.check_all(s, SYSTEM, today)
        assert _stored_findings(factory) == imported
    engine.dispose()
