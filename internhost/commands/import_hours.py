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
from internhost.commands.import_roster import add_import_arguments, run_file_import


def add_parser(subparsers: Subparsers) -> None:
    """Register the subcommand on the ``internhost`` parser's subparsers."""
    parser = subparsers.add_parser(
        "import-hours",
        help="import logged hours from a time clock's CSV (all rows or none, unless "
        "--skip-invalid); a row already imported is skipped",
    )
    add_import_arguments(parser, "the punches", "Emp Code=badge")


def run(args: argparse.Namespace) -> int:
    from internhost.core.importers.hours import import_hours, parse_mappings

    return run_file_import(args, parse_mappings, import_hours)
