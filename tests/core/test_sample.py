"""The sample data set: its pinned facts, determinism, all-or-nothing, sizes, sanity."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.calendars import Calendar, DayException
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.errors import Conflict, PermissionDenied
from internhost.core.models import Base
from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo, load_spec
from internhost.core.storage import db
from internhost.core.trail import audit_chain

TIMESTAMPS = {"created_at", "updated_at", "occurred_at", "computed_at", "decided_at"}
FIRST_TERM = (date(2025, 9, 8), date(2025, 12, 18))


DEFAULT_SIZES = DemoSizes()


def build(path: Path, sizes: DemoSizes = DEFAULT_SIZES, seed: int = DEFAULT_SEED):
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        return build_demo(db.make_session_factory(engine), SYSTEM, sizes, seed=seed)
    finally:
        engine.dispose()


def query(path: Path, sql: str, *params: Any) -> list[tuple]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(sql, params).fetchall()


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in TIMESTAMPS}
    return value


def dump(path: Path, *, keep_timestamps: bool = False) -> dict[str, list[tuple]]:
    """Every table's rows in rowid order; wall-clock timestamps left out unless asked."""
    out = {}
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        for table in Base.metadata.sorted_tables:
            cursor = conn.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid')
            names = [d[0] for d in cursor.description]
            rows = []
            for row in cursor:
                record = dict(zip(names, row, strict=True))
                if not keep_timestamps:
                    record = {k: v for k, v in record.items() if k not in TIMESTAMPS}
                    if table.name == "audit_events":
                        record["payload"] = _strip(json.loads(record["payload"]))
                        for chained in ("payload_hash", "prev_hash", "entry_hash"):
                            record.pop(chained)  # hashes over the timestamps
                    if record.get("key") == audit_chain.HEAD_KEY:
                        record["value"] = record["value"].partition(":")[0]
                rows.append(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str))
            out[table.name] = rows
    return out


# -- the default data set ----------------------------------------------------------------


def test_the_demo_has_24_interns_with_the_pinned_names(demo_template: Path) -> None:
    names = query(demo_template, "SELECT legal_first_name, legal_last_name FROM interns")
    assert len(names) == 24
    for pinned in [
        ("Thị Ánh", "Nguyễn"),
        ("Zoë", "Łukasiewicz"),
        ("José", "Núñez"),
        ("小龍", "李"),
        ("Benjamin", "Okafor"),
        ("Cruz", "Delgado"),
    ]:
        assert pinned in names
    student_ids = [r[0] for r in query(demo_template, "SELECT student_id FROM interns")]
    assert len(set(student_ids)) == 24 and None not in student_ids


def test_ages_on_the_first_term_start_are_14_to_18(demo_template: Path) -> None:
    births = [
        date.fromisoformat(r[0]) for r in query(demo_template, "SELECT birth_date FROM interns")
    ]
    ages = [age_on(b, FIRST_TERM[0]) for b in births]
    assert min(ages) == 14 and max(ages) <= 18
    assert set(ages) >= {14, 15, 16, 17}
    pinned = {
        r[0]: age_on(date.fromisoformat(r[1]), FIRST_TERM[0])
        for r in query(demo_template, "SELECT legal_last_name, birth_date FROM interns")
    }
    assert (pinned["Nguyễn"], pinned["Łukasiewicz"], pinned["Núñez"], pinned["李"]) == (
        17,
        16,
        15,
        14,
    )


@pytest.mark.parametrize(("age", "who"), [(16, "Okafor"), (18, "Delgado")])
def test_exactly_one_intern_turns_16_and_one_18_in_the_first_placement(
    demo_template: Path, age: int, who: str
) -> None:
    rows = query(
        demo_template,
        """SELECT i.legal_last_name, i.birth_date, min(p.start_date), p.end_date
           FROM interns i JOIN placements p ON p.intern_id = i.id
           GROUP BY i.id""",
    )
    turning = [
        last
        for last, born, start, end in rows
        if date.fromisoformat(start)
        < birthday_of_age(date.fromisoformat(born), age)
        <= date.fromisoformat(end)
    ]
    assert turning == [who]
    assert all(date.fromisoformat(r[2]) == FIRST_TERM[0] for r in rows)


def test_the_summary_counts_what_was_written(tmp_path: Path, migrated_template: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copyfile(migrated_template, path)
    summary = build(path, DemoSizes(interns=30, weeks=1))
    assert summary.version == load_spec()["version"]
    for key, table in [
        ("interns", "interns"),
        ("placements", "placements"),
        ("shifts", "shifts"),
        ("time entries", "time_entries"),
        ("check-ins", "check_ins"),
        ("schools", "schools"),
        ("staff", "staff"),
        ("worksites", "worksites"),
        ("plant closures", "plant_closures"),
        ("absences", "absences"),
        ("closed pay periods", "pay_periods"),
    ]:
        assert summary.counts[key] == query(path, f"SELECT count(*) FROM {table}")[0][0], key
    assert "30 interns" in str(summary)


# -- determinism -------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_database(
    tmp_path: Path, migrated_template: Path, demo_template: Path
) -> None:
    again = tmp_path / "again.db"
    shutil.copyfile(migrated_template, again)
    build(again)
    first, second = dump(demo_template), dump(again)
    assert set(first) == set(second)
    for table in first:
        assert first[table] == second[table], f"{table} differs between two builds"
    assert len(first["audit_events"]) > 100


def test_a_different_seed_gives_different_interns(
    tmp_path: Path, migrated_template: Path, demo_template: Path
) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(migrated_template, other)
    build(other, seed=DEFAULT_SEED + 1)
    default, changed = dump(demo_template), dump(other)
    assert changed["interns"] != default["interns"]
    assert changed["shifts"] != default["shifts"]
    # The fixed part of the data set does not depend on the seed.
    for table in ("employer", "worksites", "staff", "districts", "schools", "calendar_days"):
        assert changed[table] == default[table], table
    names = {r[0] for r in query(other, "SELECT legal_last_name FROM interns")}
    assert {"Nguyễn", "Łukasiewicz", "Núñez", "李", "Okafor", "Delgado"} <= names


# -- all or nothing ----------------------------------------------------------------------


def test_demo_into_a_non_empty_database_is_refused_and_changes_nothing(demo_path: Path) -> None:
    before = dump(demo_path, keep_timestamps=True)
    with pytest.raises(Conflict, match="already holds data"):
        build(demo_path)
    assert dump(demo_path, keep_timestamps=True) == before


def test_only_actors_allowed_to_load_samples_may(db_path: Path) -> None:
    engine = db.make_engine(db_path, TEST_KEY, create=False)
    try:
        with pytest.raises(PermissionDenied):
            build_demo(db.make_session_factory(engine), Actor(Role.VIEWER, "viewer"))
    finally:
        engine.dispose()
    assert query(db_path, "SELECT count(*) FROM interns") == [(0,)]


def test_a_failure_midway_leaves_an_empty_database(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from internhost.core.sample import hours

    def boom(*args: object) -> None:  # after interns and placements were written
        raise RuntimeError("generator failed midway")

    before = dump(db_path, keep_timestamps=True)
    assert {table for table, rows in before.items() if rows} == {"app_state"}  # its secret
    monkeypatch.setattr(hours, "add_work", boom)
    with pytest.raises(RuntimeError, match="midway"):
        build(db_path)
    assert dump(db_path, keep_timestamps=True) == before


# -- sizes -----------------------------------------------------------------------------------


def test_sizes_scale(tmp_path: Path, migrated_template: Path) -> None:
    path = tmp_path / "big.db"
    shutil.copyfile(migrated_template, path)
    summary = build(path, DemoSizes(interns=200, weeks=2))
    interns = query(path, "SELECT count(*), count(DISTINCT student_id) FROM interns")[0]
    assert interns == (200, 200)
    placements = query(path, "SELECT count(*) FROM placements")[0][0]
    assert 200 <= placements <= 400
    # Two weeks of at most three shifts a week per placement, but the youngest's
    # (four school days) in each term.
    per_placement = query(
        path,
        "SELECT n, count(*) FROM (SELECT count(*) AS n FROM shifts GROUP BY placement_id)"
        " GROUP BY n",
    )
    assert all(1 <= n <= 6 or (n <= 8 and k <= 2) for n, k in per_placement)
    shifts = query(path, "SELECT count(*) FROM shifts")[0][0]
    assert summary.counts["shifts"] == shifts
    assert shifts <= 6 * placements + 4
    assert query(path, "SELECT count(*) FROM intern_contacts")[0][0] == 400
    assert db.integrity_problems(path, TEST_KEY) == []


def test_extra_mentors_share_the_placements(tmp_path: Path, migrated_template: Path) -> None:
    path = tmp_path / "mentors.db"
    shutil.copyfile(migrated_template, path)
    build(path, DemoSizes(interns=60, weeks=1, check=False, extra_mentors=10))
    mentors = query(path, "SELECT id, worksite_id FROM staff WHERE role = 'mentor'")
    assert len(mentors) == 3 + 10
    per_mentor = dict(query(path, "SELECT mentor_id, count(*) FROM placements GROUP BY mentor_id"))
    assert set(per_mentor) == {m for m, _ in mentors}  # every mentor has placements
    # Without them a mentor has a third of the placements; with them, a tenth or so.
    assert max(per_mentor.values()) <= sum(per_mentor.values()) / 5, per_mentor
    emails = query(path, "SELECT count(DISTINCT email) FROM staff")[0][0]
    assert emails == len(query(path, "SELECT id FROM staff"))


# -- sanity of the generated work -----------------------------------------------------------


def _calendars(path: Path) -> dict[int, list[Calendar]]:
    days: dict[int, dict[date, DayException]] = defaultdict(dict)
    for cal_id, day, kind, start, end in query(
        path, "SELECT calendar_id, day, kind, start_time, end_time FROM calendar_days"
    ):
        days[cal_id][date.fromisoformat(day)] = DayException(
            kind,
            time.fromisoformat(start) if start else None,
            time.fromisoformat(end) if end else None,
        )
    out: dict[int, list[Calendar]] = defaultdict(list)
    for cal_id, district, first, last, start, end in query(
        path,
        "SELECT id, district_id, first_day, last_day, day_start, day_end FROM school_calendars",
    ):
        out[district].append(
            Calendar(
                date.fromisoformat(first),
                date.fromisoformat(last),
                time.fromisoformat(start),
                time.fromisoformat(end),
                days[cal_id],
            )
        )
    return out


def _is_documented_slip(work_date: date, start: datetime, end: datetime) -> bool:
    """The sample's hours keep a 15-year-old past 7 p.m. once, in the week of October 13,
    2025 (``sample.hours``)."""
    return date(2025, 10, 13) <= work_date <= date(2025, 10, 17) and (start.time(), end.time()) == (
        time(17),
        time(19, 30),
    )


def _span(a: time, b: time) -> timedelta:
    return datetime.combine(date.min, b) - datetime.combine(date.min, a)


def test_under_16_shifts_on_school_days_stay_within_8_hours(demo_template: Path) -> None:
    calendars = _calendars(demo_template)
    breaks: dict[int, timedelta] = defaultdict(timedelta)
    for shift_id, start, end in query(
        demo_template,
        "SELECT shift_id, start_local, end_local FROM work_breaks WHERE shift_id IS NOT NULL",
    ):
        breaks[shift_id] += datetime.fromisoformat(end) - datetime.fromisoformat(start)
    rows = query(
        demo_template,
        """SELECT s.id, s.work_date, s.start_local, s.end_local, i.birth_date,
                  i.residence_district_id
           FROM shifts s JOIN placements p ON p.id = s.placement_id
           JOIN interns i ON i.id = p.intern_id""",
    )
    checked = 0
    for shift_id, day, start, end, born, district in rows:
        work_date = date.fromisoformat(day)
        if age_on(date.fromisoformat(born), work_date) >= 16:
            continue
        hours = [h for c in calendars[district] if (h := c.hours_on(work_date)) is not None]
        if not hours:
            continue
        (school,) = hours
        begin, finish = datetime.fromisoformat(start), datetime.fromisoformat(end)
        if _is_documented_slip(work_date, begin, finish):
            continue
        worked = finish - begin - breaks[shift_id]
        assert _span(*school) + worked <= timedelta(hours=8), (shift_id, day)
        assert begin.time() >= school[1], f"shift {shift_id} starts before school ends"
        checked += 1
    assert checked > 20  # the check really covered under-16 school-day shifts


def test_the_two_deliberate_slips_are_there_once_each(demo_template: Path) -> None:
    """The compliance screens need something to show: one late shift for a
    15-year-old and one forklift task for a 17-year-old, both in Oct 13–17, 2025."""
    late = query(
        demo_template,
        "SELECT s.work_date, i.birth_date FROM shifts s JOIN placements p ON p.id = s.placement_id"
        " JOIN interns i ON i.id = p.intern_id WHERE time(s.end_local) > '19:00:00'",
    )
    assert len(late) == 1
    day, born = (date.fromisoformat(v[:10]) for v in late[0])
    assert age_on(born, day) == 15 and date(2025, 10, 13) <= day <= date(2025, 10, 17)
    forklift = query(
        demo_template,
        "SELECT s.work_date, i.birth_date FROM work_tasks t JOIN shifts s ON s.id = t.shift_id"
        " JOIN placements p ON p.id = s.placement_id JOIN interns i ON i.id = p.intern_id"
        " WHERE t.task_key = 'forklift'",
    )
    minors = [
        (d, b)
        for d, b in forklift
        if age_on(date.fromisoformat(b), date.fromisoformat(d[:10])) < 18
    ]
    assert len(minors) == 1
    assert age_on(date.fromisoformat(minors[0][1]), date.fromisoformat(minors[0][0][:10])) == 17


def test_a_cancelled_sample_load_leaves_the_database_empty(factory) -> None:
    from internhost.core.progress import Cancelled, Progress
    from internhost.core.sample import DemoSizes, build_demo
    from internhost.core.services.dashboard import is_empty

    steps: list[tuple[int, int, str]] = []

    def report(done: int, total: int, text: str) -> None:
        steps.append((done, total, text))

    stop_after_two = Progress(report, lambda: len(steps) >= 2)
    with pytest.raises(Cancelled):
        build_demo(factory, SYSTEM, DemoSizes(interns=2, weeks=1), progress=stop_after_two)
    assert [s[:2] for s in steps] == [(0, 4), (1, 4)]
    with db.read_session(factory, SYSTEM) as s:
        assert is_empty(s)
