"""How big a roster may be, and why: the one place the import's bounds are stated.

A roster lists a school's or a district's interns: hundreds of rows, a few
thousand at most. The limits sit far above that and far below what would make an
import's memory or time unbounded. The import streams the file in batches, so its
memory grows with the batch, not the file, except for about a hundred bytes a row
(the keys that catch a student listed twice, each row's outcome for the preview);
the limits bound those too, and the minutes a check of every row takes. (How many
errors a report lists in full is ``result.MAX_LISTED``.)
"""

from __future__ import annotations

import math

from internhost.core.importers.result import ImportRefused

#: The largest roster file, checked before anything is read: over 500,000 rows of
#: the usual columns (about 120 bytes a row), 250,000 with every column filled.
MAX_FILE_BYTES = 64_000_000
#: The most rows a roster may have (a file of short rows can hold more in 64 MB).
MAX_ROWS = 1_000_000
#: The longest row, in characters, line breaks in quoted cells included: a roster
#: row is a few hundred, and the longest cell the import keeps (an address) 500. A
#: longer "row" is a quote left open or not a roster; reading stops there instead
#: of holding megabytes of one line. (Below the csv module's own field limit, 131,072.)
MAX_ROW_CHARS = 65_536
#: Why, in the refusal a user reads (the CLI's one line, the dialog's message).
WHY = (
    "a roster of interns is a few thousand rows at most, and the limit keeps an "
    "import's memory and time bounded; split the file"
)


def check_size(size: int) -> None:
    """Refuse a file over ``MAX_FILE_BYTES`` before reading it."""
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"the file is {_mb(size)}, over the {_mb(MAX_FILE_BYTES)} a roster may be ({WHY})"
        )


def too_many_rows() -> ImportRefused:
    return ImportRefused(
        f"the file has more than {MAX_ROWS:,} rows, the most a roster may have ({WHY})"
    )


def row_too_long(line: int) -> ImportRefused:
    return ImportRefused(
        f"line {line} cannot be read: its row is longer than {MAX_ROW_CHARS:,} characters "
        "(a quote opened there and never closed?)"
    )


def _mb(size: int) -> str:
    """Whole megabytes exactly, else rounded up to a tenth: a file over the limit
    never reads as the limit."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000} MB"
    return f"{math.ceil(size / 100_000) / 10:,.1f} MB"
