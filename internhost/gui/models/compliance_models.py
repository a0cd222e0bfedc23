"""Table models over one intern's stored findings and legal checklist.

Both hold DTO lists the view fetched in a short read session (``FindingRow``,
``ChecklistRow``); nothing here reads the database. The words, pills and
colours are presentation only: which findings exist, their severity and
verification, and which checklist items are due, the core decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from internhost.core.dto import ChecklistRow, FindingRow
from internhost.gui.formatting import DASH, relative_days, short_date
from internhost.gui.models.columns import Column, Index, Pill, RowsModel
from internhost.gui.theme import ERROR, MUTED, SEVERITY_COLORS, dot_icon

SEVERITY_WORDS = {"violation": "Violation", "warning": "Warning", "advisory": "Advisory"}
SOURCE_WORDS = {
    "planned shift": "Planned shift",
    "logged hours": "Logged hours",
    "placement": "Placement",
}
DECISION_WORDS = {"acknowledge": "Acknowledged", "override": "Overridden"}
#: A finding's status: HR's last decision on it.
FINDING_STATUS_WORDS = {
    "open": "Open",
    "acknowledged": "Acknowledged",
    "overridden": "Overridden",
    "revoked": "Revoked",
}
#: What each verification marker means (domain/LEGAL.md); shown as tooltips.
VERIFICATION_TEXT = {
    "V": "Verified: checked against the primary legal text.",
    "S": "Unverified (S): seen only in a secondary source (law-firm alert, HR site). "
    "Probably right; confirm against the primary text before relying on it.",
    "M": "Unverified (M): not yet checked against any source. Confirm it before relying on it.",
}
#: The same, short enough to stand beside the badge in a details box.
VERIFICATION_SHORT = {
    "V": "Verified against the primary legal text",
    "S": "secondary source only; confirm against the law",
    "M": "not checked against any source yet",
}
STALE_TEXT = (
    "Stale: the facts or rule packs changed since this finding was computed; "
    "the next check refreshes it."
)
STATUS_WORDS = {
    "open": "Open",
    "done": "Done",
    "waived": "Waived",
    "not_applicable": "Not applicable",
}
STATUS_TONES = {"done": "success", "waived": "info", "not_applicable": "muted"}
OWNER_WORDS = {"hr": "HR"}
RETIRED_TEXT = "Retired: the checklist pack no longer requires this item; kept as history."
MUTED_COLOR = QColor(MUTED)
RETIRED_COLOR = QColor("#9aa1ab")
OVERDUE_COLOR = QColor(ERROR)


def severity_word(severity: str) -> str:
    return SEVERITY_WORDS.get(severity, severity.capitalize())


def verification_badge(verification: str) -> str | None:
    """``Unverified (S)`` or ``Unverified (M)``; None for a verified rule."""
    return None if verification == "V" else f"Unverified ({verification})"


def verification_text(verification: str) -> str:
    return VERIFICATION_TEXT.get(verification, f"Unverified ({verification}).")


def verification_short(verification: str) -> str:
    return VERIFICATION_SHORT.get(verification, "")


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def owner_word(owner: str) -> str:
    return OWNER_WORDS.get(owner, owner.replace("_", " ").capitalize())


# -- findings ------------------------------------------------------------------------


def _finding_date_tooltip(f: FindingRow) -> str:
    source = SOURCE_WORDS.get(f.source, f.source)
    return f"{source}, {short_date(f.work_date)}" if f.work_date else source


def _verification_pills(verification: str) -> tuple[Pill, ...]:
    badge = verification_badge(verification)
    return (Pill(badge, "warning"),) if badge else ()


def _finding_pills(f: FindingRow) -> tuple[Pill, ...]:
    pills = []
    if f.stale:
        pills.append(Pill("Stale", "muted"))
    if f.status != "open":
        pills.append(Pill(FINDING_STATUS_WORDS.get(f.status, f.status), "info"))
    return tuple(pills)


def decision_text(f: FindingRow) -> str:
    """HR's last decision on a finding, who made it and when, and why."""
    if f.status == "open":
        return "None yet"
    who = f.decided_by or "the system"
    when = f", {short_date(f.decided_at)}" if f.decided_at else ""
    reason = f": {f.decision_reason}" if f.decision_reason else ""
    if f.status == "revoked":
        return f"Revoked (it was decided by {who}{when}{reason})"
    return f"{FINDING_STATUS_WORDS.get(f.status, f.status)} by {who}{when}{reason}"


def _finding_tooltip(f: FindingRow) -> str:
    notes = [f.message]
    if f.stale:
        notes.append(STALE_TEXT)
    if f.status != "open":
        notes.append(f"HR decision: {decision_text(f)}")
    return "\n\n".join(notes)


FINDING_COLUMNS: tuple[Column[FindingRow], ...] = (
    Column(
        "Severity",
        lambda f: severity_word(f.severity),
        sample="● Violation",
        elide=False,
        icon=lambda f: dot_icon(SEVERITY_COLORS.get(f.severity, MUTED)),
    ),
    Column(
        "Date",
        lambda f: short_date(f.work_date),
        tooltip=_finding_date_tooltip,
        sample="Oct 13, 2025",
        elide=False,
    ),
    Column(
        "Source",
        lambda f: SOURCE_WORDS.get(f.source, f.source),
        sample="Planned shift",
    ),
    Column(
        "Rule",
        lambda f: f.rule,
        tooltip=lambda f: f"{f.rule}\n{f.citation}",
        sample="US-IL-206-25-5-combined",
    ),
    Column(
        "Verification",
        lambda f: "Verified" if not f.unverified else "",
        tooltip=lambda f: verification_text(f.verification),
        sample="Unverified (M)___",
        elide=False,
        foreground=lambda f: MUTED_COLOR if not f.unverified else None,
        pills=lambda f: _verification_pills(f.verification),
    ),
    Column(
        "What",
        lambda f: f.message,
        tooltip=_finding_tooltip,
        sample="Worked 17:00–19:30; a 15-year-old may",
        pills=_finding_pills,
        long=True,
    ),
)


class FindingsModel(RowsModel[FindingRow]):
    """An intern's findings, gravest first (the service's order)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(FINDING_COLUMNS, parent)

    @property
    def rows(self) -> tuple[FindingRow, ...]:
        return self._rows


# -- checklist -----------------------------------------------------------------------


def _due_tooltip(item: ChecklistRow, today: date) -> str | None:
    if item.due is None:
        return None
    when = f"Due {short_date(item.due)} ({relative_days(item.due, today)})"
    return f"Overdue: {when[0].lower()}{when[1:]}" if item.overdue(today) else when


def _status_pills(item: ChecklistRow, today: date) -> tuple[Pill, ...]:
    pills = []
    if item.retired:
        pills.append(Pill("Retired", "muted"))
    if item.overdue(today):
        pills.append(Pill("Overdue", "danger"))
    elif item.status in STATUS_TONES:
        pills.append(Pill(status_word(item.status), STATUS_TONES[item.status]))
    return tuple(pills)


def _status_text(item: ChecklistRow, today: date) -> str:
    """The status when no pill says it already (an open item that is not overdue)."""
    return "Open" if item.status == "open" and not item.overdue(today) else ""


def _status_tooltip(item: ChecklistRow, today: date) -> str:
    lines = [status_word(item.status)]
    if item.overdue(today):
        lines[0] += f", overdue since {short_date(item.due)}"
    if item.retired:
        lines.append(RETIRED_TEXT)
    return "\n".join(lines)


def checklist_columns(
    today: date, placements: Mapping[int, str]
) -> tuple[Column[ChecklistRow], ...]:
    return (
        Column("Key", lambda i: i.key, sample="C22", elide=False),
        Column("Requirement", lambda i: i.title, sample="Proof of age verified", long=True),
        Column("Owner", lambda i: owner_word(i.owner), sample="Supervisor"),
        Column(
            "Due",
            lambda i: short_date(i.due),
            tooltip=lambda i: _due_tooltip(i, today),
            sample="Sep 30, 2026",
            elide=False,
            foreground=lambda i: OVERDUE_COLOR if i.overdue(today) else None,
        ),
        Column(
            "Status",
            lambda i: _status_text(i, today),
            tooltip=lambda i: _status_tooltip(i, today),
            sample="Not applicable___",
            elide=False,
            pills=lambda i: _status_pills(i, today),
        ),
        Column(
            "Verification",
            lambda i: "Verified" if i.verification == "V" else "",
            tooltip=lambda i: verification_text(i.verification),
            sample="Unverified (M)___",
            elide=False,
            foreground=lambda i: MUTED_COLOR if i.verification == "V" else None,
            pills=lambda i: _verification_pills(i.verification),
        ),
        Column(
            "Placement",
            lambda i: placements.get(i.placement_id, DASH),
            sample="Aug 31, 2026 – Jan 15, 2027",
        ),
    )


PLACEMENT_COLUMN = 6


class ChecklistModel(RowsModel[ChecklistRow]):
    """The checklist items of an intern's placements; retired ones only on request."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(checklist_columns(date.today(), {}), parent)
        self.today = date.today()
        self.placements: dict[int, str] = {}
        self.show_retired = False
        self._all: tuple[ChecklistRow, ...] = ()

    def set_items(
        self,
        items: Sequence[ChecklistRow],
        today: date,
        placements: Mapping[int, str] | None = None,
    ) -> None:
        """All items (retired too); ``placements`` names each placement id for its column."""
        self.today = today
        if placements is not None:
            self.placements = dict(placements)
        self.columns = checklist_columns(today, self.placements)
        self._all = tuple(items)
        self.set_rows(self._visible())

    def set_show_retired(self, show: bool) -> None:
        if show != self.show_retired:
            self.show_retired = show
            self.set_rows(self._visible())

    def _visible(self) -> list[ChecklistRow]:
        return [i for i in self._all if self.show_retired or not i.retired]

    @property
    def all_items(self) -> tuple[ChecklistRow, ...]:
        return self._all

    @property
    def retired_count(self) -> int:
        return sum(i.retired for i in self._all)

    def row_of(self, item_id: int) -> int | None:
        return next((r for r, i in enumerate(self._rows) if i.id == item_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if item.retired and role == Qt.ItemDataRole.ForegroundRole:
            return RETIRED_COLOR
        return super().data(index, role)
