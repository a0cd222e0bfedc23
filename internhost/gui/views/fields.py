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
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from internhost.core.errors import FieldError, ValidationError
from internhost.core.importers.values import parse_cents, parse_date, parse_whole
from internhost.gui.views.widgets import label

_INDEXED = re.compile(r"^([A-Za-z_]\w*)")


class FieldWidget(QWidget):
    """A field's editor: ``value()`` raises ``ValueError`` with the message to show."""

    changed = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

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
        index = self._combo.findData(value)
        self._combo.setCurrentIndex(max(index, 0) if self._combo.count() else -1)

    def editor(self) -> QWidget:
        return self._combo


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

    def clear_errors(self) -> None:
        for name, error in self._errors.items():
            error.hide()
            error.clear()
            _mark(self.inputs[name].editor(), False)

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
        elsewhere: list[FieldError] = []
        for err in errors:
            owner = self.owner_of(err.field)
            if owner is None:
                elsewhere.append(err)
                continue
            prefix = f"{err.field}: " if err.field not in self._owner else ""
            messages.setdefault(owner, []).append(prefix + err.message)
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


def _capital(message: str) -> str:
    return message[:1].upper() + message[1:]


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
