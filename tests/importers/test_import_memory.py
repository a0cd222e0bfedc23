"""The roster import's resident memory, as the app runs it: ``internhost
import-roster`` in a child process, its peak RSS read from ``os.wait4``. Slow (a
dry run of a 25 MB roster); ``bench/import.py`` measures the 50 MB one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEADER = "First,Last,DOB,School,Grade,Student ID,Guardian,Guardian Phone,Start,Worksite\r\n"
SCHOOLS = ("Auburn High School", "Elgin High School", "Jefferson High School")
#: Far below what reading whole files took (1.14 GB for a 50 MB dry run), above what
#: the interpreter, SQLAlchemy and SQLCipher take before the first row (~100 MB).
LIMIT_MB = 200

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (POSIX)"),
]


def _roster(path: Path, rows: int, *, start: int, placements: bool) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i in range(start, start + rows):
            placement = "9/8/2025 0:00,Rockford Plant" if placements else ","
            out.write(
                f"Ana{i},Ruiz{i},3/{i % 28 + 1}/2008 0:00,{SCHOOLS[i % 3]},11,{600000 + i},"
                f"Rosa Ruiz{i},(815) 555-{i % 9000 + 1000},{placement}\r\n"
            )
    return path


def _peak_mb(*argv: str) -> tuple[int, float, str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "internhost", *argv],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    err = child.stderr.read().decode() if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KB
    return child.returncode, usage.ru_maxrss * scale / 1e6, err


def test_dry_run_and_import_stay_far_below_a_whole_file_read(demo_path, tmp_path) -> None:
    big = _roster(tmp_path / "big.csv", 260_000, start=0, placements=False)
    assert big.stat().st_size > 25_000_000
    code, peak, err = _peak_mb("--db", str(demo_path), "import-roster", str(big), "--dry-run")
    assert (code, err) == (0, "")
    assert peak < LIMIT_MB, f"dry run of {big.stat().st_size / 1e6:.0f} MB: {peak:.0f} MB"
    some = _roster(tmp_path / "some.csv", 20_000, start=500_000, placements=True)
    code, peak, err = _peak_mb("--db", str(demo_path), "import-roster", str(some))
    assert (code, err) == (0, "")
    assert peak < LIMIT_MB, f"import of 20,000 rows: {peak:.0f} MB"
    code, _, err = _peak_mb("--db", str(demo_path), "audit", "verify")
    assert (code, err) == (0, "")
