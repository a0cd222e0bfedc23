"""The set-up forms, shared by the onboarding wizard and the records screens.

Each ``*_fields`` function lists a form's inputs by the service's attribute names
(so a service error lands beside its input), and each ``save_*`` turns the form's
values into the service's input and saves it in one unit of work (on the database
worker: a record dialog runs it there). The wizard and the records dialogs differ in
layout only; what is asked and how it is checked is the same, decided by the
services in ``core/services/setup.py``.

A choice that must name a record is a picker over the records (``RecordPicker``),
read with the rest of what the dialog needs and read again when they change; the
equipment dialog's Area lists the chosen worksite's areas and adds one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from internhost.core import dto
from internhost.core.errors import FieldError, ValidationError
from internhost.core.models.enums import AREA_KINDS, STAFF_ROLES, WEEKDAYS
from internhost.core.rules.ages import supervisor_rule
from internhost.core.rules.guidance import ages_text, calendar_ages, year_olds
from internhost.core.rules.packs import find_rule, reference
from internhost.core.services import directory, setup
from internhost.core.text import fold
from internhost.core.validation import US_STATES as STATES
from internhost.core.validation import time_zones
from internhost.gui.database import Database
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.formatting import WEEKDAYS as DAY_NAMES
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f

Options = list[tuple[Any, str]]
NONE = "— none —"
ROLE_LABELS = {"mentor": "Mentor", "supervisor": "Supervisor", "hr": "HR contact"}
AREA_LABELS = {"production": "Production workroom", "office": "Office or classroom"}
DAY_KINDS = {
    "no_school": "No school",
    "early_dismissal": "Early dismissal (ends at)",
    "late_start": "Late start (starts at)",
}
WEEKDAY_LABELS = dict(zip(WEEKDAYS, DAY_NAMES, strict=True))
#: Every state and territory the service accepts, alphabetically (new worksites and
#: calendars default to IL).
US_STATES = sorted(STATES)
COMMON_ZONES = (
    "America/Chicago",
    "America/New_York",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)


# -- company -------------------------------------------------------------------


def employer_fields() -> list[f.Field]:
    return [
        f.text("legal_name", "Legal name"),
        f.text("address", "Address", multiline=True),
        f.text("hr_contact_name", "HR contact"),
        f.text("hr_contact_email", "HR email"),
        f.text("hr_contact_phone", "HR phone"),
        f.check(
            "flsa_covered",
            "Federal law",
            "The Fair Labor Standards Act covers this business",
            help="Leave this on unless counsel has concluded the FLSA does not cover the "
            "business: the federal child-labor rules are then checked beside Illinois' own.",
        ),
        f.choice(
            "workweek_start",
            "Workweek starts",
            [(key, caption) for key, caption in WEEKDAY_LABELS.items()],
            help="Weekly hour limits count from this day.",
        ),
        f.text("wc_carrier", "Workers' comp carrier"),
        f.text("wc_policy_number", "Policy number"),
        f.day("wc_policy_expires", "Policy expires"),
        f.day("liability_coi_expires", "Liability certificate expires"),
        f.day(
            "child_labor_notice_posted_on",
            "Child-labor notice posted",
            help="The notice summarizing the Illinois Act, posted where minors work "
            f"({find_rule('US-IL-206-35-e').citation}): the date it went up.",
        ),
        f.day(
            "federal_poster_posted_on",
            "Federal poster posted",
            help="The FLSA minimum-wage poster.",
        ),
    ]


# -- worksites -----------------------------------------------------------------


def zone_options() -> Options:
    rest = [z for z in time_zones() if z not in COMMON_ZONES]
    return [(z, z.replace("_", " ")) for z in (*COMMON_ZONES, *rest)]


def worksite_fields() -> list[f.Field]:
    workrooms = find_rule("US-FLSA-570.33-a")
    return [
        f.text("name", "Name", placeholder="Main plant"),
        f.text("address", "Street address"),
        f.text("city", "City"),
        f.choice("state", "State", [(s, s) for s in US_STATES]),
        f.text("postal_code", "ZIP code"),
        f.choice("time_zone", "Time zone", zone_options()),
        f.table(
            "areas",
            "Areas",
            [
                f.Cell("Area", width=220),
                f.Cell("Kind", "choice", tuple((k, AREA_LABELS[k]) for k in AREA_KINDS)),
            ],
            add_text="Add area",
            help=f"Production workrooms are closed to {year_olds(workrooms.ages)} "
            f"({workrooms.citation}); offices are open to them.",
        ),
    ]


NEW_WORKSITE = {"state": "IL", "time_zone": "America/Chicago"}


def save_worksite(database: Database, values: dict[str, Any], worksite_id: int | None) -> Any:
    return database.write(setup.save_worksite, setup.WorksiteInput(**values), worksite_id)


def active_worksites(s: Any, actor: Any) -> list[dto.WorksiteRow]:
    """The worksites a record may name (archived ones are not offered anew)."""
    return directory.list_worksites(s, actor, include_archived=False)


def worksite_field(
    ops: Ops, sites: list[dto.WorksiteRow], *, none: bool = True, **kw: Any
) -> f.Field:
    """A picker over the active worksites (``sites``, read with the dialog's data)."""
    return f.Field(
        "worksite_id",
        "Worksite",
        lambda: f.RecordPicker(
            ops,
            active_worksites,
            {"worksite"},
            sites,
            options=lambda rows: [(w.id, w.name) for w in rows],
            head=[(None, NONE)] if none else (),
        ),
        **kw,
    )


# -- equipment -----------------------------------------------------------------


class AreaPicker(f.RecordPicker):
    """The areas of the worksite chosen beside it (``follow``), and "Add area…", which
    adds one to that worksite (``setup.add_area``) and chooses it."""

    worksite_id: int | None = None

    def __init__(self, ops: Ops, sites: list[dto.WorksiteRow]) -> None:
        super().__init__(
            ops, active_worksites, {"worksite"}, sites, head=[(None, NONE)], add_text="Add area…"
        )
        self.follow(None)

    def _site(self) -> dto.WorksiteRow | None:
        return next((w for w in self.records if w.id == self.worksite_id), None)

    def options(self, records: list[dto.WorksiteRow]) -> Options:
        site = next((w for w in records if w.id == self.worksite_id), None)
        areas = site.areas if site is not None else ()
        return [(name, f"{name} ({AREA_LABELS[kind].lower()})") for name, kind in areas]

    def follow(self, worksite_id: int | None) -> None:
        """Offer the areas of ``worksite_id`` (an area of another worksite is dropped)."""
        self.worksite_id = worksite_id
        self.refill()
        assert self.add_button is not None
        self.add_button.setEnabled(self._site() is not None)

    def add(self, saved: Callable[[], None]) -> None:
        site = self._site()
        if site is None:
            return
        database, worksite_id = self.ops.database, site.id

        def save(values: dict[str, Any]) -> dto.WorksiteRow:  # on the database worker
            return database.write(setup.add_area, setup.AreaInput(worksite_id, **values))

        added = edit_with_form(
            self.window(),
            "Add area",
            f.FieldForm(area_fields()),
            save,
            ops=self.ops,
            changes={"worksite"},
            intro=f"A new area of {site.name}, for its machines and its people's shifts.",
        )
        if added is not None:
            saved()


def area_fields() -> list[f.Field]:
    workrooms = find_rule("US-FLSA-570.33-a")
    return [
        f.text("name", "Area", placeholder="Shipping dock"),
        f.choice(
            "kind",
            "Kind",
            [(k, AREA_LABELS[k]) for k in AREA_KINDS],
            help=f"Production workrooms are closed to {year_olds(workrooms.ages)} "
            f"({workrooms.citation}).",
        ),
    ]


def equipment_form(ops: Ops, sites: list[dto.WorksiteRow]) -> f.FieldForm:
    """The machine's form; its Area follows its Worksite."""
    form = f.FieldForm(equipment_fields(ops, sites))
    site, area = form.input("worksite_id"), form.input("area")
    assert isinstance(area, AreaPicker)
    site.changed.connect(lambda: area.follow(site.value()))
    area.follow(site.value())
    return form


def equipment_fields(ops: Ops, sites: list[dto.WorksiteRow]) -> list[f.Field]:
    catalog = directory.task_catalog()
    return [
        worksite_field(ops, sites, none=False),
        f.text("name", "Machine", placeholder="Baler, punch press, forklift…"),
        f.Field(
            "area",
            "Area",
            lambda: AreaPicker(ops, sites),
            help="Optional: where it stands at the chosen worksite (Add area… adds one).",
        ),
        f.Field(
            "task_keys",
            "Tasks done on it",
            lambda: TaskPicker(catalog),
            help="Pick the catalog tasks this machine is used for; who may do each comes "
            "from the rule packs.",
        ),
        f.text("description", "Notes", multiline=True),
    ]


def save_equipment(database: Database, values: dict[str, Any], equipment_id: int | None) -> Any:
    return database.write(setup.save_equipment, setup.EquipmentInput(**values), equipment_id)


class TaskPicker(f.FieldWidget):
    """The rule engine's task catalog, each task with who may do it; tick the ones done
    on this machine."""

    def __init__(self, catalog: list[Any]) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter tasks")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Task", "Who may do it"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setMinimumHeight(230)
        self.tree.setMinimumWidth(600)
        self._items: dict[str, Any] = {}
        for task in catalog:
            item = QTreeWidgetItem([task.label, task.who_may])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setToolTip(0, task.label)
            item.setToolTip(1, task.who_may)
            item.setData(0, Qt.ItemDataRole.UserRole, task.key)
            self.tree.addTopLevelItem(item)
            self._items[task.key] = item
        self.tree.resizeColumnToContents(0)  # the task's name whole; who may do it elides
        self.tree.itemChanged.connect(lambda *_: self.changed.emit())
        self.search.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)

    def _filter(self, text: str) -> None:
        needle = fold(text)
        for item in self._items.values():
            item.setHidden(bool(needle) and needle not in fold(item.text(0) + " " + item.text(1)))

    def value(self) -> tuple[str, ...]:
        return tuple(k for k, i in self._items.items() if i.checkState(0) == Qt.CheckState.Checked)

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        for key, item in self._items.items():
            item.setCheckState(
                0, Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked
            )

    def editor(self) -> Any:
        return self.tree


# -- staff ---------------------------------------------------------------------


def staff_fields(ops: Ops, sites: list[dto.WorksiteRow]) -> list[f.Field]:
    supervisor = supervisor_rule()
    age = supervisor.params["min_age"]
    return [
        f.text("first_name", "First name"),
        f.text("last_name", "Last name"),
        f.choice("role", "Role", [(r, ROLE_LABELS[r]) for r in STAFF_ROLES]),
        f.text("title", "Job title"),
        f.text(
            "email", "Email", help="Required for mentors: the roster import names mentors by email."
        ),
        f.text("phone", "Phone"),
        worksite_field(ops, sites, aliases=("worksite",)),
        f.check(
            "is_21_or_older",
            "Age",
            f"Confirmed {age} or older",
            help=f"Illinois requires an adult {age} or older to supervise minors on site "
            f"({supervisor.citation}).",
        ),
        f.day("clearance_date", "Background check", help="Date of the clearance, if done."),
        f.day("mentor_training_date", "Mentor training"),
    ]


NEW_STAFF = {"role": "mentor"}


def save_staff(database: Database, values: dict[str, Any], staff_id: int | None) -> int:
    data = setup.StaffInput(**values)
    return database.write(setup.save_staff, data, staff_id, today=database.today())


# -- schools and calendars ---------------------------------------------------


def school_fields(ops: Ops, districts: list[Any], add_district: Any = None) -> list[f.Field]:
    """``districts``: the districts with a calendar (read with the dialog's data);
    ``add_district(picker, saved)`` adds one (a new district calendar)."""
    return [
        f.text("name", "School"),
        f.Field(
            "district",
            "District",
            lambda: f.RecordPicker(
                ops,
                directory.list_districts,
                {"calendar"},
                districts,
                options=lambda rows: [(d.name, d.name) for d in rows],
                add=add_district,
                add_text="Add district calendar…" if add_district is not None else "",
            ),
            help="The districts with a school calendar; Add district calendar… adds one.",
        ),
        f.text("address", "Address", multiline=True),
        f.text("coordinator_name", "Coordinator"),
        f.text("coordinator_email", "Coordinator email"),
        f.text("coordinator_phone", "Coordinator phone"),
    ]


def save_school(database: Database, values: dict[str, Any], school_id: int | None) -> int:
    return database.write(setup.save_school, setup.SchoolInput(**values), school_id)


def calendar_fields() -> list[f.Field]:
    return [
        f.text("district", "District", placeholder="Springfield SD 186"),
        f.text("school_year", "School year", placeholder="2025-26"),
        f.choice("state", "State", [(s, s) for s in US_STATES]),
        f.day("first_day", "First day"),
        f.day("last_day", "Last day"),
        f.clock("day_start", "School day starts"),
        f.clock("day_end", "School day ends"),
        f.table(
            "days",
            "Exceptions",
            [
                f.Cell("Date", "date", width=130),
                f.Cell("Kind", "choice", tuple(DAY_KINDS.items())),
                f.Cell("Time", "time", width=120),
            ],
            aliases=("no_school", "early_dismissal", "late_start"),
            add_text="Add day",
            min_rows=5,
            help="Days without school, early dismissals (with the time school ends) and late "
            f"starts (with the time it starts). Federal hours for {ages_text(*calendar_ages())}"
            f"-year-olds follow this calendar ({reference('school_hours')}).",
        ),
    ]


def calendar_values(data: setup.CalendarInput) -> dict[str, Any]:
    """A stored calendar as form values: the three kinds of day in one table."""
    days = [
        *((d, "no_school", None) for d in data.no_school),
        *((d, "early_dismissal", t) for d, t in data.early_dismissal),
        *((d, "late_start", t) for d, t in data.late_start),
    ]
    return {
        "district": data.district,
        "school_year": data.school_year,
        "state": data.state,
        "first_day": data.first_day,
        "last_day": data.last_day,
        "day_start": data.day_start,
        "day_end": data.day_end,
        "days": tuple(sorted(days, key=lambda row: row[0])),
    }


def calendar_input(values: dict[str, Any]) -> tuple[setup.CalendarInput, dict[str, str]]:
    """Form values as the service's input, and where each of its day fields sits in the
    form's one table (``early_dismissal[0]`` -> ``days[3]``), so the service's errors
    name the row the user sees. A day missing its date or time is that row's error."""
    problems = []
    kinds: dict[str, list[Any]] = {k: [] for k in DAY_KINDS}
    rows: dict[str, str] = {}
    for row, (day, kind, moment) in enumerate(values["days"]):
        if day is None:
            problems.append(FieldError(f"days[{row}].date", "a date is needed"))
            continue
        if kind != "no_school" and moment is None:
            problems.append(FieldError(f"days[{row}].time", "a time is needed for this kind"))
            continue
        rows[f"{kind}[{len(kinds[kind])}]"] = f"days[{row}]"
        kinds[kind].append(day if kind == "no_school" else (day, moment))
    for name in ("first_day", "last_day"):
        if values[name] is None:
            problems.append(FieldError(name, "is required"))
    if problems:
        raise ValidationError(problems)
    data = setup.CalendarInput(
        district=values["district"],
        school_year=values["school_year"].strip(),
        first_day=values["first_day"],
        last_day=values["last_day"],
        day_start=values["day_start"],
        day_end=values["day_end"],
        no_school=tuple(kinds["no_school"]),
        early_dismissal=tuple(kinds["early_dismissal"]),
        late_start=tuple(kinds["late_start"]),
        state=values["state"],
    )
    return data, rows


def save_calendar(
    database: Database, values: dict[str, Any], calendar_id: int | None = None
) -> int:
    """Save the calendar opened (``calendar_id``) or a new one; a new one never
    replaces a year already on record (the service says so beside the year)."""
    data, rows = calendar_input(values)
    try:
        return database.write(setup.save_calendar, data, calendar_id, replace=False)
    except ValidationError as exc:
        raise ValidationError(
            [FieldError(rows.get(e.field, e.field), e.message) for e in exc.errors]
        ) from None


def new_calendar_values(today: date) -> dict[str, Any]:
    """A blank calendar for the school year that holds today (July starts a year); the
    dates are the district's to fill in, the school day a common one to edit."""
    start = today.year if today.month >= 7 else today.year - 1
    return {
        "school_year": f"{start}-{(start + 1) % 100:02d}",
        "state": "IL",
        "first_day": None,
        "last_day": None,
        "day_start": time(8, 0),
        "day_end": time(15, 0),
        "days": (),
    }
