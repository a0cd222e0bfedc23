"""Issue 5: the interns export re-imports through ``import-roster --update-existing``,
and exporting then re-importing changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.importers import roster as importer
from internhost.core.models import Intern, InternContact, Placement
from internhost.core.storage import db

TODAY = date(2025, 10, 15)
SKIP = {"created_at", "updated_at"}


def snapshot(factory: Any) -> dict[str, list[tuple]]:
    """Every stored value the roster import can touch, timestamps aside."""
    out: dict[str, list[tuple]] = {}
    with db.read_session(factory, SYSTEM) as s:
        for model in (Intern, InternContact, Placement):
            columns = [c for c in model.__table__.columns if c.name not in SKIP]
            out[model.__tablename__] = list(s.execute(select(*columns).order_by(model.id)))
    return out


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[tuple]:
    """(table, stored row, row after) for every row the import changed, added or removed."""
    out = []
    for table, rows in before.items():
        later = after[table]
        out += [(table, a, b) for a, b in zip(rows, later, strict=False) if a != b]
        out += [(table, None, b) for b in later[len(rows) :]]
        out += [(table, a, None) for a in rows[len(later) :]]
    return out


def reimport(factory: Any, text: str) -> Any:
    return importer.import_roster(
        factory, SYSTEM, text.encode("utf-8"), update_existing=True, today=TODAY
    )


def test_export_then_reimport_changes_nothing(demo_factory, export_text) -> None:
    before, text = snapshot(demo_factory), export_text("interns")
    report = reimport(demo_factory, text)
    assert not report.errors, report.errors[:3]
    assert changes(before, snapshot(demo_factory)) == []
    assert export_text("interns") == text


def test_guarded_text_comes_back_as_typed(demo_factory, export_text, hostile) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        s.get(Intern, hostile["intern"]).address = "+1 Main St"
    before, text = snapshot(demo_factory), export_text("interns")
    assert "'=cmd" in text and "'+1 Main St" in text
    report = reimport(demo_factory, text)
    assert not report.errors, report.errors[:3]
    assert changes(before, snapshot(demo_factory)) == []


def test_a_real_leading_quote_survives(demo_factory, export_text, hostile) -> None:
    """Text that truly begins with ' then = is guarded as ''= and must come back as '=."""
    before, text = snapshot(demo_factory), export_text("interns")
    assert "''=already quoted" in text
    report = reimport(demo_factory, text)
    assert not report.errors, report.errors[:3]
    assert changes(before, snapshot(demo_factory)) == []
