"""Test-only database keys and keyring: never part of the product.

``TEST_KEY`` encrypts every template database the fixtures build (a raw key: no key
derivation, so a connection costs what an unencrypted one does). ``FileKeyring`` is
a ``keyring`` backend that keeps its entries in the JSON file named by
``INTERNHOST_TEST_KEYRING`` (a test's temporary folder): set in-process with
``keyring.set_keyring`` and, for ``internhost`` started as a subprocess, named by
``PYTHON_KEYRING_BACKEND=testkeys.FileKeyring`` with this folder on ``PYTHONPATH``
(``tests/conftest.py`` sets all three for every test), so both see the same keys.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from internhost.core.storage import oslock, secrets
from internhost.core.storage.db import DatabaseKey

TESTS = Path(__file__).resolve().parent
FILE_ENV = "INTERNHOST_TEST_KEYRING"
BACKEND = "testkeys.FileKeyring"
TEST_KEY = DatabaseKey(raw_hex="5e" * 16 + "c0de" * 8)
OTHER_KEY = DatabaseKey(raw_hex="0b" * 32)
#: A passphrase long enough for a new database (costs SQLCipher's key derivation).
PASSPHRASE = "correct horse battery staple"


class FileKeyring(KeyringBackend):
    """Entries in a JSON file ({service: {user: secret}}); empty when none is named."""

    priority = 1  # type: ignore[assignment]

    def _file(self) -> Path | None:
        name = os.environ.get(FILE_ENV)
        return Path(name) if name else None

    def _load(self) -> dict[str, dict[str, str]]:
        path = self._file()
        if path is None or not path.exists():
            return {}
        return json.loads(path.read_text("utf-8"))

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        path = self._file()
        if path is None:
            raise RuntimeError(f"{FILE_ENV} names no file for the test keyring")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        tmp.replace(path)

    @contextmanager
    def _changing(self) -> Iterator[dict[str, dict[str, str]]]:
        """The entries, to change and save, with every other writer (threads, and the
        processes of a race trial) kept out meanwhile: a lost update is a lost key."""
        path = self._file()
        if path is None:
            raise RuntimeError(f"{FILE_ENV} names no file for the test keyring")
        fd = oslock.open_lock_file(path.with_name(path.name + ".lock"))
        try:
            while not oslock.try_lock(fd, exclusive=True):
                time.sleep(0.01)
            data = self._load()
            yield data
            self._save(data)
        finally:
            os.close(fd)  # closing the file lets go of its lock

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._changing() as data:
            data.setdefault(service, {})[username] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._changing() as data:
            if username not in data.get(service, {}):
                raise PasswordDeleteError(username)
            del data[service][username]


def remember(path: os.PathLike[str] | str, key: DatabaseKey = TEST_KEY) -> Path:
    """Keep ``key`` for the database at ``path`` in the test keyring; returns the path."""
    secrets.store_database_key(path, key)
    return Path(path)


def stored_key(path: os.PathLike[str] | str) -> DatabaseKey | None:
    return secrets.read_database_key(path)


def subprocess_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for ``internhost`` as a subprocess that sees the test keyring."""
    env = dict(os.environ if base is None else base)
    env["PYTHON_KEYRING_BACKEND"] = BACKEND
    parts = [str(TESTS), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    return env


def unencrypted_copy(source: Path, dest: Path) -> Path:
    """``dest``: the database at ``source`` (``TEST_KEY``) exported without a key, as a
    database made before encryption was."""
    from internhost.core.storage import db

    dest.parent.mkdir(parents=True, exist_ok=True)
    with closing(db.connect_raw(source, TEST_KEY, wal=False)) as conn:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(dest),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    return dest
