"""Planned shifts and logged time entries, with their breaks and tasks.

Times are local wall-clock times at the worksite (its ``time_zone``), as the
law counts them; ``work_date`` is the local date the shift starts on.
A break or task belongs to exactly one shift or one time entry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
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
from internhost.core.models.enums import TIME_SOURCES, one_of

_ONE_PARENT = "(shift_id IS NULL) != (time_entry_id IS NULL)"


class _WorkSpan:
    """Columns shared by planned shifts and logged time entries."""

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    work_date: Mapped[date] = mapped_column(Date, index=True)
    start_local: Mapped[datetime] = mapped_column(DateTime)
    end_local: Mapped[datetime] = mapped_column(DateTime)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    supervisor_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    supervisor_21_or_older: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class Shift(IdMixin, TimestampMixin, _WorkSpan, Base):
    __tablename__ = "shifts"
    __table_args__ = (CheckConstraint("end_local > start_local", name="end_after_start"),)

    #: Shifts planned together from one recurring pattern share it (edit or delete the
    #: series); NULL for a shift planned alone.
    series: Mapped[str | None] = mapped_column(String(40), index=True)
    #: The pattern as planned (dateutil ``rrule`` text), on every shift of the series.
    recurrence: Mapped[str | None] = mapped_column(Text)

    breaks: Mapped[list[WorkBreak]] = relationship(
        back_populates="shift", cascade="all, delete-orphan", order_by="WorkBreak.start_local"
    )
    tasks: Mapped[list[WorkTask]] = relationship(
        back_populates="shift", cascade="all, delete-orphan"
    )


class TimeEntry(IdMixin, TimestampMixin, _WorkSpan, Base):
    """Hours actually worked; a mentor approves them and HR locks them for payroll."""

    __tablename__ = "time_entries"
    __table_args__ = (
        CheckConstraint("end_local > start_local", name="end_after_start"),
        CheckConstraint("locked_at IS NULL OR approved_at IS NOT NULL", name="lock_after_approval"),
        CheckConstraint(
            "auto_break_minutes IS NULL OR auto_break_minutes > 0", name="auto_break_positive"
        ),
        one_of("source", TIME_SOURCES),
        # Entries waiting for approval, for the queue.
        Index(
            "ix_time_entries_unapproved",
            "placement_id",
            "work_date",
            sqlite_where=text("approved_at IS NULL"),
        ),
    )

    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10), default="manual")
    approved_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who typed or imported it: a mentor may not approve an entry they entered.
    entered_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    #: A break the clock deducted with no punches: not worked, yet no break for the
    #: meal rules (nobody recorded when it was taken).
    auto_break_minutes: Mapped[int | None] = mapped_column(Integer)

    breaks: Mapped[list[WorkBreak]] = relationship(
        back_populates="time_entry", cascade="all, delete-orphan", order_by="WorkBreak.start_local"
    )
    tasks: Mapped[list[WorkTask]] = relationship(
        back_populates="time_entry", cascade="all, delete-orphan"
    )


class WorkBreak(IdMixin, Base):
    """An unpaid break inside a shift or a time entry (time not worked)."""

    __tablename__ = "work_breaks"
    __table_args__ = (
        CheckConstraint(_ONE_PARENT, name="one_parent"),
        CheckConstraint("end_local > start_local", name="end_after_start"),
    )

    shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="CASCADE"), index=True
    )
    time_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("time_entries.id", ondelete="CASCADE"), index=True
    )
    start_local: Mapped[datetime] = mapped_column(DateTime)
    end_local: Mapped[datetime] = mapped_column(DateTime)

    shift: Mapped[Shift | None] = relationship(back_populates="breaks")
    time_entry: Mapped[TimeEntry | None] = relationship(back_populates="breaks")

    def audit_aggregate(self) -> tuple[str, int | None]:
        return _span_root(self)


class WorkTask(IdMixin, Base):
    """A task-catalog key done during a shift or entry; ``minutes`` NULL means the whole span.

    ``details`` holds the task's condition facts (e.g. HO 2's vehicle weight and trips,
    a baler's key-lock), as the rule engine's input format names them.
    """

    __tablename__ = "work_tasks"
    __table_args__ = (
        CheckConstraint(_ONE_PARENT, name="one_parent"),
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
    )

    shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="CASCADE"), index=True
    )
    time_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("time_entries.id", ondelete="CASCADE"), index=True
    )
    task_key: Mapped[str] = mapped_column(String(64))
    equipment_id: Mapped[int | None] = mapped_column(
        ForeignKey("equipment.id", ondelete="SET NULL")
    )
    minutes: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    shift: Mapped[Shift | None] = relationship(back_populates="tasks")
    time_entry: Mapped[TimeEntry | None] = relationship(back_populates="tasks")

    def audit_aggregate(self) -> tuple[str, int | None]:
        return _span_root(self)


def _span_root(row: WorkBreak | WorkTask) -> tuple[str, int | None]:
    if row.shift_id is not None:
        return "shifts", row.shift_id
    return "time_entries", row.time_entry_id


class PayPeriod(IdMixin, Base):
    """A workweek HR closed for payroll: its entries are locked (``TimeEntry.locked_at``).

    Weeks start on ``Employer.workweek_start``; only closed weeks have a row.
    """

    __tablename__ = "pay_periods"
    __table_args__ = (
        UniqueConstraint("start_date"),
        CheckConstraint("end_date >= start_date", name="end_after_start"),
    )

    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )


class Absence(IdMixin, TimestampMixin, Base):
    """A planned shift the intern did not work, excused or not, and why."""

    __tablename__ = "absences"
    __table_args__ = (UniqueConstraint("shift_id"),)

    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    excused: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    marked_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )

    def audit_aggregate(self) -> tuple[str, int | None]:
        return "shifts", self.shift_id


class PlantClosure(IdMixin, Base):
    """A day a worksite (or, with no worksite, every one) is closed: recurring shifts
    skip it as they skip the school district's non-school days."""

    __tablename__ = "plant_closures"
    __table_args__ = (UniqueConstraint("worksite_id", "day"),)

    worksite_id: Mapped[int | None] = mapped_column(
        ForeignKey("worksites.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
