"""The InternHost values a school form's field can be mapped to, and each value
worked out for one intern from the DTOs the services built for the acting role.

Nothing here reads the database: ``services/school_forms.py`` asks the existing
services (``interns.get_intern``, ``hours_progress.intern_hours``) as the actor, so
a value the role may not see (a birth date, a guardian, a home address) is already
missing from the DTO, and comes out here as withheld, never as its value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from internhost.core import dto
from internhost.core.actor import Permission


@dataclass(frozen=True)
class ValueOption:
    """One entry of the list a field's value is picked from."""

    key: str
    label: str
    group: str
    #: The permission without which the value is withheld (None: anyone who reads).
    needs: Permission | None = None


@dataclass(frozen=True)
class FormFacts:
    """Everything a value is worked out from, as the services gave it to the actor."""

    intern: dto.InternDetail
    placement: dto.PlacementRow | None
    hours: dto.InternHours | None
    school: dto.SchoolRow | None
    employer_name: str
    worksite_address: str
    mentor_phone: str
    today: date


#: Returned for a value the acting role may not see (the field is left empty).
WITHHELD = None


def us_date(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else ""


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


def _guardian(f: FormFacts) -> dto.ContactRow | None:
    contacts = f.intern.contacts or ()
    return next((c for c in contacts if c.kind == "guardian"), None)


def _emergency(f: FormFacts) -> dto.ContactRow | None:
    contacts = f.intern.contacts or ()
    return next((c for c in contacts if c.kind == "emergency"), None) or _guardian(f)


def _placement_hours(f: FormFacts) -> dto.ExperienceHours | None:
    if f.hours is None or f.placement is None:
        return None
    return next((e for e in f.hours.experiences if e.placement_id == f.placement.id), None)


def _yes(flag: bool) -> str:
    return "Yes" if flag else "Off"


_I, _S, _P, _W, _H, _G = ("Intern", "School", "Placement", "Workplace", "Hours", "Guardian")
_DOB, _CONTACT = Permission.SEE_BIRTH_DATES, Permission.SEE_CONTACT_DETAILS

#: key -> (label, group, permission, how the value is worked out).
_VALUES: dict[str, tuple[str, str, Permission | None, Callable[[FormFacts], str]]] = {
    "intern.legal_name": (
        "Legal name (first last)",
        _I,
        None,
        lambda f: f"{f.intern.legal_first_name} {f.intern.legal_last_name}",
    ),
    "intern.legal_first_name": ("Legal first name", _I, None, lambda f: f.intern.legal_first_name),
    "intern.legal_last_name": ("Legal last name", _I, None, lambda f: f.intern.legal_last_name),
    "intern.legal_name_last_first": (
        "Legal name (last, first)",
        _I,
        None,
        lambda f: f"{f.intern.legal_last_name}, {f.intern.legal_first_name}",
    ),
    "intern.preferred_name": (
        "Preferred name (first last)",
        _I,
        None,
        lambda f: f.intern.display_name,
    ),
    "intern.birth_date": ("Birth date", _I, _DOB, lambda f: us_date(f.intern.birth_date)),
    "intern.age": (
        "Age today",
        _I,
        _DOB,
        lambda f: "" if f.intern.age is None else str(f.intern.age),
    ),
    "intern.student_id": ("Student id", _I, None, lambda f: f.intern.student_id or ""),
    "intern.grade": (
        "Grade",
        _I,
        None,
        lambda f: "" if f.intern.grade is None else str(f.intern.grade),
    ),
    "intern.address": ("Home address", _I, _CONTACT, lambda f: f.intern.address or ""),
    "school.name": ("School", _S, None, lambda f: f.school.name if f.school else f.intern.school),
    "school.district": ("School district", _S, None, lambda f: f.intern.district),
    "school.coordinator_name": (
        "School coordinator",
        _S,
        None,
        lambda f: f.school.coordinator_name if f.school else "",
    ),
    "school.coordinator_email": (
        "School coordinator's email",
        _S,
        None,
        lambda f: f.school.coordinator_email if f.school else "",
    ),
    "school.coordinator_phone": (
        "School coordinator's phone",
        _S,
        None,
        lambda f: f.school.coordinator_phone if f.school else "",
    ),
    "placement.start_date": (
        "Placement start date",
        _P,
        None,
        lambda f: us_date(f.placement.start_date) if f.placement else "",
    ),
    "placement.end_date": (
        "Placement end date",
        _P,
        None,
        lambda f: us_date(f.placement.end_date) if f.placement else "",
    ),
    "placement.program": (
        "Program",
        _P,
        None,
        lambda f: f.placement.program_label if f.placement else "",
    ),
    "placement.paid": (
        "Paid placement (check box)",
        _P,
        None,
        lambda f: _yes(bool(f.placement and f.placement.paid)),
    ),
    "placement.required_hours": (
        "Hours required",
        _P,
        None,
        lambda f: str(f.placement.required_hours or "") if f.placement else "",
    ),
    "employer.name": ("Employer", _W, None, lambda f: f.employer_name),
    "worksite.name": (
        "Worksite",
        _W,
        None,
        lambda f: (f.placement.worksite or "") if f.placement else "",
    ),
    "worksite.address": ("Worksite address", _W, None, lambda f: f.worksite_address),
    "mentor.name": (
        "Mentor",
        _W,
        None,
        lambda f: (f.placement.mentor or "") if f.placement else "",
    ),
    "mentor.email": (
        "Mentor's email",
        _W,
        None,
        lambda f: (f.placement.mentor_email or "") if f.placement else "",
    ),
    "mentor.phone": ("Mentor's phone", _W, None, lambda f: f.mentor_phone),
    "hours.approved": (
        "Hours logged and approved (this placement)",
        _H,
        None,
        lambda f: _hours(e.approved_minutes) if (e := _placement_hours(f)) else "",
    ),
    "hours.awaiting": (
        "Hours awaiting approval (this placement)",
        _H,
        None,
        lambda f: _hours(e.awaiting_minutes) if (e := _placement_hours(f)) else "",
    ),
    "hours.cde_counted": (
        "Career Development Experience hours counted",
        _H,
        None,
        lambda f: _hours(f.hours.cde_counted_minutes) if f.hours else "",
    ),
    "hours.cde_required": (
        "Career Development Experience hours required",
        _H,
        None,
        lambda f: str(f.hours.cde_total_hours) if f.hours else "",
    ),
    "hours.cde_met": (
        "Career Development Experience hours met (check box)",
        _H,
        None,
        lambda f: _yes(bool(f.hours and f.hours.cde_met)),
    ),
    "guardian.name": (
        "Parent or guardian",
        _G,
        _CONTACT,
        lambda f: c.name if (c := _guardian(f)) else "",
    ),
    "guardian.relationship": (
        "Guardian's relationship",
        _G,
        _CONTACT,
        lambda f: c.relationship if (c := _guardian(f)) else "",
    ),
    "guardian.phone": (
        "Guardian's phone",
        _G,
        _CONTACT,
        lambda f: c.phone if (c := _guardian(f)) else "",
    ),
    "guardian.email": (
        "Guardian's email",
        _G,
        _CONTACT,
        lambda f: c.email if (c := _guardian(f)) else "",
    ),
    "emergency.name": (
        "Emergency contact",
        _G,
        _CONTACT,
        lambda f: c.name if (c := _emergency(f)) else "",
    ),
    "emergency.phone": (
        "Emergency contact's phone",
        _G,
        _CONTACT,
        lambda f: c.phone if (c := _emergency(f)) else "",
    ),
    "form.today": ("Today's date", "Form", None, lambda f: us_date(f.today)),
    "form.checked": ("Always ticked (check box)", "Form", None, lambda f: "Yes"),
}

CATALOGUE: tuple[ValueOption, ...] = tuple(
    ValueOption(key, label, group, needs) for key, (label, group, needs, _fn) in _VALUES.items()
)
KEYS = frozenset(_VALUES)


def label_of(key: str) -> str:
    return _VALUES[key][0] if key in _VALUES else key


def value_of(key: str, facts: FormFacts, may: Callable[[Permission], bool]) -> str | None:
    """The value of ``key`` for the intern, or ``WITHHELD`` when the role may not see it."""
    _label, _group, needs, fn = _VALUES[key]
    if needs is not None and not may(needs):
        return WITHHELD
    return fn(facts)
