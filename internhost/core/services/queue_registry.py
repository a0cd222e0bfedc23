"""The kinds of work the queue lists, each one small query: how a kind is added.

A kind is registered with ``KINDS.query(...)`` on a function that returns a
``Select`` of the records that need doing, as the acting user may see them, with
these labeled columns:

- ``intern_id``, ``placement_id``: whose work it is;
- ``due``: when it is due (a date, or NULL for "at once");
- ``record_id``: the record to open (an item, a time entry), or NULL;
- ``label``: a few words naming that record (its title), or NULL.

The registry turns it into one item per intern (their most urgent record, and how
many there are), counted and ordered in SQL, so the queue never brings thousands of
records into Python. A function returning None lists nothing for that actor (a
role that does not do that work). A kind whose test is easier in Python registers a
whole ``read`` with ``KINDS.custom``. ``dto.QUEUE_KINDS`` names every kind; one
without a registration counts 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from internhost.core.actor import Actor
from internhost.core.dto import QUEUE_KINDS
from internhost.core.models import Intern, Placement

Column = ColumnElement[Any] | QueryableAttribute[Any]


def records(
    placement_id: Column, due: Column, record_id: Column, label: Column
) -> Select[*tuple[Any, ...]]:
    """A kind's select of the labeled columns the module docstring names; the
    intern's is the placement's (join ``Placement`` to the kind's table)."""
    return select(
        Placement.intern_id.label("intern_id"),
        placement_id.label("placement_id"),
        due.label("due"),
        record_id.label("record_id"),
        label.label("label"),
    )


@dataclass(frozen=True)
class Context:
    """What every kind's query reads: who asks, on which day, how many items at most."""

    s: Session
    actor: Actor
    today: date
    limit: int
    #: The employer's first day of the workweek ("sun", "mon", …).
    week_starts_on: str

    def placement_is_current(self) -> ColumnElement[bool]:
        """A placement not archived and not ended, of an intern not archived: work
        that still needs doing (an ended placement's open items are history)."""
        return and_(
            Intern.archived_at.is_(None),
            Placement.archived_at.is_(None),
            or_(Placement.end_date.is_(None), Placement.end_date >= self.today),
        )

    @staticmethod
    def name_of(first: str, preferred: str | None, last: str) -> str:
        return f"{preferred or first} {last}"

    def listed(self, stmt: Select[*tuple[Any, ...]] | None) -> Listed:
        """A kind's records as one item per intern, in one pass in SQL: each intern's
        most urgent record (the earliest due, undated last, then the lowest id) and
        how many they have; ordered (the earliest due first, undated as today, then by
        name) and cut to ``self.limit`` there too. (Grouping, then reading the first
        interns' records again, ran the kind's query twice; bringing every intern's
        row into Python to sort cost as much again.)"""
        if stmt is None:
            return Listed(0, [])
        records = stmt.subquery("records")
        intern = records.c.intern_id
        ranked = select(
            *records.c,
            func.row_number()
            .over(
                partition_by=intern,
                order_by=(records.c.due.is_(None), records.c.due, records.c.record_id),
            )
            .label("rank"),
            func.count().over(partition_by=intern).label("n"),
        ).subquery("ranked")
        # Only the first ``limit`` interns leave SQL, with how many there are in all.
        firsts = (
            self.s.connection()
            .execute(
                select(
                    ranked,
                    Intern.legal_first_name,
                    Intern.preferred_name,
                    Intern.legal_last_name,
                    Intern.sort_name,
                    func.count().over().label("interns"),
                )
                .join(Intern, Intern.id == ranked.c.intern_id)
                .where(ranked.c.rank == 1)
                .order_by(
                    func.coalesce(ranked.c.due, self.today), Intern.sort_name, ranked.c.intern_id
                )
                .limit(self.limit)
            )
            .all()
        )
        found = [
            Found(
                intern_id=r.intern_id,
                intern_name=self.name_of(r.legal_first_name, r.preferred_name, r.legal_last_name),
                sort_name=r.sort_name,
                placement_id=r.placement_id,
                due=r.due,
                record_id=r.record_id,
                label=r.label,
                n=r.n,
            )
            for r in firsts
        ]
        return Listed(firsts[0].interns if firsts else 0, found)


@dataclass(frozen=True)
class Found:
    """One intern's work of one kind, before it is worded."""

    intern_id: int
    intern_name: str
    #: The intern's folded "last first" name: ties of ``due`` are ordered by it.
    sort_name: str
    placement_id: int | None
    due: date | None
    record_id: int | None
    label: str | None
    #: How many records of this kind the intern has.
    n: int


@dataclass(frozen=True)
class Listed:
    """A kind's answer: how many interns have such work, the most urgent first."""

    count: int
    found: list[Found]


@dataclass(frozen=True)
class Kind:
    name: str
    #: Where to act: "checklist", "plan", "hours" or "intern" (``dto.QueueItem``).
    target: str
    read: Callable[[Context], Listed]
    #: The words of an item ("3 time entries to approve"), for the reader.
    word: Callable[[Found, Context], str]
    #: Items with no due date sort as if due ``today``; "at once" kinds (concerns,
    #: incidents) sort before every dated item.
    at_once: bool = False


Source = Callable[[Context], "Select[*tuple[Any, ...]] | None"]


@dataclass
class Registry:
    kinds: dict[str, Kind] = field(default_factory=dict)

    def query(
        self,
        name: str,
        *,
        target: str,
        word: Callable[[Found, Context], str],
        at_once: bool = False,
        dated: Callable[[Context, date], date] | None = None,
    ) -> Callable[[Source], Source]:
        """Register a kind by its query (the columns the module docstring names);
        ``dated`` maps the earliest ``due`` to the item's date (it must keep order)."""

        def register(source: Source) -> Source:
            def read(ctx: Context) -> Listed:
                found = ctx.listed(source(ctx))
                if dated is None:
                    return found
                return Listed(
                    found.count,
                    [
                        f if f.due is None else replace(f, due=dated(ctx, f.due))
                        for f in found.found
                    ],
                )

            self._add(Kind(name, target, read, word, at_once))
            return source

        return register

    def custom(
        self, name: str, *, target: str, word: Callable[[Found, Context], str]
    ) -> Callable[[Callable[[Context], Listed]], Callable[[Context], Listed]]:
        """Register a kind that reads its items itself (most urgent first, at most
        ``ctx.limit``)."""

        def register(read: Callable[[Context], Listed]) -> Callable[[Context], Listed]:
            self._add(Kind(name, target, read, word))
            return read

        return register

    def _add(self, kind: Kind) -> None:
        if kind.name not in QUEUE_KINDS:
            raise ValueError(f"queue kind {kind.name!r} is not in dto.QUEUE_KINDS")
        if kind.name in self.kinds:
            raise ValueError(f"queue kind {kind.name!r} is registered twice")
        self.kinds[kind.name] = kind


KINDS = Registry()
