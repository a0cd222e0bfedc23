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
    announced: bool = True,
) -> Iterator[subprocess.Popen[str]]:
    """``announced=False`` with ``kind="app"``: the app at its login screen, holding its
    one-instance lock and the database unannounced (no run note yet)."""
    from testkeys import subprocess_env

    child = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "lockholder.py"),
            *(str(db_path), mode, kind, what, str(timeout), str(int(announced))),
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
    from contextlib import ExitStack

    from internhost.core.storage import dblock, instance

    path, mode, kind, what, timeout, announced = sys.argv[1:7]
    try:
        with ExitStack() as stack:
            if kind == "app" and announced == "0":
                stack.enter_context(instance.acquire(Path(path)))
            stack.enter_context(
                dblock.hold(
                    Path(path),
                    mode,  # type: ignore[arg-type]
                    what=what,
                    kind=kind,
                    timeout=float(timeout),
                    announced=announced == "1",
                )
            )
            print("held", flush=True)
            sys.stdin.read()  # until the test closes the pipe
    except dblock.DatabaseBusy as exc:
        print(f"busy: {exc}", flush=True)


if __name__ == "__main__":
    main()
