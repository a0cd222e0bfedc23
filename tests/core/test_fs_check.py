"""Network file systems are recognised from each platform's own answer."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from internhost.core.storage import fs_check

MOUNTINFO = r"""
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
40 27 0:40 / /home rw,relatime shared:20 - ext4 /dev/vdb1 rw
41 27 0:41 /exports/hr /mnt/hr rw,relatime shared:21 - nfs4 fileserver:/exports/hr rw,vers=4.2
42 41 0:42 / /mnt/hr/local rw,relatime - ext4 /dev/vdc1 rw
43 27 0:43 / /mnt/office\040share rw,relatime - cifs //nas/office\040share rw,vers=3.0
44 27 0:44 / /mnt/hrx rw,relatime - ext4 /dev/vdd1 rw
45 27 0:45 / /media/laptop rw,nosuid,nodev,relatime - fuse.sshfs me@laptop:/data rw
46 27 0:46 / /run/user/1000/gvfs rw,nosuid,nodev,relatime - fuse.gvfsd-fuse gvfsd-fuse rw
47 27 0:47 / /mnt/usb rw,relatime - fuseblk /dev/sdb1 rw
48 27 0:48 / /mnt/stack rw,relatime - ext4 /dev/vde1 rw
49 27 0:49 / /mnt/stack rw,relatime - smb3 //nas/stack rw
50 27 0:50 / /mnt/wsl-c rw,relatime - 9p drvfs rw
51 27 0:51 / /mnt/two\040fields rw master:3 propagate_from:2 unbindable - afs AFS rw
this line is not a mount
"""


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/home/hr/internhost.db", "ext4"),
        ("/srv/internhost.db", "ext4"),  # only the root holds it
        ("/mnt/hr/internhost.db", "nfs4"),
        ("/mnt/hr", "nfs4"),
        ("/mnt/hr/local/internhost.db", "ext4"),  # a local disk mounted inside the share
        ("/mnt/hrx/internhost.db", "ext4"),  # /mnt/hr is not a prefix of /mnt/hrx
        ("/mnt/office share/InternHost/internhost.db", "cifs"),  # \040 is a space
        ("/media/laptop/internhost.db", "fuse.sshfs"),
        ("/run/user/1000/gvfs/smb-share:server=nas,share=hr/x.db", "fuse.gvfsd-fuse"),
        ("/mnt/usb/internhost.db", "fuseblk"),
        ("/mnt/stack/internhost.db", "smb3"),  # the later mount on the same point wins
        ("/mnt/wsl-c/Users/hr/internhost.db", "9p"),
        ("/mnt/two fields/x.db", "afs"),  # several optional fields before the dash
    ],
)
def test_the_longest_mount_point_names_the_file_system(path: str, fstype: str) -> None:
    assert fs_check.fstype_from_mountinfo(path, MOUNTINFO) == fstype


def test_nothing_mounted_nothing_known() -> None:
    assert fs_check.fstype_from_mountinfo("/x/y.db", "") is None
    assert fs_check.parse_mountinfo("garbage\n\n1 2 3\n") == []


@pytest.mark.parametrize(
    ("fstype", "network"),
    [
        ("nfs", True),
        ("nfs4", True),
        ("cifs", True),
        ("smb3", True),
        ("smbfs", True),
        ("9p", True),
        ("afs", True),
        ("fuse.sshfs", True),
        ("sshfs", True),
        ("fuse.rclone", True),
        ("fuse.gvfsd-fuse", True),
        ("NFS4", True),
        ("ext4", False),
        ("btrfs", False),
        ("xfs", False),
        ("tmpfs", False),
        ("overlay", False),
        ("fuseblk", False),  # ntfs-3g on a USB disk
        ("fuse.ntfs-3g", False),
        ("fuse", False),
    ],
)
def test_network_file_system_types(fstype: str, network: bool) -> None:
    assert fs_check.is_network_fstype(fstype) is network


def _drive_types(**types: int):
    def drive_type(root: str) -> int:
        assert root.endswith(":\\")
        return types.get(root[0].upper(), 3)  # DRIVE_FIXED

    return drive_type


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (r"C:\Users\hr\AppData\Local\InternHost\internhost.db", None),
        (r"Z:\HR\internhost.db", "network drive"),
        (r"z:\HR\internhost.db", "network drive"),
        (r"\\nas\office\internhost.db", "UNC"),
        ("//nas/office/internhost.db", "UNC"),
        (r"\\?\UNC\nas\office\internhost.db", "UNC"),
        (r"\\?\C:\very\long\internhost.db", None),
        (r"\\?\Z:\HR\internhost.db", "network drive"),
        (r"\\.\C:\internhost.db", None),
        ("internhost.db", None),  # relative: no drive to ask about
    ],
)
def test_windows_paths(path: str, expected: str | None) -> None:
    assert fs_check.windows_remote(path, _drive_types(Z=fs_check.DRIVE_REMOTE)) == expected


def _darwin_statfs(fstypename: bytes, flags: int) -> bytes:
    # struct statfs (64-bit inodes): bsize, iosize, blocks, bfree, bavail, files, ffree,
    # fsid[2], owner, type, flags, fssubtype, fstypename[16], mntonname[1024],
    # mntfromname[1024], flags_ext, reserved[7]
    order = "<" if sys.byteorder == "little" else ">"
    layout = order + "IiQQQQQiiIIII16s1024s1024sI7I"
    assert struct.calcsize(layout) == 2168
    return struct.pack(
        layout, 4096, 4096, 1, 1, 1, 1, 1, 0, 0, 501, 0x1A, flags, 0, fstypename,
        b"/Volumes/x", b"//nas/x", 0, *[0] * 7,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fstypename", "flags", "expected"),
    [
        (b"apfs", fs_check.MNT_LOCAL | 0x1, None),
        (b"hfs", fs_check.MNT_LOCAL, None),
        (b"smbfs", 0x0, "smbfs"),
        (b"nfs", 0x10, "nfs"),
        (b"afpfs", 0x0, "afpfs"),
        (b"webdav", 0x0, "webdav"),
        (b"smbfs", fs_check.MNT_LOCAL, "smbfs"),  # named as a network client
    ],
)
def test_macos_statfs(fstypename: bytes, flags: int, expected: str | None) -> None:
    assert fs_check.darwin_remote(_darwin_statfs(fstypename, flags)) == expected


def test_the_warning_names_the_file_and_the_danger(tmp_path: Path) -> None:
    text = fs_check.warning_text(tmp_path / "internhost.db", "nfs4")
    assert str(tmp_path / "internhost.db") in text
    assert "network drive (nfs4)" in text
    assert "corrupt" in text


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    # tmp_path is on a local disk wherever the suite runs; a database not yet created
    # is judged by its folder.
    assert fs_check.network_filesystem(tmp_path / "not-yet" / "internhost.db") is None


@pytest.mark.skipif(sys.platform != "linux", reason="the mountinfo probe is Linux's")
def test_linux_probe_reads_its_mount_table(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_text

    def fake_read_text(self: Path, *args, **kwargs) -> str:
        if str(self) == "/proc/self/mountinfo":
            return "1 0 0:1 / / rw - nfs4 server:/ rw\n"
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", fake_read_text)
    warning = fs_check.network_filesystem("/srv/internhost.db")
    assert warning is not None and "(nfs4)" in warning


def test_a_failing_probe_gives_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> str | None:
        raise OSError("no such interface")

    for name in ("_linux", "_windows", "_darwin"):
        monkeypatch.setattr(fs_check, name, broken)
    assert fs_check.network_filesystem("/srv/internhost.db") is None
