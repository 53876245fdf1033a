"""Validation of a scenario file's object: every problem at once, each naming its place."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from engine.limits import check_window
from engine.model import EDGE_KEYS, FORMAT, NODE_KEYS, SETTINGS_KEYS, TOP_KEYS, VERSION, Scenario
from engine.nodes import REGISTRY, CheckContext
from engine.params import check_value
from engine.problems import Problem
from engine.timeutil import zone

NODE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def validate(data: Any, customer_fields: set[str] | None = None, crm_has: Any = None) -> list[Problem]:
    """Every problem of a scenario file's object (errors and warnings).

    Args:
        data: The parsed JSON object.
        customer_fields: The CRM's customer columns, or None when no CRM is at hand.
        crm_has: (table, column) -> bool for optional CRM columns, or None.
    """
    if not isinstance(data, dict):
        return [Problem("the file must hold one JSON object")]
    if data.get("format") != FORMAT:
        return [Problem(f"not a Scenarist scenario: 'format' is {data.get('format')!r}, expected '{FORMAT}'",
                        field="format")]
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return [Problem(f"'version' must be a whole number, found {version!r}", field="version")]
    if version > VERSION:
        return [Problem(f"written by a newer Scenarist (format version {version}); this one reads "
                        f"version {VERSION}: update Scenarist", field="version")]
    problems = [Problem(f"unknown key '{k}'", field=k) for k in data if k not in TOP_KEYS]
    if "id" in data and (not isinstance(data["id"], str) or not 0 < len(data["id"]) <= 200):
        problems.append(Problem("'id' must be text of 1 to 200 characters", field="id"))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        problems.append(Problem("the scenario needs a name of 1 to 200 characters", field="name"))
    if not isinstance(data.get("description", ""), str):
        problems.append(Problem("'description' must be text", field="description"))
    problems += _settings(data.get("settings", {}))
    nodes = data.get("nodes")
    edges = data.get("edges")
    if not isinstance(nodes, list):
        return [*problems, Problem("'nodes' must be a list", field="nodes")]
    if not isinstance(edges, list):
        problems.append(Problem("'edges' must be a list", field="edges"))
        edges = []
    node_types, node_problems = _nodes(nodes)
    problems += node_problems
    ctx = CheckContext(node_types=node_types, customer_fields=customer_fields, crm_has=crm_has)
    for node in nodes:
        if isinstance(node, dict) and node.get("type") in REGISTRY and isinstance(node.get("params"), dict):
            problems += _params(node, ctx)
    problems += _edges(edges, nodes, node_types)
    return problems


def _settings(settings: Any) -> list[Problem]:
    if not isinstance(settings, dict):
        return [Problem("'settings' must be an object", field="settings")]
    problems = [Problem(f"unknown setting '{k}'", field=f"settings.{k}") for k in settings if k not in SETTINGS_KEYS]
    try:
        zone(settings.get("timezone", "Europe/Moscow"))
    except ValueError as exc:
        problems.append(Problem(str(exc), field="settings.timezone"))
    reentry = settings.get("reentry_days")
    if reentry is not None and (isinstance(reentry, bool) or not isinstance(reentry, int) or reentry < 0):
        problems.append(Problem("must be a whole number of days (0 or more) or null", field="settings.reentry_days"))
    problems += check_window(settings.get("send_window"))
    days: dict[str, date] = {}
    for key in ("active_from", "active_until"):
        value = settings.get(key)
        if value is None:
            continue
        try:
            days[key] = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
            if days[key] is None:
                raise ValueError
        except ValueError:
            problems.append(Problem(f"must be a date as YYYY-MM-DD or null, not {value!r}", field=f"settings.{key}"))
            days.pop(key, None)
    if len(days) == 2 and days["active_from"] > days["active_until"]:
        problems.append(Problem("the scenario ends before it starts", field="settings.active_until"))
    return problems


def _nodes(nodes: list) -> tuple[dict[str, str], list[Problem]]:
    problems: list[Problem] = []
    node_types: dict[str, str] = {}
    triggers = []
    for i, node in enumerate(nodes):
        where = f"nodes[{i}]"
        if not isinstance(node, dict):
            problems.append(Problem("a node must be an object", field=where))
            continue
        nid = node.get("id")
        if not isinstance(nid, str) or not NODE_ID.match(nid):
            problems.append(Problem(f"node id {nid!r} must be 1 to 64 letters, digits, '-' or '_'",
                                    field=f"{where}.id"))
            continue
        if nid in node_types:
            problems.append(Problem(f"two nodes have the id '{nid}'", node=nid, field="id"))
            continue
        ntype = node.get("type")
        node_types[nid] = ntype if isinstance(ntype, str) else ""
        problems += [Problem(f"unknown key '{k}'", nid, k) for k in node if k not in NODE_KEYS]
        if ntype not in REGISTRY:
            problems.append(Problem(f"unknown node type '{ntype}'; known types: {', '.join(REGISTRY)}", nid, "type"))
        if ntype in REGISTRY and REGISTRY[ntype].entry:
            triggers.append(nid)
        if "title" in node and not isinstance(node["title"], str):
            problems.append(Problem("must be text", nid, "title"))
        pos = node.get("position", [0, 0])
        if not (isinstance(pos, list) and len(pos) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos)):
            problems.append(Problem("must be [x, y] numbers", nid, "position"))
        if not isinstance(node.get("params", {}), dict):
            problems.append(Problem("must be an object", nid, "params"))
    if len(triggers) != 1:
        found = f"{len(triggers)}: {', '.join(triggers)}" if triggers else "none"
        problems.append(Problem(f"a scenario needs exactly one trigger node (found {found})", field="nodes"))
    return node_types, problems


def _params(node: dict, ctx: CheckContext) -> list[Problem]:
    ntype = REGISTRY[node["type"]]
    params = node["params"]
    nid = node["id"]
    declared = {p.name: p for p in ntype.params}
    problems = [Problem(f"unknown parameter '{k}' for a {ntype.name} node", nid, f"params.{k}")
                for k in params if k not in declared]
    shape_ok = True
    for param in ntype.params:
        if param.name not in params:
            if param.required:
                problems.append(Problem(f"missing parameter '{param.name}'", nid, f"params.{param.name}"))
                shape_ok = False
            continue
        found = check_value(param, params[param.name], nid)
        shape_ok = shape_ok and not found
        problems += found
    if shape_ok or ntype.checks_partial:
        problems += ntype.check(nid, params, ctx)
    return problems


def _edges(edges: list, nodes: list, node_types: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    used: dict[tuple[str, str], int] = {}
    graph: dict[str, list[str]] = {nid: [] for nid in node_types}
    params_of = {n["id"]: n.get("params", {}) for n in nodes
                 if isinstance(n, dict) and isinstance(n.get("id"), str) and isinstance(n.get("params", {}), dict)}
    for i, edge in enumerate(edges):
        where = f"edges[{i}]"
        if not isinstance(edge, dict):
            problems.append(Problem("an edge must be an object", field=where))
            continue
        problems += [Problem(f"unknown key '{k}' in an edge", field=f"{where}.{k}") for k in edge if k not in EDGE_KEYS]
        src, port, dst = edge.get("source"), edge.get("port"), edge.get("target")
        ok = True
        if src not in node_types:
            problems.append(Problem(f"edge from a missing node '{src}'", field=f"{where}.source"))
            ok = False
        if dst not in node_types:
            problems.append(Problem(f"edge to a missing node '{dst}'", node=src if src in node_types else None,
                                    field=f"{where}.target"))
            ok = False
        if not ok:
            continue
        src_type = REGISTRY.get(node_types[src])
        if src_type is not None:
            ports = src_type.ports(params_of.get(src, {}))
            if port not in ports:
                listed = ", ".join(ports) if ports else "none"
                problems.append(Problem(f"a {src_type.name} node has no output port '{port}' (ports: {listed})",
                                        src, f"{where}.port"))
                continue
        dst_type = REGISTRY.get(node_types[dst])
        if dst_type is not None and not dst_type.has_input:
            problems.append(Problem(f"node '{dst}' is a {dst_type.name} and takes no incoming edge",
                                    src, f"{where}.target"))
            continue
        if (src, port) in used:
            problems.append(Problem(f"output '{port}' already has an edge (edges[{used[(src, port)]}]); "
                                    "an output port takes one edge", src, f"{where}.port"))
            continue
        used[(src, port)] = i
        graph[src].append(dst)
    cycle = _find_cycle(graph)
    if cycle:
        problems.append(Problem(f"the edges make a cycle: {' -> '.join(cycle)}", cycle[0], "edges"))
    elif not problems:
        problems += _unreachable(graph, node_types)
    return problems


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle as a list of node ids (first repeated at the end), or None; iterative, so long
    chains of nodes do not hit Python's recursion limit."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in graph:
        if root in state:
            continue
        path: list[str] = [root]
        todo = [iter(graph.get(root, []))]
        state[root] = 1
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                todo.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(iter(graph.get(nxt, [])))
    return None


def _unreachable(graph: dict[str, list[str]], node_types: dict[str, str]) -> list[Problem]:
    start = [nid for nid, t in node_types.items() if t in REGISTRY and REGISTRY[t].entry]
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return [Problem("no path from the trigger reaches this node", nid, severity="warning")
            for nid in node_types if nid not in seen]


def customer_fields_used(scenario: Scenario) -> list[str]:
    """The customer fields a scenario names, once each in order: in its conditions (a filter's,
    a split's branches') and as the date of a date start."""
    found: list[str] = []
    for node in scenario.nodes:
        if node.type in REGISTRY:
            found += REGISTRY[node.type].customer_fields(node.params)
    return [f for f in dict.fromkeys(found) if isinstance(f, str) and f]
