"""The weekly timesheet as a PDF: one page for paper sign-off.

A row per day of the workweek with the shifts planned and the hours logged so
far, blank cells for the times actually worked, the week's totals, and signature
lines for the intern and the mentor. Drawn on the reports' page (``template``);
every user value goes through ``markup.esc``.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

from internhost.core.dto import TimesheetContent
from internhost.core.reports.packet import Layout, PacketMeta, packet_canvas, verification_code
from internhost.core.workweeks import hours

TITLE = "Weekly timesheet"


def _hours(minutes: int) -> str:
    return f"{hours(minutes):.2f}" if minutes else ""


def render_timesheet(
    out: Path | BinaryIO, content: TimesheetContent, *, meta: PacketMeta | None = None
) -> None:
    """Draw ``content`` on one letter page (PDF) at ``out``, with the packets' footer:
    ``meta``'s (the form's, printed as one), else the timesheet's own, its code the
    hash of ``content``."""
    from reportlab.lib import colors
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    from internhost.core.reports.markup import esc
    from internhost.core.reports.template import build_pdf, styles

    st = styles()
    body, cell, small = st["Normal"], st["TableCell"], st["Small"]
    last = content.week_start + timedelta(days=6)
    first = content.week_start
    week = f"{first:%A, %B} {first.day} – {last:%A, %B} {last.day}, {last.year}"
    facts = [
        ("Intern", content.intern),
        ("Badge", content.badge or "—"),
        ("Worksite", content.worksite or "—"),
        ("Mentor", content.mentor or "—"),
        ("Week", week),
    ]
    facts_table = Table(
        [[Paragraph(f"<b>{esc(k)}</b>", body), Paragraph(esc(v), body)] for k, v in facts],
        colWidths=[1.0 * inch, None],
        hAlign="LEFT",
        style=[("LEFTPADDING", (0, 0), (0, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)],
    )
    header = ["Day", "Planned", "Plan h", "Logged", "Log h", "In", "Out", "Break", "Hours"]
    rows: list[list[object]] = [[Paragraph(f"<b>{h}</b>", cell) for h in header]]
    for day in content.days:
        rows.append(
            [
                Paragraph(esc(f"{day.day:%a} {day.day:%m/%d}"), cell),
                Paragraph(esc("\n".join(day.planned)), cell),
                _hours(day.planned_minutes),
                Paragraph(esc("\n".join(day.logged)), cell),
                _hours(day.logged_minutes),
                "",
                "",
                "",
                "",
            ]
        )
    rows.append(
        [
            Paragraph("<b>Total</b>", cell),
            "",
            _hours(content.planned_minutes),
            "",
            _hours(content.logged_minutes),
            "",
            "",
            "",
            "",
        ]
    )
    grey = colors.HexColor("#888888")
    table = Table(
        rows,
        colWidths=[0.85 * inch, 1.1 * inch, 0.7 * inch, 1.1 * inch, 0.65 * inch] + [0.6 * inch] * 4,
        repeatRows=1,
        style=[
            ("GRID", (0, 0), (-1, -1), 0.5, grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (2, 1), (2, -1), "RIGHT"),
            ("ALIGN", (4, 1), (4, -1), "RIGHT"),
            ("FONTSIZE", (0, 1), (-1, -1), 9),
            ("TOPPADDING", (0, 1), (-1, -2), 9),
            ("BOTTOMPADDING", (0, 1), (-1, -2), 9),
        ],
    )
    # Signature, date; a gap; signature, date: a line above each label, none across.
    labels = ["Intern's signature", "", "Date", "", "Mentor's signature", "", "Date"]
    signature = Table(
        [[""] * len(labels), labels],
        colWidths=[
            2.3 * inch,
            0.15 * inch,
            0.9 * inch,
            0.4 * inch,
            2.3 * inch,
            0.15 * inch,
            0.8 * inch,
        ],
        style=[
            *[
                ("LINEABOVE", (i, 1), (i, 1), 0.75, colors.black)
                for i, text in enumerate(labels)
                if text
            ],
            ("FONTSIZE", (0, 1), (-1, 1), 8),
            ("TEXTCOLOR", (0, 1), (-1, 1), colors.HexColor("#555555")),
            ("TOPPADDING", (0, 0), (-1, 0), 28),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
        hAlign="LEFT",
    )
    story = [
        Paragraph(esc(TITLE), st["Title"]),
        facts_table,
        Spacer(0, 12),
        table,
        Spacer(0, 8),
        Paragraph(
            "Write the times actually worked in In, Out and Break (unpaid minutes). "
            "Planned and Logged are what InternHost held when this sheet was printed.",
            small,
        ),
        Spacer(0, 18),
        KeepTogether(
            [
                Paragraph("We confirm the hours above are the hours worked.", body),
                signature,
            ]
        ),
    ]
    if meta is None:
        meta = PacketMeta(
            title=f"{TITLE}: {content.intern}",
            subject=f"Week of {content.week_start.isoformat()}",
            employer=content.employer,
            generated=date.today(),
            verification=verification_code(asdict(content)),
        )
    build_pdf(
        out,
        story,
        title=meta.title,
        subject=meta.subject,
        author=content.employer or "InternHost",
        header_left=content.employer or TITLE,
        header_right=f"Week of {content.week_start.isoformat()}",
        keywords=meta.keywords,
        canvasmaker=packet_canvas(meta, Layout()),
    )


def write_timesheet(
    path: os.PathLike[str] | str, db_path: os.PathLike[str] | str, content: TimesheetContent
) -> Path:
    """Render the timesheet to the PDF file ``path`` through the output guard (never
    the database or its files; written whole, owner-only). Returns the path."""
    from internhost.core.fileio.outputs import output_file

    target = Path(path).expanduser()
    with output_file(target, db_path, op="timesheet", field="out") as f:
        render_timesheet(f, content)
    return target
