"""Which failures are the environment's (a missing, locked or foreign database file, or
an unfit ``*_FILE`` secret: tell the user, exit 3) and which are bugs (also print the
traceback)."""

from __future__ import annotations

import traceback

from internhost.core.storage.db import DatabaseError, driver_complaint
from internhost.core.storage.secret_env import SecretFileError


def is_environment_error(exc: BaseException) -> bool:
    return (
        isinstance(exc, DatabaseError | OSError | SecretFileError)
        or driver_complaint(exc) is not None
    )


def describe_error(exc: BaseException) -> str:
    """A sentence for the user; the database's own complaint when there is one."""
    if isinstance(exc, DatabaseError | SecretFileError):
        return str(exc)
    complaint = driver_complaint(exc)
    if complaint is not None:
        return f"The database could not be read: {complaint}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return f"Something went wrong: {exc}"


def report(exc: BaseException) -> str:
    """``describe_error``, after printing the traceback of anything that looks like a bug."""
    if not is_environment_error(exc):
        traceback.print_exception(exc)
    return describe_error(exc)
