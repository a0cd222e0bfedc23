"""``internhost audit verify``: check the audit trail's hash chain (HR admins only).

Exit 0 when every event links to the one before it and matches its hashes; 1 when
the chain is broken, printing the first bad seq and why; 4 for a refused login.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="the audit trail (HR admins): audit verify")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    actions.add_parser("verify", help="check the audit trail's hash chain (exit 1 when broken)")


def run(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core import audit_chain, db

    with logged_in(args) as (factory, actor), db.read_session(factory, actor) as s:
        report = audit_chain.verify_chain(s, actor)
    if report.ok:
        print(f"Audit trail intact: {report.events} events, every link verified")
        return 0
    print(
        f"Audit trail BROKEN at seq {report.first_bad_seq}: {report.problem} "
        f"({report.events} events read)"
    )
    return 1
