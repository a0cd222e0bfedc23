"""Attachments: scans of signed agreements, certificates and proofs of age, kept inside
the (encrypted) database as a ``Document``'s content, never as loose files.

``store_attachment`` accepts at most ``MAX_ATTACHMENT_BYTES`` and only content that
really is a PDF, PNG or JPEG by its first bytes (its "magic"), whatever the file is
called: the media type stored is the one the content shows. Anything else is a
``ValidationError`` naming the field (``content``, ``filename``, …), and nothing is
written. The content is hashed (SHA-256) and kept out of the audit trail (the
model redacts it); lists never load it (deferred), ``attachment_content`` does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import NotFound
from internhost.core.models import Document, Intern, Placement
from internhost.core.services.interns import visible_interns
from internhost.core.storage.db import DatabaseError
from internhost.core.validation import Checker

#: The largest attachment stored: 10 MB (a scanned multi-page agreement fits).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: Media type -> the bytes its files start with.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
ALLOWED = "a PDF, PNG or JPEG file"


@dataclass(frozen=True)
class AttachmentInput:
    doc_type: str
    filename: str
    content: bytes
    intern_id: int | None = None
    placement_id: int | None = None
    title: str = ""
    number: str = ""
    issued_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class AttachmentRow:
    """A stored attachment, without its content."""

    id: int
    intern_id: int | None
    placement_id: int | None
    doc_type: str
    title: str
    filename: str
    media_type: str
    size_bytes: int
    sha256: str


def sniff_media_type(content: bytes) -> str | None:
    """The media type ``content`` really is (PDF, PNG or JPEG), else None."""
    for media_type, prefixes in MAGIC.items():
        if any(content.startswith(p) for p in prefixes):
            if media_type == "image/png" and content[12:16] != b"IHDR":
                return None  # a PNG's first chunk is always its header
            return media_type
    return None


def _check(c: Checker, data: AttachmentInput) -> tuple[str, str] | None:
    """The sniffed media type and the cleaned file name; notes problems in ``c``."""
    filename = c.name("filename", data.filename, required=True, max_len=255)
    if any(ch in filename for ch in "/\\"):
        c.fail("filename", "is a file name, not a path")
    content = data.content
    if not isinstance(content, bytes | bytearray):
        c.fail("content", "is not file content")
        return None
    if not content:
        c.fail("content", "is empty")
        return None
    if len(content) > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        c.fail("content", f"is {len(content) / 1048576:.1f} MB; attachments may be {limit} MB")
        return None
    media_type = sniff_media_type(bytes(content[:16]))
    if media_type is None:
        c.fail("content", f"{filename or 'the file'} is not {ALLOWED} (by its content)")
        return None
    return media_type, filename


def store_attachment(s: Session, actor: Actor, data: AttachmentInput) -> AttachmentRow:
    """Keep an attachment for an intern or a placement (HR: ``EDIT_RECORDS``)."""
    require(actor, Permission.EDIT_RECORDS)
    c = Checker()
    doc_type = c.text("doc_type", data.doc_type, required=True, max_len=64)
    title = c.name("title", data.title, max_len=200)
    number = c.text("number", data.number, max_len=100)
    c.order("expires_on", data.issued_on, data.expires_on)
    if data.intern_id is None and data.placement_id is None:
        c.fail("intern_id", "an attachment belongs to an intern or a placement")
    checked = _check(c, data)
    c.done()
    assert checked is not None
    media_type, filename = checked
    if data.intern_id is not None:
        seen = s.scalar(
            visible_interns(select(Intern.id), actor, among=[data.intern_id]).where(
                Intern.id == data.intern_id
            )
        )
        if seen is None:
            raise NotFound(f"no intern with id {data.intern_id}")
    if data.placement_id is not None and s.get(Placement, data.placement_id) is None:
        raise NotFound(f"no placement with id {data.placement_id}")
    content = bytes(data.content)
    doc = Document(
        intern_id=data.intern_id,
        placement_id=data.placement_id,
        doc_type=doc_type,
        title=title,
        number=number,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
        filename=filename,
        media_type=media_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor.user_id,
    )
    s.add(doc)
    s.flush()
    _document_added(s, doc)
    return _row(doc)


def _document_added(s: Session, doc: Document) -> None:
    """A document is an input of its intern's checks (a work permit, a certificate):
    their findings are stale until checked again."""
    from internhost.core.services import compliance

    owner = doc.intern_id
    if owner is None and doc.placement_id is not None:
        owner = s.get_one(Placement, doc.placement_id).intern_id
    if owner is not None:
        compliance.mark_stale(s, {owner})


def _row(doc: Document) -> AttachmentRow:
    return AttachmentRow(
        id=doc.id,
        intern_id=doc.intern_id,
        placement_id=doc.placement_id,
        doc_type=doc.doc_type,
        title=doc.title,
        filename=doc.filename,
        media_type=doc.media_type,
        size_bytes=doc.size_bytes,
        sha256=doc.sha256 or "",
    )


def attachment_content(s: Session, actor: Actor, document_id: int) -> tuple[AttachmentRow, bytes]:
    """An attachment and its bytes, checked against the stored hash."""
    require(actor, Permission.READ_RECORDS)
    doc = s.scalar(
        select(Document).where(Document.id == document_id).options(undefer(Document.content))
    )
    if doc is None or doc.content is None:
        raise NotFound(f"no attachment with id {document_id}")
    if doc.intern_id is not None:
        mine = visible_interns(select(Intern.id), actor, among=[doc.intern_id])
        seen = s.scalar(mine.where(Intern.id == doc.intern_id))
        if seen is None:
            raise NotFound(f"no attachment with id {document_id}")
    if hashlib.sha256(doc.content).hexdigest() != doc.sha256:
        raise DatabaseError(f"attachment {document_id} is damaged (its content no longer matches)")
    return _row(doc), doc.content
