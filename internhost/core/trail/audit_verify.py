"""``audit verify``: is the trail whole, and does it explain the data?

One pass over the events checks the hash chain (``audit_chain.ChainWalk``) and folds
the entries into each record's life (``audit_explain.TrailFold``); then one query
per audited table compares every row with its life, and every blanked payload must
be accounted for by a purge. ``verify_against`` also proves that the live chain
extends a backup's: every event the backup holds is in the live trail, at the same
seq with the same entry hash (a purge keeps the hash), up to the backup's head.

Each problem is one line, ``seq N: …`` or ``<table> <id>: …``; ``VerifyReport.lines``
shows the first ``SHOWN`` and counts the rest.

What no check can catch: whoever holds the database key can rewrite the data, the
trail and its chain together (and read the HMAC secret). Only a chain head kept
elsewhere (a backup kept offline, a packet sent out) can show that, by
``verify_against`` or by comparing the head it records (``audit_chain.current_head``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.models import AuditEvent
from internhost.core.storage import db
from internhost.core.storage.backups import BackupRefused
from internhost.core.trail.audit_chain import (
    HEAD_KEY,
    ChainHead,
    ChainWalk,
    Problem,
    current_head,
    seq_problem,
    walk_events,
)
from internhost.core.trail.audit_explain import TrailFold

#: Problem lines shown; the rest are counted.
SHOWN = 20


@dataclass(frozen=True)
class VerifyReport:
    #: Events read, and rows compared with the trail.
    events: int
    rows: int
    problems: tuple[Problem, ...] = ()
    #: The backup's head the live chain was proved to extend (``verify_against``).
    against: ChainHead | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self, limit: int = SHOWN) -> list[str]:
        """One line per problem, the first ``limit`` of them, then a count (none when
        the trail is intact)."""
        if self.ok:
            return []
        shown = [p.text for p in self.problems[:limit]]
        rest = len(self.problems) - len(shown)
        if rest:
            shown.append(f"… and {_problems(rest, 'more ')} ({len(self.problems)} in all)")
        else:
            shown.append(f"Audit trail BROKEN: {_problems(len(self.problems))}")
        return shown

    def summary(self) -> str:
        """One line: intact, with what was checked, or how many problems were found."""
        if not self.ok:
            return f"Audit trail BROKEN: {_problems(len(self.problems))}"
        text = (
            f"Audit trail intact: {self.events} events, every link verified; "
            f"{self.rows} records, each explained by its events"
        )
        if self.against is not None:
            text += f"; it extends the backup's chain (head {self.against})"
        return text


def _problems(n: int, more: str = "") -> str:
    return f"{n} {more}problem{'s' if n != 1 else ''}"


def verify(session: Session) -> VerifyReport:
    """Check the chain, the purges' accounting and every audited row. Read-only."""
    walk, fold = ChainWalk(), TrailFold()
    with _no_cycle_collection():
        for row in walk_events(session):
            walk.feed(row)
            fold.feed(row.seq, row.aggregate_type, row.payload, row.purged_at is not None)
        walk.finish(current_head(session))
        problems = walk.problems + fold.purge_problems()
        problems += fold.row_problems(session.connection())
    return VerifyReport(walk.events, fold.rows, tuple(sorted(problems)))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The fold keeps millions of small objects that make no reference cycles; the
    cycle collector would walk them again each time they grew by a quarter (about a
    tenth of the check's time on 10,000 interns). Memory is freed as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def verify_against(session: Session, backup: Path, key: db.DatabaseKey | None) -> VerifyReport:
    """``verify``, and prove that the live chain extends the chain of ``backup`` (a
    copy of this database, opened with ``key`` and only read)."""
    report = verify(session)
    revision = db.schema_revision(backup, key)
    if revision is None or revision == "0001_baseline":
        raise BackupRefused(
            f"{backup} holds no audit chain to compare with "
            + ("(it is not an InternHost database)" if revision is None else f"(schema {revision})")
        )
    with closing(db.connect_raw(backup, key, wal=False)) as conn:
        head = _head_of(conn)
        links = conn.execute("SELECT seq, entry_hash FROM audit_events ORDER BY seq")
        problems = _extension_problems(session, iter(links), head)
    everything = tuple(sorted([*report.problems, *problems]))
    return VerifyReport(report.events, report.rows, everything, head)


def _head_of(conn: Any) -> ChainHead | None:
    row = conn.execute("SELECT value FROM app_state WHERE key = ?", (HEAD_KEY,)).fetchone()
    if row is None:
        return None
    seq, _, digest = str(row[0]).partition(":")
    return ChainHead(int(seq), digest) if seq.isdigit() else None


def _extension_problems(
    session: Session, backup_links: Iterator[tuple[int, str | None]], head: ChainHead | None
) -> list[Problem]:
    """Each event of the backup (up to its head) must be in the live trail unchanged:
    same seq, same entry hash (which covers the one before it, so the whole prefix)."""
    t = AuditEvent.__table__
    query = select(t.c.seq, t.c.entry_hash).order_by(t.c.seq)
    live = iter(session.connection().execution_options(yield_per=5000).execute(query))
    problems: list[Problem] = []
    last: tuple[int, str | None] | None = None
    current = next(live, None)
    for seq, digest in backup_links:
        if head is not None and seq > head.seq:
            break
        last = (seq, digest)
        while current is not None and current[0] < seq:
            current = next(live, None)
        if current is None or current[0] != seq:
            problems.append(seq_problem(seq, "is in the backup, but not in the live trail"))
        elif current[1] != digest:
            problems.append(
                seq_problem(seq, "differs from the backup's (its entry hash is not the same)")
            )
    if head is None and last is not None:
        problems.append(Problem((0, 0), "backup: its chain head is missing (a damaged backup)"))
    elif head is not None and last != (head.seq, head.entry_hash):
        problems.append(
            Problem(
                (0, head.seq),
                f"backup: its chain head ({head}) is not its newest event (a damaged backup)",
            )
        )
    return problems


def head_of_file(path: Path, key: db.DatabaseKey | None) -> ChainHead | None:
    """The chain head a database file (a backup) records, read without writing to it:
    what ``internhost backup`` reports it recorded."""
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        return _head_of(conn)
