"""Forms from field specs: one widget per service field, its error shown beside it.

A form is a list of ``Field`` specs named after the service's input dataclass
attributes. ``FieldForm.values()`` turns the widgets into typed values (a date
that does not parse is an error of that field, like any other), and
``show_errors`` puts each ``FieldError`` a service raised under the field it
names (``areas[2].name`` goes to ``areas``). Errors naming no field of the form
are returned, for the dialog's banner. The form decides nothing about legality:
it converts text and shows what the service says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from internhost.core.errors import FieldError, ValidationError
from internhost.core.importers.values import parse_cents, parse_date, parse_whole
from internhost.gui.ops import Ops, kinds, touches
from internhost.gui.theme import PILL_TONES
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.cells import CellDelegate

#: The narrowest the stretching column of a ``TableInput`` gets before it scrolls.
STRETCH_MIN_WIDTH = 120
_INDEXED = re.compile(r"^([A-Za-z_]\w*)")
_ROW = re.compile(r"^\w+\[(\d+)\](?:\.(\w+))?$")


class FieldWidget(QWidget):
    """A field's editor: ``value()`` raises ``ValueError`` with the message to show."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As tall as the editor, never stretched: a form's rows stay together.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def state(self) -> Any:
        """What the user has entered, comparable and never raising (text as typed,
        even when it does not parse): how a dialog tells it holds unsaved edits."""
        return self.value()

    def editor(self) -> QWidget:
        """The widget that takes focus and shows the invalid border."""
        return self


class TextInput(FieldWidget):
    def __init__(self, *, multiline: bool = False, placeholder: str = "") -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._edit: QLineEdit | QPlainTextEdit
        if multiline:
            self._edit = QPlainTextEdit()
            self._edit.setTabChangesFocus(True)
            self._edit.setFixedHeight(self._edit.fontMetrics().height() * 3 + 16)
        else:
            self._edit = QLineEdit()
        self._edit.setPlaceholderText(placeholder)
        self._edit.textChanged.connect(self.changed)
        layout.addWidget(self._edit)

    def value(self) -> str:
        edit = self._edit
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def state(self) -> str:
        return TextInput.value(self).strip()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if isinstance(self._edit, QPlainTextEdit):
            self._edit.setPlainText(text)
        else:
            self._edit.setText(text)

    def editor(self) -> QWidget:
        return self._edit


class ParsedInput(TextInput):
    """A one-line field whose text parses to a value (empty means None)."""

    def __init__(
        self, parse: Callable[[str], Any], show: Callable[[Any], str], placeholder: str = ""
    ) -> None:
        super().__init__(placeholder=placeholder)
        self._parse, self._show = parse, show

    def value(self) -> Any:
        text = super().value().strip()
        return self._parse(text) if text else None

    def set_value(self, value: Any) -> None:
        super().set_value("" if value is None else self._show(value))


class DateInput(ParsedInput):
    """A date typed as YYYY-MM-DD or M/D/YYYY, or picked from a calendar."""

    def __init__(self) -> None:
        super().__init__(parse_date, date.isoformat, "YYYY-MM-DD")
        self._edit.setMaximumWidth(150)
        pick = QToolButton()
        pick.setText("▾")
        pick.setToolTip("Pick a date")
        pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(pick)
        self._calendar = QCalendarWidget()
        self._calendar.clicked.connect(lambda d: (self.set_value(d.toPython()), menu.close()))
        action = QWidgetAction(menu)
        action.setDefaultWidget(self._calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._show_current)
        pick.setMenu(menu)
        layout = self.layout()
        layout.addWidget(pick)
        layout.addStretch(1)

    def _show_current(self) -> None:
        try:
            current = self.value()
        except ValueError:
            current = None
        if current is not None:
            self._calendar.setSelectedDate(QDate(current))


class TimeInput(FieldWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._edit = QTimeEdit()
        self._edit.setDisplayFormat("h:mm AP")
        self._edit.timeChanged.connect(self.changed)
        layout.addWidget(self._edit)
        layout.addStretch(1)

    def value(self) -> time:
        return self._edit.time().toPython()

    def set_value(self, value: Any) -> None:
        self._edit.setTime(QTime(value.hour, value.minute) if value else QTime(8, 0))

    def editor(self) -> QWidget:
        return self._edit


class BoolInput(FieldWidget):
    def __init__(self, text: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._box = QCheckBox(text)
        self._box.toggled.connect(self.changed)
        layout.addWidget(self._box)

    def value(self) -> bool:
        return self._box.isChecked()

    def set_value(self, value: Any) -> None:
        self._box.setChecked(bool(value))

    def editor(self) -> QWidget:
        return self._box


class ChoiceInput(FieldWidget):
    """A combo over (value, text) pairs; ``value()`` is the selected value."""

    def __init__(self, options: Sequence[tuple[Any, str]] = ()) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._combo = QComboBox()
        self._combo.currentIndexChanged.connect(self.changed)
        layout.addWidget(self._combo, 1)
        self.set_options(options)

    def set_options(self, options: Sequence[tuple[Any, str]]) -> None:
        current = self.value() if self._combo.count() else None
        self._combo.blockSignals(True)
        self._combo.clear()
        for value, text in options:
            self._combo.addItem(text, value)
        self._combo.blockSignals(False)
        self.set_value(current)

    def value(self) -> Any:
        return self._combo.currentData()

    def set_value(self, value: Any) -> None:
        """Select ``value``; None (no value yet) selects the first option, and a value
        not offered selects nothing, so it can never be saved as another one."""
        index = self._combo.findData(value)
        if index < 0 and value is None and self._combo.count():
            index = 0
        self._combo.setCurrentIndex(index)

    def editor(self) -> QWidget:
        return self._combo


class RecordPicker(ChoiceInput):
    """A choice over records: ``options(records)`` gives its (value, text) pairs, after
    the fixed ``head`` ones ("— none —"). The records come read already, with the rest
    of what the dialog needs, so it opens complete; they are read again on the
    database worker (``load``, a read service) whenever a write announces a kind it
    ``shows``, so a record added or archived elsewhere meanwhile appears or goes.

    With ``add``, an "Add…" button (``add_text``) beside it calls ``add(picker,
    saved)``, which opens what adds a record and calls ``saved()`` once it is saved:
    the one choice that was not there before is then selected (at once, or when the
    records read again). A subclass may override ``options`` and ``add`` instead of
    passing them (never a bound method of its own: a cycle through a widget would be
    collected on whichever thread the collector runs, the database worker's too)."""

    def __init__(
        self,
        ops: Ops,
        load: Callable[..., Any],
        shows: Iterable[str],
        records: Any,
        *,
        options: Callable[[Any], Sequence[tuple[Any, str]]] | None = None,
        head: Sequence[tuple[Any, str]] = (),
        add: Callable[[RecordPicker, Callable[[], None]], None] | None = None,
        add_text: str = "",
    ) -> None:
        super().__init__()
        self.ops, self._load, self.head = ops, load, tuple(head)
        self._options, self._add = options, add
        self.shows = kinds(shows)
        self.records = records
        #: The choices there were before an "Add…": the new one is selected once read.
        self._before: set[Any] | None = None
        self.add_button: QPushButton | None = None
        if add_text:
            self.add_button = QPushButton(add_text)
            self.add_button.setObjectName("addRecord")
            self.add_button.setAutoDefault(False)  # Enter in the dialog never adds one
            self.add_button.clicked.connect(self._add_clicked)
            self.layout().addWidget(self.add_button)
        self.refill()
        ops.changed.connect(self._records_changed)

    def options(self, records: Any) -> Sequence[tuple[Any, str]]:
        """The (value, text) pairs ``records`` offer."""
        return records if self._options is None else self._options(records)

    def add(self, saved: Callable[[], None]) -> None:
        """Open what adds a record; ``saved()`` once it is saved."""
        if self._add is not None:
            self._add(self, saved)

    def choices(self) -> list[tuple[Any, str]]:
        return [
            (self._combo.itemData(i), self._combo.itemText(i)) for i in range(self._combo.count())
        ]

    def refill(self) -> None:
        """Offer the choices the records give now (the current one stays chosen)."""
        self.set_options([*self.head, *self.options(self.records)])
        if self._before is not None:
            self._choose_new(self._before)

    def set_records(self, records: Any) -> None:
        self.records = records
        self.refill()

    def _records_changed(self, changes: frozenset[str]) -> None:
        if touches(changes, self.shows):
            self.ops.read(self, self._load, done=self.set_records, latest="choices")

    def _add_clicked(self) -> None:
        before = {value for value, _text in self.choices()}
        self.add(lambda: self._choose_new(before))

    def _choose_new(self, before: set[Any]) -> None:
        new = [value for value, _text in self.choices() if value not in before]
        if len(new) == 1:
            self._before = None
            self.set_value(new[0])
        else:
            self._before = before  # not read yet: chosen when it is


@dataclass(frozen=True)
class Field:
    """One input of a form: ``name`` is the service's attribute (and error field)."""

    name: str
    label: str
    make: Callable[[], FieldWidget]
    #: Error field names (besides ``name``) the service uses for this input.
    aliases: tuple[str, ...] = ()
    help: str = ""


def text(name: str, caption: str, *, multiline: bool = False, **kw: Any) -> Field:
    placeholder = kw.pop("placeholder", "")
    return Field(
        name, caption, lambda: TextInput(multiline=multiline, placeholder=placeholder), **kw
    )


def day(name: str, caption: str, **kw: Any) -> Field:
    return Field(name, caption, DateInput, **kw)


def clock(name: str, caption: str, **kw: Any) -> Field:
    return Field(name, caption, TimeInput, **kw)


def check(name: str, caption: str, box_text: str, **kw: Any) -> Field:
    return Field(name, caption, lambda: BoolInput(box_text), **kw)


def choice(name: str, caption: str, options: Sequence[tuple[Any, str]] = (), **kw: Any) -> Field:
    return Field(name, caption, lambda: ChoiceInput(options), **kw)


def whole(name: str, caption: str, **kw: Any) -> Field:
    return Field(name, caption, lambda: ParsedInput(parse_whole, str), **kw)


def money(name: str, caption: str, **kw: Any) -> Field:
    """Dollars on screen, integer cents in the value."""
    return Field(
        name, caption, lambda: ParsedInput(parse_cents, lambda c: f"{c / 100:.2f}", "0.00"), **kw
    )


class FieldForm(QWidget):
    """Widgets for ``fields`` in a form layout, each with its error line beneath."""

    changed = Signal()

    def __init__(self, specs: Sequence[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = {spec.name: spec for spec in specs}
        self.inputs: dict[str, FieldWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._owner: dict[str, str] = {}
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setHorizontalSpacing(14)
        self.layout_.setVerticalSpacing(8)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in specs:
            self._add(spec)

    def _add(self, spec: Field) -> None:
        widget = spec.make()
        widget.changed.connect(self.changed)
        # an error is about what the field held: once it changes, the error is stale
        widget.changed.connect(lambda name=spec.name: self.clear_error(name))
        widget.setObjectName(f"field_{spec.name}")
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if spec.help:
            column.addWidget(label(spec.help, "muted", wrap=True))
        error = label(role="error", wrap=True)
        error.hide()
        column.addWidget(error)
        caption = QLabel(spec.label)
        caption.setBuddy(widget.editor())
        caption.setContentsMargins(0, 5, 0, 0)
        self.layout_.addRow(caption, cell)
        self.inputs[spec.name] = widget
        self._errors[spec.name] = error
        for alias in (spec.name, *spec.aliases):
            self._owner[alias] = spec.name

    def input(self, name: str) -> FieldWidget:
        return self.inputs[name]

    def set_row_visible(self, name: str, visible: bool) -> None:
        self.layout_.setRowVisible(self.inputs[name].parentWidget(), visible)

    def values(self) -> dict[str, Any]:
        """Every field's value; raises ``ValidationError`` for text that does not parse."""
        out: dict[str, Any] = {}
        problems: list[FieldError] = []
        for name, widget in self.inputs.items():
            try:
                out[name] = widget.value()
            except ValueError as exc:
                problems.append(FieldError(name, str(exc)))
        if problems:
            raise ValidationError(problems)
        return out

    def set_values(self, values: Mapping[str, Any] | Any) -> None:
        """Fill from a mapping or an input dataclass; fields it lacks are left alone."""
        if is_dataclass(values):
            values = {f.name: getattr(values, f.name) for f in fields(values)}
        for name, value in values.items():
            if name in self.inputs:
                self.inputs[name].set_value(value)
        self.clear_errors()

    def state(self) -> dict[str, Any]:
        """Every field as the user left it (see ``FieldWidget.state``)."""
        return {name: widget.state() for name, widget in self.inputs.items()}

    def clear_errors(self) -> None:
        for name in self._errors:
            self.clear_error(name)

    def clear_error(self, name: str) -> None:
        error = self._errors[name]
        if error.isHidden() and not error.text():
            return
        error.hide()
        error.clear()
        widget = self.inputs[name]
        _mark(widget.editor(), False)
        if isinstance(widget, TableInput):
            widget.mark_rows(set())

    def owner_of(self, field_name: str) -> str | None:
        """The input that shows errors for a service field name (``areas[0].name``)."""
        if field_name in self._owner:
            return self._owner[field_name]
        found = _INDEXED.match(field_name)
        return self._owner.get(found.group(1)) if found else None

    def show_errors(self, errors: Iterable[FieldError]) -> list[FieldError]:
        """Show each error beside its field; returns those naming no field here."""
        self.clear_errors()
        messages: dict[str, list[str]] = {}
        rows: dict[str, set[int]] = {}
        elsewhere: list[FieldError] = []
        for err in errors:
            owner = self.owner_of(err.field)
            if owner is None:
                elsewhere.append(err)
                continue
            widget = self.inputs[owner]
            # a service counts the rows value() gave it; a table may have skipped blank ones
            to_row = widget.table_row if isinstance(widget, TableInput) else _same
            messages.setdefault(owner, []).append(
                _where(err.field, self._owner, to_row) + err.message
            )
            if (found := _ROW.match(err.field)) is not None:
                rows.setdefault(owner, set()).add(to_row(int(found.group(1))))
        for name, marked in rows.items():
            widget = self.inputs[name]
            if isinstance(widget, TableInput):
                widget.mark_rows(marked)
        for name, texts in messages.items():
            self._errors[name].setText("\n".join(_capital(t) for t in texts))
            self._errors[name].show()
            _mark(self.inputs[name].editor(), True)
        first = next((n for n in self.inputs if n in messages), None)
        if first is not None:
            self.inputs[first].editor().setFocus()
        return elsewhere

    def error_text(self, name: str) -> str:
        return "" if self._errors[name].isHidden() else self._errors[name].text()


def _where(field_name: str, own: Mapping[str, str], to_row: Callable[[int], int]) -> str:
    """``areas[2].name`` -> "Row 3, name: " (``to_row``: the table row the user sees for
    the service's index); a field's own name needs no prefix."""
    if field_name in own:
        return ""
    found = _ROW.match(field_name)
    if found is None:
        return f"{field_name}: "
    row, part = to_row(int(found.group(1))) + 1, found.group(2)
    return f"Row {row}, {part.replace('_', ' ')}: " if part else f"Row {row}: "


def _same(index: int) -> int:
    return index


def human(error: FieldError) -> str:
    """An error for a banner, its field in words: "Body is required",
    "Employer: save the company first"."""
    message = error.message
    if not error.field:
        return _capital(message)
    name = _capital(error.field.replace("_", " "))
    joined = message.startswith(("is ", "must ", "may ", "are "))
    return f"{name} {message}" if joined else f"{name}: {message}"


def _capital(message: str) -> str:
    return message[:1].upper() + message[1:]


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


@dataclass(frozen=True)
class Cell:
    """A column of a ``TableInput``: text, a choice of (value, text), a date, a time,
    a check box, a number of days from a start (``days``, within ``span``), or a hidden
    ``key`` (the record a row edits, None for a new row)."""

    header: str
    kind: str = "text"  # text | choice | date | time | bool | days | key
    options: tuple[tuple[Any, str], ...] = ()
    width: int = 0
    span: tuple[int, int] = (-999, 999)


def days_from_start(days: int) -> str:
    """-3 -> "3 days before start", 0 -> "on the start day", 5 -> "5 days after start"."""
    if days == 0:
        return "on the start day"
    count = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    return f"{count} {'before' if days < 0 else 'after'} start"


_DAYS = re.compile(r"^([+-]?)\s*(\d{1,4})\s*(?:days?)?\s*(before|after)?\b", re.I)


def parse_days_from_start(text_: str) -> int:
    """What ``days_from_start`` writes, or "-3", "+5", "3 before", "start"."""
    cleaned = text_.strip().lower()
    if not cleaned or "start day" in cleaned or cleaned in ("start", "0", "day one"):
        return 0
    found = _DAYS.match(cleaned)
    if found is None:
        raise ValueError(f"{text_} is not a number of days (write 3 days before start)")
    sign, number, side = found.groups()
    days = int(number)
    return -days if sign == "-" or side == "before" else days


class DaysBox(QSpinBox):
    """A number of days from a start, shown (and typed) as "3 days before start"."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Scrolling a table past the box does not change it; once clicked, it does."""
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def textFromValue(self, value: int) -> str:
        return days_from_start(value)

    def valueFromText(self, text_: str) -> int:
        try:
            return parse_days_from_start(text_)
        except ValueError:
            return self.value()

    def validate(self, text_: str, pos: int) -> object:
        try:
            days = parse_days_from_start(text_)
        except ValueError:
            return QValidator.State.Intermediate, text_, pos
        inside = self.minimum() <= days <= self.maximum()
        return (
            (QValidator.State.Acceptable if inside else QValidator.State.Intermediate),
            text_,
            pos,
        )


class EditingTable(QTableWidget):
    """A table where Enter edits the current cell (or commits the open editor) and
    goes no further: in a dialog, an Enter the table let through would press the
    default button ("Add area" once it had been clicked)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        current = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and current.isValid() and current.flags() & Qt.ItemFlag.ItemIsEditable:
            self.edit(current)
        event.accept()


class TableInput(FieldWidget):
    """Rows of small values (areas, contacts, calendar days) with Add and Remove, and
    Move up / Move down where the order matters (``movable``).

    ``value()`` is a tuple of row tuples in column order; a date or time cell that
    does not parse is an error naming its row (``field[2]``, as services name them).
    ``new_row`` gives the values of a row Add makes from those of the selected row
    (None when none is); a movable table adds it below the selected row.
    """

    def __init__(
        self,
        cells: Sequence[Cell],
        *,
        add_text: str = "Add",
        min_rows: int = 3,
        movable: bool = False,
        new_row: Callable[[tuple[Any, ...] | None], Sequence[Any]] | None = None,
    ) -> None:
        super().__init__()
        self.movable, self.new_row = movable, new_row
        self._value_rows: tuple[int, ...] = ()  # table row of each row value() gave
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.cells = tuple(cells)
        self.table = EditingTable(0, len(self.cells))
        self.table.setItemDelegate(CellDelegate(self.table))  # an elided cell's tooltip
        self.table.setHorizontalHeaderLabels([c.header for c in self.cells])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # The column policy of the read-only tables (``widgets.tables``), for cells
        # that hold editors: a cell with a width keeps it, the first without one
        # takes the rest (a step's title, an email), else the last does.
        shown = [i for i, c in enumerate(self.cells) if c.kind != "key"]
        free = [i for i in shown if not self.cells[i].width]
        stretch = free[0] if free else shown[-1]
        header.setStretchLastSection(False)
        for index, cell in enumerate(self.cells):
            if cell.width:
                self.table.setColumnWidth(index, cell.width)
            if cell.kind == "key":
                self.table.setColumnHidden(index, True)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        row_height = self.table.fontMetrics().height() + 16
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setMinimumHeight(header.sizeHint().height() + row_height * min_rows + 4)
        fixed = sum(self.cells[i].width for i in shown if i != stretch)
        self.table.setMinimumWidth(fixed + STRETCH_MIN_WIDTH + 24)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        add = QPushButton(add_text)
        add.setObjectName("addRow")
        add.setAutoDefault(False)  # Enter in a field of the dialog never adds a row
        add.clicked.connect(self._add_clicked)
        remove = QPushButton("Remove")
        remove.setObjectName("removeRow")
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        if movable:
            for name, text_, step in (("moveUp", "Move up", -1), ("moveDown", "Move down", 1)):
                move = QPushButton(text_)
                move.setObjectName(name)
                move.setAutoDefault(False)
                move.clicked.connect(lambda _checked=False, step=step: self.move_selected(step))
                buttons.addWidget(move)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def editor(self) -> QWidget:
        return self.table

    def add_row(self, values: Sequence[Any] | None = None, *, at: int | None = None) -> int:
        """Add a row (at the end, or at row ``at``) holding ``values``; its index."""
        row = self.table.rowCount() if at is None else at
        self.table.insertRow(row)
        self._fill(row, values)
        self.changed.emit()
        return row

    def _fill(self, row: int, values: Sequence[Any] | None) -> None:
        self.table.blockSignals(True)
        for column, cell in enumerate(self.cells):
            value = values[column] if values is not None and column < len(values) else None
            if cell.kind == "choice":
                combo = QComboBox()
                for option, caption in cell.options:
                    combo.addItem(caption, option)
                found = combo.findData(value)
                combo.setCurrentIndex(max(found, 0))
                combo.currentIndexChanged.connect(self.changed)
                self.table.setCellWidget(row, column, combo)
            elif cell.kind == "days":
                box = DaysBox()
                box.setRange(*cell.span)
                box.setValue(value or 0)
                box.valueChanged.connect(self.changed)
                self.table.setCellWidget(row, column, box)
            elif cell.kind == "bool":
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                self.table.setItem(row, column, item)
            elif cell.kind == "key":
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, value)
                self.table.setItem(row, column, item)
            else:
                self.table.setItem(row, column, QTableWidgetItem(_cell_text(cell, value)))
        self.table.blockSignals(False)

    def current_row(self) -> int | None:
        """The selected row, or the row whose combo or spin box has the focus."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        focus = QApplication.focusWidget()
        for row in range(self.table.rowCount()):
            for column in range(len(self.cells)):
                widget = self.table.cellWidget(row, column)
                if widget is not None and (widget is focus or widget.isAncestorOf(focus)):
                    return row
        return None

    def _add_clicked(self) -> None:
        row = self.current_row()
        above = self._raw(row) if row is not None else None
        values = self.new_row(above) if self.new_row is not None else None
        at = row + 1 if self.movable and row is not None else None
        self.table.selectRow(self.add_row(values, at=at))

    def remove_selected(self) -> None:
        row = self.current_row()
        if row is not None:
            self.table.removeRow(row)
            self.changed.emit()

    def move_selected(self, step: int) -> None:
        """Swap the selected row with the one ``step`` rows away (-1 up, 1 down)."""
        row = self.current_row()
        if row is None or not 0 <= row + step < self.table.rowCount():
            return
        here, there = self._raw(row), self._raw(row + step)
        self._fill(row, there)
        self._fill(row + step, here)
        self.table.selectRow(row + step)
        self.changed.emit()

    def _raw(self, row: int) -> tuple[Any, ...]:
        """A row's values as they stand (a date or time cell's text as typed)."""
        out: list[Any] = []
        for column, cell in enumerate(self.cells):
            if cell.kind in ("choice", "days", "bool", "key"):
                out.append(self._cell(row, column))
            else:
                item = self.table.item(row, column)
                out.append(item.text() if item is not None else "")
        return tuple(out)

    def mark_rows(self, rows: set[int]) -> None:
        """Tint the rows an error names (``field[2]`` is the third); others plain."""
        tint = QBrush(QColor(PILL_TONES["danger"][0]))
        self.table.blockSignals(True)  # a tint is not an edit
        for row in range(self.table.rowCount()):
            for column, cell in enumerate(self.cells):
                item = self.table.item(row, column)
                if item is not None and cell.kind != "key":
                    item.setBackground(tint if row in rows else QBrush())
        self.table.blockSignals(False)
        self.table.viewport().update()
        if rows:
            self.table.scrollTo(self.table.model().index(min(rows), 0))

    def drop_blank_rows(self) -> None:
        """Remove the rows ``value()`` would skip, so the rows left on screen are the
        rows the service gets."""
        for row in reversed(range(self.table.rowCount())):
            if self._blank(self._raw(row)):
                self.table.removeRow(row)

    def value(self) -> tuple[tuple[Any, ...], ...]:
        """The rows not left blank; which table row each came from is kept for
        ``table_row``, so an error naming ``field[1]`` lands on the row it was."""
        out, shown = [], []
        for row in range(self.table.rowCount()):
            values = tuple(self._cell(row, c) for c in range(len(self.cells)))
            if not self._blank(values):
                out.append(values)
                shown.append(row)
        self._value_rows = tuple(shown)
        return tuple(out)

    def table_row(self, index: int) -> int:
        """The table row of the ``index``-th row of the last ``value()`` (blank rows it
        skipped are not counted in a service's ``field[index]``, but are on screen)."""
        if 0 <= index < len(self._value_rows):
            return self._value_rows[index]
        return index

    def _blank(self, values: Sequence[Any]) -> bool:
        """A row left blank: nothing typed (choices and day counts always hold a value)
        and no record behind it."""
        typed = [
            v for v, c in zip(values, self.cells, strict=True) if c.kind not in ("choice", "days")
        ]
        return all(v in (None, "", False) for v in typed)

    def _cell(self, row: int, column: int) -> Any:
        cell = self.cells[column]
        if cell.kind == "choice":
            return self.table.cellWidget(row, column).currentData()
        if cell.kind == "days":
            box = self.table.cellWidget(row, column)
            box.interpretText()  # text typed but not yet committed
            return box.value()
        item = self.table.item(row, column)
        if cell.kind == "key":
            return item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if cell.kind == "bool":
            return item is not None and item.checkState() == Qt.CheckState.Checked
        text_ = item.text().strip() if item is not None else ""
        if not text_ or cell.kind == "text":
            return text_ or ("" if cell.kind == "text" else None)
        try:
            return parse_date(text_) if cell.kind == "date" else _parse_time(text_)
        except ValueError as exc:
            raise ValueError(f"row {row + 1}, {cell.header.lower()}: {exc}") from None

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for row in value or ():
            self.add_row(row)

    def state(self) -> tuple[tuple[Any, ...], ...]:
        """The rows not left blank, as typed."""
        rows = (self._raw(row) for row in range(self.table.rowCount()))
        return tuple(
            tuple(v.strip() if isinstance(v, str) else v for v in row)
            for row in rows
            if not self._blank(row)
        )


_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.I)


def _parse_time(text_: str) -> time:
    """``14:30``, ``2:30 pm``, ``2pm``."""
    found = _CLOCK.match(text_.strip())
    if found is None:
        raise ValueError(f"{text_} is not a time (write 14:30 or 2:30 PM)")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    half = (found.group(3) or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text_} is not a time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{text_} is not a time")
    return time(hour, minute)


def _cell_text(cell: Cell, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # text, or a date or time as typed
        return value
    if cell.kind == "date":
        return value.isoformat()
    if cell.kind == "time":  # as the time fields show it: 12:30 PM
        return f"{value.hour % 12 or 12}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"
    return str(value)


def table(name: str, caption: str, cells: Sequence[Cell], **kw: Any) -> Field:
    options = {k: kw.pop(k) for k in ("add_text", "min_rows", "movable", "new_row") if k in kw}
    return Field(name, caption, lambda: TableInput(cells, **options), **kw)
