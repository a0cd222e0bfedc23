"""The recovery sheet at setup (and after an encryption): print it, or save it as a PDF.

Printing goes straight to the printer (``QPrintDialog``), drawing the core's
``sheet_content`` as a text document, so the key never touches the disk. Saving
writes the core's PDF (``write_recovery_sheet``) after a warning that the file is
as readable as the sheet: print it, then delete it. Closing without either asks
first: without the sheet, the key lives only in this computer's keyring.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from internhost.core.reports.recovery_sheet import SheetContent, sheet_content
from internhost.core.storage.db import DatabaseKey
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.dialogs.passphrase import fit_wrapped
from internhost.gui.theme import icon
from internhost.gui.widgets.basics import button, label

SAVE_WARNING = (
    "The PDF holds the database key: anyone who can open the file can read every "
    "record. Print it at once, then delete the file and empty the trash."
)


def sheet_html(content: SheetContent) -> str:
    """The sheet as (escaped) HTML for a ``QTextDocument``."""
    e = html.escape
    facts = "".join(
        f"<tr><td><b>{e(k)}</b>&nbsp;&nbsp;</td><td>{e(v)}</td></tr>" for k, v in content.facts
    )
    key = "<br/>".join(e(line).replace("  ", "&nbsp; ") for line in content.key_lines)
    steps = "".join(f"<li>{e(step)}</li>" for step in content.steps)
    return (
        f"<h2>{e(content.title)}</h2>"
        f"<p style='color:#8a1c1c'><b>{e(content.warning)}</b></p>"
        f"<table>{facts}</table>"
        f"<h3>{e(content.key_label)}</h3>"
        f"<p style='font-size:16pt'><b>{key}</b></p>"
        f"<h3>What to do with this sheet</h3><ol>{steps}</ol>"
        f"<p style='font-size:8pt'>{e(content.footer)}</p>"
    )


def print_sheet(printer: QPrinter, content: SheetContent) -> None:
    """Draw the sheet on ``printer`` (one page, letter)."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    document = QTextDocument()
    document.setHtml(sheet_html(content))
    document.print_(printer)


def save_sheet(path: Path, db_path: Path, key: DatabaseKey) -> Path:
    from internhost.core.reports.recovery_sheet import write_recovery_sheet

    return write_recovery_sheet(path, db_path, key)


class RecoverySheetDialog(BaseDialog):
    """Print or save the recovery sheet of ``key``; ``issued`` tells whether it was."""

    def __init__(self, parent: QWidget | None, db_path: Path, key: DatabaseKey) -> None:
        super().__init__(parent)
        self.setObjectName("recoverySheetDialog")
        self.setWindowTitle("Print the recovery sheet")
        self.setModal(True)
        self.db_path = Path(db_path)
        self.key = key
        self.issued = False

        logo = label()
        logo.setPixmap(icon("internhost").pixmap(36, 36))
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(logo)
        top.addWidget(label("Print the recovery sheet now", "title"), 1)
        where = (
            "The database is encrypted, and its key is kept in this computer's keyring."
            if key.is_raw
            else "The database is encrypted with the passphrase you chose."
        )
        intro = label(
            f"{where} If this computer, its keyring or the passphrase is lost, the "
            "recovery sheet is the only way to open the records again (on this computer "
            "or another). Print it and lock it away, apart from the computer.",
            "muted",
            wrap=True,
        )
        self.status = label(role="muted", wrap=True)
        self.status.setObjectName("sheetStatus")
        self.print_button = button("Print…", "primary", self.print_)
        self.save_button = button("Save as PDF…", "secondary", self.save)
        self.close_button = button("Close", "secondary", self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 18)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(label(f"Database: {self.db_path}", "muted", wrap=True))
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        fit_wrapped(intro, 490)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(540)

    def content(self) -> SheetContent:
        return sheet_content(self.db_path, self.key)

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        chooser = QPrintDialog(printer, self)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        print_sheet(printer, self.content())
        self.issued = True
        self.status.setText("Sent to the printer. Lock the printed sheet away.")

    def save(self) -> None:
        answer = QMessageBox.warning(
            self,
            "Save the recovery sheet as a PDF",
            SAVE_WARNING,
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Save:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the recovery sheet",
            str(Path.home() / "InternHost recovery sheet.pdf"),
            "PDF (*.pdf)",
        )
        if not name:
            return
        written = save_sheet(Path(name), self.db_path, self.key)
        self.issued = True
        self.status.setText(f"Saved as {written}. Print it now, then delete the file.")

    def reject(self) -> None:
        if not self.issued:
            answer = QMessageBox.question(
                self,
                "Close without the recovery sheet?",
                "Without the sheet, the database key lives only in this computer's keyring "
                "(or your memory): lose it and the records are gone. Close anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def offer_recovery_sheet(parent: QWidget | None, db_path: Path, key: DatabaseKey) -> bool:
    """Show the dialog; True when the sheet was printed or saved."""
    dialog = RecoverySheetDialog(parent, db_path, key)
    try:
        dialog.exec()
        return dialog.issued
    finally:
        dialog.deleteLater()
