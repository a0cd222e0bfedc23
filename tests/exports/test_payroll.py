"""``internhost export payroll``: approved hours per intern per workweek, split for pay."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from exportcheck import csv_records
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.models import Employer, Intern, Placement, TimeEntry, Worksite
from internhost.core.services.payroll import PAYROLL_HEADERS, payroll_rows, write_payroll
from internhost.core.storage import db
from internhost.core.workweeks import record_minutes, week_start

#: 82 days of 8 hours from New Year's Day 2024: the 82nd passes the 650 youth hours.
FIRST_DAY = date(2024, 1, 1)
DAYS = 82


def _youth_intern(s: Any) -> tuple[Intern, Placement]:
    """An intern under 18 in 2024 with an Illinois placement."""
    row = s.execute(
        select(Intern, Placement)
        .join(Placement, Placement.intern_id == Intern.id)
        .join(Worksite, Worksite.id == Placement.worksite_id)
        .where(Worksite.state == "IL", Intern.birth_date > date(2007, 1, 1))
        .order_by(Intern.id)
        .limit(1)
    ).first()
    assert row is not None
    return row[0], row[1]


@pytest.fixture
def year_of_hours(demo_factory: Any) -> int:
    """An Illinois intern under 18 paid $12.50 who worked 8 hours a day from
    January 1, 2024, the last day unapproved and 4 hours more logged the day after."""
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        s.scalar(select(Employer)).workweek_start = "sun"
        intern, placement = _youth_intern(s)
        placement.paid, placement.hourly_rate_cents, placement.badge = True, 1250, "B-77"
        stamp = datetime(2024, 6, 1, 12, tzinfo=UTC)
        for i in range(DAYS):
            day = FIRST_DAY + timedelta(days=i)
            s.add(
                TimeEntry(
                    placement_id=placement.id,
                    work_date=day,
                    start_local=datetime.combine(day, time(8)),
                    end_local=datetime.combine(day, time(16)),
                    approved_at=stamp,
                )
            )
        extra = FIRST_DAY + timedelta(days=DAYS)
        s.add(
            TimeEntry(
                placement_id=placement.id,
                work_date=extra,
                start_local=datetime.combine(extra, time(8)),
                end_local=datetime.combine(extra, time(12)),
            )
        )
        return intern.id


def test_a_week_past_40_hours_and_past_the_youth_hours(demo_factory: Any, year_of_hours: int):
    # The week of Sunday, March 17: six days of 8 hours (48), the sixth (Friday the
    # 22nd) takes the year from 648 to 656 hours; Saturday's 4 hours wait.
    with db.read_session(demo_factory, SYSTEM) as s:
        rows = payroll_rows(s, SYSTEM, date(2024, 3, 20), date(2024, 3, 20))
    (row,) = [r for r in rows if r["intern_id"] == year_of_hours]
    assert row["week_start"] == date(2024, 3, 17)
    assert (row["hours"], row["regular_hours"], row["overtime_hours"]) == (48.0, 40.0, 8.0)
    assert (row["youth_rate_hours"], row["adult_rate_hours"]) == (42.0, 6.0)
    # $12.50 is above the 2024 youth minimum ($12) but below the adult one ($14).
    assert (row["youth_rate"], row["adult_rate"]) == (1250, 1400)
    assert (row["unapproved_hours"], row["badge"]) == (4.0, "B-77")


def test_the_file_has_the_columns_in_order_and_hours_with_two_places(
    demo_factory: Any, year_of_hours: int
) -> None:
    stream = io.StringIO(newline="")
    with db.read_session(demo_factory, SYSTEM) as s:
        write_payroll(s, SYSTEM, date(2024, 3, 17), date(2024, 3, 23), "csv", stream)
    header, records = csv_records(stream.getvalue())
    assert header == list(PAYROLL_HEADERS)
    (record,) = [r for r in records if r["intern_id"] == str(year_of_hours)]
    assert record["hours"] == "48.00" and record["youth_rate_hours"] == "42.00"
    assert (record["youth_rate"], record["adult_rate"]) == ("12.50", "14.00")
    stream = io.StringIO()
    with db.read_session(demo_factory, SYSTEM) as s:
        write_payroll(s, SYSTEM, date(2024, 3, 17), date(2024, 3, 23), "json", stream)
    (obj,) = [o for o in json.loads(stream.getvalue()) if o["intern_id"] == year_of_hours]
    assert list(obj) == list(PAYROLL_HEADERS)
    assert (obj["overtime_hours"], obj["adult_rate"]) == (8.0, 14.0)


def test_only_approved_entries_are_paid(demo_factory: Any) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        last = s.scalar(select(TimeEntry.work_date).order_by(TimeEntry.work_date.desc()))
        assert last is not None
        starts_on = s.scalar(select(Employer.workweek_start))
        assert starts_on is not None
        # Whole workweeks, as the export counts them.
        first = week_start(last - timedelta(days=300), starts_on)
        last = week_start(last, starts_on) + timedelta(days=6)
        entries = s.scalars(select(TimeEntry).where(TimeEntry.work_date.between(first, last))).all()
        rows = payroll_rows(s, SYSTEM, first, last)

        def total(approved: bool) -> float:
            return sum(
                record_minutes(e) for e in entries if (e.approved_at is not None) is approved
            )

    assert sum(r["hours"] for r in rows) == pytest.approx(total(True) / 60, abs=0.01 * len(rows))
    assert sum(r["unapproved_hours"] for r in rows) == pytest.approx(
        total(False) / 60, abs=0.01 * len(rows)
    )
    assert total(False) > 0
    assert len({(r["intern_id"], r["week_start"]) for r in rows}) == len(rows)


def test_payroll_is_hr_only_and_checks_its_dates(demo_factory: Any) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        for role in (Role.MENTOR, Role.VIEWER):
            with pytest.raises(PermissionDenied, match="may not export payroll"):
                payroll_rows(
                    s, Actor(role, "x", user_id=1, staff_id=1), date(2025, 1, 1), date(2025, 1, 2)
                )
        with pytest.raises(ValidationError) as caught:
            payroll_rows(s, SYSTEM, date(2025, 2, 1), date(2025, 1, 1))
        assert caught.value.errors[0].field == "to"
        with pytest.raises(ValidationError) as caught:
            payroll_rows(s, SYSTEM, None, date(2025, 1, 1))  # type: ignore[arg-type]
        assert caught.value.errors[0].field == "from"


def _main(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command(demo_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    base = ("--db", str(demo_path), "export", "payroll")
    code, out, err = _main(capsys, *base, "--from", "2025-09-01", "--to", "2025-12-31")
    assert (code, err) == (0, "")
    header, rows = csv_records(out)
    assert header == list(PAYROLL_HEADERS) and rows
    code, out, err = _main(capsys, *base, "--from", "2025-09-01")
    assert code == 2 and "--to" in err
    code, out, err = _main(capsys, *base, "--from", "9/1/2025", "--to", "2025-12-31")
    assert code == 2 and "is not a date" in err
    code, out, err = _main(
        capsys, "--db", str(demo_path), "export", "interns", "--to", "2025-01-01"
    )
    assert code == 2 and "payroll" in err
    monkeypatch.setenv("INTERNHOST_USER", "mentor")
    code, out, err = _main(capsys, *base, "--from", "2025-09-01", "--to", "2025-12-31")
    assert (code, out) == (4, "") and "may not export payroll" in err


@pytest.fixture
def demo_factory(demo_path: Path) -> Any:
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()
