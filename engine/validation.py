"""Validation of a scenario file's object: every problem at once, each naming its place."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from connectors.texts import Text
from engine.goal import check_goal, goal_fields
from engine.limits import check_window
from engine.model import EDGE_KEYS, FORMAT, NODE_KEYS, SETTINGS_KEYS, TOP_KEYS, VERSION, Scenario
from engine.nodes import REGISTRY, CheckContext
from engine.notes import check_notes
from engine.params import check_value
from engine.problems import BadValue, Problem, ScenarioError, problem
from engine.timeutil import zone

NODE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


# What a person writes about a scenario and its steps; a description is a few lines, a title a few words.
MAX_DESCRIPTION = 10_000
MAX_TITLE = 200


def has_flag(type_name: Any, flag: str) -> bool:
    """Whether a node type of the registry has a flag of its declaration (entry, grants...)."""
    return isinstance(type_name, str) and type_name in REGISTRY and bool(getattr(REGISTRY[type_name], flag))


def validate(data: Any, customer_fields: set[str] | None = None, crm_has: Any = None) -> list[Problem]:
    """Every problem of a scenario file's object (errors and warnings).

    Args:
        data: The parsed JSON object.
        customer_fields: The CRM's customer fields (a mapping of each to what it holds: number,
            text, bool, date, other, which checks compared values), or None when no CRM is at hand.
        crm_has: (table, column) -> bool for optional CRM columns, or None.
    """
    if not isinstance(data, dict):
        return [problem("file.not_object")]
    if data.get("format") != FORMAT:
        return [problem("file.format", None, "format", found=repr(data.get("format")), expected=FORMAT)]
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return [problem("file.version", None, "version", found=repr(version))]
    if version > VERSION:
        return [problem("file.newer", None, "version", version=version, reads=VERSION)]
    problems = [problem("file.unknown_key", None, k, key=k) for k in data if k not in TOP_KEYS]
    if "id" in data and (not isinstance(data["id"], str) or not 0 < len(data["id"]) <= 200):
        problems.append(problem("file.id", None, "id"))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        problems.append(problem("file.name", None, "name"))
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append(problem("file.description", None, "description"))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(problem("value.too_long", None, "description", length=len(description),
                                maximum=MAX_DESCRIPTION))
    problems += _settings(data.get("settings", {}))
    nodes = data.get("nodes")
    edges = data.get("edges")
    if not isinstance(nodes, list):
        return [*problems, problem("file.nodes", None, "nodes")]
    if not isinstance(edges, list):
        problems.append(problem("file.edges", None, "edges"))
        edges = []
    node_types, node_problems = _nodes(nodes)
    problems += node_problems
    ctx = CheckContext(node_types=node_types, customer_fields=customer_fields, crm_has=crm_has, flag=has_flag)
    settings = data.get("settings", {})
    if isinstance(settings, dict):
        problems += check_goal(settings.get("goal"), ctx.conditions(None))
    for node in nodes:
        if isinstance(node, dict) and node.get("type") in REGISTRY and isinstance(node.get("params"), dict):
            problems += _params(node, ctx)
    problems += _edges(edges, nodes, node_types)
    return problems + check_notes(data.get("notes", []))


def check_against_crm(scenario: Scenario, crm: Any) -> None:
    """Refuse a scenario that does not fit the CRM: fields it lacks, values its columns cannot hold.

    Args:
        scenario: The scenario.
        crm: The CRM (a :class:`connectors.crm.Crm`); its tables are reflected here.

    Raises:
        ScenarioError: naming each node and field.
    """
    crm.reflect()
    problems = validate(scenario.to_dict(), crm.field_kinds(), crm.has)
    if any(p.severity == "error" for p in problems):
        raise ScenarioError(problems)


def _settings(settings: Any) -> list[Problem]:
    if not isinstance(settings, dict):
        return [problem("settings.not_object", None, "settings")]
    problems = [problem("settings.unknown", None, f"settings.{k}", key=k) for k in settings if k not in SETTINGS_KEYS]
    try:
        zone(settings.get("timezone", "Europe/Moscow"))
    except BadValue as exc:
        problems.append(Problem(exc.text.code, exc.text.args, field="settings.timezone"))
    reentry = settings.get("reentry_days")
    if reentry is not None and (isinstance(reentry, bool) or not isinstance(reentry, int) or reentry < 0):
        problems.append(problem("settings.reentry_days", None, "settings.reentry_days"))
    problems += check_window(settings.get("send_window"))
    share = settings.get("control_share")
    if share is not None and (isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 0.5):
        problems.append(problem("settings.control_share", None, "settings.control_share"))
    window = settings.get("conversion_days")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 365):
        problems.append(problem("settings.conversion_days", None, "settings.conversion_days"))
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
            problems.append(problem("settings.date", None, f"settings.{key}", value=repr(value)))
            days.pop(key, None)
    if len(days) == 2 and days["active_from"] > days["active_until"]:
        problems.append(problem("settings.ends_first", None, "settings.active_until"))
    return problems


def _nodes(nodes: list) -> tuple[dict[str, str], list[Problem]]:
    problems: list[Problem] = []
    node_types: dict[str, str] = {}
    triggers = []
    for i, node in enumerate(nodes):
        where = f"nodes[{i}]"
        if not isinstance(node, dict):
            problems.append(problem("node.not_object", None, where))
            continue
        nid = node.get("id")
        if not isinstance(nid, str) or not NODE_ID.match(nid):
            problems.append(problem("node.bad_id", None, f"{where}.id", id=repr(nid)))
            continue
        if nid in node_types:
            problems.append(problem("node.twice", nid, "id", node=nid))
            continue
        ntype = node.get("type")
        node_types[nid] = ntype if isinstance(ntype, str) else ""
        problems += [problem("file.unknown_key", nid, k, key=k) for k in node if k not in NODE_KEYS]
        if ntype not in REGISTRY:
            problems.append(problem("node.unknown_type", nid, "type", type=str(ntype), types=", ".join(REGISTRY)))
        if has_flag(ntype, "entry"):
            triggers.append(nid)
        if "title" in node and not isinstance(node["title"], str):
            problems.append(problem("value.text_plain", nid, "title"))
        elif len(node.get("title") or "") > MAX_TITLE:
            problems.append(problem("value.too_long", nid, "title", length=len(node["title"]), maximum=MAX_TITLE))
        pos = node.get("position", [0, 0])
        if not (isinstance(pos, list) and len(pos) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos)):
            problems.append(problem("node.position", nid, "position"))
        if not isinstance(node.get("params", {}), dict):
            problems.append(problem("value.object", nid, "params"))
    if len(triggers) != 1:
        found = f"{len(triggers)}: {', '.join(triggers)}" if triggers else Text("file.no_trigger")
        problems.append(problem("file.one_trigger", None, "nodes", found=found))
    return node_types, problems


def _params(node: dict, ctx: CheckContext) -> list[Problem]:
    ntype = REGISTRY[node["type"]]
    params = node["params"]
    nid = node["id"]
    declared = {p.name: p for p in ntype.params}
    problems = [problem("node.unknown_param", nid, f"params.{k}", name=k, type=ntype.name)
                for k in params if k not in declared]
    shape_ok = True
    for param in ntype.params:
        if param.name not in params:
            if param.required:
                problems.append(problem("node.missing_param", nid, f"params.{param.name}", name=param.name))
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
            problems.append(problem("edge.not_object", None, where))
            continue
        problems += [problem("edge.unknown_key", None, f"{where}.{k}", key=k) for k in edge if k not in EDGE_KEYS]
        src, port, dst = edge.get("source"), edge.get("port"), edge.get("target")
        ok = True
        if src not in node_types:
            problems.append(problem("edge.no_source", None, f"{where}.source", node=str(src)))
            ok = False
        if dst not in node_types:
            problems.append(problem("edge.no_target", src if src in node_types else None, f"{where}.target",
                                    node=str(dst)))
            ok = False
        if not ok:
            continue
        src_type = REGISTRY.get(node_types[src])
        if src_type is not None:
            ports = src_type.ports(params_of.get(src, {}))
            if port not in ports:
                listed = ", ".join(ports) if ports else Text("edge.no_ports")
                problems.append(problem("edge.no_port", src, f"{where}.port", type=src_type.name, port=str(port),
                                        ports=listed))
                continue
        dst_type = REGISTRY.get(node_types[dst])
        if dst_type is not None and not dst_type.has_input:
            problems.append(problem("edge.no_input", src, f"{where}.target", node=dst, type=dst_type.name))
            continue
        if (src, port) in used:
            problems.append(problem("edge.port_busy", src, f"{where}.port", port=port, index=used[(src, port)]))
            continue
        used[(src, port)] = i
        graph[src].append(dst)
    cycle = _find_cycle(graph)
    if cycle:
        problems.append(problem("edge.cycle", cycle[0], "edges", cycle=" -> ".join(cycle)))
    elif not problems:
        problems += _unreachable(graph, node_types)
        problems += _controls_get_nothing(edges, graph, node_types, params_of)
    return problems


def _controls_get_nothing(edges: list, graph: dict[str, list[str]], node_types: dict[str, str],
                          params_of: dict[str, dict]) -> list[Problem]:
    """A split's control branch leads to no node that sends or grants: its customers get nothing,
    so that what the other branches add can be read against it."""
    problems: list[Problem] = []
    split = REGISTRY.get("split")
    for nid, type_name in node_types.items():
        if type_name != "split" or split is None:
            continue
        port = split.control(params_of.get(nid, {}))
        start = next((e["target"] for e in edges if e.get("source") == nid and e.get("port") == port), None)
        todo, seen = [start] if start else [], set()
        while todo:
            at = todo.pop()
            if at in seen:
                continue
            seen.add(at)
            if has_flag(node_types.get(at), "sends") or has_flag(node_types.get(at), "grants"):
                problems.append(split.problem("control_acts", nid, "params.branches", port=port, node=at))
                break
            todo += graph.get(at, [])
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
    start = [nid for nid, t in node_types.items() if has_flag(t, "entry")]
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return [problem("node.unreachable", nid, severity="warning") for nid in node_types if nid not in seen]


def customer_fields_used(scenario: Scenario) -> list[str]:
    """The customer fields a scenario names, once each in order: in its conditions (a filter's,
    a split's branches') and as the date of a date start."""
    found: list[str] = []
    for node in scenario.nodes:
        if node.type in REGISTRY:
            found += REGISTRY[node.type].customer_fields(node.params)
    found += goal_fields(scenario.settings.get("goal"))
    return [f for f in dict.fromkeys(found) if isinstance(f, str) and f]
