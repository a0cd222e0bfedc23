"""First-run pages: "opening…" while the ORM loads, and the welcome on an empty database.

Both are plain Qt with no database access, so the window can show them before
SQLAlchemy is even imported.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from internhost.gui.theme import icon
from internhost.gui.widgets.basics import Card, label

WELCOME_TEXT = (
    "InternHost helps manufacturers host high-school interns safely and within the law. "
    "It keeps each intern's school, guardians and placement in one place, checks schedules "
    "and logged hours against the child-labor rules for their age, and reminds you when an "
    "intern's birthday changes which rules apply."
)
SETUP_TEXT = (
    "Set up your company in about twenty minutes: worksites and equipment, mentors, "
    "schools and their calendars, then your interns. Everything saves as you go."
)
SAMPLE_TEXT = (
    "Or load the sample data to explore with 24 fictional interns at two Illinois plants, "
    "with two terms of shifts and logged hours. Sample data goes only into an empty database."
)


def _centered(content: QWidget, width: int) -> QVBoxLayout:
    """A page layout that keeps ``content`` at a readable width in the middle."""
    row = QHBoxLayout()
    row.addStretch(1)
    content.setMaximumWidth(width)
    row.addWidget(content, 10)
    row.addStretch(1)
    outer = QVBoxLayout()
    outer.addStretch(2)
    outer.addLayout(row)
    outer.addStretch(3)
    return outer


class LoadingPage(QWidget):
    """Shown from the first frame until the database is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setSpacing(10)
        self.message = label("Opening the database…", "heading")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        column.addWidget(self.message)
        column.addWidget(self.bar)
        self.setLayout(_centered(box, 360))

    def working(self, text: str) -> None:
        """Something is under way: the busy bar moves."""
        self.message.setText(text)
        self.bar.show()

    def waiting(self, text: str) -> None:
        """The app waits for the user (a login dialog is up): nothing moves behind it."""
        self.message.setText(text)
        self.bar.hide()

    def show_error(self, text: str) -> None:
        self.waiting(text)
        self.message.setWordWrap(True)


class WelcomePage(QWidget):
    """A friendly start on an empty database, with the sample data one click away."""

    load_sample_requested = Signal()
    setup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        card = Card(margins=36)
        card.body.setSpacing(12)
        logo = QLabel()
        logo.setPixmap(icon("internhost").pixmap(QSize(56, 56)))
        card.body.addWidget(logo)
        card.body.addWidget(label("Welcome to InternHost", "title"))
        card.body.addWidget(label(WELCOME_TEXT, wrap=True))
        card.body.addSpacing(6)
        self.setup_text = label(SETUP_TEXT, wrap=True)
        card.body.addWidget(self.setup_text)
        self.setup_button = QPushButton("Set up your company")
        self.setup_button.setProperty("role", "primary")
        self.setup_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setup_button.clicked.connect(self.setup_requested)
        setup_row = QHBoxLayout()
        setup_row.addWidget(self.setup_button)
        setup_row.addStretch(1)
        card.body.addLayout(setup_row)
        card.body.addSpacing(10)
        self.sample_text = label(SAMPLE_TEXT, "muted", wrap=True)
        card.body.addWidget(self.sample_text)
        self.load_button = QPushButton("Load sample data")
        self.load_button.setProperty("role", "secondary")
        self.load_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.load_button.clicked.connect(self.load_sample_requested)
        self.status = label(role="muted", wrap=True)
        buttons = QHBoxLayout()
        buttons.setSpacing(14)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.status, 1)
        card.body.addLayout(buttons)
        self.setLayout(_centered(card, 640))

    def set_can_load(self, allowed: bool) -> None:
        """Roles without the permission see the explanation but no button."""
        self.load_button.setVisible(allowed)
        self.sample_text.setVisible(allowed)

    def set_can_set_up(self, allowed: bool) -> None:
        self.setup_button.setVisible(allowed)
        self.setup_text.setVisible(allowed)

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.load_button.setEnabled(not busy)
        self.setup_button.setEnabled(not busy)
        self.status.setText(message)
