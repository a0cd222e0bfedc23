"""Time-clock import: a 50,000-row file imported, checked and stored, against its target.

50,000 punches (every intern of a 500-intern sample, one entry a school day of their
placement, some with a lunch punch and a task) are read, validated, written with
their breaks and tasks, every intern whose hours came in is checked against the
rules and the findings stored, and the whole committed: target <= 10 s. Measured as
``bench/import.py`` measures the roster: against a raw ``executemany`` of every row
that import wrote (time entries, breaks, tasks, findings, audit events) through the
same driver, in the same run, into a fresh copy of the same database; target
ratio <= 5. Each run imports into a fresh copy of the same sample database, whose
placements were given badge numbers first (as the time clock knows them).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import tempfile
import time as clock
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from _common import BENCH_KEY, CACHE, generated_db, median, raw_insert, report, written_rows

from internhost.core.actor import SYSTEM
from internhost.core.importers.hours import import_hours
from internhost.core.storage import db

TARGET_S = 10.0
TARGET_RATIO = 5.0
INTERNS = 500
#: Tables the import writes, with their key column; the raw baseline copies these.
WRITTEN = (
    ("time_entries", "id"),
    ("work_breaks", "id"),
    ("work_tasks", "id"),
    ("findings", "id"),
    ("audit_events", "seq"),
)


def badged(source: Path) -> Path:
    """``source`` with a badge on every placement (``B`` and the placement's id)."""
    path = CACHE / f"{source.stem}-badges.db"
    if not path.exists():
        shutil.copyfile(source, path)
        with closing(db.connect_raw(path, BENCH_KEY)) as conn:
            conn.execute("UPDATE placements SET badge = 'B' || id WHERE badge IS NULL")
            conn.commit()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def clock_file(path: Path, rows: int, seed: int = 20251201) -> tuple[bytes, date]:
    """``rows`` punches over the placements' weekdays not already logged nor in a
    closed pay period, as a time clock exports them (12-hour times, US dates), and
    the day after the last one."""
    rng = random.Random(seed)
    with closing(db.connect_raw(path, BENCH_KEY)) as conn:
        placements = conn.execute(
            "SELECT id, badge, start_date, coalesce(end_date, date(start_date, '+120 days')) "
            "FROM placements ORDER BY id"
        ).fetchall()
        logged = {
            (pid, day)
            for pid, day in conn.execute("SELECT placement_id, work_date FROM time_entries")
        }
        closed = [
            (date.fromisoformat(a), date.fromisoformat(b))
            for a, b in conn.execute("SELECT start_date, end_date FROM pay_periods")
        ]
    per = -(-rows // len(placements))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Badge #", "Punch Date", "Clock In", "Clock Out", "Lunch Out", "Lunch In", "Tasks"]
    )
    written, last = 0, date.min
    for pid, badge, start, end in placements:
        day, stop, made = date.fromisoformat(start), date.fromisoformat(end), 0
        while made < per and written < rows and day <= stop:
            open_ = not any(a <= day <= b for a, b in closed)
            if day.weekday() < 5 and open_ and (pid, day.isoformat()) not in logged:
                lunch = rng.random() < 0.3
                begin = "8:00 AM" if lunch else f"3:{rng.choice(('30', '35', '40'))} PM"
                finish = "1:00 PM" if lunch else "5:30 PM"
                breaks = ("10:30 AM", "11:00 AM") if lunch else ("", "")
                task = rng.choice(("", "", "office_clerical"))
                writer.writerow(
                    [badge, f"{day.month}/{day.day}/{day.year}", begin, finish, *breaks, task]
                )
                made += 1
                written += 1
                last = max(last, day)
            day += timedelta(days=1)
    if written < rows:
        raise SystemExit(f"the sample's placements hold only {written} weekdays to log")
    return out.getvalue().encode("utf-8-sig"), last + timedelta(days=1)


def _import(path: Path, data: bytes, today: date) -> float:
    engine = db.make_engine(path, BENCH_KEY)
    try:
        factory = db.make_session_factory(engine)
        started = clock.perf_counter()
        result = import_hours(factory, SYSTEM, data, today=today)
        elapsed = clock.perf_counter() - started
    finally:
        engine.dispose()
    if result.errors or result.imported != result.rows:
        raise SystemExit(f"the generated file did not import cleanly: {result.errors[:3]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--interns", type=int, default=INTERNS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = badged(generated_db(args.interns, weeks=1))
    data, today = clock_file(source, args.rows)
    imports, raws = [], []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.db"
        shutil.copyfile(source, warm)
        small, small_today = clock_file(source, 20, seed=1)
        _import(warm, small, small_today)  # rule packs, imports: not the figure
        for run in range(args.runs):
            target, baseline = Path(tmp) / f"import{run}.db", Path(tmp) / f"raw{run}.db"
            shutil.copyfile(source, target)
            shutil.copyfile(source, baseline)
            imports.append(_import(target, data, today))
            rows = written_rows(source, target, WRITTEN)
            raws.append(raw_insert(baseline, rows))
            target.unlink()
            baseline.unlink()
    counts = ", ".join(f"{len(v)} {t}" for t, (_, v) in rows.items())
    print(f"{args.rows:,} time-clock rows ({len(data) / 1e6:.1f} MB) wrote {counts}")
    took, raw = median(imports), median(raws)
    print(f"import: best {min(imports):.3f} s, median {took:.3f} s of {len(imports)} runs")
    name = f"import {args.rows:,} punches: read, check, store"
    report(name, took, "s", f"<= {TARGET_S}", took <= TARGET_S)
    report("raw executemany of the same rows", raw, "s", "-", True)
    report("ratio import / raw", took / raw, "x", f"<= {TARGET_RATIO}", took / raw <= TARGET_RATIO)


if __name__ == "__main__":
    main()
