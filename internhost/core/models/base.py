"""Declarative base, naming convention and the column types every model shares.

The naming convention gives every constraint a stable name, which SQLite's batch
migrations need to drop or alter one later. ``UTCDateTime`` stores system
timestamps as naive UTC and hands back aware UTC, so no caller compares a naive
time with an aware one. Work times (shifts, school hours) are local wall-clock
times and use plain ``DateTime``/``Time`` columns instead.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, Table, TypeDecorator, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


#: The moment of the flush under way, set by the audit hooks (``core/trail/audit.py``).
flush_moment: ContextVar[datetime | None] = ContextVar("flush_moment", default=None)


def update_stamp() -> datetime:
    """``updated_at`` of a row an UPDATE changes: one moment for a whole flush. (For an
    executemany, SQLAlchemy hands every object the first row's value, so a value per
    row would leave the objects, and their audit entries, unlike the rows.)"""
    return flush_moment.get() or utcnow()


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("system timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model here maps a Table (DeclarativeBase says FromClause, which also
        # covers mapping a join or a select); only for the type checker, as SQLAlchemy
        # reads a class's annotations.
        __table__: ClassVar[Table]

    #: Aggregate this row's changes are audited under: (aggregate type, column holding
    #: the root's id). None means the row is its own root, named by its table.
    __audit_root__: ClassVar[tuple[str, str] | None] = None
    #: Columns whose values never enter the audit payload (secrets, blobs).
    __audit_redact__: ClassVar[frozenset[str]] = frozenset()
    #: Columns copied from versioned data (a rule pack's texts) that the row's other
    #: columns identify: left out of created and deleted rows' payloads.
    __audit_derived__: ClassVar[frozenset[str]] = frozenset()
    #: Tables that are never audited (the audit log itself).
    __audited__: ClassVar[bool] = True

    def audit_aggregate(self) -> tuple[str, int | None]:
        """(type, id) of the aggregate whose audit event records this row's change."""
        if self.__audit_root__ is None:
            return self.__tablename__, getattr(self, "id", None)
        kind, column = self.__audit_root__
        return kind, getattr(self, column)


class IdMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class TimestampMixin:
    """When a row was created and last changed. The database stamps new rows itself
    (CURRENT_TIMESTAMP is UTC): no Python default runs per row of a bulk insert."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, server_default=func.current_timestamp()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, onupdate=update_stamp, server_default=func.current_timestamp()
    )
