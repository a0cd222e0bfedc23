"""Every placement is checked, with or without shifts (issue 13 §1): the minimum age on
its start and on each birthday inside it, the occupations and hazardous orders of the
tasks and machines it assigns (with the student-learner exemption and its evidence),
the wage against each minimum, the documents; its status as its findings allow it,
its badge and assignments validated field by field, and a preview that writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import ValidationError
from internhost.core.models import (
    Area,
    AuditEvent,
    Document,
    Equipment,
    EquipmentTask,
    Finding,
    FindingOverride,
    Placement,
    PlacementAssignment,
    TimeEntry,
)
from internhost.core.services import compliance, interns, placements, setup
from internhost.core.services.assignments import AssignmentInput
from internhost.core.services.placements import PlacementInput
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
START, END = date(2025, 10, 20), date(2026, 5, 29)
HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)
MIN_AGE = "US-FLSA-570.2-min-age"
IL_WAGE = "US-IL-105-4-min-wage"
HO_PRESS = "US-FLSA-HO8"


@dataclass
class World:
    factory: sessionmaker[Session]
    school: int
    site: int
    other_site: int
    press_line: int
    office: int
    other_area: int
    press: int
    born: dict[str, int]

    def placement(self, who: str, **changes) -> PlacementInput:
        values = dict(
            intern_id=self.born[who],
            school_id=self.school,
            start_date=START,
            end_date=END,
            worksite_id=self.site,
            hourly_rate_cents=1500,
        )
        return PlacementInput(**{**values, **changes})


@pytest.fixture
def world(factory) -> World:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping"))
        areas = (("Press line", "production"), ("Front office", "office"))
        site = setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("Plant 1", "IL", "America/Chicago", areas=areas)
        )
        other = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput(
                "Plant 2", "IL", "America/Chicago", areas=(("Dock", "production"),)
            ),
        )
        press = setup.save_equipment(
            s, SYSTEM, setup.EquipmentInput(site.id, "Punch press P-4", ("punch_press",))
        )
        setup.save_calendar(
            s,
            SYSTEM,
            setup.CalendarInput(
                "District 1", "2025-26", date(2025, 8, 20), date(2026, 6, 5), time(8), time(15)
            ),
        )
        school = setup.save_school(s, SYSTEM, setup.SchoolInput("Central High", "District 1"))
        born = {
            "eleven": date(2014, 6, 1),
            "fifteen": date(2010, 3, 1),
            "seventeen": date(2008, 1, 10),  # 18 on 2026-01-10, inside the placement
        }
        ids = {
            who: interns.create_intern(
                s, SYSTEM, interns.InternInput(who.title(), "Test", day, school), TODAY
            ).id
            for who, day in born.items()
        }
        area_ids = {name: area_id for area_id, name in s.execute(select(Area.id, Area.name))}
    return World(
        factory,
        school,
        site.id,
        other.id,
        area_ids["Press line"],
        area_ids["Front office"],
        area_ids["Dock"],
        press.id,
        ids,
    )


def _save(world: World, data: PlacementInput, placement_id: int | None = None):
    with db.unit_of_work(world.factory, SYSTEM) as s:
        return placements.save_placement(s, SYSTEM, data, placement_id, today=TODAY)


def _placement_findings(world: World, placement_id: int) -> dict[str, Finding]:
    with db.read_session(world.factory, SYSTEM) as s:
        return {
            f.rule_id: f
            for f in s.scalars(
                select(Finding).where(
                    Finding.placement_id == placement_id, Finding.shift_id.is_(None)
                )
            )
        }


def _press(world: World, **details) -> AssignmentInput:
    return AssignmentInput(equipment_id=world.press, details=details)


# -- the findings a placement gets without any shift ---------------------------------------


def test_an_eleven_year_old_at_nine_dollars_gets_findings_and_stays_a_draft(world: World) -> None:
    row = _save(world, world.placement("eleven", hourly_rate_cents=900))
    found = _placement_findings(world, row.id)
    assert MIN_AGE in found and IL_WAGE in found
    assert found[MIN_AGE].params["age"] == 11 and found[MIN_AGE].work_date is None
    assert found[IL_WAGE].params["rate"] == "$9.00"
    assert row.status == "draft"
    assert "Kept as a draft" in row.status_note and "cannot be overridden" in row.status_note
    assert "11" not in row.status_note  # worded by age band: every role reads the note


def test_a_fifteen_year_old_on_a_punch_press_is_flagged(world: World) -> None:
    row = _save(world, world.placement("fifteen", assignments=(_press(world),)))
    found = _placement_findings(world, row.id)
    assert HO_PRESS in found
    assert "US-FLSA-570.33-a" in found  # 14–15: no work in a workroom where goods are made
    assert "US-IL-206-40" in found
    assert row.status == "draft" and "Punch press" in row.status_note


def test_without_the_machine_the_same_placement_has_no_hazardous_order(world: World) -> None:
    row = _save(world, world.placement("fifteen", assignments=(AssignmentInput(world.office),)))
    found = _placement_findings(world, row.id)
    assert HO_PRESS not in found and "US-FLSA-570.33-a" not in found


def test_a_production_area_is_the_workroom_ban_for_a_fifteen_year_old(world: World) -> None:
    row = _save(world, world.placement("fifteen", assignments=(AssignmentInput(world.press_line),)))
    assert "US-FLSA-570.33-a" in _placement_findings(world, row.id)


def test_the_student_learner_exemption_needs_its_evidence(world: World) -> None:
    data = world.placement(
        "seventeen",
        program="student_learner",
        end_date=date(2025, 12, 19),
        assignments=(_press(world, direct_supervision=True),),
    )
    row = _save(world, data)
    found = _placement_findings(world, row.id)
    assert HO_PRESS in found and "agreement" in found[HO_PRESS].params["reason"]
    with db.unit_of_work(world.factory, SYSTEM) as s:
        s.add(
            Document(
                intern_id=world.born["seventeen"],
                doc_type="student_learner_agreement",
                issued_on=date(2025, 10, 1),
            )
        )
        s.flush()
        compliance.check_intern(s, SYSTEM, world.born["seventeen"], TODAY)
    assert HO_PRESS not in _placement_findings(world, row.id)


def test_a_birthday_inside_the_placement_ends_the_youth_rate(world: World) -> None:
    """At $13.00, the 17-year-old is paid the Illinois youth minimum; from the 18th
    birthday (2026-01-10) the adult minimum of $15.00 applies."""
    row = _save(world, world.placement("seventeen", hourly_rate_cents=1300))
    wage = _placement_findings(world, row.id)[IL_WAGE]
    assert wage.params["date"] == "2026-01-10" and wage.params["minimum"] == "$15.00"
    assert wage.identity.endswith(f"|placement:{row.id}:2026-01-10|")


def test_more_hours_this_year_than_the_youth_limit_take_the_adult_minimum(world: World) -> None:
    """Hours under an earlier placement count toward the 650-hour youth limit."""
    first = _save(
        world, world.placement("fifteen", start_date=date(2025, 1, 6), end_date=date(2025, 8, 29))
    )
    with db.unit_of_work(world.factory, SYSTEM) as s:
        day = datetime(2025, 1, 6, 9)
        for n in range(110):  # 110 days of 6 hours: 660 hours
            start = day + timedelta(days=n)
            s.add(
                TimeEntry(
                    placement_id=first.id,
                    work_date=start.date(),
                    start_local=start,
                    end_local=start + timedelta(hours=6),
                    source="manual",
                )
            )
    row = _save(world, world.placement("fifteen", hourly_rate_cents=1300))
    wage = _placement_findings(world, row.id)[IL_WAGE]
    assert wage.template == f"{IL_WAGE}.past_youth" and wage.params["minimum"] == "$15.00"


# -- the status the findings allow ------------------------------------------------------------


def test_a_clean_placement_is_active_and_a_wage_finding_keeps_a_new_one_a_draft(
    world: World,
) -> None:
    office = (AssignmentInput(world.office),)
    clean = _save(
        world, world.placement("seventeen", end_date=date(2025, 12, 19), assignments=office)
    )
    assert clean.status == "active" and clean.status_note == ""
    low = world.placement(
        "seventeen", end_date=date(2025, 12, 19), hourly_rate_cents=1000, assignments=office
    )
    drafted = _save(world, replace(low, badge="B-2"))
    assert drafted.status == "draft" and "override" in drafted.status_note
    # An active placement edited to the same pay stays active: only activation is blocked.
    edited = _save(world, low, clean.id)
    assert edited.status == "active"


def test_an_override_lets_an_unverified_finding_pass(world: World) -> None:
    row = _save(
        world,
        world.placement("seventeen", end_date=date(2025, 12, 19), assignments=(_press(world),)),
    )
    assert row.status == "draft"
    identity = _placement_findings(world, row.id)[HO_PRESS].identity
    with db.unit_of_work(world.factory, SYSTEM) as s:
        s.add(
            FindingOverride(
                intern_id=world.born["seventeen"],
                identity=identity,
                rule_id=HO_PRESS,
                kind="override",
                reason="The press is guarded and interlocked: counsel's opinion of 2025-10-01.",
            )
        )
    data = world.placement("seventeen", end_date=date(2025, 12, 19), assignments=(_press(world),))
    assert _save(world, data, row.id).status == "active"


def test_statuses_are_checked_and_archiving_keeps_them_consistent(world: World) -> None:
    data = world.placement("seventeen", end_date=date(2025, 12, 19))
    with pytest.raises(ValidationError) as error, db.unit_of_work(world.factory, SYSTEM) as s:
        placements.save_placement(s, SYSTEM, replace(data, status="terminated"), today=TODAY)
    assert {e.field for e in error.value.errors} == {"status_note"}
    with pytest.raises(ValidationError) as error, db.unit_of_work(world.factory, SYSTEM) as s:
        placements.save_placement(s, SYSTEM, replace(data, status="archived"), today=TODAY)
    assert {e.field for e in error.value.errors} == {"status"}
    row = _save(world, replace(data, status="terminated", status_note="Moved away."))
    assert (row.status, row.status_note) == ("terminated", "Moved away.")
    with db.unit_of_work(world.factory, SYSTEM) as s:
        placements.archive_placement(s, SYSTEM, row.id, today=TODAY)
        stored = s.get_one(Placement, row.id)
        assert (stored.status, stored.archived_at is not None) == ("archived", True)
        placements.restore_placement(s, SYSTEM, row.id, today=date(2026, 1, 5))
        assert (stored.status, stored.archived_at) == ("completed", None)


# -- the badge and the assignments, field by field --------------------------------------------


def test_a_badge_is_unique_among_open_placements(world: World) -> None:
    first = _save(world, world.placement("seventeen", end_date=date(2025, 12, 19), badge="4471"))
    with pytest.raises(ValidationError) as error, db.unit_of_work(world.factory, SYSTEM) as s:
        placements.save_placement(
            s, SYSTEM, world.placement("fifteen", badge=" 4471 "), today=TODAY
        )
    (problem,) = error.value.errors
    assert problem.field == "badge" and "Seventeen Test" in problem.message
    done = replace(
        world.placement("seventeen", end_date=date(2025, 12, 19), badge="4471"),
        status="completed",
    )
    _save(world, done, first.id)
    assert _save(world, world.placement("fifteen", badge="4471")).badge == "4471"


def test_every_bad_assignment_is_named_and_nothing_is_written(world: World) -> None:
    bad = (
        AssignmentInput(area_id=world.other_area),  # another worksite's area
        AssignmentInput(task_key="juggling"),
        AssignmentInput(area_id=world.office, task_key="office_clerical"),
        AssignmentInput(equipment_id=world.press, details={"colour": "red"}),
        AssignmentInput(area_id=10**30),
        AssignmentInput(area_id=world.office),
        AssignmentInput(area_id=world.office),
    )
    with db.read_session(world.factory, SYSTEM) as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationError) as error, db.unit_of_work(world.factory, SYSTEM) as s:
        placements.save_placement(
            s, SYSTEM, world.placement("fifteen", assignments=bad), today=TODAY
        )
    fields = {e.field: e.message for e in error.value.errors}
    assert set(fields) == {f"assignments[{i}]" for i in (0, 1, 2, 4, 6)} | {
        "assignments[3].details"
    }
    assert (
        "Plant 1" not in fields["assignments[0]"]
        and "not at the placement" in fields["assignments[0]"]
    )
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == before
        assert s.scalar(select(func.count()).select_from(Placement)) == 0


def test_assignments_are_kept_replaced_and_read_back(world: World) -> None:
    data = world.placement(
        "seventeen",
        assignments=(AssignmentInput(world.office), _press(world, direct_supervision=True)),
    )
    row = _save(world, data)
    with db.read_session(world.factory, SYSTEM) as s:
        stored = placements.placement_input(s, SYSTEM, row.id)
        kept_id = s.scalar(
            select(PlacementAssignment.id).where(PlacementAssignment.equipment_id == world.press)
        )
    assert stored.assignments == data.assignments
    _save(world, replace(data, assignments=(_press(world),)), row.id)
    with db.read_session(world.factory, SYSTEM) as s:
        (only,) = s.scalars(select(PlacementAssignment))
    assert (only.id, only.details) == (kept_id, {})


# -- the preview ---------------------------------------------------------------------------------


def test_the_preview_shows_the_findings_and_writes_nothing(world: World) -> None:
    data = world.placement("fifteen", assignments=(_press(world),))
    with db.read_session(world.factory, SYSTEM) as s:
        preview = placements.preview_placement(s, HR, data, today=TODAY)
    rules = {f.rule: f for f in preview.findings}
    assert HO_PRESS in rules and "placement" in rules[HO_PRESS].blocks
    assert preview.status == "draft" and "Punch press" in preview.status_note
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(Placement)) == 0
    saved = _save(world, data)
    assert (saved.status, saved.status_note) == (preview.status, preview.status_note)
    assert set(_placement_findings(world, saved.id)) == set(rules)


def test_the_preview_without_a_worksite_says_so(world: World) -> None:
    with db.read_session(world.factory, SYSTEM) as s:
        preview = placements.preview_placement(
            s, HR, world.placement("eleven", worksite_id=None), today=TODAY
        )
    assert preview.findings == () and "worksite" in preview.unchecked


def test_machines_of_the_register_carry_their_tasks(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        lift = Equipment(worksite_id=world.site, name="Forklift 2", area_id=world.office)
        lift.tasks = [EquipmentTask(task_key="forklift")]
        s.add(lift)
        s.flush()
        lift_id = lift.id
    row = _save(
        world, world.placement("seventeen", assignments=(AssignmentInput(equipment_id=lift_id),))
    )
    assert "US-FLSA-HO7" in _placement_findings(world, row.id)
    with db.read_session(world.factory, SYSTEM) as s:
        options = placements.assignment_options(s, HR, world.site)
    kinds = {(o.kind, o.label) for o in options}
    assert ("machine", "Forklift 2") in kinds and ("area", "Press line") in kinds
    lift_option = next(o for o in options if o.label == "Forklift 2")
    assert "HO 7" in lift_option.who_may


def test_after_the_upgrade_the_first_sweep_gives_every_placement_its_findings(
    world: World,
) -> None:
    """A database from before the placement check has none of its findings: the first
    start-up sweep re-checks everyone once, then no more."""
    from internhost.core.models import AppState

    row = _save(world, world.placement("eleven", hourly_rate_cents=900))
    with db.unit_of_work(world.factory, SYSTEM) as s:  # as a database from before
        for old in [*s.scalars(select(Finding)), *s.scalars(select(AppState))]:
            s.delete(old)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        swept = compliance.startup_sweep(s, SYSTEM, TODAY)
    assert set(world.born.values()) <= {r.intern_id for r in swept}
    assert MIN_AGE in _placement_findings(world, row.id)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        assert compliance.startup_sweep(s, SYSTEM, TODAY) == []
