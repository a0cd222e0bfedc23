"""The app's database keys (Qt-free): which key opens which file in this session.

``Database.open`` asks ``key_for`` on the worker thread, after the window shows:
a key handed over this session (``provide``: a database just created or encrypted,
or a passphrase typed in the unlock dialog) first, else ``core.keys``' order (the
OS keyring, then ``INTERNHOST_PASSPHRASE``). ``keys.NoKey`` and ``keys.WrongKey``
come back to the GUI thread, which asks the user (``gui.unlock``) and opens again.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from internhost.core.storage import keys
from internhost.core.storage.db import DatabaseKey

_lock = threading.Lock()
_given: dict[Path, DatabaseKey] = {}


def _normal(path: os.PathLike[str] | str) -> Path:
    return Path(path).expanduser().resolve()


def provide(path: os.PathLike[str] | str, key: DatabaseKey) -> None:
    """``key`` opens ``path`` for the rest of this session."""
    with _lock:
        _given[_normal(path)] = key


def forget(path: os.PathLike[str] | str) -> None:
    with _lock:
        _given.pop(_normal(path), None)


def key_for(path: os.PathLike[str] | str) -> DatabaseKey:
    """The key of the encrypted database at ``path`` (reads the keyring: call it on
    the worker). ``keys.NoKey``/``WrongKey``/``NotEncrypted`` when there is none."""
    with _lock:
        given = _given.get(_normal(path))
    if given is not None:
        return given
    return keys.key_for_opening(path).key
