"""Rule findings stored on shifts and time entries, and the overrides that outlive them.

Dashboards and packets read stored findings instead of recomputing years of hours.
A finding's ``identity`` (rule, shift or entry, window) is stable across re-checks,
so an override or acknowledgement keyed by it survives; ``input_hash`` covers the
facts and pack versions the finding was computed from, so changed facts or packs
mark it stale. Its message is stored as data (template id and parameters) and
rendered for each reader (``rules/messages.render``), never as one reader's text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from internhost.core.models.base import Base, IdMixin, UTCDateTime, utcnow
from internhost.core.models.enums import (
    FINDING_CATEGORIES,
    OVERRIDE_KINDS,
    SEVERITIES,
    VERIFICATIONS,
    one_of,
)


class Finding(IdMixin, Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("identity"),
        one_of("severity", SEVERITIES),
        one_of("verification", VERIFICATIONS),
        one_of("category", FINDING_CATEGORIES),
        Index("ix_findings_intern_severity", "intern_id", "severity"),
        CheckConstraint("template IS NOT NULL OR message IS NOT NULL", name="worded"),
    )
    __audit_root__ = ("findings_of_intern", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"))
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="CASCADE"), index=True
    )
    time_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("time_entries.id", ondelete="CASCADE"), index=True
    )
    #: "<rule>|<shift:N or entry:N or case>|<window start>/<window end>"
    identity: Mapped[str] = mapped_column(String(300))
    rule_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    jurisdiction: Mapped[str] = mapped_column(String(10))
    citation: Mapped[str] = mapped_column(String(300))
    verification: Mapped[str] = mapped_column(String(1))
    #: The message template's id in the rule packs, and its parameters (plain JSON
    #: values; the intern's age as an int under ``rules.templates.AGE``).
    template: Mapped[str | None] = mapped_column(String(150))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Text, only on a finding stored before templates (revision 0004) that could not
    #: be read back into one: shown only to readers who may see exact ages, and
    #: replaced by the intern's next re-check. NULL whenever ``template`` is set.
    message: Mapped[str | None] = mapped_column(Text)
    work_date: Mapped[date | None] = mapped_column(Date)
    window_start: Mapped[datetime | None] = mapped_column()
    window_end: Mapped[datetime | None] = mapped_column()
    #: {"us-federal": "2025.1", ...}: every pack the check loaded.
    rule_packs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    input_hash: Mapped[str] = mapped_column(String(64))
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FindingOverride(IdMixin, Base):
    """HR's decision on a finding: ``acknowledge`` (seen, accepted risk) or ``override``
    (judged not to apply), with who, why and when. Keyed by the finding's identity."""

    __tablename__ = "finding_overrides"
    __table_args__ = (
        one_of("kind", OVERRIDE_KINDS),
        Index("ix_finding_overrides_identity", "identity"),
    )
    __audit_root__ = ("findings_of_intern", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"))
    identity: Mapped[str] = mapped_column(String(300))
    rule_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
