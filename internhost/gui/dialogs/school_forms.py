"""Schools' own forms (opened from Set-up): HR registers a school's fillable PDF, picks
an InternHost value for each of its fields (with the value previewed for an intern of
that school) and fills it for one intern or every intern of the school.

Everything reads and writes on the database worker (``ops``): the chosen PDF is read
there too, and a school's batch runs as a task with steps and Cancel. A role that may
not edit sees the mapping without changing it; one that may not print cannot fill.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission
from internhost.core.dto import SchoolRow
from internhost.core.fileio.attachments import MAX_ATTACHMENT_BYTES
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.reports import school_forms as writer
from internhost.core.reports.school_form_values import CATALOGUE
from internhost.core.services import directory, school_forms
from internhost.gui.database import Database
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, label, shown

CHANGES = {"school"}
NOT_FILLED = "(left empty)"
WITHHELD = "(not yours to see: left empty)"
FIELD, KIND, VALUE, PREVIEW = range(4)


def register_file(
    s: Session, actor: Actor, school_id: int, path: str, flatten: bool
) -> school_forms.SchoolFormDetail:
    """Read the chosen PDF (on the worker, never the GUI thread) and register it."""
    file = Path(path)
    # Too big a file is not read whole: a stand-in of its size is refused naming content.
    too_big = file.stat().st_size > MAX_ATTACHMENT_BYTES
    content = b"x" * (MAX_ATTACHMENT_BYTES + 1) if too_big else file.read_bytes()
    data = school_forms.SchoolFormInput(school_id, file.stem, file.name, content, flatten)
    return school_forms.register_form(s, actor, data)


def fill_one(
    database: Database, form_id: int, intern_id: int, target: str, flatten: bool, today: date
) -> Path:
    """One intern's form to ``target`` (on the worker)."""
    filled = database.read(school_forms.fill_form, form_id, intern_id, today, flatten)
    return writer.write_filled(filled, target, database.path)


def fill_all(
    database: Database,
    form_id: int,
    folder: str,
    flatten: bool,
    today: date,
    progress: Progress = NO_PROGRESS,
) -> writer.FillReport:
    """Every intern of the form's school, a file each in ``folder`` (a task with steps)."""
    return writer.fill_to_folder(
        database.factory,
        database.actor,
        form_id,
        folder,
        database.path,
        today,
        flatten=flatten,
        progress=progress,
    )


class SchoolFormsDialog(BaseDialog):
    """A school's forms, one at a time: its fields, their values and a preview."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("schoolFormsDialog")
        self.setWindowTitle("School forms")
        self.resize(980, 620)
        self.may_edit = ops.actor.can(Permission.EDIT_RECORDS)
        self.may_fill = ops.actor.can(Permission.PRINT_PACKETS)
        self.detail: school_forms.SchoolFormDetail | None = None
        self.preview: dict[str, str | None] = {}
        self.school, self.form, self.intern = QComboBox(), QComboBox(), QComboBox()
        self.flatten = QCheckBox("Fill flattened (no fields left to edit)")
        self.flatten.setEnabled(self.may_edit)
        self.table = QTableWidget(0, 4)
        named: tuple[tuple[QWidget, str], ...] = (
            (self.school, "school"),
            (self.form, "form"),
            (self.intern, "previewIntern"),
            (self.flatten, "flatten"),
            (self.table, "fields"),
        )
        for widget, name in named:
            widget.setObjectName(name)
        self.table.setHorizontalHeaderLabels(["Field", "Kind", "InternHost value", "Preview"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(VALUE, 320)
        self.message = label(role="muted", wrap=True)
        self.message.setObjectName("schoolFormsMessage")
        self.register_button = button("Register a PDF…", "secondary", self.register)
        self.delete_button = button("Delete form", "secondary", self.delete)
        self.save_button = button("Save mapping", "primary", self.save)
        self.fill_button = button("Fill for this intern…", "secondary", self.fill_intern)
        self.fill_all_button = button("Fill for every intern…", "secondary", self.fill_school)
        for pressed in (self.register_button, self.delete_button, self.save_button):
            shown(pressed, self.may_edit)
        for pressed in (self.fill_button, self.fill_all_button):
            shown(pressed, self.may_fill)
        top = QHBoxLayout()
        top.addWidget(label("School"))
        top.addWidget(self.school, 1)
        top.addWidget(label("Form"))
        top.addWidget(self.form, 1)
        top.addWidget(self.register_button)
        top.addWidget(self.delete_button)
        preview = QHBoxLayout()
        preview.addWidget(label("Preview for"))
        preview.addWidget(self.intern, 1)
        preview.addWidget(self.flatten)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fill_button)
        buttons.addWidget(self.fill_all_button)
        buttons.addStretch(1)
        buttons.addWidget(button("Close", "secondary", self.reject))
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "A school's own fillable PDF: pick the InternHost value each field gets. "
                "Names are drawn in the app's fonts, so every name prints. XFA forms "
                "cannot be filled: ask the school for a plain fillable PDF.",
                "muted",
                wrap=True,
            )
        )
        layout.addLayout(top)
        layout.addLayout(preview)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.school.currentIndexChanged.connect(lambda _i: self.load_forms())
        self.form.currentIndexChanged.connect(lambda _i: self.load_form())
        self.intern.currentIndexChanged.connect(lambda _i: self.load_preview())
        self._enable()
        self.ops.read(self, directory.list_schools, include_archived=False, done=self.show_schools)

    # -- what the user changed

    def state(self) -> Any:
        keys = tuple(self._key(row) for row in range(self.table.rowCount()))
        return (self.form.currentData(), keys, self.flatten.isChecked())

    def _key(self, row: int) -> str:
        combo = self.table.cellWidget(row, VALUE)
        return combo.currentData() or "" if isinstance(combo, QComboBox) else ""

    def mapping(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, FIELD)
            if item is not None and isinstance(self.table.cellWidget(row, VALUE), QComboBox):
                found[item.text()] = self._key(row) or None
        return found

    def _enable(self) -> None:
        has_form = self.form.currentData() is not None
        has_intern = self.intern.currentData() is not None
        self.delete_button.setEnabled(has_form)
        self.save_button.setEnabled(has_form)
        self.fill_button.setEnabled(has_form and has_intern)
        self.fill_all_button.setEnabled(has_form and has_intern)

    # -- reading

    def show_schools(self, rows: list[SchoolRow]) -> None:
        self.school.blockSignals(True)
        self.school.clear()
        for r in rows:
            self.school.addItem(r.name, r.id)
        self.school.blockSignals(False)
        self.load_forms()

    def load_forms(self, select: int | None = None) -> None:
        school = self.school.currentData()
        if school is None:
            return
        self.ops.read(
            self,
            school_forms.list_forms,
            school,
            done=lambda rows: self.show_forms(rows, select),
            latest="forms",
        )

    def show_forms(self, rows: list[school_forms.SchoolFormRow], select: int | None) -> None:
        self.form.blockSignals(True)
        self.form.clear()
        for r in rows:
            self.form.addItem(f"{r.name} ({r.mapped} mapped)", r.id)
        if select is not None and (i := self.form.findData(select)) >= 0:
            self.form.setCurrentIndex(i)
        self.form.blockSignals(False)
        if not rows:
            self.message.setText("No forms for this school yet: register the school's PDF.")
        self.load_form()

    def load_form(self) -> None:
        form = self.form.currentData()
        if form is None:
            self.detail = None
            self.table.setRowCount(0)
            self.intern.clear()
            self._enable()
            self.mark_clean()
            return
        self.ops.read(self, school_forms.form_detail, form, done=self.show_form, latest="form")
        self.ops.read(
            self, school_forms.form_interns, form, done=self.show_interns, latest="interns"
        )

    def show_form(self, detail: school_forms.SchoolFormDetail) -> None:
        self.detail = detail
        self.flatten.setChecked(detail.form.flatten)
        self.table.setRowCount(len(detail.fields))
        for row, field in enumerate(detail.fields):
            self.table.setItem(row, FIELD, QTableWidgetItem(field.name))
            kind = field.kind_label + (f": {', '.join(field.choices)}" if field.choices else "")
            self.table.setItem(row, KIND, QTableWidgetItem(kind))
            self.table.setItem(row, PREVIEW, QTableWidgetItem(""))
            if field.fillable:
                combo = QComboBox()
                combo.setObjectName(f"value:{field.name}")
                combo.addItem(NOT_FILLED, "")
                for option in CATALOGUE:
                    combo.addItem(f"{option.group}: {option.label}", option.key)
                combo.setCurrentIndex(max(combo.findData(field.value_key), 0))
                combo.setEnabled(self.may_edit)
                combo.currentIndexChanged.connect(lambda _i, r=row: self._show_preview(r))
                self.table.setCellWidget(row, VALUE, combo)
            else:
                self.table.setItem(row, VALUE, QTableWidgetItem("(not filled by InternHost)"))
        self.message.setText(
            f"{detail.form.name}: {len(detail.fields)} fields, {detail.form.mapped} mapped."
        )
        self._refresh_previews()
        self._enable()
        self.mark_clean()

    def show_interns(self, rows: list[school_forms.FormIntern]) -> None:
        """The school's interns; the one previewed stays chosen across a reload."""
        shown = self.intern.currentData()
        self.intern.blockSignals(True)
        self.intern.clear()
        for r in rows:
            self.intern.addItem(f"{r.name} (id {r.intern_id})", r.intern_id)
        self.intern.setCurrentIndex(max(self.intern.findData(shown), 0))
        self.intern.blockSignals(False)
        self._enable()
        self.load_preview()

    def load_preview(self) -> None:
        form, intern = self.form.currentData(), self.intern.currentData()
        self._enable()
        if form is None or intern is None:
            self.preview = {}
            self._refresh_previews()
            return
        self.ops.read(
            self,
            school_forms.preview_catalogue,
            form,
            intern,
            self.ops.today(),
            done=self.show_preview,
            latest="preview",
        )

    def show_preview(self, values: dict[str, str | None]) -> None:
        self.preview = values
        self._refresh_previews()

    def _refresh_previews(self) -> None:
        for row in range(self.table.rowCount()):
            self._show_preview(row)

    def _show_preview(self, row: int) -> None:
        key = self._key(row)
        item = self.table.item(row, PREVIEW)
        if item is None:
            return
        if not key or key not in self.preview:
            item.setText("")
        else:
            value = self.preview[key]
            item.setText(WITHHELD if value is None else value)

    # -- HR's changes

    def register(self) -> None:
        school = self.school.currentData()
        if school is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Register the school's fillable PDF", str(Path.home()), "PDF (*.pdf)"
        )
        if name:
            self.ops.write(
                self,
                register_file,
                school,
                name,
                self.flatten.isChecked(),
                changes=CHANGES,
                done=lambda d: self.load_forms(select=d.form.id),
                failed=self.ops.expected(self, self._refused),
            )

    def save(self) -> None:
        form = self.form.currentData()
        if form is None:
            return
        self.ops.write(
            self,
            school_forms.save_mapping,
            form,
            self.mapping(),
            self.flatten.isChecked(),
            changes=CHANGES,
            done=self._saved,
            failed=self.ops.expected(self, self._refused),
        )

    def _saved(self, detail: school_forms.SchoolFormDetail) -> None:
        self.message.setText(f"Saved: {detail.form.mapped} fields mapped.")
        self.load_forms(select=detail.form.id)

    def delete(self) -> None:
        form = self.form.currentData()
        if form is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete this form?",
            f"Delete {self.form.currentText()} and its mapping? Filled copies already "
            "written stay where they are.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ops.write(
                self,
                school_forms.delete_form,
                form,
                changes=CHANGES,
                done=lambda _r: self.load_forms(),
                failed=self.ops.expected(self, self._refused),
            )

    def _refused(self, exc: BaseException) -> None:
        self.message.setText(str(exc))

    # -- filling

    def fill_intern(self) -> None:
        form, intern = self.form.currentData(), self.intern.currentData()
        if form is None or intern is None:
            return
        suggested = Path.home() / f"{intern}-{writer.file_slug(self.intern.currentText())}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the filled form", str(suggested), "PDF (*.pdf)"
        )
        if name:
            self.ops.call(
                self,
                fill_one,
                self.ops.database,
                form,
                intern,
                name,
                self.flatten.isChecked(),
                self.ops.today(),
                label="Filling the form…",
                done=lambda path: self.message.setText(f"Written: {path}"),
                failed=self.ops.expected(self, self._refused),
            )

    def fill_school(self) -> None:
        form = self.form.currentData()
        if form is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Folder for the filled forms")
        if folder:
            self.ops.call(
                self,
                fill_all,
                self.ops.database,
                form,
                folder,
                self.flatten.isChecked(),
                self.ops.today(),
                label="Filling the school's forms…",
                steps=True,
                done=self.show_report,
                failed=self.ops.expected(self, self._refused),
            )

    def show_report(self, report: writer.FillReport) -> None:
        parts = [f"{len(report.written)} written"]
        if report.kept:
            parts.append(f"{len(report.kept)} kept (they exist)")
        if report.failed:
            parts.append(
                f"{len(report.failed)} failed: "
                + "; ".join(f"intern {f['intern_id']}: {f['error']}" for f in report.failed[:3])
            )
        self.message.setText(", ".join(parts) + ".")
