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

``build`` loads it, running the generator's steps in order: ``company`` (employer,
worksites, staff), ``schools`` (districts, calendars, schools), ``people`` (interns
and their contacts), ``placements`` (with their papers, notice hours and onboarding
plans; ``outcomes`` picks the one that ends early and the one completed),
``hours`` (shifts and plant closures, then ``logged``: time entries, absences,
approvals and closed pay periods) and ``mentoring`` (``check_ins`` with their
internal notes, action items, a concern and cadences; goals, evaluations, a site
visit, ``incidents``, and the ``outcomes``); once checked, ``checklists`` ticks
the items HR has done. The dates are laid out around the day it is loaded
(``spec.laid_out``): a term is in progress and hours are logged up to yesterday.
``generator`` holds what the steps share, ``spec`` the data file and ``law`` the
limits the schedules keep to.
"""

from internhost.core.sample.build import (
    DEFAULT_SEED,
    DemoSummary,
    build_demo,
    is_empty,
    refuse_unless_new,
)
from internhost.core.sample.generator import DemoSizes
from internhost.core.sample.spec import laid_out, load_spec, reference_day

__all__ = [
    "DEFAULT_SEED",
    "DemoSizes",
    "DemoSummary",
    "build_demo",
    "is_empty",
    "laid_out",
    "load_spec",
    "reference_day",
    "refuse_unless_new",
]
