"""Cell parsers: strict dates, yes/no, money in cents, programs by key or label."""

from __future__ import annotations

from datetime import date

import pytest

from internhost.core.importers.values import (
    parse_bool,
    parse_cents,
    parse_date,
    parse_program,
    parse_whole,
)


@pytest.mark.parametrize(
    "text",
    [
        "2025-09-08",
        "2025-9-8",
        "9/8/2025",
        "09/08/2025",
        "9/8/2025 0:00",
        "9/8/2025 00:00:00",
        "9/8/2025 12:00 AM",
        "9/8/2025 12:00:00 am",
        "2025-09-08 00:00:00",
        "2025-09-08T00:00:00.000",
    ],
)
def test_iso_and_us_dates_with_excel_midnights(text: str) -> None:
    assert parse_date(text) == date(2025, 9, 8)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2008-02-30", "2008-02-30 is not a date"),
        ("2/30/2008 0:00", "2/30/2008 is not a date"),
        ("13/1/2008", "13/1/2008 is not a date"),
        ("9/8/25", "9/8/25 has a two-digit year; write the year in full (M/D/YYYY)"),
        ("45908", "45908 is a spreadsheet serial number, not a date"),
        ("45908.0", "45908.0 is a spreadsheet serial number"),
        ("9/8/2025 8:30", "9/8/2025 8:30 has a time of day"),
        ("9/8/2025 12:00 PM", "has a time of day"),
        ("8.9.2025", "8.9.2025 is not a date (write YYYY-MM-DD or M/D/YYYY)"),
        ("next Monday", "is not a date"),
    ],
)
def test_dates_we_refuse_to_guess(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("No", False), ("n", False)],
)
def test_yes_and_no(text: str, value: bool) -> None:
    assert parse_bool(text) is value


def test_yes_or_no_says_what_it_got() -> None:
    with pytest.raises(ValueError, match="maybe is not yes or no"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("text", "cents"),
    [("$15.50", 1550), ("15.5", 1550), ("15", 1500), ("$ 1,234.05", 123405), ("0", 0)],
)
def test_money_in_cents(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [("15,50", "not an amount"), ("15.505", "not an amount"), ("-3", "negative"), ("$", "not")],
)
def test_money_we_refuse(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_cents(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("employment", "employment"),
        ("Student-learner (co-op)", "student_learner"),
        ("SCHOOL WORK-BASED LEARNING", "school_wbl"),
        ("school_wbl", "school_wbl"),
        ("Registered apprentice", "apprentice"),
        ("wecep", "wecep"),
        ("Work-study", "work_study"),
    ],
)
def test_programs_by_key_or_label(text: str, key: str) -> None:
    assert parse_program(text) == key


def test_an_unknown_program_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"internship is not a program; .*WECEP \(wecep\)"):
        parse_program("internship")


def test_whole_numbers_accept_a_spreadsheets_decimal_zero() -> None:
    assert (parse_whole("11"), parse_whole("11.0")) == (11, 11)
    with pytest.raises(ValueError, match="11th is not a whole number"):
        parse_whole("11th")
