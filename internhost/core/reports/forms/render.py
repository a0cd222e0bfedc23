"""Any form as a PDF: its text's sections in order, each drawn by the function its
``kind`` names, on the reports' page. Blank or pre-filled alike: an empty value is
a line to write on. Every value goes through ``markup.esc``, and so does the form's
own wording (it is data too, and "AT&T" in it must stay "AT&T").

Every page carries the packets' footer (``reports/packet.py``: the employer, the
generation date, ``Verification XXXX-XXXX-XXXX`` and "Page X of Y") and the PDF its
title, author and subject. The code is the packets' own ``verification_code`` of
the form's content without its generation date, so the same data (or the same
blank form) always gives the same code, and a changed value another."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from string import Formatter
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from internhost.core.dto_forms import FormContent
from internhost.core.reports.markup import esc
from internhost.core.reports.packet import Layout, PacketMeta, packet_canvas, verification_code
from internhost.core.reports.template import MARGIN, PAGE_WIDTH, build_pdf, styles

Section = dict[str, Any]
_WIDTH = PAGE_WIDTH - 2 * MARGIN
_GREY = colors.HexColor("#888888")
_LIGHT = colors.HexColor("#eeeeee")
_BLANK = "________"
_LEADING = 13


def _style(name: str, **changes: Any) -> ParagraphStyle:
    return ParagraphStyle(f"{name}-form", styles()[name], **changes)


def _heading(section: Section) -> list[Flowable]:
    title = section.get("heading", "")
    return [Paragraph(esc(title), styles()["Heading2"])] if title else []


def _value_cell(value: str, lines: int = 1) -> tuple[Any, bool]:
    """A value's cell, and whether it is a line to write on (empty)."""
    if value:
        return Paragraph(esc(value), styles()["Normal"]), False
    return Spacer(0, _LEADING * lines), True


def _facts(section: Section, content: FormContent) -> list[Flowable]:
    """Label and value rows; an empty value is a ruled line to fill in."""
    rows, write_in = [], []
    for i, field in enumerate(section["fields"]):
        cell, empty = _value_cell(content.value(field["key"]), int(field.get("lines", 1)))
        rows.append([Paragraph(esc(field["label"], bold=True), styles()["Normal"]), cell])
        if empty:
            write_in.append(("LINEBELOW", (1, i), (1, i), 0.5, _GREY))
    table = Table(
        rows,
        colWidths=[1.9 * inch, _WIDTH - 1.9 * inch],
        hAlign="LEFT",
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            *write_in,
        ],
    )
    return [*_heading(section), table]


def _clauses(section: Section, content: FormContent) -> list[Flowable]:
    style = _style("Normal", leftIndent=18, bulletIndent=0, spaceAfter=4)
    items = [
        Paragraph(esc(text), style, bulletText=f"{n}.")
        for n, text in enumerate(section["items"], 1)
    ]
    return [*_heading(section), *items]


def citation_line(text: dict[str, Any]) -> str:
    """A form's legal source as printed: citation, where LEGAL.md has it, the marker."""
    parts = [text.get("citation", ""), text.get("source", "")]
    marker = f" [{text['verification']}]" if text.get("verification") else ""
    line = "Source: " + "; ".join(p for p in parts if p) + marker + "."
    note = text.get("verification_note", "")
    return f"{line} {note}" if note else line


def _elements(section: Section, content: FormContent, text: dict[str, Any]) -> list[Flowable]:
    """The elements a rule requires, each with its wording and what is on file for it."""
    body = styles()["Normal"]
    out: list[Flowable] = [*_heading(section)]
    if text.get("citation"):
        out.append(Paragraph(esc(citation_line(text)), styles()["Small"]))
        out.append(Spacer(0, 4))
    for item in section["items"]:
        parts: list[Flowable] = [
            Paragraph(f"{esc(item['ref'], bold=True)} {esc(item['text'])}", body)
        ]
        rows, write_in = [], []
        for i, (key, label) in enumerate(zip(item["keys"], item["labels"], strict=True)):
            cell, empty = _value_cell(content.value(key))
            rows.append([Paragraph(esc(label), styles()["TableCell"]), cell])
            if empty:
                write_in.append(("LINEBELOW", (1, i), (1, i), 0.5, _GREY))
        if rows:
            parts.append(
                Table(
                    rows,
                    colWidths=[2.1 * inch, _WIDTH - 2.4 * inch],
                    hAlign="RIGHT",
                    style=[
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#444444")),
                        *write_in,
                    ],
                )
            )
        parts.append(Spacer(0, 6))
        out.append(KeepTogether(parts))
    return out


def _table(section: Section, content: FormContent) -> list[Flowable]:
    """A table of the content's rows; blank, the form's fixed rows or empty ones to
    fill in. Split across pages with its header repeated."""
    cell = styles()["TableCell"]
    given = content.table(section["key"])
    columns = list((given.columns if given and given.columns else None) or section["columns"])
    if given is not None and content.prefilled:
        if not given.rows:
            return [*_heading(section), Paragraph(esc(section.get("empty", "")), cell)]
        rows = [list(r) for r in given.rows]
        tall = False
    elif given is not None and given.rows:  # a blank form's own rows (a rubric)
        rows, tall = [list(r) for r in given.rows], True
    else:
        fixed = section.get("fixed_rows") or [[]] * int(section.get("blank_rows", 4))
        rows, tall = [list(r) for r in fixed], True
    rows = [(r + [""] * len(columns))[: len(columns)] for r in rows]
    weights = section.get("widths") or [1] * len(columns)
    widths = [_WIDTH * w / sum(weights) for w in weights]
    data = [[Paragraph(esc(c, bold=True), cell) for c in columns]]
    data += [[Paragraph(esc(v), cell) for v in r] for r in rows]
    padding = 9 if tall else 3
    table = Table(
        data,
        colWidths=widths,
        repeatRows=1,
        style=[
            ("GRID", (0, 0), (-1, -1), 0.5, _GREY),
            ("BACKGROUND", (0, 0), (-1, 0), _LIGHT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 1), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 1), (-1, -1), padding),
        ],
    )
    return [*_heading(section), table]


def _note(section: Section, content: FormContent) -> list[Flowable]:
    return [Spacer(0, 6), Paragraph(esc(section["text"]), styles()["Small"])]


def _signature_pair(signers: list[dict[str, str]], content: FormContent) -> Table:
    """Two signature lines with their dates: a line above each label, the printed name
    below it when the form is filled in."""
    small = _style("Small", textColor=colors.HexColor("#555555"))
    labels: list[Any] = []
    names: list[Any] = []
    for i, signer in enumerate(signers):
        if i:
            labels.append("")
            names.append("")
        labels += [Paragraph(esc(signer["label"]), small), "", Paragraph("Date", small)]
        name = content.value(signer["key"]) if signer.get("key") else ""
        names += [Paragraph(esc(name), styles()["TableCell"]), "", ""]
    per = [2.35 * inch, 0.15 * inch, 0.85 * inch]
    widths = per + ([0.3 * inch, *per] if len(signers) > 1 else [])
    lined = [i for i, w in enumerate(labels) if w != ""]
    return Table(
        [[""] * len(labels), labels, names],
        colWidths=widths,
        hAlign="LEFT",
        style=[
            *[("LINEABOVE", (i, 1), (i, 1), 0.75, colors.black) for i in lined],
            ("TOPPADDING", (0, 0), (-1, 0), 20),
            ("TOPPADDING", (0, 1), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def _signatures(section: Section, content: FormContent) -> list[Flowable]:
    signers = section["signers"]
    pairs = [_signature_pair(signers[i : i + 2], content) for i in range(0, len(signers), 2)]
    return [KeepTogether([Spacer(0, 4), *_heading(section), *pairs])]


def _filled(template: str, content: FormContent, blank: str = _BLANK) -> str:
    """``template``'s text with each ``{key}`` replaced by its value, all escaped; a
    missing value is a line to write on."""
    out = []
    for literal, key, _, _ in Formatter().parse(template):
        out.append(esc(literal))
        if key is not None:
            out.append(esc(content.value(key) or blank))
    return "".join(out)


def _certificate(section: Section, content: FormContent, text: dict[str, Any]) -> list[Flowable]:
    sizes = {"plain": (13, False), "strong": (17, True), "name": (26, True)}
    out: list[Flowable] = [
        Spacer(0, 0.6 * inch),
        Paragraph(
            esc(text["title"], bold=True),
            _style("Title", fontSize=30, leading=36, alignment=TA_CENTER),
        ),
        Spacer(0, 0.4 * inch),
    ]
    for line in text["lines"]:
        size, bold = sizes[line.get("style", "plain")]
        body = _filled(line["text"], content, _BLANK * 3 if line.get("style") == "name" else _BLANK)
        style = _style(
            "Normal", fontSize=size, leading=size * 1.35, alignment=TA_CENTER, spaceAfter=size * 0.5
        )
        out.append(Paragraph(f"<b>{body}</b>" if bold else body, style))
    if content.value("counts_toward_cde"):
        out.append(Spacer(0, 12))
        out.append(Paragraph(esc(text["cde_line"]), _style("Small", alignment=TA_CENTER)))
    out.append(Spacer(0, 0.5 * inch))
    return out


def _letter(section: Section, content: FormContent, text: dict[str, Any]) -> list[Flowable]:
    body = _style("Normal", fontSize=11, leading=15, spaceAfter=9)
    day = content.generated_on
    out: list[Flowable] = [
        Paragraph(esc(f"{day:%B} {day.day}, {day.year}" if content.prefilled else _BLANK), body),
        Spacer(0, 6),
        Paragraph(esc(text["salutation"]), body),
    ]
    letter = content.value(section["key"])
    for paragraph in letter.replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            out.append(Paragraph(esc(paragraph.strip("\n")), body))
    out.append(Paragraph(esc(text["closing"]), body))
    return out


_PLAIN: dict[str, Callable[[Section, FormContent], list[Flowable]]] = {
    "facts": _facts,
    "clauses": _clauses,
    "table": _table,
    "note": _note,
    "signatures": _signatures,
}
_WITH_TEXT = {"elements": _elements, "certificate": _certificate, "letter": _letter}


def form_story(content: FormContent, text: dict[str, Any]) -> list[Flowable]:
    """The flowables of a form (not the timesheet's own layout)."""
    st = styles()
    story: list[Flowable] = [Paragraph(esc(text["title"]), st["Title"])]
    if text.get("intro"):
        story.append(Paragraph(esc(" ".join(text["intro"].split())), st["Normal"]))
    for section in text["sections"]:
        kind = section["kind"]
        if kind in _WITH_TEXT:
            story += _WITH_TEXT[kind](section, content, text)
        else:
            story += _PLAIN[kind](section, content)
    if text["sections"][0]["kind"] == "certificate":
        story.pop(0)  # the certificate draws its own title
    return story


def form_code(content: FormContent) -> str:
    """The form's verification code: its content's, the generation date left out."""
    snapshot = asdict(content)
    del snapshot["generated_on"]
    return verification_code(snapshot)


def form_meta(content: FormContent) -> PacketMeta:
    """What the form's footer and metadata say of it."""
    from internhost.core.reports.forms.texts import form_text

    text = form_text(content.name)
    return PacketMeta(
        title=f"{text['title']}: {content.about or 'blank form'}",
        subject=text.get("subject", ""),
        employer=content.employer,
        generated=content.generated_on,
        verification=form_code(content),
    )


def render_form(out: Path | BinaryIO, content: FormContent) -> None:
    """Draw ``content`` as a PDF at ``out``."""
    from internhost.core.reports.forms.texts import form_text

    meta = form_meta(content)
    if content.timesheet is not None:
        from internhost.core.reports.timesheet import render_timesheet

        render_timesheet(out, content.timesheet, meta=meta)
        return
    text = form_text(content.name)
    build_pdf(
        out,
        form_story(content, text),
        title=meta.title,
        subject=meta.subject,
        author=content.employer or "InternHost",
        header_left=content.employer or text["title"],
        header_right=content.about or "blank form",
        keywords=meta.keywords,
        canvasmaker=packet_canvas(meta, Layout()),
    )


def write_form(
    path: os.PathLike[str] | str, db_path: os.PathLike[str] | str, content: FormContent
) -> Path:
    """Render the form to the PDF file ``path`` through the output guard (never the
    database or its files; written whole, owner-only). Returns the path."""
    from internhost.core.fileio.outputs import output_file

    target = Path(path).expanduser()
    with output_file(target, db_path, op="form", field="out") as f:
        render_form(f, content)
    return target
