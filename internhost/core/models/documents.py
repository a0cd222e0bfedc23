"""Evidence documents (certificates, agreements, proof of age), stored in the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from internhost.core.models.base import Base, IdMixin, TimestampMixin


class Document(IdMixin, TimestampMixin, Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(
            "expires_on IS NULL OR issued_on IS NULL OR expires_on >= issued_on",
            name="expires_after_issued",
        ),
        CheckConstraint("size_bytes >= 0", name="size_nonnegative"),
        # A record may note a document seen on paper (no scan): then neither is stored.
        CheckConstraint(
            "(content IS NULL AND sha256 IS NULL) OR (content IS NOT NULL AND length(sha256) = 64)",
            name="content_hashed",
        ),
    )
    __audit_redact__ = frozenset({"content"})

    intern_id: Mapped[int | None] = mapped_column(
        ForeignKey("interns.id", ondelete="CASCADE"), index=True
    )
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    doc_type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    #: Deferred: lists of documents never drag their contents along.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
