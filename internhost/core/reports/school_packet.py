"""The school packet: one intern's placement as the school files it for the student's
pathway endorsement (issue 15).

Drawn from a ``SchoolPacketData`` snapshot only (``services/packets.py`` builds it from
the services' DTOs as the acting role sees them): a cover with the contents, the
agreement's terms, the checklist, the hours ledger with its chart and the Career
Development Experience progress, the signed timesheets, the check-ins' shared notes,
goals, evaluations with a ratings chart, incidents the school must know of, the
training plan, completion, and a signature page. Every user value goes through
``markup.esc``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from internhost.core.reports import charts
from internhost.core.reports.markup import esc
from internhost.core.reports.packet import (
    GREY,
    Contents,
    Layout,
    PacketMeta,
    Section,
    data_table,
    facts_table,
    note,
    shown_code,
    texts,
)
from internhost.core.reports.packet import label as _label
from internhost.core.reports.packet import shown_day as _d
from internhost.core.reports.packet import shown_hours as _h
from internhost.core.reports.packet_data import Replaces, SchoolPacketData
from internhost.core.reports.template import MARGIN, PAGE_WIDTH, styles
from internhost.core.workweeks import hours

WIDTH = PAGE_WIDTH - 2 * MARGIN


def _empty(text: str) -> Paragraph:
    return Paragraph(esc(text), styles()["Normal"])


def _cover(data: SchoolPacketData, meta: PacketMeta, replaces: Replaces | None) -> list[Flowable]:
    st = styles()
    name = data.display_name
    legal = data.legal_name if data.preferred_name and data.legal_name != name else ""
    facts = [
        ("Intern", name + (f" (legal name: {legal})" if legal else "")),
        ("School", data.school + (f", {data.district}" if data.district else "")),
        ("Grade", "—" if data.grade is None else str(data.grade)),
        ("Placement", f"{data.worksite or '—'} · {data.program}"),
        ("Mentor", data.mentor or "—"),
        ("Dates", f"{_d(data.start_date)} to {_d(data.end_date) if data.end_date else 'open'}"),
        ("Status", _label(data.status) + (f": {data.status_note}" if data.status_note else "")),
        ("Employer", data.employer),
        ("Generated", _d(meta.generated)),
        ("Verification", shown_code(meta.verification)),
        ("Rule packs", ", ".join(f"{k} {v}" for k, v in data.rule_packs) or "—"),
        ("InternHost ids", f"intern {data.intern_id}, placement {data.placement_id}"),
    ]
    story: list[Flowable] = [
        Paragraph(esc(meta.title), st["Title"]),
        Paragraph(esc(name, bold=True), st["Heading2"]),
        Spacer(0, 4),
        facts_table(facts),
    ]
    if replaces is not None:
        story.append(
            note(
                f"This packet replaces the version generated {_d(replaces.generated)} "
                f"(Verification {shown_code(replaces.verification)}): the records changed since."
            )
        )
    story.append(note(texts()["notes"]["verification"]))
    return story


def _terms(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    story: list[Flowable] = [facts_table(data.terms, 2.0 * inch)]
    if data.assigned_work:
        story += [
            Spacer(0, 6),
            data_table(
                ("Assigned work", "What", "Who may (rule packs)"),
                data.assigned_work,
                (1.2 * inch, None, 2.4 * inch),
            ),
        ]
    return story


def _checklist(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    if not data.checklist:
        return [_empty("No checklist items.")]
    rows = [
        (
            item.title + (f" [{item.verification}]" if item.verification != "V" else ""),
            _label(item.status),
            _d(item.due),
            item.evidence_needed + (f"\nNote: {item.note}" if item.note else ""),
        )
        for item in data.checklist
    ]
    return [
        data_table(
            ("Requirement", "Status", "Due", "Evidence"),
            rows,
            (2.3 * inch, 0.8 * inch, 0.95 * inch, None),
        ),
        note(texts()["notes"]["not_legal_advice"]),
    ]


def _hours(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    rows = [
        (_d(w.week_start), str(w.entries), _h(w.approved_minutes), _h(w.awaiting_minutes))
        for w in data.weeks
    ]
    rows.append(
        (
            "Total",
            str(sum(w.entries for w in data.weeks)),
            _h(data.approved_minutes),
            _h(data.awaiting_minutes),
        )
    )
    cde = data.cde
    needed = cde.total_hours * 60
    cde_facts = [
        ("This placement", f"{_h(cde.placement_minutes)} approved hours"),
        (
            "Counted toward CDE",
            f"{_h(cde.counted_minutes)} of {cde.total_hours} hours"
            f" ({min(100, round(100 * cde.counted_minutes / needed)) if needed else 100} %)"
            f" · {'met' if cde.met else 'not yet met'}",
        ),
        ("Counted", f"experiences of at least {cde.min_experience_hours} hours"),
        ("Source", f"{cde.citation} [{cde.verification}]"),
    ]
    story: list[Flowable] = []
    if data.weeks:
        story.append(
            charts.hours_chart(
                [
                    (w.week_start, hours(w.approved_minutes), hours(w.awaiting_minutes))
                    for w in data.weeks
                ],
                WIDTH,
            )
        )
    story += [
        Spacer(0, 6),
        data_table(
            ("Week of", "Entries", "Approved h", "Awaiting h"),
            rows,
            (1.6 * inch, 1.0 * inch, 1.2 * inch, 1.2 * inch),
            align_right=(1, 2, 3),
        ),
        Section("cde", "Career Development Experience progress", layout, level=1),
        facts_table(cde_facts, 1.6 * inch),
        note(texts()["notes"]["cde"]),
    ]
    return story


def _timesheets(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    signed = [w for w in data.weeks if w.approved_by]
    if not signed:
        return [_empty("No approved timesheets yet.")]
    rows = [
        (_d(w.week_start), _h(w.approved_minutes), ", ".join(w.approved_by), _d(w.last_approved))
        for w in signed
    ]
    return [
        data_table(
            ("Week of", "Approved h", "Approved by", "Last approval"),
            rows,
            (1.2 * inch, 1.0 * inch, None, 1.6 * inch),
            align_right=(1,),
        )
    ]


def _check_ins(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    if not data.check_ins:
        return [_empty("No check-ins recorded.")]
    rows = [
        (
            _d(c.held_on),
            f"{_label(c.mode)}" + (f", {c.minutes} min" if c.minutes else ""),
            ", ".join(c.topics) or "—",
            c.shared_notes or "—",
        )
        for c in data.check_ins
    ]
    return [
        data_table(
            ("Date", "How", "Topics", "Notes shared with the school"),
            rows,
            (0.95 * inch, 1.0 * inch, 1.5 * inch, None),
        ),
        note(texts()["notes"]["shared_only"]),
    ]


def _goals(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    if not data.goals:
        return [_empty("No goals recorded.")]
    rows = [
        (
            g.title + (f"\n{g.description}" if g.description else ""),
            g.competency or "—",
            _d(g.target_date),
            _label(g.status),
        )
        for g in data.goals
    ]
    return [
        data_table(
            ("Goal", "Competency", "Target", "Status"),
            rows,
            (None, 1.8 * inch, 0.95 * inch, 0.9 * inch),
        )
    ]


def _evaluations(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    if not data.evaluations:
        return [_empty("No evaluations recorded.")]
    story: list[Flowable] = []
    rated = [e for e in data.evaluations if e.ratings]
    if rated:
        names = list(dict.fromkeys(r.competency for e in rated for r in e.ratings))
        series = [
            (
                name,
                [next((r.level for r in e.ratings if r.competency == name), None) for e in rated],
            )
            for name in names
        ]
        scale = max(e.scale_max for e in rated)
        story.append(charts.ratings_chart([e.evaluated_on for e in rated], series, scale, WIDTH))
    for e in data.evaluations:
        title = f"{_label(e.kind)} evaluation, {_d(e.evaluated_on)}"
        facts = [
            ("Period", e.period_label or "—"),
            ("Framework", e.framework or "—"),
            ("Overall", "—" if e.overall is None else f"{e.overall} of {e.scale_max}"),
            ("Signed by", f"{e.evaluator or '—'}, submitted {_d(e.submitted_at)}"),
            ("Intern acknowledged", _d(e.intern_acknowledged_on)),
            (
                "Verified by the school",
                f"{e.school_verified_by}, {_d(e.school_verified_on)}"
                if e.school_verified_by
                else "—",
            ),
            ("Strengths", e.strengths or "—"),
            ("Growth areas", e.growth_areas or "—"),
        ]
        part: list[Flowable] = [
            Paragraph(esc(title, bold=True), styles()["Normal"]),
            Spacer(0, 3),
            facts_table(facts),
        ]
        story.append(KeepTogether(part))
        if e.ratings:
            story.append(
                data_table(
                    ("Competency", "Level", "Evidence"),
                    [
                        (r.competency, f"{r.level} of {e.scale_max}", r.evidence or "—")
                        for r in e.ratings
                    ],
                    (2.2 * inch, 0.8 * inch, None),
                )
            )
        story.append(Spacer(0, 8))
    return story


def _incidents(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    if not data.incidents:
        return [_empty("No incidents the school must be told of.")]
    rows = [
        (_d(i.occurred_at), i.kind, i.description, _label(i.status), _d(i.school_told_on))
        for i in data.incidents
    ]
    return [
        data_table(
            ("When", "Kind", "What happened", "Status", "School told"),
            rows,
            (1.1 * inch, 0.8 * inch, None, 0.7 * inch, 0.9 * inch),
        )
    ]


def _plan(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    if not data.training_plan:
        return [_empty("No training plan steps recorded.")]
    rows = [
        (
            _label(p.phase),
            p.title,
            p.owner,
            _d(p.due_date),
            _label(p.status) + (f" ({p.completed_by})" if p.completed_by else ""),
        )
        for p in data.training_plan
    ]
    return [
        data_table(
            ("Phase", "Step", "Owner", "Due", "Status"),
            rows,
            (1.1 * inch, None, 0.9 * inch, 0.95 * inch, 1.3 * inch),
        )
    ]


def _completion(data: SchoolPacketData, layout: Layout) -> list[Flowable]:
    o = data.outcome
    if o is None:
        return [_empty("The placement has not ended yet.")]
    counts = {True: "Yes", False: "No", None: "Not decided"}[o.counts_toward_cde]
    facts = [
        ("Outcome", _label(o.kind)),
        ("Ended on", _d(o.ended_on)),
        ("Counts toward CDE", counts),
        ("Exit reflection", o.exit_reflection or "—"),
        ("Next steps", ", ".join(o.next_steps) or "—"),
        (
            "Notice of concerns",
            f"sent {_d(o.concerns_notice_sent_on)}" if o.concerns_notice_sent_on else "none sent",
        ),
    ]
    return [facts_table(facts)]


def _signatures(data: SchoolPacketData) -> list[Flowable]:
    sign = texts()["school"]
    names = {
        "Intern": data.display_name,
        "Parent or guardian": " / ".join(data.guardians),
        "Mentor": data.mentor or "",
        "School coordinator": data.coordinator,
    }
    rows: list[list[object]] = []
    style: list[Any] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]
    for role in sign["signatures"]:
        row = len(rows)
        rows.append(["", "", "", ""])
        rows.append(
            [
                Paragraph(esc(f"{role}: {names.get(role, '')}".rstrip(": ")), styles()["Small"]),
                "",
                Paragraph("Date", styles()["Small"]),
                "",
            ]
        )
        style += [
            ("TOPPADDING", (0, row), (-1, row), 30),
            ("LINEABOVE", (0, row + 1), (0, row + 1), 0.75, GREY),
            ("LINEABOVE", (2, row + 1), (2, row + 1), 0.75, GREY),
        ]
    return [
        Paragraph(esc(sign["signature_note"]), styles()["Normal"]),
        Table(
            rows, colWidths=(3.6 * inch, 0.4 * inch, 1.6 * inch, None), style=style, hAlign="LEFT"
        ),
    ]


def _documents(data: SchoolPacketData) -> list[Flowable]:
    rows = [
        (d.title or _label(d.doc_type), d.number or "—", _d(d.issued_on), _d(d.expires_on))
        for d in data.documents
    ]
    return [
        Paragraph(esc("These signed documents on file follow this page."), styles()["Normal"]),
        Spacer(0, 4),
        data_table(
            ("Document", "Number", "Issued", "Expires"),
            rows,
            (None, 1.4 * inch, 1.0 * inch, 1.0 * inch),
        ),
    ]


SECTIONS: tuple[tuple[str, str, Callable[[SchoolPacketData, Layout], list[Flowable]]], ...] = (
    ("terms", "Placement agreement", _terms),
    ("checklist", "Checklist", _checklist),
    ("hours", "Hours ledger", _hours),
    ("timesheets", "Signed weekly timesheets", _timesheets),
    ("check_ins", "Check-ins", _check_ins),
    ("goals", "Goals", _goals),
    ("evaluations", "Evaluations and competency ratings", _evaluations),
    ("incidents", "Incidents the school must know of", _incidents),
    ("plan", "Training plan", _plan),
    ("completion", "Completion", _completion),
)


def school_story(
    data: SchoolPacketData, meta: PacketMeta, layout: Layout, replaces: Replaces | None = None
) -> list[Flowable]:
    """The packet's flowables; ``layout`` collects its sections' pages as it is drawn."""
    parts = [(key, title, build) for key, title, build in SECTIONS]
    entries = [(key, title) for key, title, _ in parts] + [("signatures", "Signatures")]
    if data.documents:
        entries.append(("documents", "Documents on file"))
    story: list[Flowable] = [Section("cover", meta.title, layout, hidden=True)]
    story += _cover(data, meta, replaces)
    story += [
        Spacer(0, 8),
        Paragraph(esc("Contents", bold=True), styles()["Heading2"]),
        Contents(entries, layout),
        PageBreak(),
    ]
    for key, title, build in parts:
        story += [
            CondPageBreak(1.6 * inch),
            Section(key, title, layout),
            *build(data, layout),
            Spacer(0, 10),
        ]
    story += [PageBreak(), Section("signatures", "Signatures", layout), *_signatures(data)]
    if data.documents:
        story += [
            Spacer(0, 18),
            Section("documents", "Documents on file", layout),
            *_documents(data),
        ]
    return story
