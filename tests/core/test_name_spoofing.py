"""Names that display as something else (issue 11, item 10): every field a person's
or a record's name goes in refuses the invisible and text-direction characters of
``validation.NAME_SPOOF`` (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C,
U+200B, U+FEFF), naming the field and the character, and writes nothing; U+200C and
U+200D, which scripts spell with, stay allowed. The roster import reports it by line
and column; a remembered login's computer name (not typed) is cleaned instead."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from proofkit import snapshot
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.errors import ValidationError
from internhost.core.fileio import attachments
from internhost.core.importers import roster
from internhost.core.models import District, Intern, LoginToken, School, UserAccount, Worksite
from internhost.core.services import accounts, intern_records, interns, plans, setup
from internhost.core.storage import db
from internhost.core.validation import NAME_SPOOF, Checker, spoof_problem

TODAY = date(2025, 10, 15)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: Each character to refuse, as the issue lists them.
REFUSED = (
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\ufeff",
)


def spoofed(name: str, char: str) -> str:
    """``name`` with ``char`` inside it (not at an end, where trimming might hide it)."""
    return f"{name[:2]}{char}{name[2:]}"


def test_the_set_is_the_issues_and_no_more() -> None:
    assert set(REFUSED) == NAME_SPOOF and len(REFUSED) == 14
    for allowed in ("\u200c", "\u200d", "\u00a0", "\u2028", "é", "ł", "ễ"):
        assert spoof_problem(f"a{allowed}b") is None


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_the_checker_names_the_field_and_the_character(char: str) -> None:
    check = Checker()
    assert check.name("legal_last_name", spoofed("Ruiz", char), required=True) == ""
    [error] = check.errors
    assert error.field == "legal_last_name"
    assert error.message == (
        f"contains an invisible or text-direction character (U+{ord(char):04X}); retype it"
    )


# -- every service that takes a name


@dataclasses.dataclass
class World:
    factory: Any
    path: Path
    intern_id: int
    worksite_id: int
    area: str


@pytest.fixture(scope="module")
def world(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A small sample (six interns, a week), shared: every refusal writes nothing."""
    from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo

    path = tmp_path_factory.mktemp("spoof") / "demo.db"
    shutil.copyfile(migrated_template, path)
    engine = db.make_engine(path, TEST_KEY)
    factory = db.make_session_factory(engine)
    build_demo(factory, SYSTEM, DemoSizes(interns=6, weeks=1), seed=DEFAULT_SEED)
    with db.read_session(factory, SYSTEM) as s:
        intern_id = s.scalar(select(Intern.id).order_by(Intern.id).limit(1))
        site = s.scalar(select(Worksite).order_by(Worksite.id).limit(1))
        world = World(factory, path, intern_id, site.id, site.areas[0].name)
    yield world
    engine.dispose()


Save = Callable[[Any, World, str], object]
ACCOUNTS = itertools.count(1)


def _new_intern(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        school = s.scalar(select(Intern.school_id).where(Intern.id == w.intern_id))
        data = interns.InternInput("Ana", "Ruiz", date(2009, 3, 4), school)
        return interns.create_intern(s, SYSTEM, dataclasses.replace(data, **{field: value}), TODAY)

    return save


def _edited_intern(s: Any, w: World, value: str) -> object:
    intern = s.get(Intern, w.intern_id)
    data = intern_records.InternInput(
        intern.legal_first_name,
        intern.legal_last_name,
        intern.birth_date,
        intern.school_id,
        preferred_name=value,
    )
    return intern_records.save_intern(s, SYSTEM, w.intern_id, data, None, TODAY)


def _contact(s: Any, w: World, value: str) -> object:
    contact = intern_records.ContactInput("guardian", value, "mother", "(815) 555-0100")
    return intern_records.save_contacts(s, SYSTEM, w.intern_id, (contact,))


def _release(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        data = intern_records.ReleaseInput(
            "Transcript", date(2025, 9, 2), intern_records.WRITTEN_CONSENT, "A. Parent"
        )
        data = dataclasses.replace(data, **{field: value})
        return intern_records.save_release(s, SYSTEM, w.intern_id, data, today=TODAY)

    return save


def _employer(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        data = setup.EmployerInput(legal_name="Acme Tool & Die", hr_contact_name="Pat Lee")
        return setup.save_employer(s, SYSTEM, dataclasses.replace(data, **{field: value}))

    return save


def _worksite(s: Any, w: World, value: str) -> object:
    return setup.save_worksite(s, SYSTEM, setup.WorksiteInput(value, "IL", "America/Chicago"))


def _area(s: Any, w: World, value: str) -> object:
    data = setup.WorksiteInput("Plant 9", "IL", "America/Chicago", areas=((value, "office"),))
    return setup.save_worksite(s, SYSTEM, data)


def _equipment(s: Any, w: World, value: str) -> object:
    tasks = ("office_clerical",)
    return setup.save_equipment(s, SYSTEM, setup.EquipmentInput(w.worksite_id, value, tasks))


def _staff(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        data = setup.StaffInput(first_name="Dana", last_name="Okafor", role="supervisor")
        data = dataclasses.replace(data, **{field: value})
        return setup.save_staff(s, SYSTEM, data, today=TODAY)

    return save


def _calendar(s: Any, w: World, value: str) -> object:
    data = setup.CalendarInput(
        value, "2030-31", date(2030, 8, 26), date(2031, 6, 4), time(8), time(15)
    )
    return setup.save_calendar(s, SYSTEM, data, replace=False)


def _school(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        district = s.scalar(select(District.name).order_by(District.id).limit(1))
        data = setup.SchoolInput("Spoof High", district, coordinator_name="Sam Ito")
        return setup.save_school(s, SYSTEM, dataclasses.replace(data, **{field: value}))

    return save


def _plan_step(s: Any, w: World, value: str) -> object:
    step = plans.PlanStepInput("day_one", value, "hr", 0)
    return plans.save_template(s, SYSTEM, (step,))


def _account(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        username = f"newbie{next(ACCOUNTS)}"  # one per saved account
        data = accounts.NewAccount(username, "New Bie", "viewer", "a long enough password")
        return accounts.create_account(s, SYSTEM, dataclasses.replace(data, **{field: value}))

    return save


def _attachment(field: str) -> Save:
    def save(s: Any, w: World, value: str) -> object:
        data = attachments.AttachmentInput(
            "work_permit", "permit.pdf", PDF, intern_id=w.intern_id, title="Work permit"
        )
        data = dataclasses.replace(data, **{field: value})
        return attachments.store_attachment(s, SYSTEM, data)

    return save


#: (what, how to save it with a name, the field the refusal names, a plausible name)
NAME_FIELDS: list[tuple[str, Save, str, str]] = [
    ("intern's legal first name", _new_intern("legal_first_name"), "legal_first_name", "Ana"),
    ("intern's legal last name", _new_intern("legal_last_name"), "legal_last_name", "Ruiz"),
    ("intern's preferred name", _new_intern("preferred_name"), "preferred_name", "Annie"),
    ("intern's student id", _new_intern("student_id"), "student_id", "Q-77"),
    ("edited intern's preferred name", _edited_intern, "preferred_name", "Annie"),
    ("guardian's name", _contact, "contacts[0].name", "Maria Ruiz"),
    ("release's record type", _release("record_type"), "record_type", "Transcript"),
    ("release signed by", _release("consent_signed_by"), "consent_signed_by", "A. Parent"),
    ("employer's legal name", _employer("legal_name"), "legal_name", "Acme Tool & Die"),
    ("employer's HR contact", _employer("hr_contact_name"), "hr_contact_name", "Pat Lee"),
    ("employer's insurer", _employer("wc_carrier"), "wc_carrier", "Hartford"),
    ("worksite's name", _worksite, "name", "Plant 9"),
    ("area's name", _area, "areas[0].name", "Press Line"),
    ("machine's name", _equipment, "name", "Drill press"),
    ("staff first name", _staff("first_name"), "first_name", "Dana"),
    ("staff last name", _staff("last_name"), "last_name", "Okafor"),
    ("calendar's district", _calendar, "district", "Spoof District"),
    ("school's name", _school("name"), "name", "Spoof High"),
    ("school's district", _school("district"), "district", "Spoof District"),
    ("school's coordinator", _school("coordinator_name"), "coordinator_name", "Sam Ito"),
    ("plan step's title", _plan_step, "items[0].title", "Site tour"),
    ("account's user name", _account("username"), "username", "newbie"),
    ("account's display name", _account("display_name"), "display_name", "New Bie"),
    ("attachment's file name", _attachment("filename"), "filename", "permit.pdf"),
    ("attachment's title", _attachment("title"), "title", "Work permit"),
]


@pytest.mark.parametrize(
    ("save", "field", "name", "char"),
    [
        pytest.param(save, field, name, char, id=f"{what}-U+{ord(char):04X}")
        for i, (what, save, field, name) in enumerate(NAME_FIELDS)
        # every character through one field, and every field with a few of them
        for char in (REFUSED if i == 0 else REFUSED[i % len(REFUSED) :: 5])
    ],
)
def test_every_name_field_refuses_and_writes_nothing(
    world: World, save: Save, field: str, name: str, char: str
) -> None:
    before = snapshot(world.path, TEST_KEY)
    with pytest.raises(ValidationError) as refused, db.unit_of_work(world.factory, SYSTEM) as s:
        save(s, world, spoofed(name, char))
    problems = {e.field: e.message for e in refused.value.errors}
    assert f"(U+{ord(char):04X})" in problems.get(field, ""), problems
    assert snapshot(world.path, TEST_KEY) == before


JOINED = {
    "intern's legal first name",
    "intern's preferred name",
    "guardian's name",
    "worksite's name",
    "staff last name",
    "account's display name",
}


@pytest.mark.parametrize(
    ("what", "save"),
    [(what, save) for what, save, _f, _n in NAME_FIELDS if what in JOINED],
    ids=lambda v: v if isinstance(v, str) else "",
)
@pytest.mark.parametrize("name", ["مهر\u200cآسا", "क्\u200dष Rao"], ids=["ZWNJ", "ZWJ"])
def test_joiners_stay_allowed(world: World, what: str, save: Save, name: str) -> None:
    """Persian and Indic names spell with U+200C and U+200D: saved as typed."""
    with db.unit_of_work(world.factory, SYSTEM) as s:
        save(s, world, name)


def test_a_joined_name_is_stored_as_typed(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        row = _new_intern("legal_last_name")(s, world, "Rao\u200dमहर\u200c")
    with db.read_session(world.factory, SYSTEM) as s:
        assert s.get(Intern, row.id).legal_last_name == "Rao\u200dमहर\u200c"


def test_the_first_admin_and_bootstrap_refuse_too(migrated_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    shutil.copyfile(migrated_template, path)
    engine = db.make_engine(path, TEST_KEY)
    factory = db.make_session_factory(engine)
    try:
        for username, display in (("ad\u202emin", "Admin"), ("admin", "Ad\u2067min")):
            with pytest.raises(ValidationError) as refused:
                accounts.bootstrap_admin(factory, username, "a long enough password", display)
            assert "U+20" in str(refused.value)
            with pytest.raises(ValidationError), db.unit_of_work(factory, SYSTEM) as s:
                accounts.create_first_admin(s, username, "a long enough password", display)
        with db.read_session(factory, SYSTEM) as s:
            assert s.scalar(select(UserAccount.id)) is None
    finally:
        engine.dispose()


def test_a_remembered_computer_name_is_cleaned_not_refused(world: World) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        account = s.scalar(select(UserAccount).order_by(UserAccount.id).limit(1))
        actor = accounts.actor_for(account)
        accounts.issue_token(s, actor, "Front\u202e desk\u200b PC\ufeff")
    with db.read_session(world.factory, SYSTEM) as s:
        label = s.scalar(select(LoginToken.device_label).order_by(LoginToken.id.desc()).limit(1))
    assert label == "Front desk PC"


# -- the roster import: by line and column


def _roster(**cells: str) -> bytes:
    row = {
        "first_name": "Fran",
        "last_name": "Novak",
        "birth_date": "2009-05-06",
        "school": "{school}",
        "guardian_name": "Maria Ruiz",
        "emergency_contact": "Jo Ruiz",
        "student_id": "R-1",
        **cells,
    }
    return (",".join(row) + "\r\n" + ",".join(row.values()) + "\r\n").encode("utf-8")


@pytest.mark.parametrize(
    "column",
    [
        "first_name",
        "last_name",
        "preferred_name",
        "student_id",
        "guardian_name",
        "emergency_contact",
    ],
)
@pytest.mark.parametrize(
    "char", ["\u202e", "\u2066", "\u200b", "\ufeff"], ids=lambda c: f"U+{ord(c):04X}"
)
def test_the_roster_import_reports_line_and_column(world: World, column: str, char: str) -> None:
    with db.read_session(world.factory, SYSTEM) as s:
        school = s.scalar(select(School.name).order_by(School.id).limit(1))
    data = _roster(**{column: spoofed("Fran", char)}).replace(b"{school}", school.encode())
    before = snapshot(world.path, TEST_KEY)
    report = roster.import_roster(world.factory, SYSTEM, data, today=TODAY)
    assert [(e.line, e.column) for e in report.errors] == [(2, column)], report.errors
    assert f"(U+{ord(char):04X})" in report.errors[0].message
    assert snapshot(world.path, TEST_KEY) == before
