"""Encrypting an unencrypted database (one way) and changing an encrypted one's key.

Both write new files with ``sqlcipher_export`` (the SQLCipher way to move a whole
database between keys, or from no key to one), check each (``integrity_check`` and
the same row count in every table as the source) and only then rename them onto
the database and its backups: a failure at any step leaves them as they were. Both
hold the database to themselves (``core.dblock``).

Resumable: the files still to do are journalled in the run's note (``core.runs``;
paths only, never a key). Phase 1 writes every converted copy; phase 2 renames them,
the database first, from a list journalled before the first rename. A run killed in
phase 1 changed nothing the app uses, and the next permitted start removes its work
files; killed in phase 2, the next start finishes the renames (``finish``), which
needs no key at all. So no file is ever left unencrypted or under a key nothing
holds: the old key stays in the keyring until the new one has replaced it
everywhere.

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
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from internhost.core.actor import Actor, Permission
from internhost.core.fileio import files
from internhost.core.storage import backups, db, dblock, keys, runs, secrets
from internhost.core.storage.db import DatabaseError, DatabaseKey
from internhost.core.trail import login_guard

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
    """The converted file's name while it is being written (hidden, beside ``path``)."""
    return path.with_name(f".{path.name}.{what}")


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


# -- the conversion, in two phases ------------------------------------------------


@dataclass
class _Plan:
    """What a conversion does: every file it re-encrypts, each into a work file."""

    op: str  # "encrypt" or "rekey"
    database: Path
    old_key: DatabaseKey | None
    new_key: DatabaseKey
    #: (file, its work file), the database first.
    files: list[tuple[Path, Path]] = field(default_factory=list)
    outcomes: list[BackupOutcome] = field(default_factory=list)


def _plan(op: str, database: Path, old_key: DatabaseKey | None, new: DatabaseKey) -> _Plan:
    plan = _Plan(op, database, old_key, new)
    plan.files.append((database, _work_file(database, f"{op}ing")))
    done = "re-encrypted" if old_key is not None else "encrypted"
    for b in backups.list_backups(database):
        skip = _skip_reason(b.path, old_key, new)
        if skip is None:
            plan.files.append((b.path, _work_file(b.path, "converting")))
            plan.outcomes.append(BackupOutcome(b.path, done))
        else:
            plan.outcomes.append(BackupOutcome(b.path, *skip))
    return plan


def _skip_reason(
    path: Path, old_key: DatabaseKey | None, new_key: DatabaseKey
) -> tuple[str, str] | None:
    """Why a backup is left as it is (``("already", "")`` when the new key opens it),
    or None when it is converted."""
    try:
        if old_key is None and keys.file_state(path) == "plain":
            return None
        if old_key is not None and keys.opens(path, old_key):
            return None
        if keys.opens(path, new_key):
            return ("already", "")
    except (DatabaseError, OSError) as exc:
        return ("skipped", str(exc))
    if old_key is None:
        return ("skipped", "it is encrypted with another key")
    return ("skipped", "the old key does not open it")


def _convert(plan: _Plan, run: runs.Run, entry: dict[str, object]) -> None:
    """Phase 1: write every file's converted copy and check it. Nothing the app uses
    changes; the work files join the journal ``entry`` (with what it holds already),
    so a run killed here is undone by the next permitted start: it removes them all.
    A backup that fails to convert is left as it was and reported; the database
    failing stops everything, and removes what the entry names."""
    run.extend_work(entry, [w for _, tmp in plan.files for w in files.work_file_names(tmp)])
    try:
        for source, tmp in list(plan.files):
            files.remove(*files.work_file_names(tmp))
            try:
                export_to(source, plan.old_key, tmp, plan.new_key)
            except (DatabaseError, OSError) as exc:
                if source == plan.database:
                    raise
                plan.files.remove((source, tmp))
                plan.outcomes = [
                    BackupOutcome(o.path, "skipped", str(exc)) if o.path == source else o
                    for o in plan.outcomes
                ]
    except BaseException:
        files.shred_or_remove(*runs.entry_files(entry))
        run.drop_work(entry)
        raise
    run.promote(
        entry,
        {
            "op": plan.op,
            "database": str(plan.database),
            "renames": [[str(tmp), str(source)] for source, tmp in plan.files],
        },
    )


def _commit(plan: _Plan, run: runs.Run) -> None:
    """Phase 2: rename every converted copy over its file, the database first. The
    journal lists the renames before the first one, so an interrupted commit is
    finished by ``finish`` without any key: a work file still there is renamed."""
    for source, tmp in plan.files:
        if source == plan.database:
            _settle(source, plan.old_key)
        _rename(tmp, source)
    run.update(pending=None)


def _rename(tmp: Path, final: Path) -> None:
    """One rename of the commit (a crash between two is what ``finish`` mends)."""
    files.replace(tmp, final)


def finish(database: Path, pending: dict[str, Any]) -> str:
    """Finish (or undo) a conversion a killed run left (``core.recovery``), and say what
    was done. Its database not yet renamed: nothing the app uses had changed, so the
    work files go and the old key stays. Renamed: the remaining backups are renamed
    too, and a rekey's new key replaces the old one in the keyring."""
    op = str(pending.get("op"))
    renames = [(Path(a), Path(b)) for a, b in pending.get("renames", [])]
    db_tmp = next((tmp for tmp, final in renames if final == database), None)
    if db_tmp is not None and db_tmp.exists():
        for tmp, _ in renames:
            files.remove(*files.work_file_names(tmp))
        if op == "rekey":
            secrets.forget_database_key(database, pending=True)
        return f"The interrupted {op} had not changed the database; it was undone"
    finished = 0
    for tmp, final in renames:
        if tmp.exists():
            _rename(tmp, final)
            finished += 1
    if op == "rekey":
        _promote_new_key(database)
    return f"Finished the interrupted {op}: {finished} more backup(s) now use the database's key"


def _promote_new_key(database: Path) -> None:
    """The rekey is done: its new key becomes the kept key (where a keyring held it)."""
    new = secrets.read_database_key(database, pending=True)
    if new is not None:
        try:
            secrets.store_database_key(database, new)
        except secrets.KeyringUnavailable:
            secrets.forget_database_key(database)  # the old key no longer opens it
        secrets.forget_database_key(database, pending=True)


# -- encrypt and rekey -----------------------------------------------------------------


def encrypt_database(
    path: os.PathLike[str] | str,
    key: DatabaseKey,
    *,
    actor: Actor,
    keep_unencrypted_copy: bool = True,
) -> EncryptResult:
    """Encrypt the unencrypted InternHost database at ``path`` with ``key``, in place,
    and its unencrypted backups with it.

    Holding the database to itself (``core.dblock``): refuse a file that is not an
    unencrypted InternHost database, a damaged one, or one in use; (keep) a verified
    unencrypted copy; write the encrypted copy of the database and of each backup
    and check each (phase 1); then rename them over the originals, the database
    first (phase 2). Killed in phase 1, the next permitted start removes the work
    files and this run's unencrypted copy (the database is still the original);
    killed in phase 2, it finishes the renames (``finish``). The caller keeps the
    key (keyring, recovery sheet) before calling.
    """
    login_guard.require_on_file(path, None, actor, Permission.MAINTAIN_DATABASE)
    target = Path(path)
    with dblock.hold(target, "exclusive", what="encrypting the database"):
        _refuse_unencryptable(target)
        _refuse_if_in_use(target, None)
        run = dblock.announce(target)  # the run note journals the conversion
        copy = None
        if keep_unencrypted_copy:
            copy = target.with_name(f"{target.stem}.unencrypted-{_stamp()}{target.suffix}")
        plan = _plan("encrypt", target, None, key)
        # The copy is journalled with the work files: an encryption killed before
        # its commit leaves the database unencrypted, and this copy goes with it.
        entry = run.add_work("encrypt", [copy] if copy else [])
        if copy is not None:
            try:
                db.backup_to(target, copy)  # verified before it gets its name
            except BaseException:
                run.drop_work(entry)
                raise
        _convert(plan, run, entry)
        _commit(plan, run)
        return EncryptResult(target, copy, plan.outcomes)


def _refuse_unencryptable(target: Path) -> None:
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
    files.shred(copy)


def rekey_database(
    path: os.PathLike[str] | str,
    old_key: DatabaseKey,
    new_key: DatabaseKey,
    *,
    actor: Actor,
) -> RekeyResult:
    """Give the encrypted database at ``path`` (and every backup the old key opens)
    ``new_key``, in the two phases ``encrypt_database`` uses.

    The old key stays where it is (the keyring) until every file has the new one:
    the new key waits in the keyring's pending entry, which opens the database if
    the run is killed after its rename, and becomes the kept key at the end (where
    no keyring works, the kept key is forgotten: it no longer opens anything).
    ``keys.WrongKey`` when ``old_key`` does not open the database; nothing changes
    before the verified re-encrypted files replace the originals.
    """
    login_guard.require_on_file(path, old_key, actor, Permission.MAINTAIN_DATABASE)
    target = Path(path)
    with dblock.hold(target, "exclusive", what="rekeying the database"):
        if keys.file_state(target) != "encrypted":
            raise DatabaseError(f"{target} is not an encrypted database")
        if not keys.opens(target, old_key):
            raise keys.WrongKey(f"the current key does not open {target}; nothing was changed")
        if old_key == new_key:
            raise DatabaseError("the new key is the current key; nothing was changed")
        _refuse_if_in_use(target, old_key)
        run = dblock.announce(target)  # the run note journals the conversion
        plan = _plan("rekey", target, old_key, new_key)
        _convert(plan, run, run.add_work("rekey", []))
        if secrets.keyring_usable():
            # Where the keyring refuses, the new key is on the recovery sheet or is a
            # passphrase someone chose: the database opens with it either way.
            with suppress(secrets.KeyringUnavailable):
                secrets.store_database_key(target, new_key, pending=True)
        _commit(plan, run)
        if secrets.read_database_key(target, pending=True) is not None:
            _promote_new_key(target)
        else:
            secrets.forget_database_key(target)  # the old key no longer opens it
        return RekeyResult(target, plan.outcomes)
