"""Installing like an app: ``pip install .`` into a fresh environment gives a ``scenarist`` command with
the same commands as ``main.py``, and ``--install-desktop-entry`` writes a desktop entry (checked
against the Desktop Entry Specification by desktop-file-validate) and its icon under $XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from app.desktop import ICON, exec_value
from tests.helpers import ROOT

# What goes into the package: the code, its resources and the files pyproject.toml names.
SOURCE = ("pyproject.toml", "README.md", "main.py", "scenarist", "app", "editor", "engine", "connectors",
          "resources")
ENV = {**os.environ, "COLUMNS": "100", "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str | Path, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, env=env or ENV,
                          cwd=cwd)


def flat(text: str) -> str:
    """A help text without its line breaks (a longer program name wraps the usage lines elsewhere)."""
    return " ".join(text.split())


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # keys are case-sensitive: Name and Name[ru]
    parser.read(path, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def validate_entry(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must check the desktop entry: apt-get install desktop-file-utils")
        return
    done = run(tool, path)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def exec_command(value: str, argument: str) -> list[str]:
    """The command a desktop starts for ``Exec``, with ``%f`` as ``argument``: the string's backslashes
    first, then the spec's quoting (inside double quotes a backslash escapes " ` $ and itself)."""
    text, words, word, quoted, i = value.replace("\\\\", "\\"), [], None, False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and text[i + 1] in '"`$\\':
            word, i = (word or "") + text[i + 1], i + 2
            continue
        if c == '"':
            quoted, word = not quoted, word or ""
        elif c == " " and not quoted:
            if word is not None:
                words.append(word)
            word = None
        else:
            word = (word or "") + c
        i += 1
    words.append(word)
    return [argument if w == "%f" else w.replace("%%", "%") for w in words]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh environment with Scenarist installed by ``pip install .`` from a copy of the sources.

    The dependencies are this environment's (a .pth file names its site-packages), so nothing but
    setuptools for the build is fetched, and pip's cache holds that.
    """
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in SOURCE:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (ROOT / name).is_dir() else {}))
    env = base / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = run(python, "-m", "pip", "install", "--quiet", "--no-deps", source)
    assert done.returncode == 0, done.stderr[-3000:]
    return env


def test_pip_install_gives_the_scenarist_command_with_the_commands_of_main_py(installed, tmp_path) -> None:
    scenarist = installed / "bin" / "scenarist"
    assert scenarist.is_file()
    help_text = run(scenarist, "--help", cwd=tmp_path)
    main_help = run(sys.executable, ROOT / "main.py", "--help")
    assert help_text.returncode == main_help.returncode == 0
    assert help_text.stdout.startswith("usage: scenarist [-h] [--install-desktop-entry] COMMAND ...\n")
    assert flat(help_text.stdout) == flat(main_help.stdout.replace("main.py", "scenarist"))
    commands = [line.split()[0] for line in main_help.stdout.splitlines() if line.startswith("    ")
                and not line.startswith("     ")]
    assert {"validate", "preview", "run", "simulate", "serve", "map-crm", "secret", "demo-crm"} <= set(commands)
    for command in commands:  # every command is there, with the same options
        mine, theirs = run(scenarist, command, "--help", cwd=tmp_path), run(sys.executable, ROOT / "main.py",
                                                                            command, "--help")
        assert (mine.returncode, flat(mine.stdout)) == (0, flat(theirs.stdout.replace("main.py", "scenarist"))), command


def test_the_installed_command_runs_from_its_own_files(installed, tmp_path) -> None:
    python = installed / "bin" / "python"
    where = run(python, "-c", "import app, editor.i18n as i; print(app.__file__); print(i.I18N)", cwd=tmp_path)
    site = installed / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    assert where.stdout.splitlines() == [str(site / "app" / "__init__.py"), str(site / "resources" / "i18n")]
    assert (site / "resources" / "i18n" / "scenarist_ru.qm").read_bytes() == \
        (ROOT / "resources" / "i18n" / "scenarist_ru.qm").read_bytes()
    template = site / "resources" / "templates" / "welcome.scenario.json"
    done = run(installed / "bin" / "scenarist", "validate", template, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    shop = tmp_path / "shop.db"
    done = run(installed / "bin" / "scenarist", "demo-crm", shop, "--customers", "20", "--seed", "3",
               "--as-of", "2026-03-01T10:00:00", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(shop) as db:
        assert db.execute("SELECT count(*) FROM customers").fetchone() == (20,)
    done = run(python, "-m", "scenarist", "validate", template, "--json", cwd=tmp_path)
    assert (done.returncode, json.loads(done.stdout)) == (0, {"valid": True, "problems": []})


def test_installed_desktop_entry_starts_the_installed_command(installed, tmp_path) -> None:
    env = {**ENV, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = run(installed / "bin" / "scenarist", "--install-desktop-entry", env=env, cwd=tmp_path)
    entry_path = tmp_path / "data" / "applications" / "scenarist.desktop"
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "scenarist.svg"
    assert (done.returncode, done.stdout) == (0, f"desktop entry: {entry_path}\nicon: {icon}\n")
    validate_entry(entry_path)
    entry = read_entry(entry_path)
    assert entry["Exec"] == f"{installed / 'bin' / 'scenarist'} %f"
    started = run(*exec_command(entry["Exec"], "--help"), cwd=tmp_path)
    assert started.stdout.startswith("usage: scenarist ")


def test_desktop_entry_of_a_clone_keys_and_icon(tmp_path) -> None:
    env = {**ENV, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = run(sys.executable, ROOT / "main.py", "--install-desktop-entry", env=env)
    assert done.returncode == 0, done.stderr
    entry_path = tmp_path / "data" / "applications" / "scenarist.desktop"
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "scenarist.svg"
    validate_entry(entry_path)
    assert icon.read_bytes() == ICON.read_bytes()
    entry = read_entry(entry_path)
    assert entry == {
        "Type": "Application", "Version": "1.4", "Name": "Scenarist",
        "GenericName": "Customer scenario editor", "GenericName[ru]": "Редактор сценариев для клиентов",
        "Comment": "Draw customer win-back scenarios and run them every day against your shop's CRM",
        "Comment[ru]": "Рисуйте сценарии возврата клиентов и запускайте их каждый день на CRM магазина",
        "Keywords": "CRM;email;marketing;customers;shop;",
        "Keywords[ru]": "CRM;почта;рассылка;маркетинг;клиенты;магазин;",
        "Exec": entry["Exec"], "Icon": str(icon), "Terminal": "false", "Categories": "Office;",
        "StartupNotify": "true", "StartupWMClass": "Scenarist"}
    # Without a scenarist command beside the interpreter (a clone's .venv before reinstalling), main.py.
    beside = Path(sys.executable).parent / "scenarist"
    wanted = [str(beside)] if beside.is_file() else None
    command = exec_command(entry["Exec"], "--help")
    assert command[-1] == "--help"
    if wanted:
        assert command[:-1] == wanted
    else:
        assert command[:-1] == [sys.executable, str(ROOT / "main.py")]
    assert run(*command).stdout.startswith("usage: ")
    # Installing again replaces the entry, and leaves one.
    assert run(sys.executable, ROOT / "main.py", "--install-desktop-entry", env=env).returncode == 0
    assert sorted(p.name for p in entry_path.parent.iterdir()) == ["scenarist.desktop"]


def test_exec_quotes_what_the_specification_reserves() -> None:
    assert exec_value(["/usr/bin/scenarist"]) == "/usr/bin/scenarist %f"
    # A space: quoted. A dollar inside quotes: escaped. A backslash: escaped in the quotes, then doubled
    # as in every string of the file. A percent: doubled.
    assert exec_value(["/opt/My Apps/scen$ist", "a\\b", "50%"]) == '"/opt/My Apps/scen\\\\$ist" "a\\\\\\\\b" 50%% %f'
    assert exec_command(exec_value(["/opt/My Apps/scen$ist", "a\\b", "50%"]), "x.json") == [
        "/opt/My Apps/scen$ist", "a\\b", "50%", "x.json"]


def test_desktop_entry_alone_and_a_folder_that_cannot_be_written(tmp_path) -> None:
    done = run(sys.executable, ROOT / "main.py", "--install-desktop-entry", "validate", "x.json")
    assert (done.returncode, done.stderr) == (2, "error: --install-desktop-entry is given alone, without a command\n")
    blocked = tmp_path / "data"
    blocked.write_text("a file where the folder would be")
    done = run(sys.executable, ROOT / "main.py", "--install-desktop-entry", env={**ENV, "XDG_DATA_HOME": str(blocked)})
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot write the desktop entry: ")
    assert str(blocked / "icons") in done.stderr

