"""Placements: every field validated (and named), nothing written on an error, a new
placement planned and checklisted as the roster import does, the employee-status
decision recorded honestly, and the primary-beneficiary assessment read from the pack."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    ChecklistItem,
    Intern,
    Placement,
    PlanItem,
    PlanTemplateItem,
    School,
    Staff,
    UserAccount,
    Worksite,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import PROGRAMS
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.rules import checklist
from internhost.core.rules.packs import load_pack, load_rules
from internhost.core.services import interns, placements, setup
from internhost.core.services.placements import PlacementInput
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
START = date(2025, 10, 20)
HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)
VIEWER = Actor(Role.VIEWER, "Vera Viewer", user_id=3)
ALL_YES = (True,) * 7


@dataclass
class World:
    factory: sessionmaker[Session]
    intern: int
    archived_intern: int
    school: int
    site: int
    closed_site: int
    mentor: int
    other_mentor: int
    supervisor: int
    former_mentor: int

    def mentor_actor(self, staff_id: int | None = None) -> Actor:
        return Actor(Role.MENTOR, "Mo Mentor", user_id=60, staff_id=staff_id or self.mentor)

    def paid(self, **changes) -> PlacementInput:
        values = dict(
            intern_id=self.intern,
            school_id=self.school,
            start_date=START,
            end_date=date(2025, 12, 19),
            worksite_id=self.site,
            mentor_id=self.mentor,
            hourly_rate_cents=1300,
        )
        return PlacementInput(**{**values, **changes})

    def unpaid(self, **changes) -> PlacementInput:
        return self.paid(paid=False, hourly_rate_cents=None, program="school_wbl", **changes)


@pytest.fixture
def world(factory) -> World:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping"))
        site = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput(
                "Plant 1", "IL", "America/Chicago", areas=(("Press line", "production"),)
            ),
        )
        closed = setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("Plant 0", "IL", "America/Chicago")
        )
        setup.save_calendar(
            s,
            SYSTEM,
            setup.CalendarInput(
                "District 1", "2025-26", date(2025, 8, 20), date(2026, 6, 5), time(8), time(15)
            ),
        )
        school = setup.save_school(s, SYSTEM, setup.SchoolInput("Central High", "District 1"))

        def staff(first: str, role: str) -> int:
            return setup.save_staff(
                s,
                SYSTEM,
                setup.StaffInput(first, "Staff", role, email=f"{first.lower()}@acme.test"),
                today=TODAY,
            )

        ids = {
            name: staff(name, role)
            for name, role in (
                ("Mo", "mentor"),
                ("Mia", "mentor"),
                ("Sue", "supervisor"),
                ("Fred", "mentor"),
            )
        }
        s.get(Staff, ids["Fred"]).archived_at = utcnow()
        s.get(Worksite, closed.id).archived_at = utcnow()
        one = interns.create_intern(
            s, SYSTEM, interns.InternInput("Ana", "García", date(2010, 3, 1), school), TODAY
        )
        gone = interns.create_intern(
            s, SYSTEM, interns.InternInput("Gus", "Gone", date(2009, 1, 1), school), TODAY
        )
        s.get(Intern, gone.id).archived_at = utcnow()
        s.add(UserAccount(id=7, username="angela", display_name="Angela Ortiz", role="hr_admin"))
    return World(
        factory,
        one.id,
        gone.id,
        school,
        site.id,
        closed.id,
        ids["Mo"],
        ids["Mia"],
        ids["Sue"],
        ids["Fred"],
    )


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.field for e in error.value.errors}


def _counts(factory) -> tuple[int, ...]:
    """Placements, checklist items, plan items, audit events (a fresh session)."""
    with db.read_session(factory, SYSTEM) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Placement, ChecklistItem, PlanItem, AuditEvent)
        )


def _save(world: World, data: PlacementInput, placement_id: int | None = None, actor=SYSTEM):
    with db.unit_of_work(world.factory, actor) as s:
        return placements.save_placement(s, actor, data, placement_id, today=TODAY)


def _refused(world: World, data: PlacementInput, placement_id=None, actor=SYSTEM) -> set[str]:
    before = _counts(world.factory)
    with (
        db.unit_of_work(world.factory, actor) as s,
        pytest.raises(ValidationError) as error,
    ):
        placements.save_placement(s, actor, data, placement_id, today=TODAY)
    assert _counts(world.factory) == before  # nothing written
    return _fields(error)


# -- creating ---------------------------------------------------------------------------


def test_a_new_placement_gets_its_checklist_and_plan(world: World) -> None:
    row = _save(world, world.paid())
    assert (row.intern_name, row.worksite, row.mentor) == ("García, Ana", "Plant 1", "Mo Staff")
    assert (row.paid, row.hourly_rate_cents, row.program_label) == (True, 1300, "Employment")
    facts = checklist.PlacementFacts(
        date(2010, 3, 1), START, date(2025, 12, 19), "IL", "employment", True
    )
    expected = {r.key: r.due for r in checklist.required(facts, TODAY)}
    with db.read_session(world.factory, SYSTEM) as s:
        items = {
            i.requirement_key: i.due_date
            for i in s.scalars(select(ChecklistItem).where(ChecklistItem.placement_id == row.id))
        }
        plan = list(s.scalars(select(PlanItem).where(PlanItem.placement_id == row.id)))
        offsets = {t.id: t.due_offset_days for t in s.scalars(select(PlanTemplateItem))}
        operations = set(s.scalars(select(AuditEvent.operation)))
        kinds = set(s.scalars(select(AuditEvent.aggregate_type)))
    assert items == expected and "C2" in items  # a 15-year-old at an Illinois worksite
    assert len(plan) == len(offsets) > 0
    assert all(p.due_date == START + timedelta(days=offsets[p.template_item_id]) for p in plan)
    assert "save placement" in operations and "check compliance" not in operations
    assert {"interns", "placement_checklist", "placement_plan"} <= kinds


def test_every_bad_field_is_named(world: World) -> None:
    bad = PlacementInput(
        intern_id=999,
        school_id=None,
        start_date=None,
        worksite_id=999,
        mentor_id=999,
        hourly_rate_cents=None,
        program="internship",
        required_hours=-1,
        check_in_every_days=0,
        primary_beneficiary=(None,) * 6,
        employee_status="maybe",
    )
    assert _refused(world, bad) == {
        "intern",
        "school",
        "start_date",
        "worksite",
        "mentor",
        "hourly_rate_cents",
        "program",
        "required_hours",
        "check_in_every_days",
        "primary_beneficiary",
        "employee_status",
    }


def test_the_errors_come_in_the_forms_order_with_their_messages(world: World) -> None:
    """The CLI names the first error and the form shows each beside its field."""
    bad = PlacementInput(
        intern_id=999,
        school_id=None,
        start_date=None,
        worksite_id=999,
        mentor_id=world.supervisor,
        paid=False,
        hourly_rate_cents=1300,
        program="internship",
        required_hours=-1,
        check_in_every_days=0,
        primary_beneficiary=(True, None, "yes", True, True, True, True),
        employee_status="not_employee",
    )
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        placements.checked_values(s, SYSTEM, bad, None, today=TODAY)
    assert [(e.field, e.message) for e in error.value.errors] == [
        ("intern", "no intern with id 999"),
        ("school", "is required"),
        ("worksite", "no worksite with id 999"),
        ("mentor", "Sue Staff is a supervisor, not a mentor"),
        ("start_date", "is required"),
        ("program", "'internship' is not one of " + ", ".join(PROGRAMS)),
        ("hourly_rate_cents", "is given for an unpaid placement"),
        ("required_hours", "may not be negative"),
        ("check_in_every_days", "must be at least 1 day"),
        ("primary_beneficiary[2]", "is not yes, no or unanswered"),
        ("employee_status_reason", "is required: say why the intern is not one"),
        (
            "primary_beneficiary",
            "answer all seven factors before concluding the intern is not an employee",
        ),
        (
            "employee_status",
            "only an HR user signed in with an account may record this decision: "
            "it must name who made it",
        ),
    ]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"end_date": START - timedelta(days=1)}, {"end_date"}),
        ({"hourly_rate_cents": -5}, {"hourly_rate_cents"}),
        ({"paid": False, "hourly_rate_cents": 1300}, {"hourly_rate_cents"}),
        ({"school_id": 999}, {"school"}),
        (
            {
                "paid": False,
                "hourly_rate_cents": None,
                "primary_beneficiary": (None, "yes") + (None,) * 5,
            },
            {"primary_beneficiary[1]"},
        ),
        ({"employee_status_reason": "x" * 2001}, {"employee_status_reason"}),
    ],
)
def test_bad_values(world: World, changes: dict, fields: set[str]) -> None:
    assert _refused(world, world.paid(**changes)) == fields


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"intern_id": 2**63}, {"intern"}),
        (
            {"school_id": 2**63, "worksite_id": 2**70, "mentor_id": -(2**64)},
            {"school", "worksite", "mentor"},
        ),
        ({"hourly_rate_cents": 2**63}, {"hourly_rate_cents"}),
        ({"hourly_rate_cents": placements.MAX_HOURLY_RATE_CENTS + 1}, {"hourly_rate_cents"}),
        ({"required_hours": 10**20}, {"required_hours"}),
        ({"required_hours": placements.MAX_REQUIRED_HOURS + 1}, {"required_hours"}),
        ({"check_in_every_days": 2**64}, {"check_in_every_days"}),
        ({"start_date": date.max, "end_date": None}, {"start_date"}),
        ({"start_date": date.min}, {"start_date"}),
        ({"start_date": date(1999, 12, 31)}, {"start_date"}),
        ({"end_date": date(2101, 1, 1)}, {"end_date"}),
    ],
)
def test_numbers_and_dates_beyond_the_domains_limits(
    world: World, changes: dict, fields: set[str]
) -> None:
    """Huge ids and numbers, and dates at the calendar's ends, crashed the driver or the
    plan's due dates; each is a field error now."""
    assert _refused(world, world.paid(**changes)) == fields


def test_the_limits_themselves_are_allowed_and_named_in_dollars(world: World) -> None:
    row = _save(
        world,
        world.paid(
            hourly_rate_cents=placements.MAX_HOURLY_RATE_CENTS,
            required_hours=placements.MAX_REQUIRED_HOURS,
            check_in_every_days=placements.MAX_CHECK_IN_EVERY_DAYS,
        ),
    )
    assert (row.hourly_rate_cents, row.required_hours) == (100_000, 5_000)
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        placements.save_placement(s, SYSTEM, world.paid(hourly_rate_cents=100_001), today=TODAY)
    assert str(error.value) == "hourly_rate_cents: may not be more than $1,000.00"


def test_moving_a_start_to_the_calendars_end_is_refused_and_a_huge_id_not_found(
    world: World,
) -> None:
    row = _save(world, world.paid())
    assert _refused(world, world.paid(start_date=date.min), row.id) == {"start_date"}
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(NotFound):
        placements.save_placement(s, SYSTEM, world.paid(), 2**63, today=TODAY)


def test_the_mentor_must_be_a_current_mentor_and_the_worksite_open(world: World) -> None:
    assert _refused(world, world.paid(mentor_id=world.supervisor)) == {"mentor"}
    assert _refused(world, world.paid(mentor_id=world.former_mentor)) == {"mentor"}
    assert _refused(world, world.paid(worksite_id=world.closed_site)) == {"worksite"}
    assert _refused(world, world.paid(intern_id=world.archived_intern)) == {"intern"}


def test_an_unpaid_placement_records_the_seven_answers_a_paid_one_none(world: World) -> None:
    answers = (True, None, False, True, True, True, None)
    row = _save(world, world.unpaid(primary_beneficiary=answers))
    assert not row.paid and row.hourly_rate_cents is None
    with db.read_session(world.factory, SYSTEM) as s:
        data = placements.placement_input(s, SYSTEM, row.id)
        assert data.primary_beneficiary == answers
        detail = placements.placement_detail(s, SYSTEM, row.id)
        items = set(
            s.scalars(
                select(ChecklistItem.requirement_key).where(ChecklistItem.placement_id == row.id)
            )
        )
    assert "C21" in items and "C20" not in items  # the unpaid item, not the wage one
    assert detail.input == data and detail.row.id == row.id
    assert detail.assessment is not None and detail.assessment.likely_employee
    assert detail.assessment.factors == (3,)
    _save(world, replace(data, paid=True, hourly_rate_cents=1500), row.id)
    with db.read_session(world.factory, SYSTEM) as s:
        data = placements.placement_input(s, SYSTEM, row.id)
        assert data.primary_beneficiary == (None,) * 7
        assert placements.placement_detail(s, SYSTEM, row.id).assessment is None


# -- the employee-status decision -------------------------------------------------------


def test_not_an_employee_is_an_hr_users_reasoned_decision(world: World) -> None:
    decided = world.unpaid(
        primary_beneficiary=ALL_YES,
        employee_status="not_employee",
        employee_status_reason="School-run, for credit; passes the primary-beneficiary test.",
    )
    # No account to name as the decider: refused, never written with a blank decider.
    assert _refused(world, decided) == {"employee_status"}
    assert _refused(world, decided, actor=replace(HR, user_id=99)) == {"employee_status"}
    assert _refused(
        world,
        replace(decided, employee_status_reason=" ", primary_beneficiary=(True,) * 6 + (None,)),
        actor=HR,
    ) == {"employee_status_reason", "primary_beneficiary"}
    assert _refused(world, replace(decided, paid=True, hourly_rate_cents=1300), actor=HR) == {
        "employee_status"
    }
    row = _save(world, decided, actor=HR)
    with db.read_session(world.factory, SYSTEM) as s:
        p = s.get(Placement, row.id)
        assert (p.employee_status_decided_by, p.employee_status_decided_on) == (7, TODAY)
        detail = placements.placement_detail(s, SYSTEM, row.id)
    assert detail.employee_status_decided_by == "Angela Ortiz"
    assert detail.employee_status_decided_on == TODAY
    assert not detail.assessment.likely_employee
    # Other edits keep the decision, whoever makes them; a new reason is a new decision.
    _save(world, replace(decided, required_hours=60), row.id)
    assert _refused(world, replace(decided, employee_status_reason="Changed."), row.id) == {
        "employee_status"
    }
    _save(world, replace(decided, employee_status="employee"), row.id)
    with db.read_session(world.factory, SYSTEM) as s:
        p = s.get(Placement, row.id)
        assert (p.employee_status, p.employee_status_decided_by, p.employee_status_reason) == (
            "employee",
            None,
            "",
        )


# -- editing ----------------------------------------------------------------------------


def test_a_new_start_moves_the_open_plan_and_checklist_items(world: World) -> None:
    row = _save(world, world.paid())
    with db.read_session(world.factory, SYSTEM) as s:
        before = {
            (type(i).__name__, i.id): i.due_date
            for model in (PlanItem, ChecklistItem)
            for i in s.scalars(select(model).where(model.placement_id == row.id))
        }
        data = placements.placement_input(s, SYSTEM, row.id)
    events = _counts(world.factory)[3]
    _save(world, data, row.id)  # unchanged: nothing written
    assert _counts(world.factory)[3] == events
    _save(world, replace(data, start_date=START + timedelta(days=7)), row.id)
    with db.read_session(world.factory, SYSTEM) as s:
        after = {
            (type(i).__name__, i.id): i.due_date
            for model in (PlanItem, ChecklistItem)
            for i in s.scalars(select(model).where(model.placement_id == row.id))
        }
    assert after == {k: d + timedelta(days=7) for k, d in before.items()}
    assert _refused(world, replace(data, intern_id=world.archived_intern), row.id) == {"intern"}


def test_an_edit_keeps_what_was_archived_since_but_not_another_intern(world: World) -> None:
    """A school, worksite or mentor archived after the placement chose it stays on it;
    choosing one anew is refused. The placement never moves to another intern."""
    row = _save(world, world.paid())
    with db.unit_of_work(world.factory, SYSTEM) as s:
        for model, record_id in ((School, world.school), (Worksite, world.site)):
            s.get(model, record_id).archived_at = utcnow()
        s.get(Staff, world.mentor).archived_at = utcnow()
        data = placements.placement_input(s, SYSTEM, row.id)
    assert _save(world, replace(data, required_hours=90), row.id).required_hours == 90
    assert _refused(world, world.paid()) == {"school", "worksite", "mentor"}
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        placements.save_placement(
            s, SYSTEM, replace(data, intern_id=world.archived_intern), row.id, today=TODAY
        )
    assert str(error.value) == "intern: a placement stays with its intern"


def test_archive_and_restore(world: World) -> None:
    row = _save(world, world.paid())
    with db.unit_of_work(world.factory, SYSTEM) as s:
        assert placements.archive_placement(s, SYSTEM, row.id, today=TODAY) == []
    events = _counts(world.factory)[3]
    with db.unit_of_work(world.factory, SYSTEM) as s:
        placements.archive_placement(s, SYSTEM, row.id, today=TODAY)
    assert _counts(world.factory)[3] == events
    with db.read_session(world.factory, SYSTEM) as s:
        assert placements.list_placements(s, SYSTEM, include_archived=False) == []
        assert placements.list_placements(s, SYSTEM)[0].archived
        operations = list(s.scalars(select(AuditEvent.operation)))
    assert operations.count("archive placement") >= 1
    with db.unit_of_work(world.factory, SYSTEM) as s:
        placements.restore_placement(s, SYSTEM, row.id, today=TODAY)
    with db.read_session(world.factory, SYSTEM) as s:
        assert not placements.list_placements(s, SYSTEM, include_archived=False)[0].archived
        assert "restore placement" in set(s.scalars(select(AuditEvent.operation)))


# -- roles and visibility ---------------------------------------------------------------


def test_roles(world: World) -> None:
    row = _save(world, world.paid())
    for actor in (VIEWER, world.mentor_actor()):
        for call in (
            lambda s, a=actor: placements.save_placement(s, a, world.paid(), today=TODAY),
            lambda s, a=actor: placements.placement_input(s, a, row.id),
            lambda s, a=actor: placements.archive_placement(s, a, row.id, today=TODAY),
            lambda s, a=actor: placements.restore_placement(s, a, row.id, today=TODAY),
        ):
            with db.unit_of_work(world.factory, actor) as s, pytest.raises(PermissionDenied):
                call(s)
    with db.read_session(world.factory, SYSTEM) as s:
        own = world.mentor_actor()
        assert placements.placement_detail(s, own, row.id).row.id == row.id
        assert [r.id for r in placements.list_placements(s, own)] == [row.id]
        assert placements.placement_detail(s, VIEWER, row.id).row.id == row.id
        other = world.mentor_actor(world.other_mentor)
        assert placements.list_placements(s, other) == []
        with pytest.raises(NotFound):
            placements.placement_detail(s, other, row.id)


# -- the primary-beneficiary test -------------------------------------------------------


def test_the_factors_are_the_packs_in_the_models_order() -> None:
    factors = placements.beneficiary_factors()
    assert tuple(key for key, _ in factors) == PRIMARY_BENEFICIARY_FACTORS
    assert all(question.strip() for _, question in factors)
    assert "no expectation of compensation" in factors[0][1]
    assert "without entitlement to a paid job" in factors[6][1]


def _decisive() -> tuple[int, ...]:
    rule = next(r for r in load_rules(None).rules() if r.check == "primary_beneficiary")
    return tuple(rule.params["decisive_factors"])


def test_the_assessment_follows_the_packs_decisive_factors() -> None:
    decisive = _decisive()
    assert decisive  # the pack names some
    for n in range(1, 8):
        answers = tuple(i != n for i in range(1, 8))  # only factor n points to employment
        result = placements.assess_primary_beneficiary(answers)
        assert result.likely_employee == (n in decisive)
        assert result.factors == ((n,) if n in decisive else ())
        assert result.citation.startswith("DOL Fact Sheet #71")
        assert result.verification == "S"
    likely = placements.assess_primary_beneficiary(tuple(i not in decisive for i in range(1, 8)))
    assert likely.factors == decisive and "likely an employee" in likely.message
    assert "{factors}" not in likely.message
    open_ = placements.assess_primary_beneficiary((None,) * 7)
    assert not open_.likely_employee and open_.unanswered == decisive
    with pytest.raises(ValueError):
        placements.assess_primary_beneficiary((True,) * 6)


def test_the_assessment_reads_the_rule_not_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = next(r for r in load_pack("us-federal").rules if r.check == "primary_beneficiary")
    monkeypatch.setattr(
        placements, "_beneficiary_rule", lambda: replace(rule, params={"decisive_factors": [2]})
    )
    answers = (False, False, True, True, True, True, True)
    assert placements.assess_primary_beneficiary(answers).factors == (2,)
