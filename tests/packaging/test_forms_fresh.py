"""Every committed ``ui_<name>.py`` is what ``ui/compile.py`` makes of ``ui/<name>.ui`` today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scriptkit import load_script

#: uic's banner names its version ("Created by: Qt User Interface Compiler version 6.12.0").
GENERATOR_LINE = re.compile(r"^##.*(Qt User Interface Compiler|version)", re.IGNORECASE)
COMPILER = load_script("ui/compile.py", "ui_compile")


def without_banner(text: str) -> list[str]:
    return [line for line in text.splitlines() if not GENERATOR_LINE.match(line)]


def test_there_is_a_form() -> None:
    assert COMPILER.sources(), "no ui/*.ui forms found"


@pytest.mark.parametrize("source", COMPILER.sources(), ids=lambda p: p.name)
def test_form_is_fresh(source: Path, tmp_path: Path) -> None:
    committed = COMPILER.target_for(source)
    assert committed.is_file(), f"{committed} is missing: run python ui/compile.py"
    fresh = tmp_path / committed.name
    COMPILER.compile_ui(source, fresh)
    assert without_banner(fresh.read_text(encoding="utf-8")) == without_banner(
        committed.read_text(encoding="utf-8")
    ), f"{committed.name} is stale: run python ui/compile.py"
