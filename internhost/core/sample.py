"""The sample data set behind ``internhost demo`` and the benchmarks.

The fixed part (employer, worksites, equipment, staff, districts with their
calendars, schools, six named interns) is data in ``resources/sample/demo.toml``;
the rest (more interns, placements, a term of shifts, logged hours, check-ins,
goals and evaluations) comes from a seeded generator, so the same seed always
gives the same database. Sizes are parameters: benchmarks reuse it for 5,000 or
50,000 interns. It also creates the demo accounts ``hr``, ``mentor`` (the first
mentor, Maria Kowalski, with some of the interns) and ``viewer``, password ``demo``,
which is why it goes only into a database without accounts. Everything is written
through audited bulk inserts in one unit of work, so the sample is either entirely
there or not at all.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor, Permission, require
from internhost.core.calendars import Calendar, DayException
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.errors import Conflict
from internhost.core.models import (
    Area,
    CalendarDay,
    CheckIn,
    Competency,
    CompetencyFramework,
    CompetencyRating,
    District,
    Document,
    Employer,
    Equipment,
    EquipmentTask,
    Evaluation,
    Goal,
    Incident,
    Intern,
    InternContact,
    NoticeHours,
    Placement,
    PlanItem,
    School,
    SchoolCalendar,
    Shift,
    Staff,
    TimeEntry,
    WorkBreak,
    Worksite,
    WorkTask,
)
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.rules.ages import band_starts, hours_limited_below
from internhost.core.rules.facts import WEEKDAY_KEYS
from internhost.core.rules.packs import PackError, RuleSet, load_rules
from internhost.core.services.interns import name_columns
from internhost.core.storage.db import refresh_statistics, unit_of_work
from internhost.core.trail import audit
from internhost.paths import resource

DEFAULT_SEED = 20250908
SATURDAY = 5
#: Days the plants are closed; no shifts are planned on them.
PLANT_CLOSED = {(11, 26), (11, 27), (11, 28), (12, 24), (12, 25), (12, 31), (1, 1)}
#: The sample's seniors leave school, and the sample, at this age (a school fact).
GRADUATION_AGE = 18
BALER_CONDITIONS = {
    "paper_baler": True,
    "ansi_compliant": True,
    "key_lock_held_by_adult": True,
    "off_when_idle": True,
    "warning_posted": True,
}


@dataclass(frozen=True)
class DemoSizes:
    interns: int = 24
    #: Weeks of shifts planned per term; None plans the whole term.
    weeks: int | None = None
    second_term: bool = True
    #: Check every intern and store findings and checklists, as the app would.
    check: bool = True
    #: Mentors generated beside the spec's three, taken in turn by the worksites, whose
    #: placements then spread over them as at a large employer (``bench/scope.py``).
    extra_mentors: int = 0


@dataclass(frozen=True)
class DemoSummary:
    version: str
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in self.counts.items())
        return f"sample data {self.version}: {parts}"


@cache
def load_spec() -> dict[str, Any]:
    with resource("sample", "demo.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_competencies() -> dict[str, Any]:
    with resource("competencies", "il-essential-employability.toml").open("rb") as fh:
        return tomllib.load(fh)


def _t(text: str) -> time:
    return time.fromisoformat(text)


def _d(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def calendar_from_spec(spec: dict[str, Any]) -> Calendar:
    exceptions: dict[date, DayException] = {
        _d(day): DayException("no_school") for day in spec.get("no_school", [])
    }
    start, end = _t(spec["day_start"]), _t(spec["day_end"])
    for item in spec.get("early_dismissal", []):
        exceptions[_d(item["day"])] = DayException("early_dismissal", start, _t(item["end"]))
    for item in spec.get("late_start", []):
        exceptions[_d(item["day"])] = DayException("late_start", _t(item["start"]), end)
    return Calendar(_d(spec["first_day"]), _d(spec["last_day"]), start, end, exceptions)


def _plan_placements(s: Session, actor: Actor) -> int:
    """Every placement gets the default onboarding plan; steps due before the day the
    sample's hours are logged through are done (deterministic, whatever today is)."""
    from internhost.core.services.plans import default_template, plan_rows

    done_through = max(_d(t.get("logged_through", t["end"])) for t in load_spec()["terms"])
    items = default_template(s, actor).items
    rows = [
        {**row, "status": "done" if row["due_date"] <= done_through else "open"}
        for pid, start in s.execute(select(Placement.id, Placement.start_date))
        for row in plan_rows(items, pid, start)
    ]
    audit.bulk_insert(s, PlanItem, rows)
    return len(rows)


def is_empty(s: Session) -> bool:
    """True when nothing the sample writes is there yet (any record blocks it)."""
    return all(
        s.scalar(select(model.id).limit(1)) is None
        for model in (Employer, Worksite, Staff, District, School, Intern)
    )


def refuse_unless_new(s: Session) -> None:
    """``Conflict`` unless the database is new: no record and no account. Reads only
    ids, so it works on a database at any schema revision, before it is upgraded."""
    from internhost.core.services.accounts import has_accounts

    if not is_empty(s):
        raise Conflict(
            "the database already holds data; sample data goes only into an empty database"
        )
    if has_accounts(s):  # the demo's known passwords must never open a real database
        raise Conflict(
            "the database already has accounts; sample data goes only into a new database"
        )


def build_demo(
    factory: sessionmaker[Session],
    actor: Actor,
    sizes: DemoSizes = DemoSizes(),
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> DemoSummary:
    """Write the sample data set into an empty database, all or nothing, then check
    it as the app does, so it opens with stored findings and checklists. Cancelled
    (``progress``) between its steps, it leaves the database empty."""
    from internhost.core.services.accounts import create_demo_accounts
    from internhost.core.services.compliance import check_all, startup_sweep

    if sizes.interns < 1:
        raise ValueError("the sample needs at least one intern")
    with unit_of_work(factory, actor) as s:
        require(actor, Permission.LOAD_SAMPLE_DATA)  # in the unit: a refusal is audited
        refuse_unless_new(s)
        steps = 4 if sizes.check else 3
        progress.step(0, steps, "people, places, placements and hours")
        generator = _Generator(s, random.Random(seed), sizes)
        counts = generator.run()
        progress.step(1, steps, "onboarding plans")
        counts["plan items"] = _plan_placements(s, actor)
        # ``mentor`` is the first mentor of the sample: some of the interns are theirs.
        first_mentor = next(iter(generator.mentors_by_site.values()))[0]
        progress.step(2, steps, "demo accounts")
        counts["accounts"] = len(create_demo_accounts(s, actor, first_mentor.id))
        if sizes.check:
            progress.step(3, steps, "checking every placement")
            results = check_all(s, actor, today or date.today())
            counts["findings"] = sum(r.violations + r.warnings + r.advisories for r in results)
            startup_sweep(s, actor, today or date.today())  # records when it last ran
        audit.label(s, "load sample data")
        progress.step(steps, steps, "saving")
    refresh_statistics(factory)
    return DemoSummary(load_spec()["version"], counts)


#: A shift's (or time entry's) breaks and tasks, as rows to insert.
_Extras = tuple[list[dict[str, Any]], list[dict[str, Any]]]
#: A planned shift's row, with its breaks and tasks.
_Planned = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


@dataclass(frozen=True)
class _Law:
    """The ages and limits the sample's schedules keep to, read from the rule packs
    of its worksites' state: a change in the law changes the sample with the checks,
    and it stays clean but for its two deliberate slips."""

    rules: RuleSet
    #: Younger interns work short afternoons in the office (no hour limits from here).
    young_below: int
    #: No child-labor rule applies from this age (a forklift is allowed).
    adult_age: int
    #: The birthdays that change an intern's rules.
    rule_changes: tuple[int, ...]
    #: School and work together on a school day.
    school_day_limit: timedelta
    #: The employment certificate the state asks of interns under ``certificate_below``.
    certificate: str
    certificate_below: int

    @classmethod
    def of(cls, state: str) -> _Law:
        rules = load_rules(state)
        combined = next(r for r in rules.rules() if r.check == "combined_school_work")
        certificate = next(r for r in rules.rules() if r.check == "certificate")
        return cls(
            rules=rules,
            young_below=hours_limited_below(),
            adult_age=band_starts()[-1],
            rule_changes=band_starts(),
            school_day_limit=timedelta(hours=combined.params["max_hours"]),
            certificate=certificate.params["document"],
            certificate_below=certificate.ages[1] + 1,
        )

    def exempt(self, program: str, age: int) -> bool:
        """Whether ``age`` is within the ages of the exemption ``program`` names."""
        low, high = self.rules.exemptions[program].ages
        return low <= age <= high

    def minimum_cents(self, age: int, on: date) -> int:
        """The state's minimum wage on ``on`` for someone of ``age`` (youth or adult)."""
        jurisdiction = (self.rules.state or self.rules.federal).jurisdiction
        if jurisdiction is None:
            raise PackError("the sample's packs name no jurisdiction")
        rate = self.rules.rate_on(jurisdiction, on)
        if rate is None:
            raise PackError(f"the wage pack has no {jurisdiction} rate on {on}")
        if rate.youth(age) and rate.youth_cents is not None:
            return rate.youth_cents
        return rate.adult_cents


@dataclass
class _Site:
    id: int
    name: str
    office_area: int
    production_area: int
    equipment: dict[str, int]  # task key -> equipment id


@dataclass
class _InternPlan:
    row: dict[str, Any]
    school: str
    district: str
    age_at_start: int


class _Generator:
    def __init__(self, s: Session, rng: random.Random, sizes: DemoSizes) -> None:
        self.s = s
        self.rng = rng
        self.sizes = sizes
        self.spec = load_spec()
        self.counts: dict[str, int] = {}
        self.slips: set[str] = set()
        self.law = _Law.of(self.spec["worksites"][0]["state"])

    # -- fixed part ------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self._employer()
        self._staff()
        self._districts_and_schools()
        self._competencies()
        self.s.flush()
        interns = self._interns()
        placements = self._placements(interns)
        self._work(placements)
        return self.counts

    def _count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def _employer(self) -> None:
        spec = self.spec
        self.employer = Employer(id=1, **spec["employer"])
        self.s.add(self.employer)
        self.sites: dict[str, _Site] = {}
        for ws in spec["worksites"]:
            site = Worksite(
                employer=self.employer,
                **{
                    k: ws[k]
                    for k in ("name", "address", "city", "state", "postal_code", "time_zone")
                },
            )
            areas = {a["name"]: Area(name=a["name"], kind=a["kind"]) for a in ws["areas"]}
            site.areas = list(areas.values())
            for eq in ws["equipment"]:
                site.equipment.append(
                    Equipment(
                        name=eq["name"],
                        tasks=[EquipmentTask(task_key=k) for k in eq["tasks"]],
                        area_id=None,
                    )
                )
            self.s.add(site)
            self.s.flush()
            for eq_spec, eq in zip(ws["equipment"], site.equipment, strict=True):
                eq.area_id = areas[eq_spec["area"]].id
            office = next(a for a in site.areas if a.kind == "office")
            production = next(a for a in site.areas if a.kind == "production")
            self.sites[site.name] = _Site(
                site.id,
                site.name,
                office.id,
                production.id,
                {t.task_key: eq.id for eq in site.equipment for t in eq.tasks},
            )
        self._count("worksites", len(self.sites))

    def _staff(self) -> None:
        self.mentors_by_site: dict[str, list[Staff]] = {}
        for spec in self.spec["staff"]:
            site = self.sites[spec["worksite"]]
            member = Staff(
                **{k: v for k, v in spec.items() if k != "worksite"},
                worksite_id=site.id,
                is_21_or_older=True,
                age_attested_on=date(2025, 8, 1),
            )
            self.s.add(member)
            if member.role == "mentor":
                self.mentors_by_site.setdefault(site.name, []).append(member)
        self._count("staff", len(self.spec["staff"]))
        self._extra_mentors()

    def _extra_mentors(self) -> None:
        """``sizes.extra_mentors`` more mentors (none by default: the sample's seeds and
        its three mentors stay as they were)."""
        names = self.spec["names"]
        domain = self.spec["staff"][0]["email"].partition("@")[2]
        sites = list(self.sites)
        for n in range(self.sizes.extra_mentors):
            site = self.sites[sites[n % len(sites)]]
            member = Staff(
                first_name=self.rng.choice(names["first"]),
                last_name=self.rng.choice(names["last"]),
                role="mentor",
                title="Mentor",
                email=f"mentor{n + 1}@{domain}",
                worksite_id=site.id,
                is_21_or_older=True,
                age_attested_on=date(2025, 8, 1),
                clearance_date=date(2025, 8, 1),
                mentor_training_date=date(2025, 8, 12),
            )
            self.s.add(member)
            self.mentors_by_site.setdefault(site.name, []).append(member)
        self._count("staff", self.sizes.extra_mentors)

    def _districts_and_schools(self) -> None:
        self.calendars: dict[str, list[Calendar]] = {}
        districts: dict[str, District] = {}
        for spec in self.spec["districts"]:
            district = District(name=spec["name"], state=spec["state"])
            cals = []
            for cal_spec in spec["calendars"]:
                cal = calendar_from_spec(cal_spec)
                cals.append(cal)
                district.calendars.append(
                    SchoolCalendar(
                        school_year=cal_spec["school_year"],
                        first_day=cal.first_day,
                        last_day=cal.last_day,
                        day_start=cal.day_start,
                        day_end=cal.day_end,
                        days=[
                            CalendarDay(
                                day=day,
                                kind=exc.kind,
                                start_time=exc.start,
                                end_time=exc.end,
                                note=_note(cal_spec, day),
                            )
                            for day, exc in sorted(cal.exceptions.items())
                        ],
                    )
                )
            self.calendars[district.name] = cals
            districts[district.name] = district
            self.s.add(district)
        self.schools: dict[str, School] = {}
        for spec in self.spec["schools"]:
            school = School(
                district=districts[spec["district"]],
                **{k: v for k, v in spec.items() if k != "district"},
            )
            self.schools[school.name] = school
            self.s.add(school)
        self.districts = districts
        self._count("schools", len(self.schools))

    def _competencies(self) -> None:
        spec = load_competencies()
        framework = CompetencyFramework(
            key=spec["key"],
            name=spec["name"],
            version=spec["version"],
            source=spec["source"],
            verification=spec["verification"],
            scale_max=spec["scale_max"],
            competencies=[Competency(position=i, **c) for i, c in enumerate(spec["competencies"])],
        )
        self.s.add(framework)
        self.framework = framework

    # -- interns -----------------------------------------------------------------

    def _birth_date(self, age: int, term_start: date) -> date:
        """A birth date making someone ``age`` on ``term_start``, but not turning an age
        that changes their rules inside the first term (only the pinned interns do)."""
        term_end = _d(self.spec["terms"][0]["end"])
        while True:
            offset = self.rng.randrange(1, 365)
            born = birthday_of_age(term_start, -age) - timedelta(days=offset)
            if age_on(born, term_start) != age:
                continue
            if age_on(born, term_end) != age and age + 1 in self.law.rule_changes:
                continue
            return born

    def _interns(self) -> list[_InternPlan]:
        spec = self.spec
        names = spec["names"]
        term_start = _d(spec["terms"][0]["start"])
        school_names = list(self.schools)
        plans: list[_InternPlan] = []
        used_ids: set[str] = set()
        ages = [14, 15, 15, 16, 16, 16, 17, 17, 17, 17, 18]
        for i in range(self.sizes.interns):
            fixed = spec["fixed_interns"][i] if i < len(spec["fixed_interns"]) else None
            if fixed:
                first, last = fixed["first_name"], fixed["last_name"]
                preferred = fixed.get("preferred_name", "")
                school = fixed["school"]
                born = (
                    _d(fixed["birth_date"])
                    if "birth_date" in fixed
                    else self._birth_date(fixed["age"], term_start)
                )
            else:
                first = self.rng.choice(names["first"])
                last = self.rng.choice(names["last"])
                preferred = ""
                school = self.rng.choice(school_names)
                born = self._birth_date(self.rng.choice(ages), term_start)
            student_id = self._student_id(used_ids)
            age = age_on(born, term_start)
            district = self.schools[school].district.name
            street = self.rng.choice(names["streets"])
            city = "Elgin" if "U-46" in district else "Rockford"
            row = {
                "legal_first_name": first,
                "legal_last_name": last,
                "preferred_name": preferred,
                "birth_date": born,
                "address": f"{self.rng.randrange(100, 9999)} {street}, {city}, IL",
                "residence_district_id": self.districts[district].id,
                "residence_district_confirmed": self.rng.random() < 0.8,
                "school_id": self.schools[school].id,
                "grade": min(12, max(9, age - 5)),
                "student_id": student_id,
                **name_columns(first, last, preferred, student_id),
            }
            plans.append(_InternPlan(row, school, district, age))
        ids = audit.bulk_insert(self.s, Intern, [p.row for p in plans])
        for plan, new_id in zip(plans, ids, strict=True):
            plan.row["id"] = new_id
        self._contacts(plans)
        self._count("interns", len(plans))
        return plans

    def _student_id(self, used: set[str]) -> str:
        while True:
            candidate = f"{self.rng.randrange(10**6, 10**7)}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    def _contacts(self, plans: list[_InternPlan]) -> None:
        names = self.spec["names"]
        rows = []
        for plan in plans:
            last = plan.row["legal_last_name"]
            area = "847" if "U-46" in plan.district else "815"
            rows.append(
                {
                    "intern_id": plan.row["id"],
                    "kind": "guardian",
                    "position": 0,
                    "name": f"{self.rng.choice(names['first'])} {last}",
                    "relationship_": self.rng.choice(names["guardian_relationships"]),
                    "phone": f"({area}) 555-{self.rng.randrange(1000, 9999)}",
                    "email": f"{_ascii(last)}.family{self.rng.randrange(10, 99)}@mail.example",
                    "may_authorize_treatment": True,
                }
            )
            rows.append(
                {
                    "intern_id": plan.row["id"],
                    "kind": "emergency",
                    "position": 1,
                    "name": f"{self.rng.choice(names['first'])} {self.rng.choice(names['last'])}",
                    "relationship_": "Neighbor",
                    "phone": f"({area}) 555-{self.rng.randrange(1000, 9999)}",
                    "email": "",
                    "may_authorize_treatment": False,
                }
            )
        audit.bulk_insert(self.s, InternContact, rows)

    # -- placements ----------------------------------------------------------------

    def _placements(self, plans: list[_InternPlan]) -> list[dict[str, Any]]:
        terms = self.spec["terms"] if self.sizes.second_term else self.spec["terms"][:1]
        rows: list[dict[str, Any]] = []
        for index, plan in enumerate(plans):
            for term_no, term in enumerate(terms):
                start, end = _d(term["start"]), _d(term["end"])
                age = age_on(plan.row["birth_date"], start)
                if term_no and age >= GRADUATION_AGE:
                    continue
                rows.append(self._placement_row(plan, index, age, start, end, term))
        ids = audit.bulk_insert(self.s, Placement, [_public(r) for r in rows])
        for index, (row, new_id) in enumerate(zip(rows, ids, strict=True)):
            row["id"] = new_id
            row["_weekdays"] = (1, 3) if index % 2 else (0, 2)
        self._notice_hours(rows)
        self._documents(rows)
        self._count("placements", len(rows))
        return rows

    def _placement_row(
        self,
        plan: _InternPlan,
        index: int,
        age: int,
        start: date,
        end: date,
        term: dict[str, Any],
    ) -> dict[str, Any]:
        site_name = "Elgin Assembly" if "U-46" in plan.district else "Rockford Plant"
        mentors = self.mentors_by_site[site_name]
        mentor = mentors[index % len(mentors)]
        program = self._program(index, age)
        unpaid = program == "school_wbl" and index % 4 == 0
        row = {
            "intern_id": plan.row["id"],
            "school_id": plan.row["school_id"],
            "worksite_id": self.sites[site_name].id,
            "mentor_id": mentor.id,
            "start_date": start,
            "end_date": end,
            "paid": not unpaid,
            "hourly_rate_cents": None if unpaid else self._rate(age, start),
            "program": program,
            "required_hours": 60 if age < self.law.young_below else 120,
            "check_in_every_days": 7,
            "_term": term,
            "_age": age,
            "_site": site_name,
            "_mentor": mentor.id,
            "_district": plan.district,
            "_birth": plan.row["birth_date"],
        }
        if unpaid:
            row.update({k: True for k in PRIMARY_BENEFICIARY_FACTORS})
        return row

    def _program(self, index: int, age: int) -> str:
        if age < self.law.young_below:
            return "school_wbl" if index % 2 else "employment"
        if index % 5 == 1 and self.law.exempt("student_learner", age):
            return "student_learner"
        if index % 11 == 3 and self.law.exempt("apprentice", age):
            return "apprentice"
        return "employment"

    def _rate(self, age: int, start: date) -> int:
        return self.law.minimum_cents(age, start) + 25 * self.rng.randrange(0, 14)

    def _notice_hours(self, placements: list[dict[str, Any]]) -> None:
        """Employment of the youngest needs a certificate whose notice of intention to
        employ states the hours: the weekdays the intern is planned on, and Saturday
        morning."""
        rows = []
        intern_of = {}
        for p in placements:
            if p["_age"] >= self.law.certificate_below or p["program"] == "school_wbl":
                continue
            intern_of[p["id"]] = p["intern_id"]
            days = [(WEEKDAY_KEYS[d], time(13), time(17)) for d in p["_weekdays"]]
            for weekday, start, end in [*days, ("sat", time(9), time(13))]:
                rows.append(
                    {
                        "placement_id": p["id"],
                        "weekday": weekday,
                        "start_time": start,
                        "end_time": end,
                    }
                )
        audit.bulk_insert(
            self.s, NoticeHours, rows, root=lambda r: ("interns", intern_of[r["placement_id"]])
        )

    def _documents(self, placements: list[dict[str, Any]]) -> None:
        """The papers each placement needs, recorded as seen (no scans in the sample)."""
        rows = []
        for p in placements:
            doc_type = _DOCUMENT_FOR.get(p["program"])
            if p["_age"] < self.law.certificate_below and p["program"] == "employment":
                doc_type = self.law.certificate
            if doc_type is None:
                continue
            issued = p["start_date"] - timedelta(days=10)
            rows.append(
                {
                    "intern_id": p["intern_id"],
                    "placement_id": p["id"],
                    "doc_type": doc_type,
                    "title": doc_type.replace("_", " ").capitalize(),
                    "number": f"{doc_type[:2].upper()}-{p['id']:05d}",
                    "issued_on": issued,
                    "expires_on": issued + timedelta(days=365),
                }
            )
        audit.bulk_insert(self.s, Document, rows)

    # -- shifts, hours, mentoring -----------------------------------------------------

    def _work(self, placements: list[dict[str, Any]]) -> None:
        shifts: list[dict[str, Any]] = []
        extras: list[_Extras] = []
        for index, p in enumerate(placements):
            for shift, breaks, tasks in self._shifts_for(p, index):
                shifts.append(shift)
                extras.append((breaks, tasks))
        ids = audit.bulk_insert(self.s, Shift, [_public(r) for r in shifts])
        self._children(ids, extras, "shift_id")
        self._count("shifts", len(ids))
        self._time_entries(shifts, ids, extras)
        self._mentoring(placements, shifts)

    def _weeks(self, p: dict[str, Any]) -> Iterator[date]:
        """Mondays of the weeks planned for a placement."""
        monday = p["start_date"] - timedelta(days=p["start_date"].weekday())
        weeks = 0
        while monday <= p["end_date"] and (self.sizes.weeks is None or weeks < self.sizes.weeks):
            yield monday
            monday += timedelta(days=7)
            weeks += 1

    def _school_hours(self, district: str, day: date) -> tuple[time, time] | None:
        for cal in self.calendars[district]:
            hours = cal.hours_on(day)
            if hours is not None:
                return hours
        return None

    def _shifts_for(self, p: dict[str, Any], index: int) -> Iterator[_Planned]:
        for monday in self._weeks(p):
            for offset in (*p["_weekdays"], SATURDAY):
                day = monday + timedelta(days=offset)
                if not p["start_date"] <= day <= p["end_date"]:
                    continue
                if (day.month, day.day) in PLANT_CLOSED:
                    continue
                planned = self._plan_day(p, day, index)
                if planned is not None:
                    yield planned

    def _plan_day(self, p: dict[str, Any], day: date, index: int) -> _Planned | None:
        age = age_on(p["_birth"], day)
        school = self._school_hours(p["_district"], day)
        site = self.sites[p["_site"]]
        if age < self.law.young_below:
            start, end = self._young_hours(day, school)
            area = site.office_area
        elif day.weekday() == SATURDAY:
            start, end = datetime.combine(day, time(7)), datetime.combine(day, time(13, 30))
            area = site.production_area
        else:
            after = school[1] if school else time(14, 15)
            start = _round_up(datetime.combine(day, after) + timedelta(minutes=45))
            end = datetime.combine(day, time(19))
            area = site.production_area
        if end <= start:
            return None
        breaks = []
        if end - start > timedelta(hours=5):
            mid = _round_up(start + (end - start) / 2 - timedelta(minutes=15))
            breaks.append({"start_local": mid, "end_local": mid + timedelta(minutes=30)})
        shift = {
            "placement_id": p["id"],
            "work_date": day,
            "start_local": start,
            "end_local": end,
            "area_id": area,
            "supervisor_staff_id": p["_mentor"],
            "supervisor_21_or_older": True,
            "_placement": p,
        }
        tasks = self._tasks(p, age, day, index)
        self._deliberate_slip(p, index, day, shift, tasks)
        return shift, breaks, tasks

    def _young_hours(
        self, day: date, school: tuple[time, time] | None
    ) -> tuple[datetime, datetime]:
        if day.weekday() == SATURDAY:
            return datetime.combine(day, time(9)), datetime.combine(day, time(13))
        if school is None:
            return datetime.combine(day, time(13)), datetime.combine(day, time(16))
        school_len = datetime.combine(day, school[1]) - datetime.combine(day, school[0])
        allowed = min(timedelta(hours=1), self.law.school_day_limit - school_len)
        allowed = timedelta(minutes=15 * (allowed // timedelta(minutes=15)))
        start = _round_up(datetime.combine(day, school[1]) + timedelta(minutes=30))
        return start, start + allowed

    def _tasks(self, p: dict[str, Any], age: int, day: date, index: int) -> list[dict[str, Any]]:
        site = self.sites[p["_site"]]

        def task(key: str, minutes: int | None = None, **details: Any) -> dict[str, Any]:
            return {
                "task_key": key,
                "minutes": minutes,
                "equipment_id": site.equipment.get(key),
                "details": details,
            }

        if age < self.law.young_below:
            return [task("office_clerical")]
        tasks = [task("production_floor")]
        if p["program"] == "student_learner":
            tasks.append(task("press_brake", 25, direct_supervision=True))
            tasks.append(task("baler_load", 10, **BALER_CONDITIONS))
        elif p["program"] == "apprentice":
            tasks.append(task("welding", 60))
        elif age >= self.law.adult_age:
            tasks.append(task("forklift", 30))
        elif "cnc_operation" in site.equipment:
            tasks.append(task("cnc_operation", 60))
        return tasks

    def _deliberate_slip(
        self,
        p: dict[str, Any],
        index: int,
        day: date,
        shift: dict[str, Any],
        tasks: list[dict[str, Any]],
    ) -> None:
        """Two realistic mistakes, each made once, so the compliance screens have
        something to show: in the week of October 13, 2025, a 15-year-old is kept
        past 7 p.m. and a 17-year-old drives a forklift."""
        if not date(2025, 10, 13) <= day <= date(2025, 10, 17):
            return
        age = age_on(p["_birth"], day)
        if age == 15 and "late" not in self.slips:
            self.slips.add("late")
            shift["start_local"] = datetime.combine(day, time(17))
            shift["end_local"] = datetime.combine(day, time(19, 30))
        elif age == 17 and p["program"] == "employment" and "forklift" not in self.slips:
            self.slips.add("forklift")
            site = self.sites[p["_site"]]
            tasks.append(
                {
                    "task_key": "forklift",
                    "minutes": 20,
                    "equipment_id": site.equipment.get("forklift"),
                    "details": {},
                }
            )

    def _children(self, parent_ids: list[int], extras: list[_Extras], column: str) -> None:
        breaks, tasks = [], []
        for parent_id, (b_rows, t_rows) in zip(parent_ids, extras, strict=True):
            breaks += [{**b, column: parent_id} for b in b_rows]
            tasks += [{**t, column: parent_id} for t in t_rows]
        audit.bulk_insert(self.s, WorkBreak, breaks, root=_span_root(column))
        audit.bulk_insert(self.s, WorkTask, tasks, root=_span_root(column))

    def _logged_through(self, p: dict[str, Any]) -> date:
        term = p["_term"]
        return _d(term.get("logged_through", term["end"]))

    def _time_entries(
        self, shifts: list[dict[str, Any]], shift_ids: list[int], extras: list[_Extras]
    ) -> None:
        rows, kids = [], []
        for shift, shift_id, extra in zip(shifts, shift_ids, extras, strict=True):
            p = shift["_placement"]
            cutoff = self._logged_through(p)
            if shift["work_date"] > cutoff:
                continue
            late = timedelta(minutes=self.rng.choice((0, 0, 0, 2, 5, 8)))
            early = timedelta(minutes=self.rng.choice((0, 0, 0, 3, 6)))
            start, end = shift["start_local"] + late, shift["end_local"] - early
            if end <= start:
                end = shift["end_local"]
            approved = shift["work_date"] <= cutoff - timedelta(days=7)
            row = {
                **_public(shift),
                "start_local": start,
                "end_local": end,
                "shift_id": shift_id,
                "source": "manual",
            }
            if approved:
                stamp = datetime.combine(shift["work_date"] + timedelta(days=3), time(17), UTC)
                row["approved_at"] = stamp
                if cutoff == p["end_date"]:
                    row["locked_at"] = stamp + timedelta(days=7)
            rows.append(row)
            kids.append(extra)
        ids = audit.bulk_insert(self.s, TimeEntry, rows)
        self._children(ids, kids, "time_entry_id")
        self._count("time entries", len(ids))

    def _mentoring(self, placements: list[dict[str, Any]], shifts: list[dict[str, Any]]) -> None:
        phrases = self.spec["phrases"]
        by_placement: dict[int, list[date]] = {}
        for shift in shifts:
            by_placement.setdefault(shift["placement_id"], []).append(shift["work_date"])
        check_ins, goals, evaluations = [], [], []
        for p in placements:
            days = [d for d in by_placement.get(p["id"], []) if d <= self._logged_through(p)]
            seen_weeks: set[tuple[int, int]] = set()
            for day in days:
                week = day.isocalendar()[:2]
                if week in seen_weeks or day.weekday() == SATURDAY:
                    continue
                seen_weeks.add(week)
                check_ins.append(
                    {
                        "placement_id": p["id"],
                        "mentor_id": p["_mentor"],
                        "held_on": day,
                        "minutes": self.rng.choice((2, 3, 5, 10)),
                        "mood": self.rng.choice((3, 4, 4, 5, 5)),
                        "went_well": self.rng.choice(phrases["went_well"]),
                        "needs_help": self.rng.choice(phrases["needs_help"]),
                        "next_steps": self.rng.choice(phrases["next_steps"]),
                        "visibility": "shared",
                    }
                )
            for title in self.rng.sample(phrases["goals"], 2):
                goals.append(
                    {
                        "placement_id": p["id"],
                        "title": title,
                        "target_date": p["end_date"],
                        "status": "met"
                        if days and p["end_date"] <= days[-1] + timedelta(days=7)
                        else "open",
                    }
                )
            evaluations += self._evaluations(p, days)
        audit.bulk_insert(self.s, CheckIn, check_ins)
        audit.bulk_insert(self.s, Goal, goals)
        self._count("check-ins", len(check_ins))
        self._write_evaluations(evaluations)
        self._incident(placements)

    def _evaluations(self, p: dict[str, Any], days: list[date]) -> list[dict[str, Any]]:
        out = []
        midpoint = p["start_date"] + (p["end_date"] - p["start_date"]) / 2
        for label, when in (("Midpoint", midpoint), ("Final", p["end_date"])):
            if not days or days[-1] < when - timedelta(days=7):
                continue
            out.append(
                {
                    "placement_id": p["id"],
                    "evaluator_id": p["_mentor"],
                    "period_label": label,
                    "evaluated_on": when,
                    "overall": self.rng.choice((3, 4, 4, 5)),
                    "strengths": self.rng.choice(self.spec["phrases"]["went_well"]),
                    "growth_areas": self.rng.choice(
                        [x for x in self.spec["phrases"]["needs_help"] if x]
                    ),
                    "submitted_at": datetime.combine(when, time(16), UTC),
                }
            )
        return out

    def _write_evaluations(self, evaluations: list[dict[str, Any]]) -> None:
        ids = audit.bulk_insert(self.s, Evaluation, evaluations)
        ratings = [
            {
                "evaluation_id": eid,
                "competency_id": c.id,
                "level": self.rng.randint(2, self.framework.scale_max),
            }
            for eid in ids
            for c in self.framework.competencies
        ]
        audit.bulk_insert(self.s, CompetencyRating, ratings)
        self._count("evaluations", len(ids))

    def _incident(self, placements: list[dict[str, Any]]) -> None:
        older = [p for p in placements if p["_age"] >= self.law.young_below]
        if not older:
            return
        p = older[0]
        when = datetime.combine(p["start_date"] + timedelta(days=23), time(16, 40))
        audit.bulk_insert(
            self.s,
            Incident,
            [
                {
                    "placement_id": p["id"],
                    "kind": "near_miss",
                    "occurred_at_local": when,
                    "description": (
                        "A pallet slid off the rack while the intern was walking the aisle; "
                        "nobody was hurt. Aisle marking repainted."
                    ),
                    "guardian_notified_on": when.date(),
                    "school_notified_on": when.date(),
                    "osha_recordable": False,
                }
            ],
        )


_DOCUMENT_FOR = {
    "student_learner": "student_learner_agreement",
    "apprentice": "apprentice_registration",
}


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """The row without the generator's private ``_keys``."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _span_root(column: str) -> audit.Root:
    kind = "shifts" if column == "shift_id" else "time_entries"
    return lambda row: (kind, row[column])


def _round_up(moment: datetime, minutes: int = 15) -> datetime:
    extra = -(moment.minute % minutes) % minutes
    return (moment + timedelta(minutes=extra)).replace(second=0, microsecond=0)


def _ascii(text: str) -> str:
    from internhost.core.text import fold

    return "".join(c for c in fold(text) if c.isascii() and c.isalnum()) or "family"


def _note(cal_spec: dict[str, Any], day: date) -> str:
    for key in ("early_dismissal", "late_start"):
        for item in cal_spec.get(key, []):
            if _d(item["day"]) == day:
                return item.get("note", "")
    return ""
