"""CI's lint step (``.ci/typecheck.py``): mypy's errors counted per area against the
committed ratchet, and the linters pinned so a new release cannot fail CI by itself."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pytest
from scriptkit import REPO, load_script

TYPECHECK = load_script(".ci/typecheck.py", "typecheck")

MYPY_OUTPUT = """\
internhost/core/rules/parse.py:399: error: If condition is always true  [redundant-expr]
internhost/core/services/plans.py:12:5: error: Missing type arguments for "dict"  [type-arg]
internhost/core/services/plans.py:13: note: See https://mypy.readthedocs.io
internhost\\gui\\views\\fields.py:625: error: Left operand of "and" is always true  [redundant-expr]
internhost/cli.py:40: error: Return type "None" of "error" incompatible  [override]
Found 4 errors in 4 files (checked 161 source files)
"""


def test_errors_are_counted_per_area_notes_left_out() -> None:
    counts = TYPECHECK.count_errors(MYPY_OUTPUT)
    assert counts == Counter({"core": 2, "gui": 1, "other": 1})


def test_a_clean_run_counts_nothing() -> None:
    assert TYPECHECK.count_errors("Success: no issues found in 161 source files\n") == Counter()


def test_output_that_disagrees_with_its_summary_is_refused() -> None:
    with pytest.raises(ValueError, match="reported 5 errors but 4"):
        TYPECHECK.count_errors(MYPY_OUTPUT.replace("Found 4 errors", "Found 5 errors"))


def test_an_area_over_its_number_fails_and_one_under_it_is_to_be_lowered() -> None:
    lines, over = TYPECHECK.against_ratchet(
        Counter({"core": 3, "gui": 7}), {"core": 5, "gui": 6, "other": 0}
    )
    assert over == {"gui"}
    assert lines == [
        "mypy core: 3 errors, 5 allowed: lower core to 3 in .ci/mypy-ratchet.toml",
        "mypy gui: 7 errors, 6 allowed: 1 too many (the area's errors are listed above)",
        "mypy other: 0 errors, 0 allowed",
    ]


def test_an_area_missing_from_the_ratchet_allows_none() -> None:
    _, over = TYPECHECK.against_ratchet(Counter({"other": 1}), {"core": 0})
    assert over == {"other"}


def test_the_committed_ratchet_names_every_area() -> None:
    allowed = tomllib.loads(TYPECHECK.RATCHET.read_text(encoding="utf-8"))["mypy"]
    areas = {area for _, area in TYPECHECK.AREAS} | {"other"}
    assert set(allowed) == areas
    assert all(isinstance(n, int) and n >= 0 for n in allowed.values())


@pytest.mark.parametrize("tool", ["ruff", "mypy", "types-reportlab"])
def test_the_checkers_are_pinned_to_one_version(tool: str) -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    test_extra = pyproject["project"]["optional-dependencies"]["test"]
    pins = [r for r in test_extra if re.match(rf"{re.escape(tool)}\b(?!-)", r)]
    assert len(pins) == 1 and re.fullmatch(rf"{re.escape(tool)}==[\w.]+", pins[0]), pins


def test_ci_runs_the_lint_step_before_the_tests() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert run.index(".ci/typecheck.py") < run.index("-m pytest")
