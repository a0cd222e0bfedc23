"""The formula-injection guard for CSV text cells, and its exact inverse.

A spreadsheet evaluates a cell beginning with ``=``, ``+``, ``-`` or ``@`` as a
formula, so a name typed as ``=HYPERLINK(...)`` could run when HR opens an export
in Excel. Exports therefore prefix such text with a single quote ``'``, which
spreadsheets show as plain text. The roster importer calls ``unguard`` so that
exporting and re-importing changes nothing.

To make ``unguard(guard(x)) == x`` hold for *every* text (including one that
really begins with quotes followed by ``=``), the guard also applies to text of
the form ``'…'=…``: any run of leading quotes followed by a trigger character.
``unguard`` removes exactly one quote from text of that form and leaves all other
text alone, so a genuine leading apostrophe (``'Tis``) survives the round trip.
Only text cells are guarded; numbers, dates and booleans are written as values.
"""

from __future__ import annotations

import re

#: Characters that make a spreadsheet read a cell as a formula.
TRIGGERS = "=+-@"
GUARD = "'"

_GUARDABLE = re.compile(r"'*[=+\-@]")
_GUARDED = re.compile(r"'+[=+\-@]")


def guard(text: str) -> str:
    """``text`` safe to put in a CSV cell: a leading formula character gets a ``'``."""
    return GUARD + text if _GUARDABLE.match(text) else text


def unguard(text: str) -> str:
    """Undo ``guard``: drop the one ``'`` that ``guard`` added, and nothing else."""
    return text[1:] if _GUARDED.match(text) else text
