"""What the packet tests share: the sample opened as HR, a mentor and a viewer; an
intern renamed to names that need every font; hostile text in a shared note; PDF text
and structure read back with pypdf and pikepdf."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import (
    CheckIn,
    Intern,
    InternContact,
    Note,
    Placement,
    School,
    Staff,
    UserAccount,
)
from internhost.core.storage import db

#: The sample's reference day: its placements have hours, check-ins and evaluations.
TODAY = date(2026, 11, 21)
NAMES = ("Nguyễn Thị Ánh", "Zoë Łukasiewicz", "José Núñez", "李小龍")
HOSTILE = (
    "x<y and y>z",
    "AT&T",
    "<b>not bold</b>",
    '<link href="https://example.com/evil">click</link>',
    '<img src="/etc/passwd"/>',
)
INTERNAL = "INTERNAL-SENTINEL-do-not-print"
MEDICAL = "MEDICAL-SENTINEL-do-not-print"


@dataclass(frozen=True)
class Case:
    factory: sessionmaker[Session]
    path: Path
    hr: Actor
    mentor: Actor
    viewer: Actor
    intern_id: int
    placement_id: int
    #: An intern the demo mentor does not mentor.
    other_intern_id: int


@contextmanager
def opened(path: Path) -> Iterator[sessionmaker[Session]]:
    engine = db.make_engine(path, TEST_KEY)
    try:
        yield db.make_session_factory(engine)
    finally:
        engine.dispose()


def actors(s: Session) -> dict[str, Actor]:
    out = {}
    for account in s.scalars(select(UserAccount)):
        role = Role(account.role)
        out[account.username] = Actor(role, account.display_name, account.id, account.staff_id)
    return out


def prepare(factory: sessionmaker[Session], path: Path) -> Case:
    """Rename the demo mentor's busiest intern and their people; put hostile text in a
    shared note and sentinels in an internal and a medical note."""
    with db.unit_of_work(factory, SYSTEM) as s:
        who = actors(s)
        mentor = who["mentor"]
        placement = s.scalars(
            select(Placement)
            .where(Placement.mentor_id == mentor.staff_id)
            .join(CheckIn, CheckIn.placement_id == Placement.id)
            .order_by(Placement.id)
        ).first()
        assert placement is not None
        intern = s.get(Intern, placement.intern_id)
        assert intern is not None
        intern.legal_first_name, intern.legal_last_name, intern.preferred_name = (
            "Nguyễn Thị",
            "Ánh",
            "",
        )
        staff = s.get(Staff, mentor.staff_id)
        assert staff is not None
        staff.first_name, staff.last_name = "Zoë", "Łukasiewicz"
        guardian = s.scalars(
            select(InternContact).where(
                InternContact.intern_id == intern.id, InternContact.kind == "guardian"
            )
        ).first()
        if guardian is None:
            guardian = InternContact(intern_id=intern.id, kind="guardian", name="")
            s.add(guardian)
        guardian.name = "José Núñez"
        school = s.get(School, placement.school_id)
        assert school is not None
        school.coordinator_name = "李小龍"
        check_in = s.scalars(
            select(CheckIn).where(CheckIn.placement_id == placement.id).order_by(CheckIn.id)
        ).first()
        assert check_in is not None
        check_in.shared_notes = "\n".join(HOSTILE)
        s.add(
            Note(
                intern_id=intern.id,
                placement_id=placement.id,
                check_in_id=check_in.id,
                author_user_id=who["hr"].user_id,
                visibility="internal",
                body=INTERNAL,
            )
        )
        other = s.scalar(
            select(Placement.intern_id)
            .where(Placement.mentor_id != mentor.staff_id)
            .where(
                Placement.intern_id.not_in(
                    select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
                )
            )
            .limit(1)
        )
        assert other is not None
        ids = (intern.id, placement.id, other)
    from internhost.core.services.intern_records import add_medical_note

    with db.unit_of_work(factory, who["hr"]) as s:
        add_medical_note(s, who["hr"], ids[0], MEDICAL)
    return Case(factory, path, who["hr"], who["mentor"], who["viewer"], *ids)


def text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def page_texts(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def syntax_ok(content: bytes) -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.check_pdf_syntax() == []


def no_links_or_files(content: bytes) -> None:
    """No link (or any) annotation on any page; no JavaScript or embedded file anywhere."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        assert "/Annots" not in page, "an annotation survived"
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
    assert "/OpenAction" not in root
    assert b"/JavaScript" not in content and b"/EmbeddedFile" not in content
    assert b"/URI" not in content and b"/Subtype /Link" not in content
