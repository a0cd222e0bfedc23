"""``internhost form``: the forms employers sign or hand out, blank or pre-filled.

- ``form --list``: the form names, each with its title (no login needed).
- ``form NAME --out PATH``: the blank form (the employer's name and the wording).
- ``form NAME --intern ID [--placement ID] [--week DATE] --out PATH``: the form filled
  in for the intern's placement (by default their latest by start date); ``--week``
  picks the timesheet's week (by default this week, inside the placement's dates).

It logs in (``--user``) and acts as that user: pre-filled forms follow the role's view
(a mentor: the evaluations, timesheet, certificate and reference letter of their own
interns; another intern is "not found", exit 2; a form showing what the role may not
see is refused, exit 4). An Illinois notice for an intern 16 or older, or outside
Illinois, is refused with the reason (exit 2). ``--out`` is refused (exit 2) when it
is the database or one of its files, before anything is read, and is written whole
or not at all (``core.services.forms``, ``core.reports.forms``).
"""

from __future__ import annotations

import argparse
from datetime import date

from internhost.commands import Subparsers
from internhost.commands.export import iso_date
from internhost.core.reports.forms.texts import FORM_NAMES


def add_parser(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "form", help="write a form (PDF), blank or pre-filled for an intern; --list names them"
    )
    parser.add_argument("name", nargs="?", choices=FORM_NAMES, metavar="NAME", help="the form")
    parser.add_argument("--list", action="store_true", help="list the forms and stop")
    parser.add_argument("--intern", type=int, metavar="ID", help="fill it in for this intern")
    parser.add_argument(
        "--placement", type=int, metavar="ID", help="of this placement (default: the latest)"
    )
    parser.add_argument(
        "--week", type=iso_date, metavar="DATE", help="timesheet: any day of the week"
    )
    parser.add_argument("--out", metavar="PATH", help="the PDF to write")


def run(args: argparse.Namespace) -> int:
    from internhost.cli import UsageError
    from internhost.commands.login import logged_in
    from internhost.core.fileio import files
    from internhost.core.reports.forms.render import write_form
    from internhost.core.services.forms import form_content, list_forms
    from internhost.core.storage import db

    if args.list:
        for info in list_forms():
            print(f"{info.name:<28}{info.title}")
        return 0
    if args.name is None or not args.out:
        raise UsageError("form needs a NAME (see internhost form --list) and --out PATH")
    if args.week is not None and args.name != "timesheet":
        raise UsageError("--week is for the timesheet")
    database = db.resolve_db_path(args.db)
    files.check_output(args.out, database, field="--out")  # before anything is read
    with logged_in(args) as (factory, actor):
        with db.read_session(factory, actor) as s:
            content = form_content(
                s,
                actor,
                args.name,
                today=date.today(),
                intern_id=args.intern,
                placement_id=args.placement,
                week=args.week,
            )
        write_form(args.out, database, content)
    return 0
