"""The peak resident memory of ``internhost`` run as a child process, as the child
itself measured it.

``os.wait4``'s ``ru_maxrss`` cannot be trusted for this: Linux keeps, across the
child's ``exec``, the high-water mark of the memory it had between ``fork`` and
``exec``, which is the parent's. Under a test session that has loaded Qt (400 MB
and more) every child then "peaks" at the parent's size. So the child runs the
command line as ``python -m internhost`` would (``cli.main``) and, at its end, writes
its own ``VmHWM`` (the high-water mark of the memory it has had since its ``exec``)
from ``/proc/self/status``, or where there is none its ``ru_maxrss``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

PEAK_ENV = "INTERNHOST_PEAK_FILE"
RUNNER = f"""
import os, sys
from internhost import cli
code = 1
try:
    code = cli.main(sys.argv[1:])
finally:
    peak = None
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    if peak is None:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak *= 1 if sys.platform == "darwin" else 1024
    with open(os.environ["{PEAK_ENV}"], "w") as out:
        out.write(str(peak))
sys.exit(code)
"""


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> tuple[int, float, str, str]:
    """``internhost ARGV`` in a child: its exit code, peak memory in MB, stdout, stderr."""
    with tempfile.TemporaryDirectory(prefix="internhost-peak-") as folder:
        peak_file = Path(folder) / "peak"
        child = subprocess.run(
            [sys.executable, "-c", RUNNER, *argv],
            env={**(os.environ if env is None else env), PEAK_ENV: str(peak_file)},
            cwd=cwd,
            capture_output=True,
            text=True,
        )
        peak = int(peak_file.read_text()) / 1e6 if peak_file.exists() else float("nan")
    return child.returncode, peak, child.stdout, child.stderr
