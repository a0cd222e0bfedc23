"""The dashboard: the day's work as a queue of what needs doing (``queue.read_queue``:
one line per intern per kind, the most urgent first, each opening the place to act),
above a compact row of today's counts, findings by severity and whose placement
starts soon. It is HR's home and a mentor's (their own interns and work only).

The first one comes with the main window's first screen (``set_dashboard``); after
that it reads again itself, on the database worker, whenever a write announces a
record kind it counts (at once if shown, when next shown otherwise)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import Dashboard, Queue, QueueItem, UpcomingPlacement
from internhost.core.rules.ages import hours_limited_below
from internhost.gui.formatting import hours, long_date, relative_days, short_date
from internhost.gui.ops import KINDS, Ops
from internhost.gui.widgets.basics import PAGE_MARGIN, Card, label
from internhost.gui.widgets.refreshing import Refreshing

METRIC_MIN_WIDTH = 170
SEVERITY_LABELS = {"violation": "Violations", "warning": "Warnings", "advisory": "Advisories"}
#: What the dashboard counts: every record kind but the accounts and the backups.
SHOWS = frozenset(KINDS) - {"account", "backup"}
#: Lines of the queue shown (the counts count them all).
QUEUE_LIMIT = 100
#: How each kind is named in the queue's counts.
KIND_LABELS = {
    "concern": "Concerns",
    "incident": "Incidents",
    "checklist": "Checklist",
    "plan_step": "Onboarding steps",
    "document_expiring": "Documents expiring",
    "check_in_due": "Check-ins due",
    "evaluation_due": "Evaluations due",
    "action_item": "Action items",
    "entries_to_approve": "Hours to approve",
    "finding": "Findings on logged hours",
    "rule_change": "Rules change soon",
}


class MetricCard(Card):
    """A big number with what it counts underneath."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = label("–", "metric")
        self.title = label(title)
        self.caption = label(role="muted")
        # Equal columns whatever the captions say; below the minimum the page scrolls.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(METRIC_MIN_WIDTH)
        self.body.setSpacing(2)
        self.body.addWidget(self.value)
        self.body.addWidget(self.title)
        self.body.addWidget(self.caption)
        self.body.addStretch(1)

    def set(self, value: str, caption: str = "") -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))


class ListCard(Card):
    """A heading and a few rows: a linked name on the left, details on the right."""

    def __init__(self, title: str, empty_text: str, on_link: Callable[[int], None]) -> None:
        super().__init__()
        self.body.setSpacing(0)
        self.heading = label(title, "heading")
        self.body.addWidget(self.heading)
        self.body.addSpacing(8)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(0)
        self.body.addLayout(self.rows)
        self.empty = label(empty_text, "muted", wrap=True)
        self.body.addWidget(self.empty)
        self.body.addStretch(1)
        self._on_link = on_link

    def set_rows(self, rows: Sequence[tuple[int, str, str]]) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for intern_id, name, detail in rows:
            self.rows.addWidget(self._row(intern_id, name, detail))
        self.empty.setVisible(not rows)

    def _row(self, intern_id: int, name: str, detail: str) -> QWidget:
        row = QFrame()
        row.setObjectName("listRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 7, 0, 7)
        link = QLabel(f'<a href="intern:{intern_id}">{html.escape(name)}</a>')
        link.setTextFormat(Qt.TextFormat.RichText)
        link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        link.linkActivated.connect(lambda _href, i=intern_id: self._on_link(i))
        layout.addWidget(link)
        layout.addStretch(1)
        layout.addWidget(label(detail, "muted"))
        return row


class FindingsCard(Card):
    """Counts of current rule findings by severity, each with its colour; each count is
    a link to the Compliance screen showing those findings."""

    def __init__(self, on_link: Callable[[str], None]) -> None:
        super().__init__()
        self._on_link = on_link
        self.body.addWidget(label("Compliance findings", "heading"))
        row = QHBoxLayout()
        row.setSpacing(36)
        self.counts: dict[str, QLabel] = {}
        for severity, text in SEVERITY_LABELS.items():
            group = QHBoxLayout()
            group.setSpacing(8)
            dot = label("●", f"dot-{severity}")
            count = label("0", "heading")
            count.setTextFormat(Qt.TextFormat.RichText)
            count.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            count.setToolTip(f"Open the Compliance screen at these {text.lower()}")
            count.linkActivated.connect(lambda _href, sev=severity: self._on_link(sev))
            group.addWidget(dot)
            group.addWidget(count)
            group.addWidget(label(text, "muted"))
            row.addLayout(group)
            self.counts[severity] = count
        row.addStretch(1)
        self.body.addLayout(row)
        self.caption = label(role="muted", wrap=True)
        self.body.addWidget(self.caption)

    def set(self, findings: dict[str, int]) -> None:
        for severity, widget in self.counts.items():
            widget.setText(f'<a href="findings:{severity}">{findings.get(severity, 0)}</a>')
        if any(findings.values()):
            self.caption.setText("From the latest rule checks of schedules and logged hours.")
        else:
            self.caption.setText("No open findings from the rule checks.")


class QueueCard(Card):
    """What needs doing: the counts per kind, then one line per item (the intern and
    the work as a link to the place to act, its due date on the right)."""

    def __init__(self, on_item: Callable[[QueueItem], None]) -> None:
        super().__init__()
        self.body.setSpacing(0)
        self.heading = label("What needs doing", "heading")
        self.body.addWidget(self.heading)
        self.counts = label(role="muted", wrap=True)
        self.body.addWidget(self.counts)
        self.body.addSpacing(8)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(0)
        self.body.addLayout(self.rows)
        self.empty = label("Nothing needs doing today.", "muted", wrap=True)
        self.body.addWidget(self.empty)
        self.more = label(role="muted")
        self.body.addWidget(self.more)
        self._on_item = on_item
        self.items: tuple[QueueItem, ...] = ()

    def set_queue(self, queue: Queue) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.items = queue.items
        for i, entry in enumerate(queue.items):
            self.rows.addWidget(self._row(i, entry, queue.today))
        counted = [f"{KIND_LABELS[k]} {n}" for k, n in queue.counts.items() if n]
        self.counts.setText(" · ".join(counted))
        self.counts.setVisible(bool(counted))
        self.empty.setVisible(not queue.items)
        listed = sum(queue.counts.values())
        self.more.setText(
            f"and {listed - len(queue.items)} more" if listed > len(queue.items) else ""
        )
        self.more.setVisible(listed > len(queue.items))

    def _row(self, index: int, item: QueueItem, today: date) -> QWidget:
        row = QFrame()
        row.setObjectName("listRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 6, 0, 6)
        link = QLabel(
            f'<a href="item:{index}">{html.escape(item.intern_name)}</a> · {html.escape(item.what)}'
        )
        link.setTextFormat(Qt.TextFormat.RichText)
        link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        link.setWordWrap(True)  # a narrow window wraps the line instead of scrolling
        link.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        link.setToolTip(f"Open {item.intern_name} where this is done")
        link.linkActivated.connect(lambda _href, it=item: self._on_item(it))
        layout.addWidget(link, 1)
        when = label(_due_text(item, today), "muted")
        layout.addWidget(when)
        return row


def _due_text(item: QueueItem, today: date) -> str:
    if item.due is None:
        return "now"
    if item.kind == "rule_change" and item.what == "Rules change soon":
        return f"week of {_day_month(item.due)}"
    when = f"{_day_month(item.due)} ({relative_days(item.due, today)})"
    return f"overdue · {when}" if item.overdue else when


class DashboardView(Refreshing, QScrollArea):
    """Scrolls as a whole when the window is small; cards reflow in a fixed grid."""

    intern_activated = Signal(int)
    #: A line of the queue was clicked: open the place to act on it (a ``QueueItem``).
    item_activated = Signal(object)
    #: A severity's count was clicked: show those findings (the Compliance screen).
    findings_requested = Signal(str)
    #: The employer's name, each time the dashboard was read (the sidebar shows it).
    employer_named = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 24)
        layout.setSpacing(16)

        self.title = label("Dashboard", "title")
        self.subtitle = label(role="muted")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        layout.addLayout(heading)

        self.metrics = {
            "active_interns": MetricCard("Active interns"),
            "active_placements": MetricCard("Active placements"),
            "hours_limited": MetricCard(f"Under {hours_limited_below()}"),
            "hours_this_week": MetricCard("Hours this week"),
        }
        grid = QGridLayout()
        grid.setSpacing(14)
        for i, card in enumerate(self.metrics.values()):
            grid.addWidget(card, 0, i)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)

        self.queue = QueueCard(self.item_activated.emit)
        self.findings = FindingsCard(self.findings_requested.emit)
        self.starting_soon = ListCard(
            "Starting soon",
            "No placements start in the next three weeks.",
            self.intern_activated.emit,
        )
        # The day's counts in one compact row, then the queue, the page's body.
        layout.addWidget(self.queue)
        lists = QHBoxLayout()
        lists.setSpacing(14)
        lists.addWidget(self.findings, 1)
        lists.addWidget(self.starting_soon, 1)
        layout.addLayout(lists)
        layout.addStretch(1)
        self.setWidget(page)
        self.dashboard: Dashboard | None = None
        self.queue_read: Queue | None = None
        self._queue_asked = False
        self.follow(ops, SHOWS)
        self._stale = True  # shown before set_dashboard gave it one: it reads itself

    def load(self) -> None:
        from internhost.core.services.dashboard import dashboard

        self.ops.read(
            self, dashboard, self.ops.today(), done=self.set_dashboard, latest="dashboard"
        )
        self.read_queue()

    def read_queue(self) -> None:
        from internhost.core.services.queue import read_queue

        self._queue_asked = True
        self.ops.read(
            self, read_queue, self.ops.today(), QUEUE_LIMIT, done=self.set_queue, latest="queue"
        )

    def set_queue(self, queue: Queue) -> None:
        self.queue_read = queue
        self.queue.set_queue(queue)

    def set_dashboard(self, d: Dashboard) -> None:
        self._stale = False
        if not self._queue_asked:  # the main window's first read brought the counts only
            self.read_queue()
        self.dashboard = d
        self.title.setText(d.employer_name or "Dashboard")
        self.employer_named.emit(d.employer_name or "")
        self.subtitle.setText(long_date(d.today))
        first = d.week_from or d.today - timedelta(days=d.today.weekday())
        last = first + timedelta(days=6)
        captions = {
            "active_interns": "with a placement today",
            "active_placements": "running today",
            "hours_limited": "among active interns",
            "hours_this_week": f"{_day_month(first)} – {_day_month(last)}",
        }
        for key, card in self.metrics.items():
            value = getattr(d, key)
            text = hours(value) if key == "hours_this_week" else str(value)
            card.set(text, captions.get(key, ""))
        self.findings.set(d.findings)
        self.starting_soon.set_rows([_starting_row(p, d.today) for p in d.starting_soon])


def _day_month(day: date) -> str:
    return short_date(day).rsplit(",", 1)[0]


def _starting_row(placement: UpcomingPlacement, today: date) -> tuple[int, str, str]:
    when = f"{_day_month(placement.start_date)} ({relative_days(placement.start_date, today)})"
    where = f"{placement.worksite} · " if placement.worksite else ""
    return placement.intern_id, placement.name, f"{where}{when}"
