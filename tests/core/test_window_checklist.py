"""The legal window that drives the planner, and the checklist from the pack."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from internhost.core.rules.checklist import PlacementFacts, required
from internhost.core.rules.facts import Case, InternFacts, Shift, interval
from internhost.core.rules.window import legal_window

ZONE = ZoneInfo("America/Chicago")
AVA = date(2010, 2, 14)  # 15 through 2026-02-13
SCHOOL = {date(2025, 10, 14): (time(8), time(15)), date(2025, 10, 15): (time(8), time(15))}


def _shift(index: int, day: date, start: time, end: time) -> Shift:
    return Shift(index, interval(datetime.combine(day, start), datetime.combine(day, end), ZONE))


def test_a_15_year_old_on_a_7_hour_school_day_has_one_hour() -> None:
    window = legal_window(Case(InternFacts(AVA), (), school_days=SCHOOL), date(2025, 10, 14))
    assert window.may_work and window.age == 15
    assert (window.earliest, window.latest) == (time(7), time(19))
    assert window.blocked == (time(8), time(15))
    assert window.hours_left_day == 1.0  # IL school + work <= 8
    assert window.hours_left_week == 18.0
    assert "US-IL-206-25-5-combined" in window.binding


def test_hours_already_worked_reduce_what_is_left() -> None:
    worked = (_shift(0, date(2025, 10, 13), time(15, 30), time(18, 30)),)
    case = Case(InternFacts(AVA), worked, school_days=SCHOOL)
    window = legal_window(case, date(2025, 10, 18))  # Saturday of the same workweek
    assert window.hours_left_week == 15.0
    assert window.hours_left_day == 8.0


def test_summer_evenings_run_to_9_pm() -> None:
    window = legal_window(Case(InternFacts(AVA), (), school_days={}), date(2025, 7, 10))
    assert window.latest == time(21)
    assert (window.hours_left_day, window.hours_left_week) == (8.0, 40.0)  # no school


def test_the_evening_before_counts_against_the_24_hours() -> None:
    """Illinois: at most 8 hours in any 24 (the day itself would allow 8)."""
    friday = _shift(0, date(2025, 10, 17), time(15, 30), time(19))
    window = legal_window(Case(InternFacts(AVA), (friday,), school_days=SCHOOL), date(2025, 10, 18))
    assert window.hours_left_day == 4.5
    assert window.hours_left_week == 14.5  # 18 in a school week
    assert "US-IL-206-25-3" in window.binding


def test_an_employer_the_flsa_does_not_cover_keeps_to_the_states_rules() -> None:
    case = Case(InternFacts(AVA), (), school_days=SCHOOL, flsa_covered=False)
    window = legal_window(case, date(2025, 10, 14))
    assert window.binding and all(rule.startswith("US-IL-") for rule in window.binding)
    assert window.blocked is None  # school hours are the federal rule's
    assert (window.earliest, window.latest, window.hours_left_day) == (time(7), time(19), 1.0)


@pytest.mark.parametrize("born", [date(2008, 3, 2), date(2007, 1, 1)])
def test_16_and_over_have_no_hour_limits(born: date) -> None:
    window = legal_window(Case(InternFacts(born), ()), date(2025, 10, 14))
    assert window.hours_left_day is None and window.earliest is None and window.binding == ()


def test_under_14_may_not_work() -> None:
    window = legal_window(Case(InternFacts(date(2012, 5, 5)), ()), date(2025, 10, 14))
    assert not window.may_work and window.binding == ("US-FLSA-570.2-min-age",)


def _keys(**overrides) -> set[str]:
    facts = dict(
        birth_date=AVA,
        start=date(2025, 9, 8),
        end=date(2025, 12, 18),
        state="IL",
        program="employment",
        paid=True,
    )
    facts.update(overrides)
    return {r.key for r in required(PlacementFacts(**facts), date(2025, 9, 1))}


def test_checklist_follows_the_facts() -> None:
    base = _keys()
    assert {"C1", "C2", "C8", "C18", "C20"} <= base and "C5" not in base and "C21" not in base
    assert "C2" not in _keys(program="school_wbl")  # 206/20(e)
    assert "C2" not in _keys(state="WI")
    assert {"C21"} <= _keys(paid=False) and "C20" not in _keys(paid=False)
    assert "C5" in _keys(birth_date=date(2008, 3, 2), program="student_learner")
    assert "C2" not in _keys(birth_date=date(2008, 3, 2))


def test_due_dates_are_relative_to_the_start_and_marked_as_practice() -> None:
    facts = PlacementFacts(AVA, date(2025, 9, 8), None, "IL", "employment", True)
    items = {r.key: r for r in required(facts, date(2025, 9, 1))}
    assert items["C1"].due == date(2025, 9, 1)
    assert items["C10"].due == date(2025, 8, 25)
    assert all(r.defaults == "practice" for r in items.values())
    assert items["C10"].verification == "M"
