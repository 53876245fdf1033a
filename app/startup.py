"""Before the window starts: are the system libraries there that Qt needs to show it?

On Linux, Qt draws through its X11 platform plugin (xcb), which needs a dozen system libraries;
Qt 6.5 and later need ``libxcb-cursor0`` too, which many desktops lack. Without them the window
never appears. This check runs before Qt is imported (no Qt here), names the missing packages
with the command that installs them, and the caller stops with exit code 2.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

from app.prefs import Prefs
from connectors.texts import LANGUAGES, Text, words

# What Qt's xcb plugin (plugins/platforms/libqxcb.so and lib/libQt6XcbQpa.so.6) loads from the system,
# from `ldd` on both: the library, and the Debian / Ubuntu package that has it.
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libGL.so.1", "libgl1"),
    ("libEGL.so.1", "libegl1"),
)
# Platforms that need no X11: Qt's own offscreen and minimal ones, Wayland, the framebuffer, VNC.
NOT_X11 = ("offscreen", "minimal", "wayland", "eglfs", "linuxfb", "vnc", "vkkhrdisplay")


def can_load(library: str) -> bool:
    """Whether the system's dynamic loader finds and loads a library (as Qt's plugin will)."""
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def uses_x11(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will draw through X11 here: Linux, an X display, and no other platform chosen."""
    if not platform.startswith("linux") or not env.get("DISPLAY"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip().lower()
    if chosen:
        return chosen.startswith("xcb") or not chosen.startswith(NOT_X11)
    # Unset: on a Wayland session Qt 6 draws through Wayland.
    return not (env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"))


def missing_libraries(load: Callable[[str], bool] | None = None) -> list[tuple[str, str]]:
    """(library, package) of every library the xcb plugin needs that cannot be loaded."""
    load = load or can_load
    return [(library, package) for library, package in XCB_LIBRARIES if not load(library)]


def _language(env: Mapping[str, str]) -> str:
    chosen = Prefs.load().language
    if chosen in LANGUAGES:
        return chosen
    system = (env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or "en")[:2].lower()
    return system if system in LANGUAGES else "en"


def window_platform_problem(env: Mapping[str, str] | None = None) -> str | None:
    """What keeps the window from showing, with the command that fixes it; None when nothing does
    (or the platform is not X11 on Linux)."""
    env = os.environ if env is None else env
    if not uses_x11(env):
        return None
    missing = missing_libraries()
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(package for _, package in missing))
    text = Text("startup.missing_libraries", {"libraries": ", ".join(lib for lib, _ in missing),
                                              "packages": packages, "command": f"sudo apt install {packages}"})
    return words(text, _language(env))
