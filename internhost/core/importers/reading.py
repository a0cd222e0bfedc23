"""Bytes from a spreadsheet or a student information system → a header and records.

Rosters arrive however Excel or the SIS saved them: UTF-8 with or without a BOM,
Windows-1252 from older Excel ("CSV (Comma delimited)"), UTF-16 from Excel's
"Unicode Text"; commas, semicolons (European Excel) or tabs. We decode strictly,
sniff the delimiter from the header, and keep each record's *physical* line number
(a quoted cell may span lines) so every message points at the line a user sees in
a text editor. Blank lines, and rows whose cells are all empty (Excel writes
``,,,`` for a formatted blank row), are skipped and not counted.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from internhost.core.csvsafe import unguard
from internhost.core.importers.result import ImportRefused, Issue

DELIMITERS = (",", ";", "\t")
_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx); save it as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls); save it as CSV",
    b"%PDF": "a PDF; export the roster as CSV",
}


@dataclass(frozen=True)
class Record:
    """One record: the physical line it starts on, and its cells, trimmed."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    records: tuple[Record, ...]
    encoding: str
    delimiter: str
    #: File-level warnings (``line`` None), e.g. an encoding fallback.
    warnings: tuple[Issue, ...] = ()

    def overflow(self, record: Record) -> list[Issue]:
        """A warning when a record has filled cells beyond the last header: usually
        an unquoted comma that shifted the row (its other errors follow from it)."""
        extra = record.cells[len(self.headers) :]
        if not any(extra):
            return []
        message = (
            f"{len(record.cells)} cells under {len(self.headers)} headers; the cells beyond "
            "the last column are ignored (an unquoted comma?)"
        )
        return [Issue(record.line, None, message)]


def decode(data: bytes) -> tuple[str, str, list[Issue]]:
    """The text, the encoding used, and a warning when it was a guess."""
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise ImportRefused(f"the file is {what}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise ImportRefused("the file claims to be UTF-16 but is not") from None
    if b"\x00" in data:
        raise ImportRefused("the file is not text (it contains NUL bytes); save it as CSV")
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            "the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8"
        ) from None
    warning = Issue(
        None,
        None,
        "the file is not UTF-8; read it as Windows-1252 (check accented names, "
        "or save it as CSV UTF-8)",
    )
    return text, "windows-1252", [warning]


def _header_text(text: str) -> str:
    """The first non-blank logical line (a quoted header may contain line breaks)."""
    quoted = False
    start = None
    for i, char in enumerate(text):
        if start is None:
            if char.isspace():
                continue
            start = i
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[start:i]
    return text[start:] if start is not None else ""


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the header into the most cells (comma on a tie:
    a one-column file has none). Counted outside quotes, so ``"Last, First"`` is
    one header."""
    header = _header_text(text)
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie


def clean_cell(cell: str) -> str:
    """Trimmed, without the formula guard our own CSV export adds (``'=…`` → ``=…``),
    so exporting and importing back changes nothing."""
    return unguard(cell.strip())


def read_table(data: bytes) -> Table:
    """Decode, sniff and split ``data``; raises ``ImportRefused`` when it cannot."""
    text, encoding, warnings = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    end = 0  # physical lines consumed so far
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            cells = tuple(clean_cell(c) for c in row)
            if any(cells):
                records.append(Record(start, cells))
    except csv.Error as exc:
        detail = "a quote opened here is never closed" if "end of data" in str(exc) else exc
        raise ImportRefused(f"line {end + 1} cannot be read: {detail}") from None
    if not records:
        raise ImportRefused("the file is empty")
    header, *body = records
    return Table(header.cells, tuple(body), encoding, delimiter, tuple(warnings))
