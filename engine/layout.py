"""Where nodes go on the canvas: the tidy left-to-right layout of *Arrange* and a free spot for a
new node. Pure geometry on ids, sizes and edges (no Qt), so the editor and the template builder
lay scenarios out the same way.

The layout reads like the flow: a node's column is its longest distance from a start, so every
edge goes right; a node's first output continues on its row, and each further output (in port
order: yes before no, branch a before b) starts a row below it. A chain then stays on one
straight line and its branches stack under it in the order of the ports, as high as they fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

H_GAP = 100.0  # between columns: room for the counts beside the outputs and the edges' curves
V_GAP = 84.0  # between rows: room for the count badges above a node, or a frame's title band
PASSING = 60.0  # how much of a column an edge passing through it takes
STEP = 20.0  # how far apart the spots tried for a new node are


@dataclass(frozen=True)
class Box:
    """A rectangle on the canvas: top-left corner and size."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """Whether the two come closer than ``gap``."""
        return (self.x < other.x + other.w + gap and other.x < self.x + self.w + gap
                and self.y < other.y + other.h + gap and other.y < self.y + self.h + gap)

    def moved(self, x: float, y: float) -> Box:
        """The same size at another corner."""
        return Box(x, y, self.w, self.h)


def _columns(ids: Sequence[str], edges: Sequence[tuple[str, int, str]]) -> dict[str, int]:
    """Each node's longest distance from a node nothing leads to (the graph has no cycle)."""
    incoming = {nid: 0 for nid in ids}
    for _, _, target in edges:
        incoming[target] += 1
    column = dict.fromkeys(ids, 0)
    ready = [nid for nid in ids if incoming[nid] == 0]
    while ready:
        nid = ready.pop(0)
        for source, _, target in edges:
            if source == nid:
                column[target] = max(column[target], column[nid] + 1)
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
    return column


def _chains(ids: Sequence[str], edges: Sequence[tuple[str, int, str]], start: str | None,
            column: dict[str, int]) -> list[tuple[int, list[str]]]:
    """The scenario cut into chains (a node, where its first output leads, and so on), each with its
    row: a further output starts a chain on the first row below its node, and below the output
    before it, where the chain's columns are free. The branches of a decision then stack in port
    order, and no row is left empty beside them."""
    children: dict[str, list[str]] = {nid: [] for nid in ids}
    for source, _, target in sorted(edges, key=lambda e: e[1]):
        children[source].append(target)
    targets = {t for _, _, t in edges}
    roots = [start] if start in children else []
    roots += [nid for nid in ids if nid not in targets and nid not in roots]
    claimed: set[str] = set()
    spans: dict[int, list[tuple[int, int]]] = {}
    chains: list[tuple[int, list[str]]] = []

    def place(first: str, lowest: int) -> int:
        chain = [first]
        claimed.add(first)
        while fresh := [c for c in children[chain[-1]] if c not in claimed]:
            chain.append(fresh[0])
            claimed.add(fresh[0])
        span = (column[chain[0]], column[chain[-1]])
        at = lowest
        while any(a <= span[1] and span[0] <= b for a, b in spans.get(at, [])):
            at += 1
        spans.setdefault(at, []).append(span)
        chains.append((at, chain))
        for nid in chain:  # then the other outputs of the chain's nodes, left to right, each in port order
            below = at + 1
            for child in children[nid]:
                if child not in claimed:
                    below = place(child, below) + 1
        return at

    for root in [*roots, *ids]:  # the ids last: only a cycle, which no valid scenario has, leaves any
        if root not in claimed:
            place(root, 0)
    return chains


def arrange(ids: Sequence[str], edges: Iterable[tuple[str, int, str]], sizes: dict[str, tuple[float, float]],
            start: str | None = None, origin: tuple[float, float] = (0.0, 0.0)) -> dict[str, tuple[float, float]]:
    """The tidy position (top-left corner) of every node.

    Columns are as wide as their widest node. Each chain lies on one line, as high as the chains
    above it allow in the columns it spans (a tall decision pushes down only what is under it).

    Args:
        ids: The nodes, in the order they should be taken when nothing else decides.
        edges: (source, index of the source's output port, target) of every edge.
        sizes: Each node's width and height.
        start: The scenario's trigger: the first row begins with it.
        origin: Where the trigger's corner goes.
    """
    edges = [e for e in edges if e[0] in sizes and e[2] in sizes and e[0] != e[2]]
    column = _columns(ids, edges)
    widths: dict[int, float] = {}
    for nid in ids:
        widths[column[nid]] = max(widths.get(column[nid], 0.0), sizes[nid][0])
    xs = _offsets(widths, H_GAP, origin[0])
    floor: dict[int, float] = {}  # per column, the lowest bottom drawn so far (and the gap under it)
    out: dict[str, tuple[float, float]] = {}
    for _row, chain in sorted(_chains(ids, edges, start, column), key=lambda c: (c[0], column[c[1][0]])):
        cols = range(column[chain[0]], column[chain[-1]] + 1)
        y = max([floor[c] for c in cols if c in floor], default=origin[1])
        tall = {column[nid]: sizes[nid][1] for nid in chain}
        for c in cols:  # where the chain has no node, its edge passes at about a node's height
            floor[c] = y + tall.get(c, PASSING) + V_GAP
        out.update({nid: (xs[column[nid]], y) for nid in chain})
    return out


def _offsets(extent: dict[int, float], gap: float, first: float) -> dict[int, float]:
    out, at = {}, first
    for index in range(max(extent, default=-1) + 1):
        out[index] = at
        at += extent.get(index, 0.0) + gap
    return out


def free_spot(want: Box, taken: Iterable[Box], gap: float = 24.0) -> tuple[float, float]:
    """The corner nearest to ``want``'s where a box of its size overlaps none of ``taken``."""
    taken = list(taken)

    def free(box: Box) -> bool:
        return not any(box.overlaps(other, gap) for other in taken)

    if free(want):
        return want.x, want.y
    for ring in range(1, 200):
        spots = [(dx, dy) for dx in range(-ring, ring + 1) for dy in range(-ring, ring + 1)
                 if max(abs(dx), abs(dy)) == ring]
        spots.sort(key=lambda d: (d[0] ** 2 + d[1] ** 2, abs(d[1]), -d[1], d[0]))  # nearest; below before above
        for dx, dy in spots:
            box = want.moved(want.x + dx * STEP, want.y + dy * STEP)
            if free(box):
                return box.x, box.y
    bottom = max((b.y + b.h for b in taken), default=want.y)
    return want.x, bottom + gap
