"""The forms (issue 15): list them, fill one in for an intern's placement or leave it
blank, and keep the mentor's draft reference letter.

A blank form any role may print: it holds the employer's name and the form's wording
(``resources/forms``), nothing of anyone. A pre-filled form holds what the role sees
and no more, so it follows the role's view: each form's text says in ``needs`` what
it shows beyond the placement (birth dates, guardians and home address); a role
without the permission to see those is refused that form (a mentor: the evaluation
forms, the timesheet, the certificate and the reference letter, of their own interns
only; another mentor's intern is "not found", as everywhere). The forms read what
is stored (hours, evaluations, notice hours, assignments); they recompute nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import age_on
from internhost.core.dto_forms import FormContent, FormInfo, FormTable, ReferenceLetter
from internhost.core.dto_progress import EvaluationRow, FrameworkRow
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    Employer,
    Evaluation,
    Intern,
    Placement,
    PlacementOutcome,
    School,
    Staff,
    Worksite,
)
from internhost.core.models.enums import PROGRAM_LABELS, WEEKDAYS
from internhost.core.reports.forms.texts import FORM_NAMES, form_text
from internhost.core.services import evaluations, frameworks, hours_progress, timesheets
from internhost.core.services.assignments import assignment_options
from internhost.core.services.progress import placement_for
from internhost.core.validation import Checker

#: What a form's ``needs`` names, as the permission to see it.
_NEEDS = {
    "birth_dates": Permission.SEE_BIRTH_DATES,
    "contact_details": Permission.SEE_CONTACT_DETAILS,
}
#: The same, for the screens that offer a form pre-filled only to a role that may see it.
PREFILL_NEEDS = _NEEDS
_DAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
#: The orders a student-learner may work under (29 CFR 570.50(c), LEGAL.md §1.6).
_STUDENT_LEARNER_HOS = frozenset({5, 8, 10, 12, 14, 16, 17})
LETTER_MAX = 10_000


def list_forms() -> tuple[FormInfo, ...]:
    """Every form, by its command-line name, in the order issue 15 lists them."""
    return tuple(
        FormInfo(
            name,
            form_text(name)["title"],
            form_text(name).get("subject", ""),
            not form_text(name).get("needs"),
        )
        for name in FORM_NAMES
    )


def form_content(
    s: Session,
    actor: Actor,
    name: str,
    *,
    today: date,
    intern_id: int | None = None,
    placement_id: int | None = None,
    week: date | None = None,
) -> FormContent:
    """Form ``name`` blank (no intern, no placement) or filled in for a placement: the
    one given, else the intern's latest by start date. ``week`` (the timesheet's) is
    any day of it; by default today's week, kept inside the placement's dates."""
    require(actor, Permission.READ_RECORDS)
    if name not in FORM_NAMES:
        raise ValidationError(f"is not a form; the forms are {', '.join(FORM_NAMES)}", "name")
    text = form_text(name)
    employer = s.scalar(select(Employer))
    employer_name = employer.legal_name if employer else ""
    if intern_id is None and placement_id is None:
        return _blank(s, actor, name, employer_name, today)
    for need in text.get("needs", ()):
        require(actor, _NEEDS[need])
    placement = _placement(s, actor, intern_id, placement_id)
    facts = _Facts(s, actor, placement, employer, today)
    values = facts.common()
    tables: dict[str, FormTable] = {}
    timesheet = None
    if name == "il-notice-of-intent":
        _check_il_notice(text, facts)
        values |= facts.notice_hours(tables)
        values["occupation"] = facts.occupation()
    elif name == "student-learner-agreement":
        values |= facts.student_learner()
    elif name == "placement-agreement":
        tables["assignments"] = FormTable(tuple(facts.assignment_rows()))
    elif name == "parental-consent":
        tables["contacts"] = FormTable(tuple(facts.contact_rows()))
    elif name == "timesheet":
        day = week or max(today, placement.start_date)
        if week is None and placement.end_date is not None:
            day = min(day, placement.end_date)
        timesheet = timesheets.timesheet_content(s, actor, placement.intern_id, day)
    elif name in ("midpoint-evaluation", "final-evaluation"):
        values |= facts.evaluation(text["evaluation_kind"], tables)
    elif name == "completion-certificate":
        values |= facts.completion()
    elif name == "reference-letter":
        values["letter"] = _letter_text(facts, placement)
        values["mentor_signature"] = values["mentor"]
    return FormContent(
        name,
        text["title"],
        employer_name,
        True,
        today,
        tuple(values.items()),
        tuple(tables.items()),
        timesheet,
        about=f"{values['intern_name']}, placement {placement.id}",
    )


def _blank(s: Session, actor: Actor, name: str, employer: str, today: date) -> FormContent:
    """A form with nothing of anyone: the employer's name, and for an evaluation the
    rubric of the first framework in use, its ratings left to write."""
    values: dict[str, str] = {"employer": employer}
    tables: dict[str, FormTable] = {}
    if name in ("midpoint-evaluation", "final-evaluation"):
        rows = frameworks.list_frameworks(s, actor)
        tables["rubric"] = FormTable(tuple(_rubric(rows[0], None))) if rows else FormTable()
        values |= {"framework": rows[0].label, "scale": _scale(rows[0])} if rows else {}
    elif name == "reference-letter":
        values["letter"] = form_text(name)["draft"].format_map(_Blanks(values))
    return FormContent(
        name,
        form_text(name)["title"],
        employer,
        False,
        today,
        tuple(values.items()),
        tuple(tables.items()),
    )


def reference_letter(
    s: Session, actor: Actor, placement_id: int, *, today: date
) -> ReferenceLetter:
    """The placement's reference letter as saved, or the starting draft, for editing."""
    placement = _letter_placement(s, actor, placement_id)
    facts = _Facts(s, actor, placement, s.scalar(select(Employer)), today)
    draft = _draft(facts)
    stored = placement.reference_letter
    return ReferenceLetter(
        placement.id,
        placement.intern_id,
        draft if stored is None else stored,
        stored is not None,
        draft,
    )


def save_reference_letter(
    s: Session, actor: Actor, placement_id: int, text: str | None, *, today: date
) -> ReferenceLetter:
    """Keep the edited letter with the placement (audited); an empty text goes back
    to the starting draft. The mentor of the intern or HR only."""
    placement = _letter_placement(s, actor, placement_id)
    check = Checker()
    cleaned = check.text("text", text, max_len=LETTER_MAX, multiline=True)
    check.done()
    placement.reference_letter = cleaned or None
    s.flush()
    return reference_letter(s, actor, placement.id, today=today)


# -- whose form


def _letter_placement(s: Session, actor: Actor, placement_id: object) -> Placement:
    """A placement whose letter the actor may write: HR any, a mentor their interns'."""
    if not actor.can(Permission.EDIT_RECORDS) and not actor.can(Permission.LOG_MENTORING):
        role = actor.role.value.replace("_", " ")
        raise PermissionDenied(f"a {role} may not write reference letters")
    return placement_for(s, actor, placement_id)


def _placement(
    s: Session, actor: Actor, intern_id: int | None, placement_id: int | None
) -> Placement:
    """The placement a form is filled for, if the actor may see its intern: NotFound
    otherwise (never which), and a placement that is not the intern's is not found."""
    if placement_id is not None:
        placement = placement_for(s, actor, placement_id)
        if intern_id is not None and placement.intern_id != intern_id:
            raise NotFound(f"intern {intern_id} has no placement with id {placement_id}")
        return placement
    if intern_id is None:
        raise ValidationError("is required to fill a form in", "intern")
    intern = hours_progress.intern_with_placements(s, actor, intern_id)
    if not intern.placements:
        raise ValidationError("has no placement to fill the form in for", "intern")
    return max(intern.placements, key=lambda p: (p.start_date, p.id))


def _check_il_notice(text: dict[str, Any], facts: _Facts) -> None:
    """The Illinois notice is for a minor under 16 working in Illinois: refuse, and
    say why, for anyone else."""
    state = facts.site.state if facts.site else ""
    if state != text["state"]:
        raise ValidationError(text["refusal_state"].format(state=state or "no state"), "placement")
    age = age_on(facts.intern.birth_date, facts.placement.start_date)
    if age >= text["under_age"]:
        name = facts.name
        raise ValidationError(text["refusal_age"].format(name=name, age=age), "intern")


# -- what the forms say of a placement


def _long_date(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else ""


def _clock(moment: time) -> str:
    """9:00 a.m., 1:30 p.m.: the hours of the day as a notice states them."""
    suffix = "a.m." if moment.hour < 12 else "p.m."
    return f"{(moment.hour - 1) % 12 + 1}:{moment.minute:02d} {suffix}"


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


class _Facts:
    """The stored facts of one placement the forms print, read once each."""

    def __init__(
        self,
        s: Session,
        actor: Actor,
        placement: Placement,
        employer: Employer | None,
        today: date,
    ) -> None:
        self.s, self.actor, self.placement, self.employer, self.today = (
            s,
            actor,
            placement,
            employer,
            today,
        )
        intern = s.get(Intern, placement.intern_id, options=[selectinload(Intern.contacts)])
        assert intern is not None
        self.intern = intern
        self.site = s.get(Worksite, placement.worksite_id) if placement.worksite_id else None
        self.school = s.get(School, placement.school_id)
        self.mentor = s.get(Staff, placement.mentor_id) if placement.mentor_id else None

    @property
    def name(self) -> str:
        """The name the intern goes by: preferred first name, legal last name."""
        i = self.intern
        return f"{i.preferred_name or i.legal_first_name} {i.legal_last_name}"

    def common(self) -> dict[str, str]:
        i, p = self.intern, self.placement
        sees_birth = self.actor.can(Permission.SEE_BIRTH_DATES)
        sees_contacts = self.actor.can(Permission.SEE_CONTACT_DETAILS)
        guardians = [c for c in i.contacts if c.kind == "guardian"]
        values = {
            "intern_name": f"{i.legal_first_name} {i.legal_last_name}",
            "preferred_name": self.name if i.preferred_name else "",
            "school": self.school.name if self.school else "",
            "coordinator": self.school.coordinator_name if self.school else "",
            "employer": self.employer.legal_name if self.employer else "",
            "employer_address": self.employer.address if self.employer else "",
            "employer_contact": self.employer.hr_contact_name if self.employer else "",
            "worksite": self.site.name if self.site else "",
            "mentor": self.mentor.full_name if self.mentor else "",
            "dates": f"{_long_date(p.start_date)} – {_long_date(p.end_date) or 'no end date'}",
            "start": _long_date(p.start_date),
            "end": _long_date(p.end_date),
            "program": PROGRAM_LABELS.get(p.program, p.program),
            "pay": _pay(p),
            "required_hours": str(p.required_hours) if p.required_hours is not None else "",
            "check_ins": f"every {p.check_in_every_days} days" if p.check_in_every_days else "",
        }
        if sees_birth:
            values["birth_date"] = _long_date(i.birth_date)
            values["age_at_start"] = str(age_on(i.birth_date, p.start_date))
        if sees_contacts:
            values["address"] = i.address
            values["guardians"] = "\n".join(
                f"{c.name} ({c.relationship_})" if c.relationship_ else c.name for c in guardians
            )
            values["first_guardian"] = guardians[0].name if guardians else ""
            values["second_guardian"] = guardians[1].name if len(guardians) > 1 else ""
        return values

    def _assignments(self) -> list[tuple[str, str, str, str]]:
        """(kind, label, detail, who may) of each area, task and machine assigned."""
        options = {
            (o.kind, o.key): o for o in assignment_options(self.s, self.placement.worksite_id)
        }
        out = []
        for a in self.placement.assignments:
            key = (
                ("area", a.area_id)
                if a.area_id is not None
                else ("task", a.task_key)
                if a.task_key is not None
                else ("machine", a.equipment_id)
            )
            found = options.get(key)  # type: ignore[arg-type]
            if found is not None:
                out.append((found.kind, found.label, found.detail, found.who_may))
        return sorted(out)

    def assignment_rows(self) -> Iterable[tuple[str, ...]]:
        for kind, label, detail, who in self._assignments():
            yield (kind.capitalize(), f"{label} ({detail})" if detail else label, who)

    def occupation(self) -> str:
        """The work assigned: its tasks and machines, else the areas it is in."""
        assigned = self._assignments()
        work = [label for kind, label, _, _ in assigned if kind != "area"]
        return "; ".join(work or [label for _, label, _, _ in assigned])

    def contact_rows(self) -> Iterable[tuple[str, ...]]:
        for c in sorted(self.intern.contacts, key=lambda c: (c.kind != "guardian", c.position)):
            yield (
                c.name,
                c.relationship_,
                "Parent or guardian" if c.kind == "guardian" else "Emergency contact",
                c.phone,
                c.email,
                "Yes" if c.may_authorize_treatment else "No",
            )

    def notice_hours(self, tables: dict[str, FormTable]) -> dict[str, str]:
        """The hours stated in the notice (``NoticeHours``), as 206/55(b)(4)(A) asks
        them: the exact hours of each day, the hours per day, the days per week."""
        rows = sorted(
            self.placement.notice_hours, key=lambda n: (WEEKDAYS.index(n.weekday), n.start_time)
        )
        if not rows:
            tables["notice_hours"] = FormTable()
            return {}
        minutes: dict[str, int] = {}
        spans: dict[str, list[str]] = {}
        table = []
        for n in rows:
            length = (n.end_time.hour * 60 + n.end_time.minute) - (
                n.start_time.hour * 60 + n.start_time.minute
            )
            minutes[n.weekday] = minutes.get(n.weekday, 0) + length
            span = f"{_clock(n.start_time)} – {_clock(n.end_time)}"
            spans.setdefault(n.weekday, []).append(span)
            table.append(
                (
                    _DAY_NAMES[n.weekday],
                    _clock(n.start_time),
                    _clock(n.end_time),
                    _hours(length),
                )
            )
        tables["notice_hours"] = FormTable(tuple(table))
        days = list(minutes)
        same = len(set(minutes.values())) == 1
        per_day = (
            f"{_hours(next(iter(minutes.values())))} hours"
            if same
            else "; ".join(f"{_DAY_NAMES[d]} {_hours(m)} hours" for d, m in minutes.items())
        )
        return {
            "hours_of_day": "\n".join(f"{_DAY_NAMES[d]}: {', '.join(spans[d])}" for d in days),
            "hours_per_day": per_day,
            "days_per_week": f"{len(days)} ({', '.join(_DAY_NAMES[d] for d in days)})",
        }

    def student_learner(self) -> dict[str, str]:
        """The 570.50(c) elements as stored (``StudentLearnerAgreement``)."""
        hazardous = [
            f"{label} ({detail})"
            for kind, label, detail, _ in self._assignments()
            if detail.startswith("HO ") and int(detail[3:]) in _STUDENT_LEARNER_HOS
        ]
        out = {"hazardous_work": "; ".join(hazardous)}
        a = self.placement.student_learner_agreement
        if a is None:
            return out
        yes = "Yes"
        out |= {
            "vocational_program": a.vocational_program,
            "educational_authority": a.educational_authority,
            "work_incidental": yes if a.work_incidental else "",
            "intermittent_short_periods": yes if a.intermittent_short_periods else "",
            "supervisor_name": a.supervisor_name,
            "school_safety_instruction": a.school_safety_instruction,
            "employer_safety_training": a.employer_safety_training,
            "work_processes": a.work_processes,
            "employer_signed": _signed(a.employer_signed_by, a.employer_signed_on),
            "school_signed": _signed(a.school_signed_by, a.school_signed_on),
            "employer_signer": a.employer_signed_by,
            "school_signer": a.school_signed_by,
            "copies_on_file": ", ".join(
                who
                for who, kept in (
                    ("school", a.school_copy_on_file),
                    ("employer", a.employer_copy_on_file),
                )
                if kept
            ),
        }
        return out

    def evaluation(self, kind: str, tables: dict[str, FormTable]) -> dict[str, str]:
        """The placement's latest stored evaluation of ``kind`` (its rubric and who
        signed), else the rubric of the first framework in use, to fill in."""
        found = self.s.scalars(
            select(Evaluation)
            .where(Evaluation.placement_id == self.placement.id, Evaluation.kind == kind)
            .options(selectinload(Evaluation.ratings))
            .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
            .limit(1)
        ).all()
        row = evaluations.evaluation_rows(self.s, list(found))[0] if found else None
        rows = frameworks.list_frameworks(self.s, self.actor)
        framework = next((f for f in rows if row and f.id == row.framework_id), None)
        if framework is None and row is not None and row.framework_id is not None:
            framework = frameworks.framework_row(self.s, self.actor, row.framework_id)
        framework = framework or (rows[0] if rows else None)
        tables["rubric"] = FormTable(tuple(_rubric(framework, row)) if framework else ())
        values = {"framework": framework.label if framework else "", "scale": _scale(framework)}
        if row is None:
            return values
        return values | {
            "evaluator": row.evaluator or "",
            "evaluated_on": _long_date(row.evaluated_on),
            "overall": str(row.overall) if row.overall is not None else "",
            "strengths": row.strengths,
            "growth_areas": row.growth_areas,
            "acknowledged": _long_date(row.intern_acknowledged_on),
            "verified": _signed(row.school_verified_by, row.school_verified_on),
        }

    def approved_minutes(self) -> int:
        hours = hours_progress.intern_hours(self.s, self.actor, self.intern.id, self.today)
        return sum(
            e.approved_minutes for e in hours.experiences if e.placement_id == self.placement.id
        )

    def completion(self) -> dict[str, str]:
        outcome = self.s.scalar(
            select(PlacementOutcome).where(PlacementOutcome.placement_id == self.placement.id)
        )
        values = {"hours": _hours(self.approved_minutes())}
        if outcome is not None:
            values["end"] = _long_date(outcome.ended_on)
            values["counts_toward_cde"] = "yes" if outcome.counts_toward_cde else ""
        return values

    def letter_values(self) -> dict[str, str]:
        values = self.common()
        values["hours"] = _hours(self.approved_minutes())
        values["work"] = "; ".join(label for _, label, _, _ in self._assignments()) or "[the work]"
        values["intern_name"] = self.name
        return values


def _pay(p: Placement) -> str:
    if not p.paid:
        return "Unpaid"
    if p.hourly_rate_cents is None:
        return "Paid (rate not recorded)"
    return f"${p.hourly_rate_cents / 100:,.2f} an hour"


def _signed(who: str, on: date | None) -> str:
    return ", ".join(x for x in (who, _long_date(on)) if x)


def _scale(framework: FrameworkRow | None) -> str:
    if framework is None:
        return ""
    labels = framework.scale_labels
    if labels:
        return ", ".join(f"{i} {label}" for i, label in enumerate(labels, 1))
    return f"1 to {framework.scale_max}"


def _rubric(framework: FrameworkRow, row: EvaluationRow | None) -> Iterable[tuple[str, ...]]:
    """One row per competency: name, area, the rating given (or blank), the evidence."""
    given = {r.competency_id: r for r in row.ratings} if row else {}
    labels = framework.scale_labels
    for c in framework.competencies:
        rating = given.get(c.id)
        if c.retired and rating is None:
            continue
        marker = "" if c.verification in ("", "V") else f" [{c.verification}]"
        yield (
            c.name + marker,
            c.category,
            _level(rating.level, labels) if rating else "",
            rating.evidence if rating else "",
        )


def _level(level: int, labels: tuple[str, ...]) -> str:
    return f"{level} {labels[level - 1]}" if 0 < level <= len(labels) else str(level)


def _letter_text(facts: _Facts, placement: Placement) -> str:
    """The saved letter word for word, else the draft of the form text, filled in."""
    if placement.reference_letter is not None:
        return placement.reference_letter
    return _draft(facts)


def _draft(facts: _Facts) -> str:
    """The form text's starting draft, filled in from the placement."""
    return form_text("reference-letter")["draft"].format_map(_Blanks(facts.letter_values()))


class _Blanks(dict[str, str]):
    """A draft's placeholders: a value missing or empty is a line to write on."""

    def __missing__(self, key: str) -> str:
        return "________"

    def __getitem__(self, key: str) -> str:
        value = super().get(key, "")
        return value or "________"
