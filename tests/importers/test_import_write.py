"""The column builders the roster import writes checklists and plans with give
exactly the rows the one-placement row builders give."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from internhost.core.actor import SYSTEM
from internhost.core.models.enums import PROGRAM_LABELS
from internhost.core.rules.checklist import PlacementFacts, required, required_columns
from internhost.core.services import plans
from internhost.core.storage import db

TODAY = date(2025, 8, 20)


def _rows(columns: dict[str, Any]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def test_required_columns_are_the_requirements_rows_but_the_placement() -> None:
    starts = (date(2025, 6, 2), date(2025, 9, 8), date(2026, 1, 5))
    seen_full = False
    for n in range(400):
        start = starts[n % 3]
        facts = PlacementFacts(
            birth_date=start - timedelta(days=13 * 365 + 37 * n),
            start=start,
            end=None if n % 5 == 0 else start + timedelta(days=20 * (n % 11)),
            state=(None, "IL", "WI")[n % 3],
            program=list(PROGRAM_LABELS)[n % len(PROGRAM_LABELS)],
            paid=n % 2 == 0,
        )
        expected = [r.as_row(0) for r in required(facts, TODAY)]
        columns = required_columns(facts, TODAY)
        for row in expected:
            del row["placement_id"]
        assert _rows(columns) == expected
        seen_full |= bool(expected)
        columns.clear()  # a caller's changes do not reach the cache
        assert _rows(required_columns(facts, TODAY)) == expected
    assert seen_full


def test_plan_columns_are_the_plan_rows_of_every_placement(factory) -> None:
    placements = [(7, date(2025, 9, 8)), (8, date(2025, 9, 8)), (12, date(2026, 1, 5))]
    with db.unit_of_work(factory, SYSTEM) as s:
        items = plans.default_template(s, SYSTEM).items
        columns = plans.plan_columns(items, placements)
        expected = [r for pid, start in placements for r in plans.plan_rows(items, pid, start)]
        assert len(expected) == 3 * len(items) > 0
        assert _rows(columns) == expected
        assert _rows(plans.plan_columns(items, [])) == []
        assert set(plans.plan_columns(items, [])) == set(expected[0])
