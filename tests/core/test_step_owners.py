"""Who ticks what: HR every onboarding step and checklist item; a mentor the steps a
mentor owns on placements they mentor (or a step named for them), and the checklist
items the packs give the supervisor on placements they supervise, done or open only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    ChecklistItem,
    Document,
    Intern,
    Placement,
    PlanItem,
    Shift,
    TimeEntry,
)
from internhost.core.models.enums import CHECKLIST_STATUSES
from internhost.core.services import compliance, interns, onboarding, plans, setup
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
HR = Actor(Role.HR_ADMIN, "hr", staff_id=None)
VIEWER = Actor(Role.VIEWER, "v")


@dataclass
class Case:
    factory: object
    intern: int
    #: Mentored by ``mentor``; its second placement by ``other``.
    placement: int
    other_placement: int
    mentor: Actor
    other: Actor

    def step(self, owner: str, placement: int | None = None) -> int:
        with db.read_session(self.factory, SYSTEM) as s:
            found = s.scalar(
                select(PlanItem.id)
                .where(
                    PlanItem.placement_id == (placement or self.placement),
                    PlanItem.owner_role == owner,
                )
                .order_by(PlanItem.id)
                .limit(1)
            )
        assert found is not None
        return found

    def item(self, owner: str, placement: int | None = None) -> int:
        with db.unit_of_work(self.factory, SYSTEM) as s:
            item = ChecklistItem(
                placement_id=placement or self.placement,
                requirement_key=f"T-{owner}-{placement}",
                title=f"A {owner}'s item",
                owner_role=owner,
                due_date=TODAY,
            )
            s.add(item)
            s.flush()
            return item.id

    def supervise(self, staff_id: int, placement: int | None = None, *, entry: bool = False):
        """Record ``staff_id`` as the supervisor of a shift (or time entry)."""
        day = TODAY - timedelta(days=1)
        model = TimeEntry if entry else Shift
        with db.unit_of_work(self.factory, SYSTEM) as s:
            s.add(
                model(
                    placement_id=placement or self.placement,
                    work_date=day,
                    start_local=datetime.combine(day, time(9)),
                    end_local=datetime.combine(day, time(12)),
                    supervisor_staff_id=staff_id,
                )
            )

    def tick(self, actor: Actor, item_id: int, done: bool = True, **kwargs):
        with db.unit_of_work(self.factory, actor) as s:
            return onboarding.update_plan_item(s, actor, item_id, done=done, today=TODAY, **kwargs)

    def set_status(self, actor: Actor, item_id: int, status: str, **kwargs):
        with db.unit_of_work(self.factory, actor) as s:
            return compliance.update_checklist_item(s, actor, item_id, status=status, **kwargs)

    def plan(self, actor: Actor):
        with db.read_session(self.factory, actor) as s:
            return {p.item_id: p for p in onboarding.list_plan_items(s, actor, self.intern, TODAY)}

    def checklist(self, actor: Actor):
        with db.read_session(self.factory, actor) as s:
            return {i.id: i for i in compliance.list_checklist(s, actor, self.intern)}

    def status_of(self, model: type, item_id: int) -> str:
        with db.read_session(self.factory, SYSTEM) as s:
            return s.get_one(model, item_id).status


@pytest.fixture
def case(factory) -> Case:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_calendar(
            s,
            SYSTEM,
            setup.CalendarInput(
                "Rockford SD 205", "2025-26", date(2025, 8, 20), date(2026, 6, 4), time(8), time(15)
            ),
        )
        school = setup.save_school(s, SYSTEM, setup.SchoolInput("Auburn", "Rockford SD 205"))
        staff = [
            setup.save_staff(
                s,
                SYSTEM,
                setup.StaffInput(first, "Mentor", "mentor", email=f"{first}@acme.example"),
                today=TODAY,
            )
            for first in ("Mo", "Ola")
        ]
        intern = interns.create_intern(
            s, SYSTEM, interns.InternInput("Zoë", "Tester", date(2009, 1, 1), school), TODAY
        ).id
        placements = []
        for mentor_id, start in zip(staff, (TODAY, TODAY - timedelta(days=200)), strict=True):
            placement = Placement(
                intern_id=intern, school_id=school, mentor_id=mentor_id, start_date=start
            )
            s.add(placement)
            s.flush()
            plans.plan_placements(s, SYSTEM, [(placement.id, start)])
            placements.append(placement.id)
    return Case(
        factory,
        intern,
        placements[0],
        placements[1],
        Actor(Role.MENTOR, "mo", staff_id=staff[0]),
        Actor(Role.MENTOR, "ola", staff_id=staff[1]),
    )


# -- onboarding-plan steps


def test_hr_ticks_every_step_and_the_plan_names_who_did(case: Case) -> None:
    for owner in ("hr", "mentor", "supervisor"):
        row = case.tick(HR, case.step(owner))
        assert (row.status, row.may_tick, row.completed_by) == ("done", True, "hr")
    plan = case.plan(HR)
    assert all(p.may_tick for p in plan.values())
    done = plan[case.step("hr")]
    assert done.completed_by == "hr" and done.completed_at is not None
    opened = case.tick(HR, case.step("hr"), done=False)
    assert (opened.status, opened.completed_by, opened.completed_at) == ("open", None, None)
    assert case.plan(HR)[case.step("hr")].completed_by is None


def test_a_mentor_ticks_and_reopens_a_mentors_step_of_their_placement(case: Case) -> None:
    step = case.step("mentor")
    row = case.tick(case.mentor, step, note="Tour given; locker assigned.")
    assert (row.status, row.note, row.completed_by) == (
        "done",
        "Tour given; locker assigned.",
        "mo",
    )
    listed = case.plan(case.mentor)[step]
    assert (listed.status, listed.completed_by, listed.may_tick) == ("done", "mo", True)
    assert case.tick(case.mentor, step, done=False).status == "open"
    assert case.status_of(PlanItem, step) == "open"


@pytest.mark.parametrize(
    ("owner", "message"),
    [
        ("hr", "a mentor may tick only the steps a mentor owns; this step is HR's"),
        ("supervisor", "this step is the supervisor's"),
    ],
)
def test_a_mentor_may_not_tick_a_step_owned_by_someone_else(
    case: Case, owner: str, message: str
) -> None:
    step = case.step(owner)
    with db.read_session(case.factory, SYSTEM) as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(PermissionDenied, match=message):
        case.tick(case.mentor, step)
    assert case.status_of(PlanItem, step) == "open"
    with db.read_session(case.factory, SYSTEM) as s:  # nothing written but the refusal
        changes = select(func.count()).where(AuditEvent.operation == "update plan item")
        assert s.scalar(changes) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) >= events
    assert not case.plan(case.mentor)[step].may_tick


def test_a_step_named_for_the_mentor_is_theirs_whatever_its_role(case: Case) -> None:
    step = case.step("hr")
    with db.unit_of_work(case.factory, SYSTEM) as s:
        s.get_one(PlanItem, step).owner_staff_id = case.mentor.staff_id
    assert case.plan(case.mentor)[step].may_tick
    assert case.tick(case.mentor, step).status == "done"


def test_a_mentor_may_not_tick_a_mentors_step_of_another_mentors_placement(case: Case) -> None:
    # The intern is the mentor's (so visible), but this placement is Ola's.
    step = case.step("mentor", case.other_placement)
    assert not case.plan(case.mentor)[step].may_tick
    with pytest.raises(PermissionDenied, match="another mentor"):
        case.tick(case.mentor, step)
    assert case.tick(case.other, step).status == "done"


def test_a_viewer_and_a_stranger_tick_nothing(case: Case) -> None:
    step = case.step("mentor")
    assert not any(p.may_tick for p in case.plan(VIEWER).values())
    with pytest.raises(PermissionDenied, match="a viewer may not tick"):
        case.tick(VIEWER, step)
    stranger = Actor(Role.MENTOR, "x", staff_id=999)
    with pytest.raises(NotFound):
        case.tick(stranger, step)
    with pytest.raises(NotFound):
        case.plan(stranger)
    assert case.status_of(PlanItem, step) == "open"


# -- checklist items


def test_hr_changes_every_checklist_item_to_any_status(case: Case) -> None:
    items = [case.item(owner) for owner in ("hr", "supervisor", "school")]
    assert all(case.checklist(HR)[i].statuses == CHECKLIST_STATUSES for i in items)
    for item, status in zip(items, ("done", "waived", "not_applicable"), strict=True):
        assert case.set_status(HR, item, status).status == status


@pytest.mark.parametrize("entry", [False, True], ids=["shift", "time entry"])
def test_a_supervising_mentor_marks_the_supervisors_item_done_or_open(
    case: Case, entry: bool
) -> None:
    item = case.item("supervisor")
    assert case.checklist(case.mentor)[item].statuses == ()
    case.supervise(case.mentor.staff_id, entry=entry)
    assert case.checklist(case.mentor)[item].statuses == ("open", "done")
    row = case.set_status(case.mentor, item, "done", note="Orientation signed off.")
    assert (row.status, row.note, row.statuses) == (
        "done",
        "Orientation signed off.",
        ("open", "done"),
    )
    with db.read_session(case.factory, SYSTEM) as s:
        assert s.get_one(ChecklistItem, item).completed_at is not None
    assert case.set_status(case.mentor, item, "open").status == "open"


def test_a_supervising_mentor_may_not_waive_nor_change_others_items(case: Case) -> None:
    case.supervise(case.mentor.staff_id)
    supervisors, hrs = case.item("supervisor"), case.item("hr")
    for status in ("waived", "not_applicable"):
        with pytest.raises(PermissionDenied, match="HR's decision"):
            case.set_status(case.mentor, supervisors, status)
    with pytest.raises(PermissionDenied, match="this item is HR's"):
        case.set_status(case.mentor, hrs, "done")
    assert case.checklist(case.mentor)[hrs].statuses == ()
    assert (
        case.status_of(ChecklistItem, supervisors) == case.status_of(ChecklistItem, hrs) == "open"
    )


def test_supervising_another_placement_or_being_its_mentor_is_not_enough(case: Case) -> None:
    item = case.item("supervisor")
    case.supervise(case.mentor.staff_id, case.other_placement)  # supervises the other one
    with pytest.raises(PermissionDenied, match="of a placement they supervise"):
        case.set_status(case.mentor, item, "done")
    case.supervise(case.other.staff_id)  # Ola supervises Mo's placement
    assert case.set_status(case.other, item, "done").status == "done"


def test_a_viewer_and_a_stranger_change_no_checklist_item(case: Case) -> None:
    item = case.item("supervisor")
    case.supervise(case.mentor.staff_id)
    assert all(i.statuses == () for i in case.checklist(VIEWER).values())
    with pytest.raises(PermissionDenied, match="a viewer may not tick"):
        case.set_status(VIEWER, item, "done")
    with pytest.raises(NotFound):
        case.set_status(Actor(Role.MENTOR, "x", staff_id=999), item, "done")
    assert case.status_of(ChecklistItem, item) == "open"


def test_evidence_is_a_document_of_the_intern_or_the_company(case: Case) -> None:
    item = case.item("supervisor")
    case.supervise(case.mentor.staff_id)
    with db.unit_of_work(case.factory, SYSTEM) as s:
        school = s.get_one(Intern, case.intern).school_id
        other = interns.create_intern(
            s, SYSTEM, interns.InternInput("Ann", "Other", date(2009, 2, 2), school), TODAY
        ).id
        docs = [
            Document(intern_id=who, doc_type="orientation") for who in (case.intern, None, other)
        ]
        s.add_all(docs)
        s.flush()
        own, company, foreign = (d.id for d in docs)
    with pytest.raises(ValidationError) as error:
        case.set_status(case.mentor, item, "done", evidence_document_id=foreign)
    assert error.value.by_field().keys() == {"evidence_document_id"}
    assert case.status_of(ChecklistItem, item) == "open"
    for document in (own, company):
        case.set_status(case.mentor, item, "done", evidence_document_id=document)
        with db.read_session(case.factory, SYSTEM) as s:
            assert s.get_one(ChecklistItem, item).evidence_document_id == document
