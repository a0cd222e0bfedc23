"""An intern's growth: frameworks as data, goals, evaluations over a framework's own
scale, site visits and how a placement ended (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    Competency,
    CompetencyFramework,
    CompetencyRating,
    Evaluation,
    Intern,
    Placement,
)
from internhost.core.services import (
    accounts,
    evaluations,
    frameworks,
    goals,
    outcomes,
    progress,
)
from internhost.core.storage import db

TODAY = date(2025, 10, 15)


def _fields(e: ValidationError) -> set[str]:
    return {err.field for err in e.errors}


# -- frameworks as data


def test_a_new_database_has_the_shipped_frameworks(factory: sessionmaker[Session]) -> None:
    accounts.bootstrap_admin(factory, "admin", "a long enough password")
    with db.read_session(factory, SYSTEM) as s:
        rows = frameworks.list_frameworks(s, SYSTEM)
    by_key = {r.key: r for r in rows}
    assert set(by_key) == {"il-eesf", "il-mfg-technical"}
    essential, technical = by_key["il-eesf"], by_key["il-mfg-technical"]
    assert essential.verification == "V" and len(essential.competencies) == 4
    # LEGAL.md §3.4: the families are unverified until the guide is read.
    assert technical.verification == "M"
    assert {c.verification for c in technical.competencies} == {"M"}
    assert "Machining / CNC" in {c.name for c in technical.competencies}
    assert all(r.shipped and r.edited_at is None for r in rows)


def test_installing_twice_adds_nothing(factory: sessionmaker[Session]) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        assert len(frameworks.install_shipped(s, SYSTEM)) == 2
        assert frameworks.install_shipped(s, SYSTEM) == []
    with db.read_session(factory, SYSTEM) as s:
        assert s.scalar(select(func.count(CompetencyFramework.id))) == 2


def _competencies(row: frameworks.FrameworkRow) -> tuple[frameworks.CompetencyInput, ...]:
    return tuple(
        frameworks.CompetencyInput(c.key, c.name, c.category, c.description, c.id)
        for c in row.competencies
    )


def test_a_newer_shipped_version_arrives_beside_hrs_edited_copy(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        essential, technical = sorted(
            frameworks.install_shipped(s, SYSTEM), key=lambda r: r.key != "il-eesf"
        )
        edited = frameworks.save_framework(
            s,
            SYSTEM,
            frameworks.FrameworkInput(
                essential.key,
                "Our essential skills",
                essential.version,
                essential.scale_max,
                competencies=_competencies(essential),
            ),
            essential.id,
        )
        assert edited.edited_at is not None and edited.shipped
    newer = tuple({**spec, "version": "2099.1"} for spec in frameworks.shipped_specs.__wrapped__())
    monkeypatch.setattr(frameworks, "shipped_specs", lambda: newer)
    with db.unit_of_work(factory, SYSTEM) as s:
        added = frameworks.install_shipped(s, SYSTEM)
        assert {(r.key, r.version) for r in added} == {
            ("il-eesf", "2099.1"),
            ("il-mfg-technical", "2099.1"),
        }
    with db.read_session(factory, SYSTEM) as s:
        every = {(f.key, f.version): f for f in s.scalars(select(CompetencyFramework))}
    # HR's edited copy stays in use, never overwritten; the unedited old one retires.
    kept = every[("il-eesf", essential.version)]
    assert kept.name == "Our essential skills" and kept.retired_at is None
    assert every[("il-mfg-technical", technical.version)].retired_at is not None
    assert every[("il-eesf", "2099.1")].name == essential.name


def test_hr_adds_a_framework_and_a_bad_one_names_its_fields(
    factory: sessionmaker[Session],
) -> None:
    good = frameworks.FrameworkInput(
        "shop-basics",
        "Shop basics",
        "1",
        3,
        competencies=(
            frameworks.CompetencyInput("lockout", "Lockout/tagout awareness"),
            frameworks.CompetencyInput("measuring", "Measuring tools"),
        ),
    )
    with db.unit_of_work(factory, SYSTEM) as s:
        row = frameworks.save_framework(s, SYSTEM, good)
    assert not row.shipped and row.scale_max == 3 and len(row.competencies) == 2
    bad = replace(
        good,
        key="Shop Basics!",
        scale_max=1,
        competencies=(
            frameworks.CompetencyInput("a", "One"),
            frameworks.CompetencyInput("a", ""),
        ),
    )
    with pytest.raises(ValidationError) as e, db.unit_of_work(factory, SYSTEM) as s:
        frameworks.save_framework(s, SYSTEM, bad)
    assert _fields(e.value) == {
        "key",
        "scale_max",
        "competencies[1].key",
        "competencies[1].name",
    }
    with pytest.raises(ValidationError) as e, db.unit_of_work(factory, SYSTEM) as s:
        frameworks.save_framework(s, SYSTEM, good)  # (key, version) is taken
    assert _fields(e.value) == {"version"}


# -- on the sample: goals, evaluations, visits and endings by role


@dataclass
class World:
    factory: sessionmaker[Session]
    hr: Actor
    mentor: Actor
    viewer: Actor
    intern: int
    placement: int
    stranger_placement: int

    def call(self, actor: Actor, service, *args, **kwargs):  # type: ignore[no-untyped-def]
        with db.unit_of_work(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)


@pytest.fixture
def world(demo_path: Path) -> Iterator[World]:
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        actors = {r.role: accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM)}
        mentor = actors["mentor"]
        own = select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
        intern = s.scalar(select(Intern.id).where(Intern.id.in_(own)).order_by(Intern.id))
        placement = s.scalar(
            select(Placement.id)
            .where(Placement.intern_id == intern, Placement.status == "active")
            .order_by(Placement.id)
        )
        stranger = s.scalar(
            select(Placement.id).where(Placement.intern_id.not_in(own)).order_by(Placement.id)
        )
    assert intern and placement and stranger
    yield World(
        factory,
        actors["hr_admin"],
        mentor,
        actors["viewer"],
        intern,
        placement,
        stranger,
    )
    engine.dispose()


def _essential(w: World) -> frameworks.FrameworkRow:
    with db.read_session(w.factory, SYSTEM) as s:
        return next(r for r in frameworks.list_frameworks(s, SYSTEM) if r.key == "il-eesf")


def test_a_mentor_writes_goals_for_their_own_interns_only(world: World) -> None:
    competency = _essential(world).competencies[1]
    data = goals.GoalInput(
        world.placement,
        "Arrive on time every shift",
        target_date=TODAY + timedelta(days=30),
        competency_id=competency.id,
    )
    row = world.call(world.mentor, goals.save_goal, data, today=TODAY)
    assert (row.status, row.competency) == ("open", competency.name)
    met = world.call(
        world.mentor, goals.save_goal, replace(data, status="met"), row.id, today=TODAY
    )
    assert met.id == row.id and met.status == "met"
    with pytest.raises(ValidationError) as e:
        world.call(
            world.mentor,
            goals.save_goal,
            replace(data, placement_id=world.stranger_placement, status="done"),
            today=TODAY,
        )
    assert _fields(e.value) == {"placement_id", "status"}
    with pytest.raises(PermissionDenied):
        world.call(world.viewer, goals.save_goal, data, today=TODAY)
    listed = world.call(world.viewer, goals.list_goals, world.intern, TODAY)
    assert row.id in {g.id for g in listed}


def _rubric(framework: frameworks.FrameworkRow, level: int) -> tuple:
    return tuple(
        evaluations.RatingInput(c.id, level, f"Seen on the line ({c.name}).")
        for c in framework.active_competencies
    )


def test_an_evaluation_is_bounded_by_its_frameworks_scale(world: World) -> None:
    framework = _essential(world)
    data = evaluations.EvaluationInput(
        world.placement,
        "progress",
        framework.id,
        TODAY,
        ratings=_rubric(framework, framework.scale_max + 1),
        overall=framework.scale_max + 1,
    )
    with pytest.raises(ValidationError) as e:
        world.call(world.mentor, evaluations.save_evaluation, data)
    assert {f"ratings[{i}].level" for i in range(4)} | {"overall"} == _fields(e.value)
    row = world.call(
        world.mentor,
        evaluations.save_evaluation,
        replace(data, ratings=_rubric(framework, 3), overall=3, submit=True),
    )
    assert row.evaluator_id == world.mentor.staff_id and row.submitted_at is not None
    assert [r.level for r in row.ratings] == [3, 3, 3, 3] and row.period_label == "Progress"
    # HR records the school coordinator's verification; a half-given one is refused.
    with pytest.raises(ValidationError) as e:
        world.call(
            world.hr,
            evaluations.save_evaluation,
            replace(data, ratings=_rubric(framework, 3), overall=3, school_verified_by="Ms. Hale"),
            row.id,
        )
    assert _fields(e.value) == {"school_verified_on"}
    verified = world.call(
        world.hr,
        evaluations.save_evaluation,
        replace(
            data,
            ratings=_rubric(framework, 4),
            overall=4,
            school_verified_by="Ms. Hale",
            school_verified_on=TODAY,
        ),
        row.id,
    )
    assert verified.school_verified_by == "Ms. Hale" and verified.submitted_at == row.submitted_at


def test_one_midpoint_per_placement(world: World) -> None:
    framework = _essential(world)
    with db.read_session(world.factory, SYSTEM) as s:
        taken = s.scalar(
            select(Evaluation.placement_id).where(Evaluation.kind == "midpoint").limit(1)
        )
    with pytest.raises(ValidationError) as e:
        world.call(
            world.hr,
            evaluations.save_evaluation,
            evaluations.EvaluationInput(
                taken, "midpoint", framework.id, TODAY, ratings=_rubric(framework, 2)
            ),
        )
    assert _fields(e.value) == {"kind"}


def test_a_mentor_may_not_change_another_evaluators_evaluation(world: World) -> None:
    with db.read_session(world.factory, SYSTEM) as s:
        other = s.scalar(
            select(Evaluation)
            .join(Placement, Placement.id == Evaluation.placement_id)
            .where(Placement.intern_id == world.intern)
            .limit(1)
        )
    assert other is not None
    with db.unit_of_work(world.factory, SYSTEM) as s:
        s.get_one(Evaluation, other.id).evaluator_id = None
    framework = _essential(world)
    data = evaluations.EvaluationInput(
        other.placement_id, other.kind, framework.id, other.evaluated_on, _rubric(framework, 2)
    )
    with pytest.raises(PermissionDenied):
        world.call(world.mentor, evaluations.save_evaluation, data, other.id)


def test_due_evaluations_come_from_the_placements_dates(world: World) -> None:
    with db.read_session(world.factory, SYSTEM) as s:
        p = s.get_one(Placement, world.placement)
        start, end = p.start_date, p.end_date
    assert end is not None
    midpoint = evaluations.due_dates(start, end)["midpoint"]
    with db.unit_of_work(world.factory, SYSTEM) as s:
        for e in s.scalars(select(Evaluation).where(Evaluation.placement_id == world.placement)):
            s.delete(e)
    due = world.call(world.mentor, evaluations.due_evaluations, midpoint, [world.intern])
    assert [(d.placement_id, d.kind, d.due) for d in due if d.placement_id == world.placement] == [
        (world.placement, "midpoint", midpoint)
    ]
    assert world.call(world.mentor, evaluations.due_evaluations, start, [world.intern]) == []
    # The SQL and the Python date agree to the day (an odd span's half day rounds down).
    lead = timedelta(days=evaluations.DUE_LEAD_DAYS)
    edge = world.call(world.mentor, evaluations.due_evaluations, midpoint - lead, [world.intern])
    assert (world.placement, "midpoint") in {(d.placement_id, d.kind) for d in edge}
    before = midpoint - lead - timedelta(days=1)
    early = world.call(world.mentor, evaluations.due_evaluations, before, [world.intern])
    assert (world.placement, "midpoint") not in {(d.placement_id, d.kind) for d in early}
    everyone = world.call(world.hr, evaluations.due_evaluations, end)
    mine = world.call(world.mentor, evaluations.due_evaluations, end)
    with db.read_session(world.factory, SYSTEM) as s:
        own = set(
            s.scalars(
                select(Placement.intern_id).where(Placement.mentor_id == world.mentor.staff_id)
            )
        )
    assert world.intern in {d.intern_id for d in mine} <= own
    assert {d.intern_id for d in mine} <= {d.intern_id for d in everyone}
    # Listed for a while after the last day; a term long past is history.
    grace = timedelta(days=evaluations.DUE_AFTER_END_DAYS)
    late = world.call(world.mentor, evaluations.due_evaluations, end + grace, [world.intern])
    assert (world.placement, "final") in {(d.placement_id, d.kind) for d in late}
    past = end + grace + timedelta(days=1)
    assert world.call(world.mentor, evaluations.due_evaluations, past, [world.intern]) == []


def test_site_visits_are_hrs_and_everyone_reads_them(world: World) -> None:
    data = outcomes.SiteVisitInput(world.placement, TODAY, "Ms. Hale (school coordinator)")
    row = world.call(world.hr, outcomes.save_site_visit, data)
    assert row.recorded_by
    with pytest.raises(PermissionDenied):
        world.call(world.mentor, outcomes.save_site_visit, data)
    seen = world.call(world.viewer, progress.intern_progress, world.intern, TODAY)
    assert row.id in {v.id for v in seen.site_visits} and not seen.may


def test_early_termination_sets_the_placements_status(world: World) -> None:
    data = outcomes.OutcomeInput(
        world.placement,
        "terminated",
        TODAY,
        termination_reason="Repeated safety violations after retraining.",
        concerns_notice_sent_on=TODAY,
    )
    with pytest.raises(ValidationError) as e:
        world.call(
            world.hr, outcomes.save_outcome, replace(data, termination_reason=""), today=TODAY
        )
    assert _fields(e.value) == {"termination_reason"}
    world.call(world.hr, outcomes.save_outcome, data, today=TODAY)
    with db.read_session(world.factory, SYSTEM) as s:
        p = s.get_one(Placement, world.placement)
        assert (p.status, p.end_date, p.status_note) == (
            "terminated",
            TODAY,
            data.termination_reason,
        )


def test_completion_and_the_mentors_closing_notes(world: World) -> None:
    data = outcomes.OutcomeInput(
        world.placement,
        "completed",
        TODAY,
        exit_reflection="I learned to read a print.",
        next_steps=("Dual credit", "Machining certificate at the college"),
        counts_toward_cde=True,
    )
    with pytest.raises(ValidationError):  # nothing recorded yet: HR goes first
        world.call(world.mentor, outcomes.save_outcome, data, today=TODAY)
    world.call(world.hr, outcomes.save_outcome, data, today=TODAY)
    notes = replace(data, mentor_notes="Ready for second shift work.")
    row = world.call(world.mentor, outcomes.save_outcome, notes, today=TODAY)
    assert row.mentor_notes == notes.mentor_notes and row.next_steps == data.next_steps
    with pytest.raises(PermissionDenied):
        world.call(
            world.mentor,
            outcomes.save_outcome,
            replace(notes, counts_toward_cde=False),
            today=TODAY,
        )
    overview = world.call(world.mentor, progress.intern_progress, world.intern, TODAY)
    assert [o.kind for o in overview.outcomes] == ["completed"]
    assert {"goals", "evaluations", "mentor_notes", "reference_letter"} == overview.may
    assert "Job offer" in outcomes.next_step_choices()
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.get_one(Placement, world.placement).status == "completed"


def test_a_mentor_meets_not_found_for_other_interns(world: World) -> None:
    with db.read_session(world.factory, SYSTEM) as s:
        stranger = s.get_one(Placement, world.stranger_placement).intern_id
    for service, args in (
        (progress.intern_progress, (stranger, TODAY)),
        (goals.list_goals, (stranger, TODAY)),
        (evaluations.list_evaluations, (stranger,)),
    ):
        with pytest.raises(NotFound):
            world.call(world.mentor, service, *args)


def test_the_sample_rates_on_the_shipped_framework(world: World) -> None:
    with db.read_session(world.factory, SYSTEM) as s:
        rated = set(
            s.scalars(
                select(CompetencyFramework.key)
                .join(Competency, Competency.framework_id == CompetencyFramework.id)
                .join(CompetencyRating, CompetencyRating.competency_id == Competency.id)
            )
        )
    assert rated == {"il-eesf"}
    overview = world.call(world.hr, progress.intern_progress, world.intern, TODAY)
    assert overview.check_ins > 0 and overview.last_check_in is not None
    assert overview.evaluations and all(e.ratings for e in overview.evaluations)


def test_a_rated_competency_is_retired_never_deleted(world: World) -> None:
    factory = world.factory
    with db.read_session(factory, SYSTEM) as s:
        row = next(r for r in frameworks.list_frameworks(s, SYSTEM) if r.key == "il-eesf")
    rated, *rest = row.competencies
    assert rated.ratings > 0
    with db.unit_of_work(factory, SYSTEM) as s:
        saved = frameworks.save_framework(
            s,
            SYSTEM,
            frameworks.FrameworkInput(
                row.key,
                row.name,
                row.version,
                row.scale_max,
                competencies=_competencies(replace(row, competencies=tuple(rest))),
            ),
            row.id,
        )
    gone = next(c for c in saved.competencies if c.id == rated.id)
    assert gone.retired and gone.ratings == rated.ratings
    assert [c.id for c in saved.active_competencies] == [c.id for c in rest]
    with pytest.raises(ValidationError) as e, db.unit_of_work(factory, SYSTEM) as s:
        frameworks.save_framework(
            s,
            SYSTEM,
            frameworks.FrameworkInput(row.key, row.name, row.version, 3, competencies=()),
            row.id,
        )
    assert _fields(e.value) == {"scale_max", "competencies"}
