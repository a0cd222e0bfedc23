"""``internhost school-form``: a school's own fillable PDF, registered once and filled
for its interns (``core.services.school_forms``).

- ``school-form list [--school ID]``: the registered forms;
- ``school-form register --school ID --file PDF [--name NAME] [--flatten]`` (HR): keep
  the school's PDF; an XFA, encrypted or field-less PDF is refused (exit 2);
- ``school-form fields ID``: its fields, their kinds and what each is mapped to;
- ``school-form values``: the InternHost values a field can be mapped to (their keys);
- ``school-form map ID FIELD KEY`` (HR): map a field (KEY ``-`` unmaps it);
- ``school-form fill ID (--intern ID | --all) --out PATH [--flatten | --editable]
  [--force] [--format text|json]``: one intern's form to the file PATH, or every
  intern of the school's into the folder PATH, one file each named
  ``<intern id>-<name>-<form>.pdf`` in ASCII; an existing file is kept (and reported)
  unless ``--force``. JSON: ``{"written": [...], "kept": [...], "failed":
  [{"intern_id", "error"}]}``; exit 1 when an intern failed.

Every action logs in (``--user``) and acts as that user: values a role may not see are
left empty and named. ``--out`` is refused (exit 2) when it is the database or one of
its files or folders, before anything is read.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from internhost.commands import Subparsers

if TYPE_CHECKING:  # the core loads when a command needs it
    from internhost.core.reports.school_forms import FillReport
    from internhost.core.services.school_forms import SchoolFormDetail

UNMAP = "-"


def add_parser(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "school-form", help="register a school's own fillable PDF, map its fields, fill it"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the registered forms")
    listing.add_argument("--school", type=int, metavar="ID", help="one school's forms only")
    register = actions.add_parser("register", help="(HR) keep a school's fillable PDF")
    register.add_argument("--school", type=int, required=True, metavar="ID")
    register.add_argument("--file", required=True, metavar="PDF", help="the school's form")
    register.add_argument("--name", help="what to call it (default: the file's name)")
    register.add_argument(
        "--flatten", action="store_true", help="fill it flattened (no fields left) by default"
    )
    fields = actions.add_parser("fields", help="a form's fields and their mapping")
    fields.add_argument("form", type=int, metavar="ID")
    actions.add_parser("values", help="the values a field can be mapped to")
    mapping = actions.add_parser("map", help="(HR) map a field to a value (KEY - unmaps)")
    mapping.add_argument("form", type=int, metavar="ID")
    mapping.add_argument("field", metavar="FIELD")
    mapping.add_argument("key", metavar="KEY")
    fill = actions.add_parser("fill", help="fill the form for an intern or the whole school")
    fill.add_argument("form", type=int, metavar="ID")
    who = fill.add_mutually_exclusive_group(required=True)
    who.add_argument("--intern", type=int, metavar="ID")
    who.add_argument("--all", action="store_true", help="every intern of the form's school")
    fill.add_argument("--out", required=True, metavar="PATH", help="a file, or with --all a folder")
    flat = fill.add_mutually_exclusive_group()
    flat.add_argument("--flatten", dest="flatten", action="store_const", const=True)
    flat.add_argument("--editable", dest="flatten", action="store_const", const=False)
    fill.add_argument("--force", action="store_true", help="replace files that exist")
    fill.add_argument("--format", choices=("text", "json"), default="text")


def _today() -> date:
    """The day values are read for (a function, so tests can move the clock)."""
    return date.today()


def run(args: argparse.Namespace) -> int:
    return {
        "list": _list,
        "register": _register,
        "fields": _fields,
        "values": _values,
        "map": _map,
        "fill": _fill,
    }[args.action](args)


def _list(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.services import school_forms
    from internhost.core.storage import db

    with logged_in(args) as (factory, actor), db.read_session(factory, actor) as s:
        rows = school_forms.list_forms(s, actor, args.school)
    for r in rows:
        flat = "flattened" if r.flatten else "editable"
        print(f"{r.id:>5}  {r.school}  {r.name}  ({r.mapped} fields mapped, {flat})")
    if not rows:
        print("No school forms registered.")
    return 0


def _register(args: argparse.Namespace) -> int:
    from internhost.cli import UsageError
    from internhost.commands.login import logged_in
    from internhost.core.fileio.attachments import MAX_ATTACHMENT_BYTES
    from internhost.core.services import school_forms
    from internhost.core.storage import db

    path = Path(args.file).expanduser()
    if path.stat().st_size > MAX_ATTACHMENT_BYTES:  # OSError: exit 3, naming the file
        raise UsageError(f"--file: {path.name} is larger than a form may be")
    content = path.read_bytes()
    data = school_forms.SchoolFormInput(
        args.school, args.name or path.stem, path.name, content, args.flatten
    )
    with logged_in(args) as (factory, actor), db.unit_of_work(factory, actor) as s:
        detail = school_forms.register_form(s, actor, data)
    print(f"Registered form {detail.form.id}: {detail.form.name} ({len(detail.fields)} fields).")
    _print_fields(detail)
    return 0


def _print_fields(detail: SchoolFormDetail) -> None:
    for f in detail.fields:
        mapped = f" -> {f.value_key}" if f.value_key else ""
        choices = f" [{', '.join(f.choices)}]" if f.choices else ""
        print(f"  {f.name}  ({f.kind_label}){choices}{mapped}")


def _fields(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.services import school_forms
    from internhost.core.storage import db

    with logged_in(args) as (factory, actor), db.read_session(factory, actor) as s:
        detail = school_forms.form_detail(s, actor, args.form)
    print(f"Form {detail.form.id}: {detail.form.name} — {detail.form.school}")
    _print_fields(detail)
    return 0


def _values(args: argparse.Namespace) -> int:
    from internhost.core.reports.school_form_values import CATALOGUE

    for option in CATALOGUE:
        print(f"{option.key:<28}  {option.group}: {option.label}")
    return 0


def _map(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.services import school_forms
    from internhost.core.storage import db

    key = None if args.key == UNMAP else args.key
    with logged_in(args) as (factory, actor), db.unit_of_work(factory, actor) as s:
        school_forms.save_mapping(s, actor, args.form, {args.field: key})
    print(f"{args.field}: {'unmapped' if key is None else key}")
    return 0


def _fill(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.fileio import files
    from internhost.core.reports import school_forms as writer
    from internhost.core.services import school_forms
    from internhost.core.storage import db

    database = db.resolve_db_path(args.db)
    out = Path(args.out).expanduser()
    files.check_output(out, database, field="--out")  # before anything is read
    with logged_in(args) as (factory, actor):
        if args.all:
            report = writer.fill_to_folder(
                factory,
                actor,
                args.form,
                out,
                database,
                _today(),
                flatten=args.flatten,
                force=args.force,
            )
        else:
            report = writer.FillReport()
            if out.exists() and not args.force:
                report.kept.append(str(out))
            else:
                with db.read_session(factory, actor) as s:
                    filled = school_forms.fill_form(
                        s, actor, args.form, args.intern, _today(), args.flatten
                    )
                writer.write_filled(filled, out, database)
                report.written.append(str(out))
                if filled.withheld:
                    report.withheld[filled.intern_id] = list(filled.withheld)
    _report(args.format, report)
    return 1 if report.failed else 0


def _report(fmt: str, report: FillReport) -> None:
    written, kept, failed, withheld = report.written, report.kept, report.failed, report.withheld
    if fmt == "json":
        print(
            json.dumps(
                {
                    "written": written,
                    "kept": kept,
                    "failed": failed,
                    "withheld": {str(k): v for k, v in withheld.items()},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for path in written:
        print(f"written  {path}")
    for path in kept:
        print(f"kept     {path} (exists; --force replaces it)")
    for failure in failed:
        print(f"failed   intern {failure['intern_id']}: {failure['error']}")
    for intern_id, names in withheld.items():
        print(f"note     intern {intern_id}: left empty (not yours to see): {', '.join(names)}")
