"""JSON a person wrote, read without Python's leniencies, every refusal one line.

``json.loads`` takes ``NaN`` and ``Infinity`` (which JSON has not), fails on deep
nesting with ``RecursionError`` and on an integer of more than 4,300 digits with a
bare ``ValueError`` (neither saying where), and keeps the last of two equal keys.
``loads`` refuses the first two with the line and column; an integer too long to
convert reads as infinity, as ``1e400`` does, for the caller's number check to
refuse by its field path; an object with a repeated key reads as ``Repeated``, for
the caller to refuse by its path too (a silently dropped fact is a wrong result).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: How deep a reader locates "nested too deeply" (a case needs five levels); Python's
#: parser gives up near a thousand, without saying where.
MAX_NESTING = 100
_CONSTANTS = re.compile(r'"(?:[^"\\]|\\.)*"|NaN|-?Infinity', re.DOTALL)
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JSONRefused(ValueError):
    """Text that is not JSON, or JSON no reader should take; the message says where."""


class Repeated(dict[str, Any]):
    """An object in which ``key`` is given more than once (the last value kept)."""

    def __init__(self, pairs: list[tuple[str, Any]], key: str) -> None:
        super().__init__(pairs)
        self.key = key


def loads(text: str) -> Any:
    """The value of ``text``; ``JSONRefused`` saying what and where when it is not JSON."""
    try:
        return json.loads(
            text,
            parse_constant=_constant,
            parse_int=_integer,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise JSONRefused(_where(exc.msg, exc.lineno, exc.colno)) from None
    except _Constant as exc:
        at = _first(_CONSTANTS, text, exc.literal)
        raise JSONRefused(_at(text, at, f"{exc.literal} is not a number JSON allows")) from None
    except RecursionError:
        raise JSONRefused(_at(text, _too_deep(text), _nesting())) from None


class _Constant(Exception):
    def __init__(self, literal: str) -> None:
        self.literal = literal


def _constant(literal: str) -> Any:
    raise _Constant(literal)


def _integer(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts: as huge as 1e400
        return -math.inf if text.startswith("-") else math.inf


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            return Repeated(pairs, key)
        seen.add(key)
    return dict(pairs)


def _first(pattern: re.Pattern[str], text: str, literal: str) -> int | None:
    """Where ``literal`` first stands outside a string."""
    for match in pattern.finditer(text):
        if match.group() == literal:
            return match.start()
    return None


def _too_deep(text: str) -> int | None:
    """Where the first bracket beyond ``MAX_NESTING`` levels opens."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _nesting() -> str:
    return f"nested too deeply (more than {MAX_NESTING} levels of brackets)"


def _at(text: str, position: int | None, message: str) -> str:
    if position is None:
        return f"not valid JSON: {message}"
    error = json.JSONDecodeError(message, text, position)  # counts lines and columns
    return _where(message, error.lineno, error.colno)


def _where(message: str, line: int, column: int) -> str:
    return f"not valid JSON: {message} at line {line}, column {column}"
