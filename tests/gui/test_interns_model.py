"""The lazy interns model: Qt's model contract, SQL search and sort, paged fetches, all
read on the database worker (``gui.ops``) and applied when the answer comes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from internhost.core.actor import SYSTEM
from internhost.core.services import interns
from internhost.gui.database import Database
from internhost.gui.models.columns import RowsModel
from internhost.gui.models.interns_model import COLUMNS, PENDING, InternsModel
from internhost.gui.ops import Ops
from internhost.gui.views.intern_detail import CONTACT_COLUMNS

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
AGE = next(i for i, c in enumerate(COLUMNS) if c.header == "Age")
PREFERRED = next(i for i, c in enumerate(COLUMNS) if c.header == "Preferred")


def loaded(ops: Ops, **kwargs: int) -> InternsModel:
    """A model whose first list (asked when it is made) has come."""
    model = InternsModel(ops, **kwargs)
    assert model.rowCount() == 0 and not model.is_loaded  # asked, not answered yet
    assert ops.runner.settle()
    return model


def settled(model: InternsModel) -> InternsModel:
    """Ask every row (the pages not read yet are asked for), then wait for them."""
    for row in range(model.rowCount()):
        model.row_at(row)
    assert model.ops.runner.settle()
    return model


def names(model: InternsModel) -> list[str]:
    settled(model)
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def ages(model: InternsModel) -> list[int]:
    settled(model)
    return [int(model.data(model.index(row, AGE))) for row in range(model.rowCount())]


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_model_contract(ops: Ops, qtmodeltester, force_py: bool) -> None:
    model = loaded(ops, page_size=7)
    assert model.rowCount() == 24
    qtmodeltester.check(model, force_py=force_py)
    assert ops.runner.settle()  # the pages the tester asked for came
    model.sort(AGE, DESC)
    model.set_search("a")
    assert ops.runner.settle()
    qtmodeltester.check(model, force_py=force_py)
    assert ops.runner.settle()
    assert 0 < model.rowCount() < 24 and model.search_text == "a"


def test_rows_model_contract(database: Database, qtmodeltester) -> None:
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
def test_search_ignores_case_and_accents(ops: Ops, query: str, expected: str) -> None:
    model = loaded(ops)
    model.set_search(query)
    assert model.rowCount() == 24  # the rows stay until the answer comes
    assert ops.runner.settle()
    assert names(model) == [expected]


def test_only_the_last_search_asked_is_shown(ops: Ops) -> None:
    """Each search asked is read; the answers to those asked before the last are
    dropped, so the list never shows an earlier keystroke's search."""
    model = loaded(ops)
    applied: list[str] = []
    model.loaded.connect(lambda: applied.append(model.search_text))
    for text in ("n", "ng", "nguyen"):
        model.set_search(text)
    assert ops.runner.settle()
    assert applied == ["nguyen"]
    assert names(model) == ["Nguyễn, Thị Ánh"]


def test_sort_by_age_in_sql(ops: Ops) -> None:
    model = loaded(ops)
    model.sort(AGE, ASC)
    assert ops.runner.settle()
    assert ages(model) == sorted(ages(model)) and len(set(ages(model))) > 2
    model.sort(AGE, DESC)
    assert ops.runner.settle()
    assert ages(model) == sorted(ages(model), reverse=True)
    model.sort(0, ASC)
    assert ops.runner.settle()
    assert names(model)[0].startswith("Brown")


def test_unsortable_column_keeps_the_order(ops: Ops) -> None:
    model = loaded(ops)
    model.sort(AGE, DESC)
    assert ops.runner.settle()
    before = names(model)
    model.sort(PREFERRED, ASC)
    assert ops.runner.settle()
    assert (model.sort_column, model.sort_order, names(model)) == (AGE, DESC, before)


def test_rows_are_fetched_a_page_at_a_time(ops: Ops) -> None:
    model = loaded(ops, page_size=5, cached_pages=2)
    assert model.pages_fetched == 0  # the id list brought the first page with it
    assert model.data(model.index(0, 0)) != PENDING
    model.data(model.index(4, 3))
    assert ops.runner.settle() and model.pages_fetched == 0
    assert model.data(model.index(23, 0)) == PENDING  # asked for, on its way
    model.data(model.index(12, 0))
    assert ops.runner.settle() and model.pages_fetched == 2
    assert model.data(model.index(23, 0)) not in (PENDING, None)
    model.data(model.index(0, 0))  # evicted: two pages cached
    assert ops.runner.settle() and model.pages_fetched == 3


def test_dragging_through_the_list_reads_the_page_wanted_last_first(ops: Ops) -> None:
    """Pages wanted faster than the worker reads them are read one at a time, the
    newest first, and only as many as the cache keeps: those scrolled past are not."""
    model = loaded(ops, page_size=2, cached_pages=3)
    read: list[int] = []
    real = ops.read

    def counted(owner, service, ids, *args, **kwargs):
        read.append(model.row_of(ids[0]) // model.page_size)
        real(owner, service, ids, *args, **kwargs)

    ops.read = counted  # type: ignore[method-assign]
    for row in range(2, 24, 2):  # pages 1 to 11, faster than any answer
        model.data(model.index(row, 0))
    assert ops.runner.settle()
    ops.read = real  # type: ignore[method-assign]
    assert read == [1, 11, 10, 9]  # the first at once; then the last three wanted


def test_a_refresh_keeps_the_rows_on_screen_until_the_answer(ops: Ops) -> None:
    model = loaded(ops)
    before = names(model)
    model.refresh()
    assert names(model) == before  # settled: the same list again
    model.refresh()
    assert [model.data(model.index(r, 0)) for r in range(24)] == before  # not yet answered
    assert ops.runner.settle()


def test_persistent_index_follows_its_intern_when_sorted(ops: Ops) -> None:
    model = loaded(ops)
    row = model.row_of(1)
    kept = QPersistentModelIndex(model.index(row, 0))
    model.sort(AGE, ASC)
    assert ops.runner.settle()
    assert model.intern_id(kept.row()) == 1
    assert model.rowCount(QModelIndex()) == 24
