"""Encrypting an unencrypted database (one way) and changing an encrypted one's key.

Both write a new file with ``sqlcipher_export`` (the SQLCipher way to move a whole
database between keys, or from no key to one), check it (``integrity_check`` and the
same row count in every table as the source) and only then ``os.replace`` it onto
the database: a failure at any step leaves the database as it was. Neither runs
while another connection has the database open.

``encrypt_database``: first a verified copy of the unencrypted file, kept beside it
as ``<stem>.unencrypted-<stamp><suffix>`` unless the caller says not to keep it (it
holds the records in the clear: the caller tells the user to delete it once the
encrypted database opens); then the encrypted file replaces the database, and the
unencrypted backups in its backups folder (and pre-migration copies) are encrypted
with the same key.

``rekey_database``: the database, then every backup the old key opens, get the new
key; a backup the old key does not open (an older key, damaged) is left alone and
reported.

Storing the key in the keyring and writing the recovery sheet are the caller's
(``commands/encryption.py``, the app), in the order that never loses the key.
"""

from __future__ import annotations

import os
import re
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from internhost.core import backups, db, keys
from internhost.core.actor import Actor, Permission, require
from internhost.core.db import DatabaseError, DatabaseKey

_EXPORT_SCHEMA = "encrypted"


@dataclass(frozen=True)
class BackupOutcome:
    path: Path
    #: "encrypted", "re-encrypted", "already" (the new key opens it) or "skipped".
    result: str
    reason: str = ""


@dataclass(frozen=True)
class EncryptResult:
    path: Path
    #: The verified unencrypted copy kept beside the database (None: not kept).
    unencrypted_copy: Path | None
    backups: list[BackupOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class RekeyResult:
    path: Path
    backups: list[BackupOutcome] = field(default_factory=list)


def _table_counts(path: Path, key: DatabaseKey | None) -> dict[str, int]:
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def export_to(
    source: Path, source_key: DatabaseKey | None, dest: Path, dest_key: DatabaseKey
) -> None:
    """Write ``source`` (opened with ``source_key``; None: unencrypted) into the new
    file ``dest`` encrypted with ``dest_key``, then verify ``dest``: sound, and every
    table holds as many rows as in the source. A failure deletes ``dest``."""
    if dest.exists():
        raise DatabaseError(f"{dest} is in the way; move it and try again")
    try:
        with closing(db.connect_raw(source, source_key, wal=False)) as conn:
            conn.execute(
                f"ATTACH DATABASE ? AS {_EXPORT_SCHEMA} KEY ?", (str(dest), dest_key.material)
            )
            try:
                conn.execute(f"SELECT sqlcipher_export('{_EXPORT_SCHEMA}')")
            finally:
                conn.execute(f"DETACH DATABASE {_EXPORT_SCHEMA}")
        problems = db.integrity_problems(dest, dest_key)
        if problems:
            raise DatabaseError(f"the encrypted copy failed its integrity check: {problems[0]}")
        if _table_counts(dest, dest_key) != _table_counts(source, source_key):
            raise DatabaseError("the encrypted copy does not hold every row of the original")
    except BaseException as exc:
        for p in (dest, dest.with_name(dest.name + "-journal")):
            p.unlink(missing_ok=True)
        complaint = db.driver_complaint(exc)
        if complaint is not None:
            raise DatabaseError(f"could not write {dest}: {complaint}") from exc
        raise


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _work_file(path: Path, what: str) -> Path:
    tmp = path.with_name(f".{path.name}.{what}")
    for p in (tmp, tmp.with_name(tmp.name + "-journal")):
        p.unlink(missing_ok=True)
    return tmp


def _refuse_if_in_use(path: Path, key: DatabaseKey | None) -> None:
    """Another connection, even an idle one, holding ``path`` makes an exclusive
    lock fail after the busy timeout: then nothing is changed."""
    try:
        with closing(db.connect_raw(path, key, wal=False)) as conn:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
    except Exception as exc:
        complaint = db.driver_complaint(exc) or str(exc)
        if "locked" in complaint or "busy" in complaint:
            raise DatabaseError(
                f"{path} is in use by another program (InternHost?); close it and try again"
            ) from None
        raise


def _settle(path: Path, key: DatabaseKey | None) -> None:
    """Fold the write-ahead log into the file and remove it, so no old log is
    replayed into the file that replaces this one (its content is in the export)."""
    with closing(db.connect_raw(path, key, wal=False)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    for suffix in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _replace(tmp: Path, path: Path, key: DatabaseKey | None) -> None:
    _settle(path, key)
    os.replace(tmp, path)


def encrypt_database(
    path: os.PathLike[str] | str,
    key: DatabaseKey,
    *,
    actor: Actor,
    keep_unencrypted_copy: bool = True,
) -> EncryptResult:
    """Encrypt the unencrypted InternHost database at ``path`` with ``key``, in place.

    In order: refuse a file that is not an unencrypted InternHost database, a damaged
    one, or one in use; (keep) a verified unencrypted copy; export into an encrypted
    file beside it and verify that; replace the database with it (atomic); encrypt
    the unencrypted backups. A failure before the replace leaves the file as it was.
    """
    require(actor, Permission.MAINTAIN_DATABASE)
    target = Path(path)
    state = keys.file_state(target)
    if state == "encrypted":
        raise DatabaseError(f"{target} is already encrypted")
    if state != "plain":
        raise DatabaseError(f"no database at {target}")
    if db.schema_revision(target) is None:
        raise DatabaseError(f"{target} is empty: there is nothing to encrypt")
    problems = db.integrity_problems(target)
    if problems:
        raise DatabaseError(
            f"{target} is damaged (integrity check: {problems[0]}); nothing was changed"
        )
    _refuse_if_in_use(target, None)
    copy = None
    if keep_unencrypted_copy:
        copy = target.with_name(f"{target.stem}.unencrypted-{_stamp()}{target.suffix}")
        db.backup_to(target, copy)  # verified (integrity_check) before it gets its name
    tmp = _work_file(target, "encrypting")
    export_to(target, None, tmp, key)
    _replace(tmp, target, None)
    outcomes = []
    for b in backups.list_backups(target):
        outcomes.append(_convert_backup(b.path, None, key))
    return EncryptResult(target, copy, outcomes)


def discard_unencrypted_copy(
    copy: os.PathLike[str] | str, database: os.PathLike[str] | str, key: DatabaseKey
) -> None:
    """Delete the unencrypted copy ``encrypt_database`` kept, once ``key`` opens the
    encrypted ``database``. Its bytes are overwritten first: a plain delete would leave
    the records readable on the disk (on an SSD that is best effort; the OS's disk
    encryption covers the rest, and covers the original file, which ``os.replace``
    released without overwriting). Refuses any file that is not such a copy."""
    copy, database = Path(copy), Path(database)
    expected = re.fullmatch(
        rf"{re.escape(database.stem)}\.unencrypted-\d{{8}}T\d{{6}}Z{re.escape(database.suffix)}",
        copy.name,
    )
    if copy.parent.resolve() != database.parent.resolve() or expected is None:
        raise DatabaseError(f"{copy} is not the unencrypted copy of {database}")
    if keys.file_state(copy) != "plain":
        raise DatabaseError(f"{copy} is not an unencrypted database; it was left alone")
    if keys.file_state(database) != "encrypted" or not keys.opens(database, key):
        raise DatabaseError(
            f"{database} is not encrypted with this key yet: its unencrypted copy stays"
        )
    size = copy.stat().st_size
    with copy.open("r+b") as fh:
        for start in range(0, size, _WIPE_CHUNK):
            fh.write(bytes(min(_WIPE_CHUNK, size - start)))
        fh.flush()
        os.fsync(fh.fileno())
    copy.unlink()


_WIPE_CHUNK = 1 << 20


def rekey_database(
    path: os.PathLike[str] | str,
    old_key: DatabaseKey,
    new_key: DatabaseKey,
    *,
    actor: Actor,
) -> RekeyResult:
    """Give the encrypted database at ``path`` (and its backups) ``new_key``.

    ``keys.WrongKey`` when ``old_key`` does not open it; nothing changes before the
    verified re-encrypted file replaces the database.
    """
    require(actor, Permission.MAINTAIN_DATABASE)
    target = Path(path)
    if keys.file_state(target) != "encrypted":
        raise DatabaseError(f"{target} is not an encrypted database")
    if not keys.opens(target, old_key):
        raise keys.WrongKey(f"the current key does not open {target}; nothing was changed")
    if old_key == new_key:
        raise DatabaseError("the new key is the current key; nothing was changed")
    _refuse_if_in_use(target, old_key)
    tmp = _work_file(target, "rekeying")
    export_to(target, old_key, tmp, new_key)
    _replace(tmp, target, old_key)
    outcomes = [_convert_backup(b.path, old_key, new_key) for b in backups.list_backups(target)]
    return RekeyResult(target, outcomes)


def _convert_backup(path: Path, old_key: DatabaseKey | None, new_key: DatabaseKey) -> BackupOutcome:
    """One backup to ``new_key``: a failure leaves it as it was, and is reported."""
    done = "re-encrypted" if old_key is not None else "encrypted"
    try:
        if old_key is None and keys.file_state(path) != "plain":
            if keys.opens(path, new_key):
                return BackupOutcome(path, "already")
            return BackupOutcome(path, "skipped", "it is encrypted with another key")
        if old_key is not None and not keys.opens(path, old_key):
            if keys.opens(path, new_key):
                return BackupOutcome(path, "already")
            return BackupOutcome(path, "skipped", "the old key does not open it")
        tmp = _work_file(path, "converting")
        export_to(path, old_key, tmp, new_key)
        _replace(tmp, path, old_key)
    except (DatabaseError, OSError) as exc:
        return BackupOutcome(path, "skipped", str(exc))
    return BackupOutcome(path, done)
