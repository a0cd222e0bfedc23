"""Helpers of the issue-6 proofs (crash trials, hostile input): reading a database
file whole, a generated roster, and the child processes the crash trials kill.

Everything here opens databases through ``core/storage/db.py`` with the key it is given
(the tests pass ``testkeys.TEST_KEY``); nothing here is part of the product. The
child functions run in a ``multiprocessing`` child (forkserver or spawn), so they
take plain, picklable values and import what they need themselves.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from internhost.core.storage import db
from internhost.core.storage.db import DatabaseKey

#: Tables whose rows the saves and the roster import create, with their key column.
CREATED = ("staff", "interns", "intern_contacts", "placements", "checklist_items", "plan_items")

# -- reading a database file whole


def tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [r[0] for r in rows]


def counts(path: Path, key: DatabaseKey) -> dict[str, int]:
    """Rows in every table of the file."""
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables(conn)}


def snapshot(path: Path, key: DatabaseKey) -> dict[str, frozenset[tuple[Any, ...]]]:
    """Every row of every table, as sets of tuples: two equal snapshots mean nothing
    was inserted, deleted or updated anywhere."""
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        return {t: frozenset(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables(conn)}


def foreign_key_problems(path: Path, key: DatabaseKey) -> list[tuple[Any, ...]]:
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        return conn.execute("PRAGMA foreign_key_check").fetchall()


def audit_keys(conn: Any, after_seq: int) -> dict[str, list[tuple[str, bool]]]:
    """``"table:id"`` -> [(operation, has an "after" state)] of the audit events
    written after ``after_seq``: which records they say were changed, and how."""
    out: dict[str, list[tuple[str, bool]]] = {}
    rows = conn.execute(
        "SELECT operation, payload FROM audit_events WHERE seq > ? ORDER BY seq", (after_seq,)
    )
    for operation, payload in rows:
        for record, change in json.loads(payload).items():
            out.setdefault(record, []).append((operation, change.get("after") is not None))
    return out


def max_seq(conn: Any) -> int:
    return conn.execute("SELECT coalesce(max(seq), 0) FROM audit_events").fetchone()[0]


# -- a roster of a few thousand valid students


@dataclass(frozen=True)
class Roster:
    data: bytes
    rows: int
    student_ids: frozenset[str]


def roster(path: Path, key: DatabaseKey, rows: int, seed: int, start: date, end: date) -> Roster:
    """A valid roster over the schools, worksites and mentors stored in ``path``: each
    row a new student with a guardian, an emergency contact and a placement."""
    from internhost.core.importers.roster import COLUMNS

    rng = random.Random(seed)
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        schools = [r[0] for r in conn.execute("SELECT name FROM schools ORDER BY id")]
        mentors: dict[str, list[str]] = {}
        for site, email in conn.execute(
            "SELECT w.name, s.email FROM staff s JOIN worksites w ON w.id = s.worksite_id "
            "WHERE s.role = 'mentor' AND s.email IS NOT NULL ORDER BY s.id"
        ):
            mentors.setdefault(site, []).append(email)
    firsts = ("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai")
    lasts = ("Ruiz", "Okafor", "Nguyen", "Smith", "Kowalski", "Haddad", "Larsen", "Moreau")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    ids = []
    for i in range(rows):
        age = rng.choice((16, 16, 17, 17))
        born = start - timedelta(days=365 * age + rng.randrange(5, 300))
        first, last = rng.choice(firsts), f"{rng.choice(lasts)}{i}"  # unique: no duplicates
        site = rng.choice(sorted(mentors))
        student_id = f"CR{seed % 10_000:04d}-{i:05d}"
        ids.append(student_id)
        cells = {
            "first_name": first,
            "last_name": last,
            "preferred_name": "",
            "birth_date": born.isoformat(),
            "school": rng.choice(schools),
            "grade": str(age - 5),
            "student_id": student_id,
            "guardian_name": f"{rng.choice(firsts)} {last}",
            "guardian_phone": f"(815) 555-{rng.randrange(1000, 9999)}",
            "guardian_email": f"family{i}@mail.example",
            "emergency_contact": f"{rng.choice(firsts)} {rng.choice(lasts)}",
            "emergency_phone": f"(815) 555-{rng.randrange(1000, 9999)}",
            "address": f"{rng.randrange(100, 9999)} Elm Street, IL",
            "district": "",
            "worksite": site,
            "placement_start": start.isoformat(),
            "placement_end": end.isoformat(),
            "paid": "yes",
            "hourly_rate": f"{13 + rng.randrange(0, 4)}.50",
            "program": "employment",
            "mentor_email": rng.choice(mentors[site]),
        }
        writer.writerow([cells.get(c, "") for c in COLUMNS])
    return Roster(out.getvalue().encode("utf-8"), rows, frozenset(ids))


# -- the children the crash trials kill


def _factory(path: str, key: DatabaseKey) -> Any:
    return db.make_session_factory(db.make_engine(Path(path), key, create=False))


def hr_actor(factory: Any) -> Any:
    """The sample's HR admin (``internhost demo``'s ``hr``), as the CLI logs in."""
    from internhost.core.actor import SYSTEM
    from internhost.core.services import accounts

    with db.read_session(factory, SYSTEM) as s:
        row = next(r for r in accounts.list_accounts(s, SYSTEM) if r.username == "hr")
        return accounts.actor_for(row)


def import_child(path: str, key: DatabaseKey, roster_file: str, today: date, conn: Any) -> None:
    """Import the roster, say "ready" just before and "done" once the import returned
    (committed), then wait to be killed."""
    from internhost.core.importers.roster import import_roster

    factory = _factory(path, key)
    actor = hr_actor(factory)
    data = Path(roster_file).read_bytes()
    conn.send("ready")
    started = time.perf_counter()
    report = import_roster(factory, actor, data, today=today)
    conn.send(("done", report.imported, len(report.errors), time.perf_counter() - started))
    time.sleep(600)


@dataclass(frozen=True)
class SaveIds:
    school: int
    worksite: int


def contact_count(r: int) -> int:
    """Round ``r``'s intern has one guardian and 1-3 emergency contacts."""
    return 2 + r % 3


def round_values(r: int, version: int) -> tuple[str, list[tuple[str, str]]]:
    """(address, [(kind, name)]) of round ``r``'s intern: version 1 as created,
    version 2 after the round's update (the same contacts, renamed)."""
    suffix = "" if version == 1 else " v2"
    address = f"{r} Main Street" + (", apt 2" if version == 2 else "")
    kinds = ["guardian"] + ["emergency"] * (contact_count(r) - 1)
    return address, [(k, f"Contact {r}.{i}{suffix}") for i, k in enumerate(kinds)]


SAVE_KINDS = ("staff", "intern", "placement", "update")
TERM = (date(2025, 9, 8), date(2025, 12, 18))
BORN = date(2009, 3, 4)


def save_op(s: Any, actor: Any, ids: SaveIds, kind: str, r: int, made: dict, today: date) -> int:
    """One of the saves the trials interrupt, in the caller's unit of work; returns the
    id it made or changed. ``made`` holds the ids earlier operations of the round made."""
    from internhost.core.services import intern_records as ir
    from internhost.core.services import placements, setup

    if kind == "staff":
        data = setup.StaffInput(
            "Crash",
            f"Trial{r}",
            "mentor",
            email=f"crash{r}@trial.example",
            worksite_id=ids.worksite,
            is_21_or_older=True,
        )
        return setup.save_staff(s, actor, data, today=today)
    if kind in ("intern", "update"):
        version = 1 if kind == "intern" else 2
        address, contacts = round_values(r, version)
        data = ir.InternInput(
            "Kim", f"Trial{r}", BORN, ids.school, student_id=f"CT-{r}", address=address
        )
        people = [ir.ContactInput(k, name, "parent", f"555-{r:04d}") for k, name in contacts]
        intern_id = None if kind == "intern" else made["intern"]
        return ir.save_intern(s, actor, intern_id, data, people, today).id
    if kind == "placement":
        data = placements.PlacementInput(
            intern_id=made["intern"],
            school_id=ids.school,
            start_date=TERM[0],
            end_date=TERM[1],
            worksite_id=ids.worksite,
            mentor_id=made["staff"],
            paid=True,
            hourly_rate_cents=1500 + r,
        )
        return placements.save_placement(s, actor, data, today=today).id
    raise ValueError(kind)


def save_ids(path: Path, key: DatabaseKey) -> SaveIds:
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        school = conn.execute("SELECT min(id) FROM schools").fetchone()[0]
        site = conn.execute(
            "SELECT min(w.id) FROM worksites w JOIN areas a ON a.worksite_id = w.id"
        ).fetchone()[0]
    return SaveIds(school, site)


def saves_child(
    path: str, key: DatabaseKey, ids: SaveIds, marks: str, today: date, conn: Any
) -> None:
    """Round after round of saves, each in its own unit of work. Before each, the line
    ``begin SEQ KIND ROUND`` goes to the side file ``marks``; after its commit returned,
    ``done SEQ KIND ROUND ID``. Unbuffered appends: a line written is in the kernel,
    so a SIGKILL cannot lose it."""
    factory = _factory(path, key)
    actor = hr_actor(factory)
    fd = os.open(marks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    conn.send("ready")
    seq = 0
    for r in range(10**6):
        made: dict[str, int] = {}
        for kind in SAVE_KINDS:
            os.write(fd, f"begin {seq} {kind} {r}\n".encode())
            with db.unit_of_work(factory, actor) as s:
                made[kind] = save_op(s, actor, ids, kind, r, made, today)
            os.write(fd, f"done {seq} {kind} {r} {made[kind]}\n".encode())
            seq += 1


def read_marks(path: Path) -> tuple[dict[tuple[str, int], int], tuple[str, int] | None]:
    """(operations whose commit returned -> the id they made, the one in flight)."""
    done: dict[tuple[str, int], int] = {}
    begun: list[tuple[str, int]] = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts[0] == "begin":
            begun.append((parts[2], int(parts[3])))
        elif parts[0] == "done":
            done[(parts[2], int(parts[3]))] = int(parts[4])
    in_flight = [b for b in begun if b not in done]
    assert len(in_flight) <= 1, in_flight
    return done, (in_flight[0] if in_flight else None)


def rows_where(conn: Any, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    return conn.execute(sql, tuple(params)).fetchall()


def downgrade(path: Path, revision: str, key: DatabaseKey | None = None) -> None:
    """Take the database at ``path`` back to an older schema ``revision``, as an older
    InternHost would have left it (the tests' key unless ``key`` is given)."""
    from alembic import command
    from testkeys import TEST_KEY

    from internhost.core.storage import migrate

    # As the app migrates: a batch ALTER rebuilds a table by dropping it, which with
    # foreign keys on would cascade-delete its children's rows.
    engine = db.make_engine(path, key or TEST_KEY, create=False, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = migrate._alembic_config()
            cfg.attributes["connection"] = conn
            cfg.stdout = io.StringIO()
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()


def verify_trail(path: Path, key: DatabaseKey) -> Any:
    """The audit trail's verification report of the database at ``path``, as HR's
    ``internhost audit verify`` reads it."""
    from internhost.core.actor import Actor, Role
    from internhost.core.trail import audit_verify

    engine = db.make_engine(path, key)
    try:
        hr = Actor(Role.HR_ADMIN, "Proof", user_id=1)
        with db.read_session(db.make_session_factory(engine), hr) as s:
            return audit_verify.verify(s)
    finally:
        engine.dispose()
