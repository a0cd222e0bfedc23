"""Bookkeeping records: remembered import mappings, exported packets, app state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from internhost.core.models.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow


class ImportMapping(IdMixin, TimestampMixin, Base):
    """A file header remembered as meaning one canonical column (``--map "H=C"``)."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("kind", "header"),)

    kind: Mapped[str] = mapped_column(String(32))
    #: The header as folded for matching (case, accents and spacing ignored).
    header: Mapped[str] = mapped_column(String(200))
    column: Mapped[str] = mapped_column(String(64))


class PacketExport(IdMixin, Base):
    """A PDF packet that was produced: what, for whom, from which data and rule packs.

    ``verification`` is the 12-character code printed in the packet's footer (a hash of
    its data snapshot): two packets with the same code hold the same data. The audit
    chain's head at generation (``chain_seq``, ``chain_hash``) lets ``audit verify``
    later prove the live trail still extends what the packet was made from. A reprint
    after the data changed names the version it replaces (``replaces_id``).
    """

    __tablename__ = "packet_exports"
    __table_args__ = (
        CheckConstraint("page_count IS NULL OR page_count > 0", name="pages_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placements.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    rule_packs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    intern_id: Mapped[int | None] = mapped_column(
        ForeignKey("interns.id", ondelete="SET NULL"), index=True
    )
    verification: Mapped[str] = mapped_column(String(12), default="")
    chain_seq: Mapped[int | None] = mapped_column(Integer)
    chain_hash: Mapped[str] = mapped_column(String(64), default="")
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("packet_exports.id", ondelete="SET NULL")
    )


class AppState(Base):
    """Small facts about the database itself (e.g. when birthdays were last swept)."""

    __tablename__ = "app_state"
    __audited__ = False

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
