"""A small world for logged hours: one plant, two schools, interns with badges.

Built record by record (not the sample), so a test of time entries or of the time-clock
import knows every id, date and badge it acts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import (
    Area,
    District,
    Employer,
    Equipment,
    EquipmentTask,
    Intern,
    Placement,
    School,
    Staff,
    UserAccount,
    Worksite,
)
from internhost.core.services.accounts import hash_password
from internhost.core.services.interns import name_columns
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
START = date(2025, 9, 2)
#: Every account's password (the test's CLI logs in as "hr" with the sample's).
PASSWORD = "demo"


@dataclass
class HoursWorld:
    factory: sessionmaker[Session]
    hr: Actor
    mentor: Actor
    other_mentor: Actor
    viewer: Actor
    worksite: int
    office: int
    floor: int
    press: int
    supervisor: int
    #: Interns by last name, and their placements.
    interns: dict[str, int]
    placements: dict[str, int]

    def call(self, actor: Actor, service, *args, **kwargs):  # type: ignore[no-untyped-def]
        with db.unit_of_work(self.factory, actor) as s:
            return service(s, actor, *args, **kwargs)


#: (first, last, born, school, student id, badge, status): Ruiz and Okafor share a
#: student id at two schools; the mentor mentors Ruiz and Okafor, not Lee.
PEOPLE = (
    ("Ana", "Ruiz", date(2008, 3, 4), "Central High", "S-100", "B-1", "active"),
    ("Bo", "Okafor", date(2009, 6, 1), "East High", "S-100", "B-2", "active"),
    ("Cy", "Lee", date(2007, 1, 9), "Central High", "S-300", "B-3", "active"),
    ("Di", "Draft", date(2008, 8, 8), "Central High", "S-400", "B-4", "draft"),
)


def build(factory: sessionmaker[Session]) -> HoursWorld:
    with db.unit_of_work(factory, SYSTEM) as s:
        s.add(Employer(id=1, legal_name="Acme Stamping", workweek_start="sun"))
        district = District(name="District 1")
        s.add(district)
        s.flush()
        schools = {
            n: School(name=n, district_id=district.id) for n in ("Central High", "East High")
        }
        site = Worksite(employer_id=1, name="Plant", state="IL", time_zone="America/Chicago")
        s.add_all([*schools.values(), site])
        s.flush()
        office = Area(worksite_id=site.id, name="Office", kind="office")
        floor = Area(worksite_id=site.id, name="Floor", kind="production")
        s.add_all([office, floor])
        s.flush()
        press = Equipment(worksite_id=site.id, area_id=floor.id, name="Punch press 2")
        press.tasks = [EquipmentTask(task_key="punch_press")]
        mentor = Staff(
            first_name="Mia", last_name="Mentor", role="mentor", email="mia@acme.example"
        )
        other = Staff(first_name="Oz", last_name="Other", role="mentor", email="oz@acme.example")
        boss = Staff(
            first_name="Sam",
            last_name="Super",
            role="supervisor",
            email="sam@acme.example",
            is_21_or_older=True,
        )
        s.add_all([press, mentor, other, boss])
        s.flush()
        digest, salt = hash_password(PASSWORD)
        accounts = {
            role: UserAccount(
                username=role,
                display_name=role.title(),
                role=kind,
                staff_id=staff,
                password_hash=digest,
                password_salt=salt,
                is_demo=True,
            )
            for role, kind, staff in (
                ("hr", "hr_admin", None),
                ("mentor", "mentor", mentor.id),
                ("other", "mentor", other.id),
                ("viewer", "viewer", None),
            )
        }
        s.add_all(accounts.values())
        s.flush()
        interns, placements = {}, {}
        for first, last, born, school, student, badge, status in PEOPLE:
            intern = Intern(
                legal_first_name=first,
                legal_last_name=last,
                birth_date=born,
                school_id=schools[school].id,
                student_id=student,
                **{k: v for k, v in name_columns(first, last, "", student).items()},
            )
            s.add(intern)
            s.flush()
            placement = Placement(
                intern_id=intern.id,
                school_id=schools[school].id,
                worksite_id=site.id,
                mentor_id=other.id if last == "Lee" else mentor.id,
                start_date=START,
                end_date=date(2026, 5, 29),
                hourly_rate_cents=1600,
                status=status,
                badge=badge,
            )
            s.add(placement)
            s.flush()
            interns[last], placements[last] = intern.id, placement.id
        ids = {k: a.id for k, a in accounts.items()}
        return HoursWorld(
            factory=factory,
            hr=Actor(Role.HR_ADMIN, "hr", user_id=ids["hr"]),
            mentor=Actor(Role.MENTOR, "mentor", user_id=ids["mentor"], staff_id=mentor.id),
            other_mentor=Actor(Role.MENTOR, "other", user_id=ids["other"], staff_id=other.id),
            viewer=Actor(Role.VIEWER, "viewer", user_id=ids["viewer"]),
            worksite=site.id,
            office=office.id,
            floor=floor.id,
            press=press.id,
            supervisor=boss.id,
            interns=interns,
            placements=placements,
        )
