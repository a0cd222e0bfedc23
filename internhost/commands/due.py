"""``internhost due [--limit N] [--format text|json]``: the acting user's queue of what
needs doing (``core.services.queue.read_queue``, as the app's dashboard shows it), for a
scheduled reminder or a script.

It logs in (``--user``) and acts as that user: a mentor gets only their interns and
their own work. JSON is ``{"counts": {kind: n}, "items": [{kind, intern_id,
placement_id, due, title}]}``, items most urgent first, at most ``--limit`` (default
200), ``due`` an ISO date or null. Text is one line of counts, then one line per item.
Exit 0; 2 for a bad ``--limit`` or format; 4 when the login fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from internhost.commands import Subparsers
from internhost.core.dto import QUEUE_LIMIT, Queue


def add_parser(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "due", help="print your queue of what needs doing, most urgent first"
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=QUEUE_LIMIT,
        metavar="N",
        help=f"at most N items (default {QUEUE_LIMIT})",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _today() -> date:
    """The day the queue is read for (a function, so tests can move the clock)."""
    return date.today()


def as_json(queue: Queue) -> str:
    return json.dumps(
        {
            "counts": queue.counts,
            "items": [
                {
                    "kind": item.kind,
                    "intern_id": item.intern_id,
                    "placement_id": item.placement_id,
                    "due": item.due.isoformat() if item.due else None,
                    "title": item.title,
                }
                for item in queue.items
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def as_text(queue: Queue) -> str:
    counted = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in queue.counts.items() if n)
    lines = [f"Due as of {queue.today.isoformat()}: {counted or 'nothing'}."]
    for item in queue.items:
        due = item.due.isoformat() if item.due else "now"
        late = "overdue" if item.overdue else ""
        lines.append(f"{due:<10}  {late:<7}  {item.kind:<18}  {item.title}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.services.queue import read_queue
    from internhost.core.storage import db

    with logged_in(args) as (factory, actor), db.read_session(factory, actor) as s:
        queue = read_queue(s, actor, _today(), args.limit)
    print(as_json(queue) if args.format == "json" else as_text(queue), file=sys.stdout)
    return 0
