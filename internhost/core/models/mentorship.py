"""Mentorship on the shop floor: check-ins with their concerns and action items, the
cadence they are due in, and incidents with who was told."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import (
    CHECK_IN_MODES,
    CONCERN_CATEGORIES,
    INCIDENT_KINDS,
    INCIDENT_STATUSES,
    one_of,
)


class CheckIn(IdMixin, TimestampMixin, Base):
    """A mentor's two-minute check-in with an intern.

    ``shared_notes`` go to the school in its packet; internal notes are ``Note`` rows
    (``check_in_id``), each with its author, seen only by HR and that author."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        CheckConstraint("mood IS NULL OR mood BETWEEN 1 AND 5", name="mood_range"),
        one_of("mode", CHECK_IN_MODES),
    )

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    held_on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10), default="in_person")
    #: Topic names, in the order ticked (an editable vocabulary, not a closed one).
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    mood: Mapped[int | None] = mapped_column(Integer)
    shared_notes: Mapped[str] = mapped_column(Text, default="")
    #: The intern's own reflection, in their words.
    reflection: Mapped[str] = mapped_column(Text, default="")

    concern: Mapped[Concern | None] = relationship(
        back_populates="check_in", cascade="all, delete-orphan", uselist=False
    )
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="check_in", cascade="all, delete-orphan", order_by="ActionItem.position"
    )


class Concern(IdMixin, TimestampMixin, Base):
    """A concern raised at a check-in. It heads HR's dashboard until HR records what
    was done (``resolved_at`` and ``resolution``)."""

    __tablename__ = "concerns"
    __table_args__ = (one_of("category", CONCERN_CATEGORIES),)
    __audit_root__ = ("check_ins", "check_in_id")

    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("check_ins.id", ondelete="CASCADE"), unique=True
    )
    category: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    resolution: Mapped[str] = mapped_column(Text, default="")

    check_in: Mapped[CheckIn] = relationship(back_populates="concern")


class ActionItem(IdMixin, Base):
    """Something agreed at a check-in, with its due date; done or not."""

    __tablename__ = "check_in_actions"
    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)
    __audit_root__ = ("check_ins", "check_in_id")

    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("check_ins.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    check_in: Mapped[CheckIn] = relationship(back_populates="actions")


class CheckInCadence(IdMixin, TimestampMixin, Base):
    """How often a placement's check-ins are due: every N days, or on chosen weekdays
    (an ``rrule``), optionally skipping non-school days and plant closures."""

    __tablename__ = "check_in_cadences"
    __table_args__ = (
        CheckConstraint("every_days IS NULL OR every_days > 0", name="every_days_positive"),
        CheckConstraint("(every_days IS NULL) <> (weekdays = '')", name="every_days_or_weekdays"),
    )

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), unique=True
    )
    every_days: Mapped[int | None] = mapped_column(Integer)
    #: Comma-separated ``mon``..``sun``; empty when ``every_days`` is set.
    weekdays: Mapped[str] = mapped_column(String(30), default="")
    skip_non_school_days: Mapped[bool] = mapped_column(Boolean, default=False)
    skip_closures: Mapped[bool] = mapped_column(Boolean, default=True)


class Incident(IdMixin, TimestampMixin, Base):
    """An incident, injury, illness or near miss (C19): where, what, and who was told.

    Each notification (guardian, school, the IDOL report) is a date, or a reason it
    was not needed; the incident stays open until HR closes it."""

    __tablename__ = "incidents"
    __table_args__ = (one_of("kind", INCIDENT_KINDS), one_of("status", INCIDENT_STATUSES))

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at_local: Mapped[datetime] = mapped_column()
    description: Mapped[str] = mapped_column(Text)
    worksite_id: Mapped[int | None] = mapped_column(ForeignKey("worksites.id", ondelete="SET NULL"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    body_part: Mapped[str] = mapped_column(String(100), default="")
    #: Medical: shown to HR only once saved.
    treatment: Mapped[str] = mapped_column(Text, default="")
    task_key: Mapped[str | None] = mapped_column(String(64))
    equipment_id: Mapped[int | None] = mapped_column(
        ForeignKey("equipment.id", ondelete="SET NULL")
    )
    reported_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    #: Who at the plant was told (supervisor, safety lead…), as free text.
    told_whom: Mapped[str] = mapped_column(Text, default="")
    guardian_notified_on: Mapped[date | None] = mapped_column(Date)
    guardian_not_needed: Mapped[str | None] = mapped_column(Text)
    school_notified_on: Mapped[date | None] = mapped_column(Date)
    school_not_needed: Mapped[str | None] = mapped_column(Text)
    idol_reported_on: Mapped[date | None] = mapped_column(Date)
    idol_not_needed: Mapped[str | None] = mapped_column(Text)
    osha_recordable: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
