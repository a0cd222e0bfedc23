"""What every step of the sample's generator shares: the session it writes through,
the seeded random source, the sizes asked for, the spec (laid out around the load
day), the demo accounts, the law, and the counts for the summary. The steps draw
from the random source in a fixed order (``build``), so the same seed always gives
the same database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from internhost.core.sample.law import Law
from internhost.core.sample.spec import as_date


@dataclass(frozen=True)
class DemoSizes:
    interns: int = 24
    #: Weeks of shifts planned per term; None plans the whole term.
    weeks: int | None = None
    second_term: bool = True
    #: Check every intern and store findings and checklists, as the app would.
    check: bool = True
    #: Mentors generated beside the spec's three, taken in turn by the worksites, whose
    #: placements then spread over them as at a large employer (``bench/scope.py``).
    extra_mentors: int = 0


@dataclass(frozen=True)
class Accounts:
    """The demo accounts that approve, close and decide: HR and the first mentor."""

    hr: int
    mentor: int
    #: The first mentor's staff id: their interns' hours are theirs to approve.
    mentor_staff: int


class Generator:
    def __init__(
        self, s: Session, rng: random.Random, sizes: DemoSizes, spec: dict[str, Any]
    ) -> None:
        self.s = s
        self.rng = rng
        self.sizes = sizes
        #: The spec laid out around the load day (``spec.laid_out``).
        self.spec = spec
        self.law = Law.of(self.spec["worksites"][0]["state"])
        #: The demo accounts, once made (``build``): they approve and close hours.
        self.accounts = Accounts(0, 0, 0)
        #: What was written, by kind, in the order the summary names them.
        self.counts: dict[str, int] = {}

    @property
    def today(self) -> date:
        """The day the sample is loaded: hours are logged up to the day before."""
        return as_date(self.spec["today"])

    def date(self, key: str) -> date:
        """One of the spec's ``[dates]`` (moved with the others)."""
        return as_date(self.spec["dates"][key])

    def count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def staff_name(self, staff_id: int) -> str:
        """A staff member's name as written, first and last (a letter's signer)."""
        from sqlalchemy import select

        from internhost.core.models import Staff

        first, last = self.s.execute(
            select(Staff.first_name, Staff.last_name).where(Staff.id == staff_id)
        ).one()
        return f"{first} {last}".strip()
