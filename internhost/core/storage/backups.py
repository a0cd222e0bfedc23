"""Backups and restore of the database file: manual, daily (rotated) and safety copies.

Where backups go: a sibling folder of the database, ``<db name>.backups/`` (for
``internhost.db``, ``internhost.db.backups/``), created readable by its owner only
where the platform has such modes. Each backup is one self-contained SQLite file
(rollback journal, no ``-wal``) named ``<stem>.<kind>.<YYYYmmddTHHMMSS±HHMM><suffix>``,
e.g. ``internhost.daily.20251015T083000-0400.db``: the local time it was taken, with
its UTC offset, so the day a daily backup counts for is the day the user saw on
their clock. ``list_backups`` also shows the copies ``migrate.upgrade_to_head``
leaves beside the database (``<stem>.pre-<revision>-<UTC stamp><suffix>``).

Every copy is written with SQLite's online backup API (a consistent snapshot while
the app keeps writing) and passes ``PRAGMA integrity_check`` before it gets its
name (``db.backup_to``): a copy that fails is deleted and the error raised.

Kinds: ``manual`` (asked for), ``daily`` (``run_daily_backup`` at every start, once a
day), ``pre-migration`` and ``pre-restore`` (safety copies). Only daily backups are
rotated (see ``rotate``); the others stay until someone deletes them.

Permission: ``make_backup`` and ``restore`` take the acting user and need
``Permission.MAINTAIN_DATABASE``; the automatic backups (daily, before a migration,
before a restore) run as the system. Listing the folder reveals no records and takes
no actor.

Errors: ``BackupRefused`` (a ``ValidationError``, CLI exit 2) when the file offered
for a restore is not a sound InternHost backup this app can read; ``db.DatabaseError``
(CLI exit 3) when the database or the backup folder cannot be used; ``Conflict``
(exit 2) when a destination already exists; ``PermissionDenied`` (exit 4).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal, TypeVar

from internhost.core.actor import SYSTEM, Actor, Permission
from internhost.core.errors import Conflict, ValidationError
from internhost.core.fileio import files
from internhost.core.storage import db, dblock, migrate, runs
from internhost.core.trail import login_guard

BackupKind = Literal["manual", "daily", "pre-migration", "pre-restore"]
KINDS: tuple[str, ...] = ("manual", "daily", "pre-migration", "pre-restore")

#: How many daily backups rotation keeps: the newest of each of this many days ...
KEEP_DAYS = 7
#: ... and the newest of each of this many ISO weeks before those days.
KEEP_WEEKS = 4

_STAMP_FORMAT = "%Y%m%dT%H%M%S%z"
_STAMP = r"\d{8}T\d{6}[+-]\d{4}"
_MIGRATE_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


class BackupRefused(ValidationError):
    """A file offered for a restore is not a sound backup this app can use (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    #: When it was taken, aware, in the local time (and offset) of that moment.
    created: datetime
    #: Bytes on disk.
    size: int


@dataclass(frozen=True)
class RestoreInfo:
    #: The copy of the database as it was before the restore (None: there was none).
    safety_copy: BackupInfo | None
    #: The schema revision the backup was at.
    revision: str
    #: The copy ``migrate.upgrade_to_head`` took before upgrading the restored file
    #: (None: the backup was already at this app's schema).
    upgraded_from: Path | None


# -- where backups live --------------------------------------------------------


def backup_dir_for(db_path: os.PathLike[str] | str) -> Path:
    """The folder of a database's backups: ``<db name>.backups`` beside it."""
    path = Path(db_path)
    return path.with_name(path.name + ".backups")


def _backup_name(db_path: Path, kind: str, created: datetime, n: int = 0) -> str:
    counter = f".{n}" if n else ""
    return f"{db_path.stem}.{kind}.{created.strftime(_STAMP_FORMAT)}{counter}{db_path.suffix}"


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    kinds = "|".join(re.escape(k) for k in KINDS)
    return re.compile(
        rf"^{re.escape(db_path.stem)}\.(?P<kind>{kinds})\.(?P<stamp>{_STAMP})"
        rf"(?:\.(?P<n>\d+))?{re.escape(db_path.suffix)}$"
    )


def _migration_pattern(db_path: Path) -> re.Pattern[str]:
    # migrate.backup_path_for: <stem>.pre-<revision>-<UTC stamp><suffix>, beside the file.
    return re.compile(
        rf"^{re.escape(db_path.stem)}\.pre-(?P<revision>.+)-(?P<stamp>\d{{8}}T\d{{6}}Z)"
        rf"{re.escape(db_path.suffix)}$"
    )


def _sidecars(path: Path) -> list[Path]:
    """The files SQLite (and the instance lock) keep beside a database."""
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal", ".lock")]


def list_backups(db_path: os.PathLike[str] | str) -> list[BackupInfo]:
    """The database's backups, newest first: those in its backups folder, and the
    pre-migration copies ``migrate`` leaves beside it. Other files are ignored."""
    path = Path(db_path)
    found: list[BackupInfo] = []
    folder = backup_dir_for(path)
    if folder.is_dir():
        pattern = _name_pattern(path)
        for entry in folder.iterdir():
            match = pattern.match(entry.name)
            if match and entry.is_file():
                created = datetime.strptime(match["stamp"], _STAMP_FORMAT)
                found.append(BackupInfo(entry, match["kind"], created, entry.stat().st_size))
    if path.parent.is_dir():
        pattern = _migration_pattern(path)
        for entry in path.parent.iterdir():
            match = pattern.match(entry.name)
            if match and entry.is_file():
                utc = datetime.strptime(match["stamp"] + "+0000", _MIGRATE_STAMP_FORMAT + "%z")
                created = utc.astimezone()
                found.append(BackupInfo(entry, "pre-migration", created, entry.stat().st_size))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


#: What ``key_problem`` says of a backup the database's key cannot use.
UNENCRYPTED = "unencrypted: it holds the records in the clear"
OTHER_KEY = "does not open with the database's current key"


def key_problem(backup: os.PathLike[str] | str, key: db.DatabaseKey | None) -> str | None:
    """Why a backup cannot be restored with the database's ``key`` (unencrypted, or
    under another key: an interrupted encryption or rekey once left such files),
    else None. ``key`` None: only an unencrypted file is found out. Reads only."""
    from internhost.core.storage import keys

    try:
        state = keys.file_state(backup)
    except db.DatabaseError:
        return OTHER_KEY
    if state == "plain":
        return UNENCRYPTED
    if key is None or state != "encrypted":
        return None
    try:
        return None if keys.opens(backup, key) else OTHER_KEY
    except db.DatabaseError:
        return OTHER_KEY


# -- making backups ------------------------------------------------------------


def make_backup(
    db_path: os.PathLike[str] | str,
    dest: os.PathLike[str] | str | None = None,
    *,
    actor: Actor,
    key: db.DatabaseKey | None = None,
    kind: BackupKind = "manual",
    created: datetime | None = None,
    overwrite: bool = False,
) -> BackupInfo:
    """Back the database up with SQLite's online backup API and check the copy.

    ``dest``: None for the backups folder; an existing folder for a copy named as
    in the backups folder inside it; else the file to write (an existing file is
    refused unless ``overwrite``). The copy is written beside its final name and
    renamed only once ``PRAGMA integrity_check`` passed; a failed check deletes it
    and raises ``DatabaseError``. ``created`` (default: now, local time) names the
    copy; the daily backup passes the day it counts for.
    """
    login_guard.require_on_file(db_path, key, actor, Permission.MAINTAIN_DATABASE)
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    source = Path(db_path)
    if not source.is_file():
        raise db.DatabaseError(f"no database at {source}")
    # Probe first: another program's file must not be switched to WAL by the copy.
    if db.schema_revision(source, key) is None:
        raise db.DatabaseError(f"{source} is empty: there is nothing to back up yet")
    stamp = (created or datetime.now()).astimezone().replace(microsecond=0)
    target = _destination(source, None if dest is None else Path(dest), kind, stamp, overwrite)
    _guarded(f"could not back up {source} to {target}", lambda: db.backup_to(source, target, key))
    return BackupInfo(target, kind, stamp, target.stat().st_size)


def _destination(
    source: Path, dest: Path | None, kind: str, created: datetime, overwrite: bool
) -> Path:
    if dest is None:
        folder = backup_dir_for(source)
        try:
            files.private_dir(folder)
        except OSError as exc:
            raise db.DatabaseError(
                f"cannot create the backups folder {folder}: {exc.strerror or exc}"
            ) from None
    elif dest.expanduser().is_dir():
        folder = dest.expanduser()
        if _same_file(folder, backup_dir_for(source)):
            return _destination(source, None, kind, created, overwrite)
        files.check_output(folder / _backup_name(source, kind, created), source, field="dest")
    else:
        target = files.check_output(dest, source, field="dest")
        if target.exists() and not overwrite:
            raise Conflict(f"{target} already exists; choose a new file name or a folder")
        return target
    n = 0
    while (folder / _backup_name(source, kind, created, n)).exists():
        n += 1
    return folder / _backup_name(source, kind, created, n)


_T = TypeVar("_T")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _guarded(what: str, action: Callable[[], _T]) -> _T:
    """Run ``action``; driver and file-system failures become one ``DatabaseError``
    that says what failed (the writers clean up their own work files)."""
    try:
        return action()
    except db.DatabaseError:
        raise
    except OSError as exc:
        raise db.DatabaseError(f"{what}: {exc.strerror or exc}") from exc
    except Exception as exc:
        complaint = db.driver_complaint(exc)
        if complaint is None:
            raise
        raise db.DatabaseError(f"{what}: {complaint}") from exc


# -- daily backups and their rotation ------------------------------------------


def _dailies(db_path: Path) -> list[BackupInfo]:
    return [b for b in list_backups(db_path) if b.kind == "daily"]


def daily_backup_due(db_path: os.PathLike[str] | str, today: date) -> bool:
    """True when no daily backup counts for ``today`` (its local date) yet."""
    return not any(b.created.date() == today for b in _dailies(Path(db_path)))


def run_daily_backup(
    db_path: os.PathLike[str] | str, today: date, key: db.DatabaseKey | None = None
) -> BackupInfo | None:
    """Take today's daily backup if there is none yet, then rotate; runs as the system.

    Safe to call at every start (and meant for a background worker): it does nothing
    for a missing or still empty database, or when today's backup exists. Returns
    the backup taken, else None.
    """
    path = Path(db_path)
    if not path.is_file() or db.schema_revision(path, key) is None:
        return None
    if not daily_backup_due(path, today):
        return None
    # Today's date with the clock's time of day: the same as now, except when the
    # caller names another day (tests simulate weeks of starts so).
    created = datetime.combine(today, datetime.now().time()).astimezone()
    info = make_backup(path, None, actor=SYSTEM, key=key, kind="daily", created=created)
    rotate(path, today)
    return info


def rotate(db_path: os.PathLike[str] | str, today: date) -> list[Path]:
    """Delete the daily backups rotation no longer keeps; returns what it deleted.

    Kept, among the daily backups dated ``today`` or earlier (by the local date in
    their names):

    - the newest backup of each of the ``KEEP_DAYS`` (7) most recent days that have
      one (days, not calendar slots: a fortnight without starts loses nothing);
    - the newest backup of each of the ``KEEP_WEEKS`` (4) most recent ISO weeks that
      have one and lie entirely before the ISO week of the oldest day kept above.

    Daily backups dated after ``today`` (a clock set back) are left alone, and so are
    manual, pre-migration and pre-restore backups, always.
    """
    dailies = [b for b in _dailies(Path(db_path)) if b.created.date() <= today]
    by_day: dict[date, list[BackupInfo]] = {}
    for b in dailies:
        by_day.setdefault(b.created.date(), []).append(b)
    kept_days = sorted(by_day, reverse=True)[:KEEP_DAYS]
    keep = {max(by_day[d], key=lambda b: b.created).path for d in kept_days}
    if kept_days:
        boundary = kept_days[-1].isocalendar()[:2]
        by_week: dict[tuple[int, int], list[BackupInfo]] = {}
        for b in dailies:
            week = b.created.date().isocalendar()[:2]
            if week < boundary:
                by_week.setdefault(week, []).append(b)
        for week in sorted(by_week, reverse=True)[:KEEP_WEEKS]:
            keep.add(max(by_week[week], key=lambda b: b.created).path)
    deleted = []
    for b in dailies:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            deleted.append(b.path)
    return deleted


# -- restore -------------------------------------------------------------------


def _known_revision(revision: str) -> bool:
    if revision == migrate.HEAD:
        return True
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from internhost.paths import migrations_dir

    try:
        return ScriptDirectory(str(migrations_dir())).get_revision(revision) is not None
    except CommandError:
        return False


def verify_backup(backup: os.PathLike[str] | str, *, key: db.DatabaseKey | None = None) -> str:
    """Check that ``backup`` is a sound InternHost database this app can open and
    return its schema revision; else raise ``BackupRefused`` saying why. Reads the
    file only (its journal mode is left as it is)."""
    path = Path(backup)
    if not path.is_file():
        raise BackupRefused(f"no backup file at {path}")
    with path.open("rb") as f:
        unencrypted = f.read(16) == b"SQLite format 3\x00"
    if key is not None and unencrypted:
        raise BackupRefused(f"{path} is not encrypted, so it is no backup of this database")
    try:
        problems = db.integrity_problems(path, key)
        revision = None if problems else db.schema_revision(path, key)
    except db.DatabaseError as exc:
        raise BackupRefused(f"{path} is not an InternHost backup: {exc}") from None
    except Exception as exc:
        complaint = db.driver_complaint(exc)
        if complaint is None:
            raise
        raise BackupRefused(f"{path} is not a sound database backup: {complaint}") from None
    if problems:
        raise BackupRefused(
            f"{path} is damaged (integrity check: {problems[0]}); it cannot be restored"
        )
    if revision is None:
        raise BackupRefused(f"{path} is an empty database, not an InternHost backup")
    if not _known_revision(revision):
        raise BackupRefused(
            f"{path} was written by a newer InternHost (schema {revision}); "
            "update InternHost to restore it"
        )
    return revision


def restore(
    backup: os.PathLike[str] | str,
    db_path: os.PathLike[str] | str,
    *,
    actor: Actor,
    key: db.DatabaseKey | None = None,
) -> RestoreInfo:
    """Replace the database with ``backup``, keeping a copy of the current file.

    In order; the database is only replaced at step 6, and a failure before it
    leaves the database as it was (plus, from step 4 on, its safety copy):

    1. ``verify_backup``: refuse a damaged file, one that is not an InternHost
       database, and one at a schema newer than this app knows;
    2. copy it (SQLite's backup API) to a temporary file in the database's folder
       and check that copy's integrity;
    3. refuse if another connection, even an idle one, has the database open;
    4. save the current database to the backups folder as ``pre-restore`` (never
       rotated); a damaged current file is kept byte for byte, with its log;
    5. remove the database's ``-wal``, ``-shm`` and ``-journal`` files, so no old
       log is replayed into the restored file (their content is in step 4's copy);
    6. ``os.replace`` the temporary file onto the database (atomic);
    7. upgrade it to this app's schema if the backup is older.

    Runs holding the database lock exclusively (``core.dblock``): no command, worker
    or app has the file open meanwhile. The caller must have closed its own
    connections to ``db_path`` (the app disposes its engine).
    """
    login_guard.require_on_file(db_path, key, actor, Permission.MAINTAIN_DATABASE)
    source, target = Path(backup), Path(db_path)
    with dblock.hold(target, "exclusive", what="restoring a backup"):
        return _restore(source, target, key)


def _restore(source: Path, target: Path, key: db.DatabaseKey | None) -> RestoreInfo:
    if target.exists() and source.exists() and os.path.samefile(source, target):
        raise BackupRefused(f"{source} is the database itself; choose a backup")
    revision = verify_backup(source, key=key)
    _guarded(f"cannot write to {target.parent}", lambda: files.private_dir(target.parent))
    tmp = target.with_name(f".{target.name}.restoring")
    work = files.work_file_names(tmp)
    with runs.working(target, "restore", work):
        try:
            _guarded(f"could not copy {source}", lambda: _copy_database(source, tmp, key))
            problems = db.integrity_problems(tmp, key)
            if problems:
                raise db.DatabaseError(
                    f"the copy of {source} failed its integrity check ({problems[0]}); "
                    "nothing was restored"
                )
            if target.exists():
                _refuse_if_in_use(target, key)
            safety = _safety_copy(target, key) if target.exists() else None
            _drop_logs(target)
            _guarded(f"could not replace {target}", lambda: files.replace(tmp, target))
        finally:
            files.remove(*work)
    upgraded_from = None
    if revision != migrate.HEAD:
        upgraded_from = migrate.upgrade_to_head(target, key)
    return RestoreInfo(safety, revision, upgraded_from)


def _copy_database(source: Path, dest: Path, key: db.DatabaseKey | None) -> None:
    """An online-backup copy that leaves the source's journal mode alone (a backup
    on a read-only medium must stay readable) and writes a self-contained file."""
    with (
        closing(db.connect_raw(source, key, wal=False)) as src,
        closing(db.connect_raw(dest, key, create=True, wal=False)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def _safety_copy(target: Path, key: db.DatabaseKey | None) -> BackupInfo | None:
    """The current database, saved before a restore replaces it."""
    if target.stat().st_size == 0:
        return None
    try:
        return make_backup(target, None, actor=SYSTEM, key=key, kind="pre-restore")
    except db.DatabaseError:
        pass  # damaged or not ours: keep its bytes (and its log) exactly as they are
    created = datetime.now().astimezone().replace(microsecond=0)
    dest = _destination(target, None, "pre-restore", created, overwrite=False)

    def copy() -> None:
        shutil.copyfile(target, dest)
        files.restrict(dest)
        wal = target.with_name(target.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
            files.restrict(dest.with_name(dest.name + "-wal"))

    _guarded(f"could not save {target} before restoring; nothing was restored", copy)
    return BackupInfo(dest, "pre-restore", created, dest.stat().st_size)


def _in_use(target: Path) -> db.DatabaseError:
    return db.DatabaseError(
        f"{target} is in use by another program (InternHost?); close it and try again"
    )


def _refuse_if_in_use(target: Path, key: db.DatabaseKey | None) -> None:
    """Raise when another connection, even an idle one, has ``target`` open.

    An exclusive transaction in exclusive locking mode is refused (after the busy
    timeout) while any other connection holds the file. A damaged file cannot be
    locked so; the restore goes on (its bytes are saved first).
    """
    try:
        with closing(db.connect_raw(target, key, wal=False)) as conn:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
    except Exception as exc:
        complaint = db.driver_complaint(exc) or (
            str(exc) if isinstance(exc, db.DatabaseError) else None
        )
        if complaint is None:
            raise
        if "locked" in complaint or "busy" in complaint:
            raise _in_use(target) from None


def _drop_logs(target: Path) -> None:
    """Remove ``target``'s ``-wal``, ``-shm`` and ``-journal``, so no old log is
    replayed into the file that replaces it (their content is in the safety copy)."""
    for p in _sidecars(target)[:3]:
        try:
            p.unlink(missing_ok=True)
        except PermissionError:  # Windows: another process has it open
            raise _in_use(target) from None
