"""Field checks that collect every problem before anything is written.

A service runs its input through a ``Checker``, which cleans each value and notes
what is wrong with it under the field's name; ``done()`` raises one
``ValidationError`` listing them all, so a form can show each beside its field and
the CLI can name the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from internhost.core.errors import FieldError, ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
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


class Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def text(
        self,
        field: str,
        value: str | None,
        *,
        required: bool = False,
        max_len: int = 200,
        multiline: bool = False,
    ) -> str:
        """Trimmed text; empty when absent. Control characters are refused (tabs and,
        for multi-line fields, line breaks allowed)."""
        cleaned = (value or "").strip()
        if required and not cleaned:
            self.fail(field, "is required")
        elif len(cleaned) > max_len:
            self.fail(field, f"is longer than {max_len} characters")
        elif CONTROL.search(cleaned) or (not multiline and ("\n" in cleaned or "\r" in cleaned)):
            self.fail(field, "contains control characters")
        return cleaned

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
        if cleaned:
            try:
                ZoneInfo(cleaned)
            except (ZoneInfoNotFoundError, ValueError):
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


def time_zones() -> list[str]:
    """The zone names a worksite can choose, for forms."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
