"""The node registry: every node type, declared once."""

from __future__ import annotations

from engine.nodes.base import ApplyContext, CheckContext, NodeType
from engine.nodes.bonus import Bonus
from engine.nodes.message import Message
from engine.nodes.simple import Exit, Filter, Split, Switch, Trigger
from engine.nodes.wait import Wait, WaitEvent

REGISTRY: dict[str, NodeType] = {t.name: t for t in (
    Trigger(), Filter(), Switch(), Wait(), WaitEvent(), Message(), Bonus(), Split(), Exit())}

__all__ = ["REGISTRY", "ApplyContext", "CheckContext", "NodeType"]
