"""The law lives only in the rule packs (``resources/rules/*.toml``): no code under
``internhost/`` holds a citation, compares against an age of the law, or words one.

Read with ``ast``, so comments and docstrings may still name the law they explain.
Flagged: string literals (f-string parts too) holding a citation (``CFR``, ``ILCS``,
``U.S.C.``, ``§``) or wording a legal age ("under 16", "21 or older", "14- and
15-year-olds"), and comparisons (``range``, ``min`` and ``max`` too) with a literal
14, 16, 18 or 21. Plausibility limits on input (an intern aged 10 to 25) are
validation, not law: named constants, which the scan lets pass.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rulecase import BEN, CRUZ, SCHOOL_7H, case, day_shift, rule_ids, run

import internhost
from internhost.core.rules import ages, guidance, packs
from internhost.core.services import onboarding
from internhost.paths import rules_dir

PACKAGE = Path(internhost.__file__).resolve().parent
CITATION = re.compile(r"\bCFR\b|\bILCS\b|U\.S\.C\.|§")
LEGAL_AGES = frozenset({14, 16, 18, 21})
_AGE = r"(?:14|16|18|21)"
AGE_WORDING = re.compile(
    rf"\b(?:under|over|aged|turns?|turning|from) {_AGE}\b"
    rf"|\b{_AGE}(?:\+|-year-olds?| or older| and older)"
    r"|\b1[4-7](?:–|- and |- to )1[5-7]-year-olds?"
)
AGE_CALLS = frozenset({"range", "min", "max"})


def _docstrings(tree: ast.AST) -> set[int]:
    """Ids of the string constants that stand alone as statements (docstrings)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _ages(node: ast.AST) -> bool:
    """Whether ``node`` is, or literally holds, a legal age (``(16, 18)``, ``18 - 1``)."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int and node.value in LEGAL_AGES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_ages(e) for e in node.elts)
    if isinstance(node, ast.BinOp):
        return _ages(node.left) or _ages(node.right)
    if isinstance(node, ast.UnaryOp):
        return _ages(node.operand)
    return False


def offences(source: str, filename: str) -> list[str]:
    """``file:line: what`` for every piece of law in ``source``, in line order."""
    tree = ast.parse(source, filename)
    docstrings = _docstrings(tree)
    found: list[tuple[int, str]] = []

    def flag(node: ast.AST, what: str) -> None:
        text = ast.get_source_segment(source, node) or ast.unparse(node)
        found.append((node.lineno, f"{what} {' '.join(text.split())[:90]}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            if CITATION.search(node.value):
                found.append((node.lineno, f"citation {node.value[:90]!r}"))
            elif AGE_WORDING.search(node.value):
                found.append((node.lineno, f"legal age in words {node.value[:90]!r}"))
        elif isinstance(node, ast.Compare) and any(
            _ages(side) for side in (node.left, *node.comparators)
        ):
            flag(node, "legal age compared:")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in AGE_CALLS
            and any(_ages(arg) for arg in node.args)
        ):
            flag(node, f"legal age in {node.func.id}():")
    return [f"{filename}:{line}: {what}" for line, what in sorted(found)]


def test_no_code_outside_the_packs_holds_law() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    # The walk covers the whole package: core, GUI (generated forms included), CLI.
    names = {p.relative_to(PACKAGE).as_posix() for p in files}
    assert {
        "cli.py",
        "core/rules/guidance.py",
        "core/services/onboarding.py",
        "gui/views/setup_forms.py",
        "gui/forms/ui_intern_detail.py",
    } <= names
    found = [
        offence
        for path in files
        for offence in offences(
            path.read_text("utf-8"), path.relative_to(PACKAGE.parent).as_posix()
        )
    ]
    assert not found, "law in code; move it into resources/rules/*.toml:\n" + "\n".join(found)


SNIPPET = '''"""A module whose docstring may cite 29 CFR 570.33 and say "under 16"."""

MIN_PLAUSIBLE_AGE = 10  # a comment may name 820 ILCS 206/40


def check(age: int, items: str) -> str:
    """Nor is this docstring's § 0 flagged."""
    if age < 18:
        return "29 CFR 570.33"
    if 16 <= age <= 17 or age + 1 in (16, 18) or age == 21 - 0:
        return f"not under 16 in Illinois (820 ILCS 206/40(a), items {items})"
    if age >= MIN_PLAUSIBLE_AGE and age != 15:
        return "confirm each is 21 or older"
    return ", ".join(str(a) for a in range(14, 18)) + "LEGAL.md §0"
'''


def test_the_scan_names_each_piece_of_law_by_file_and_line() -> None:
    """The scan can fail: it finds each comparison and citation of a snippet, and
    leaves its docstrings, comments and named plausibility limits alone."""
    assert offences(SNIPPET, "x/snippet.py") == [
        "x/snippet.py:8: legal age compared: age < 18",
        "x/snippet.py:9: citation '29 CFR 570.33'",
        "x/snippet.py:10: legal age compared: 16 <= age <= 17",
        "x/snippet.py:10: legal age compared: age + 1 in (16, 18)",
        "x/snippet.py:10: legal age compared: age == 21 - 0",
        "x/snippet.py:11: citation 'not under 16 in Illinois (820 ILCS 206/40(a), items '",
        "x/snippet.py:13: legal age in words 'confirm each is 21 or older'",
        "x/snippet.py:14: citation 'LEGAL.md §0'",
        "x/snippet.py:14: legal age in range(): range(14, 18)",
    ]


# ---- an amendment is a pack change --------------------------------------------------

#: A made-up amendment, each edit one fact of the law: Illinois' Act reaches the
#: under-17s (and its bands move with it), its supervisors must be 25, the youth wage
#: runs to 18, the default rate and a citation change, and the federal pack no longer
#: waits for FLSA coverage.
AMENDMENT = {
    "us-il.toml": [
        ("ages = [0, 15]", "ages = [0, 16]"),
        ("age_bands = [14, 16]", "age_bands = [14, 17]"),
        ("params = { min_age = 21 }", "params = { min_age = 25 }"),
    ],
    "wage.toml": [
        ("youth_max_age = 17", "youth_max_age = 18"),
        ("hourly_cents = 1500", "hourly_cents = 1650"),
    ],
    "us-federal.toml": [
        ('citation = "29 CFR 570.34"', 'citation = "29 CFR 570.34 (as amended)"'),
        ("covered_employers_only = true", "covered_employers_only = false"),
    ],
}


def _forget_the_packs() -> None:
    for module in (packs, ages, guidance, onboarding):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@pytest.fixture
def amended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped packs with ``AMENDMENT`` applied, in place of the shipped ones."""
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    for name, edits in AMENDMENT.items():
        text = (folder / name).read_text("utf-8")
        for old, new in edits:
            assert old in text, (name, old)
            text = text.replace(old, new)
        (folder / name).write_text(text, "utf-8")
    monkeypatch.setattr(packs, "rules_dir", lambda: folder)
    _forget_the_packs()
    yield
    monkeypatch.undo()
    _forget_the_packs()


def _what_the_app_says() -> dict[str, object]:
    """What the engine, the wording and the derived ages make of the packs in force."""
    school_day = "2025-10-14"
    sixteen = case(  # Ben turns 16 on 2025-11-20: 16 on this Saturday
        [day_shift("2025-11-22", "09:00", "13:00", supervisor_age=22)], birth_date=BEN
    )
    eighteen = case(  # Cruz is 18 from 2026-07-15, paid the youth rate
        [day_shift("2026-08-01", "09:00", "13:00")], birth_date=CRUZ, intern={"hourly_rate": 13}
    )
    long_day = case(  # Ava (15) works 4 h on a school day for an employer not covered
        [day_shift(school_day, "15:30", "19:00")],
        school_days={school_day: SCHOOL_7H},
        flsa_covered=False,
    )
    no_rate = case([day_shift("2025-10-18", "09:00", "13:00")])
    del no_rate["intern"]["hourly_rate"]
    from internhost.core.rules.parse import parse_case

    return {
        "bands": ages.band_starts(),
        "band of 16": ages.age_band(16),
        "hours limited below": ages.hours_limited_below(),
        "production floor": guidance.who_may("production_floor"),
        "office": guidance.who_may("office_clerical"),
        "supervisor": onboarding._cite()["supervisor"],
        "16-year-old's rules": sorted(rule_ids(run(sixteen)) & {"US-IL-206-35-c"}),
        "18-year-old's pay": sorted(rule_ids(run(eighteen)) & {"US-IL-105-4-min-wage"}),
        "federal rules uncovered": sorted(
            r for r in rule_ids(run(long_day)) if r.startswith("US-FLSA-570.35")
        ),
        "default rate": parse_case(no_rate).intern.hourly_rate_cents,
    }


def test_an_amendment_is_a_change_to_the_packs_alone(amended: None) -> None:
    """Every age, number and citation the app uses moves with the packs: the same code
    over amended packs says what the amended law says."""
    assert _what_the_app_says() == {
        "bands": (14, 16, 17, 18),
        "band of 16": "16",
        "hours limited below": 17,
        "production floor": "not under 16 (29 CFR 570.33); "
        "not under 17 in Illinois (820 ILCS 206/40(a), item 5)",
        "office": "allowed from 14 away from production areas (29 CFR 570.34 (as amended))",
        "supervisor": "C8: adult 25 or older on site, 820 ILCS 206/35(c)",
        "16-year-old's rules": ["US-IL-206-35-c"],
        "18-year-old's pay": [],
        "federal rules uncovered": ["US-FLSA-570.35-a5"],
        "default rate": 1650,
    }


def test_the_shipped_packs_say_what_the_law_says_today() -> None:
    """The same questions over the shipped packs: the baseline the amendment changes."""
    assert _what_the_app_says() == {
        "bands": (14, 16, 18),
        "band of 16": "16–17",
        "hours limited below": 16,
        "production floor": "not under 16 (29 CFR 570.33); "
        "not under 16 in Illinois (820 ILCS 206/40(a), item 5)",
        "office": "allowed from 14 away from production areas (29 CFR 570.34)",
        "supervisor": "C8: adult 21 or older on site, 820 ILCS 206/35(c)",
        "16-year-old's rules": [],
        "18-year-old's pay": ["US-IL-105-4-min-wage"],
        "federal rules uncovered": [],
        "default rate": 1500,
    }
