"""The formula guard and its inverse: exact round trip for any text."""

from __future__ import annotations

import pytest

from internhost.core.fileio.csvsafe import guard, unguard


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=cmd", "'=cmd"),
        ("+1 847 555 0100", "'+1 847 555 0100"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("'=x", "''=x"),  # a real leading quote before a trigger survives the trip
        ("Nguyễn", "Nguyễn"),
        ("'Tis", "'Tis"),
        ("a=b", "a=b"),
        ("", ""),
        (" =x", " =x"),
    ],
)
def test_guard_prefixes_one_quote_and_unguard_undoes_it(text: str, guarded: str) -> None:
    assert guard(text) == guarded
    assert unguard(guarded) == text


def test_round_trip_over_tricky_texts() -> None:
    alphabet = ["'", "=", "+", "-", "@", "a", " "]
    texts = [a + b + c for a in alphabet for b in alphabet for c in alphabet]
    for text in texts:
        assert unguard(guard(text)) == text
        assert guard(text)[:1] not in ("=", "+", "-", "@")
