"""The queue of what needs doing: one item per intern per kind, the most urgent first,
each kind counted; a mentor gets their own interns and their own work only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from internhost.core import dto
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import ValidationError
from internhost.core.lead_times import lead_times
from internhost.core.models import (
    ActionItem,
    CheckIn,
    ChecklistItem,
    Concern,
    District,
    Document,
    Employer,
    Finding,
    FindingOverride,
    Incident,
    Placement,
    PlanItem,
    School,
    Staff,
    TimeEntry,
    UserAccount,
    Worksite,
)
from internhost.core.services import interns
from internhost.core.services.queue import read_queue
from internhost.core.storage import db

TODAY = date(2025, 10, 15)  # a Wednesday; the workweek starts on Sunday
NOW = datetime(2025, 10, 15, 12, tzinfo=UTC)


def born_turning(age: int, in_days: int) -> date:
    day = TODAY + timedelta(days=in_days)
    return day.replace(year=day.year - age)


@dataclass
class World:
    ids: dict[str, int]
    mentor: Actor
    other_mentor: Actor


@pytest.fixture
def world(factory) -> World:
    ids: dict[str, int] = {}
    with db.unit_of_work(factory, SYSTEM) as s:
        s.add(Employer(id=1, legal_name="Acme Stamping"))
        district = District(name="District 1")
        s.add(district)
        s.flush()
        school = School(name="Central High", district_id=district.id)
        plant = Worksite(employer_id=1, name="Plant", state="IL", time_zone="America/Chicago")
        one = Staff(first_name="Mo", last_name="One", role="mentor")
        two = Staff(first_name="Mia", last_name="Two", role="mentor")
        s.add_all([school, plant, one, two])
        s.flush()
        account = UserAccount(username="mo", role="mentor", staff_id=one.id)
        s.add(account)
        s.flush()

        def intern(key: str, last: str, birth: date, mentor: Staff, end: int | None = 90) -> int:
            detail = interns.create_intern(
                s, SYSTEM, interns.InternInput(key.title(), last, birth, school.id), TODAY
            )
            placement = Placement(
                intern_id=detail.id,
                school_id=school.id,
                worksite_id=plant.id,
                mentor_id=mentor.id,
                start_date=TODAY - timedelta(days=30),
                end_date=None if end is None else TODAY + timedelta(days=end),
            )
            if end is not None and end < 0:
                placement.status = "completed"
            s.add(placement)
            s.flush()
            # Checked in on today: no check-in is due (``test_mentoring_kinds`` makes some).
            s.add(CheckIn(placement_id=placement.id, mentor_id=mentor.id, held_on=TODAY))
            ids[key], ids[f"{key}_p"] = detail.id, placement.id
            return placement.id

        ana = intern("ana", "Able", date(2009, 1, 1), one)
        ben = intern("ben", "Baker", born_turning(16, 10), one)  # turns 16 on Oct 25
        cy = intern("cy", "Cole", born_turning(18, 20), two)
        gone = intern("gone", "Done", date(2009, 1, 1), one, end=-1)  # placement ended

        def item(placement: int, key: str, due: int, owner: str = "hr", status: str = "open"):
            row = ChecklistItem(
                placement_id=placement,
                requirement_key=key,
                title=f"Item {key}",
                owner_role=owner,
                due_date=TODAY + timedelta(days=due),
                status=status,
            )
            s.add(row)
            s.flush()
            ids[key] = row.id

        item(ana, "A1", -3)  # overdue
        item(ana, "A2", 5, owner="supervisor")
        item(ana, "A3", 40)  # beyond the lead time: not listed
        item(ana, "A4", -9, status="done")
        item(ben, "B1", 2, owner="mentor")
        item(cy, "C1", 1)
        item(gone, "G1", -5)  # an ended placement's item is history

        for placement, title, owner, due in [
            (ana, "Tour", "mentor", -1),
            (ana, "Badge", "hr", -2),
            (cy, "Lunch", "mentor", 3),
        ]:
            s.add(
                PlanItem(
                    placement_id=placement,
                    phase="day_one",
                    title=title,
                    owner_role=owner,
                    due_date=TODAY + timedelta(days=due),
                )
            )

        certificate = "il_employment_certificate"
        s.add_all(
            [
                Document(
                    intern_id=ids["ana"],
                    doc_type=certificate,
                    title="Work permit",
                    expires_on=TODAY + timedelta(days=10),
                ),
                # Ben's old permit was replaced by one valid for a year: nothing to do.
                Document(
                    intern_id=ids["ben"], doc_type=certificate, expires_on=TODAY + timedelta(days=3)
                ),
                Document(
                    intern_id=ids["ben"],
                    doc_type=certificate,
                    expires_on=TODAY + timedelta(days=365),
                ),
                # Beyond its type's lead time.
                Document(
                    placement_id=cy,
                    intern_id=ids["cy"],
                    doc_type=certificate,
                    expires_on=TODAY + timedelta(days=lead_times().document_days[certificate] + 1),
                ),
            ]
        )

        def entry(placement: int, day: date, entered_by: int | None = None) -> int:
            start = datetime.combine(day, time(15))
            row = TimeEntry(
                placement_id=placement,
                work_date=day,
                start_local=start,
                end_local=start + timedelta(hours=2),
                entered_by=entered_by,
            )
            s.add(row)
            s.flush()
            return row.id

        ids["ana_e1"] = entry(ana, date(2025, 10, 13))
        entry(ana, date(2025, 10, 14), entered_by=account.id)  # Mo typed it: HR approves
        ids["ben_e"] = entry(ben, date(2025, 10, 6), entered_by=account.id)
        approved = entry(cy, date(2025, 10, 7))
        s.get(TimeEntry, approved).approved_at = NOW

        def finding(key: str, intern_key: str, entry_id: int | None, stale: bool = False):
            s.add(
                Finding(
                    intern_id=ids[intern_key],
                    placement_id=ids[f"{intern_key}_p"],
                    time_entry_id=entry_id,
                    identity=key,
                    rule_id=key,
                    category="daily_hours",
                    severity="violation",
                    jurisdiction="US",
                    citation="29 CFR 570.35",
                    verification="V",
                    message=key,
                    input_hash="x",
                    stale=stale,
                )
            )

        finding("f1", "ana", ids["ana_e1"])
        finding("f2", "ana", None)  # not on logged hours
        finding("f3", "ben", ids["ben_e"], stale=True)
        finding("f4", "cy", approved)  # acknowledged: done with
        finding("f5", "ben", ids["ben_e"])  # acknowledged, then revoked: open again
        s.add_all(
            [
                FindingOverride(
                    intern_id=ids["cy"],
                    identity="f4",
                    rule_id="f4",
                    kind="acknowledge",
                    reason="Talked to the supervisor.",
                ),
                FindingOverride(
                    intern_id=ids["ben"],
                    identity="f5",
                    rule_id="f5",
                    kind="acknowledge",
                    reason="Wrong entry.",
                    revoked_at=NOW,
                ),
            ]
        )
        mentor = Actor(Role.MENTOR, "mo", user_id=account.id, staff_id=one.id)
        other = Actor(Role.MENTOR, "mia", staff_id=two.id)
    return World(ids, mentor, other)


def read(factory, actor: Actor = SYSTEM, today: date = TODAY, limit: int = 200) -> dto.Queue:
    with db.read_session(factory, actor) as s:
        return read_queue(s, actor, today, limit)


def d(days: int) -> date:
    return TODAY + timedelta(days=days)


def lines(q: dto.Queue) -> list[tuple[str, str, date | None]]:
    return [(i.kind, i.intern_name, i.due) for i in q.items]


def test_hr_gets_one_item_per_intern_per_kind_most_urgent_first(factory, world: World) -> None:
    q = read(factory)
    assert set(q.counts) == set(dto.QUEUE_KINDS)
    assert {k: n for k, n in q.counts.items() if n} == {
        "checklist": 3,
        "plan_step": 2,
        "document_expiring": 1,
        "entries_to_approve": 2,
        "finding": 2,
        "rule_change": 2,
    }
    assert lines(q) == [
        ("entries_to_approve", "Ben Baker", date(2025, 10, 11)),  # its workweek's end
        ("checklist", "Ana Able", d(-3)),
        ("plan_step", "Ana Able", d(-2)),
        ("finding", "Ana Able", None),  # undated: due today
        ("finding", "Ben Baker", None),
        ("checklist", "Cy Cole", d(1)),
        ("checklist", "Ben Baker", d(2)),
        ("plan_step", "Cy Cole", d(3)),
        ("entries_to_approve", "Ana Able", date(2025, 10, 18)),
        ("document_expiring", "Ana Able", d(10)),  # ties go by kind, then name
        ("rule_change", "Ben Baker", d(10)),
        ("rule_change", "Cy Cole", d(20)),
    ]
    first = q.items[1]
    assert (first.intern_id, first.placement_id, first.record_id, first.target) == (
        world.ids["ana"],
        world.ids["ana_p"],
        world.ids["A1"],
        "checklist",
    )
    assert first.overdue and first.title == "Ana Able: Checklist: Item A1 (and 1 more item)"
    entries = [i for i in q.items if i.kind == "entries_to_approve"]
    assert [i.what for i in entries] == ["1 time entry to approve", "2 time entries to approve"]
    assert entries[1].record_id == world.ids["ana_e1"] and entries[1].target == "hours"
    rules = [i.what for i in q.items if i.kind == "rule_change"]
    assert rules == [
        "Turns 16 on 2025-10-25: the rules change",
        "Turns 18 on 2025-11-04: the rules change",
    ]


def test_the_limit_cuts_the_items_not_the_counts(factory, world: World) -> None:
    q = read(factory, limit=3)
    assert lines(q) == lines(read(factory))[:3]
    assert q.counts == read(factory).counts


def test_a_mentor_gets_their_interns_and_their_own_work(factory, world: World) -> None:
    q = read(factory, world.mentor)
    assert {i.intern_name for i in q.items} <= {"Ana Able", "Ben Baker"}
    # The supervisor's and the mentor's items; HR's overdue A1 is HR's work.
    assert [i.record_id for i in q.items if i.kind == "checklist"] == [
        world.ids["B1"],  # due in 2 days
        world.ids["A2"],  # due in 5
    ]
    assert [i.what for i in q.items if i.kind == "plan_step"] == ["Onboarding step: Tour"]
    assert q.counts["document_expiring"] == 0
    # Both of Mo's interns have entries, but Mo typed Ben's and one of Ana's.
    assert [i.what for i in q.items if i.kind == "entries_to_approve"] == [
        "1 time entry to approve"
    ]
    # Rules change soon: no age, no birthday; dated by the first day of its week.
    (change,) = [i for i in q.items if i.kind == "rule_change"]
    assert change.what == "Rules change soon" and change.due == date(2025, 10, 19)
    assert "16" not in change.title and "25" not in change.title


def test_another_mentor_sees_none_of_them(factory, world: World) -> None:
    q = read(factory, world.other_mentor)
    assert {i.intern_name for i in q.items} == {"Cy Cole"}
    assert q.counts["finding"] == 0  # Cy's finding was acknowledged


def test_a_viewer_approves_nothing(factory, world: World) -> None:
    q = read(factory, Actor(Role.VIEWER, "vic"))
    assert q.counts["entries_to_approve"] == 0
    assert q.counts["checklist"] == read(factory).counts["checklist"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 10**9}, "limit"),
        ({"limit": "5"}, "limit"),
        ({"today": date(1, 1, 1)}, "today"),
        ({"today": "2025-10-15"}, "today"),
    ],
)
def test_bad_input_names_its_field(factory, world: World, kwargs, field) -> None:
    with pytest.raises(ValidationError) as raised:
        read(factory, **kwargs)
    assert raised.value.errors[0].field == field


def test_every_kind_of_the_vocabulary_is_counted_on_an_empty_database(factory) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        s.add(Employer(id=1, legal_name="Acme Stamping"))
    q = read(factory)
    assert q.counts == dict.fromkeys(dto.QUEUE_KINDS, 0) and q.items == ()


def test_an_open_incident_heads_the_queue_until_closed(factory, world: World) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        # On the ended placement too: an incident still open is work, whenever it was.
        for placement, status in (("gone_p", "open"), ("ana_p", "open"), ("cy_p", "closed")):
            s.add(
                Incident(
                    placement_id=world.ids[placement],
                    kind="near_miss",
                    occurred_at_local=datetime(2025, 10, 1, 16),
                    description="A pallet slid",
                    status=status,
                )
            )
    q = read(factory)
    assert q.counts["incident"] == 2
    first = q.items[0]
    assert (first.kind, first.due, first.target) == ("incident", None, "incidents")
    assert first.what == "Open incident: near miss"
    assert {i.intern_id for i in q.items if i.kind == "incident"} == {
        world.ids["gone"],
        world.ids["ana"],
    }
    assert read(factory, world.other_mentor).counts["incident"] == 0
    assert read(factory, world.mentor).counts["incident"] == 2


def test_mentoring_kinds_concerns_check_ins_action_items_and_evaluations(
    factory, world: World
) -> None:
    """A concern heads the queue, undated, until HR resolves it, and names only its
    category; a check-in is due when the cadence says (weekly by default); an action
    item within its lead time; a mid-point evaluation within a week of its day."""
    with db.unit_of_work(factory, SYSTEM) as s:
        ana_old = CheckIn(placement_id=world.ids["ana_p"], held_on=TODAY - timedelta(days=20))
        s.add(ana_old)
        s.flush()
        s.add(Concern(check_in_id=ana_old.id, category="wellbeing", details="Said she is scared"))
        s.add_all(
            [
                ActionItem(check_in_id=ana_old.id, text="Bring safety glasses", due_on=d(-1)),
                ActionItem(check_in_id=ana_old.id, text="Read the SOP", due_on=d(3)),
                ActionItem(check_in_id=ana_old.id, text="Next month", due_on=d(30)),
                ActionItem(
                    check_in_id=ana_old.id, text="Done already", due_on=d(-2), done_on=d(-2)
                ),
            ]
        )
        # Cy's only check-in is 10 days old: overdue on the default weekly cadence.
        for row in s.query(CheckIn).filter(CheckIn.placement_id == world.ids["cy_p"]):
            row.held_on = TODAY - timedelta(days=10)
        # Ben's placement reaches its mid-point in 5 days.
        ben = s.get(Placement, world.ids["ben_p"])
        ben.end_date = TODAY + timedelta(days=40)
    q = read(factory)
    first = q.items[0]
    assert (first.kind, first.due, first.target) == ("concern", None, "check_ins")
    assert first.what == "Concern raised: Wellbeing or possible abuse"
    assert "scared" not in first.title
    assert first.record_id == ana_old.id
    actions = [i for i in q.items if i.kind == "action_item"]
    assert [(i.intern_name, i.due, i.what) for i in actions] == [
        ("Ana Able", d(-1), "Action item: Bring safety glasses (and 1 more item)")
    ]
    due = [(i.intern_name, i.what) for i in q.items if i.kind == "check_in_due"]
    assert due == [("Cy Cole", f"Check-in overdue (last {TODAY - timedelta(days=10):%b %d})")]
    evaluations = [(i.intern_name, i.what, i.target) for i in q.items if i.kind == "evaluation_due"]
    assert evaluations == [("Ben Baker", "Mid-point evaluation due", "progress")]
    # Mo mentors Ana and Ben; Mia, Cy: each sees their own interns' work only.
    mo, mia = read(factory, world.mentor), read(factory, world.other_mentor)
    assert (mo.counts["concern"], mia.counts["concern"]) == (1, 0)
    assert (mo.counts["check_in_due"], mia.counts["check_in_due"]) == (0, 1)
    assert (mo.counts["evaluation_due"], mia.counts["evaluation_due"]) == (1, 0)
    with db.unit_of_work(factory, SYSTEM) as s:
        concern = s.query(Concern).one()
        concern.resolved_at, concern.resolution = NOW, "Called the school coordinator."
    assert read(factory).counts["concern"] == 0
