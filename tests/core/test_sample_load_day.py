"""The sample built around the day it is loaded, and what it shows of the job: closed
pay periods, approvals, absences and late starts, logged-hours findings HR decided,
an unpaid school placement, the youngest planned up to the limits, a 16th birthday
this term, and the dashboard's hours this week."""

from __future__ import annotations

import shutil
from collections import defaultdict
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo, laid_out, reference_day
from internhost.core.sample.law import Law
from internhost.core.storage import db
from internhost.core.workweeks import week_start, worked_minutes

REFERENCE = date(2026, 11, 21)  # resources/sample/demo.toml
#: Load days: a Wednesday in March and one in July, and the reference day.
LOAD_DAYS = [date(2027, 3, 17), date(2027, 7, 14), REFERENCE]
HR = Actor(Role.HR_ADMIN, "hr", user_id=1)


def query(path: Path, sql: str, *params: Any) -> list[tuple]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(sql, params).fetchall()


def day(text: str) -> date:
    return date.fromisoformat(text[:10])


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Any:
    """``loaded(today)``: the default sample loaded on ``today`` (built once each)."""
    built: dict[date, Path] = {}

    def load(today: date) -> Path:
        if today not in built:
            path = tmp_path_factory.mktemp("loaded") / f"demo-{today}.db"
            shutil.copyfile(migrated_template, path)
            engine = db.make_engine(path, TEST_KEY)
            try:
                factory = db.make_session_factory(engine)
                build_demo(factory, SYSTEM, DemoSizes(), seed=DEFAULT_SEED, today=today)
            finally:
                engine.dispose()
            built[today] = path
        return built[today]

    return load


def _weekdays(path: Path) -> dict[int, set[int]]:
    """Each placement's weekdays with shifts."""
    out: dict[int, set[int]] = defaultdict(set)
    for placement, work_date in query(path, "SELECT placement_id, work_date FROM shifts"):
        out[placement].add(day(work_date).weekday())
    return dict(out)


# -- built around the load day ---------------------------------------------------------------


def test_the_spec_as_written_is_the_reference_day_s() -> None:
    assert reference_day() == REFERENCE
    spec = laid_out(REFERENCE)
    assert [t["name"] for t in spec["terms"]] == ["Fall 2025", "Fall 2026"]
    assert [t["logged_through"] for t in spec["terms"]] == [date(2025, 12, 18), date(2026, 11, 20)]
    assert laid_out(None)["terms"] == spec["terms"]


@pytest.mark.parametrize(
    ("today", "weeks", "names"),
    [
        (date(2027, 3, 17), 17, ["Spring 2026", "Spring 2027"]),
        (date(2027, 7, 14), 34, ["Summer 2026", "Summer 2027"]),
        (date(2026, 11, 24), 0, ["Fall 2025", "Fall 2026"]),  # three days: no move
        (date(2026, 11, 25), 1, ["Fall 2025", "Fall 2026"]),
    ],
)
def test_dates_move_by_whole_weeks_and_terms_take_their_season(
    today: date, weeks: int, names: list[str]
) -> None:
    spec = laid_out(today)
    start = spec["terms"][1]["start"]
    assert start == date(2026, 8, 31) + timedelta(weeks=weeks)
    assert start.weekday() == 0  # a Monday still
    assert [t["name"] for t in spec["terms"]] == names
    assert spec["terms"][1]["logged_through"] == today - timedelta(days=1)
    born = {i["last_name"]: i.get("birth_date") for i in spec["fixed_interns"]}
    assert born["Okafor"] == date(2009, 11, 20) + timedelta(weeks=weeks)
    calendar = spec["districts"][0]["calendars"][0]
    assert calendar["no_school"][0] == date(2025, 9, 1) + timedelta(weeks=weeks)
    assert (
        calendar["school_year"]
        == f"{calendar['first_day'].year}-{calendar['first_day'].year % 100 + 1:02d}"
    )


@pytest.mark.parametrize("today", LOAD_DAYS)
def test_a_load_day_has_a_term_in_progress_logged_up_to_yesterday(loaded, today: date) -> None:
    path = loaded(today)
    terms = query(path, "SELECT DISTINCT start_date, end_date FROM placements")
    assert any(day(a) <= today <= day(b) for a, b in terms)
    ((_first, last),) = query(path, "SELECT min(work_date), max(work_date) FROM time_entries")
    assert day(last) < today  # nothing on or after the load day
    assert day(last) >= today - timedelta(days=3)  # logged up to yesterday (or Saturday)
    planned_ahead = query(path, "SELECT count(*) FROM shifts WHERE work_date >= ?", today)[0][0]
    assert planned_ahead > 0
    # Every placement works the same weekdays as on the reference day.
    assert _weekdays(path) == _weekdays(loaded(REFERENCE))


def test_the_reference_day_s_sample_is_the_fixture_s(loaded, demo_template: Path) -> None:
    """The fixtures load on the reference day: the same data as a load without a day."""
    for table in ("interns", "placements", "shifts", "time_entries", "absences", "pay_periods"):
        columns = [
            name
            for _, name, *_ in query(demo_template, f"PRAGMA table_info({table})")
            if name not in ("created_at", "updated_at")
        ]
        sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
        assert query(demo_template, sql) == query(loaded(REFERENCE), sql), table


# -- pay periods and approvals -----------------------------------------------------------------


def test_every_week_but_the_current_and_previous_is_closed_and_locked(
    demo_template: Path,
) -> None:
    current = week_start(REFERENCE, "sun")
    previous = current - timedelta(days=7)
    entries = query(
        demo_template, "SELECT work_date, approved_at, approved_by, locked_at FROM time_entries"
    )
    weeks = {week_start(day(d), "sun") for d, *_ in entries}
    periods = {
        day(a): (day(b), c, by)
        for a, b, c, by in query(
            demo_template, "SELECT start_date, end_date, closed_at, closed_by FROM pay_periods"
        )
    }
    assert set(periods) == weeks - {current, previous}
    assert all(start.weekday() == 6 for start in periods)  # the employer's weeks: Sundays
    hr = query(demo_template, "SELECT id FROM user_accounts WHERE username = 'hr'")[0][0]
    assert {by for *_, by in periods.values()} == {hr}
    for work_date, approved, approver, locked in entries:
        week = week_start(day(work_date), "sun")
        if week in periods:
            end, closed, _ = periods[week]
            assert day(work_date) <= end and approved and approver and locked == closed
            assert moment(approved) <= moment(closed)
        else:
            assert locked is None
    recent = [approved for d, approved, *_ in entries if week_start(day(d), "sun") >= previous]
    assert recent and any(recent) and not all(recent)  # partly approved


def test_a_mentor_has_hours_to_approve(demo_template: Path) -> None:
    waiting = query(
        demo_template,
        """SELECT count(*) FROM time_entries e JOIN placements p ON p.id = e.placement_id
           JOIN user_accounts u ON u.staff_id = p.mentor_id
           WHERE u.username = 'mentor' AND e.approved_at IS NULL""",
    )[0][0]
    assert waiting > 0


# -- attendance ----------------------------------------------------------------------------------


def test_missed_shifts_are_absences_excused_or_not_with_a_reason(demo_template: Path) -> None:
    rows = query(
        demo_template,
        """SELECT a.excused, a.reason, s.work_date, a.marked_by,
                  (SELECT count(*) FROM time_entries e WHERE e.shift_id = s.id)
           FROM absences a JOIN shifts s ON s.id = a.shift_id""",
    )
    assert len(rows) >= 4
    assert {bool(r[0]) for r in rows} == {True, False}
    assert all(reason and marked for _, reason, _, marked, _ in rows)
    assert all(day(d) < REFERENCE and worked == 0 for _, _, d, _, worked in rows)


def test_some_entries_start_clearly_late(demo_template: Path) -> None:
    late = [
        (moment(e) - moment(s)) // timedelta(minutes=1)
        for e, s in query(
            demo_template,
            """SELECT e.start_local, s.start_local FROM time_entries e
               JOIN shifts s ON s.id = e.shift_id WHERE e.start_local > s.start_local""",
        )
    ]
    clearly = [m for m in late if 10 <= m <= 20]
    assert len(clearly) >= 10 and max(late) <= 20


# -- findings HR decided ---------------------------------------------------------------------------


def test_logged_violations_are_open_acknowledged_and_overridden(demo_template: Path) -> None:
    from internhost.core.services import findings

    engine = db.make_engine(demo_template, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), HR) as s:
            ids = findings.list_finding_ids(s, HR, findings.FindingFilter())
            rows = findings.finding_rows(s, HR, ids)
    finally:
        engine.dispose()
    logged = [r for r in rows if r.source == "logged hours"]
    by_status = defaultdict(list)
    for row in logged:
        by_status[row.status].append(row)
    assert set(by_status) == {"open", "acknowledged", "overridden"}
    assert len(by_status["acknowledged"]) == len(by_status["overridden"]) == 1
    for row in (*by_status["acknowledged"], *by_status["overridden"]):
        assert row.decided_by and row.decision_reason
    hours_rules = {r.rule for r in logged}
    assert {"US-FLSA-570.35-a6", "US-IL-140-3"} <= hours_rules  # after 7 p.m., no meal


# -- the placements ----------------------------------------------------------------------


def test_the_unpaid_school_placement_carries_the_employee_status_caveat(
    demo_template: Path,
) -> None:
    unpaid = query(
        demo_template,
        """SELECT p.id, p.intern_id, p.program, p.hourly_rate_cents, p.employee_status,
                  p.employee_status_decided_by, p.employee_status_reason
           FROM placements p WHERE NOT p.paid""",
    )
    assert unpaid
    for _, intern, program, rate, status, decided_by, reason in unpaid:
        assert (program, rate, status) == ("school_wbl", None, "not_employee")
        assert decided_by and reason
        rules = {
            r
            for (r,) in query(
                demo_template, "SELECT rule_id FROM findings WHERE intern_id = ?", intern
            )
        }
        assert "US-COVERAGE-employee-status" in rules
        assert "US-FLSA-unpaid-employee" not in rules


def test_the_youngest_works_four_school_days_up_to_the_limits(demo_template: Path) -> None:
    law = Law.of("IL")
    rows = query(
        demo_template,
        """SELECT p.id, s.id, s.work_date, s.start_local, s.end_local, i.birth_date
           FROM shifts s JOIN placements p ON p.id = s.placement_id
           JOIN interns i ON i.id = p.intern_id
           WHERE p.start_date = '2026-08-31'""",
    )
    per_placement: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        per_placement[row[0]].append(row)
    full = [
        shifts
        for shifts in per_placement.values()
        if {day(r[2]).weekday() for r in shifts} == {0, 2, 3, 4}
    ]
    assert len(full) == 1  # one intern in the term in progress
    (shifts,) = full
    assert all(age_on(day(r[5]), day(r[2])) < law.young_below for r in shifts)
    lengths = {moment(r[4]) - moment(r[3]) for r in shifts}
    # Up to the daily limit when school ends early; on an ordinary school day (7 hours
    # and a few minutes of school) work fills the combined limit, in quarter hours.
    assert max(lengths) == law.school_day_work
    assert min(lengths) >= law.school_day_limit - timedelta(hours=7, minutes=15)
    planned_findings = query(
        demo_template,
        f"SELECT count(*) FROM findings WHERE shift_id IN ({','.join(str(r[1]) for r in shifts)})",
    )[0][0]
    assert planned_findings == 0


def test_an_intern_turns_16_during_the_term_in_progress(demo_template: Path) -> None:
    rows = query(
        demo_template,
        """SELECT i.legal_last_name, i.birth_date, p.start_date, p.end_date
           FROM interns i JOIN placements p ON p.intern_id = i.id
           WHERE p.start_date <= ? AND ? <= p.end_date""",
        REFERENCE,
        REFERENCE,
    )
    turning = [
        last
        for last, born, start, end in rows
        if day(start) < birthday_of_age(day(born), 16) <= day(end)
    ]
    assert "李" in turning  # the named intern (demo.toml), turning 16 after the load day


# -- the dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_s_hours_this_week_are_the_week_s_entries(loaded) -> None:
    from internhost.core.services.dashboard import dashboard

    wednesday = date(2027, 3, 17)
    path = loaded(wednesday)
    sunday = wednesday - timedelta(days=3)
    breaks: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for entry, b0, b1 in query(
        path,
        "SELECT time_entry_id, start_local, end_local FROM work_breaks"
        " WHERE time_entry_id IS NOT NULL",
    ):
        breaks[entry].append((moment(b0), moment(b1)))
    minutes = sum(
        worked_minutes(moment(a), moment(b), breaks[i])
        for i, a, b in query(
            path,
            "SELECT id, start_local, end_local FROM time_entries WHERE work_date BETWEEN ? AND ?",
            sunday,
            wednesday - timedelta(days=1),
        )
    )
    assert minutes > 0
    engine = db.make_engine(path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), HR) as s:
            board = dashboard(s, HR, wednesday)
    finally:
        engine.dispose()
    assert board.hours_this_week == round(minutes / 60, 2)
