"""Mentorship: check-ins, goals, competencies and their ratings, evaluations, incidents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import (
    GOAL_STATUSES,
    INCIDENT_KINDS,
    NOTE_VISIBILITIES,
    VERIFICATIONS,
    one_of,
)


class CheckIn(IdMixin, TimestampMixin, Base):
    """A mentor's two-minute check-in with an intern."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        CheckConstraint("mood IS NULL OR mood BETWEEN 1 AND 5", name="mood_range"),
        one_of("visibility", NOTE_VISIBILITIES),
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
    mood: Mapped[int | None] = mapped_column(Integer)
    went_well: Mapped[str] = mapped_column(Text, default="")
    needs_help: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    safety_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="shared")


class Goal(IdMixin, TimestampMixin, Base):
    __tablename__ = "goals"
    __table_args__ = (one_of("status", GOAL_STATUSES),)

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    competency_id: Mapped[int | None] = mapped_column(
        ForeignKey("competencies.id", ondelete="SET NULL")
    )


class CompetencyFramework(IdMixin, TimestampMixin, Base):
    """A set of competencies (e.g. Illinois essential employability competencies)."""

    __tablename__ = "competency_frameworks"
    __table_args__ = (UniqueConstraint("key"), one_of("verification", VERIFICATIONS))

    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str] = mapped_column(String(1), default="M")
    #: Highest level on the rating scale (levels run 1..scale_max).
    scale_max: Mapped[int] = mapped_column(Integer, default=4)

    competencies: Mapped[list[Competency]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="Competency.position"
    )


class Competency(IdMixin, Base):
    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("framework_id", "key"),)
    __audit_root__ = ("competency_frameworks", "framework_id")

    framework_id: Mapped[int] = mapped_column(
        ForeignKey("competency_frameworks.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    framework: Mapped[CompetencyFramework] = relationship(back_populates="competencies")


class Evaluation(IdMixin, TimestampMixin, Base):
    """A periodic evaluation (skills assessment) of an intern, with its ratings."""

    __tablename__ = "evaluations"
    __table_args__ = (
        CheckConstraint("overall IS NULL OR overall BETWEEN 1 AND 5", name="overall_range"),
    )

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    period_label: Mapped[str] = mapped_column(String(100))
    evaluated_on: Mapped[date] = mapped_column(Date)
    overall: Mapped[int | None] = mapped_column(Integer)
    strengths: Mapped[str] = mapped_column(Text, default="")
    growth_areas: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    school_verified_by: Mapped[str] = mapped_column(String(200), default="")
    school_verified_on: Mapped[date | None] = mapped_column(Date)

    ratings: Mapped[list[CompetencyRating]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )


class CompetencyRating(IdMixin, Base):
    __tablename__ = "competency_ratings"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "competency_id"),
        CheckConstraint("level >= 1", name="level_positive"),
    )
    __audit_root__ = ("evaluations", "evaluation_id")

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    level: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text, default="")

    evaluation: Mapped[Evaluation] = relationship(back_populates="ratings")


class Incident(IdMixin, TimestampMixin, Base):
    """An incident, injury, illness or near miss (C19): who was told, and when."""

    __tablename__ = "incidents"
    __table_args__ = (one_of("kind", INCIDENT_KINDS),)

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at_local: Mapped[datetime] = mapped_column()
    description: Mapped[str] = mapped_column(Text)
    body_part: Mapped[str] = mapped_column(String(100), default="")
    treatment: Mapped[str] = mapped_column(Text, default="")
    task_key: Mapped[str | None] = mapped_column(String(64))
    equipment_id: Mapped[int | None] = mapped_column(
        ForeignKey("equipment.id", ondelete="SET NULL")
    )
    reported_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    guardian_notified_on: Mapped[date | None] = mapped_column(Date)
    school_notified_on: Mapped[date | None] = mapped_column(Date)
    idol_reported_on: Mapped[date | None] = mapped_column(Date)
    osha_recordable: Mapped[bool | None] = mapped_column(Boolean)
