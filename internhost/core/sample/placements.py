"""Placements and what comes with them: one per intern and term (seniors graduate
before the second), the papers each needs, the hours a certificate's notice states,
and the default onboarding plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor
from internhost.core.dates import age_on
from internhost.core.models import Document, NoticeHours, Placement, PlanItem
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.rules.facts import WEEKDAY_KEYS
from internhost.core.sample import agreements, outcomes
from internhost.core.sample.company import Company
from internhost.core.sample.generator import Generator
from internhost.core.sample.people import InternPlan
from internhost.core.sample.spec import as_date, logged_through
from internhost.core.trail import audit

#: The time clock's first badge number: the sample's badges count up from it.
FIRST_BADGE = 4001
#: The sample's seniors leave school, and the sample, at this age (a school fact).
GRADUATION_AGE = 18
#: The paper a program needs (employment under the certificate age: the certificate).
DOCUMENT_FOR = {
    "student_learner": "student_learner_agreement",
    "apprentice": "apprentice_registration",
}
#: How the sample titles each paper (the queue and the documents list show the title).
DOCUMENT_TITLES = {
    "student_learner_agreement": "Student-learner agreement",
    "apprentice_registration": "Apprenticeship registration",
    "il_employment_certificate": "Illinois employment certificate",
}


@dataclass
class PlacementPlan:
    """A placement as written (``row``), with what its shifts and mentoring are
    planned from."""

    row: dict[str, Any]
    term: dict[str, Any]
    #: The intern's age on the first day.
    age: int
    #: The worksite's name.
    site: str
    mentor_id: int
    #: The intern's district, whose calendar keeps the shifts out of school hours.
    district: str
    birth_date: date
    #: Set once written.
    id: int = 0
    #: The weekdays (Monday 0) the intern works, and whether Saturday too.
    weekdays: tuple[int, ...] = (0, 2)
    saturday: bool = True
    #: Planned up to the school-day limits the law gives (``hours``).
    at_the_limits: bool = False
    #: How it ended, for the two the sample ends (``outcomes``): completed or terminated.
    ending: str | None = None

    @property
    def start(self) -> date:
        return self.row["start_date"]

    @property
    def end(self) -> date:
        return self.row["end_date"]

    @property
    def program(self) -> str:
        return self.row["program"]

    @property
    def intern_id(self) -> int:
        return self.row["intern_id"]

    @property
    def logged_through(self) -> date:
        return logged_through(self.term)


def add_placements(
    gen: Generator, interns: list[InternPlan], company: Company
) -> list[PlacementPlan]:
    terms = gen.spec["terms"] if gen.sizes.second_term else gen.spec["terms"][:1]
    plans: list[PlacementPlan] = []
    for index, intern in enumerate(interns):
        for term_no, term in enumerate(terms):
            age = age_on(intern.row["birth_date"], as_date(term["start"]))
            if term_no and age >= GRADUATION_AGE:
                continue
            plans.append(_plan(gen, company, intern, index, age, term))
    for number, plan in enumerate(plans, start=FIRST_BADGE):
        plan.row["badge"] = str(number)  # one per placement: unique among open ones
    outcomes.choose_endings(gen, interns, plans)
    ids = audit.bulk_insert(gen.s, Placement, [dict(p.row) for p in plans])
    for index, (plan, new_id) in enumerate(zip(plans, ids, strict=True)):
        plan.id = new_id
        plan.weekdays = (1, 3) if index % 2 else (0, 2)
    _plan_the_youngest(gen, plans)
    _add_notice_hours(gen, plans)
    _add_documents(gen, plans)
    gen.count("placements", len(plans))
    agreements.add_student_learner_terms(gen, plans)
    return plans


def _plan(
    gen: Generator,
    company: Company,
    intern: InternPlan,
    index: int,
    age: int,
    term: dict[str, Any],
) -> PlacementPlan:
    """The ``index``-th intern's placement for ``term``: at the worksite near their
    district, with the site's mentors in turn, paid unless it is a school's unpaid
    work-based learning."""
    site_name = "Elgin Assembly" if "U-46" in intern.district else "Rockford Plant"
    mentors = company.mentors[site_name]
    mentor = mentors[index % len(mentors)]
    program = _program(gen, index, age)
    # The spec names the intern whose school placements are unpaid; the rate is drawn
    # anyway, so the random source stays in step.
    unpaid = program == "school_wbl" and intern.unpaid
    start = as_date(term["start"])
    end = as_date(term["end"])
    rate = _rate(gen, intern.row["birth_date"], start, end)
    row = {
        "intern_id": intern.row["id"],
        "school_id": intern.row["school_id"],
        "worksite_id": company.sites[site_name].id,
        "mentor_id": mentor.id,
        "start_date": start,
        "end_date": end,
        "paid": not unpaid,
        "hourly_rate_cents": None if unpaid else rate,
        "program": program,
        "required_hours": 60 if age < gen.law.young_below else 120,
        "check_in_every_days": 7,
    }
    if unpaid:  # HR and the school found the intern the primary beneficiary
        row.update({k: True for k in PRIMARY_BENEFICIARY_FACTORS})
        row.update(
            employee_status="not_employee",
            employee_status_decided_by=gen.accounts.hr,
            employee_status_decided_on=start - timedelta(days=10),
            employee_status_reason=gen.spec["phrases"]["not_employee"],
        )
    return PlacementPlan(
        row=row,
        term=term,
        age=age,
        site=site_name,
        mentor_id=mentor.id,
        district=intern.district,
        birth_date=intern.row["birth_date"],
    )


def _plan_the_youngest(gen: Generator, plans: list[PlacementPlan]) -> None:
    """In each term, the youngest paid intern with hour limits (an employee: every
    limit binds) works four school days a week up to the limits (Tuesdays free, for
    the school's clubs) and keeps the weekends free."""
    by_term: dict[date, list[PlacementPlan]] = {}
    for plan in plans:
        if plan.age < gen.law.young_below and plan.row["paid"]:
            by_term.setdefault(plan.start, []).append(plan)
    for young in by_term.values():
        youngest = max(young, key=lambda p: (p.birth_date, p.id))
        youngest.weekdays, youngest.saturday = (0, 2, 3, 4), False
        youngest.at_the_limits = True


def _program(gen: Generator, index: int, age: int) -> str:
    if age < gen.law.young_below:
        return "school_wbl" if index % 2 else "employment"
    if index % 5 == 1 and gen.law.exempt("student_learner", age):
        return "student_learner"
    if index % 11 == 3 and gen.law.exempt("apprentice", age):
        return "apprentice"
    return "employment"


def _rate(gen: Generator, born: date, start: date, end: date) -> int:
    """At least the minimum on the first and the last day (an intern may turn an age
    with a higher rate, or a new year's minimum begin, in between)."""
    least = max(gen.law.minimum_cents(age_on(born, day), day) for day in (start, end))
    return least + 25 * gen.rng.randrange(0, 14)


def _add_notice_hours(gen: Generator, placements: list[PlacementPlan]) -> None:
    """Employment of the youngest needs a certificate whose notice of intention to
    employ states the hours: the weekdays the intern is planned on, and Saturday
    morning if planned then."""
    rows = []
    intern_of = {}
    for p in placements:
        if p.age >= gen.law.certificate_below or p.program == "school_wbl":
            continue
        intern_of[p.id] = p.intern_id
        # After school; noon to 7 p.m. for the one at the limits (early dismissals and
        # late starts give longer days).
        begin, end = (time(12), time(19)) if p.at_the_limits else (time(13), time(17))
        days = [(WEEKDAY_KEYS[d], begin, end) for d in p.weekdays]
        saturday = [("sat", time(9), time(13))] if p.saturday else []
        for weekday, start, end in [*days, *saturday]:
            rows.append(
                {
                    "placement_id": p.id,
                    "weekday": weekday,
                    "start_time": start,
                    "end_time": end,
                }
            )
    audit.bulk_insert(
        gen.s, NoticeHours, rows, root=lambda r: ("interns", intern_of[r["placement_id"]])
    )


def _add_documents(gen: Generator, placements: list[PlacementPlan]) -> None:
    """The papers each placement needs, recorded as seen (no scans in the sample)."""
    rows = []
    for p in placements:
        doc_type = DOCUMENT_FOR.get(p.program)
        if p.age < gen.law.certificate_below and p.program == "employment":
            doc_type = gen.law.certificate
        if doc_type is None:
            continue
        issued = p.start - timedelta(days=10)
        rows.append(
            {
                "intern_id": p.intern_id,
                "placement_id": p.id,
                "doc_type": doc_type,
                "title": DOCUMENT_TITLES[doc_type],
                "number": f"{doc_type[:2].upper()}-{p.id:05d}",
                "issued_on": issued,
                "expires_on": issued + timedelta(days=365),
            }
        )
    audit.bulk_insert(gen.s, Document, rows)


def add_onboarding_plans(s: Session, actor: Actor, spec: dict[str, Any]) -> int:
    """Every placement gets the default onboarding plan; steps due by the day the
    sample's hours are logged through are done (``spec`` laid out on the load day)."""
    from internhost.core.services.plans import default_template, plan_rows

    done_through = max(logged_through(term) for term in spec["terms"])
    items = default_template(s, actor).items
    rows = [
        {**row, "status": "done" if row["due_date"] <= done_through else "open"}
        for pid, start in s.execute(select(Placement.id, Placement.start_date))
        for row in plan_rows(items, pid, start)
    ]
    audit.bulk_insert(s, PlanItem, rows)
    return len(rows)
