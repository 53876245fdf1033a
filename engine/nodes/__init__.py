"""The node registry: every node type, declared once in a module of its own in this package.

A new node type is one more module here (and its icon and its words in other languages): every
:class:`NodeType` subclass with a ``name`` found in the package is registered, in ``order``.
"""

from __future__ import annotations

import importlib
import pkgutil

from engine.nodes.base import ApplyContext, CheckContext, NodeType

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")


def _declared(cls: type[NodeType]) -> list[type[NodeType]]:
    found = []
    for sub in cls.__subclasses__():
        if "name" in sub.__dict__:
            found.append(sub)
        found += _declared(sub)
    return found


REGISTRY: dict[str, NodeType] = {cls.name: cls() for cls in sorted(_declared(NodeType), key=lambda c: c.order)}


def entry_type() -> NodeType:
    """The type of node where customers enter (a new scenario starts with one)."""
    return next(t for t in REGISTRY.values() if t.entry)


__all__ = ["REGISTRY", "ApplyContext", "CheckContext", "NodeType", "entry_type"]
