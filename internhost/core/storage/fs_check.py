"""Is the database on a network file system? SQLite's locking and its write-ahead log
(shared memory beside the file) are not safe on SMB or NFS shares: two PCs, or one
PC and a dropped connection, can corrupt the file. The app warns; it does not refuse.

``network_filesystem(path)`` returns the warning text, or None. Each platform's probe
reads its answer from a pure function that the tests feed sample inputs:

- Linux: ``/proc/self/mountinfo`` (only if it exists) — the mount with the longest
  mount point that contains the path, and its file-system type
  (``fstype_from_mountinfo``);
- Windows: UNC paths (``\\\\server\\share``) are remote, and a drive letter is when
  ``GetDriveTypeW`` says ``DRIVE_REMOTE`` (``windows_remote``);
- macOS: ``statfs`` through ctypes; the mount is remote when it lacks ``MNT_LOCAL``
  (``darwin_remote``).

Anything else, or a probe that fails, gives no warning: a warning is advice, and a
broken probe must never stop the app from opening its database.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

#: Linux file-system types that live on another machine.
NETWORK_FSTYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "smb2",
        "ncpfs",
        "afs",
        "coda",
        "9p",
        "sshfs",
        "davfs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "orangefs",
        "pvfs2",
    }
)
#: FUSE file systems (``fuse.<name>``) that are network clients.
NETWORK_FUSE = frozenset(
    {
        "sshfs",
        "davfs2",
        "rclone",
        "s3fs",
        "gcsfuse",
        "glusterfs",
        "cephfs",
        "ceph-fuse",
        "gvfsd-fuse",
        "smbnetfs",
        "curlftpfs",
        "goofys",
        "juicefs",
    }
)
#: macOS file-system names that are network clients (the MNT_LOCAL flag decides;
#: these name the type in the message).
DARWIN_NETWORK_FSTYPES = frozenset({"smbfs", "nfs", "afpfs", "webdav", "ftp", "cifs"})

DRIVE_REMOTE = 4
MNT_LOCAL = 0x00001000

_ESCAPE = re.compile(r"\\([0-7]{3})")


def is_network_fstype(fstype: str) -> bool:
    fstype = fstype.lower()
    if fstype in NETWORK_FSTYPES:
        return True
    main, _, sub = fstype.partition(".")
    return main in ("fuse", "fuseblk") and sub in NETWORK_FUSE


def warning_text(path: os.PathLike[str] | str, fstype: str) -> str:
    return (
        f"The database {path} is on a network drive ({fstype}). SQLite's file locking "
        "and its write-ahead log are not safe there: two computers at once, or a dropped "
        "connection, can corrupt it. Keep the database on this computer's own disk "
        "(backups may go to the network drive)."
    )


# -- Linux -----------------------------------------------------------------------


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as \040, \011, \012, \134.
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text: str) -> list[tuple[str, str]]:
    """(mount point, file-system type) for each line of a ``/proc/*/mountinfo`` text,
    in its order (a later mount on the same point hides an earlier one)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        try:
            dash = fields.index("-", 6)
            mount_point, fstype = _unescape(fields[4]), fields[dash + 1]
        except (ValueError, IndexError):
            continue  # not a mount line
        mounts.append((mount_point, fstype))
    return mounts


def fstype_from_mountinfo(path: str | PurePosixPath, mountinfo: str) -> str | None:
    """The file-system type of the mount that holds ``path`` (absolute, with symlinks
    already resolved): the longest mount point that contains it, the last such mount
    when several share that point."""
    parts = PurePosixPath(path).parts
    best: tuple[int, str] | None = None
    for mount_point, fstype in parse_mountinfo(mountinfo):
        mount_parts = PurePosixPath(mount_point).parts
        if parts[: len(mount_parts)] == mount_parts and (
            best is None or len(mount_parts) >= best[0]
        ):
            best = (len(mount_parts), fstype)
    return None if best is None else best[1]


def _linux(path: Path) -> str | None:
    mountinfo = Path("/proc/self/mountinfo")
    if not mountinfo.exists():
        return None
    fstype = fstype_from_mountinfo(str(_existing(path)), mountinfo.read_text("utf-8", "replace"))
    return fstype if fstype and is_network_fstype(fstype) else None


# -- Windows ---------------------------------------------------------------------


def windows_remote(path: str, drive_type: Callable[[str], int] | None) -> str | None:
    r"""``"UNC"`` or ``"network drive"`` when a Windows path is remote, else None.

    ``drive_type`` answers ``GetDriveTypeW`` for a root such as ``"Z:\\"``.
    """
    win = PureWindowsPath(path)
    drive = win.drive
    if drive.startswith(("\\\\?\\UNC\\", "\\\\?\\unc\\")):
        return "UNC"
    if drive.startswith("\\\\?\\"):  # \\?\C: — an extended-length local path
        drive = drive[4:]
    elif drive.startswith("\\\\."):  # a device path
        return None
    elif drive.startswith("\\\\"):
        return "UNC"
    if len(drive) == 2 and drive[1] == ":" and drive_type is not None:
        return "network drive" if drive_type(drive + "\\") == DRIVE_REMOTE else None
    return None


def _windows(path: Path) -> str | None:
    import ctypes

    get_drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    return windows_remote(str(_existing(path)), lambda root: int(get_drive_type(root)))


# -- macOS -----------------------------------------------------------------------

# struct statfs with 64-bit inodes (<sys/mount.h>): the offsets that matter.
_DARWIN_FLAGS = slice(64, 68)
_DARWIN_FSTYPENAME = slice(72, 88)
_DARWIN_STATFS_SIZE = 2168


def darwin_remote(statfs_buffer: bytes) -> str | None:
    """The file-system name when a macOS ``struct statfs`` describes a non-local mount."""
    flags = int.from_bytes(statfs_buffer[_DARWIN_FLAGS], sys.byteorder)
    name = statfs_buffer[_DARWIN_FSTYPENAME].split(b"\0", 1)[0].decode("ascii", "replace")
    if flags & MNT_LOCAL and name not in DARWIN_NETWORK_FSTYPES:
        return None
    return name or "network"


def _darwin(path: Path) -> str | None:
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    try:  # Intel Macs: the 64-bit-inode layout under its own symbol name.
        statfs = libc["statfs$INODE64"]
    except AttributeError:  # Apple silicon has only that layout, as plain statfs
        statfs = libc.statfs
    buffer = ctypes.create_string_buffer(_DARWIN_STATFS_SIZE)
    if statfs(os.fsencode(_existing(path)), buffer) != 0:
        return None
    return darwin_remote(buffer.raw)


# -- all platforms ---------------------------------------------------------------


def _existing(path: Path) -> Path:
    """``path`` with symlinks resolved, or its nearest folder that exists (a database
    about to be created)."""
    resolved = Path(os.path.realpath(path))
    for candidate in (resolved, *resolved.parents):
        if candidate.exists():
            return candidate
    return resolved


def network_filesystem(path: os.PathLike[str] | str) -> str | None:
    """A warning for the user when ``path`` is on a network file system, else None."""
    db_path = Path(path).expanduser()
    probe = {"linux": _linux, "win32": _windows, "darwin": _darwin}.get(sys.platform)
    if probe is None:
        return None
    try:
        kind = probe(db_path)
    except Exception:  # advice only: a failing probe must not stop the app
        return None
    return warning_text(db_path, kind) if kind else None
