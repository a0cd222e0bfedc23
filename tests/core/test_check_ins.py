"""Check-ins on the sample: logged by a mentor for their own interns, internal notes
seen by HR and their author only, concerns that stay until HR resolves them, action
items, the topic list, and cadences with their due dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, CheckInCadence, Note, Placement, PlantClosure
from internhost.core.sample import reference_day
from internhost.core.services import accounts, cadences, check_in_topics
from internhost.core.services import check_ins as ci
from internhost.core.services.check_ins import ActionInput, CheckInInput, ConcernInput
from internhost.core.storage import db, secrets

TODAY = reference_day() - timedelta(days=1)


class World:
    def __init__(self, path: Path) -> None:
        self.engine = db.make_engine(path, secrets.read_database_key(path))
        self.factory = db.make_session_factory(self.engine)
        with db.read_session(self.factory, SYSTEM) as s:
            rows = {r.username: r for r in accounts.list_accounts(s, SYSTEM)}
            self.actors = {name: accounts.actor_for(r) for name, r in rows.items()}
        mentor = self.actors["mentor"]
        with db.read_session(self.factory, SYSTEM) as s:
            self.placement = s.scalar(
                select(Placement.id)
                .where(
                    Placement.mentor_id == mentor.staff_id,
                    Placement.status == "active",
                    Placement.start_date <= TODAY - timedelta(days=30),
                    or_(Placement.end_date.is_(None), Placement.end_date >= TODAY),
                )
                .order_by(Placement.id)
                .limit(1)
            )
            self.intern = s.get(Placement, self.placement).intern_id
            self.stranger_placement = s.scalar(
                select(Placement.id)
                .where(Placement.mentor_id != mentor.staff_id, Placement.status == "active")
                .order_by(Placement.id)
                .limit(1)
            )
            other_staff = s.get(Placement, self.stranger_placement).mentor_id
        self.actors["other"] = self.call(
            SYSTEM,
            lambda s, a: accounts.actor_for(
                accounts.create_account(
                    s,
                    a,
                    accounts.NewAccount(
                        "other", "Other Mentor", "mentor", "a long enough password", other_staff
                    ),
                )
            ),
        )

    def call(self, actor: Actor, service, *args, **kwargs):
        with db.unit_of_work(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)

    def read(self, actor: Actor, service, *args, **kwargs):
        with db.read_session(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)

    def input(self, **changes) -> CheckInInput:
        base = CheckInInput(
            placement_id=self.placement,
            held_on=TODAY,
            minutes=5,
            topics=("Safety", "Goals"),
            shared_notes="Walked the line; asked good questions about guarding.",
            internal_note="Seemed tired; ask about sleep next week.",
            reflection="I liked the press brake demo.",
        )
        return replace(base, **changes)


@pytest.fixture
def w(demo_path: Path) -> World:
    world = World(demo_path)
    yield world
    world.engine.dispose()


def _events(w: World) -> int:
    with db.read_session(w.factory, SYSTEM) as s:
        return s.scalar(select(func.count(AuditEvent.seq))) or 0


def test_a_mentor_logs_a_check_in_with_notes_concern_and_actions(w: World) -> None:
    mentor = w.actors["mentor"]
    data = w.input(
        concern=ConcernInput("safety", "Guard on press 3 was propped open."),
        actions=(ActionInput("Review lockout/tagout card", TODAY + timedelta(days=7)),),
    )
    row = w.call(mentor, ci.save_check_in, data, today=TODAY)
    assert (row.held_on, row.minutes, row.mode) == (TODAY, 5, "in_person")
    assert row.topics == ("Safety", "Goals") and row.intern_id == w.intern
    assert row.concern.category == "safety" and row.concern.resolved_at is None
    assert [a.text for a in row.actions] == ["Review lockout/tagout card"]
    assert row.open_actions == 1
    (note,) = row.internal_notes
    assert note.mine and note.text.startswith("Seemed tired") and note.author
    listed = w.read(mentor, ci.list_check_ins, w.intern)
    assert listed[0].id == row.id
    with db.read_session(w.factory, SYSTEM) as s:
        stored = s.scalar(select(Note).where(Note.check_in_id == row.id))
        assert stored.visibility == "internal" and stored.intern_id == w.intern


def test_internal_notes_are_seen_by_hr_and_their_author_only(w: World) -> None:
    mentor, hr, viewer = w.actors["mentor"], w.actors["hr"], w.actors["viewer"]
    row = w.call(mentor, ci.save_check_in, w.input(), today=TODAY)
    # HR adds an own note to the same check-in; the mentor's stays untouched.
    hr_input = w.read(hr, ci.check_in_input, row.id)
    assert hr_input.internal_note == ""
    w.call(
        hr,
        ci.save_check_in,
        replace(hr_input, internal_note="HR: spoke to the school."),
        row.id,
        today=TODAY,
    )
    as_hr = w.read(hr, ci.get_check_in, row.id)
    assert sorted(n.text for n in as_hr.internal_notes) == [
        "HR: spoke to the school.",
        "Seemed tired; ask about sleep next week.",
    ]
    assert [n.mine for n in as_hr.internal_notes] == [False, True]
    as_mentor = w.read(mentor, ci.get_check_in, row.id)
    assert [n.text for n in as_mentor.internal_notes] == [
        "Seemed tired; ask about sleep next week."
    ]
    assert w.read(mentor, ci.check_in_input, row.id).internal_note.startswith("Seemed tired")
    as_viewer = w.read(viewer, ci.get_check_in, row.id)
    assert as_viewer.internal_notes == () and as_viewer.shared_notes
    # the mentor empties their note: only theirs goes
    again = w.read(mentor, ci.check_in_input, row.id)
    w.call(mentor, ci.save_check_in, replace(again, internal_note=""), row.id, today=TODAY)
    assert [n.text for n in w.read(hr, ci.get_check_in, row.id).internal_notes] == [
        "HR: spoke to the school."
    ]


def test_a_viewer_sees_a_concerns_category_not_its_details(w: World) -> None:
    data = w.input(concern=ConcernInput("wellbeing", "Mentioned trouble at home."))
    row = w.call(w.actors["mentor"], ci.save_check_in, data, today=TODAY)
    seen = w.read(w.actors["viewer"], ci.get_check_in, row.id).concern
    assert seen.category == "wellbeing" and seen.details is None and seen.resolution is None
    assert w.read(w.actors["hr"], ci.get_check_in, row.id).concern.details


def test_a_mentor_may_not_log_for_another_mentors_intern(w: World) -> None:
    mentor, viewer = w.actors["mentor"], w.actors["viewer"]
    with pytest.raises(ValidationError) as caught:
        w.call(mentor, ci.save_check_in, w.input(placement_id=w.stranger_placement), today=TODAY)
    assert "placement_id" in caught.value.by_field()
    with pytest.raises(PermissionDenied):
        w.call(viewer, ci.save_check_in, w.input(), today=TODAY)
    row = w.call(mentor, ci.save_check_in, w.input(), today=TODAY)
    with pytest.raises(NotFound):
        w.read(w.actors["other"], ci.get_check_in, row.id)


def test_bad_input_names_each_field_and_writes_nothing(w: World) -> None:
    before = _events(w)
    data = w.input(
        held_on=TODAY + timedelta(days=1),
        minutes=0,
        mode="smoke signals",
        topics=("Astrology",),
        shared_notes="x" * (ci.TEXT_MAX + 1),
        concern=ConcernInput("gossip"),
        actions=(ActionInput("", done_on=TODAY + timedelta(days=3)),),
    )
    with pytest.raises(ValidationError) as caught:
        w.call(w.actors["mentor"], ci.save_check_in, data, today=TODAY)
    assert set(caught.value.by_field()) == {
        "held_on",
        "minutes",
        "mode",
        "topics",
        "shared_notes",
        "concern.category",
        "actions[0].text",
        "actions[0].done_on",
    }
    assert _events(w) == before


def test_a_concern_stays_until_hr_resolves_it(w: World) -> None:
    mentor, hr = w.actors["mentor"], w.actors["hr"]
    row = w.call(
        mentor,
        ci.save_check_in,
        w.input(concern=ConcernInput("conduct", "Late twice.")),
        today=TODAY,
    )
    assert [c.check_in_id for c in w.read(hr, ci.open_concerns)] == [row.id] or row.id in {
        c.check_in_id for c in w.read(hr, ci.open_concerns)
    }
    assert row.id in {c.check_in_id for c in w.read(mentor, ci.open_concerns)}
    assert row.id not in {c.check_in_id for c in w.read(w.actors["other"], ci.open_concerns)}
    with pytest.raises(ValidationError) as caught:
        w.call(mentor, ci.save_check_in, w.input(concern=None), row.id, today=TODAY)
    assert "concern" in caught.value.by_field()
    with pytest.raises(PermissionDenied):
        w.call(mentor, ci.resolve_concern, row.concern.id, "Talked to the school.")
    with pytest.raises(ValidationError):
        w.call(hr, ci.resolve_concern, row.concern.id, "  ")
    done = w.call(hr, ci.resolve_concern, row.concern.id, "Called the coordinator; plan agreed.")
    assert (
        done.resolved_at is not None and done.resolved_by and done.resolution.startswith("Called")
    )
    assert row.id not in {c.check_in_id for c in w.read(hr, ci.open_concerns)}
    with pytest.raises(ValidationError):  # resolved: no longer changes
        w.call(
            mentor,
            ci.save_check_in,
            w.input(concern=ConcernInput("other", "x")),
            row.id,
            today=TODAY,
        )


def test_action_items_are_ticked_later_and_reach_the_queue_when_due(w: World) -> None:
    mentor = w.actors["mentor"]
    due = TODAY - timedelta(days=1)
    row = w.call(
        mentor,
        ci.save_check_in,
        w.input(
            held_on=due - timedelta(days=6), actions=(ActionInput("Bring safety glasses", due),)
        ),
        today=TODAY,
    )
    action = row.actions[0]
    assert action.id in {a.id for a in w.read(mentor, ci.open_action_items, TODAY)}
    with pytest.raises(ValidationError):
        w.call(mentor, ci.set_action_done, action.id, TODAY + timedelta(days=1), today=TODAY)
    ticked = w.call(mentor, ci.set_action_done, action.id, TODAY, today=TODAY)
    assert ticked.done_on == TODAY
    assert action.id not in {a.id for a in w.read(mentor, ci.open_action_items, TODAY)}
    # editing keeps the action item's identity
    data = w.read(mentor, ci.check_in_input, row.id)
    again = w.call(mentor, ci.save_check_in, data, row.id, today=TODAY)
    assert [a.id for a in again.actions] == [action.id] and again.actions[0].done_on == TODAY


def test_hr_edits_the_topic_list(w: World) -> None:
    hr, mentor = w.actors["hr"], w.actors["mentor"]
    topics = w.read(hr, check_in_topics.list_topics)
    assert [t.name for t in topics][:2] == ["Goals", "Safety"]
    edited = [check_in_topics.TopicInput(t.key, t.name, t.key == "goals") for t in topics]
    edited[1] = check_in_topics.TopicInput("safety", "Safety and PPE")
    edited.append(check_in_topics.TopicInput(None, "Attendance"))
    w.call(hr, check_in_topics.save_topics, tuple(edited))
    choices = w.read(mentor, ci.check_in_choices).topics
    assert "Goals" not in choices and "Safety and PPE" in choices and "Attendance" in choices
    with pytest.raises(ValidationError):  # a retired topic is not offered
        w.call(mentor, ci.save_check_in, w.input(topics=("Goals",)), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        w.call(hr, check_in_topics.save_topics, tuple(edited[:2]))
    assert "topics" in caught.value.by_field()
    with pytest.raises(PermissionDenied):
        w.call(mentor, check_in_topics.save_topics, tuple(edited))


# -- cadences


def test_deadlines_follow_the_rrule_from_the_start() -> None:
    start = date(2025, 9, 1)  # a Monday
    weekly = cadences.deadlines(start, date(2025, 10, 1), 7, ())
    assert weekly[:3] == (date(2025, 9, 8), date(2025, 9, 15), date(2025, 9, 22))
    fridays = cadences.deadlines(start, date(2025, 9, 30), None, ("tue", "fri"))
    assert fridays[:3] == (date(2025, 9, 2), date(2025, 9, 5), date(2025, 9, 9))
    # none held: the first deadline; held early for one: the one after it
    assert cadences.next_due(weekly, set(), None) == date(2025, 9, 8)
    assert cadences.next_due(weekly, set(), date(2025, 9, 12)) == date(2025, 9, 22)
    assert cadences.next_due(weekly, set(), date(2025, 9, 15)) == date(2025, 9, 22)
    # a skipped deadline is no deadline
    assert cadences.next_due(weekly, {date(2025, 9, 8)}, None) == date(2025, 9, 15)
    assert cadences.next_due(weekly, set(), date(2025, 10, 1)) is None


def _weekly_only(w: World) -> None:
    """The sample's own cadences removed: every placement checks in weekly (the
    default), from its last check-in."""
    with db.unit_of_work(w.factory, SYSTEM) as s:
        for cadence in s.scalars(select(CheckInCadence)):
            s.delete(cadence)


def test_due_check_ins_per_mentor(w: World) -> None:
    mentor, other, hr = w.actors["mentor"], w.actors["other"], w.actors["hr"]
    _weekly_only(w)
    # The sample checks in every Monday: by the Tuesday after next, a week's is overdue.
    later = TODAY + timedelta(days=4)
    assert w.read(mentor, cadences.due_check_ins, TODAY) == []
    due = w.read(mentor, cadences.due_check_ins, later)
    assert due and all(d.due_on < later and d.overdue for d in due)
    assert [d.due_on for d in due] == sorted(d.due_on for d in due)
    mine = {d.placement_id for d in due}
    theirs = {d.placement_id for d in w.read(other, cadences.due_check_ins, later)}
    assert theirs and not mine & theirs
    assert mine | theirs <= {d.placement_id for d in w.read(hr, cadences.due_check_ins, later)}
    # a check-in held today meets the deadline; the next is a week on
    first = due[0]
    data = w.input(placement_id=first.placement_id, held_on=later)
    w.call(mentor, ci.save_check_in, data, today=later)
    after = w.read(mentor, cadences.check_in_target, first.placement_id, later)
    assert after.due_on > later and after.last_held_on == later and not after.overdue
    still = {d.placement_id for d in w.read(mentor, cadences.due_check_ins, later)}
    assert first.placement_id not in still
    only = w.read(hr, cadences.due_check_ins, later, intern_ids=[due[-1].intern_id])
    assert {d.intern_id for d in only} == {due[-1].intern_id}


def _exactly_due(s, actor: Actor, day: date) -> set[int]:
    """The placements due by ``day`` as ``next_due`` finds them, without the SQL test."""
    rows = cadences._due_dates(s, cadences._open_placements(s, actor, day), day)
    return {r.placement_id for r in rows if r.due_on is not None and r.due_on <= day}


def test_the_sql_prefilter_keeps_every_placement_due(w: World) -> None:
    """``_may_be_due`` is a loose bound: over weeks of days and every kind of cadence
    (every N days, weekdays, the placement's default, closures skipped), the queue's
    placements are exactly those ``next_due`` makes due."""
    hr = w.actors["hr"]
    with db.read_session(w.factory, SYSTEM) as s:
        placements = [
            p.id for p in s.scalars(select(Placement).where(Placement.status == "active"))
        ]
    assert len(placements) >= 3
    cadences_by_kind = [
        cadences.CadenceInput(3, ()),
        cadences.CadenceInput(None, ("tue", "fri")),
        cadences.CadenceInput(10, (), skip_non_school_days=True),
    ]
    for placement_id, cadence in zip(placements, cadences_by_kind, strict=False):
        w.call(hr, cadences.save_cadence, placement_id, cadence)
    with db.unit_of_work(w.factory, SYSTEM) as s:
        s.add(PlantClosure(worksite_id=None, day=TODAY + timedelta(days=2), reason="Inventory"))
    seen_due = 0
    with db.read_session(w.factory, hr) as s:
        for offset in range(-20, 40, 3):
            day = TODAY + timedelta(days=offset)
            listed = {d.placement_id for d in cadences.due_check_ins(s, hr, day)}
            assert listed == _exactly_due(s, hr, day), day
            seen_due += len(listed)
    assert seen_due  # the days tried reach some deadlines


def test_a_cadence_is_saved_and_skips_closures(w: World) -> None:
    mentor = w.actors["mentor"]
    _weekly_only(w)
    default = w.read(mentor, cadences.placement_cadence, w.placement)
    assert default.every_days == 7 and not default.stored
    row = w.call(mentor, cadences.save_cadence, w.placement, cadences.CadenceInput(None, ("wed",)))
    assert row.weekdays == ("wed",) and row.stored and row.summary.startswith("every Wed")
    target = w.read(mentor, cadences.check_in_target, w.placement, TODAY)
    assert target.due_on.weekday() == 2
    with db.unit_of_work(w.factory, SYSTEM) as s:
        s.add(PlantClosure(worksite_id=None, day=target.due_on, reason="Inventory"))
    moved = w.read(mentor, cadences.check_in_target, w.placement, TODAY)
    assert moved.due_on == target.due_on + timedelta(days=7)
    with pytest.raises(ValidationError) as caught:
        w.call(mentor, cadences.save_cadence, w.placement, cadences.CadenceInput(3, ("mon",)))
    assert "weekdays" in caught.value.by_field()
    with pytest.raises(ValidationError) as caught:
        w.call(mentor, cadences.save_cadence, w.placement, cadences.CadenceInput(None, ()))
    assert "every_days" in caught.value.by_field()
    with pytest.raises(NotFound):
        w.call(mentor, cadences.save_cadence, w.stranger_placement, cadences.CadenceInput())


def test_the_picker_lists_own_placements_due_first(w: World) -> None:
    mentor = w.actors["mentor"]
    rows, total = w.read(mentor, cadences.check_in_targets, TODAY)
    assert rows and total >= len(rows)
    assert [r.due_on for r in rows] == sorted(r.due_on for r in rows)
    name = rows[-1].intern_name.split(",")[0]
    found, _ = w.read(mentor, cadences.check_in_targets, TODAY, name)
    assert found and all(name in r.intern_name for r in found)
    assert w.read(mentor, cadences.check_in_target, w.stranger_placement, TODAY) is None


def test_mandated_reporting_comes_from_the_pack(w: World) -> None:
    guidance = w.read(w.actors["mentor"], ci.mandated_reporting, w.placement)
    assert guidance.categories == ("wellbeing",)
    assert "1-800-25-ABUSE" in guidance.hotline and guidance.citation.startswith("325 ILCS 5/4")
    assert guidance.verification == "V" and guidance.school
