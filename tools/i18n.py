"""Translations of the window (Qt .ts/.qm).

    .venv/bin/python tools/i18n.py update    # lupdate into resources/i18n/scenarist_*.ts
    .venv/bin/python tools/i18n.py release   # lrelease: resources/i18n/*.ts -> *.qm

``update`` runs pyside6-lupdate over editor/, keeping existing translations and dropping obsolete
ones. Translate the new entries (Qt Linguist: ``pyside6-linguist``), then ``release``. The words
of the layers below the window (node types, conditions, problems, the report) are not here: they
are in ``resources/i18n/<layer>_<lang>.toml`` (see connectors/texts.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("ru",)
SOURCE_DIRS = ("editor",)


def ts_path(code: str) -> Path:
    """The translation source of a language."""
    return I18N / f"scenarist_{code}.ts"


def qm_path(code: str) -> Path:
    """The compiled translation of a language."""
    return I18N / f"scenarist_{code}.qm"


def _tool(name: str) -> str:
    """A PySide6 tool of the running interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(beside) if beside.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        sys.exit(f"pyside6-{name} not found: run this with the project's .venv/bin/python")
    return found


def sources() -> list[Path]:
    """The Python files lupdate reads (it skips .py files in a directory it is given)."""
    return sorted(p for d in SOURCE_DIRS for p in (ROOT / d).glob("*.py"))


def lupdate_command(ts: Path, code: str) -> list[str]:
    """The lupdate call that refreshes ``ts`` from the sources."""
    return [_tool("lupdate"), *(str(p.relative_to(ROOT)) for p in sources()), "-ts", str(ts),
            "-no-obsolete", "-locations", "none", "-source-language", "en", "-target-language", code]


def lrelease_command(ts: Path, qm: Path) -> list[str]:
    """The lrelease call that compiles ``ts`` into ``qm``."""
    return [_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)]


def update() -> None:
    """Refresh every .ts from the sources."""
    I18N.mkdir(parents=True, exist_ok=True)
    for code in LANGUAGES:
        subprocess.run(lupdate_command(ts_path(code), code), cwd=ROOT, check=True)


def release() -> None:
    """Compile every .ts into its .qm."""
    for code in LANGUAGES:
        subprocess.run(lrelease_command(ts_path(code), qm_path(code)), cwd=ROOT, check=True)
        print(f"wrote {qm_path(code).relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    """The command line: ``update`` or ``release``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("update", "release"))
    args = parser.parse_args(argv)
    update() if args.command == "update" else release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
