"""Hold a database's lock in another process, as the app, a command or a worker does
(``core.dblock``): one process holds one lock per database, so a test cannot play
the other holder in its own process.

``with holding(path, "shared", kind="app"):`` starts ``python tests/lockholder.py``,
waits until it holds the lock, and ends it afterwards (the OS frees its lock).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent


class HolderRefused(Exception):
    """The other process could not get its lock (its one-line message)."""


@contextmanager
def holding(
    db_path: Path,
    mode: str = "shared",
    *,
    kind: str = "app",
    what: str = "the app",
    timeout: float = 0.4,
) -> Iterator[subprocess.Popen[str]]:
    from testkeys import subprocess_env

    child = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "lockholder.py"),
            *(str(db_path), mode, kind, what, str(timeout)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    assert child.stdout is not None and child.stdin is not None
    line = child.stdout.readline().strip()
    if line.startswith("busy: "):
        child.wait(timeout=30)
        raise HolderRefused(line.removeprefix("busy: "))
    assert line == "held", line
    try:
        yield child
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def main() -> None:
    from internhost.core import dblock

    path, mode, kind, what, timeout = sys.argv[1:6]
    try:
        with dblock.hold(Path(path), mode, what=what, kind=kind, timeout=float(timeout)):  # type: ignore[arg-type]
            print("held", flush=True)
            sys.stdin.read()  # until the test closes the pipe
    except dblock.DatabaseBusy as exc:
        print(f"busy: {exc}", flush=True)


if __name__ == "__main__":
    main()
