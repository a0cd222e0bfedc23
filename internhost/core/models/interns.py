"""Interns and what belongs to them: contacts, notes, released records, placements.

An intern with their contacts and placements is one aggregate: creating one with
a guardian and a placement writes one audit event.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import (
    CONTACT_KINDS,
    EMPLOYEE_STATUSES,
    NOTE_VISIBILITIES,
    OPEN_PLACEMENT_STATUSES,
    PLACEMENT_STATUSES,
    PROGRAMS,
    WEEKDAYS,
    one_of,
)

_OPEN = ", ".join(f"'{status}'" for status in OPEN_PLACEMENT_STATUSES)


class Intern(IdMixin, TimestampMixin, Base):
    __tablename__ = "interns"
    __table_args__ = (
        UniqueConstraint("school_id", "student_id"),
        CheckConstraint("grade IS NULL OR grade BETWEEN 1 AND 12", name="grade_range"),
        CheckConstraint("length(legal_first_name) > 0", name="first_name_set"),
        CheckConstraint("length(legal_last_name) > 0", name="last_name_set"),
    )

    legal_first_name: Mapped[str] = mapped_column(String(100))
    legal_last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    #: Case- and accent-folded names for search ("nguyen" finds Nguyễn); see core.text.
    search_name: Mapped[str] = mapped_column(String(400), index=True)
    #: Folded "last first" for sorting by name in SQL.
    sort_name: Mapped[str] = mapped_column(String(220), index=True)
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    residence_district_id: Mapped[int | None] = mapped_column(
        ForeignKey("districts.id", ondelete="SET NULL")
    )
    residence_district_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    grade: Mapped[int | None] = mapped_column(Integer)
    student_id: Mapped[str | None] = mapped_column(String(64))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contacts: Mapped[list[InternContact]] = relationship(
        back_populates="intern", cascade="all, delete-orphan", order_by="InternContact.position"
    )
    placements: Mapped[list[Placement]] = relationship(
        back_populates="intern", cascade="all, delete-orphan", order_by="Placement.start_date"
    )


class InternContact(IdMixin, Base):
    """A parent/guardian or an emergency contact; ``position`` 0 is the first guardian."""

    __tablename__ = "intern_contacts"
    __table_args__ = (
        one_of("kind", CONTACT_KINDS),
        CheckConstraint("length(name) > 0", name="name_set"),
    )
    __audit_root__ = ("interns", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    relationship_: Mapped[str] = mapped_column("relationship", String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    may_authorize_treatment: Mapped[bool] = mapped_column(Boolean, default=False)

    intern: Mapped[Intern] = relationship(back_populates="contacts")


class MedicalNote(IdMixin, TimestampMixin, Base):
    """Allergies, conditions, accommodations: only HR may read these."""

    __tablename__ = "medical_notes"
    __audit_root__ = ("interns", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)


class Note(IdMixin, TimestampMixin, Base):
    """A note about an intern; ``shared`` notes may go to the school, ``internal`` ones never."""

    __tablename__ = "notes"
    __table_args__ = (one_of("visibility", NOTE_VISIBILITIES),)
    __audit_root__ = ("interns", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placements.id", ondelete="SET NULL")
    )
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    #: The check-in this note was written on (an internal note: HR and its author only).
    check_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_ins.id", ondelete="CASCADE"), index=True
    )
    visibility: Mapped[str] = mapped_column(String(10), default="internal")
    body: Mapped[str] = mapped_column(Text)


class RecordRelease(IdMixin, TimestampMixin, Base):
    """A student record the school released to the employer, and under what consent (FERPA, C15)."""

    __tablename__ = "record_releases"
    __audit_root__ = ("interns", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"), index=True)
    record_type: Mapped[str] = mapped_column(String(200))
    released_on: Mapped[date] = mapped_column(Date)
    consent_basis: Mapped[str] = mapped_column(String(200), default="")
    consent_signed_by: Mapped[str] = mapped_column(String(200), default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    redisclosure_notice_received: Mapped[bool] = mapped_column(Boolean, default=False)


#: The columns holding the seven primary-beneficiary answers, in DOL Fact Sheet #71's order.
PRIMARY_BENEFICIARY_FACTORS = (
    "pb_no_pay_expected",
    "pb_educational_training",
    "pb_tied_to_education",
    "pb_follows_academic_calendar",
    "pb_limited_duration",
    "pb_complements_staff",
    "pb_no_job_entitlement",
)


class Placement(IdMixin, TimestampMixin, Base):
    """One internship: intern × worksite × mentor × school, for a span of dates."""

    __tablename__ = "placements"
    __table_args__ = (
        one_of("program", PROGRAMS),
        one_of("employee_status", EMPLOYEE_STATUSES),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint(
            "hourly_rate_cents IS NULL OR hourly_rate_cents >= 0", name="rate_nonnegative"
        ),
        CheckConstraint("required_hours IS NULL OR required_hours >= 0", name="hours_nonnegative"),
        CheckConstraint(
            "check_in_every_days IS NULL OR check_in_every_days > 0", name="cadence_positive"
        ),
        CheckConstraint(
            "employee_status = 'employee' OR employee_status_decided_by IS NOT NULL",
            name="not_employee_is_recorded",
        ),
        one_of("status", PLACEMENT_STATUSES),
        CheckConstraint("badge IS NULL OR length(badge) > 0", name="badge_not_empty"),
        # A time clock names people by badge: one open placement per badge.
        Index(
            "ix_placements_open_badge",
            "badge",
            unique=True,
            sqlite_where=text(f"badge IS NOT NULL AND status IN ({_OPEN})"),
        ),
    )
    __audit_root__ = ("interns", "intern_id")

    intern_id: Mapped[int] = mapped_column(ForeignKey("interns.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    worksite_id: Mapped[int | None] = mapped_column(ForeignKey("worksites.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    paid: Mapped[bool] = mapped_column(Boolean, default=True)
    hourly_rate_cents: Mapped[int | None] = mapped_column(Integer)
    program: Mapped[str] = mapped_column(String(20), default="employment")
    required_hours: Mapped[int | None] = mapped_column(Integer)
    check_in_every_days: Mapped[int | None] = mapped_column(Integer, default=7)
    # The primary-beneficiary test for unpaid placements (LEGAL.md §2.10): True means the
    # factor points to the intern as the primary beneficiary, False to employment.
    pb_no_pay_expected: Mapped[bool | None] = mapped_column(Boolean)
    pb_educational_training: Mapped[bool | None] = mapped_column(Boolean)
    pb_tied_to_education: Mapped[bool | None] = mapped_column(Boolean)
    pb_follows_academic_calendar: Mapped[bool | None] = mapped_column(Boolean)
    pb_limited_duration: Mapped[bool | None] = mapped_column(Boolean)
    pb_complements_staff: Mapped[bool | None] = mapped_column(Boolean)
    pb_no_job_entitlement: Mapped[bool | None] = mapped_column(Boolean)
    #: Only an explicit HR conclusion makes an intern ``not_employee`` (LEGAL.md §1.1).
    employee_status: Mapped[str] = mapped_column(String(20), default="employee")
    employee_status_decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    employee_status_decided_on: Mapped[date | None] = mapped_column(Date)
    employee_status_reason: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``PLACEMENT_STATUSES``; ``status_note`` says why a draft is one or how it ended.
    status: Mapped[str] = mapped_column(String(12), default="active")
    status_note: Mapped[str | None] = mapped_column(Text)
    #: The intern's badge (employee) number on the time clock; imports of hours match it.
    badge: Mapped[str | None] = mapped_column(String(40))
    #: The mentor's draft reference letter, as edited (None: not written yet, the
    #: form starts from the wording in ``resources/forms/reference-letter.toml``).
    reference_letter: Mapped[str | None] = mapped_column(Text)

    intern: Mapped[Intern] = relationship(back_populates="placements")
    assignments: Mapped[list[PlacementAssignment]] = relationship(
        back_populates="placement", cascade="all, delete-orphan"
    )
    notice_hours: Mapped[list[NoticeHours]] = relationship(
        back_populates="placement", cascade="all, delete-orphan"
    )
    student_learner_agreement: Mapped[StudentLearnerAgreement | None] = relationship(
        back_populates="placement", cascade="all, delete-orphan"
    )


class PlacementAssignment(IdMixin, Base):
    """What a placement says the intern will do, checked before any shift exists: one
    row per worksite area, task-catalog task or machine of the equipment register.

    ``details`` holds a task's condition facts in the engine's input format (as on
    ``WorkTask``), e.g. a vehicle's weight for HO 2.
    """

    __tablename__ = "placement_assignments"
    __table_args__ = (
        CheckConstraint(
            "(area_id IS NOT NULL) + (task_key IS NOT NULL) + (equipment_id IS NOT NULL) = 1",
            name="one_thing",
        ),
    )

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    task_key: Mapped[str | None] = mapped_column(String(64))
    equipment_id: Mapped[int | None] = mapped_column(ForeignKey("equipment.id", ondelete="CASCADE"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    placement: Mapped[Placement] = relationship(back_populates="assignments")

    def audit_aggregate(self) -> tuple[str, int | None]:
        return _placement_root(self)


class NoticeHours(IdMixin, Base):
    """Hours stated in the Illinois notice of intention to employ (206/55(b)(4)(A))."""

    __tablename__ = "notice_hours"
    __table_args__ = (
        one_of("weekday", WEEKDAYS),
        CheckConstraint("end_time > start_time", name="end_after_start"),
    )

    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    weekday: Mapped[str] = mapped_column(String(3))
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)

    placement: Mapped[Placement] = relationship(back_populates="notice_hours")

    def audit_aggregate(self) -> tuple[str, int | None]:
        return _placement_root(self)


class StudentLearnerAgreement(IdMixin, TimestampMixin, Base):
    """What the written student-learner agreement of 29 CFR 570.50(c) says (LEGAL.md
    §1.6), one per placement: the elements the placement itself does not already hold
    (its intern's name, the school, the assigned work). The signed paper stays a
    ``Document`` (``student_learner_agreement``); these are its terms, for the form."""

    __tablename__ = "student_learner_agreements"

    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), unique=True
    )
    #: (1) the cooperative vocational training program the student is enrolled in,
    #: and the State or local educational authority (or private school) running it.
    vocational_program: Mapped[str] = mapped_column(String(200), default="")
    educational_authority: Mapped[str] = mapped_column(String(200), default="")
    #: (2)(i) the hazardous work is incidental to the training.
    work_incidental: Mapped[bool] = mapped_column(Boolean, default=False)
    #: (2)(ii) intermittent, for short periods, under direct and close supervision of
    #: a qualified and experienced person (``supervisor_name``).
    intermittent_short_periods: Mapped[bool] = mapped_column(Boolean, default=False)
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    #: (2)(iii) safety instructions given by the school, correlated by the employer
    #: with on-the-job training.
    school_safety_instruction: Mapped[str] = mapped_column(Text, default="")
    employer_safety_training: Mapped[str] = mapped_column(Text, default="")
    #: (2)(iv) the schedule of organized and progressive work processes.
    work_processes: Mapped[str] = mapped_column(Text, default="")
    #: (3) signed by the employer and the school coordinator or principal.
    employer_signed_by: Mapped[str] = mapped_column(String(200), default="")
    employer_signed_on: Mapped[date | None] = mapped_column(Date)
    school_signed_by: Mapped[str] = mapped_column(String(200), default="")
    school_signed_on: Mapped[date | None] = mapped_column(Date)
    #: (4) copies kept on file by both the school and the employer.
    school_copy_on_file: Mapped[bool] = mapped_column(Boolean, default=False)
    employer_copy_on_file: Mapped[bool] = mapped_column(Boolean, default=False)

    placement: Mapped[Placement] = relationship(back_populates="student_learner_agreement")

    def audit_aggregate(self) -> tuple[str, int | None]:
        return _placement_root(self)


def _placement_root(
    row: NoticeHours | PlacementAssignment | StudentLearnerAgreement,
) -> tuple[str, int | None]:
    """A placement's child is audited with its intern."""
    # Mid-flush either can be None, whatever the annotations say: a row its placement
    # let go of (delete-orphan) has no placement, a row never attached no id either.
    placement = cast("Placement | None", row.placement)
    placement_id = cast("int | None", row.placement_id)
    session = object_session(row)
    if placement is None and placement_id is not None and session is not None:
        placement = session.get(Placement, placement_id)
    return "interns", placement.intern_id if placement is not None else None
