"""Problems found in a scenario file, each naming the place it is about, worded by its code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.crm import CrmError  # noqa: F401 - the engine raises the connectors' CRM error
from connectors.texts import Text, TextError, words


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario.

    Attributes:
        code: What is wrong, as a code of the words catalog (``edge.port_busy``).
        args: The values its words name.
        node: The node id it is about, if any.
        field: The field path inside the node or file (``params.conditions[1].op``).
        line: The line in the file, for syntax errors.
        severity: ``"error"`` refuses the file; ``"warning"`` only informs.
    """

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)
    node: str | None = None
    field: str | None = None
    line: int | None = None
    severity: str = "error"

    @property
    def text(self) -> Text:
        """What is wrong, as a message any interface words in its language."""
        return Text(self.code, self.args)

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return str(self.text)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.node is not None:
            where.append(f"node '{self.node}'")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{label}{prefix}: {self.message}" if prefix else f"{label}{self.message}"

    def to_dict(self) -> dict:
        """The problem as a JSON-ready dict (``args`` as the English words show them)."""
        return {
            "severity": self.severity,
            "code": self.code,
            "args": {k: str(v) if isinstance(v, Text) else v for k, v in self.args.items()},
            "node": self.node,
            "field": self.field,
            "line": self.line,
            "message": self.message,
        }

    def words(self, lang: str, titles: Mapping[str, str] | None = None) -> str:
        """What is wrong in ``lang``, naming nodes by their titles."""
        return words(self.text, lang, titles)


def problem(code: str, node: str | None = None, field: str | None = None, /, *, line: int | None = None,
            severity: str = "error", **args: Any) -> Problem:
    """A :class:`Problem` at ``node`` and ``field`` (given by position), with its values by name."""
    return Problem(code, args, node, field, line, severity)


class BadValue(TextError, ValueError):
    """A value that cannot be read (a time of day, a timezone); the message says which and why."""


class ScenarioError(Exception):
    """A scenario was refused; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or problems
        super().__init__("\n".join(str(p) for p in self.problems))
