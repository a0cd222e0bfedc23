"""The school packet: every name extracted exactly, user text literal (no link, no
embedded file), only shared notes, the footer on every page, a verification code that
follows the data, reprints that name what they replace, appended documents made safe,
and who may print it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from packetkit import (
    HOSTILE,
    INTERNAL,
    MEDICAL,
    NAMES,
    TODAY,
    Case,
    no_links_or_files,
    opened,
    page_texts,
    prepare,
    syntax_ok,
    text,
)
from sqlalchemy import select

from internhost.core.errors import NotFound, PermissionDenied
from internhost.core.models import CheckIn, PacketExport
from internhost.core.services import packets
from internhost.core.storage import db

CODE = re.compile(r"Verification ([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})")


@pytest.fixture
def case(demo_path: Path):
    with opened(demo_path) as factory:
        yield prepare(factory, demo_path)


def render(case: Case, actor=None) -> packets.Rendered:
    with db.read_session(case.factory, actor or case.hr) as s:
        return packets.render_school_packet(
            s, actor or case.hr, case.intern_id, case.placement_id, TODAY
        )


def test_names_and_hostile_text_come_out_exactly(case: Case) -> None:
    rendered = render(case)
    body = text(rendered.content)
    for name in NAMES:
        assert name in body, name
    for line in HOSTILE:
        assert line in body, line
    no_links_or_files(rendered.content)
    syntax_ok(rendered.content)


def test_internal_and_medical_notes_never_appear(case: Case) -> None:
    for actor in (case.hr, case.mentor, case.viewer):
        body = text(render(case, actor).content)
        assert INTERNAL not in body and MEDICAL not in body


def test_every_page_has_the_footer_and_the_metadata_names_the_chain(case: Case) -> None:
    from pypdf import PdfReader

    rendered = render(case)
    pages = page_texts(rendered.content)
    assert len(pages) == rendered.pages > 3
    code = rendered.meta.verification
    shown = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert f"Verification {shown}" in page
        assert "Prairie Forge" in page and f"Generated {TODAY.isoformat()}" in page
    info = PdfReader(io.BytesIO(rendered.content)).metadata
    assert info is not None
    assert info.title == "School packet" and info.subject and info.author
    assert info["/InternHostVerification"] == code
    assert int(info["/InternHostChainSeq"]) == rendered.meta.chain_seq
    assert len(info["/InternHostChainHash"]) == 64
    assert "us-federal" in (info["/Keywords"] or "")


def test_contents_and_bookmarks_point_at_the_sections(case: Case) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render(case).content))
    outline = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert outline["Checklist"] >= 1 and outline["Signatures"] == len(reader.pages) - 1
    assert outline["School packet"] == 0
    # The contents' page numbers (drawn once every page is known) are the bookmarks'.
    sections = [title for title in outline if title != "School packet"]
    numbers = "\n".join(str(outline[title] + 1) for title in sections)
    assert numbers in reader.pages[0].extract_text()


def test_the_code_follows_the_data_and_a_reprint_names_what_it_replaces(
    case: Case, tmp_path: Path
) -> None:
    first, again = render(case), render(case)
    assert first.meta.verification == again.meta.verification
    out = tmp_path / "packet.pdf"
    with db.unit_of_work(case.factory, case.hr) as s:
        one = packets.write_packet(
            s, case.hr, case.intern_id, case.placement_id, out, case.path, today=TODAY
        )
    assert one.verification == first.meta.verification and not one.replaces
    with db.unit_of_work(case.factory, case.hr) as s:
        kept = packets.write_packet(
            s, case.hr, case.intern_id, case.placement_id, out, case.path, today=TODAY
        )
    assert kept.kept
    with db.unit_of_work(case.factory, case.hr) as s:
        check_in = s.scalars(
            select(CheckIn).where(CheckIn.placement_id == case.placement_id)
        ).first()
        check_in.shared_notes += " (corrected)"
    with db.unit_of_work(case.factory, case.hr) as s:
        two = packets.write_packet(
            s,
            case.hr,
            case.intern_id,
            case.placement_id,
            out,
            case.path,
            today=TODAY,
            overwrite=True,
        )
    assert two.verification != one.verification and two.replaces == one.verification
    body = text(out.read_bytes())
    shown = f"{one.verification[:4]}-{one.verification[4:8]}-{one.verification[8:]}"
    assert "replaces the version generated" in body and shown in body
    syntax_ok(out.read_bytes())
    with db.read_session(case.factory, case.hr) as s:
        rows = s.scalars(select(PacketExport).order_by(PacketExport.id)).all()
        assert [(r.intern_id, r.verification, r.replaces_id) for r in rows] == [
            (case.intern_id, one.verification, None),
            (case.intern_id, two.verification, rows[0].id),
        ]
        assert rows[1].sha256 == two.sha256 and rows[1].page_count == two.pages
        assert rows[1].chain_seq and len(rows[1].chain_hash) == 64
        assert rows[1].created_by == case.hr.user_id and rows[1].rule_packs["checklist"]
        listed = packets.list_packets(s, case.hr, case.intern_id)
        assert [p.verification for p in listed] == [two.verification, one.verification]


def _hostile_pdf() -> bytes:
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('boo');"),
            }
        )
    )
    writer._root_object[NameObject("/OpenAction")] = action
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    writer.add_attachment("secret.txt", b"embedded")
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://example.com/x"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, format="PNG")
    return out.getvalue()


def test_signed_documents_are_appended_safe_and_stamped(case: Case) -> None:
    from internhost.core.fileio.attachments import AttachmentInput, store_attachment

    with db.unit_of_work(case.factory, case.hr) as s:
        for name, content in (("agreement.pdf", _hostile_pdf()), ("consent.png", _png())):
            store_attachment(
                s,
                case.hr,
                AttachmentInput(
                    doc_type="placement_agreement" if name.endswith("pdf") else "parental_consent",
                    filename=name,
                    content=content,
                    intern_id=case.intern_id,
                    placement_id=case.placement_id,
                    title=f"Signed {name}",
                    number="AG-1",
                ),
            )
    rendered = render(case)
    pages = page_texts(rendered.content)
    assert len(pages) == rendered.pages
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert CODE.search(page).group(1).replace("-", "") == rendered.meta.verification
    assert "Appended: Signed agreement.pdf" in pages[-2]
    assert "Appended: Signed consent.png" in pages[-1]
    no_links_or_files(rendered.content)
    syntax_ok(rendered.content)


def test_a_mentor_prints_their_own_interns_only(case: Case) -> None:
    render(case, case.mentor)
    with db.read_session(case.factory, case.mentor) as s, pytest.raises(NotFound):
        packets.render_school_packet(s, case.mentor, case.other_intern_id, None, TODAY)


def test_names_are_slugged_in_ascii() -> None:
    assert packets.slug("Nguyễn Thị Ánh") == "nguyen-thi-anh"
    assert packets.slug("Zoë Łukasiewicz") == "zoe-ukasiewicz"
    assert packets.slug("李小龍") == "intern"


def test_a_role_without_the_permission_is_refused(case: Case) -> None:
    from internhost.core.actor import Actor, Role

    nobody = Actor(Role.MENTOR, "x", None, None)
    with db.read_session(case.factory, case.hr) as s, pytest.raises(NotFound):
        packets.render_school_packet(s, nobody, case.intern_id, None, TODAY)
    assert PermissionDenied  # the binder's refusal: test_packet_command
