"""Schools' own forms: HR registers a school's fillable PDF once, maps each field to
an InternHost value, and the app fills it for any intern of that school.

The PDF is kept in the database (``SchoolForm``, as an attachment is) after
``fileio/acroform.read_fields`` accepted it: XFA, encrypted and field-less PDFs are
refused naming ``content``. Registering, mapping and deleting are HR's
(``EDIT_RECORDS``); reading the forms and previewing values anyone who reads;
filling needs ``PRINT_PACKETS``. Every value is read through the services the app
already has, as the acting role (``interns.get_intern``, ``hours_progress``), so a
birth date or a guardian a role may not see is withheld: the field stays empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import FieldError, NotFound, ValidationError
from internhost.core.fileio import acroform
from internhost.core.fileio.attachments import MAX_ATTACHMENT_BYTES
from internhost.core.models import Employer, Intern, Placement, School, Staff, Worksite
from internhost.core.models.school_forms import FIELD_NAME_MAX, SchoolForm, SchoolFormField
from internhost.core.reports import school_form_values as values
from internhost.core.services import hours_progress, interns
from internhost.core.services.exports import postal_address
from internhost.core.services.interns import visible_placements
from internhost.core.validation import Checker


@dataclass(frozen=True)
class SchoolFormInput:
    school_id: int
    name: str
    filename: str
    content: bytes
    flatten: bool = False


@dataclass(frozen=True)
class SchoolFormRow:
    id: int
    school_id: int
    school: str
    name: str
    filename: str
    size_bytes: int
    sha256: str
    flatten: bool
    mapped: int
    registered_at: str


@dataclass(frozen=True)
class FieldRow:
    """A field of the form and the value it is mapped to ("" when none)."""

    name: str
    kind: str
    kind_label: str
    choices: tuple[str, ...]
    fillable: bool
    value_key: str
    value_label: str
    page: int


@dataclass(frozen=True)
class SchoolFormDetail:
    form: SchoolFormRow
    fields: tuple[FieldRow, ...]
    #: Mapped field names no longer in the PDF (never, unless the file was replaced).
    orphans: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviewRow:
    field_name: str
    value_key: str
    value_label: str
    #: None: withheld from this role, the field stays empty.
    value: str | None


@dataclass(frozen=True)
class FormIntern:
    intern_id: int
    placement_id: int
    name: str


@dataclass(frozen=True)
class FilledForm:
    intern_id: int
    placement_id: int | None
    intern_name: str
    form_name: str
    flattened: bool
    content: bytes
    withheld: tuple[str, ...]


# -- reading the forms


def _form(s: Session, form_id: object, *, content: bool = False) -> SchoolForm:
    if not isinstance(form_id, int) or isinstance(form_id, bool) or not 0 < form_id < 2**63:
        raise NotFound(f"no school form with id {form_id}")
    stmt = select(SchoolForm).where(SchoolForm.id == form_id)
    if content:
        stmt = stmt.options(undefer(SchoolForm.content))
    found = s.scalar(stmt)
    if found is None:
        raise NotFound(f"no school form with id {form_id}")
    return found


def _mapping(s: Session, form_id: int) -> dict[str, str]:
    rows = s.execute(
        select(SchoolFormField.field_name, SchoolFormField.value_key).where(
            SchoolFormField.form_id == form_id
        )
    )
    return {name: key for name, key in rows}


def _row(s: Session, form: SchoolForm, mapped: int) -> SchoolFormRow:
    school = s.get(School, form.school_id)
    return SchoolFormRow(
        id=form.id,
        school_id=form.school_id,
        school=school.name if school else "",
        name=form.name,
        filename=form.filename,
        size_bytes=form.size_bytes,
        sha256=form.sha256,
        flatten=form.flatten,
        mapped=mapped,
        registered_at=form.created_at.isoformat(),
    )


def list_forms(s: Session, actor: Actor, school_id: int | None = None) -> list[SchoolFormRow]:
    """The registered forms (of one school), by school and name."""
    require(actor, Permission.READ_RECORDS)
    stmt = select(SchoolForm).order_by(SchoolForm.school_id, SchoolForm.name, SchoolForm.id)
    if school_id is not None:
        stmt = stmt.where(SchoolForm.school_id == school_id)
    forms = list(s.scalars(stmt))
    counts: dict[int, int] = {}
    for (form_id,) in s.execute(
        select(SchoolFormField.form_id).where(SchoolFormField.form_id.in_([f.id for f in forms]))
    ):
        counts[form_id] = counts.get(form_id, 0) + 1
    return [_row(s, f, counts.get(f.id, 0)) for f in forms]


def form_detail(s: Session, actor: Actor, form_id: int) -> SchoolFormDetail:
    """The form, its fields as the PDF has them, and what each is mapped to."""
    require(actor, Permission.READ_RECORDS)
    form = _form(s, form_id, content=True)
    return _detail(s, form)


def _detail(s: Session, form: SchoolForm) -> SchoolFormDetail:
    mapping = _mapping(s, form.id)
    fields = acroform.read_fields(form.content)
    names = {f.name for f in fields}
    return SchoolFormDetail(
        form=_row(s, form, len(mapping)),
        fields=tuple(
            FieldRow(
                name=f.name,
                kind=f.kind,
                kind_label=acroform.KIND_LABELS[f.kind],
                choices=f.choices,
                fillable=f.fillable,
                value_key=mapping.get(f.name, ""),
                value_label=values.label_of(mapping[f.name]) if f.name in mapping else "",
                page=f.page,
            )
            for f in fields
        ),
        orphans=tuple(sorted(set(mapping) - names)),
    )


# -- HR's changes


def register_form(s: Session, actor: Actor, data: SchoolFormInput) -> SchoolFormDetail:
    """Keep a school's fillable PDF (HR). Refused naming ``content`` when it cannot
    be filled: not a PDF, too big, encrypted, an XFA form, no fields."""
    require(actor, Permission.EDIT_RECORDS)
    c = Checker()
    name = c.name("name", data.name, required=True, max_len=200)
    filename = c.name("filename", data.filename, max_len=255)
    if any(ch in filename for ch in "/\\"):
        c.fail("filename", "is a file name, not a path")
    # Typed as the dataclass says, yet any value may come in (the hostile-input proof).
    flatten: object = data.flatten
    content: object = data.content
    school_id: object = data.school_id
    if not isinstance(flatten, bool):
        c.fail("flatten", "is yes or no")
    if not isinstance(content, bytes | bytearray) or not content:
        c.fail("content", "is empty" if not content else "is not file content")
    elif len(content) > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        c.fail("content", f"is {len(content) / 1048576:.1f} MB; a form may be {limit} MB")
    else:
        try:
            acroform.read_fields(bytes(content))
        except ValidationError as exc:
            c.errors.extend(exc.errors)
    c.done()
    if not isinstance(school_id, int) or not 0 < school_id < 2**63 or not s.get(School, school_id):
        raise NotFound(f"no school with id {school_id}")
    taken = s.scalar(
        select(SchoolForm.id).where(SchoolForm.school_id == school_id, SchoolForm.name == name)
    )
    if taken is not None:
        raise ValidationError(FieldError("name", f"the school already has a form named {name!r}"))
    assert isinstance(content, bytes | bytearray)  # c.done() refused anything else
    body = bytes(content)
    form = SchoolForm(
        school_id=school_id,
        name=name,
        filename=filename,
        size_bytes=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        content=body,
        flatten=bool(flatten),
        registered_by=actor.user_id,
    )
    s.add(form)
    s.flush()
    return _detail(s, form)


def save_mapping(
    s: Session,
    actor: Actor,
    form_id: int,
    mapping: Mapping[str, str | None],
    flatten: bool | None = None,
) -> SchoolFormDetail:
    """Map fields to values (a key of ``school_form_values``; "" or None unmaps),
    and set whether filled copies are flattened (None: unchanged). Fields not named
    keep their mapping."""
    require(actor, Permission.EDIT_RECORDS)
    form = _form(s, form_id, content=True)
    c = Checker()
    flat: object = flatten
    if flat is not None and not isinstance(flat, bool):
        c.fail("flatten", "is yes or no")
    if not isinstance(mapping, Mapping):
        c.fail("mapping", "is field names and value keys")
        c.done()
    kinds = {f.name: f for f in acroform.read_fields(form.content)}
    changes: dict[str, str | None] = {}
    given = cast(Mapping[object, object], mapping)
    for name, key in given.items():
        if not isinstance(name, str) or name not in kinds:
            shown = str(name)[:80]
            c.fail("mapping", f"the form has no field named {shown!r}")
            continue
        if len(name) > FIELD_NAME_MAX:
            c.fail(
                "mapping", f"field names longer than {FIELD_NAME_MAX} characters cannot be mapped"
            )
            continue
        if key in (None, ""):
            changes[name] = None
        elif not isinstance(key, str) or key not in values.KEYS:
            c.fail("mapping", f"{str(key)[:80]!r} is not a value InternHost can fill in")
        elif not kinds[name].fillable:
            c.fail("mapping", f"{name[:80]!r} is a {acroform.KIND_LABELS[kinds[name].kind]}")
        else:
            changes[name] = key
    c.done()
    existing = {
        f.field_name: f
        for f in s.scalars(select(SchoolFormField).where(SchoolFormField.form_id == form.id))
    }
    for name, key in changes.items():
        row = existing.get(name)
        if key is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(SchoolFormField(form_id=form.id, field_name=name, value_key=key))
        elif row.value_key != key:
            row.value_key = key
    if flatten is not None and flatten != form.flatten:
        form.flatten = flatten
    s.flush()
    return _detail(s, form)


def delete_form(s: Session, actor: Actor, form_id: int) -> None:
    require(actor, Permission.EDIT_RECORDS)
    s.delete(_form(s, form_id))
    s.flush()


# -- values and filling


def form_interns(s: Session, actor: Actor, form_id: int) -> list[FormIntern]:
    """The interns a form is filled for: each visible intern with a placement at the
    form's school (their latest there), by name."""
    require(actor, Permission.READ_RECORDS)
    form = _form(s, form_id)
    stmt = visible_placements(
        select(Placement.id, Placement.intern_id, Placement.start_date, Intern)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Placement.school_id == form.school_id, Intern.archived_at.is_(None))
        .order_by(Placement.start_date, Placement.id),
        actor,
    )
    latest: dict[int, FormIntern] = {}
    for placement_id, intern_id, _start, intern in s.execute(stmt):
        name = f"{intern.legal_last_name}, {intern.legal_first_name}"
        latest[intern_id] = FormIntern(intern_id, placement_id, name)
    return sorted(latest.values(), key=lambda r: (r.name.casefold(), r.intern_id))


def _facts(
    s: Session, actor: Actor, school_id: int, intern_id: int, today: date
) -> values.FormFacts:
    detail = interns.get_intern(s, actor, intern_id, today)
    chosen = s.scalar(
        select(Placement)
        .where(Placement.intern_id == detail.id, Placement.school_id == school_id)
        .order_by(Placement.start_date.desc(), Placement.id.desc())
        .limit(1)
    )
    if chosen is None:
        # A school's form is for its interns: another school's intern is a wrong pick.
        raise NotFound(f"intern {intern_id} has no placement at the form's school")
    row = next((p for p in detail.placements if p.id == chosen.id), None)
    site = s.get(Worksite, chosen.worksite_id) if chosen.worksite_id else None
    mentor = s.get(Staff, chosen.mentor_id) if chosen.mentor_id else None
    school = s.get(School, school_id)
    employer = s.scalar(select(Employer).order_by(Employer.id).limit(1))
    return values.FormFacts(
        intern=detail,
        placement=row,
        hours=hours_progress.intern_hours(s, actor, detail.id, today),
        school=dto.SchoolRow(
            id=school.id,
            name=school.name,
            district="",
            address=school.address,
            coordinator_name=school.coordinator_name,
            coordinator_email=school.coordinator_email,
            coordinator_phone=school.coordinator_phone,
            archived=school.archived_at is not None,
        )
        if school
        else None,
        employer_name=employer.legal_name if employer else "",
        worksite_address=postal_address(site) if site else "",
        mentor_phone=mentor.phone if mentor else "",
        today=today,
    )


def _values(
    s: Session, actor: Actor, form: SchoolForm, intern_id: int, today: date
) -> tuple[values.FormFacts, list[PreviewRow]]:
    facts = _facts(s, actor, form.school_id, intern_id, today)
    rows = [
        PreviewRow(name, key, values.label_of(key), values.value_of(key, facts, actor.can))
        for name, key in sorted(_mapping(s, form.id).items())
        if key in values.KEYS
    ]
    return facts, rows


def preview_values(
    s: Session, actor: Actor, form_id: int, intern_id: int, today: date
) -> list[PreviewRow]:
    """What each mapped field would hold for the intern, as the actor may see it."""
    require(actor, Permission.READ_RECORDS)
    form = _form(s, form_id)
    return _values(s, actor, form, intern_id, today)[1]


def preview_catalogue(
    s: Session, actor: Actor, form_id: int, intern_id: int, today: date
) -> dict[str, str | None]:
    """Every value of the catalogue for the intern (the mapping screen's preview
    beside each choice), None where the actor may not see it."""
    require(actor, Permission.READ_RECORDS)
    form = _form(s, form_id)
    facts = _facts(s, actor, form.school_id, intern_id, today)
    return {o.key: values.value_of(o.key, facts, actor.can) for o in values.CATALOGUE}


def fill_form(
    s: Session,
    actor: Actor,
    form_id: int,
    intern_id: int,
    today: date,
    flatten: bool | None = None,
) -> FilledForm:
    """The form filled for one intern (``flatten`` None: the form's own choice)."""
    require(actor, Permission.PRINT_PACKETS)
    form = _form(s, form_id, content=True)
    facts, rows = _values(s, actor, form, intern_id, today)
    flat = form.flatten if flatten is None else bool(flatten)
    filled = {r.field_name: r.value or "" for r in rows}
    content = acroform.fill(form.content, filled, flatten=flat)
    return FilledForm(
        intern_id=facts.intern.id,
        placement_id=facts.placement.id if facts.placement else None,
        intern_name=facts.intern.display_name,
        form_name=form.name,
        flattened=flat,
        content=content,
        withheld=tuple(r.field_name for r in rows if r.value is None),
    )
