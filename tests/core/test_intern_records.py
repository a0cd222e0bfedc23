"""Editing an intern's record: the intern, contacts, medical notes (HR only) and the
student records the school released (FERPA, LEGAL.md C15). Every field validated,
nothing written on an error, every change audited, roles refused."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    ChecklistItem,
    District,
    Intern,
    InternContact,
    MedicalNote,
    Placement,
    RecordRelease,
    UserAccount,
)
from internhost.core.services import intern_records as records
from internhost.core.services import interns, setup
from internhost.core.services.intern_records import ContactInput, InternInput, ReleaseInput
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
VIEWER = Actor(Role.VIEWER, "Vera Viewer", user_id=3)


@dataclass
class World:
    factory: sessionmaker[Session]
    intern: int
    other: int
    school: int
    north_school: int
    district: int
    north: int
    mentor: int
    placement: int

    def mentor_actor(self) -> Actor:
        return Actor(Role.MENTOR, "Mo Mentor", user_id=60, staff_id=self.mentor)


def _calendar(district: str) -> setup.CalendarInput:
    return setup.CalendarInput(
        district, "2025-26", date(2025, 8, 20), date(2026, 6, 5), time(8), time(15)
    )


@pytest.fixture
def world(factory) -> World:
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_employer(s, SYSTEM, setup.EmployerInput(legal_name="Acme Stamping"))
        site = setup.save_worksite(
            s, SYSTEM, setup.WorksiteInput("Plant 1", "IL", "America/Chicago")
        )
        setup.save_calendar(s, SYSTEM, _calendar("District 1"))
        setup.save_calendar(s, SYSTEM, _calendar("North District"))
        school = setup.save_school(s, SYSTEM, setup.SchoolInput("Central High", "District 1"))
        north_school = setup.save_school(
            s, SYSTEM, setup.SchoolInput("North High", "North District")
        )
        mentor = setup.save_staff(
            s,
            SYSTEM,
            setup.StaffInput("Mo", "Mentor", "mentor", email="mo@acme.test"),
            today=TODAY,
        )
        one = interns.create_intern(
            s,
            SYSTEM,
            interns.InternInput("Ana", "García", date(2010, 3, 1), school, student_id="S1"),
            TODAY,
        )
        other = interns.create_intern(
            s,
            SYSTEM,
            interns.InternInput("Ben", "Other", date(2009, 5, 5), school, student_id="S2"),
            TODAY,
        )
        placement = Placement(
            intern_id=one.id,
            school_id=school,
            worksite_id=site.id,
            mentor_id=mentor,
            start_date=date(2025, 10, 20),
            end_date=date(2025, 12, 19),
            hourly_rate_cents=1300,
        )
        s.add(placement)
        s.flush()
        ids = dict(s.execute(select(District.name, District.id)).all())
        return World(
            factory,
            one.id,
            other.id,
            school,
            north_school,
            ids["District 1"],
            ids["North District"],
            mentor,
            placement.id,
        )


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.field for e in error.value.errors}


def _count(factory, model) -> int:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(model))


def _events(factory, operation: str | None = None) -> int:
    with db.read_session(factory, SYSTEM) as s:
        stmt = select(func.count()).select_from(AuditEvent)
        if operation is not None:
            stmt = stmt.where(AuditEvent.operation == operation)
        return s.scalar(stmt)


def _input(world: World) -> InternInput:
    with db.read_session(world.factory, SYSTEM) as s:
        return records.intern_input(s, SYSTEM, world.intern)


# -- the intern -------------------------------------------------------------------------


def test_the_form_reads_back_what_is_stored_and_resaving_writes_nothing(world: World) -> None:
    data = _input(world)
    assert data == InternInput(
        "Ana",
        "García",
        date(2010, 3, 1),
        world.school,
        grade=None,
        student_id="S1",
        residence_district_id=world.district,
        residence_district_confirmed=False,
    )
    with db.unit_of_work(world.factory, SYSTEM) as s:  # the first check stores findings
        records.update_intern(s, SYSTEM, world.intern, data, TODAY)
    before = _events(world.factory)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.update_intern(s, SYSTEM, world.intern, data, TODAY)
    assert _events(world.factory) == before


def test_an_edit_keeps_search_names_in_step_and_is_audited(world: World) -> None:
    data = replace(_input(world), legal_first_name=" Anaïs ", preferred_name="Nana", grade=11)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        detail = records.update_intern(s, SYSTEM, world.intern, data, TODAY)
    assert (detail.legal_first_name, detail.preferred_name, detail.grade) == ("Anaïs", "Nana", 11)
    with db.read_session(world.factory, SYSTEM) as s:
        assert interns.list_intern_ids(s, SYSTEM, search="anais") == [world.intern]
        assert interns.list_intern_ids(s, SYSTEM, search="nana") == [world.intern]
        assert s.get(Intern, world.intern).sort_name == "garcia anais"
        ops = set(s.scalars(select(AuditEvent.operation)))
    assert "update intern" in ops and "check compliance" not in ops


def test_the_interns_own_student_id_is_no_clash_but_anothers_is(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.update_intern(
            s, SYSTEM, world.intern, replace(_input(world), student_id=" S1 "), TODAY
        )
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.update_intern(
            s, SYSTEM, world.intern, replace(_input(world), student_id="S2"), TODAY
        )
    assert _fields(error) == {"student_id"}


def test_every_bad_field_is_named_and_nothing_is_written(world: World) -> None:
    bad = InternInput(
        legal_first_name=" ",
        legal_last_name="X" * 101,
        birth_date=None,
        school_id=999,
        preferred_name="P" * 101,
        grade=13,
        student_id="9" * 65,
        address="a" * 501,
        residence_district_id=None,
        residence_district_confirmed=True,
    )
    events = _events(world.factory)
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.update_intern(s, SYSTEM, world.intern, bad, TODAY)
    assert _fields(error) == {
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "birth_date",
        "school",
        "grade",
        "student_id",
        "address",
        "residence_district",
    }
    assert _events(world.factory) == events
    assert _input(world).legal_first_name == "Ana"
    odd = replace(_input(world), birth_date=date(1990, 1, 1), residence_district_id=12345)
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.update_intern(s, SYSTEM, world.intern, odd, TODAY)
    assert _fields(error) == {"birth_date", "residence_district"}


@pytest.mark.parametrize("intern_id", [None, "stored"])
@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"legal_first_name": "An\x7fa"}, {"legal_first_name"}),
        ({"legal_last_name": "Gar\ud800cía"}, {"legal_last_name"}),
        ({"preferred_name": "An\x1bnie"}, {"preferred_name"}),
        ({"address": "1 Main St\x00"}, {"address"}),
        ({"student_id": "9" * 1_000_000}, {"student_id"}),
        ({"student_id": "S\n9"}, {"student_id"}),
        ({"school_id": 2**63, "residence_district_id": -(2**70)}, {"school", "residence_district"}),
    ],
)
def test_creating_and_editing_check_the_same_text_and_ids(
    world: World, intern_id: str | None, changes: dict, fields: set[str]
) -> None:
    """save_intern creates (through create_intern) with the checks update_intern applies:
    control characters (DEL too), lengths, lone surrogates; ids SQLite cannot hold."""
    data = replace(_input(world), **{"student_id": None, **changes})
    target = world.intern if intern_id else None
    counts = (_count(world.factory, Intern), _events(world.factory))
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.save_intern(s, SYSTEM, target, data, None, TODAY)
    assert _fields(error) == fields
    assert (_count(world.factory, Intern), _events(world.factory)) == counts


def test_none_in_optional_text_is_empty_and_a_multiline_address_is_kept(world: World) -> None:
    data = replace(_input(world), preferred_name=None, address="2 Elm St\n\tApt 3", student_id=None)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        made = records.save_intern(s, SYSTEM, None, replace(data, address=None), None, TODAY)
        edited = records.update_intern(s, SYSTEM, world.intern, data, TODAY)
    assert (made.preferred_name, made.address) == ("", "")
    assert (edited.preferred_name, edited.address) == ("", "2 Elm St\n\tApt 3")


def test_an_intern_id_beyond_64_bits_is_not_found(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(NotFound):
        records.update_intern(s, SYSTEM, 2**63, _input(world), TODAY)


def test_an_unconfirmed_district_follows_the_school_a_confirmed_one_stays(world: World) -> None:
    moved = replace(_input(world), school_id=world.north_school)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        detail = records.update_intern(s, SYSTEM, world.intern, moved, TODAY)
    assert (detail.residence_district, detail.residence_district_confirmed) == (
        "North District",
        False,
    )
    confirmed = replace(
        _input(world), residence_district_id=world.district, residence_district_confirmed=True
    )
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.update_intern(s, SYSTEM, world.intern, confirmed, TODAY)
    back = replace(_input(world), school_id=world.school)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.update_intern(s, SYSTEM, world.intern, back, TODAY)
        records.update_intern(
            s, SYSTEM, world.intern, replace(back, school_id=world.north_school), TODAY
        )
    data = _input(world)
    assert (data.residence_district_id, data.residence_district_confirmed) == (world.district, True)


def test_a_new_birth_date_rechecks_the_checklist(world: World) -> None:
    def certificate(s: Session) -> ChecklistItem | None:
        return s.scalar(
            select(ChecklistItem).where(
                ChecklistItem.placement_id == world.placement,
                ChecklistItem.requirement_key == "C2",
            )
        )

    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.update_intern(s, SYSTEM, world.intern, _input(world), TODAY)
    with db.read_session(world.factory, SYSTEM) as s:
        assert certificate(s).retired_at is None  # 15 at an Illinois worksite
    older = replace(_input(world), birth_date=date(2008, 9, 1))  # 17
    with db.unit_of_work(world.factory, SYSTEM) as s:
        detail = records.update_intern(s, SYSTEM, world.intern, older, TODAY)
    assert detail.age == 17
    with db.read_session(world.factory, SYSTEM) as s:
        assert certificate(s).retired_at is not None


def test_archive_and_restore_keep_the_placements(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        warnings = records.archive_intern(s, SYSTEM, world.intern, today=TODAY)
    assert warnings == ["1 placement is still current: end or archive it too"]
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.get(Intern, world.intern).archived_at is not None
        assert s.get(Placement, world.placement).archived_at is None
    events = _events(world.factory)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.archive_intern(s, SYSTEM, world.intern, today=TODAY)
    assert _events(world.factory) == events  # archiving twice changes nothing
    assert _events(world.factory, "archive intern") == 1
    with db.unit_of_work(world.factory, SYSTEM) as s:
        assert records.restore_intern(s, SYSTEM, world.intern) == []
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.get(Intern, world.intern).archived_at is None
    assert _events(world.factory, "restore intern") == 1
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(NotFound):
        records.archive_intern(s, SYSTEM, 9999)


@pytest.mark.parametrize("who", ["viewer", "mentor"])
def test_only_editors_edit(world: World, who: str) -> None:
    actor = VIEWER if who == "viewer" else world.mentor_actor()
    calls = [
        lambda s: records.intern_input(s, actor, world.intern),
        lambda s: records.update_intern(s, actor, world.intern, _input(world), TODAY),
        lambda s: records.archive_intern(s, actor, world.intern),
        lambda s: records.restore_intern(s, actor, world.intern),
        lambda s: records.save_contacts(s, actor, world.intern, []),
        lambda s: records.contact_inputs(s, actor, world.intern),
        lambda s: records.add_medical_note(s, actor, world.intern, "note"),
        lambda s: records.save_release(
            s, actor, world.intern, ReleaseInput("x", TODAY, "y"), today=TODAY
        ),
    ]
    for call in calls:
        with db.unit_of_work(world.factory, actor) as s, pytest.raises(PermissionDenied):
            call(s)


# -- contacts ---------------------------------------------------------------------------

FAMILY = (
    ContactInput("emergency", "Tío Luis", "uncle", "312-555-0101"),
    ContactInput("guardian", "María García", "mother", "312-555-0100", "Maria@Example.com", True),
    ContactInput("guardian", "José García", "father"),
)


def test_contacts_replace_the_list_guardians_first_in_the_order_given(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        rows = records.save_contacts(s, SYSTEM, world.intern, FAMILY)
    assert [(r.kind, r.name) for r in rows] == [
        ("guardian", "María García"),
        ("guardian", "José García"),
        ("emergency", "Tío Luis"),
    ]
    assert rows[0].email == "maria@example.com" and rows[0].may_authorize_treatment
    with db.read_session(world.factory, SYSTEM) as s:
        first = s.scalar(
            select(InternContact)
            .where(InternContact.intern_id == world.intern, InternContact.kind == "guardian")
            .order_by(InternContact.position)
        )
        assert (first.name, first.position) == ("María García", 0)
        assert records.contact_inputs(s, SYSTEM, world.intern)[0] == replace(
            FAMILY[1], email="maria@example.com"
        )
        detail = interns.get_intern(s, VIEWER, world.intern, TODAY)
        assert detail.contacts is not None and detail.contacts[0].may_authorize_treatment
        hidden = interns.get_intern(s, world.mentor_actor(), world.intern, TODAY)
        assert hidden.contacts is None and hidden.address is None
    events = _events(world.factory)
    with db.unit_of_work(world.factory, SYSTEM) as s:  # the same list again: nothing written
        records.save_contacts(s, SYSTEM, world.intern, FAMILY)
    assert _events(world.factory) == events
    ids = {r.name: r.id for r in rows}
    with db.unit_of_work(world.factory, SYSTEM) as s:  # reorder and drop: rows are reused
        rows = records.save_contacts(s, SYSTEM, world.intern, (FAMILY[2], FAMILY[1]))
    assert [r.name for r in rows] == ["José García", "María García"]
    assert rows[0].id == ids["María García"] and rows[1].id == ids["José García"]
    assert _count(world.factory, InternContact) == 2
    assert _events(world.factory, "save contacts") == 2


def test_each_bad_contact_is_named_by_its_row(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.save_contacts(s, SYSTEM, world.intern, FAMILY)
    events = _events(world.factory)
    bad = (
        ContactInput("guardian", "Ok Parent", email="not-mail"),
        ContactInput("guardian", "  "),
        ContactInput("friend", "Pal", phone="5" * 41),
        ContactInput("emergency", "Neighbour", may_authorize_treatment=True),
        ContactInput("guardian", "N" * 201, relationship="r" * 101),
    )
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.save_contacts(s, SYSTEM, world.intern, bad)
    assert _fields(error) == {
        "contacts[0].email",
        "contacts[1].name",
        "contacts[2].kind",
        "contacts[2].phone",
        "contacts[3].may_authorize_treatment",
        "contacts[4].name",
        "contacts[4].relationship",
    }
    assert _events(world.factory) == events and _count(world.factory, InternContact) == 3


# -- medical notes ----------------------------------------------------------------------


def test_medical_notes_are_hrs_alone(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        s.add(UserAccount(id=7, username="angela", display_name="Angela Ortiz", role="hr_admin"))
    hr = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)
    with db.unit_of_work(world.factory, hr) as s:
        first = records.add_medical_note(s, hr, world.intern, "  Peanut allergy: EpiPen in bag. ")
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.add_medical_note(s, SYSTEM, world.intern, "Asthma\ninhaler")
    assert (first.body, first.author) == ("Peanut allergy: EpiPen in bag.", "Angela Ortiz")
    with db.read_session(world.factory, hr) as s:
        notes = records.list_medical_notes(s, hr, world.intern)
    assert [(n.body, n.author) for n in notes] == [
        ("Peanut allergy: EpiPen in bag.", "Angela Ortiz"),
        ("Asthma\ninhaler", None),  # written without an account: the audit names the actor
    ]
    assert notes[0].created_at.tzinfo is not None
    assert _events(world.factory, "add medical note") == 2
    for actor in (VIEWER, world.mentor_actor()):
        with db.read_session(world.factory, actor) as s, pytest.raises(PermissionDenied):
            records.list_medical_notes(s, actor, world.intern)
        with db.unit_of_work(world.factory, actor) as s, pytest.raises(PermissionDenied):
            records.delete_medical_note(s, actor, first.id)
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.add_medical_note(s, SYSTEM, world.intern, " \n ")
    assert _fields(error) == {"body"}
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.add_medical_note(s, SYSTEM, world.intern, "x" * 4001)
    assert _fields(error) == {"body"}
    assert _count(world.factory, MedicalNote) == 2
    with db.unit_of_work(world.factory, hr) as s:
        records.delete_medical_note(s, hr, first.id)
    assert _count(world.factory, MedicalNote) == 1
    assert _events(world.factory, "delete medical note") == 1
    with db.unit_of_work(world.factory, hr) as s, pytest.raises(NotFound):
        records.delete_medical_note(s, hr, first.id)


# -- released school records (FERPA) ----------------------------------------------------

TRANSCRIPT = ReleaseInput(
    "Transcript",
    date(2025, 9, 2),
    records.WRITTEN_CONSENT,
    "María García (parent)",
    redisclosure_notice_received=True,
)


def test_released_records_are_kept_with_their_consent(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        release_id = records.save_release(s, SYSTEM, world.intern, TRANSCRIPT, today=TODAY)
        records.save_release(
            s,
            SYSTEM,
            world.intern,
            ReleaseInput("Directory information", date(2025, 10, 1), "directory information"),
            today=TODAY,
        )
    with db.read_session(world.factory, VIEWER) as s:  # a viewer may read them
        rows = records.list_releases(s, VIEWER, world.intern)
    assert [r.record_type for r in rows] == ["Directory information", "Transcript"]
    assert rows[1].consent_signed_by == "María García (parent)"
    assert rows[1].redisclosure_notice_received and not rows[0].redisclosure_notice_received
    with db.unit_of_work(world.factory, SYSTEM) as s:
        assert records.release_input(s, SYSTEM, release_id) == TRANSCRIPT
        same = records.save_release(
            s,
            SYSTEM,
            world.intern,
            replace(TRANSCRIPT, record_type="IEP summary"),
            release_id,
            today=TODAY,
        )
    assert same == release_id
    assert _events(world.factory, "save released record") == 2
    mentor = world.mentor_actor()
    with db.read_session(world.factory, mentor) as s, pytest.raises(PermissionDenied):
        records.list_releases(s, mentor, world.intern)
    with db.unit_of_work(world.factory, VIEWER) as s, pytest.raises(PermissionDenied):
        records.delete_release(s, VIEWER, release_id)
    with db.unit_of_work(world.factory, SYSTEM) as s:
        records.delete_release(s, SYSTEM, release_id)
    assert _count(world.factory, RecordRelease) == 1
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(NotFound):
        records.save_release(s, SYSTEM, world.other, TRANSCRIPT, release_id, today=TODAY)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"record_type": " ", "consent_basis": ""}, {"record_type", "consent_basis"}),
        ({"consent_signed_by": ""}, {"consent_signed_by"}),
        ({"released_on": None}, {"released_on"}),
        ({"released_on": date(2025, 10, 16)}, {"released_on"}),
        ({"record_type": "x" * 201, "consent_basis": "b\x00"}, {"record_type", "consent_basis"}),
    ],
)
def test_a_release_needs_what_ferpa_asks(world: World, changes: dict, fields: set[str]) -> None:
    events = _events(world.factory)
    with db.unit_of_work(world.factory, SYSTEM) as s, pytest.raises(ValidationError) as error:
        records.save_release(s, SYSTEM, world.intern, replace(TRANSCRIPT, **changes), today=TODAY)
    assert _fields(error) == fields
    assert _count(world.factory, RecordRelease) == 0 and _events(world.factory) == events
