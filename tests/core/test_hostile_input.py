"""Hostile input (issue 6, Proof): every service entry point that takes user input,
fed markup, control characters, 1 MB strings, impossible dates, negative and huge
numbers, empty strings and None where a value is required.

The entry points are found, not listed: every public function of
``internhost/core/services/*.py`` and ``core/importers/roster.py`` must have a row in
``HOSTILE`` (a strategy for its input) or in ``NO_USER_INPUT`` (with the reason it
takes none: ids picked from a list, the clock, rows the core built). A new service
without a row fails ``test_every_entry_point_has_a_row``.

Each input is built field by field from plausible values with a few fields (none,
one, two, three or all) made hostile, so the checks behind the first refused field
run too. Each example runs in a fresh ``unit_of_work`` (or the function's own, for
those that take the session factory) as the sample's HR admin, on a copy of a small
sample database, and must:

- return, or raise a ``DomainError``; a ``ValidationError`` must name fields of the
  input (each error's field is one of the input's fields, or that field without its
  ``_id``, with ``[i]``/``.part`` for items), a roster report's row errors name a
  roster column; ``NotFound``, ``LoginFailed`` and ``ImportRefused`` only where the
  row allows them (a record id that does not exist, a login that fails, a file that
  cannot be read);
- on an error, write nothing: every row of every table (audit events included) is
  as it was;
- on success, store no control character (C0 but tab and line breaks, and DEL), no
  invisible or text-direction character (``SPOOF``) in a name (``NAME_COLUMNS``) and
  no text over ``LONGEST`` characters, and audit every row it inserted, changed or
  deleted, so that ``audit verify`` still finds the trail explaining every row.

``internhost check``'s JSON reader, which takes a file rather than a call, has its
own proof in ``tests/rules/test_check_hostile.py``.

Every example must pass: a bug found is fixed, not tolerated. The examples that
found bugs (all fixed) are kept, one input each, in ``REGRESSIONS``. The
summary printed when the module's database is closed gives the figures.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from entrypoints import entry_points
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import (
    Conflict,
    DomainError,
    FieldError,
    LoginFailed,
    NotFound,
    ValidationError,
)
from internhost.core.importers import hours, roster
from internhost.core.importers.result import ImportRefused, ImportReport
from internhost.core.models.base import Base
from internhost.core.reports.forms.texts import FORM_NAMES
from internhost.core.services import (
    accounts,
    approval,
    assignments,
    audit_log,
    cadences,
    check_in_topics,
    check_ins,
    closures,
    compliance,
    directory,
    evaluations,
    exports,
    findings,
    forms,
    frameworks,
    goals,
    hours_progress,
    incidents,
    intern_records,
    interns,
    new_term,
    onboarding,
    outcomes,
    packets,
    payroll,
    placements,
    plans,
    queue,
    retention,
    schedules,
    school_forms,
    setup,
    student_learner,
    time_entries,
    timesheets,
)
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
#: Long after the sample's shifts: every one of them has passed.
LATER = date(2027, 1, 4)
INT64 = 2**63 - 1
#: Text longer than this reaching the database is a 1 MB string let through.
LONGEST = 10_000
STORED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# -- hostile values

MARKUP = (
    "<b>bold</b>",
    "<img src=/etc/passwd>",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE interns;--",
    "%s%n%x{0}",
    "+SUM(1,1)",
    '@HYPERLINK("http://x")',
    "&lt;&amp;&#0;",
    "../../etc/passwd",
)
CONTROLS = (*(chr(c) for c in range(0x20)), "\x7f", "\u202e", "\u200f", "\ufeff", "\u2028")
#: Invisible and text-direction characters, which make a displayed name lie (issue 11):
#: no name may store them. U+200C and U+200D (joiners) are not among them.
SPOOF = (
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\ufeff",
)
STORED_SPOOF = re.compile(f"[{''.join(SPOOF)}]")
#: The columns a person's or a record's name is stored in (and what is built from them).
NAME_COLUMNS = {
    "interns": {
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "search_name",
        "sort_name",
        "student_id",
    },
    "intern_contacts": {"name"},
    "staff": {"first_name", "last_name"},
    "schools": {"name", "coordinator_name"},
    "districts": {"name"},
    "worksites": {"name"},
    "areas": {"name"},
    "equipment": {"name"},
    "employer": {"legal_name", "hr_contact_name", "wc_carrier"},
    "user_accounts": {"username", "display_name"},
    "plan_templates": {"name"},
    "plan_template_items": {"title"},
    "plan_items": {"title"},
    "record_releases": {"record_type", "consent_signed_by"},
    "documents": {"title", "filename"},
    "school_forms": {"name", "filename"},
    "login_tokens": {"device_label"},
}
#: Lone surrogates: half a UTF-16 pair, from a broken paste or file (no driver stores them).
SURROGATES = ("\ud800", "Ana\udc00", "\udfff\ud800x")
MEGA = (
    "x" * 1_000_000,
    "é" * 1_000_000,
    "<b>" * 340_000,
    "a\x00" * 500_000,
    "a@b.example" + " " * 1_000_000,
)
BLANK = ("", " ", "\t", "\n", "\u00a0", "  padded  ")
DATES = (
    date.min,
    date.max,
    date(1, 1, 2),
    date(9999, 12, 30),
    date(1900, 1, 1),
    date(1970, 1, 1),
    date(2100, 1, 1),
)
#: None where a value is required.
NONE = st.none()
#: Ids that are not on record: missing, negative, beyond SQLite's 64 bits.
MISSING_IDS = (0, -1, 10**6, INT64, INT64 + 1, 2**70)
INTS = (0, -1, -(2**31), 2**31, INT64, -INT64 - 1, INT64 + 1, 2**80, -(2**80), 10**30)


def _pdfs() -> tuple[bytes, tuple[Any, ...]]:
    from formkit import encrypted_form, plain_pdf, school_form, xfa_form

    return school_form(), (
        xfa_form(),
        encrypted_form(),
        plain_pdf(),
        school_form(extra=("<b>x</b>", "a\x00b", "x" * 600)),
        b"",
        b"%PDF-1.7\n" + b"\x00" * 64,
        b"\x89PNG\r\n\x1a\n",
        "%PDF- a string",
        None,
    )


#: A school's fillable PDF, and files that are not one (or not one InternHost fills).
FORM_PDF, HOSTILE_PDFS = _pdfs()


def hostile_mapping() -> st.SearchStrategy[Any]:
    """Field names and value keys that are not the form's or the catalogue's."""
    keys = st.one_of(hostile_text(), st.sampled_from(("intern.legal_name", "intern.password", 5)))
    names = st.one_of(
        hostile_text(none=False), st.sampled_from(("student_name", "term", "x" * 600))
    )
    return st.one_of(
        st.dictionaries(names, keys, max_size=4),
        st.sampled_from((None, ["student_name"], "student_name", 3)),
    )


def with_control() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=6),
        st.sampled_from(CONTROLS),
        st.text(max_size=6),
    )


def with_spoof() -> st.SearchStrategy[str]:
    """A name with an invisible or text-direction character inside or at an end."""
    return st.builds(
        lambda a, c, b: a + c + b,
        st.sampled_from(("", "Ana", "Ruiz", "Plant ", "مهر")),
        st.sampled_from(SPOOF),
        st.sampled_from(("", "ziuR", " High", "\u200cآسا")),
    )


def hostile_text(*, none: bool = True) -> st.SearchStrategy[Any]:
    parts = [
        st.sampled_from(MARKUP),
        with_control(),
        with_spoof(),
        st.sampled_from(SURROGATES),
        st.sampled_from(MEGA),
        st.sampled_from(BLANK),
        st.text(max_size=30),
    ]
    return st.one_of(*parts, NONE) if none else st.one_of(*parts)


def hostile_int() -> st.SearchStrategy[int | None]:
    return st.one_of(st.sampled_from(INTS), st.integers(-1000, 1000), NONE)


@dataclass(frozen=True)
class Field:
    """A field's plausible values and its hostile ones. Each example makes a few
    fields hostile (sometimes none, sometimes all) and keeps the others plausible,
    so the checks behind the first refused field run too."""

    valid: st.SearchStrategy[Any]
    hostile: st.SearchStrategy[Any]


def t(*valid: str, none: bool = True) -> Field:
    """Text."""
    return Field(st.sampled_from(valid or ("",)), hostile_text(none=none))


def d(*valid: date) -> Field:
    """A date: impossible ones, far past and future, None."""
    return Field(st.sampled_from(valid), st.one_of(st.sampled_from(DATES), st.dates(), NONE))


def n(*valid: int) -> Field:
    """A number: negative, huge, None."""
    return Field(st.sampled_from(valid), hostile_int())


def r(existing: tuple[int, ...], *, none: bool = True) -> Field:
    """A record's id: one on record, or one that is not (missing, negative, huge)."""
    missing = st.sampled_from(MISSING_IDS)
    return Field(st.sampled_from(existing), st.one_of(missing, NONE) if none else missing)


def new_or(existing: tuple[int, ...]) -> Field:
    """None (create) or a record's id (update)."""
    return Field(st.sampled_from((None, *existing)), st.sampled_from(MISSING_IDS))


def moment_hostile() -> st.SearchStrategy[Any]:
    """Not a local date and time: far dates, an aware time, text, a date alone, None."""
    return st.one_of(
        st.datetimes(),
        st.datetimes(timezones=st.just(UTC)),
        st.sampled_from(DATES),
        hostile_text(),
    )


def moment(valid: datetime) -> Field:
    """A local date and time."""
    return Field(st.just(valid), moment_hostile())


def b() -> Field:
    return Field(st.booleans(), NONE)


def many(item: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(item, max_size=max_size).map(tuple)


Spec = Field | st.SearchStrategy[Any]


def _draw_all(draw: st.DrawFn, spec: dict[str, Spec]) -> dict[str, Any]:
    """Values for ``spec``: a few of its Fields hostile (none, one, two, three or all of
    them), the rest plausible. Empty slots make up eight, so a call with one field
    keeps it plausible most of the time."""
    names = [name for name, f in spec.items() if isinstance(f, Field)]
    how_many = draw(st.sampled_from((0, 1, 1, 1, 2, 2, 3, -1)))
    if how_many == -1:
        hostile = set(names)
    else:
        slots = [*names, *[""] * max(0, 8 - len(names))]
        hostile = set(draw(st.permutations(slots))[:how_many])
    out = {}
    for name, f in spec.items():
        if isinstance(f, Field):
            out[name] = draw(f.hostile if name in hostile else f.valid)
        else:
            out[name] = draw(f)
    return out


def form(cls: type, **spec: Spec) -> st.SearchStrategy[Any]:
    """An input dataclass."""

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        return cls(**_draw_all(draw, spec))

    return build()


# -- the world: a small sample database, copied afresh after every example that wrote


@dataclass(frozen=True)
class Ids:
    schools: tuple[int, ...]
    school_names: tuple[str, ...]
    districts: tuple[int, ...]
    district_names: tuple[str, ...]
    worksites: tuple[int, ...]
    worksite_names: tuple[str, ...]
    areas: tuple[str, ...]
    mentors: tuple[int, ...]
    mentor_emails: tuple[str, ...]
    staff: tuple[int, ...]
    interns: tuple[int, ...]
    placements: tuple[int, ...]
    #: (placement id, its intern's id)
    placement_interns: tuple[tuple[int, int], ...]
    checklist_items: tuple[int, ...]
    plan_items: tuple[int, ...]
    documents: tuple[int, ...]
    accounts: tuple[int, ...]
    calendars: tuple[int, ...]
    equipment: tuple[int, ...]
    releases: tuple[int, ...]
    shifts: tuple[int, ...]
    tasks: tuple[str, ...]
    findings: tuple[int, ...]
    time_entries: tuple[int, ...]
    concerns: tuple[int, ...]
    action_items: tuple[int, ...]
    #: The first time entry's start and end (a correction of it can succeed).
    entry_span: tuple[datetime, datetime]
    #: Progress records (issue 14): frameworks and their competencies, goals.
    frameworks: tuple[int, ...] = ()
    competencies: tuple[int, ...] = ()
    goals: tuple[int, ...] = ()
    #: A school's registered form (issue 15), mapped.
    school_forms: tuple[int, ...] = ()


Snapshot = dict[str, frozenset[tuple[Any, ...]]]


@dataclass
class Stats:
    examples: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)


STATS = Stats()


class World:
    """The sample database under test: ``path`` is a copy of ``template``, copied again
    when an example changed it."""

    def __init__(self, tmp: Path, templates: dict[str, Path]) -> None:
        self.tmp = tmp
        self.templates = templates
        self.snapshots = {name: _snapshot(path) for name, path in templates.items()}
        self.columns = _columns(templates["demo"])
        self.template = "demo"
        self.engine: Any = None
        self.factory: Any = None
        self.dirty = True
        self.copies = 0
        self.path = tmp / "hostile.db"
        self.use("demo")
        self.hr = proofkit_hr(self.factory)
        self.ids = _ids(self.factory)

    def use(self, template: str) -> None:
        if template != self.template:
            self.template, self.dirty = template, True
        self.fresh()

    def fresh(self) -> None:
        if not self.dirty:
            return
        if self.engine is not None:
            self.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.templates[self.template], self.path)
        self.engine = db.make_engine(self.path, TEST_KEY, create=False)
        self.factory = db.make_session_factory(self.engine)
        self.dirty = False
        self.copies += 1

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def proofkit_hr(factory: Any) -> Actor:
    from proofkit import hr_actor

    return hr_actor(factory)


def _snapshot(path: Path) -> Snapshot:
    from proofkit import snapshot

    return snapshot(path, TEST_KEY)


def _columns(path: Path) -> dict[str, tuple[str, ...]]:
    from proofkit import tables

    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        return {
            t: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables(conn)
        }


def _ids(factory: Any) -> Ids:
    from sqlalchemy import select

    from internhost.core.models import (
        ActionItem,
        Area,
        ChecklistItem,
        Competency,
        CompetencyFramework,
        Concern,
        District,
        Document,
        Equipment,
        Finding,
        Goal,
        Intern,
        Placement,
        PlanItem,
        RecordRelease,
        School,
        SchoolCalendar,
        SchoolForm,
        Shift,
        Staff,
        TimeEntry,
        UserAccount,
        Worksite,
    )

    def ids(model: Any, *where: Any) -> tuple[int, ...]:
        found = tuple(s.scalars(select(model.id).where(*where).order_by(model.id).limit(8)))
        assert found, model
        return found

    with db.read_session(factory, SYSTEM) as s:
        sites = directory.list_worksites(s, SYSTEM)
        mentors = s.execute(
            select(Staff.id, Staff.email).where(Staff.role == "mentor").order_by(Staff.id)
        ).all()
        return Ids(
            schools=ids(School),
            school_names=tuple(s.scalars(select(School.name).order_by(School.id))),
            districts=ids(District),
            district_names=tuple(s.scalars(select(District.name).order_by(District.id))),
            worksites=ids(Worksite),
            worksite_names=tuple(site.name for site in sites),
            areas=tuple(
                s.scalars(select(Area.name).where(Area.worksite_id == min(w.id for w in sites)))
            ),
            mentors=tuple(m.id for m in mentors),
            mentor_emails=tuple(m.email for m in mentors if m.email),
            staff=ids(Staff),
            interns=ids(Intern),
            placements=ids(Placement),
            placement_interns=tuple(
                s.execute(select(Placement.id, Placement.intern_id).order_by(Placement.id))
            ),
            checklist_items=ids(ChecklistItem),
            plan_items=ids(PlanItem, PlanItem.owner_role == "hr"),
            documents=ids(Document),
            accounts=ids(UserAccount),
            calendars=ids(SchoolCalendar),
            equipment=ids(Equipment),
            releases=ids(RecordRelease),
            shifts=ids(Shift),
            tasks=tuple(t.key for t in directory.task_catalog())[:12],
            findings=ids(Finding),
            time_entries=ids(TimeEntry),
            concerns=ids(Concern),
            action_items=ids(ActionItem),
            entry_span=tuple(
                s.execute(
                    select(TimeEntry.start_local, TimeEntry.end_local)
                    .order_by(TimeEntry.id)
                    .limit(1)
                ).one()
            ),
            frameworks=ids(CompetencyFramework),
            competencies=ids(Competency),
            goals=ids(Goal),
            school_forms=ids(SchoolForm),
        )


def _register_school_form(s: Any) -> None:
    """A school's fillable PDF, registered and mapped (for the services that use one)."""
    from formkit import school_form
    from sqlalchemy import select

    from internhost.core.models import School

    school = s.scalar(select(School.id).order_by(School.id).limit(1))
    data = school_forms.SchoolFormInput(school, "WBL form", "wbl.pdf", school_form())
    form = school_forms.register_form(s, SYSTEM, data)
    school_forms.save_mapping(s, SYSTEM, form.form.id, {"student_name": "intern.legal_name"})


def _raise_concern(s: Any) -> None:
    """A check-in with a concern and an action item (for the services that act on them)."""
    from sqlalchemy import select

    from internhost.core.models import Placement

    placement = s.scalars(select(Placement).order_by(Placement.id).limit(1)).one()
    data = check_ins.CheckInInput(
        placement.id,
        placement.start_date,
        concern=check_ins.ConcernInput("attendance", "Late twice."),
        actions=(check_ins.ActionInput("Bring safety glasses"),),
    )
    check_ins.save_check_in(s, SYSTEM, data, today=placement.start_date)


@pytest.fixture(scope="module")
def world(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A small sample (6 interns, a week of shifts) with a released record, and the
    empty database (no account yet) for the first-run services."""
    from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo

    tmp = tmp_path_factory.mktemp("hostile")
    demo = tmp / "template.db"
    shutil.copyfile(migrated_template, demo)
    engine = db.make_engine(demo, TEST_KEY)
    factory = db.make_session_factory(engine)
    build_demo(factory, SYSTEM, DemoSizes(interns=6, weeks=1), seed=DEFAULT_SEED)
    with db.unit_of_work(factory, SYSTEM) as s:
        from sqlalchemy import select

        from internhost.core.models import Intern

        first = s.scalar(select(Intern.id).order_by(Intern.id).limit(1))
        intern_records.save_release(
            s,
            SYSTEM,
            first,
            intern_records.ReleaseInput(
                "Transcript", date(2025, 9, 2), "directory information", ""
            ),
            today=TODAY,
        )
        _raise_concern(s)
        _register_school_form(s)
    engine.dispose()
    with closing(db.connect_raw(demo, TEST_KEY)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    w = World(tmp, {"demo": demo, "empty": migrated_template})
    yield w
    w.close()
    total = sum(STATS.examples.values())
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(STATS.outcomes.items()))
    print(
        f"\nhostile input: {len(STATS.examples)} entry points, {total} examples "
        f"({outcomes}); "
        f"database copies: {w.copies}"
    )


# -- the table: each entry point, how to call it, and its input


@dataclass(frozen=True)
class Call:
    """One call's arguments after the session and acting user (or the factory)."""

    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        def short(v: Any) -> str:
            text = repr(v)
            return text if len(text) < 200 else f"{text[:120]}…<{len(text)} chars>"

        parts = [short(a) for a in self.args] + [f"{k}={short(v)}" for k, v in self.kwargs.items()]
        return f"({', '.join(parts)})"


def call(*args: Spec, **kwargs: Spec) -> st.SearchStrategy[Call]:
    """A ``Call`` (a few arguments hostile, as in ``form``)."""

    @st.composite
    def build(draw: st.DrawFn) -> Call:
        spec = {**{f"#{i}": a for i, a in enumerate(args)}, **kwargs}
        values = _draw_all(draw, spec)
        return Call(
            tuple(values[f"#{i}"] for i in range(len(args))), {k: values[k] for k in kwargs}
        )

    return build()


def _check_in_input(ids: Ids) -> st.SearchStrategy[check_ins.CheckInInput]:
    concern = form(
        check_ins.ConcernInput, category=t("safety", "wellbeing"), details=t("", "Late.")
    )
    action = form(
        check_ins.ActionInput,
        text=t("Bring safety glasses"),
        due_on=Field(st.sampled_from((None, LATER)), st.one_of(st.sampled_from(DATES), st.dates())),
        done_on=Field(st.just(None), st.one_of(st.sampled_from(DATES), st.dates())),
        id=Field(st.just(None), st.sampled_from((*MISSING_IDS, *ids.action_items))),
    )
    not_a_list = st.sampled_from((None, "x", 5, (None,), ("Safety", 3)))
    return form(
        check_ins.CheckInInput,
        placement_id=r(ids.placements),
        held_on=d(LATER, date(2025, 10, 14)),
        minutes=Field(st.sampled_from((None, 5)), hostile_int()),
        mode=t("in_person", "remote"),
        topics=Field(
            st.sampled_from(((), ("Safety",), ("Goals", "Safety"))),
            st.one_of(many(hostile_text()), not_a_list),
        ),
        shared_notes=t("", "Walked the line.\nAsked about guards."),
        internal_note=t("", "Seemed tired."),
        reflection=t("", "I liked the demo."),
        mood=Field(st.sampled_from((None, 4)), hostile_int()),
        concern=Field(st.one_of(st.none(), concern), st.sampled_from(("safety", 3))),
        actions=Field(st.one_of(st.just(()), many(action)), not_a_list),
    )


def _topics() -> st.SearchStrategy[tuple[Any, ...]]:
    shipped = [check_in_topics.TopicInput(r.key, r.name) for r in check_in_topics.default_topics()]
    extra = form(
        check_in_topics.TopicInput,
        key=Field(st.sampled_from((None, "goals")), hostile_text()),
        name=t("Attendance", "Tools"),
        retired=Field(st.booleans(), st.sampled_from((None, "yes", 1))),
    )
    return st.one_of(
        many(extra).map(lambda more: (*shipped, *more)),
        st.sampled_from((None, "Goals", (None,), ())),
    )


@dataclass(frozen=True)
class Entry:
    function: Callable[..., Any]
    inputs: Callable[[Ids], st.SearchStrategy[Call]]
    #: "service" (s, actor, ...), "session" (s, ...), "factory" (factory, ...),
    #: "factory_actor" (factory, actor, ...) or "pure" (...).
    kind: str = "service"
    #: The dataclass whose fields a ValidationError may name, and other names it may use.
    input_type: type | None = None
    names: frozenset[str] = frozenset()
    #: Domain errors besides ValidationError this entry point may raise.
    allowed: tuple[type[DomainError], ...] = ()
    template: str = "demo"
    examples: int = 25
    #: Tables an error may write by design (a failed login is counted and audited).
    recorded_on_error: frozenset[str] = frozenset()

    def field_names(self) -> set[str]:
        names = set(self.names)
        if self.input_type is not None:
            for f in dataclasses.fields(self.input_type):
                names.add(f.name)
                names.add(f.name.removesuffix("_id"))
        return names


def _intern_spec(ids: Ids) -> dict[str, Spec]:
    return {
        "legal_first_name": t("Ana", "Zoë"),
        "legal_last_name": t("Ruiz", "O'Brien-Łukasz"),
        "birth_date": d(date(2009, 3, 4), date(2008, 12, 31)),
        "school_id": r(ids.schools),
        "preferred_name": t("", "Annie"),
        "grade": Field(st.sampled_from((None, 10, 11)), hostile_int()),
        "student_id": t("HX-1", ""),
        "address": t("1 Main St", "2 Elm St\nApt 3"),
        "residence_district_id": Field(st.sampled_from((None, *ids.districts)), hostile_int()),
    }


def _incident(ids: Ids) -> st.SearchStrategy[incidents.IncidentInput]:
    """An injury at a time the sample's first entry was worked, its notices dated,
    marked not needed or left to do."""
    notice = Field(
        st.just(incidents.NoticeInput()),
        form(
            incidents.NoticeInput,
            done_on=d(ids.entry_span[0].date()),
            not_needed=t("", "The intern was not hurt."),
        ),
    )
    return form(
        incidents.IncidentInput,
        placement_id=r(ids.placements),
        kind=t("injury", "near_miss"),
        occurred_at=moment(ids.entry_span[0]),
        description=t("Cut on the left hand.", none=False),
        worksite_id=Field(st.sampled_from((None, *ids.worksites)), hostile_int()),
        area_id=Field(st.just(None), hostile_int()),
        equipment_id=Field(st.sampled_from((None, *ids.equipment)), hostile_int()),
        task_key=t("", *ids.tasks[:2]),
        body_part=t("", "Left hand"),
        treatment=t("", "Ice pack."),
        told_whom=t("", "Supervisor Dee"),
        osha_recordable=Field(st.sampled_from((None, True, False)), hostile_text()),
        guardian=notice,
        school=notice,
        idol=notice,
    )


def _intern_input(ids: Ids) -> st.SearchStrategy[intern_records.InternInput]:
    return form(
        intern_records.InternInput,
        **_intern_spec(ids),
        residence_district_confirmed=Field(st.just(False), st.sampled_from((True, None))),
    )


def _new_intern(ids: Ids) -> st.SearchStrategy[interns.InternInput]:
    return form(interns.InternInput, **_intern_spec(ids))


def _contacts(ids: Ids) -> st.SearchStrategy[tuple[intern_records.ContactInput, ...]]:
    one = form(
        intern_records.ContactInput,
        kind=t("guardian", "emergency"),
        name=t("Maria Ruiz"),
        relationship=t("mother", ""),
        phone=t("(815) 555-0100", ""),
        email=t("parent@mail.example", ""),
        may_authorize_treatment=Field(st.just(False), st.sampled_from((True, None))),
    )
    return many(one)


def _placement_input(
    ids: Ids, interns_: tuple[int, ...] | None = None
) -> st.SearchStrategy[placements.PlacementInput]:
    answers = st.lists(st.sampled_from((True, False, None, 0, "yes")), max_size=9).map(tuple)
    return form(
        placements.PlacementInput,
        intern_id=r(interns_ or ids.interns),
        school_id=r(ids.schools),
        start_date=d(date(2026, 1, 12)),
        end_date=d(date(2026, 5, 29), None),
        worksite_id=r(ids.worksites),
        mentor_id=r(ids.mentors),
        paid=Field(st.just(True), st.sampled_from((False, None))),
        hourly_rate_cents=n(1550),
        program=t(*placements.PROGRAMS),
        required_hours=n(120),
        check_in_every_days=n(7),
        primary_beneficiary=Field(st.just((None,) * placements.FACTOR_COUNT), answers),
        employee_status=t("employee"),
        employee_status_reason=t("The training is for the student's benefit.", ""),
        status=t("active", "draft", "completed"),
        status_note=t("", "Moved away."),
        badge=t("4471", ""),
        assignments=Field(st.just(()), many(_assignment(ids))),
    )


def _assignment(ids: Ids) -> st.SearchStrategy[Any]:
    """One thing a placement assigns: a stored machine or a catalog task, or hostile ids,
    keys and details."""
    details = st.one_of(
        st.just({}),
        st.dictionaries(
            st.one_of(st.sampled_from(("direct_supervision", "gross_weight_lbs")), hostile_text()),
            st.one_of(st.booleans(), hostile_int(), hostile_text(), st.floats()),
            max_size=2,
        ),
        hostile_text(),
    )
    return st.builds(
        assignments.AssignmentInput,
        area_id=st.one_of(NONE, st.sampled_from(MISSING_IDS)),
        task_key=st.one_of(NONE, st.sampled_from(ids.tasks), hostile_text()),
        equipment_id=st.one_of(NONE, st.sampled_from(ids.equipment), st.sampled_from(MISSING_IDS)),
        details=details,
    )


def _save_placement(ids: Ids) -> st.SearchStrategy[Call]:
    """A new placement, or an edit of a stored one with its own intern."""

    @st.composite
    def build(draw: st.DrawFn) -> Call:
        target = draw(st.sampled_from((None, None, *ids.placements)))
        owner = dict(ids.placement_interns).get(target)
        return draw(
            call(
                _placement_input(ids, (owner,) if owner else None),
                Field(st.just(target), st.one_of(st.just(target), st.sampled_from(MISSING_IDS))),
                today=st.just(TODAY),
            )
        )

    return build()


#: Moments no shift can start or end at: the calendar's ends, an instant with a time
#: zone, a time the clocks skip (Chicago, 2026-03-08), a date alone, text, a number.
DATETIMES = (
    datetime.min,
    datetime.max,
    datetime(1, 1, 2, 8),
    datetime(2100, 12, 31, 23, 59),
    datetime(2025, 11, 16, 10, tzinfo=UTC),
    datetime(2026, 3, 8, 2, 30),
    date(2025, 11, 16),
    "2025-11-16T10:00",
    0,
)


def dt(*valid: datetime) -> Field:
    """A local date and time: impossible ones, aware ones, other types, None."""
    return Field(
        st.sampled_from(valid), st.one_of(st.sampled_from(DATETIMES), st.datetimes(), NONE)
    )


#: A Sunday after the hostile sample's week of shifts, inside its placements.
PLAN_DAY = date(2025, 11, 16)


def _shift_input(ids: Ids) -> st.SearchStrategy[schedules.ShiftInput]:
    at = lambda hour, minute=0: datetime.combine(PLAN_DAY, time(hour, minute))  # noqa: E731
    hostile_breaks = many(
        st.one_of(st.tuples(st.sampled_from(DATETIMES), st.sampled_from(DATETIMES)), hostile_text())
    )
    return form(
        schedules.ShiftInput,
        placement_id=r(ids.placements),
        start=dt(at(10)),
        end=dt(at(11), at(14)),
        area_id=Field(st.sampled_from((None,)), st.sampled_from(MISSING_IDS)),
        supervisor_staff_id=Field(
            st.sampled_from((None, *ids.staff)), st.sampled_from(MISSING_IDS)
        ),
        supervisor_21_or_older=Field(st.sampled_from((None, True)), st.sampled_from(("yes", 0, 1))),
        tasks=Field(st.just(("office_clerical",)), many(st.one_of(hostile_text(), st.integers()))),
        breaks=Field(st.sampled_from(((), ((at(12), at(12, 30)),))), hostile_breaks),
        note=t("Bring safety glasses.", ""),
    )


def _series_input(ids: Ids) -> st.SearchStrategy[schedules.SeriesInput]:
    return form(
        schedules.SeriesInput,
        shift=_shift_input(ids),
        weekdays=Field(st.just(("sun",)), many(hostile_text())),
        until=d(date(2025, 11, 30)),
        every_weeks=n(1, 2),
        skip_non_school_days=b(),
    )


def _calendar_input(ids: Ids) -> st.SearchStrategy[setup.CalendarInput]:
    hostile_time = st.one_of(st.sampled_from((time(0), time(23, 59), time.max)), NONE)
    hostile_days = many(st.one_of(st.sampled_from(DATES), st.dates(), NONE))
    return form(
        setup.CalendarInput,
        district=t("Hostile District", *ids.district_names),
        school_year=t("2030-31", none=True),
        first_day=d(date(2030, 8, 26)),
        last_day=d(date(2031, 6, 4)),
        day_start=Field(st.just(time(8)), hostile_time),
        day_end=Field(st.just(time(15)), hostile_time),
        no_school=Field(st.just((date(2030, 11, 27),)), hostile_days),
        early_dismissal=Field(
            st.just(((date(2030, 12, 22), time(12)),)),
            many(st.tuples(st.one_of(st.sampled_from(DATES), NONE), hostile_time)),
        ),
        late_start=Field(
            st.just(((date(2031, 1, 6), time(10)),)),
            many(st.tuples(st.sampled_from((date(2031, 1, 7),)), hostile_time)),
        ),
        state=t("IL", "WI"),
    )


def _new_term(ids: Ids) -> st.SearchStrategy[new_term.NewTermInput]:
    return form(
        new_term.NewTermInput,
        from_start=d(date(2025, 9, 1)),
        from_end=d(date(2025, 12, 31)),
        new_start=d(date(2026, 9, 1)),
        new_end=d(date(2026, 12, 18), None),
        placement_ids=Field(
            st.sampled_from((None, ids.placements[:2])),
            many(st.one_of(st.sampled_from(MISSING_IDS), NONE)),
        ),
        copy_calendars=b(),
    )


#: Cells a spreadsheet may hold that no parser should choke on.
HOSTILE_CELLS = (
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2/30/2025",
    "12/31/9999 0:00",
    "-5",
    "$99999999999999999999",
    "9" * 5000,
    "1e308",
    "NaN",
)


def _roster_data(ids: Ids) -> st.SearchStrategy[bytes]:
    valid = {
        "first_name": ("Ana", "Bo"),
        "last_name": ("Ruiz", "Okafor"),
        "birth_date": ("2009-03-04", "3/4/2009 0:00"),
        "school": ids.school_names,
        "grade": ("10",),
        "student_id": ("H-1", "H-2"),
        "guardian_name": ("Maria Ruiz",),
        "guardian_phone": ("(815) 555-0100",),
        "guardian_email": ("parent@mail.example",),
        "address": ("1 Main St",),
        "worksite": ids.worksite_names,
        "placement_start": ("2026-01-12",),
        "placement_end": ("2026-05-29",),
        "paid": ("yes",),
        "hourly_rate": ("$15.50",),
        "program": ("employment",),
        "mentor_email": ids.mentor_emails,
    }
    hostile_cell = st.one_of(hostile_text(none=False), st.sampled_from(HOSTILE_CELLS))

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        headers = ["first_name", "last_name", "birth_date", "school"]
        headers += draw(st.lists(st.sampled_from(roster.COLUMNS), max_size=8, unique=True))
        headers = list(dict.fromkeys(headers))
        if draw(st.integers(0, 7)) == 0:
            headers = [h for h in headers if draw(st.booleans())]  # maybe drop required ones
        if draw(st.integers(0, 3)) == 0:
            headers.append(draw(hostile_text(none=False)))  # an unknown header
        rows = []
        for _ in range(draw(st.integers(0, 3))):
            spec = {h: Field(st.sampled_from(valid.get(h, ("",))), hostile_cell) for h in headers}
            cells = _draw_all(draw, spec)
            rows.append([cells[h] for h in headers])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252")))
        return out.getvalue().encode(encoding, errors="replace")

    raw = st.one_of(
        st.binary(max_size=200),
        st.sampled_from((b"", b"\xef\xbb\xbf", b"\x00" * 10, b"a" * 2_000_000, b"\xff\xfe")),
    )
    return st.one_of(build(), build(), build(), build(), build(), build(), build(), raw)


def _clock_data(ids: Ids) -> st.SearchStrategy[bytes]:
    """A time clock's file: a few rows of plausible punches with hostile cells, or
    bytes that are no file at all."""
    valid = {
        "badge": ("B-1", ""),
        "student_id": ("", "H-1"),
        "school": ("", *ids.school_names),
        "date": ("2025-10-14", "10/14/2025"),
        "in": ("15:30", "3:30 PM"),
        "out": ("17:30", "5:30pm"),
        "out_date": ("", "2025-10-15"),
        "break_start": ("", "16:00"),
        "break_end": ("", "16:20"),
        "supervisor": ("", *ids.mentor_emails),
        "tasks": ("", *ids.tasks[:2]),
    }
    hostile_cell = st.one_of(hostile_text(none=False), st.sampled_from(HOSTILE_CELLS))

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        headers = ["badge", "date", "in", "out"]
        headers += draw(st.lists(st.sampled_from(hours.COLUMNS), max_size=6, unique=True))
        headers = list(dict.fromkeys(headers))
        if draw(st.integers(0, 7)) == 0:
            headers = [h for h in headers if draw(st.booleans())]
        rows = []
        for _ in range(draw(st.integers(0, 3))):
            spec = {h: Field(st.sampled_from(valid.get(h, ("",))), hostile_cell) for h in headers}
            cells = _draw_all(draw, spec)
            rows.append([cells[h] for h in headers])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8", errors="replace")

    raw = st.one_of(st.binary(max_size=200), st.sampled_from((b"", b"\x00" * 10)))
    return st.one_of(build(), build(), build(), raw)


def _plan_steps() -> Field:
    """A template's steps: a few (an id a list, or a number, sometimes), or no list of
    steps at all: None, a generator, text, a number."""
    steps = many(
        form(
            plans.PlanStepInput,
            phase=t("before_day_one", "day_one", "first_weeks"),
            title=t("Site tour", "Badge issued", "Locker assigned", "Safety video"),
            owner_role=t("hr", "mentor", "supervisor"),
            due_offset_days=n(-3, 0, 7),
            id=Field(
                st.sampled_from((None, 1, 2, 3)),
                st.one_of(hostile_int(), st.just([1]), st.just("1"), st.just(1.0)),
            ),
        ),
        max_size=4,
    )
    others = st.one_of(
        NONE,
        steps.map(lambda rows: (row for row in rows)),
        st.sampled_from(("Site tour", 7, {}, (None,))),
    )
    return Field(steps, others)


def _release(ids: Ids) -> st.SearchStrategy[intern_records.ReleaseInput]:
    return form(
        intern_records.ReleaseInput,
        record_type=t("Transcript"),
        released_on=d(date(2025, 9, 2)),
        consent_basis=t(intern_records.WRITTEN_CONSENT, "directory information"),
        consent_signed_by=t("A. Parent"),
        redisclosure_notice_received=b(),
    )


def _clock_time(valid: time) -> Field:
    """A time of day: midnight, the last instant, None, or no time at all."""
    return Field(
        st.just(valid), st.one_of(NONE, st.sampled_from((time(0), time.max, "15:30", 1530, 1.5)))
    )


def _time_entry(ids: Ids) -> st.SearchStrategy[time_entries.TimeEntryInput]:
    breaks = many(
        form(time_entries.BreakInput, start=_clock_time(time(16)), end=_clock_time(time(16, 30)))
    )
    tasks = many(
        form(
            time_entries.TaskInput,
            task_key=t(*ids.tasks[:3]),
            equipment_id=Field(st.sampled_from((None, *ids.equipment)), hostile_int()),
            minutes=Field(st.sampled_from((None, 30)), hostile_int()),
        )
    )
    not_a_list = st.sampled_from((None, "x", 5, (None,), ("16:00",)))
    return form(
        time_entries.TimeEntryInput,
        placement_id=r(ids.placements),
        work_date=d(date(2025, 10, 14), date(2025, 9, 16)),
        start=_clock_time(time(15, 30)),
        end=_clock_time(time(17, 30)),
        out_date=Field(st.just(None), st.one_of(st.sampled_from(DATES), st.dates())),
        breaks=Field(st.just(()), st.one_of(breaks, not_a_list)),
        auto_break_minutes=Field(st.sampled_from((None, 30)), hostile_int()),
        area_id=Field(st.just(None), hostile_int()),
        supervisor_staff_id=Field(st.sampled_from((None, *ids.staff)), hostile_int()),
        supervisor_name=t("", "Sam Super"),
        tasks=Field(st.just(()), st.one_of(tasks, not_a_list)),
        note=t("", "Covered the late shift.\nLeft at 5."),
    )


HOSTILE: dict[str, Entry] = {
    # packets
    "packets.slug": Entry(packets.slug, lambda ids: call(t("Ana Ruiz", "Zoë")), kind="pure"),
    "packets.packet_targets": Entry(
        packets.packet_targets,
        lambda ids: call(intern_id=r(ids.interns), placement_id=r(ids.placements)),
        allowed=(NotFound,),
    ),
    # accounts
    "accounts.normalize_username": Entry(
        accounts.normalize_username, lambda ids: call(t("hr")), kind="pure"
    ),
    "accounts.password_problems": Entry(
        accounts.password_problems,
        lambda ids: call(t("a long enough password"), t("hr", none=False), demo=b()),
        kind="pure",
    ),
    "accounts.hash_password": Entry(
        accounts.hash_password,
        lambda ids: call(t("a long enough password", none=False)),
        kind="pure",
        examples=6,
    ),
    "accounts.create_account": Entry(
        accounts.create_account,
        lambda ids: call(
            form(
                accounts.NewAccount,
                username=t("newbie", "new.bie@x"),
                display_name=t("New Bie", ""),
                role=t("viewer", "hr_admin"),
                password=t("a long enough password"),
                staff_id=Field(st.just(None), st.one_of(st.sampled_from(ids.staff + MISSING_IDS))),
            )
        ),
        input_type=accounts.NewAccount,
        examples=12,
    ),
    "accounts.create_first_admin": Entry(
        accounts.create_first_admin,
        lambda ids: call(t("admin"), t("a long enough password"), t("First Admin", "")),
        kind="session",
        names=frozenset({"username", "password", "display_name"}),
        template="empty",
        examples=10,
    ),
    "accounts.bootstrap_admin": Entry(
        accounts.bootstrap_admin,
        lambda ids: call(t("admin"), t("a long enough password"), t("First Admin", "")),
        kind="factory",
        names=frozenset({"username", "password", "display_name"}),
        template="empty",
        examples=10,
    ),
    "accounts.reset_password": Entry(
        accounts.reset_password,
        lambda ids: call(r(ids.accounts, none=False), t("a long enough password")),
        names=frozenset({"password"}),
        allowed=(NotFound,),
        examples=12,
    ),
    "accounts.change_own_password": Entry(
        accounts.change_own_password,
        lambda ids: call(t("demo"), t("a long enough password")),
        names=frozenset({"current_password", "password"}),
        examples=10,
    ),
    "accounts.log_in": Entry(
        accounts.log_in,
        lambda ids: call(t("viewer"), t("demo")),
        kind="factory",
        allowed=(LoginFailed,),
        examples=10,
        recorded_on_error=frozenset({"app_state", "audit_events"}),
    ),
    "accounts.clear_login_delay": Entry(
        accounts.clear_login_delay,
        lambda ids: call(t("viewer", "hr")),
        names=frozenset({"username"}),
    ),
    "accounts.issue_token": Entry(
        accounts.issue_token, lambda ids: call(t("Front desk PC", "")), names=frozenset({"user"})
    ),
    "accounts.log_in_with_token": Entry(
        accounts.log_in_with_token,
        lambda ids: call(t("x" * 43)),
        kind="factory",
        allowed=(LoginFailed,),
    ),
    "accounts.revoke_token": Entry(accounts.revoke_token, lambda ids: call(t("x" * 43))),
    # compliance
    "compliance.update_checklist_item": Entry(
        compliance.update_checklist_item,
        lambda ids: call(
            r(ids.checklist_items, none=False),
            status=t("done", "open", "waived"),
            note=t("Seen the work permit.", ""),
            evidence_document_id=Field(st.sampled_from((None, *ids.documents)), hostile_int()),
        ),
        names=frozenset({"status", "note", "evidence_document_id"}),
        allowed=(NotFound,),
    ),
    # findings across interns
    "findings.list_finding_ids": Entry(
        findings.list_finding_ids,
        lambda ids: call(
            form(
                findings.FindingFilter,
                severity=Field(st.sampled_from((None, "violation", "warning")), hostile_text()),
                rule=Field(st.sampled_from((None, "US-FLSA-HO7")), hostile_text()),
                worksite_id=Field(st.sampled_from((None, *ids.worksites)), hostile_int()),
                statuses=Field(
                    st.sampled_from(((), ("open",), ("acknowledged", "overridden"))),
                    st.one_of(NONE, many(hostile_text())),
                ),
                source=Field(st.sampled_from((None, "plan", "logged")), hostile_text()),
                search=t("ruiz", "nguyen"),
                intern_id=Field(st.sampled_from((None, *ids.interns)), hostile_int()),
                current_only=b(),
            ),
            sort=t("severity", "intern", "status", none=False),
            descending=b(),
        ),
        input_type=findings.FindingFilter,
        names=frozenset({"sort"}),
    ),
    "findings.decide_finding": Entry(
        findings.decide_finding,
        lambda ids: call(
            r(ids.findings, none=False),
            t("acknowledge", "override"),
            t("Retrained the same day.", "Supervisor\nconfirmed."),
        ),
        names=frozenset({"kind", "reason"}),
        allowed=(NotFound,),
    ),
    # the queue of what needs doing
    "queue.read_queue": Entry(
        queue.read_queue,
        lambda ids: call(d(TODAY, LATER), limit=n(1, 200)),
        names=frozenset({"today", "limit"}),
    ),
    # directory
    "directory.archive": Entry(
        directory.archive,
        lambda ids: call(t("equipment"), r(ids.equipment, none=False), today=st.just(TODAY)),
        names=frozenset({"kind"}),
        allowed=(NotFound,),
        examples=15,
    ),
    "directory.restore": Entry(
        directory.restore,
        lambda ids: call(t("staff"), r(ids.staff, none=False)),
        names=frozenset({"kind"}),
        allowed=(NotFound,),
        examples=15,
    ),
    # approval, pay periods, attendance, payroll, timesheets
    "approval.close_pay_period": Entry(
        approval.close_pay_period,
        lambda ids: call(d(date(2025, 9, 7), date(2025, 9, 8)), st.just(TODAY)),
        names=frozenset({"start_date"}),
        allowed=(Conflict,),
    ),
    "hours_progress.mark_absent": Entry(
        hours_progress.mark_absent,
        lambda ids: call(
            r(ids.shifts, none=False), b(), t("Sick, with a note from home", ""), st.just(LATER)
        ),
        names=frozenset({"shift_id", "excused", "reason"}),
        allowed=(NotFound, Conflict),
    ),
    "payroll.payroll_rows": Entry(
        payroll.payroll_rows,
        lambda ids: call(d(date(2025, 9, 1)), d(date(2025, 12, 31))),
        names=frozenset({"from", "to"}),
    ),
    "payroll.write_payroll": Entry(
        payroll.write_payroll,
        lambda ids: call(
            d(date(2025, 9, 1)), d(date(2025, 12, 31)), t("csv", "json"), st.builds(io.StringIO)
        ),
        names=frozenset({"from", "to", "format"}),
    ),
    "timesheets.timesheet_content": Entry(
        timesheets.timesheet_content,
        lambda ids: call(r(ids.interns, none=False), d(TODAY)),
        names=frozenset({"week"}),
        allowed=(NotFound,),
    ),
    # forms (issue 15)
    "forms.form_content": Entry(
        forms.form_content,
        lambda ids: call(
            t(*FORM_NAMES, none=False),
            today=st.just(TODAY),
            intern_id=r(ids.interns),
            placement_id=r(ids.placements),
            week=d(TODAY),
        ),
        names=frozenset({"name", "intern", "placement", "week"}),
        allowed=(NotFound,),
        examples=40,
    ),
    "student_learner.save_student_learner_agreement": Entry(
        student_learner.save_student_learner_agreement,
        lambda ids: call(
            form(
                student_learner.StudentLearnerInput,
                placement_id=r(ids.placements),
                vocational_program=t("Welding co-op", ""),
                educational_authority=t("District 205", ""),
                work_incidental=b(),
                intermittent_short_periods=b(),
                supervisor_name=t("Zoë Łukasiewicz", ""),
                school_safety_instruction=t("OSHA 10", "Shop unit\npassed"),
                employer_safety_training=t("Lockout/tagout", ""),
                work_processes=t("Week 1: safety\nWeek 2: welds", ""),
                employer_signed_by=t("Angela Ortiz", ""),
                employer_signed_on=d(date(2025, 9, 2)),
                school_signed_by=t("Denise Harper", ""),
                school_signed_on=d(date(2025, 9, 3)),
                school_copy_on_file=b(),
                employer_copy_on_file=b(),
            ),
            today=st.just(TODAY),
        ),
        input_type=student_learner.StudentLearnerInput,
        names=frozenset({"placement"}),
        allowed=(NotFound,),
        examples=40,
    ),
    "forms.save_reference_letter": Entry(
        forms.save_reference_letter,
        lambda ids: call(
            r(ids.placements, none=False),
            t("", "Ana did well.\n\nShe learned fast."),
            today=st.just(TODAY),
        ),
        names=frozenset({"placement", "text"}),
        allowed=(NotFound,),
    ),
    # exports
    "exports.hidden_columns": Entry(
        exports.hidden_columns,
        lambda ids: call(t("interns", "staff")),
        kind="actor",
        names=frozenset({"entity"}),
    ),
    "exports.export_rows": Entry(
        exports.export_rows,
        lambda ids: call(t("interns", "placements", "schools", "check-ins", "incidents")),
        names=frozenset({"entity"}),
        examples=15,
    ),
    "exports.write_export": Entry(
        exports.write_export,
        lambda ids: call(
            t("interns", "worksites", "evaluations"), t("csv", "json"), st.builds(io.StringIO)
        ),
        names=frozenset({"entity", "format"}),
        examples=15,
    ),
    # intern records
    "intern_records.update_intern": Entry(
        intern_records.update_intern,
        lambda ids: call(r(ids.interns, none=False), _intern_input(ids), st.just(TODAY)),
        input_type=intern_records.InternInput,
        allowed=(NotFound,),
        examples=40,
    ),
    "intern_records.save_intern": Entry(
        intern_records.save_intern,
        lambda ids: call(
            new_or(ids.interns),
            _intern_input(ids),
            st.one_of(st.just(None), _contacts(ids)),
            st.just(TODAY),
        ),
        input_type=intern_records.InternInput,
        names=frozenset({"contacts"}),
        allowed=(NotFound,),
        examples=60,
    ),
    "intern_records.save_contacts": Entry(
        intern_records.save_contacts,
        lambda ids: call(r(ids.interns, none=False), _contacts(ids)),
        names=frozenset({"contacts"}),
        allowed=(NotFound,),
        examples=30,
    ),
    "incidents.save_incident": Entry(
        incidents.save_incident,
        lambda ids: call(
            _incident(ids),
            Field(st.just(None), st.sampled_from(MISSING_IDS)),
            today=st.just(LATER),
        ),
        input_type=incidents.IncidentInput,
        allowed=(NotFound,),
        examples=60,
    ),
    "incidents.incident_notices": Entry(
        incidents.incident_notices,
        lambda ids: call(
            r(ids.placements, none=False),
            t("injury", "near_miss"),
            d(ids.entry_span[0].date()),
            Field(st.sampled_from((None, *ids.worksites)), hostile_int()),
        ),
        names=frozenset({"kind", "occurred_on", "worksite"}),
        allowed=(NotFound,),
    ),
    "incidents.list_incidents": Entry(
        incidents.list_incidents,
        lambda ids: call(
            intern_id=Field(st.sampled_from((None, *ids.interns)), hostile_int()),
            status=t("open", "closed"),
        ),
        names=frozenset({"status"}),
    ),
    "incidents.open_incidents": Entry(
        incidents.open_incidents,
        lambda ids: call(
            st.just(TODAY),
            Field(
                st.one_of(st.none(), many(st.sampled_from(ids.interns))),
                st.one_of(many(hostile_int()), hostile_text()),
            ),
        ),
    ),
    "intern_records.add_medical_note": Entry(
        intern_records.add_medical_note,
        lambda ids: call(r(ids.interns, none=False), t("Asthma: inhaler in the locker.")),
        names=frozenset({"body"}),
        allowed=(NotFound,),
    ),
    "intern_records.save_release": Entry(
        intern_records.save_release,
        lambda ids: call(
            st.sampled_from(ids.interns[:1]),
            _release(ids),
            new_or(ids.releases),
            today=st.just(TODAY),
        ),
        input_type=intern_records.ReleaseInput,
        allowed=(NotFound,),
    ),
    # audit_log
    "audit_log.list_audit_events": Entry(
        audit_log.list_audit_events,
        lambda ids: call(
            user=t("ortiz", ""),
            operation=t("import", ""),
            record=t("interns:1", ""),
            before_seq=st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
        ),
        names=frozenset({"user", "operation", "record"}),
    ),
    # record retention
    "retention.set_retention_years": Entry(
        retention.set_retention_years, lambda ids: call(n(3, 4, 7)), names=frozenset({"years"})
    ),
    "retention.purge": Entry(  # nobody is past the period on TODAY: always refused
        retention.purge,
        lambda ids: call(
            st.just(TODAY),
            Field(
                many(st.sampled_from(ids.interns)),
                st.one_of(many(hostile_int()), st.none(), hostile_text()),
            ),
        ),
        names=frozenset({"intern_ids"}),
        allowed=(Conflict,),
    ),
    # interns
    "interns.name_columns": Entry(
        interns.name_columns,
        lambda ids: call(t("Ana", none=False), t("Ruiz", none=False), t("", none=False), t("S-1")),
        kind="pure",
    ),
    "interns.list_intern_ids": Entry(
        interns.list_intern_ids,
        lambda ids: call(
            search=t("ruiz", ""),
            sort=t(*interns.SORT_KEYS),
            descending=b(),
            include_archived=b(),
            today=st.just(TODAY),
        ),
        names=frozenset({"sort", "search"}),
    ),
    "interns.validate_new_intern": Entry(
        interns.validate_new_intern,
        lambda ids: call(_new_intern(ids), st.just(TODAY)),
        kind="session",
        input_type=interns.InternInput,
    ),
    "interns.create_intern": Entry(
        interns.create_intern,
        lambda ids: call(_new_intern(ids), st.just(TODAY)),
        input_type=interns.InternInput,
        examples=40,
    ),
    # new term
    "new_term.preview_new_term": Entry(
        new_term.preview_new_term,
        lambda ids: call(_new_term(ids), st.just(TODAY)),
        input_type=new_term.NewTermInput,
    ),
    "new_term.apply_new_term": Entry(
        new_term.apply_new_term,
        lambda ids: call(_new_term(ids), st.just(TODAY)),
        input_type=new_term.NewTermInput,
        examples=30,
    ),
    # onboarding
    "onboarding.update_plan_item": Entry(
        onboarding.update_plan_item,
        lambda ids: call(
            r(ids.plan_items, none=False),
            done=b(),
            note=t("Badge issued.", ""),
            today=st.just(TODAY),
        ),
        names=frozenset({"note"}),
        allowed=(NotFound,),
    ),
    "onboarding.set_wizard_position": Entry(
        onboarding.set_wizard_position,
        lambda ids: call(t("staff", "schools")),
        names=frozenset({"page"}),
    ),
    # placements
    "placements.assess_primary_beneficiary": Entry(
        placements.assess_primary_beneficiary,
        lambda ids: call(
            st.tuples(*[st.sampled_from((True, False, None))] * placements.FACTOR_COUNT)
        ),
        kind="pure",
    ),
    "placements.checked_values": Entry(
        placements.checked_values,
        lambda ids: call(_placement_input(ids), st.just(None), today=st.just(TODAY)),
        input_type=placements.PlacementInput,
    ),
    "placements.save_placement": Entry(
        placements.save_placement,
        _save_placement,
        input_type=placements.PlacementInput,
        allowed=(NotFound,),
        examples=60,
    ),
    "placements.preview_placement": Entry(
        placements.preview_placement,
        _save_placement,
        input_type=placements.PlacementInput,
        allowed=(NotFound,),
        examples=40,
    ),
    "placements.assignment_options": Entry(
        placements.assignment_options,
        lambda ids: call(r(ids.worksites)),
        names=frozenset({"worksite"}),
        allowed=(NotFound,),
    ),
    # the schedule planner
    "schedules.week_plan": Entry(
        schedules.week_plan,
        lambda ids: call(d(PLAN_DAY), today=st.just(TODAY), intern_id=r(ids.interns)),
        names=frozenset({"week_start", "intern"}),
        allowed=(NotFound,),
    ),
    "schedules.preview": Entry(
        schedules.preview,
        lambda ids: call(
            r(ids.interns, none=False),
            many(st.builds(schedules.ShiftDraft, st.just("new:1"), _shift_input(ids)), 2),
            week_start=d(PLAN_DAY),
            today=st.just(TODAY),
        ),
        input_type=schedules.ShiftInput,
        names=frozenset({"shifts", "week_start"}),
        allowed=(NotFound,),
    ),
    "schedules.save_shift": Entry(
        schedules.save_shift,
        lambda ids: call(
            _shift_input(ids),
            Field(st.just(None), st.sampled_from(MISSING_IDS)),
            today=st.just(TODAY),
            override_reason=t("The shift lead covers the floor."),
        ),
        input_type=schedules.ShiftInput,
        names=frozenset({"override_reason"}),
        allowed=(NotFound,),
        examples=40,
    ),
    "schedules.save_series": Entry(
        schedules.save_series,
        lambda ids: call(r(ids.shifts, none=False), _shift_input(ids), today=st.just(TODAY)),
        input_type=schedules.ShiftInput,
        names=frozenset({"series"}),
        allowed=(NotFound,),
    ),
    "schedules.shift_choices": Entry(
        schedules.shift_choices,
        lambda ids: call(r(ids.worksites, none=False)),
        allowed=(NotFound,),
    ),
    "schedules.move_shift": Entry(
        schedules.move_shift,
        lambda ids: call(
            r(ids.shifts, none=False),
            dt(datetime.combine(PLAN_DAY, time(10))),
            dt(datetime.combine(PLAN_DAY, time(11))),
            today=st.just(TODAY),
        ),
        names=frozenset({"start", "end"}),
        allowed=(NotFound,),
    ),
    "schedules.plan_series": Entry(
        schedules.plan_series,
        lambda ids: call(
            _series_input(ids),
            today=st.just(TODAY),
            leave_out_blocked=b(),
            override_reason=t("The district's release-time agreement (file 31)."),
        ),
        input_type=schedules.SeriesInput,
        names=frozenset({"leave_out_blocked", "override_reason"}),
        allowed=(NotFound,),
        examples=40,
    ),
    "schedules.preview_series": Entry(
        schedules.preview_series,
        lambda ids: call(_series_input(ids), today=st.just(TODAY), leave_out_blocked=b()),
        input_type=schedules.SeriesInput,
        names=frozenset({"leave_out_blocked"}),
        allowed=(NotFound,),
        examples=40,
    ),
    # check-ins, their topics and cadences
    "check_ins.save_check_in": Entry(
        check_ins.save_check_in,
        lambda ids: call(
            _check_in_input(ids),
            Field(st.just(None), st.sampled_from(MISSING_IDS)),
            today=st.just(LATER),
        ),
        input_type=check_ins.CheckInInput,
        allowed=(NotFound,),
        examples=60,
    ),
    "check_ins.set_action_done": Entry(
        check_ins.set_action_done,
        lambda ids: call(r(ids.action_items), d(LATER), today=st.just(LATER)),
        names=frozenset({"done_on"}),
        allowed=(NotFound,),
    ),
    "check_ins.resolve_concern": Entry(
        check_ins.resolve_concern,
        lambda ids: call(r(ids.concerns), t("Called the school.", "Spoke to the coordinator.")),
        names=frozenset({"resolution"}),
        allowed=(NotFound,),
    ),
    "check_in_topics.save_topics": Entry(
        check_in_topics.save_topics,
        lambda ids: call(_topics()),
        names=frozenset({"topics"}),
        examples=40,
    ),
    "cadences.save_cadence": Entry(
        cadences.save_cadence,
        lambda ids: call(
            r(ids.placements),
            form(
                cadences.CadenceInput,
                every_days=Field(st.sampled_from((None, 7, 14)), hostile_int()),
                weekdays=Field(
                    st.sampled_from(((), ("mon",), ("tue", "fri"))),
                    st.one_of(many(hostile_text()), st.sampled_from((None, "mon", 5))),
                ),
                skip_non_school_days=b(),
                skip_closures=b(),
            ),
        ),
        input_type=cadences.CadenceInput,
        allowed=(NotFound,),
    ),
    "cadences.check_in_targets": Entry(
        cadences.check_in_targets,
        lambda ids: call(st.just(LATER), t("", "Ana"), Field(st.just(20), hostile_int())),
        names=frozenset({"search", "limit"}),
    ),
    "closures.add_closure": Entry(
        closures.add_closure,
        lambda ids: call(
            form(
                closures.ClosureInput,
                day=d(date(2026, 7, 3)),
                worksite_id=Field(
                    st.sampled_from((None, *ids.worksites)), st.sampled_from(MISSING_IDS)
                ),
                reason=t("Inventory", ""),
            )
        ),
        input_type=closures.ClosureInput,
    ),
    # plans
    # progress (issue 14): frameworks, goals, evaluations, visits and endings
    "frameworks.save_framework": Entry(
        frameworks.save_framework,
        lambda ids: call(
            form(
                frameworks.FrameworkInput,
                key=t("shop-basics", "il-eesf"),
                name=t("Shop basics"),
                version=t("1", "2025.1"),
                scale_max=n(3, 4),
                source=t("", "Our own.\nSecond line."),
                competencies=Field(
                    st.just((frameworks.CompetencyInput("lockout", "Lockout/tagout"),)),
                    st.one_of(
                        NONE,
                        hostile_text(),
                        many(
                            form(
                                frameworks.CompetencyInput,
                                key=t("measuring"),
                                name=t("Measuring tools"),
                                category=t("", "Shop"),
                                description=t("", "Calipers.\nMicrometers."),
                                competency_id=Field(
                                    st.sampled_from((None, *ids.competencies)), hostile_int()
                                ),
                                retired=b(),
                            )
                        ),
                    ),
                ),
                retired=b(),
            ),
            new_or(ids.frameworks),
        ),
        input_type=frameworks.FrameworkInput,
        allowed=(NotFound,),
        examples=50,
    ),
    "goals.save_goal": Entry(
        goals.save_goal,
        lambda ids: call(
            form(
                goals.GoalInput,
                placement_id=r(ids.placements),
                title=t("Read a print", "Set up the lathe"),
                description=t("", "With the mentor.\nTwice."),
                target_date=d(date(2026, 1, 15), date(2025, 12, 1)),
                status=t("open", "met", "dropped"),
                competency_id=Field(st.sampled_from((None, *ids.competencies)), hostile_int()),
            ),
            new_or(ids.goals),
            today=st.just(TODAY),
        ),
        input_type=goals.GoalInput,
        allowed=(NotFound,),
        examples=40,
    ),
    "goals.list_goals": Entry(
        goals.list_goals,
        lambda ids: call(r(ids.interns), st.just(TODAY)),
        names=frozenset({"intern"}),
        allowed=(NotFound,),
        examples=10,
    ),
    "evaluations.save_evaluation": Entry(
        evaluations.save_evaluation,
        lambda ids: call(
            form(
                evaluations.EvaluationInput,
                placement_id=r(ids.placements),
                kind=t("progress", "midpoint", "final"),
                framework_id=r(ids.frameworks),
                evaluated_on=d(date(2025, 12, 1)),
                ratings=Field(
                    st.just(()),
                    st.one_of(
                        NONE,
                        hostile_text(),
                        many(
                            form(
                                evaluations.RatingInput,
                                competency_id=r(ids.competencies),
                                level=n(1, 2, 4),
                                evidence=t("", "Seen twice.\nOn the press."),
                            ),
                            max_size=5,
                        ),
                    ),
                ),
                overall=Field(st.sampled_from((None, 1, 3)), hostile_int()),
                strengths=t("", "Careful."),
                growth_areas=t("", "Asks\nquestions."),
                submit=b(),
                intern_acknowledged_on=Field(st.just(None), st.one_of(st.dates(), NONE)),
                school_verified_by=t("", "Ms. Hale"),
                school_verified_on=Field(st.just(None), st.one_of(st.dates(), NONE)),
            ),
        ),
        input_type=evaluations.EvaluationInput,
        allowed=(NotFound,),
        examples=60,
    ),
    "evaluations.list_evaluations": Entry(
        evaluations.list_evaluations,
        lambda ids: call(r(ids.interns)),
        names=frozenset({"intern"}),
        allowed=(NotFound,),
        examples=10,
    ),
    "outcomes.save_site_visit": Entry(
        outcomes.save_site_visit,
        lambda ids: call(
            form(
                outcomes.SiteVisitInput,
                placement_id=r(ids.placements),
                visited_on=d(date(2025, 12, 1)),
                visitor=t("Ms. Hale"),
                notes=t("", "Met the mentor.\nSaw the cell."),
            )
        ),
        input_type=outcomes.SiteVisitInput,
        examples=30,
    ),
    "outcomes.save_outcome": Entry(
        outcomes.save_outcome,
        lambda ids: call(
            form(
                outcomes.OutcomeInput,
                placement_id=r(ids.placements),
                kind=t("completed", "terminated"),
                ended_on=d(date(2025, 12, 1)),
                termination_reason=t("", "Repeated safety violations."),
                concerns_notice_sent_on=Field(st.just(None), st.one_of(st.dates(), NONE)),
                exit_reflection=t("", "I learned.\nA lot."),
                mentor_notes=t("", "Ready."),
                next_steps=Field(
                    st.sampled_from(((), ("Dual credit",))),
                    st.one_of(NONE, hostile_text(), many(hostile_text(), max_size=4)),
                ),
                counts_toward_cde=Field(st.sampled_from((None, True)), hostile_text()),
            ),
            today=st.just(TODAY),
        ),
        input_type=outcomes.OutcomeInput,
        allowed=(NotFound,),
        examples=40,
    ),
    "plans.save_template": Entry(
        plans.save_template,
        lambda ids: call(_plan_steps()),
        names=frozenset({"items"}),
        examples=80,
    ),
    # set-up
    "setup.save_employer": Entry(
        setup.save_employer,
        lambda ids: call(
            form(
                setup.EmployerInput,
                legal_name=t("Acme Tool & Die"),
                address=t("1 Factory Rd\nRockford, IL", ""),
                hr_contact_name=t("Pat Lee", ""),
                hr_contact_email=t("hr@acme.example", ""),
                hr_contact_phone=t("(815) 555-0101", ""),
                flsa_covered=b(),
                workweek_start=t("sun", "mon"),
                wc_carrier=t("Hartford", ""),
                wc_policy_number=t("WC-1", ""),
                wc_policy_expires=d(date(2026, 7, 1)),
                liability_coi_expires=d(date(2026, 7, 1)),
                child_labor_notice_posted_on=d(date(2025, 8, 1)),
                federal_poster_posted_on=d(date(2025, 8, 1)),
            )
        ),
        input_type=setup.EmployerInput,
    ),
    "setup.save_worksite": Entry(
        setup.save_worksite,
        lambda ids: call(
            form(
                setup.WorksiteInput,
                name=t("Hostile Plant"),
                state=t("IL", "WI"),
                time_zone=t("America/Chicago"),
                address=t("2 Plant Rd", ""),
                city=t("Rockford", ""),
                postal_code=t("61101", ""),
                areas=Field(
                    st.just((("Office", "office"), ("Shop", "production"))),
                    many(st.tuples(hostile_text(), hostile_text())),
                ),
            ),
            new_or(ids.worksites),
        ),
        input_type=setup.WorksiteInput,
        names=frozenset({"employer"}),
        allowed=(NotFound,),
    ),
    "setup.add_area": Entry(
        setup.add_area,
        lambda ids: call(
            form(
                setup.AreaInput,
                worksite_id=r(ids.worksites),
                name=t("Mezzanine", "Loading bay"),
                kind=t("office", "production"),
            )
        ),
        input_type=setup.AreaInput,
        allowed=(NotFound,),
    ),
    "setup.save_equipment": Entry(
        setup.save_equipment,
        lambda ids: call(
            form(
                setup.EquipmentInput,
                worksite_id=r((min(ids.worksites),)),
                name=t("Drill press"),
                task_keys=Field(st.just(ids.tasks[:2]), many(hostile_text())),
                area=t(*ids.areas),
                description=t("Bench model", ""),
            ),
            new_or(ids.equipment),
        ),
        input_type=setup.EquipmentInput,
        allowed=(NotFound,),
    ),
    "setup.save_staff": Entry(
        setup.save_staff,
        lambda ids: call(
            form(
                setup.StaffInput,
                first_name=t("Dana"),
                last_name=t("Okafor"),
                role=t("mentor", "supervisor"),
                email=t("dana.okafor@acme.example"),
                phone=t("(815) 555-0102", ""),
                title=t("Lead", ""),
                worksite_id=Field(st.sampled_from((None, *ids.worksites)), hostile_int()),
                is_21_or_older=b(),
                age_attested_on=d(date(2025, 1, 2)),
                clearance_date=d(date(2025, 1, 2)),
                mentor_training_date=d(date(2025, 1, 2)),
            ),
            new_or(ids.staff),
            today=st.just(TODAY),
        ),
        input_type=setup.StaffInput,
        allowed=(NotFound,),
    ),
    "setup.save_calendar": Entry(
        setup.save_calendar,
        lambda ids: call(_calendar_input(ids), new_or(ids.calendars), replace=b()),
        input_type=setup.CalendarInput,
        allowed=(NotFound,),
        examples=50,
    ),
    "setup.save_school": Entry(
        setup.save_school,
        lambda ids: call(
            form(
                setup.SchoolInput,
                name=t("Hostile High"),
                district=t(*ids.district_names),
                address=t("3 School St", ""),
                coordinator_name=t("Sam Ito", ""),
                coordinator_email=t("sam@school.example", ""),
                coordinator_phone=t("(815) 555-0103", ""),
            ),
            new_or(ids.schools),
        ),
        input_type=setup.SchoolInput,
        allowed=(NotFound,),
    ),
    # schools' own forms (issue 15)
    "school_forms.register_form": Entry(
        school_forms.register_form,
        lambda ids: call(
            form(
                school_forms.SchoolFormInput,
                school_id=r(ids.schools),
                name=t("Hostile WBL form"),
                filename=t("form.pdf", ""),
                content=Field(st.just(FORM_PDF), st.sampled_from(HOSTILE_PDFS)),
                flatten=b(),
            )
        ),
        input_type=school_forms.SchoolFormInput,
        allowed=(NotFound,),
    ),
    "school_forms.save_mapping": Entry(
        school_forms.save_mapping,
        lambda ids: call(
            r(ids.school_forms),
            Field(
                st.just({"student_name": "intern.preferred_name", "grade": None}),
                hostile_mapping(),
            ),
            flatten=Field(st.sampled_from((None, True, False)), st.sampled_from(("yes", 1, 2.5))),
        ),
        names=frozenset({"mapping", "flatten"}),
        allowed=(NotFound,),
    ),
    # logged hours
    "time_entries.save_time_entry": Entry(
        time_entries.save_time_entry,
        lambda ids: call(
            _time_entry(ids),
            Field(st.just(None), st.sampled_from(MISSING_IDS)),
            today=st.just(TODAY),
            reason=t("", "Left early"),
        ),
        input_type=time_entries.TimeEntryInput,
        names=frozenset({"reason"}),
        allowed=(NotFound,),
        examples=60,
    ),
    # the time-clock import
    "hours.parse_mappings": Entry(
        hours.parse_mappings,
        lambda ids: call(many(st.one_of(st.just("Emp=badge"), hostile_text(none=False)))),
        kind="pure",
        allowed=(ImportRefused,),
    ),
    "hours.import_hours": Entry(
        hours.import_hours,
        lambda ids: call(
            _clock_data(ids),
            mappings=Field(
                st.sampled_from((None, {"Emp": "badge"})),
                st.dictionaries(
                    hostile_text(none=False),
                    st.one_of(st.sampled_from(hours.COLUMNS), hostile_text()),
                    max_size=2,
                ),
            ),
            dry_run=st.booleans(),
            skip_invalid=st.booleans(),
            today=st.just(TODAY),
        ),
        kind="factory_actor",
        allowed=(ImportRefused,),
        examples=60,
    ),
    # the roster import
    "roster.parse_mappings": Entry(
        roster.parse_mappings,
        lambda ids: call(many(st.one_of(st.just("Pupil=student_id"), hostile_text(none=False)))),
        kind="pure",
        allowed=(ImportRefused,),
    ),
    "roster.import_roster": Entry(
        roster.import_roster,
        lambda ids: call(
            _roster_data(ids),
            school=Field(st.sampled_from((None, *ids.school_names)), hostile_text()),
            mappings=Field(
                st.sampled_from((None, {"Pupil": "student_id"})),
                st.dictionaries(
                    hostile_text(none=False),
                    st.one_of(st.sampled_from(roster.COLUMNS), hostile_text()),
                    max_size=2,
                ),
            ),
            dry_run=st.booleans(),
            skip_invalid=st.booleans(),
            update_existing=st.booleans(),
            today=st.just(TODAY),
            expected_rows=n(3),
        ),
        kind="factory_actor",
        allowed=(ImportRefused,),
        examples=80,
    ),
}


#: Public functions that take no user input, and why.
NO_USER_INPUT: dict[str, str] = {
    "packets.file_name": "a target the core built",
    "packets.school_file_name": "a target the core built",
    "packets.per_intern": "targets the core built",
    "packets.school_packet_data": "an intern and placement picked in a list, and the clock",
    "packets.render_school_packet": "an intern and placement picked in a list, and the clock",
    "packets.write_packet": "ids picked in a list; the path goes through the output guard "
    "(tests/core/test_output_guard.py, tests/reports/test_packet_command.py)",
    "packets.write_packet_apart": "ids picked in a list; the path goes through the output guard",
    "packets.write_batch": "targets the core built; the folder goes through the output guard",
    "packets.write_combined": "targets the core built; the path goes through the output guard",
    "packets.list_packets": "an intern id picked in a list",
    "packets.save_rendered": "a packet the core rendered (the preview); the path goes through "
    "the output guard and the rights are asked again",
    "binders.hr_binder_data": "an intern id picked in a list, and the clock",
    "binders.render_hr_binder": "an intern id picked in a list, and the clock",
    # approval
    "approval.may_approve": "a predicate on an entry the services have already read",
    # audit_log
    "audit_log.verify_audit_trail": "reads the trail; a backup to compare with is a file "
    "the command has already opened with the database's key (commands/encryption.backup_key)",
    # accounts
    "accounts.actor_for": "builds the acting user of a stored account",
    "accounts.has_accounts": "reads whether any account exists",
    "accounts.any_accounts": "reads whether any account exists",
    "accounts.list_accounts": "reads every account",
    "accounts.get_account": "an account id picked in the Accounts list",
    "accounts.create_demo_accounts": "the sample's fixed accounts",
    "accounts.disable_account": "an account id picked in the Accounts list",
    "accounts.enable_account": "an account id picked in the Accounts list",
    "accounts.mentor_choices": "reads the mentors",
    "accounts.login_delays": "reads the counted failed logins",
    # the rules engine's facts
    "case_facts.case_hash": "pure: hashes facts built from stored records",
    "case_facts.district_calendar": "reads a stored calendar",
    "case_facts.placement_cases": "builds facts from stored records",
    "case_facts.staff_21_or_older": "reads a stored staff record",
    "case_facts.span_facts": "builds facts from rows the planner checked (save_shift above)",
    "schedules.shift_input": "a shift id picked in the week view",
    "schedules.moved_breaks": "pure: breaks of a stored shift and times move_shift checks",
    "schedules.delete_shift": "a shift id picked in the week view, and the clock",
    "check_ins.list_check_ins": "an intern id picked in a list",
    "check_ins.get_check_in": "a check-in id picked in a list",
    "check_ins.check_in_input": "a check-in id picked in a list",
    "check_ins.check_in_choices": "reads the topics and the fixed choices",
    "check_ins.open_concerns": "reads the concerns (intern ids the queue found)",
    "check_ins.open_action_items": "reads the action items due by the clock's day",
    "check_ins.mandated_reporting": "a placement id picked in a list",
    "check_in_topics.list_topics": "reads the topic list",
    "check_in_topics.stored_topics": "reads the topic list",
    "cadences.placement_cadence": "a placement id picked in a list",
    "cadences.due_check_ins": "the clock's day, and intern ids the queue found",
    "cadences.due_dates": "the clock's day only (the queue's)",
    "cadences.next_check_in": "an intern id picked in a list, and the clock",
    "cadences.check_in_target": "a placement id picked in the check-in dialog, and the clock",
    "cadences.next_due": "pure: due dates worked out from a stored cadence",
    "closures.list_closures": "a worksite picked in a list and dates from a calendar",
    "closures.remove_closure": "a closure id picked in a list",
    # compliance
    "compliance.check_intern": "an intern id picked in a list, and the clock",
    "compliance.check_interns": "intern ids the core found (an import's), and the clock",
    "compliance.check_all": "the clock",
    "compliance.startup_sweep": "the clock",
    "compliance.list_findings": "an intern id picked in a list",
    "compliance.list_checklist": "an intern id picked in a list",
    "compliance.recheck_stale": "the clock (the interns waiting are stored)",
    "compliance.mark_stale": "intern ids the core found (a calendar's, a document's)",
    "compliance.interns_of_district": "a stored calendar's district",
    "hours_progress.intern_with_placements": "an intern id picked in a list",
    # findings across interns
    "findings.finding_rows": "finding ids from list_finding_ids",
    "findings.list_finding_rules": "reads the rules of stored findings",
    "findings.revoke_decision": "a finding id picked in the Compliance list",
    "findings.export_rows": "reads the stored findings",
    # dashboard
    "dashboard.is_empty": "reads whether the database holds records",
    "dashboard.dashboard": "the clock",
    # directory: readers of records picked in lists
    "directory.employer_input": "reads the employer",
    "directory.list_worksites": "reads the worksites",
    "directory.worksite_input": "a worksite id picked in a list",
    "directory.list_equipment": "a worksite id picked in a list",
    "directory.equipment_input": "an equipment id picked in a list",
    "directory.task_catalog": "reads the rule packs",
    "directory.list_staff": "a role picked from the fixed roles",
    "directory.staff_input": "a staff id picked in a list",
    "directory.list_districts": "reads the districts",
    "directory.list_calendars": "reads the calendars",
    "directory.calendar_for_edit": "a calendar id picked in a list",
    "directory.list_schools": "reads the schools",
    "directory.school_input": "a school id picked in a list",
    # approval, pay periods, attendance, timesheets
    "approval.approve_entries": "entry ids picked in the Hours tab",
    "approval.list_pay_periods": "the clock",
    "hours_progress.intern_hours": "an intern id picked in a list, and the clock",
    "hours_progress.clear_absence": "a shift id picked in the attendance list",
    "timesheets.intern_calendar": "an intern id picked in a list",
    "forms.list_forms": "pure: the shipped form texts",
    "student_learner.student_learner_input": "a placement id picked in a list",
    "forms.reference_letter": "a placement id picked in a list, and the clock",
    # exports
    "exports.postal_address": "formats a stored worksite",
    "mentoring_exports.check_in_rows": "reads the check-ins the actor may see",
    # schools' own forms: forms and interns picked in lists
    "school_forms.list_forms": "reads the forms (of a school picked in a list)",
    "school_forms.form_detail": "a form id picked in a list",
    "school_forms.form_interns": "a form id picked in a list",
    "school_forms.delete_form": "a form id picked in a list",
    "school_forms.preview_values": "a form and an intern picked in lists, and the clock",
    "school_forms.preview_catalogue": "a form and an intern picked in lists, and the clock",
    "school_forms.fill_form": "a form and an intern picked in lists; writes nothing",
    "mentoring_exports.evaluation_rows": "reads the evaluations the actor may see",
    "mentoring_exports.incident_rows": "reads the incidents the actor may see",
    # intern records: records picked in lists
    "intern_records.intern_input": "an intern id picked in a list",
    "intern_records.archive_intern": "an intern id picked in a list, and the clock",
    "intern_records.restore_intern": "an intern id picked in a list",
    "intern_records.contact_inputs": "an intern id picked in a list",
    "incidents.get_incident": "an incident id picked in a list",
    "incidents.incident_input": "an incident id picked in a list",
    "incidents.incident_choices": "an intern id picked in a list",
    "incidents.close_incident": "an incident id picked in a list",
    "incidents.reopen_incident": "an incident id picked in a list",
    "intern_records.list_medical_notes": "an intern id picked in a list",
    "intern_records.delete_medical_note": "a note id picked in a list",
    "intern_records.list_releases": "an intern id picked in a list",
    "intern_records.release_input": "a release id picked in a list",
    "intern_records.delete_release": "a release id picked in a list",
    # interns
    "interns.visible_interns": "adds the actor's filter to a query the core built",
    "interns.visible_placements": "adds the actor's filter to a query the core built",
    "interns.intern_rows": "intern ids from list_intern_ids, and the clock",
    "interns.next_rule_change": "a stored birth date and the clock",
    "interns.get_intern": "an intern id picked in a list, and the clock",
    "interns.contact_row": "builds a row from a stored contact",
    "interns.placement_rows": "placement ids from a query",
    # onboarding
    "onboarding.onboarding_status": "the clock",
    "onboarding.wizard_position": "reads the wizard's page",
    "onboarding.wizard_finished": "reads whether the wizard finished",
    "onboarding.plan_query": "builds a query for the actor",
    "onboarding.plan_due_row": "builds a row from stored plan items",
    "onboarding.list_plan_items": "an intern id picked in a list, and the clock",
    # placements
    "placements.placement_input": "a placement id picked in a list",
    "placements.placement_detail": "a placement id picked in a list",
    "placements.list_placements": "an intern id picked in a list",
    "placements.create_placements": "rows that checked_values built (hostile-tested above)",
    "placements.settle_status": "a placement its saving service just stored and re-checked",
    "placements.settle_statuses": "placements the roster import just stored and re-checked",
    "placement_status.blocked": "findings the engine or the database holds",
    "placement_status.settle": "a status checked_values checked, and stored findings",
    "assignments.as_inputs": "a stored placement",
    "assignments.assignment_options": "a worksite id placements.assignment_options took",
    "assignments.checked_assignments": "checked_values' input (hostile-tested above)",
    "assignments.write_assignments": "rows checked_assignments built",
    "case_facts.assignment_tasks": "stored assignments",
    "case_facts.preview_case": "values checked_values checked (preview_placement)",
    "case_facts.probe_days": "stored dates",
    "placements.archive_placement": "a placement id picked in a list, and the clock",
    "placements.restore_placement": "a placement id picked in a list, and the clock",
    # plans
    "plans.default_template": "reads (or seeds) the plan template",
    "plans.plan_rows": "pure: a stored template laid out for insertion",
    "plans.plan_columns": "pure: a stored template laid out for insertion",
    "step_owners.step_rights": "placement ids of items the services have already read",
    "queue_registry.records": "columns of the kinds' own queries, not user input",
    "plans.plan_placements": "placements that save_placement or the import made",
    "plans.template_for_edit": "reads the plan template (or the seed's steps)",
    "plans.reset_template_to_default": "restores the seed file's steps",
    # set-up
    "setup.worksite_row": "builds a row from a stored worksite",
    "setup.equipment_row": "builds a row from stored equipment",
    "setup.calendar_input": "a stored calendar moved by whole years (new term)",
    # logged hours
    "time_entries.delete_time_entry": "an entry id picked in a list, and the clock",
    "time_entries.time_entry_input": "an entry id picked in a list",
    "time_entries.list_time_entries": "an intern id picked in a list",
    "time_entries.time_entry_choices": "an intern id picked in a list",
    # record retention
    "retention.retention_years": "reads the setting",
    "retention.due_count": "the clock",
    "retention.propose_purge": "the clock",
    "retention.table_label": "pure: a table name the core chose",
    # progress (issue 14)
    "frameworks.install_shipped": "installs the shipped files (resources, not input)",
    "frameworks.list_frameworks": "reads the frameworks",
    "frameworks.framework_row": "a framework id picked in a list",
    "frameworks.verification_label": "pure: a stored marker in words",
    "goals.goal_rows": "builds rows from stored goals",
    "evaluations.evaluation_rows": "builds rows from stored evaluations",
    "evaluations.evaluation_frameworks": "an evaluation id picked in a list",
    "evaluations.due_dates": "pure: a stored placement's dates",
    "evaluations.due_evaluations": "the clock, and intern ids the core found (the queue's)",
    "evaluations.due_evaluation_dates": "the clock, and intern ids the core found (the queue's)",
    "outcomes.visit_rows": "builds rows from stored visits",
    "outcomes.outcome_row": "builds a row from a stored outcome",
    "progress.visible_placement_ids": "an intern id picked in a list",
    "progress.placement_for": "a placement id the services check (save_goal above)",
    "progress.intern_progress": "an intern id picked in a list, and the clock",
}


def test_every_entry_point_has_a_row() -> None:
    found = entry_points()
    listed = set(HOSTILE) | set(NO_USER_INPUT)
    missing = sorted(found - listed)
    assert not missing, (
        f"service entry points without a row in test_hostile_input.py: {missing}; add each "
        "to HOSTILE (a strategy for its input) or to NO_USER_INPUT (why it takes none)"
    )
    assert not sorted(listed - found), "rows for entry points that no longer exist"
    assert not set(HOSTILE) & set(NO_USER_INPUT)
    for key, entry in HOSTILE.items():
        assert f"{key.split('.')[0]}.{entry.function.__name__}" == key, key


# -- running one example


def invoke(w: World, entry: Entry, c: Call) -> Any:
    fn = entry.function
    if entry.kind == "pure":
        return fn(*c.args, **c.kwargs)
    if entry.kind == "actor":
        return fn(w.hr, *c.args, **c.kwargs)
    if entry.kind == "factory":
        return fn(w.factory, *c.args, **c.kwargs)
    if entry.kind == "factory_actor":
        return fn(w.factory, w.hr, *c.args, **c.kwargs)
    with db.unit_of_work(w.factory, w.hr) as s:
        if entry.kind == "session":
            return fn(s, *c.args, **c.kwargs)
        return fn(s, w.hr, *c.args, **c.kwargs)


def _root(name: str) -> str:
    return re.split(r"[\[.]", name, maxsplit=1)[0]


def _unnamed(errors: list[FieldError], entry: Entry) -> list[FieldError]:
    names = entry.field_names()
    return [e for e in errors if not e.field or _root(e.field) not in names]


def _diff(before: Snapshot, after: Snapshot) -> str:
    return ", ".join(
        f"{t} +{len(after.get(t, frozenset()) - rows)} -{len(rows - after.get(t, frozenset()))}"
        for t, rows in sorted(before.items())
        if after.get(t) != rows
    )


@dataclass(frozen=True)
class Audited:
    audited: bool
    key: int | None  # the primary key's position in a row (single-column keys only)
    derived: frozenset[int]


def _audit_info(columns: dict[str, tuple[str, ...]]) -> dict[str, Audited]:
    out = {}
    for mapper in Base.registry.mappers:
        model, table = mapper.class_, mapper.local_table
        if table.name not in columns:
            continue
        names = columns[table.name]
        pk = [c.name for c in table.primary_key.columns]
        derived = {mapper.attrs[k].columns[0].name for k in model.__audit_derived__}
        out[table.name] = Audited(
            model.__audited__,
            names.index(pk[0]) if len(pk) == 1 else None,
            frozenset(names.index(d) for d in derived),
        )
    return out


def _stored_problems(w: World, before: Snapshot, after: Snapshot) -> list[str]:
    """Control characters and megabyte strings that reached the database."""
    found = []
    for table, rows in after.items():
        if table == "audit_events":  # mirrors the other tables, as escaped JSON
            continue
        for row in rows - before.get(table, frozenset()):
            for column, value in zip(w.columns[table], row, strict=True):
                if not isinstance(value, str):
                    continue
                bad = STORED_CONTROL.search(value)
                if bad:
                    found.append(f"stored control character {bad.group()!r} in {table}.{column}")
                spoof = (
                    STORED_SPOOF.search(value) if column in NAME_COLUMNS.get(table, ()) else None
                )
                if spoof:
                    found.append(f"stored U+{ord(spoof.group()):04X} in the name {table}.{column}")
                if len(value) > LONGEST:
                    found.append(f"stored {len(value)} characters in {table}.{column}")
    return sorted(set(found))


def _unaudited(w: World, before: Snapshot, after: Snapshot) -> list[str]:
    """Rows inserted, deleted or changed without an audit event naming them."""
    import json

    info = _audit_info(w.columns)
    payload = w.columns["audit_events"].index("payload")
    events = after["audit_events"] - before["audit_events"]
    named = {k for e in events for k in json.loads(e[payload])}
    missing = []
    for table, rows in after.items():
        meta = info.get(table)
        old = before.get(table, frozenset())
        if meta is None or not meta.audited or meta.key is None or rows == old:
            continue
        was = {r[meta.key]: r for r in old}
        now = {r[meta.key]: r for r in rows}
        for pk in was.keys() | now.keys():
            a, b = was.get(pk), now.get(pk)
            if a == b:
                continue
            if a is not None and b is not None:
                changed = {i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}
                if changed <= meta.derived:
                    continue
            if f"{table}:{pk}" not in named:
                missing.append(f"{table}:{pk}")
    return [f"changed without an audit event: {', '.join(sorted(missing)[:8])}"] if missing else []


def problems_of(w: World, key: str, entry: Entry, c: Call) -> tuple[str, list[str]]:
    """Run one example; (its outcome, what is wrong with it)."""
    w.fresh()
    before = w.snapshots[w.template]
    touches_db = entry.kind not in ("pure", "actor")
    result: Any = None
    error: BaseException | None = None
    try:
        result = invoke(w, entry, c)
    except Exception as exc:  # every exception type is what this test looks at
        error = exc
    after = _snapshot(w.path) if touches_db else before
    if after != before:
        w.dirty = True
    problems = []
    if error is None:
        outcome = "ok"
    elif isinstance(error, DomainError):
        outcome = type(error).__name__
    else:
        outcome = "crash"
        problems.append(f"crash: {type(error).__name__}: {str(error)[:300]}")
    if isinstance(error, ValidationError):
        if unnamed := _unnamed(error.errors, entry):
            problems.append(f"ValidationError naming no field of the input: {unnamed}")
    elif isinstance(error, DomainError) and not isinstance(error, entry.allowed):
        problems.append(f"{type(error).__name__} is not expected here: {error}")
    if error is not None and after != before:
        moved = {t for t in after.keys() | before.keys() if after.get(t) != before.get(t)}
        if moved - entry.recorded_on_error:
            problems.append(f"written despite the error: {_diff(before, after)}")
    if (
        isinstance(result, list)
        and key == "interns.validate_new_intern"
        and (unnamed := _unnamed(result, entry))
    ):
        problems.append(f"errors naming no field of the input: {unnamed}")
    if isinstance(result, ImportReport):
        outcome = "report with row errors" if result.errors else outcome
        columns = hours.COLUMNS if key.startswith("hours.") else roster.COLUMNS
        if unnamed := [e for e in result.errors if e.line and e.column not in columns]:
            problems.append(f"row errors naming no column of the import: {unnamed[:3]}")
        nothing = result.dry_run or (result.errors and not c.kwargs.get("skip_invalid"))
        if nothing:
            # A run's --map options are remembered even when rows fail (by design), with
            # their audit event (and the audit chain's head in app_state).
            remembered = {"import_mappings", "audit_events", "app_state"}
            kept = remembered if c.kwargs.get("mappings") and not result.dry_run else set()
            moved = {t for t in after if after[t] != before.get(t)} - kept
            if moved:
                problems.append(f"a refused or dry-run import wrote: {_diff(before, after)}")
    if error is None and after != before:
        problems += _stored_problems(w, before, after)
        problems += _unaudited(w, before, after)
        problems += _unexplained(w)
    return outcome, problems


def _unexplained(w: World) -> list[str]:
    """What ``audit verify`` finds after a write: the trail must still explain every
    row (each value the write stored is the one its audit entry records)."""
    from internhost.core.trail import audit_verify

    with db.read_session(w.factory, SYSTEM) as s:
        report = audit_verify.verify(s)
    return [f"audit verify: {line}" for line in report.lines(5)]


def exercise(w: World, key: str, entry: Entry, c: Call) -> None:
    outcome, problems = problems_of(w, key, entry, c)
    STATS.examples[key] = STATS.examples.get(key, 0) + 1
    STATS.outcomes[outcome] = STATS.outcomes.get(outcome, 0) + 1
    if problems:
        raise AssertionError(f"{key}{c!r}:\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_hostile_input(world: World, key: str) -> None:
    entry = HOSTILE[key]
    world.use(entry.template)

    @settings(
        max_examples=entry.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(c=entry.inputs(world.ids))
    def run(c: Call) -> None:
        exercise(world, key, entry, c)

    run()


# -- the inputs that found bugs, one each (all fixed)


def _intern(w: World, **changes: Any) -> intern_records.InternInput:
    data = intern_records.InternInput(
        "Ana", "Ruiz", date(2009, 3, 4), w.ids.schools[0], address="1 Main St"
    )
    return dataclasses.replace(data, **changes)


def _placement(w: World, **changes: Any) -> placements.PlacementInput:
    data = placements.PlacementInput(
        intern_id=w.ids.interns[0],
        school_id=w.ids.schools[0],
        start_date=date(2026, 1, 12),
        end_date=date(2026, 5, 29),
        worksite_id=w.ids.worksites[0],
        mentor_id=w.ids.mentors[0],
        hourly_rate_cents=1550,
    )
    return dataclasses.replace(data, **changes)


def _calendar(**changes: Any) -> setup.CalendarInput:
    data = setup.CalendarInput(
        "Hostile District", "2030-31", date(2030, 8, 26), date(2031, 6, 4), time(8), time(15)
    )
    return dataclasses.replace(data, **changes)


def _refusal(w: World, save: Callable[[Any], Any]) -> ValidationError | None:
    """The ValidationError ``save(session)`` raises in a unit of work, or None."""
    w.dirty = True
    try:
        with db.unit_of_work(w.factory, w.hr) as s:
            save(s)
    except ValidationError as error:
        return error
    return None


def _stored_calendar(w: World, **changes: Any) -> setup.CalendarInput:
    """The first stored calendar as its form edits it, with ``changes``."""
    w.fresh()
    with db.read_session(w.factory, SYSTEM) as s:
        data = directory.calendar_for_edit(s, SYSTEM, w.ids.calendars[0])
    return dataclasses.replace(data, **changes)


def _roster_file(**cells: str) -> bytes:
    row = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "birth_date": "2009-03-04",
        "school": "Auburn High School",
        "placement_start": "2026-01-12",
        **cells,
    }
    return (",".join(row) + "\r\n" + ",".join(row.values()) + "\r\n").encode()


def _problems(w: World, key: str, c: Call) -> list[str]:
    w.use(HOSTILE[key].template)
    return problems_of(w, key, HOSTILE[key], c)[1]


#: One input each that found a bug, since fixed: each must now show no problem (no
#: crash, a refusal naming its field, nothing stored unchecked), like any example.
REGRESSIONS: dict[str, tuple[str, Callable[[World], Call]]] = {
    # a user name no account could have
    "log in as a lone surrogate": ("accounts.log_in", lambda w: Call(("\ud800", None))),
    # rows dropped from a list are deleted, and audited as deleted
    "contacts removed": (
        "intern_records.save_contacts",
        lambda w: Call((w.ids.interns[0], ())),
    ),
    "calendar days replaced": (
        "setup.save_calendar",
        lambda w: Call(
            (
                _stored_calendar(w, no_school=(), early_dismissal=(), late_start=()),
                w.ids.calendars[0],
            )
        ),
    ),
    "worksite areas removed": (
        "setup.save_worksite",
        lambda w: Call(
            (setup.WorksiteInput("Renamed Plant", "IL", "America/Chicago"), min(w.ids.worksites))
        ),
    ),
    # ids and numbers SQLite cannot hold
    "intern school id beyond 64 bits": (
        "intern_records.save_intern",
        lambda w: Call((None, _intern(w, school_id=2**63), None, TODAY)),
    ),
    "placement hourly rate beyond 64 bits": (
        "placements.save_placement",
        lambda w: Call((_placement(w, hourly_rate_cents=2**63),), {"today": TODAY}),
    ),
    "placement required hours beyond 64 bits": (
        "placements.save_placement",
        lambda w: Call((_placement(w, required_hours=10**20),), {"today": TODAY}),
    ),
    "checklist item id beyond 64 bits": (
        "compliance.update_checklist_item",
        lambda w: Call((2**63,), {"status": "done"}),
    ),
    "roster hourly rate beyond 64 bits": (
        "roster.import_roster",
        lambda w: Call((_roster_file(hourly_rate="$99999999999999999999"),), {"today": TODAY}),
    ),
    # dates at the ends of the calendar
    "placement starting on date.max": (
        "placements.save_placement",
        lambda w: Call((_placement(w, start_date=date.max, end_date=None),), {"today": TODAY}),
    ),
    "placement moved to start on date.min": (
        "placements.save_placement",
        lambda w: Call(
            (
                _placement(
                    w,
                    intern_id=dict(w.ids.placement_interns)[w.ids.placements[0]],
                    start_date=date.min,
                ),
                w.ids.placements[0],
            ),
            {"today": TODAY},
        ),
    ),
    "roster placement starting 9999-12-31": (
        "roster.import_roster",
        lambda w: Call((_roster_file(placement_start="9999-12-31"),), {"today": TODAY}),
    ),
    "roster placement starting 0001-01-01": (
        "roster.import_roster",
        lambda w: Call((_roster_file(placement_start="0001-01-01"),), {"today": TODAY}),
    ),
    # None where a value is required
    "intern preferred name None": (
        "intern_records.save_intern",
        lambda w: Call((None, _intern(w, preferred_name=None), None, TODAY)),
    ),
    "new intern address None": (
        "interns.create_intern",
        lambda w: Call(
            (
                interns.InternInput(
                    "Ana", "Ruiz", date(2009, 3, 4), w.ids.schools[0], address=None
                ),
                TODAY,
            )
        ),
    ),
    "calendar first day None": (
        "setup.save_calendar",
        lambda w: Call((_calendar(first_day=None),), {"replace": False}),
    ),
    "calendar day end None": (
        "setup.save_calendar",
        lambda w: Call((_calendar(day_end=None),), {"replace": False}),
    ),
    "new term start None": (
        "new_term.preview_new_term",
        lambda w: Call(
            (new_term.NewTermInput(None, date(2025, 12, 31), date(2026, 9, 1), None), TODAY)
        ),
    ),
    "intern search None": ("interns.list_intern_ids", lambda w: Call((), {"search": None})),
    # text stored without the checks the edit form applies
    "new intern address with NUL": (
        "intern_records.save_intern",
        lambda w: Call((None, _intern(w, address="1 Main St\x00"), None, TODAY)),
    ),
    "new intern student id of 1 MB": (
        "intern_records.save_intern",
        lambda w: Call((None, _intern(w, student_id="9" * 1_000_000), None, TODAY)),
    ),
    "preferred name with a control character": (
        "intern_records.update_intern",
        lambda w: Call((w.ids.interns[0], _intern(w, preferred_name="An\x1bnie"), TODAY)),
    ),
    "legal name with DEL": (
        "intern_records.save_intern",
        lambda w: Call((None, _intern(w, legal_first_name="An\x7fa"), None, TODAY)),
    ),
    "checklist note with NUL": (
        "compliance.update_checklist_item",
        lambda w: Call((w.ids.checklist_items[0],), {"status": "done", "note": "ok\x00"}),
    ),
    "plan step note with a control character": (
        "onboarding.update_plan_item",
        lambda w: Call((w.ids.plan_items[0],), {"done": True, "note": "ok\x08"}),
    ),
    # crashes on long or missing text
    "search of 1 MB": ("interns.list_intern_ids", lambda w: Call((), {"search": "x" * 1_000_000})),
    "time zone of 1 MB": (
        "setup.save_worksite",
        lambda w: Call((setup.WorksiteInput("New Plant", "IL", "x" * 1_000_000),)),
    ),
    "equipment without a worksite": (
        "setup.save_equipment",
        lambda w: Call((setup.EquipmentInput(None, "Drill", w.ids.tasks[:1]),)),  # type: ignore[arg-type]
    ),
    # items that are no list of steps
    "plan template items None": ("plans.save_template", lambda w: Call((None,))),
    "plan template items from a generator": (
        "plans.save_template",
        lambda w: Call(((s for s in (plans.PlanStepInput("day_one", "Site tour", "hr", 0),)),)),
    ),
    "plan template step id a list": (
        "plans.save_template",
        lambda w: Call(((plans.PlanStepInput("day_one", "Site tour", "hr", 0, [1]),),)),  # type: ignore[arg-type]
    ),
    # names that display as another (issue 11): invisible and text-direction characters
    "intern last name with a right-to-left override": (
        "intern_records.save_intern",
        lambda w: Call((None, _intern(w, legal_last_name="Ru\u202eziu"), None, TODAY)),
    ),
    "guardian name with a zero-width space": (
        "intern_records.save_contacts",
        lambda w: Call(
            (w.ids.interns[0], (intern_records.ContactInput("guardian", "Maria\u200b Ruiz"),))
        ),
    ),
    "school name with a first-strong isolate": (
        "setup.save_school",
        lambda w: Call((setup.SchoolInput("Auburn\u2068 High", w.ids.district_names[0]),)),
    ),
    "account display name with a byte-order mark": (
        "accounts.create_account",
        lambda w: Call((accounts.NewAccount("spoof", "\ufeffHR", "viewer", "a long password!"),)),
    ),
    "roster guardian with a left-to-right isolate": (
        "roster.import_roster",
        lambda w: Call((_roster_file(guardian_name="Maria \u2066Ruiz"),), {"today": TODAY}),
    ),
    "plan step title with a right-to-left mark": (
        "plans.save_template",
        lambda w: Call(((plans.PlanStepInput("day_one", "Site\u200f tour", "hr", 0),),)),
    ),
    "lone surrogate in a school name": (
        "setup.save_school",
        lambda w: Call((setup.SchoolInput("Hostile \ud800 High", w.ids.district_names[0]),)),
    ),
}


@pytest.mark.parametrize("example", sorted(REGRESSIONS))
def test_regression(world: World, example: str) -> None:
    key, make = REGRESSIONS[example]
    problems = _problems(world, key, make(world))
    assert not problems, problems


def test_a_school_year_of_ten_thousand_years(world: World) -> None:
    w = world
    w.use("demo")
    data = _stored_calendar(w, first_day=date.min, last_day=date.max)
    refused = _refusal(w, lambda s: setup.save_calendar(s, w.hr, data, w.ids.calendars[0]))
    assert refused is not None, "a school year of ten thousand years was saved"


def test_a_school_year_with_a_trailing_newline(world: World) -> None:
    w = world
    w.use("demo")
    data = _calendar(school_year="2030-31\n")
    refused = _refusal(w, lambda s: setup.save_calendar(s, w.hr, data, replace=False))
    assert refused is not None and refused.by_field().keys() == {"school_year"}
