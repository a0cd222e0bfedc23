"""``internhost audit verify [--against BACKUP]``: check the audit trail (HR admins).

It checks the hash chain, that every purged payload is accounted for by a purge,
and that the trail explains the data: every audited row has its create event and
its values are those its last event leaves it with (``core/trail/audit_verify.py``).
``--against BACKUP`` also proves that the live chain extends the backup's (the
backup opens with the database's key and is only read).

Exit 0 printing one summary line; 1 printing one line per problem (``seq N: …`` or
``<table> <id>: …``, at most 20) and then a count; 2 for a backup that cannot be
compared; 4 for a refused login.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from internhost.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    audit = subparsers.add_parser("audit", help="the audit trail (HR admins): audit verify")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="check the audit trail: its hash chain, and that it explains every record "
        "(exit 1 when not)",
    )
    verify.add_argument(
        "--against",
        metavar="BACKUP",
        help="also prove that the live chain extends this backup's (a backup of this database)",
    )


def run(args: argparse.Namespace) -> int:
    from internhost.commands.encryption import backup_key
    from internhost.commands.login import logged_in
    from internhost.core.services.audit_log import verify_audit_trail
    from internhost.core.storage import db

    against = Path(args.against).expanduser() if args.against else None
    with logged_in(args) as (factory, actor):
        key = backup_key(args, db.resolve_db_path(args.db), against) if against else None
        with db.read_session(factory, actor) as s:
            report = verify_audit_trail(s, actor, against=against, key=key)
    if report.ok:
        print(report.summary())
        return 0
    for line in report.lines():
        print(line)
    return 1
