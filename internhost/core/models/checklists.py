"""The legal checklist (requirements from the rule packs only) and the practical
onboarding plan (from an editable template)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import (
    CHECKLIST_STATUSES,
    OWNER_ROLES,
    PLAN_PHASES,
    VERIFICATIONS,
    one_of,
)


class ChecklistItem(IdMixin, TimestampMixin, Base):
    """One legal requirement (LEGAL.md §4, C1–C22) for one placement.

    ``requirement_key`` and the texts come from the rule pack; users change only the
    status, evidence and notes. ``retired_at`` marks an item the facts no longer
    require (e.g. the certificate after the 16th birthday) without losing its history.
    """

    __tablename__ = "checklist_items"
    __table_args__ = (
        UniqueConstraint("placement_id", "requirement_key"),
        one_of("status", CHECKLIST_STATUSES),
        one_of("owner_role", OWNER_ROLES),
        one_of("verification", VERIFICATIONS),
        # The dashboard's queue reads the open items by due date.
        Index(
            "ix_checklist_items_open_due",
            "placement_id",
            "due_date",
            sqlite_where=text("status = 'open' AND retired_at IS NULL"),
        ),
    )
    __audit_root__ = ("placement_checklist", "placement_id")
    # The requirement key and pack version name these texts exactly.
    __audit_derived__ = frozenset({"title", "citation", "verification", "evidence_needed"})

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    requirement_key: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    citation: Mapped[str] = mapped_column(String(300), default="")
    verification: Mapped[str] = mapped_column(String(1), default="M")
    evidence_needed: Mapped[str] = mapped_column(Text, default="")
    owner_role: Mapped[str] = mapped_column(String(20), default="hr")
    due_date: Mapped[date | None] = mapped_column(Date)
    rule_pack_version: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    evidence_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PlanTemplate(IdMixin, TimestampMixin, Base):
    __tablename__ = "plan_templates"
    __table_args__ = (UniqueConstraint("name"),)

    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    items: Mapped[list[PlanTemplateItem]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        order_by="PlanTemplateItem.position",
    )


class PlanTemplateItem(IdMixin, Base):
    __tablename__ = "plan_template_items"
    __table_args__ = (one_of("phase", PLAN_PHASES), one_of("owner_role", OWNER_ROLES))
    __audit_root__ = ("plan_templates", "template_id")

    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    phase: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    owner_role: Mapped[str] = mapped_column(String(20), default="hr")
    #: Due date relative to the placement's start (negative: before day one).
    due_offset_days: Mapped[int] = mapped_column(Integer, default=0)

    template: Mapped[PlanTemplate] = relationship(back_populates="items")


class PlanItem(IdMixin, TimestampMixin, Base):
    """A practical onboarding step for one placement, copied from a template item."""

    __tablename__ = "plan_items"
    __table_args__ = (
        one_of("phase", PLAN_PHASES),
        one_of("owner_role", OWNER_ROLES),
        one_of("status", CHECKLIST_STATUSES),
        Index(
            "ix_plan_items_open_due",
            "due_date",
            "placement_id",
            sqlite_where=text("status = 'open'"),
        ),
    )
    __audit_root__ = ("placement_plan", "placement_id")

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    template_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_template_items.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    phase: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    owner_role: Mapped[str] = mapped_column(String(20), default="hr")
    owner_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    evidence_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
