"""Folding for search, ages on a date (birthdays, Feb 29), bands, school calendars."""

from __future__ import annotations

import sqlite3
from datetime import date, time, timedelta

import pytest

from internhost.core.calendars import Calendar, DayException
from internhost.core.dates import age_on, birthday_of_age, next_birthday, school_year_of
from internhost.core.rules.ages import age_band
from internhost.core.text import fold, like_pattern

# -- fold -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn", "nguyen"),
        ("Nguyễn Thị Ánh", "nguyen thi anh"),
        ("Łukasiewicz", "lukasiewicz"),
        ("ZOË ŁUKASIEWICZ", "zoe lukasiewicz"),
        ("Núñez", "nunez"),
        ("José", "jose"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Øster Đặng Æsir", "oster dang aesir"),
        ("Müller-Lüdenscheidt", "muller-ludenscheidt"),
        ("李小龍", "李小龍"),
        ("  Ana \t María\n  López ", "ana maria lopez"),
        ("", ""),
        ("ﬁnch", "finch"),  # compatibility ligature
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_is_idempotent_and_matches_across_spellings() -> None:
    for text in ("Nguyễn Thị Ánh", "Zoë Łukasiewicz", "José Núñez", "李小龍"):
        assert fold(fold(text)) == fold(text)
    # Precomposed and decomposed forms of the same name fold alike.
    assert fold("Nguye\u0302\u0303n") == fold("Nguyễn") == "nguyen"


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("nguyen", "%nguyen%"),
        ("Nguyễn", "%nguyen%"),
        ("50%", "%50\\%%"),
        ("a_b", "%a\\_b%"),
        ("back\\slash", "%back\\\\slash%"),
        ("  two   words ", "%two words%"),
    ],
)
def test_like_pattern(query: str, pattern: str) -> None:
    assert like_pattern(query) == pattern


@pytest.mark.parametrize(
    ("stored", "query", "matches"),
    [
        ("discount 50% off", "50%", True),
        ("discount 50 off", "50%", False),  # % is literal, not a wildcard
        ("a_b", "a_b", True),
        ("axb", "a_b", False),  # _ is literal, not any one character
        ("nguyen thi anh", "NGUYỄN", True),
        ("c:\\temp", "c:\\t", True),
    ],
)
def test_like_pattern_in_sql(stored: str, query: str, matches: bool) -> None:
    with sqlite3.connect(":memory:") as conn:
        row = conn.execute(
            "SELECT ? LIKE ? ESCAPE '\\'", (fold(stored), like_pattern(query))
        ).fetchone()
    assert bool(row[0]) is matches


# -- ages ---------------------------------------------------------------------------------

BORN = date(2009, 11, 20)


def test_age_on_the_birthday_and_the_day_before() -> None:
    assert age_on(BORN, date(2025, 11, 20)) == 16
    assert age_on(BORN, date(2025, 11, 19)) == 15
    assert age_on(BORN, date(2025, 11, 21)) == 16
    assert age_on(BORN, BORN) == 0
    assert age_on(BORN, date(2010, 11, 19)) == 0
    # Year ends and month edges
    assert age_on(date(2008, 12, 31), date(2025, 12, 31)) == 17
    assert age_on(date(2008, 12, 31), date(2026, 1, 1)) == 17
    assert age_on(date(2008, 1, 1), date(2025, 12, 31)) == 17
    assert age_on(date(2008, 1, 1), date(2026, 1, 1)) == 18


LEAP = date(2008, 2, 29)


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2024, 2, 28), 15),
        (date(2024, 2, 29), 16),  # leap year: the real birthday
        (date(2025, 2, 28), 16),  # common year: not yet...
        (date(2025, 3, 1), 17),  # ...attained on March 1
        (date(2026, 2, 28), 17),
        (date(2026, 3, 1), 18),
        (date(2028, 2, 28), 19),
        (date(2028, 2, 29), 20),
    ],
)
def test_feb_29_births_attain_the_age_on_march_1_in_common_years(on: date, age: int) -> None:
    assert age_on(LEAP, on) == age


def test_birthday_of_age() -> None:
    assert birthday_of_age(LEAP, 16) == date(2024, 2, 29)
    assert birthday_of_age(LEAP, 18) == date(2026, 3, 1)
    assert birthday_of_age(BORN, 18) == date(2027, 11, 20)
    assert birthday_of_age(BORN, -1) == date(2008, 11, 20)


def test_age_on_agrees_with_birthday_of_age_every_day() -> None:
    for born in (LEAP, BORN, date(2009, 3, 1), date(2008, 12, 31)):
        day = born
        while day < born + timedelta(days=366 * 20):
            age = age_on(born, day)
            assert birthday_of_age(born, age) <= day < birthday_of_age(born, age + 1)
            day += timedelta(days=11)


@pytest.mark.parametrize(
    ("born", "after", "expected"),
    [
        (BORN, date(2025, 10, 15), date(2025, 11, 20)),
        (BORN, date(2025, 11, 19), date(2025, 11, 20)),
        (BORN, date(2025, 11, 20), date(2026, 11, 20)),  # strictly after
        (LEAP, date(2025, 1, 1), date(2025, 3, 1)),
        (LEAP, date(2025, 3, 1), date(2026, 3, 1)),
        (LEAP, date(2027, 6, 1), date(2028, 2, 29)),
        (LEAP, date(2028, 2, 29), date(2029, 3, 1)),
        (date(2008, 12, 31), date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_next_birthday(born: date, after: date, expected: date) -> None:
    assert next_birthday(born, after) == expected


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "under 14"),
        (13, "under 14"),
        (14, "14–15"),
        (15, "14–15"),
        (16, "16–17"),
        (17, "16–17"),
        (18, "18+"),
        (25, "18+"),
    ],
)
def test_age_band_edges(age: int, band: str) -> None:
    assert age_band(age) == band


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 6, 30), "2024-25"),
        (date(2025, 7, 1), "2025-26"),
        (date(2026, 1, 15), "2025-26"),
        (date(2099, 8, 1), "2099-00"),
    ],
)
def test_school_year_of(day: date, year: str) -> None:
    assert school_year_of(day) == year


# -- calendars ------------------------------------------------------------------------------

CAL = Calendar(
    first_day=date(2025, 8, 20),  # a Wednesday
    last_day=date(2026, 6, 4),  # a Thursday
    day_start=time(8),
    day_end=time(15),
    exceptions={
        date(2025, 9, 1): DayException("no_school"),  # Labor Day, a Monday
        date(2025, 10, 10): DayException("early_dismissal", time(8), time(12)),
        date(2025, 10, 17): DayException("early_dismissal", None, time(11, 30)),
        date(2025, 9, 24): DayException("late_start", time(9, 45), None),
        date(2025, 9, 6): DayException("early_dismissal", time(8), time(12)),  # a Saturday
    },
)


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2025, 8, 19), None),  # before the first day
        (date(2025, 8, 20), (time(8), time(15))),  # the first day
        (date(2025, 8, 23), None),  # Saturday
        (date(2025, 8, 24), None),  # Sunday
        (date(2025, 9, 1), None),  # holiday
        (date(2025, 9, 2), (time(8), time(15))),
        (date(2025, 10, 10), (time(8), time(12))),  # early dismissal
        (date(2025, 10, 17), (time(8), time(11, 30))),  # start defaults to the day's
        (date(2025, 9, 24), (time(9, 45), time(15))),  # late start
        (date(2025, 9, 6), None),  # an exception on a weekend is still a weekend
        (date(2026, 6, 4), (time(8), time(15))),  # the last day
        (date(2026, 6, 5), None),  # after the last day
    ],
)
def test_hours_on(day: date, hours: tuple[time, time] | None) -> None:
    assert CAL.hours_on(day) == hours


def test_school_days_lists_exactly_the_days_in_session() -> None:
    days = dict(CAL.school_days())
    assert min(days) == CAL.first_day and max(days) == CAL.last_day
    assert date(2025, 9, 1) not in days
    assert all(d.weekday() < 5 for d in days)
    assert days[date(2025, 10, 10)] == (time(8), time(12))
    weekdays = sum(
        1
        for n in range((CAL.last_day - CAL.first_day).days + 1)
        if (CAL.first_day + timedelta(days=n)).weekday() < 5
    )
    assert len(days) == weekdays - 1  # only Labor Day is off in this calendar
