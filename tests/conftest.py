"""Shared fixtures. Qt runs offscreen with the shipped fonts, so no test needs a
display or the system's fonts; databases are files under tmp_path (threads)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_FONTDIR", str(REPO / "resources" / "fonts"))

import pytest  # noqa: E402
from testkeys import FILE_ENV, TEST_KEY, FileKeyring, remember, subprocess_env  # noqa: E402

from internhost.core.actor import SYSTEM, Actor  # noqa: E402
from internhost.core.storage import db, migrate, secret_env  # noqa: E402

TODAY = date(2025, 10, 15)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow proofs first: they mostly wait on child processes, so on every core
    they overlap the quick tests instead of running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def test_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own keyring (a JSON file under tmp_path) holding raw keys,
    in-process and in the ``internhost`` subprocesses it starts (they inherit the
    environment: ``PYTHON_KEYRING_BACKEND`` names the same test-only backend)."""
    import keyring

    store = tmp_path / "test-keyring.json"
    monkeypatch.setenv(FILE_ENV, str(store))
    for name, value in subprocess_env().items():
        if name in ("PYTHON_KEYRING_BACKEND", "PYTHONPATH"):
            monkeypatch.setenv(name, value)
    for name in ("INTERNHOST_PASSPHRASE", "INTERNHOST_NEW_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def login_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Repeated failed logins wait (``core.login_guard``): tests record the waits
    instead of sleeping through them."""
    from internhost.core.trail import login_guard

    waits: list[float] = []
    monkeypatch.setattr(login_guard, "sleep", waits.append)
    return waits


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at head (encrypted with ``TEST_KEY``), migrated once per run
    and copied per test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade_to_head(path, TEST_KEY)
    with db.connect_raw(path, TEST_KEY) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path, test_keyring: Path) -> Path:
    path = tmp_path / "internhost.db"
    shutil.copyfile(migrated_template, path)
    return remember(path)


@pytest.fixture
def engine(db_path: Path) -> Iterator[object]:
    eng = db.make_engine(db_path, TEST_KEY)
    yield eng
    eng.dispose()


@pytest.fixture
def factory(engine: object):
    return db.make_session_factory(engine)


@pytest.fixture
def system() -> Actor:
    return SYSTEM


#: The sample's demo HR admin (``internhost demo`` creates it, password ``demo``).
DEMO_USER, DEMO_PASSWORD = "hr", "demo"


@pytest.fixture(autouse=True)
def cli_login(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Commands that touch data log in: tests run them (in-process and as
    subprocesses, which inherit the environment) as the sample's HR admin. No other
    secret variable of the developer's shell leaks in, nor a secret file read before."""
    for name in secret_env.SECRET_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    secret_env.forget()
    monkeypatch.setenv("INTERNHOST_USER", DEMO_USER)
    monkeypatch.setenv("INTERNHOST_PASSWORD", DEMO_PASSWORD)
    return DEMO_USER, DEMO_PASSWORD


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """The sample data set, built once per run."""
    from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo, reference_day

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(migrated_template, path)
    eng = db.make_engine(path, TEST_KEY)
    # Loaded on the spec's reference day: the data are the spec's as written, whatever
    # the date the tests run on (SAMPLE_TODAY, the last day logged, is the day before).
    build_demo(
        db.make_session_factory(eng),
        SYSTEM,
        DemoSizes(),
        seed=DEFAULT_SEED,
        today=reference_day(),
    )
    eng.dispose()
    with db.connect_raw(path, TEST_KEY) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path, test_keyring: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return remember(path)
