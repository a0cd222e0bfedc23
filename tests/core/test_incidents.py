"""Incidents and injuries (LEGAL.md C19): recording them, the notification checklist
the packs decide (the IDOL report only for an under-16 the Illinois Act covers),
treatment kept to HR, closing refused while a notice is open, and the roles."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import Area, AuditEvent, Incident, Placement
from internhost.core.rules.incident_notices import NOTICE_KEYS, all_notices
from internhost.core.rules.packs import find_rule
from internhost.core.services import incidents, interns, setup
from internhost.core.services.incidents import IncidentInput, NoticeInput
from internhost.core.storage import db

TODAY = date(2025, 11, 20)
WHEN = datetime(2025, 11, 3, 10, 15)
VIEWER = Actor(Role.VIEWER, "Vera Viewer")


@dataclass
class World:
    factory: sessionmaker[Session]
    il_site: int
    in_site: int
    press_area: int
    other_area: int
    mentor: int
    #: A 15-year-old employed in Illinois: the Act covers them.
    young: int
    #: A 15-year-old in school-directed work-based learning in Illinois: 206/20(e).
    wbl: int
    #: A 15-year-old at the Indiana plant.
    indiana: int
    #: A 16-year-old in Illinois.
    older: int
    #: Another mentor's intern.
    stranger: int

    def mentor_actor(self) -> Actor:
        return Actor(Role.MENTOR, "Mo Mentor", staff_id=self.mentor)


def _placement(s: Session, intern: int, school: int, site: int, mentor: int, program: str) -> int:
    p = Placement(
        intern_id=intern,
        school_id=school,
        worksite_id=site,
        mentor_id=mentor,
        start_date=date(2025, 9, 1),
        end_date=date(2026, 5, 29),
        program=program,
    )
    s.add(p)
    s.flush()
    return p.id


@pytest.fixture
def world(factory) -> World:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping"))
        il = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput(
                "Plant 1", "IL", "America/Chicago", areas=(("Press line", "production"),)
            ),
        )
        indiana = setup.save_worksite(
            s,
            SYSTEM,
            setup.WorksiteInput(
                "Plant 2", "IN", "America/Chicago", areas=(("Dock", "production"),)
            ),
        )
        setup.save_calendar(
            s,
            SYSTEM,
            setup.CalendarInput(
                "District 1", "2025-26", date(2025, 8, 20), date(2026, 6, 5), time(8), time(15)
            ),
        )
        school = setup.save_school(s, SYSTEM, setup.SchoolInput("Central High", "District 1"))
        mentor = setup.save_staff(
            s, SYSTEM, setup.StaffInput("Mo", "Mentor", "mentor", email="mo@acme.test"), today=TODAY
        )
        other = setup.save_staff(
            s, SYSTEM, setup.StaffInput("Ola", "Other", "mentor", email="o@acme.test"), today=TODAY
        )
        ids = {}
        for key, born in (
            ("young", date(2010, 3, 1)),
            ("wbl", date(2010, 4, 1)),
            ("indiana", date(2010, 5, 1)),
            ("older", date(2009, 5, 5)),
            ("stranger", date(2010, 6, 1)),
        ):
            ids[key] = interns.create_intern(
                s,
                SYSTEM,
                interns.InternInput(key.title(), "Test", born, school, student_id=key),
                TODAY,
            ).id
        placements = {
            "young": _placement(s, ids["young"], school, il.id, mentor, "employment"),
            "wbl": _placement(s, ids["wbl"], school, il.id, mentor, "school_wbl"),
            "indiana": _placement(s, ids["indiana"], school, indiana.id, mentor, "employment"),
            "older": _placement(s, ids["older"], school, il.id, mentor, "employment"),
            "stranger": _placement(s, ids["stranger"], school, il.id, other, "employment"),
        }
        areas = dict(s.execute(select(Area.name, Area.id)).all())
    return World(
        factory,
        il.id,
        indiana.id,
        areas["Press line"],
        areas["Dock"],
        mentor,
        **placements,
    )


def _injury(placement: int, **changes: object) -> IncidentInput:
    data = IncidentInput(
        placement_id=placement,
        kind="injury",
        occurred_at=WHEN,
        description="Cut on the left hand from a burr on a blank.",
        body_part="Left hand",
        treatment="First aid: cleaned and bandaged by the safety lead.",
        told_whom="Supervisor Dee; safety lead",
    )
    return replace(data, **changes)


def _call(w: World, actor: Actor, service, *args, **kwargs):
    with db.unit_of_work(w.factory, actor) as s:
        return service(s, actor, *args, **kwargs)


def _record(w: World, actor: Actor, data: IncidentInput):
    return _call(w, actor, incidents.save_incident, data, today=TODAY)


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.field for e in error.value.errors}


def _rows(w: World) -> int:
    with db.read_session(w.factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(Incident)) or 0


# -- the notification checklist, as the packs decide it


def test_the_idol_report_only_for_an_under_16_the_illinois_act_covers(world: World) -> None:
    def keys(placement: int, kind: str = "injury") -> list[str]:
        notices = _call(world, SYSTEM, incidents.incident_notices, placement, kind, WHEN.date())
        return [n.key for n in notices]

    assert keys(world.young) == ["guardian", "school", "idol"]
    assert keys(world.young, "illness") == ["guardian", "school", "idol"]
    # A near miss hurt no one: no injury or illness to report.
    assert keys(world.young, "near_miss") == ["guardian", "school"]
    # 206/20(e): the Act does not reach a 15-year-old in school-directed WBL.
    assert keys(world.wbl) == ["guardian", "school"]
    assert keys(world.indiana) == ["guardian", "school"]
    assert keys(world.older) == ["guardian", "school"]
    # Where it happened decides, not where the placement is.
    notices = _call(
        world,
        SYSTEM,
        incidents.incident_notices,
        world.indiana,
        "injury",
        WHEN.date(),
        world.il_site,
    )
    assert [n.key for n in notices] == ["guardian", "school", "idol"]


def test_the_idol_notice_carries_the_pack_s_citation_and_unverified_marker(world: World) -> None:
    detail = _record(world, SYSTEM, _injury(world.young))
    idol = next(n for n in detail.notices if n.key == "idol")
    pack = next(n for n in all_notices() if n.key == "idol")
    assert (idol.citation, idol.verification, idol.title) == (
        pack.citation,
        "M",
        pack.title,
    )
    assert "unverified" in idol.note
    # The exemption the notice names is the rules engine's own 206/20(e) switch.
    assert find_rule("US-IL-206-20-e").params["exempts_act"] == "206"
    assert {n.key for n in all_notices()} == set(NOTICE_KEYS)


def test_the_age_is_the_one_on_the_incident_s_day(world: World) -> None:
    # "young" (born 2010-03-01) turns 16 on 2026-03-01: an injury after that needs no IDOL report.
    after = datetime(2026, 3, 2, 9, 0)
    notices = _call(world, SYSTEM, incidents.incident_notices, world.young, "injury", after.date())
    assert [n.key for n in notices] == ["guardian", "school"]


# -- recording


def test_hr_records_an_injury_audited_and_open_with_its_notices_to_do(world: World) -> None:
    detail = _record(world, SYSTEM, _injury(world.young, area_id=world.press_area))
    row = detail.row
    assert (row.kind, row.status, row.worksite, row.area) == (
        "injury",
        "open",
        "Plant 1",
        "Press line",
    )
    assert row.occurred_at == WHEN
    assert detail.treatment.startswith("First aid")
    assert len(row.to_do) == 3 and not detail.can_close
    with db.read_session(world.factory, SYSTEM) as s:
        events = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.operation == "record incident")
        )
    assert events == 1


def test_each_bad_field_is_named_and_nothing_is_written(world: World) -> None:
    bad = _injury(
        world.young,
        kind="explosion",
        description="  ",
        area_id=world.other_area,  # the Indiana plant's dock
        task_key="juggling",
        guardian=NoticeInput(date(2025, 11, 1)),  # before the incident
        school=NoticeInput(date(2025, 11, 4), "not needed"),
    )
    with pytest.raises(ValidationError) as caught:
        _record(world, SYSTEM, bad)
    assert _fields(caught) == {
        "kind",
        "description",
        "area",
        "task_key",
        "guardian.done_on",
        "school.not_needed",
    }
    with pytest.raises(ValidationError) as caught:
        _record(world, SYSTEM, _injury(world.young, occurred_at=datetime(2025, 12, 1, 8)))
    assert _fields(caught) == {"occurred_at"}
    assert "future" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        _record(world, SYSTEM, _injury(world.young, guardian=NoticeInput(date(2025, 11, 1))))
    assert _fields(caught) == {"guardian.done_on"}
    # A notice that does not apply records nothing.
    with pytest.raises(ValidationError) as caught:
        _record(world, SYSTEM, _injury(world.older, idol=NoticeInput(date(2025, 11, 4))))
    assert _fields(caught) == {"idol"}
    assert _rows(world) == 0


def test_closing_is_refused_while_a_notice_is_open_then_hr_closes_and_reopens(world: World) -> None:
    done = NoticeInput(date(2025, 11, 3))
    detail = _record(world, SYSTEM, _injury(world.young, guardian=done, school=done))
    assert detail.row.to_do == (next(n.title for n in all_notices() if n.key == "idol"),)
    with pytest.raises(ValidationError) as caught:
        _call(world, SYSTEM, incidents.close_incident, detail.row.id)
    assert _fields(caught) == {"idol"}
    assert "IDOL" in str(caught.value)
    data = _call(world, SYSTEM, incidents.incident_input, detail.row.id)
    _call(
        world,
        SYSTEM,
        incidents.save_incident,
        replace(data, idol=NoticeInput(not_needed="Counsel advised: a first-aid cut only.")),
        detail.row.id,
        today=TODAY,
    )
    closed = _call(world, SYSTEM, incidents.close_incident, detail.row.id)
    assert closed.row.status == "closed" and closed.closed_at is not None and closed.can_reopen
    assert _call(world, SYSTEM, incidents.open_incidents, TODAY) == []
    with pytest.raises(Conflict):
        _call(world, SYSTEM, incidents.save_incident, data, detail.row.id, today=TODAY)
    reopened = _call(world, SYSTEM, incidents.reopen_incident, detail.row.id)
    assert reopened.row.status == "open" and reopened.closed_at is None


def test_resaving_what_the_form_read_changes_nothing(world: World) -> None:
    detail = _record(world, SYSTEM, _injury(world.young, area_id=world.press_area))
    data = _call(world, SYSTEM, incidents.incident_input, detail.row.id)
    again = _call(world, SYSTEM, incidents.save_incident, data, detail.row.id, today=TODAY)
    assert again == detail


# -- roles


def test_a_mentor_records_for_own_interns_and_never_reads_treatment_back(world: World) -> None:
    mentor = world.mentor_actor()
    detail = _record(world, mentor, _injury(world.young))
    assert detail.treatment is None
    assert not detail.can_close
    data = _call(world, mentor, incidents.incident_input, detail.row.id)
    assert data.treatment is None
    # What a mentor adds later joins what is there; it never replaces it unseen.
    _call(
        world,
        mentor,
        incidents.save_incident,
        replace(data, treatment="Seen at the clinic the next day."),
        detail.row.id,
        today=TODAY,
    )
    hr = _call(world, SYSTEM, incidents.get_incident, detail.row.id)
    assert hr.treatment == (
        "First aid: cleaned and bandaged by the safety lead.\n\nSeen at the clinic the next day."
    )
    with pytest.raises(PermissionDenied):
        _call(world, mentor, incidents.close_incident, detail.row.id)
    with pytest.raises(ValidationError) as caught:
        _record(world, mentor, _injury(world.young, osha_recordable=True))
    assert _fields(caught) == {"osha_recordable"}
    with pytest.raises(NotFound):
        _record(world, mentor, _injury(world.stranger))


def test_a_mentor_and_a_viewer_see_what_their_role_may(world: World) -> None:
    mine = _record(world, SYSTEM, _injury(world.young)).row.id
    theirs = _record(world, SYSTEM, _injury(world.stranger)).row.id
    mentor = world.mentor_actor()
    assert [r.id for r in _call(world, mentor, incidents.list_incidents)] == [mine]
    assert [o.id for o in _call(world, mentor, incidents.open_incidents, TODAY)] == [mine]
    with pytest.raises(NotFound):
        _call(world, mentor, incidents.get_incident, theirs)
    viewed = _call(world, VIEWER, incidents.get_incident, mine)
    assert viewed.treatment is None and not viewed.can_edit
    assert {r.id for r in _call(world, VIEWER, incidents.list_incidents)} == {mine, theirs}
    with pytest.raises(PermissionDenied):
        _record(world, VIEWER, _injury(world.young))


def test_the_queue_lists_open_incidents_with_what_is_still_to_do(world: World) -> None:
    done = NoticeInput(date(2025, 11, 3))
    first = _record(world, SYSTEM, _injury(world.older, guardian=done, school=done)).row.id
    second = _record(world, SYSTEM, _injury(world.young, occurred_at=datetime(2025, 11, 10, 9)))
    queue = _call(world, SYSTEM, incidents.open_incidents, TODAY)
    assert [o.id for o in queue] == [first, second.row.id]
    assert queue[0].to_do == () and "HR may close it" in queue[0].title
    assert len(queue[1].to_do) == 3 and queue[1].title.startswith("Injury on 2025-11-10")
    only = _call(world, SYSTEM, incidents.open_incidents, TODAY, [world_intern(world, world.young)])
    assert [o.id for o in only] == [second.row.id]
    listed = _call(world, SYSTEM, incidents.list_incidents, status="open")
    assert [r.id for r in listed] == [second.row.id, first]


def world_intern(w: World, placement: int) -> int:
    with db.read_session(w.factory, SYSTEM) as s:
        return s.get(Placement, placement).intern_id
