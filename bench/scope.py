"""A mentor's screens at 50,000 interns: the intern list <= 100 ms, each keystroke of
a search <= 100 ms, the dashboard <= 300 ms. HR's figures stand beside the mentor's,
against the same targets.

The database is the sample data set with 50,000 interns and 1,000 mentors besides
the sample's three (about 80 placements each; ``--extra-mentors 0`` gives the
sample's own three, a third of the interns each), built once under ``bench/.cache``
with one week of shifts and without the rule checks (checking 50,000 interns takes
over an hour here, so it holds no findings or checklist items). The mentor is the
sample's ``mentor`` account; HR is its ``hr``.

Each figure is what the screen runs, as the app's ``Database`` runs it, every call in
a short read session of its own: the Interns screen's ids (``list_intern_ids``) and
then its first page of rows (``intern_rows``, ``InternsModel``'s page size); a search
the same for each keystroke ("m", "ma", "mar"); the Dashboard, ``Database.home``
(``is_empty``, ``dashboard``, ``wizard_position``). Warm: one pass untimed, then the
median of ``--runs``. ``--without-statistics`` measures a copy never analyzed.
"""

from __future__ import annotations

import inspect
import shutil
import sys
import tempfile
import time as clock
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from functools import partial
from pathlib import Path

from _common import BENCH_KEY, median, scope_arguments, scope_database
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor
from internhost.core.models import Intern, Placement, Staff, UserAccount
from internhost.core.services import interns
from internhost.core.services.accounts import actor_for
from internhost.core.services.dashboard import dashboard, is_empty
from internhost.core.services.onboarding import wizard_position
from internhost.core.storage import db

TARGET_LIST_MS = 100.0
TARGET_KEY_MS = 100.0
TARGET_DASHBOARD_MS = 300.0
#: The first term's first week, when every intern is placed: the dashboard's most.
TODAY = date(2025, 9, 10)


def page_size() -> int:
    """Rows the Interns screen fetches first (``InternsModel``'s page)."""
    from internhost.gui.models.interns_model import InternsModel

    return inspect.signature(InternsModel).parameters["page_size"].default


class Screens:
    """The service calls of the Interns and Dashboard screens, for one user."""

    def __init__(self, factory: sessionmaker[Session], actor: Actor, page: int) -> None:
        self.factory = factory
        self.actor = actor
        self.page = page

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with db.read_session(self.factory, self.actor) as s:
            yield s

    def intern_list(self, search: str = "") -> int:
        with self.reading() as s:
            ids = interns.list_intern_ids(s, self.actor, search=search, sort="name")
        with self.reading() as s:
            interns.intern_rows(s, self.actor, ids[: self.page], TODAY)
        return len(ids)

    def home(self) -> None:
        with self.reading() as s:
            if not is_empty(s):
                dashboard(s, self.actor, TODAY)
                wizard_position(s)


def timed(call: Callable[[], object], runs: int) -> float:
    """Median milliseconds of ``runs`` calls after one untimed (warm) call."""
    call()
    times = []
    for _ in range(runs):
        started = clock.perf_counter()
        call()
        times.append((clock.perf_counter() - started) * 1000)
    return median(times)


def row(name: str, mentor_ms: float, hr_ms: float, target_ms: float) -> None:
    def verdict(ms: float) -> str:
        return "OK" if ms <= target_ms else "MISSED"

    print(
        f"{name:<34} {mentor_ms:>9.1f} ms {verdict(mentor_ms):<6}"
        f" {hr_ms:>9.1f} ms {verdict(hr_ms):<6}   target <= {target_ms:.0f} ms"
    )


def describe(factory: sessionmaker[Session], mentor: Actor) -> str:
    with db.read_session(factory, mentor) as s:
        n_interns = s.scalar(select(func.count(Intern.id)))
        n_placements = s.scalar(select(func.count(Placement.id)))
        mentors = s.scalar(select(func.count(Staff.id)).where(Staff.role == "mentor"))
        name = s.scalar(
            select(Staff.first_name + " " + Staff.last_name).where(Staff.id == mentor.staff_id)
        )
        own = len(interns.list_intern_ids(s, mentor))
    return (
        f"{n_interns:,} interns, {n_placements:,} placements, {mentors:,} mentors;"
        f" the mentor, {name}, has {own:,} interns"
    )


def accounts(factory: sessionmaker[Session]) -> tuple[Actor, Actor]:
    """The sample's ``mentor`` and ``hr``, as logging in makes them."""
    with factory() as s:
        by_name = {a.username: a for a in s.scalars(select(UserAccount))}
        return actor_for(by_name["mentor"]), actor_for(by_name["hr"])


def measure(path: Path, runs: int, typed: str) -> None:
    engine = db.make_engine(path, BENCH_KEY, create=False)
    try:
        factory = db.make_session_factory(engine)
        mentor, hr = accounts(factory)
        print(describe(factory, mentor))
        page = page_size()
        users = [Screens(factory, actor, page) for actor in (mentor, hr)]
        print(f"{'':<34} {'mentor':>12} {'':<6} {'HR':>12}")
        figures = [timed(user.intern_list, runs) for user in users]
        row(f"intern list (ids, {page} rows)", *figures, TARGET_LIST_MS)
        for n in range(1, len(typed) + 1):
            figures = [timed(partial(user.intern_list, typed[:n]), runs) for user in users]
            row(f'search, keystroke "{typed[:n]}"', *figures, TARGET_KEY_MS)
        figures = [timed(user.home, runs) for user in users]
        row("dashboard (Database.home)", *figures, TARGET_DASHBOARD_MS)
    finally:
        engine.dispose()


def never_analyzed(source: Path, folder: Path) -> Path:
    """A copy of ``source`` without the planner's statistics, as before any analysis."""
    copy = folder / "unanalyzed.db"
    shutil.copyfile(source, copy)
    with closing(db.connect_raw(copy, BENCH_KEY)) as conn:
        conn.executescript("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4")
    return copy


def main() -> None:
    parser = scope_arguments(__doc__)
    parser.add_argument("--without-statistics", action="store_true")
    args = parser.parse_args()
    source = scope_database(args)
    if not args.without_statistics:
        measure(source, args.runs, args.search)
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = never_analyzed(source, Path(tmp))
        print("never analyzed (no sqlite_stat1, no sqlite_stat4):", file=sys.stderr)
        measure(copy, args.runs, args.search)
        # Closing analyzed the copy (PRAGMA optimize): it goes with the folder.


if __name__ == "__main__":
    main()
