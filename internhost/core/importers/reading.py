"""Bytes from a spreadsheet or a student information system → a header and records,
streamed.

Rosters arrive however Excel or the SIS saved them: UTF-8 with or without a BOM,
Windows-1252 from older Excel ("CSV (Comma delimited)"), UTF-16 from Excel's
"Unicode Text"; commas, semicolons (European Excel) or tabs. We decode strictly,
sniff the delimiter from the header, and keep each record's *physical* line number
(a quoted cell may span lines) so every message points at the line a user sees in
a text editor. Blank lines, and rows whose cells are all empty (Excel writes
``,,,`` for a formatted blank row), are skipped and not counted.

The file is never held whole: a first pass over it in chunks decides the encoding
(a file is UTF-8 only if every byte of it is) and takes its SHA-256; the second
decodes and splits it record by record, each row at most ``MAX_ROW_CHARS`` long,
and proves by the same hash that the file did not change between the two. The size
limit is checked before the first byte is read (``limits``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO

from internhost.core.fileio.csvsafe import unguard
from internhost.core.importers import limits
from internhost.core.importers.result import ImportRefused, Issue

#: What a roster can be read from: its bytes, a path, or an open binary file
#: (standard input); an unseekable one is read into memory, up to the size limit.
Source = bytes | os.PathLike[str] | BinaryIO
DELIMITERS = (",", ";", "\t")
_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx); save it as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls); save it as CSV",
    b"%PDF": "a PDF; export the roster as CSV",
}
#: Bytes Windows-1252 leaves undefined (Python's codec refuses them).
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Record:
    """One record: the physical line it starts on, and its cells, trimmed."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A whole (small) file read at once: for tests and tools, never an import."""

    headers: tuple[str, ...]
    records: tuple[Record, ...]
    encoding: str
    delimiter: str
    #: File-level warnings (``line`` None), e.g. an encoding fallback.
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class _Encoding:
    codec: str
    #: The name a report gives it.
    name: str
    warnings: tuple[Issue, ...]
    digest: str


def _survey(stream: BinaryIO) -> _Encoding:
    """The first pass: the encoding (strictly: every byte is checked) and the SHA-256."""
    chunk = stream.read(_CHUNK)
    for signature, what in _SIGNATURES.items():
        if chunk.startswith(signature):
            raise ImportRefused(f"the file is {what}")
    utf16 = chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8")()
    digest = hashlib.sha256()
    size, utf8, cp1252 = 0, not utf16, not utf16
    while chunk:
        size += len(chunk)
        limits.check_size(size)  # the file may have grown since it was measured
        digest.update(chunk)
        if not utf16 and b"\x00" in chunk:
            raise ImportRefused("the file is not text (it contains NUL bytes); save it as CSV")
        if utf16 or utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                if utf16:
                    raise ImportRefused("the file claims to be UTF-16 but is not") from None
                utf8 = False
        cp1252 = cp1252 and _NOT_CP1252.search(chunk) is None
        chunk = stream.read(_CHUNK)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        if utf16:
            raise ImportRefused("the file claims to be UTF-16 but is not") from None
        utf8 = False
    if utf16:
        return _Encoding("utf-16", "utf-16", (), digest.hexdigest())
    if utf8:
        return _Encoding("utf-8-sig", "utf-8", (), digest.hexdigest())
    if not cp1252:
        raise ImportRefused("the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")
    warning = Issue(
        None,
        None,
        "the file is not UTF-8; read it as Windows-1252 (check accented names, "
        "or save it as CSV UTF-8)",
    )
    return _Encoding("cp1252", "windows-1252", (warning,), digest.hexdigest())


class _Hashing(io.RawIOBase):
    """The second pass's bytes, hashed on the way through (closing it leaves the file open)."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self._inner.readinto(buffer)  # type: ignore[attr-defined]
        self.sha256.update(memoryview(buffer)[:count])
        return count


class _RowTooLong(Exception):
    pass


class _Lines:
    """Physical lines for the csv reader, none of them (nor the lines of one row
    together) longer than ``MAX_ROW_CHARS``: a 50 MB line is refused, not read."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text = text
        #: Characters read since the current row began (the reader resets it).
        self.taken = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._text.readline(limits.MAX_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.taken += len(line)
        if self.taken > limits.MAX_ROW_CHARS:
            raise _RowTooLong
        return line


def _header_lines(lines: _Lines) -> list[str]:
    """The physical lines up to the end of the first non-blank logical line (a quoted
    header may contain line breaks), for sniffing; the csv reader reads them again."""
    taken: list[str] = []
    quoted = started = False
    try:
        for line in lines:
            taken.append(line)
            if not started and line.isspace():
                lines.taken = 0  # blank lines before the header are no row of it
                continue
            for char in line:
                if not started:
                    if char.isspace():
                        continue
                    started = True
                if char == '"':
                    quoted = not quoted
            if not quoted:
                break
    except _RowTooLong:
        blank = next((i for i, line in enumerate(taken) if not line.isspace()), len(taken))
        raise limits.row_too_long(blank + 1) from None
    except UnicodeDecodeError:
        raise _changed() from None
    return taken


class Roster:
    """A roster file open for reading: its header, how it was encoded and delimited,
    and ``records()``, streamed once."""

    def __init__(self, stream: BinaryIO) -> None:
        encoding = _survey(stream)
        stream.seek(0)
        self.encoding = encoding.name
        self.warnings = encoding.warnings
        #: The file's SHA-256, as it was read (both passes agree on it).
        self.digest = encoding.digest
        self._bytes = _Hashing(stream)
        text = io.TextIOWrapper(io.BufferedReader(self._bytes, _CHUNK), encoding.codec, newline="")
        self._lines = _Lines(text)
        self._end = 0  # physical lines consumed so far
        peeked = _header_lines(self._lines)
        self.delimiter = sniff_delimiter("".join(peeked))
        reader = csv.reader(chain(peeked, self._lines), delimiter=self.delimiter, strict=True)
        self._rows = self._read(reader)
        header = next(self._rows, None)
        if header is None:
            raise ImportRefused("the file is empty")
        self.headers = header.cells

    def _read(self, reader: Iterator[list[str]]) -> Iterator[Record]:
        """Every non-empty record, with the line it starts on."""
        try:
            for row in reader:
                start, self._end = self._end + 1, reader.line_num  # type: ignore[attr-defined]
                self._lines.taken = 0
                cells = tuple(map(clean_cell, row))
                if any(cells):
                    yield Record(start, cells)
        except csv.Error as exc:
            detail = "a quote opened here is never closed" if "end of data" in str(exc) else exc
            raise ImportRefused(f"line {self._end + 1} cannot be read: {detail}") from None
        except _RowTooLong:
            raise limits.row_too_long(self._end + 1) from None
        except UnicodeDecodeError:
            raise _changed() from None

    def records(self) -> Iterator[Record]:
        """The records after the header, in file order; refuses a file of more than
        ``MAX_ROWS`` rows, or one that changed since the first pass, when it gets there."""
        for count, record in enumerate(self._rows, 1):
            if count > limits.MAX_ROWS:
                raise limits.too_many_rows()
            yield record
        if self._bytes.sha256.hexdigest() != self.digest:
            raise _changed()

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


def _changed() -> ImportRefused:
    return ImportRefused("the file changed while it was being read; import it again")


@contextmanager
def open_roster(source: Source) -> Iterator[Roster]:
    """``source`` open for reading; refused (``ImportRefused``) over the size limit
    before a byte is read, or when it cannot be read as a roster. A path that cannot
    be opened raises ``OSError``."""
    with ExitStack() as stack:
        if isinstance(source, bytes | bytearray):
            stream: BinaryIO = io.BytesIO(source)
        elif isinstance(source, os.PathLike):
            stream = stack.enter_context(open(source, "rb"))
        else:
            stream = source
        yield Roster(_measured(stream))


def _measured(stream: BinaryIO) -> BinaryIO:
    """``stream`` at its start, its size checked; an unseekable one (a pipe) is read
    into memory, at most one byte over the limit."""
    if stream.seekable():
        start = stream.tell()
        limits.check_size(stream.seek(0, io.SEEK_END) - start)
        stream.seek(start)
        return stream if start == 0 else io.BytesIO(stream.read())
    data = stream.read(limits.MAX_FILE_BYTES + 1)
    limits.check_size(len(data))
    return io.BytesIO(data)


def read_table(data: bytes) -> Table:
    """All of ``data`` at once (a small file: tests, tools); raises ``ImportRefused``."""
    with open_roster(data) as roster:
        records = tuple(roster.records())
        return Table(roster.headers, records, roster.encoding, roster.delimiter, roster.warnings)


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
