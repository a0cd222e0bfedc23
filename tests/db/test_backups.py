"""Backups and restore: checked copies while the app writes, rotation, safe restores."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections import Counter
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import Conflict, PermissionDenied, ValidationError
from internhost.core.storage import backups, db, migrate

REPO = Path(__file__).resolve().parents[2]
VIEWER = Actor(Role.VIEWER, "vic")
MENTOR = Actor(Role.MENTOR, "max")


def _add_probe(path: Path, rows: int = 0) -> None:
    """A table of our own beside the schema, to see what a copy holds."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS probe "
            "(id INTEGER PRIMARY KEY, batch INTEGER, part INTEGER, pad BLOB)"
        )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO probe (batch, part, pad) VALUES (?, ?, randomblob(200))",
            [(-1 - i, 0) for i in range(rows)],
        )
        conn.execute("COMMIT")


def _batches(path: Path) -> list[int]:
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        return [r[0] for r in conn.execute("SELECT batch FROM probe ORDER BY id")]


def _in_folder(path: Path) -> list[str]:
    folder = backups.backup_dir_for(path)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- making backups --------------------------------------------------------------


def test_the_backups_folder_is_a_sibling(tmp_path: Path) -> None:
    assert backups.backup_dir_for(tmp_path / "internhost.db") == tmp_path / "internhost.db.backups"


def test_a_backup_is_a_checked_consistent_copy_while_a_connection_writes(db_path: Path) -> None:
    _add_probe(db_path, rows=3000)
    stop = threading.Event()
    written = [0]
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with closing(db.connect_raw(db_path, TEST_KEY)) as conn:
                while not stop.is_set():
                    conn.execute("BEGIN")
                    for part in (1, 2, 3):  # every batch is three rows, or none
                        conn.execute(
                            "INSERT INTO probe (batch, part, pad) VALUES (?, ?, randomblob(300))",
                            (written[0], part),
                        )
                    conn.execute("COMMIT")
                    written[0] += 1
        except BaseException as exc:
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        taken = []
        while len(taken) < 5 or written[0] < 50:
            taken.append(backups.make_backup(db_path, actor=SYSTEM, key=TEST_KEY))
            if len(taken) > 200:
                break
    finally:
        stop.set()
        writer.join(30)
    assert not failures
    assert written[0] >= 50
    seen = []
    for info in taken:
        assert info.kind == "manual"
        assert info.path.parent == backups.backup_dir_for(db_path)
        assert info.size == info.path.stat().st_size > 0
        assert db.integrity_problems(info.path, TEST_KEY) == []
        assert db.schema_revision(info.path, TEST_KEY) == migrate.HEAD
        batches = [b for b in _batches(info.path) if b >= 0]
        counts = Counter(batches)
        assert set(counts.values()) <= {3}, "a half-written transaction in the copy"
        assert sorted(counts) == list(range(len(counts)))  # a prefix of what was written
        seen.append(len(counts))
        # self-contained: no log beside the copy
        assert not info.path.with_name(info.path.name + "-wal").exists()
    assert seen == sorted(seen) and seen[-1] > 0
    assert len({i.path for i in taken}) == len(taken)  # same second: distinct names
    assert not [n for n in _in_folder(db_path) if n.endswith(".partial")]


def test_a_backup_to_a_file_or_folder(db_path: Path, tmp_path: Path) -> None:
    _add_probe(db_path, rows=5)
    out = tmp_path / "elsewhere" / "copy.db"
    info = backups.make_backup(db_path, out, actor=SYSTEM, key=TEST_KEY)
    assert info.path == out
    assert _batches(out) == _batches(db_path)

    with pytest.raises(Conflict, match="already exists"):
        backups.make_backup(db_path, out, actor=SYSTEM, key=TEST_KEY)
    assert backups.make_backup(db_path, out, actor=SYSTEM, overwrite=True, key=TEST_KEY).path == out

    folder = tmp_path / "usb"
    folder.mkdir()
    info = backups.make_backup(db_path, folder, actor=SYSTEM, key=TEST_KEY)
    assert info.path.parent == folder
    assert info.path.name.startswith("internhost.manual.")

    for own in (db_path, db_path.with_name(db_path.name + "-wal")):
        with pytest.raises(ValidationError, match="the database"):
            backups.make_backup(db_path, own, actor=SYSTEM, overwrite=True, key=TEST_KEY)
    assert db.integrity_problems(db_path, TEST_KEY) == []


def test_a_copy_that_fails_its_check_is_deleted(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "integrity_problems", lambda path, key=None: ["page 7: broken"])
    with pytest.raises(db.DatabaseError, match="integrity check: page 7"):
        backups.make_backup(db_path, actor=SYSTEM, key=TEST_KEY)
    assert _in_folder(db_path) == []


def test_no_backup_of_a_missing_empty_or_foreign_file(tmp_path: Path) -> None:
    with pytest.raises(db.DatabaseError, match="no database"):
        backups.make_backup(tmp_path / "missing.db", actor=SYSTEM, key=TEST_KEY)
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(db.DatabaseError, match="nothing to back up"):
        backups.make_backup(empty, actor=SYSTEM, key=TEST_KEY)
    foreign = tmp_path / "recipes.db"
    with closing(db.connect_raw(foreign, create=True, wal=False)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    before = foreign.read_bytes()
    with pytest.raises(db.DatabaseError, match="not an InternHost database"):
        backups.make_backup(foreign, actor=SYSTEM)  # an unencrypted file: no key
    assert foreign.read_bytes() == before
    assert not backups.backup_dir_for(foreign).exists()


@pytest.mark.parametrize("actor", [VIEWER, MENTOR], ids=["viewer", "mentor"])
def test_only_who_maintains_the_database_backs_up_or_restores(
    db_path: Path, tmp_path: Path, actor: Actor
) -> None:
    with pytest.raises(PermissionDenied, match="may not back up"):
        backups.make_backup(db_path, actor=actor, key=TEST_KEY)
    assert _in_folder(db_path) == []
    copy = backups.make_backup(db_path, tmp_path / "b.db", actor=SYSTEM, key=TEST_KEY).path
    inode = db_path.stat().st_ino
    with pytest.raises(PermissionDenied):
        backups.restore(copy, db_path, actor=actor, key=TEST_KEY)
    assert db_path.stat().st_ino == inode  # not replaced
    assert [b.kind for b in backups.list_backups(db_path)] == []  # no safety copy either
    with closing(db.connect_raw(db_path, TEST_KEY)) as conn:
        refusals = conn.execute(
            "SELECT count(*) FROM audit_events WHERE aggregate_type = 'refusal'"
        ).fetchone()[0]
    assert refusals == 2  # the backup and the restore, each audited


# -- listing, daily backups and rotation -----------------------------------------


def test_list_backups_reads_names_and_keeps_to_its_own(db_path: Path) -> None:
    manual = backups.make_backup(
        db_path,
        actor=SYSTEM,
        created=datetime(2025, 3, 1, 9, 30).astimezone(),
        key=TEST_KEY,
    )
    folder = backups.backup_dir_for(db_path)
    (folder / "notes.txt").write_text("mine")
    (folder / "other.daily.20250301T093000+0000.db").write_bytes(b"")  # another database's
    pre_migration = migrate.backup_path_for(db_path, "0000_old")
    shutil.copyfile(manual.path, pre_migration)

    found = backups.list_backups(db_path)
    assert [(b.path, b.kind) for b in found] == [
        (pre_migration, "pre-migration"),  # taken now: newest
        (manual.path, "manual"),
    ]
    assert found[1].created == datetime(2025, 3, 1, 9, 30).astimezone()
    assert found[1].size == manual.path.stat().st_size
    assert backups.list_backups(db_path.with_name("gone.db")) == []


def _sunday_of(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def _expected_every_day(start: date, today: date) -> set[date]:
    """Rotation's rule restated for a backup on every day since ``start``."""
    days = (
        {today - timedelta(days=n) for n in range(7)}
        if today - start >= timedelta(6)
        else {start + timedelta(days=n) for n in range((today - start).days + 1)}
    )
    boundary = _sunday_of(min(days))
    weekly = {boundary - timedelta(weeks=k) for k in range(1, 5)}
    return days | {d for d in weekly if d >= start}


def _daily_days(path: Path) -> list[date]:
    return sorted(b.created.date() for b in backups.list_backups(path) if b.kind == "daily")


@pytest.fixture
def quick_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rotation is about names and dates: a plain file copy stands in for the online
    backup (about 60 ms each, mostly syncing), which the tests above exercise."""
    monkeypatch.setattr(db, "backup_to", lambda source, dest, key=None: shutil.copy(source, dest))


def test_rotation_over_sixty_days_of_starts(db_path: Path, quick_copies: None) -> None:
    start = date(2025, 1, 1)
    keepers = [
        backups.make_backup(
            db_path, actor=SYSTEM, kind=kind, created=datetime(2024, 12, 30, 8), key=TEST_KEY
        )
        for kind in ("manual", "pre-migration", "pre-restore")
    ]
    for n in range(60):
        today = start + timedelta(days=n)
        assert backups.daily_backup_due(db_path, today)
        info = backups.run_daily_backup(db_path, today, key=TEST_KEY)
        assert info is not None and info.kind == "daily"
        assert info.created.date() == today
        assert not backups.daily_backup_due(db_path, today)
        assert backups.run_daily_backup(db_path, today, key=TEST_KEY) is None  # once a day
        assert set(_daily_days(db_path)) == _expected_every_day(start, today), today
        assert len(_daily_days(db_path)) <= backups.KEEP_DAYS + backups.KEEP_WEEKS

    assert today == date(2025, 3, 1)  # a Saturday
    assert _daily_days(db_path) == [
        date(2025, 1, 26),  # the Sundays of the four ISO weeks before ...
        date(2025, 2, 2),
        date(2025, 2, 9),
        date(2025, 2, 16),
        *(date(2025, 2, 23) + timedelta(days=n) for n in range(7)),  # ... the last 7 days
    ]
    for keeper in keepers:  # never rotated away
        assert keeper.path.exists()


def test_rotation_counts_days_with_a_backup_not_calendar_days(
    db_path: Path, quick_copies: None
) -> None:
    started = [date(2025, 6, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16)]
    started += [date(2025, 8, 25), date(2025, 8, 26)]  # back after the summer
    for day in started:
        backups.run_daily_backup(db_path, day, key=TEST_KEY)
    assert _daily_days(db_path) == [
        date(2025, 6, 6),  # the newest of the ISO week before June 10's
        # the newest backup of each of the 7 most recent days that have one
        *(date(2025, 6, d) for d in (10, 11, 12, 13, 16)),
        date(2025, 8, 25),
        date(2025, 8, 26),
    ]


def test_rotation_keeps_the_newest_of_a_day_and_leaves_the_future_alone(db_path: Path) -> None:
    def daily(day: date, hour: int) -> Path:
        when = datetime.combine(day, datetime.min.time()).replace(hour=hour).astimezone()
        return backups.make_backup(
            db_path, actor=SYSTEM, kind="daily", created=when, key=TEST_KEY
        ).path

    early, late = daily(date(2025, 5, 1), 8), daily(date(2025, 5, 1), 17)
    future = daily(date(2030, 1, 1), 8)
    deleted = backups.rotate(db_path, date(2025, 5, 2))
    assert deleted == [early]
    assert late.exists() and future.exists()


def test_no_daily_backup_of_a_missing_or_new_database(tmp_path: Path) -> None:
    assert backups.run_daily_backup(tmp_path / "none.db", date(2025, 1, 1), key=TEST_KEY) is None
    empty = tmp_path / "empty.db"
    empty.touch()
    assert backups.run_daily_backup(empty, date(2025, 1, 1), key=TEST_KEY) is None
    assert not backups.backup_dir_for(empty).exists()


# -- restore ---------------------------------------------------------------------


def _backup_with(db_path: Path, tmp_path: Path, rows: int) -> Path:
    _add_probe(db_path, rows=rows)
    return backups.make_backup(db_path, tmp_path / "good.db", actor=SYSTEM, key=TEST_KEY).path


def test_restore_brings_the_data_back_and_keeps_the_current_file(
    db_path: Path, tmp_path: Path
) -> None:
    good = _backup_with(db_path, tmp_path, rows=20)
    with closing(db.connect_raw(db_path, TEST_KEY)) as conn:
        conn.execute("DELETE FROM probe WHERE id > 5")
    assert len(_batches(db_path)) == 5

    result = backups.restore(good, db_path, actor=SYSTEM, key=TEST_KEY)
    assert len(_batches(db_path)) == 20
    assert db.integrity_problems(db_path, TEST_KEY) == []
    assert result.revision == migrate.HEAD and result.upgraded_from is None
    assert result.safety_copy is not None and result.safety_copy.kind == "pre-restore"
    assert len(_batches(result.safety_copy.path)) == 5
    assert [b.kind for b in backups.list_backups(db_path)] == ["pre-restore"]
    assert not list(tmp_path.glob(".*restoring*"))
    # rotation never touches it
    backups.rotate(db_path, date.today() + timedelta(days=400))
    assert result.safety_copy.path.exists()


def test_restore_into_a_new_place(db_path: Path, tmp_path: Path) -> None:
    good = _backup_with(db_path, tmp_path, rows=3)
    target = tmp_path / "new-pc" / "internhost.db"
    result = backups.restore(good, target, actor=SYSTEM, key=TEST_KEY)
    assert result.safety_copy is None
    assert len(_batches(target)) == 3


def _kill_after_writing(path: Path, batch: int) -> None:
    """Leave a ``-wal`` holding a committed row beside ``path``, as a crash does."""
    code = (
        "import sys, time\n"
        "from sqlcipher3 import dbapi2 as sqlite3\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        f"c.execute({TEST_KEY.pragma()!r})\n"
        "c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        f"c.execute('INSERT INTO probe (batch, part) VALUES ({batch}, 0)')\n"
        "print('written', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    finally:
        proc.kill()
        proc.wait()
    assert path.with_name(path.name + "-wal").stat().st_size > 0


def test_a_crashed_runs_log_is_saved_with_the_old_file_not_replayed_into_the_new(
    db_path: Path, tmp_path: Path
) -> None:
    good = _backup_with(db_path, tmp_path, rows=4)
    _kill_after_writing(db_path, batch=777)

    result = backups.restore(good, db_path, actor=SYSTEM, key=TEST_KEY)
    assert 777 not in _batches(db_path)
    assert result.safety_copy is not None
    assert 777 in _batches(result.safety_copy.path)


def test_a_damaged_database_is_replaced_and_its_bytes_and_a_foreign_log_kept(
    db_path: Path, tmp_path: Path
) -> None:
    good = _backup_with(db_path, tmp_path, rows=4)
    # A log of another state of the same schema: replayed, it would add batch 999.
    other = tmp_path / "other.db"
    shutil.copyfile(good, other)
    _kill_after_writing(other, batch=999)
    garbage = b"\x00\xffnot a database any more" * 500
    db_path.write_bytes(garbage)
    wal = db_path.with_name(db_path.name + "-wal")
    shutil.copyfile(other.with_name("other.db-wal"), wal)

    result = backups.restore(good, db_path, actor=SYSTEM, key=TEST_KEY)
    assert not wal.exists()
    assert _batches(db_path) == _batches(good)  # no 999: the foreign log was not replayed
    assert db.integrity_problems(db_path, TEST_KEY) == []
    assert result.safety_copy is not None
    assert result.safety_copy.path.read_bytes() == garbage
    assert result.safety_copy.path.with_name(result.safety_copy.path.name + "-wal").exists()


def _garbage(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"shopping list: milk, eggs\n" * 400)
    return path


def _damaged_pages(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    page = 4096  # SQLCipher's page size (its header is encrypted too)
    assert len(data) > 8 * page
    for n in range(2, len(data) // page, 2):  # scribble over every other page
        data[n * page + 8 : n * page + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))
    return path


def _newer_schema(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "newer.db"
    shutil.copyfile(good, path)
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return path


def _empty(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "empty.db"
    path.touch()
    return path


def _foreign(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "recipes.db"
    with closing(db.connect_raw(path, create=True, wal=False)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_garbage, "not a sound database backup: file is not a database"),
        (_damaged_pages, "damaged|malformed"),
        (_newer_schema, "newer InternHost .schema 9999_from_the_future"),
        (_empty, "empty database"),
        (_foreign, "not encrypted"),
        (lambda tmp, good: tmp / "missing.db", "no backup file"),
    ],
    ids=["garbage", "damaged pages", "newer schema", "empty", "foreign", "missing"],
)
def test_restore_refuses_a_bad_backup_and_touches_nothing(
    db_path: Path, tmp_path: Path, make, message: str
) -> None:
    good = _backup_with(db_path, tmp_path, rows=300)
    bad = make(tmp_path, good)
    with closing(db.connect_raw(db_path, TEST_KEY)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()
    with pytest.raises(backups.BackupRefused, match=message):
        backups.restore(bad, db_path, actor=SYSTEM, key=TEST_KEY)
    assert db_path.read_bytes() == before
    assert backups.list_backups(db_path) == []  # not even a safety copy
    assert not list(tmp_path.glob(".*restoring*"))


def test_restore_refuses_the_database_itself(db_path: Path) -> None:
    with pytest.raises(backups.BackupRefused, match="the database itself"):
        backups.restore(db_path, db_path, actor=SYSTEM, key=TEST_KEY)


def test_restore_refuses_while_another_connection_has_the_file_open(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    good = _backup_with(db_path, tmp_path, rows=3)
    with closing(db.connect_raw(db_path, TEST_KEY)) as conn:
        conn.execute("DELETE FROM probe")
        conn.execute("SELECT count(*) FROM probe").fetchone()  # open, idle
        with pytest.raises(db.DatabaseError, match="in use"):
            backups.restore(good, db_path, actor=SYSTEM, key=TEST_KEY)
        assert conn.execute("SELECT count(*) FROM probe").fetchone()[0] == 0
    assert _batches(db_path) == []
    assert not list(tmp_path.glob(".*restoring*"))


def test_an_older_backup_is_upgraded_after_the_restore(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An app whose head is one step further sees every backup as older. Alembic (whose
    # scripts end at the real head) has nothing to do, but the restore must still hand
    # the file to the upgrade, which backs it up first.
    good = _backup_with(db_path, tmp_path, rows=2)
    real_head = migrate.HEAD
    monkeypatch.setattr(migrate, "HEAD", "0099_next")
    result = backups.restore(good, db_path, actor=SYSTEM, key=TEST_KEY)
    assert result.revision == real_head
    assert result.upgraded_from is not None and result.upgraded_from.exists()
    assert result.upgraded_from.parent == db_path.parent
    assert len(_batches(db_path)) == 2
    assert "pre-migration" in {b.kind for b in backups.list_backups(db_path)}
