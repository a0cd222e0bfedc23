"""What the packet services hand the GUI and the CLI: which packets a selection makes,
what was written (or kept), and the packets recorded for an intern's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class PacketTarget:
    """One packet to make: an intern's placement (a school batch holds many)."""

    intern_id: int
    placement_id: int
    school_id: int
    school: str
    #: The intern's name as printed (preferred first name, legal last name).
    intern_name: str


@dataclass(frozen=True)
class PacketWritten:
    """A packet file written (or, ``kept``, left as it was: it existed, no force)."""

    path: Path
    kept: bool
    intern_id: int | None = None
    placement_id: int | None = None
    packet_id: int | None = None
    verification: str = ""
    pages: int = 0
    sha256: str = ""
    #: The verification code of the earlier version this one replaces ("" if none).
    replaces: str = ""


@dataclass(frozen=True)
class PacketFailure:
    intern_id: int
    placement_id: int | None
    error: str


@dataclass(frozen=True)
class BatchResult:
    written: tuple[PacketWritten, ...]
    failed: tuple[PacketFailure, ...]


@dataclass(frozen=True)
class PacketRow:
    """A packet recorded for an intern: what was sent, when, by whom."""

    id: int
    kind: str
    intern_id: int | None
    placement_id: int | None
    created_at: datetime
    created_by: str | None
    filename: str
    pages: int | None
    sha256: str
    verification: str
    rule_packs: tuple[tuple[str, str], ...]
    chain_seq: int | None
    replaces_id: int | None
