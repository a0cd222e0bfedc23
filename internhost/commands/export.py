"""``internhost export ENTITY [--format csv|json] [--out PATH]``: a list as a file.

``internhost export payroll --from DATE --to DATE``: approved hours per intern per
workweek for payroll (HR only; ``core.services.payroll``).

CSV (UTF-8 with a BOM) or JSON, to standard output or to ``--out``. The command is
a thin shell over ``core.services.exports.write_export``, which the app's export
buttons call too; it acts as the user who logged in (``--user``), so a mentor's
export holds only their own interns and leaves out what the role may not see. Exit 0 done, 2 an
unknown entity or format (argparse's choices, raised as ``UsageError`` by the
``internhost`` parser), 3 a database or output file that cannot be used (an
``OSError`` the ``internhost`` command reports).

``--out`` is refused (exit 2) when it is the database or any of its files, however
spelled; it is written to an owner-only work file beside it and renamed at the end,
so a failed export never leaves half a file or destroys the previous one
(``core.outputs``).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TextIO

from internhost.commands import Subparsers
from internhost.core.fileio.exporting import ENTITIES, FORMATS, atomic_text_file


def add_parser(subparsers: Subparsers) -> None:
    """Register the subcommand on the ``internhost`` parser's subparsers."""
    parser = subparsers.add_parser(
        "export",
        help=f"write a list as CSV or JSON: {', '.join(ENTITIES)}, or (HR) the payroll "
        "of approved hours (--from, --to)",
    )
    parser.add_argument("entity", choices=(*ENTITIES, PAYROLL), help="which list to export")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    parser.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    parser.add_argument(
        "--from", dest="from_date", type=iso_date, metavar="DATE", help="payroll: first day"
    )
    parser.add_argument(
        "--to", dest="to_date", type=iso_date, metavar="DATE", help="payroll: last day"
    )


PAYROLL = "payroll"


def iso_date(text: str) -> date:
    """An argument given as YYYY-MM-DD (argparse reports anything else, exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


@contextmanager
def _stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 without newline translation, whatever the console's
    code page: the file format is fixed, the terminal's encoding is not."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced text-only stream: write to it as it is
        yield sys.stdout
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()  # leave sys.stdout's buffer open


def run(args: argparse.Namespace) -> int:
    from internhost.cli import UsageError
    from internhost.commands.login import logged_in
    from internhost.core.fileio import files
    from internhost.core.services.exports import write_export
    from internhost.core.services.payroll import write_payroll
    from internhost.core.storage import db

    payroll = args.entity == PAYROLL
    first, last = getattr(args, "from_date", None), getattr(args, "to_date", None)
    if payroll and (first is None or last is None):
        raise UsageError("export payroll needs --from DATE and --to DATE")
    if not payroll and (first or last):
        raise UsageError(f"--from and --to are for export payroll, not {args.entity}")
    database = db.resolve_db_path(args.db)
    if args.out not in (None, "-"):
        files.check_output(args.out, database, field="--out")  # before anything is read
    with logged_in(args) as (factory, actor):
        output = (
            _stdout()
            if args.out in (None, "-")
            else atomic_text_file(Path(args.out).expanduser(), database)
        )
        with output as stream, db.read_session(factory, actor) as s:
            if first is not None and last is not None:  # payroll
                write_payroll(s, actor, first, last, args.format, stream)
            else:
                write_export(s, actor, args.entity, args.format, stream)
    return 0
