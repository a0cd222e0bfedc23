"""Crash trials (issue 6, Proof): SIGKILL at random moments during a roster import
and during saves; afterwards the file passes ``integrity_check`` and every operation
is there whole or not at all.

Each trial copies the sample database (encrypted with the test key), starts a child
process that works on it, waits until the child says it is about to start, sleeps a
random time from the seeded generator and kills it with SIGKILL. The child never
exits by itself: when it has finished it waits to be killed, so every trial is a
kill, some of them after the commit (then everything must be there).

- **Roster import** (``import_roster`` of ``IMPORT_ROWS`` valid students, each with a
  guardian, an emergency contact and a placement): afterwards every table holds
  exactly the rows it held before, or exactly the rows a complete import leaves
  (measured once, uninterrupted); in the second case every intern, contact,
  placement, checklist and plan item of the import has its audit event. An import
  that reported back before the kill must be there.
- **Saves**: rounds of ``save_staff`` (a mentor), ``save_intern`` with 2-4 contacts,
  ``save_placement`` (its checklist and onboarding plan) and ``save_intern`` again
  (new address, contacts renamed), each in its own unit of work. The child appends
  ``begin`` before and ``done`` after each commit to a side file. Afterwards each
  ``done`` operation is there whole, the one in flight is absent or whole, none
  after it exists; every record there has its audit event, and no audit event
  names a record that is not there.

The seed is printed; ``INTERNHOST_CRASH_SEED=<seed>`` replays its kill times
(the moments the child reaches still vary with the machine's speed).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import shutil
import signal
import time
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import proofkit
import pytest
from proofkit import SAVE_KINDS, SaveIds, contact_count, round_values
from testkeys import TEST_KEY

from internhost.core.storage import db

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not hasattr(signal, "SIGKILL"),
        reason="needs POSIX signals: os.kill with SIGKILL does not exist on Windows",
    ),
]

IMPORT_TRIALS = 24
SAVE_TRIALS = 30
IMPORT_ROWS = 600
#: The saves' child is killed this long (seconds) after it starts saving, at most.
SAVE_WINDOW = (0.05, 0.9)
TODAY = date(2025, 8, 20)
SEED_ENV = "INTERNHOST_CRASH_SEED"


def _seed() -> int:
    given = os.environ.get(SEED_ENV)
    return int(given) if given else random.SystemRandom().randrange(2**32)


def _context() -> Any:
    """forkserver where there is one (children fork from a server that has the app
    imported: cheap to start, and the test process itself is never forked)."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(
            [
                "proofkit",
                "internhost.core.importers.roster",
                "internhost.core.services.intern_records",
                "internhost.core.services.placements",
                "internhost.core.services.setup",
            ]
        )
        return ctx
    return mp.get_context("spawn")


class Trials:
    def __init__(self, name: str) -> None:
        self.name = name
        self.trials = 0
        self.kills = 0
        self.failures: list[str] = []
        self.outcomes: dict[str, int] = {}

    def outcome(self, what: str) -> None:
        self.outcomes[what] = self.outcomes.get(what, 0) + 1

    def line(self) -> str:
        seen = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (
            f"{self.name} trials: {self.trials}, kills: {self.kills}, "
            f"failures: {len(self.failures)} ({seen})"
        )


def _kill_after(ctx: Any, target: Any, args: tuple, delay: float | None) -> tuple[bool, list[Any]]:
    """Start ``target(*args, conn)``, wait for its "ready", sleep ``delay`` (None: until
    it says "done"), SIGKILL it. Returns (killed by SIGKILL, the messages it sent)."""
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=target, args=(*args, send), daemon=True)
    child.start()
    send.close()
    messages: list[Any] = []
    try:
        if not receive.poll(60):
            raise AssertionError("the child never said it was ready")
        messages.append(receive.recv())
        if messages[0] != "ready":
            raise AssertionError(f"the child said {messages[0]!r}")
        if delay is None:
            if not receive.poll(120):
                raise AssertionError("the child did not finish in 2 minutes")
            messages.append(receive.recv())
        else:
            time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        while True:
            try:
                if not receive.poll(0):
                    break
                messages.append(receive.recv())
            except (EOFError, OSError):
                break
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
            child.join(30)
    return child.exitcode == -signal.SIGKILL, messages


def _copy(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    return path


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _sound(path: Path) -> list[str]:
    problems = [f"integrity_check: {p}" for p in db.integrity_problems(path, TEST_KEY)]
    problems += [f"foreign_key_check: {p}" for p in proofkit.foreign_key_problems(path, TEST_KEY)]
    return problems


# -- the roster import


def _max_ids(path: Path) -> dict[str, int]:
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        out = {
            t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
            for t in proofkit.CREATED
        }
        out["audit_events"] = proofkit.max_seq(conn)
        return out


def _import_whole(path: Path, before_ids: dict[str, int], roster: proofkit.Roster) -> list[str]:
    """The import is all there: its interns, and each record it made audited."""
    problems = []
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        ids = {
            r[0]
            for r in conn.execute(
                f"SELECT student_id FROM interns WHERE id > {before_ids['interns']}"
            )
        }
        if ids != roster.student_ids:
            problems.append(f"{len(ids)} of the roster's {roster.rows} interns are there")
        audited = proofkit.audit_keys(conn, before_ids["audit_events"])
        for table in ("interns", "intern_contacts", "placements", "checklist_items", "plan_items"):
            new = [
                r[0]
                for r in conn.execute(f"SELECT id FROM {table} WHERE id > ?", (before_ids[table],))
            ]
            missing = [
                i for i in new if not any(after for _, after in audited.get(f"{table}:{i}", ()))
            ]
            if not new:
                problems.append(f"the import made no {table}")
            if missing:
                problems.append(
                    f"{len(missing)} new {table} rows without an audit event: {missing[:5]}"
                )
        operations = {op for changes in audited.values() for op, _ in changes}
        if operations != {"import roster"}:
            problems.append(f"audit events of other operations: {sorted(operations)}")
    return problems


def test_sigkill_during_roster_import(demo_template: Path, tmp_path: Path) -> None:
    seed = _seed()
    print(f"\ncrash trials seed: {seed} (replay: {SEED_ENV}={seed})")
    rng = random.Random(seed)
    ctx = _context()
    roster = proofkit.roster(
        demo_template, TEST_KEY, IMPORT_ROWS, seed, proofkit.TERM[0], proofkit.TERM[1]
    )
    roster_file = tmp_path / "roster.csv"
    roster_file.write_bytes(roster.data)
    before = proofkit.counts(demo_template, TEST_KEY)
    before_ids = _max_ids(demo_template)

    # The complete import, uninterrupted: what "all there" is, and how long it takes.
    from internhost.core.importers.roster import import_roster

    reference = _copy(demo_template, tmp_path / "reference.db")
    engine = db.make_engine(reference, TEST_KEY)
    try:
        factory = db.make_session_factory(engine)
        actor = proofkit.hr_actor(factory)
        started = time.perf_counter()
        report = import_roster(factory, actor, roster.data, today=TODAY)
        duration = time.perf_counter() - started
    finally:
        engine.dispose()
    assert (report.imported, report.errors) == (IMPORT_ROWS, []), report.errors[:3]
    after = proofkit.counts(reference, TEST_KEY)
    assert _import_whole(reference, before_ids, roster) == []
    assert after["interns"] == before["interns"] + IMPORT_ROWS
    _remove(reference)

    # Trial 0 lets the child finish (the kill comes after its commit) and times it:
    # the others are killed at random moments over that time and a little beyond,
    # half of them in the write and commit at its end.
    stats = Trials("roster import")
    for trial in range(IMPORT_TRIALS):
        path = _copy(demo_template, tmp_path / f"import-{trial}.db")
        if trial == 0:
            delay = None
        elif trial % 2:
            delay = rng.uniform(0, duration * 1.3)
        else:
            delay = rng.uniform(duration * 0.6, duration * 1.1)
        killed, messages = _kill_after(
            ctx, proofkit.import_child, (str(path), TEST_KEY, str(roster_file), TODAY), delay
        )
        stats.trials += 1
        stats.kills += killed
        finished = [m for m in messages if isinstance(m, tuple) and m[0] == "done"]
        if finished:  # how long the import takes now (the machine may be busier)
            duration = finished[0][3]
        elif delay is not None and delay > duration:
            duration = delay * 1.1  # it had not finished yet: slower than thought
        problems = [] if killed else [f"the child was not killed by SIGKILL: {messages}"]
        if finished and finished[0][1:3] != (IMPORT_ROWS, 0):
            problems.append(f"the child's import reported {finished[0]}")
        problems += _sound(path)
        if not problems:
            now = proofkit.counts(path, TEST_KEY)
            if now == before:
                stats.outcome("absent")
                if finished:
                    problems.append("the import reported back, yet nothing is there")
            elif now == after:
                stats.outcome("finished" if finished else "whole")
                problems += _import_whole(path, before_ids, roster)
            else:
                diff = {
                    t: (before[t], now.get(t), after[t])
                    for t in after
                    if now.get(t) not in (before[t], after[t])
                }
                problems.append(f"partly there (table: before, now, complete): {diff}")
        if problems:
            stats.failures.append(f"trial {trial} (kill after {delay} s): {problems}")
        else:
            _remove(path)
    print(stats.line(), f"- the child's import takes {duration:.2f} s")
    assert stats.kills == stats.trials, stats.line()
    assert stats.outcomes.get("absent"), "no kill landed before the commit"
    assert not stats.failures, f"seed {seed}: " + "\n".join(stats.failures)


# -- the saves


def _save_state(conn: Any, r: int) -> tuple[dict[str, bool], dict[str, list[int]], list[str]]:
    """Round ``r``'s operations as found: which are there (the update: applied), the
    records they made, and what is not whole."""
    problems: list[str] = []
    there = dict.fromkeys(SAVE_KINDS, False)
    records: dict[str, list[int]] = {t: [] for t in proofkit.CREATED}
    staff = [
        x[0]
        for x in conn.execute("SELECT id FROM staff WHERE email = ?", (f"crash{r}@trial.example",))
    ]
    if len(staff) > 1:
        problems.append(f"round {r}: {len(staff)} staff rows")
    there["staff"] = bool(staff)
    records["staff"] = staff
    interns = conn.execute(
        "SELECT id, address FROM interns WHERE student_id = ?", (f"CT-{r}",)
    ).fetchall()
    if len(interns) > 1:
        problems.append(f"round {r}: {len(interns)} interns")
    if interns:
        intern_id, address = interns[0]
        there["intern"] = True
        records["interns"] = [intern_id]
        contacts = conn.execute(
            "SELECT id, kind, name FROM intern_contacts WHERE intern_id = ? ORDER BY position",
            (intern_id,),
        ).fetchall()
        records["intern_contacts"] = [c[0] for c in contacts]
        found = [(c[1], c[2]) for c in contacts]
        versions = {v: round_values(r, v) for v in (1, 2)}
        whole = [v for v, (addr, people) in versions.items() if (address, found) == (addr, people)]
        if not whole:
            problems.append(
                f"round {r}: intern with address {address!r} and contacts {found} "
                f"(expected {contact_count(r)} contacts of one version)"
            )
        there["update"] = whole == [2]
        placements = [
            x[0]
            for x in conn.execute(
                "SELECT id FROM placements WHERE intern_id = ? AND hourly_rate_cents = ?",
                (intern_id, 1500 + r),
            )
        ]
        if len(placements) > 1:
            problems.append(f"round {r}: {len(placements)} placements")
        if placements:
            there["placement"] = True
            records["placements"] = placements
            for table in ("checklist_items", "plan_items"):
                records[table] = [
                    x[0]
                    for x in conn.execute(
                        f"SELECT id FROM {table} WHERE placement_id = ?", (placements[0],)
                    )
                ]
    return there, records, problems


def _check_saves(
    path: Path, marks: Path, base_seq: int, whole: dict[str, int]
) -> tuple[list[str], int]:
    """Problems after a kill during the saves, and how many operations were there."""
    done, in_flight = proofkit.read_marks(marks)
    last_round = max([r for _, r in done] + [in_flight[1] if in_flight else 0])
    problems = _sound(path)
    if problems:
        return problems, 0
    present = 0
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        audited = proofkit.audit_keys(conn, base_seq)
        all_records: set[str] = set()
        for r in range(last_round + 2):
            there, records, found = _save_state(conn, r)
            problems += found
            for kind in SAVE_KINDS:
                op = (kind, r)
                if op in done and not there[kind]:
                    problems.append(f"{kind} {r} committed (its commit returned) but is not there")
                elif op not in done and op != in_flight and there[kind]:
                    problems.append(f"{kind} {r} never started but is there")
                present += there[kind]
            if there["placement"]:
                for table in ("checklist_items", "plan_items"):
                    if len(records[table]) != whole[table]:
                        problems.append(
                            f"placement {r}: {len(records[table])} {table}, not {whole[table]}"
                        )
            for table, ids in records.items():
                for i in ids:
                    key = f"{table}:{i}"
                    all_records.add(key)
                    if not any(after for _, after in audited.get(key, ())):
                        problems.append(f"{key} (round {r}) has no audit event")
            if records["interns"]:
                updates = [
                    op
                    for op, _ in audited.get(f"interns:{records['interns'][0]}", ())
                    if op == "update intern"
                ]
                if bool(updates) != there["update"]:
                    problems.append(
                        f"round {r}: update applied {there['update']}, its audit events {updates}"
                    )
        # Nothing of a later round, and no audit event for a record that is not there.
        for sql, what in (
            ("SELECT count(*) FROM staff WHERE email LIKE 'crash%@trial.example'", "staff"),
            ("SELECT count(*) FROM interns WHERE student_id LIKE 'CT-%'", "intern"),
        ):
            expected = sum(1 for r in range(last_round + 2) if _save_state(conn, r)[0][what])
            if conn.execute(sql).fetchone()[0] != expected:
                problems.append(f"{what} rows beyond the rounds that ran")
        for key, changes in audited.items():
            table = key.split(":")[0]
            if (
                table in proofkit.CREATED
                and any(after for _, after in changes)
                and key not in all_records
            ):
                problems.append(f"audit event for {key}, which is not there")
    return problems, present


def test_sigkill_during_saves(demo_template: Path, tmp_path: Path) -> None:
    seed = _seed()
    print(f"\ncrash trials seed: {seed} (replay: {SEED_ENV}={seed})")
    rng = random.Random(seed ^ 0x5A5E)
    ctx = _context()
    ids: SaveIds = proofkit.save_ids(demo_template, TEST_KEY)
    base_seq = _max_ids(demo_template)["audit_events"]

    # One round uninterrupted: how many checklist and plan items a whole placement has.
    reference = _copy(demo_template, tmp_path / "reference.db")
    engine = db.make_engine(reference, TEST_KEY)
    try:
        factory = db.make_session_factory(engine)
        actor = proofkit.hr_actor(factory)
        made: dict[str, int] = {}
        for kind in SAVE_KINDS:
            with db.unit_of_work(factory, actor) as s:
                made[kind] = proofkit.save_op(s, actor, ids, kind, 0, made, TODAY)
    finally:
        engine.dispose()
    with closing(db.connect_raw(reference, TEST_KEY, wal=False)) as conn:
        there, records, problems = _save_state(conn, 0)
    assert all(there.values()) and not problems, (there, problems)
    whole = {t: len(records[t]) for t in ("checklist_items", "plan_items")}
    assert all(whole.values()), whole
    _remove(reference)

    stats = Trials("saves")
    operations = 0
    for trial in range(SAVE_TRIALS):
        path = _copy(demo_template, tmp_path / f"saves-{trial}.db")
        marks = tmp_path / f"saves-{trial}.marks"
        delay = rng.uniform(*SAVE_WINDOW)
        killed, messages = _kill_after(
            ctx, proofkit.saves_child, (str(path), TEST_KEY, ids, str(marks), TODAY), delay
        )
        stats.trials += 1
        stats.kills += killed
        problems = [] if killed else [f"the child was not killed by SIGKILL: {messages}"]
        found, present = _check_saves(path, marks, base_seq, whole)
        problems += found
        operations += present
        done, in_flight = proofkit.read_marks(marks)
        if in_flight is not None:
            stats.outcome("in flight: " + ("there" if present > len(done) else "absent"))
        if problems:
            stats.failures.append(f"trial {trial} (kill after {delay:.3f} s): {problems[:10]}")
        else:
            _remove(path)
    print(stats.line(), f"- {operations} operations found whole")
    assert stats.kills == stats.trials, stats.line()
    assert not stats.failures, f"seed {seed}: " + "\n".join(stats.failures)
