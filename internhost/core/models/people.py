"""Staff (mentors, supervisors, HR contacts) and the user accounts that log in."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from internhost.core.models.enums import STAFF_ROLES, USER_ROLES, one_of


class Staff(IdMixin, TimestampMixin, Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("email"), one_of("role", STAFF_ROLES))

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(40), default="")
    worksite_id: Mapped[int | None] = mapped_column(ForeignKey("worksites.id", ondelete="SET NULL"))
    is_21_or_older: Mapped[bool] = mapped_column(Boolean, default=False)
    age_attested_on: Mapped[date | None] = mapped_column(Date)
    clearance_date: Mapped[date | None] = mapped_column(Date)
    mentor_training_date: Mapped[date | None] = mapped_column(Date)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class UserAccount(IdMixin, TimestampMixin, Base):
    """Someone who logs in. A mentor's account is tied to their staff record."""

    __tablename__ = "user_accounts"
    __table_args__ = (UniqueConstraint("username"), one_of("role", USER_ROLES))
    __audit_redact__ = frozenset({"password_hash", "password_salt"})

    username: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    password_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    password_salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff | None] = relationship()
    tokens: Mapped[list[LoginToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class LoginToken(IdMixin, Base):
    """A "remember me" token; only its hash is stored, the token lives in the OS keyring."""

    __tablename__ = "login_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)
    __audit_root__ = ("user_accounts", "user_id")
    __audit_redact__ = frozenset({"token_hash"})

    user_id: Mapped[int] = mapped_column(ForeignKey("user_accounts.id", ondelete="CASCADE"))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary)
    device_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[UserAccount] = relationship(back_populates="tokens")
