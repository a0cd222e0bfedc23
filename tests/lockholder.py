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


@contextmanager
def holding(
    db_path: Path, mode: str = "shared", *, kind: str = "app", what: str = "the app"
) -> Iterator[subprocess.Popen[str]]:
    from testkeys import subprocess_env

    child = subprocess.Popen(
        [sys.executable, str(HERE / "lockholder.py"), str(db_path), mode, kind, what],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    assert child.stdout is not None and child.stdin is not None
    line = child.stdout.readline()
    assert line.strip() == "held", line
    try:
        yield child
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def main() -> None:
    from internhost.core import dblock

    path, mode, kind, what = sys.argv[1:5]
    with dblock.hold(Path(path), mode, what=what, kind=kind):  # type: ignore[arg-type]
        print("held", flush=True)
        sys.stdin.read()  # until the test closes the pipe


if __name__ == "__main__":
    main()
