"""The wheel carries everything the app needs: build it, install it into a fresh
venv and run the command from outside the checkout, so a data file missing from
the package fails here rather than on a user's machine."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)], REPO)
    (path,) = out.glob("internhost-*.whl")
    return path


def test_wheel_ships_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "internhost/resources/fonts/DejaVuSans.ttf",
        "internhost/resources/fonts/DroidSansFallbackFull.ttf",
        "internhost/resources/sample/demo.toml",
        "internhost/migrations/env.py",
        "internhost/migrations/versions/0001_baseline.py",
    ):
        assert required in names
    assert not any("__pycache__" in n for n in names)


def test_installed_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """Installs with --no-deps into a venv that sees this environment's packages
    through a .pth line (its own .pth files, such as our editable install, are not
    processed from there), so the only InternHost it can import is the wheel's."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            tmp_path,
        ).strip()
    )
    (site / "testenv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], tmp_path)

    # Outside the checkout the tests' keyring backend cannot load: the database the
    # demo creates takes a passphrase, as a script on a machine without a keyring would.
    hidden = ("PYTHONPATH", "INTERNHOST_DB", "PYTHON_KEYRING_BACKEND")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["INTERNHOST_PASSPHRASE"] = "wheel test passphrase"
    where = _run(
        [str(python), "-c", "import internhost, sys; print(internhost.__file__)"], tmp_path, env
    )
    assert Path(where.strip()).is_relative_to(env_dir)

    exe = str(bindir / ("internhost.exe" if os.name == "nt" else "internhost"))
    assert _run([exe, "--version"], tmp_path, env).startswith("internhost ")
    out = _run([exe, "--db", str(tmp_path / "demo.db"), "demo"], tmp_path, env)
    assert "24 interns" in out
