"""Attachments inside the encrypted database: PDF, PNG or JPEG by content, 10 MB at most."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.fileio import attachments
from internhost.core.fileio.attachments import AttachmentInput, store_attachment
from internhost.core.models import AuditEvent, Document, Intern
from internhost.core.storage import db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\rIHDR"
    + b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    + zlib.crc32(b"IHDR").to_bytes(4, "big")
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
VIEWER = Actor(Role.VIEWER, "Vera Viewer", user_id=3)


@pytest.fixture
def factory(demo_path: Path):
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


def _intern_id(factory) -> int:
    with factory() as s:
        return s.scalar(select(Intern.id).order_by(Intern.id))


def _store(factory, actor=SYSTEM, **kw):
    data = {"doc_type": "signed_agreement", "filename": "agreement.pdf", "content": PDF}
    data.update(kw)
    if "intern_id" not in data and "placement_id" not in data:
        data["intern_id"] = _intern_id(factory)
    with db.unit_of_work(factory, actor) as s:
        return store_attachment(s, actor, AttachmentInput(**data))


@pytest.mark.parametrize(
    ("content", "media_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
    ids=["pdf", "png", "jpeg"],
)
def test_pdf_png_and_jpeg_are_kept_by_their_content(factory, content, media_type) -> None:
    row = _store(factory, content=content, filename="scan.bin")
    assert row.media_type == media_type  # what the bytes are, whatever the name says
    assert row.size_bytes == len(content)
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    with db.read_session(factory, SYSTEM) as s:
        back, data = attachments.attachment_content(s, SYSTEM, row.id)
    assert (back, data) == (row, content)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an executable renamed to .pdf", "not a PDF, PNG or JPEG"),
        (b"<html><script>alert(1)</script>", "not a PDF, PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00junk", "not a PDF, PNG or JPEG"),
        (b"", "is empty"),
    ],
    ids=["exe", "html", "fake png", "empty"],
)
def test_other_content_is_refused_naming_the_field(factory, content, message) -> None:
    with pytest.raises(ValidationError) as caught:
        _store(factory, content=content, filename="agreement.pdf")
    assert caught.value.by_field().keys() == {"content"}
    assert message in str(caught.value)
    with factory() as s:
        assert s.scalar(select(Document).where(Document.filename == "agreement.pdf")) is None


def test_the_size_limit(factory) -> None:
    limit = attachments.MAX_ATTACHMENT_BYTES
    assert limit == 10 * 1024 * 1024
    biggest = PDF + b"\x00" * (limit - len(PDF))
    assert _store(factory, content=biggest).size_bytes == limit
    with pytest.raises(ValidationError, match="attachments may be 10 MB") as caught:
        _store(factory, content=biggest + b"\x00")
    assert caught.value.by_field().keys() == {"content"}


def test_every_field_is_checked_before_anything_is_written(factory) -> None:
    with pytest.raises(ValidationError) as caught:
        _store(factory, doc_type="", filename="../../etc/passwd", content=b"text")
    assert caught.value.by_field().keys() == {"doc_type", "filename", "content"}
    with (
        pytest.raises(ValidationError, match="belongs to an intern or a placement"),
        db.unit_of_work(factory, SYSTEM) as s,
    ):
        store_attachment(s, SYSTEM, AttachmentInput("x", "a.pdf", PDF))
    with pytest.raises(NotFound):
        _store(factory, intern_id=99999)


def test_only_editors_store_and_the_audit_trail_never_holds_the_content(factory) -> None:
    with pytest.raises(PermissionDenied):
        _store(factory, actor=VIEWER)
    row = _store(factory)
    with factory() as s:  # the document's event (its intern's findings turned stale too)
        newest = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(3)).all()
    event = next((e for e in newest if f"documents:{row.id}" in e.payload), None)
    assert event is not None
    # Only a keyed hash of the content, which no one without the database's secret
    # can test a guess against (not even its plain SHA-256, which the row keeps).
    content = json.loads(event.payload)[f"documents:{row.id}"]["after"]["content"]
    assert content.startswith("hmac:") and len(content) == len("hmac:") + 64
    assert content.removeprefix("hmac:") != hashlib.sha256(PDF).hexdigest()
    assert "%PDF" not in event.payload
