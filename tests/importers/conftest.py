"""Fixtures for the import tests: the sample database (real schools, worksites and
mentors) and a helper that runs the roster import on bytes written in the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.importers.result import ImportReport
from internhost.core.importers.roster import import_roster
from internhost.core.models import (
    AuditEvent,
    ChecklistItem,
    ImportMapping,
    Intern,
    InternContact,
    Placement,
    PlanItem,
)
from internhost.core.storage import db

#: The sample's first term runs 2025-09-08 to 2025-12-18; "today" is inside it.
TODAY = date(2025, 10, 15)
Importer = Callable[..., ImportReport]
WRITTEN = (Intern, InternContact, Placement, ChecklistItem, PlanItem, AuditEvent, ImportMapping)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def demo_factory(demo_path: Path) -> Iterator[Any]:
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def run_import(demo_factory: Any) -> Importer:
    """``run_import(data, **options)``: the roster import on the sample database."""

    def run(data: bytes | str | Path, **options: Any) -> ImportReport:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        options.setdefault("today", TODAY)
        return import_roster(demo_factory, SYSTEM, raw, **options)

    return run


@pytest.fixture
def counts(demo_factory: Any) -> Callable[[], dict[str, int]]:
    """Rows in every table the import writes to, to prove what it did not write."""

    def count() -> dict[str, int]:
        with db.read_session(demo_factory, SYSTEM) as s:
            return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in WRITTEN}

    return count
