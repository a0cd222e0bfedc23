"""The onboarding plan template and its copies in placements."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, Placement, PlanItem, PlanTemplate, PlanTemplateItem
from internhost.core.services import placements, plans
from internhost.core.storage import db


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


# -- editing the template (the Onboarding plan screen)


def _form(factory) -> plans.PlanTemplateForm:
    with db.read_session(factory, SYSTEM) as s:
        return plans.template_for_edit(s, SYSTEM)


def _save(factory, steps, actor=SYSTEM) -> plans.PlanTemplateForm:
    with db.unit_of_work(factory, actor) as s:
        return plans.save_template(s, actor, steps)


def _stored(factory) -> list[tuple]:
    with db.read_session(factory, SYSTEM) as s:
        items = s.scalars(select(PlanTemplateItem).order_by(PlanTemplateItem.position))
        return [(i.phase, i.title, i.owner_role, i.due_offset_days) for i in items]


def _audit_count(factory) -> int:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _refused(factory, steps, actor=SYSTEM) -> dict[str, list[str]]:
    before = (_stored(factory), _audit_count(factory))
    with pytest.raises(ValidationError) as caught:
        _save(factory, steps, actor)
    assert (_stored(factory), _audit_count(factory)) == before  # nothing written
    return caught.value.by_field()


def step(title: str = "Locker assigned", **changes) -> plans.PlanStepInput:
    values = {"phase": "day_one", "owner_role": "supervisor", "due_offset_days": 0}
    return plans.PlanStepInput(title=title, **{**values, **changes})


def test_reading_for_edit_shows_the_seed_and_writes_nothing(factory) -> None:
    form = _form(factory)  # a read session: seeding here would fail
    assert not form.stored and form.name == "Default onboarding plan"
    assert len(form.steps) == 13 and all(s.id is None for s in form.steps)
    assert form.steps[0] == plans.PlanStepInput(
        "before_day_one", "Workspace and tools ready", "supervisor", -3
    )
    assert _stored(factory) == [] and _audit_count(factory) == 0


def test_saving_the_seed_stores_it_as_the_template(factory) -> None:
    saved = _save(factory, _form(factory).steps)
    assert saved.stored and all(s.id for s in saved.steps)
    assert [s.title for s in saved.steps] == [s.title for s in _form(factory).steps]
    with db.read_session(factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(PlanTemplate)) == 1


def test_a_save_updates_adds_deletes_and_keeps_the_order_phase_by_phase(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        plans.default_template(s, SYSTEM)
    steps = list(_form(factory).steps)
    first, second = steps[0], steps[1]
    steps[0] = replace(first, title="Desk, chair and tools ready", owner_role="hr")
    del steps[1]
    steps.insert(0, step("Parking pass", phase="first_weeks", due_offset_days=14))
    steps.append(step("Welcome note on the desk", phase="before_day_one", due_offset_days=-1))
    saved = _save(factory, steps)

    titles = [s.title for s in saved.steps]
    phases = [s.phase for s in saved.steps]
    assert phases == sorted(phases, key=["before_day_one", "day_one", "first_weeks"].index)
    assert titles[0] == "Desk, chair and tools ready" and saved.steps[0].id == first.id
    # New steps go to their phase, in the order given within it.
    assert titles.index("Welcome note on the desk") == 5
    assert titles[-4] == "Parking pass"
    assert second.title not in titles and len(titles) == 14
    assert [t for _p, t, _o, _d in _stored(factory)] == titles


def test_every_insert_update_and_delete_is_audited(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        plans.default_template(s, SYSTEM)
    steps = list(_form(factory).steps)
    changed, removed = steps[0], steps[1]
    steps[0] = replace(changed, due_offset_days=-10)
    del steps[1]
    steps.append(step())
    before = _audit_count(factory)
    saved = _save(factory, steps)
    added = next(s for s in saved.steps if s.title == "Locker assigned")
    with db.read_session(factory, SYSTEM) as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.seq > before)))
    assert [e.operation for e in events] == ["save onboarding plan template"]
    payload = json.loads(events[0].payload)
    assert payload[f"plan_template_items:{changed.id}"]["before"]["due_offset_days"] == -3
    assert payload[f"plan_template_items:{changed.id}"]["after"]["due_offset_days"] == -10
    assert payload[f"plan_template_items:{removed.id}"]["after"] is None
    assert payload[f"plan_template_items:{added.id}"]["before"] is None
    assert payload[f"plan_template_items:{added.id}"]["after"]["title"] == "Locker assigned"


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        (step(phase="week_two"), "items[1].phase", "is not one of"),
        (step(phase=None), "items[1].phase", "is not one of"),
        (step(""), "items[1].title", "is required"),
        (step("   "), "items[1].title", "is required"),
        (step("x" * 301), "items[1].title", "longer than 300"),
        (step("Tab\x00bed"), "items[1].title", "control characters"),
        (step("Two\nlines"), "items[1].title", "control characters"),
        (step(owner_role="janitor"), "items[1].owner_role", "is not one of"),
        (step(due_offset_days=-91), "items[1].due_offset_days", "within 90 days before"),
        (step(due_offset_days=366), "items[1].due_offset_days", "365 days after"),
        (step(due_offset_days=2**70), "items[1].due_offset_days", "365 days after"),
        (step(due_offset_days=None), "items[1].due_offset_days", "is required"),
        (step(due_offset_days="3"), "items[1].due_offset_days", "whole number"),
        (step(due_offset_days=True), "items[1].due_offset_days", "whole number"),
        (step(id=999), "items[1]", "no longer in the template"),
        (step("Site tour"), "items[1].title", "listed twice"),
    ],
)
def test_each_bad_value_is_named_by_row_and_field(factory, bad, field, message) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        plans.default_template(s, SYSTEM)
    good = step("Site tour")
    errors = _refused(factory, [good, bad])
    assert list(errors) == [field] and message in errors[field][0], errors


def test_every_bad_row_is_reported_at_once_and_the_plan_needs_a_step(factory) -> None:
    errors = _refused(factory, [step(""), step(owner_role="x", due_offset_days=400)])
    assert set(errors) == {"items[0].title", "items[1].owner_role", "items[1].due_offset_days"}
    assert _refused(factory, []) == {"items": ["add at least one step"]}
    too_many = [step(f"Step {n}") for n in range(plans.MOST_STEPS + 1)]
    assert "at most 100" in _refused(factory, too_many)["items"][0]


@pytest.mark.parametrize(
    ("items", "errors"),
    [
        (None, {"items": ["add at least one step"]}),
        ("Site tour", {"items": ["is not a list of steps"]}),
        (7, {"items": ["is not a list of steps"]}),
        ({"items[0]": step()}, {"items": ["is not a list of steps"]}),
        ([step(), None], {"items[1]": ["is not a step"]}),
        ([step(id=[1])], {"items[0].id": ["is not a step's id"]}),
        ([step(id="1")], {"items[0].id": ["is not a step's id"]}),
        ([step(id=True)], {"items[0].id": ["is not a step's id"]}),
    ],
)
def test_input_that_is_no_list_of_steps_is_an_error_of_items(factory, items, errors) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        plans.default_template(s, SYSTEM)
    assert _refused(factory, items) == errors


def test_steps_from_a_generator_are_checked_and_saved_like_a_list(factory) -> None:
    assert _refused(factory, (s for s in [step("Site tour"), step("")])) == {
        "items[1].title": ["is required"]
    }
    saved = _save(factory, (step(f"Step {n}") for n in range(3)))
    assert [s.title for s in saved.steps] == ["Step 0", "Step 1", "Step 2"]
    endless = (step(f"Step {n}") for n in range(10**9))  # read only one step past the limit
    assert _refused(factory, endless)["items"] == [
        f"has more than {plans.MOST_STEPS} steps; a plan may have at most {plans.MOST_STEPS}"
    ]


def test_a_step_listed_twice_is_refused(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        plans.default_template(s, SYSTEM)
    steps = list(_form(factory).steps)
    twin = replace(steps[2], title="Another title")
    assert _refused(factory, [*steps, twin]) == {f"items[{len(steps)}]": ["is listed twice"]}


def test_only_a_role_that_edits_records_saves_or_resets(factory) -> None:
    for role in (Role.VIEWER, Role.MENTOR):
        actor = Actor(role, "someone", user_id=5, staff_id=1)
        with pytest.raises(PermissionDenied), db.unit_of_work(factory, actor) as s:
            plans.save_template(s, actor, [step()])
        with pytest.raises(PermissionDenied), db.unit_of_work(factory, actor) as s:
            plans.reset_template_to_default(s, actor)
        with db.read_session(factory, actor) as s:
            assert plans.template_for_edit(s, actor).steps  # but reads it
    # Nothing stored; the trail holds the four refusals (each role's save and reset).
    assert _stored(factory) == [] and _audit_count(factory) == 4


def test_reset_brings_the_seed_back_keeping_the_steps_it_still_has(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        plans.default_template(s, SYSTEM)
    seed = _form(factory)
    steps = [replace(seed.steps[0], owner_role="hr", due_offset_days=-20), step()]
    _save(factory, steps)
    with db.unit_of_work(factory, SYSTEM) as s:
        reset = plans.reset_template_to_default(s, SYSTEM)
    assert [(s.phase, s.title, s.owner_role, s.due_offset_days) for s in reset.steps] == [
        (s.phase, s.title, s.owner_role, s.due_offset_days) for s in seed.steps
    ]
    assert reset.steps[0].id == seed.steps[0].id  # kept, and set back
    assert "Locker assigned" not in {s.title for s in reset.steps}
    with db.read_session(factory, SYSTEM) as s:
        operations = list(s.scalars(select(AuditEvent.operation).order_by(AuditEvent.seq)))
    assert operations[-1] == "reset onboarding plan template"


def test_new_placements_get_the_edited_plan_existing_ones_keep_theirs(demo_path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    try:
        with db.read_session(factory, SYSTEM) as s:
            old_id = s.scalar(select(Placement.id).order_by(Placement.id).limit(1))
            old_plan = _plan_of(s, old_id)
        steps = [
            step("Meet the safety officer", phase="day_one", owner_role="supervisor"),
            step("Buddy lunch", phase="first_weeks", owner_role="mentor", due_offset_days=5),
        ]
        _save(factory, steps)
        with db.unit_of_work(factory, SYSTEM) as s:
            data = placements.placement_input(s, SYSTEM, old_id)
            start = date(2027, 6, 14)
            # A new placement: its own badge (the old one's is still open).
            new = replace(data, start_date=start, end_date=date(2027, 8, 13), badge=None)
            row = placements.save_placement(s, SYSTEM, new, today=date(2027, 6, 1))
        with db.read_session(factory, SYSTEM) as s:
            assert _plan_of(s, row.id) == [
                ("day_one", "Meet the safety officer", "supervisor", start),
                ("first_weeks", "Buddy lunch", "mentor", start + timedelta(days=5)),
            ]
            assert _plan_of(s, old_id) == old_plan
    finally:
        engine.dispose()


def _plan_of(s, placement_id: int) -> list[tuple]:
    items = s.scalars(
        select(PlanItem).where(PlanItem.placement_id == placement_id).order_by(PlanItem.position)
    )
    return [(i.phase, i.title, i.owner_role, i.due_date) for i in items]
