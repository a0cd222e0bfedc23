"""An intern's record after creation: editing it, archiving it, their guardians and
emergency contacts, medical notes (HR only) and the student records the school
released (FERPA, LEGAL.md C15).

Every function validates all its fields before writing and writes nothing on an
error. Editing facts the rules read (birth date, school, district of residence)
re-checks the intern's placements at once, so findings and checklists follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import NotFound
from internhost.core.models import (
    Intern,
    InternContact,
    MedicalNote,
    Placement,
    RecordRelease,
    School,
    UserAccount,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import CONTACT_KINDS
from internhost.core.rules.packs import reference
from internhost.core.services import compliance, interns
from internhost.core.services.interns import InternInput
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id, storable

ADDRESS_MAX = interns.ADDRESS_MAX
STUDENT_ID_MAX = interns.STUDENT_ID_MAX
NOTE_MAX = 4000

# -- the intern


def _intern(s: Session, actor: Actor, intern_id: int) -> Intern:
    """The intern if the actor may see them, else ``NotFound``."""
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    intern = s.scalar(
        interns.visible_interns(select(Intern), actor, among=[intern_id])
        .where(Intern.id == intern_id)
        .options(selectinload(Intern.contacts))
    )
    if intern is None:
        raise NotFound(f"no intern with id {intern_id}")
    return intern


def intern_input(s: Session, actor: Actor, intern_id: int) -> InternInput:
    """The stored values, for the edit form; saving them unchanged writes nothing."""
    require(actor, Permission.EDIT_RECORDS)
    intern = _intern(s, actor, intern_id)
    return InternInput(
        legal_first_name=intern.legal_first_name,
        legal_last_name=intern.legal_last_name,
        birth_date=intern.birth_date,
        school_id=intern.school_id,
        preferred_name=intern.preferred_name,
        grade=intern.grade,
        student_id=intern.student_id,
        address=intern.address,
        residence_district_id=intern.residence_district_id,
        residence_district_confirmed=intern.residence_district_confirmed,
    )


def update_intern(
    s: Session, actor: Actor, intern_id: int, data: InternInput, today: date
) -> dto.InternDetail:
    """Save the edited intern (the same checks as creating one, their own student id no
    clash), keep the search and sort names in step, then re-check their placements."""
    require(actor, Permission.EDIT_RECORDS)
    intern = _intern(s, actor, intern_id)
    check = Checker()
    cleaned = interns._checked_intern(s, data, today, check, intern_id=intern.id)
    check.done()
    audit.label(s, "update intern")
    first, last = cleaned["legal_first_name"], cleaned["legal_last_name"]
    preferred, student_id = cleaned["preferred_name"], cleaned["student_id"]
    address = cleaned["address"]
    old_school = s.get_one(School, intern.school_id)
    new_school = s.get_one(School, data.school_id)  # _checked_intern found it
    residence = data.residence_district_id
    confirmed = bool(data.residence_district_confirmed)
    # An unconfirmed district follows the attending school, as on creation.
    if not confirmed and (
        residence is None
        or (data.school_id != intern.school_id and residence == old_school.district_id)
    ):
        residence = new_school.district_id
    values = {
        "legal_first_name": first,
        "legal_last_name": last,
        "preferred_name": preferred,
        "birth_date": data.birth_date,
        "school_id": data.school_id,
        "grade": data.grade,
        "student_id": student_id,
        "address": address,
        "residence_district_id": residence,
        "residence_district_confirmed": confirmed,
        **interns.name_columns(first, last, preferred, student_id),
    }
    for key, value in values.items():
        setattr(intern, key, value)
    s.flush()
    compliance.check_intern(s, actor, intern.id, today)
    audit.label(s, "update intern")  # the re-check's changes belong to this edit
    return interns.get_intern(s, actor, intern.id, today)


def archive_intern(
    s: Session, actor: Actor, intern_id: int, *, today: date | None = None
) -> list[str]:
    """Archive an intern: they leave the active lists, and keep their placements and
    history untouched. Returns warnings for the GUI (placements still current).
    Archiving an archived intern changes nothing."""
    require(actor, Permission.EDIT_RECORDS)
    intern = _intern(s, actor, intern_id)
    day = today or date.today()
    current = (
        s.scalar(
            select(func.count(Placement.id)).where(
                Placement.intern_id == intern.id,
                Placement.archived_at.is_(None),
                (Placement.end_date.is_(None)) | (Placement.end_date >= day),
            )
        )
        or 0
    )
    warnings = []
    if current:
        are, them = ("s are", "them") if current != 1 else (" is", "it")
        warnings.append(f"{current} placement{are} still current: end or archive {them} too")
    if intern.archived_at is None:
        audit.label(s, "archive intern")
        intern.archived_at = utcnow()
        s.flush()
    return warnings


def restore_intern(s: Session, actor: Actor, intern_id: int) -> list[str]:
    """Bring an archived intern back; returns warnings (none so far), like archiving."""
    require(actor, Permission.EDIT_RECORDS)
    intern = _intern(s, actor, intern_id)
    if intern.archived_at is not None:
        audit.label(s, "restore intern")
        intern.archived_at = None
        s.flush()
    return []


# -- guardians and emergency contacts


@dataclass(frozen=True)
class ContactInput:
    kind: str  # "guardian" or "emergency"
    name: str
    relationship: str = ""
    phone: str = ""
    email: str = ""
    #: A parent's authorization of emergency medical treatment (LEGAL.md C16).
    may_authorize_treatment: bool = False


def contact_inputs(s: Session, actor: Actor, intern_id: int) -> tuple[ContactInput, ...]:
    """The stored contacts as the list ``save_contacts`` takes, guardians first."""
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_CONTACT_DETAILS)
    intern = _intern(s, actor, intern_id)
    return tuple(
        ContactInput(c.kind, c.name, c.relationship_, c.phone, c.email, c.may_authorize_treatment)
        for c in _ordered(intern.contacts)
    )


def _ordered(contacts: Sequence[InternContact]) -> list[InternContact]:
    rank = {kind: i for i, kind in enumerate(CONTACT_KINDS)}
    return sorted(contacts, key=lambda c: (rank.get(c.kind, 99), c.position, c.id or 0))


def save_contacts(
    s: Session, actor: Actor, intern_id: int, contacts: Sequence[ContactInput]
) -> tuple[dto.ContactRow, ...]:
    """Replace the intern's guardians and emergency contacts with ``contacts``: within
    each kind the order given is their order (the first guardian is the one exports
    and the roster import use). Errors name the row: ``contacts[2].email``."""
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_CONTACT_DETAILS)
    intern = _intern(s, actor, intern_id)
    check = Checker()
    cleaned: list[dict[str, object]] = []
    for i, c in enumerate(contacts):
        where = f"contacts[{i}]"
        kind = check.choice(f"{where}.kind", c.kind, CONTACT_KINDS)
        if c.may_authorize_treatment and kind == "emergency":
            check.fail(
                f"{where}.may_authorize_treatment",
                "only a parent or guardian may authorize medical treatment",
            )
        cleaned.append(
            {
                "kind": kind,
                "name": check.name(f"{where}.name", c.name, required=True),
                "relationship_": check.text(f"{where}.relationship", c.relationship, max_len=100),
                "phone": check.text(f"{where}.phone", c.phone, max_len=40),
                "email": check.email(f"{where}.email", c.email) or "",
                "may_authorize_treatment": bool(c.may_authorize_treatment),
            }
        )
    check.done()
    audit.label(s, "save contacts")
    # Stored rows are reused kind by kind, in order, so an unchanged list writes nothing.
    stored = {
        kind: [c for c in _ordered(intern.contacts) if c.kind == kind] for kind in CONTACT_KINDS
    }
    rows: list[InternContact] = []
    for kind in CONTACT_KINDS:
        for i, values in enumerate(v for v in cleaned if v["kind"] == kind):
            row = stored[kind][i] if i < len(stored[kind]) else InternContact(kind=kind)
            for key, value in values.items():
                setattr(row, key, value)
            rows.append(row)
    for position, row in enumerate(rows):
        row.position = position
    intern.contacts = rows
    s.flush()
    return tuple(interns.contact_row(c) for c in rows)


# -- medical notes (HR only)


def _author_id(s: Session, actor: Actor) -> int | None:
    """The actor's account id when it exists (accounts come later; the audit event
    names the actor in any case)."""
    if actor.user_id is None or s.get(UserAccount, actor.user_id) is None:
        return None
    return actor.user_id


def _account_names(s: Session, ids: set[int | None]) -> dict[int | None, str]:
    """The names of the accounts ``ids`` by id; a note without an author (None) finds
    no name."""
    ids.discard(None)
    if not ids:
        return {}
    return {
        a.id: a.display_name or a.username
        for a in s.scalars(select(UserAccount).where(UserAccount.id.in_(ids)))
    }


def list_medical_notes(s: Session, actor: Actor, intern_id: int) -> list[dto.MedicalNoteRow]:
    """The intern's medical notes, oldest first. Only roles that may see them may read."""
    require(actor, Permission.READ_RECORDS)
    require(actor, Permission.SEE_MEDICAL)
    _intern(s, actor, intern_id)
    notes = list(
        s.scalars(
            select(MedicalNote)
            .where(MedicalNote.intern_id == intern_id)
            .order_by(MedicalNote.created_at, MedicalNote.id)
        )
    )
    names = _account_names(s, {n.author_user_id for n in notes})
    return [
        dto.MedicalNoteRow(n.id, n.body, n.created_at, names.get(n.author_user_id)) for n in notes
    ]


def add_medical_note(s: Session, actor: Actor, intern_id: int, body: str) -> dto.MedicalNoteRow:
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_MEDICAL)
    _intern(s, actor, intern_id)
    check = Checker()
    text = check.text("body", body, required=True, max_len=NOTE_MAX, multiline=True)
    check.done()
    audit.label(s, "add medical note")
    note = MedicalNote(intern_id=intern_id, body=text, author_user_id=_author_id(s, actor))
    s.add(note)
    s.flush()
    s.refresh(note, ["created_at"])  # stamped by the database
    names = _account_names(s, {note.author_user_id})
    return dto.MedicalNoteRow(note.id, note.body, note.created_at, names.get(note.author_user_id))


def delete_medical_note(s: Session, actor: Actor, note_id: int) -> None:
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_MEDICAL)
    note = by_id(s, MedicalNote, note_id)
    if note is None:
        raise NotFound(f"no medical note with id {note_id}")
    _intern(s, actor, note.intern_id)
    audit.label(s, "delete medical note")
    s.delete(note)
    s.flush()


# -- student records released by the school (FERPA, LEGAL.md C15)

#: The basis that needs a signature: signed and dated written consent, with its
#: citation from the checklist pack (C15).
WRITTEN_CONSENT = f"written consent ({reference('written_consent')})"


@dataclass(frozen=True)
class ReleaseInput:
    """A record the school released: what, when, on what basis (written consent under
    99.30 or an exception) and whether the school gave the redisclosure notice (99.33)."""

    record_type: str
    released_on: date | None
    consent_basis: str = ""
    consent_signed_by: str = ""
    redisclosure_notice_received: bool = False


def _release_row(r: RecordRelease) -> dto.ReleaseRow:
    return dto.ReleaseRow(
        id=r.id,
        intern_id=r.intern_id,
        record_type=r.record_type,
        released_on=r.released_on,
        consent_basis=r.consent_basis,
        consent_signed_by=r.consent_signed_by,
        redisclosure_notice_received=r.redisclosure_notice_received,
        document_id=r.document_id,
    )


def list_releases(s: Session, actor: Actor, intern_id: int) -> list[dto.ReleaseRow]:
    """The records the school released for this intern, newest first."""
    require(actor, Permission.READ_RECORDS)
    require(actor, Permission.SEE_SCHOOL_RECORDS)
    _intern(s, actor, intern_id)
    releases = s.scalars(
        select(RecordRelease)
        .where(RecordRelease.intern_id == intern_id)
        .order_by(RecordRelease.released_on.desc(), RecordRelease.id.desc())
    )
    return [_release_row(r) for r in releases]


def release_input(s: Session, actor: Actor, release_id: int) -> ReleaseInput:
    """A stored release as the form edits it."""
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_SCHOOL_RECORDS)
    release = _release(s, actor, release_id)
    return ReleaseInput(
        release.record_type,
        release.released_on,
        release.consent_basis,
        release.consent_signed_by,
        release.redisclosure_notice_received,
    )


def _release(s: Session, actor: Actor, release_id: int) -> RecordRelease:
    release = by_id(s, RecordRelease, release_id)
    if release is None:
        raise NotFound(f"no released record with id {release_id}")
    _intern(s, actor, release.intern_id)
    return release


def save_release(
    s: Session,
    actor: Actor,
    intern_id: int,
    data: ReleaseInput,
    release_id: int | None = None,
    *,
    today: date,
) -> int:
    """Record (or correct) a released student record; returns its id. The basis is
    required; written consent names who signed it; the release is not in the future."""
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_SCHOOL_RECORDS)
    _intern(s, actor, intern_id)
    release = None
    if release_id is not None:
        release = _release(s, actor, release_id)
        if release.intern_id != intern_id:
            raise NotFound(f"no released record with id {release_id} for intern {intern_id}")
    check = Checker()
    record_type = check.name("record_type", data.record_type, required=True)
    basis = check.text("consent_basis", data.consent_basis, required=True)
    signed_by = check.name("consent_signed_by", data.consent_signed_by)
    written = basis.casefold() == WRITTEN_CONSENT.casefold()
    if written and not signed_by and not check.failed("consent_signed_by"):
        check.fail("consent_signed_by", f"is required for {WRITTEN_CONSENT}")
    released_on = data.released_on
    if released_on is None:
        check.fail("released_on", "is required")
    elif released_on > today:
        check.fail("released_on", "is in the future")
    check.done()
    assert released_on is not None  # or the checker noted it, and done() raised
    audit.label(s, "save released record")
    if release is None:
        release = RecordRelease(intern_id=intern_id)
        s.add(release)
    release.record_type = record_type
    release.released_on = released_on
    release.consent_basis = basis
    release.consent_signed_by = signed_by
    release.redisclosure_notice_received = bool(data.redisclosure_notice_received)
    s.flush()
    return release.id


def delete_release(s: Session, actor: Actor, release_id: int) -> None:
    require(actor, Permission.EDIT_RECORDS)
    require(actor, Permission.SEE_SCHOOL_RECORDS)
    release = _release(s, actor, release_id)
    audit.label(s, "delete released record")
    s.delete(release)
    s.flush()


# -- the intern editor's one save


def save_intern(
    s: Session,
    actor: Actor,
    intern_id: int | None,
    data: InternInput,
    contacts: Sequence[ContactInput] | None,
    today: date,
) -> dto.InternDetail:
    """Create (``intern_id`` None) or update an intern and, when given, replace their
    contacts, in the caller's one unit of work: a form's details and contacts are
    saved together or not at all, audited as the creation or edit they are."""
    operation = "create intern" if intern_id is None else "update intern"
    if intern_id is None:
        detail = interns.create_intern(s, actor, data, today)
    else:
        detail = update_intern(s, actor, intern_id, data, today)
    if contacts is not None:
        save_contacts(s, actor, detail.id, contacts)
        detail = interns.get_intern(s, actor, detail.id, today)
    audit.label(s, operation)
    return detail
