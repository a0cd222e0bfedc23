"""Signed documents on file appended to a packet (pypdf), made safe and stamped.

A stored PDF is someone else's file: its pages are copied without their annotations
(links, form fields, file attachments), their page actions, and nothing of its
catalog (JavaScript, embedded files, open actions never come along). A PNG or JPEG
scan is placed on a letter page of its own. Every appended page gets the packet's
footer ("Page X of Y", employer, date, verification) and the document's title at
its top, so a loose page is still known as part of this packet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from internhost.core.reports.fonts import REGULAR, register_fonts
from internhost.core.reports.packet import PacketMeta, draw_footer
from internhost.core.reports.packet_data import DocumentLine
from internhost.core.reports.template import (
    HEADER_SIZE,
    HEADER_Y,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_SIZE,
    PAGE_WIDTH,
    draw_runs,
    fit,
)

#: Page keys dropped from a copied page: what could act or link.
_UNSAFE_PAGE_KEYS = ("/Annots", "/AA", "/B", "/PieceInfo", "/Metadata")


@dataclass(frozen=True)
class Attachment:
    """A document on file, prepared: its pages, ready to append."""

    line: DocumentLine
    pages: tuple[PageObject, ...]


def _image_page(content: bytes) -> PageObject:
    """A scan drawn to fit a letter page inside the margins, as a one-page PDF."""
    out = io.BytesIO()
    register_fonts()
    canvas = Canvas(out, pagesize=PAGE_SIZE, initialFontName=REGULAR)  # type: ignore[arg-type]
    image = ImageReader(io.BytesIO(content))
    width, height = image.getSize()
    room_w, room_h = PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2.2 * MARGIN
    scale = min(room_w / width, room_h / height)
    w, h = width * scale, height * scale
    canvas.drawImage(image, (PAGE_WIDTH - w) / 2, (PAGE_HEIGHT - h) / 2, w, h)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(out.getvalue())).pages[0]


def prepare(documents: Sequence[tuple[DocumentLine, bytes]]) -> list[Attachment]:
    """Each document's pages (PDF pages as they are, an image as one page)."""
    prepared = []
    for line, content in documents:
        if line.media_type == "application/pdf":
            reader = PdfReader(io.BytesIO(content))
            pages = tuple(reader.pages)
        else:
            pages = (_image_page(content),)
        prepared.append(Attachment(line, pages))
    return prepared


def page_count(attachments: Sequence[Attachment]) -> int:
    return sum(len(a.pages) for a in attachments)


def _stamps(
    attachments: Sequence[Attachment], meta: PacketMeta, first: int, total: int
) -> PdfReader:
    """One overlay page per appended page: its footer and the document's title."""
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE_SIZE, initialFontName=REGULAR)  # type: ignore[arg-type]
    number = first
    for attachment in attachments:
        title = attachment.line.title or attachment.line.doc_type.replace("_", " ")
        for n, page in enumerate(attachment.pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            canvas.setPageSize((width, height))
            label = f"Appended: {title} (page {n} of {len(attachment.pages)})"
            draw_runs(
                canvas,
                MARGIN,
                height - (PAGE_HEIGHT - HEADER_Y),
                fit(label, HEADER_SIZE, width - 2 * MARGIN),
                HEADER_SIZE,
            )
            draw_footer(canvas, meta, number, total)
            canvas.showPage()
            number += 1
    canvas.save()
    return PdfReader(io.BytesIO(out.getvalue()))


def _strip(page: PageObject) -> None:
    for key in _UNSAFE_PAGE_KEYS:
        if key in page:
            del page[NameObject(key)]


def attach(packet: bytes, attachments: Sequence[Attachment], meta: PacketMeta) -> tuple[bytes, int]:
    """The packet with the documents' pages after its own, each stamped; (bytes, pages)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(packet)))
    own = len(writer.pages)
    if not attachments:
        return packet, own
    total = own + page_count(attachments)
    stamps = _stamps(attachments, meta, own + 1, total)
    n = 0
    for attachment in attachments:
        title = attachment.line.title or attachment.line.doc_type.replace("_", " ")
        first_page = len(writer.pages)
        for page in attachment.pages:
            _strip(page)  # before copying, so nothing it pointed at is copied
            added = writer.add_page(page)
            added.merge_page(stamps.pages[n])
            n += 1
        writer.add_outline_item(title=f"Appended: {title}", page_number=first_page)
    writer.add_metadata(PdfReader(io.BytesIO(packet)).metadata or {})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total
