"""Shared benchmark helpers: generated databases cached between runs, medians.

Every generated database is encrypted (SQLCipher) with ``BENCH_KEY``, a raw key: no
key derivation, as in the app with a keyring-held key."""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE = BENCH_DIR / ".cache"
sys.path.insert(0, str(BENCH_DIR.parent))

from internhost.core.storage.db import DatabaseKey  # noqa: E402

#: The key of every benchmark database (not a secret: the data is generated).
BENCH_KEY = DatabaseKey(raw_hex="be" * 32)


def generated_db(interns: int, weeks: int, *, check: bool = True, extra_mentors: int = 0) -> Path:
    """A sample database of ``interns`` interns, built once and reused (``DemoSizes``
    says what ``check`` and ``extra_mentors`` do)."""
    from internhost.core.actor import SYSTEM
    from internhost.core.sample import DemoSizes, build_demo, load_spec
    from internhost.core.storage import db, migrate

    variant = ("" if check else "-unchecked") + (f"-{extra_mentors}m" if extra_mentors else "")
    name = f"sample-{load_spec()['version']}-{interns}i-{weeks}w{variant}-{migrate.HEAD}-enc.db"
    path = CACHE / name
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    migrate.upgrade_to_head(tmp, BENCH_KEY)
    engine = db.make_engine(tmp, BENCH_KEY)
    try:
        print(f"generating {interns} interns…", file=sys.stderr)
        sizes = DemoSizes(interns=interns, weeks=weeks, check=check, extra_mentors=extra_mentors)
        build_demo(db.make_session_factory(engine), SYSTEM, sizes)
    finally:
        engine.dispose()
    with db.connect_raw(tmp, BENCH_KEY) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    return path


def scope_arguments(description: str | None) -> argparse.ArgumentParser:
    """The options of the benchmarks on ``scope.py``'s database (interns over many
    mentors, unchecked) and its typed search."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--interns", type=int, default=50_000)
    parser.add_argument("--extra-mentors", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--search", default="mar", help="typed one keystroke at a time")
    return parser


def scope_database(args: argparse.Namespace) -> Path:
    """``scope.py``'s database for the parsed ``scope_arguments``, built once."""
    return generated_db(args.interns, 1, check=False, extra_mentors=args.extra_mentors)


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(name: str, value: float, unit: str, target: str, ok: bool) -> None:
    print(f"{name:<48} {value:>9.3f} {unit:<3} target {target:<10} {'OK' if ok else 'MISSED'}")


#: Rows per table: (column names, rows), as ``written_rows`` reads them.
Written = dict[str, tuple[list[str], list[tuple]]]


def written_rows(before: Path, after: Path, tables: tuple[tuple[str, str], ...]) -> Written:
    """The rows ``after`` holds beyond ``before`` in each of ``tables`` (name, key
    column): what an import wrote."""
    from contextlib import closing

    from internhost.core.storage import db

    out = {}
    with (
        closing(db.connect_raw(before, BENCH_KEY)) as old,
        closing(db.connect_raw(after, BENCH_KEY)) as new,
    ):
        for table, key in tables:
            top = old.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
            cursor = new.execute(f"SELECT * FROM {table} WHERE {key} > ?", (top,))
            out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


def raw_insert(path: Path, rows: Written) -> float:
    """Seconds a raw ``executemany`` of ``rows`` takes in one transaction, through the
    app's driver: the floor an import's writing is measured against."""
    import time as clock
    from contextlib import closing

    from internhost.core.storage import db

    with closing(db.connect_raw(path, BENCH_KEY)) as conn:
        started = clock.perf_counter()
        conn.execute("BEGIN")
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        conn.execute("COMMIT")
        return clock.perf_counter() - started
