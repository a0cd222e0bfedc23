"""The competency frameworks editor (opened from Set-up): every framework with its
version, marker and competencies; HR adds one, edits one (its name, scale and
competencies), and adds the shipped versions the database lacks.

A competency removed from the list is deleted, or retired if it has ratings
(``frameworks.save_framework`` decides; the list says how many ratings each has).
A shipped framework keeps its key and version: a newer shipped version arrives as
a new framework beside the edited copy.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from internhost.core.dto_progress import FrameworkRow
from internhost.core.services import frameworks
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.formatting import DASH
from internhost.gui.models.columns import Column, Pill, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.tables import columns_table

CHANGES = {"framework"}
COMPETENCY_CELLS = (
    f.Cell("Key", width=150),
    f.Cell("Name"),
    f.Cell("Category", width=140),
    f.Cell("Retired", "bool", width=70),
    f.Cell("id", "key"),
)


def _pills(r: FrameworkRow) -> tuple[Pill, ...]:
    pills = []
    if r.verification != "V":
        pills.append(Pill(frameworks.verification_label(r.verification).capitalize(), "warning"))
    if r.retired_at is not None:
        pills.append(Pill("Retired", "muted"))
    elif r.shipped and r.edited_at is None:
        pills.append(Pill("Shipped", "info"))
    elif r.shipped:
        pills.append(Pill("Edited", "info"))
    return tuple(pills)


COLUMNS: tuple[Column[FrameworkRow], ...] = (
    Column("Framework", lambda r: r.name, long=True, sample="Illinois Essential Employability"),
    Column("Version", lambda r: r.version or DASH, sample="2025.1"),
    Column("Levels", lambda r: f"1–{r.scale_max}"),
    Column(
        "Competencies",
        lambda r: f"{len(r.active_competencies)} in use",
        sample="12 in use",
    ),
    Column("", lambda r: "", pills=_pills, sample="Unverified  Shipped"),
)


def framework_form(shipped: bool) -> f.FieldForm:
    form = f.FieldForm(
        [
            f.text("name", "Name"),
            f.text("key", "Key", help="What exports name it by: lower-case, digits, '-', '_'."),
            f.text("version", "Version"),
            f.whole("scale_max", "Levels", help="Ratings run from 1 to this level."),
            f.text("source", "Source", multiline=True),
            f.table(
                "competencies",
                "Competencies",
                COMPETENCY_CELLS,
                add_text="Add competency",
                min_rows=7,
                movable=True,
                help="Removing one that has ratings retires it instead (its ratings stay).",
            ),
            f.check("retired", "Retired", "No longer offered for new evaluations"),
        ]
    )
    for name in ("key", "version"):
        form.input(name).setEnabled(not shipped)
    return form


def _values(row: FrameworkRow | None) -> dict[str, Any]:
    if row is None:
        return {"scale_max": 4, "competencies": ()}
    return {
        "name": row.name,
        "key": row.key,
        "version": row.version,
        "scale_max": row.scale_max,
        "source": row.source,
        "retired": row.retired_at is not None,
        "competencies": tuple(
            (c.key, c.name, c.category, c.retired, c.id) for c in row.competencies
        ),
    }


def framework_input(values: dict[str, Any], row: FrameworkRow | None) -> frameworks.FrameworkInput:
    """The form's values; a competency keeps its description (not edited here)."""
    descriptions = {c.id: c.description for c in row.competencies} if row else {}
    return frameworks.FrameworkInput(
        key=values["key"],
        name=values["name"],
        version=values["version"],
        scale_max=values["scale_max"],
        source=values["source"],
        retired=values["retired"],
        competencies=tuple(
            frameworks.CompetencyInput(
                key=key,
                name=name,
                category=category,
                description=descriptions.get(cid, ""),
                competency_id=cid,
                retired=bool(retired),
            )
            for key, name, category, retired, cid in values["competencies"]
        ),
    )


class FrameworksDialog(BaseDialog):
    """Every framework (retired ones too), with New, Edit and Add shipped versions."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("Competency frameworks")
        self.resize(820, 460)
        self.model: RowsModel[FrameworkRow] = RowsModel(COLUMNS, self)
        self.table = columns_table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.message = label(role="muted", wrap=True)
        self.new_button = button("New framework…", "primary", self.new)
        self.edit_button = button("Edit…", "secondary", self.edit)
        self.shipped_button = button("Add shipped versions", "secondary", self.add_shipped)
        row = QHBoxLayout()
        for widget in (self.new_button, self.edit_button, self.shipped_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(button("Done", "secondary", self.accept))
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "What evaluations rate interns on. A framework marked unverified was not "
                "checked against its source; the shipped ones come with the app.",
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.load()

    def load(self) -> None:
        self.ops.read(
            self, frameworks.list_frameworks, include_retired=True, done=self.show_frameworks
        )

    def show_frameworks(self, rows: list[FrameworkRow]) -> None:
        self.model.set_rows(rows)
        self._selection_changed(QItemSelection(), QItemSelection())

    def selected(self) -> FrameworkRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        self.edit_button.setEnabled(self.selected() is not None)

    def new(self) -> FrameworkRow | None:
        return self._edit(None)

    def edit(self) -> FrameworkRow | None:
        row = self.selected()
        return self._edit(row) if row is not None else None

    def _edit(self, row: FrameworkRow | None) -> FrameworkRow | None:
        form = framework_form(shipped=row is not None and row.shipped)

        def save(values: dict[str, Any]) -> FrameworkRow:
            return self.ops.database.write(
                frameworks.save_framework, framework_input(values, row), row.id if row else None
            )

        saved: FrameworkRow | None = edit_with_form(
            self,
            "New framework" if row is None else f"Edit {row.name}",
            form,
            save,
            ops=self.ops,
            changes=CHANGES,
            initial=_values(row),
            size=(900, 700),
        )
        if saved is not None:
            self.load()
        return saved

    def add_shipped(self) -> None:
        def done(added: list[FrameworkRow]) -> None:
            self.message.setText(
                "Added " + ", ".join(f"{r.name} ({r.version})" for r in added) + "."
                if added
                else "Every shipped framework is here already."
            )
            self.load()

        self.ops.write(
            self,
            frameworks.install_shipped,
            changes=CHANGES,
            done=done,
            failed=self.ops.expected(self, lambda exc: self.message.setText(str(exc))),
        )
