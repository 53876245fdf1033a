"""Install Scenarist into a Linux desktop's applications menu: a desktop entry (the freedesktop.org
Desktop Entry Specification, version 1.4) and its icon under ``$XDG_DATA_HOME``.

The entry starts the very program that installed it (the ``scenarist`` command of this environment,
the bundle's executable, or ``python main.py`` in a clone), so it keeps working without a PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from connectors.texts import LANGUAGES, Text, words

APP_ID = "scenarist"
ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app.svg"
MAIN = Path(__file__).resolve().parent.parent / "main.py"
# Characters the specification reserves in Exec: an argument holding one is quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class DesktopEntry:
    """Where the entry and its icon were written."""

    entry: Path
    icon: Path


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (as the spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """The command that starts this Scenarist: the bundle, this environment's ``scenarist``, or main.py."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its executable is the program
        return [sys.executable]
    script = Path(sys.executable).parent / ("scenarist.exe" if os.name == "nt" else APP_ID)
    if script.is_file():
        return [str(script)]
    found = shutil.which(APP_ID)
    if found:
        return [found]
    return [sys.executable, str(MAIN)] if MAIN.is_file() else [sys.executable, "-m", APP_ID]


def exec_value(command: list[str]) -> str:
    """The Exec key's value for ``command``, opening the scenario file the desktop hands over (%f).

    An argument with a reserved character is quoted, with the double quote, backquote, dollar and
    backslash escaped inside the quotes; ``%`` is doubled; and, as in every string value of the file,
    each backslash is then written twice.
    """
    parts = []
    for arg in command:
        arg = arg.replace("%", "%%")
        if any(c in _RESERVED for c in arg):
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        parts.append(arg)
    return (" ".join(parts) + " %f").replace("\\", "\\\\")


def entry_text(command: list[str], icon: Path) -> str:
    """The desktop entry's text, its name and description in every language Scenarist speaks."""
    lines = ["[Desktop Entry]", "Type=Application", "Version=1.4", "Name=Scenarist"]
    for key, code in (("GenericName", "desktop.generic_name"), ("Comment", "desktop.comment")):
        lines.append(f"{key}={words(Text(code), 'en')}")
        lines += [f"{key}[{lang}]={words(Text(code), lang)}" for lang in LANGUAGES if lang != "en"]
    keywords = words(Text("desktop.keywords"), "en")
    lines.append(f"Keywords={keywords}")
    lines += [f"Keywords[{lang}]={words(Text('desktop.keywords'), lang)}" for lang in LANGUAGES if lang != "en"]
    lines += [f"Exec={exec_value(command)}", f"Icon={icon}", "Terminal=false", "Categories=Office;",
              "StartupNotify=true", "StartupWMClass=Scenarist", ""]
    return "\n".join(lines)


def install_desktop_entry(home: Path | None = None, command: list[str] | None = None) -> DesktopEntry:
    """Write ``applications/scenarist.desktop`` and its icon under ``home`` (default ``$XDG_DATA_HOME``).

    Installing again replaces both, so the entry follows the Scenarist that ran it last.
    """
    base = home if home is not None else data_home()
    icon = base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    entry = base / "applications" / f"{APP_ID}.desktop"
    icon.parent.mkdir(parents=True, exist_ok=True)
    entry.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICON, icon)
    tmp = entry.with_name(entry.name + ".tmp")  # a menu that reads it meanwhile sees the old entry or the new
    tmp.write_text(entry_text(command or launch_command(), icon), encoding="utf-8")
    tmp.chmod(0o755)  # some desktops start only entries marked executable
    tmp.replace(entry)
    return DesktopEntry(entry=entry, icon=icon)
