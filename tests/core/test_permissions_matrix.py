"""Every service entry point, called as each role: what is refused, what is masked.

The entry points are found, not listed: every public function of
``internhost/core/services/*.py``, ``core/importers/roster.py`` and ``core/storage/backups.py``.
Each must have a row in ``MATRIX`` (called as an HR admin, a mentor and a viewer,
with the outcome expected of each) or in ``NO_ROLE_CHECK`` (with the reason it takes
no acting user). A new service without a row fails ``test_every_entry_point_has_a_row``.

Outcomes: ``OK`` (returns), ``DENIED`` (``PermissionDenied``, nothing written) or
another exception type a role meets for a reason of its own (a ``Conflict``). A row's
``check`` then looks at what came back as that role: what a mentor or viewer may not
see must not be in it.

The roles, from issue 6: an HR admin does everything; a mentor reads their own
interns (age band only, never a birth date, home address, guardian, medical note or
school-released record) and may log check-ins and time, approve hours and tick their
own onboarding steps; a viewer reads everything but medical notes (and internal
notes), and changes nothing.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from entrypoints import entry_points
from formkit import school_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core import dto, dto_check_ins, dto_progress
from internhost.core.actor import ROLE_PERMISSIONS, SYSTEM, Actor, Permission, Role
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    CheckIn,
    ChecklistItem,
    Intern,
    Placement,
    PlanItem,
    PlantClosure,
    Shift,
    Staff,
    TimeEntry,
)
from internhost.core.services import (
    accounts,
    approval,
    audit_log,
    binders,
    cadences,
    check_in_topics,
    check_ins,
    closures,
    compliance,
    dashboard,
    directory,
    evaluations,
    exports,
    findings,
    forms,
    frameworks,
    goals,
    hours_progress,
    incidents,
    intern_records,
    interns,
    mentoring_exports,
    new_term,
    onboarding,
    outcomes,
    packets,
    payroll,
    placements,
    plans,
    progress,
    queue,
    retention,
    schedules,
    school_forms,
    setup,
    student_learner,
    time_entries,
    timesheets,
)
from internhost.core.storage import db, secrets

TODAY = date(2025, 10, 15)
ROLES = ("hr_admin", "mentor", "viewer")
OK = "ok"
DENIED = PermissionDenied
Expect = str | type[Exception]


# -- the world: the sample database, its demo accounts, a few records to act on


@dataclass
class World:
    key: Any
    path: Path
    tmp: Path
    engine: Any
    factory: sessionmaker[Session]
    actors: dict[str, Actor]
    account_ids: dict[str, int]
    intern: int  # one of the demo mentor's own interns (everyone may read them)
    stranger: int  # an intern the demo mentor does not mentor
    placement: int
    stranger_placement: int
    checklist_item: int
    #: A checklist item the packs give the supervisor, of a placement of the mentor's
    #: intern where the mentor supervises a shift.
    supervisor_item: int
    mentor_step: int  # an onboarding step owned by the mentor, of their intern
    hr_step: int  # an onboarding step owned by HR, of the same intern
    note: int
    release: int
    worksite: int
    equipment: int
    staff: int
    school: int
    calendar: int
    mentor_staff: int
    backup: Path
    incident: int = 0  # an injury of the mentor's intern, its notices all done

    def call(self, actor: Actor, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``service(session, actor, ...)`` in one unit of work."""
        with db.unit_of_work(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)

    def system(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.call(SYSTEM, service, *args, **kwargs)

    def events(self) -> int:
        with db.read_session(self.factory, SYSTEM) as s:
            return s.scalar(select(func.count(AuditEvent.seq))) or 0

    def newest_event(self) -> AuditEvent:
        with db.read_session(self.factory, SYSTEM) as s:
            event = s.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
            assert event is not None
            return event


def _first(s: Session, stmt: Any) -> int:
    value = s.scalar(stmt.limit(1))
    assert value is not None, stmt
    return value


@pytest.fixture
def world(demo_path: Path, tmp_path: Path) -> Iterator[World]:
    key = secrets.read_database_key(demo_path)  # the test keyring's, once encrypted
    engine = db.make_engine(demo_path, key)
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        rows = {r.username: r for r in accounts.list_accounts(s, SYSTEM)}
        actors = {r.role: accounts.actor_for(r) for r in rows.values()}
        mentor = actors["mentor"]
        own = select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
        intern = _first(s, select(Intern.id).where(Intern.id.in_(own)).order_by(Intern.id))
        stranger = _first(s, select(Intern.id).where(Intern.id.not_in(own)).order_by(Intern.id))
        placement = _first(s, select(Placement.id).where(Placement.intern_id == intern))
        stranger_placement = _first(s, select(Placement.id).where(Placement.intern_id == stranger))
        steps = (
            select(PlanItem.id)
            .join(Placement, Placement.id == PlanItem.placement_id)
            .where(Placement.intern_id == intern)
        )
        world = World(
            key=key,
            path=demo_path,
            tmp=tmp_path,
            engine=engine,
            factory=factory,
            actors=actors,
            account_ids={r.role: r.id for r in rows.values()},
            intern=intern,
            stranger=stranger,
            placement=placement,
            stranger_placement=stranger_placement,
            checklist_item=_first(
                s, select(ChecklistItem.id).where(ChecklistItem.placement_id == placement)
            ),
            supervisor_item=_first(
                s,
                select(ChecklistItem.id)
                .join(Shift, Shift.placement_id == ChecklistItem.placement_id)
                .where(
                    ChecklistItem.owner_role == "supervisor",
                    ChecklistItem.placement_id.in_(
                        select(Placement.id).where(Placement.intern_id.in_(own))
                    ),
                    Shift.supervisor_staff_id == mentor.staff_id,
                ),
            ),
            mentor_step=_first(s, steps.where(PlanItem.owner_role == "mentor")),
            hr_step=_first(s, steps.where(PlanItem.owner_role == "hr")),
            note=0,
            release=0,
            worksite=directory.list_worksites(s, SYSTEM)[0].id,
            equipment=directory.list_equipment(s, SYSTEM)[0].id,
            staff=_first(s, select(Staff.id).where(Staff.role == "supervisor")),
            school=directory.list_schools(s, SYSTEM)[0].id,
            calendar=directory.list_calendars(s, SYSTEM)[0].id,
            mentor_staff=mentor.staff_id,
            backup=tmp_path / "saved.db",
        )
    world.note = world.system(
        intern_records.add_medical_note, world.intern, "Asthma: inhaler in the locker."
    ).id
    world.release = world.system(
        intern_records.save_release,
        world.intern,
        intern_records.ReleaseInput(
            "Transcript",
            date(2025, 9, 2),
            intern_records.WRITTEN_CONSENT,
            "A. Parent",
            redisclosure_notice_received=True,
        ),
        today=TODAY,
    )
    data, day = _incident_data(world)
    world.incident = world.system(incidents.save_incident, data, today=day).row.id
    yield world
    engine.dispose()


# -- what may be seen


def _no_exact_ages(messages: list[str]) -> None:
    for message in messages:
        assert not re.search(r"(?<!–)\b\d{1,2}-year-old\b(?!s)", message), message


def check_intern_detail(w: World, role: str, d: dto.InternDetail) -> None:
    assert d.age_band
    if role == "mentor":
        assert (d.birth_date, d.age, d.next_rule_change) == (None, None, None)
        assert d.address is None and d.contacts is None
    else:
        assert d.birth_date is not None and d.age is not None
        assert d.address is not None and d.contacts


def check_intern_rows(w: World, role: str, rows: list[dto.InternRow]) -> None:
    if role == "mentor":
        assert rows and all(r.birth_date is None and r.age is None for r in rows)
        assert w.stranger not in {r.id for r in rows}
    else:
        assert all(r.birth_date is not None and r.age is not None for r in rows)
        assert {w.intern, w.stranger} <= {r.id for r in rows}


def check_ids(w: World, role: str, ids: list[int]) -> None:
    assert w.intern in ids
    assert (w.stranger in ids) is (role != "mentor")


def check_dashboard(w: World, role: str, d: dto.Dashboard) -> None:
    if role == "mentor":
        assert all(c.on is None and c.new_age is None for c in d.rule_changes)
    everyone = w.system(dashboard.dashboard, TODAY)
    assert (d.active_interns < everyone.active_interns) is (role == "mentor")


def check_queue(w: World, role: str, q: dto.Queue) -> None:
    """A mentor's queue holds their interns only, and their own work: no documents to
    renew, no age in a rule change; a viewer approves nothing."""
    everyone = w.system(queue.read_queue, TODAY)
    assert q.items and set(q.counts) == set(dto.QUEUE_KINDS)
    interns = {i.intern_id for i in q.items}
    if role == "mentor":
        with db.read_session(w.factory, SYSTEM) as s:
            own = set(
                s.scalars(select(Placement.intern_id).where(Placement.mentor_id == w.mentor_staff))
            )
        assert interns <= own and w.stranger not in interns
        assert q.counts["document_expiring"] == 0
        assert not any(re.search(r"\d", i.what) for i in q.items if i.kind == "rule_change")
        assert sum(q.counts.values()) < sum(everyone.counts.values())
    else:
        assert q.counts["entries_to_approve"] == (
            0 if role == "viewer" else everyone.counts["entries_to_approve"]
        )


def check_findings(w: World, role: str, rows: list[dto.FindingRow]) -> None:
    messages = [r.message for r in rows]
    assert any("year-old" in m for m in messages)  # the sample's 15-year-old past 7 p.m.
    if role == "mentor":
        _no_exact_ages(messages)
    else:
        assert any(re.search(r"\b1\d-year-old\b", m) for m in messages)


def check_finding_ids(w: World, role: str, ids: list[int]) -> None:
    everyone = w.system(findings.list_finding_ids)
    assert ids and set(ids) <= set(everyone)
    assert (len(ids) < len(everyone)) is (role == "mentor")


def check_finding_export(w: World, role: str, rows: list[dict]) -> None:
    everyone = w.system(findings.export_rows)
    assert rows and (len(rows) < len(everyone)) is (role == "mentor")
    messages = [str(r["message"]) for r in rows]
    assert any("year-old" in m for m in messages)
    if role == "mentor":
        _no_exact_ages(messages)


def _a_warning(w: World) -> int:
    return w.system(findings.list_finding_ids, findings.FindingFilter(severity="warning"))[0]


def check_export_rows(w: World, role: str, result: tuple[list[str], list[dict]]) -> None:
    _headers, rows = result
    ids = {r["id"] for r in rows}
    assert w.intern in ids and (w.stranger in ids) is (role != "mentor")
    hidden = ("birth_date", "address", "guardian_name", "guardian_phone", "emergency_phone")
    for column in hidden:
        values = {r[column] for r in rows}
        assert (values == {None}) is (role == "mentor"), column


def check_json_export(w: World, role: str, text: str) -> None:
    records = json.loads(text)
    for column in ("birth_date", "address", "guardian_name"):
        assert any(column in r for r in records) is (role != "mentor"), column


def scoped_export(builder: Callable[..., list[dict]]) -> Callable[[World, str, list], None]:
    """A check of ``builder``'s rows: a mentor's are their own interns' (some), the
    other roles' every row the system sees."""

    def check(w: World, role: str, rows: list[dict]) -> None:
        with db.read_session(w.factory, SYSTEM) as s:
            own = set(
                s.scalars(select(Placement.intern_id).where(Placement.mentor_id == w.mentor_staff))
            )
        seen = {r["intern_id"] for r in rows}
        if role == "mentor":
            assert rows and seen <= own
        else:
            assert [r["id"] for r in rows] == [r["id"] for r in w.system(builder)]
            assert not seen <= own

    return check


def check_check_in_export(w: World, role: str, rows: list[dict]) -> None:
    """Internal notes: HR reads every author's, a mentor their own, a viewer none."""
    scoped_export(mentoring_exports.check_in_rows)(w, role, rows)
    authors = {n["author"] for r in rows for n in r["internal_notes"]}
    assert authors == {"hr_admin": {"hr", "mentor"}, "mentor": {"mentor"}, "viewer": set()}[role]


def check_placements(w: World, role: str, rows: list[dto.PlacementRow]) -> None:
    interns_seen = {r.intern_id for r in rows}
    assert w.intern in interns_seen
    assert (w.stranger in interns_seen) is (role != "mentor")


def check_accounts(w: World, role: str, rows: list[dto.AccountRow]) -> None:
    assert {r.username for r in rows} == {"hr", "mentor", "viewer"}
    assert not [f.name for f in fields(dto.AccountRow) if "hash" in f.name or "salt" in f.name]


def check_packet_targets(w: World, role: str, targets: list) -> None:
    """One packet of the intern's latest placement; another mentor's intern is not found."""
    assert [t.intern_id for t in targets] == [w.intern]
    actor = w.actors[role]
    if role == "mentor":
        with pytest.raises(NotFound):
            w.call(actor, packets.packet_targets, intern_id=w.stranger)
        with pytest.raises(NotFound):
            w.call(actor, packets.render_school_packet, w.stranger, None, TODAY)


def check_school_packet(w: World, role: str, data: Any) -> None:
    """Guardians' names only for the roles that see contacts; never a birth date."""
    assert bool(data.guardians) is (role != "mentor")
    assert not any(f == "birth_date" for f in vars(data))


def check_packet_written(w: World, role: str, written: Any) -> None:
    assert written.path.exists() and written.packet_id and len(written.verification) == 12


def check_preview_saved(w: World, role: str, written: Any) -> None:
    """A previewed packet is saved and recorded; the rights are asked again at saving:
    another mentor's intern is not found, the binder is HR's alone."""
    check_packet_written(w, role, written)
    actor = w.actors[role]
    if role == "mentor":
        stranger = w.system(packets.render_school_packet, w.stranger, None, TODAY)
        with pytest.raises(NotFound):
            w.call(actor, packets.save_rendered, stranger, w.tmp / "stranger.pdf", w.path)
    if role != "hr_admin":
        binder = w.system(binders.render_hr_binder, w.intern, None, TODAY)
        with pytest.raises(PermissionDenied):
            w.call(actor, packets.save_rendered, binder, w.tmp / "binder.pdf", w.path)
    assert not (w.tmp / "stranger.pdf").exists() and not (w.tmp / "binder.pdf").exists()


def check_batch_written(w: World, role: str, result: Any) -> None:
    assert not result.failed and [x.intern_id for x in result.written] == [w.intern]


# -- the matrix


@dataclass(frozen=True)
class Row:
    call: Callable[[World, Actor], Any]
    hr_admin: Expect = OK
    mentor: Expect = DENIED
    viewer: Expect = DENIED
    check: Callable[[World, str, Any], None] | None = None

    def expect(self, role: str) -> Expect:
        return getattr(self, role)


def read(call: Callable[[World, Actor], Any], check: Any = None) -> Row:
    """Every role may read it (a mentor: their own interns)."""
    return Row(call, OK, OK, OK, check)


def hr_only(call: Callable[[World, Actor], Any]) -> Row:
    return Row(call, OK, DENIED, DENIED)


def _incident_data(w: World) -> tuple[incidents.IncidentInput, date]:
    """An injury on the first day of the mentor's intern's placement, with every notice
    it needs done that day, and the day to record it on."""
    with db.read_session(w.factory, SYSTEM) as s:
        day = s.get(Placement, w.placement).start_date
        keys = [n.key for n in incidents.incident_notices(s, SYSTEM, w.placement, "injury", day)]
    done = incidents.NoticeInput(day)
    data = incidents.IncidentInput(
        w.placement,
        "injury",
        datetime.combine(day, time(10)),
        "Pinched a finger in a drawer.",
        treatment="Ice pack on the left hand.",
        **dict.fromkeys(keys, done),
    )
    return data, max(day, TODAY)


def check_incident_rows(w: World, role: str, rows: list) -> None:
    assert w.incident in {r.id for r in rows}
    if role == "mentor":
        assert w.stranger not in {r.intern_id for r in rows}


def check_incident(w: World, role: str, found: Any) -> None:
    """Treatment is medical: HR alone reads it back."""
    assert (found.treatment is None) is (role != "hr_admin")


def _new_term() -> new_term.NewTermInput:
    return new_term.NewTermInput(
        date(2025, 9, 1), date(2025, 12, 31), date(2026, 9, 1), date(2026, 12, 18)
    )


def _roster(w: World, actor: Actor) -> Any:
    from internhost.core.importers.roster import import_roster

    data = b"first_name,last_name,birth_date,school\r\nAna,Ruiz,2009-03-04,Auburn High School\r\n"
    return import_roster(w.factory, actor, data, dry_run=True, today=TODAY)


def _entry_input(w: World) -> time_entries.TimeEntryInput:
    """Half an hour before dawn on the day of the mentor's intern's latest entry
    awaiting approval: its pay period is open and no entry of the sample is there."""
    with db.read_session(w.factory, SYSTEM) as s:
        placement, day = s.execute(
            select(TimeEntry.placement_id, TimeEntry.work_date)
            .join(Placement, Placement.id == TimeEntry.placement_id)
            .where(Placement.intern_id == w.intern, TimeEntry.approved_at.is_(None))
            .order_by(TimeEntry.work_date.desc())
            .limit(1)
        ).one()
    return time_entries.TimeEntryInput(placement, day, time(5), time(5, 30))


def _log_hours(w: World, actor: Actor) -> Any:
    data = _entry_input(w)
    return w.call(actor, time_entries.save_time_entry, data, today=data.work_date)


def _delete_entry(w: World, actor: Actor) -> Any:
    """An entry of the mentor's intern awaiting approval (a mentor may not delete an
    approved one)."""
    with db.read_session(w.factory, SYSTEM) as s:
        entry = s.scalar(
            select(TimeEntry)
            .join(Placement, Placement.id == TimeEntry.placement_id)
            .where(Placement.intern_id == w.intern, TimeEntry.approved_at.is_(None))
            .order_by(TimeEntry.id)
            .limit(1)
        )
        assert entry is not None
    return w.call(actor, time_entries.delete_time_entry, entry.id, today=entry.work_date)


def _entry_id(w: World) -> int:
    return w.system(time_entries.list_time_entries, w.intern)[0].id


def check_entries(w: World, role: str, rows: list[dto.TimeEntryRow]) -> None:
    assert rows and {r.intern_id for r in rows} == {w.intern}


def _clock_file(w: World, actor: Actor) -> Any:
    from internhost.core.importers.hours import import_hours

    data = b"badge,date,in,out\r\nB-1,2025-10-14,15:30,17:30\r\n"
    return import_hours(w.factory, actor, data, dry_run=True, today=TODAY)


def _make_backup(w: World, actor: Actor) -> Any:
    from internhost.core.storage import backups

    return backups.make_backup(w.path, w.tmp / "manual.db", actor=actor, key=w.key)


def _restore(w: World, actor: Actor) -> Any:
    from internhost.core.storage import backups

    backups.make_backup(w.path, w.backup, actor=SYSTEM, key=w.key)
    w.engine.dispose()  # a restore needs the file closed
    return backups.restore(w.backup, w.path, actor=actor, key=w.key)


def _purge(w: World, actor: Actor) -> Any:
    """Purge one intern proposed long after the placements ended (the period has passed;
    an intern with an incident report is never proposed)."""
    later = date(2035, 1, 2)
    proposed = w.system(retention.propose_purge, later).intern_ids
    return w.call(actor, retention.purge, later, proposed[:1])


def _save_calendar(w: World, actor: Actor) -> Any:
    data = w.system(directory.calendar_for_edit, w.calendar)
    return w.call(actor, setup.save_calendar, data, w.calendar)


def _verify_against_a_backup(w: World, actor: Actor) -> Any:
    from internhost.core.storage import backups

    saved = backups.make_backup(w.path, w.tmp / "compared.db", actor=SYSTEM, key=w.key)
    return w.call(actor, audit_log.verify_audit_trail, against=saved.path, key=w.key)


#: A week after TODAY's, clear of the sample's deliberate slips.
PLAN_WEEK = date(2025, 10, 20)


def _future_shift(w: World) -> int:
    """A shift of the mentor's intern planned in ``PLAN_WEEK`` or later."""
    with db.read_session(w.factory, SYSTEM) as s:
        return _first(
            s,
            select(Shift.id)
            .where(Shift.placement_id == w.placement, Shift.work_date >= PLAN_WEEK)
            .order_by(Shift.work_date),
        )


def _save_shift(w: World, actor: Actor) -> Any:
    shift = _future_shift(w)
    data = w.system(schedules.shift_input, shift)
    return w.call(actor, schedules.save_shift, data, shift, today=TODAY)


def _move_shift(w: World, actor: Actor) -> Any:
    shift = _future_shift(w)
    data = w.system(schedules.shift_input, shift)
    return w.call(actor, schedules.move_shift, shift, data.start, data.end, today=TODAY)


def _plan_series(w: World, actor: Actor) -> Any:
    """Planned with the days a finding blocks left out (the sample blocks none)."""
    return w.call(actor, schedules.plan_series, _series(w), today=TODAY, leave_out_blocked=True)


def _preview_series(w: World, actor: Actor) -> Any:
    return w.call(actor, schedules.preview_series, _series(w), today=TODAY, leave_out_blocked=True)


def _save_series(w: World, actor: Actor) -> Any:
    """Move a pattern an hour later: planned first where the role may plan one (a
    refusal must write nothing but itself), else any shift, refused before it is read."""
    shift = _future_shift(w)
    if actor.can(Permission.EDIT_RECORDS):
        shift = w.system(schedules.plan_series, _series(w), today=TODAY).created[0].id
    data = w.system(schedules.shift_input, shift)
    later = replace(data, start=data.start + timedelta(hours=1), end=data.end + timedelta(hours=1))
    return w.call(actor, schedules.save_series, shift, later, today=TODAY)


def _series(w: World) -> schedules.SeriesInput:
    """An hour of office work on the next two Sundays (the sample plans none)."""
    with db.read_session(w.factory, SYSTEM) as s:
        placement = s.get(Placement, w.placement)
        assert placement is not None
        mentor = placement.mentor_id
    sunday = PLAN_WEEK + timedelta(days=6)
    shift = schedules.ShiftInput(
        w.placement,
        datetime.combine(sunday, time(10)),
        datetime.combine(sunday, time(11)),
        supervisor_staff_id=mentor,
        supervisor_21_or_older=True,
        tasks=("office_clerical",),
    )
    return schedules.SeriesInput(shift, ("sun",), sunday + timedelta(days=7))


def _remove_closure(w: World, actor: Actor) -> Any:
    """Open the plants again on one of the sample's closures."""
    with db.read_session(w.factory, SYSTEM) as s:
        closure = _first(s, select(PlantClosure.id).order_by(PlantClosure.day))
    return w.call(actor, closures.remove_closure, closure)


def check_week(w: World, role: str, plan: dto.WeekPlan) -> None:
    (lane,) = plan.lanes
    assert lane.intern_id == w.intern and lane.shifts and len(lane.days) == 7
    assert plan.can_edit is (role == "hr_admin")
    if role == "mentor":
        assert lane.rule_change_on is None


def check_verified(w: World, role: str, report: Any) -> None:
    assert report.ok, report.lines()
    assert report.against is not None and report.rows > 1000


#: Long after every shift of the sample: all of them have passed.
LATER = date(2035, 1, 2)


def _entry(w: World, *where: Any) -> int:
    """A time entry of the mentor's intern (``where``: more conditions)."""
    with db.read_session(w.factory, SYSTEM) as s:
        return _first(
            s,
            select(TimeEntry.id)
            .join(Placement, Placement.id == TimeEntry.placement_id)
            .where(Placement.intern_id == w.intern, *where)
            .order_by(TimeEntry.id),
        )


def _unworked_shift(w: World) -> int:
    """A shift of the mentor's intern with no hours logged for it."""
    with db.read_session(w.factory, SYSTEM) as s:
        worked = select(TimeEntry.shift_id).where(TimeEntry.shift_id.is_not(None))
        return _first(
            s,
            select(Shift.id)
            .join(Placement, Placement.id == Shift.placement_id)
            .where(Placement.intern_id == w.intern, Shift.id.not_in(worked))
            .order_by(Shift.id),
        )


def _absent(w: World, actor: Actor) -> Any:
    return w.call(actor, hours_progress.mark_absent, _unworked_shift(w), False, "", LATER)


def _clear_absence(w: World, actor: Actor) -> Any:
    # None marked (marking one first would write before the refusal is counted):
    # test_hours_approval clears a marked one.
    return w.call(actor, hours_progress.clear_absence, _unworked_shift(w))


def check_hours(w: World, role: str, h: dto.InternHours) -> None:
    assert h.entries and h.intern_id == w.intern
    assert all(e.can_approve is (role != "viewer" and not e.approved) for e in h.entries)


def check_payroll(w: World, role: str, rows: list[dict[str, Any]]) -> None:
    assert rows and {r["intern_id"] for r in rows} >= {w.intern, w.stranger}


# -- check-ins: HR and the intern's mentor log them; internal notes by author

#: The Tuesday after the sample's load day: a week's check-ins are overdue.
DUE_DAY = date(2026, 11, 24)


def _check_in(w: World) -> int:
    """A check-in of the mentor's intern."""
    with db.read_session(w.factory, SYSTEM) as s:
        return _first(
            s, select(CheckIn.id).where(CheckIn.placement_id == w.placement).order_by(CheckIn.id)
        )


def _check_in_input(w: World, **changes: Any) -> check_ins.CheckInInput:
    data = w.system(check_ins.check_in_input, _check_in(w))
    return replace(data, **changes)


def _noted(w: World) -> int:
    """The mentor's intern, whose check-in gets an internal note by the demo HR admin
    and one by the mentor."""
    for role in ("hr_admin", "mentor"):
        data = _check_in_input(w, internal_note=f"Internal note by {role}.")
        w.call(w.actors[role], check_ins.save_check_in, data, _check_in(w), today=LATER)
    return w.intern


def check_notes(w: World, role: str, rows: list[dto_check_ins.CheckInRow]) -> None:
    noted = next(r for r in rows if r.id == _check_in(w))
    texts = {n.text for n in noted.internal_notes}
    expected = {
        "hr_admin": {"Internal note by hr_admin.", "Internal note by mentor."},
        "mentor": {"Internal note by mentor."},
        "viewer": set(),
    }[role]
    assert texts == expected
    assert all(n.mine == (n.text == f"Internal note by {role}.") for n in noted.internal_notes)


def _save_check_in(w: World, actor: Actor) -> Any:
    data = _check_in_input(w, shared_notes="Talked through the week.")
    return w.call(actor, check_ins.save_check_in, data, today=LATER)


def _action(w: World, actor: Actor) -> int:
    """An action item of the mentor's intern (made first where the role may make one:
    a refusal must write nothing but itself)."""
    if not actor.can(Permission.LOG_MENTORING):
        return 1
    data = _check_in_input(w, actions=(check_ins.ActionInput("Bring safety glasses"),))
    return w.system(check_ins.save_check_in, data, _check_in(w), today=LATER).actions[0].id


def _concern(w: World, actor: Actor) -> int:
    """A concern on the mentor's intern (raised first where the role may resolve one)."""
    if not actor.can(Permission.EDIT_RECORDS):
        return 1
    data = _check_in_input(w, concern=check_ins.ConcernInput("attendance", "Late twice."))
    row = w.system(check_ins.save_check_in, data, _check_in(w), today=LATER)
    return row.concern.id


def check_due(w: World, role: str, rows: list[dto_check_ins.CheckInDue]) -> None:
    with db.read_session(w.factory, SYSTEM) as s:
        mentors = {
            r.placement_id: s.get(Placement, r.placement_id).mentor_id  # type: ignore[union-attr]
            for r in rows
        }
    assert rows and all(r.due_on is not None and r.due_on <= DUE_DAY for r in rows)
    own = {p for p, m in mentors.items() if m == w.mentor_staff}
    assert own and (own == set(mentors)) is (role == "mentor")


MATRIX: dict[str, Row] = {
    # hours: approval, pay periods, attendance, payroll, timesheets
    "approval.approve_entries": Row(
        lambda w, a: w.call(
            a, approval.approve_entries, [_entry(w, TimeEntry.approved_at.is_(None))]
        ),
        OK,
        OK,
        DENIED,
    ),
    # A week long before the sample's hours: nothing in it waits for approval.
    "approval.close_pay_period": hr_only(
        lambda w, a: w.call(a, approval.close_pay_period, date(2024, 7, 7), TODAY)
    ),
    "approval.list_pay_periods": hr_only(lambda w, a: w.call(a, approval.list_pay_periods, TODAY)),
    "hours_progress.intern_hours": read(
        lambda w, a: w.call(a, hours_progress.intern_hours, w.intern, TODAY), check_hours
    ),
    "hours_progress.intern_with_placements": read(
        lambda w, a: w.call(a, hours_progress.intern_with_placements, w.intern)
    ),
    "hours_progress.mark_absent": Row(_absent, OK, OK, DENIED),
    "hours_progress.clear_absence": Row(_clear_absence, OK, OK, DENIED),
    "payroll.payroll_rows": Row(
        lambda w, a: w.call(a, payroll.payroll_rows, date(2025, 9, 1), TODAY),
        check=check_payroll,
    ),
    "payroll.write_payroll": hr_only(
        lambda w, a: w.call(a, payroll.write_payroll, date(2025, 9, 1), TODAY, "csv", io.StringIO())
    ),
    "timesheets.timesheet_content": read(
        lambda w, a: w.call(a, timesheets.timesheet_content, w.intern, TODAY)
    ),
    "timesheets.intern_calendar": read(
        lambda w, a: w.call(a, timesheets.intern_calendar, w.intern)
    ),
    # packets: school packets (every role, a mentor their own interns'), the HR binder
    "packets.packet_targets": read(
        lambda w, a: w.call(a, packets.packet_targets, intern_id=w.intern), check_packet_targets
    ),
    "packets.school_packet_data": read(
        lambda w, a: w.call(a, packets.school_packet_data, w.intern, None, TODAY),
        check_school_packet,
    ),
    "packets.render_school_packet": read(
        lambda w, a: w.call(a, packets.render_school_packet, w.intern, None, TODAY)
    ),
    "packets.write_packet": read(
        lambda w, a: w.call(
            a, packets.write_packet, w.intern, None, w.tmp / f"{a.role}.pdf", w.path, today=TODAY
        ),
        check_packet_written,
    ),
    "packets.write_packet_apart": read(
        lambda w, a: packets.write_packet_apart(
            w.factory, a, w.intern, None, w.tmp / f"{a.role}-apart.pdf", w.path, today=TODAY
        ),
        check_packet_written,
    ),
    "packets.write_batch": read(
        lambda w, a: packets.write_batch(
            w.factory,
            a,
            w.system(packets.packet_targets, intern_id=w.intern),
            w.tmp / f"{a.role}-batch",
            w.path,
            today=TODAY,
        ),
        check_batch_written,
    ),
    "packets.write_combined": read(
        lambda w, a: w.call(
            a,
            packets.write_combined,
            w.system(packets.packet_targets, intern_id=w.intern),
            w.tmp / f"{a.role}-school.pdf",
            w.path,
            today=TODAY,
        )
    ),
    "packets.list_packets": read(lambda w, a: w.call(a, packets.list_packets, w.intern)),
    "packets.save_rendered": read(
        lambda w, a: w.call(
            a,
            packets.save_rendered,
            w.system(packets.render_school_packet, w.intern, None, TODAY),
            w.tmp / f"{a.role}-preview.pdf",
            w.path,
        ),
        check_preview_saved,
    ),
    "binders.hr_binder_data": hr_only(
        lambda w, a: w.call(a, binders.hr_binder_data, w.intern, TODAY)
    ),
    "binders.render_hr_binder": hr_only(
        lambda w, a: w.call(a, binders.render_hr_binder, w.intern, None, TODAY)
    ),
    # audit trail
    "audit_log.list_audit_events": hr_only(lambda w, a: w.call(a, audit_log.list_audit_events)),
    "audit_log.verify_audit_trail": Row(
        _verify_against_a_backup, OK, DENIED, DENIED, check=check_verified
    ),
    # accounts
    "accounts.list_accounts": Row(
        lambda w, a: w.call(a, accounts.list_accounts), check=check_accounts
    ),
    "accounts.get_account": Row(
        lambda w, a: w.call(a, accounts.get_account, w.account_ids["hr_admin"])
    ),
    "accounts.create_account": hr_only(
        lambda w, a: w.call(
            a,
            accounts.create_account,
            accounts.NewAccount("newbie", "New Bie", "viewer", "a long enough password"),
        )
    ),
    "accounts.create_demo_accounts": Row(
        lambda w, a: w.call(a, accounts.create_demo_accounts, w.mentor_staff),
        hr_admin=Conflict,  # never into a database that has accounts
    ),
    "accounts.disable_account": hr_only(
        lambda w, a: w.call(a, accounts.disable_account, w.account_ids["viewer"])
    ),
    "accounts.enable_account": hr_only(
        lambda w, a: w.call(a, accounts.enable_account, w.account_ids["viewer"])
    ),
    "accounts.reset_password": hr_only(
        lambda w, a: w.call(a, accounts.reset_password, w.account_ids["viewer"], "demo")
    ),
    "accounts.change_own_password": read(
        lambda w, a: w.call(a, accounts.change_own_password, "demo", "demo")
    ),
    "accounts.issue_token": read(lambda w, a: w.call(a, accounts.issue_token, "matrix")),
    "accounts.revoke_token": read(lambda w, a: w.call(a, accounts.revoke_token, "no such")),
    "accounts.mentor_choices": hr_only(lambda w, a: w.call(a, accounts.mentor_choices)),
    "accounts.login_delays": hr_only(lambda w, a: w.call(a, accounts.login_delays)),
    "accounts.clear_login_delay": hr_only(
        lambda w, a: w.call(a, accounts.clear_login_delay, "nobody")
    ),
    # the schedule planner and the plants' closures
    "schedules.week_plan": read(
        lambda w, a: w.call(a, schedules.week_plan, PLAN_WEEK, today=TODAY, intern_id=w.intern),
        check_week,
    ),
    "schedules.preview": hr_only(
        lambda w, a: w.call(a, schedules.preview, w.intern, [], week_start=PLAN_WEEK, today=TODAY)
    ),
    "schedules.shift_input": hr_only(
        lambda w, a: w.call(a, schedules.shift_input, _future_shift(w))
    ),
    "schedules.save_shift": hr_only(_save_shift),
    "schedules.move_shift": hr_only(_move_shift),
    "schedules.delete_shift": hr_only(
        lambda w, a: w.call(a, schedules.delete_shift, _future_shift(w), today=TODAY)
    ),
    "schedules.plan_series": hr_only(_plan_series),
    "schedules.preview_series": hr_only(_preview_series),
    "schedules.save_series": hr_only(_save_series),
    "schedules.shift_choices": hr_only(lambda w, a: w.call(a, schedules.shift_choices, w.worksite)),
    "closures.list_closures": read(lambda w, a: w.call(a, closures.list_closures)),
    "closures.add_closure": hr_only(
        lambda w, a: w.call(
            a, closures.add_closure, closures.ClosureInput(date(2026, 7, 3), None, "July 4th")
        )
    ),
    "closures.remove_closure": hr_only(_remove_closure),
    # compliance
    "compliance.check_all": Row(lambda w, a: w.call(a, compliance.check_all, TODAY), OK, OK),
    "compliance.check_intern": Row(
        lambda w, a: w.call(a, compliance.check_intern, w.intern, TODAY), OK, OK
    ),
    "compliance.check_interns": Row(
        lambda w, a: w.call(a, compliance.check_interns, [w.intern], TODAY), OK, OK
    ),
    "compliance.startup_sweep": Row(
        lambda w, a: w.call(a, compliance.startup_sweep, TODAY), OK, OK
    ),
    "compliance.recheck_stale": Row(
        lambda w, a: w.call(a, compliance.recheck_stale, TODAY), OK, OK
    ),
    "compliance.list_checklist": read(lambda w, a: w.call(a, compliance.list_checklist, w.intern)),
    "compliance.list_findings": read(
        lambda w, a: w.call(a, compliance.list_findings, w.intern), check_findings
    ),
    "compliance.update_checklist_item": Row(  # a supervising mentor ticks the supervisor's
        lambda w, a: w.call(a, compliance.update_checklist_item, w.supervisor_item, status="done"),
        OK,
        OK,
        DENIED,
    ),
    # dashboard
    "dashboard.dashboard": read(
        lambda w, a: w.call(a, dashboard.dashboard, TODAY), check_dashboard
    ),
    # the queue of what needs doing
    "queue.read_queue": read(lambda w, a: w.call(a, queue.read_queue, TODAY), check_queue),
    # directory
    "directory.archive": hr_only(
        lambda w, a: w.call(a, directory.archive, "equipment", w.equipment, today=TODAY)
    ),
    "directory.restore": hr_only(
        lambda w, a: w.call(a, directory.restore, "equipment", w.equipment)
    ),
    "directory.calendar_for_edit": read(
        lambda w, a: w.call(a, directory.calendar_for_edit, w.calendar)
    ),
    "directory.employer_input": read(lambda w, a: w.call(a, directory.employer_input)),
    "directory.equipment_input": read(
        lambda w, a: w.call(a, directory.equipment_input, w.equipment)
    ),
    "directory.list_calendars": read(lambda w, a: w.call(a, directory.list_calendars)),
    "directory.list_districts": read(lambda w, a: w.call(a, directory.list_districts)),
    "directory.list_equipment": read(lambda w, a: w.call(a, directory.list_equipment)),
    "directory.list_schools": read(lambda w, a: w.call(a, directory.list_schools)),
    "directory.list_staff": read(lambda w, a: w.call(a, directory.list_staff)),
    "directory.list_worksites": read(lambda w, a: w.call(a, directory.list_worksites)),
    "directory.school_input": read(lambda w, a: w.call(a, directory.school_input, w.school)),
    "directory.staff_input": read(lambda w, a: w.call(a, directory.staff_input, w.staff)),
    "directory.worksite_input": read(lambda w, a: w.call(a, directory.worksite_input, w.worksite)),
    # exports
    "exports.export_rows": read(
        lambda w, a: w.call(a, exports.export_rows, "interns"), check_export_rows
    ),
    "exports.write_export": read(lambda w, a: _written(w, a, "interns", "json"), check_json_export),
    # findings across interns, and HR's decisions on them
    "findings.list_finding_ids": read(
        lambda w, a: w.call(a, findings.list_finding_ids), check_finding_ids
    ),
    "findings.finding_rows": read(
        lambda w, a: w.call(a, findings.finding_rows, w.system(findings.list_finding_ids)),
        check_findings,
    ),
    "findings.list_finding_rules": read(lambda w, a: w.call(a, findings.list_finding_rules)),
    "mentoring_exports.check_in_rows": read(
        lambda w, a: w.call(a, mentoring_exports.check_in_rows), check_check_in_export
    ),
    "mentoring_exports.evaluation_rows": read(
        lambda w, a: w.call(a, mentoring_exports.evaluation_rows),
        scoped_export(mentoring_exports.evaluation_rows),
    ),
    "mentoring_exports.incident_rows": read(
        lambda w, a: w.call(a, mentoring_exports.incident_rows),
        scoped_export(mentoring_exports.incident_rows),
    ),
    "findings.export_rows": read(
        lambda w, a: w.call(a, findings.export_rows), check_finding_export
    ),
    "findings.decide_finding": hr_only(
        lambda w, a: w.call(a, findings.decide_finding, _a_warning(w), "acknowledge", "Seen.")
    ),
    "findings.revoke_decision": Row(  # nothing decided yet: HR meets the Conflict
        lambda w, a: w.call(a, findings.revoke_decision, _a_warning(w)), hr_admin=Conflict
    ),
    # incidents
    "incidents.list_incidents": read(
        lambda w, a: w.call(a, incidents.list_incidents), check_incident_rows
    ),
    "incidents.open_incidents": read(
        lambda w, a: w.call(a, incidents.open_incidents, TODAY), check_incident_rows
    ),
    "incidents.get_incident": read(
        lambda w, a: w.call(a, incidents.get_incident, w.incident), check_incident
    ),
    "incidents.incident_input": read(
        lambda w, a: w.call(a, incidents.incident_input, w.incident), check_incident
    ),
    "incidents.incident_notices": read(
        lambda w, a: w.call(
            a, incidents.incident_notices, w.placement, "injury", _incident_data(w)[1]
        )
    ),
    "incidents.incident_choices": read(
        lambda w, a: w.call(a, incidents.incident_choices, w.intern)
    ),
    "incidents.save_incident": Row(
        lambda w, a: w.call(
            a, incidents.save_incident, _incident_data(w)[0], today=_incident_data(w)[1]
        ),
        OK,
        OK,
        DENIED,
    ),
    "incidents.close_incident": hr_only(
        lambda w, a: w.call(a, incidents.close_incident, w.incident)
    ),
    "incidents.reopen_incident": Row(  # the incident is open: HR meets the Conflict
        lambda w, a: w.call(a, incidents.reopen_incident, w.incident), hr_admin=Conflict
    ),
    # intern records
    "intern_records.add_medical_note": hr_only(
        lambda w, a: w.call(a, intern_records.add_medical_note, w.intern, "Allergic to latex.")
    ),
    "intern_records.list_medical_notes": hr_only(
        lambda w, a: w.call(a, intern_records.list_medical_notes, w.intern)
    ),
    "intern_records.delete_medical_note": hr_only(
        lambda w, a: w.call(a, intern_records.delete_medical_note, w.note)
    ),
    "intern_records.list_releases": Row(
        lambda w, a: w.call(a, intern_records.list_releases, w.intern), OK, DENIED, OK
    ),
    "intern_records.release_input": hr_only(
        lambda w, a: w.call(a, intern_records.release_input, w.release)
    ),
    "intern_records.save_release": hr_only(
        lambda w, a: w.call(
            a,
            intern_records.save_release,
            w.intern,
            w.system(intern_records.release_input, w.release),
            w.release,
            today=TODAY,
        )
    ),
    "intern_records.delete_release": hr_only(
        lambda w, a: w.call(a, intern_records.delete_release, w.release)
    ),
    "intern_records.intern_input": hr_only(
        lambda w, a: w.call(a, intern_records.intern_input, w.intern)
    ),
    "intern_records.update_intern": hr_only(
        lambda w, a: w.call(
            a,
            intern_records.update_intern,
            w.intern,
            w.system(intern_records.intern_input, w.intern),
            TODAY,
        )
    ),
    "intern_records.save_intern": hr_only(
        lambda w, a: w.call(
            a,
            intern_records.save_intern,
            w.intern,
            w.system(intern_records.intern_input, w.intern),
            w.system(intern_records.contact_inputs, w.intern),
            TODAY,
        )
    ),
    "intern_records.contact_inputs": hr_only(
        lambda w, a: w.call(a, intern_records.contact_inputs, w.intern)
    ),
    "intern_records.save_contacts": hr_only(
        lambda w, a: w.call(
            a,
            intern_records.save_contacts,
            w.intern,
            w.system(intern_records.contact_inputs, w.intern),
        )
    ),
    "intern_records.archive_intern": hr_only(
        lambda w, a: w.call(a, intern_records.archive_intern, w.intern, today=TODAY)
    ),
    "intern_records.restore_intern": hr_only(
        lambda w, a: w.call(a, intern_records.restore_intern, w.intern)
    ),
    # interns
    "interns.list_intern_ids": read(lambda w, a: w.call(a, interns.list_intern_ids), check_ids),
    "interns.intern_rows": read(
        lambda w, a: w.call(a, interns.intern_rows, w.system(interns.list_intern_ids), TODAY),
        check_intern_rows,
    ),
    "interns.get_intern": read(
        lambda w, a: w.call(a, interns.get_intern, w.intern, TODAY), check_intern_detail
    ),
    "interns.create_intern": hr_only(
        lambda w, a: w.call(
            a,
            interns.create_intern,
            interns.InternInput("Nia", "New", date(2009, 5, 6), w.school),
            TODAY,
        )
    ),
    # new term
    "new_term.preview_new_term": hr_only(
        lambda w, a: w.call(a, new_term.preview_new_term, _new_term(), TODAY)
    ),
    "new_term.apply_new_term": hr_only(
        lambda w, a: w.call(a, new_term.apply_new_term, _new_term(), TODAY)
    ),
    # onboarding
    "onboarding.onboarding_status": read(
        lambda w, a: w.call(a, onboarding.onboarding_status, TODAY)
    ),
    "onboarding.list_plan_items": read(
        lambda w, a: w.call(a, onboarding.list_plan_items, w.intern, TODAY)
    ),
    "onboarding.update_plan_item": Row(  # a mentor ticks the mentor's steps of their interns
        lambda w, a: w.call(a, onboarding.update_plan_item, w.mentor_step, done=True, today=TODAY),
        OK,
        OK,
        DENIED,
    ),
    "onboarding.set_wizard_position": hr_only(
        lambda w, a: w.call(a, onboarding.set_wizard_position, "staff")
    ),
    # placements
    "placements.list_placements": read(
        lambda w, a: w.call(a, placements.list_placements), check_placements
    ),
    "placements.placement_detail": read(
        lambda w, a: w.call(a, placements.placement_detail, w.placement)
    ),
    "placements.placement_input": hr_only(
        lambda w, a: w.call(a, placements.placement_input, w.placement)
    ),
    "placements.save_placement": hr_only(
        lambda w, a: w.call(
            a,
            placements.save_placement,
            w.system(placements.placement_input, w.placement),
            w.placement,
            today=TODAY,
        )
    ),
    "placements.preview_placement": hr_only(
        lambda w, a: w.call(
            a,
            placements.preview_placement,
            w.system(placements.placement_input, w.placement),
            w.placement,
            today=TODAY,
        )
    ),
    "placements.assignment_options": read(
        lambda w, a: w.call(a, placements.assignment_options, w.worksite)
    ),
    "placements.checked_values": hr_only(
        lambda w, a: w.call(
            a,
            placements.checked_values,
            # As a new placement: without the stored one's badge, which is open.
            replace(w.system(placements.placement_input, w.placement), badge=None),
            None,
            today=TODAY,
        )
    ),
    "placements.create_placements": hr_only(
        lambda w, a: w.call(a, placements.create_placements, [])
    ),
    "placements.archive_placement": hr_only(
        lambda w, a: w.call(a, placements.archive_placement, w.placement, today=TODAY)
    ),
    "placements.restore_placement": hr_only(
        lambda w, a: w.call(a, placements.restore_placement, w.placement, today=TODAY)
    ),
    # plans
    # Read by anyone; only created (the first time) by a role that may edit records.
    "plans.default_template": read(lambda w, a: w.call(a, plans.default_template)),
    "plans.plan_placements": hr_only(lambda w, a: w.call(a, plans.plan_placements, [])),
    "plans.template_for_edit": read(lambda w, a: w.call(a, plans.template_for_edit)),
    "plans.save_template": hr_only(
        lambda w, a: w.call(a, plans.save_template, w.system(plans.template_for_edit).steps)
    ),
    "plans.reset_template_to_default": hr_only(
        lambda w, a: w.call(a, plans.reset_template_to_default)
    ),
    # set-up
    "setup.save_employer": hr_only(
        lambda w, a: w.call(a, setup.save_employer, w.system(directory.employer_input))
    ),
    "setup.save_worksite": hr_only(
        lambda w, a: w.call(
            a, setup.save_worksite, w.system(directory.worksite_input, w.worksite), w.worksite
        )
    ),
    "setup.add_area": hr_only(
        lambda w, a: w.call(a, setup.add_area, setup.AreaInput(w.worksite, "Mezzanine", "office"))
    ),
    "setup.save_equipment": hr_only(
        lambda w, a: w.call(
            a, setup.save_equipment, w.system(directory.equipment_input, w.equipment), w.equipment
        )
    ),
    "setup.save_staff": hr_only(
        lambda w, a: w.call(
            a, setup.save_staff, w.system(directory.staff_input, w.staff), w.staff, today=TODAY
        )
    ),
    "setup.save_school": hr_only(
        lambda w, a: w.call(
            a, setup.save_school, w.system(directory.school_input, w.school), w.school
        )
    ),
    "setup.save_calendar": hr_only(_save_calendar),
    # logged hours: HR and the intern's mentor log them; everyone reads them
    "time_entries.save_time_entry": Row(_log_hours, OK, OK, DENIED),
    "time_entries.delete_time_entry": Row(_delete_entry, OK, OK, DENIED),
    "time_entries.time_entry_input": read(
        lambda w, a: w.call(a, time_entries.time_entry_input, _entry_id(w))
    ),
    "time_entries.list_time_entries": read(
        lambda w, a: w.call(a, time_entries.list_time_entries, w.intern), check_entries
    ),
    "time_entries.time_entry_choices": Row(
        lambda w, a: w.call(a, time_entries.time_entry_choices, w.intern), OK, OK, DENIED
    ),
    # check-ins, their topics and cadences
    "check_ins.list_check_ins": read(
        lambda w, a: w.call(a, check_ins.list_check_ins, _noted(w)), check_notes
    ),
    "check_ins.get_check_in": read(lambda w, a: w.call(a, check_ins.get_check_in, _check_in(w))),
    "check_ins.check_in_input": Row(
        lambda w, a: w.call(a, check_ins.check_in_input, _check_in(w)), OK, OK, DENIED
    ),
    "check_ins.check_in_choices": read(lambda w, a: w.call(a, check_ins.check_in_choices)),
    "check_ins.save_check_in": Row(_save_check_in, OK, OK, DENIED),
    "check_ins.set_action_done": Row(
        lambda w, a: w.call(a, check_ins.set_action_done, _action(w, a), TODAY, today=LATER),
        OK,
        OK,
        DENIED,
    ),
    "check_ins.resolve_concern": hr_only(
        lambda w, a: w.call(a, check_ins.resolve_concern, _concern(w, a), "Called the school.")
    ),
    "check_ins.open_concerns": read(lambda w, a: w.call(a, check_ins.open_concerns)),
    "check_ins.open_action_items": read(lambda w, a: w.call(a, check_ins.open_action_items, LATER)),
    "check_ins.mandated_reporting": read(
        lambda w, a: w.call(a, check_ins.mandated_reporting, w.placement)
    ),
    "check_in_topics.list_topics": read(lambda w, a: w.call(a, check_in_topics.list_topics)),
    "check_in_topics.save_topics": hr_only(
        lambda w, a: w.call(
            a,
            check_in_topics.save_topics,
            (
                *(
                    check_in_topics.TopicInput(r.key, r.name)
                    for r in check_in_topics.default_topics()
                ),
                check_in_topics.TopicInput(None, "Attendance"),
            ),
        )
    ),
    "cadences.placement_cadence": read(
        lambda w, a: w.call(a, cadences.placement_cadence, w.placement)
    ),
    "cadences.save_cadence": Row(
        lambda w, a: w.call(
            a, cadences.save_cadence, w.placement, cadences.CadenceInput(None, ("tue", "thu"))
        ),
        OK,
        OK,
        DENIED,
    ),
    "cadences.due_check_ins": read(
        lambda w, a: w.call(a, cadences.due_check_ins, DUE_DAY), check_due
    ),
    "cadences.due_dates": read(lambda w, a: w.call(a, cadences.due_dates, DUE_DAY), check_due),
    "cadences.check_in_targets": Row(
        lambda w, a: w.call(a, cadences.check_in_targets, DUE_DAY), OK, OK, DENIED
    ),
    "cadences.next_check_in": read(
        lambda w, a: w.call(a, cadences.next_check_in, w.intern, DUE_DAY)
    ),
    "cadences.check_in_target": Row(
        lambda w, a: w.call(a, cadences.check_in_target, w.placement, DUE_DAY), OK, OK, DENIED
    ),
    # the roster import and backups
    "roster.import_roster": hr_only(_roster),
    "hours.import_hours": hr_only(_clock_file),
    "backups.make_backup": hr_only(_make_backup),
    "backups.restore": hr_only(_restore),
    # record retention (HR admins: MAINTAIN_DATABASE)
    "retention.retention_years": hr_only(lambda w, a: w.call(a, retention.retention_years)),
    "retention.set_retention_years": hr_only(
        lambda w, a: w.call(a, retention.set_retention_years, 4)
    ),
    "retention.due_count": hr_only(lambda w, a: w.call(a, retention.due_count, TODAY)),
    "retention.propose_purge": hr_only(lambda w, a: w.call(a, retention.propose_purge, TODAY)),
    "retention.purge": hr_only(_purge),
}


# -- progress (issue 14): HR all; a mentor their own interns' goals, evaluations (as
# evaluator) and closing notes, the rest read; a viewer reads


def _essential(w: World) -> dto_progress.FrameworkRow:
    return next(r for r in w.system(frameworks.list_frameworks) if r.key == "il-eesf")


def _evaluate(w: World, a: Actor) -> Any:
    framework = _essential(w)
    rubric = tuple(evaluations.RatingInput(c.id, 2) for c in framework.active_competencies)
    data = evaluations.EvaluationInput(w.placement, "progress", framework.id, TODAY, rubric)
    return w.call(a, evaluations.save_evaluation, data)


def _save_framework(w: World, a: Actor) -> Any:
    row = _essential(w)
    kept = tuple(
        frameworks.CompetencyInput(c.key, c.name, c.category, c.description, c.id)
        for c in row.competencies
    )
    data = frameworks.FrameworkInput(
        row.key, row.name, row.version, row.scale_max, row.source, kept
    )
    return w.call(a, frameworks.save_framework, data, row.id)


def check_due_evaluations(w: World, role: str, rows: list[dto_progress.EvaluationDue]) -> None:
    everyone = {d.intern_id for d in w.system(evaluations.due_evaluations, TODAY)}
    assert {d.intern_id for d in rows} <= everyone
    if role == "mentor":
        assert w.stranger not in {d.intern_id for d in rows}


def check_due_evaluation_dates(w: World, role: str, rows: list[tuple[Any, str, Any]]) -> None:
    named = w.system(evaluations.due_evaluations, TODAY)
    assert {(row.id, kind) for row, kind, _ in rows} <= {(d.placement_id, d.kind) for d in named}
    if role == "mentor":
        assert w.stranger not in {row.intern_id for row, _, _ in rows}


def check_progress(w: World, role: str, p: dto_progress.ProgressOverview) -> None:
    assert p.intern_id == w.intern and p.placements
    assert ("evaluations" in p.may) is (role != "viewer")
    assert ("site_visits" in p.may) is (role == "hr_admin")
    # as forms.save_reference_letter allows: HR and the intern's mentor
    assert ("reference_letter" in p.may) is (role != "viewer")


PROGRESS_ROWS = {
    "frameworks.install_shipped": hr_only(lambda w, a: w.call(a, frameworks.install_shipped)),
    "frameworks.list_frameworks": read(lambda w, a: w.call(a, frameworks.list_frameworks)),
    "frameworks.framework_row": read(
        lambda w, a: w.call(a, frameworks.framework_row, _essential(w).id)
    ),
    "frameworks.save_framework": hr_only(_save_framework),
    "goals.list_goals": read(lambda w, a: w.call(a, goals.list_goals, w.intern, TODAY)),
    "goals.save_goal": Row(
        lambda w, a: w.call(
            a, goals.save_goal, goals.GoalInput(w.placement, "Read a print"), today=TODAY
        ),
        OK,
        OK,
        DENIED,
    ),
    "evaluations.list_evaluations": read(
        lambda w, a: w.call(a, evaluations.list_evaluations, w.intern)
    ),
    "evaluations.evaluation_frameworks": read(
        lambda w, a: w.call(a, evaluations.evaluation_frameworks)
    ),
    "evaluations.save_evaluation": Row(_evaluate, OK, OK, DENIED),
    "evaluations.due_evaluations": read(
        lambda w, a: w.call(a, evaluations.due_evaluations, TODAY), check_due_evaluations
    ),
    "evaluations.due_evaluation_dates": read(
        lambda w, a: w.call(a, evaluations.due_evaluation_dates, TODAY),
        check_due_evaluation_dates,
    ),
    "outcomes.save_site_visit": hr_only(
        lambda w, a: w.call(
            a, outcomes.save_site_visit, outcomes.SiteVisitInput(w.placement, TODAY, "Ms. Hale")
        )
    ),
    # A mentor writes closing notes only once HR recorded the end (a ValidationError).
    "outcomes.save_outcome": Row(
        lambda w, a: w.call(
            a,
            outcomes.save_outcome,
            outcomes.OutcomeInput(w.placement, "completed", TODAY, exit_reflection="Learned."),
            today=TODAY,
        ),
        OK,
        ValidationError,
        DENIED,
    ),
    "progress.intern_progress": read(
        lambda w, a: w.call(a, progress.intern_progress, w.intern, TODAY), check_progress
    ),
}
MATRIX.update(PROGRESS_ROWS)


# -- schools' own forms (issue 15): HR registers and maps; anyone who prints fills


def _school_form(w: World) -> int:
    """A form of the school of the mentor's intern's placement, registered and mapped."""
    with db.read_session(w.factory, SYSTEM) as s:
        placement = s.get(Placement, w.placement)
        assert placement is not None
        school = placement.school_id
    data = school_forms.SchoolFormInput(school, "WBL form", "wbl.pdf", school_form())
    form: int = w.system(school_forms.register_form, data).form.id
    mapping = {"student_name": "intern.legal_name", "birth_date": "intern.birth_date"}
    w.system(school_forms.save_mapping, form, mapping)
    return form


def _form_for(w: World, actor: Actor, permission: Permission) -> int:
    """A registered form where the role may act on it; else an id the refusal never
    reads (registering one first would write before the refusal is counted)."""
    return _school_form(w) if actor.can(permission) else 10**6


def check_form_preview(w: World, role: str, rows: list[school_forms.PreviewRow]) -> None:
    values = {r.field_name: r.value for r in rows}
    assert values["student_name"]
    assert (values["birth_date"] is None) is (role == "mentor")


def check_form_catalogue(w: World, role: str, values: dict[str, str | None]) -> None:
    hidden = ("intern.birth_date", "intern.address", "guardian.name", "emergency.phone")
    assert all((values[k] is None) is (role == "mentor") for k in hidden)
    assert values["intern.legal_name"] and values["school.name"]


def check_form_list(w: World, role: str, rows: list[school_forms.SchoolFormRow]) -> None:
    assert [(r.name, r.mapped) for r in rows] == [("WBL form", 2)]


def check_form_interns(w: World, role: str, rows: list[school_forms.FormIntern]) -> None:
    assert w.intern in {r.intern_id for r in rows}
    if role == "mentor":
        with db.read_session(w.factory, SYSTEM) as s:
            own = set(
                s.scalars(select(Placement.intern_id).where(Placement.mentor_id == w.mentor_staff))
            )
        assert {r.intern_id for r in rows} <= own


def check_filled(w: World, role: str, filled: school_forms.FilledForm) -> None:
    assert filled.intern_id == w.intern and filled.content.startswith(b"%PDF-")
    assert filled.withheld == (("birth_date",) if role == "mentor" else ())


SCHOOL_FORM_ROWS: dict[str, Row] = {
    "school_forms.register_form": hr_only(
        lambda w, a: w.call(
            a,
            school_forms.register_form,
            school_forms.SchoolFormInput(w.school, "WBL form", "wbl.pdf", school_form()),
        )
    ),
    "school_forms.save_mapping": hr_only(
        lambda w, a: w.call(
            a,
            school_forms.save_mapping,
            _form_for(w, a, Permission.EDIT_RECORDS),
            {"grade": "intern.grade"},
            True,
        )
    ),
    "school_forms.delete_form": hr_only(
        lambda w, a: w.call(a, school_forms.delete_form, _form_for(w, a, Permission.EDIT_RECORDS))
    ),
    "school_forms.list_forms": read(
        lambda w, a: (_school_form(w), w.call(a, school_forms.list_forms))[1],
        check_form_list,
    ),
    "school_forms.form_detail": read(
        lambda w, a: w.call(a, school_forms.form_detail, _school_form(w))
    ),
    "school_forms.form_interns": read(
        lambda w, a: w.call(a, school_forms.form_interns, _school_form(w)), check_form_interns
    ),
    "school_forms.preview_values": read(
        lambda w, a: w.call(a, school_forms.preview_values, _school_form(w), w.intern, TODAY),
        check_form_preview,
    ),
    "school_forms.preview_catalogue": read(
        lambda w, a: w.call(a, school_forms.preview_catalogue, _school_form(w), w.intern, TODAY),
        check_form_catalogue,
    ),
    # Filling prints (PRINT_PACKETS): HR, a viewer (who sees birth dates), a mentor for
    # their own interns, the birth date withheld.
    "school_forms.fill_form": Row(
        lambda w, a: w.call(
            a,
            school_forms.fill_form,
            _form_for(w, a, Permission.PRINT_PACKETS),
            w.intern,
            TODAY,
        ),
        OK,
        OK,
        OK,
        check_filled,
    ),
}
MATRIX.update(SCHOOL_FORM_ROWS)


def check_consent_form(w: World, role: str, content: Any) -> None:
    """A pre-filled parental consent: only roles that see birth dates and guardians
    get one (a mentor is refused before anything is read)."""
    assert content.prefilled and content.value("birth_date") and content.table("contacts")


# -- forms (issue 15): pre-filled forms follow the role's view
FORM_ROWS = {
    "forms.form_content": Row(
        lambda w, a: w.call(
            a, forms.form_content, "parental-consent", today=TODAY, intern_id=w.intern
        ),
        OK,
        DENIED,
        OK,
        check_consent_form,
    ),
    "forms.reference_letter": Row(
        lambda w, a: w.call(a, forms.reference_letter, w.placement, today=TODAY), OK, OK, DENIED
    ),
    "forms.save_reference_letter": Row(
        lambda w, a: w.call(
            a, forms.save_reference_letter, w.placement, "A fine intern.", today=TODAY
        ),
        OK,
        OK,
        DENIED,
    ),
}
MATRIX.update(FORM_ROWS)


def _student_learner_terms(w: World, actor: Actor) -> Any:
    """Record the terms of the sample's first student-learner placement's agreement."""
    with db.read_session(w.factory, SYSTEM) as s:
        placement = _first(s, select(Placement.id).where(Placement.program == "student_learner"))
    data = student_learner.StudentLearnerInput(placement, vocational_program="Welding co-op")
    return w.call(actor, student_learner.save_student_learner_agreement, data, today=TODAY)


MATRIX.update(
    {
        "student_learner.student_learner_input": read(
            lambda w, a: w.call(a, student_learner.student_learner_input, w.placement)
        ),
        "student_learner.save_student_learner_agreement": hr_only(_student_learner_terms),
    }
)


def _written(w: World, actor: Actor, entity: str, fmt: str) -> str:
    stream = io.StringIO()
    w.call(actor, exports.write_export, entity, fmt, stream)
    return stream.getvalue()


#: Public functions that take no acting user, and why no role check applies.
NO_ROLE_CHECK: dict[str, str] = {
    "packets.slug": "pure: a name as an ASCII file name",
    "packets.file_name": "pure: a packet's file name",
    "packets.school_file_name": "pure: a combined school file's name",
    "packets.per_intern": "pure: one target per intern, of targets the core built",
    # logging in and the first run: there is no acting user yet
    "accounts.log_in": "logging in: proves who the acting user is",
    "accounts.log_in_with_token": "logging in with a remembered token",
    "accounts.create_first_admin": "the first run: only while no account exists (Conflict after)",
    "accounts.bootstrap_admin": "the first run (create_first_admin in its own unit of work)",
    "accounts.has_accounts": "whether the first run is still to come",
    "accounts.any_accounts": "whether the first run is still to come",
    "accounts.actor_for": "builds the acting user of an account",
    "accounts.hash_password": "pure: hashes a password",
    "accounts.password_problems": "pure: the password policy",
    "accounts.normalize_username": "pure",
    # helpers of services that check the role themselves (no session work of their own)
    "approval.may_approve": "pure: whether an actor may approve an entry already read",
    "case_facts.case_hash": "pure: the rules engine's input hash",
    "case_facts.district_calendar": "helper of check_intern: reads a school calendar",
    "case_facts.placement_cases": "helper of check_intern, which checks visibility first",
    "schedules.moved_breaks": "pure: a shift's breaks after a move or a resize",
    "case_facts.span_facts": "helper of check_intern and the planner: facts of given rows",
    "case_facts.staff_21_or_older": "pure: a staff record's attested age status",
    "cadences.next_due": "pure: the next due date among a cadence's",
    "check_in_topics.stored_topics": "helper of the check-in services, which check the role",
    "compliance.mark_stale": "helper of the writes that change a check's inputs (they check)",
    "compliance.interns_of_district": "helper of save_calendar: whose checks read a calendar",
    "dashboard.is_empty": "whether the database holds any record (the welcome page)",
    "directory.task_catalog": "the rule packs' task catalog (law, not records)",
    "exports.hidden_columns": "pure: which columns the role may not see",
    "exports.postal_address": "pure formatting",
    "interns.contact_row": "ORM to DTO, for services that checked the role",
    "interns.name_columns": "pure: folded search and sort names",
    "interns.next_rule_change": "pure date arithmetic",
    "interns.placement_rows": "helper: rows for ids its callers checked visibility of",
    "interns.validate_new_intern": "helper: field checks of create/update, which check the role",
    "interns.visible_interns": "the query filter every service applies for the actor",
    "interns.visible_placements": "the same filter for a query over placements",
    "onboarding.plan_due_row": "ORM row to DTO",
    "onboarding.plan_query": "the query filter (visible interns) of plan services",
    "onboarding.wizard_finished": "app state: whether the set-up wizard ran (no records)",
    "onboarding.wizard_position": "app state: the set-up wizard's page (no records)",
    "placements.assess_primary_beneficiary": "pure: reads answers against the rule pack",
    "placements.settle_status": "helper of the services that save placements (they check the role)",
    "placements.settle_statuses": "settle_status for many: the roster import (it checks the role)",
    "placement_status.blocked": "pure: the decisions table over findings",
    "placement_status.settle": "pure: the decisions table over findings",
    "assignments.as_inputs": "ORM to input, for placement_input (which checks the role)",
    "assignments.assignment_options": "helper of placements.assignment_options (checks the role)",
    "assignments.checked_assignments": "helper: field checks of checked_values (checks the role)",
    "assignments.write_assignments": "helper of save_placement, which checks the role",
    "case_facts.assignment_tasks": "pure: a placement's assignments as the engine's facts",
    "case_facts.preview_case": "helper of preview_placement, which checks role and visibility",
    "case_facts.probe_days": "pure date arithmetic",
    "plans.plan_columns": "pure: a plan template laid out for insertion",
    "step_owners.step_rights": "helper of the plan and checklist services (they check the role)",
    "queue_registry.records": "pure: a queue kind's select, scoped by the kind (read_queue checks)",
    "plans.plan_rows": "pure: a plan template laid out for insertion",
    "setup.calendar_input": "a school calendar (public) as input for a copy; saving checks",
    "setup.equipment_row": "ORM to DTO",
    "setup.worksite_row": "ORM to DTO",
    "roster.parse_mappings": "pure: parses --map options",
    "hours.parse_mappings": "pure: parses --map options",
    "retention.table_label": "pure: a table's plain name",
    # automatic (system) backups and file checks: no records are read
    "backups.backup_dir_for": "a folder name",
    "backups.daily_backup_due": "whether today's automatic backup is due (file dates)",
    "backups.list_backups": "lists backup files (names, sizes, dates)",
    "backups.key_problem": "whether a backup file opens with a key (reads no record)",
    "backups.rotate": "the automatic backups' 7 daily / 4 weekly rotation",
    "backups.run_daily_backup": "the automatic daily backup, which the app runs as the system",
    "backups.verify_backup": "integrity and schema check of a file",
    # progress (issue 14)
    "frameworks.verification_label": "pure: a verification marker in words",
    "goals.goal_rows": "ORM to DTO, for services that checked the role",
    "evaluations.evaluation_rows": "ORM to DTO, for services that checked the role",
    "evaluations.due_dates": "pure date arithmetic",
    "outcomes.visit_rows": "ORM to DTO, for services that checked the role",
    "outcomes.outcome_row": "ORM to DTO",
    "progress.visible_placement_ids": "the query filter (visible interns) of progress services",
    "progress.placement_for": "the scope check of the progress writes (they check the role)",
    # forms (issue 15)
    "forms.list_forms": "pure: the shipped form texts' names and titles",
}


def test_every_entry_point_has_a_row() -> None:
    found = entry_points("internhost.core.storage.backups")
    listed = set(MATRIX) | set(NO_ROLE_CHECK)
    missing = sorted(found - listed)
    assert not missing, (
        f"service entry points without a row in test_permissions_matrix.py: {missing}; "
        "add each to MATRIX (called as every role) or to NO_ROLE_CHECK (with the reason)"
    )
    assert not sorted(listed - found), "rows for entry points that no longer exist"
    assert not set(MATRIX) & set(NO_ROLE_CHECK)


def test_rows_that_take_an_actor_are_in_the_matrix() -> None:
    """A function with an ``actor`` parameter acts for someone: it belongs in MATRIX,
    unless it only builds a query or a row for services that check the role."""
    builders = {
        "interns.visible_interns",
        "interns.visible_placements",
        "onboarding.plan_query",
        "exports.hidden_columns",
        "approval.may_approve",  # the can_approve flag of the rows services build
        "step_owners.step_rights",  # the may_tick and statuses of the rows services build
        "progress.visible_placement_ids",
        "progress.placement_for",
    }
    for key in NO_ROLE_CHECK:
        module, name = key.split(".")
        path = {
            "roster": "importers.roster",
            "hours": "importers.hours",
            "backups": "storage.backups",
        }.get(module, f"services.{module}")
        function = getattr(importlib.import_module(f"internhost.core.{path}"), name)
        takes_actor = "actor" in inspect.signature(function).parameters
        assert not takes_actor or key in builders, key


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_service_as_each_role(world: World, key: str, role: str) -> None:
    row = MATRIX[key]
    actor = world.actors[role]
    expected = row.expect(role)
    before = world.events()
    if expected == OK:
        result = row.call(world, actor)
        if row.check is not None:
            row.check(world, role, result)
        return
    with pytest.raises(expected) as caught:
        row.call(world, actor)
    if expected is DENIED:
        # One line naming what the role may not do; nothing written but the audit
        # event of the refusal itself, by that user, naming what was refused.
        assert str(caught.value).startswith(f"a {role.replace('_', ' ')} may not "), caught.value
        assert world.events() == before + 1
        refusal = world.newest_event()
        assert (refusal.aggregate_type, refusal.actor_name) == ("refusal", actor.name)
        assert str(caught.value) in refusal.payload


# -- beyond the matrix


def test_a_mentor_meets_not_found_for_other_interns(world: World) -> None:
    mentor = world.actors["mentor"]
    calls = [
        (interns.get_intern, world.stranger, TODAY),
        (compliance.list_findings, world.stranger),
        (compliance.list_checklist, world.stranger),
        (compliance.check_intern, world.stranger, TODAY),
        (compliance.check_interns, [world.intern, world.stranger], TODAY),
        (onboarding.list_plan_items, world.stranger, TODAY),
        (placements.placement_detail, world.stranger_placement),
        (forms.reference_letter, world.stranger_placement),
    ]
    for service, *args in calls:
        with pytest.raises(NotFound):
            world.call(
                mentor,
                service,
                *args,
                **({"today": TODAY} if service is forms.reference_letter else {}),
            )
    with pytest.raises(NotFound):
        world.call(mentor, forms.form_content, "timesheet", today=TODAY, intern_id=world.stranger)
    with pytest.raises(NotFound):
        world.call(mentor, schedules.week_plan, PLAN_WEEK, today=TODAY, intern_id=world.stranger)
    assert world.call(mentor, placements.list_placements, intern_id=world.stranger) == []
    assert world.call(mentor, interns.intern_rows, [world.stranger], TODAY) == []


def test_a_mentor_ticks_only_mentors_steps(world: World) -> None:
    mentor = world.actors["mentor"]
    with pytest.raises(PermissionDenied, match="a mentor may tick only the steps a mentor owns"):
        world.call(mentor, onboarding.update_plan_item, world.hr_step, done=True, today=TODAY)


def test_a_mentor_changes_only_the_supervisors_checklist_items(world: World) -> None:
    mentor = world.actors["mentor"]
    with db.read_session(world.factory, SYSTEM) as s:
        hrs = _first(
            s,
            select(ChecklistItem.id).where(
                ChecklistItem.placement_id == world.placement, ChecklistItem.owner_role == "hr"
            ),
        )
        strangers = _first(
            s,
            select(ChecklistItem.id).where(ChecklistItem.placement_id == world.stranger_placement),
        )
    with pytest.raises(PermissionDenied, match="only the checklist items the supervisor owns"):
        world.call(mentor, compliance.update_checklist_item, hrs, status="done")
    with pytest.raises(PermissionDenied, match="HR's decision"):
        world.call(mentor, compliance.update_checklist_item, world.supervisor_item, status="waived")
    with pytest.raises(NotFound):
        world.call(mentor, compliance.update_checklist_item, strangers, status="done")


def test_the_first_run_services_refuse_once_accounts_exist(world: World) -> None:
    with pytest.raises(Conflict):
        accounts.bootstrap_admin(world.factory, "mallory", "a long enough password")
    assert accounts.any_accounts(world.factory)


def test_the_roles_table() -> None:
    """The issue's roles, as the permission table grants them."""
    hr, mentor, viewer = (ROLE_PERMISSIONS[r] for r in (Role.HR_ADMIN, Role.MENTOR, Role.VIEWER))
    assert hr == frozenset(Permission)
    hr_only_permissions = {
        Permission.EDIT_RECORDS,
        Permission.IMPORT,
        Permission.MANAGE_ACCOUNTS,
        Permission.MAINTAIN_DATABASE,
        Permission.READ_AUDIT,
        Permission.LOAD_SAMPLE_DATA,
        Permission.SEE_MEDICAL,
        Permission.SEE_INTERNAL_NOTES,
        Permission.PRINT_HR_BINDER,
    }
    assert not (mentor | viewer) & hr_only_permissions
    assert mentor == {
        Permission.READ_RECORDS,
        Permission.LOG_MENTORING,
        Permission.TICK_OWN_STEPS,
        Permission.APPROVE_HOURS,
        Permission.RUN_CHECKS,
        # issue 15: school packets of their own interns
        Permission.PRINT_PACKETS,
    }
    assert viewer == {
        Permission.READ_RECORDS,
        Permission.SEE_BIRTH_DATES,
        Permission.SEE_CONTACT_DETAILS,
        Permission.SEE_SCHOOL_RECORDS,
        Permission.PRINT_PACKETS,
    }


def test_worker_processes_get_the_actor_as_a_picklable_value(world: World) -> None:
    import pickle

    for actor in world.actors.values():
        assert pickle.loads(pickle.dumps(actor)) == actor
        assert actor.role is not Role.SYSTEM
