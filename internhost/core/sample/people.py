"""The interns: the spec's named ones first, then drawn names, schools and ages;
each with a guardian and an emergency contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from internhost.core.dates import age_on, birthday_of_age
from internhost.core.models import Intern, InternContact
from internhost.core.sample.generator import Generator
from internhost.core.sample.schools import Schools
from internhost.core.sample.spec import as_date
from internhost.core.services.interns import name_columns
from internhost.core.text import fold
from internhost.core.trail import audit

#: The ages drawn for the interns the spec does not name, on the first term's start.
AGES = (14, 15, 15, 16, 16, 16, 17, 17, 17, 17, 18)


@dataclass
class InternPlan:
    """An intern as written (``row``, with its new ``id``), for their placements."""

    row: dict[str, Any]
    school: str
    district: str
    #: The spec pins this intern's school placements as unpaid.
    unpaid: bool = False


def add_interns(gen: Generator, schools: Schools) -> list[InternPlan]:
    spec = gen.spec
    names = spec["names"]
    term_start = as_date(spec["terms"][0]["start"])
    school_names = list(schools.by_name)
    plans: list[InternPlan] = []
    used_ids: set[str] = set()
    for i in range(gen.sizes.interns):
        fixed = spec["fixed_interns"][i] if i < len(spec["fixed_interns"]) else None
        if fixed:
            first, last = fixed["first_name"], fixed["last_name"]
            preferred = fixed.get("preferred_name", "")
            school = fixed["school"]
            born = _fixed_birth_date(gen, fixed, term_start)
        else:
            first = gen.rng.choice(names["first"])
            last = gen.rng.choice(names["last"])
            preferred = ""
            school = gen.rng.choice(school_names)
            born = _birth_date(gen, gen.rng.choice(AGES), term_start)
        student_id = _student_id(gen, used_ids)
        age = age_on(born, term_start)
        district = schools.by_name[school].district.name
        street = gen.rng.choice(names["streets"])
        city = "Elgin" if "U-46" in district else "Rockford"
        row = {
            "legal_first_name": first,
            "legal_last_name": last,
            "preferred_name": preferred,
            "birth_date": born,
            "address": f"{gen.rng.randrange(100, 9999)} {street}, {city}, IL",
            "residence_district_id": schools.districts[district].id,
            "residence_district_confirmed": gen.rng.random() < 0.8,
            "school_id": schools.by_name[school].id,
            "grade": min(12, max(9, age - 5)),
            "student_id": student_id,
            **name_columns(first, last, preferred, student_id),
        }
        plans.append(InternPlan(row, school, district, bool(fixed and fixed.get("unpaid"))))
    ids = audit.bulk_insert(gen.s, Intern, [p.row for p in plans])
    for plan, new_id in zip(plans, ids, strict=True):
        plan.row["id"] = new_id
    _add_contacts(gen, plans)
    gen.count("interns", len(plans))
    return plans


def _fixed_birth_date(gen: Generator, fixed: dict[str, Any], term_start: date) -> date:
    """A named intern's birth date: drawn for their ``age``, or pinned. One pinned with
    an age too draws anyway (the random source stays in step) and must be that age."""
    drawn = _birth_date(gen, fixed["age"], term_start) if "age" in fixed else None
    if "birth_date" not in fixed:
        assert drawn is not None, "a fixed intern needs an age or a birth date"
        return drawn
    born = as_date(fixed["birth_date"])
    if "age" in fixed and age_on(born, term_start) != fixed["age"]:
        raise ValueError(f"{fixed['first_name']}'s birth date does not make them {fixed['age']}")
    return born


def _birth_date(gen: Generator, age: int, term_start: date) -> date:
    """A birth date making someone ``age`` on ``term_start``, but not turning an age
    that changes their rules inside the first term (only the pinned interns do)."""
    term_end = as_date(gen.spec["terms"][0]["end"])
    while True:
        offset = gen.rng.randrange(1, 365)
        born = birthday_of_age(term_start, -age) - timedelta(days=offset)
        if age_on(born, term_start) != age:
            continue
        if age_on(born, term_end) != age and age + 1 in gen.law.rule_changes:
            continue
        return born


def _student_id(gen: Generator, used: set[str]) -> str:
    while True:
        candidate = f"{gen.rng.randrange(10**6, 10**7)}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def _add_contacts(gen: Generator, plans: list[InternPlan]) -> None:
    names = gen.spec["names"]
    rows = []
    for plan in plans:
        last = plan.row["legal_last_name"]
        area = "847" if "U-46" in plan.district else "815"
        rows.append(
            {
                "intern_id": plan.row["id"],
                "kind": "guardian",
                "position": 0,
                "name": f"{gen.rng.choice(names['first'])} {last}",
                "relationship_": gen.rng.choice(names["guardian_relationships"]),
                "phone": f"({area}) 555-{gen.rng.randrange(1000, 9999)}",
                "email": f"{_ascii(last)}.family{gen.rng.randrange(10, 99)}@mail.example",
                "may_authorize_treatment": True,
            }
        )
        rows.append(
            {
                "intern_id": plan.row["id"],
                "kind": "emergency",
                "position": 1,
                "name": f"{gen.rng.choice(names['first'])} {gen.rng.choice(names['last'])}",
                "relationship_": "Neighbor",
                "phone": f"({area}) 555-{gen.rng.randrange(1000, 9999)}",
                "email": "",
                "may_authorize_treatment": False,
            }
        )
    audit.bulk_insert(gen.s, InternContact, rows)


def _ascii(text: str) -> str:
    """A family's name for an e-mail address: letters and digits folded to ASCII."""
    return "".join(c for c in fold(text) if c.isascii() and c.isalnum()) or "family"
