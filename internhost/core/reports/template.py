"""The page every InternHost report is built on: letter, header line, "Page X of Y".

Everything here draws with the shipped TTFs only (DejaVu, Droid Sans Fallback for
CJK runs), so no base-14 font is referenced and no name turns into "■".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO, Literal

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from internhost.core.reports.fonts import BOLD, REGULAR, font_runs, register_fonts
from internhost.core.reports.markup import clean

PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZE = letter
MARGIN = 0.75 * inch
TOP_MARGIN = 1.0 * inch
BOTTOM_MARGIN = 0.9 * inch
HEADER_Y = PAGE_HEIGHT - 0.6 * inch
FOOTER_Y = 0.5 * inch
HEADER_SIZE = 9
FOOTER_SIZE = 8
_ELLIPSIS = "…"


@cache
def styles() -> Mapping[str, ParagraphStyle]:
    """The shared paragraph styles, all DejaVu. Treat as read-only; derive with ``parent=``."""
    register_fonts()
    normal = ParagraphStyle(
        "Normal", fontName=REGULAR, bulletFontName=REGULAR, fontSize=10, leading=13
    )
    return {
        "Normal": normal,
        "Title": ParagraphStyle(
            "Title", normal, fontName=BOLD, fontSize=16, leading=20, spaceAfter=8
        ),
        "Heading2": ParagraphStyle(
            "Heading2",
            normal,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "Small": ParagraphStyle("Small", normal, fontSize=8, leading=10),
        "TableCell": ParagraphStyle("TableCell", normal, fontSize=9, leading=11),
    }


def _line(text: object) -> str:
    """User value → one drawable line (canvas text has no line breaks)."""
    return " ".join(clean(text).split())


def _measured_runs(text: object, size: float, bold: bool) -> list[tuple[str, str, float]]:
    return [
        (font, chars, stringWidth(chars, font, size))
        for font, chars in font_runs(_line(text), bold)
    ]


def text_width(text: object, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` as :func:`draw_runs` would draw it."""
    return sum(width for _, _, width in _measured_runs(text, size, bold))


def draw_runs(
    canvas: Canvas,
    x: float,
    y: float,
    text: object,
    size: float,
    *,
    bold: bool = False,
    align: Literal["left", "right"] = "left",
) -> float:
    """Draw one line of user text, switching font per run; return its width.

    Canvas text is literal (no markup to escape) but has one font at a time, so a
    CJK name in a header would be lost without the per-run switch.
    """
    runs = _measured_runs(text, size, bold)
    total = sum(width for _, _, width in runs)
    line = canvas.beginText(x - total if align == "right" else x, y)
    for font, chars, _ in runs:
        line.setFont(font, size)
        line.textOut(chars)
    canvas.drawText(line)  # one text object, so extractors read the line as one
    return total


def fit(text: object, size: float, max_width: float, *, bold: bool = False) -> str:
    """Shorten ``text`` with an ellipsis until it fits ``max_width``."""
    line = _line(text)
    if text_width(line, size, bold=bold) <= max_width:
        return line
    while line and text_width(line + _ELLIPSIS, size, bold=bold) > max_width:
        line = line[:-1]
    return line.rstrip() + _ELLIPSIS if line else ""


def _draw_header(canvas: Canvas, doc: BaseDocTemplate, *, left: str, right: str) -> None:
    """Left text (bold, shortened to fit), right text right-aligned, a rule below."""
    usable = PAGE_WIDTH - 2 * MARGIN
    right = fit(right, HEADER_SIZE, usable * 0.45)
    right_width = text_width(right, HEADER_SIZE)
    room = usable - right_width - (0.25 * inch if right_width else 0)
    canvas.saveState()
    draw_runs(
        canvas, MARGIN, HEADER_Y, fit(left, HEADER_SIZE, room, bold=True), HEADER_SIZE, bold=True
    )
    draw_runs(canvas, PAGE_WIDTH - MARGIN, HEADER_Y, right, HEADER_SIZE, align="right")
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, HEADER_Y - 5, PAGE_WIDTH - MARGIN, HEADER_Y - 5)
    canvas.restoreState()


class NumberedCanvas(Canvas):
    """Defers each ``showPage`` so ``save()`` knows the total and can write "Page X of Y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        # Canvas's own next-page step, without drawing this page yet (the stubs leave
        # out the private method; the well-known "Page X of Y" recipe calls it).
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(REGULAR, FOOTER_SIZE)
        self.drawCentredString(PAGE_WIDTH / 2, FOOTER_Y, f"Page {self.getPageNumber()} of {total}")
        self.restoreState()


def build_pdf(
    out: Path | BinaryIO,
    story: list[Flowable],
    *,
    title: str,
    subject: str = "",
    author: str = "InternHost",
    header_left: str = "",
    header_right: str = "",
    keywords: str = "",
    canvasmaker: type[Canvas] = NumberedCanvas,
) -> None:
    """Render ``story`` to ``out`` on the InternHost page.

    The header shows ``header_left`` (default: ``title``) and ``header_right``; user
    text is welcome there, it is drawn literally. ``story`` itself is left untouched.
    A packet passes its own ``canvasmaker`` (a ``NumberedCanvas`` with a fuller
    footer, bookmarks and metadata: ``reports/packet.py``).
    """
    register_fonts()
    doc = BaseDocTemplate(
        os.fspath(out) if isinstance(out, os.PathLike) else out,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=_line(title),
        subject=_line(subject),
        author=_line(author),
        keywords=[_line(keywords)] if keywords else [],
        creator="InternHost",
        initialFontName=REGULAR,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    on_page = partial(_draw_header, left=header_left or title, right=header_right)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    # build() consumes its list; an empty story would give a page-less PDF viewers reject.
    doc.build(list(story) or [Spacer(0, 0)], canvasmaker=canvasmaker)
