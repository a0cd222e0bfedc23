"""An intern's growth: goals, competency frameworks and their ratings, evaluations,
the school coordinator's site visits, and how a placement ended."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import (
    EVALUATION_KINDS,
    GOAL_STATUSES,
    OUTCOME_KINDS,
    VERIFICATIONS,
    one_of,
)


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
    """A set of competencies (e.g. Illinois essential employability competencies).

    Frameworks shipped in ``resources/competencies/`` are ``shipped``; HR may edit
    one (``edited_at``), and a newer shipped version then arrives as a new row beside
    the edited copy, never over it: a framework is (key, version)."""

    __tablename__ = "competency_frameworks"
    __table_args__ = (UniqueConstraint("key", "version"), one_of("verification", VERIFICATIONS))

    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str] = mapped_column(String(1), default="M")
    #: Highest level on the rating scale (levels run 1..scale_max).
    scale_max: Mapped[int] = mapped_column(Integer, default=4)
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competencies: Mapped[list[Competency]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="Competency.position"
    )


class Competency(IdMixin, Base):
    """One competency of a framework; one with ratings is retired, never deleted."""

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
    verification: Mapped[str | None] = mapped_column(String(1))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    framework: Mapped[CompetencyFramework] = relationship(back_populates="competencies")


class Evaluation(IdMixin, TimestampMixin, Base):
    """A progress, mid-point or final evaluation of an intern over a framework's
    rubric, and who signed it when: the mentor (``submitted_at``), the intern
    (acknowledged) and the school coordinator (verified, with name and date)."""

    __tablename__ = "evaluations"
    __table_args__ = (one_of("kind", EVALUATION_KINDS),)

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="progress")
    framework_id: Mapped[int | None] = mapped_column(
        ForeignKey("competency_frameworks.id", ondelete="SET NULL")
    )
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    period_label: Mapped[str] = mapped_column(String(100))
    evaluated_on: Mapped[date] = mapped_column(Date)
    #: An overall level on the framework's scale (1..scale_max), if given.
    overall: Mapped[int | None] = mapped_column(Integer)
    strengths: Mapped[str] = mapped_column(Text, default="")
    growth_areas: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intern_acknowledged_on: Mapped[date | None] = mapped_column(Date)
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


class SiteVisit(IdMixin, TimestampMixin, Base):
    """A visit by the school coordinator to the worksite."""

    __tablename__ = "site_visits"
    __table_args__ = (CheckConstraint("length(visitor) > 0", name="visitor_not_empty"),)

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    visited_on: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )


class PlacementOutcome(IdMixin, TimestampMixin, Base):
    """How a placement ended: completed (exit reflection, the mentor's closing notes,
    next steps, whether it counts toward the Career Development Experience) or
    terminated early (its reason, and when the school got the notice of concerns)."""

    __tablename__ = "placement_outcomes"
    __table_args__ = (one_of("kind", OUTCOME_KINDS),)

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    ended_on: Mapped[date] = mapped_column(Date)
    termination_reason: Mapped[str] = mapped_column(Text, default="")
    concerns_notice_sent_on: Mapped[date | None] = mapped_column(Date)
    exit_reflection: Mapped[str] = mapped_column(Text, default="")
    mentor_notes: Mapped[str] = mapped_column(Text, default="")
    #: Next steps toward college and career (an editable vocabulary).
    next_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    counts_toward_cde: Mapped[bool | None] = mapped_column(Boolean)
