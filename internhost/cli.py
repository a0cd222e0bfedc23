"""The ``internhost`` command: no arguments opens the app; subcommands work headless.

Exit codes, for every command: 0 done; 1 ran and found problems; 2 bad input or
usage (one line on stderr naming the field or argument); 3 the environment
(database missing, locked or unreadable; no key); 4 not permitted or not logged in.
Global options come before the subcommand: ``internhost --db PATH demo``.

Commands that touch data log in (``--user NAME`` or ``INTERNHOST_USER``, the password
from a prompt or the file ``INTERNHOST_PASSWORD_FILE`` names; ``commands/login.py``) and
act as that user:
``init`` (which creates the HR admin of a new database), ``demo`` and ``check`` need
no login.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from internhost import __version__
from internhost.commands import (
    Subparsers,
    audit,
    backup,
    due,
    encryption,
    export,
    form,
    hours,
    import_hours,
    import_roster,
    packet,
    retention,
    school_form,
)

if TYPE_CHECKING:  # the core loads when a command needs it, not when the CLI starts
    from sqlalchemy.orm import Session, sessionmaker

    from internhost.commands.login import Credentials
    from internhost.core.storage.db import DatabaseKey

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_DENIED = 0, 1, 2, 3, 4


class UsageError(Exception):
    """Bad command-line input (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="internhost", description="Host high-school interns, within the law.")
    parser.add_argument("--version", action="version", version=f"internhost {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: INTERNHOST_DB, else the user data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="log in as NAME (default: INTERNHOST_USER); the password comes from a prompt "
        "or the owner-only file INTERNHOST_PASSWORD_FILE names",
    )
    sub: Subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    init = sub.add_parser(
        "init",
        help="create the database and its HR admin (--user), or upgrade it to the current schema",
    )
    encryption.add_sheet_option(init)
    demo = sub.add_parser("demo", help="fill an empty database with the sample data set")
    demo.add_argument(
        "--seed", type=int, default=None, help="generator seed (default: the versioned seed)"
    )
    check = sub.add_parser("check", help="check one case (JSON) against the child-labor rules")
    check.add_argument(
        "file", nargs="?", default="-", help="the case as JSON; - or nothing reads stdin"
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    export.add_parser(sub)
    import_roster.add_parser(sub)
    import_hours.add_parser(sub)
    backup.add_parsers(sub)
    encryption.add_parsers(sub)
    audit.add_parser(sub)
    retention.add_parsers(sub)
    hours.add_parsers(sub)
    due.add_parser(sub)
    school_form.add_parser(sub)
    form.add_parser(sub)
    packet.add_parser(sub)
    sub.add_parser("gui", help="open the app (the default without a command)")
    return parser


def _open_database(args: argparse.Namespace) -> Path:
    """Resolve the database path and bring it to the current schema."""
    from internhost.core.storage import db, migrate

    path = db.resolve_db_path(args.db)
    migrate.upgrade_to_head(path, encryption.database_key(args, path))
    return path


@contextmanager
def database(args: argparse.Namespace) -> Iterator[sessionmaker[Session]]:
    """The session factory of the ``--db`` database, brought up to date first; the
    engine is closed when the command is done. Every data command opens it so."""
    from internhost.core.storage import db, dblock

    path = _open_database(args)
    engine = db.make_engine(path, encryption.database_key(args, path))
    try:
        # Held already when the file existed (``database_lock``); a file this command
        # just created is held from here on.
        with dblock.hold(path, "shared", what=f"internhost {args.command}"):
            yield db.make_session_factory(engine)
    finally:
        engine.dispose()


def cmd_init(args: argparse.Namespace) -> int:
    from internhost.core.services import accounts
    from internhost.core.storage import db

    path = db.resolve_db_path(args.db)
    existed = path.exists()
    # A new database needs its HR admin: ask before creating anything (exit 2).
    creds = None if existed else _new_admin(args)
    admin = None
    with database(args) as factory:
        if not accounts.any_accounts(factory):
            creds = creds or _new_admin(args)
            admin = accounts.bootstrap_admin(factory, creds.user, creds.password)
    print(f"{'Upgraded' if existed else 'Created'} {path}")
    if admin is not None:
        print(f"Created the HR admin {admin.username}: log in with --user {admin.username}")
    return EXIT_OK


def _new_admin(args: argparse.Namespace) -> Credentials:
    """Credentials for the HR admin ``init`` creates, checked against the policy."""
    from internhost.commands import login
    from internhost.core.services import accounts

    creds = login.credentials(args, new=True)
    if not accounts.USERNAME.match(accounts.normalize_username(creds.user)):
        raise UsageError(f"user name: may hold only {accounts.USERNAME_RULE}")
    problems = accounts.password_problems(creds.password, creds.user)
    if problems:
        raise UsageError(f"password: {problems[0]} (the HR admin's password policy)")
    return creds


def cmd_demo(args: argparse.Namespace) -> int:
    from internhost.core.actor import SYSTEM
    from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo
    from internhost.core.storage import db

    _refuse_demo_early(args)
    with database(args) as factory:
        summary = build_demo(
            factory,
            SYSTEM,
            DemoSizes(),
            seed=DEFAULT_SEED if args.seed is None else args.seed,
            today=date.today(),  # laid out around the day it is loaded
        )
    print(f"Sample data written to {db.resolve_db_path(args.db)}: {summary}")
    print(
        "Demo accounts, each with the password demo: hr (HR admin), mentor (Maria "
        "Kowalski, with some of the interns) and viewer (read-only); e.g. "
        "internhost --user hr export interns"
    )
    return EXIT_OK


def _refuse_demo_early(args: argparse.Namespace) -> None:
    """``demo`` writes only into a new database: one that holds anything is refused
    before it is upgraded, or anything else is written (``Conflict``, exit 2)."""
    from internhost.core.actor import SYSTEM
    from internhost.core.sample import refuse_unless_new
    from internhost.core.storage import db, keys

    path = db.resolve_db_path(args.db)
    if keys.file_state(path) != "encrypted" or db.schema_revision(path, _key(args)) is None:
        return
    engine = db.make_engine(path, _key(args), create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            refuse_unless_new(s)
    finally:
        engine.dispose()


def _key(args: argparse.Namespace) -> DatabaseKey:
    from internhost.core.storage import db

    return encryption.database_key(args, db.resolve_db_path(args.db))


def cmd_check(args: argparse.Namespace) -> int:
    import json

    from internhost.core.rules import report
    from internhost.core.rules.engine import check
    from internhost.core.rules.parse import CaseError, read_case

    try:
        result = check(read_case(_case_text(args.file)))
    except CaseError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.as_text(result))
    return EXIT_PROBLEMS if result.has_violation else EXIT_OK


def _case_text(name: str) -> str:
    """The case's JSON from the file ``name`` (``-``: standard input) as text, read up
    to ``MAX_CASE_BYTES`` and no further; UTF-8, a byte-order mark allowed."""
    from internhost.core.rules.parse import MAX_CASE_BYTES

    shown = "standard input" if name == "-" else name
    try:
        if name == "-":
            stream = getattr(sys.stdin, "buffer", sys.stdin)  # a StringIO has no buffer
            data = stream.read(MAX_CASE_BYTES + 1)
        else:
            with open(name, "rb") as file:
                data = file.read(MAX_CASE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > MAX_CASE_BYTES:
        raise UsageError(
            f"{shown} is larger than {MAX_CASE_BYTES // 2**20} MB: a case is one intern's "
            "facts (a year of shifts is well under 1 MB); check it is the right file"
        )
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown} is not UTF-8 text (byte {exc.start + 1})") from None


def cmd_gui(args: argparse.Namespace) -> int:
    # Before anything loads Qt: a missing X11 library or display makes Qt abort
    # (exit 134, uncatchable) instead of saying what to install (exit 3).
    from internhost.gui import platform_check

    problem = platform_check.problem()
    if problem is not None:
        return _fail(EXIT_ENVIRONMENT, problem)
    from internhost.gui.app import run

    return run(args.db)


#: What each command runs; no command at all runs the app (``gui``).
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "export": export.run,
    "import-roster": import_roster.run,
    "import-hours": import_hours.run,
    **backup.COMMANDS,
    **encryption.COMMANDS,
    "audit": audit.run,
    **retention.COMMANDS,
    **hours.COMMANDS,
    "due": due.run,
    "school-form": school_form.run,
    "form": form.run,
    "packet": packet.run,
}


#: Commands that replace the database file: they hold it to themselves.
EXCLUSIVE = frozenset({"restore", "rekey", "encrypt"})
#: Commands that open no database (the app takes its own lock).
UNLOCKED = frozenset({None, "gui", "check"})
#: Commands that touch the database without logging in.
NO_LOGIN = frozenset({"init", "demo", "backups"})


@contextmanager
def database_lock(args: argparse.Namespace) -> Iterator[None]:
    """Hold the ``--db`` database for the whole command: shared, or exclusive for the
    commands that replace the file (``core.dblock``); waits up to 10 s, then exit 3
    naming who holds it. A missing database is not locked unless the command makes it."""
    from internhost.core.storage import db, dblock

    if args.command in UNLOCKED:
        yield
        return
    path = db.resolve_db_path(args.db)
    if not path.exists():
        # Nothing to guard yet, and nothing is written before it is needed: the
        # commands that create the file lock it as they do (``database``, restore).
        yield
        return
    mode: dblock.Mode = "exclusive" if args.command in EXCLUSIVE else "shared"
    # A command that logs in writes its run note once it has (``login.actor_on``):
    # before that, nothing but the lock file is written beside the database.
    announced = args.command in NO_LOGIN
    with dblock.hold(path, mode, what=f"internhost {args.command}", announced=announced):
        yield


def main(argv: Sequence[str] | None = None) -> int:
    from internhost.core.errors import (
        Conflict,
        LoginFailed,
        NotFound,
        PermissionDenied,
        ValidationError,
    )
    from internhost.core.fileio import files
    from internhost.core.storage.db import DatabaseError

    files.private_process()  # every file this process writes is its user's alone
    try:
        args = build_parser().parse_args(argv)
        with database_lock(args):
            encryption.refuse_unencrypted(args)  # exit 3, naming `internhost encrypt`
            return COMMANDS[args.command or "gui"](args)
    except UsageError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except (ValidationError, NotFound, Conflict) as exc:
        return _fail(EXIT_USAGE, str(exc))
    except LoginFailed as exc:
        hint = "" if "disabled" in str(exc) else ": check the user name and the password"
        return _fail(EXIT_DENIED, f"{exc}{hint}")
    except PermissionDenied as exc:
        return _fail(EXIT_DENIED, str(exc))
    except DatabaseError as exc:
        return _fail(EXIT_ENVIRONMENT, str(exc))
    except OSError as exc:
        return _fail(EXIT_ENVIRONMENT, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return _fail(130, "interrupted")
    except Exception as exc:
        # A locked or unreadable file is the environment's problem, not a bug.
        from internhost.core.storage.db import driver_complaint

        complaint = driver_complaint(exc)
        if complaint is None:
            raise
        return _fail(EXIT_ENVIRONMENT, f"database error: {complaint}")


def _fail(code: int, message: str) -> int:
    print(f"internhost: {message}", file=sys.stderr)
    return code
