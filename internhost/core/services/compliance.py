"""Checking an intern's stored shifts and hours, and keeping the results.

Findings are stored so dashboards and packets read them instead of recomputing
years of hours. Each keeps a stable identity (rule, shift or entry, window), so
an override keyed by it survives re-checks, and the hash of the facts and rule
packs it came from. Re-checking rewrites only what changed. The legal checklist
of each placement is brought in line with the checklist pack at the same time.

A finding's message is stored as its template's id and parameters and rendered
when it is read, for the reader: whoever's action re-checked an intern, HR reads
the intern's exact age in it and a mentor the age band (``rules/messages.py``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final, TypedDict

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.dto import ComplianceSummary
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    ChecklistItem,
    Document,
    Finding,
    Intern,
    Placement,
    School,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import CHECKLIST_STATUSES
from internhost.core.rules import checklist
from internhost.core.rules.findings import CheckResult
from internhost.core.rules.findings import Finding as RuleFinding
from internhost.core.rules.incremental import recheck_region
from internhost.core.rules.packs import load_rules
from internhost.core.services import findings
from internhost.core.services.case_facts import FactCache, StoredCase, placement_cases
from internhost.core.services.interns import visible_interns, visible_placements
from internhost.core.services.step_owners import step_rights
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id, storable


class _FindingRow(TypedDict):
    """A finding to store: ``Finding``'s columns by attribute name."""

    intern_id: int
    placement_id: int
    shift_id: int | None
    time_entry_id: int | None
    identity: str
    rule_id: str
    category: str
    severity: str
    jurisdiction: str
    citation: str
    verification: str
    template: str
    params: dict[str, Any]
    message: None
    work_date: date | None
    window_start: datetime | None
    window_end: datetime | None
    rule_packs: dict[str, str]
    input_hash: str
    stale: bool


def _finding_rows(
    stored: StoredCase, intern_id: int, result: CheckResult | None = None
) -> dict[str, _FindingRow]:
    """The rows to store for ``stored``'s findings (``result``, else a full check)."""
    result = result or stored.check()
    rows: dict[str, _FindingRow] = {}
    for finding in result.findings:
        ref = (
            stored.refs[finding.shift]
            if finding.shift is not None
            else f"placement:{stored.placement_id}:{stored.kind}"
        )
        kind, _, ident = ref.partition(":")
        row: _FindingRow = {
            "intern_id": intern_id,
            "placement_id": stored.placement_id,
            "shift_id": int(ident) if kind == "shift" else None,
            "time_entry_id": int(ident) if kind == "entry" else None,
            "identity": finding.identity(ref),
            "rule_id": finding.rule,
            "category": finding.category,
            "severity": finding.severity,
            "jurisdiction": finding.jurisdiction,
            "citation": finding.citation,
            "verification": finding.verification,
            "template": finding.template,
            "params": dict(finding.params),
            "message": None,
            # A placement's finding is about the placement, not a day worked.
            "work_date": None if kind == "placement" else finding.date,
            "window_start": finding.window[0] if finding.window else None,
            "window_end": finding.window[1] if finding.window else None,
            "rule_packs": result.rule_packs,
            "input_hash": stored.input_hash,
            "stale": False,
        }
        rows.setdefault(row["identity"], row)
    return rows


def _entries_rows(
    stored: StoredCase, intern_id: int, added: Collection[int], previous: Iterable[Finding]
) -> dict[str, _FindingRow]:
    """The rows of an entries case to which only the entries ``added`` (ids) came since
    its ``previous`` findings were stored: the weeks and chains of work they touch are
    checked again (``incremental.recheck_region``) and the stored findings of every
    other day stand, which gives what a full check gives. A full check when a stored
    finding cannot stand for itself (stale, from other packs, of an entry gone)."""
    position = {ref: index for index, ref in enumerate(stored.refs)}
    rules = load_rules(stored.case.worksite_state)
    kept: list[RuleFinding] = []
    earlier: list[tuple[Finding, int]] = []
    for finding in previous:
        index = position.get(f"entry:{finding.time_entry_id}")
        if finding.stale or finding.template is None or finding.rule_packs != rules.versions:
            return _finding_rows(stored, intern_id)
        if finding.time_entry_id is not None:
            if index is None:
                return _finding_rows(stored, intern_id)
            earlier.append((finding, index))
    changed = [position[ref] for ref in (f"entry:{i}" for i in added) if ref in position]
    region = recheck_region(stored.case, changed, rules=rules)
    for finding, index in earlier:
        if region.keeps(finding.rule_id, index):
            again = _as_rule_finding(finding, index)
            if again.identity(stored.refs[index]) != finding.identity:
                return _finding_rows(stored, intern_id)
            kept.append(again)
    findings = sorted([*region.fresh, *kept], key=RuleFinding.sort_key)
    return _finding_rows(stored, intern_id, CheckResult(tuple(findings), region.rule_packs))


def _as_rule_finding(finding: Finding, index: int) -> RuleFinding:
    """A stored finding of a shift or entry as the engine gave it (``index``: its
    record's place in the case now)."""
    window = None
    if finding.window_start is not None and finding.window_end is not None:
        window = (finding.window_start, finding.window_end)
    return RuleFinding(
        rule=finding.rule_id,
        category=finding.category,
        severity=finding.severity,
        shift=index,
        date=finding.work_date,
        jurisdiction=finding.jurisdiction,
        citation=finding.citation,
        verification=finding.verification,
        template=finding.template or "",
        params=finding.params or {},
        window=window,
    )


_COMPARED: Final = (
    "severity",
    "template",
    "params",
    "message",
    "input_hash",
    "citation",
    "verification",
    "rule_packs",
    "stale",
)


def check_intern(
    s: Session, actor: Actor, intern_id: int, today: date, cache: FactCache | None = None
) -> ComplianceSummary:
    """Re-check every placement of one intern and store the findings and checklist."""
    return check_interns(s, actor, [intern_id], today, cache)[0]


#: Interns ``check_interns`` checks together: their records read ahead in a few
#: queries (each ``IN (…)`` well under SQLite's limit on bound parameters).
CHECK_GROUP = 100


def check_interns(
    s: Session,
    actor: Actor,
    intern_ids: Iterable[int],
    today: date,
    cache: FactCache | None = None,
    *,
    only: int | None = None,
    entries_changed: Collection[int] | Mapping[int, Mapping[int, date]] | None = None,
) -> list[ComplianceSummary]:
    """Re-check every placement of each intern and store the findings and checklists,
    in the order given, a group at a time (an import checks thousands): each group's
    interns, placements, documents, shifts, entries, stored findings and checklist
    items read in a few queries, its new findings and checklist items written in one
    insert each. An id the actor may not see is ``NotFound``.

    ``only`` (a placement id): only that placement is checked (its own check, its
    planned shifts and logged entries) and its findings and checklist stored: what
    saving a placement changes, since no other placement's check reads its fields.

    ``entries_changed`` says that only the time entries of these placements changed
    since the interns were last checked (a time-clock import): then only what they
    feed is checked again (``_unchanged_cases``) and the other cases keep their
    stored findings. Given as a mapping (placement id -> {id: work date} of the entries
    added, and nothing else changed), each of those placements' entries cases is
    checked again only around the days added (``_entries_rows``), and the other cases
    only when the added days move the hours they count before them."""
    require(actor, Permission.RUN_CHECKS)
    ids = list(dict.fromkeys(intern_ids))
    unknown = next((i for i in ids if not storable(i)), None)
    if unknown is not None:
        raise NotFound(f"no intern with id {unknown}")
    cache = cache or FactCache(s)
    new_entries = entries_changed if isinstance(entries_changed, Mapping) else None
    waiting = _queued(s) if new_entries is not None else set()  # their findings are stale
    out: list[ComplianceSummary] = []
    for start in range(0, len(ids), CHECK_GROUP):
        group = ids[start : start + CHECK_GROUP]
        interns = {i.id: i for i in s.scalars(_interns(actor, group).where(Intern.id.in_(group)))}
        missing = next((i for i in group if i not in interns), None)
        if missing is not None:
            raise NotFound(f"no intern with id {missing}")
        audit.label(s, "check compliance")
        placements = [p for i in interns.values() for p in i.placements if only in (None, p.id)]
        if len(ids) > 1:  # one intern's few rows are read as its check comes to them
            cache.prefetch([p.id for p in placements])
        existing = _findings_of(s, group, only)
        items = _checklist_states(s, [p.id for p in placements])
        added: list[_FindingRow] = []
        new_items: list[dict[str, object]] = []
        for intern_id in group:
            intern = interns[intern_id]
            skip = (
                set()
                if entries_changed is None
                else _unchanged_cases(intern, entries_changed, cache)
            )
            summary, fresh, rows = _store(
                s,
                cache,
                intern,
                today,
                existing.get(intern_id, {}),
                items,
                skip,
                only,
                None if intern_id in waiting else new_entries,
            )
            out.append(summary)
            added += fresh
            new_items += rows
        s.flush()
        audit.bulk_insert(s, Finding, added)
        audit.bulk_insert(s, ChecklistItem, new_items)
    return out


def _interns(actor: Actor, ids: list[int]) -> Select[Intern]:
    """The interns of ``ids`` the actor may see, with what a check reads of their
    placements."""
    return visible_interns(select(Intern), actor, among=ids).options(
        selectinload(Intern.placements).selectinload(Placement.notice_hours),
        selectinload(Intern.placements).selectinload(Placement.assignments),
    )


def _findings_of(
    s: Session, intern_ids: list[int], placement_id: int | None = None
) -> dict[int, dict[str, Finding]]:
    """The stored findings of each of ``intern_ids`` (of one placement of theirs), by
    identity."""
    stmt = select(Finding).where(Finding.intern_id.in_(intern_ids))
    if placement_id is not None:
        stmt = stmt.where(Finding.placement_id == placement_id)
    out: dict[int, dict[str, Finding]] = {}
    for finding in s.scalars(stmt):
        out.setdefault(finding.intern_id, {})[finding.identity] = finding
    return out


#: A stored checklist item as the sync compares it: its id and whether it is retired.
ItemState = tuple[int, bool]


def _checklist_states(s: Session, placement_ids: list[int]) -> dict[int, dict[str, ItemState]]:
    """Each placement's stored checklist items by requirement key, read as plain
    values: a re-check rarely changes one, and an import's placements have thousands."""
    out: dict[int, dict[str, ItemState]] = {}
    columns = (
        ChecklistItem.placement_id,
        ChecklistItem.requirement_key,
        ChecklistItem.id,
        ChecklistItem.retired_at.is_not(None),
    )
    stmt = select(*columns).where(ChecklistItem.placement_id.in_(placement_ids))
    for placement_id, key, item_id, retired in s.execute(stmt):
        out.setdefault(placement_id, {})[key] = (item_id, bool(retired))
    return out


def _unchanged_cases(
    intern: Intern,
    entries_changed: Collection[int] | Mapping[int, Mapping[int, date]],
    cache: FactCache,
) -> set[tuple[int, str]]:
    """The cases of ``intern`` (placement id, kind) whose inputs stay the same when only
    the time entries of ``entries_changed`` changed. A case reads its own records and,
    of the intern's other placements, only the hours their entries worked in its
    first day's year before that day (the yearly hour counter of the youth wage):
    given the new entries' work dates, a case whose counter they leave as it was
    stays the same; without them, any change to another placement's entries counts."""
    changed = {p.id for p in intern.placements if p.id in entries_changed}
    dates = entries_changed if isinstance(entries_changed, Mapping) else None
    same: set[tuple[int, str]] = set()
    for placement in intern.placements:
        others = changed - {placement.id}
        for kind in ("placement", "shifts", "entries"):
            if kind == "entries" and placement.id in changed:
                continue
            if not others or (
                dates is not None
                and not _counter_moves(
                    _first_day(placement, kind, cache), [dates[p] for p in others]
                )
            ):
                same.add((placement.id, kind))
    return same


def _first_day(placement: Placement, kind: str, cache: FactCache) -> date | None:
    """The day a case of ``placement`` counts the hours before (None: unknown)."""
    if kind == "placement":
        return placement.start_date
    return cache.first_day("shift" if kind == "shifts" else "entry", placement.id)


def _counter_moves(first: date | None, added: list[Mapping[int, date]]) -> bool:
    """Whether entries worked on the days ``added`` move the hours a case starting on
    ``first`` (None: unknown, so they may) counts before it in its year."""
    if first is None:
        return True
    year = date(first.year, 1, 1)
    return any(year <= day < first for entries in added for day in entries.values())


def _case_of(finding: Finding) -> tuple[int | None, str]:
    """The case (placement id, kind) a stored finding came from, by the subject of its
    identity: ``shift:12``, ``entry:40``, ``placement:3:start`` (a probe), or
    ``placement:3:<kind>`` (about the whole case)."""
    subject = finding.identity.split("|")[1]
    head, _, rest = subject.partition(":")
    if head in ("shift", "entry"):
        return finding.placement_id, "shifts" if head == "shift" else "entries"
    tail = rest.rpartition(":")[2]
    return finding.placement_id, tail if tail in ("shifts", "entries") else "placement"


def _store(
    s: Session,
    cache: FactCache,
    intern: Intern,
    today: date,
    existing: dict[str, Finding],
    items: dict[int, dict[str, ItemState]],
    skip: set[tuple[int, str]],
    only: int | None,
    new_entries: Mapping[int, Mapping[int, date]] | None = None,
) -> tuple[ComplianceSummary, list[_FindingRow], list[dict[str, object]]]:
    """Check ``intern`` (``only`` one placement; not the cases in ``skip``, whose
    stored findings stay as they are), bring the ``existing`` findings in line and
    sync the checklists; the summary, and the new findings and checklist items for
    the caller to insert; the entries cases of ``new_entries`` (placement id -> new
    entries' ids and work dates) checked around their new entries (``_entries_rows``)."""
    wanted: dict[str, _FindingRow] = {}
    for stored in placement_cases(s, intern, cache, skip=skip, only=only):
        pid = stored.placement_id
        if new_entries is not None and stored.kind == "entries" and pid in new_entries:
            previous = (f for f in existing.values() if _case_of(f) == (pid, "entries"))
            wanted.update(_entries_rows(stored, intern.id, new_entries[pid], previous))
        else:
            wanted.update(_finding_rows(stored, intern.id))
    kept = [f for f in existing.values() if skip and _case_of(f) in skip]
    kept_ids = {f.identity for f in kept}
    removed = [f for i, f in existing.items() if i not in wanted and i not in kept_ids]
    for finding in removed:
        s.delete(finding)
    for identity, row in wanted.items():
        current = existing.get(identity)
        if current is not None and any(getattr(current, k) != row[k] for k in _COMPARED):
            for key in _COMPARED:
                setattr(current, key, row[key])
            current.computed_at = utcnow()
    added = [row for identity, row in wanted.items() if identity not in existing]
    required, new_items = 0, []
    for placement in intern.placements:
        if only in (None, placement.id):
            count, rows = _sync_checklist(
                s, cache, intern, placement, items.get(placement.id, {}), today
            )
            required += count
            new_items += rows
    counts = {"violation": 0, "warning": 0, "advisory": 0}
    for severity in [*(row["severity"] for row in wanted.values()), *(f.severity for f in kept)]:
        counts[severity] += 1
    summary = ComplianceSummary(
        intern.id,
        counts["violation"],
        counts["warning"],
        counts["advisory"],
        len(added),
        len(removed),
        required,
    )
    return summary, added, new_items


def _sync_checklist(
    s: Session,
    cache: FactCache,
    intern: Intern,
    placement: Placement,
    items: dict[str, ItemState],
    today: date,
) -> tuple[int, list[dict[str, object]]]:
    """Retire the stored ``items`` the pack no longer requires (their status and
    evidence stay as history) and revive retired ones required again; returns how
    many items the pack requires and the rows of those to add."""
    site = cache.sites.get(placement.worksite_id) if placement.worksite_id else None
    facts = checklist.PlacementFacts(
        birth_date=intern.birth_date,
        start=placement.start_date,
        end=placement.end_date,
        state=site.state if site else None,
        program=placement.program,
        paid=placement.paid,
    )
    required = {r.key: r for r in checklist.required(facts, today)}
    now = utcnow()
    for key, (item_id, retired) in items.items():
        if (key in required) == retired:  # required and retired, or the other way
            item = s.get_one(ChecklistItem, item_id)
            item.retired_at = None if retired else now
    new = [r.as_row(placement.id) for key, r in required.items() if key not in items]
    return len(required), new


def check_all(s: Session, actor: Actor, today: date) -> list[ComplianceSummary]:
    """Re-check every intern the actor may see (a mentor: their own)."""
    require(actor, Permission.RUN_CHECKS)
    ids = list(s.scalars(visible_interns(select(Intern.id), actor).order_by(Intern.id)))
    results = check_interns(s, actor, ids, today)
    if not actor.sees_only_own_interns:
        _mark_placements_checked(s, today)
    return results


def _mark_placements_checked(s: Session, today: date) -> None:
    from internhost.core.models import AppState

    if s.get(AppState, PLACEMENTS_CHECKED_KEY) is None:
        s.add(AppState(key=PLACEMENTS_CHECKED_KEY, value=today.isoformat()))
        s.flush()


LAST_SWEEP_KEY = "compliance.last_startup_sweep"
#: Set once every intern was checked with the placement check (issue 13): a database
#: from before it gets its placements' findings at the first sweep after the upgrade.
PLACEMENTS_CHECKED_KEY = "compliance.placements_checked"


def startup_sweep(s: Session, actor: Actor, today: date) -> list[ComplianceSummary]:
    """Run at app start: re-check the interns who had a birthday since the last sweep
    (a 16th or 18th birthday changes which rules and checklist items apply), those
    whose stored findings came from other rule-pack versions (a law change is a pack
    change: their findings are marked stale, then replaced) and those with a finding
    still stored as text from before templates (revision 0004), those with a document
    that expired since, those waiting since their inputs changed (``mark_stale``), and,
    once, everyone (a database from before the placement check: its placements' findings
    appear);
    of each, those the actor may see."""
    from internhost.core.dates import next_birthday
    from internhost.core.models import AppState
    from internhost.core.rules.packs import load_rules

    require(actor, Permission.RUN_CHECKS)
    state = s.get(AppState, LAST_SWEEP_KEY)
    last = date.fromisoformat(state.value) if state else None
    due: set[int] = set()
    if last is not None and last < today:
        for intern_id, born in s.execute(
            visible_interns(select(Intern.id, Intern.birth_date), actor).where(
                Intern.archived_at.is_(None)
            )
        ):
            if next_birthday(born, last) <= today:
                due.add(intern_id)
    outdated = [
        f
        for f in s.scalars(select(Finding).where(Finding.stale.is_(False)))
        if f.rule_packs != load_rules(_state_of(f.rule_packs)).versions
    ]
    for finding in outdated:
        finding.stale = True
        due.add(finding.intern_id)
    due.update(s.scalars(select(Finding.intern_id).where(Finding.template.is_(None))))
    first_placement_check = (
        s.get(AppState, PLACEMENTS_CHECKED_KEY) is None and not actor.sees_only_own_interns
    )
    if first_placement_check:
        due.update(
            s.scalars(visible_interns(select(Intern.id), actor).where(Intern.archived_at.is_(None)))
        )
    if last is not None and last < today:
        due |= _documents_expired(s, last, today)
    queued = _queued(s)
    due |= queued
    if actor.sees_only_own_interns:  # the others wait for someone who may see them
        due &= set(s.scalars(visible_interns(select(Intern.id), actor)))
    due &= set(s.scalars(select(Intern.id)))  # not IN (…): due may be every intern
    cache = FactCache(s)
    results = [check_intern(s, actor, intern_id, today, cache) for intern_id in sorted(due)]
    if first_placement_check:
        _mark_placements_checked(s, today)
    if queued:
        _set_queue(s, (queued & set(s.scalars(select(Intern.id)))) - due)
    if state is None:
        s.add(AppState(key=LAST_SWEEP_KEY, value=today.isoformat()))
    elif last is None or last < today:
        state.value = today.isoformat()
    return results


def _documents_expired(s: Session, after: date, until: date) -> set[int]:
    """The interns with a document (theirs or their placement's) that expired in
    (``after``, ``until``]: a required document may now be missing."""
    expired = (Document.expires_on > after) & (Document.expires_on <= until)
    own = select(Document.intern_id).where(expired, Document.intern_id.is_not(None))
    placed = (
        select(Placement.intern_id)
        .join(Document, Document.placement_id == Placement.id)
        .where(expired)
    )
    return {i for i in (*s.scalars(own), *s.scalars(placed)) if i is not None}


#: The interns whose findings are stale and wait for a re-check (a JSON list of ids).
RECHECK_KEY = "compliance.recheck_due"


def _queued(s: Session) -> set[int]:
    from internhost.core.models import AppState

    state = s.get(AppState, RECHECK_KEY)
    return set(json.loads(state.value)) if state else set()


def _set_queue(s: Session, ids: set[int]) -> None:
    from internhost.core.models import AppState

    state = s.get(AppState, RECHECK_KEY)
    value = json.dumps(sorted(ids))
    if state is None:
        s.add(AppState(key=RECHECK_KEY, value=value))
    else:
        state.value = value


def mark_stale(s: Session, intern_ids: Iterable[int]) -> int:
    """The inputs of these interns' checks changed (a calendar, a document): their
    stored findings are shown stale until ``recheck_stale`` (or the start-up sweep)
    checks them again. Returns how many interns wait. The caller checked the role."""
    ids = set(intern_ids)
    if not ids:
        return len(_queued(s))
    for finding in s.scalars(
        select(Finding).where(Finding.intern_id.in_(ids), Finding.stale.is_(False))
    ):
        finding.stale = True
    queue = _queued(s) | ids
    _set_queue(s, queue)
    return len(queue)


def interns_of_district(s: Session, district_id: int) -> set[int]:
    """The interns whose checks read a district's calendar: they live in it, attend
    one of its schools, or are placed from one."""
    schools = select(School.id).where(School.district_id == district_id)
    placed = select(Placement.intern_id).where(Placement.school_id.in_(schools))
    stmt = select(Intern.id).where(
        (Intern.residence_district_id == district_id)
        | Intern.school_id.in_(schools)
        | Intern.id.in_(placed)
    )
    return set(s.scalars(stmt))


def recheck_stale(
    s: Session, actor: Actor, today: date, *, limit: int | None = None
) -> list[ComplianceSummary]:
    """Re-check the interns waiting since their inputs changed (at most ``limit``),
    those the actor may see; the others wait for someone who may."""
    require(actor, Permission.RUN_CHECKS)
    queue = _queued(s)
    if not queue:
        return []
    existing = set(s.scalars(select(Intern.id).where(Intern.id.in_(queue))))
    stmt = select(Intern.id).where(Intern.id.in_(existing))
    visible = sorted(s.scalars(visible_interns(stmt, actor, among=existing)))
    chosen = visible[:limit] if limit is not None else visible
    cache = FactCache(s)
    results = [check_intern(s, actor, intern_id, today, cache) for intern_id in chosen]
    _set_queue(s, existing - set(chosen))
    return results


def _state_of(packs: dict[str, str]) -> str | None:
    """The worksite state a stored finding was checked for, from the packs it names."""
    from internhost.core.rules.packs import state_packs

    return next((state for state, pack in state_packs().items() if pack in packs), None)


def _visible_intern(s: Session, actor: Actor, intern_id: int) -> Intern:
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    stmt = visible_interns(select(Intern), actor, among=[intern_id])
    intern = s.scalar(stmt.where(Intern.id == intern_id))
    if intern is None:
        raise NotFound(f"no intern with id {intern_id}")
    return intern


def list_findings(s: Session, actor: Actor, intern_id: int) -> list[dto.FindingRow]:
    """An intern's stored findings, gravest first, with HR's decisions on them, each
    message rendered for the actor: the age band, not the age, for roles that may
    not see birth dates."""
    require(actor, Permission.READ_RECORDS)
    _visible_intern(s, actor, intern_id)
    rows = findings._intern_rows(s, actor, intern_id)
    order = {"violation": 0, "warning": 1, "advisory": 2}
    rows.sort(key=lambda r: (order[r.severity], r.work_date or date.min, r.rule))
    return rows


def list_checklist(s: Session, actor: Actor, intern_id: int) -> list[dto.ChecklistRow]:
    """The legal checklist of every placement of an intern, current items first."""
    require(actor, Permission.READ_RECORDS)
    _visible_intern(s, actor, intern_id)
    items = list(
        s.scalars(
            select(ChecklistItem)
            .join(Placement, Placement.id == ChecklistItem.placement_id)
            .where(Placement.intern_id == intern_id)
            .order_by(Placement.start_date.desc(), ChecklistItem.id)
        )
    )
    rights = step_rights(s, actor, {i.placement_id for i in items})
    return [_checklist_row(i, rights.checklist_statuses(i)) for i in items]


def _checklist_row(i: ChecklistItem, statuses: tuple[str, ...] = ()) -> dto.ChecklistRow:
    """The item for a reader who may give it ``statuses`` (none: read only)."""
    return dto.ChecklistRow(
        id=i.id,
        placement_id=i.placement_id,
        key=i.requirement_key,
        title=i.title,
        evidence_needed=i.evidence_needed,
        owner=i.owner_role,
        due=i.due_date,
        status=i.status,
        citation=i.citation,
        verification=i.verification,
        retired=i.retired_at is not None,
        note=i.note,
        statuses=statuses,
    )


NOTE_MAX = 4000


def update_checklist_item(
    s: Session,
    actor: Actor,
    item_id: int,
    *,
    status: str,
    note: str | None = None,
    evidence_document_id: int | None = None,
) -> dto.ChecklistRow:
    """Change an item's status, note or evidence: never its requirement, which only
    the checklist pack decides. HR may change any item; a mentor (``TICK_OWN_STEPS``)
    marks done or opens again the supervisor's items ``step_owners`` gives them. The
    evidence is a document of the intern, of the placement, or of no one (the
    company's)."""
    require(actor, Permission.TICK_OWN_STEPS)
    item = by_id(s, ChecklistItem, item_id)
    intern_id = (
        None
        if item is None
        else s.scalar(
            visible_placements(
                select(Placement.intern_id).where(Placement.id == item.placement_id), actor
            )
        )
    )
    if item is None or intern_id is None:
        raise NotFound(f"no checklist item with id {item_id}")
    if status not in CHECKLIST_STATUSES:
        raise ValidationError(f"must be one of {', '.join(CHECKLIST_STATUSES)}", field="status")
    refusal = step_rights(s, actor, [item.placement_id]).checklist_refusal(item, status)
    if refusal is not None:
        raise PermissionDenied(refusal)
    check = Checker()
    if note is not None:
        note = check.text("note", note, max_len=NOTE_MAX, multiline=True)
    if evidence_document_id is not None:
        document = by_id(s, Document, evidence_document_id)
        if document is None:
            check.fail("evidence_document_id", f"no document with id {evidence_document_id}")
        elif not (
            (document.intern_id in (None, intern_id))
            and (document.placement_id in (None, item.placement_id))
        ):
            check.fail("evidence_document_id", "is a document of another intern or placement")
    check.done()
    audit.label(s, "update checklist item")
    if status != item.status:
        item.status = status
        item.completed_at = utcnow() if status == "done" else None
        item.completed_by = actor.user_id if status == "done" else None
    if note is not None:
        item.note = note
    if evidence_document_id is not None:
        item.evidence_document_id = evidence_document_id
    s.flush()
    return _checklist_row(item, step_rights(s, actor, [item.placement_id]).checklist_statuses(item))
