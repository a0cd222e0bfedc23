"""How long work says how far it is, and hears that it should stop (Camelot's pattern).

A long operation takes a ``Progress`` and calls ``step(done, total, text)`` between
its steps: that reports, and raises ``Cancelled`` when the user asked it to stop, so
the operation stops at a step boundary. Inside a unit of work the exception rolls
everything back: a cancelled operation leaves nothing behind. The app's task runner
and the worker processes each make a ``Progress`` of their own; the command line and
the tests pass ``NO_PROGRESS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """The user asked the operation to stop; nothing of it was kept."""


def _ignore(done: int, total: int, text: str) -> None:
    pass


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Progress:
    report: Callable[[int, int, str], None] = _ignore
    cancelled: Callable[[], bool] = _never

    def step(self, done: int, total: int, text: str = "") -> None:
        """About to do step ``done`` + 1 of ``total`` (``text`` says which); stop here
        with ``Cancelled`` if the user asked."""
        if self.cancelled():
            raise Cancelled("cancelled")
        self.report(done, total, text)


NO_PROGRESS = Progress()
