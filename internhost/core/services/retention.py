"""Record retention: proposing and carrying out the purge of interns' records once
the retention period has passed since they last worked (LEGAL.md §2.3(b), C22).

Nothing is ever purged automatically. ``propose_purge`` lists the interns past the
period, what would go with each and how many audit entries would lose their values;
HR confirms with ``purge``, which re-checks every intern, then in one transaction
deletes them with everything that belongs to them, blanks the payloads of the audit
events that named any of their records and writes one summary event (counts, and
the seqs it blanked and ids it deleted, which ``audit verify`` checks against the
trail; no personal data). The audit trail still verifies afterwards
(``core/trail/audit_verify.py``).
Only HR admins (``Permission.MAINTAIN_DATABASE``) see or do any of it.

**When an intern last worked** is the latest of

- the work date of their latest time entry;
- the end date of each of their placements; for an archived placement without an
  end date, the day it was archived (it ran until then, at most);
- when they have neither time entries nor placements, the day their record was
  created (a roster row never placed still leaves in time).

Time entries are the evidence of work, but a placement whose hours were kept on
paper still counts, so the latest of both is taken, not the entries alone: the
law keeps the certificate, notice and agreements 3 years after the minor stops
working, and the later date never purges too early. An intern with a placement
still running (no end date and not archived, or ending today or later) or yet to
start is never eligible, archived or not. An intern is eligible once the period has
passed in full: ``last worked + period < today`` (February 29 plus whole years
falls on March 1, the later day).

**What goes with an intern** is found from the models' foreign keys, not a list:
every row that refers to one of theirs with ON DELETE CASCADE (contacts, notes,
records, placements and, through them, checklists, plans, documents, shifts, time
entries, check-ins, goals, evaluations, incidents, findings...), and the records of
packets printed for their placements (``packet_exports``, which the database would
only unlink: their file names may name the intern).

**The audit trail** keeps every event; a purge replaces the payload of each event
that named one of the intern's records, then or ever (a removed guardian, an
earlier time entry) by ``PURGED_PAYLOAD``: a record is the intern's when its key is
one of the rows deleted, or when an event shows it referring (by a foreign key
above) to a record that is. The summary stands in for the per-row entries the audit
hooks would write for the deleted rows (``audit.add_event(replaces=...)``).

An intern with an incident report (injury, illness or near miss) is never proposed,
whatever the period: the report is also a safety record, for injuries and illnesses
an OSHA record (LEGAL.md C19), whose retention the reference does not give, so no
rule here may shorten it (``INCIDENTS_NOTE``; the proposal lists who is kept).

Backups taken before a purge still hold the purged records until they are deleted:
see ``BACKUPS_NOTE``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import birthday_of_age
from internhost.core.dto import PurgeCandidate, PurgeProposal, PurgeResult
from internhost.core.errors import Conflict, ValidationError
from internhost.core.models import (
    AppState,
    AuditEvent,
    Base,
    Incident,
    Intern,
    PacketExport,
    Placement,
    School,
    TimeEntry,
)
from internhost.core.models.base import utcnow
from internhost.core.rules.packs import load_pack
from internhost.core.trail import audit
from internhost.core.trail.audit_chain import PURGED_PAYLOAD
from internhost.core.trail.audit_explain import PURGE_AGGREGATE, PURGE_RECORD, purge_record

#: The ``app_state`` key of the retention period, in whole years.
YEARS_KEY = "retention_years"
#: The law's minimum after the minor stops working, and the default: rule data
#: (``checklist.toml`` ``[retention]``, LEGAL.md §2.3(b), C22).
_RULE = load_pack("checklist").raw["retention"]
MIN_YEARS: int = _RULE["min_years"]
#: Where the minimum comes from, marked when the rule is unverified.
MIN_YEARS_BASIS: str = _RULE["citation"] + (
    "" if _RULE["verification"] == "V" else f" [unverified rule: {_RULE['verification']}]"
)
#: Longer than anyone keeps a minor's work records; a higher number is a typing slip.
MAX_YEARS = 50
OPERATION = "retention purge"
#: Rows a purge may name at once (SQLite's bound parameters, with room to spare).
_CHUNK = 500

BACKUPS_NOTE = (
    "Backups taken before the purge still hold these records: the daily backups "
    "rotate out within about five weeks (7 daily and 4 weekly copies are kept), while "
    "manual backups and the copies taken before an update or a restore stay until "
    "someone deletes them."
)

#: Why an intern with an incident report is never proposed.
INCIDENTS_NOTE = (
    "An incident report (LEGAL.md C19) is also a safety record, for an injury or illness "
    "an OSHA record, whose retention period the rules here do not give: interns with one "
    "are kept, whatever the period."
)

#: Foreign keys along which a row goes with an intern although the database would
#: only unlink it (SET NULL): a printed packet's record, whose file name may name them.
_ALSO_OWNED = frozenset({("packet_exports", "placement_id")})

#: Plain names of the tables a purge counts, in the order a preview lists them.
TABLE_LABELS = {
    "interns": "interns",
    "intern_contacts": "guardians and contacts",
    "medical_notes": "medical notes",
    "notes": "notes",
    "record_releases": "released school records",
    "placements": "placements",
    "notice_hours": "notice hours",
    "student_learner_agreements": "student-learner agreement terms",
    "documents": "documents and attachments",
    "checklist_items": "checklist items",
    "plan_items": "onboarding plan steps",
    "shifts": "shifts",
    "time_entries": "time entries",
    "work_breaks": "breaks",
    "work_tasks": "tasks done",
    "check_ins": "check-ins",
    "concerns": "concerns",
    "check_in_actions": "check-in action items",
    "check_in_cadences": "check-in schedules",
    "goals": "goals",
    "evaluations": "evaluations",
    "competency_ratings": "competency ratings",
    "incidents": "incidents",
    "site_visits": "school site visits",
    "placement_outcomes": "completion and exit records",
    "findings": "compliance findings",
    "finding_overrides": "finding decisions",
    "packet_exports": "printed packets",
}


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table.replace("_", " "))


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    order = list(TABLE_LABELS)
    return dict(
        sorted(
            ((t, n) for t, n in counts.items() if n),
            key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
        )
    )


# -- the setting


def _stored_years(s: Session) -> int:
    state = s.get(AppState, YEARS_KEY)
    try:
        years = int(state.value) if state is not None else MIN_YEARS
    except ValueError:
        years = MIN_YEARS
    return max(years, MIN_YEARS)  # never less than the law's minimum, whatever is stored


def retention_years(s: Session, actor: Actor) -> int:
    """The retention period in whole years (``MIN_YEARS`` until HR sets another)."""
    require(actor, Permission.MAINTAIN_DATABASE)
    return _stored_years(s)


def set_retention_years(s: Session, actor: Actor, years: int) -> int:
    """Keep records ``years`` after the intern last worked: from ``MIN_YEARS`` (the
    law's 3) to ``MAX_YEARS``. A change is audited (``app_state`` itself is not)."""
    require(actor, Permission.MAINTAIN_DATABASE)
    if isinstance(years, bool) or not isinstance(years, int):
        raise ValidationError("is not a whole number of years", "years")
    if years < MIN_YEARS:
        raise ValidationError(
            f"may not be less than {MIN_YEARS}: the law keeps time records, certificates "
            f"and agreements at least {MIN_YEARS} years after the intern stops working "
            f"({MIN_YEARS_BASIS})",
            "years",
        )
    if years > MAX_YEARS:
        raise ValidationError(f"may not be more than {MAX_YEARS}", "years")
    old = _stored_years(s)
    state = s.get(AppState, YEARS_KEY)
    if state is None:
        s.add(AppState(key=YEARS_KEY, value=str(years)))
    elif state.value != str(years):
        state.value = str(years)
    if old != years:
        audit.label(s, "set retention period")
        audit.add_event(
            s,
            ("retention", None),
            "update",
            {f"app_state:{YEARS_KEY}": {"before": {"years": old}, "after": {"years": years}}},
        )
    return years


# -- who is past the period


@dataclass(frozen=True)
class _Worked:
    last: date
    basis: str
    running: bool


def _last_worked(s: Session, today: date) -> dict[int, _Worked]:
    """Every intern's last worked day (see the module's docstring)."""
    candidates: dict[int, list[tuple[date, str]]] = {}
    running: set[int] = set()
    entries = (
        select(Placement.intern_id, func.max(TimeEntry.work_date))
        .join(TimeEntry, TimeEntry.placement_id == Placement.id)
        .group_by(Placement.intern_id)
    )
    for intern_id, day in s.execute(entries):
        candidates.setdefault(intern_id, []).append((day, "time entry"))
    placements = select(
        Placement.intern_id, Placement.start_date, Placement.end_date, Placement.archived_at
    )
    for intern_id, start, end, archived_at in s.execute(placements):
        if start > today or (archived_at is None and (end is None or end >= today)):
            running.add(intern_id)
        if end is not None:
            candidates.setdefault(intern_id, []).append((end, "placement end"))
        elif archived_at is not None:
            day = max(start, archived_at.date())
            candidates.setdefault(intern_id, []).append((day, "placement archived"))
    out = {}
    for intern_id, created_at in s.execute(select(Intern.id, Intern.created_at)):
        found = candidates.get(intern_id) or [(created_at.date(), "record created")]
        # The latest day; on a tie the time entry, the evidence of work, names it.
        last, basis = max(found, key=lambda c: (c[0], c[1] == "time entry"))
        out[intern_id] = _Worked(last, basis, intern_id in running)
    return out


def _eligible_since(last: date, years: int) -> date:
    return birthday_of_age(last, years) + timedelta(days=1)


def _past_the_period(s: Session, today: date, years: int) -> dict[int, _Worked]:
    return {
        intern_id: worked
        for intern_id, worked in _last_worked(s, today).items()
        if not worked.running and _eligible_since(worked.last, years) <= today
    }


def _with_incidents(s: Session) -> set[int]:
    """Interns with an incident report, whom no purge takes (``INCIDENTS_NOTE``)."""
    query = select(Placement.intern_id).join(Incident, Incident.placement_id == Placement.id)
    return set(s.scalars(query.distinct()))


def _eligible(s: Session, today: date, years: int) -> dict[int, _Worked]:
    held = _with_incidents(s)
    return {i: w for i, w in _past_the_period(s, today, years).items() if i not in held}


def due_count(s: Session, actor: Actor, today: date) -> int:
    """How many interns are past the retention period (cheap: for a reminder line)."""
    require(actor, Permission.MAINTAIN_DATABASE)
    return len(_eligible(s, today, _stored_years(s)))


# -- what goes with them


@cache
def _owned_by() -> dict[str, tuple[tuple[str, str], ...]]:
    """parent table -> ((child table, its column), ...): rows that go with a parent row."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if (fk.ondelete or "").upper() == "CASCADE" or (
                (table.name, fk.parent.name) in _ALSO_OWNED
            ):
                out.setdefault(fk.column.table.name, []).append((table.name, fk.parent.name))
    return {parent: tuple(children) for parent, children in out.items()}


@cache
def _owner_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """child table -> ((its column, parent table), ...): ``_owned_by`` turned round."""
    out: dict[str, list[tuple[str, str]]] = {}
    for parent, children in _owned_by().items():
        for child, column in children:
            out.setdefault(child, []).append((column, parent))
    return {child: tuple(columns) for child, columns in out.items()}


@cache
def _aggregate_tables() -> dict[str, str]:
    """Audit aggregate type -> the table of its root row (``findings_of_intern`` ->
    ``interns``), from the models' ``__audit_root__``."""
    out = {t.name: t.name for t in Base.metadata.sorted_tables}
    for mapper in Base.registry.mappers:
        root = mapper.class_.__audit_root__
        if root is not None:
            kind, column = root
            fk = next(iter(mapper.local_table.c[column].foreign_keys))
            out.setdefault(kind, fk.column.table.name)
    return out


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _walk(s: Session, intern_ids: Iterable[int]) -> dict[str, dict[int, int]]:
    """table -> {row id: intern id} of every row that goes with the interns."""
    found: dict[str, dict[int, int]] = {"interns": {i: i for i in intern_ids}}
    queue = [("interns", dict(found["interns"]))]
    while queue:
        parent, rows = queue.pop(0)
        for child, column in _owned_by().get(parent, ()):
            table = Base.metadata.tables[child]
            seen = found.setdefault(child, {})
            new: dict[int, int] = {}
            for chunk in _chunks(list(rows)):
                query = select(table.c.id, table.c[column]).where(table.c[column].in_(chunk))
                for row_id, parent_id in s.execute(query):
                    if row_id not in seen and row_id not in new:
                        new[row_id] = rows[parent_id]
            if new:
                seen.update(new)
                queue.append((child, new))
    return {table: rows for table, rows in found.items() if rows}


#: A record in one of its lives: SQLite may give a deleted row's id to a new row, so
#: ``("intern_contacts:1", 2)`` is the second record that had that key.
_Node = tuple[str, int]


def _audit_seqs(s: Session, keys: set[str]) -> list[int]:
    """The seqs of the events (not yet purged) that name one of the records ``keys``
    or any record an event shows belonging to one of them (see the docstring).

    Each key's history is split into lives at every event that creates it, since
    SQLite reuses the ids of deleted rows: a guardian removed from an intern being
    purged and a later guardian of another intern may share ``intern_contacts:1``,
    and only the first is the purged intern's."""
    owner_columns = _owner_columns()
    aggregate_tables = _aggregate_tables()
    t = AuditEvent.__table__
    query = (
        select(t.c.seq, t.c.aggregate_type, t.c.aggregate_id, t.c.payload)
        .where(t.c.purged_at.is_(None))
        .order_by(t.c.seq)
        .execution_options(yield_per=2000)
    )
    life: dict[str, int] = {}
    events: list[tuple[int, tuple[_Node, ...]]] = []
    parents: dict[_Node, set[_Node]] = {}
    for seq, kind, root_id, payload in s.execute(query):
        try:
            records = json.loads(payload)
        except ValueError:
            continue
        if not isinstance(records, dict):
            continue
        changes = [(k, c) for k, c in records.items() if isinstance(c, dict)]
        for key, change in changes:  # lives begin first: a parent may be created alongside
            if change.get("before") is None:
                life[key] = life.get(key, 0) + 1
        nodes = [(key, life.get(key, 0)) for key in records]
        root_table = aggregate_tables.get(kind)
        if root_table and root_id is not None:
            root = f"{root_table}:{root_id}"
            nodes.append((root, life.get(root, 0)))
        events.append((seq, tuple(nodes)))
        for key, change in changes:
            columns = owner_columns.get(key.partition(":")[0])
            if not columns:
                continue
            node = (key, life.get(key, 0))
            for state in (change.get("before"), change.get("after")):
                if not isinstance(state, dict):
                    continue
                for column, parent in columns:
                    value = state.get(column)
                    if value is not None:
                        ref = f"{parent}:{value}"
                        parents.setdefault(node, set()).add((ref, life.get(ref, 0)))
    owned: set[_Node] = {(key, life.get(key, 0)) for key in keys}  # the rows now deleted
    grew = True
    while grew:  # a record whose parent is the intern's is the intern's: to a fixpoint
        grew = False
        for node, refs in parents.items():
            if node not in owned and not refs.isdisjoint(owned):
                owned.add(node)
                grew = True
    return [seq for seq, nodes in events if not owned.isdisjoint(nodes)]


def _keys(found: dict[str, dict[int, int]]) -> set[str]:
    return {f"{table}:{row_id}" for table, rows in found.items() for row_id in rows}


def _plan(
    s: Session, years: int, eligible: dict[int, _Worked], ids: Iterable[int]
) -> tuple[list[PurgeCandidate], dict[str, dict[int, int]]]:
    """The candidates ``ids`` (all in ``eligible``) and every row that goes with them."""
    ids = sorted(ids)
    found = _walk(s, ids)
    per_intern: dict[int, Counter[str]] = {i: Counter() for i in ids}
    for table, rows in found.items():
        for owner in rows.values():
            per_intern[owner][table] += 1
    names: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        query = (
            select(Intern.id, Intern.legal_last_name, Intern.legal_first_name, School.name)
            .join(School, School.id == Intern.school_id)
            .where(Intern.id.in_(chunk))
        )
        for intern_id, last, first, school in s.execute(query):
            names[intern_id] = (f"{last}, {first}", school)
    candidates = [
        PurgeCandidate(
            intern_id=i,
            name=names[i][0],
            school=names[i][1],
            last_worked=eligible[i].last,
            basis=eligible[i].basis,
            eligible_since=_eligible_since(eligible[i].last, years),
            counts=_ordered(dict(per_intern[i])),
        )
        for i in ids
    ]
    candidates.sort(key=lambda c: (c.last_worked, c.name.casefold(), c.intern_id))
    return candidates, found


def propose_purge(s: Session, actor: Actor, today: date) -> PurgeProposal:
    """The interns past the retention period on ``today``, what would go with each,
    and how many audit events would lose their values. Writes nothing."""
    require(actor, Permission.MAINTAIN_DATABASE)
    years = _stored_years(s)
    past = _past_the_period(s, today, years)
    held = _with_incidents(s) & past.keys()
    eligible = {i: w for i, w in past.items() if i not in held}
    candidates, found = _plan(s, years, eligible, eligible)
    totals = _ordered({table: len(rows) for table, rows in found.items()})
    blanked = len(_audit_seqs(s, _keys(found))) if candidates else 0
    return PurgeProposal(
        today,
        years,
        tuple(candidates),
        totals,
        blanked,
        note=BACKUPS_NOTE,
        held_for_incidents=tuple(sorted(held)),
        held_note=INCIDENTS_NOTE if held else "",
    )


def _checked_ids(intern_ids: object) -> list[int]:
    """The ids to purge, each once, in the order given; a ``ValidationError`` of
    ``intern_ids`` when there are none, or they are no list of ids (the form or a
    script sends what it has)."""
    if isinstance(intern_ids, str | bytes) or not isinstance(intern_ids, Iterable):
        raise ValidationError("is not a list of intern ids", "intern_ids")
    ids = list(dict.fromkeys(intern_ids))
    if not ids:
        raise ValidationError("name at least one intern to purge", "intern_ids")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationError("holds something that is not an intern id", "intern_ids")
    return ids


def purge(s: Session, actor: Actor, today: date, intern_ids: Sequence[int]) -> PurgeResult:
    """Purge the interns ``intern_ids`` (from a proposal HR confirmed), all or nothing.

    Each must still be past the retention period on ``today``; otherwise ``Conflict``
    names the ones that are not, and nothing is written. Deletes them and everything
    that goes with them, blanks the payloads of the audit events that named any of
    their records, and audits the purge as one event of counts."""
    require(actor, Permission.MAINTAIN_DATABASE)
    ids = _checked_ids(intern_ids)
    years = _stored_years(s)
    eligible = _eligible(s, today, years)
    stale = sorted(i for i in ids if i not in eligible)
    if stale:
        shown = ", ".join(map(str, stale[:20])) + (" …" if len(stale) > 20 else "")
        raise Conflict(
            f"not past the {years}-year retention period on {today.isoformat()}, kept for "
            "an incident report, or no longer on record: "
            f"intern {'id' if len(stale) == 1 else 'ids'} {shown}; "
            "nothing was purged (review the proposal again)"
        )
    _candidates, found = _plan(s, years, eligible, ids)
    keys = _keys(found)
    seqs = _audit_seqs(s, keys)

    audit.label(s, OPERATION)
    # Packets' records first: deleting their placements would only unlink them.
    packets = sorted(found.get("packet_exports", {}))
    for chunk in _chunks(packets):
        for packet in s.scalars(select(PacketExport).where(PacketExport.id.in_(chunk))):
            s.delete(packet)
    for chunk in _chunks(sorted(found["interns"])):
        for intern in s.scalars(select(Intern).where(Intern.id.in_(chunk))):
            s.delete(intern)
    s.flush()

    now = utcnow()
    for chunk in _chunks(seqs):
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.seq.in_(chunk))
            .values(payload=PURGED_PAYLOAD, purged_at=now)
            .execution_options(synchronize_session=False)
        )
    deleted = _ordered({table: len(rows) for table, rows in found.items()})
    summary: dict[str, Any] = {
        table: {"before": {"rows": count}, "after": None} for table, count in deleted.items()
    }
    summary["retention"] = {
        "before": None,
        "after": {"years": years, "today": today.isoformat(), "audit_events_blanked": len(seqs)},
    }
    summary[PURGE_RECORD] = purge_record(seqs, found)
    audit.add_event(s, (PURGE_AGGREGATE, None), "delete", summary, replaces=keys)
    return PurgeResult(len(found["interns"]), deleted, len(seqs), years)
