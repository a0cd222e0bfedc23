"""A mentor's scope (``interns.visible_interns`` and ``visible_placements``): the
interns it lets through, and the shape of its SQL.

At 50,000 interns a mentor's list took 227 s because the scope was a correlated
``EXISTS`` that SQLite ran once per intern through ``ix_placements_mentor_id``. The
plans of every statement the mentor's screens run are checked here: the search of
placements by mentor is a list subquery, run once, never correlated with the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import Placement, Staff
from internhost.core.services import (
    compliance,
    dashboard,
    exports,
    interns,
    onboarding,
    placements,
)
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
BY_MENTOR = "(mentor_id=?)"
#: The scope's own alias of placements (``interns._own_intern_ids``).
SCOPE = "own_placements"


class Plans:
    """Every statement a session runs, with SQLite's query plan of it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, params, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            self.statements.append((statement, params))

    def plans(self) -> list[tuple[str, list[tuple[int, int, str]]]]:
        """(statement, plan rows as (id, parent, detail)) for what was run so far."""
        out = []
        with self.engine.connect() as conn:
            for statement, params in self.statements:
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                out.append((statement, [(r[0], r[1], r[3]) for r in rows]))
        return out


def _lineage(rows: list[tuple[int, int, str]], row: tuple[int, int, str]) -> list[str]:
    """The details of ``row`` and of every plan node above it."""
    parents = {node: (parent, detail) for node, parent, detail in rows}
    details, node = [row[2]], row[1]
    while node in parents:
        node, detail = parents[node]
        details.append(detail)
    return details


def scope_searches(plan: list[tuple[int, int, str]]) -> tuple[list[str], list[list[str]]]:
    """The searches of the scope's placements the plan runs once (an uncorrelated
    list subquery; a tiny table may be scanned), and the lineage of each search of
    placements by mentor it runs per row (correlated, or as an EXISTS of the row)."""
    once, per_row = [], []
    for row in plan:
        lineage = _lineage(plan, row)
        correlated = any("CORRELATED" in d or "EXISTS" in d for d in lineage)
        if BY_MENTOR in row[2] and correlated:
            per_row.append(lineage)
        elif (
            row[2].startswith((f"SEARCH {SCOPE} ", f"SCAN {SCOPE}"))
            and not correlated
            and any(d.startswith("LIST SUBQUERY") for d in lineage[1:])
        ):
            once.append(row[2])
    return once, per_row


@pytest.fixture(params=["with statistics", "without statistics"])
def demo_db(request, demo_path: Path) -> Path:
    """The demo database as built (analyzed), or as if never analyzed: the plans
    must not depend on the statistics (``sqlite_stat1``, ``sqlite_stat4``)."""
    if request.param == "without statistics":
        with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
            conn.executescript(
                "DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4"
            )
    return demo_path


@pytest.fixture
def recorded(demo_db: Path) -> Iterator[tuple[Session, Plans]]:
    engine = db.make_engine(demo_db, TEST_KEY, create=False)
    plans = Plans(engine)
    with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
        yield s, plans
    engine.dispose()


def mentor_of_most(s: Session) -> Actor:
    """The mentor with the most placements, whose scope is the widest."""
    staff_id = s.scalar(
        select(Placement.mentor_id)
        .where(Placement.mentor_id.is_not(None))
        .group_by(Placement.mentor_id)
        .order_by(func.count().desc(), Placement.mentor_id)
        .limit(1)
    )
    return Actor(Role.MENTOR, "m", staff_id=staff_id)


def _own(s: Session, actor: Actor) -> int:
    return s.scalar(select(Placement.intern_id).where(Placement.mentor_id == actor.staff_id))


SCREENS: dict[str, Callable[[Session, Actor], object]] = {
    "intern list by each key": lambda s, a: [
        interns.list_intern_ids(s, a, sort=key, today=TODAY) for key in interns.SORT_KEYS
    ],
    "search per keystroke": lambda s, a: [
        interns.list_intern_ids(s, a, search=typed) for typed in ("m", "ma", "mar")
    ],
    "intern rows": lambda s, a: interns.intern_rows(
        s, a, interns.list_intern_ids(s, SYSTEM), TODAY
    ),
    "intern detail": lambda s, a: interns.get_intern(s, a, _own(s, a), TODAY),
    "dashboard": lambda s, a: dashboard.dashboard(s, a, TODAY),
    "placements": lambda s, a: placements.list_placements(s, a),
    "findings and checklist": lambda s, a: (
        compliance.list_findings(s, a, _own(s, a)),
        compliance.list_checklist(s, a, _own(s, a)),
    ),
    "set-up status": lambda s, a: onboarding.onboarding_status(s, a, TODAY),
    "plan items": lambda s, a: onboarding.list_plan_items(s, a, _own(s, a), TODAY),
    "exports": lambda s, a: [exports.export_rows(s, a, e) for e in ("interns", "placements")],
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_a_mentors_scope_is_searched_once_never_per_intern(
    recorded: tuple[Session, Plans], screen: str
) -> None:
    """No statement of the screen searches placements by mentor per row; at least
    one searches the scope's placements once."""
    s, plans = recorded
    actor = mentor_of_most(s)
    plans.statements.clear()
    SCREENS[screen](s, actor)
    scoped = []
    for statement, plan in plans.plans():
        once, per_row = scope_searches(plan)
        assert not per_row, f"placements searched by mentor per row: {per_row}\n{statement}"
        scoped += once
    assert scoped, "no statement searched the mentor's placements once, as a list subquery"


LOOK_UPS: dict[str, Callable[[Session, Actor], object]] = {
    "a page of rows": lambda s, a: interns.intern_rows(
        s, a, interns.list_intern_ids(s, a)[:2], TODAY
    ),
    "intern detail": SCREENS["intern detail"],
    "findings and checklist": SCREENS["findings and checklist"],
    "placements of one intern": lambda s, a: placements.list_placements(s, a, intern_id=_own(s, a)),
}


@pytest.mark.parametrize("look_up", sorted(LOOK_UPS))
def test_a_look_up_reads_only_its_interns_placements(
    recorded: tuple[Session, Plans], look_up: str
) -> None:
    """One intern or a page of rows (``among``): the scope reads those interns'
    placements, not every one of the mentor's (16,000 interns: 0.1 s a look-up)."""
    s, plans = recorded
    actor = mentor_of_most(s)
    plans.statements.clear()
    LOOK_UPS[look_up](s, actor)
    plans.statements = [st for st in plans.statements if "own_placements.intern_id IN" in st[0]]
    searches = [search for _, plan in plans.plans() for search in scope_searches(plan)[0]]
    assert searches
    assert all("(intern_id=?)" in search for search in searches), searches


def test_the_check_catches_the_correlated_form(recorded: tuple[Session, Plans]) -> None:
    """The plan check above fails on the EXISTS the scope used to be, planned as it
    was at 50,000 interns without statistics (forced here: a small file's plan may
    take the intern's index instead)."""
    s, plans = recorded
    staff_id = mentor_of_most(s).staff_id
    plans.statements.clear()
    s.execute(
        text(
            "SELECT interns.id FROM interns WHERE EXISTS (SELECT 1 FROM placements"
            " INDEXED BY ix_placements_mentor_id WHERE placements.intern_id = interns.id"
            " AND placements.mentor_id = :staff) ORDER BY interns.sort_name"
        ),
        {"staff": staff_id},
    )
    [(_, plan)] = plans.plans()
    once, per_row = scope_searches(plan)
    assert per_row and not once


def _set_mentor(path: Path, placement_id: int, staff_id: int | None) -> None:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.execute("UPDATE placements SET mentor_id = ? WHERE id = ?", (staff_id, placement_id))


def test_a_mentor_without_a_staff_record_sees_no_one(demo_path: Path) -> None:
    """A mentor account whose staff record is gone must not see the interns whose
    placements have no mentor (``mentor_id IS NULL``)."""
    _set_mentor(demo_path, 1, None)
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    orphan = Actor(Role.MENTOR, "orphan", staff_id=None)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            assert s.scalar(select(Placement.intern_id).where(Placement.mentor_id.is_(None)))
            assert interns.list_intern_ids(s, orphan) == []
            assert placements.list_placements(s, orphan) == []
            assert dashboard.dashboard(s, orphan, TODAY).active_interns == 0
    finally:
        engine.dispose()


def test_a_mentor_sees_every_placement_of_their_interns(demo_path: Path) -> None:
    """``visible_placements`` lets through an intern's placements with other mentors
    too, and no placement of anyone else's intern."""
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    factory = db.make_session_factory(engine)
    try:
        with db.read_session(factory, SYSTEM) as s:
            actor = mentor_of_most(s)
            other = s.scalar(
                select(Staff.id).where(Staff.role == "mentor", Staff.id != actor.staff_id)
            )
            # A placement of an intern with two of this mentor's: they stay theirs.
            twice = (
                select(Placement.intern_id)
                .where(Placement.mentor_id == actor.staff_id)
                .group_by(Placement.intern_id)
                .having(func.count() > 1)
            )
            theirs = s.scalar(
                select(func.max(Placement.id)).where(Placement.intern_id.in_(twice.limit(1)))
            )
        _set_mentor(demo_path, theirs, other)  # the intern now has a placement with another
        with db.read_session(factory, SYSTEM) as s:
            by_mentor = select(Placement.intern_id).where(Placement.mentor_id == actor.staff_id)
            own = set(s.scalars(by_mentor))
            seen = placements.list_placements(s, actor, include_archived=True)
            every = set(s.scalars(select(Placement.id).where(Placement.intern_id.in_(own))))
            assert theirs in every
            assert {p.id for p in seen} == every
            assert {p.intern_id for p in seen} == own
    finally:
        engine.dispose()
