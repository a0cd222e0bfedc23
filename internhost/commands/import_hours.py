"""``internhost import-hours FILE``: a time clock's punches into logged time entries.

Exit codes as ``import-roster``: 0 when no row had an error, 1 when any row had one
(nothing written without ``--skip-invalid``), 2 when the file cannot be read, is
over the size limit or lacks a required column, or an option names something
unknown, 4 for a role that may not import. A thin shell over
``core.importers.hours.import_hours``, which the app's import dialog calls too.
"""

from __future__ import annotations

import argparse
from contextlib import ExitStack

from internhost.commands import Subparsers
from internhost.commands.import_roster import open_file


def add_parser(subparsers: Subparsers) -> None:
    """Register the subcommand on the ``internhost`` parser's subparsers."""
    parser = subparsers.add_parser(
        "import-hours",
        help="import logged hours from a time clock's CSV (all rows or none, unless "
        "--skip-invalid); a row already imported is skipped",
    )
    parser.add_argument("file", help="the punches as CSV (UTF-8 or Windows-1252); - reads stdin")
    parser.add_argument(
        "--map",
        metavar="H=C",
        action="append",
        default=[],
        dest="mappings",
        help='read header H as column C (e.g. --map "Emp Code=badge"); remembered',
    )
    parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    parser.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, skip the others"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from internhost import cli
    from internhost.commands.login import credentials, logged_in
    from internhost.core.importers.hours import import_hours, parse_mappings
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
            report = import_hours(
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
