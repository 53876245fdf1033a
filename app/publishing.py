"""Publishing a scenario file as the version that runs, and the customers a new version strands.

Switching a scenario on (in the window's scheduler, or at ``serve``'s start) publishes its file;
``run FILE`` publishes it too when it changed (:mod:`app.run_once`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from connectors.crm import Crm
from engine import publish as versions
from engine.publish import Published
from engine.scenario import load


def publish_file(crm: Crm, path: Path, now: datetime) -> Published:
    """Publish a scenario file as a new version unless it equals the latest one.

    Raises:
        ScenarioError: the file is broken; nothing is published.
    """
    return versions.publish(crm, load(path), now)


def end_stranded(crm: Crm, path: Path, nodes: list[str], now: datetime) -> int:
    """End the enrolments of customers waiting at nodes the published version deleted."""
    scenario = load(path)
    return sum(versions.end_stranded(crm, scenario, node, now) for node in nodes)


def move_stranded(crm: Crm, path: Path, nodes: list[str], to_node: str, now: datetime) -> int:
    """Move the customers waiting at deleted nodes to a node of the published version."""
    scenario = load(path)
    return sum(versions.move_stranded(crm, scenario, node, to_node, now) for node in nodes)
