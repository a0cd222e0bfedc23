"""The dashboard's queue of what needs doing (issue 14): counts per kind and the first
200 items, for HR and for a mentor, <= 150 ms at 5,000 interns and <= 300 ms at
50,000.

The 5,000-intern database is the sample with two weeks of hours, rule-checked (its
findings and checklist items are real); the 50,000 one is ``scope.py``'s (1,000
mentors besides the sample's three, one week, not checked: no findings or checklist
items, so its queue is the plan steps, documents, approvals and birthdays). Both
are built once under ``bench/.cache``. The mentor is the sample's ``mentor``
account, HR its ``hr``. Each figure is ``queue.read_queue`` as the app's worker runs
it, in a short read session of its own, on the day after the last day logged (the
sample's "today"). Warm: one call untimed, then ``--runs`` timed; best and median.
"""

from __future__ import annotations

import argparse
import time as clock
from datetime import timedelta
from pathlib import Path

from _common import BENCH_KEY, generated_db, median
from sqlalchemy import func, select

from internhost.core.actor import Actor
from internhost.core.models import Intern, TimeEntry, UserAccount
from internhost.core.services.accounts import actor_for
from internhost.core.services.queue import DEFAULT_LIMIT, read_queue
from internhost.core.storage import db

TARGETS_MS = {5_000: 150.0, 50_000: 300.0}


def measure(path: Path, target_ms: float, runs: int) -> None:
    engine = db.make_engine(path, BENCH_KEY, create=False)
    try:
        factory = db.make_session_factory(engine)
        with factory() as s:
            by_name = {a.username: a for a in s.scalars(select(UserAccount))}
            today = s.scalar(select(func.max(TimeEntry.work_date))) + timedelta(days=1)
            interns = s.scalar(select(func.count(Intern.id)))
        print(f"{path.name}: {interns:,} interns, today {today.isoformat()}")
        for name in ("hr", "mentor"):
            actor = actor_for(by_name[name])
            times, queue = timed(factory, actor, today, runs)
            best, middle = min(times), median(times)
            counted = ", ".join(f"{k} {n:,}" for k, n in queue.counts.items() if n)
            verdict = "OK" if middle <= target_ms else "MISSED"
            print(
                f"  {name:<7} best {best:7.1f} ms  median {middle:7.1f} ms  "
                f"target <= {target_ms:.0f} ms {verdict}   "
                f"{len(queue.items)} items; {counted or 'nothing due'}"
            )
    finally:
        engine.dispose()


def timed(factory, actor: Actor, today, runs: int):  # type: ignore[no-untyped-def]
    def once():  # type: ignore[no-untyped-def]
        with db.read_session(factory, actor) as s:
            return read_queue(s, actor, today, DEFAULT_LIMIT)

    queue = once()
    times = []
    for _ in range(runs):
        started = clock.perf_counter()
        once()
        times.append((clock.perf_counter() - started) * 1000)
    return times, queue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--only", type=int, choices=sorted(TARGETS_MS), help="measure one database only"
    )
    args = parser.parse_args()
    databases = {
        5_000: lambda: generated_db(5_000, 2),
        50_000: lambda: generated_db(50_000, 1, check=False, extra_mentors=1_000),
    }
    for interns, build in databases.items():
        if args.only in (None, interns):
            measure(build(), TARGETS_MS[interns], args.runs)


if __name__ == "__main__":
    main()
