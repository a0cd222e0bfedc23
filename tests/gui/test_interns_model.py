"""The lazy interns model: Qt's model contract, SQL search and sort, paged fetches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from internhost.core.actor import SYSTEM
from internhost.gui.database import Database
from internhost.gui.models.columns import RowsModel
from internhost.gui.models.interns_model import COLUMNS, InternsModel
from internhost.gui.views.intern_detail import CONTACT_COLUMNS

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
AGE = next(i for i, c in enumerate(COLUMNS) if c.header == "Age")
PREFERRED = next(i for i, c in enumerate(COLUMNS) if c.header == "Preferred")


def names(model: InternsModel) -> list[str]:
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def ages(model: InternsModel) -> list[int]:
    return [int(model.data(model.index(row, AGE))) for row in range(model.rowCount())]


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_model_contract(database: Database, qtmodeltester, force_py: bool) -> None:
    model = InternsModel(database, page_size=7)
    assert model.rowCount() == 24
    qtmodeltester.check(model, force_py=force_py)
    model.sort(AGE, DESC)
    model.set_search("a")
    qtmodeltester.check(model, force_py=force_py)


def test_rows_model_contract(database: Database, qtmodeltester) -> None:
    from internhost.core.services import interns

    with database.reading() as s:
        detail = interns.get_intern(s, SYSTEM, 1, database.today())
    model = RowsModel(CONTACT_COLUMNS)
    model.set_rows(detail.contacts or ())
    assert model.rowCount() > 0
    qtmodeltester.check(model)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen", "Nguyễn, Thị Ánh"),
        ("THỊ  ánh", "Nguyễn, Thị Ánh"),
        ("lukasiewicz", "Łukasiewicz, Zoë"),
        ("nunez", "Núñez, José"),
        ("小龍", "李, 小龍"),
    ],
)
def test_search_ignores_case_and_accents(database: Database, query: str, expected: str) -> None:
    model = InternsModel(database)
    model.set_search(query)
    assert names(model) == [expected]


def test_sort_by_age_in_sql(database: Database) -> None:
    model = InternsModel(database)
    model.sort(AGE, ASC)
    assert ages(model) == sorted(ages(model)) and len(set(ages(model))) > 2
    model.sort(AGE, DESC)
    assert ages(model) == sorted(ages(model), reverse=True)
    model.sort(0, ASC)
    assert names(model)[0].startswith("Brown")


def test_unsortable_column_keeps_the_order(database: Database) -> None:
    model = InternsModel(database)
    model.sort(AGE, DESC)
    before = names(model)
    model.sort(PREFERRED, ASC)
    assert (model.sort_column, model.sort_order, names(model)) == (AGE, DESC, before)


def test_rows_are_fetched_a_page_at_a_time(database: Database) -> None:
    model = InternsModel(database, page_size=5, cached_pages=2)
    assert model.pages_fetched == 0  # the id list only
    model.data(model.index(0, 0))
    model.data(model.index(4, 3))
    assert model.pages_fetched == 1
    model.data(model.index(23, 0))
    model.data(model.index(12, 0))
    assert model.pages_fetched == 3
    model.data(model.index(0, 0))  # evicted: two pages cached
    assert model.pages_fetched == 4


def test_persistent_index_follows_its_intern_when_sorted(database: Database) -> None:
    model = InternsModel(database)
    row = model.row_of(1)
    marker = model.index(row, 0)
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(marker)
    model.sort(AGE, ASC)
    assert model.intern_id(kept.row()) == 1
    assert model.rowCount(QModelIndex()) == 24
