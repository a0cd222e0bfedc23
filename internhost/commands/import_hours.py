"""``internhost import-hours FILE``: a time clock's punches into logged time entries.

Exit codes as ``import-roster``: 0 when no row had an error, 1 when any row had one
(nothing written without ``--skip-invalid``), 2 when the file cannot be read, is
over the size limit or lacks a required column, or an option names something
unknown, 4 for a role that may not import. A thin shell over
``core.importers.hours.import_hours``, which the app's import dialog calls too.
"""

from __future__ import annotations

import argparse

from internhost.commands import Subparsers
from internhost.commands.import_roster import run_file_import


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
    from internhost.core.importers.hours import import_hours, parse_mappings

    return run_file_import(args, parse_mappings, import_hours)
