"""The only module that locates packaged data.

A wheel carries ``resources/`` and ``migrations/`` inside the package
(``internhost/resources``); an editable install or a checkout finds them beside
the package. Everything else asks here, so a missing data file fails in one place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"InternHost data folder {name!r} is missing from the installation")


@cache
def resources_dir() -> Path:
    return _locate("resources")


@cache
def migrations_dir() -> Path:
    return _locate("migrations")


def resource(*parts: str) -> Path:
    """Path of a file under ``resources/``; raises if it is not shipped."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"InternHost resource {'/'.join(parts)!r} is missing")
    return path


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def rules_dir() -> Path:
    return resources_dir() / "rules"
