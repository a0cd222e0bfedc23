"""Preview a packet or a form, then save it: the document is rendered off the GUI
thread (``gui/printing.py`` through ``ops.call``, with progress and Cancel when it
runs long), shown by ``widgets/pdf_preview.PdfPreview`` from memory, and written
only on **Save as…**, through the services: a packet is recorded (``PacketExport``)
as it was shown, and the output guard refuses the database and its backups. Once
saved, **Open file** and **Show in folder** hand the file or its folder to the
system (``QDesktopServices``; the folder's own URL, so it works on every system).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from internhost.core.errors import DomainError
from internhost.core.progress import Cancelled
from internhost.gui import printing
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.widgets.basics import button, label, shown
from internhost.gui.widgets.pdf_preview import PdfPreview

if TYPE_CHECKING:
    from internhost.gui.ops import Ops


def documents_folder() -> Path:
    """Where a file dialog starts: the user's documents folder (any system)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def open_url_of(path: Path) -> bool:
    """Open a file or a folder with the system's own application."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def refusal_shown(parent: QWidget, title: str) -> Any:
    """A ``failed`` that shows a refusal, a record gone or a file error in a message
    box, and says nothing of a Cancel (the user asked)."""

    def show(exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        text = str(exc)
        if isinstance(exc, OSError):
            text = f"The file could not be written: {exc.strerror or exc}"
        QMessageBox.warning(parent, title, text)

    return show


class PdfPreviewDialog(BaseDialog):
    """A rendered document, its pages, and Save as… (then Open file, Show in folder)."""

    def __init__(self, parent: QWidget | None, ops: Ops, preview: printing.Preview) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its PDF goes with it
        self.setWindowTitle(preview.title)
        self.ops = ops
        self.preview = preview
        self.saved: printing.SavedFile | None = None
        self.resize(880, 760)

        self.title = label(preview.title, "heading", wrap=True)
        self.note = label(preview.note, "muted", wrap=True)
        shown(self.note, bool(preview.note))
        self.pdf = PdfPreview()
        self.status = label(role="muted", wrap=True)
        self.status.setObjectName("previewStatus")
        self.save_button = button("Save as…", "primary", self.save_as)
        self.open_button = button("Open file", "secondary", self.open_file)
        self.folder_button = button("Show in folder", "secondary", self.show_folder)
        self.close_button = button("Close", "secondary", self.reject)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.pdf, 1)
        layout.addLayout(buttons)
        for widget in (self.open_button, self.folder_button):
            widget.setVisible(False)  # parented: until the file is saved
        self.pdf.load_bytes(preview.content)
        self.save_button.setDefault(True)

    def save_as(self) -> None:
        """Ask where (the command line's file name by default), then write it on the
        worker; a refusal (the database, a backup, a right lost) is shown here."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save as",
            str(documents_folder() / self.preview.file_name),
            "PDF files (*.pdf)",
        )
        if not name:
            return
        self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")

        def refused(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.status.setText("Not saved.")
            refusal_shown(self, "Save as")(exc)

        self.ops.call(
            self,
            printing.save_preview,
            self.ops.database,
            self.preview,
            path,
            label="Saving…",
            done=self._saved,
            failed=self.ops.expected(self, refused, DomainError, OSError),
        )

    def _saved(self, saved: printing.SavedFile) -> None:
        self.saved = saved
        if saved.written is not None:
            self.ops.announce({"packet"})
        self.save_button.setEnabled(True)
        self.status.setText(f"Saved to {saved.path}")
        self.open_button.setVisible(True)
        self.folder_button.setVisible(True)

    def open_file(self) -> None:
        if self.saved is not None:
            open_url_of(self.saved.path)

    def show_folder(self) -> None:
        if self.saved is not None:
            open_url_of(self.saved.path.parent)


def _open(parent: QWidget, ops: Ops, preview: printing.Preview) -> None:
    PdfPreviewDialog(parent, ops, preview).open()


def preview_packet(
    parent: QWidget, ops: Ops, kind: str, intern_id: int, placement_id: int | None
) -> None:
    """Render a school packet (or the HR binder) off the GUI thread, then preview it."""
    what = printing.KIND_LABELS[kind]
    ops.call(
        parent,
        printing.render_packet,
        ops.database,
        kind,
        intern_id,
        placement_id,
        steps=True,
        label=f"Preparing the {what.lower()}…",
        done=lambda preview: _open(parent, ops, preview),
        failed=ops.expected(parent, refusal_shown(parent, what), DomainError, Cancelled),
    )


def preview_form(
    parent: QWidget, ops: Ops, name: str, intern_id: int | None, placement_id: int | None
) -> None:
    """Render a form, blank or pre-filled, off the GUI thread, then preview it."""
    ops.call(
        parent,
        printing.render_form,
        ops.database,
        name,
        intern_id,
        placement_id,
        steps=True,
        label="Preparing the form…",
        done=lambda preview: _open(parent, ops, preview),
        failed=ops.expected(parent, refusal_shown(parent, "Form"), DomainError, Cancelled),
    )
