"""The onboarding plan template and its copies in placements."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core import db
from internhost.core.actor import SYSTEM
from internhost.core.models import PlanItem, PlanTemplate
from internhost.core.services import plans


def test_the_default_template_is_seeded_once(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        first = plans.default_template(s, SYSTEM)
        again = plans.default_template(s, SYSTEM)
        assert first.id == again.id
        phases = {i.phase for i in first.items}
        assert phases == {"before_day_one", "day_one", "first_weeks"}
    with db.read_session(factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(PlanTemplate)) == 1


def test_plan_rows_are_due_relative_to_the_start(factory) -> None:
    start = date(2026, 8, 31)
    with db.unit_of_work(factory, SYSTEM) as s:
        template = plans.default_template(s, SYSTEM)
        rows = plans.plan_rows(template.items, placement_id=7, start=start)
    by_title = {r["title"]: r for r in rows}
    assert by_title["Mentor and a buddy named"]["due_date"] == start - timedelta(days=7)
    assert by_title["Site tour"]["due_date"] == start
    assert all(r["status"] == "open" and r["placement_id"] == 7 for r in rows)


def test_the_sample_plans_every_placement(demo_path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            placements = s.scalar(select(func.count(func.distinct(PlanItem.placement_id))))
            items = s.execute(select(PlanItem.due_date, PlanItem.status)).all()
    finally:
        engine.dispose()
    assert placements == 36 and len(items) == 36 * 13
    logged_through = date(2026, 11, 20)  # resources/sample/demo.toml
    assert all((status == "done") == (due <= logged_through) for due, status in items)
