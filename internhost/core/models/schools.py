"""School districts with their calendars, and the schools interns attend.

Federal hours follow the calendar of the public district where the intern
*lives* (LEGAL.md §0), so calendars hang off districts, not schools.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import CALENDAR_DAY_KINDS, one_of


class District(IdMixin, TimestampMixin, Base):
    __tablename__ = "districts"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("length(state) = 2", name="state_code"),
    )

    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2), default="IL")

    calendars: Mapped[list[SchoolCalendar]] = relationship(
        back_populates="district", cascade="all, delete-orphan", order_by="SchoolCalendar.first_day"
    )
    schools: Mapped[list[School]] = relationship(back_populates="district")


class SchoolCalendar(IdMixin, Base):
    """One school year of a district: in session on weekdays between first and last day,
    at the default hours, except the days listed as exceptions."""

    __tablename__ = "school_calendars"
    __table_args__ = (
        UniqueConstraint("district_id", "school_year"),
        CheckConstraint("last_day >= first_day", name="last_after_first"),
        CheckConstraint("day_end > day_start", name="end_after_start"),
    )
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    school_year: Mapped[str] = mapped_column(String(9))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    day_start: Mapped[time] = mapped_column(Time)
    day_end: Mapped[time] = mapped_column(Time)

    district: Mapped[District] = relationship(back_populates="calendars")
    days: Mapped[list[CalendarDay]] = relationship(
        back_populates="calendar", cascade="all, delete-orphan", order_by="CalendarDay.day"
    )


class CalendarDay(IdMixin, Base):
    """An exception to the default school day: no school, early dismissal, late start."""

    __tablename__ = "calendar_days"
    __table_args__ = (
        UniqueConstraint("calendar_id", "day"),
        one_of("kind", CALENDAR_DAY_KINDS),
        CheckConstraint(
            "(kind = 'no_school' AND start_time IS NULL AND end_time IS NULL)"
            " OR (kind != 'no_school' AND start_time IS NOT NULL AND end_time > start_time)",
            name="hours_match_kind",
        ),
    )

    calendar_id: Mapped[int] = mapped_column(ForeignKey("school_calendars.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")

    __audit_root__ = ("school_calendars", "calendar_id")

    calendar: Mapped[SchoolCalendar] = relationship(back_populates="days")


class School(IdMixin, TimestampMixin, Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("name"),)

    name: Mapped[str] = mapped_column(String(200))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    address: Mapped[str] = mapped_column(Text, default="")
    coordinator_name: Mapped[str] = mapped_column(String(200), default="")
    coordinator_email: Mapped[str] = mapped_column(String(320), default="")
    coordinator_phone: Mapped[str] = mapped_column(String(40), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    district: Mapped[District] = relationship(back_populates="schools")
