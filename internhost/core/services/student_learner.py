"""The terms of a student-learner agreement (29 CFR 570.50(c), LEGAL.md §1.6), kept
with the placement so the agreement form prints them and HR can see what is missing.

The regulation's elements the placement did not hold before revision 0007: the
cooperative vocational program and its educational authority; that the hazardous
work is incidental to the training, intermittent and for short periods, under the
direct and close supervision of a named qualified person; the school's safety
instruction and the employer's correlated on-the-job training; the schedule of
organized and progressive work processes; who signed for the employer and for the
school, and when; and that both keep a copy. HR records them; anyone who may read
the placement may read them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.models import Placement, StudentLearnerAgreement
from internhost.core.services.progress import placement_for
from internhost.core.validation import Checker

NAME_MAX = 200
TEXT_MAX = 4000
_NAMES = ("vocational_program", "educational_authority", "supervisor_name")
_SIGNERS = ("employer_signed_by", "school_signed_by")
_TEXTS = ("school_safety_instruction", "employer_safety_training", "work_processes")
_FLAGS = (
    "work_incidental",
    "intermittent_short_periods",
    "school_copy_on_file",
    "employer_copy_on_file",
)
_DATES = ("employer_signed_on", "school_signed_on")


@dataclass(frozen=True)
class StudentLearnerInput:
    """The agreement's terms as the form and the editor hold them."""

    placement_id: int
    vocational_program: str = ""
    educational_authority: str = ""
    work_incidental: bool = False
    intermittent_short_periods: bool = False
    supervisor_name: str = ""
    school_safety_instruction: str = ""
    employer_safety_training: str = ""
    work_processes: str = ""
    employer_signed_by: str = ""
    employer_signed_on: date | None = None
    school_signed_by: str = ""
    school_signed_on: date | None = None
    school_copy_on_file: bool = False
    employer_copy_on_file: bool = False


def _as_input(placement: Placement) -> StudentLearnerInput:
    found = placement.student_learner_agreement
    if found is None:
        return StudentLearnerInput(placement.id)
    names = [f.name for f in fields(StudentLearnerInput)][1:]
    return StudentLearnerInput(placement.id, *(getattr(found, n) for n in names))


def student_learner_input(s: Session, actor: Actor, placement_id: int) -> StudentLearnerInput:
    """The placement's agreement terms (empty ones when none are recorded)."""
    require(actor, Permission.READ_RECORDS)
    return _as_input(placement_for(s, actor, placement_id))


def save_student_learner_agreement(
    s: Session, actor: Actor, data: StudentLearnerInput, *, today: date
) -> StudentLearnerInput:
    """Record the terms of a student-learner placement's agreement (HR; audited)."""
    require(actor, Permission.EDIT_RECORDS)
    placement = placement_for(s, actor, data.placement_id)
    check = Checker()
    if placement.program != "student_learner":
        check.fail(
            "placement",
            "is not a student-learner placement: set its program to student-learner first",
        )
    values: dict[str, object] = {}
    for name in _NAMES + _SIGNERS:
        values[name] = check.name(name, getattr(data, name), max_len=NAME_MAX)
    for name in _TEXTS:
        values[name] = check.text(name, getattr(data, name), max_len=TEXT_MAX, multiline=True)
    for name in _FLAGS:
        flag = getattr(data, name)
        if not isinstance(flag, bool):
            check.fail(name, "is not yes or no")
        values[name] = flag is True
    for name in _DATES:
        day = check.work_date(name, getattr(data, name))
        if day is not None and day > today:
            check.fail(name, "is in the future")
        values[name] = day
    for signer, signed_on in zip(_SIGNERS, _DATES, strict=True):
        if values[signed_on] is not None and not values[signer] and not check.failed(signer):
            check.fail(signer, "is required with the date it was signed")
    check.done()
    agreement = placement.student_learner_agreement
    if agreement is None:
        agreement = StudentLearnerAgreement(placement_id=placement.id)
        placement.student_learner_agreement = agreement
    for name, value in values.items():
        if getattr(agreement, name) != value:
            setattr(agreement, name, value)
    s.flush()
    return _as_input(placement)
