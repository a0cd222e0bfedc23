"""The decisions table: every finding category has a row, and it says what the issue's
table says (eligibility blocks placements and plans, verified never overridden)."""

from __future__ import annotations

import pytest

from internhost.core.models.enums import FINDING_CATEGORIES, SEVERITIES
from internhost.core.rules.decisions import decision_for
from internhost.core.rules.packs import load_pack


@pytest.mark.parametrize("category", FINDING_CATEGORIES)
@pytest.mark.parametrize("severity", SEVERITIES)
@pytest.mark.parametrize("verification", ["V", "S", "M"])
def test_every_finding_has_a_row(category: str, severity: str, verification: str) -> None:
    decision = decision_for(category, severity, verification)
    assert decision.advice and decision.title
    if severity != "violation":
        assert decision.may_acknowledge and not decision.blocks


@pytest.mark.parametrize("category", ["min_age", "occupation", "hazardous_order"])
def test_a_verified_eligibility_violation_blocks_and_is_never_overridden(category: str) -> None:
    verified = decision_for(category, "violation", "V")
    assert verified.stops("placement") and verified.stops("plan")
    assert verified.decision == "none" and "exemption" in verified.advice
    unverified = decision_for(category, "violation", "S")
    assert unverified.stops("placement") and unverified.may_override
    assert unverified.reason == "evidence"


@pytest.mark.parametrize("category", ["daily_hours", "meal_break", "wage", "certificate"])
def test_a_condition_violation_blocks_a_plan_and_activation_not_the_draft(category: str) -> None:
    for verification in ("V", "M"):
        decision = decision_for(category, "violation", verification)
        assert decision.blocks == {"plan", "activation"}
        assert decision.may_override and not decision.stops("placement")


def test_unknown_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="category"):
        decision_for("vibes", "violation", "V")
    with pytest.raises(ValueError, match="block"):
        decision_for("wage", "violation", "V").stops("lunch")


def test_the_table_is_policy_marked_as_practice() -> None:
    meta = load_pack("decisions").raw["pack"]
    assert meta["defaults"] == "practice" and "not yet reviewed" in meta["reviewed_by"]
