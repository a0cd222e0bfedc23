"""The domain's error types; the CLI maps each to its exit code, the GUI shows them.

``ValidationError`` carries field-level messages (the GUI puts each beside its
field; the CLI prints the first and exits 2). Raising one inside a unit of work
rolls everything back, so nothing half-written survives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationError(DomainError):
    """Bad input: one or more fields, each with a message."""

    def __init__(self, errors: list[FieldError] | FieldError | str, field: str = "") -> None:
        if isinstance(errors, str):
            errors = [FieldError(field, errors)]
        elif isinstance(errors, FieldError):
            errors = [errors]
        if not errors:
            raise ValueError("ValidationError needs at least one error")
        self.errors: list[FieldError] = list(errors)
        super().__init__(str(self.errors[0]))

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for err in self.errors:
            out.setdefault(err.field, []).append(err.message)
        return out


class NotFound(DomainError):
    """A record the caller named does not exist (or is invisible to the actor)."""


class Conflict(DomainError):
    """The request clashes with what is stored (e.g. demo data into a non-empty database)."""


class PermissionDenied(DomainError):
    """The acting user's role may not do this (CLI exit 4)."""


class LoginFailed(PermissionDenied):
    """Unknown user, wrong password, disabled account or spent token (CLI exit 4).

    An unknown user name and a wrong password give the same message, so nobody learns
    which user names exist by guessing."""


class LoginThrottled(LoginFailed):
    """Too many failed logins for this user name: the next attempt is allowed only
    after ``seconds`` (the app counts down; the command line waits instead)."""

    def __init__(self, username: str, seconds: float) -> None:
        # Rounded up: a countdown that ends early meets a name still held back.
        self.seconds = max(1, math.ceil(seconds))
        super().__init__(f"too many failed logins for {username}: try again in {self.seconds} s")
