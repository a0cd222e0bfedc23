"""The Interns screen at 50,000 interns, as the window runs it: every read on the
database worker through ``gui.ops``, answered by callback (issue 12 §3).

For HR and for a mentor (the sample's ``hr`` and ``mentor``), on the same database as
``bench/scope.py`` (50,000 interns over 1,003 mentors, built once under
``bench/.cache``), it times from asking to the answer shown (the worker's read plus
the model applying it: compare with ``scope.py``'s figures for the same reads), and
the GUI thread's own share of that: how long applying an answer holds the window (the
model swapping in the list and its look-ups, which the worker built, and the table
following). Target: that share <= 16 ms (one frame) for every answer, so the window
never stutters, whatever the worker's read costs.

Figures: the first list (ids and the page on screen), a search one keystroke at a time
(each asked after the last answer, as a typist pausing), sorting by age (the same
interns in a new order: a layout change that keeps a selected row selected), a page in
the middle of the list, and a refresh after a write (the same list again). The model
sits in the screen's table, shown offscreen, so the table's own work on each answer
counts in the GUI thread's share.
"""

from __future__ import annotations

import os
import time as clock
from collections.abc import Callable
from datetime import date
from typing import Any

from _common import BENCH_KEY, median, scope_arguments, scope_database
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from internhost.core.actor import SYSTEM, Actor
from internhost.core.models import UserAccount
from internhost.core.services.accounts import actor_for
from internhost.gui.database import Database
from internhost.gui.models.interns_model import COLUMNS, InternsModel
from internhost.gui.ops import Ops
from internhost.gui.tasks import TaskRunner
from internhost.gui.widgets.tables import plain_table

TARGET_GUI_MS = 16.0
#: The first term's first week, when every intern is placed (as ``scope.py``).
TODAY = date(2025, 9, 10)
AGE = next(i for i, c in enumerate(COLUMNS) if c.header == "Age")


class Screen:
    """An ``InternsModel`` over ``ops`` in the screen's table (shown, offscreen), with
    the GUI thread's time per answer."""

    def __init__(self, ops: Ops) -> None:
        self.ops = ops
        self.applying: list[float] = []
        self.table = plain_table()
        self.table.resize(1200, 400)
        self.table.show()
        self.model = self.new_model()

    def new_model(self) -> InternsModel:
        model = InternsModel(self.ops)
        self.table.setModel(model)
        self.wait()
        return model

    def wait(self) -> None:
        assert self.ops.runner.settle(120_000), "the worker did not answer"

    def timed(self, ask: Callable[[], Any]) -> tuple[float, float]:
        """(ms from asking to the answer applied, ms the GUI thread spent applying)."""
        self.applying.clear()
        started = clock.perf_counter()
        ask()
        self.wait()
        return (clock.perf_counter() - started) * 1000, sum(self.applying)


def watch_applying(screen_of: Callable[[], Screen | None]) -> None:
    """Time every answer the model applies (its id lists and its pages)."""
    for name in ("_ids_came", "_page_came"):
        original = getattr(InternsModel, name)

        def timed(self: InternsModel, *args: Any, _original: Any = original) -> None:
            started = clock.perf_counter()
            _original(self, *args)
            screen = screen_of()
            if screen is not None:
                screen.applying.append((clock.perf_counter() - started) * 1000)

        setattr(InternsModel, name, timed)


def measure(screen: Screen, runs: int, typed: str) -> list[tuple[str, float, float]]:
    figures: list[tuple[str, float, float]] = []

    def record(name: str, ask: Callable[[], Any], reset: Callable[[], Any] | None = None) -> None:
        totals, guis = [], []
        for _ in range(runs):
            if reset is not None:
                reset()
                screen.wait()
            total, gui = screen.timed(ask)
            totals.append(total)
            guis.append(gui)
        figures.append((name, median(totals), median(guis)))

    def first_list() -> None:
        screen.model = InternsModel(screen.ops)  # asks for its list at once
        screen.table.setModel(screen.model)

    record("first list (ids, the page on screen)", first_list)
    model = screen.model
    for n in range(1, len(typed) + 1):
        record(
            f'search, keystroke "{typed[:n]}"',
            lambda n=n: model.set_search(typed[:n]),
            lambda n=n: model.set_search(typed[: n - 1]),
        )
    model.set_search("")
    screen.wait()
    middle = model.rowCount() // 2
    screen.table.selectRow(middle)
    record(
        "sort by age (a layout change)",
        lambda: model.sort(AGE, Qt.SortOrder.DescendingOrder),
        lambda: model.sort(0, Qt.SortOrder.AscendingOrder),
    )

    def far_page() -> None:
        screen.table.scrollTo(model.index(middle, 0))
        QApplication.processEvents()  # painted: the page is wanted
        model.row_at(middle)

    def from_the_top() -> None:
        screen.table.scrollToTop()
        model.row_at(0)
        model.refresh()  # the same list again, its page on screen the first

    record("a page in the middle, scrolled to", far_page, from_the_top)
    record("refresh after a write (the same list)", model.refresh)
    return figures


def accounts(database: Database) -> tuple[Actor, Actor]:
    with database.factory() as s:
        by_name = {a.username: a for a in s.scalars(select(UserAccount))}
        return actor_for(by_name["hr"]), actor_for(by_name["mentor"])


def main() -> None:
    args = scope_arguments(__doc__).parse_args()
    path = scope_database(args)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([])
    current: dict[str, Screen] = {}
    watch_applying(lambda: current.get("screen"))
    probe = Database.open(path, SYSTEM, lambda: TODAY, key=BENCH_KEY, upgrade=False)
    try:
        users = accounts(probe)
    finally:
        probe.close()
    results: dict[str, list[tuple[str, float, float]]] = {}
    for actor in users:
        database = Database.open(path, actor, lambda: TODAY, key=BENCH_KEY, upgrade=False)
        runner = TaskRunner()
        try:
            screen = Screen(Ops(database, runner))
            current["screen"] = screen
            print(f"{actor.role.value}: {screen.model.rowCount():,} interns", flush=True)
            results[actor.role.value] = measure(screen, args.runs, args.search)
        finally:
            runner.wait()
            database.close()
    names = [name for name, _total, _gui in next(iter(results.values()))]
    roles = list(results)
    print(f"{'':<40}" + "".join(f"{role:>24}" for role in roles))
    print(f"{'':<40}" + "".join(f"{'answer':>12}{'GUI thread':>12}" for _ in roles))
    for i, name in enumerate(names):
        cells = ""
        for role in roles:
            _name, total, gui = results[role][i]
            cells += f"{total:>9.1f} ms{gui:>9.1f} ms"
        print(f"{name:<40}{cells}")
    worst = max(gui for rows in results.values() for _name, _total, gui in rows)
    verdict = "OK" if worst <= TARGET_GUI_MS else "MISSED"
    print(f"longest GUI-thread share {worst:.1f} ms, target <= {TARGET_GUI_MS:.0f} ms:", verdict)
    app.quit()


if __name__ == "__main__":
    main()
