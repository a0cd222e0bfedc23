"""The one dependency rule: nothing outside internhost.gui imports PySide6; and inside
it, every dialog of the app derives from the one dialog base.

Checked in a fresh interpreter, since this test process may already have Qt loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

IMPORT_ALL = r"""
import importlib, json, pkgutil, sys
import internhost

SKIP = {"internhost.gui", "internhost.__main__"}  # __main__ would start the app
imported = []

def walk(package):
    # Not pkgutil.walk_packages: it imports every subpackage, internhost.gui included.
    imported.append(package.__name__)
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name in SKIP:
            continue
        module = importlib.import_module(info.name)
        if info.ispkg:
            walk(module)
        else:
            imported.append(info.name)

walk(internhost)
qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
print(json.dumps({"imported": imported, "qt": qt}))
"""

LAZY = r"""
import json, sys
import internhost.cli, internhost.core.errors
import internhost.core.storage.db, internhost.core.storage.migrate
heavy = {"sqlalchemy", "alembic", "PySide6", "reportlab"}
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def run(code: str) -> object:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_module_outside_the_gui_loads_pyside6() -> None:
    report = run(IMPORT_ALL)
    imported = set(report["imported"])
    # The walk really covered the package (not an empty or partial list).
    assert {
        "internhost.cli",
        "internhost.paths",
        "internhost.core.storage.db",
        "internhost.core.trail.audit",
        "internhost.core.sample",
        "internhost.core.services.interns",
        "internhost.core.models.interns",
        "internhost.core.reports",
        "internhost.core.reports.template",
    } <= imported
    expected = {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in (REPO / "internhost").rglob("*.py")
        if "gui" not in path.relative_to(REPO).parts and path.name != "__main__.py"
    }
    assert expected <= imported
    assert report["qt"] == []


def test_the_cli_and_db_glue_import_no_heavy_libraries() -> None:
    """``internhost --version`` and the start-up revision check stay fast."""
    assert run(LAZY) == []


DIALOGS = r"""
import importlib, inspect, json, pkgutil
import internhost.gui
from PySide6.QtWidgets import QDialog
from internhost.gui.dialogs.base import BaseDialog

for info in pkgutil.walk_packages(internhost.gui.__path__, "internhost.gui."):
    importlib.import_module(info.name)
found = {}
for name, module in list(__import__("sys").modules.items()):
    if not name.startswith("internhost.gui"):
        continue
    for cls in vars(module).values():
        if inspect.isclass(cls) and issubclass(cls, QDialog) and cls.__module__ == name:
            found[f"{name}.{cls.__qualname__}"] = issubclass(cls, BaseDialog)
print(json.dumps(found))
"""

#: Dialogs of the app that are not a ``BaseDialog``, and why.
EXEMPT_DIALOGS = {
    # Nothing to discard: a user name and password, or a passphrase, typed to get in.
    "internhost.gui.dialogs.login.LoginDialog",
    "internhost.gui.dialogs.passphrase.PassphraseDialog",
    # A QWizard that saves each page as the user leaves it (Close saves too), so there
    # is never anything to discard; it remembers its geometry through PreserveGeometry.
    "internhost.gui.wizards.onboarding.OnboardingWizard",
}


def test_every_dialog_of_the_app_derives_from_the_dialog_base() -> None:
    """Geometry, first-field focus and "Discard changes?" come from one base
    (``internhost.gui.dialogs.base``); Qt's message boxes and file dialogs are Qt's."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", DIALOGS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, bool] = json.loads(result.stdout.strip().splitlines()[-1])
    assert "internhost.gui.dialogs.record.RecordDialog" in found  # the walk found them
    assert "internhost.gui.dialogs.intern_editor.InternEditor" in found
    without = {name for name, derives in found.items() if not derives}
    assert without == EXEMPT_DIALOGS
