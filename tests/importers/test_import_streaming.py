"""The roster import streamed in batches: the same result as one pass, errors by their
own lines across batches, all or nothing across batches (audit events included), the
size limits refused in one line, the error list capped, and memory that grows with
the batch, not the file."""

from __future__ import annotations

import io
import json
import shutil
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.importers import limits, result, roster, roster_write
from internhost.core.importers.reading import read_table
from internhost.core.importers.result import ImportRefused
from internhost.core.importers.roster import import_roster
from internhost.core.models import AuditEvent, ChecklistItem, Intern, InternContact, Placement
from internhost.core.storage import db
from internhost.core.trail import audit_verify

HEADER = "First,Last,DOB,School,Student ID,Guardian,Start Date,Worksite\r\n"
SCHOOLS = ("Auburn High School", "Elgin High School", "Jefferson High School")


def _rows(count: int, *, start: int = 0, placements: bool = True) -> str:
    """``count`` valid, distinct rows (names and student ids numbered from ``start``)."""
    out = []
    for i in range(start, start + count):
        placement = "2025-09-08,Rockford Plant" if placements else ","
        out.append(
            f"Ana{i},Ruiz{i},2008-03-{i % 28 + 1:02d},{SCHOOLS[i % 3]},{700000 + i},"
            f"Rosa Ruiz{i},{placement}\r\n"
        )
    return "".join(out)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    return lambda size: monkeypatch.setattr(roster, "BATCH_ROWS", size)


def _verify(factory: Any) -> None:
    with db.read_session(factory, SYSTEM) as s:
        report = audit_verify.verify(s)
    assert report.ok, report.lines()


def _written(factory: Any) -> dict[str, list[tuple]]:
    """What the import wrote, comparable between two databases: the rows, and each
    audit event's record and payload (by record: batches order the chain by batch)."""
    with db.read_session(factory, SYSTEM) as s:
        out = {}
        for model in (Intern, InternContact, Placement, ChecklistItem):
            columns = [c for c in model.__table__.columns if not c.name.endswith("_at")]
            out[model.__tablename__] = list(map(tuple, s.execute(select(*columns).order_by("id"))))
        t = AuditEvent.__table__
        events = s.execute(
            select(t.c.operation, t.c.action, t.c.aggregate_type, t.c.aggregate_id, t.c.payload)
        )
        out["audit_events"] = sorted(
            ((*e[:4], _timeless(e[4])) for e in events), key=lambda e: (e[2], e[3] or 0, e[4])
        )
    return out


def _timeless(payload: str) -> str:
    """A payload without the times its records were written at (two runs differ)."""
    records = json.loads(payload)
    for entry in records.values():
        for values in entry.values() if isinstance(entry, dict) else ():
            for column in [c for c in values or () if c.endswith("_at")]:
                del values[column]
    return json.dumps(records, sort_keys=True)


def test_batches_write_exactly_what_one_pass_writes(
    run_import, demo_factory, demo_template: Path, tmp_path: Path, small_batches
) -> None:
    data = HEADER + _rows(11)
    other = tmp_path / "one-pass.db"
    shutil.copyfile(demo_template, other)
    engine = db.make_engine(other, TEST_KEY)
    try:
        one_pass = db.make_session_factory(engine)
        whole = import_roster(one_pass, SYSTEM, data.encode(), today=date(2025, 10, 15))
        small_batches(4)  # 11 rows: batches of 4, 4 and 3
        batched = run_import(data)
        assert (batched.imported, whole.imported, batched.to_json()) == (11, 11, whole.to_json())
        assert list(batched.outcomes) == list(whole.outcomes)
        assert _written(demo_factory) == _written(one_pass)
    finally:
        engine.dispose()
    _verify(demo_factory)
    with db.read_session(demo_factory, SYSTEM) as s:  # one import: one time for its events
        stamps = s.scalars(
            select(AuditEvent.occurred_at).where(AuditEvent.operation == "import roster")
        )
        assert len(set(stamps)) == 1


def test_errors_across_batches_keep_their_lines(run_import, small_batches, counts) -> None:
    small_batches(3)
    rows = _rows(8).splitlines(keepends=True)
    rows[0] = rows[0].replace("2008-03-01", "2008-02-30")
    rows[7] = rows[7].replace(",700007,", ",700001,")  # the same school's id as rows[1]
    before = counts()
    report = run_import(HEADER + "\r\n" + "".join(rows))  # a blank line 2: rows start at 3
    assert [(e.line, e.column) for e in report.errors] == [(3, "birth_date"), (10, "student_id")]
    assert report.errors[1].message == "same school and student id as line 4"
    assert [o.line for o in report.outcomes] == list(range(3, 11))
    assert [o.action for o in report.outcomes].count("invalid") == 2
    assert (report.rows, report.would_import, report.imported) == (8, 6, 0)
    assert counts() == before


def test_an_error_in_a_late_batch_rolls_back_the_earlier_ones(
    run_import, demo_factory, small_batches, counts
) -> None:
    small_batches(2)
    before = counts()
    bad = "Zed,Last,2008-02-30,Auburn High School,799999,,,\r\n"  # line 8, the 4th batch
    report = run_import(HEADER + _rows(6) + bad, mappings={"Guardian": "guardian_name"})
    assert [(e.line, e.column) for e in report.errors] == [(8, "birth_date")]
    assert (report.imported, report.would_import) == (0, 6)
    after = counts()
    # Only the remembered mapping (and its one audit event) is written: the columns
    # were right even though a row was not.
    assert after["import_mappings"] == before["import_mappings"] + 1
    assert after["audit_events"] == before["audit_events"] + 1
    assert {k: v for k, v in after.items() if k not in ("import_mappings", "audit_events")} == {
        k: v for k, v in before.items() if k not in ("import_mappings", "audit_events")
    }
    _verify(demo_factory)


def test_a_crash_in_a_late_batch_writes_nothing(
    run_import, demo_factory, small_batches, counts, monkeypatch
) -> None:
    small_batches(2)
    calls = []
    real = roster_write.write_plans

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:  # the first two batches and their events are in by now
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(roster, "write_plans", failing)
    before = counts()
    with pytest.raises(OSError, match="disk full"):
        run_import(HEADER + _rows(6))
    assert len(calls) == 3 and counts() == before
    _verify(demo_factory)


def test_too_many_rows_found_late_writes_nothing(
    run_import, small_batches, counts, monkeypatch
) -> None:
    small_batches(2)
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    before = counts()
    assert run_import(HEADER + _rows(5)).imported == 5
    after_five = counts()
    with pytest.raises(ImportRefused, match="more than 5 rows, the most a roster may have"):
        run_import(HEADER + _rows(6, start=100))
    assert counts() == after_five != before


def test_skip_invalid_across_batches_imports_the_valid_rows(
    run_import, demo_factory, small_batches
) -> None:
    small_batches(3)
    rows = _rows(7).splitlines(keepends=True)
    rows[4] = rows[4].replace("2008-03-05", "2031-01-01")
    report = run_import(HEADER + "".join(rows), skip_invalid=True)
    assert (report.imported, [e.line for e in report.errors]) == (6, [6])
    _verify(demo_factory)


@pytest.mark.parametrize("update_existing", [False, True])
def test_a_row_repeating_one_written_by_an_earlier_batch_is_a_duplicate(
    run_import, small_batches, update_existing: bool
) -> None:
    """Earlier batches are in the database by the time a later one is checked: they
    are this file's rows, not interns on record."""
    small_batches(2)
    rows = _rows(5).splitlines(keepends=True)
    again = rows[0].replace("Ana0,", "Anna0,")  # line 7: line 2's school and student id
    report = run_import(
        HEADER + "".join(rows) + again, skip_invalid=True, update_existing=update_existing
    )
    assert [(e.line, e.message) for e in report.errors] == [
        (7, "same school and student id as line 2")
    ]
    assert (report.imported, report.updated) == (5, 0)


def test_update_existing_across_batches_updates_each_intern_once(
    run_import, demo_factory, small_batches
) -> None:
    assert run_import(HEADER + _rows(5)).imported == 5
    small_batches(2)
    changed = _rows(5).replace("Rosa Ruiz", "Rosa M. Ruiz")
    report = run_import(HEADER + changed, update_existing=True)
    assert (report.imported, report.updated, report.errors) == (0, 5, [])
    with db.read_session(demo_factory, SYSTEM) as s:
        names = s.scalars(select(InternContact.name).where(InternContact.name.like("Rosa M.%")))
        assert len(list(names)) == 5
    _verify(demo_factory)


def test_the_error_list_is_capped_and_says_so(run_import, monkeypatch, counts) -> None:
    monkeypatch.setattr(result, "MAX_LISTED", 4)
    bad = "".join(f"A{i},B{i},2008-02-30,Nowhere High,{i},,,\r\n" for i in range(5))
    report = run_import(HEADER + bad, dry_run=True)  # two errors a row: 10
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "birth_date"),
        (2, "school"),
        (3, "birth_date"),
        (3, "school"),
    ]
    assert (report.error_count, report.errors_not_listed, report.has_row_errors) == (10, 6, True)
    assert report.to_json()["errors_not_listed"] == 6
    text = report.to_text("r.csv").splitlines()
    assert text[1] == "10 errors, 0 warnings"
    assert text[6] == "6 errors more not listed (only the first 4 are)"
    assert [o.action for o in report.outcomes] == ["invalid"] * 5


# -- limits ------------------------------------------------------------------------------


def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk (NUL bytes: reading it would be
    refused as "not text", so a size refusal proves nothing was read)."""
    with path.open("wb") as f:
        f.truncate(size)
    return path


def test_a_file_over_the_limit_is_refused_before_it_is_read(run_import, tmp_path, counts) -> None:
    before = counts()
    big = _sparse(tmp_path / "big.csv", limits.MAX_FILE_BYTES + 1)
    with pytest.raises(ImportRefused) as refused:
        run_import(big)
    assert str(refused.value) == (
        "the file is 64.1 MB, over the 64 MB a roster may be (a roster of interns is a few "
        "thousand rows at most, and the limit keeps an import's memory and time bounded; "
        "split the file)"
    )
    assert counts() == before
    just_under = _sparse(tmp_path / "ok.csv", limits.MAX_FILE_BYTES)
    with pytest.raises(ImportRefused, match="not text"):  # read: it was not too big
        run_import(just_under, dry_run=True)


class _Pipe(io.RawIOBase):
    """Bytes that cannot be sought, as standard input from a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._data.readinto(buffer)


def test_a_pipe_is_read_up_to_the_limit_only(run_import, monkeypatch) -> None:
    data = (HEADER + _rows(3)).encode()
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", len(data))
    assert run_import(io.BufferedReader(_Pipe(data)), dry_run=True).would_import == 3
    with pytest.raises(ImportRefused, match="MB a roster may be"):
        run_import(io.BufferedReader(_Pipe(data + b"x")), dry_run=True)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # One 100,000-character line: refused without holding it.
        (HEADER + "Ana,Ruiz,2008-01-01,Auburn High School," + "9" * 100_000 + "\r\n", 2),
        # A quote left open: the rest of the file would be one cell.
        (HEADER + "Ana,Ruiz\r\n" + 'Bo,"Lee\r\n' + "Cy,Park,2008-01-01\r\n" * 5_000, 3),
        # A header too long to be one.
        ("\r\n\r\n" + "First," * 20_000 + "\r\n", 3),
    ],
    ids=["long-line", "open-quote", "long-header"],
)
def test_a_row_longer_than_the_limit_is_refused_by_line(text: str, line: int) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_table(text.encode())
    assert str(refused.value) == (
        f"line {line} cannot be read: its row is longer than 65,536 characters "
        "(a quote opened there and never closed?)"
    )


def test_a_file_changed_between_the_passes_is_refused(tmp_path: Path, monkeypatch) -> None:
    from internhost.core.importers import reading

    path = tmp_path / "r.csv"
    path.write_bytes((HEADER + _rows(3)).encode())
    real = reading._survey

    def then_changed(stream: Any) -> Any:
        found = real(stream)
        path.write_bytes((HEADER + _rows(3, start=50)).encode())  # the same size, in place
        return found

    monkeypatch.setattr(reading, "_survey", then_changed)
    with (
        pytest.raises(ImportRefused, match="changed while it was being read"),
        reading.open_roster(path) as r,
    ):
        list(r.records())


# -- memory ------------------------------------------------------------------------------


def _peak(run: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def roster_files(tmp_path: Path) -> Iterator[Callable[[int, int], Path]]:
    def write(rows: int, start: int) -> Path:
        path = tmp_path / f"roster-{rows}-{start}.csv"
        path.write_bytes((HEADER + _rows(rows, start=start)).encode())
        return path

    yield write


@pytest.mark.parametrize(
    ("dry_run", "batch", "rows"),
    [(True, 100, 500), (False, 40, 120)],
    ids=["dry-run", "import"],
)
def test_memory_grows_with_the_batch_not_the_file(
    run_import, small_batches, roster_files, dry_run: bool, batch: int, rows: int
) -> None:
    """Four times the rows, the same batches: the peak of Python's allocations barely
    moves (a few dozen bytes a row for its outcome; the duplicate keys live in SQLite).
    Reading the whole file, as the import once did, grew with it: 1.14 GB for a dry
    run of 410,731 rows, 2.49 GB for their import."""
    small_batches(batch)
    run_import(roster_files(20, 90_000))  # warm: rule packs, statement caches, imports
    small, large = roster_files(rows, 0), roster_files(rows * 4, 10_000)
    small_peak = _peak(lambda: run_import(small, dry_run=dry_run))
    large_peak = _peak(lambda: run_import(large, dry_run=dry_run))
    assert large_peak < small_peak * 1.25, (small_peak, large_peak)
