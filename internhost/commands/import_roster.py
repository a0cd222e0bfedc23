"""``internhost import-roster FILE``: a school's roster CSV into the database.

Exit 0 when no row had an error, 1 when any row had one (whatever was imported:
nothing without ``--skip-invalid``), 2 when the file cannot be read or is over the
size limit (``core.importers.limits``), a required column is missing or an option
names something unknown (one line on stderr).
The command is a thin shell over ``core.importers.roster.import_roster``, which
the GUI's import wizard calls too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from internhost.commands import Subparsers

if TYPE_CHECKING:
    from internhost.core.importers.result import ImportReport


def add_parser(subparsers: Subparsers) -> None:
    """Register the subcommand on the ``internhost`` parser's subparsers."""
    parser = subparsers.add_parser(
        "import-roster",
        help="import interns from a roster CSV (all rows or none, unless --skip-invalid)",
    )
    add_import_arguments(parser, "the roster", "Pupil No=student_id")
    parser.add_argument(
        "--school", metavar="NAME", help="the school of rows whose school cell is empty"
    )
    parser.add_argument(
        "--update-existing",
        action="store_true",
        help="update interns already on record (blank cells keep stored values)",
    )


def add_import_arguments(parser: argparse.ArgumentParser, what: str, mapping: str) -> None:
    """The arguments every CSV import command takes (``run_file_import`` reads them):
    the file (``what`` it holds), ``--map`` (``mapping`` its example), ``--dry-run``,
    ``--skip-invalid`` and ``--format``."""
    parser.add_argument("file", help=f"{what} as CSV (UTF-8 or Windows-1252); - reads stdin")
    parser.add_argument(
        "--map",
        metavar="H=C",
        action="append",
        default=[],
        dest="mappings",
        help=f'read header H as column C (e.g. --map "{mapping}"); remembered',
    )
    parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    parser.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, skip the others"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def open_file(name: str, stack: ExitStack) -> BinaryIO:
    """The file to import, open (``-``: standard input); the import streams it (and
    refuses it over the size limit before reading it). The time-clock import reads
    its file the same way."""
    from internhost.cli import UsageError

    if name == "-":
        return sys.stdin.buffer
    try:
        return stack.enter_context(Path(name).open("rb"))
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None


def run_file_import(
    args: argparse.Namespace,
    parse_mappings: Callable[[list[str]], dict[str, str]],
    run_import: Callable[..., ImportReport],
) -> int:
    """What both import commands do: parse ``--map``, log in, stream the file into
    ``run_import(factory, actor, stream, mappings=…, dry_run=…, skip_invalid=…,
    today=…)`` and print its report (text or JSON); the exit code says whether any
    row had an error. A file the import refuses is a usage error (exit 2)."""
    import json
    from datetime import date

    from internhost import cli
    from internhost.commands.login import credentials, logged_in
    from internhost.core.importers.result import ImportRefused

    creds = credentials(args)  # before reading: the file may be standard input
    try:
        mappings = parse_mappings(args.mappings)
    except ImportRefused as exc:
        raise cli.UsageError(str(exc)) from None
    try:
        with ExitStack() as stack:
            stream = open_file(args.file, stack)
            factory, actor = stack.enter_context(logged_in(args, creds))
            report = run_import(
                factory,
                actor,
                stream,
                mappings=mappings,
                dry_run=args.dry_run,
                skip_invalid=args.skip_invalid,
                today=date.today(),
            )
    except ImportRefused as exc:
        raise cli.UsageError(f"{args.file}: {exc}") from None
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.to_text(args.file))
    return cli.EXIT_PROBLEMS if report.has_row_errors else cli.EXIT_OK


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from internhost.core.importers.roster import import_roster, parse_mappings

    importer = partial(import_roster, school=args.school, update_existing=args.update_existing)
    return run_file_import(args, parse_mappings, importer)
