"""Schools' own forms (issue 15): a school's AcroForm PDF, built here with ReportLab's
``canvas.acroForm``, registered by HR, mapped to InternHost values and filled for the
school's interns, flattened or left editable; XFA, encrypted and field-less PDFs
refused; every name read back exactly."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from formkit import FIELDS, encrypted_form, plain_pdf, school_form, xfa_form
from proofkit import hr_actor
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import NotFound, ValidationError
from internhost.core.fileio import acroform
from internhost.core.models import Intern, Placement
from internhost.core.reports import school_forms as writer
from internhost.core.services import accounts, school_forms
from internhost.core.storage import db, secrets

TODAY = date(2026, 11, 20)
#: The sample's interns by last name, and their legal name as "first last".
NAMES = {"Nguyễn": "Thị Ánh Nguyễn", "Łukasiewicz": "Zoë Łukasiewicz", "Núñez": "José Núñez"}
MAPPING = {
    "student_name": "intern.legal_name",
    "birth_date": "intern.birth_date",
    "mentor": "mentor.name",
    "employer": "employer.name",
    "notes": "worksite.address",
    "cde_met": "form.checked",
    "grade": "intern.grade",
}


def fields_of(content: bytes) -> dict[str, object]:
    found = PdfReader(io.BytesIO(content)).get_fields() or {}
    return {name: f.get("/V") for name, f in found.items()}


def text_of(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def syntax_ok(content: bytes) -> None:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.check_pdf_syntax() == []


# -- the PDF alone


def test_the_fields_are_read_with_their_kinds_and_choices() -> None:
    found = {f.name: f for f in acroform.read_fields(school_form())}
    assert {n: f.kind for n, f in found.items()} == FIELDS
    assert found["grade"].choices == ("9", "10", "11", "12")
    assert found["term"].choices == ("Fall", "Spring")
    assert found["cde_met"].choices == ("Yes",)
    assert found["notes"].multiline and not found["student_name"].multiline


@pytest.mark.parametrize("flatten", [False, True])
def test_every_name_is_filled_exactly(flatten: bool) -> None:
    values = {
        "student_name": "Nguyễn Thị Ánh",
        "birth_date": "李小龍",
        "mentor": "Zoë Łukasiewicz",
        "employer": "José Núñez & Co <b>x</b> <link href='http://x'>y</link>",
        "cde_met": "Yes",
        "grade": "11",
        "term": "Spring",
    }
    filled = acroform.fill(school_form(), values, flatten=flatten)
    syntax_ok(filled)
    reader = PdfReader(io.BytesIO(filled))
    if flatten:
        assert not reader.get_fields()
        assert "/AcroForm" not in reader.trailer["/Root"]
        assert not [a for a in reader.pages[0].get("/Annots") or ()]
        text = text_of(filled)
        for value in ("Nguyễn Thị Ánh", "李小龍", "Zoë Łukasiewicz", "José Núñez & Co <b>x</b>"):
            assert value in text
    else:
        found = fields_of(filled)
        for name in ("student_name", "birth_date", "mentor", "employer", "grade"):
            assert found[name] == values[name]
        assert found["cde_met"] == "/Yes" and found["term"] == "/Spring"
        acro = reader.trailer["/Root"]["/AcroForm"]
        assert acro["/NeedAppearances"] is False or acro["/NeedAppearances"] == False  # noqa: E712
    # The fonts drawn are the shipped ones, embedded as subsets; no link was made.
    assert b"DejaVuSans" in filled and b"DroidSansFallback" in filled
    assert all(
        a.get_object().get("/Subtype") != "/Link" for a in reader.pages[0].get("/Annots") or ()
    )


def test_unticked_and_unknown_states_leave_buttons_off() -> None:
    filled = acroform.fill(school_form(), {"cde_met": "Off", "term": "Winter"}, flatten=False)
    found = fields_of(filled)
    assert found["cde_met"] == "/Off" and found["term"] == "/Off"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (xfa_form(), "XFA"),
        (encrypted_form(), "encrypted"),
        (plain_pdf(), "no fillable fields"),
        (b"PK\x03\x04 not a pdf", "not a PDF"),
        (b"%PDF-1.7\n garbage", "readable"),
    ],
    ids=["xfa", "encrypted", "no fields", "zip", "broken"],
)
def test_forms_that_cannot_be_filled_are_refused(content: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        acroform.read_fields(content)
    (error,) = caught.value.errors
    assert error.field == "content" and words in error.message


HOSTILE_NAMES = (
    "<b>bold</b>",
    "a&b;c",
    "name with spaces",
    "Ünïcödé 名前",
    "x" * 300,
    "(parens) \\back",
)


def test_hostile_field_names_are_listed_and_filled() -> None:
    content = school_form(extra=HOSTILE_NAMES)
    names = {f.name for f in acroform.read_fields(content)}
    assert set(HOSTILE_NAMES) <= names
    values = {name: f"value {i} Łódź" for i, name in enumerate(HOSTILE_NAMES)}
    found = fields_of(acroform.fill(content, values, flatten=False))
    assert {n: found[n] for n in HOSTILE_NAMES} == values


# -- the service on the sample


@pytest.fixture
def world(demo_path: Path) -> Iterator[tuple[sessionmaker[Session], dict[str, Actor], Path]]:
    engine = db.make_engine(demo_path, secrets.read_database_key(demo_path))
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        actors = {r.role: accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM)}
    actors["hr_admin"] = hr_actor(factory)
    yield factory, actors, demo_path
    engine.dispose()


def _school_of(factory: sessionmaker[Session], last_name: str) -> tuple[int, int]:
    """(school id of the intern's latest placement, intern id)."""
    with db.read_session(factory, SYSTEM) as s:
        intern = s.scalar(select(Intern).where(Intern.legal_last_name == last_name))
        assert intern is not None
        school = s.scalar(
            select(Placement.school_id)
            .where(Placement.intern_id == intern.id)
            .order_by(Placement.start_date.desc())
        )
        assert school is not None
        return school, intern.id


def _register(factory: sessionmaker[Session], hr: Actor, school: int, **kw: object) -> int:
    data = school_forms.SchoolFormInput(school, "WBL form", "wbl.pdf", school_form())
    with db.unit_of_work(factory, hr) as s:
        form = school_forms.register_form(s, hr, replace(data, **kw))
        school_forms.save_mapping(s, hr, form.form.id, MAPPING)
        return form.form.id


def test_hr_registers_maps_and_fills_each_name(world) -> None:
    factory, actors, _path = world
    hr = actors["hr_admin"]
    for last, name in NAMES.items():
        school, intern = _school_of(factory, last)
        form = _register(factory, hr, school, name=f"WBL {last}")
        with db.read_session(factory, hr) as s:
            detail = school_forms.form_detail(s, hr, form)
            assert {f.name: f.value_key for f in detail.fields if f.value_key} == MAPPING
            filled = school_forms.fill_form(s, hr, form, intern, TODAY, flatten=False)
            flat = school_forms.fill_form(s, hr, form, intern, TODAY, flatten=True)
        found = fields_of(filled.content)
        assert found["student_name"] == name
        assert found["birth_date"].count("/") == 2 and found["cde_met"] == "/Yes"
        assert name in text_of(flat.content)
        assert not PdfReader(io.BytesIO(flat.content)).get_fields()


def test_a_mentor_previews_and_fills_without_birth_dates(world) -> None:
    factory, actors, _path = world
    hr, mentor = actors["hr_admin"], actors["mentor"]
    with db.read_session(factory, SYSTEM) as s:
        own = s.scalar(select(Placement).where(Placement.mentor_id == mentor.staff_id).limit(1))
        assert own is not None
        school, intern = own.school_id, own.intern_id
    form = _register(factory, hr, school)
    with db.read_session(factory, mentor) as s:
        rows = {
            r.field_name: r.value
            for r in school_forms.preview_values(s, mentor, form, intern, TODAY)
        }
        assert rows["birth_date"] is None and rows["student_name"]
        catalogue = school_forms.preview_catalogue(s, mentor, form, intern, TODAY)
        assert catalogue["guardian.name"] is None and catalogue["intern.address"] is None
        # Mentors print for their own interns (PRINT_PACKETS), the birth date withheld.
        filled = school_forms.fill_form(s, mentor, form, intern, TODAY)
        assert filled.withheld == ("birth_date",) and filled.content.startswith(b"%PDF-")
    with db.read_session(factory, hr) as s:
        rows = {
            r.field_name: r.value for r in school_forms.preview_values(s, hr, form, intern, TODAY)
        }
        assert rows["birth_date"]


def test_bad_registrations_and_mappings_name_their_field(world) -> None:
    factory, actors, _path = world
    hr = actors["hr_admin"]
    school, _intern = _school_of(factory, "Núñez")
    form = _register(factory, hr, school)
    cases = [
        (dict(content=xfa_form(), name="Other"), "content"),
        (dict(content=b"", name="Other"), "content"),
        (dict(name="WBL form"), "name"),
        (dict(name="  "), "name"),
        (dict(filename="../x.pdf", name="Other"), "filename"),
    ]
    for changes, field in cases:
        with pytest.raises(ValidationError) as caught, db.unit_of_work(factory, hr) as s:
            data = school_forms.SchoolFormInput(school, "WBL form", "wbl.pdf", school_form())
            school_forms.register_form(s, hr, replace(data, **changes))
        assert {e.field for e in caught.value.errors} == {field}, changes
    for mapping in ({"nope": "intern.legal_name"}, {"student_name": "intern.password"}):
        with pytest.raises(ValidationError) as caught, db.unit_of_work(factory, hr) as s:
            school_forms.save_mapping(s, hr, form, mapping)
        assert {e.field for e in caught.value.errors} == {"mapping"}
    # A field name longer than a mapping stores is listed, never mapped.
    long_name = "x" * 600
    with db.unit_of_work(factory, hr) as s:
        data = school_forms.SchoolFormInput(
            school, "Long", "l.pdf", school_form(extra=(long_name,))
        )
        long_form = school_forms.register_form(s, hr, data)
    assert long_name in {f.name for f in long_form.fields}
    with pytest.raises(ValidationError) as caught, db.unit_of_work(factory, hr) as s:
        school_forms.save_mapping(s, hr, long_form.form.id, {long_name: "intern.grade"})
    assert "longer than 500" in caught.value.errors[0].message
    with pytest.raises(NotFound), db.unit_of_work(factory, hr) as s:
        school_forms.register_form(
            s, hr, school_forms.SchoolFormInput(10**6, "X", "x.pdf", school_form())
        )
    with db.unit_of_work(factory, hr) as s:
        detail = school_forms.save_mapping(s, hr, form, {"student_name": None}, flatten=True)
    assert detail.form.flatten and "student_name" not in {
        f.name for f in detail.fields if f.value_key
    }


def test_a_school_batch_writes_a_file_per_intern_and_keeps_existing_ones(world, tmp_path) -> None:
    factory, actors, path = world
    hr = actors["hr_admin"]
    school, _intern = _school_of(factory, "Łukasiewicz")
    form = _register(factory, hr, school, flatten=True)
    with db.read_session(factory, hr) as s:
        interns = school_forms.form_interns(s, hr, form)
    assert interns
    out = tmp_path / "forms"
    report = writer.fill_to_folder(factory, hr, form, out, path, TODAY)
    assert not report.failed and len(report.written) == len(interns)
    names = sorted(p.name for p in out.iterdir())
    assert all(n.isascii() and n.endswith("-wbl-form.pdf") for n in names)
    assert any("zoe-lukasiewicz" in n for n in names)
    for written in out.iterdir():
        assert not PdfReader(written).get_fields()
    again = writer.fill_to_folder(factory, hr, form, out, path, TODAY)
    assert sorted(again.kept) == sorted(report.written) and not again.written
    for guarded in (path, path.with_name(path.name + ".backups")):
        with pytest.raises(ValidationError):
            writer.fill_to_folder(factory, hr, form, guarded, path, TODAY, force=True)


def test_file_slugs_are_ascii() -> None:
    assert writer.file_slug("Nguyễn Thị Ánh") == "nguyen-thi-anh"
    assert writer.file_slug("Zoë Łukasiewicz") == "zoe-lukasiewicz"
    assert writer.file_slug("李小龍") == "intern"
    assert writer.file_slug("../../etc/passwd") == "etc-passwd"


def test_a_damaged_widget_is_refused_not_a_crash() -> None:
    """A widget without its rectangle (hand-edited PDFs have them) cannot be drawn:
    the fill says so naming the content, rather than failing with a KeyError."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(school_form())))
    for annot in writer.pages[0]["/Annots"]:
        widget = annot.get_object()
        if widget.get("/T") == "student_name":
            del widget["/Rect"]
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError) as caught:
        acroform.fill(out.getvalue(), {"student_name": "Ana"}, flatten=False)
    assert caught.value.errors[0].field == "content"
    assert "could not be filled" in caught.value.errors[0].message


def test_a_batch_keeps_going_past_a_failing_intern(world, tmp_path) -> None:
    factory, actors, path = world
    hr = actors["hr_admin"]
    school, intern = _school_of(factory, "Núñez")
    form = _register(factory, hr, school)
    report = writer.fill_to_folder(
        factory, hr, form, tmp_path / "out", path, TODAY, intern_ids=[10**6, intern]
    )
    assert [f["intern_id"] for f in report.failed] == [10**6]
    assert "no intern" in str(report.failed[0]["error"])
    assert len(report.written) == 1 and "jose-nunez" in report.written[0]


def test_another_schools_intern_is_not_found(world) -> None:
    factory, actors, _path = world
    hr = actors["hr_admin"]
    school, _intern = _school_of(factory, "Núñez")
    elsewhere, zoe = _school_of(factory, "Łukasiewicz")
    assert elsewhere != school
    form = _register(factory, hr, school)
    with db.read_session(factory, hr) as s:
        with pytest.raises(NotFound, match="no placement at the form's school"):
            school_forms.fill_form(s, hr, form, zoe, TODAY)
        assert zoe not in {r.intern_id for r in school_forms.form_interns(s, hr, form)}
