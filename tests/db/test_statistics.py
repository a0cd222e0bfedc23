"""The query planner's statistics (``sqlite_stat1``), kept as SQLite advises: ``PRAGMA
optimize`` as each connection closes and after a big write (the sample data, a roster
import). Without them SQLite planned a mentor's correlated EXISTS on the mentor's
index, once per intern; closing must stay quick and never fail for them."""

from __future__ import annotations

import time
from contextlib import closing
from datetime import date
from pathlib import Path

from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.importers.roster import import_roster
from internhost.core.services import interns
from internhost.core.storage import db


def analyzed(path: Path) -> set[str]:
    """The tables ``sqlite_stat1`` holds statistics of (none: no such table yet)."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return set()
        return {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}


def never_analyzed(path: Path) -> Path:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.executescript("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4")
    assert analyzed(path) == set()
    return path


def read_interns(engine) -> None:
    with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
        assert interns.list_intern_ids(s, SYSTEM)


def test_the_sample_data_leaves_statistics(demo_path: Path) -> None:
    assert {"interns", "placements", "intern_contacts", "audit_events"} <= analyzed(demo_path)


def test_closing_a_connection_analyzes_a_file_without_statistics(demo_path: Path) -> None:
    engine = db.make_engine(never_analyzed(demo_path), TEST_KEY, create=False)
    read_interns(engine)
    assert analyzed(demo_path) == set()  # open connections leave the file alone
    engine.dispose()
    assert {"interns", "placements"} <= analyzed(demo_path)


def test_closing_never_waits_for_another_writer(demo_path: Path) -> None:
    """Another process writing: the close skips the analysis at once (the busy
    timeout is 5 s) and leaves it to a later close."""
    engine = db.make_engine(never_analyzed(demo_path), TEST_KEY, create=False)
    read_interns(engine)
    with closing(db.connect_raw(demo_path, TEST_KEY)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE interns SET grade = grade WHERE id = 1")
        started = time.perf_counter()
        engine.dispose()
        assert time.perf_counter() - started < 1.0
        writer.execute("COMMIT")
    assert analyzed(demo_path) == set()
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    read_interns(engine)
    engine.dispose()
    assert "interns" in analyzed(demo_path)


def test_a_broken_connection_still_closes(demo_path: Path) -> None:
    """The close hook runs on connections SQLAlchemy discards after an error too."""
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    with engine.connect() as conn:
        conn.connection.dbapi_connection.close()  # what a lost file or handle looks like
        conn.invalidate()
    engine.dispose()


def test_a_roster_import_refreshes_the_statistics(demo_path: Path) -> None:
    factory = db.make_session_factory(db.make_engine(demo_path, TEST_KEY, create=False))
    never_analyzed(demo_path)
    roster = (
        b"first_name,last_name,birth_date,school,grade\r\n"
        b"Ada,Quinn,2009-03-04,Auburn High School,11\r\n"
    )
    report = import_roster(factory, SYSTEM, roster, today=date(2025, 8, 20))
    assert report.imported == 1, report.errors
    assert {"interns", "intern_contacts"} <= analyzed(demo_path)  # before any close
    factory.kw["bind"].dispose()
