"""The forms (issue 15): every form blank and pre-filled renders and parses; the names
issue 15 lists extract exactly; user text stays literal (no link, no image, no
embedded file); pre-filled forms follow the role's view; the Illinois notice is only
for Illinois interns under 16; the reference letter is kept with the placement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.dates import age_on
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    AuditEvent,
    Intern,
    InternContact,
    NoticeHours,
    Placement,
    StudentLearnerAgreement,
    Worksite,
)
from internhost.core.reports.forms.render import render_form, write_form
from internhost.core.reports.forms.texts import FORM_NAMES, form_text
from internhost.core.services import accounts, forms, student_learner
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
NAMES = ["Nguyễn Thị Ánh", "Zoë Łukasiewicz", "José Núñez", "李小龍"]
HOSTILE = ["x<y", "AT&T", "<b>bold</b>", '<link href="https://evil.example/">here</link>']
IMG = '<img src="/etc/hosts"/>'
MENTOR_FORMS = (
    "timesheet",
    "midpoint-evaluation",
    "final-evaluation",
    "completion-certificate",
    "reference-letter",
)


@dataclass
class World:
    factory: Any
    actors: dict[str, Actor]
    il_placement: int  # an Illinois intern under 16 with notice hours
    il_intern: int
    own_placement: int  # a placement of one of the demo mentor's interns
    own_intern: int
    stranger: int  # an intern the demo mentor does not mentor

    def read(self, actor: Actor, service: Any, *args: Any, **kwargs: Any) -> Any:
        with db.read_session(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)

    def write(self, actor: Actor, service: Any, *args: Any, **kwargs: Any) -> Any:
        with db.unit_of_work(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)

    def edit(self, model: type, row_id: int, **values: Any) -> None:
        with db.unit_of_work(self.factory, SYSTEM) as s:
            row = s.get(model, row_id)
            for k, v in values.items():
                setattr(row, k, v)


@pytest.fixture
def world(demo_path: Path) -> Iterator[World]:
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        actors = {r.role: accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM)}
        mentor = actors["mentor"]
        il = next(
            p
            for p in s.scalars(
                select(Placement)
                .join(Worksite, Worksite.id == Placement.worksite_id)
                .where(
                    Worksite.state == "IL",
                    Placement.id.in_(select(NoticeHours.placement_id)),
                )
                .order_by(Placement.id)
            )
            if age_on(p.intern.birth_date, p.start_date) < 16
        )
        own = s.scalars(
            select(Placement).where(Placement.mentor_id == mentor.staff_id).order_by(Placement.id)
        ).first()
        assert own is not None
        mine = select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
        stranger = s.scalar(select(Intern.id).where(Intern.id.not_in(mine)).limit(1))
        world = World(factory, actors, il.id, il.intern_id, own.id, own.intern_id, stranger)
    yield world
    engine.dispose()


def text_of(path: Path) -> str:
    """The PDF's text, every run of whitespace one space (lines wrap where they may)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def check_pdf(path: Path) -> None:
    """Parses with pypdf, passes pikepdf's syntax check, has its metadata, and holds
    no link, image or embedded file."""
    meta = PdfReader(path).metadata
    assert meta is not None and meta.title and meta.author
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/Subtype") not in (pikepdf.Name("/Link"), pikepdf.Name("/Image"))
                assert obj.get("/Type") != pikepdf.Name("/EmbeddedFile")
        assert "/Names" not in pdf.Root and "/OpenAction" not in pdf.Root


@pytest.mark.parametrize("name", FORM_NAMES)
def test_each_form_renders_blank_and_prefilled(world: World, tmp_path: Path, name: str) -> None:
    hr = world.actors["hr_admin"]
    blank = world.read(hr, forms.form_content, name, today=TODAY)
    assert not blank.prefilled and blank.about == ""
    path = tmp_path / "blank.pdf"
    render_form(path, blank)
    check_pdf(path)
    title = form_text(name)["title"]
    assert title in text_of(path)
    with db.read_session(world.factory, SYSTEM) as s:
        intern = s.get(Intern, world.il_intern)
        full = f"{intern.legal_first_name} {intern.legal_last_name}"
    filled = world.read(hr, forms.form_content, name, today=TODAY, placement_id=world.il_placement)
    assert filled.prefilled
    path = tmp_path / "filled.pdf"
    render_form(path, filled)
    check_pdf(path)
    text = text_of(path)
    assert intern.legal_last_name in text, text
    if name != "timesheet":  # the timesheet names the intern as they go by
        assert full in text or f"{intern.preferred_name} {intern.legal_last_name}" in text


@pytest.mark.parametrize("who", NAMES)
def test_every_form_extracts_the_names_exactly(world: World, tmp_path: Path, who: str) -> None:
    # "李小龍" has no space: its family name stands first, then a Latin one to switch.
    first, _, last = who.partition(" ")
    world.edit(Intern, world.il_intern, legal_first_name=first, legal_last_name=last or "Lee")
    hr = world.actors["hr_admin"]
    for name in FORM_NAMES:
        path = tmp_path / f"{name}.pdf"
        content = world.read(
            hr, forms.form_content, name, today=TODAY, placement_id=world.il_placement
        )
        render_form(path, content)
        assert who in text_of(path), (name, who)


def test_user_text_stays_literal_in_every_form(world: World, tmp_path: Path) -> None:
    hr = world.actors["hr_admin"]
    with db.read_session(world.factory, SYSTEM) as s:
        site = s.get(Placement, world.il_placement).worksite_id
        contact = s.scalar(
            select(InternContact.id).where(InternContact.intern_id == world.il_intern).limit(1)
        )
    hostile = " ".join(HOSTILE)
    world.edit(Worksite, site, name=f"Plant {HOSTILE[0]} {HOSTILE[1]}")
    world.edit(Intern, world.il_intern, address=f"{hostile} {IMG}")
    world.edit(InternContact, contact, name=f"Ann {HOSTILE[2]}")
    letter = f"Dear reader,\n\n{hostile}\n\n{IMG} ends here."
    world.write(hr, forms.save_reference_letter, world.il_placement, letter, today=TODAY)
    for name in FORM_NAMES:
        path = tmp_path / f"{name}.pdf"
        content = world.read(
            hr, forms.form_content, name, today=TODAY, placement_id=world.il_placement
        )
        render_form(path, content)
        check_pdf(path)
        text = text_of(path)
        if name != "reference-letter":  # the saved letter, word for word, names no site
            assert f"Plant {HOSTILE[0]} {HOSTILE[1]}" in text, name
        if name in ("parental-consent", "il-notice-of-intent"):  # the home address
            assert f"{hostile} {IMG}" in text, name
        if name == "reference-letter":
            assert hostile in text and f"{IMG} ends here." in text
        if name == "parental-consent":
            assert f"Ann {HOSTILE[2]}" in text


def test_prefilled_forms_follow_the_roles_view(world: World) -> None:
    mentor, viewer = world.actors["mentor"], world.actors["viewer"]
    for name in FORM_NAMES:
        blank = world.read(mentor, forms.form_content, name, today=TODAY)
        assert not blank.prefilled
        if name in MENTOR_FORMS:
            filled = world.read(
                mentor, forms.form_content, name, today=TODAY, intern_id=world.own_intern
            )
            assert filled.prefilled
            assert not {"birth_date", "address", "guardians"} & set(dict(filled.values))
            with pytest.raises(NotFound):
                world.read(mentor, forms.form_content, name, today=TODAY, intern_id=world.stranger)
        else:
            with pytest.raises(PermissionDenied, match=r"^a mentor may not see"):
                world.read(
                    mentor, forms.form_content, name, today=TODAY, intern_id=world.own_intern
                )
    consent = world.read(
        viewer, forms.form_content, "parental-consent", today=TODAY, intern_id=world.il_intern
    )
    assert consent.value("birth_date") and consent.table("contacts")
    info = {f.name: f.mentor_may_fill for f in forms.list_forms()}
    assert [n for n, may in info.items() if may] == list(MENTOR_FORMS)


def test_the_parental_consent_shows_who_may_authorize_treatment(world: World) -> None:
    hr = world.actors["hr_admin"]
    with db.unit_of_work(world.factory, SYSTEM) as s:
        contacts = s.scalars(
            select(InternContact).where(InternContact.intern_id == world.il_intern)
        ).all()
        for i, c in enumerate(contacts):
            c.may_authorize_treatment = i == 0
        first = contacts[0].name
    content = world.read(
        hr, forms.form_content, "parental-consent", today=TODAY, intern_id=world.il_intern
    )
    table = content.table("contacts")
    assert table is not None
    assert [r[-1] for r in table.rows if r[0] == first] == ["Yes"]
    assert all(r[-1] == "No" for r in table.rows if r[0] != first)


def test_the_il_notice_states_the_notice_hours(world: World) -> None:
    hr = world.actors["hr_admin"]
    content = world.read(
        hr, forms.form_content, "il-notice-of-intent", today=TODAY, placement_id=world.il_placement
    )
    with db.read_session(world.factory, SYSTEM) as s:
        hours = s.scalars(
            select(NoticeHours).where(NoticeHours.placement_id == world.il_placement)
        ).all()
    days = {h.weekday for h in hours}
    assert content.value("days_per_week").startswith(f"{len(days)} (")
    table = content.table("notice_hours")
    assert table is not None and len(table.rows) == len(hours)
    assert content.value("hours_of_day") and content.value("hours_per_day")


def test_the_il_notice_is_refused_for_16_and_older_or_outside_illinois(world: World) -> None:
    hr = world.actors["hr_admin"]
    with db.read_session(world.factory, SYSTEM) as s:
        placement = s.get(Placement, world.il_placement)
        start, site = placement.start_date, placement.worksite_id
    world.edit(Intern, world.il_intern, birth_date=date(start.year - 16, start.month, 1))
    with pytest.raises(ValidationError, match="minors under 16") as caught:
        world.read(
            hr,
            forms.form_content,
            "il-notice-of-intent",
            today=TODAY,
            placement_id=world.il_placement,
        )
    assert "is 16 on the first day" in str(caught.value)
    world.edit(Intern, world.il_intern, birth_date=date(start.year - 15, start.month, 1))
    world.edit(Worksite, site, state="WI")
    with pytest.raises(ValidationError, match=r"for work in Illinois.*in WI"):
        world.read(
            hr,
            forms.form_content,
            "il-notice-of-intent",
            today=TODAY,
            placement_id=world.il_placement,
        )


def test_the_student_learner_agreement_prints_every_element_and_its_marker(
    world: World, tmp_path: Path
) -> None:
    with db.unit_of_work(world.factory, SYSTEM) as s:
        s.add(
            StudentLearnerAgreement(
                placement_id=world.il_placement,
                vocational_program="Welding co-op",
                educational_authority="District 205",
                work_incidental=True,
                supervisor_name="Zoë Łukasiewicz",
                work_processes="Week 1: safety; week 2: tack welds",
                employer_signed_by="Angela Ortiz",
                employer_signed_on=date(2025, 9, 1),
                school_copy_on_file=True,
            )
        )
    hr = world.actors["hr_admin"]
    content = world.read(
        hr,
        forms.form_content,
        "student-learner-agreement",
        today=TODAY,
        placement_id=world.il_placement,
    )
    assert content.value("employer_signed") == "Angela Ortiz, September 1, 2025"
    assert content.value("copies_on_file") == "school"
    path = tmp_path / "sla.pdf"
    render_form(path, content)
    text = text_of(path)
    for ref in ("(1)", "(2)(i)", "(2)(ii)", "(2)(iii)", "(2)(iv)", "(3)", "(4)", "(5)", "(6)"):
        assert f"{ref} " in text, ref
    assert "29 CFR 570.50(c); LEGAL.md §1.6 [V]" in text and "[M]" in text
    assert "Welding co-op" in text and "Zoë Łukasiewicz" in text


def test_the_reference_letter_is_kept_with_the_placement_and_audited(world: World) -> None:
    hr, mentor, viewer = (world.actors[r] for r in ("hr_admin", "mentor", "viewer"))
    draft = world.read(mentor, forms.reference_letter, world.own_placement, today=TODAY)
    assert not draft.saved and "I am pleased to recommend" in draft.text
    saved = world.write(
        mentor, forms.save_reference_letter, world.own_placement, "  Zoë did well.\n", today=TODAY
    )
    assert saved.saved and saved.text == "Zoë did well."
    with db.read_session(world.factory, SYSTEM) as s:
        event = s.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        assert f"placements:{world.own_placement}" in event.payload
        assert event.actor_name == mentor.name
    content = world.read(
        hr, forms.form_content, "reference-letter", today=TODAY, placement_id=world.own_placement
    )
    assert content.value("letter") == "Zoë did well."
    with pytest.raises(PermissionDenied, match=r"^a viewer may not write reference letters"):
        world.write(viewer, forms.save_reference_letter, world.own_placement, "x", today=TODAY)
    with db.read_session(world.factory, SYSTEM) as s:
        stranger_placement = s.scalar(
            select(Placement.id).where(Placement.intern_id == world.stranger).limit(1)
        )
    with pytest.raises(NotFound):
        world.write(mentor, forms.save_reference_letter, stranger_placement, "x", today=TODAY)
    with pytest.raises(ValidationError, match="text: is longer than"):
        world.write(hr, forms.save_reference_letter, world.own_placement, "x" * 10_001, today=TODAY)
    back = world.write(hr, forms.save_reference_letter, world.own_placement, "", today=TODAY)
    assert not back.saved and "I am pleased to recommend" in back.text


def test_a_form_name_or_placement_that_does_not_fit_is_refused(world: World) -> None:
    hr = world.actors["hr_admin"]
    with pytest.raises(ValidationError, match="name: is not a form"):
        world.read(hr, forms.form_content, "w-4", today=TODAY)
    with pytest.raises(NotFound):
        world.read(
            hr,
            forms.form_content,
            "timesheet",
            today=TODAY,
            intern_id=world.stranger,
            placement_id=world.own_placement,
        )


def test_write_form_goes_through_the_output_guard(world: World, demo_path: Path) -> None:
    content = world.read(world.actors["hr_admin"], forms.form_content, "timesheet", today=TODAY)
    with pytest.raises(ValidationError):
        write_form(demo_path, demo_path, content)


def test_hr_records_the_student_learner_terms_the_form_prints(world: World) -> None:
    hr, mentor = world.actors["hr_admin"], world.actors["mentor"]
    with db.read_session(world.factory, SYSTEM) as s:
        placement = s.scalar(  # one whose terms the sample left to record
            select(Placement.id)
            .where(
                Placement.program == "student_learner",
                ~Placement.student_learner_agreement.has(),
            )
            .limit(1)
        )
    assert placement is not None
    empty = world.read(hr, student_learner.student_learner_input, placement)
    assert empty == student_learner.StudentLearnerInput(placement)
    data = student_learner.StudentLearnerInput(
        placement,
        vocational_program="Welding co-op",
        work_incidental=True,
        supervisor_name="Zoë Łukasiewicz",
        work_processes="Week 1: safety\nWeek 2: tack welds",
        employer_signed_by="Angela Ortiz",
        employer_signed_on=date(2025, 9, 2),
        school_copy_on_file=True,
    )
    saved = world.write(hr, student_learner.save_student_learner_agreement, data, today=TODAY)
    assert saved == data
    content = world.read(
        hr, forms.form_content, "student-learner-agreement", today=TODAY, placement_id=placement
    )
    assert content.value("supervisor_name") == "Zoë Łukasiewicz"
    assert content.value("work_incidental") == "Yes"
    with pytest.raises(PermissionDenied):
        world.write(mentor, student_learner.save_student_learner_agreement, data, today=TODAY)
    bad = replace(
        data,
        school_signed_on=date(2025, 9, 3),
        employer_signed_on=date(2030, 1, 1),
        work_incidental="yes",  # type: ignore[arg-type]
    )
    with pytest.raises(ValidationError) as caught:
        world.write(hr, student_learner.save_student_learner_agreement, bad, today=TODAY)
    assert set(caught.value.by_field()) == {
        "school_signed_by",
        "employer_signed_on",
        "work_incidental",
    }
    with pytest.raises(ValidationError, match="placement: is not a student-learner placement"):
        world.write(
            hr,
            student_learner.save_student_learner_agreement,
            replace(data, placement_id=world.il_placement),
            today=TODAY,
        )


def test_the_sample_keeps_a_letter_and_student_learner_terms(world: World) -> None:
    """The demo's completed placement has its mentor's letter saved, and a begun
    student-learner placement its agreement's terms: the forms print them."""
    hr = world.actors["hr_admin"]
    with db.read_session(world.factory, SYSTEM) as s:
        completed = s.scalar(select(Placement.id).where(Placement.status == "completed"))
        terms = s.scalars(select(StudentLearnerAgreement)).all()
    assert completed is not None and len(terms) == 1
    letter = world.read(hr, forms.reference_letter, completed, today=TODAY)
    assert letter.saved and letter.text != letter.draft and "Friday huddle" in letter.text
    content = world.read(
        hr,
        forms.form_content,
        "student-learner-agreement",
        today=TODAY,
        placement_id=terms[0].placement_id,
    )
    assert (
        content.value("supervisor_name") and content.value("copies_on_file") == "school, employer"
    )
    assert content.value("employer_signed") and content.value("school_signed")
