"""New term: a term's placements and calendars copied forward, what is skipped and why,
each copy with its checklist and plan, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    ChecklistItem,
    Intern,
    Placement,
    PlanItem,
    SchoolCalendar,
    Staff,
)
from internhost.core.models.base import utcnow
from internhost.core.services import compliance, interns, new_term, setup
from internhost.core.services.new_term import NewTermInput
from internhost.core.storage import db

TODAY = date(2025, 12, 1)
FALL = (date(2025, 8, 20), date(2025, 12, 31))
SPRING = NewTermInput(*FALL, date(2026, 1, 12), date(2026, 5, 29))
NEXT_FALL = NewTermInput(*FALL, date(2026, 8, 24), date(2026, 12, 18))


@dataclass
class World:
    factory: sessionmaker[Session]
    placements: dict[str, int]
    interns: dict[str, int]


@pytest.fixture
def world(factory) -> World:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping"))
        site = setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("Plant 1", "IL", "America/Chicago")
        )
        setup.save_calendar(
            s,
            SYSTEM,
            setup.CalendarInput(
                "District 1",
                "2025-26",
                date(2025, 8, 20),
                date(2026, 6, 5),
                time(8),
                time(15),
                no_school=(date(2025, 11, 27),),
            ),
        )
        school = setup.save_school(s, SYSTEM, setup.SchoolInput("Central High", "District 1"))
        mentor = setup.save_staff(
            s, SYSTEM, setup.StaffInput("Mo", "Mentor", "mentor", email="mo@a.test"), today=TODAY
        )
        former = setup.save_staff(
            s, SYSTEM, setup.StaffInput("Fred", "Former", "mentor", email="fr@a.test"), today=TODAY
        )
        s.get(Staff, former).archived_at = utcnow()
        people = {
            "ana": date(2010, 3, 1),
            "ben": date(2008, 1, 10),  # 18 on 2026-01-10, before the spring term
            "cat": date(2010, 5, 5),  # archived
            "dan": date(2010, 6, 6),  # no end date: runs on
            "eve": date(2010, 7, 7),  # two placements in the fall
            "fay": date(2010, 8, 8),  # already placed for spring
            "gus": date(2010, 9, 9),  # paid, no rate on record (as a roster may leave it)
            "hal": date(2010, 10, 10),  # an archived mentor
        }
        ids = {
            key: interns.create_intern(
                s, SYSTEM, interns.InternInput(key.title(), "Tester", born, school), TODAY
            ).id
            for key, born in people.items()
        }
        s.get(Intern, ids["cat"]).archived_at = utcnow()
        fall = {"start_date": date(2025, 9, 2), "end_date": date(2025, 12, 19)}
        spec = {
            "ana": fall,
            "ben": fall,
            "cat": fall,
            "dan": {"start_date": date(2025, 9, 2), "end_date": None},
            "eve": {"start_date": date(2025, 9, 2), "end_date": date(2025, 10, 31)},
            "eve2": {"start_date": date(2025, 11, 3), "end_date": date(2025, 12, 19)},
            "fay": fall,
            "fay_spring": {"start_date": date(2026, 2, 2), "end_date": date(2026, 5, 1)},
            "gus": {**fall, "hourly_rate_cents": None},
            "hal": {**fall, "mentor_id": former},
        }
        rows = {}
        for key, extra in spec.items():
            values = {
                "worksite_id": site.id,
                "mentor_id": mentor,
                "hourly_rate_cents": 1300,
                **extra,
            }
            rows[key] = Placement(intern_id=ids[key[:3]], school_id=school, **values)
            s.add(rows[key])
        s.flush()
        return World(factory, {k: p.id for k, p in rows.items()}, ids)


def _counts(factory) -> tuple[int, ...]:
    with db.read_session(factory, SYSTEM) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Placement, ChecklistItem, PlanItem, SchoolCalendar, AuditEvent)
        )


def _preview(world: World, data: NewTermInput, actor: Actor = SYSTEM):
    with db.read_session(world.factory, actor) as s:
        return new_term.preview_new_term(s, actor, data, TODAY)


def test_the_preview_says_what_is_copied_and_why_the_rest_is_not(world: World) -> None:
    before = _counts(world.factory)
    preview = _preview(world, SPRING)
    assert _counts(world.factory) == before
    by_id = {p.placement_id: p for p in preview.placements}
    reasons = {key: by_id[pid].reason for key, pid in world.placements.items() if pid in by_id}
    assert "fay_spring" not in reasons  # not in the fall term
    assert reasons["ana"] == "" and reasons["eve2"] == "" and reasons["hal"] == ""
    assert reasons["ben"] == "turns 18 on 2026-01-10, before the new term starts"
    assert reasons["cat"] == "the intern is archived"
    assert reasons["dan"] == "runs on into the new term: give it an end date first"
    assert reasons["eve"] == "a later placement of this intern in the term is copied instead"
    assert reasons["fay"] == "already has a placement in the new term (from 2026-02-02)"
    assert reasons["gus"].startswith("cannot be copied: hourly_rate_cents: is required")
    hal = by_id[world.placements["hal"]]
    assert hal.mentor is None and hal.notes == (
        "Fred Former is archived: the copy has no mentor yet",
    )
    ana = by_id[world.placements["ana"]]
    assert (ana.start_date, ana.end_date, ana.copy, ana.mentor) == (
        SPRING.new_start,
        SPRING.new_end,
        True,
        "Mo Mentor",
    )
    assert [c.reason for c in preview.calendars] == ["2025-26 already covers the new term"]
    assert {p.placement_id for p in preview.to_copy} == {
        world.placements[k] for k in ("ana", "eve2", "hal")
    }


def test_apply_copies_the_placements_with_checklists_and_plans(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        result = new_term.apply_new_term(s, SYSTEM, SPRING, TODAY)
    assert len(result.placements) == 3 and result.calendar_ids == ()
    assert {r.intern_id for r in result.placements} == {
        world.interns[k] for k in ("ana", "eve", "hal")
    }
    assert all(
        (r.start_date, r.end_date, r.hourly_rate_cents) == (SPRING.new_start, SPRING.new_end, 1300)
        for r in result.placements
    )
    with db.read_session(world.factory, SYSTEM) as s:
        for row in result.placements:
            keys = set(
                s.scalars(
                    select(ChecklistItem.requirement_key).where(
                        ChecklistItem.placement_id == row.id
                    )
                )
            )
            plan = s.scalar(select(func.count()).where(PlanItem.placement_id == row.id))
            assert {"C1", "C2", "C20"} <= keys and plan > 0
        assert s.scalar(select(func.count()).where(AuditEvent.operation == "new term")) > 0
        assert not s.scalar(
            select(func.count()).where(
                AuditEvent.operation.in_(["check compliance", "save placement"])
            )
        )
    again = _preview(world, SPRING)  # the copies now stand in the way of copying twice
    assert not again.to_copy


def test_calendars_move_a_school_year_forward_once(world: World) -> None:
    preview = _preview(world, NEXT_FALL)
    assert [(c.school_year, c.new_school_year, c.copy) for c in preview.calendars] == [
        ("2025-26", "2026-27", True)
    ]
    with db.unit_of_work(world.factory, SYSTEM) as s:
        result = new_term.apply_new_term(s, SYSTEM, NEXT_FALL, TODAY)
    assert len(result.calendar_ids) == 1
    with db.read_session(world.factory, SYSTEM) as s:
        copy = s.get(SchoolCalendar, result.calendar_ids[0])
        assert (copy.school_year, copy.first_day, copy.last_day) == (
            "2026-27",
            date(2026, 8, 20),
            date(2027, 6, 5),
        )
        assert [d.day for d in copy.days] == [date(2026, 11, 27)]
    assert [c.reason for c in _preview(world, NEXT_FALL).calendars] == [
        "the 2026-27 calendar already exists"
    ]
    assert _preview(world, replace(NEXT_FALL, copy_calendars=False)).calendars == ()


def test_only_the_chosen_placements_are_copied(world: World) -> None:
    chosen = replace(SPRING, placement_ids=(world.placements["ana"], world.placements["dan"]))
    preview = _preview(world, chosen)
    assert [p.placement_id for p in preview.to_copy] == [world.placements["ana"]]
    reasons = {p.placement_id: p.reason for p in preview.placements}
    assert reasons[world.placements["hal"]] == "not selected"
    with db.unit_of_work(world.factory, SYSTEM) as s:
        result = new_term.apply_new_term(s, SYSTEM, chosen, TODAY)
    assert [r.intern_id for r in result.placements] == [world.interns["ana"]]


def test_bad_terms_are_refused_field_by_field(world: World) -> None:
    bad = NewTermInput(date(2025, 12, 31), date(2025, 8, 20), date(2025, 8, 1), date(2025, 7, 1))
    with db.read_session(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        new_term.preview_new_term(s, SYSTEM, bad, TODAY)
    assert {e.field for e in error.value.errors} == {"from_end", "new_end", "new_start"}
    before = _counts(world.factory)
    unknown = replace(SPRING, placement_ids=(world.placements["fay_spring"], 9999))
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        new_term.apply_new_term(s, SYSTEM, unknown, TODAY)
    assert {e.field for e in error.value.errors} == {"placement_ids"}
    assert _counts(world.factory) == before


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"from_start": None}, {"from_start"}),
        ({"from_end": None, "new_start": None}, {"from_end", "new_start"}),
        ({"new_start": date.max, "new_end": None}, {"new_start"}),
        ({"new_end": date(9999, 12, 30)}, {"new_end"}),
        ({"from_start": date.min}, {"from_start"}),
        ({"placement_ids": (None, 2**70)}, {"placement_ids[0]"}),
    ],
)
def test_missing_and_impossible_dates_are_field_errors(
    world: World, changes: dict, fields: set[str]
) -> None:
    """None, or a placement date at the calendar's ends (whose plan due dates overflowed),
    is refused before anything is read or written."""
    before = _counts(world.factory)
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        new_term.apply_new_term(s, SYSTEM, replace(SPRING, **changes), TODAY)
    assert {e.field for e in error.value.errors} == fields
    assert _counts(world.factory) == before


def test_an_id_beyond_64_bits_is_not_a_placement_of_the_term(world: World) -> None:
    chosen = replace(SPRING, placement_ids=(world.placements["ana"], 2**63))
    with db.read_session(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        new_term.preview_new_term(s, SYSTEM, chosen, TODAY)
    assert error.value.by_field().keys() == {"placement_ids"}


def test_it_is_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    real = compliance.check_intern
    calls = []

    def failing(s, actor, intern_id, today, cache=None):
        calls.append(intern_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(s, actor, intern_id, today, cache)

    monkeypatch.setattr(compliance, "check_intern", failing)
    before = _counts(world.factory)
    # The unit of work sees the error (pytest.raises outside it) and rolls back whole.
    with pytest.raises(RuntimeError), db.unit_of_work(world.factory, SYSTEM) as s:
        new_term.apply_new_term(s, SYSTEM, NEXT_FALL, TODAY)
    assert len(calls) == 2  # calendars and placements were written before the failure
    assert _counts(world.factory) == before


@pytest.mark.parametrize(
    "actor", [Actor(Role.VIEWER, "Vera", user_id=3), Actor(Role.MENTOR, "Mo", staff_id=1)]
)
def test_only_editors_plan_a_new_term(world: World, actor: Actor) -> None:
    with db.read_session(world.factory, actor) as s, pytest.raises(PermissionDenied):
        new_term.preview_new_term(s, actor, SPRING, TODAY)
    with db.unit_of_work(world.factory, actor) as s, pytest.raises(PermissionDenied):
        new_term.apply_new_term(s, actor, SPRING, TODAY)
