"""What the command-line tests share: a standard input that is, or is not, a
terminal (a command may ask only on one), and the one line a refusal prints."""

from __future__ import annotations

import io


class Terminal(io.StringIO):
    """Standard input typed at a terminal: the command may ask."""

    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    """Standard input from a script: the command must not ask."""

    def isatty(self) -> bool:
        return False


def one_line(err: str) -> str:
    """The single ``internhost: …`` line a refused command prints, never a traceback."""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("internhost: "), err
    assert "Traceback" not in err, err
    return lines[0]


def message(err: str) -> str:
    """``one_line`` without its ``internhost: `` prefix."""
    return one_line(err).removeprefix("internhost: ")
