"""The records screens for the employer's side: worksites, equipment, staff, schools
and district calendars. Each is a ``RecordKind`` over ``RecordsView``; the editors
are the set-up forms (``setup_forms``) in a ``RecordDialog``.

An editor first reads, on the database worker, what its dialog needs (the stored
record, the records its pickers offer) and opens the dialog when that arrives; its
Save runs on the worker too and announces the record kind it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from internhost.core.actor import Permission
from internhost.core.rules.ages import supervisor_rule
from internhost.core.rules.guidance import calendar_ages, year_olds
from internhost.core.services import directory, setup
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.formatting import DASH, short_date, text_or_dash
from internhost.gui.models.columns import Column, Pill
from internhost.gui.ops import Ops
from internhost.gui.views import setup_forms as forms
from internhost.gui.widgets.basics import button, shown
from internhost.gui.widgets.fields import FieldForm, RecordPicker
from internhost.gui.widgets.records import (
    Loader,
    RecordKind,
    RecordsView,
    Saved,
    directory_archiving,
)

ARCHIVED = (Pill("Archived", "muted"),)
#: Reads what an editor's dialog needs: ``(session, actor, record id or None)`` ->
#: (the stored record's values or None, what the form offers).
Reader = Callable[[Any, Any, "int | None"], tuple[Any, Any]]


def _archived_pill(row: Any) -> tuple[Pill, ...]:
    return ARCHIVED if row.archived else ()


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _title(noun: str, record_id: int | None) -> str:
    return f"New {noun}" if record_id is None else f"Edit {noun}"


def _listing(service: Callable[..., Any]) -> Loader:
    """A records list's loader from a directory service that needs no date."""
    return lambda s, actor, _today: service(s, actor)


def _reader(stored: Callable[..., Any], offered: Callable[..., Any] | None = None) -> Reader:
    """What an editor reads: ``stored(s, actor, id)`` unless the record is new, and
    ``offered(s, actor)`` (its pickers' records) if it has any."""

    def read(s: Any, actor: Any, record_id: int | None) -> tuple[Any, Any]:
        values = None if record_id is None else stored(s, actor, record_id)
        return values, None if offered is None else offered(s, actor)

    return read


def _edit(
    parent: QWidget,
    ops: Ops,
    record_id: int | None,
    saved: Saved,
    *,
    noun: str,
    read: Reader,
    form: Callable[[Any], FieldForm],
    save: Callable[[dict[str, Any]], Any],
    changes: Iterable[str],
    blank: Any = None,
    intro: str = "",
) -> None:
    """Read what the editor needs on the worker, then open ``form(offered)`` on the
    stored record (``blank`` for a new one); ``saved(result)`` once Save went through."""

    def opened(found: tuple[Any, Any]) -> None:
        stored, offered = found
        result = edit_with_form(
            parent,
            _title(noun, record_id),
            form(offered),
            save,
            ops=ops,
            changes=changes,
            initial=blank if record_id is None else stored,
            intro=intro,
        )
        if result is not None:
            saved(result)

    ops.read(parent, read, record_id, done=opened)


# -- worksites ---------------------------------------------------------------


def edit_worksite(parent: QWidget, ops: Ops, worksite_id: int | None, saved: Saved) -> None:
    database = ops.database
    _edit(
        parent,
        ops,
        worksite_id,
        saved,
        noun="worksite",
        read=_reader(directory.worksite_input),
        form=lambda _offered: FieldForm(forms.worksite_fields()),
        save=lambda v: forms.save_worksite(database, v, worksite_id),
        changes={"worksite"},
        blank=forms.NEW_WORKSITE,
    )


WORKSITES = RecordKind(
    key="worksites",
    title="Worksites",
    noun="worksite",
    columns=(
        Column("Name", lambda r: r.name, sample="Main plant, North", pills=_archived_pill),
        Column("City", lambda r: text_or_dash(r.city), sample="Springfield"),
        Column("State", lambda r: r.state, sample="State"),
        Column("Time zone", lambda r: r.time_zone.replace("_", " "), sample="America/Chicago"),
        Column(
            "Areas",
            lambda r: ", ".join(f"{n} ({k})" for n, k in r.areas) or DASH,
            sample="Assembly (production), Front office (office)",
            long=True,
        ),
    ),
    load=_listing(directory.list_worksites),
    row_id=lambda r: r.id,
    edit=edit_worksite,
    search_text=lambda r: f"{r.name} {r.city} {r.address}",
    shows={"worksite"},
    archived=lambda r: r.archived,
    archiving=directory_archiving("worksite"),
    export_entity="worksites",
    empty_text="No worksites yet. Add the plant or office where interns will work.",
)


# -- equipment ---------------------------------------------------------------


def edit_equipment(parent: QWidget, ops: Ops, equipment_id: int | None, saved: Saved) -> None:
    database = ops.database
    _edit(
        parent,
        ops,
        equipment_id,
        saved,
        noun="machine",
        read=_reader(directory.equipment_input, forms.active_worksites),
        form=lambda sites: forms.equipment_form(ops, sites),
        save=lambda v: forms.save_equipment(database, v, equipment_id),
        changes={"equipment"},
        intro="What a minor may do on a machine depends on the tasks done on it: "
        "the rule packs decide, by age and program.",
    )


def _load_equipment(s: Any, actor: Any, _today: Any) -> list[Any]:
    sites = {w.id: w.name for w in directory.list_worksites(s, actor)}
    return [
        _Machine(row, sites.get(row.worksite_id, DASH))
        for row in directory.list_equipment(s, actor)
    ]


class _Machine:
    """An equipment row with its worksite's name, for the table."""

    def __init__(self, row: Any, worksite: str) -> None:
        self.row, self.worksite = row, worksite
        self.id, self.archived = row.id, getattr(row, "archived", False)

    @property
    def tasks(self) -> str:
        return "; ".join(f"{label}: {who}" for _key, label, who in self.row.tasks)


EQUIPMENT = RecordKind(
    key="equipment",
    title="Equipment",
    noun="machine",
    columns=(
        Column("Machine", lambda m: m.row.name, sample="Vertical baler", pills=_archived_pill),
        Column("Worksite", lambda m: m.worksite, sample="Main plant"),
        Column("Area", lambda m: text_or_dash(m.row.area), sample="Assembly"),
        Column(
            "Tasks and who may do them",
            lambda m: m.tasks,
            sample="Forklift: who may, HO 7",
            long=True,
        ),
    ),
    load=_load_equipment,
    row_id=lambda m: m.id,
    edit=edit_equipment,
    search_text=lambda m: f"{m.row.name} {m.worksite} {m.tasks}",
    shows={"equipment", "worksite"},
    archived=lambda m: m.archived,
    archiving=directory_archiving("equipment"),
    empty_text="No equipment registered yet. Register each machine a minor might be near.",
)


# -- staff -------------------------------------------------------------------


def edit_staff(parent: QWidget, ops: Ops, staff_id: int | None, saved: Saved) -> None:
    database = ops.database
    _edit(
        parent,
        ops,
        staff_id,
        saved,
        noun="staff member",
        read=_reader(directory.staff_input, forms.active_worksites),
        form=lambda sites: FieldForm(forms.staff_fields(ops, sites)),
        save=lambda v: forms.save_staff(database, v, staff_id),
        changes={"staff"},
        blank=forms.NEW_STAFF,
    )


def _supervisor_age() -> str:
    """ "21+": the age a supervisor of minors must have reached, from the rule packs."""
    return f"{supervisor_rule().params['min_age']}+"


def _staff_flags(row: Any) -> tuple[Pill, ...]:
    flags = list(_archived_pill(row))
    if row.role == "mentor" and not row.is_21_or_older:
        flags.append(Pill(f"{_supervisor_age()} not confirmed", "warning"))
    return tuple(flags)


STAFF = RecordKind(
    key="staff",
    title="Staff",
    noun="staff member",
    columns=(
        Column("Name", lambda r: r.name, sample="Alexandra Kowalczyk", pills=_staff_flags),
        Column("Role", lambda r: forms.ROLE_LABELS.get(r.role, r.role), sample="Supervisor"),
        Column(
            "Email", lambda r: text_or_dash(r.email), sample="darnell.brooks@prairieforge.example"
        ),
        Column("Worksite", lambda r: text_or_dash(r.worksite), sample="Elgin Assembly"),
        Column(_supervisor_age(), lambda r: _yes(r.is_21_or_older), sample="Yes", elide=False),
        Column(
            "Clearance",
            lambda r: short_date(r.clearance_date),
            sample="Sep 30, 2025",
            elide=False,
        ),
        Column(
            "Training",
            lambda r: short_date(r.mentor_training_date),
            sample="Sep 30, 2025",
            elide=False,
        ),
    ),
    load=_listing(directory.list_staff),
    row_id=lambda r: r.id,
    edit=edit_staff,
    search_text=lambda r: f"{r.name} {r.email} {r.title} {r.worksite or ''}",
    shows={"staff", "worksite"},
    archived=lambda r: r.archived,
    archiving=directory_archiving("staff"),
    export_entity="staff",
    empty_text="No staff yet. Add the mentors and supervisors who will work with interns.",
)


# -- schools -----------------------------------------------------------------


def edit_school(parent: QWidget, ops: Ops, school_id: int | None, saved: Saved) -> None:
    database = ops.database

    def add_district(picker: RecordPicker, added: Callable[[], None]) -> None:
        """A new district calendar, from the school's District picker."""
        edit_calendar(picker.window(), ops, None, lambda _result: added())

    _edit(
        parent,
        ops,
        school_id,
        saved,
        noun="school",
        read=_reader(directory.school_input, directory.list_districts),
        form=lambda districts: FieldForm(forms.school_fields(ops, districts, add_district)),
        save=lambda v: forms.save_school(database, v, school_id),
        changes={"school"},
    )


SCHOOLS = RecordKind(
    key="schools",
    title="Schools",
    noun="school",
    columns=(
        Column("School", lambda r: r.name, sample="Lincoln High School", pills=_archived_pill),
        Column("District", lambda r: r.district, sample="Springfield SD 186", long=True),
        Column("Coordinator", lambda r: text_or_dash(r.coordinator_name), sample="Dana Whitfield"),
        Column("Email", lambda r: text_or_dash(r.coordinator_email), sample="dana@school.org"),
        Column(
            "Phone",
            lambda r: text_or_dash(r.coordinator_phone),
            sample="(217) 555-0100",
            elide=False,
        ),
    ),
    load=_listing(directory.list_schools),
    row_id=lambda r: r.id,
    edit=edit_school,
    search_text=lambda r: f"{r.name} {r.district} {r.coordinator_name}",
    shows={"school", "calendar"},
    archived=lambda r: r.archived,
    archiving=directory_archiving("school"),
    export_entity="schools",
    empty_text="No schools yet. Add each partner school (save its district's calendar first).",
)


class SchoolsView(RecordsView):
    """The schools list, plus printing the packets of the selected school's interns
    (``dialogs/print_packets.py``: one combined PDF or one file per intern)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(SCHOOLS, ops, parent, compact=compact)
        self.print_button = button("Print packets…", "secondary", self.print_packets)
        self.print_button.setObjectName("printPackets")
        shown(self.print_button, ops.actor.can(Permission.PRINT_PACKETS) and not compact)
        self.button_row.insertWidget(3, self.print_button)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        super()._update_buttons()
        if hasattr(self, "print_button"):
            self.print_button.setEnabled(self.selected_id() is not None)

    def print_packets(self) -> bool:
        """The print dialog for the selected school; False when none is selected."""
        from internhost.gui.dialogs.print_packets import print_packets
        from internhost.gui.printing import BatchRequest

        row = self.selected_row()
        if row is None:
            return False
        request = BatchRequest(folder=Path(), school_id=row.id)
        print_packets(self, self.ops, request, about=row.name)
        return True


# -- calendars ---------------------------------------------------------------


def edit_calendar(
    parent: QWidget, ops: Ops, calendar_id: int | None, saved: Saved, *, initial: Any = None
) -> None:
    """A district calendar's dialog: a stored one read first, a new one blank (or
    ``initial``: a copy of another)."""
    if initial is not None or calendar_id is None:
        _calendar_dialog(
            parent, ops, calendar_id, saved, initial or forms.new_calendar_values(ops.today())
        )
        return
    ops.read(
        parent,
        directory.calendar_for_edit,
        calendar_id,
        done=lambda data: _calendar_dialog(
            parent, ops, calendar_id, saved, forms.calendar_values(data)
        ),
    )


def _calendar_dialog(
    parent: QWidget, ops: Ops, calendar_id: int | None, saved: Saved, initial: Any
) -> None:
    database = ops.database
    result = edit_with_form(
        parent,
        "New district calendar" if calendar_id is None else "Edit district calendar",
        FieldForm(forms.calendar_fields()),
        lambda v: forms.save_calendar(database, v, calendar_id),
        ops=ops,
        changes={"calendar"},
        initial=initial,
        intro=f"A district's school year. Federal hour limits for "
        f"{year_olds(calendar_ages())} follow the calendar of the public district where "
        "the intern lives.",
    )
    if result is not None:
        saved(result)


def _days_text(r: Any) -> str:
    parts = [
        f"{r.no_school_days} without school" if r.no_school_days else "",
        f"{r.early_dismissals} early" if r.early_dismissals else "",
        f"{r.late_starts} late start" if r.late_starts else "",
    ]
    return ", ".join(p for p in parts if p) or DASH


CALENDARS = RecordKind(
    key="calendars",
    title="Calendars",
    noun="calendar",
    columns=(
        Column("District", lambda r: r.district, sample="Springfield SD 186", long=True),
        Column("Year", lambda r: r.school_year, sample="2025-26"),
        Column("First day", lambda r: short_date(r.first_day), sample="Aug 20, 2025"),
        Column("Last day", lambda r: short_date(r.last_day), sample="Aug 20, 2025"),
        Column(
            "School day",
            lambda r: f"{r.day_start:%H:%M}–{r.day_end:%H:%M}",
            sample="08:00–15:00",
            elide=False,
        ),
        Column("Exceptions", _days_text, sample="12 without school, 3 early"),
    ),
    load=_listing(directory.list_calendars),
    row_id=lambda r: r.id,
    edit=lambda parent, ops, calendar_id, saved: edit_calendar(parent, ops, calendar_id, saved),
    search_text=lambda r: f"{r.district} {r.school_year}",
    shows={"calendar"},
    empty_text="No calendars yet. Add the school year of each district your interns live in.",
)


class CalendarsView(RecordsView):
    """The calendars list, plus copying one to another district or to the next year."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(CALENDARS, ops, parent, compact=compact)
        self.copy_button = button("Copy to district…", "secondary", self.copy_to_district)
        self.next_year_button = button("Copy to next year…", "secondary", self.copy_to_next_year)
        for widget in (self.next_year_button, self.copy_button):
            shown(widget, not self.new_button.isHidden())
            self.button_row.insertWidget(3, widget)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        super()._update_buttons()
        if hasattr(self, "copy_button"):
            chosen = self.selected_id() is not None
            self.copy_button.setEnabled(chosen)
            self.next_year_button.setEnabled(chosen)

    def _copy(self, *, district: str | None = None, years_later: int = 0) -> bool:
        """Read the selected calendar as a copy on the worker, then open it as a new
        calendar; False when none is selected."""
        calendar_id = self.selected_id()
        if calendar_id is None:
            return False
        self.ops.read(
            self,
            _copy_of,
            calendar_id,
            district,
            years_later,
            done=lambda data: edit_calendar(
                self, self.ops, None, self._created, initial=forms.calendar_values(data)
            ),
            failed=self.ops.expected(self, self._copy_refused),
        )
        return True

    def _copy_refused(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "Copy calendar", str(exc))

    def copy_to_district(self) -> bool:
        name, ok = QInputDialog.getText(self, "Copy calendar", "Copy this calendar to district:")
        return bool(ok and name.strip()) and self._copy(district=name.strip())

    def copy_to_next_year(self) -> bool:
        return self._copy(years_later=1)


def _copy_of(
    s: Any, _actor: Any, calendar_id: int, district: str | None, years_later: int
) -> setup.CalendarInput:
    return setup.calendar_input(s, calendar_id, district=district, years_later=years_later)
