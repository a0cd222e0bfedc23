"""Helpers the export tests share: parse what an export wrote, archive a row."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from internhost.core.actor import SYSTEM
from internhost.core.storage import db


def csv_records(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of an exported CSV (the BOM checked and removed)."""
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:], newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def json_records(text: str) -> list[dict[str, Any]]:
    return json.loads(text)


def archive(factory: Any, model: type, row_id: int) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        row = s.get(model, row_id)
        row.archived_at = datetime.now(UTC)
        if hasattr(row, "status") and hasattr(row, "badge"):  # a placement: both say so
            row.status = "archived"


def row_by_id(rows: list[dict[str, Any]], row_id: int) -> dict[str, Any]:
    (row,) = [r for r in rows if str(r["id"]) == str(row_id)]
    return row
