"""The HR compliance binder: what a labor inspector asks to see for one intern (issue 15).

The checklist of each placement with its evidence, the documents on file with their
numbers and expiry dates, every stored finding with HR's acknowledgement or override
(who, when, why), incidents with their notifications, hours per week and per
placement, and each placement's assigned tasks and machines with the exemption
evidence recorded for them. Drawn from an ``HrBinderData`` snapshot only; every user
value goes through ``markup.esc``.
"""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer

from internhost.core.reports.markup import esc
from internhost.core.reports.packet import (
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
from internhost.core.reports.packet_data import HrBinderData
from internhost.core.reports.template import styles


def _cover(data: HrBinderData, meta: PacketMeta) -> list[Flowable]:
    st = styles()
    name = data.preferred_name or data.legal_name
    facts = [
        ("Intern", name + (f" (legal name: {data.legal_name})" if data.legal_name != name else "")),
        (
            "Birth date",
            _d(data.birth_date) + (f" (age {data.age})" if data.age is not None else ""),
        ),
        ("School", data.school),
        ("Placements", str(len(data.placements))),
        ("Employer", data.employer),
        ("Generated", _d(meta.generated)),
        ("Verification", shown_code(meta.verification)),
        (
            "Audit chain",
            f"seq {meta.chain_seq}, hash {meta.chain_hash[:16]}…" if meta.chain_seq else "—",
        ),
        ("Rule packs", ", ".join(f"{k} {v}" for k, v in data.rule_packs) or "—"),
    ]
    return [
        Paragraph(esc(meta.title), st["Title"]),
        Paragraph(esc(name, bold=True), st["Heading2"]),
        facts_table(facts),
        note(texts()["notes"]["not_legal_advice"]),
    ]


def _placements(data: HrBinderData, layout: Layout) -> list[Flowable]:
    story: list[Flowable] = []
    for p in data.placements:
        story += [
            Section(f"placement-{p.id}", f"Placement {p.id}: {p.worksite or '—'}", layout, level=1),
            facts_table(
                [
                    ("Program", p.program),
                    ("Mentor", p.mentor or "—"),
                    ("Dates", f"{_d(p.start_date)} to {_d(p.end_date) if p.end_date else 'open'}"),
                    ("Status", _label(p.status)),
                    (
                        "Hours",
                        f"{_h(p.approved_minutes)} approved, {_h(p.awaiting_minutes)} awaiting",
                    ),
                ]
            ),
            Spacer(0, 4),
        ]
        if p.assigned_work:
            story.append(
                data_table(
                    ("Assigned", "What", "Who may (rule packs)", "Exemption evidence"),
                    p.assigned_work,
                    (0.8 * inch, 1.6 * inch, 1.9 * inch, None),
                )
            )
            story.append(Spacer(0, 4))
        if p.checklist:
            story.append(
                data_table(
                    ("Requirement", "Status", "Due", "Evidence / note"),
                    [
                        (
                            c.title + (f" [{c.verification}]" if c.verification != "V" else ""),
                            _label(c.status),
                            _d(c.due),
                            c.evidence_needed + (f"\nNote: {c.note}" if c.note else ""),
                        )
                        for c in p.checklist
                    ],
                    (2.3 * inch, 0.8 * inch, 0.95 * inch, None),
                )
            )
        story.append(Spacer(0, 8))
    return story or [Paragraph("No placements.", styles()["Normal"])]


def _documents(data: HrBinderData, layout: Layout) -> list[Flowable]:
    if not data.documents:
        return [Paragraph("No documents on file.", styles()["Normal"])]
    return [
        data_table(
            ("Document", "Number", "Issued", "Expires", "Scan"),
            [
                (
                    d.title or _label(d.doc_type),
                    d.number or "—",
                    _d(d.issued_on),
                    _d(d.expires_on),
                    f"SHA-256 {d.sha256[:12]}…" if d.sha256 else "seen on paper",
                )
                for d in data.documents
            ],
            (None, 1.2 * inch, 0.95 * inch, 0.95 * inch, 1.3 * inch),
        )
    ]


def _findings(data: HrBinderData, layout: Layout) -> list[Flowable]:
    if not data.findings:
        return [
            Paragraph("No stored findings.", styles()["Normal"]),
            note(texts()["notes"]["not_legal_advice"]),
        ]
    rows = []
    for f in data.findings:
        decided = "—"
        if f.decided_by or f.decided_at:
            decided = f"{_label(f.status)} by {f.decided_by or '—'}, {_d(f.decided_at)}"
            if f.decision_reason:
                decided += f"\nReason: {f.decision_reason}"
        rows.append(
            (
                _d(f.work_date),
                _label(f.severity),
                f"{f.message}\n{f.rule} · {f.citation} [{f.verification}]",
                decided,
            )
        )
    return [
        data_table(
            ("Date", "Severity", "Finding", "HR's decision"),
            rows,
            (0.95 * inch, 0.8 * inch, None, 2.0 * inch),
        ),
        note(texts()["notes"]["not_legal_advice"]),
    ]


def _incidents(data: HrBinderData, layout: Layout) -> list[Flowable]:
    if not data.incidents:
        return [Paragraph("No incidents.", styles()["Normal"])]
    rows = []
    for i in data.incidents:
        told = "\n".join(
            f"{n.title}: "
            + (
                f"done {_d(n.done_on)}"
                if n.done_on
                else f"not needed ({n.not_needed})"
                if n.not_needed
                else "to do"
            )
            for n in i.notices
        )
        rows.append((_d(i.occurred_at), i.kind, i.description, _label(i.status), told or "—"))
    return [
        data_table(
            ("When", "Kind", "What happened", "Status", "Notifications"),
            rows,
            (1.1 * inch, 0.7 * inch, None, 0.75 * inch, 2.1 * inch),
        )
    ]


def _hours(data: HrBinderData, layout: Layout) -> list[Flowable]:
    rows = [
        (
            _d(w.week_start),
            str(w.entries),
            _h(w.approved_minutes),
            _h(w.awaiting_minutes),
            ", ".join(w.approved_by) or "—",
        )
        for w in data.weeks
    ]
    rows.append(
        (
            "Total",
            str(sum(w.entries for w in data.weeks)),
            _h(sum(w.approved_minutes for w in data.weeks)),
            _h(sum(w.awaiting_minutes for w in data.weeks)),
            "",
        )
    )
    cde = data.cde
    return [
        data_table(
            ("Week of", "Entries", "Approved h", "Awaiting h", "Approved by"),
            rows,
            (1.1 * inch, 0.7 * inch, 0.9 * inch, 0.9 * inch, None),
            align_right=(1, 2, 3),
        ),
        Spacer(0, 6),
        Paragraph(
            esc(
                f"Career Development Experience: {_h(cde.counted_minutes)} of "
                f"{cde.total_hours} hours counted ({'met' if cde.met else 'not yet met'}); "
                f"{cde.citation} [{cde.verification}]."
            ),
            styles()["Normal"],
        ),
    ]


SECTIONS = (
    ("placements", "Placements, assigned work and checklists", _placements),
    ("documents", "Documents on file", _documents),
    ("findings", "Findings and HR's decisions", _findings),
    ("incidents", "Incidents and notifications", _incidents),
    ("hours", "Hours summary", _hours),
)


def binder_story(data: HrBinderData, meta: PacketMeta, layout: Layout) -> list[Flowable]:
    story: list[Flowable] = [Section("cover", meta.title, layout, hidden=True)]
    story += _cover(data, meta)
    story += [
        Spacer(0, 8),
        Paragraph(esc("Contents", bold=True), styles()["Heading2"]),
        Contents([(k, t) for k, t, _ in SECTIONS], layout),
        PageBreak(),
    ]
    for key, title, build in SECTIONS:
        story += [
            CondPageBreak(1.6 * inch),
            Section(key, title, layout),
            *build(data, layout),
            Spacer(0, 10),
        ]
    return story
