"""Date helpers: ages on a date and school years.

A person attains an age on the birthday itself (LEGAL.md §0). Someone born on
February 29 attains it on March 1 in a common year: the later, more protective
reading, under which the rules for the younger age apply one day longer.
"""

from __future__ import annotations

from datetime import date


def birthday_of_age(birth_date: date, age: int) -> date:
    """The date someone born on ``birth_date`` turns ``age``."""
    year = birth_date.year + age
    try:
        return birth_date.replace(year=year)
    except ValueError:  # Feb 29 in a common year
        return date(year, 3, 1)


def age_on(birth_date: date, on: date) -> int:
    """Whole years of age on ``on``."""
    age = on.year - birth_date.year
    return age if on >= birthday_of_age(birth_date, age) else age - 1


def next_birthday(birth_date: date, after: date) -> date:
    """The first birthday strictly after ``after``."""
    return birthday_of_age(birth_date, age_on(birth_date, after) + 1)


def school_year_of(day: date) -> str:
    """ "2025-26" for any date from July 1, 2025 to June 30, 2026."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
