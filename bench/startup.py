"""Start-up: process start to the first idle turn of the event loop after the main
window is shown, on a generated (encrypted) database of 5,000 interns, against a bare
PySide6 QMainWindow process measured the same way. Target: ratio <= 2.5.

The app starts as it would on an HR admin's PC: its raw key in a keyring, here the
test-only file keyring of ``tests/testkeys.py`` named by ``PYTHON_KEYRING_BACKEND``,
and a remembered login ("remember me on this computer": a token for the sample's
``hr`` in the same keyring), so no dialog stands between the start and the main
window. A first run with ``INTERNHOST_BENCH_IDLE=ready`` checks that the token lets
``hr`` straight in.

Each run is a fresh process. The child prints the wall-clock time of its first idle
turn (the app's INTERNHOST_BENCH_IDLE hook); the parent subtracts the time it
spawned the child, so interpreter start and every import are included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH_DIR, BENCH_KEY, generated_db, median, report

TARGET_RATIO = 2.5

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1280, 800)
w.show()
def idle():
    print("idle", time.perf_counter(), flush=True)
    app.quit()
QTimer.singleShot(0, idle)
app.exec()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["INTERNHOST_BENCH_IDLE"] = "1"
    return env


def _with_keyring(env: dict[str, str], db_path: Path, store: Path) -> dict[str, str]:
    """``env`` for a child that finds ``BENCH_KEY`` for ``db_path`` in a test keyring."""
    sys.path.insert(0, str(BENCH_DIR.parent / "tests"))
    import keyring
    import testkeys

    os.environ[testkeys.FILE_ENV] = str(store)
    keyring.set_keyring(testkeys.FileKeyring())
    testkeys.remember(db_path, BENCH_KEY)
    return {**testkeys.subprocess_env(env), testkeys.FILE_ENV: str(store)}


def _remember_login(db_path: Path, user: str = "hr") -> None:
    """A remembered login for the sample's ``user`` in the test keyring (the one
    ``_with_keyring`` set up), as "remember me on this computer" leaves it."""
    from internhost.core.services import accounts
    from internhost.core.storage import db, secrets

    engine = db.make_engine(db_path, BENCH_KEY)
    try:
        factory = db.make_session_factory(engine)
        login = accounts.log_in(factory, user, accounts.DEMO_PASSWORD)
        with db.unit_of_work(factory, login.actor) as s:
            token = accounts.issue_token(s, login.actor, "startup benchmark")
    finally:
        engine.dispose()
    if not secrets.remember_login(db_path, user, token):
        raise SystemExit("the test keyring refused the login token")


def _who_is_let_in(cmd: list[str], env: dict[str, str]) -> str:
    """The user the app logs in without asking (``-``: it asked)."""
    done = subprocess.run(
        cmd,
        env={**env, "INTERNHOST_BENCH_IDLE": "ready"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ready = [ln for ln in done.stdout.splitlines() if ln.startswith("ready ")]
    if done.returncode != 0 or not ready:
        raise SystemExit(f"{cmd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return ready[-1].split(maxsplit=1)[1]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
    idle = [ln for ln in done.stdout.splitlines() if ln.startswith("idle ")]
    if done.returncode != 0 or not idle:
        raise SystemExit(f"{cmd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return float(idle[-1].split()[1]) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--interns", type=int, default=5000)
    args = parser.parse_args()

    source = generated_db(args.interns, weeks=2)
    with tempfile.TemporaryDirectory() as tmp:
        settings_home = Path(tmp) / "config"
        db_path = Path(tmp) / "bench.db"
        shutil.copyfile(source, db_path)
        env = _with_keyring(_env(), db_path, Path(tmp) / "keyring.json")
        env["XDG_CONFIG_HOME"] = str(settings_home)  # keep the user's QSettings out of it
        app_cmd = [sys.executable, "-m", "internhost", "--db", str(db_path)]
        bare_cmd = [sys.executable, "-c", BARE]
        _remember_login(db_path)
        who = _who_is_let_in(app_cmd, env)
        if who != "hr":
            raise SystemExit(f"the remembered login did not open the app (got {who!r})")
        _time(app_cmd, env)  # warm the OS file cache and write the settings once
        _time(bare_cmd, env)
        app, bare = [], []
        for _ in range(args.runs):
            app.append(_time(app_cmd, env))
            bare.append(_time(bare_cmd, env))
    app_median, bare_median = median(app), median(bare)
    ratio = app_median / bare_median
    print(
        f"start-up on {args.interns} interns with a remembered login ({who}), "
        f"median of {args.runs} runs each"
    )
    report("bare PySide6 QMainWindow", bare_median, "s", "-", True)
    report("InternHost main window", app_median, "s", "-", True)
    report("ratio", ratio, "x", f"<= {TARGET_RATIO}", ratio <= TARGET_RATIO)


if __name__ == "__main__":
    main()
