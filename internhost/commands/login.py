"""Logging in on the command line: ``--user NAME`` (a global option) or
``INTERNHOST_USER``, and the password from a prompt or, for scripts, the owner-only
file ``INTERNHOST_PASSWORD_FILE`` names (or ``INTERNHOST_PASSWORD``, which a command
line would leave in the shell's history; ``core/storage/secret_env.py``).

Every command that touches data logs in and acts as that user, so the services
refuse what the role may not do (exit 4, one line naming it). ``init``, ``demo``
and ``check`` need no login: the first two create databases, ``check`` reads no
data. Without credentials and without a terminal to ask on, the command exits 2
saying what to set; an unknown user or a wrong password exits 4.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING

from internhost.core.storage.secret_env import PASSWORD_ENV, file_variable, read_secret

if TYPE_CHECKING:  # the core loads when a command needs it, not when the CLI starts
    from sqlalchemy.orm import Session, sessionmaker

    from internhost.core.actor import Actor
    from internhost.core.storage.db import DatabaseKey

USER_ENV = "INTERNHOST_USER"
HOW = (
    f"pass --user NAME before the command (or set {USER_ENV}) and run it on a terminal to "
    "be asked the password, or name an owner-only file holding it in "
    f"{file_variable(PASSWORD_ENV)}"
)


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def _terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def credentials(args: argparse.Namespace, *, new: bool = False) -> Credentials:
    """The user and password to log in with (``new``: of the HR admin ``init`` creates,
    asked twice on a terminal). ``UsageError`` (exit 2) when missing and no terminal."""
    from internhost.cli import UsageError

    user = (getattr(args, "user", None) or os.environ.get(USER_ENV) or "").strip()
    password = read_secret(PASSWORD_ENV)
    what = "create the HR admin" if new else "log in"
    if not user or password is None:
        if not _terminal():
            missing = "a user name" if not user else "a password"
            raise UsageError(f"{what}: {missing} is needed; {HOW}")
        try:
            if not user:
                user = input("HR admin user name: " if new else "User: ").strip()
            if password is None:
                password = getpass.getpass(f"Password for {user}: ")
                if new and getpass.getpass("The same password again: ") != password:
                    raise UsageError("the two passwords differ; nothing was created")
        except EOFError:
            raise UsageError(f"{what}: no answer; {HOW}") from None
    if not user:
        raise UsageError(f"{what}: a user name is needed; {HOW}")
    return Credentials(user, password)


def log_in(factory: sessionmaker[Session], creds: Credentials) -> Actor:
    """The ``Actor`` of ``creds`` on the database of ``factory``; ``LoginFailed`` (exit 4)
    for an unknown user or a wrong password, ``PermissionDenied`` when the database
    has no account yet."""
    from internhost.core.errors import PermissionDenied
    from internhost.core.services import accounts

    if not accounts.any_accounts(factory):
        raise PermissionDenied(
            "this database has no accounts yet: create its HR admin with "
            "internhost --user NAME init"
        )
    return accounts.log_in(factory, creds.user, creds.password).actor


@contextmanager
def logged_in(
    args: argparse.Namespace, creds: Credentials | None = None
) -> Iterator[tuple[sessionmaker[Session], Actor]]:
    """``(session factory, actor)`` of the ``--db`` database after logging in. The
    credentials are read before the database is touched, and the login comes before
    the upgrade of an older file: nothing is written for someone who cannot log in."""
    with logged_in_with_key(args, creds) as (factory, actor, _key):
        yield factory, actor


@contextmanager
def logged_in_with_key(
    args: argparse.Namespace, creds: Credentials | None = None
) -> Iterator[tuple[sessionmaker[Session], Actor, DatabaseKey]]:
    """``logged_in`` with the database key too, for a command that hands it to worker
    processes (``core.workers``: through a pipe, never on a command line)."""
    from internhost.commands.encryption import database_key
    from internhost.core.storage import db, migrate

    creds = creds or credentials(args)
    path = db.resolve_db_path(args.db)
    key = database_key(args, path)
    actor = actor_on(path, args, creds, key)
    migrate.upgrade_to_head(path, key)
    engine = db.make_engine(path, key, create=False)
    try:
        yield db.make_session_factory(engine), actor, key
    finally:
        engine.dispose()


def actor_on(
    path: Path,
    args: argparse.Namespace,
    creds: Credentials | None = None,
    key: DatabaseKey | EllipsisType | None = ...,
    *,
    recover: bool = True,
) -> Actor:
    """Log in to the database file at ``path`` without upgrading it. ``key``: the
    file's database key (default: the command's, see ``encryption``; None: an
    unencrypted file). Then, as that
    user may, finish or remove what interrupted runs left (``core.recovery``), saying
    so on stderr; ``recover=False`` for a file that is not the database (a backup)."""
    from internhost.commands.encryption import database_key
    from internhost.core.storage import db, dblock

    creds = creds or credentials(args)
    key = database_key(args, path) if key is ... else key
    engine = db.make_engine(path, key, create=False)
    try:
        actor = log_in(db.make_session_factory(engine), creds)
    finally:
        engine.dispose()
    if recover:
        if dblock.holding(path) is not None:
            dblock.announce(path)  # logged in: now others may see who holds it
        report_recovery(path, actor)
    return actor


def report_recovery(path: Path, actor: Actor) -> list[str]:
    """``core.recovery.recover`` for ``actor``, each thing done as one line on stderr."""
    from internhost.core.storage.recovery import recover

    done = recover(path, actor)
    for line in done:
        print(f"internhost: {line}", file=sys.stderr)
    return done


def actor_for_restore(
    db_path: Path, backup: Path, creds: Credentials, key: DatabaseKey | None = None
) -> Actor:
    """Who restores: an HR admin of the database being replaced or, when it is gone
    or cannot be read, of the backup (logged in on a temporary copy, so the backup
    itself is never written to). A wrong password is never retried elsewhere."""
    import shutil
    import tempfile

    from internhost.core.storage import db

    if db_path.exists():
        try:
            return actor_on(db_path, argparse.Namespace(), creds, key)
        except Exception as exc:
            if not isinstance(exc, db.DatabaseError) and db.driver_complaint(exc) is None:
                raise
    with tempfile.TemporaryDirectory(prefix="internhost-restore-") as folder:
        copy = Path(folder) / "backup.db"
        shutil.copyfile(backup, copy)
        return actor_on(copy, argparse.Namespace(), creds, key, recover=False)
