"""The HR compliance binder: one intern's records as a labor inspector asks to see them
(issue 15). HR's alone (``PRINT_HR_BINDER``): it holds birth dates, stored findings and
HR's decisions on them. Written and recorded like every packet
(``services/packets.write_packet`` with ``kind="hr"``); this module reads its snapshot
and renders it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import NotFound
from internhost.core.models import Document, Employer
from internhost.core.reports import packet_data as pd
from internhost.core.reports.packet import Layout
from internhost.core.services.packets import (
    HR,
    Rendered,
    _assignments,
    _meta,
    _placement_ids,
    _replaced,
    _rule_packs,
    _weeks,
)


def _documents(s: Session, intern_id: int, placements: list[int]) -> tuple[pd.DocumentLine, ...]:
    docs = s.scalars(
        select(Document)
        .where((Document.intern_id == intern_id) | Document.placement_id.in_(placements))
        .order_by(Document.doc_type, Document.issued_on, Document.id)
    )
    return tuple(
        pd.DocumentLine(
            d.id,
            d.doc_type,
            d.title,
            d.number,
            d.issued_on,
            d.expires_on,
            d.media_type,
            d.sha256 or "",
        )
        for d in docs
    )


def _incidents(s: Session, actor: Actor, intern_id: int) -> tuple[pd.BinderIncident, ...]:
    from internhost.core.services import incidents

    out = []
    for row in incidents.list_incidents(s, actor, intern_id=intern_id):
        detail = incidents.get_incident(s, actor, row.id)
        out.append(
            pd.BinderIncident(
                placement_id=row.placement_id,
                occurred_at=row.occurred_at,
                kind=row.kind_label,
                description=row.description,
                status=row.status,
                notices=tuple(
                    pd.NoticeLine(n.title, n.citation, n.verification, n.done_on, n.not_needed)
                    for n in detail.notices
                ),
            )
        )
    return tuple(sorted(out, key=lambda i: i.occurred_at))


def hr_binder_data(s: Session, actor: Actor, intern_id: int, today: date) -> pd.HrBinderData:
    """The binder's snapshot of one intern: every placement, document, stored finding
    and decision, incident and notification, and the hours."""
    require(actor, Permission.PRINT_HR_BINDER)
    from internhost.core.services import compliance, hours_progress, interns, placements

    ids = _placement_ids(s, actor, intern_id)
    if not ids:
        raise NotFound(f"intern {intern_id} has no placement")
    intern = interns.get_intern(s, actor, intern_id, today)
    employer = s.scalar(select(Employer))
    if employer is None:
        raise NotFound("the employer is not set up yet")
    hours = hours_progress.intern_hours(s, actor, intern_id, today)
    minutes = {x.placement_id: x for x in hours.experiences}
    checklist = compliance.list_checklist(s, actor, intern_id)
    details = sorted(
        (placements.placement_detail(s, actor, pid) for pid in ids),
        key=lambda d: (d.row.start_date, d.row.id),
    )
    return pd.HrBinderData(
        employer=employer.legal_name,
        intern_id=intern_id,
        legal_name=f"{intern.legal_first_name} {intern.legal_last_name}",
        preferred_name=intern.display_name,
        birth_date=intern.birth_date,
        age=intern.age,
        school=intern.school,
        placements=tuple(
            pd.BinderPlacement(
                id=d.row.id,
                worksite=d.worksite,
                mentor=d.mentor,
                start_date=d.row.start_date,
                end_date=d.row.end_date,
                status=d.row.status,
                program=d.row.program_label,
                approved_minutes=minutes[d.row.id].approved_minutes if d.row.id in minutes else 0,
                awaiting_minutes=minutes[d.row.id].awaiting_minutes if d.row.id in minutes else 0,
                assigned_work=_assignments(s, d),
                checklist=tuple(
                    pd.ChecklistLine(
                        c.title,
                        c.status,
                        c.due,
                        c.evidence_needed,
                        c.note,
                        c.citation,
                        c.verification,
                    )
                    for c in checklist
                    if c.placement_id == d.row.id and not c.retired
                ),
            )
            for d in details
        ),
        documents=_documents(s, intern_id, ids),
        findings=tuple(
            pd.FindingLine(
                f.placement_id,
                f.work_date,
                f.severity,
                f.rule,
                f.message,
                f.citation,
                f.verification,
                f.source,
                f.status,
                f.decision_reason,
                f.decided_by,
                f.decided_at,
            )
            for f in compliance.list_findings(s, actor, intern_id)
        ),
        incidents=_incidents(s, actor, intern_id),
        weeks=_weeks(hours.entries, employer.workweek_start),
        cde=pd.CdeLine(
            total_hours=hours.cde_total_hours,
            min_experience_hours=hours.cde_min_experience_hours,
            counted_minutes=hours.cde_counted_minutes,
            placement_minutes=hours.approved_minutes,
            met=hours.cde_met,
            citation=hours.cde_citation,
            verification=hours.cde_verification,
        ),
        rule_packs=_rule_packs(s, details[-1].input.worksite_id if details else None),
    )


def render_hr_binder(
    s: Session, actor: Actor, intern_id: int, placement_id: int | None, today: date
) -> Rendered:
    """One intern's binder as PDF bytes (``placement_id`` is ignored: a binder holds
    every placement of the intern). Nothing written, nothing recorded."""
    from internhost.core.reports.hr_binder import binder_story
    from internhost.core.reports.packet import render

    data = hr_binder_data(s, actor, intern_id, today)
    meta = _meta(s, HR, data.employer, data, data.rule_packs, today)
    previous = _replaced(s, intern_id, None, HR, meta.verification)
    layout = Layout()
    content, pages = render(binder_story(data, meta, layout), meta, layout)
    return Rendered.of(content, pages, meta, intern_id, None, HR, previous)
