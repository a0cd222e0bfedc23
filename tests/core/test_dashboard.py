"""Dashboard counts: each figure counts what it says and nothing next to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.models import (
    ChecklistItem,
    District,
    Employer,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    PlanItem,
    School,
    Staff,
    TimeEntry,
    WorkBreak,
    Worksite,
)
from internhost.core.services import interns
from internhost.core.services.dashboard import PLAN_DUE_DAYS, _latest_birth, dashboard, is_empty
from internhost.core.storage import db

TODAY = date(2025, 10, 15)  # a Wednesday: the workweek (from Sunday) runs Oct 12 to 18
ARCHIVED = datetime(2025, 1, 1, tzinfo=UTC)


def born_turning(age: int, in_days: int) -> date:
    """A birth date whose ``age``-th birthday is ``in_days`` after TODAY."""
    day = TODAY + timedelta(days=in_days)
    return day.replace(year=day.year - age)


@dataclass
class World:
    ids: dict[str, int]
    mentor_one: int
    mentor_two: int


@pytest.fixture
def world(factory) -> World:
    """Interns chosen so that each one is counted by exactly the figures its name says."""
    ids: dict[str, int] = {}
    with db.unit_of_work(factory, SYSTEM) as s:
        s.add(Employer(id=1, legal_name="Acme Stamping"))
        district = District(name="District 1")
        s.add(district)
        s.flush()
        school = School(name="Central High", district_id=district.id)
        s.add_all(
            [
                school,
                School(name="Old High", district_id=district.id, archived_at=ARCHIVED),
                Worksite(employer_id=1, name="Plant", state="IL", time_zone="America/Chicago"),
                Worksite(
                    employer_id=1,
                    name="Closed plant",
                    state="IL",
                    time_zone="America/Chicago",
                    archived_at=ARCHIVED,
                ),
            ]
        )
        one = Staff(first_name="Mo", last_name="One", role="mentor")
        two = Staff(first_name="Mia", last_name="Two", role="mentor")
        s.add_all(
            [
                one,
                two,
                Staff(first_name="Ex", last_name="Mentor", role="mentor", archived_at=ARCHIVED),
                Staff(first_name="Hal", last_name="Hr", role="hr"),
            ]
        )
        s.flush()
        plant = s.query(Worksite).filter_by(name="Plant").one()

        def intern(key: str, birth: date, start: int, end: int | None, mentor: Staff) -> int:
            detail = interns.create_intern(
                s,
                SYSTEM,
                interns.InternInput(key.title(), "Tester", birth, school.id),
                TODAY,
            )
            placement = Placement(
                intern_id=detail.id,
                school_id=school.id,
                worksite_id=plant.id,
                mentor_id=mentor.id,
                start_date=TODAY + timedelta(days=start),
                end_date=None if end is None else TODAY + timedelta(days=end),
            )
            s.add(placement)
            s.flush()
            ids[key] = detail.id
            ids[f"{key}_placement"] = placement.id
            return placement.id

        young = intern("young", date(2010, 3, 1), -30, 60, one)  # 15, active
        intern("turning18", born_turning(18, 30), -30, None, two)  # 17, active
        archived = intern("archived", date(2009, 1, 1), -30, 60, one)
        intern("upcoming", born_turning(16, 20), 10, 90, one)  # starts in 10 days
        ended = intern("ended", born_turning(14, 5), -90, -1, one)  # placed no longer
        intern("later", date(2008, 1, 1), 30, 90, two)  # starts in a month
        s.get(Intern, ids["archived"]).archived_at = ARCHIVED

        def entry(placement: int, day: date, hours: float, break_minutes: int = 0) -> None:
            start = datetime.combine(day, time(15))
            row = TimeEntry(
                placement_id=placement,
                work_date=day,
                start_local=start,
                end_local=start + timedelta(hours=hours),
            )
            s.add(row)
            s.flush()
            if break_minutes:
                s.add(
                    WorkBreak(
                        time_entry_id=row.id,
                        start_local=start + timedelta(hours=1),
                        end_local=start + timedelta(hours=1, minutes=break_minutes),
                    )
                )

        entry(young, date(2025, 10, 13), 3, break_minutes=30)  # Monday: 2.5 h
        entry(young, date(2025, 10, 18), 2)  # Saturday: 2 h
        entry(young, date(2025, 10, 11), 5)  # the Saturday before: not this week
        entry(ids["turning18_placement"], date(2025, 10, 14), 1)
        entry(ids["turning18_placement"], date(2025, 10, 19), 4)  # next Sunday
        entry(archived, date(2025, 10, 14), 4)  # an archived intern's hours still count

        for key, status, retired in [
            ("C1", "open", None),
            ("C2", "done", None),
            ("C3", "open", ARCHIVED),
        ]:
            s.add(
                ChecklistItem(
                    placement_id=young,
                    requirement_key=key,
                    title=key,
                    status=status,
                    retired_at=retired,
                )
            )
        s.add(ChecklistItem(placement_id=archived, requirement_key="C1", title="C1"))
        s.add(ChecklistItem(placement_id=ended, requirement_key="C1", title="C1"))

        def finding(key: str, intern_key: str, severity: str, stale: bool = False) -> None:
            s.add(
                Finding(
                    intern_id=ids[intern_key],
                    identity=key,
                    rule_id=key,
                    category="daily_hours",
                    severity=severity,
                    jurisdiction="US",
                    citation="29 CFR 570.35",
                    verification="V",
                    message=key,
                    input_hash="x",
                    stale=stale,
                )
            )

        finding("v1", "young", "violation")
        finding("w1", "young", "warning", stale=True)
        finding("a1", "turning18", "advisory")
        finding("a2", "turning18", "advisory")
        finding("v2", "archived", "violation")
        s.add(
            FindingOverride(
                intern_id=ids["turning18"],
                identity="a2",
                rule_id="a2",
                kind="override",
                reason="does not apply",
            )
        )
    return World(ids, one.id, two.id)


@pytest.fixture
def read(factory):
    def run(actor: Actor = SYSTEM, today: date = TODAY):
        with db.read_session(factory, actor) as s:
            return dashboard(s, actor, today)

    return run


def test_counts_for_hr(world: World, read) -> None:
    d = read()
    assert d.employer_name == "Acme Stamping"
    assert (d.active_interns, d.active_placements, d.hours_limited) == (2, 2, 1)
    assert (d.worksites, d.schools, d.mentors) == (1, 1, 2)
    assert d.hours_this_week == pytest.approx(2.5 + 2 + 1 + 4)
    assert d.week_from == date(2025, 10, 12)  # the employer's workweek starts on Sunday
    assert d.open_checklist_items == 1
    assert d.findings == {"violation": 1, "warning": 0, "advisory": 1}


def test_rule_changes_and_starting_soon(world: World, read) -> None:
    d = read()
    assert [(c.name, c.new_age, c.on) for c in d.rule_changes] == [
        ("Upcoming Tester", 16, TODAY + timedelta(days=20)),
        ("Turning18 Tester", 18, TODAY + timedelta(days=30)),
    ]
    assert [(p.name, p.worksite, p.start_date) for p in d.starting_soon] == [
        ("Upcoming Tester", "Plant", TODAY + timedelta(days=10))
    ]


def test_mentor_sees_own_interns_and_no_birth_dates(world: World, read) -> None:
    mentor = Actor(Role.MENTOR, "Mo One", staff_id=world.mentor_one)
    d = read(mentor)
    assert (d.active_interns, d.active_placements, d.hours_limited) == (1, 1, 1)
    assert d.hours_this_week == pytest.approx(2.5 + 2 + 4)
    assert d.findings["advisory"] == 0
    # The rules change soon; neither the day nor the age turned (together a birth date).
    assert [(c.name, c.on, c.new_age) for c in d.rule_changes] == [("Upcoming Tester", None, None)]
    assert [
        p.name for p in read(Actor(Role.MENTOR, "Mia", staff_id=world.mentor_two)).starting_soon
    ] == []


def test_a_day_later_the_week_and_the_lists_move(world: World, read) -> None:
    d = read(today=TODAY + timedelta(days=5))  # Monday Oct 20
    assert d.hours_this_week == pytest.approx(4)
    assert [c.name for c in d.rule_changes] == ["Upcoming Tester", "Turning18 Tester"]
    assert d.starting_soon[0].start_date - d.today == timedelta(days=5)


def test_is_empty(factory) -> None:
    with db.read_session(factory, SYSTEM) as s:
        assert is_empty(s)
        d = dashboard(s, SYSTEM, TODAY)
    assert d.employer_name is None and d.active_interns == 0 and d.hours_this_week == 0


def test_not_empty_with_only_an_employer(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        s.add(Employer(id=1, legal_name="Acme"))
    with db.read_session(factory, SYSTEM) as s:
        assert not is_empty(s)


@given(
    st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.dates(date(2000, 1, 1), date(2060, 12, 31))
)
def test_latest_birth_agrees_with_age_on(birth: date, today: date) -> None:
    for age in (14, 16, 18):
        assert (birth > _latest_birth(today, age)) == (age_on(birth, today) < age)


def test_leap_day_birthday_is_march_first_in_common_years() -> None:
    birth = date(2012, 2, 29)
    assert birthday_of_age(birth, 16) == date(2028, 2, 29)
    assert birth > _latest_birth(date(2029, 2, 28), 17)  # still 16 on Feb 28, 2029
    assert not birth > _latest_birth(date(2029, 3, 1), 17)


def test_demo_database_is_consistent(demo_path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    try:
        factory = db.make_session_factory(engine)
        with db.read_session(factory, SYSTEM) as s:
            assert not is_empty(s)
            d = dashboard(s, SYSTEM, TODAY)
            ids = interns.list_intern_ids(s, SYSTEM)
    finally:
        engine.dispose()
    assert 0 < d.active_interns <= len(ids) and d.active_placements >= d.active_interns
    assert 0 < d.hours_limited < d.active_interns
    assert d.hours_this_week > 0
    assert all(c.on is not None and 0 < (c.on - TODAY).days <= 60 for c in d.rule_changes)


def _plan_item(s, placement: int, title: str, due: date | None, status: str = "open") -> None:
    s.add(
        PlanItem(
            placement_id=placement,
            phase="first_weeks",
            title=title,
            owner_role="mentor",
            due_date=due,
            status=status,
        )
    )


def test_plan_steps_due_soon_or_overdue(world: World, factory, read) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        young, upcoming = world.ids["young_placement"], world.ids["upcoming_placement"]
        _plan_item(s, young, "overdue", TODAY - timedelta(days=3))
        _plan_item(s, young, "due today", TODAY)
        _plan_item(s, young, "done", TODAY, status="done")
        _plan_item(s, young, "later", TODAY + timedelta(days=PLAN_DUE_DAYS + 1))
        _plan_item(s, upcoming, "edge", TODAY + timedelta(days=PLAN_DUE_DAYS))
        _plan_item(s, world.ids["archived_placement"], "archived intern", TODAY)
        _plan_item(s, world.ids["ended_placement"], "ended placement", TODAY)
    d = read()
    assert [(p.title, p.intern_name, p.overdue) for p in d.plan_due] == [
        ("overdue", "Young Tester", True),
        ("due today", "Young Tester", False),
        ("edge", "Upcoming Tester", False),
    ]
    assert d.plan_open_count == 4  # "later" counts, though not listed yet
    assert d.plan_due[0].intern_id == world.ids["young"]
    mia = read(Actor(Role.MENTOR, "Mia", staff_id=world.mentor_two))
    assert mia.plan_due == () and mia.plan_open_count == 0


def test_plan_due_on_the_demo(demo_path) -> None:
    from sqlalchemy import select

    from internhost.core.services import onboarding

    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    try:
        factory = db.make_session_factory(engine)
        with db.read_session(factory, SYSTEM) as s:
            d = dashboard(s, SYSTEM, TODAY)
            # The demo's plans are done up to its logged-through date: reopen some.
            later = list(
                s.scalars(
                    select(PlanItem.id)
                    .join(Placement, Placement.id == PlanItem.placement_id)
                    .where(Placement.start_date > TODAY)
                    .order_by(PlanItem.id)
                    .limit(60)
                )
            )
            soon = s.scalar(
                select(PlanItem.id)
                .join(Placement, Placement.id == PlanItem.placement_id)
                .where(Placement.start_date <= TODAY, Placement.end_date >= TODAY)
                .limit(1)
            )
        assert d.plan_due == () and d.plan_open_count == 0
        with db.unit_of_work(factory, SYSTEM) as s:
            for item_id in [*later, soon]:
                onboarding.update_plan_item(s, SYSTEM, item_id, done=False, today=TODAY)
        with db.read_session(factory, SYSTEM) as s:
            d = dashboard(s, SYSTEM, TODAY)
    finally:
        engine.dispose()
    assert d.plan_open_count == len(later) + 1
    assert [p.item_id for p in d.plan_due] == [soon]  # next term's steps are months away
    assert d.plan_due[0].overdue


def test_a_break_the_clock_deducted_is_not_worked(world: World, factory, read) -> None:
    """An entry whose clock deducted 30 minutes with no punches counts 30 minutes less."""
    with db.unit_of_work(factory, SYSTEM) as s:
        start = datetime.combine(date(2025, 10, 15), time(15))
        s.add(
            TimeEntry(
                placement_id=world.ids["turning18_placement"],
                work_date=start.date(),
                start_local=start,
                end_local=start + timedelta(hours=6),
                auto_break_minutes=30,
            )
        )
    assert read().hours_this_week == pytest.approx(2.5 + 2 + 1 + 4 + 5.5)
