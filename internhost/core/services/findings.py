"""Every stored finding across interns, and HR's decisions on them.

The Compliance screen lists findings of 50,000 interns the way the interns list
does: ``list_finding_ids`` filters and sorts in SQL and returns ids only, and
``finding_rows`` builds the rows of the page on screen. A decision
(``FindingOverride``) is keyed by the finding's identity, so it outlives
re-checks; the last one recorded wins: a new decision supersedes the one before
it (which is marked revoked, as the dashboard counts only live overrides), and a
revoke ends the live one. What HR may decide is the decisions table's
(``rules/decisions.decision_for``), never this module's. Every decision is an
audited row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import Conflict, NotFound, ValidationError
from internhost.core.models import (
    Finding,
    FindingOverride,
    Intern,
    Placement,
    UserAccount,
    Worksite,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import OVERRIDE_KINDS, SEVERITIES
from internhost.core.rules.decisions import Decision, decision_for
from internhost.core.rules.messages import render
from internhost.core.rules.templates import View
from internhost.core.services.interns import visible_interns
from internhost.core.text import like_pattern
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id

if TYPE_CHECKING:
    #: A finding, its intern's names, worksite, last decision and who made it.
    _RowSelect = Select[Finding, str, str, str, FindingOverride, str, str]

#: A finding's status: HR's last decision on it (``dto.FindingRow.status``).
STATUSES: Final = ("open", "acknowledged", "overridden", "revoked")
#: Where a finding comes from: the placement itself, a planned shift, logged hours.
SOURCES: Final = ("placement", "plan", "logged")
#: The words ``dto.FindingRow.source`` has always used for them.
SOURCE_WORDS: Final = {"placement": "placement", "plan": "planned shift", "logged": "logged hours"}
SORT_KEYS: Final = ("severity", "intern", "date", "rule", "worksite", "status")
SEARCH_MAX: Final = 200
REASON_MAX: Final = 4000
#: Who may record and revoke decisions: HR (a mentor and a viewer read them).
DECIDE_PERMISSION: Final = Permission.EDIT_RECORDS
#: A decision's kind and the status it gives.
STATUS_OF_KIND: Final = {"acknowledge": "acknowledged", "override": "overridden"}


@dataclass(frozen=True)
class FindingFilter:
    """What the Compliance screen asks for; an empty value does not filter."""

    severity: str | None = None
    rule: str | None = None
    worksite_id: int | None = None
    #: Any of ``STATUSES`` (empty: every status).
    statuses: tuple[str, ...] = ()
    source: str | None = None
    #: Part of the intern's name or student id (case and accents ignored).
    search: str = ""
    intern_id: int | None = None
    #: As the dashboard counts: leave out stale findings and archived interns.
    current_only: bool = False


def _latest_decision() -> Any:
    """Correlated subquery: the id of the last decision recorded on a finding."""
    return (
        select(func.max(FindingOverride.id))
        .where(FindingOverride.identity == Finding.identity)
        .correlate(Finding)
        .scalar_subquery()
    )


def _status(decision: Any) -> ColumnElement[str]:
    return case(
        (decision.id.is_(None), "open"),
        (decision.revoked_at.is_not(None), "revoked"),
        (decision.kind == "acknowledge", "acknowledged"),
        else_="overridden",
    )


def _source(name: str) -> ColumnElement[bool]:
    if name == "plan":
        return Finding.shift_id.is_not(None)
    if name == "logged":
        return Finding.time_entry_id.is_not(None)
    return Finding.shift_id.is_(None) & Finding.time_entry_id.is_(None)


_SEVERITY_RANK = case(*((Finding.severity == s, i) for i, s in enumerate(SEVERITIES)), else_=9)


@dataclass(frozen=True)
class _Checked:
    rule: str
    statuses: tuple[str, ...]
    search: str


def _checked_filter(s: Session, f: FindingFilter) -> _Checked:
    """Every field of the filter checked (one ValidationError naming them)."""
    check = Checker()
    if f.severity is not None:
        check.choice("severity", f.severity, SEVERITIES)
    if f.source is not None:
        check.choice("source", f.source, SOURCES)
    statuses = tuple(f.statuses or ())
    if any(x not in STATUSES for x in statuses):
        check.fail("statuses", f"may hold only {', '.join(STATUSES)}")
    rule = check.search("rule", f.rule, max_len=100)
    if f.worksite_id is not None and by_id(s, Worksite, f.worksite_id) is None:
        check.fail("worksite_id", f"no worksite with id {f.worksite_id}")
    if f.intern_id is not None and by_id(s, Intern, f.intern_id) is None:
        check.fail("intern_id", f"no intern with id {f.intern_id}")
    search = check.search("search", f.search, max_len=SEARCH_MAX)
    check.done()
    return _Checked(rule, statuses, search)


def list_finding_ids(
    s: Session,
    actor: Actor,
    filters: FindingFilter = FindingFilter(),
    *,
    sort: str = "severity",
    descending: bool = False,
) -> list[int]:
    """Ids of the stored findings matching ``filters`` that the actor may see, in order
    (``sort`` first, then gravest, then by intern)."""
    require(actor, Permission.READ_RECORDS)
    if sort not in SORT_KEYS:
        raise ValidationError(
            f"unknown sort key {sort!r}; use one of {', '.join(SORT_KEYS)}", field="sort"
        )
    checked = _checked_filter(s, filters)
    f = filters
    # Only the joins a filter or the order needs: 100,000 findings list in a blink
    # unless a status or a worksite is asked for.
    stmt = select(Finding.id).join(Intern, Intern.id == Finding.intern_id)
    keys: dict[str, Any] = {
        "severity": _SEVERITY_RANK,
        "intern": Intern.sort_name,
        "date": Finding.work_date,
        "rule": Finding.rule_id,
    }
    if f.worksite_id is not None or sort == "worksite":
        placement = aliased(Placement)
        stmt = stmt.outerjoin(placement, placement.id == Finding.placement_id)
        stmt = stmt.outerjoin(Worksite, Worksite.id == placement.worksite_id)
        keys["worksite"] = Worksite.name
        if f.worksite_id is not None:
            stmt = stmt.where(placement.worksite_id == f.worksite_id)
    if checked.statuses or sort == "status":
        decision = aliased(FindingOverride)
        latest = (
            select(FindingOverride.identity, func.max(FindingOverride.id).label("last"))
            .group_by(FindingOverride.identity)
            .subquery()
        )
        stmt = stmt.outerjoin(latest, latest.c.identity == Finding.identity)
        stmt = stmt.outerjoin(decision, decision.id == latest.c.last)
        keys["status"] = _status(decision)
        if checked.statuses:
            stmt = stmt.where(_status(decision).in_(checked.statuses))
    if f.severity is not None:
        stmt = stmt.where(Finding.severity == f.severity)
    if checked.rule:
        stmt = stmt.where(Finding.rule_id == checked.rule)
    if f.source is not None:
        stmt = stmt.where(_source(f.source))
    if f.intern_id is not None:
        stmt = stmt.where(Finding.intern_id == f.intern_id)
    if checked.search:
        stmt = stmt.where(Intern.search_name.like(like_pattern(checked.search), escape="\\"))
    if f.current_only:
        stmt = stmt.where(Finding.stale.is_(False), Intern.archived_at.is_(None))
    first = keys[sort].desc() if descending else keys[sort].asc()
    # The tiebreaks are in the (intern, severity) index, so the default order never
    # reads the findings' rows: an intern's findings follow in the order stored.
    order = [first if sort == "severity" else first.nulls_last(), _SEVERITY_RANK]
    stmt = stmt.order_by(*order, Intern.sort_name, Finding.intern_id, Finding.id)
    return list(s.scalars(visible_interns(stmt, actor)))


def list_finding_rules(s: Session, actor: Actor) -> list[str]:
    """The rules that have stored findings the actor may see (the screen's rule filter)."""
    require(actor, Permission.READ_RECORDS)
    stmt = select(Finding.rule_id).join(Intern, Intern.id == Finding.intern_id).distinct()
    return sorted(s.scalars(visible_interns(stmt, actor)))


def finding_rows(s: Session, actor: Actor, ids: Sequence[int]) -> list[dto.FindingRow]:
    """Rows for ``ids`` in the order given (ids the actor may not see are skipped), each
    message worded for the actor (an age band, not an age, for a mentor)."""
    require(actor, Permission.READ_RECORDS)
    wanted = list(ids)
    if not wanted:
        return []
    by_id = {r.id: r for r in _rows(s, actor, _row_query().where(Finding.id.in_(wanted)))}
    return [by_id[i] for i in wanted if i in by_id]


def _intern_rows(s: Session, actor: Actor, intern_id: int) -> list[dto.FindingRow]:
    """Every stored finding of one intern (``compliance.list_findings`` checked that the
    actor may see them)."""
    return list(_rows(s, actor, _row_query().where(Finding.intern_id == intern_id)))


def _row_query() -> _RowSelect:
    decision = aliased(FindingOverride, name="decision")
    placement = aliased(Placement)
    return (
        select(
            Finding,
            Intern.legal_first_name,
            Intern.legal_last_name,
            Worksite.name,
            decision,
            UserAccount.display_name,
            UserAccount.username,
        )
        .join(Intern, Intern.id == Finding.intern_id)
        .outerjoin(placement, placement.id == Finding.placement_id)
        .outerjoin(Worksite, Worksite.id == placement.worksite_id)
        .outerjoin(decision, decision.id == _latest_decision())
        .outerjoin(UserAccount, UserAccount.id == decision.decided_by)
    )


def _rows(s: Session, actor: Actor, stmt: _RowSelect) -> Iterable[dto.FindingRow]:
    view = View.EXACT if actor.can(Permission.SEE_BIRTH_DATES) else View.BAND
    may_decide = actor.can(DECIDE_PERMISSION)
    for f, first, last, worksite, d, display, username in s.execute(visible_interns(stmt, actor)):
        yield _row(f, f"{last}, {first}", worksite, d, display or username, view, may_decide)


def _kind_of(f: Finding) -> str:
    return "plan" if f.shift_id else "logged" if f.time_entry_id else "placement"


def _row(
    f: Finding,
    intern_name: str,
    worksite: str | None,
    d: FindingOverride | None,
    decided_by: str | None,
    view: View,
    may_decide: bool,
) -> dto.FindingRow:
    status = _status_of(d)
    live = d if status in ("acknowledged", "overridden") else None
    table = decision_for(f.category, f.severity, f.verification)
    return dto.FindingRow(
        id=f.id,
        placement_id=f.placement_id,
        rule=f.rule_id,
        category=f.category,
        severity=f.severity,
        jurisdiction=f.jurisdiction,
        citation=f.citation,
        verification=f.verification,
        message=render(f, view),
        work_date=f.work_date,
        source=SOURCE_WORDS[_kind_of(f)],
        stale=f.stale,
        decision=live.kind if live else None,
        decision_reason=d.reason if d else None,
        status=status,
        decided_by=decided_by if d else None,
        decided_at=d.decided_at if d else None,
        actions=_actions(f, table, status) if may_decide else (),
        reason_needs=table.reason,
        advice=table.advice,
        intern_id=f.intern_id,
        intern_name=intern_name,
        worksite=worksite,
        shift_id=f.shift_id,
        time_entry_id=f.time_entry_id,
    )


def _status_of(d: FindingOverride | None) -> str:
    if d is None:
        return "open"
    return "revoked" if d.revoked_at is not None else STATUS_OF_KIND[d.kind]


def _allowed(f: Finding, table: Decision) -> tuple[str, ...]:
    """The decisions the table allows on ``f``. Logged hours record what happened, so
    any of their findings may be acknowledged with what was done about it."""
    kinds = []
    if table.may_acknowledge or f.time_entry_id is not None:
        kinds.append("acknowledge")
    if table.may_override:
        kinds.append("override")
    return tuple(kinds)


def _actions(f: Finding, table: Decision, status: str) -> tuple[str, ...]:
    live = status in ("acknowledged", "overridden")
    return _allowed(f, table) + (("revoke",) if live else ())


def _decidable(s: Session, actor: Actor, finding_id: int) -> Finding:
    require(actor, DECIDE_PERMISSION)
    finding = by_id(s, Finding, finding_id)
    visible = (
        finding is not None
        and s.scalar(
            visible_interns(select(Intern.id), actor, among=[finding.intern_id]).where(
                Intern.id == finding.intern_id
            )
        )
        is not None
    )
    if finding is None or not visible:
        raise NotFound(f"no finding with id {finding_id}")
    return finding


def _live_decisions(s: Session, finding: Finding) -> list[FindingOverride]:
    return list(
        s.scalars(
            select(FindingOverride)
            .where(
                FindingOverride.identity == finding.identity,
                FindingOverride.revoked_at.is_(None),
            )
            .order_by(FindingOverride.id)
        )
    )


def decide_finding(
    s: Session, actor: Actor, finding_id: int, kind: str, reason: str
) -> dto.FindingRow:
    """Record HR's ``kind`` ("acknowledge" or "override") on a finding, with a written
    reason, as the decisions table allows; it supersedes any earlier decision."""
    finding = _decidable(s, actor, finding_id)
    table = decision_for(finding.category, finding.severity, finding.verification)
    check = Checker()
    check.choice("kind", kind, OVERRIDE_KINDS)
    text = check.text("reason", reason, required=True, max_len=REASON_MAX, multiline=True)
    if not check.failed("kind") and kind not in _allowed(finding, table):
        if kind == "override" or not table.may_override:
            check.fail("kind", table.advice)
        else:
            check.fail("kind", "a violation of this rule is overridden, not acknowledged")
    check.done()
    audit.label(s, f"{kind} finding")
    now = utcnow()
    for earlier in _live_decisions(s, finding):
        earlier.revoked_at = now
    s.add(
        FindingOverride(
            intern_id=finding.intern_id,
            identity=finding.identity,
            rule_id=finding.rule_id,
            kind=kind,
            reason=text,
            decided_by=actor.user_id,
            decided_at=now,
        )
    )
    s.flush()
    return _one_row(s, actor, finding.id)


def revoke_decision(s: Session, actor: Actor, finding_id: int) -> dto.FindingRow:
    """End the live decision on a finding: it is open again, marked revoked (who and
    when are in the audit trail and the row)."""
    finding = _decidable(s, actor, finding_id)
    live = _live_decisions(s, finding)
    if not live:
        raise Conflict("this finding has no decision to revoke")
    audit.label(s, "revoke finding decision")
    now = utcnow()
    for decision in live:
        decision.revoked_at = now
    s.flush()
    return _one_row(s, actor, finding.id)


def _one_row(s: Session, actor: Actor, finding_id: int) -> dto.FindingRow:
    return finding_rows(s, actor, [finding_id])[0]


def export_rows(s: Session, actor: Actor) -> list[dict[str, object]]:
    """Every finding the actor may see, as ``internhost export findings`` writes it."""
    require(actor, Permission.READ_RECORDS)
    rows = _rows(s, actor, _row_query().order_by(Intern.sort_name, Intern.id, Finding.id))
    return [
        {
            "intern_id": r.intern_id,
            "placement_id": r.placement_id,
            "rule_id": r.rule,
            "severity": r.severity,
            "category": r.category,
            "source": _SOURCE_KEYS[r.source],
            "work_date": r.work_date,
            "message": r.message,
            "citation": r.citation,
            "verification": r.verification,
            "status": r.status,
            "stale": r.stale,
            "decided_by": r.decided_by,
            "reason": r.decision_reason,
        }
        for r in rows
    ]


_SOURCE_KEYS: Final = {word: key for key, word in SOURCE_WORDS.items()}
