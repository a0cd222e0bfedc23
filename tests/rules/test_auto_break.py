"""A break a time clock deducts with no punches (issue 13 §4): not worked, so the
day's hours drop by it, yet no meal period, so the meal rules judge the work as
continuous, and their finding says why the deduction did not count."""

from __future__ import annotations

from dataclasses import replace

from rulecase import ADULT, AVA, case, of_rule, shift

from internhost.core.rules.engine import check
from internhost.core.rules.findings import CheckResult
from internhost.core.rules.messages import render
from internhost.core.rules.parse import parse_case
from internhost.core.rules.templates import View

ODRISA_MEAL, IL_MEAL = "US-IL-140-3", "US-IL-206-35-d"


def checked(data: dict, auto_break: int = 0) -> CheckResult:
    parsed = parse_case(data)
    shifts = tuple(replace(s, auto_break_minutes=auto_break) for s in parsed.shifts)
    return check(replace(parsed, shifts=shifts))


def test_a_deducted_break_is_not_worked_but_is_no_meal_period() -> None:
    data = case([shift("2025-10-14T07:00", "2025-10-14T15:30")], birth_date=ADULT)
    found = of_rule(checked(data, auto_break=30), ODRISA_MEAL)
    assert len(found) == 1
    finding = found[0]
    assert finding.template == f"{ODRISA_MEAL}.clock_deducted"
    assert finding.params["worked"] == "8 h" and finding.params["deducted"] == "30 min"
    assert "time clock deducted with no punches" in render(finding, View.EXACT)


def test_the_same_break_punched_is_a_meal_period() -> None:
    punched = case(
        [shift("2025-10-14T07:00", "2025-10-14T15:30", breaks=[("11:00", "11:30")])],
        birth_date=ADULT,
    )
    assert of_rule(checked(punched), ODRISA_MEAL) == []


def test_an_under_16_meal_finding_names_the_deduction_too() -> None:
    data = case([shift("2025-10-18T08:00", "2025-10-18T14:00")], birth_date=AVA)
    plain = of_rule(checked(data), IL_MEAL)
    deducted = of_rule(checked(data, auto_break=30), IL_MEAL)
    assert plain and plain[0].template == IL_MEAL
    assert deducted and deducted[0].template == f"{IL_MEAL}.clock_deducted"


def test_a_deduction_is_not_worked_time() -> None:
    data = case([shift("2025-10-18T08:00", "2025-10-18T16:00")], birth_date=AVA)
    worked = parse_case(data).shifts[0]
    assert worked.worked_minutes == 480
    assert replace(worked, auto_break_minutes=30).worked_minutes == 450
