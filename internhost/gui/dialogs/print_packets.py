"""Print many packets at once: a school's (from the Schools screen) or the HR binders
of the interns selected in the Interns list. The same batch as ``internhost packet
--school`` / ``--kind hr``: one combined PDF (per school) or one file per intern in
a folder, existing files kept unless "Replace existing files" (``--force``).

It runs as a task with steps (progress and Cancel) through ``gui/printing.run_batch``,
over worker processes that act as the logged-in user once the batch is large enough,
as the command does. At the end the dialog turns into the summary: written, kept
and failed (each failure's intern and error), and Open folder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Permission
from internhost.core.errors import DomainError
from internhost.core.progress import Cancelled
from internhost.gui import printing
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.dialogs.pdf_preview import documents_folder, open_url_of, refusal_shown
from internhost.gui.widgets.basics import button, label, shown

if TYPE_CHECKING:
    from internhost.gui.ops import Ops

DEFAULT_FOLDER = "InternHost packets"
CANCELLED = (
    "Printing was cancelled. The packets written before it stay in the folder, recorded "
    "as printed; print again to finish (existing files are kept)."
)


class PrintPacketsDialog(BaseDialog):
    """Choose what to print and where, print it as a task, then show what was done."""

    def __init__(
        self,
        parent: QWidget | None,
        ops: Ops,
        request: printing.BatchRequest,
        *,
        about: str,
        kind_fixed: bool = False,
    ) -> None:
        """``request``: the school or interns (its folder and options are the dialog's);
        ``about``: what is printed, for the title; ``kind_fixed``: the request's kind is
        not offered as a choice (the binders of selected interns)."""
        super().__init__(parent)
        self.setObjectName("printPacketsDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Print packets: {about}")
        self.ops = ops
        self.request = request
        self.outcome: printing.BatchOutcome | None = None
        may_bind = ops.actor.can(Permission.PRINT_HR_BINDER)

        self.school_kind = QRadioButton("School packet (for the school)")
        self.binder_kind = QRadioButton("HR compliance binder (one per intern)")
        kinds = QButtonGroup(self)
        kinds.addButton(self.school_kind)
        kinds.addButton(self.binder_kind)
        (self.binder_kind if request.kind == printing.HR else self.school_kind).setChecked(True)
        self.per_intern = QRadioButton("One file per intern, in the folder")
        self.combined = QRadioButton("One combined PDF for the school")
        files = QButtonGroup(self)
        files.addButton(self.per_intern)
        files.addButton(self.combined)
        (self.combined if request.combined else self.per_intern).setChecked(True)
        self.folder = QLineEdit(str(documents_folder() / DEFAULT_FOLDER))
        self.folder.setObjectName("batchFolder")
        self.folder.setMinimumWidth(360)
        choose = button("Choose…", "secondary", self.choose_folder)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(choose)
        self.overwrite = QCheckBox("Replace existing files (else they are kept, and listed)")
        self.names = label(
            "Files are named as the command line names them: "
            "<intern id>-<placement id>-<name>.pdf, or school-<school id>-<name>.pdf combined.",
            "muted",
            wrap=True,
        )

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow("Print", self.school_kind)
        form.addRow("", self.binder_kind)
        form.addRow("As", self.per_intern)
        form.addRow("", self.combined)
        form.addRow("Folder", where)
        form.addRow("", self.overwrite)
        choices = QWidget()
        column = QVBoxLayout(choices)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(self.names)
        column.addStretch(1)
        form.setRowVisible(self.school_kind, not kind_fixed)
        self.binder_kind.setEnabled(may_bind)
        form.setRowVisible(self.binder_kind, may_bind and not kind_fixed)
        # Combined is per school: a school batch only.
        form.setRowVisible(self.per_intern, request.school_id is not None)
        form.setRowVisible(self.combined, request.school_id is not None)

        self.counts = label(role="heading", wrap=True)
        self.counts.setObjectName("batchCounts")
        self.where = label(role="muted", wrap=True)
        self.failures = QPlainTextEdit()
        self.failures.setObjectName("batchFailures")
        self.failures.setReadOnly(True)
        self.kept_note = label(role="muted", wrap=True)
        summary = QWidget()
        lines = QVBoxLayout(summary)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.addWidget(self.counts)
        lines.addWidget(self.where)
        lines.addWidget(self.kept_note)
        lines.addWidget(self.failures, 3)
        lines.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(choices)
        self.pages.addWidget(summary)

        self.print_button = button("Print", "primary", self.start)
        self.open_button = button("Open folder", "secondary", self.open_folder)
        self.close_button = button("Cancel", "secondary", self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(12)
        layout.addWidget(label(f"Print packets: {about}", "heading", wrap=True))
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.open_button.setVisible(False)  # parented: until the summary
        self.print_button.setDefault(True)
        self.resize(620, 380)

    def state(self) -> Any:
        return ()  # options, nothing typed worth asking about

    # -- choosing

    def choose_folder(self) -> None:
        found = QFileDialog.getExistingDirectory(self, "Folder for the packets", self.folder.text())
        if found:
            self.folder.setText(found)

    def chosen(self) -> printing.BatchRequest:
        """The request with the dialog's choices."""
        return replace(
            self.request,
            folder=Path(self.folder.text().strip()).expanduser(),
            kind=printing.HR if self.binder_kind.isChecked() else printing.SCHOOL,
            combined=self.combined.isChecked() and self.request.school_id is not None,
            overwrite=self.overwrite.isChecked(),
        )

    # -- printing

    def start(self) -> None:
        if not self.folder.text().strip():
            refusal_shown(self, "Print packets")(DomainError("Choose a folder for the packets."))
            return
        self.print_button.setEnabled(False)
        request = self.chosen()

        def refused(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            if isinstance(exc, Cancelled):
                self.ops.announce({"packet"})  # those written before Cancel are recorded
                QMessageBox.information(self, "Print packets", CANCELLED)
                return
            refusal_shown(self, "Print packets")(exc)

        self.ops.call(
            self,
            printing.run_batch,
            self.ops.database,
            request,
            steps=True,
            label="Printing packets…",
            done=self.show_outcome,
            failed=self.ops.expected(self, refused, DomainError, OSError, Cancelled),
        )

    def show_outcome(self, outcome: printing.BatchOutcome) -> None:
        """The summary: counts, where, the files kept, each failure."""
        self.outcome = outcome
        if outcome.written:
            self.ops.announce({"packet"})
        nothing = not outcome.result.written and not outcome.result.failed
        self.counts.setText("Nothing to print." if nothing else outcome.counts())
        how = " (over worker processes)" if outcome.in_workers else ""
        self.where.setText(
            "No placement you may see is there to print."
            if nothing
            else f"In {outcome.folder}{how}"
        )
        kept = outcome.kept
        self.kept_note.setText(
            f"{len(kept)} file(s) existed and were kept: tick “Replace existing files” to "
            "print them again."
            if kept
            else ""
        )
        shown(self.kept_note, bool(kept))
        failures = outcome.failure_lines()
        self.failures.setPlainText("\n".join(failures))
        self.failures.setVisible(bool(failures))
        self.pages.setCurrentIndex(1)
        self.print_button.setVisible(False)
        self.open_button.setVisible(True)
        self.close_button.setText("Close")

    def open_folder(self) -> None:
        if self.outcome is not None:
            open_url_of(self.outcome.folder)


def print_packets(
    parent: QWidget,
    ops: Ops,
    request: printing.BatchRequest,
    *,
    about: str,
    kind_fixed: bool = False,
) -> PrintPacketsDialog:
    dialog = PrintPacketsDialog(parent, ops, request, about=about, kind_fixed=kind_fixed)
    dialog.open()
    return dialog
