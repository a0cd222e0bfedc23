"""Compile every Qt Designer form ``ui/<name>.ui`` into ``internhost/gui/forms/ui_<name>.py``.

Run it after editing a form: ``python ui/compile.py``. The generated modules are
committed (the app must not need the uic tool at run time) and never edited by
hand; ``tests/packaging/test_forms_fresh.py`` fails when one is out of date.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
FORMS_DIR = UI_DIR.parent / "internhost" / "gui" / "forms"


def uic_executable() -> Path:
    """``pyside6-uic`` from the running interpreter's environment (``.exe`` on Windows)."""
    name = "pyside6-uic.exe" if os.name == "nt" else "pyside6-uic"
    here = Path(sys.executable).parent
    # A Windows venv keeps scripts beside python.exe; a base install keeps them in Scripts\.
    for candidate in (here / name, here / "Scripts" / name):
        if candidate.is_file():
            return candidate
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found next to {sys.executable} or on PATH")
    return Path(found)


def target_for(source: Path) -> Path:
    return FORMS_DIR / f"ui_{source.stem}.py"


def compile_ui(source: Path, target: Path) -> None:
    subprocess.run([str(uic_executable()), str(source), "-o", str(target)], check=True)


def sources() -> list[Path]:
    return sorted(UI_DIR.glob("*.ui"))


def main() -> int:
    for source in sources():
        target = target_for(source)
        compile_ui(source, target)
        print(f"{source.relative_to(UI_DIR.parent)} -> {target.relative_to(UI_DIR.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
