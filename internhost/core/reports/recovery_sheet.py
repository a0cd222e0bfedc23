"""The recovery sheet: one page with a database's key, to print and lock away.

``sheet_content`` decides what the sheet says (plain values: the app prints the same
content straight to a printer, with no file on disk); ``render_recovery_sheet``
draws it as a PDF on the reports' page. The key is shown in groups of four hex
digits, four groups a line (the lines numbered beside them, in grey), so it can be
read aloud and typed back (``keys.candidates`` accepts it with or without spaces).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from internhost import __version__
from internhost.core.storage.db import DatabaseKey

TITLE = "InternHost recovery sheet"
WARNING = (
    "Anyone holding this sheet can read every record in the database named below, "
    "including minors' birth dates, addresses and medical notes. Keep it locked away, "
    "apart from the computer."
)
GROUP = 4
GROUPS_PER_LINE = 4


@dataclass(frozen=True)
class SheetContent:
    title: str
    warning: str
    #: (label, value) rows: the database, the date, what the key is.
    facts: tuple[tuple[str, str], ...]
    key_label: str
    #: The key as lines to type back (raw: groups of hex digits; passphrase: itself).
    key_lines: tuple[str, ...]
    #: Numbered steps: what to do with this sheet.
    steps: tuple[str, ...]
    footer: str


def key_lines(key: DatabaseKey) -> tuple[str, ...]:
    """The key as it is printed: ``3F9A 0B2C 77D1 E004`` lines for a raw key."""
    if key.raw_hex is None:
        return (str(key.passphrase),)
    digits = key.raw_hex.upper()
    groups = [digits[i : i + GROUP] for i in range(0, len(digits), GROUP)]
    per_line = GROUPS_PER_LINE
    return tuple(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


def sheet_content(
    db_path: os.PathLike[str] | str, key: DatabaseKey, issued: datetime | None = None
) -> SheetContent:
    when = (issued or datetime.now()).astimezone()
    raw = key.raw_hex is not None
    kind = "Recovery key (256-bit random key)" if raw else "Passphrase"
    type_it = (
        "type the recovery key above (its four lines in order; spaces optional)"
        if raw
        else "type the passphrase above exactly as printed"
    )
    steps = (
        "Print this sheet, then store it where only the people who run InternHost can reach "
        "it (a locked drawer or safe), never taped to or kept with the computer.",
        "If it was saved as a PDF file, print it and then delete the file and empty the "
        "trash: a file copy is as readable as the sheet.",
        "When InternHost cannot open the database (a new computer, a lost keyring, the "
        f"database moved): start InternHost and {type_it} when it asks; the command line "
        "asks for it too, on a terminal.",
        "This key also opens the backups made while it was in use. After `internhost rekey` "
        "a new sheet replaces this one: store the new one, then shred this one.",
    )
    return SheetContent(
        title=TITLE,
        warning=WARNING,
        facts=(
            ("Database", str(Path(db_path).expanduser().resolve())),
            ("Issued", when.strftime("%Y-%m-%d %H:%M (UTC%z)")),
            ("Key", kind),
        ),
        key_label="Recovery key" if raw else "Passphrase",
        key_lines=key_lines(key),
        steps=steps,
        footer=f"Issued by InternHost {__version__}. One sheet per key: a rekey makes it void.",
    )


def render_recovery_sheet(out: Path | BinaryIO, content: SheetContent) -> None:
    """Draw ``content`` on one letter page (PDF) at ``out``."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, ListFlowable, Paragraph, Spacer, Table

    from internhost.core.reports.fonts import BOLD
    from internhost.core.reports.markup import esc
    from internhost.core.reports.template import build_pdf, styles

    st = styles()
    body = st["Normal"]
    key_style = ParagraphStyle("Key", body, fontName=BOLD, fontSize=15, leading=24)
    number_style = ParagraphStyle(
        "KeyLine", body, fontSize=9, leading=24, textColor=colors.HexColor("#777777")
    )
    warning_style = ParagraphStyle(
        "Warning",
        body,
        fontName=BOLD,
        textColor=colors.HexColor("#8a1c1c"),
        borderColor=colors.HexColor("#8a1c1c"),
        borderWidth=1,
        borderPadding=8,
        spaceBefore=6,
        spaceAfter=14,
    )
    facts = Table(
        [[Paragraph(f"<b>{esc(k)}</b>", body), Paragraph(esc(v), body)] for k, v in content.facts],
        colWidths=[1.2 * inch, None],
        hAlign="LEFT",
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    numbered = len(content.key_lines) > 1
    key_box = Table(
        [
            [
                Paragraph(f"line {n}" if numbered else "", number_style),
                Paragraph(esc(_keep_spaces(line)), key_style),
            ]
            for n, line in enumerate(content.key_lines, start=1)
        ],
        colWidths=[0.7 * inch, None],
        style=[
            ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (0, -1), 12),
            ("TOPPADDING", (0, 0), (-1, 0), 10),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ],
    )
    steps = ListFlowable(
        [Paragraph(esc(step), body) for step in content.steps],
        bulletType="1",
        bulletFontName=body.fontName,
        leftIndent=16,
        spaceBefore=2,
    )
    story = [
        Paragraph(esc(content.title), st["Title"]),
        Paragraph(esc(content.warning), warning_style),
        facts,
        Spacer(0, 12),
        KeepTogether([Paragraph(esc(content.key_label), st["Heading2"]), key_box]),
        Spacer(0, 8),
        Paragraph("What to do with this sheet", st["Heading2"]),
        steps,
        Spacer(0, 18),
        Paragraph(esc(content.footer), st["Small"]),
    ]
    build_pdf(
        out,
        story,
        title=content.title,
        subject="Database key: keep locked away",
        header_right="Confidential: database key",
    )


def _keep_spaces(line: str) -> str:
    """A passphrase's leading, trailing and repeated spaces count: keep them visible
    (a Paragraph would collapse them) as no-break spaces."""
    return re.sub(r" {2,}|^ +| +$", lambda m: "\u00a0" * len(m.group()), line)


def write_recovery_sheet(
    path: os.PathLike[str] | str,
    db_path: os.PathLike[str] | str,
    key: DatabaseKey,
    issued: datetime | None = None,
) -> Path:
    """Render the sheet to the PDF file ``path`` (never onto the database or its files;
    written whole, then renamed; owner-only: ``outputs.output_file``). Returns the path."""
    from internhost.core.fileio.outputs import output_file

    target = Path(path).expanduser()
    with output_file(target, db_path, op="recovery sheet", field="recovery sheet") as f:
        render_recovery_sheet(f, sheet_content(db_path, key, issued))
    return target
