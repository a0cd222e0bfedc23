"""Reading messy CSV bytes: encodings, delimiters, quoting, blank lines, line numbers."""

from __future__ import annotations

import codecs

import pytest

from internhost.core.importers.reading import clean_cell, read_table, sniff_delimiter
from internhost.core.importers.result import ImportRefused


def test_utf8_with_a_bom_reads_clean_headers_without_a_warning() -> None:
    table = read_table("\ufeffFirst Name,Last Name\r\nZoë,Łukasiewicz\r\n".encode())
    assert table.headers == ("First Name", "Last Name")
    assert table.records[0].cells == ("Zoë", "Łukasiewicz")
    assert (table.encoding, table.warnings) == ("utf-8", ())


def test_windows_1252_falls_back_with_a_file_level_warning() -> None:
    table = read_table("First,Last\r\nJosé,Núñez\r\n".encode("cp1252"))
    assert table.records[0].cells == ("José", "Núñez")
    assert table.encoding == "windows-1252"
    [warning] = table.warnings
    assert warning.line is None and "Windows-1252" in warning.message


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    data = codecs.BOM_UTF16_LE + "First\tLast\r\nThị Ánh\tNguyễn\r\n".encode("utf-16-le")
    table = read_table(data)
    assert table.delimiter == "\t"
    assert table.records[0].cells == ("Thị Ánh", "Nguyễn")


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("first;last;dob", ";"),
        ("first\tlast\tdob", "\t"),
        ("first,last,dob", ","),
        ('"Last; First",dob', ","),  # a quoted delimiter does not count
        ("name", ","),
        ("\n\n  first;last", ";"),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header + "\n1,2;3\t4\n") == delimiter


def test_quoted_commas_and_line_breaks_keep_physical_line_numbers() -> None:
    text = (
        "first,last,address\r\n"  # line 1
        "\r\n"  # 2: blank, skipped
        'Ana,"Ruiz, Jr.","12 Oak St\r\nApt 4\r\nRockford"\r\n'  # 3-5
        ",,\r\n"  # 6: an Excel blank row, skipped
        "Bo,Lee,\r\n"  # 7
    )
    table = read_table(text.encode())
    assert [(r.line, r.cells) for r in table.records] == [
        (3, ("Ana", "Ruiz, Jr.", "12 Oak St\r\nApt 4\r\nRockford")),
        (7, ("Bo", "Lee", "")),
    ]


def test_old_mac_line_endings_and_a_missing_final_newline() -> None:
    table = read_table(b"first,last\rAna,Ruiz\rBo,Lee")
    assert [r.line for r in table.records] == [2, 3]


def test_cells_are_trimmed_and_the_formula_guard_removed() -> None:
    table = read_table(b"a,b,c,d\n  x  ,'=SUM(A1),'+1 815 555 0100,O'Brien\n")
    assert table.records[0].cells == ("x", "=SUM(A1)", "+1 815 555 0100", "O'Brien")
    assert (clean_cell("'-5"), clean_cell("'"), clean_cell("''=x")) == ("-5", "'", "'=x")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"\r\n\r\n,,\r\n", "empty"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"first\x00,last", "not text"),
        (b"first,last\n\x81\x8d,x\n", "neither UTF-8 nor Windows-1252"),
        (b'first,last\nAna,"Ruiz\nBo,Lee\n', "line 2"),
    ],
)
def test_unreadable_files_are_refused(data: bytes, says: str) -> None:
    with pytest.raises(ImportRefused, match=says):
        read_table(data)
