"""``internhost timesheet`` and ``internhost calendar``: an intern's week on paper and
their shifts in any calendar.

- ``timesheet --intern ID --week DATE --out PATH``: the weekly timesheet PDF of the
  workweek holding DATE, prefilled from the plan, with signature lines
  (``core.services.timesheets``, ``core.reports.timesheet``).
- ``calendar --intern ID --out FILE.ics``: the intern's planned shifts as iCalendar,
  in the worksite's time zone.

Both log in (``--user``) and act as that user: a mentor only for their own interns
(another intern is "not found", exit 2). ``--out`` is refused (exit 2) when it is the
database or one of its files, and is written whole or not at all.
"""

from __future__ import annotations

import argparse

from internhost.commands import Subparsers
from internhost.commands.export import iso_date


def add_parsers(subparsers: Subparsers) -> None:
    timesheet = subparsers.add_parser(
        "timesheet", help="write an intern's weekly timesheet (PDF) for paper sign-off"
    )
    timesheet.add_argument("--intern", type=int, required=True, metavar="ID")
    timesheet.add_argument(
        "--week", type=iso_date, required=True, metavar="DATE", help="any day of the week"
    )
    timesheet.add_argument("--out", required=True, metavar="PATH", help="the PDF to write")
    calendar = subparsers.add_parser(
        "calendar", help="write an intern's planned shifts as an iCalendar (.ics) file"
    )
    calendar.add_argument("--intern", type=int, required=True, metavar="ID")
    calendar.add_argument("--out", required=True, metavar="FILE.ics", help="the file to write")


def run_timesheet(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.fileio import files
    from internhost.core.reports.timesheet import write_timesheet
    from internhost.core.services.timesheets import timesheet_content
    from internhost.core.storage import db

    database = db.resolve_db_path(args.db)
    files.check_output(args.out, database, field="--out")  # before anything is read
    with logged_in(args) as (factory, actor):
        with db.read_session(factory, actor) as s:
            content = timesheet_content(s, actor, args.intern, args.week)
        write_timesheet(args.out, database, content)
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.fileio import files
    from internhost.core.fileio.icalendar import write_ics
    from internhost.core.services.timesheets import intern_calendar
    from internhost.core.storage import db

    database = db.resolve_db_path(args.db)
    files.check_output(args.out, database, field="--out")
    with logged_in(args) as (factory, actor):
        with db.read_session(factory, actor) as s:
            text = intern_calendar(s, actor, args.intern)
        write_ics(args.out, database, text)
    return 0


COMMANDS = {"timesheet": run_timesheet, "calendar": run_calendar}
