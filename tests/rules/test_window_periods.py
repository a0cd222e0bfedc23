"""The legal window and the driving limits count work by work period (rules/periods.py),
as the hours rules do: how work was punched changes neither."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from internhost.core.rules.engine import check
from internhost.core.rules.facts import Case, Driver, InternFacts, Shift, TaskFact, interval
from internhost.core.rules.window import legal_window

ZONE = ZoneInfo("America/Chicago")
AVA = date(2010, 2, 14)  # 15 through 2026-02-13
DANA = date(2008, 3, 1)  # 17 in the autumn of 2025
FRIDAY = date(2025, 10, 17)


def _record(index: int, start: datetime, end: datetime, *tasks: TaskFact) -> Shift:
    return Shift(index, interval(start, end, ZONE), tasks=tasks)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _whole_and_split(start: datetime, end: datetime, cut: datetime) -> tuple[tuple, tuple]:
    whole = (_record(0, start, end),)
    split = (_record(0, start, cut), _record(1, cut, end))
    return whole, split


@pytest.mark.parametrize(
    ("start", "end", "cut"),
    [
        (_at(FRIDAY, 21), _at(FRIDAY + timedelta(days=1), 2), _at(FRIDAY + timedelta(days=1), 0)),
        (_at(FRIDAY, 16), _at(FRIDAY, 19), _at(FRIDAY, 17, 25)),
        # Saturday into Sunday: the employer's workweek starts on Sunday.
        (
            _at(FRIDAY + timedelta(days=1), 20),
            _at(FRIDAY + timedelta(days=2), 1),
            _at(FRIDAY + timedelta(days=2), 0),
        ),
    ],
)
@pytest.mark.parametrize("born", [AVA, DANA])
def test_splitting_a_record_never_changes_the_window(
    start: datetime, end: datetime, cut: datetime, born: date
) -> None:
    whole, split = _whole_and_split(start, end, cut)
    for offset in range(-1, 3):
        day = start.date() + timedelta(days=offset)
        one = legal_window(Case(InternFacts(born), whole, school_days={}), day)
        two = legal_window(Case(InternFacts(born), split, school_days={}), day)
        assert one == two, day


def test_work_after_midnight_counts_on_the_evening_it_continues() -> None:
    """22:00–00:00 and 00:00–02:00 touch: four hours of Friday's work, none of Saturday's
    own, though the 24 hours around Saturday still hold them."""
    _whole, split = _whole_and_split(
        _at(FRIDAY, 22), _at(FRIDAY + timedelta(days=1), 2), _at(FRIDAY + timedelta(days=1), 0)
    )
    case = Case(InternFacts(AVA), split, school_days={})
    friday = legal_window(case, FRIDAY)
    saturday = legal_window(case, FRIDAY + timedelta(days=1))
    assert friday.hours_left_day == 4.0  # 8 a day without school, 4 worked
    assert saturday.hours_left_day == 4.0  # at most 8 in any 24 hours (Illinois)
    assert friday.hours_left_week == saturday.hours_left_week == 36.0


def _drive(minutes: int) -> TaskFact:
    return TaskFact("drive_public_road", minutes, {"trips": 1, "passenger_trips": 0})


def _driving_findings(records: tuple[Shift, ...]) -> list[str]:
    licensed = Driver(licensed=True, driver_ed_completed=True, moving_violations=False)
    case = Case(InternFacts(DANA, driver=licensed), records, school_days={})
    return [f.rule for f in check(case).findings if f.rule == "US-FLSA-570.52-b-trips"]


def test_the_share_of_a_workday_spent_driving_reads_the_whole_period() -> None:
    """40 minutes of driving in a 22:00–00:00 record continued 00:00–04:00 is a third
    of a six-hour workday at most, not two thirds of a two-hour one."""
    saturday = FRIDAY + timedelta(days=1)
    split = (
        _record(0, _at(FRIDAY, 22), _at(saturday, 0), _drive(40)),
        _record(1, _at(saturday, 0), _at(saturday, 4)),
    )
    whole = (_record(0, _at(FRIDAY, 22), _at(saturday, 4), _drive(40)),)
    assert _driving_findings(split) == _driving_findings(whole) == []
    alone = (_record(0, _at(FRIDAY, 22), _at(saturday, 0), _drive(60)),)
    assert _driving_findings(alone) == ["US-FLSA-570.52-b-trips"]
