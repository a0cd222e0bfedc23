"""What every step of the sample's generator shares: the session it writes through,
the seeded random source, the sizes asked for, the spec, the law, and the counts for
the summary. The steps draw from the random source in a fixed order (``build``), so
the same seed always gives the same database."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from internhost.core.sample.law import Law
from internhost.core.sample.spec import load_spec


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


class Generator:
    def __init__(self, s: Session, rng: random.Random, sizes: DemoSizes) -> None:
        self.s = s
        self.rng = rng
        self.sizes = sizes
        self.spec = load_spec()
        self.law = Law.of(self.spec["worksites"][0]["state"])
        #: What was written, by kind, in the order the summary names them.
        self.counts: dict[str, int] = {}

    def count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n
