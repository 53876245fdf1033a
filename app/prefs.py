"""The editor's own preferences (platformdirs): the connected CRM, recent files, language.
The CRM password is never here: it lives in the keyring (or this session only)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

from app.settings import write_atomically

MAX_RECENT = 10


def prefs_path() -> Path:
    """The preferences file of the editor."""
    return Path(platformdirs.user_config_dir("Scenarist", "Scenarist")) / "editor.json"


@dataclass
class Prefs:
    """Editor preferences.

    Attributes:
        crm: The connected CRM's URL (no password), or empty.
        recent: Recently opened or saved scenario files, newest first.
        language: "auto" (the system's), "en" or "ru".
        test_recipient: Where the last test send went (the message form offers it again).
    """

    crm: str = ""
    recent: list[str] = field(default_factory=list)
    language: str = "auto"
    test_recipient: str = ""

    @classmethod
    def load(cls) -> Prefs:
        """Read the preferences; a missing or damaged file gives the defaults."""
        try:
            data = json.loads(prefs_path().read_text(encoding="utf-8"))
            return cls(crm=str(data.get("crm", "")), recent=[str(p) for p in data.get("recent", [])][:MAX_RECENT],
                       language=str(data.get("language", "auto")),
                       test_recipient=str(data.get("test_recipient", "")))
        except (OSError, ValueError, AttributeError):
            return cls()

    def save(self) -> None:
        """Write the preferences atomically."""
        write_atomically(prefs_path(), json.dumps(asdict(self), ensure_ascii=False, indent=2))

    def add_recent(self, path: str | Path) -> None:
        """Put a file first in the recent list."""
        text = str(Path(path).resolve())
        self.recent = [text, *[p for p in self.recent if p != text][: MAX_RECENT - 1]]
