"""The roster import reports a step per batch of rows and stops at a step when the
user asks: a cancelled import keeps nothing (no intern, no mapping, no audit event),
wherever between the batches it was stopped, even just before its commit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from internhost.core.importers import roster
from internhost.core.importers.result import ImportReport
from internhost.core.progress import Cancelled, Progress

Importer = Callable[..., ImportReport]

HEADER = "First,Last,DOB,School,Pupil\r\n"


def _rows(count: int) -> str:
    return HEADER + "".join(
        f"Ana{i},Ruiz{i},2008-03-{i % 28 + 1:02d},Auburn High School,{800000 + i}\r\n"
        for i in range(count)
    )


class Recorder:
    """A ``Progress`` that records each step; the user presses Cancel while the step
    named ``stop_at`` is shown, so the step after it raises."""

    def __init__(self, stop_at: str | None = None) -> None:
        self.steps: list[tuple[int, int, str]] = []
        self.stop_at = stop_at

    def report(self, done: int, total: int, text: str) -> None:
        self.steps.append((done, total, text))

    def cancelled(self) -> bool:
        return bool(self.steps) and self.steps[-1][2] == self.stop_at

    @property
    def progress(self) -> Progress:
        return Progress(self.report, self.cancelled)


@pytest.fixture(autouse=True)
def batches_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster, "BATCH_ROWS", 3)


def test_each_batch_is_a_step_of_the_rows_expected(run_import: Importer) -> None:
    seen = Recorder()
    report = run_import(
        _rows(7), mappings={"Pupil": "student_id"}, expected_rows=7, progress=seen.progress
    )
    assert report.imported == 7
    assert seen.steps == [
        (0, 7, "Rows 1–3 of 7"),
        (3, 7, "Rows 4–6 of 7"),
        (6, 7, "Row 7 of 7"),
        (7, 7, "Saving"),
    ]


def test_a_dry_run_has_no_saving_step_and_without_a_count_no_total(
    run_import: Importer,
) -> None:
    seen = Recorder()
    run_import(_rows(4), dry_run=True, progress=seen.progress)
    assert seen.steps == [(0, 0, "Rows 1–3"), (3, 0, "Row 4")]


def test_a_file_longer_than_expected_counts_what_it_found(run_import: Importer) -> None:
    seen = Recorder()
    run_import(_rows(5), dry_run=True, expected_rows=2, progress=seen.progress)
    assert seen.steps == [(0, 3, "Rows 1–3 of 3"), (3, 5, "Rows 4–5 of 5")]


@pytest.mark.parametrize("stop_at", ["Rows 1–3 of 7", "Rows 4–6 of 7", "Row 7 of 7"])
def test_a_cancelled_import_keeps_nothing(
    run_import: Importer, counts: Callable[[], dict[str, int]], stop_at: str
) -> None:
    """Stopped after one batch was written, after two, or after all of them just
    before the commit: the transaction is rolled back whole, the remembered mapping
    with it."""
    before = counts()
    seen = Recorder(stop_at)
    with pytest.raises(Cancelled):
        run_import(
            _rows(7),
            mappings={"Pupil": "student_id"},
            skip_invalid=True,
            expected_rows=7,
            progress=seen.progress,
        )
    assert seen.steps[-1][2] == stop_at
    assert counts() == before
    assert run_import(_rows(7), mappings={"Pupil": "student_id"}).imported == 7  # and again


def test_a_cancelled_dry_run_stops_at_its_step(run_import: Importer) -> None:
    seen = Recorder("Rows 1–3")
    with pytest.raises(Cancelled):
        run_import(_rows(7), dry_run=True, progress=seen.progress)
    assert [text for _, _, text in seen.steps] == ["Rows 1–3"]
