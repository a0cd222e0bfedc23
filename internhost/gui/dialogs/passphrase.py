"""The database passphrase: chosen (twice) for a new key, or typed to unlock a file.

Shown only where the OS keyring cannot hold the key (or holds none for this file):
the dialog says why, in the words ``gui.unlock`` gives it. The dialog decides
nothing: ``check`` (the core's rules: length for a new passphrase; "does it open the
file" for an existing one) returns the message shown beside the field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from internhost.gui.theme import icon
from internhost.gui.widgets.basics import button, label

WIDTH = 560
#: Checks what was typed; returns an error to show, or None when it is accepted.
Check = Callable[[str], "str | None"]


def fit_wrapped(text: QLabel, width: int) -> None:
    """Give a word-wrapped label the height its text needs at ``width`` (a dialog's
    layout otherwise squeezes it and cuts lines off)."""
    text.ensurePolished()
    text.setFixedWidth(width)
    text.setMinimumHeight(text.heightForWidth(width))


def _secret_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class PassphraseDialog(QDialog):
    """``new``: choose and confirm a passphrase; else type a passphrase or a recovery
    key. ``passphrase`` holds the accepted text."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        path: Path,
        new: bool,
        reason: str,
        check: Check,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("Choose a database passphrase" if new else "Unlock the database")
        self.setModal(True)
        self.new = new
        self._check = check
        self.passphrase: str | None = None

        logo = label()
        logo.setPixmap(icon("internhost").pixmap(36, 36))
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(logo)
        top.addWidget(label(self.windowTitle(), "title"), 1)

        self.first = _secret_edit(
            "passphrase", "new passphrase" if new else "passphrase or recovery key"
        )
        self.second = _secret_edit("confirmPassphrase", "the same passphrase again")
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow("Passphrase" if new else "Passphrase or key", self.first)
        if new:
            form.addRow("Again", self.second)
        self.error = label(role="error", wrap=True)
        self.error.setObjectName("passphraseError")
        self.error.hide()

        self.ok_button = button("Create" if new else "Unlock", "primary", self.accept)
        self.ok_button.setDefault(True)
        cancel = button("Quit", "secondary", self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 18)
        layout.setSpacing(12)
        layout.addLayout(top)
        explanation = label(reason, "muted", wrap=True)
        explanation.setObjectName("passphraseReason")
        fit_wrapped(explanation, WIDTH - 52)
        layout.addWidget(explanation)
        layout.addWidget(label(f"Database: {path}", "muted", wrap=True))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(WIDTH)
        self.first.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text[:1].upper() + text[1:])
        self.error.show()

    def accept(self) -> None:
        text = self.first.text()
        if not text:
            self.show_error("Type the passphrase." if self.new else "Type the passphrase or key.")
            return
        if self.new and self.second.text() != text:
            self.second.clear()
            self.second.setFocus()
            self.show_error("The two passphrases differ: type it again.")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            problem = self._check(text)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if problem:
            self.show_error(problem)
            self.first.selectAll()
            self.first.setFocus()
            return
        self.passphrase = text
        self.first.clear()
        self.second.clear()
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, *, path: Path, new: bool, reason: str, check: Check
    ) -> str | None:
        """The accepted passphrase (or recovery key), or None when the user quit."""
        dialog = cls(parent, path=path, new=new, reason=reason, check=check)
        try:
            return dialog.passphrase if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
