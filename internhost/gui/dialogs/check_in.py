"""The two-minute check-in: pick the intern, tick topics, type a line, save.

Opened from anywhere (the main window's "Log check-in", Ctrl+Shift+K) it offers the
actor's own running placements, the one due first preselected; from the intern's
Check-ins tab it edits a stored check-in (its intern fixed). Everything is reachable
by keyboard in reading order, Enter saves and Esc on a half-typed check-in asks
before throwing it away (``BaseDialog``). A concern of a category the checklist pack
names for mandated reporting (wellbeing or possible abuse, LEGAL.md C17) shows the
pack's guidance and the school coordinator's contact beneath it, read from the core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QVBoxLayout, QWidget

from internhost.core.dto_check_ins import CheckInChoices, CheckInDue, CheckInRow, MandatedReporting
from internhost.core.services import cadences, check_ins
from internhost.core.services.check_ins import ActionInput, CheckInInput, ConcernInput
from internhost.gui.dialogs.record import RecordDialog, refusal
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import (
    Cell,
    Field,
    FieldForm,
    FieldWidget,
    TableInput,
    choice,
    day,
    text,
    whole,
)
from internhost.gui.widgets.search_picker import Matches, SearchPicker

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor
    from internhost.gui.ops import Ops

#: What a save announces.
CHANGES = frozenset({"check_in"})
NO_CONCERN = (None, "— no concern —")
TOPIC_COLUMNS = 3


class Checks(FieldWidget):
    """Choices as check boxes, in the given order: ``(value, text)`` pairs. A value
    set from outside that is not offered (a check-in's topic since retired or
    renamed) is still shown, ticked."""

    def __init__(self, options: Sequence[tuple[str, str]], columns: int = TOPIC_COLUMNS) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.columns = columns
        self.boxes: dict[str, QCheckBox] = {}
        for value, caption in options:
            self._add(value, caption)

    def _add(self, value: str, caption: str) -> QCheckBox:
        box = QCheckBox(caption)
        box.setObjectName(f"check_{len(self.boxes)}")
        box.toggled.connect(self.changed)
        n = len(self.boxes)
        self.grid.addWidget(box, n // self.columns, n % self.columns)
        self.boxes[value] = box
        return box

    def value(self) -> tuple[str, ...]:
        return tuple(v for v, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Any) -> None:
        ticked = set(value or ())
        for v in value or ():
            if v not in self.boxes:
                self._add(v, v)
        for v, box in self.boxes.items():
            box.setChecked(v in ticked)

    def editor(self) -> QWidget:
        return next(iter(self.boxes.values()), self)


def _target_text(t: CheckInDue, today: date) -> str:
    site = f" · {t.worksite}" if t.worksite else ""
    if t.due_on is None:
        when = "no check-in due"
    elif t.due_on < today:
        when = f"overdue since {t.due_on:%b %d}"
    elif t.due_on == today:
        when = "due today"
    else:
        when = f"due {t.due_on:%b %d}"
    return f"{t.intern_name}{site} · {when}"


def find_targets(s: Session, actor: Actor, search: str, today: date) -> Matches:
    """The picker's search (on the worker): the actor's running placements whose
    intern matches, the one due first first."""
    rows, total = cadences.check_in_targets(s, actor, today, search)
    return [(r.placement_id, _target_text(r, today)) for r in rows], total


def target_label(s: Session, actor: Actor, placement_id: int, today: date) -> str | None:
    row = cadences.check_in_target(s, actor, placement_id, today)
    return _target_text(row, today) if row else None


def _compact(table: TableInput) -> TableInput:
    table.table.setMaximumHeight(table.table.minimumHeight())
    return table


def check_in_fields(ops: Ops, choices: CheckInChoices, *, multiline: bool) -> list[Field]:
    """The form's fields; ``multiline`` notes for a stored check-in whose notes run
    over lines (the two-minute dialog types one line each, so Enter saves)."""
    today = ops.today()

    def picker() -> SearchPicker:
        return SearchPicker(
            ops,
            partial(find_targets, today=today),
            partial(target_label, today=today),
            placeholder="Type an intern's name",
            noun="intern",
        )

    notes = partial(text, multiline=multiline)
    return [
        Field("placement_id", "Intern", picker, aliases=("placement",)),
        Field("topics", "Topics", lambda: Checks([(t, t) for t in choices.topics])),
        notes("shared_notes", "Notes for the school", placeholder="One line the school may read"),
        notes(
            "internal_note",
            "Internal note",
            placeholder="Optional: seen only by you and HR",
        ),
        notes("reflection", "Intern's reflection", placeholder="Optional, in their words"),
        choice(
            "concern_category",
            "Concern",
            [NO_CONCERN, *choices.concern_categories],
            aliases=("concern", "concern.category"),
        ),
        text("concern_details", "What happened", aliases=("concern.details",)),
        day("held_on", "Date"),
        whole("minutes", "Minutes"),
        choice("mode", "Mode", list(choices.modes)),
        Field(
            "actions",
            "Action items",
            lambda: _compact(
                TableInput(
                    (
                        Cell("", "key"),
                        Cell("To do"),
                        Cell("Due", "date", width=120),
                        Cell("Done", "date", width=120),
                    ),
                    min_rows=2,
                )
            ),
        ),
    ]


def check_in_input(values: dict[str, Any]) -> CheckInInput:
    category = values["concern_category"]
    concern = ConcernInput(category, values["concern_details"]) if category else None
    return CheckInInput(
        placement_id=values["placement_id"],
        held_on=values["held_on"],
        minutes=values["minutes"],
        mode=values["mode"],
        topics=values["topics"],
        shared_notes=values["shared_notes"],
        internal_note=values["internal_note"],
        reflection=values["reflection"],
        concern=concern,
        actions=tuple(
            ActionInput(t or "", due, done, key) for key, t, due, done in values["actions"]
        ),
    )


def initial_values(
    stored: CheckInInput | None, choices: CheckInChoices, today: date
) -> dict[str, Any]:
    if stored is None:
        return {
            "held_on": today,
            "minutes": choices.default_minutes,
            "mode": choices.default_mode,
            "topics": (),
            "actions": (),
        }
    values = {k: getattr(stored, k) for k in CheckInInput.__dataclass_fields__}
    values["concern_category"] = stored.concern.category if stored.concern else None
    values["concern_details"] = stored.concern.details if stored.concern else ""
    values["actions"] = tuple((a.id, a.text, a.due_on, a.done_on) for a in stored.actions)
    del values["concern"]
    return values


class CheckInDialog(RecordDialog):
    """The form above Save, with the mandated-reporting guidance beneath a concern of
    a category that needs it."""

    def __init__(
        self,
        parent: QWidget | None,
        ops: Ops,
        choices: CheckInChoices,
        *,
        check_in_id: int | None = None,
        stored: CheckInInput | None = None,
    ) -> None:
        multiline = stored is not None and any(
            "\n" in v for v in (stored.shared_notes, stored.internal_note, stored.reflection)
        )
        self.form = FieldForm(check_in_fields(ops, choices, multiline=multiline))
        self.guidance = label(wrap=True)
        self.guidance.setObjectName("mandatedReporting")
        # Right beneath the concern's details, where the eye is when choosing one.
        details_row = list(self.form.inputs).index("concern_details")
        self.form.layout_.insertRow(details_row + 1, "", self.guidance)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        column.addStretch(1)
        today = ops.today()
        title = "Log check-in" if check_in_id is None else "Edit check-in"

        def save(data: CheckInInput) -> CheckInRow:
            return ops.database.write(check_ins.save_check_in, data, check_in_id, today=today)

        super().__init__(
            title,
            body,
            lambda: check_in_input(self.form.values()),
            save,
            self.form.show_errors,
            parent,
            ops=ops,
            changes=CHANGES,
            save_text="Save check-in",
        )
        self.setObjectName("checkInDialog")
        self.picker: SearchPicker = self.form.input("placement_id")  # type: ignore[assignment]
        self.form.set_values(initial_values(stored, choices, today))
        if stored is not None:
            self.picker.set_value(stored.placement_id)
            self.picker.set_read_only(True, "A check-in stays with its placement.")
        self._reporting: dict[int, MandatedReporting] = {}
        self.picker.changed.connect(self._follow_concern)
        self.form.input("concern_category").changed.connect(self._follow_concern)
        self._follow_concern()
        self.buttons.button(self.buttons.StandardButton.Save).setDefault(True)

    def preselect(self, target: CheckInDue) -> None:
        """Open on ``target`` (the placement due first), as if picked; not an edit."""
        self.picker.known[target.placement_id] = _target_text(target, self.ops.today())
        self.picker.set_value(target.placement_id)

    def _follow_concern(self) -> None:
        category = self.form.input("concern_category").value()
        self.form.set_row_visible("concern_details", bool(category))
        placement = self.picker.state()
        if not category or not isinstance(placement, int):
            self._guide(False)
            return
        known = self._reporting.get(placement)
        if known is not None:
            self._show_guidance(known)
            return
        self.ops.read(
            self,
            check_ins.mandated_reporting,
            placement,
            done=partial(self._got_guidance, placement),
            latest="guidance",
        )

    def _guide(self, visible: bool) -> None:
        self.form.layout_.setRowVisible(self.guidance, visible)

    def _got_guidance(self, placement: int, reporting: MandatedReporting) -> None:
        self._reporting[placement] = reporting
        self._show_guidance(reporting)

    def _show_guidance(self, r: MandatedReporting) -> None:
        category = self.form.input("concern_category").value()
        if category not in r.categories or self.picker.state() is None:
            self._guide(False)
            return
        contact = ", ".join(x for x in (r.coordinator_email, r.coordinator_phone) if x)
        coordinator = r.coordinator_name or "the school's work-based learning coordinator"
        self.guidance.setText(
            f"<b>{_escape(r.title)}</b><br>{_escape(r.text)}<br><br>"
            f"School coordinator ({_escape(r.school)}): {_escape(coordinator)}"
            f"{' — ' + _escape(contact) if contact else ''}<br>{_escape(r.hotline)}<br>"
            f"<span style='color:#666'>{_escape(r.citation)} [{_escape(r.verification)}]</span>"
        )
        self._guide(True)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


@dataclass(frozen=True)
class _Loaded:
    choices: CheckInChoices
    stored: CheckInInput | None
    first: CheckInDue | None


def _load(s: Session, actor: Actor, check_in_id: int | None, today: date) -> _Loaded:
    """What the dialog needs, read in one go on the database worker: the choices,
    the stored check-in, or else the placement due first."""
    choices = check_ins.check_in_choices(s, actor)
    if check_in_id is not None:
        return _Loaded(choices, check_ins.check_in_input(s, actor, check_in_id), None)
    rows, _total = cadences.check_in_targets(s, actor, today, limit=1)
    return _Loaded(choices, None, rows[0] if rows else None)


def open_check_in(
    parent: QWidget,
    ops: Ops,
    *,
    check_in_id: int | None = None,
    placement: CheckInDue | None = None,
    saved: Callable[[CheckInRow], None] | None = None,
) -> None:
    """Read what the dialog needs, then open it: a new check-in (on ``placement``, else
    the placement due first) or ``check_in_id`` to edit."""
    title = "Log check-in" if check_in_id is None else "Edit check-in"

    def opened(loaded: _Loaded) -> None:
        dialog = CheckInDialog(
            parent, ops, loaded.choices, check_in_id=check_in_id, stored=loaded.stored
        )
        first = placement or loaded.first
        if check_in_id is None and first is not None:
            dialog.preselect(first)
        result = dialog.run()
        if result is not None and saved is not None:
            saved(result)

    ops.read(
        parent, _load, check_in_id, ops.today(), done=opened, failed=refusal(parent, ops, title)
    )
