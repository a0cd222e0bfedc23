"""``internhost backup [PATH]``, ``internhost restore PATH [--yes]``, ``internhost backups``.

Thin shells over ``core.backups``, which the app's backup and restore screens call
too. ``backup`` and ``restore`` log in (``--user``; HR admins only: others exit 4);
``restore`` logs in to the database it replaces or, when that is gone or cannot be
read (a damaged file is what restores are for), to a copy of the backup. ``backups``
lists files and reads no records, so it needs no login. The database is the global
``--db`` (else ``INTERNHOST_DB``, else the user data folder).

- ``backup``: a checked copy (SQLite's online backup API, then ``integrity_check``)
  to PATH — a new file, or a folder — or, without PATH, to the database's backups
  folder, and the audit chain's head it records (seq and hash: ``audit verify
  --against`` later proves the live chain extends it). It neither creates nor
  upgrades the database. Exit 0; 2 when PATH exists
  (``--overwrite`` replaces it) or is the database; 3 when the database cannot be
  read or the copy fails its check.
- ``restore``: replaces the database with the backup at PATH after checking it; the
  current database is saved to the backups folder first. Without ``--yes`` it asks
  on a terminal (exit 1 when the answer is no, nothing changed) and, with no
  terminal to ask on, exits 2 saying to pass ``--yes``. Exit 2 for a backup that
  is damaged, not InternHost's, or from a newer InternHost; 3 while the app has the
  database open.
- ``backups``: the database's backups, newest first (also when the database itself
  is gone), each flagged when it is unencrypted or does not open with the database's
  current key (exit 1 when any is flagged).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from internhost.commands import Subparsers

if TYPE_CHECKING:
    from internhost.core.storage.db import DatabaseKey


def add_parsers(subparsers: Subparsers) -> None:
    """Register the three subcommands on the ``internhost`` parser's subparsers."""
    backup = subparsers.add_parser(
        "backup", help="copy the database, checked, to a file or folder (default: its backups)"
    )
    backup.add_argument(
        "path", nargs="?", metavar="PATH", help="a new file, or a folder (default: backups folder)"
    )
    backup.add_argument("--overwrite", action="store_true", help="replace PATH if it exists")
    restore = subparsers.add_parser(
        "restore", help="replace the database with a backup (the current one is saved first)"
    )
    restore.add_argument("path", metavar="PATH", help="the backup file to restore")
    restore.add_argument(
        "--yes", action="store_true", help="do not ask (required without a terminal)"
    )
    subparsers.add_parser("backups", help="list the database's backups, newest first")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def run_backup(args: argparse.Namespace) -> int:
    from internhost.commands.encryption import database_key
    from internhost.commands.login import actor_on, credentials
    from internhost.core.storage import backups, db
    from internhost.core.trail.audit_verify import head_of_file

    creds = credentials(args)
    db_path = db.resolve_db_path(args.db)
    dest = None if args.path is None else Path(args.path).expanduser()
    key = database_key(args, db_path)
    actor = actor_on(db_path, args, creds, key)
    info = backups.make_backup(db_path, dest, actor=actor, key=key, overwrite=args.overwrite)
    print(f"Backed up {db_path} to {info.path} ({_size(info.size)}, integrity checked)")
    head = head_of_file(info.path, key)
    if head is not None:
        print(
            f"It records the audit chain's head: {head}; keep it to prove later that the "
            "trail still extends it (internhost audit verify --against BACKUP)"
        )
    return 0


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run_restore(args: argparse.Namespace) -> int:
    from internhost.cli import UsageError
    from internhost.commands.encryption import backup_key
    from internhost.commands.login import actor_for_restore, credentials
    from internhost.core.storage import backups, db

    db_path = db.resolve_db_path(args.db)
    source = Path(args.path).expanduser()
    if not args.yes and not sys.stdin.isatty():
        raise UsageError(f"restore replaces {db_path}: pass --yes to confirm (no terminal to ask)")
    creds = credentials(args)
    # The command holds the database to itself (``cli.database_lock``): refused while
    # the app, a worker or another command has it open.
    key = backup_key(args, db_path, source)  # the database's key opens its backups
    revision = backups.verify_backup(source, key=key)
    actor = actor_for_restore(db_path, source, creds, key)
    if not args.yes and not _confirm(
        f"Replace {db_path} with the backup {source} (schema {revision})? "
        "The current database is saved first."
    ):
        print("Nothing was restored.")
        return 1
    result = backups.restore(source, db_path, actor=actor, key=key)
    print(f"Restored {db_path} from {source}.")
    if result.safety_copy is not None:
        print(f"The database as it was is saved as {result.safety_copy.path}")
    if result.upgraded_from is not None:
        print(
            f"Upgraded to the current schema (the restored file first saved as "
            f"{result.upgraded_from})"
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from internhost.core.storage import backups, db

    db_path = db.resolve_db_path(args.db)
    found = backups.list_backups(db_path)
    if not found:
        print(f"No backups of {db_path} yet (they go to {backups.backup_dir_for(db_path)})")
        return 0
    key = _key_if_any(args, db_path)
    print(f"Backups of {db_path}, newest first:")
    flagged = 0
    for b in found:
        created = b.created.strftime("%Y-%m-%d %H:%M %z")
        problem = backups.key_problem(b.path, key)
        flagged += problem is not None
        note = f"  ! {problem}" if problem else ""
        print(f"{created}  {b.kind:<13}  {_size(b.size):>10}  {b.path}{note}")
    if key is None:
        print("Only unencrypted backups were looked for: no key to open the others with")
    return 1 if flagged else 0


def _key_if_any(args: argparse.Namespace, db_path: Path) -> DatabaseKey | None:
    """The database's key to check the backups with; None when none can be had."""
    from internhost.commands.encryption import database_key
    from internhost.core.storage.db import DatabaseError

    try:
        return database_key(args, db_path)
    except DatabaseError:
        return None


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backup": run_backup,
    "restore": run_restore,
    "backups": run_list,
}
