"""How dates, ages and hours read on screen, in one place so every view agrees.

Month names come from a fixed table rather than ``strftime``: Qt sets the C locale
from the environment, and a half-translated English UI reads worse than none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DASH = "—"


def short_date(day: date | None) -> str:
    """``Nov 20, 2026``; a dash for no date."""
    if day is None:
        return DASH
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def date_range(start: date, end: date | None) -> str:
    """``Sep 8 – Dec 18, 2025`` (the year once when both share it); open ends say so."""
    if end is None:
        return f"{short_date(start)} – open"
    if start.year == end.year:
        return f"{MONTHS[start.month - 1]} {start.day} – {short_date(end)}"
    return f"{short_date(start)} – {short_date(end)}"


def long_date(day: date) -> str:
    """``Friday, Nov 20, 2026`` for headings."""
    return f"{WEEKDAYS[day.weekday()]}, {short_date(day)}"


def relative_days(day: date, today: date) -> str:
    """``today``, ``tomorrow``, ``in 5 days``, ``3 days ago``."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def hours(value: float) -> str:
    """``66.9`` hours with one decimal, or a whole number when it is one."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def text_or_dash(value: object) -> str:
    return DASH if value is None or value == "" else str(value)


def local_time(moment: datetime) -> str:
    """``Nov 20, 2026 14:05`` in this computer's time zone (stored times are UTC)."""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone()
    return f"{short_date(local.date())} {local:%H:%M}"
