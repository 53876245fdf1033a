"""Problems found in a scenario file, each naming the place it is about."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.crm import CrmError  # noqa: F401 - the engine raises the connectors' CRM error


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario.

    Attributes:
        message: What is wrong, in plain words.
        node: The node id it is about, if any.
        field: The field path inside the node or file (``params.conditions[1].op``).
        line: The line in the file, for syntax errors.
        severity: ``"error"`` refuses the file; ``"warning"`` only informs.
    """

    message: str
    node: str | None = None
    field: str | None = None
    line: int | None = None
    severity: str = "error"

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
        """The problem as a JSON-ready dict."""
        return {
            "severity": self.severity,
            "node": self.node,
            "field": self.field,
            "line": self.line,
            "message": self.message,
        }


class ScenarioError(Exception):
    """A scenario was refused; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or problems
        super().__init__("\n".join(str(p) for p in self.problems))

