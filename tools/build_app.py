"""Build Scenarist as a one-folder application with PyInstaller: a folder holding the ``scenarist``
executable (``scenarist.exe`` on Windows, ``Scenarist.app`` on macOS) and everything it needs, to
copy to a computer without Python.

    pip install '.[build]'            # PyInstaller, pinned in pyproject.toml
    python tools/build_app.py         # -> dist/scenarist/ (and dist/Scenarist.app on macOS)

Build on the system the bundle is for: PyInstaller does not cross-compile (a Windows bundle is built
on Windows, a macOS one on a Mac). The bundle is the same program as ``main.py``: without arguments
it opens the window; on Linux, where it is built with a console, it also takes every command
(``dist/scenarist/scenarist run ...``). On Windows and macOS it is built as a window program
(``--console`` builds one with a console instead).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "scenarist"
# Our packages load their node types and condition kinds by listing the package (pkgutil), which
# PyInstaller's analysis cannot see: every module of them goes into the bundle.
OUR_PACKAGES = ("scenarist", "app", "editor", "engine", "connectors")
# Data files that libraries read at run time and that PyInstaller's hooks may not bring.
LIBRARY_DATA = ("NodeGraphQt",)


def pyinstaller_args(dist: Path, work: Path, console: bool) -> list[str]:
    """The arguments for PyInstaller that build the bundle into ``dist``."""
    sep = os.pathsep  # --add-data SOURCE{sep}DEST: ";" on Windows, ":" elsewhere
    args = [str(ROOT / "main.py"), "--name", NAME, "--onedir", "--noconfirm", "--clean",
            "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
            "--paths", str(ROOT), "--add-data", f"{ROOT / 'resources'}{sep}resources"]
    if sys.platform == "darwin":
        args += ["--osx-bundle-identifier", "org.scenarist.Scenarist"]
    for package in OUR_PACKAGES:
        args += ["--collect-submodules", package]
    for package in LIBRARY_DATA:
        args += ["--collect-data", package]
    # The executable keeps PyInstaller's icon: it takes .ico (Windows) and .icns (macOS), and ours is an
    # SVG, which the window shows itself.
    args.append("--console" if console else "--windowed")
    return args


def build(dist: Path | None = None, work: Path | None = None, console: bool | None = None) -> Path:
    """Build the bundle; returns the folder that holds the executable.

    Raises:
        SystemExit: when PyInstaller is not installed (``pip install '.[build]'``).
    """
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit("PyInstaller is not installed here: pip install '.[build]' (from the repository's folder)"
                         ) from None
    # PyInstaller lists our packages' modules by importing them (in a subprocess that inherits the path).
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    dist = (dist or ROOT / "dist").resolve()
    console = sys.platform.startswith("linux") if console is None else console
    with tempfile.TemporaryDirectory(prefix="scenarist-build-") as scratch:
        pyinstaller.run(pyinstaller_args(dist, (work or Path(scratch)).resolve(), console))
    return dist / NAME


def main(argv: list[str] | None = None) -> int:
    """Command line of the build."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="where the bundle goes (default: dist/ in the repository)")
    parser.add_argument("--work", type=Path, help="PyInstaller's build folder (default: a temporary one)")
    parser.add_argument("--console", action=argparse.BooleanOptionalAction, default=None,
                        help="with a console (the default on Linux) or as a window program (Windows, macOS)")
    args = parser.parse_args(argv)
    folder = build(args.dist, args.work, args.console)
    executable = folder / (f"{NAME}.exe" if os.name == "nt" else NAME)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    print(f"built {executable} ({size / 2**20:.0f} MiB in {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
