"""What every packet shares: the verification code, the footer, bookmarks and a table of
contents, the metadata, tables that split with their header, and the texts in
``resources/packets/packets.toml``.

A packet is built in ONE ReportLab pass: ``NumberedCanvas`` already holds every page
until ``save()`` (for "Page X of Y"), so the table of contents' page numbers, the
bookmarks and the footers are all drawn then, when every section's page is known.
The verification code is a hash of the packet's data snapshot (``audit.canonical_json``),
never of the generation time or the chain head: the same data gives the same code.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from internhost.core.reports.fonts import REGULAR, font_runs, has_glyph
from internhost.core.reports.markup import esc
from internhost.core.reports.template import (
    FOOTER_SIZE,
    FOOTER_Y,
    MARGIN,
    PAGE_WIDTH,
    NumberedCanvas,
    build_pdf,
    draw_runs,
    fit,
    styles,
    text_width,
)
from internhost.core.trail.audit import canonical_json
from internhost.paths import resource

#: Characters of the verification code (base 32 of a SHA-256), shown in groups of four.
CODE_LENGTH = 12
GREY = colors.HexColor("#888888")
LIGHT = colors.HexColor("#eeeeee")


@cache
def texts() -> Mapping[str, Any]:
    """``resources/packets/packets.toml``: titles, notes, documents the school receives."""
    with resource("packets", "packets.toml").open("rb") as f:
        return tomllib.load(f)


def verification_code(snapshot: object) -> str:
    """12 base-32 characters of the SHA-256 of the snapshot's canonical JSON."""
    digest = hashlib.sha256(canonical_json(snapshot).encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


def shown_code(code: str) -> str:
    """``XXXX-XXXX-XXXX``, as the footer and the cover print it."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class PacketMeta:
    """What a packet says about itself: metadata, footer, the chain head it was made at."""

    title: str
    subject: str
    employer: str
    generated: date
    verification: str
    chain_seq: int | None = None
    chain_hash: str = ""
    rule_packs: Mapping[str, str] = field(default_factory=dict)

    @property
    def footer_middle(self) -> str:
        return (
            f"Generated {self.generated.isoformat()} · Verification {shown_code(self.verification)}"
        )

    @property
    def keywords(self) -> str:
        packs = ", ".join(f"{k} {v}" for k, v in sorted(self.rule_packs.items()))
        chain = f"audit chain seq {self.chain_seq} hash {self.chain_hash}" if self.chain_seq else ""
        parts = [f"Verification {shown_code(self.verification)}", chain, f"rule packs: {packs}"]
        return "; ".join(p for p in parts if p)

    def info(self) -> dict[str, str]:
        """Extra document-information entries: the code and the chain head, machine-readable."""
        return {
            "InternHostVerification": self.verification,
            "InternHostChainSeq": "" if self.chain_seq is None else str(self.chain_seq),
            "InternHostChainHash": self.chain_hash,
        }


def draw_footer(canvas: Canvas, meta: PacketMeta, page: int, total: int) -> None:
    """The packet's footer: employer left, date and code centred, "Page X of Y" right."""
    right = f"Page {page} of {total}"
    usable = PAGE_WIDTH - 2 * MARGIN
    middle = meta.footer_middle
    middle_width = text_width(middle, FOOTER_SIZE)
    left_room = (usable - middle_width) / 2 - 8
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, FOOTER_Y + 10, PAGE_WIDTH - MARGIN, FOOTER_Y + 10)
    draw_runs(canvas, MARGIN, FOOTER_Y, fit(meta.employer, FOOTER_SIZE, left_room), FOOTER_SIZE)
    draw_runs(canvas, (PAGE_WIDTH - middle_width) / 2, FOOTER_Y, middle, FOOTER_SIZE)
    draw_runs(canvas, PAGE_WIDTH - MARGIN, FOOTER_Y, right, FOOTER_SIZE, align="right")
    canvas.restoreState()


class _Info(PDFInfo):
    """The document information with InternHost's own entries beside the standard ones
    (ReportLab's ``PDFInfo.format`` with ``extra`` added)."""

    extra: Mapping[str, str] = {}

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {k: PDFString(v) for k, v in self.extra.items() if v}
        entries["Title"] = PDFString(self.title)
        entries["Author"] = PDFString(self.author)
        entries["ModDate"] = entries["CreationDate"] = PDFDate(
            ts=document._timeStamp, dateFormatter=getattr(self, "_dateFormatter", None)
        )
        entries["Producer"] = PDFString(self.producer)
        entries["Creator"] = PDFString(self.creator)
        entries["Subject"] = PDFString(self.subject)
        entries["Keywords"] = PDFString(self.keywords)
        entries["Trapped"] = PDFName(self.trapped)
        return PDFDictionary(entries).format(document)


@dataclass
class Layout:
    """What the single pass learns while drawing: each section's page, and where the
    table of contents wants each page number drawn."""

    #: page number -> [(key, title, level)], in drawing order
    marks: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    #: page number -> [(key, x, y)] of the contents' right edge
    toc: dict[int, list[tuple[str, float, float]]] = field(default_factory=dict)
    #: pages appended after the packet's own (their footers are stamped later)
    extra_pages: int = 0
    #: the packet's own pages, known once it is saved
    pages: int = 0


def packet_canvas(meta: PacketMeta, layout: Layout) -> type[Canvas]:
    """A ``NumberedCanvas`` drawing this packet's footer, bookmarks and contents numbers."""

    class PacketCanvas(NumberedCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            doc = self._doc  # type: ignore[attr-defined]  # (not in the stubs)
            info = _Info()
            info.__dict__.update(doc.info.__dict__)
            info.extra = meta.info()
            doc.info = info

        def _draw_footer(self, total: int) -> None:
            page = self.getPageNumber()
            # Bookmarks are set as each held page is really written: only then does
            # the document know which page object they point at.
            for key, title, level in layout.marks.get(page, ()):
                self.bookmarkPage(key)
                self.addOutlineEntry(title, key, level=level, closed=False)
            self.saveState()
            for key, x, y in layout.toc.get(page, ()):
                self.setFont(REGULAR, 10)
                self.drawRightString(x, y, str(layout.sections.get(key, "")))
            self.restoreState()
            layout.pages = total
            draw_footer(self, meta, page, total + layout.extra_pages)

    return PacketCanvas


@cache
def section_style(level: int) -> ParagraphStyle:
    """A section's heading (level 0) or a part of one (level 1)."""
    base = styles()["Heading2"]
    if level:
        return ParagraphStyle("PacketPart", base, fontSize=11, leading=14, spaceBefore=8)
    return ParagraphStyle(
        "PacketSection", base, fontSize=14, leading=18, spaceBefore=4, spaceAfter=8
    )


class Section(Paragraph):
    """A section heading that is also a bookmark and a line of the table of contents."""

    def __init__(
        self, key: str, title: str, layout: Layout, *, level: int = 0, hidden: bool = False
    ) -> None:
        super().__init__("" if hidden else esc(title), section_style(level))
        self.key, self.title, self.level, self.layout = key, title, level, layout
        self.hidden = hidden

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.hidden:  # a bookmark only (the cover's): takes no room
            return avail_width, 0
        return super().wrap(avail_width, avail_height)

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        self.layout.marks.setdefault(page, []).append((self.key, self.title, self.level))
        self.layout.sections.setdefault(self.key, page)
        if not self.hidden:
            super().draw()


class Contents(Flowable):
    """The table of contents: one line per section, its page number drawn at save."""

    LINE = 16

    def __init__(self, entries: Sequence[tuple[str, str]], layout: Layout) -> None:
        super().__init__()
        self.entries, self.layout = list(entries), layout

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.LINE * len(self.entries)

    def draw(self) -> None:
        c = self.canv
        page = c.getPageNumber()
        for n, (key, title) in enumerate(self.entries):
            y = self.LINE * (len(self.entries) - n - 1) + 4
            draw_runs(c, 0, y, fit(title, 10, self.width - 60), 10)
            c.setStrokeColor(GREY)
            c.setDash(1, 2)
            c.line(text_width(fit(title, 10, self.width - 60), 10) + 4, y, self.width - 30, y)
            c.setDash()
            x, abs_y = c.absolutePosition(self.width, y)
            self.layout.toc.setdefault(page, []).append((key, x, abs_y))


def shown_day(day: date | datetime | None) -> str:
    """A date (or a time stamp, to the minute) as packets print it; "—" for none."""
    if day is None:
        return "—"
    if isinstance(day, datetime):
        return f"{day:%Y-%m-%d %H:%M}"
    return day.isoformat()


def shown_hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def label(key: str) -> str:
    """A stored key as words: ``before_day_one`` → "Before day one"."""
    return key.replace("_", " ").capitalize()


def cell(text: object, *, bold: bool = False) -> Paragraph:
    """A table cell holding user text: escaped, wrapping, in the cell style."""
    return Paragraph(esc(text, bold=bold), styles()["TableCell"])


CELL_SIZE = 9
#: Padding a plain cell keeps inside its column (ReportLab's default 6 pt each side).
_CELL_PADDING = 12


def _plain(value: object, width: float | None) -> str | None:
    """``value`` as a plain cell's text when it needs no wrapping and no other font."""
    if width is None or not isinstance(value, str) or len(value) > 40 or "\n" in value:
        return None
    runs = font_runs(value)
    if len(runs) != 1 or runs[0][0] != REGULAR or not all(has_glyph(REGULAR, c) for c in value):
        return None
    if text_width(value, CELL_SIZE) > width - _CELL_PADDING:
        return None
    return value


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float | None],
    *,
    align_right: Sequence[int] = (),
) -> Table:
    """A table that splits across pages repeating its header; text cells wrap.

    A short one-line value that fits its fixed-width column in DejaVu (a date, a number,
    a status) is drawn as a plain cell, literally: a ``Paragraph`` per cell is most of a
    packet's build time, and only text that may wrap or switch font needs one."""
    body = [
        [
            value
            if isinstance(value, Flowable)
            else plain
            if (plain := _plain(value, widths[i] if i < len(widths) else None)) is not None
            else cell(value)
            for i, value in enumerate(row)
        ]
        for row in rows
    ]
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_SIZE + 2),
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in align_right]
    return Table(
        [[cell(h, bold=True) for h in header], *body],
        colWidths=list(widths),
        repeatRows=1,
        splitInRow=1,  # a note longer than a page continues on the next
        hAlign="LEFT",
        style=style,
    )


def facts_table(facts: Sequence[tuple[str, object]], label_width: float = 1.6 * inch) -> Table:
    """Label/value pairs, labels bold, values wrapping."""
    body = styles()["Normal"]
    return Table(
        [[Paragraph(esc(k, bold=True), body), Paragraph(esc(v), body)] for k, v in facts],
        colWidths=[label_width, None],
        splitInRow=1,
        hAlign="LEFT",
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def note(text: str) -> Paragraph:
    """A boxed note in small type (the "not legal advice" note, what is left out)."""
    style = ParagraphStyle(
        "PacketNote",
        styles()["Small"],
        borderColor=GREY,
        borderWidth=0.5,
        borderPadding=5,
        leftIndent=5,
        rightIndent=5,
        backColor=colors.HexColor("#f6f6f6"),
        spaceBefore=6,
        spaceAfter=10,
    )
    return Paragraph(esc(text), style)


def render(story: list[Flowable], meta: PacketMeta, layout: Layout) -> tuple[bytes, int]:
    """The packet's own pages as PDF bytes, and how many there are."""
    out = io.BytesIO()
    canvas = packet_canvas(meta, layout)
    build_pdf(
        out,
        story,
        title=meta.title,
        subject=meta.subject,
        author=meta.employer or "InternHost",
        header_left=meta.employer or meta.title,
        header_right=meta.title,
        keywords=meta.keywords,
        canvasmaker=canvas,
    )
    return out.getvalue(), layout.pages
