"""Operating-system file locks, shared or exclusive, that the OS releases when the
holder exits or is killed: the primitive under the database lock (``dblock``), the
run notes (``runs``) and the app's one-instance lock (``instance``).

POSIX: ``fcntl.flock``, a lock per open file (so two opens in one process conflict,
as two processes do; Linux maps it to NFS byte-range locks). Windows: ``LockFileEx``
through ctypes on one byte far beyond any content (``msvcrt.locking`` has no shared
mode, and a locked range cannot be read by other handles, while the notes beside the
lock must stay readable). Both are advisory between InternHost processes, which is
all they guard.

Converting a held lock between shared and exclusive is not atomic on either system
(``flock`` drops the old lock first; Windows has no conversion at all): callers that
convert release first and take the other mode after (see ``dblock``).
"""

from __future__ import annotations

import os
import sys

#: Windows locks this byte: beyond the note, so the note stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


def open_lock_file(path: os.PathLike[str] | str) -> int:
    """An fd on ``path`` for locking, created owner-only and not inherited by children
    (a child holding it would keep the lock after the parent is gone)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, 0o600)


if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2
    _ERROR_LOCK_VIOLATION = 33
    _ERROR_IO_PENDING = 997

    class _Overlapped(ctypes.Structure):
        _fields_ = (
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        )

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _LockFileEx = _kernel32.LockFileEx
    _LockFileEx.argtypes = (
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.POINTER(_Overlapped),
    )
    _LockFileEx.restype = wintypes.BOOL
    _UnlockFileEx = _kernel32.UnlockFileEx
    _UnlockFileEx.argtypes = (
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.POINTER(_Overlapped),
    )
    _UnlockFileEx.restype = wintypes.BOOL

    def _overlapped() -> _Overlapped:
        ov = _Overlapped()
        ov.Offset = _WINDOWS_LOCK_OFFSET
        return ov

    def try_lock(fd: int, *, exclusive: bool) -> bool:
        """Take the lock without waiting; False when another handle holds it."""
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        handle = msvcrt.get_osfhandle(fd)
        if _LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(_overlapped())):
            return True
        error = ctypes.get_last_error()
        if error in (_ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING):
            return False
        raise ctypes.WinError(error)

    def unlock(fd: int) -> None:
        handle = msvcrt.get_osfhandle(fd)
        if not _UnlockFileEx(handle, 0, 1, 0, ctypes.byref(_overlapped())):
            raise ctypes.WinError(ctypes.get_last_error())

else:
    import fcntl

    def try_lock(fd: int, *, exclusive: bool) -> bool:
        """Take the lock without waiting; False when another open file holds it."""
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
