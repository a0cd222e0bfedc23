"""A school's own fillable PDF (an AcroForm), registered once by HR, and which
InternHost value goes into each of its fields.

The PDF is kept inside the (encrypted) database like an attachment (``Document``):
deferred, hashed, redacted from the audit trail. The mapping is a row per field
(the field's fully qualified name in the PDF, the value key of the catalogue in
``core/reports/school_form_values.py``), an aggregate of the form.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from internhost.core.models.base import Base, IdMixin, TimestampMixin

#: The longest field name a mapping stores (a PDF's qualified names are far shorter).
FIELD_NAME_MAX = 500


class SchoolForm(IdMixin, TimestampMixin, Base):
    __tablename__ = "school_forms"
    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        CheckConstraint("size_bytes > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )
    __audit_redact__ = frozenset({"content"})

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255), default="")
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    #: Deferred: the list of forms never drags the PDFs along.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    #: HR's choice: filled copies flattened (no fields left) or left editable.
    flatten: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_accounts.id", ondelete="SET NULL")
    )


class SchoolFormField(IdMixin, Base):
    """One field of a registered form mapped to an InternHost value."""

    __tablename__ = "school_form_fields"
    __table_args__ = (
        UniqueConstraint("form_id", "field_name"),
        CheckConstraint("length(field_name) > 0", name="field_name_not_empty"),
    )
    __audit_root__ = ("school_forms", "form_id")

    form_id: Mapped[int] = mapped_column(ForeignKey("school_forms.id", ondelete="CASCADE"))
    field_name: Mapped[str] = mapped_column(String(FIELD_NAME_MAX))
    value_key: Mapped[str] = mapped_column(String(64))
