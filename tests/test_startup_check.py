"""Before the window starts, the system libraries Qt's X11 plugin needs are looked for; a missing
one is named with its package and the command that installs it, and Scenarist exits with 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import startup
from tests.helpers import ROOT

X11 = {"DISPLAY": ":0", "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "en_US.UTF-8"}


def test_every_library_but_one_loads_and_the_missing_one_is_named_with_its_package():
    missing = startup.missing_libraries(load=lambda library: library != "libxcb-cursor.so.0")
    assert missing == [("libxcb-cursor.so.0", "libxcb-cursor0")]


@pytest.mark.parametrize(("env", "linux", "expected"), [
    (X11, "linux", True),
    ({**X11, "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({**X11, "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({**X11, "QT_QPA_PLATFORM": "minimal"}, "linux", False),
    ({**X11, "QT_QPA_PLATFORM": "wayland"}, "linux", False),
    ({"PATH": "/usr/bin"}, "linux", False),  # no display at all: Qt says so itself
    ({**X11, "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    (X11, "darwin", False),
])
def test_the_check_runs_only_where_qt_draws_through_x11(env, linux, expected):
    assert startup.uses_x11(env, platform=linux) is expected


def test_offscreen_and_no_display_are_never_stopped(monkeypatch):
    monkeypatch.setattr(startup, "can_load", lambda library: False)  # nothing would load
    assert startup.window_platform_problem({**X11, "QT_QPA_PLATFORM": "offscreen"}) is None
    assert startup.window_platform_problem({"PATH": "/usr/bin"}) is None


def _start(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Run main.py's entry in a fresh interpreter whose library lookup fails as ``code`` says."""
    script = ("import sys; from app import startup; " + code + "; import main; code = main.main([]); "
              "print('qt imported' if 'PySide6' in sys.modules else 'qt not imported'); sys.exit(code)")
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**env, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")})


def test_a_missing_libxcb_cursor_stops_the_start_with_the_package_and_exit_code_2(tmp_path):
    done = _start("startup.can_load = lambda library: library != 'libxcb-cursor.so.0'", X11, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "libxcb-cursor.so.0" in done.stderr
    assert "    sudo apt install libxcb-cursor0\n" in done.stderr
    assert "qt not imported" in done.stdout  # told before Qt was even loaded: no black window


def test_the_message_is_in_russian_on_a_russian_system(tmp_path):
    done = _start("startup.can_load = lambda library: library not in ('libxcb-cursor.so.0', 'libxcb-icccm.so.4')",
                  {**X11, "LANG": "ru_RU.UTF-8"}, tmp_path)
    assert done.returncode == 2
    assert "Scenarist не может открыть окно" in done.stderr
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in done.stderr


def test_the_table_names_every_x11_library_of_the_installed_qt_plugin():
    """The list above stays true to the Qt that is installed: ldd on its xcb plugin names no X11, xcb,
    xkb or GL library that the list lacks."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    files = [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]
    if sys.platform != "linux" or not all(f.exists() for f in files):
        pytest.skip("not a Linux wheel of PySide6")
    try:
        listed = "".join(subprocess.run(["ldd", str(f)], capture_output=True, text=True, check=True).stdout
                         for f in files)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no ldd here")
    needed = {line.split()[0] for line in listed.splitlines() if line.strip()
              and line.split()[0].startswith(("libxcb", "libX11", "libxkb", "libGL.", "libEGL."))}
    assert needed <= {library for library, _ in startup.XCB_LIBRARIES}
