"""The recovery sheet: one page holding the key (grouped for reading), the database
path, the date and what to do with it; user text shown literally."""

from __future__ import annotations

import io
import os
import re
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from testkeys import PASSPHRASE, TEST_KEY

from internhost.core.reports.recovery_sheet import (
    key_lines,
    render_recovery_sheet,
    sheet_content,
    write_recovery_sheet,
)
from internhost.core.storage import keys
from internhost.core.storage.db import DatabaseKey

ISSUED = datetime(2025, 10, 15, 9, 30).astimezone()


def _text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_sheet_holds_the_key_the_path_and_the_date(tmp_path: Path) -> None:
    db_path = tmp_path / "office" / "internhost.db"
    sheet = write_recovery_sheet(tmp_path / "sheet.pdf", db_path, TEST_KEY, ISSUED)
    pages, text = _text(sheet)
    assert pages == 1
    groups = [TEST_KEY.raw_hex.upper()[i : i + 4] for i in range(0, 64, 4)]
    lines = key_lines(TEST_KEY)
    assert lines == tuple(" ".join(groups[i : i + 4]) for i in range(0, 16, 4))
    for line in lines:
        assert line in text
    # What was printed, typed back, is the key.
    typed = re.findall(r"\b[0-9A-F]{4}(?: [0-9A-F]{4}){3}\b", text)
    assert keys.candidates(" ".join(typed))[0] == TEST_KEY
    assert str(db_path.resolve()) in "".join(text.split())  # a long path wraps
    assert "2025-10-15" in text
    assert "Recovery key" in text and "What to do with this sheet" in text
    assert "the command line asks for it too" in text and "delete the file" in text
    assert "INTERNHOST_PASSPHRASE" not in text  # a variable set by hand ends in shell history
    assert "rekey" in text
    meta = PdfReader(sheet).metadata
    assert meta is not None and meta.title == "InternHost recovery sheet"
    assert TEST_KEY.raw_hex not in (meta.title + (meta.subject or "")).lower()
    with pikepdf.open(sheet) as pdf:
        assert pdf.check_pdf_syntax() == []
    if os.name == "posix":
        assert sheet.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_passphrase_sheet_shows_it_literally(tmp_path: Path) -> None:
    phrase = "<b>x</b> & AT&T  two  spaces"
    out = io.BytesIO()
    # A short path: a long one wraps on the sheet, and the text would split inside it.
    database = Path("/data/a<b>.db")
    render_recovery_sheet(out, sheet_content(database, DatabaseKey(passphrase=phrase)))
    path = tmp_path / "p.pdf"
    path.write_bytes(out.getvalue())
    _, text = _text(path)
    assert "<b>x</b> & AT&T" in text
    assert "a<b>.db" in text
    assert "Passphrase" in text


def test_writing_is_all_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "sheet.pdf"
    with pytest.raises(OSError):
        write_recovery_sheet(target, tmp_path / "x.db", DatabaseKey(passphrase=PASSPHRASE))
    assert not target.exists()
    assert not list(tmp_path.rglob("*.partial"))
