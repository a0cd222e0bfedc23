"""Can Qt's window system start here? Asked before anything loads Qt (no Qt imports).

When Qt's platform plugin cannot start, Qt aborts the whole process (SIGABRT, exit
134) with a message about plugins that names none of what to do, and nothing in
Python can catch it. On Linux and the BSDs that happens for the xcb (X11) plugin
when a system library it needs is missing (a fresh Debian lacks several), when no
display is set, or when the display set cannot be reached. ``problem()`` finds each
of these first and says it in one line, with the packages to install; the command
line then exits 3. Elsewhere (Windows, macOS, Wayland, ``offscreen``) it checks
nothing: those platforms bring what they need or fail in other ways.

The libraries are checked by loading each with the dynamic loader (what Qt will do
a moment later, so it costs little: they stay loaded for Qt), once per process, on
Linux only: the table is that of PySide6's Linux wheels, and a BSD's Qt comes from its
ports with other sonames (only the display is checked there).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from functools import cache

#: The system libraries the app's Qt needs on X11: every soname that a bundled library
#: it loads names and PySide6 does not ship (``readelf -d``/``ldd`` on PySide6 6.12's
#: ``plugins/platforms/libqxcb.so``, ``lib/libQt6XcbQpa.so.6``, ``libQt6Gui``,
#: ``libQt6Core``, ``libQt6Widgets``, ``libQt6DBus``, ``libQt6PrintSupport`` and the
#: QtCore/QtGui/QtWidgets/QtPrintSupport bindings), with the Debian 12 package of each
#: (``dpkg -S``). glibc and libstdc++ are left out: nothing Python runs on lacks them.
#: ``tests/gui/test_platform_check.py`` fails when an installed PySide6 names another.
XCB_LIBRARIES: dict[str, str] = {
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}
#: Systems where Qt's default window system is X11 (xcb), possibly Wayland first.
_X11_SYSTEMS = ("linux", "freebsd", "openbsd", "netbsd", "dragonfly")
START = "the app cannot start"

#: Loads a library by soname; the loader's complaint, or None when it loaded.
Loader = Callable[[str], "str | None"]
#: Connects to an X display by name; the reason it could not, or None when it could.
DisplayProbe = Callable[[str], "str | None"]


@cache
def load_library(soname: str) -> str | None:
    """Load ``soname`` as Qt would (cached: each is tried once per process)."""
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError as exc:
        return str(exc)
    return None


def probe_x_display(name: str) -> str | None:
    """Open and close a connection to the X display ``name`` with libxcb (loaded
    already by the library check); why it failed, or None."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:  # named another way here: Qt will say what it says
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(os.fsencode(name), None)
    try:
        code = xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)
    return None if code == 0 else f"error {code}"


def uses_xcb(env: Mapping[str, str], system: str = sys.platform) -> bool:
    """True when Qt would try its xcb plugin first, as ``QGuiApplication`` chooses:
    ``QT_QPA_PLATFORM`` (its first entry) when set, else Wayland first in a Wayland
    session (``WAYLAND_DISPLAY`` or ``XDG_SESSION_TYPE=wayland``), else xcb."""
    if not system.startswith(_X11_SYSTEMS):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    return not (env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland")


def missing_libraries(load: Loader = load_library) -> list[str]:
    """The sonames of ``XCB_LIBRARIES`` that do not load, in table order."""
    return [soname for soname in XCB_LIBRARIES if load(soname) is not None]


def libraries_message(missing: list[str]) -> str:
    """One line naming ``missing`` and the ``apt install`` line that brings them."""
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES.get(s, s) for s in missing))
    return (
        f"{START}: Qt's X11 (xcb) platform needs {', '.join(missing)}, not found on this "
        f"computer; install with `sudo apt install {packages}` (Debian, Ubuntu; on other "
        "systems, the packages that provide these libraries)"
    )


def problem(
    env: Mapping[str, str] | None = None,
    *,
    system: str = sys.platform,
    load: Loader = load_library,
    probe: DisplayProbe = probe_x_display,
) -> str | None:
    """Why Qt's platform plugin would abort here, in one line; None when it should
    start (or this is not a system where the check applies)."""
    env = os.environ if env is None else env
    if not uses_xcb(env, system):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        unset = (
            "QT_QPA_PLATFORM is xcb and DISPLAY is not set"
            if env.get("QT_QPA_PLATFORM")
            else "neither DISPLAY nor WAYLAND_DISPLAY is set"
        )
        return (
            f"{START}: there is no display ({unset}); start it in a desktop session, "
            "or use the commands (internhost --help)"
        )
    missing = missing_libraries(load) if system.startswith("linux") else []
    if missing:
        return libraries_message(missing)
    failure = probe(display)
    if failure is not None:
        return (
            f"{START}: cannot connect to the X display {display!r} (DISPLAY; {failure}): "
            "is the desktop session running, and may this user open windows on it?"
        )
    return None
