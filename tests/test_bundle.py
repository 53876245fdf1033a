"""The one-folder bundle of tools/build_app.py: built with PyInstaller on this machine, it answers the
command line as main.py does and starts its window offscreen.

Slow (a build takes a minute or two and 300 MB): run with SCENARIST_SLOW=1, in an environment with the
build extra (pip install '.[build]').
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REACTIVATION, ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("SCENARIST_SLOW") != "1", reason="builds a 300 MB bundle: SCENARIST_SLOW=1"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle is built and started on Linux here"),
]
AT = "2026-03-02T10:00:00"


def run(*args: str | Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          env=env or os.environ)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="pip install '.[build]' brings PyInstaller")
    where = tmp_path_factory.mktemp("bundle")
    done = run(sys.executable, ROOT / "tools" / "build_app.py", "--dist", where / "dist", "--work", where / "work",
               timeout=1200)
    assert done.returncode == 0, done.stderr[-4000:]
    executable = where / "dist" / "scenarist" / "scenarist"
    assert done.stdout.startswith(f"built {executable} (")
    return executable


def test_bundle_answers_the_command_line_as_main_py(bundle, tmp_path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    mine, theirs = run(bundle, "--help", env=env), run(sys.executable, ROOT / "main.py", "--help", env=env)
    assert mine.returncode == 0
    assert " ".join(mine.stdout.split()) == " ".join(theirs.stdout.replace("main.py", "scenarist").split())
    shop = tmp_path / "shop.db"
    assert run(bundle, "demo-crm", shop, "--customers", "300", "--seed", "5", "--as-of", AT).returncode == 0
    # Every node type and condition kind is in the bundle, and the counts are the same numbers.
    preview = [run(program, *args, "preview", REACTIVATION, "--crm", f"sqlite:///{shop}", "--at", AT, "--json")
               for program, *args in ((bundle,), (sys.executable, ROOT / "main.py"))]
    assert [p.returncode for p in preview] == [0, 0], preview[0].stderr
    counts = [json.loads(p.stdout)["nodes"] for p in preview]
    assert counts[0] == counts[1]
    assert counts[0]["start"]["reached"] == 300


def test_bundle_starts_its_window_offscreen(bundle, tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    prefs = tmp_path / "config" / "Scenarist" / "editor.json"
    demo = tmp_path / "data" / "Scenarist"
    window = subprocess.Popen([str(bundle)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not prefs.exists() and window.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(8)  # the window opens the demo scenario and counts it meanwhile
        alive = window.poll() is None
    finally:
        window.send_signal(signal.SIGTERM)
        _out, err = window.communicate(timeout=30)
    assert alive, err[-4000:]
    assert "Traceback" not in err, err[-4000:]
    assert json.loads(prefs.read_text())["crm"] == f"sqlite:///{demo / 'demo-crm.db'}"
    assert (demo / "demo-crm.db").stat().st_size > 100_000
