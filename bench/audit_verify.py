"""``internhost audit verify`` on the 10,000-intern import database: the small sample
with a 10,000-row roster imported into it, built as ``bench/import.py`` builds it
(cached in ``bench/.cache``). Target: <= 10 s for the whole command.

Two figures: the whole command as a user runs it, cold (a fresh process: interpreter
start, imports, key, login, then the check), and the check alone in a fresh engine
in this process (``audit_verify.verify``: one pass over the events, one query per
audited table). Each is the median of ``--runs``. The check writes nothing; each run
of the command logs in, which the trail records (one event per run).
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import time as clock
from pathlib import Path

from _common import BENCH_DIR, BENCH_KEY, CACHE, generated_db, median, report

from internhost.core.actor import SYSTEM
from internhost.core.sample import load_spec
from internhost.core.storage import db, migrate

TARGET_S = 10.0
ROWS = 10_000


def imported_db() -> Path:
    """The small sample with ``ROWS`` roster rows imported, built once and reused."""
    path = CACHE / f"import-{load_spec()['version']}-{ROWS}r-{migrate.HEAD}-enc.db"
    if path.exists():
        return path
    roster_bench = importlib.import_module("import")  # bench/import.py: its roster
    tmp = path.with_suffix(".partial")
    shutil.copyfile(generated_db(24, weeks=1), tmp)
    print(f"importing {ROWS} roster rows…", file=sys.stderr)
    roster_bench._import(tmp, roster_bench.roster(ROWS))
    with db.connect_raw(tmp, BENCH_KEY) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    return path


def _command(path: Path) -> tuple[float, str]:
    """The whole command in a fresh process: wall time, and what it printed."""
    env = dict(os.environ)
    env.update(
        INTERNHOST_PASSPHRASE=BENCH_KEY.raw_hex or "",
        INTERNHOST_USER="hr",
        INTERNHOST_PASSWORD="demo",
        PYTHONPATH=str(BENCH_DIR.parent),
    )
    argv = [sys.executable, "-m", "internhost", "--db", str(path), "audit", "verify"]
    started = clock.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = clock.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"audit verify exited {done.returncode}: {done.stdout}{done.stderr}")
    return elapsed, done.stdout.strip()


def _check(path: Path) -> tuple[float, float]:
    """``audit_verify.verify`` in a fresh engine: wall and CPU seconds."""
    from internhost.core.trail import audit_verify

    engine = db.make_engine(path, BENCH_KEY, create=False)
    try:
        wall, cpu = clock.perf_counter(), clock.process_time()
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            result = audit_verify.verify(s)
        wall, cpu = clock.perf_counter() - wall, clock.process_time() - cpu
    finally:
        engine.dispose()
    if not result.ok:
        raise SystemExit("\n".join(result.lines()))
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = imported_db()
    commands, checks, cpus = [], [], []
    printed = ""
    for _ in range(args.runs):
        took, printed = _command(path)
        commands.append(took)
        wall, cpu = _check(path)
        checks.append(wall)
        cpus.append(cpu)
    print(f"{path.name} ({path.stat().st_size / 1e6:.0f} MB): {printed}")
    took = median(commands)
    report("audit verify, the whole command (cold)", took, "s", f"<= {TARGET_S}", took <= TARGET_S)
    report("the check alone (fresh engine), wall", median(checks), "s", "-", True)
    report("the check alone (fresh engine), CPU", median(cpus), "s", "-", True)


if __name__ == "__main__":
    main()
