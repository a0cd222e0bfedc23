"""Encryption at rest: what plain SQLite sees, wrong keys, the keyring wrapper, key
sourcing, the one-way encryption, rekey, backups, worker processes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from testkeys import OTHER_KEY, PASSPHRASE, TEST_KEY, TESTS, remember, stored_key, unencrypted_copy

from internhost.core import workers
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.storage import backups, db, encryption, keys, migrate, secrets
from internhost.core.storage.db import DatabaseKey

VIEWER = Actor(Role.VIEWER, "Vera Viewer", user_id=3)


def _interns(path: Path, key: DatabaseKey | None = TEST_KEY) -> int:
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        return conn.execute("SELECT count(*) FROM interns").fetchone()[0]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- what is on disk ---------------------------------------------------------------


def test_plain_sqlite3_reads_nothing_from_the_encrypted_file(demo_path: Path) -> None:
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = conn.execute("SELECT legal_last_name FROM interns LIMIT 1").fetchone()[0]
    with closing(sqlite3.connect(demo_path)) as plain, pytest.raises(sqlite3.DatabaseError) as e:
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    assert "file is not a database" in str(e.value)
    data = demo_path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for needle in (name.encode(), b"CREATE TABLE", b"interns", b"alembic_version"):
        assert needle not in data
    assert keys.file_state(demo_path) == "encrypted"


def test_without_a_key_the_driver_reads_nothing_either(demo_path: Path) -> None:
    with pytest.raises(db.DatabaseError, match="file is not a database"):
        db.schema_revision(demo_path)
    assert not keys.opens(demo_path, None)


def test_a_wrong_key_is_refused_and_touches_nothing(demo_path: Path) -> None:
    folder = demo_path.parent
    before = _files(folder)
    assert not keys.opens(demo_path, OTHER_KEY)
    assert not keys.opens(demo_path, DatabaseKey(passphrase="not the passphrase"))
    with pytest.raises(db.DatabaseError, match="file is not a database"):
        db.schema_revision(demo_path, OTHER_KEY)
    with pytest.raises(db.DatabaseError, match="file is not a database"):
        migrate.upgrade_to_head(demo_path, OTHER_KEY)
    with pytest.raises(Exception, match="file is not a database"):
        db.integrity_problems(demo_path, OTHER_KEY)  # not reported as damage
    engine = db.make_engine(demo_path, OTHER_KEY, create=False)
    try:
        with pytest.raises(Exception) as caught, engine.connect():
            pass
        assert db.driver_complaint(caught.value) == "file is not a database"
    finally:
        engine.dispose()
    with pytest.raises(backups.BackupRefused):
        backups.verify_backup(demo_path, key=OTHER_KEY)
    assert _files(folder) == before  # no backup, no -wal, not a byte changed


def test_a_passphrase_key_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "phrase.db"
    key = DatabaseKey(passphrase=PASSPHRASE)
    migrate.upgrade_to_head(path, key)
    assert db.schema_revision(path, key) == migrate.HEAD
    assert not keys.opens(path, DatabaseKey(passphrase=PASSPHRASE + "!"))
    assert not keys.opens(path, TEST_KEY)
    engine = db.make_engine(path, key, create=False)
    try:
        with engine.connect() as conn:  # the engine's pragmas still run after the key
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_a_backup_is_encrypted_with_the_same_key(demo_path: Path, tmp_path: Path) -> None:
    info = backups.make_backup(demo_path, tmp_path / "copy.db", actor=SYSTEM, key=TEST_KEY)
    assert keys.file_state(info.path) == "encrypted"
    assert _interns(info.path) == _interns(demo_path) == 24
    assert not keys.opens(info.path, None)


def test_database_keys_check_their_shape_and_never_show_the_secret() -> None:
    with pytest.raises(ValueError):
        DatabaseKey()
    with pytest.raises(ValueError):
        DatabaseKey(raw_hex="ab" * 31)
    with pytest.raises(ValueError):
        DatabaseKey(raw_hex=TEST_KEY.raw_hex, passphrase="x")
    with pytest.raises(ValueError):
        DatabaseKey(passphrase="")
    assert TEST_KEY.raw_hex not in repr(TEST_KEY) + str(TEST_KEY)
    assert PASSPHRASE not in repr(DatabaseKey(passphrase=PASSPHRASE))
    assert TEST_KEY.pragma() == f"PRAGMA key = \"x'{TEST_KEY.raw_hex.upper()}'\""
    assert DatabaseKey(passphrase='say "hi"').pragma() == 'PRAGMA key = "say ""hi"""'


def test_the_engine_url_never_shows_the_key(db_path: Path) -> None:
    engine = db.make_engine(db_path, TEST_KEY)
    try:
        assert TEST_KEY.raw_hex.upper() not in str(engine.url) + repr(engine.url) + repr(engine)
    finally:
        engine.dispose()


# -- the keyring wrapper -------------------------------------------------------------


def test_the_fail_backend_means_no_keyring(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    assert "no keyring works" in (secrets.keyring_problem() or "")
    assert secrets.read_database_key(tmp_path / "x.db") is None
    with pytest.raises(secrets.KeyringUnavailable):
        secrets.store_database_key(tmp_path / "x.db", TEST_KEY)


def test_a_plain_file_keyring_is_never_used(tmp_path: Path, test_keyring: Path) -> None:
    from testkeys import FileKeyring

    class PlaintextKeyring(FileKeyring):  # stands in for keyrings.alt.file's
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    assert "plain file" in (secrets.keyring_problem() or "")
    with pytest.raises(secrets.KeyringUnavailable):
        secrets.store_database_key(tmp_path / "x.db", TEST_KEY)
    assert not test_keyring.exists()


def test_keys_are_kept_per_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    secrets.store_database_key("rel.db", TEST_KEY)
    assert secrets.read_database_key(tmp_path / "rel.db") == TEST_KEY
    assert secrets.read_database_key(tmp_path / "other.db") is None
    secrets.store_database_key(tmp_path / "rel.db", DatabaseKey(passphrase=PASSPHRASE))
    assert secrets.read_database_key("rel.db") == DatabaseKey(passphrase=PASSPHRASE)
    secrets.forget_database_key("rel.db")
    assert secrets.read_database_key("rel.db") is None


# -- where keys come from --------------------------------------------------------------


def test_file_states(tmp_path: Path, db_path: Path) -> None:
    assert keys.file_state(tmp_path / "none.db") == "absent"
    (tmp_path / "empty.db").touch()
    assert keys.file_state(tmp_path / "empty.db") == "empty"
    assert keys.file_state(db_path) == "encrypted"
    plain = tmp_path / "plain.db"
    migrate.upgrade_to_head(plain)
    assert keys.file_state(plain) == "plain"
    (tmp_path / "notes.db").write_text("milk, eggs\n" * 30)
    with pytest.raises(db.DatabaseError, match="not a database"):
        keys.file_state(tmp_path / "notes.db")
    with pytest.raises(db.DatabaseError, match="folder"):
        keys.file_state(tmp_path)


def test_a_recovery_key_is_accepted_as_printed() -> None:
    from internhost.core.reports.recovery_sheet import key_lines

    typed = "\n".join(key_lines(TEST_KEY)).lower()
    assert keys.candidates(typed)[0] == TEST_KEY
    assert keys.candidates(TEST_KEY.raw_hex.upper())[0] == TEST_KEY
    dashed = "-".join(TEST_KEY.raw_hex[i : i + 4] for i in range(0, 64, 4))
    assert keys.candidates(dashed)[0] == TEST_KEY
    assert keys.candidates(PASSPHRASE) == [DatabaseKey(passphrase=PASSPHRASE)]


def test_opening_tries_the_keyring_then_the_variable_then_the_prompt(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def prompt(question: str) -> str | None:
        asked.append(question)
        return TEST_KEY.raw_hex

    assert keys.key_for_opening(db_path, prompt=prompt) == keys.Unlocked(TEST_KEY, "keyring")
    secrets.forget_database_key(db_path)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, TEST_KEY.raw_hex)
    assert keys.key_for_opening(db_path, prompt=prompt).source == "environment"
    assert stored_key(db_path) == TEST_KEY  # kept under this path for next time
    secrets.forget_database_key(db_path)
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    assert keys.key_for_opening(db_path, prompt=prompt).source == "prompt"
    assert asked and str(db_path) in asked[0]


def test_no_key_and_a_wrong_key_say_what_to_do(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets.forget_database_key(db_path)
    with pytest.raises(keys.NoKey, match="INTERNHOST_PASSPHRASE"):
        keys.key_for_opening(db_path, prompt=lambda q: None)
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(keys.NoKey, match="no keyring works"):
        keys.key_for_opening(db_path)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "a wrong passphrase")
    with pytest.raises(keys.WrongKey, match="INTERNHOST_PASSPHRASE did not open"):
        keys.key_for_opening(db_path)


def test_a_wrong_key_in_the_keyring_is_not_the_end(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember(db_path, OTHER_KEY)
    with pytest.raises(keys.WrongKey, match="keyring"):
        keys.key_for_opening(db_path)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, TEST_KEY.raw_hex)
    assert keys.key_for_opening(db_path).key == TEST_KEY
    assert stored_key(db_path) == TEST_KEY  # the wrong entry is replaced


def test_a_moved_database_is_stored_again_under_its_new_path(db_path: Path) -> None:
    moved = db_path.with_name("moved.db")
    db_path.rename(moved)
    assert stored_key(moved) is None
    unlocked = keys.key_for_opening(moved, prompt=lambda q: " ".join(TEST_KEY.raw_hex))
    assert unlocked == keys.Unlocked(TEST_KEY, "prompt")
    assert stored_key(moved) == TEST_KEY


def test_an_unencrypted_database_names_the_migration(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    migrate.upgrade_to_head(plain)
    with pytest.raises(keys.NotEncrypted, match="internhost encrypt"):
        keys.key_for_opening(plain)


def test_creating_prefers_the_variable_then_the_keyring_then_the_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    assert keys.key_for_creating() == keys.Unlocked(
        DatabaseKey(passphrase=PASSPHRASE), "environment"
    )
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "short")
    with pytest.raises(ValidationError, match="at least 10"):
        keys.key_for_creating()
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    first, second = keys.key_for_creating(), keys.key_for_creating()
    assert first.source == "keyring" and first.key.is_raw and first.key != second.key
    keyring.set_keyring(fail.Keyring())
    chosen = keys.key_for_creating(prompt_new=lambda: PASSPHRASE)
    assert chosen == keys.Unlocked(DatabaseKey(passphrase=PASSPHRASE), "prompt")
    with pytest.raises(keys.NoKey, match="passphrase must protect"):
        keys.key_for_creating(prompt_new=lambda: None)
    monkeypatch.setenv(keys.NEW_PASSPHRASE_ENV, PASSPHRASE)
    assert keys.key_for_creating(env=keys.NEW_PASSPHRASE_ENV).source == "environment"


# -- encrypt (one way) -----------------------------------------------------------------


def _plain_demo(tmp_path: Path, demo_path: Path) -> Path:
    """The sample database, unencrypted, with a daily backup: as before this issue."""
    plain = unencrypted_copy(demo_path, tmp_path / "old" / "internhost.db")
    assert keys.file_state(plain) == "plain"
    backups.make_backup(plain, actor=SYSTEM, kind="daily")
    return plain


def test_encrypt_migrates_an_unencrypted_database_one_way(tmp_path: Path, demo_path: Path) -> None:
    plain = _plain_demo(tmp_path, demo_path)
    before = _interns(plain, None)
    result = encryption.encrypt_database(plain, TEST_KEY, actor=SYSTEM)
    assert keys.file_state(plain) == "encrypted"
    assert _interns(plain) == before == 24
    assert db.integrity_problems(plain, TEST_KEY) == []
    assert not keys.opens(plain, None)
    copy = result.unencrypted_copy
    assert copy is not None and keys.file_state(copy) == "plain"  # the verified copy
    assert _interns(copy, None) == before
    assert [o.result for o in result.backups] == ["encrypted"]
    (daily,) = backups.list_backups(plain)
    assert keys.file_state(daily.path) == "encrypted" and _interns(daily.path) == before
    with pytest.raises(db.DatabaseError, match="already encrypted"):
        encryption.encrypt_database(plain, OTHER_KEY, actor=SYSTEM)
    assert keys.opens(plain, TEST_KEY)


def test_encrypt_can_leave_no_unencrypted_copy_and_needs_an_hr_admin(
    tmp_path: Path, demo_path: Path
) -> None:
    plain = _plain_demo(tmp_path, demo_path)
    with pytest.raises(PermissionDenied):
        encryption.encrypt_database(plain, TEST_KEY, actor=VIEWER)
    result = encryption.encrypt_database(plain, TEST_KEY, actor=SYSTEM, keep_unencrypted_copy=False)
    assert result.unencrypted_copy is None
    assert not list(plain.parent.glob("*unencrypted*"))


def test_the_unencrypted_copy_is_wiped_on_request_and_nothing_else_is(
    tmp_path: Path, demo_path: Path
) -> None:
    plain = _plain_demo(tmp_path, demo_path)
    other = tmp_path / "notes.db"
    other.write_bytes(b"x" * 10)
    with pytest.raises(db.DatabaseError, match="not the unencrypted copy"):
        encryption.discard_unencrypted_copy(other, plain, TEST_KEY)
    early = plain.with_name(f"{plain.stem}.unencrypted-20260101T000000Z{plain.suffix}")
    shutil.copyfile(plain, early)
    with pytest.raises(db.DatabaseError, match="not encrypted with this key yet"):
        encryption.discard_unencrypted_copy(early, plain, TEST_KEY)
    assert early.exists()
    early.unlink()
    copy = encryption.encrypt_database(plain, TEST_KEY, actor=SYSTEM).unencrypted_copy
    assert copy is not None
    with pytest.raises(db.DatabaseError, match="not the unencrypted copy"):
        encryption.discard_unencrypted_copy(plain, plain, TEST_KEY)
    with pytest.raises(db.DatabaseError, match="not encrypted with this key"):
        encryption.discard_unencrypted_copy(copy, plain, OTHER_KEY)  # a key with no way in
    assert copy.exists()
    encryption.discard_unencrypted_copy(copy, plain, TEST_KEY)
    assert not copy.exists() and other.exists()
    assert _interns(plain) == 24


def test_encrypt_refuses_a_database_in_use_and_changes_nothing(
    tmp_path: Path, demo_path: Path
) -> None:
    plain = _plain_demo(tmp_path, demo_path)
    before = plain.read_bytes()
    with closing(db.connect_raw(plain)) as holder:
        holder.execute("BEGIN IMMEDIATE")  # another program writing
        with pytest.raises(db.DatabaseError, match="in use"):
            encryption.encrypt_database(plain, TEST_KEY, actor=SYSTEM)
        holder.execute("ROLLBACK")
    assert plain.read_bytes() == before
    assert keys.file_state(plain) == "plain"
    assert not list(plain.parent.glob(".*encrypting*"))


def test_a_failed_export_leaves_the_database_as_it_was(
    tmp_path: Path, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _plain_demo(tmp_path, demo_path)
    before = plain.read_bytes()
    monkeypatch.setattr(encryption, "_table_counts", lambda path, key: {"interns": id(path)})
    with pytest.raises(db.DatabaseError, match="does not hold every row"):
        encryption.encrypt_database(plain, TEST_KEY, actor=SYSTEM, keep_unencrypted_copy=False)
    assert plain.read_bytes() == before
    assert not list(plain.parent.glob(".*encrypting*"))


# -- rekey -------------------------------------------------------------------------------


def test_rekey_then_the_new_key_opens_and_the_old_one_is_refused(demo_path: Path) -> None:
    today = date.today()
    for days_ago in (2, 1, 0):
        when = datetime.combine(today - timedelta(days=days_ago), datetime.min.time())
        backups.make_backup(demo_path, actor=SYSTEM, key=TEST_KEY, kind="daily", created=when)
    stray = backups.make_backup(demo_path, actor=SYSTEM, key=TEST_KEY, kind="manual")
    encryption.rekey_database(stray.path, TEST_KEY, OTHER_KEY, actor=SYSTEM)  # an odd one
    new = DatabaseKey(passphrase=PASSPHRASE)

    result = encryption.rekey_database(demo_path, TEST_KEY, new, actor=SYSTEM)

    assert keys.opens(demo_path, new) and not keys.opens(demo_path, TEST_KEY)
    assert _interns(demo_path, new) == 24
    outcomes = {o.path: o for o in result.backups}
    assert len(outcomes) == 4
    assert outcomes[stray.path].result == "skipped"
    for info in backups.list_backups(demo_path):
        if info.path != stray.path:
            assert outcomes[info.path].result == "re-encrypted"
            assert keys.opens(info.path, new) and not keys.opens(info.path, TEST_KEY)
    with pytest.raises(keys.WrongKey):
        encryption.rekey_database(demo_path, TEST_KEY, OTHER_KEY, actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        encryption.rekey_database(demo_path, new, OTHER_KEY, actor=VIEWER)


# -- worker processes ---------------------------------------------------------------------


def test_a_worker_process_gets_the_key_through_a_pipe(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "a secret the child must not inherit")
    worker = workers.start_worker(
        "workertarget:inspect",
        demo_path,
        TEST_KEY,
        Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7),
        args={"table": "interns"},
        cwd=TESTS,
    )
    result = worker.result(timeout=60)
    assert result["rows"] == 24
    assert result["first_intern"]
    assert result["actor"] == ["hr_admin", "Angela Ortiz", 7]
    assert result["passphrase_in_env"] is False
    assert TEST_KEY.raw_hex not in json.dumps(result["argv"]).lower()
    assert TEST_KEY.raw_hex not in json.dumps(result["environ"]).lower()


def test_the_probe_worker_and_a_failing_one(demo_path: Path) -> None:
    hr = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)
    probe = "internhost.core.workers:probe"
    assert workers.start_worker(probe, demo_path, TEST_KEY, hr).result(timeout=60) == {
        "revision": migrate.HEAD,
        "interns": 24,
    }
    bad = workers.start_worker(probe, demo_path, OTHER_KEY, hr)
    with pytest.raises(workers.WorkerFailed, match="not a database"):
        bad.result(timeout=60)
    with pytest.raises(ValueError):
        workers.start_worker("no_function_named", demo_path, TEST_KEY, hr)


@pytest.mark.parametrize(
    "actor", [SYSTEM, Actor(Role.HR_ADMIN, "nobody logged in")], ids=["system", "no account"]
)
def test_a_worker_never_acts_as_the_system(demo_path: Path, actor: Actor) -> None:
    with pytest.raises(ValueError, match="logged-in user"):
        workers.start_worker("internhost.core.workers:probe", demo_path, TEST_KEY, actor)
