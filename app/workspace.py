"""The workspace: a folder of scenario files and ``workspace.toml`` naming the CRM and the
scenarios that run every day (``serve`` and the window's scheduler read it)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.crm import check_url
from app.settings import data_dir, write_atomically
from connectors.crm import CrmError


def default_workspace() -> Path:
    """The user's workspace folder."""
    return data_dir() / "workspace"


class WorkspaceError(Exception):
    """The workspace cannot be served; the message says what to fix."""


@dataclass
class Workspace:
    """A folder of scenario files and ``workspace.toml``: the CRM and the enabled scenarios.

    ``workspace.toml``::

        crm = "sqlite:///home/me/shop.db"          # as given to --crm, without a password
        enabled = ["reactivation.scenario.json"]
        reconcile_minutes = 5                      # optional
        max_late_hours = 6                         # optional: skip a day's entry this late
    """

    folder: Path
    crm_url: str
    enabled: list[Path]
    reconcile_minutes: float = 5.0
    max_late_hours: float | None = None

    @classmethod
    def load(cls, folder: str | Path) -> Workspace:
        """Read and check ``workspace.toml``.

        Raises:
            WorkspaceError: naming the file and the key that is wrong.
        """
        root = Path(folder).expanduser()
        file = root / "workspace.toml"
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise WorkspaceError(f"no {file}: it names the CRM and the enabled scenarios") from exc
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"{file}: {exc}") from exc
        unknown = set(data) - {"crm", "enabled", "reconcile_minutes", "max_late_hours"}
        if unknown:
            raise WorkspaceError(f"{file}: unknown key '{sorted(unknown)[0]}'")
        if not isinstance(data.get("crm"), str):
            raise WorkspaceError(f"{file}: 'crm' (the CRM's URL) is required")
        try:  # a password in the file would be printed in every log line naming the CRM
            check_url(data["crm"], must_exist=False)
        except CrmError as exc:
            raise WorkspaceError(f"{file}: 'crm': {exc}") from exc
        enabled = data.get("enabled", [])
        if not isinstance(enabled, list) or not all(isinstance(n, str) for n in enabled):
            raise WorkspaceError(f"{file}: 'enabled' must be a list of scenario file names")
        paths = [root / name for name in enabled]
        for path in paths:
            if not path.exists():
                raise WorkspaceError(f"{file}: enabled scenario '{path.name}' is not in {root}")
        minutes = data.get("reconcile_minutes", 5)
        late = data.get("max_late_hours")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes <= 0:
            raise WorkspaceError(f"{file}: 'reconcile_minutes' must be a positive number")
        if late is not None and (isinstance(late, bool) or not isinstance(late, int | float) or late < 0):
            raise WorkspaceError(f"{file}: 'max_late_hours' must be a number of hours")
        return cls(root, data["crm"], paths, float(minutes), None if late is None else float(late))


def create_workspace(folder: str | Path, crm_url: str) -> Path:
    """Make a workspace folder with a ``workspace.toml`` naming the CRM and no enabled scenario;
    an existing file is left as it is. Returns the file."""
    root = Path(folder).expanduser()
    file = root / "workspace.toml"
    if not file.exists():
        root.mkdir(parents=True, exist_ok=True)
        write_atomically(file, f"crm = {_toml_string(crm_url)}   # as given to --crm, without a password\n"
                                "enabled = []\n")
    return file


def set_enabled(folder: str | Path, name: str, enabled: bool) -> None:
    """Add a scenario file to (or remove it from) the workspace's ``enabled`` list, keeping the
    rest of ``workspace.toml`` (comments too) as the user wrote it."""
    import tomlkit

    file = Path(folder).expanduser() / "workspace.toml"
    doc = tomlkit.parse(file.read_text(encoding="utf-8"))
    names = [str(n) for n in doc.get("enabled", [])]
    if enabled and name not in names:
        names.append(name)
    if not enabled:
        names = [n for n in names if n != name]
    doc["enabled"] = names
    write_atomically(file, tomlkit.dumps(doc))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


