"""``internhost packet (--intern ID [--placement ID] | --school ID | --all) [--kind school|hr]
[--combined] [--force] [--format text|json] --out PATH``: PDF packets for schools and
the HR compliance binder (``core.services.packets``, which the app's export calls too).

``--out`` is a file for one intern and a folder otherwise, holding one file per
placement named ``<intern id>-<placement id>-<slug>.pdf`` (the slug: the name in ASCII),
or with ``--combined`` one file per school, ``school-<school id>-<slug>.pdf``. ``--kind
hr`` gives one binder per intern (HR only), or one per school with ``--combined``. An
existing file is kept and reported unless ``--force``; an output path that is the
database or a backup is refused first, whatever ``--force`` says (exit 2). A batch
goes on past a failing intern and reports it (from ``WORKERS_FROM`` files on, over
worker processes that act as the logged-in user at a lower priority); JSON is
``{"written": [paths], "kept": [paths], "failed": [{"intern_id", "placement_id",
"error"}]}``. Exit 1 when anything
failed; otherwise 0, 2 bad input or an intern not found (another mentor's intern is
"not found"), 4 not allowed (the binder for anyone but HR).
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from internhost.commands import Subparsers
from internhost.core import packet_batch
from internhost.core.dto_packets import BatchResult


def add_parser(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "packet", help="write school packets or the HR compliance binder as PDF"
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--intern", type=int, metavar="ID", help="one intern (as in export)")
    which.add_argument("--school", type=int, metavar="ID", help="every placement at a school")
    which.add_argument("--all", action="store_true", help="every placement you may see")
    parser.add_argument(
        "--placement", type=int, metavar="ID", help="with --intern: default the latest"
    )
    parser.add_argument("--kind", choices=("school", "hr"), default="school")
    parser.add_argument("--combined", action="store_true", help="one file per school")
    parser.add_argument("--force", action="store_true", help="replace existing files")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--out", required=True, metavar="PATH", help="a file or a folder")


#: A batch of at least this many files is split over ``WORKERS`` worker processes
#: (``core.packet_batch``, where the app reads them too); a smaller one is written in
#: this process.
WORKERS_FROM = packet_batch.WORKERS_FROM
WORKERS = packet_batch.WORKERS


def _today() -> date:
    """The day packets are dated (a function, so tests can move the clock)."""
    return date.today()


def run(args: argparse.Namespace) -> int:
    from internhost.cli import UsageError
    from internhost.commands.login import logged_in_with_key
    from internhost.core.actor import Permission, require
    from internhost.core.fileio import files
    from internhost.core.services import packets
    from internhost.core.storage import db

    if args.placement is not None and args.intern is None:
        raise UsageError("--placement goes with --intern")
    if args.combined and args.intern is not None:
        raise UsageError("--combined is for --school or --all")
    database = db.resolve_db_path(args.db)
    out = files.check_output(args.out, database, field="--out")  # before --force, always
    today = _today()
    with logged_in_with_key(args) as (factory, actor, key):
        require(actor, Permission.PRINT_PACKETS)
        if args.kind == packets.HR:
            require(actor, Permission.PRINT_HR_BINDER)
        with db.read_session(factory, actor) as s:
            targets = packets.packet_targets(
                s,
                actor,
                intern_id=args.intern,
                placement_id=args.placement,
                school_id=args.school,
                every=args.all,
            )
        if args.kind == packets.HR:
            targets = packets.per_intern(targets)
        if args.intern is not None:
            (target,) = targets
            with db.unit_of_work(factory, actor) as s:
                one = packets.write_packet(
                    s,
                    actor,
                    target.intern_id,
                    target.placement_id,
                    out,
                    database,
                    today=today,
                    kind=args.kind,
                    overwrite=args.force,
                )
            result = BatchResult((one,), ())
        elif not args.combined and len(targets) >= WORKERS_FROM:
            from internhost.core.packet_batch import write_in_workers

            result = write_in_workers(
                database,
                key,
                actor,
                targets,
                out,
                today=today,
                kind=args.kind,
                overwrite=args.force,
                processes=WORKERS,
            )
        else:
            result = packets.write_batch(
                factory,
                actor,
                targets,
                out,
                database,
                today=today,
                kind=args.kind,
                combined=args.combined,
                overwrite=args.force,
            )
    print(_json(result) if args.format == "json" else _text(result))
    return 1 if result.failed else 0


def _json(result: BatchResult) -> str:
    return json.dumps(
        {
            "written": [str(w.path) for w in result.written if not w.kept],
            "kept": [str(w.path) for w in result.written if w.kept],
            "failed": [
                {"intern_id": f.intern_id, "placement_id": f.placement_id, "error": f.error}
                for f in result.failed
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _text(result: BatchResult) -> str:
    from internhost.core.reports.packet import shown_code

    lines = []
    for w in result.written:
        if w.kept:
            lines.append(f"kept    {w.path} (it exists; --force replaces it)")
        else:
            replaces = f", replaces {shown_code(w.replaces)}" if w.replaces else ""
            code = shown_code(w.verification)
            lines.append(f"wrote   {w.path} ({w.pages} pages, Verification {code}{replaces})")
    for f in result.failed:
        lines.append(f"failed  intern {f.intern_id} placement {f.placement_id}: {f.error}")
    written = sum(1 for w in result.written if not w.kept)
    kept = sum(1 for w in result.written if w.kept)
    lines.append(f"{written} written, {kept} kept, {len(result.failed)} failed.")
    return "\n".join(lines)
