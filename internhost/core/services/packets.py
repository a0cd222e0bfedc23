"""Packets: the school packet of an intern's placement, school batches, and the record of
every packet written (``PacketExport``), for the CLI and the app's background export.

A packet is read from the services' DTOs as the acting role sees them, so it never
shows a field the role may not see; it reads what is stored (weekly totals of logged
entries, stored findings), never re-checks or recomputes. Who may print: HR every
packet; a mentor the school packets of their own interns (another's is "not found");
a viewer school packets. The HR binder is ``services/binders.py``.

Writing one packet: snapshot → verification code (same data, same code) → the
previous packet of the same intern, placement and kind (a reprint after a change
names it on its cover) → render (ReportLab, one pass) → append the signed documents
the school receives (pypdf) → write through the output guard → record.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_packets import (
    BatchResult,
    PacketFailure,
    PacketRow,
    PacketTarget,
    PacketWritten,
)
from internhost.core.errors import NotFound
from internhost.core.models import (
    Document,
    Employer,
    Intern,
    PacketExport,
    Placement,
    School,
    UserAccount,
    Worksite,
)
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.reports import packet_data as pd
from internhost.core.reports.markup import clean
from internhost.core.reports.packet import Layout, PacketMeta, texts, verification_code
from internhost.core.services import interns
from internhost.core.validation import storable
from internhost.core.workweeks import week_start

SCHOOL = "school"
HR = "hr"
KINDS = (SCHOOL, HR)


# -- which packets


def _display(preferred: str, first: str, last: str) -> str:
    return f"{preferred or first} {last}".strip()


def slug(name: str | None) -> str:
    """The name in ASCII for a file name: accents decomposed and dropped, anything else
    dropped, words joined by hyphens; ``intern`` when nothing is left."""
    ascii_only = (
        unicodedata.normalize("NFKD", clean(name)).encode("ascii", "ignore").decode("ascii")
    )
    words = "".join(c if c.isalnum() else " " for c in ascii_only).split()
    return "-".join(words).lower()[:60].rstrip("-") or "intern"


def _latest_placement(s: Session, actor: Actor, intern_id: object) -> int:
    """The intern's latest placement by start date; ``NotFound`` for an intern the
    actor may not see, or one without placements."""
    ids = _placement_ids(s, actor, intern_id)
    found = s.scalar(
        select(Placement.id)
        .where(Placement.id.in_(ids))
        .order_by(Placement.start_date.desc(), Placement.id.desc())
        .limit(1)
    )
    if found is None:
        raise NotFound(f"intern {intern_id} has no placement")
    return found


def _placement_ids(s: Session, actor: Actor, intern_id: object) -> list[int]:
    if not isinstance(intern_id, int) or not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    seen = s.scalar(
        interns.visible_interns(select(Intern.id), actor, [intern_id]).where(Intern.id == intern_id)
    )
    if seen is None:
        raise NotFound(f"no intern with id {intern_id}")
    return list(s.scalars(select(Placement.id).where(Placement.intern_id == intern_id)))


def _chosen_placement(s: Session, actor: Actor, intern_id: int, placement_id: int | None) -> int:
    if placement_id is None:
        return _latest_placement(s, actor, intern_id)
    if placement_id not in _placement_ids(s, actor, intern_id):
        raise NotFound(f"intern {intern_id} has no placement with id {placement_id}")
    return placement_id


def packet_targets(
    s: Session,
    actor: Actor,
    *,
    intern_id: int | None = None,
    placement_id: int | None = None,
    school_id: int | None = None,
    every: bool = False,
) -> list[PacketTarget]:
    """The packets a selection makes: one intern's placement (the given one, else the
    latest), every placement at a school, or every placement (``every``); only what
    the actor may see, by school then intern name. Archived placements are left out
    of batches."""
    require(actor, Permission.PRINT_PACKETS)
    stmt = (
        select(
            Placement.intern_id,
            Placement.id,
            Placement.school_id,
            School.name,
            Intern.preferred_name,
            Intern.legal_first_name,
            Intern.legal_last_name,
        )
        .join(Intern, Intern.id == Placement.intern_id)
        .join(School, School.id == Placement.school_id)
    )
    if intern_id is not None:
        chosen = _chosen_placement(s, actor, intern_id, placement_id)
        stmt = stmt.where(Placement.id == chosen)
    else:
        if school_id is not None:
            if not storable(school_id) or s.get(School, school_id) is None:
                raise NotFound(f"no school with id {school_id}")
            stmt = stmt.where(Placement.school_id == school_id)
        elif not every:
            raise NotFound("choose an intern, a school or every intern")
        stmt = interns.visible_placements(stmt, actor).where(Placement.archived_at.is_(None))
    stmt = stmt.order_by(School.name, Intern.legal_last_name, Intern.legal_first_name, Placement.id)
    return [
        PacketTarget(i, p, sid, school, _display(pref, first, last))
        for i, p, sid, school, pref, first, last in s.execute(stmt)
    ]


def per_intern(targets: Sequence[PacketTarget]) -> list[PacketTarget]:
    """A binder is per intern (it holds every placement): the first target of each
    intern stands for them, in the targets' order."""
    seen: set[int] = set()
    out = []
    for t in targets:
        if t.intern_id not in seen:
            seen.add(t.intern_id)
            out.append(t)
    return out


def file_name(target: PacketTarget) -> str:
    """``<intern id>-<placement id>-<slug>.pdf``."""
    return f"{target.intern_id}-{target.placement_id}-{slug(target.intern_name)}.pdf"


def school_file_name(target: PacketTarget) -> str:
    """``school-<school id>-<slug>.pdf`` for a combined school file."""
    return f"school-{target.school_id}-{slug(target.school)}.pdf"


# -- the snapshot


def _rule_packs(s: Session, worksite_id: int | None) -> tuple[tuple[str, str], ...]:
    from internhost.core.rules.packs import load_pack, load_rules

    state = (
        s.scalar(select(Worksite.state).where(Worksite.id == worksite_id)) if worksite_id else None
    )
    versions = dict(load_rules(state).versions)
    checklist = load_pack("checklist")
    versions[checklist.id] = checklist.version
    return tuple(sorted(versions.items()))


def _money(cents: int | None) -> str:
    return "—" if cents is None else f"${cents / 100:.2f} an hour"


def _terms(detail: Any, employer: Employer) -> tuple[tuple[str, str], ...]:
    row, data = detail.row, detail.input
    pay = f"Paid, {_money(row.hourly_rate_cents)}" if row.paid else "Unpaid"
    status = data.employee_status.replace("_", " ")
    if data.employee_status_reason:
        status += f": {data.employee_status_reason}"
    carrier = ", ".join(x for x in (employer.wc_carrier, employer.wc_policy_number) if x)
    every = data.check_in_every_days
    return (
        ("Program", row.program_label),
        ("Worksite", row.worksite or "—"),
        ("Mentor", row.mentor or "—"),
        ("Dates", f"{row.start_date} to {row.end_date or 'open'}"),
        ("Pay", pay),
        ("Hours required", "—" if row.required_hours is None else f"{row.required_hours} hours"),
        ("Check-ins", f"every {every} days" if every else "as arranged"),
        ("Employment status", status),
        (
            "Workers' compensation",
            f"employer policy ({carrier})" if row.paid and carrier else "as the agreement says",
        ),
    )


def _assignments(s: Session, detail: Any) -> tuple[tuple[str, str, str, str], ...]:
    """The placement's areas, tasks and machines: (kind, what, who may, the task facts
    recorded for it, the exemption evidence)."""
    from internhost.core.services.assignments import assignment_options

    options = {(o.kind, o.key): o for o in assignment_options(s, detail.input.worksite_id)}
    out = []
    for a in detail.input.assignments:
        kind, key = (
            ("area", a.area_id)
            if a.area_id is not None
            else ("machine", a.equipment_id)
            if a.equipment_id is not None
            else ("task", a.task_key)
        )
        option = options.get((kind, key))
        if option is not None:
            facts = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(a.details.items()))
            out.append((kind.capitalize(), option.label, option.who_may or "—", facts or "—"))
    return tuple(out)


def _weeks(entries: Sequence[Any], starts_on: str) -> tuple[pd.WeekLine, ...]:
    """Weekly totals of the stored entries (their stored minutes, summed)."""
    weeks: dict[date, list[Any]] = {}
    for e in entries:
        weeks.setdefault(week_start(e.work_date, starts_on), []).append(e)
    out = []
    for start, rows in sorted(weeks.items()):
        approved = [r for r in rows if r.approved]
        stamps = [r.approved_at for r in approved if r.approved_at is not None]
        out.append(
            pd.WeekLine(
                week_start=start,
                approved_minutes=sum(r.worked_minutes for r in approved),
                awaiting_minutes=sum(r.worked_minutes for r in rows if not r.approved),
                entries=len(rows),
                approved_by=tuple(sorted({r.approved_by for r in approved if r.approved_by})),
                last_approved=max(stamps) if stamps else None,
            )
        )
    return tuple(out)


def _incidents(s: Session, actor: Actor, intern_id: int, pid: int) -> tuple[pd.IncidentLine, ...]:
    from internhost.core.services import incidents

    out = []
    for row in incidents.list_incidents(s, actor, intern_id=intern_id):
        if row.placement_id != pid:
            continue
        detail = incidents.get_incident(s, actor, row.id)
        school = next((n for n in detail.notices if n.key == "school"), None)
        if school is None:  # the packs do not have the school told of this kind
            continue
        out.append(
            pd.IncidentLine(
                occurred_at=row.occurred_at,
                kind=row.kind_label,
                description=row.description,
                status=row.status,
                school_told_on=school.done_on,
            )
        )
    return tuple(sorted(out, key=lambda i: i.occurred_at))


def _documents(s: Session, intern_id: int, pid: int) -> tuple[pd.DocumentLine, ...]:
    wanted = list(texts()["school"]["documents"])
    docs = s.scalars(
        select(Document)
        .where(
            Document.doc_type.in_(wanted),
            Document.sha256.is_not(None),
            (Document.placement_id == pid)
            | ((Document.intern_id == intern_id) & Document.placement_id.is_(None)),
        )
        .order_by(Document.issued_on, Document.id)
    )
    return tuple(
        pd.DocumentLine(
            id=d.id,
            doc_type=d.doc_type,
            title=d.title,
            number=d.number,
            issued_on=d.issued_on,
            expires_on=d.expires_on,
            media_type=d.media_type,
            sha256=d.sha256 or "",
        )
        for d in docs
    )


def school_packet_data(
    s: Session, actor: Actor, intern_id: int, placement_id: int | None, today: date
) -> pd.SchoolPacketData:
    """The school packet's snapshot of one intern's placement, as the actor sees it."""
    require(actor, Permission.PRINT_PACKETS)
    from internhost.core.services import (
        check_ins,
        compliance,
        evaluations,
        goals,
        hours_progress,
        onboarding,
        placements,
        progress,
    )

    pid = _chosen_placement(s, actor, intern_id, placement_id)
    intern = interns.get_intern(s, actor, intern_id, today)
    detail = placements.placement_detail(s, actor, pid)
    employer = s.scalar(select(Employer))
    if employer is None:
        raise NotFound("the employer is not set up yet")
    school = s.scalar(select(School).join(Placement).where(Placement.id == pid))
    hours = hours_progress.intern_hours(s, actor, intern_id, today)
    entries = [e for e in hours.entries if e.placement_id == pid]
    experience = next((x for x in hours.experiences if x.placement_id == pid), None)
    overview = progress.intern_progress(s, actor, intern_id, today)
    outcome = next((o for o in overview.outcomes if o.placement_id == pid), None)
    evaluation_rows = sorted(
        (e for e in evaluations.list_evaluations(s, actor, intern_id) if e.placement_id == pid),
        key=lambda e: (e.evaluated_on, e.id),
    )
    return pd.SchoolPacketData(
        employer=employer.legal_name,
        intern_id=intern_id,
        placement_id=pid,
        legal_name=f"{intern.legal_first_name} {intern.legal_last_name}",
        preferred_name=intern.display_name,
        school=detail.school,
        district=intern.district,
        grade=intern.grade,
        worksite=detail.worksite,
        mentor=detail.mentor,
        start_date=detail.row.start_date,
        end_date=detail.row.end_date,
        status=detail.row.status,
        status_note=detail.row.status_note,
        program=detail.row.program_label,
        terms=_terms(detail, employer),
        assigned_work=tuple(a[:3] for a in _assignments(s, detail)),
        checklist=tuple(
            pd.ChecklistLine(
                c.title, c.status, c.due, c.evidence_needed, c.note, c.citation, c.verification
            )
            for c in compliance.list_checklist(s, actor, intern_id)
            if c.placement_id == pid and not c.retired
        ),
        weeks=_weeks(entries, employer.workweek_start),
        cde=pd.CdeLine(
            total_hours=hours.cde_total_hours,
            min_experience_hours=hours.cde_min_experience_hours,
            counted_minutes=hours.cde_counted_minutes,
            placement_minutes=experience.approved_minutes if experience else 0,
            met=hours.cde_met,
            citation=hours.cde_citation,
            verification=hours.cde_verification,
        ),
        check_ins=tuple(
            pd.CheckInLine(c.held_on, c.mode, c.minutes, c.mentor, c.topics, c.shared_notes)
            for c in sorted(
                check_ins.list_check_ins(s, actor, intern_id), key=lambda c: (c.held_on, c.id)
            )
            if c.placement_id == pid
        ),
        goals=tuple(
            pd.GoalLine(g.title, g.description, g.target_date, g.status, g.competency)
            for g in goals.list_goals(s, actor, intern_id, today)
            if g.placement_id == pid
        ),
        evaluations=tuple(
            pd.EvaluationLine(
                kind=e.kind,
                period_label=e.period_label,
                evaluated_on=e.evaluated_on,
                framework=e.framework,
                scale_max=e.scale_max,
                evaluator=e.evaluator,
                overall=e.overall,
                strengths=e.strengths,
                growth_areas=e.growth_areas,
                submitted_at=e.submitted_at,
                intern_acknowledged_on=e.intern_acknowledged_on,
                school_verified_by=e.school_verified_by,
                school_verified_on=e.school_verified_on,
                ratings=tuple(pd.RatingLine(r.competency, r.level, r.evidence) for r in e.ratings),
            )
            for e in evaluation_rows
        ),
        incidents=_incidents(s, actor, intern_id, pid),
        outcome=None
        if outcome is None
        else pd.OutcomeLine(
            kind=outcome.kind,
            ended_on=outcome.ended_on,
            exit_reflection=outcome.exit_reflection,
            next_steps=outcome.next_steps,
            counts_toward_cde=outcome.counts_toward_cde,
            concerns_notice_sent_on=outcome.concerns_notice_sent_on,
        ),
        training_plan=tuple(
            pd.PlanLine(p.phase, p.title, p.owner, p.due_date, p.status, p.completed_by)
            for p in reversed(onboarding.list_plan_items(s, actor, intern_id, today))
            if p.placement_id == pid
        )[::-1],
        guardians=tuple(c.name for c in intern.contacts or () if c.kind == "guardian"),
        coordinator=school.coordinator_name if school else "",
        documents=_documents(s, intern_id, pid),
        rule_packs=_rule_packs(s, detail.input.worksite_id),
    )


# -- writing and recording


def _previous(s: Session, intern_id: int, pid: int | None, kind: str) -> PacketExport | None:
    return s.scalar(
        select(PacketExport)
        .where(
            PacketExport.intern_id == intern_id,
            PacketExport.placement_id == pid
            if pid is not None
            else PacketExport.placement_id.is_(None),
            PacketExport.kind == kind,
        )
        .order_by(PacketExport.created_at.desc(), PacketExport.id.desc())
        .limit(1)
    )


@dataclass
class Rendered:
    """One packet's bytes and what its record needs (plain values: a preview may hold
    it). ``replaces``: the previous packet of the same intern, placement and kind when
    its data differed, as (its record's id, its code); a reprint of the same data is
    the same version and replaces nothing."""

    content: bytes
    pages: int
    meta: PacketMeta
    intern_id: int
    placement_id: int | None
    kind: str
    replaces: tuple[int, str] | None

    @classmethod
    def of(
        cls,
        content: bytes,
        pages: int,
        meta: PacketMeta,
        intern_id: int,
        placement_id: int | None,
        kind: str,
        previous: PacketExport | None,
    ) -> Rendered:
        replaces = None if previous is None else (previous.id, previous.verification)
        return cls(content, pages, meta, intern_id, placement_id, kind, replaces)


def _replaced(
    s: Session, intern_id: int, pid: int | None, kind: str, code: str
) -> PacketExport | None:
    """The packet a new one with verification ``code`` replaces, if any."""
    previous = _previous(s, intern_id, pid, kind)
    return previous if previous is not None and previous.verification != code else None


def _replaces_line(previous: PacketExport | None) -> pd.Replaces | None:
    """What the cover says of the replaced version."""
    if previous is None:
        return None
    return pd.Replaces(previous.created_at.date(), previous.verification)


def _meta(
    s: Session, kind: str, employer: str, snapshot: object, packs: Any, today: date
) -> PacketMeta:
    from internhost.core.trail.audit_chain import current_head

    head = current_head(s)
    section = texts()[kind]
    return PacketMeta(
        title=section["title"],
        subject=section["subject"],
        employer=employer,
        generated=today,
        verification=verification_code(asdict(snapshot)),  # type: ignore[call-overload]
        chain_seq=head.seq if head else None,
        chain_hash=head.entry_hash if head else "",
        rule_packs=dict(packs),
    )


def _documents_content(
    s: Session, actor: Actor, lines: Sequence[pd.DocumentLine]
) -> list[tuple[pd.DocumentLine, bytes]]:
    from internhost.core.fileio.attachments import attachment_content

    return [(line, attachment_content(s, actor, line.id)[1]) for line in lines]


def render_school_packet(
    s: Session, actor: Actor, intern_id: int, placement_id: int | None, today: date
) -> Rendered:
    """One school packet as PDF bytes (nothing written, nothing recorded)."""
    from internhost.core.reports import appendix
    from internhost.core.reports.packet import render
    from internhost.core.reports.school_packet import school_story

    data = school_packet_data(s, actor, intern_id, placement_id, today)
    meta = _meta(s, SCHOOL, data.employer, data, data.rule_packs, today)
    previous = _replaced(s, intern_id, data.placement_id, SCHOOL, meta.verification)
    attachments = appendix.prepare(_documents_content(s, actor, data.documents))
    layout = Layout(extra_pages=appendix.page_count(attachments))
    story = school_story(data, meta, layout, _replaces_line(previous))
    content, pages = render(story, meta, layout)
    if attachments:
        content, pages = appendix.attach(content, attachments, meta)
    return Rendered.of(content, pages, meta, intern_id, data.placement_id, SCHOOL, previous)


def _record(s: Session, actor: Actor, rendered: Rendered, path: Path, sha256: str) -> int:
    """Record a written packet (``PacketExport``); returns its id."""
    row = PacketExport(
        placement_id=rendered.placement_id,
        intern_id=rendered.intern_id,
        kind=rendered.kind,
        created_at=datetime.now(UTC),
        created_by=actor.user_id,
        filename=path.name[:255],
        sha256=sha256,
        page_count=rendered.pages or None,
        rule_packs=dict(rendered.meta.rule_packs),
        verification=rendered.meta.verification,
        chain_seq=rendered.meta.chain_seq,
        chain_hash=rendered.meta.chain_hash,
        replaces_id=rendered.replaces[0] if rendered.replaces is not None else None,
    )
    s.add(row)
    s.flush()
    return row.id


def _write_bytes(path: Path, database: os.PathLike[str] | str, content: bytes) -> str:
    from internhost.core.fileio.outputs import output_file

    with output_file(path, database, op="packet", field="--out") as f:
        f.write(content)
    return hashlib.sha256(content).hexdigest()


def _kept(path: Path, database: os.PathLike[str] | str, overwrite: bool) -> bool:
    """The guard first (the database or a backup is refused, force or not), then
    whether an existing file stays."""
    from internhost.core.fileio import files

    files.check_output(path, database, field="--out")
    return path.exists() and not overwrite


Renderer = Callable[[Session, Actor, int, "int | None", date], Rendered]


def _target(
    actor: Actor,
    intern_id: int,
    placement_id: int | None,
    path: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    overwrite: bool,
) -> tuple[Path, PacketWritten | None]:
    """Where a packet goes, once the actor may print; with the file there kept (not
    ``overwrite``), what to answer instead of writing it."""
    require(actor, Permission.PRINT_PACKETS)
    target = Path(path).expanduser()
    if _kept(target, database, overwrite):
        kept = PacketWritten(target, kept=True, intern_id=intern_id, placement_id=placement_id)
        return target, kept
    return target, None


def write_packet(
    s: Session,
    actor: Actor,
    intern_id: int,
    placement_id: int | None,
    path: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    today: date,
    kind: str = SCHOOL,
    overwrite: bool = False,
) -> PacketWritten:
    """Write one packet to ``path`` and record it (in the caller's unit of work); an
    existing file is kept unless ``overwrite``."""
    target, kept = _target(actor, intern_id, placement_id, path, database, overwrite)
    if kept is not None:
        return kept
    rendered = _renderer(kind)(s, actor, intern_id, placement_id, today)
    sha = _write_bytes(target, database, rendered.content)
    packet_id = _record(s, actor, rendered, target, sha)
    return _written(target, rendered, packet_id, sha)


def write_packet_apart(
    factory: sessionmaker[Session],
    actor: Actor,
    intern_id: int,
    placement_id: int | None,
    path: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    today: date,
    kind: str = SCHOOL,
    overwrite: bool = False,
) -> PacketWritten:
    """``write_packet`` for batches and worker processes: the packet is read and
    rendered in a read session, then recorded in a short unit of work of its own, so
    several writers of one database never hold a transaction through a render (SQLite
    refuses a reader that turns writer while another one wrote)."""
    from internhost.core.storage import db

    target, kept = _target(actor, intern_id, placement_id, path, database, overwrite)
    if kept is not None:
        return kept
    with db.read_session(factory, actor) as s:
        rendered = _renderer(kind)(s, actor, intern_id, placement_id, today)
    sha = _write_bytes(target, database, rendered.content)
    with db.unit_of_work(factory, actor) as s:
        packet_id = _record(s, actor, rendered, target, sha)
    return _written(target, rendered, packet_id, sha)


def save_rendered(
    s: Session,
    actor: Actor,
    rendered: Rendered,
    path: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
) -> PacketWritten:
    """Write a packet already rendered (the app's preview) to ``path`` and record it,
    in the caller's unit of work: what the user saw is what is written and recorded.
    The rights are asked again as the packet is saved (the binder HR's alone; the
    intern still visible to the actor), the path goes through the output guard (the
    database or a backup is refused) and a file there is replaced: the app's file
    dialog asked. A failed write records nothing."""
    require(actor, Permission.PRINT_PACKETS)
    if rendered.kind not in KINDS:
        raise NotFound(f"no packet kind {rendered.kind!r}: {', '.join(KINDS)}")
    if rendered.kind == HR:
        require(actor, Permission.PRINT_HR_BINDER)
    placements = _placement_ids(s, actor, rendered.intern_id)
    if rendered.placement_id is not None and rendered.placement_id not in placements:
        raise NotFound(
            f"intern {rendered.intern_id} has no placement with id {rendered.placement_id}"
        )
    target = Path(path).expanduser()
    sha = _write_bytes(target, database, rendered.content)
    packet_id = _record(s, actor, rendered, target, sha)
    return _written(target, rendered, packet_id, sha)


def _written(target: Path, rendered: Rendered, packet_id: int, sha: str) -> PacketWritten:
    return PacketWritten(
        target,
        kept=False,
        intern_id=rendered.intern_id,
        placement_id=rendered.placement_id,
        packet_id=packet_id,
        verification=rendered.meta.verification,
        pages=rendered.pages,
        sha256=sha,
        replaces=rendered.replaces[1] if rendered.replaces is not None else "",
    )


def _renderer(kind: str) -> Renderer:
    """The function that renders a packet of ``kind`` (``school`` or ``hr``)."""
    if kind == SCHOOL:
        return render_school_packet
    if kind == HR:
        from internhost.core.services.binders import render_hr_binder

        return render_hr_binder
    raise NotFound(f"no packet kind {kind!r}: {', '.join(KINDS)}")


def write_combined(
    s: Session,
    actor: Actor,
    targets: Sequence[PacketTarget],
    path: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    today: date,
    kind: str = SCHOOL,
    overwrite: bool = False,
    progress: Progress = NO_PROGRESS,
) -> BatchResult:
    """Several packets in one file (a school's), each with its own pages and footer and
    a bookmark; a packet that fails is reported and left out, the rest are written."""
    require(actor, Permission.PRINT_PACKETS)
    from pypdf import PdfReader, PdfWriter

    target = Path(path).expanduser()
    if _kept(target, database, overwrite):
        return BatchResult((PacketWritten(target, kept=True),), ())
    make = _renderer(kind)
    done: list[tuple[PacketTarget, Rendered]] = []
    failed: list[PacketFailure] = []
    for n, t in enumerate(targets):
        progress.step(n, len(targets), t.intern_name)
        try:
            done.append((t, make(s, actor, t.intern_id, t.placement_id, today)))
        except Exception as exc:  # a batch goes on past one intern: reported, not lost
            failed.append(PacketFailure(t.intern_id, t.placement_id, _error_text(exc)))
    if not done:
        return BatchResult((), tuple(failed))
    writer = PdfWriter()
    for t, rendered in done:
        writer.append(PdfReader(io.BytesIO(rendered.content)), outline_item=t.intern_name)
    writer.add_metadata(
        {
            "/Title": f"{done[0][1].meta.title}: {done[0][0].school}",
            "/Author": done[0][1].meta.employer,
            "/Subject": done[0][1].meta.subject,
        }
    )
    out = io.BytesIO()
    writer.write(out)
    content = out.getvalue()
    sha = _write_bytes(target, database, content)
    written = []
    for _t, rendered in done:
        packet_id = _record(s, actor, rendered, target, sha)
        written.append(_written(target, rendered, packet_id, sha))
    progress.step(len(targets), len(targets), "")
    return BatchResult(tuple(written), tuple(failed))


def write_batch(
    factory: sessionmaker[Session],
    actor: Actor,
    targets: Sequence[PacketTarget],
    folder: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    today: date,
    kind: str = SCHOOL,
    combined: bool = False,
    overwrite: bool = False,
    progress: Progress = NO_PROGRESS,
) -> BatchResult:
    """A batch into ``folder``: one file per target (``<intern>-<placement>-<slug>.pdf``),
    or with ``combined`` one per school (``school-<id>-<slug>.pdf``), in this process
    (``core/packet_batch.py`` splits one over worker processes). Each file is written
    and recorded on its own, so a failing intern is reported and the rest written;
    Cancel (``progress``) stops between packets, keeping those already written."""
    from itertools import groupby

    require(actor, Permission.PRINT_PACKETS)
    from internhost.core.fileio import files
    from internhost.core.storage import db

    out = files.private_dir(files.check_output(folder, database, field="--out"))
    written: list[PacketWritten] = []
    failed: list[PacketFailure] = []
    if combined:
        for _school, group in groupby(targets, key=lambda t: t.school_id):
            members = list(group)
            progress.step(len(written) + len(failed), len(targets), members[0].school)
            path = out / school_file_name(members[0])
            try:
                with db.unit_of_work(factory, actor) as s:
                    part = write_combined(
                        s,
                        actor,
                        members,
                        path,
                        database,
                        today=today,
                        kind=kind,
                        overwrite=overwrite,
                    )
            except Exception as exc:  # the other schools still get theirs
                failed += [
                    PacketFailure(t.intern_id, t.placement_id, _error_text(exc)) for t in members
                ]
                continue
            written += list({w.path: w for w in part.written}.values())
            failed += part.failed
        return BatchResult(tuple(written), tuple(failed))
    for n, t in enumerate(targets):
        progress.step(n, len(targets), t.intern_name)
        try:
            written.append(
                write_packet_apart(
                    factory,
                    actor,
                    t.intern_id,
                    t.placement_id,
                    out / file_name(t),
                    database,
                    today=today,
                    kind=kind,
                    overwrite=overwrite,
                )
            )
        except Exception as exc:  # a batch goes on past one intern, and says so
            failed.append(PacketFailure(t.intern_id, t.placement_id, _error_text(exc)))
    return BatchResult(tuple(written), tuple(failed))


def _error_text(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if not isinstance(exc, OSError) else f"{exc.strerror or exc}"


def list_packets(s: Session, actor: Actor, intern_id: int) -> list[PacketRow]:
    """The packets recorded for an intern, newest first (the intern's page): what was
    sent to the school and when. HR binders only for those who may print them."""
    require(actor, Permission.READ_RECORDS)
    _placement_ids(s, actor, intern_id)
    stmt = (
        select(PacketExport, UserAccount.display_name, UserAccount.username)
        .outerjoin(UserAccount, UserAccount.id == PacketExport.created_by)
        .where(PacketExport.intern_id == intern_id)
        .order_by(PacketExport.created_at.desc(), PacketExport.id.desc())
    )
    if not actor.can(Permission.PRINT_HR_BINDER):
        stmt = stmt.where(PacketExport.kind != HR)
    return [
        PacketRow(
            id=p.id,
            kind=p.kind,
            intern_id=p.intern_id,
            placement_id=p.placement_id,
            created_at=p.created_at,
            created_by=name or user,
            filename=p.filename,
            pages=p.page_count,
            sha256=p.sha256,
            verification=p.verification,
            rule_packs=tuple(sorted((p.rule_packs or {}).items())),
            chain_seq=p.chain_seq,
            replaces_id=p.replaces_id,
        )
        for p, name, user in s.execute(stmt)
    ]
