"""Cell text → typed values, strictly, with messages a spreadsheet user can act on.

Each parser takes a non-empty, trimmed cell and returns the value or raises
``ValueError`` whose text is the message shown beside the cell. Strict on
purpose: a two-digit year or a spreadsheet serial number is a guess we refuse to
make about a child's birth date, which decides which labor laws apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from functools import cache

from internhost.core.models.enums import PROGRAM_LABELS
from internhost.core.text import fold

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
#: The time Excel appends to a date cell ("9/8/2025 0:00", "2025-09-08 00:00:00").
_TIME = re.compile(r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([ap]m)?)?", re.I)
_SHORT_YEAR = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{2}(?:\s.*)?")
_SERIAL = re.compile(r"\d{4,6}(?:\.\d+)?")
_MONEY = re.compile(r"\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")
_WHOLE = re.compile(r"(\d+)(?:\.0+)?")
_BOOLS = {"yes": True, "y": True, "true": True, "1": True}
_BOOLS |= {"no": False, "n": False, "false": False, "0": False}


def match_key(text: str) -> str:
    """Case, accents, spacing and punctuation folded away: for headers and choices."""
    return _NOT_ALNUM.sub(" ", fold(text)).strip()


def _midnight(time: re.Match[str]) -> bool:
    hour, minute, second, fraction, half = time.groups()
    if hour is None:
        return True
    if int(minute) or int(second or 0) or int(fraction or 0):
        return False
    if half is None:
        return int(hour) == 0
    return half.lower() == "am" and int(hour) == 12


def parse_date(text: str) -> date:
    """ISO ``2025-09-08`` or US ``9/8/2025``, optionally with a midnight time."""
    iso = _ISO.match(text)
    us = None if iso else _US.match(text)
    found = iso or us
    time = _TIME.fullmatch(text, found.end()) if found else None
    if found is None or time is None:
        if _SHORT_YEAR.fullmatch(text):
            raise ValueError(f"{text} has a two-digit year; write the year in full (M/D/YYYY)")
        if _SERIAL.fullmatch(text):
            raise ValueError(
                f"{text} is a spreadsheet serial number, not a date; format the column as a date"
            )
        raise ValueError(f"{text} is not a date (write YYYY-MM-DD or M/D/YYYY)")
    if not _midnight(time):
        raise ValueError(f"{text} has a time of day; give the date alone")
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        month, day, year = (int(g) for g in us.groups())  # type: ignore[union-attr]
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{found.group(0)} is not a date") from None


def parse_bool(text: str) -> bool:
    """yes/no, y/n, true/false, 1/0 in any case."""
    try:
        return _BOOLS[text.casefold()]
    except KeyError:
        raise ValueError(f"{text} is not yes or no") from None


def parse_cents(text: str) -> int:
    """Dollars, with or without ``$`` and thousands commas, as integer cents."""
    found = _MONEY.fullmatch(text)
    if found is None:
        if text.lstrip("$ ").startswith("-"):
            raise ValueError(f"{text} is negative")
        raise ValueError(f"{text} is not an amount in dollars (e.g. 15.50)")
    dollars, cents = found.groups()
    return int(dollars.replace(",", "")) * 100 + int((cents or "0").ljust(2, "0"))


def parse_whole(text: str) -> int:
    """A whole number; ``11.0`` (a spreadsheet's number format) is 11."""
    found = _WHOLE.fullmatch(text)
    if found is None:
        raise ValueError(f"{text} is not a whole number")
    return int(found.group(1))


@cache
def _choices(labels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    table = {match_key(label): key for key, label in labels}
    return table | {match_key(key): key for key, _ in labels}


def parse_choice(text: str, labels: Mapping[str, str], what: str) -> str:
    """The key of ``labels`` named by its key or its label, in any case."""
    found = _choices(tuple(labels.items())).get(match_key(text))
    if found is None:
        options = ", ".join(f"{label} ({key})" for key, label in labels.items())
        raise ValueError(f"{text} is not a {what}; use one of {options}")
    return found


def parse_program(text: str) -> str:
    """A placement program by key (``school_wbl``) or label ("School work-based learning")."""
    return parse_choice(text, PROGRAM_LABELS, "program")


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?\s*m?\.?", re.I)
_CLOCK_24 = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_time(text: str) -> time:
    """A time clock's punch: ``19:05``, ``19:05:00``, ``7:05 PM``, ``7:05pm``, ``7:05 p.m.``
    (seconds are dropped: the law counts minutes)."""
    twelve = _CLOCK.fullmatch(text)
    found = twelve or _CLOCK_24.fullmatch(text)
    if found is None:
        raise ValueError(f"{text} is not a time (write 19:05 or 7:05 PM)")
    hour, minute = int(found.group(1)), int(found.group(2))
    if twelve:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text} is not a time: {hour} is not an hour of a 12-hour clock")
        hour = hour % 12 + (12 if twelve.group(4).lower() == "p" else 0)
    if hour > 23 or minute > 59 or int(found.group(3) or 0) > 59:
        raise ValueError(f"{text} is not a time of day")
    return time(hour, minute)
