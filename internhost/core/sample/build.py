"""Loading the sample: refused unless the database is new, then the demo accounts, the
generator's steps in their fixed order, the onboarding plans, the checks the app runs,
the checklist items HR has ticked and HR's decisions on two findings, all in one unit
of work. The data are laid out
around the load day (``spec.laid_out``)."""

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
from internhost.core.sample import (
    checklists,
    company,
    hours,
    logged,
    mentoring,
    people,
    placements,
    schools,
)
from internhost.core.sample.generator import Accounts, DemoSizes, Generator
from internhost.core.sample.spec import laid_out, load_spec
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
    (``progress``) between its steps, it leaves the database empty.

    ``today`` is the load day: a term is in progress and hours are logged up to the
    day before. Without one the sample is the spec's as written, on its
    ``reference_day`` (tests and benchmarks: the same data whatever the date); the
    app and the ``demo`` command pass the real date."""
    from internhost.core.services.accounts import DEMO_ACCOUNTS
    from internhost.core.services.compliance import check_all, startup_sweep

    if sizes.interns < 1:
        raise ValueError("the sample needs at least one intern")
    with unit_of_work(factory, actor) as s:
        require(actor, Permission.LOAD_SAMPLE_DATA)  # in the unit: a refusal is audited
        refuse_unless_new(s)
        steps = 4 if sizes.check else 3
        progress.step(0, steps, "people, places, placements and hours")
        spec = laid_out(today)
        gen = Generator(s, random.Random(seed), sizes, spec)
        decisions = _generate(gen, actor)
        counts = gen.counts
        progress.step(1, steps, "onboarding plans")
        counts["plan items"] = placements.add_onboarding_plans(s, actor, spec)
        progress.step(2, steps, "demo accounts")
        counts["accounts"] = len(DEMO_ACCOUNTS)
        if sizes.check:
            progress.step(3, steps, "checking every placement")
            results = check_all(s, actor, gen.today)
            counts["findings"] = sum(r.violations + r.warnings + r.advisories for r in results)
            startup_sweep(s, actor, gen.today)  # records when it last ran
            counts["checklist items done"] = checklists.complete_checklists(
                s, spec, gen.today, gen.accounts.hr
            )
            counts["decisions"] = logged.decide_findings(s, decisions, gen.accounts.hr)
        audit.label(s, "load sample data")
        progress.step(steps, steps, "saving")
    refresh_statistics(factory)
    return DemoSummary(load_spec()["version"], counts)


def _generate(gen: Generator, actor: Actor) -> list[logged.Decision]:
    """The generator's steps, in the order they draw from its random source: the fixed
    part (company, schools, competencies) and the demo accounts, then the interns,
    their placements, hours and mentoring. Returns HR's decisions to take once the
    sample is checked."""
    from internhost.core.services.accounts import create_demo_accounts

    host = company.add_company(gen)
    school_side = schools.add_schools(gen)
    framework = mentoring.add_competencies(gen)
    gen.s.flush()
    # ``mentor`` is the first mentor of the sample: some of the interns are theirs.
    first_mentor = next(iter(host.mentors.values()))[0]
    made = {a.username: a.id for a in create_demo_accounts(gen.s, actor, first_mentor.id)}
    gen.accounts = Accounts(made["hr"], made["mentor"], first_mentor.id)
    interns = people.add_interns(gen, school_side)
    placed = placements.add_placements(gen, interns, host)
    shifts, decisions = hours.add_work(gen, placed, host.sites, school_side.calendars)
    mentoring.add_mentoring(gen, placed, shifts, framework)
    return decisions
