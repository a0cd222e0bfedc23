"""Secrets from the environment: a variable ``NAME``, or a file that ``NAME_FILE`` names.

A secret typed on a command line (``INTERNHOST_PASSWORD=… internhost …``) stays in the
shell's history. ``NAME_FILE`` names a file holding it instead, so scripts can log in
without one: ``printf %s "$pw" > ~/.ih-pass && chmod 600 ~/.ih-pass``, or a one-shot
``INTERNHOST_PASSWORD_FILE=<(pass show internhost)``. The file is read once per
process (a pipe can be read only once, and every caller must see the same secret),
loses one trailing line break (``echo`` adds one), holds at most ``MAX_BYTES``, and
is refused unless it is owner-only: on POSIX owned by this user with no permission
bits for group or others (another user who can read it has the secret); on Windows,
whose files have no such bits, the per-user ACL of the profile is trusted.

Setting both ``NAME`` and ``NAME_FILE`` is refused: which one a script meant cannot
be known, and a guess could create a database under a passphrase nobody kept. Every
refusal is a ``SecretFileError``, a ``ValidationError`` naming the variable (the
command line exits 2). Qt-free; the CLI and the app share it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping

from internhost.core.errors import ValidationError

PASSWORD_ENV = "INTERNHOST_PASSWORD"
PASSPHRASE_ENV = "INTERNHOST_PASSPHRASE"
NEW_PASSPHRASE_ENV = "INTERNHOST_NEW_PASSPHRASE"
FILE_SUFFIX = "_FILE"
#: Every variable that holds a secret or names a file of one (worker processes get none).
SECRET_VARIABLES: tuple[str, ...] = tuple(
    name + suffix
    for name in (PASSWORD_ENV, PASSPHRASE_ENV, NEW_PASSPHRASE_ENV)
    for suffix in ("", FILE_SUFFIX)
)
#: A password or passphrase file larger than this is not one (4 KB).
MAX_BYTES = 4096

_read: dict[tuple[str, str], str] = {}


class SecretFileError(ValidationError):
    """A secret variable or file that cannot be used; names the variable (exit 2)."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(message, variable)


def file_variable(name: str) -> str:
    """``NAME_FILE``: the variable naming a file that holds ``name``'s secret."""
    return name + FILE_SUFFIX


def given_in(name: str, env: Mapping[str, str] | None = None) -> str:
    """The variable ``name``'s secret comes from: ``NAME_FILE`` when set, else ``NAME``
    (for messages that say which one a refused secret came from)."""
    env = os.environ if env is None else env
    return file_variable(name) if file_variable(name) in env else name


def read_secret(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """The secret in ``name`` (as set, even empty) or in the file ``NAME_FILE`` names;
    None when neither is set. ``SecretFileError`` when both are, or the file is unfit."""
    env = os.environ if env is None else env
    variable = file_variable(name)
    if variable not in env:
        return env.get(name)
    if name in env:
        raise SecretFileError(variable, f"is set and so is {name}; unset one of them")
    path = env[variable]
    if not path:
        raise SecretFileError(variable, "is empty; set it to the path of a file, or unset it")
    key = (variable, path)
    if key not in _read:
        _read[key] = _read_file(variable, path, name.rsplit("_", 1)[-1].lower())
    return _read[key]


def forget() -> None:
    """Drop the secrets read so far (tests; a process reads each file once)."""
    _read.clear()


Refusal = Callable[[str], SecretFileError]


def _read_file(variable: str, path: str, what: str) -> str:
    def refuse(problem: str) -> SecretFileError:
        return SecretFileError(variable, f"{path} {problem}")

    try:
        with open(path, "rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise refuse("is a folder, not a file")
            _check_owner_only(info, refuse)
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise refuse("does not exist") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a file") from None
    except OSError as exc:
        if os.path.isdir(path):  # Windows opens no folder: PermissionError
            raise refuse("is a folder, not a file") from None
        raise refuse(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise refuse(f"is larger than {MAX_BYTES} bytes; it should hold only the {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse("is not UTF-8 text") from None
    text = text.removesuffix("\n").removesuffix("\r") if text.endswith("\n") else text
    if not text:
        raise refuse(f"is empty; it should hold the {what}")
    return text


def _check_owner_only(info: os.stat_result, refuse: Refusal) -> None:
    if os.name != "posix":
        return
    if info.st_uid != os.geteuid():
        raise refuse(f"belongs to another user (uid {info.st_uid}); use a file of your own")
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise refuse(f"may be read by others (mode {mode:04o}); make it owner-only (chmod 600)")
