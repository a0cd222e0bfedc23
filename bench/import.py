"""Roster import: speed and memory, each against its target.

Speed: 10,000 rows read, validated and committed in <= 6 s, against a raw
``executemany`` of every row that import wrote (interns, contacts, placements,
checklist and plan items, the placement checks' findings, audit events) through
the same driver (db.connect_raw, SQLCipher with the same raw key), in the same
run. Target ratio <= 5. Each run imports into a fresh copy of the same small
sample database; the raw baseline then copies exactly the rows that run wrote
into another fresh copy.

Memory: a 50 MB roster (410,731 rows, as in the report that found the import's
memory unbounded) checked by ``internhost import-roster --dry-run`` and then
imported, each as the app runs it: the command line in a child process against a
fresh copy of the sample database. The figure is the child's peak resident set
(as the child measured it: ``tests/peakmem.py``), target <= 300 MB each; the
import is then checked with ``internhost audit verify``.

The rosters are generated from a seed over the sample data set's schools, worksites
and mentors (messy the way real ones are: US dates with Excel's "0:00", dollar
signs, labels for programs), so every row is valid and every row has a placement.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time as clock
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from _common import (
    BENCH_DIR,
    BENCH_KEY,
    CACHE,
    generated_db,
    median,
    raw_insert,
    report,
    written_rows,
)

from internhost.core.actor import SYSTEM
from internhost.core.importers.roster import COLUMNS, import_roster
from internhost.core.models.enums import PROGRAM_LABELS
from internhost.core.sample import load_spec
from internhost.core.storage import db

TARGET_S = 6.0
TARGET_RATIO = 5.0
TARGET_RSS_MB = 300.0
TODAY = date(2025, 8, 20)
START, END = date(2025, 9, 8), date(2025, 12, 18)
#: Tables the import writes, with their key column; the raw baseline copies these.
WRITTEN = (
    ("interns", "id"),
    ("intern_contacts", "id"),
    ("placements", "id"),
    ("checklist_items", "id"),
    ("plan_items", "id"),
    ("findings", "id"),
    ("audit_events", "seq"),
)
#: The memory run's roster: as many rows as the file in the report, with the columns
#: a school's export usually has, which makes it about 50 MB.
BIG_ROWS = 410_731
BIG_COLUMNS = (
    "first_name",
    "last_name",
    "birth_date",
    "school",
    "grade",
    "student_id",
    "guardian_name",
    "guardian_phone",
    "worksite",
    "placement_start",
    "placement_end",
)


def _students(rows: int, seed: int, exclude: set[tuple[str, str, date]]) -> Iterator[dict]:
    """``rows`` valid students by roster column, as Excel would save them; none has
    the name and birth date of one in ``exclude`` (interns on record)."""
    rng = random.Random(seed)
    spec = load_spec()
    names = spec["names"]
    schools = [s["name"] for s in spec["schools"]]
    mentors = {
        site["name"]: [
            m["email"]
            for m in spec["staff"]
            if m["role"] == "mentor" and m["worksite"] == site["name"]
        ]
        for site in spec["worksites"]
    }
    seen = set(exclude)
    for i in range(rows):
        while True:  # same name and birth date would be a duplicate: draw again
            first, last = rng.choice(names["first"]), rng.choice(names["last"])
            age = rng.choice((16, 16, 17, 17, 18))
            born = START - timedelta(days=365 * age + rng.randrange(5, 360))
            if (first, last, born) not in seen:
                seen.add((first, last, born))
                break
        site = rng.choice(list(mentors))
        program = rng.choice(("employment", "employment", "school_wbl", "student_learner"))
        yield {
            "first_name": first,
            "last_name": last,
            "preferred_name": "",
            "birth_date": f"{born.month}/{born.day}/{born.year} 0:00",
            "school": rng.choice(schools),
            "grade": str(min(12, age - 5)),
            "student_id": str(5_000_000 + i),
            "guardian_name": f"{rng.choice(names['first'])} {last}",
            "guardian_phone": f"(815) 555-{rng.randrange(1000, 9999)}",
            "guardian_email": f"family{i}@mail.example",
            "emergency_contact": f"{rng.choice(names['first'])} {rng.choice(names['last'])}",
            "emergency_phone": f"(815) 555-{rng.randrange(1000, 9999)}",
            "address": f"{rng.randrange(100, 9999)} {rng.choice(names['streets'])}, IL",
            "district": "",
            "worksite": site,
            "placement_start": START.isoformat(),
            "placement_end": f"{END.month}/{END.day}/{END.year}",
            "paid": "yes",
            "hourly_rate": f"${13 + rng.randrange(0, 4)}.{rng.choice(('00', '25', '50'))}",
            "program": PROGRAM_LABELS[program],
            "mentor_email": rng.choice(mentors[site]),
        }


def roster(rows: int, seed: int = 20251020) -> bytes:
    """A deterministic roster of ``rows`` valid students with every column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(student.values() for student in _students(rows, seed, set()))
    return out.getvalue().encode("utf-8-sig")


def big_roster(source: Path) -> Path:
    """The 50 MB roster (``BIG_ROWS`` rows of ``BIG_COLUMNS``, every row a new intern
    with a placement), written once under ``bench/.cache``."""
    path = CACHE / f"roster-{BIG_ROWS}-{len(BIG_COLUMNS)}c-{load_spec()['version']}.csv"
    if path.exists():
        return path
    with closing(db.connect_raw(source, BENCH_KEY)) as conn:
        query = "SELECT legal_first_name, legal_last_name, birth_date FROM interns"
        exclude = {(f, la, date.fromisoformat(b)) for f, la, b in conn.execute(query)}
    print(f"writing a roster of {BIG_ROWS:,} rows…", file=sys.stderr)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(BIG_COLUMNS)
        for student in _students(BIG_ROWS, 20251021, exclude):
            writer.writerow(student[c] for c in BIG_COLUMNS)
    partial.rename(path)
    return path


def _import(path: Path, data: bytes) -> float:
    engine = db.make_engine(path, BENCH_KEY)
    try:
        factory = db.make_session_factory(engine)
        started = clock.perf_counter()
        report_ = import_roster(factory, SYSTEM, data, today=TODAY)
        elapsed = clock.perf_counter() - started
    finally:
        engine.dispose()
    if report_.errors or report_.imported != report_.rows:
        raise SystemExit(f"the generated roster did not import cleanly: {report_.errors[:3]}")
    return elapsed


def _child_peak(argv: list[str]) -> tuple[float | None, float, str]:
    """Run ``internhost`` as a child process: its peak RSS in MB as the child measured
    it (``tests/peakmem.py``: ``os.wait4`` would count this process's memory, which
    the child had before its ``exec``), seconds taken, and standard output."""
    sys.path.insert(0, str(BENCH_DIR.parent / "tests"))
    from peakmem import run_measured

    env = {
        **os.environ,
        "PYTHONPATH": str(BENCH_DIR.parent),
        "INTERNHOST_PASSPHRASE": BENCH_KEY.raw_hex or "",
        "INTERNHOST_PASSWORD": "demo",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # never store the key
    }
    started = clock.perf_counter()
    code, peak, out, err = run_measured(argv, env=env)
    took = clock.perf_counter() - started
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}: {err}")
    return (None if peak != peak else peak), took, out


def _memory(source: Path, tmp: Path) -> None:
    roster_path = big_roster(source)
    size = roster_path.stat().st_size / 1e6
    what = f"{size:.0f} MB, {BIG_ROWS:,} rows"
    for dry_run in (True, False):
        target = tmp / f"memory-{'dry' if dry_run else 'import'}.db"
        shutil.copyfile(source, target)
        argv = ["--db", str(target), "--user", "hr", "import-roster", str(roster_path)]
        argv += ["--format", "json", *(["--dry-run"] if dry_run else [])]
        peak, took, out = _child_peak(argv)
        result = json.loads(out)
        done = result["would_import"] if dry_run else result["imported"]
        if done != BIG_ROWS:
            raise SystemExit(f"the big roster did not import cleanly: {result['errors'][:3]}")
        name = f"{'dry run' if dry_run else 'import'} ({what}): peak RSS"
        if peak is None:
            print(f"{name:<48} not measured (the child could not read its peak)")
        else:
            ok = peak <= TARGET_RSS_MB
            report(name, peak, "MB", f"<= {TARGET_RSS_MB:.0f}", ok)
        report("  … taking", took, "s", "-", True)
    _, took, out = _child_peak(["--db", str(target), "--user", "hr", "audit", "verify"])
    print(out.strip())
    report("audit verify after the import", took, "s", "-", True)
    target.unlink()


def _speed(source: Path, tmp: Path, rows_wanted: int, runs: int) -> None:
    data = roster(rows_wanted)
    imports, raws = [], []
    warm = tmp / "warm.db"
    shutil.copyfile(source, warm)
    _import(warm, roster(20, seed=1))  # rule packs, plan template, imports: not the figure
    for run in range(runs):
        target, baseline = tmp / f"import{run}.db", tmp / f"raw{run}.db"
        shutil.copyfile(source, target)
        shutil.copyfile(source, baseline)
        imports.append(_import(target, data))
        rows = written_rows(source, target, WRITTEN)
        raws.append(raw_insert(baseline, rows))
        target.unlink()
        baseline.unlink()
    counts = ", ".join(f"{len(v)} {t}" for t, (_, v) in rows.items())
    print(f"{rows_wanted} roster rows ({len(data) / 1e6:.1f} MB) wrote {counts}")
    took, raw = median(imports), median(raws)
    report(
        "import 10,000 rows: read, validate, commit", took, "s", f"<= {TARGET_S}", took <= TARGET_S
    )
    report("raw executemany of the same rows", raw, "s", "-", True)
    report("ratio import / raw", took / raw, "x", f"<= {TARGET_RATIO}", took / raw <= TARGET_RATIO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--part",
        choices=("all", "speed", "memory"),
        default="all",
        help="speed: the 10,000-row import; memory: the 50 MB roster (minutes)",
    )
    args = parser.parse_args()
    source = generated_db(24, weeks=1)
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("all", "speed"):
            _speed(source, Path(tmp), args.rows, args.runs)
        if args.part in ("all", "memory"):
            _memory(source, Path(tmp))


if __name__ == "__main__":
    main()
