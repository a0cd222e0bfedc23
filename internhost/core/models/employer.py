"""The employer (one per database), its worksites, their areas and equipment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import AREA_KINDS, WEEKDAYS, one_of


class Employer(IdMixin, TimestampMixin, Base):
    __tablename__ = "employer"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_employer"),
        one_of("workweek_start", WEEKDAYS),
    )

    legal_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    hr_contact_name: Mapped[str] = mapped_column(String(200), default="")
    hr_contact_email: Mapped[str] = mapped_column(String(320), default="")
    hr_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    flsa_covered: Mapped[bool] = mapped_column(Boolean, default=True)
    workweek_start: Mapped[str] = mapped_column(String(3), default="sun")
    wc_carrier: Mapped[str] = mapped_column(String(200), default="")
    wc_policy_number: Mapped[str] = mapped_column(String(100), default="")
    wc_policy_expires: Mapped[date | None] = mapped_column(Date)
    liability_coi_expires: Mapped[date | None] = mapped_column(Date)
    child_labor_notice_posted_on: Mapped[date | None] = mapped_column(Date)
    federal_poster_posted_on: Mapped[date | None] = mapped_column(Date)

    worksites: Mapped[list[Worksite]] = relationship(back_populates="employer")


class Worksite(IdMixin, TimestampMixin, Base):
    __tablename__ = "worksites"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("length(state) = 2", name="state_code"),
        CheckConstraint("length(time_zone) > 0", name="time_zone_set"),
    )

    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    time_zone: Mapped[str] = mapped_column(String(64))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employer: Mapped[Employer] = relationship(back_populates="worksites")
    areas: Mapped[list[Area]] = relationship(
        back_populates="worksite", cascade="all, delete-orphan", order_by="Area.name"
    )
    equipment: Mapped[list[Equipment]] = relationship(
        back_populates="worksite", cascade="all, delete-orphan", order_by="Equipment.name"
    )


class Area(IdMixin, Base):
    """A part of a worksite; production workrooms are off limits to 14–15-year-olds."""

    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("worksite_id", "name"), one_of("kind", AREA_KINDS))
    __audit_root__ = ("worksites", "worksite_id")

    worksite_id: Mapped[int] = mapped_column(ForeignKey("worksites.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))

    worksite: Mapped[Worksite] = relationship(back_populates="areas")


class Equipment(IdMixin, TimestampMixin, Base):
    __tablename__ = "equipment"
    __table_args__ = (UniqueConstraint("worksite_id", "name"),)

    worksite_id: Mapped[int] = mapped_column(ForeignKey("worksites.id", ondelete="CASCADE"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    worksite: Mapped[Worksite] = relationship(back_populates="equipment")
    tasks: Mapped[list[EquipmentTask]] = relationship(
        back_populates="equipment", cascade="all, delete-orphan"
    )


class EquipmentTask(IdMixin, Base):
    """A task-catalog key (rule packs) that can be done on a machine: a baler has two."""

    __tablename__ = "equipment_tasks"
    __table_args__ = (
        UniqueConstraint("equipment_id", "task_key"),
        CheckConstraint("length(task_key) > 0", name="task_key_set"),
    )

    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id", ondelete="CASCADE"))
    task_key: Mapped[str] = mapped_column(String(64))

    __audit_root__ = ("equipment", "equipment_id")

    equipment: Mapped[Equipment] = relationship(back_populates="tasks")
