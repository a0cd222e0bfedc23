"""The primary-beneficiary rule (LEGAL.md §2.10): when HR has concluded an unpaid
intern is not an employee but decisive answers point to employment, the finding
names those factors (from the pack's ``decisive_factors``)."""

from __future__ import annotations

import copy
from dataclasses import replace

from internhost.core.rules.engine import check
from internhost.core.rules.packs import load_rules
from internhost.core.rules.parse import parse_case
from tests.rules.rulecase import case, day_shift


def _result(answers: tuple[bool | None, ...]):
    data = case(
        [day_shift("2025-10-14", "15:30", "17:30")],
        birth_date="2008-03-02",
        intern={"paid": False, "hourly_rate": 0, "employee_status": "not_employee"},
    )
    parsed = parse_case(copy.deepcopy(data))
    intern = replace(parsed.intern, primary_beneficiary=answers)
    return check(replace(parsed, intern=intern))


def _rule():
    return next(r for r in load_rules(None).rules() if r.check == "primary_beneficiary")


def test_the_finding_names_the_decisive_factors_that_point_to_employment() -> None:
    decisive = [int(n) for n in _rule().params["decisive_factors"]]
    answers = [True] * 7
    for n in decisive[:2]:
        answers[n - 1] = False
    [finding] = [f for f in _result(tuple(answers)).findings if f.rule == _rule().id]
    assert "{factors}" not in finding.message
    assert f"factors {decisive[0]}, {decisive[1]}" in finding.message


def test_no_finding_when_every_decisive_factor_points_to_the_intern() -> None:
    findings = _result((True,) * 7).findings
    assert not [f for f in findings if f.rule == _rule().id]
