"""Filling a message template: the one place a finding's words are made.

A finding keeps its template's id and parameters, never text, so its words are made
when it is read, for whoever reads it (``rules/messages.py``). What a reader may not
see is masked by what a parameter *is*, not by how a template happens to word it:
the intern's age travels as an int under ``AGE`` and a reader who may not see birth
dates gets the age band there, wherever the template puts it; a ``BIRTH_DATE``
parameter is withheld from them altogether. The article before the age agrees with
what is shown ("an 11-year-old", "an under-14-year-old").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from functools import cache
from string import Formatter
from typing import Any

from internhost.core.rules.ages import age_band

#: The intern's age on the finding's date, an int: exact, or the age band.
AGE = "age"
#: The intern's birth date (ISO): shown only to readers who may see birth dates.
BIRTH_DATE = "birth_date"
#: What a reader sees in place of a value they may not see.
WITHHELD = "(withheld)"


class View(Enum):
    """How much of the intern's age the reader may see."""

    #: Roles that may see birth dates, and the command line's ``check`` (no records).
    EXACT = "exact ages"
    #: Everyone else: the age band, never the age or the birth date.
    BAND = "age bands"


def fill(text: str, params: Mapping[str, Any], verification: str, view: View) -> str:
    """``text`` with ``params`` in its placeholders as ``view`` may see them (a
    placeholder without a value stays as written), marked when its rule is unverified."""
    out: list[str] = []
    for literal, name, spec, _conversion in _parsed(text):
        out.append(literal)
        if name is None:
            continue
        if name not in params:
            out.append("{" + name + "}")
            continue
        value = _shown(name, params[name], view)
        if name == AGE:
            _agree(out, value)
        out.append(format(value, spec) if spec else value)
    filled = "".join(out)
    return filled if verification == "V" else f"{filled} [unverified rule: {verification}]"


@cache
def _parsed(text: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    return tuple(Formatter().parse(text))


def _shown(name: str, value: Any, view: View) -> str:
    if view is View.EXACT:
        return str(value)
    if name == BIRTH_DATE:
        return WITHHELD
    if name == AGE:
        # "14–15", "under-14": a band that reads as one word before "-year-old".
        whole = isinstance(value, int) and not isinstance(value, bool)
        return age_band(value).replace(" ", "-") if whole else WITHHELD
    return str(value)


_ARTICLE = re.compile(r"(?:^|(?<=[\s(]))([Aa])n? $")
_LEADING_NUMBER = re.compile(r"[0-9]+")
#: Numbers said with a vowel sound other than those starting with 8: eleven, eighteen.
_SAID_WITH_A_VOWEL = frozenset({"11", "18"})


def _agree(out: list[str], shown: str) -> None:
    """Make an "a"/"an" just before the age agree with what is shown there."""
    found = _ARTICLE.search(out[-1])
    if found:
        article = found.group(1) + ("n" if _vowel_sound(shown) else "")
        out[-1] = f"{out[-1][: found.start()]}{article} "


def _vowel_sound(text: str) -> bool:
    number = _LEADING_NUMBER.match(text)
    if number:  # eight, eighty-..., eight hundred...
        return number.group().startswith("8") or number.group() in _SAID_WITH_A_VOWEL
    return text[:1].lower() in ("a", "e", "i", "o", "u")
