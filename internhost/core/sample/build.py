"""Loading the sample: refused unless the database is new, then the generator's steps
in their fixed order, the onboarding plans, the demo accounts and the checks the app
runs, all in one unit of work."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import Conflict
from internhost.core.models import District, Employer, Intern, School, Staff, Worksite
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.sample import company, hours, mentoring, people, placements, schools
from internhost.core.sample.generator import DemoSizes, Generator
from internhost.core.sample.spec import load_spec
from internhost.core.storage.db import refresh_statistics, unit_of_work
from internhost.core.trail import audit

DEFAULT_SEED = 20250908
#: The demo's sizes: 24 interns over two terms, checked as the app would.
DEFAULT_SIZES = DemoSizes()


@dataclass(frozen=True)
class DemoSummary:
    version: str
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in self.counts.items())
        return f"sample data {self.version}: {parts}"


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
    sizes: DemoSizes = DEFAULT_SIZES,
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
        gen = Generator(s, random.Random(seed), sizes)
        host = _generate(gen)
        counts = gen.counts
        progress.step(1, steps, "onboarding plans")
        counts["plan items"] = placements.add_onboarding_plans(s, actor)
        # ``mentor`` is the first mentor of the sample: some of the interns are theirs.
        first_mentor = next(iter(host.mentors.values()))[0]
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


def _generate(gen: Generator) -> company.Company:
    """The generator's steps, in the order they draw from its random source: the fixed
    part (company, schools, competencies), then the interns, their placements, hours
    and mentoring. Returns the host company."""
    host = company.add_company(gen)
    school_side = schools.add_schools(gen)
    framework = mentoring.add_competencies(gen)
    gen.s.flush()
    interns = people.add_interns(gen, school_side)
    placed = placements.add_placements(gen, interns, host)
    shifts = hours.add_work(gen, placed, host.sites, school_side.calendars)
    mentoring.add_mentoring(gen, placed, shifts, framework)
    return host
