"""Field checks that collect every problem before anything is written.

A service runs its input through a ``Checker``, which cleans each value and notes
what is wrong with it under the field's name; ``done()`` raises one
``ValidationError`` listing them all, so a form can show each beside its field and
the CLI can name the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.orm import Session

from internhost.core.errors import FieldError, ValidationError

T = TypeVar("T")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: SQLite's INTEGER holds 64 bits: no record has an id beyond, and no number beyond
#: can be stored or even compared with a column (the driver raises OverflowError).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: The years a work date (a placement's start and end, a school calendar's days) may
#: fall in. Internships are planned a term or two ahead and kept for years after;
#: a date outside is a typo, and one at the calendar's ends (year 1 or 9999) would
#: overflow the due dates and school days computed from it.
FIRST_WORK_YEAR, LAST_WORK_YEAR = 2000, 2100
#: The ages an intern may be on a day on record (today, or a day they work): high
#: schoolers are 14 to 18; younger than 10 or older than 25 is a typo in a year.
#: Plausibility, not law: what the law allows at each age is rule data.
YOUNGEST_INTERN, OLDEST_INTERN = 10, 25
#: The highest hourly rate a placement may record: an intern's wage is tens of
#: dollars an hour; more is a typo (cents typed as dollars, a digit too many).
MAX_HOURLY_RATE_CENTS = 100_000
#: Text holding a lone surrogate (half of a character, from a broken copy and paste or
#: a bad file) cannot be stored: the database takes UTF-8 only.
NOT_TEXT = "contains a broken character (half of a character pair); retype it"
#: Characters that are invisible or change the direction text is shown in. In a name
#: they make one record look like another, or reorder what shows around it: "Ana"
#: U+202E "ziuR" displays as "AnaRuiz". Refused in every name (``Checker.name``).
#: U+200C and U+200D (zero-width non-joiner and joiner) stay allowed: Persian, Indic
#: scripts and emoji spell with them.
NAME_SPOOF = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200b\ufeff"  # zero-width space, zero-width no-break space (byte-order mark)
)
_NAME_SPOOF = re.compile(f"[{''.join(sorted(NAME_SPOOF))}]")
US_STATES = frozenset(
    {
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    }
)


def storable(value: object) -> bool:
    """Whether ``value`` is an integer SQLite can hold (so may be a record's id)."""
    return isinstance(value, int) and INT64_MIN <= value <= INT64_MAX


def by_id(s: Session, model: type[T], record_id: object, **options: Any) -> T | None:
    """``s.get(model, record_id)``, or None when no record can have that id: None
    (which SQLAlchemy warns about), not an integer, or beyond 64 bits."""
    if not storable(record_id):
        return None
    return s.get(model, record_id, **options)


def _dollars(cents: int) -> str:
    return f"${cents / 100:,.2f}"


class Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def failed(self, field: str) -> bool:
        """Whether ``field`` already has a problem (so a second is not piled on)."""
        return any(e.field == field for e in self.errors)

    def text(
        self,
        field: str,
        value: str | None,
        *,
        required: bool = False,
        max_len: int = 200,
        multiline: bool = False,
    ) -> str:
        """Trimmed text; empty when absent, or when refused (so a refused value never
        reaches a query). Control characters are refused (tabs and, for multi-line
        fields, line breaks allowed), and so is a lone surrogate."""
        cleaned = (value or "").strip()
        if required and not cleaned:
            problem = "is required"
        elif len(cleaned) > max_len:
            problem = f"is longer than {max_len} characters"
        elif not _encodable(cleaned):
            problem = NOT_TEXT
        elif CONTROL.search(cleaned) or (not multiline and ("\n" in cleaned or "\r" in cleaned)):
            problem = "contains control characters"
        else:
            return cleaned
        self.fail(field, problem)
        return ""

    def name(
        self, field: str, value: str | None, *, required: bool = False, max_len: int = 200
    ) -> str:
        """A person's or a record's name: ``text`` on one line, and refused when it
        holds an invisible or text-direction character (``NAME_SPOOF``)."""
        cleaned = self.text(field, value, required=required, max_len=max_len)
        problem = spoof_problem(cleaned)
        if problem is None:
            return cleaned
        self.fail(field, problem)
        return ""

    def search(self, field: str, value: str | None, *, max_len: int = 200) -> str:
        """Search text: trimmed, empty when absent or refused. Control characters are
        harmless in a search; a lone surrogate (which the database cannot take) and
        more than ``max_len`` characters are refused."""
        cleaned = (value or "").strip()
        if len(cleaned) > max_len:
            self.fail(field, f"is longer than {max_len} characters")
        elif not _encodable(cleaned):
            self.fail(field, NOT_TEXT)
        else:
            return cleaned
        return ""

    def whole(
        self,
        field: str,
        value: int | None,
        *,
        high: int,
        low: int = 0,
        required: bool = False,
        too_low: str = "",
        show: Callable[[int], str] = "{:,}".format,
    ) -> int | None:
        """A whole number from ``low`` to ``high`` (the domain's limits, well inside
        what the database holds), or None when absent."""
        if value is None:
            if required:
                self.fail(field, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, "is not a whole number")
            return None
        if value < low:
            self.fail(field, too_low or ("may not be negative" if low == 0 else f"is below {low}"))
        elif value > high:
            self.fail(field, f"may not be more than {show(high)}")
        return value

    def cents(
        self, field: str, value: int | None, *, high: int, required: bool = False
    ) -> int | None:
        """An amount in cents from 0 to ``high``, the limit shown in dollars."""
        return self.whole(field, value, high=high, required=required, show=_dollars)

    def _one_of(
        self, field: str, value: object, kind: type[T], what: str, *, required: bool
    ) -> T | None:
        """``value`` when it is a ``kind``; None when absent (noted when ``required``)
        or when it is something else (noted as not ``what``)."""
        if value is None:
            if required:
                self.fail(field, "is required")
            return None
        if not isinstance(value, kind):
            self.fail(field, f"is not {what}")
            return None
        return value

    def work_date(self, field: str, value: date | None, *, required: bool = False) -> date | None:
        """A date work happens on, within ``FIRST_WORK_YEAR``–``LAST_WORK_YEAR``."""
        day = self._one_of(field, value, date, "a date", required=required)
        if day is not None and not FIRST_WORK_YEAR <= day.year <= LAST_WORK_YEAR:
            self.fail(
                field,
                f"{day.isoformat()} is not between {FIRST_WORK_YEAR} and {LAST_WORK_YEAR}; "
                "check the year",
            )
            return None
        return day

    def time_of_day(self, field: str, value: time | None, *, required: bool = False) -> time | None:
        """A time of day (when a school day starts or ends), or None when absent."""
        return self._one_of(field, value, time, "a time of day", required=required)

    def email(self, field: str, value: str | None, *, required: bool = False) -> str | None:
        cleaned = self.text(field, value, required=required, max_len=320)
        if cleaned and not EMAIL.match(cleaned):
            self.fail(field, f"{cleaned!r} is not an e-mail address")
        return cleaned.lower() or None

    def state(self, field: str, value: str | None) -> str:
        cleaned = self.text(field, value, required=True, max_len=2).upper()
        if cleaned and cleaned not in US_STATES:
            self.fail(field, f"{cleaned!r} is not a US state code")
        return cleaned

    def time_zone(self, field: str, value: str | None) -> str:
        cleaned = self.text(field, value, required=True, max_len=64)
        if cleaned:  # checked text only: ZoneInfo takes a long name for a file name
            try:
                ZoneInfo(cleaned)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                self.fail(field, f"{cleaned!r} is not a time zone (e.g. America/Chicago)")
        return cleaned

    def choice(self, field: str, value: str | None, allowed: Iterable[str]) -> str:
        options = tuple(allowed)
        if value not in options:
            self.fail(field, f"{value!r} is not one of {', '.join(options)}")
        return value or ""

    def order(self, field: str, first: date | None, last: date | None) -> None:
        """``last`` (named by ``field``) may not come before ``first``."""
        if first and last and last < first:
            self.fail(field, "is before the start")

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def spoof_problem(text: str) -> str | None:
    """What is wrong with a name holding an invisible or text-direction character
    (naming the first), or None."""
    found = _NAME_SPOOF.search(text)
    if found is None:
        return None
    return (
        f"contains an invisible or text-direction character (U+{ord(found.group()):04X}); retype it"
    )


def drop_spoof(text: str) -> str:
    """``text`` without its invisible and text-direction characters: for a name that
    is not typed but taken from the system (a computer's name), cleaned, not refused."""
    return _NAME_SPOOF.sub("", text)


def _encodable(text: str) -> bool:
    """False for text holding a lone surrogate, which no database driver can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def time_zones() -> list[str]:
    """The zone names a worksite can choose, for forms."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
