"""The school coordinator's site visits, and how a placement ended: completed (the
intern's exit reflection, the mentor's closing notes, next steps toward college and
career, whether it counts toward the Career Development Experience, LEGAL.md §3.2) or
terminated early (its reason, and when the school got the notice of concerns).

Recording an ending sets the placement's status through the placement's own save
(``placements.save_placement``: its status rules, re-check and trail), never beside it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_progress import OutcomeRow, SiteVisitRow
from internhost.core.errors import FieldError, NotFound, ValidationError
from internhost.core.models import Placement, PlacementOutcome, SiteVisit, UserAccount
from internhost.core.models.enums import OUTCOME_KINDS
from internhost.core.services import placements
from internhost.core.services.progress import placement_for
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id
from internhost.paths import resource

NOTES_MAX = 4000
STEP_MAX = 200
MAX_STEPS = 20


@cache
def next_step_choices() -> tuple[str, ...]:
    """The next steps the completion dialog offers first (``resources/outcomes``)."""
    with resource("outcomes", "next_steps.toml").open("rb") as fh:
        return tuple(tomllib.load(fh)["next_steps"])


# -- site visits


@dataclass(frozen=True)
class SiteVisitInput:
    placement_id: int
    visited_on: date
    visitor: str
    notes: str = ""


def visit_rows(s: Session, visits: list[SiteVisit]) -> list[SiteVisitRow]:
    users = dict(
        s.execute(
            select(UserAccount.id, UserAccount.display_name).where(
                UserAccount.id.in_({v.recorded_by for v in visits if v.recorded_by})
            )
        ).all()
    )
    return [
        SiteVisitRow(
            v.id,
            v.placement_id,
            v.visited_on,
            v.visitor,
            v.notes,
            users.get(v.recorded_by) if v.recorded_by else None,
        )
        for v in visits
    ]


def save_site_visit(
    s: Session, actor: Actor, data: SiteVisitInput, visit_id: int | None = None
) -> SiteVisitRow:
    """Record (or correct) a school coordinator's visit: HR records it."""
    require(actor, Permission.EDIT_RECORDS)
    current = by_id(s, SiteVisit, visit_id) if visit_id is not None else None
    if visit_id is not None and current is None:
        raise NotFound(f"no site visit with id {visit_id}")
    check = Checker()
    placement = by_id(s, Placement, data.placement_id)
    if placement is None:
        check.fail("placement_id", "is not a placement on record")
    visited = check.work_date("visited_on", data.visited_on, required=True)
    if placement is not None and visited is not None and visited < placement.start_date:
        check.fail("visited_on", "is before the placement starts")
    visitor = check.name("visitor", data.visitor, required=True)
    notes = check.text("notes", data.notes, max_len=NOTES_MAX, multiline=True)
    check.done()
    assert visited is not None
    audit.label(s, "save site visit")
    visit = current or SiteVisit(recorded_by=actor.user_id)
    visit.placement_id, visit.visited_on = data.placement_id, visited
    visit.visitor, visit.notes = visitor, notes
    if current is None:
        s.add(visit)
    s.flush()
    return visit_rows(s, [visit])[0]


# -- how a placement ended


@dataclass(frozen=True)
class OutcomeInput:
    placement_id: int
    kind: str
    ended_on: date
    termination_reason: str = ""
    concerns_notice_sent_on: date | None = None
    exit_reflection: str = ""
    mentor_notes: str = ""
    next_steps: tuple[str, ...] = ()
    counts_toward_cde: bool | None = None


def outcome_row(o: PlacementOutcome) -> OutcomeRow:
    return OutcomeRow(
        placement_id=o.placement_id,
        kind=o.kind,
        ended_on=o.ended_on,
        termination_reason=o.termination_reason,
        concerns_notice_sent_on=o.concerns_notice_sent_on,
        exit_reflection=o.exit_reflection,
        mentor_notes=o.mentor_notes,
        next_steps=tuple(o.next_steps or ()),
        counts_toward_cde=o.counts_toward_cde,
    )


def _checked_steps(check: Checker, given: tuple[str, ...]) -> list[str]:
    if not isinstance(given, tuple | list):
        check.fail("next_steps", "is not a list")
        return []
    if len(given) > MAX_STEPS:
        check.fail("next_steps", f"may hold at most {MAX_STEPS}")
        return []
    steps: list[str] = []
    for i, raw in enumerate(given):
        step: object = raw  # any value may come in
        text = check.text(
            f"next_steps[{i}]",
            step if isinstance(step, str) else None,
            max_len=STEP_MAX,
            required=True,
        )
        if text and text.casefold() in {s.casefold() for s in steps}:
            check.fail(f"next_steps[{i}]", f"{text!r} is listed twice")
        elif text:
            steps.append(text)
    return steps


def save_outcome(s: Session, actor: Actor, data: OutcomeInput, *, today: date) -> OutcomeRow:
    """Record how a placement ended, and give it that status (completed or terminated)
    through the placement's save. A mentor may write only the closing notes of their
    own intern's placement once HR recorded its end."""
    require(actor, Permission.LOG_MENTORING)
    placement = placement_for(s, actor, data.placement_id)
    current = s.scalar(
        select(PlacementOutcome).where(PlacementOutcome.placement_id == placement.id)
    )
    check = Checker()
    notes = check.text("mentor_notes", data.mentor_notes, max_len=NOTES_MAX, multiline=True)
    if not actor.can(Permission.EDIT_RECORDS):
        if current is None:
            raise ValidationError("HR records how the placement ended first", "mentor_notes")
        if _changed(current, replace(data, mentor_notes=current.mentor_notes)):
            require(actor, Permission.EDIT_RECORDS)  # a mentor changing more than notes
        check.done()
        audit.label(s, "save closing notes")
        current.mentor_notes = notes
        s.flush()
        return outcome_row(current)
    kind = check.choice("kind", data.kind, OUTCOME_KINDS)
    ended = check.work_date("ended_on", data.ended_on, required=True)
    if ended is not None and ended < placement.start_date:
        check.fail("ended_on", "is before the placement starts")
    reason = check.text(
        "termination_reason", data.termination_reason, max_len=NOTES_MAX, multiline=True
    )
    notice = check.work_date("concerns_notice_sent_on", data.concerns_notice_sent_on)
    if kind == "terminated" and not reason and not check.failed("termination_reason"):
        check.fail("termination_reason", "is required: say why the placement ended early")
    if kind == "completed" and (reason or notice) and not check.failed("termination_reason"):
        check.fail("termination_reason", "belongs to an early termination, not a completion")
    reflection = check.text(
        "exit_reflection", data.exit_reflection, max_len=NOTES_MAX, multiline=True
    )
    steps = _checked_steps(check, data.next_steps)
    cde = data.counts_toward_cde
    if cde is not None and not isinstance(cde, bool):
        check.fail("counts_toward_cde", "is not yes, no or not known")
    check.done()
    assert ended is not None
    audit.label(s, "record placement outcome")
    outcome = current or PlacementOutcome(placement_id=placement.id)
    outcome.kind, outcome.ended_on = kind, ended
    outcome.termination_reason, outcome.concerns_notice_sent_on = reason, notice
    outcome.exit_reflection, outcome.mentor_notes = reflection, notes
    outcome.next_steps, outcome.counts_toward_cde = steps, cde
    if current is None:
        s.add(outcome)
    s.flush()
    _set_status(s, actor, placement.id, kind, ended, reason, today)
    audit.label(s, "record placement outcome")
    return outcome_row(outcome)


def _changed(current: PlacementOutcome, data: OutcomeInput) -> bool:
    """Whether ``data`` differs from the stored outcome."""
    steps: object = data.next_steps  # any value may come in
    if not isinstance(steps, tuple | list):
        return True
    return outcome_row(current) != OutcomeRow(
        placement_id=data.placement_id,
        kind=data.kind,
        ended_on=data.ended_on,
        termination_reason=data.termination_reason,
        concerns_notice_sent_on=data.concerns_notice_sent_on,
        exit_reflection=data.exit_reflection,
        mentor_notes=data.mentor_notes,
        next_steps=tuple(steps),
        counts_toward_cde=data.counts_toward_cde,
    )


def _set_status(
    s: Session, actor: Actor, placement_id: int, kind: str, ended: date, reason: str, today: date
) -> None:
    """The placement ends through its own save: its status, note and last day. A
    problem the placement form would name is told as the outcome's."""
    form = placements.placement_input(s, actor, placement_id)
    note = reason if kind == "terminated" else form.status_note if form.status == kind else ""
    try:
        placements.save_placement(
            s,
            actor,
            replace(form, status=kind, status_note=note, end_date=ended),
            placement_id,
            today=today,
        )
    except ValidationError as e:
        raise ValidationError(
            [
                FieldError("placement_id", f"the placement cannot be saved: {err}")
                for err in e.errors
            ]
        ) from e
