"""Folding text for search and sort: "nguyen" finds Nguyễn, "lukasiewicz" finds Łukasiewicz.

NFKD splits most accented letters into a base letter and combining marks, which
are dropped; a few letters have no decomposition (Ł, Ø, Đ, Æ…) and are mapped by
hand. ``casefold`` handles ß and the like. The same function folds the stored
column and the query, so SQL's plain LIKE does the rest.
"""

from __future__ import annotations

import unicodedata

_NO_DECOMPOSITION = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
    }
)


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of ``text``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape char ``\\``) matching ``query`` folded, anywhere."""
    folded = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"
