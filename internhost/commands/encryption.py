"""The database key on the command line, and ``internhost encrypt`` and ``rekey``.

Every command that opens the database gets its key here (``database_key``): from
the keyring, else ``INTERNHOST_PASSPHRASE`` or the file ``INTERNHOST_PASSPHRASE_FILE``
names (a passphrase or the recovery sheet's key), else a prompt on a terminal; with
none, one line and exit 3 (``core/storage/keys.py``). ``init`` and ``demo`` create an
encrypted database: a set ``INTERNHOST_PASSPHRASE`` (or its ``_FILE``) wins, else a
random raw key for the keyring, else a passphrase chosen at a prompt. ``init
--recovery-sheet PATH`` writes the sheet (before the database is created); it is
required for a keyring-held raw key (exit 2 without it), which would otherwise live
only in the keyring.

- ``encrypt [--recovery-sheet PATH] [--no-unencrypted-copy]``: the one-way
  migration of an unencrypted database (``core/storage/encryption.py``). The key is chosen
  as for a new database. Every other command on an unencrypted database exits 3
  and names this one.
- ``rekey [--recovery-sheet PATH]``: a new key for the database and its backups; the
  new key is ``INTERNHOST_NEW_PASSPHRASE`` (or its ``_FILE``), else a random raw key
  for the keyring (the sheet is then required), else a passphrase chosen at a prompt.

Both hold the database to themselves (refused while the app, a worker or another
command has it open) and log in (HR admins only).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from internhost.commands import Subparsers
from internhost.core.actor import Permission, require
from internhost.core.storage.db import DatabaseKey

if TYPE_CHECKING:
    from internhost.core.actor import Actor
    from internhost.core.storage.encryption import BackupOutcome

SHEET_HELP = (
    "write the recovery sheet (a one-page PDF with the key) to PATH; print it, lock it "
    "away and delete the file (required when the key is kept in the keyring)"
)
#: Commands that open no database (or, like the app and ``encrypt``, see to it themselves).
NO_DATABASE = frozenset({None, "gui", "check", "encrypt"})


def _terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask_key(question: str) -> str | None:
    """The passphrase or recovery key typed at a terminal; None without one."""
    if not _terminal():
        return None
    try:
        return getpass.getpass(question)
    except EOFError:
        return None


def ask_new_passphrase() -> str | None:
    """A new passphrase typed twice at a terminal; None without one."""
    from internhost.cli import UsageError
    from internhost.core.storage import keys

    if not _terminal():
        return None
    try:
        print(
            "No keyring works here, so a passphrase protects the database: choose one of "
            f"at least {keys.MIN_PASSPHRASE_LENGTH} characters.",
            file=sys.stderr,
        )
        first = getpass.getpass("New database passphrase: ")
        if getpass.getpass("The same passphrase again: ") != first:
            raise UsageError("the two passphrases differ; nothing was changed")
    except EOFError:
        return None
    return first


def add_sheet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--recovery-sheet", metavar="PATH", help=SHEET_HELP)


def add_parsers(subparsers: Subparsers) -> None:
    encrypt = subparsers.add_parser(
        "encrypt", help="encrypt an unencrypted database (one way; a verified copy first)"
    )
    add_sheet_option(encrypt)
    encrypt.add_argument(
        "--no-unencrypted-copy",
        action="store_true",
        help="do not keep the verified unencrypted copy beside the database",
    )
    rekey = subparsers.add_parser(
        "rekey", help="give the database and its backups a new key, and a new recovery sheet"
    )
    add_sheet_option(rekey)


def _sheet_path(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "recovery_sheet", None)
    return Path(value).expanduser() if value else None


def _require_sheet(args: argparse.Namespace, source: str, what: str) -> None:
    from internhost.cli import UsageError

    if source == "keyring" and _sheet_path(args) is None:
        raise UsageError(
            f"{what}: --recovery-sheet PATH is required (the new key is kept in this "
            "computer's keyring; without the sheet it would live nowhere else)"
        )


def write_sheet(args: argparse.Namespace, db_path: Path, key: DatabaseKey) -> Path | None:
    """Write the recovery sheet if ``--recovery-sheet`` names a file; say where."""
    from internhost.core.reports.recovery_sheet import write_recovery_sheet

    target = _sheet_path(args)
    if target is None:
        return None
    written = write_recovery_sheet(target, db_path, key)
    print(
        f"Wrote the recovery sheet to {written}: print it, lock it away, then delete the file "
        "(it holds the database key)"
    )
    return written


def database_key(args: argparse.Namespace, path: Path) -> DatabaseKey:
    """The key of the ``--db`` database (asked once per command, then remembered).

    ``init`` and ``demo`` create a missing or empty database with a new key; other
    commands refuse a missing one (exit 3). ``init --recovery-sheet`` on an existing
    database writes the sheet of its current key.
    """
    from internhost.core.storage import keys, secrets
    from internhost.core.storage.db import DatabaseError

    cache: dict[Path, DatabaseKey] = args.__dict__.setdefault("_database_keys", {})
    if path in cache:
        return cache[path]
    command = getattr(args, "command", None)
    state = keys.file_state(path)
    if state in ("absent", "empty"):
        if command not in ("init", "demo"):
            raise DatabaseError(f"no database at {path}: create it with `internhost init`")
        new = keys.key_for_creating(prompt_new=ask_new_passphrase)
        if command == "init":
            _require_sheet(args, new.source, "init")
        write_sheet(args, path, new.key)
        if new.source == "keyring":
            secrets.store_database_key(path, new.key)
        key = new.key
    else:
        key = keys.key_for_opening(path, prompt=ask_key).key
        if command == "init":
            write_sheet(args, path, key)
    cache[path] = key
    return key


def backup_key(args: argparse.Namespace, db_path: Path, backup: Path) -> DatabaseKey:
    """The key that opens ``backup``: the database's (keyring entry of ``db_path``),
    else ``INTERNHOST_PASSPHRASE`` or a prompt; kept under ``db_path``, which the
    restored file will need it for."""
    from internhost.core.storage import keys
    from internhost.core.storage.backups import BackupRefused
    from internhost.core.storage.db import DatabaseError

    if not backup.is_file():
        raise BackupRefused(f"no backup file at {backup}")
    try:
        return keys.key_for_opening(backup, prompt=ask_key, keyring_path=db_path).key
    except keys.NotEncrypted:
        raise BackupRefused(
            f"{backup} is not encrypted (taken before the database was encrypted); "
            "choose a backup taken since"
        ) from None
    except keys.NoKey:
        raise
    except keys.WrongKey:
        raise BackupRefused(
            f"{backup} is not a sound database backup: the database's key does not open it"
        ) from None
    except DatabaseError as exc:
        raise BackupRefused(f"{backup} is not a sound database backup: {exc}") from None


def refuse_unencrypted(args: argparse.Namespace) -> None:
    """Exit 3, naming ``internhost encrypt``, for a command on an unencrypted database."""
    from internhost.core.storage import db, keys

    if getattr(args, "command", None) in NO_DATABASE:
        return
    path = db.resolve_db_path(args.db)
    if keys.file_state(path) == "plain":
        db.schema_revision(path)  # another program's SQLite file: say that instead
        raise keys.NotEncrypted(path)


def _login(args: argparse.Namespace, path: Path, key: DatabaseKey | None) -> Actor:
    """The actor on the database (``key`` None: an unencrypted one), after finishing
    what interrupted runs left (``commands.login.actor_on``)."""
    from internhost.commands.login import actor_on

    return actor_on(path, args, key=key)


def _report_backups(outcomes: list[BackupOutcome], done: str) -> None:
    converted = [o for o in outcomes if o.result in ("encrypted", "re-encrypted")]
    if converted:
        print(f"{len(converted)} backup(s) {done} with the new key")
    for o in outcomes:
        if o.result == "skipped":
            print(f"Left as it was: {o.path} ({o.reason})")


def run_encrypt(args: argparse.Namespace) -> int:
    from internhost.core.storage import db, encryption, keys, secrets
    from internhost.core.storage.db import DatabaseError

    path = db.resolve_db_path(args.db)
    state = keys.file_state(path)
    if state == "encrypted" and _interrupted(path, "encrypt"):
        return _finish(args, path, "encryption")
    if state == "encrypted":
        raise DatabaseError(f"{path} is already encrypted")
    if state != "plain":
        raise DatabaseError(f"no database at {path}")
    db.schema_revision(path)  # refuses another program's SQLite file
    new = keys.key_for_creating(prompt_new=ask_new_passphrase)
    _require_sheet(args, new.source, "encrypt")
    actor = _login(args, path, None)
    require(actor, Permission.MAINTAIN_DATABASE)  # before the sheet is written
    write_sheet(args, path, new.key)
    stored = keys.remember(path, new.key)
    try:
        result = encryption.encrypt_database(
            path, new.key, actor=actor, keep_unencrypted_copy=not args.no_unencrypted_copy
        )
    except BaseException:
        if stored:
            secrets.forget_database_key(path)
        raise
    print(f"Encrypted {path} ({_where(new.source)})")
    _report_backups(result.backups, "encrypted")
    if result.unencrypted_copy is not None:
        print(
            f"The unencrypted original is kept as {result.unencrypted_copy}: once the "
            "encrypted database opens, delete it (it holds the records unencrypted)"
        )
    return 0


def run_rekey(args: argparse.Namespace) -> int:
    from internhost.core.storage import db, encryption, keys, secrets

    path = db.resolve_db_path(args.db)
    if _interrupted(path, "rekey"):
        return _finish(args, path, "rekey")
    new = keys.key_for_creating(prompt_new=ask_new_passphrase, env=keys.NEW_PASSPHRASE_ENV)
    _require_sheet(args, new.source, "rekey")
    old = database_key(args, path)
    actor = _login(args, path, old)
    require(actor, Permission.MAINTAIN_DATABASE)
    write_sheet(args, path, new.key)
    result = encryption.rekey_database(path, old, new.key, actor=actor)
    kept = secrets.read_database_key(path) == new.key  # the core kept it where it could
    print(f"Rekeyed {path} ({_where(new.source if kept or not new.key.is_raw else 'sheet')})")
    _report_backups(result.backups, "re-encrypted")
    if _sheet_path(args) is None:
        print("The old recovery sheet no longer opens the database: shred it")
    else:
        print("Store the new recovery sheet, then shred the old one")
    return 0


def _interrupted(path: Path, op: str) -> bool:
    """Whether a killed run left ``op`` (encrypt, rekey) half-committed on ``path``
    (killed before its commit, it changed nothing: its work files go at the login,
    and the command runs as asked)."""
    from internhost.core.storage import runs

    return any((n.pending or {}).get("op") == op for n in runs.interrupted_runs(path))


def _finish(args: argparse.Namespace, path: Path, what: str) -> int:
    """A rerun after a killed encrypt or rekey finishes it, and nothing more: logging
    in (an HR admin) finishes what the run left (``core.recovery``), with the key
    that opens the database now (the keyring's pending entry after a rekey)."""
    actor = _login(args, path, database_key(args, path))
    require(actor, Permission.MAINTAIN_DATABASE)
    print(f"The interrupted {what} of {path} is settled: every file it had still to do is done")
    return 0


def _where(source: str) -> str:
    return {
        "keyring": "its key is kept in this computer's keyring",
        "environment": "with the passphrase given",
        "prompt": "with the passphrase chosen",
        "sheet": "the keyring refused the new key: it is only on the recovery sheet",
    }.get(source, source)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "encrypt": run_encrypt,
    "rekey": run_rekey,
}
