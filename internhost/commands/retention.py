"""``internhost purge [--dry-run] [--yes] [--format text|json]`` and
``internhost retention [--years N]``: record retention (HR admins only).

Thin shells over ``core.services.retention``, which the app's Backups screen calls
too. Both log in (``--user``); other roles exit 4 with one line naming what they may
not do.

- ``purge``: lists the interns past the retention period, what goes with each and
  how many audit entries lose their values, then purges exactly those after asking.
  Never automatic: ``--dry-run`` only lists; without ``--yes`` it asks on a terminal
  (exit 1 when the answer is no, nothing changed) and, with no terminal to ask on,
  exits 2 saying to pass ``--yes`` (before logging in, as ``restore`` does). Exit 0
  when purged, or when nobody is past the period. ``--format json`` prints one JSON
  object: ``{"proposal": {...}, "purged": {...} or null}`` (the question, if any,
  goes to standard error).
- ``retention``: prints the period and how many interns are past it; ``--years N``
  sets it (at least 3, the law's minimum: exit 2 below that).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from internhost.commands import Subparsers

if TYPE_CHECKING:
    from internhost.core.dto import PurgeProposal, PurgeResult


def add_parsers(subparsers: Subparsers) -> None:
    """Register ``purge`` and ``retention`` on the ``internhost`` parser's subparsers."""
    purge = subparsers.add_parser(
        "purge",
        help="purge the records of interns past the retention period (asks first)",
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="list what would be purged; change nothing"
    )
    purge.add_argument(
        "--yes", action="store_true", help="do not ask (required without a terminal)"
    )
    purge.add_argument("--format", choices=("text", "json"), default="text")
    retention = subparsers.add_parser(
        "retention",
        help="show or set how many years records are kept after an intern last worked",
    )
    retention.add_argument(
        "--years", type=int, metavar="N", help="set the period (at least 3, the law's minimum)"
    )


def _today() -> date:
    """The day eligibility is counted to (a function, so tests can move the clock)."""
    return date.today()


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _counts_text(counts: dict[str, int]) -> str:
    from internhost.core.services.retention import table_label

    return ", ".join(f"{table_label(t)} {n:,}" for t, n in counts.items())


def proposal_text(proposal: PurgeProposal) -> str:
    """The proposal as the terminal shows it."""
    lines = []
    held = proposal.held_for_incidents
    kept = (
        f"{_count(len(held), 'intern')} past the period {'is' if len(held) == 1 else 'are'} "
        f"kept (ids {', '.join(map(str, held))}): {proposal.held_note}"
        if held
        else ""
    )
    if not proposal.candidates:
        lines.append(
            f"Nobody is past the {proposal.years}-year retention period on "
            f"{proposal.today.isoformat()}: nothing to purge."
        )
        if kept:
            lines.append(kept)
        return "\n".join(lines)
    lines.append(
        f"{_count(len(proposal.candidates), 'intern')} past the {proposal.years}-year "
        f"retention period on {proposal.today.isoformat()}:"
    )
    for c in proposal.candidates:
        lines.append(
            f"  #{c.intern_id}  {c.name} ({c.school}): last worked {c.last_worked.isoformat()} "
            f"({c.basis}), eligible since {c.eligible_since.isoformat()}; "
            f"{_count(c.records, 'record')}"
        )
    lines.append(f"In all, {_count(proposal.records, 'record')}: {_counts_text(proposal.totals)}.")
    lines.append(
        f"{_count(proposal.audit_events, 'audit entry', 'audit entries')} would lose their "
        "values (the entries stay, so the audit chain still verifies)."
    )
    lines.append(proposal.note)
    if kept:
        lines.append(kept)
    return "\n".join(lines)


def _proposal_json(proposal: PurgeProposal) -> dict[str, Any]:
    return {
        "today": proposal.today.isoformat(),
        "retention_years": proposal.years,
        "interns": [
            {
                "id": c.intern_id,
                "name": c.name,
                "school": c.school,
                "last_worked": c.last_worked.isoformat(),
                "last_worked_from": c.basis,
                "eligible_since": c.eligible_since.isoformat(),
                "records": c.counts,
            }
            for c in proposal.candidates
        ],
        "records": proposal.totals,
        "audit_events_blanked": proposal.audit_events,
        "note": proposal.note,
        "held_for_incidents": list(proposal.held_for_incidents),
    }


def _result_json(result: PurgeResult) -> dict[str, Any]:
    return {
        "interns": result.interns,
        "records": result.deleted,
        "audit_events_blanked": result.audit_events_blanked,
        "retention_years": result.years,
    }


def _confirm(question: str, *, to_stderr: bool) -> bool:
    try:
        if to_stderr:
            print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
            answer = input()
        else:
            answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run_purge(args: argparse.Namespace) -> int:
    from internhost.cli import UsageError
    from internhost.commands.login import logged_in
    from internhost.core.services import retention
    from internhost.core.storage import db

    as_json = args.format == "json"
    if not args.dry_run and not args.yes and not sys.stdin.isatty():
        raise UsageError(
            "purge deletes records for good: pass --yes to confirm (no terminal to ask), "
            "or --dry-run to see what it would purge"
        )
    today = _today()
    with logged_in(args) as (factory, actor):
        with db.read_session(factory, actor) as s:
            proposal = retention.propose_purge(s, actor, today)
        if not as_json:
            print(proposal_text(proposal))
        result = None
        if proposal.candidates and not args.dry_run:
            question = (
                f"Purge {_count(len(proposal.candidates), 'intern')} and "
                f"{_count(proposal.records, 'record')} for good?"
            )
            if not args.yes and not _confirm(question, to_stderr=as_json):
                if as_json:
                    print(json.dumps({"proposal": _proposal_json(proposal), "purged": None}))
                print("Nothing was purged.", file=sys.stderr if as_json else sys.stdout)
                return 1
            with db.unit_of_work(factory, actor) as s:
                result = retention.purge(s, actor, today, proposal.intern_ids)
    if as_json:
        payload = {
            "proposal": _proposal_json(proposal),
            "purged": None if result is None else _result_json(result),
        }
        # ASCII escapes: printed after the purge, it must not fail on a console whose
        # code page lacks a name's letters (Windows, redirected), as the result is lost.
        print(json.dumps(payload, indent=2))
    elif result is not None:
        print(
            f"Purged {_count(result.interns, 'intern')} and {_count(result.records, 'record')}; "
            f"{_count(result.audit_events_blanked, 'audit entry', 'audit entries')} blanked. "
            "The purge is in the audit trail."
        )
    return 0


def run_retention(args: argparse.Namespace) -> int:
    from internhost.commands.login import logged_in
    from internhost.core.services import retention
    from internhost.core.storage import db

    with logged_in(args) as (factory, actor):
        if args.years is not None:
            with db.unit_of_work(factory, actor) as s:
                years = retention.set_retention_years(s, actor, args.years)
            print(f"Records are now kept {years} years after an intern last worked.")
        with db.read_session(factory, actor) as s:
            years = retention.retention_years(s, actor)
            due = retention.due_count(s, actor, _today())
    if args.years is None:
        print(f"Records are kept {years} years after an intern last worked.")
    if due:
        print(
            f"{_count(due, 'intern is', 'interns are')} past the period: "
            "review with internhost purge --dry-run"
        )
    else:
        print("Nobody is past the period.")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "purge": run_purge,
    "retention": run_retention,
}
