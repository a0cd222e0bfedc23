"""Roster import: 10,000 rows read, validated and committed in <= 6 s, against a raw
``executemany`` of every row that import wrote (interns, contacts, placements,
checklist and plan items, audit events) through the same driver (db.connect_raw,
SQLCipher with the same raw key), in the same run. Target ratio <= 5.

The roster is generated from a seed over the sample data set's schools, worksites
and mentors (messy the way real ones are: US dates with Excel's "0:00", dollar
signs, labels for programs), so every row is valid and every row has a placement.
Each run imports into a fresh copy of the same small sample database; the raw
baseline then copies exactly the rows that run wrote into another fresh copy.
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

from _common import BENCH_KEY, generated_db, median, report

from internhost.core import db
from internhost.core.actor import SYSTEM
from internhost.core.importers.roster import COLUMNS, import_roster
from internhost.core.models.enums import PROGRAM_LABELS
from internhost.core.sample import load_spec

TARGET_S = 6.0
TARGET_RATIO = 5.0
TODAY = date(2025, 8, 20)
START, END = date(2025, 9, 8), date(2025, 12, 18)
#: Tables the import writes, with their key column; the raw baseline copies these.
WRITTEN = (
    ("interns", "id"),
    ("intern_contacts", "id"),
    ("placements", "id"),
    ("checklist_items", "id"),
    ("plan_items", "id"),
    ("audit_events", "seq"),
)


def roster(rows: int, seed: int = 20251020) -> bytes:
    """A deterministic roster of ``rows`` valid students, as Excel would save it."""
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    seen: set[tuple[str, str, date]] = set()
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
        writer.writerow(
            {
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
            }.values()
        )
    return out.getvalue().encode("utf-8-sig")


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


def _written(before: Path, after: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows ``after`` holds beyond ``before``, per table: what the import wrote."""
    out = {}
    with (
        closing(db.connect_raw(before, BENCH_KEY)) as old,
        closing(db.connect_raw(after, BENCH_KEY)) as new,
    ):
        for table, key in WRITTEN:
            top = old.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
            cursor = new.execute(f"SELECT * FROM {table} WHERE {key} > ?", (top,))
            out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


def _raw(path: Path, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
    with closing(db.connect_raw(path, BENCH_KEY)) as conn:
        started = clock.perf_counter()
        conn.execute("BEGIN")
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        conn.execute("COMMIT")
        return clock.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = generated_db(24, weeks=1)
    data = roster(args.rows)
    imports, raws = [], []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.db"
        shutil.copyfile(source, warm)
        _import(warm, roster(20, seed=1))  # rule packs, plan template, imports: not the figure
        for run in range(args.runs):
            target, baseline = Path(tmp) / f"import{run}.db", Path(tmp) / f"raw{run}.db"
            shutil.copyfile(source, target)
            shutil.copyfile(source, baseline)
            imports.append(_import(target, data))
            rows = _written(source, target)
            raws.append(_raw(baseline, rows))
    counts = ", ".join(f"{len(v)} {t}" for t, (_, v) in rows.items())
    print(f"{args.rows} roster rows ({len(data) / 1e6:.1f} MB) wrote {counts}")
    took, raw = median(imports), median(raws)
    report(
        "import 10,000 rows: read, validate, commit", took, "s", f"<= {TARGET_S}", took <= TARGET_S
    )
    report("raw executemany of the same rows", raw, "s", "-", True)
    report("ratio import / raw", took / raw, "x", f"<= {TARGET_RATIO}", took / raw <= TARGET_RATIO)


if __name__ == "__main__":
    main()
