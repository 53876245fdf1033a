"""What a message template may show, and the names it uses that no message can show.

A message sees ``customer`` (the customer's fields, by the names the scenario uses), ``orders``
(count, total, last_order_at), ``bonus`` (the latest bonus of the enrolment) and ``scenario``
(name, id) and ``unsubscribe_url`` (the recipient's one-click unsubscribe link), plus what the
template defines itself (``set``, ``for``, macros) and Jinja's own
globals. Any other name, or a field none of these has, would fail every message at run time:
it is a problem of the scenario, found when the template is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jinja2 import nodes

from connectors.templates import ENV, TemplateError, compile_template

OBJECTS: dict[str, tuple[str, ...] | None] = {
    "customer": None,  # the CRM's customer fields
    "orders": ("count", "total", "last_order_at"),
    "bonus": ("code", "amount", "discount", "expires_at", "kind"),
    "scenario": ("name", "id"),
}
PLAIN = ("unsubscribe_url",)  # names with no attributes: what they show is the whole value
GLOBALS = frozenset({"range", "lipsum", "dict", "cycler", "joiner", "namespace", "loop", "true", "false", "none",
                     "True", "False", "None"})


def used(source: str) -> list[tuple[str, str | None, int]]:
    """The names a template reads: (name, attribute or None, line), the template's own excluded.

    Raises:
        TemplateError: the template does not compile.
    """
    return _reads(source)[0]


def used_names(source: str) -> tuple[set[tuple[str, str | None]], set[str]]:
    """(name, attribute or None) of every name the template reads from its context (the
    attribute None where it uses the name otherwise than by one constant attribute), and the
    names it defines itself (``set``, ``for``, macros), which may hide a name of the context.

    Raises:
        TemplateError: the template does not compile.
    """
    found, own = _reads(source)
    return {(name, attr) for name, attr, _line in found}, own


def _reads(source: str) -> tuple[list[tuple[str, str | None, int]], set[str]]:
    compile_template(source)  # a syntax error is its own problem, with its line
    tree = ENV.parse(source)
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    own |= {m.name for m in tree.find_all(nodes.Macro)}
    found: list[tuple[str, str | None, int]] = []
    attributes: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        inner = node.node
        if isinstance(inner, nodes.Name) and inner.ctx == "load" and inner.name not in own:
            key = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
            if key is not None:
                found.append((inner.name, key, node.lineno))
                attributes.add(id(inner))
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in own and id(name) not in attributes:
            found.append((name.name, None, name.lineno))
    return found, own


def _constant(arg: Any) -> str | None:
    return arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) else None


def unknown(source: str, customer_fields: Iterable[str]) -> list[tuple[str, str, int]]:
    """Names the template uses that no message can show: (the name as written, what it could be, line).

    Args:
        source: The template.
        customer_fields: The fields ``customer`` has (the CRM's, or the canonical ones).
    """
    fields = tuple(customer_fields)
    out: list[tuple[str, str, int]] = []
    for name, attr, line in used(source):
        if name in GLOBALS or (name in PLAIN and attr is None):
            continue
        if name not in OBJECTS:
            out.append((name, ", ".join(OBJECTS), line))
            continue
        known = OBJECTS[name] if OBJECTS[name] is not None else fields
        if attr is not None and attr not in known:
            out.append((f"{name}.{attr}", ", ".join(known), line))
    return list(dict.fromkeys(out))


def offered(customer_fields: Iterable[str]) -> list[str]:
    """Every variable a message can show, as the picker offers them: ``customer.first_name``..."""
    return [*(f"{name}.{attr}" for name, attrs in OBJECTS.items() for attr in (attrs or tuple(customer_fields))),
            *PLAIN]


__all__ = ["GLOBALS", "OBJECTS", "PLAIN", "TemplateError", "offered", "unknown", "used", "used_names"]
