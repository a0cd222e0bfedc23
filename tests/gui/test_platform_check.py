"""The check before Qt loads: a missing X11 library or display is one line and exit 3,
not Qt's uncatchable abort (exit 134). Unit tests use a fake loader and probe; the
subprocess tests break a real library with ``LD_LIBRARY_PATH`` (an empty file of the
same name, which the dynamic loader finds first and refuses, as Qt's loading would)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from internhost.gui import platform_check as check

REPO = Path(__file__).resolve().parents[2]
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 check: Linux")
X11 = {"DISPLAY": ":0"}


def loader(*missing: str):
    """A fake loader that fails for ``missing`` and records what it was asked."""
    asked: list[str] = []

    def load(soname: str) -> str | None:
        asked.append(soname)
        return f"{soname}: cannot open shared object file" if soname in missing else None

    load.asked = asked  # type: ignore[attr-defined]
    return load


def reachable(_: str) -> None:
    return None


def test_missing_libraries_are_named_with_their_packages_once() -> None:
    load = loader("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libgthread-2.0.so.0")
    message = check.problem(X11, system="linux", load=load, probe=reachable)
    assert message is not None and "\n" not in message
    assert message.startswith("the app cannot start: ")
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "`sudo apt install libglib2.0-0 libxcb-icccm4 libxcb-keysyms1`" in message
    assert "on other systems" in message
    assert sorted(load.asked) == sorted(check.XCB_LIBRARIES)  # every one, each once


def test_shared_package_is_named_once() -> None:
    message = check.libraries_message(["libglib-2.0.so.0", "libgthread-2.0.so.0"])
    assert message.count("libglib2.0-0") == 1


def test_everything_present_and_reachable_starts() -> None:
    assert check.problem(X11, system="linux", load=loader(), probe=reachable) is None


@pytest.mark.parametrize(
    "env",
    [{}, {"DISPLAY": ""}, {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}],
)
def test_no_display_is_said_before_libraries(env: dict[str, str]) -> None:
    load = loader("libxcb-cursor.so.0")
    message = check.problem(env, system="linux", load=load, probe=reachable)
    assert message is not None and "there is no display" in message
    assert "DISPLAY" in message and "internhost --help" in message
    assert load.asked == []  # installing libraries would not help


def test_unreachable_display_is_named() -> None:
    message = check.problem(
        {"DISPLAY": ":77"}, system="linux", load=loader(), probe=lambda _: "error 1"
    )
    assert message is not None and "cannot connect to the X display ':77'" in message


@pytest.mark.parametrize(
    ("env", "system", "xcb"),
    [
        ({}, "linux", True),
        (X11, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:nodebug;wayland"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal", **X11}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb", **X11}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0", **X11}, "linux", False),  # Qt tries Wayland first
        ({"XDG_SESSION_TYPE": "wayland"}, "linux", False),
        ({"XDG_SESSION_TYPE": "x11", **X11}, "linux", True),
        (X11, "win32", False),
        (X11, "darwin", False),
    ],
)
def test_only_where_qt_would_use_xcb(env: dict[str, str], system: str, xcb: bool) -> None:
    assert check.uses_xcb(env, system) is xcb
    load = loader(*check.XCB_LIBRARIES)  # nothing loads: only the xcb path may say so
    message = check.problem(env, system=system, load=load, probe=reachable)
    assert (message is not None) is xcb
    if not xcb:
        assert load.asked == []


def test_a_bsd_gets_the_display_checked_but_not_the_linux_library_table() -> None:
    """A BSD's Qt comes from its ports, with other sonames (libz.so.6, not .1)."""
    assert check.uses_xcb(X11, "freebsd14")
    load = loader(*check.XCB_LIBRARIES)
    assert check.problem(X11, system="freebsd14", load=load, probe=reachable) is None
    assert load.asked == []
    assert "there is no display" in (check.problem({}, system="openbsd7") or "")


def test_each_library_is_loaded_once_per_process() -> None:
    check.load_library.cache_clear()
    check.load_library("libdoes-not-exist-internhost.so.9")
    check.load_library("libdoes-not-exist-internhost.so.9")
    assert check.load_library.cache_info().hits == 1


# --- the table against the installed PySide6 -------------------------------------------

#: Libraries every process already has (glibc, the C++ runtime), never checked.
BASE = ("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "ld-linux", "libgcc_s.so")
BASE_CXX = "libstdc++.so"


def needed(path: Path) -> list[str]:
    """The DT_NEEDED sonames of a 64-bit little-endian ELF file (``readelf -d``)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, path
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    header = "<IIQQQQIIQQ"
    sections = [struct.unpack_from(header, data, shoff + i * shentsize) for i in range(shnum)]
    found: list[str] = []
    for _, kind, _, _, offset, size, link, *_ in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strings = sections[link][4]
        for pos in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strings + value)
                found.append(data[strings + value : end].decode())
    return found


@LINUX
def test_the_table_names_every_system_library_the_app_s_qt_needs() -> None:
    import PySide6

    root = Path(PySide6.__file__).parent
    qt = root / "Qt"
    files = [
        qt / "plugins" / "platforms" / "libqxcb.so",
        *(qt / "lib" / f"libQt6{m}.so.6" for m in ("XcbQpa", "Gui", "Core", "Widgets", "DBus")),
        qt / "lib" / "libQt6PrintSupport.so.6",
        *(root / f"Qt{m}.abi3.so" for m in ("Core", "Gui", "Widgets", "PrintSupport")),
    ]
    shipped = {p.name for d in (root, qt / "lib", root.parent / "shiboken6") for p in d.iterdir()}
    system = {
        soname
        for f in files
        for soname in needed(f)
        if soname not in shipped and not soname.startswith((*BASE, BASE_CXX))
    }
    assert system == set(check.XCB_LIBRARIES), "update XCB_LIBRARIES and the README's list"


def test_readme_install_line_names_every_package() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    lines = [ln for ln in readme.splitlines() if "sudo apt install python3-venv" in ln]
    assert len(lines) == 1, "the Quick start's one apt line"
    listed = set(lines[0].split("sudo apt install", 1)[1].strip(" `.").split())
    assert set(check.XCB_LIBRARIES.values()) <= listed


# --- the real command ----------------------------------------------------------------


def run_app(tmp_path: Path, env: dict[str, str], *wrap: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    for name in ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        clean.pop(name, None)
    return subprocess.run(
        [*wrap, sys.executable, "-m", "internhost", "--db", str(tmp_path / "x.db")],
        env={**clean, "XDG_CONFIG_HOME": str(tmp_path / "config"), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@LINUX
def test_no_display_exits_3_with_the_message(tmp_path: Path) -> None:
    done = run_app(tmp_path, {})
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("internhost: the app cannot start: there is no display")
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "x.db").exists()


@LINUX
@pytest.mark.parametrize("soname", ["libxcb-icccm.so.4", "libxcb-cursor.so.0", "libEGL.so.1"])
def test_an_unloadable_library_exits_3_naming_it(tmp_path: Path, soname: str) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / soname).write_bytes(b"")  # found first, refused: as if it were missing
    done = run_app(tmp_path, {"DISPLAY": ":0", "LD_LIBRARY_PATH": str(broken)})
    assert done.returncode == 3, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert soname in done.stderr
    assert f"sudo apt install {check.XCB_LIBRARIES[soname]}" in done.stderr


@LINUX
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (apt install xvfb)")
def test_the_app_starts_on_a_real_x_server(tmp_path: Path) -> None:
    """The check lets a complete installation through: the window shows (exit 0)."""
    done = run_app(
        tmp_path,
        {"INTERNHOST_BENCH_IDLE": "1", "INTERNHOST_PASSPHRASE": "a passphrase for xvfb"},
        "xvfb-run",
        "-a",
    )
    assert done.returncode == 0, done.stderr
    assert "idle " in done.stdout
