"""CI's lint step: ``ruff check``, ``ruff format --check`` and mypy, with a ratchet.

mypy's errors are counted per area of ``internhost`` (``.ci/mypy-ratchet.toml``): an
area with more errors than its number fails, one with fewer passes and says to lower
the number, so the counts only ever fall. Run from anywhere with the venv's Python:
``.venv/bin/python .ci/typecheck.py``. mypy's cache stays inside this checkout.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATCHET = ROOT / ".ci" / "mypy-ratchet.toml"
#: Areas by path prefix, the first that matches; anything else in internhost is "other".
AREAS = (("internhost/core/", "core"), ("internhost/gui/", "gui"))
ERROR = re.compile(r"^(?P<path>[^:\n]+\.pyi?):\d+(?::\d+)?: error: ", re.MULTILINE)
SUMMARY = re.compile(r"^Found (\d+) errors? in \d+ files?", re.MULTILINE)


def area_of(path: str) -> str:
    path = path.replace("\\", "/")  # mypy on Windows
    return next((area for prefix, area in AREAS if path.startswith(prefix)), "other")


def count_errors(output: str) -> Counter[str]:
    """mypy's errors per area; ``ValueError`` when its summary disagrees with the lines."""
    counts = Counter(area_of(m["path"]) for m in ERROR.finditer(output))
    summary = SUMMARY.search(output)
    total = int(summary[1]) if summary else 0
    if total != counts.total():
        raise ValueError(f"mypy reported {total} errors but {counts.total()} were read")
    return counts


def against_ratchet(counts: Counter[str], allowed: dict[str, int]) -> tuple[list[str], set[str]]:
    """A line per area, its count against its number; and the areas over theirs."""
    lines, over = [], set()
    for area in sorted(set(counts) | set(allowed)):
        found, limit = counts[area], allowed.get(area, 0)
        line = f"mypy {area}: {found} error{'' if found == 1 else 's'}, {limit} allowed"
        if found > limit:
            over.add(area)
            line += f": {found - limit} too many (the area's errors are listed above)"
        elif found < limit:
            line += f": lower {area} to {found} in {RATCHET.relative_to(ROOT).as_posix()}"
        lines.append(line)
    return lines, over


def run(step: str, *args: str) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    print(f"{step}: exit {done.returncode} in {time.monotonic() - started:.1f} s", flush=True)
    return done


def main() -> int:
    failed = False
    for step, args in (
        ("ruff check", ("ruff", "check", "--no-cache", ".")),
        ("ruff format --check", ("ruff", "format", "--check", "--no-cache", ".")),
    ):
        done = run(step, *args)
        if done.returncode != 0:
            print(done.stdout + done.stderr, end="")
            failed = True
    cache = str(ROOT / ".mypy_cache")
    done = run("mypy", "mypy", "--cache-dir", cache, "--no-color-output", "--no-pretty")
    try:
        if done.returncode not in (0, 1):
            raise ValueError(f"mypy itself failed (exit {done.returncode})")
        counts = count_errors(done.stdout)
    except ValueError as exc:
        print(done.stdout + done.stderr, end="")
        print(exc)
        return 1
    allowed = tomllib.loads(RATCHET.read_text(encoding="utf-8"))["mypy"]
    lines, over = against_ratchet(counts, allowed)
    for line in done.stdout.splitlines():  # the new errors are among these
        match = ERROR.match(line)
        if match and area_of(match["path"]) in over:
            print(line)
    print("\n".join(lines))
    return 1 if failed or over else 0


if __name__ == "__main__":
    sys.exit(main())
