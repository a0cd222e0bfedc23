"""The Compliance screen's table: every stored finding matching its filters, paged
like the interns list (``lazy_rows``): ids from ``findings.list_finding_ids``, rows
from ``findings.finding_rows``, a page at a time.

Which findings match, their status and what may be done about them are the core's;
the words, dots and pills here are presentation (a severity is a dot *and* a word,
a status a pill, never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from internhost.core.dto import FindingRow
from internhost.core.services import findings
from internhost.core.services.findings import FindingFilter
from internhost.gui.formatting import short_date
from internhost.gui.models.columns import Column, Pill
from internhost.gui.models.compliance_models import (
    FINDING_STATUS_WORDS,
    SOURCE_WORDS,
    STALE_TEXT,
    decision_text,
    severity_word,
    verification_badge,
    verification_text,
)
from internhost.gui.models.lazy_rows import LazyRowsModel
from internhost.gui.ops import Ops
from internhost.gui.theme import MUTED, SEVERITY_COLORS, dot_icon

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor

STATUS_WORDS = FINDING_STATUS_WORDS
STATUS_TONES = {"acknowledged": "info", "overridden": "warning", "revoked": "muted"}


def status_pills(f: FindingRow) -> tuple[Pill, ...]:
    """The status (when decided), stale and unverified marks, as pills."""
    pills = []
    if f.status != "open":
        pills.append(Pill(STATUS_WORDS.get(f.status, f.status), STATUS_TONES.get(f.status, "")))
    if f.stale:
        pills.append(Pill("Stale", "muted"))
    badge = verification_badge(f.verification)
    if badge:
        pills.append(Pill(badge, "warning"))
    return tuple(pills)


def _status_tooltip(f: FindingRow) -> str:
    lines = [decision_text(f) if f.status != "open" else "Open: not decided yet"]
    if f.stale:
        lines.append(STALE_TEXT)
    if f.unverified:
        lines.append(verification_text(f.verification))
    return "\n".join(lines)


COLUMNS: tuple[Column[FindingRow], ...] = (
    Column(
        "Severity",
        lambda f: severity_word(f.severity),
        "severity",
        sample="● Violation",
        elide=False,
        icon=lambda f: dot_icon(SEVERITY_COLORS.get(f.severity, MUTED)),
    ),
    Column(
        "Intern",
        lambda f: f.intern_name,
        "intern",
        tooltip=lambda f: " · ".join(x for x in (f.intern_name, f.worksite) if x),
        sample="Hernández, Maya",
    ),
    Column(
        "Date",
        lambda f: short_date(f.work_date),
        "date",
        sample="Oct 13, 2025",
        elide=False,
    ),
    Column("Source", lambda f: SOURCE_WORDS.get(f.source, f.source), sample="Planned shift"),
    Column(
        "Rule",
        lambda f: f.rule,
        "rule",
        tooltip=lambda f: f"{f.rule}\n{f.citation}",
        sample="US-IL-206-25-5-combined",
    ),
    Column(
        "Status",
        lambda f: "" if f.status != "open" or f.stale or f.unverified else "Open",
        "status",
        tooltip=_status_tooltip,
        sample="Acknowledged  Stale_",
        pills=status_pills,
    ),
    Column("Finding", lambda f: f.message, long=True, sample="A finding's message"),
)


@dataclass(frozen=True)
class FindingsQuery:
    """What the id list was asked with."""

    filters: FindingFilter
    sort: str
    descending: bool


class FindingsListModel(LazyRowsModel):
    """Findings matching the filters, gravest first (or as sorted), rows on demand."""

    columns = COLUMNS

    def __init__(self, ops: Ops, parent: QObject | None = None, *, page_size: int = 200) -> None:
        super().__init__(ops, parent, page_size=page_size)
        self.query = FindingsQuery(FindingFilter(), "severity", False)
        self.shown = self.query

    def asked(self) -> FindingsQuery:
        return self.query

    @staticmethod
    def list_ids(s: Session, actor: Actor, query: FindingsQuery) -> list[int]:
        return findings.list_finding_ids(
            s, actor, query.filters, sort=query.sort, descending=query.descending
        )

    @staticmethod
    def read_rows(
        s: Session, actor: Actor, ids: Sequence[int], query: FindingsQuery
    ) -> list[FindingRow]:
        return findings.finding_rows(s, actor, ids)

    def applied(self, query: FindingsQuery) -> None:
        self.shown = query

    def set_filters(self, filters: FindingFilter) -> None:
        """Show the findings matching ``filters``, once the worker answers."""
        self.query = replace(self.query, filters=filters)
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.query.sort, self.query.descending):
            return
        self.query = replace(self.query, sort=key, descending=descending)
        self.refresh()
