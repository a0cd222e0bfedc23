"""The one way to connect: every engine (app, CLI, Alembic, backups, tests,
benchmarks, worker processes) is built here.

Each connection runs, in this order: the database key (``PRAGMA key``, which must
precede every statement that reads the file), then foreign keys, a busy timeout, WAL
and a page cache big enough for the queue's tables (``CACHE_KIB``). SQLAlchemy's
pysqlite transaction recipe (driver autocommit off, our own BEGIN) makes DDL
transactional, so a failed migration rolls back whole. As it closes, each connection
runs ``PRAGMA optimize``, which keeps the query planner's
statistics (``sqlite_stat1``) as SQLite advises.

Encryption at rest: every connection goes through SQLCipher (the ``sqlcipher3``
driver, a self-contained SQLite with the cipher built in). An encrypted database's
engine uses SQLAlchemy's ``sqlite+pysqlcipher`` dialect, which issues ``PRAGMA key``
first on each new connection; ``key=None`` opens a plain (unencrypted) file through
the same driver, for ``internhost encrypt`` and for checks. Which key a database
needs, and where it comes from, is ``core/storage/keys.py``'s business, not this module's.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlcipher3 import dbapi2 as sqlcipher

if TYPE_CHECKING:  # SQLAlchemy is imported lazily: the app shows its window first.
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from internhost.core.actor import Actor

BUSY_TIMEOUT_MS = 5000
#: Each connection's page cache, in KiB (SQLite's ``cache_size`` when negative). The
#: default 2 MiB holds a few hundred pages; every page read past it is decrypted again
#: (SQLCipher's cost is per page), so the dashboard's queue re-read the 50,000-intern
#: placements and interns from disk on every refresh (1.6 s; 0.9 s with this cache).
#: Pages are taken as used, not up front; WAL keeps them valid between transactions
#: until another connection writes.
CACHE_KIB = 65_536
APP_NAME = "InternHost"
DB_ENV = "INTERNHOST_DB"


class DatabaseError(Exception):
    """The database cannot be used: missing, locked, unreadable or not ours (exit 3)."""


_RAW_HEX = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class DatabaseKey:
    """How to unlock an encrypted database: a raw 256-bit key (64 hex digits; used as
    is, no key derivation) or a passphrase (SQLCipher derives the key from it, about
    0.1-0.2 s per connection). Exactly one is set. ``repr`` never shows the secret."""

    raw_hex: str | None = None
    passphrase: str | None = None

    def __post_init__(self) -> None:
        if (self.raw_hex is None) == (self.passphrase is None):
            raise ValueError("a database key is either a raw key or a passphrase")
        if self.raw_hex is not None and not _RAW_HEX.fullmatch(self.raw_hex):
            raise ValueError("a raw database key is 64 hexadecimal digits")
        if self.passphrase is not None and not self.passphrase:
            raise ValueError("a passphrase cannot be empty")

    def __repr__(self) -> str:
        return f"DatabaseKey({'raw' if self.raw_hex is not None else 'passphrase'})"

    __str__ = __repr__

    @property
    def is_raw(self) -> bool:
        return self.raw_hex is not None

    @property
    def material(self) -> str:
        """What ``PRAGMA key`` takes: ``x'<hex>'`` for a raw key, else the passphrase."""
        return f"x'{self.raw_hex.upper()}'" if self.raw_hex is not None else str(self.passphrase)

    def pragma(self, statement: str = "key", schema: str | None = None) -> str:
        """``PRAGMA [schema.]key = "…"`` with the material quoted as SQLite wants."""
        target = f"{schema}.{statement}" if schema else statement
        return f"PRAGMA {target} = {_quoted(self.material)}"


def _quoted(text: str) -> str:
    # The form SQLCipher documents (PRAGMA key = "x'…'"); SQLAlchemy's pysqlcipher
    # dialect quotes its URL password the same way.
    return '"' + text.replace('"', '""') + '"'


def driver_complaint(exc: BaseException) -> str | None:
    """The database driver's own message when ``exc`` is (or wraps, as SQLAlchemy does
    in ``orig``) a driver error such as a locked or unreadable file; else None. The one
    place outside the engine that knows which driver that is."""
    for candidate in (exc, getattr(exc, "orig", None)):
        if isinstance(candidate, sqlite3.DatabaseError | sqlcipher.DatabaseError):
            return str(candidate)
    return None


def default_db_path() -> Path:
    """``--db``/``INTERNHOST_DB`` override this: the per-user data folder's database."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "internhost.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file named by ``explicit`` (``--db``), else ``INTERNHOST_DB``, else
    the default, as an absolute path with symbolic links resolved. ``DatabaseError``
    (one line, exit 3) when no database could ever be there: a symbolic link loop, a
    folder, a path through a file, a name too long, a folder that cannot be read or
    written. A missing file is no error here: ``init`` creates it, others refuse it."""
    chosen = Path(explicit or os.environ.get(DB_ENV) or default_db_path()).expanduser()
    try:
        path = chosen.resolve()  # a loop: RuntimeError before Python 3.13, OSError after
    except (RuntimeError, OSError) as exc:
        raise DatabaseError(_unusable(chosen, _why(exc))) from None
    _check_usable(chosen, path)
    return path


def _check_usable(chosen: Path, path: Path) -> None:
    mode = _mode(chosen, path)
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise DatabaseError(f"{_shown(chosen)} is a folder, not a database file")
        return  # an existing file: whether it is a database is the opener's question
    folder = path.parent  # no file yet: the nearest folder must be one we can write in
    while (mode := _mode(chosen, folder)) is None and folder.parent != folder:
        folder = folder.parent
    if mode is not None and not stat.S_ISDIR(mode):
        raise DatabaseError(_unusable(chosen, f"{_shown(folder)} is a file, not a folder"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(_unusable(chosen, f"permission denied in {_shown(folder)}"))


def _mode(chosen: Path, path: Path) -> int | None:
    """``path``'s file mode; None when nothing is there (or a file stands in its way)."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise DatabaseError(_unusable(chosen, _why(exc))) from None


def _why(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "its symbolic links loop"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return "the name is too long for the file system"
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied on its folder"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _unusable(chosen: Path, why: str) -> str:
    return f"cannot use {_shown(chosen)} as the database: {why}"


def _shown(path: Path) -> str:
    """A path for a one-line message, the middle of a very long one left out."""
    text = str(path)
    return text if len(text) <= 160 else f"{text[:80]}…{text[-60:]} ({len(text):,} characters)"


def _configure_connection(
    dbapi_conn: Any,
    key: DatabaseKey | None,
    *,
    wal: bool = True,
    foreign_keys: bool = True,
    keyed: bool = False,
) -> None:
    """Key (unless the dialect did, ``keyed``), then the pragmas every connection gets."""
    cursor = dbapi_conn.cursor()
    try:
        # SQLCipher otherwise logs a wrong key's "hmac check failed" to stderr.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        if key is not None and not keyed:
            cursor.execute(key.pragma())
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if wal:  # persistent: written into the file's header
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # The connections work is done through; a check of a file (a backup's
            # integrity) reads it once, and must meet a file that is no database in
            # its own check, not here (SQLCipher reads the header for this pragma).
            cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    finally:
        cursor.close()


def connect_raw(
    path: Path, key: DatabaseKey | None = None, *, create: bool = False, wal: bool = True
) -> Any:
    """A plain DB-API connection (SQLCipher's driver), keyed and configured like the
    engine's: for backups and checks. ``key=None`` opens an unencrypted file.

    ``wal=False`` leaves the journal mode alone, for probing a file that may not be ours.
    """
    if not create and not path.exists():
        raise DatabaseError(f"no database at {path}")
    try:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlcipher.DatabaseError as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    try:
        _configure_connection(conn, key, wal=wal)
    except sqlcipher.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    return conn


def make_engine(
    path: str | os.PathLike[str],
    key: DatabaseKey | None = None,
    *,
    create: bool = True,
    foreign_keys: bool = True,
) -> Engine:
    """The engine for a database file; ``create=False`` refuses a missing file.

    ``key``: an encrypted database's key (``sqlite+pysqlcipher``: the dialect keys each
    new connection before anything reads the file); None for an unencrypted file.

    ``foreign_keys=False`` is for migrations only: SQLite's batch ALTER rebuilds a
    table by dropping it, which with foreign keys on would cascade-delete every row
    that refers to it. The migration checks the keys itself before it commits.
    """
    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.pool import QueuePool

    db_path = Path(path)
    if not create and not db_path.exists():
        raise DatabaseError(f"no database at {db_path}")
    if create:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    # URL.create, not an f-string: a path with "?" or "%20" must stay that path. The
    # key travels as the URL's password, which SQLAlchemy never prints ("***"). The
    # pysqlcipher dialect would pool one connection per thread; the app's threads
    # share a QueuePool as with pysqlite (connections are keyed once, then reused).
    if key is not None:
        url = URL.create("sqlite+pysqlcipher", password=key.material, database=str(db_path))
        engine = create_engine(url, poolclass=QueuePool)
    else:
        url = URL.create("sqlite+pysqlite", database=str(db_path))
        engine = create_engine(url, module=sqlcipher)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (transactional DDL)
        _configure_connection(dbapi_conn, key, foreign_keys=foreign_keys, keyed=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "close")
    def _on_close(dbapi_conn: Any, _record: Any) -> None:
        _optimize_on_close(dbapi_conn)

    return engine


#: ``PRAGMA optimize``'s mask for after a big write: check every table (0x10000),
#: not only those this connection read, and analyze those that need it (0x02).
OPTIMIZE_ALL_TABLES = 0x10002


def _optimize_on_close(dbapi_conn: Any) -> None:
    """SQLite's advice for a connection as it closes: ``PRAGMA optimize``, nearly
    always a no-op, analyzes the tables that have no statistics yet or that changed
    tenfold since, under a time limit of its own. Never waits for another writer (the
    next close does it then) and never fails a close."""
    try:
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=0")
            cursor.execute("PRAGMA optimize")
        finally:
            cursor.close()
    except sqlcipher.DatabaseError:  # busy, read-only, or a connection already broken
        pass


def refresh_statistics(factory: sessionmaker[Session]) -> None:
    """Bring the query planner's statistics up to date after a big write (the sample
    data, a roster import), not when the app closes: without them SQLite guesses
    (it planned the mentor's old correlated scope on the mentor's index: 227 s at
    50,000 interns). 0.8 s for a never-analyzed 50,000-intern file; 40 ms when
    nothing grew tenfold. Connections already open read them as they next load the
    schema: at once after a file's first analysis (its ``sqlite_stat1`` is created)."""
    conn = factory.kw["bind"].raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(f"PRAGMA optimize={OPTIMIZE_ALL_TABLES:#x}")
        cursor.close()
    finally:
        conn.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    from internhost.core.trail import audit

    factory = sessionmaker(engine, expire_on_commit=False)
    audit.install(factory)
    return factory


@contextmanager
def unit_of_work(factory: sessionmaker[Session], actor: Actor) -> Iterator[Session]:
    """One short session for one user action: commits on success (writing the audit
    events of everything it changed in the same transaction), rolls back on error."""
    with factory() as session:
        session.info["actor"] = actor
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            _audit_refusal(factory, actor, exc)
            raise


@contextmanager
def read_session(factory: sessionmaker[Session], actor: Actor) -> Iterator[Session]:
    """A session for reading only; it refuses to flush changes. Closing it ends the
    transaction without expiring what was read (a rollback would)."""
    with factory() as session:
        session.info["actor"] = actor
        session.info["read_only"] = True
        try:
            yield session
        except BaseException as exc:
            _audit_refusal(factory, actor, exc)
            raise


def _audit_refusal(factory: sessionmaker[Session], actor: Actor, exc: BaseException) -> None:
    """A user refused an action: audited in a transaction of its own (the refused one
    is rolled back), so every service's refusal is on the trail by construction."""
    from internhost.core.errors import LoginFailed, PermissionDenied

    refused = isinstance(exc, PermissionDenied) and not isinstance(exc, LoginFailed)
    if refused and actor.kind == "user":
        from internhost.core.trail import login_guard

        login_guard.record_refusal(factory, actor, str(exc))


def backup_to(source: Path, dest: Path, key: DatabaseKey | None = None) -> None:
    """Copy a live database with SQLite's online backup API, then verify the copy.
    The copy of an encrypted database is encrypted with the same key. The work file
    is journalled in the source's run note, so a copy killed half-way is removed
    later (``core.runs``); a failed copy leaves nothing behind."""
    from internhost.core.fileio import files
    from internhost.core.storage import runs

    files.private_dir(dest.parent)
    tmp = files.partial_path(dest)
    work = files.work_file_names(tmp)
    with runs.working(source, "backup", work):
        try:
            with (
                closing(connect_raw(source, key)) as src,
                closing(connect_raw(tmp, key, create=True)) as dst,
            ):
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            problems = integrity_problems(tmp, key)
            if problems:
                raise DatabaseError(f"backup failed its integrity check: {problems[0]}")
            files.replace(tmp, dest)
        finally:
            files.remove(*work)


def integrity_problems(path: Path, key: DatabaseKey | None = None) -> list[str]:
    """``PRAGMA integrity_check`` results; an empty list means the file is sound."""
    with closing(connect_raw(path, key, wal=False)) as conn:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlcipher.DatabaseError as exc:
            # Encrypted: a damaged page fails its HMAC, so the check cannot read it at all.
            if "malformed" in str(exc) or "corrupt" in str(exc):
                return [str(exc)]
            raise
    return [] if rows == ["ok"] else rows


def schema_revision(path: Path, key: DatabaseKey | None = None) -> str | None:
    """The Alembic revision a database file is at (None: new or empty file).

    Cheap on purpose: the app asks this before it shows its window, without
    importing SQLAlchemy or Alembic.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        # Probe without switching the file to WAL: it may be another program's database.
        with closing(connect_raw(path, key, wal=False)) as conn:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has_table:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise DatabaseError(f"{path} is not an InternHost database")
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.DatabaseError, sqlcipher.DatabaseError) as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from exc
    return row[0] if row else None
