"""A runbook's incident flow (`Flow`) laid out and drawn as inline SVG, in Python, at bundle time.

The site draws the flow with mermaid, which is 3.5 MB (980 KB gzipped): more than a go-bag of a
service's runbooks may weigh (2 MB). Our flows are small graphs of boxes, decisions and
start/end nodes, with labelled edges, so a layered layout is enough: each node on the rank of
the longest path to it (edges that go back, found depth-first, are left out of the ranks and
drawn round the side), nodes of a rank ordered by the mean position of their neighbours on the
rank before (a few sweeps, fewer crossings), ranks stacked in the flow's direction (TD, TB, BT,
LR, RL). Text widths are estimated from the character count, as no font is measured here;
labels wrap at about 24 characters.

A node bound to a phase links to it, as the site's "Go to:" line under the flowchart does.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import markupsafe

from generator.commands.bundle.jinja import environment
from generator.core.model import Flow, FlowNode
from generator.render.escape import slug

CHAR = 7.6  # px a character of the 13 px sans-serif takes, about (wide enough for capitals)
LINE = 17  # px a line of text
PAD_X, PAD_Y = 14, 9  # inside a node
GAP_ORDER, GAP_RANK = 28, 54  # between nodes of a rank; between ranks (room for edge labels)
MARGIN = 8
WRAP = 24  # characters a line of a node's label
SWEEPS = 4


@dataclass(frozen=True)
class Box:
    """A node, placed: its centre, size and label lines."""

    id: str
    lines: tuple[str, ...]
    shape: str
    href: str
    x: float
    y: float
    w: float
    h: float

    def points(self) -> str:
        """The outline of a decision: a hexagon, wide enough for its text."""
        left, right, top, bottom = (
            self.x - self.w / 2,
            self.x + self.w / 2,
            self.y - self.h / 2,
            self.y + self.h / 2,
        )
        cut = self.h / 2
        return " ".join(
            f"{px:.1f},{py:.1f}"
            for px, py in (
                (left, self.y),
                (left + cut, top),
                (right - cut, top),
                (right, self.y),
                (right - cut, bottom),
                (left + cut, bottom),
            )
        )


@dataclass(frozen=True)
class Line:
    """An edge, drawn: its path, and its label's lines and centre."""

    d: str
    lines: tuple[str, ...]
    x: float
    y: float
    w: float


def ranks(flow: Flow) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Each node's rank (the longest path to it from a node nothing leads to), and the edges
    that go back (found depth-first in the order nodes are written), left out of the ranks."""
    ids = [n.id for n in flow.nodes]
    out: dict[str, list[str]] = {i: [] for i in ids}
    for edge in flow.edges:
        if edge.source in out and edge.target in out:
            out[edge.source].append(edge.target)
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done
    order: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        for target in out[node]:
            if state.get(target) == 1:
                back.add((node, target))
            elif target not in state:
                walk(target)
        state[node] = 2
        order.append(node)

    for node in ids:
        if node not in state:
            walk(node)
    rank = dict.fromkeys(ids, 0)
    for node in reversed(order):  # a topological order of the forward edges
        for target in out[node]:
            if (node, target) not in back:
                rank[target] = max(rank[target], rank[node] + 1)
    return rank, back


def orders(flow: Flow, rank: dict[str, int]) -> list[list[str]]:
    """The nodes of each rank, in an order with few crossings (barycentre sweeps)."""
    layers: list[list[str]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for node in flow.nodes:
        layers[rank[node.id]].append(node.id)
    before: dict[str, list[str]] = {n.id: [] for n in flow.nodes}
    for edge in flow.edges:
        if edge.target in before and edge.source in rank and rank[edge.source] < rank[edge.target]:
            before[edge.target].append(edge.source)
    for _ in range(SWEEPS):
        where = {node: i for layer in layers for i, node in enumerate(layer)}
        for layer in layers[1:]:
            layer.sort(key=lambda n: _mean([where[s] for s in before[n]], where[n]))
            where.update({node: i for i, node in enumerate(layer)})
    return layers


def _mean(values: list[int], default: int) -> float:
    return sum(values) / len(values) if values else float(default)


def _lines(label: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(" ".join(label.split()), WRAP, break_on_hyphens=False) or [" "])


def _size(node: FlowNode) -> tuple[float, float, tuple[str, ...]]:
    lines = _lines(node.label)
    w = max(len(line) for line in lines) * CHAR + 2 * PAD_X
    h = len(lines) * LINE + 2 * PAD_Y
    if node.shape == "decision":
        w += h  # the hexagon's points
    return max(w, 60), h, lines


def place(flow: Flow) -> tuple[list[Box], float, float]:
    """The nodes placed for a top-down flow (other directions are turned after), and the
    drawing's width and height."""
    rank, _ = ranks(flow)
    layers = orders(flow, rank)
    sizes = {n.id: _size(n) for n in flow.nodes}
    horizontal = flow.direction in ("LR", "RL")
    # Along a rank: widths (heights, for a flow that runs sideways); across: the other.
    along = {i: (s[1] if horizontal else s[0]) for i, s in sizes.items()}
    across = {i: (s[0] if horizontal else s[1]) for i, s in sizes.items()}
    lengths = [sum(along[n] for n in layer) + GAP_ORDER * (len(layer) - 1) for layer in layers]
    widest = max(lengths, default=0)
    gap = GAP_RANK + (40 if horizontal else 0)  # a sideways edge's label lies along it
    boxes, depth = [], float(MARGIN)
    nodes = {n.id: n for n in flow.nodes}
    for layer, length in zip(layers, lengths, strict=True):
        thick = max(across[n] for n in layer)
        at = MARGIN + (widest - length) / 2
        for node in layer:
            a, c = at + along[node] / 2, depth + thick / 2
            x, y = (c, a) if horizontal else (a, c)
            w, h, lines = sizes[node]
            phase = nodes[node].phase
            boxes.append(
                Box(node, lines, nodes[node].shape, slug(phase) if phase else "", x, y, w, h)
            )
            at += along[node] + GAP_ORDER
        depth += thick + gap
    extent = (depth - gap + MARGIN, widest + 2 * MARGIN)
    width, height = extent if horizontal else extent[::-1]
    return _turned(boxes, flow.direction, width, height), width, height


def _turned(boxes: list[Box], direction: str, width: float, height: float) -> list[Box]:
    """Bottom-up and right-to-left flows: the top-down (left-to-right) drawing mirrored."""
    if direction == "BT":
        return [_moved(b, b.x, height - b.y) for b in boxes]
    if direction == "RL":
        return [_moved(b, width - b.x, b.y) for b in boxes]
    return boxes


def _moved(box: Box, x: float, y: float) -> Box:
    return Box(box.id, box.lines, box.shape, box.href, x, y, box.w, box.h)


def _ends(a: Box, b: Box, direction: str) -> tuple[float, float, float, float, float, float]:
    """Where an edge from *a* to *b* leaves and enters (on the sides that face each other along
    the flow), and the direction (dx, dy) of the flow there."""
    dx, dy = {"LR": (1, 0), "RL": (-1, 0), "BT": (0, -1)}.get(direction, (0, 1))
    sx, sy = a.x + dx * a.w / 2, a.y + dy * a.h / 2
    tx, ty = b.x - dx * b.w / 2, b.y - dy * b.h / 2
    return sx, sy, tx, ty, dx, dy


def edge(a: Box, b: Box, label: str, direction: str, back: bool) -> Line:
    """An edge from *a* to *b*: a curve along the flow, or round the side for one that goes
    back; its label halfway."""
    lines = _lines(label) if label else ()
    if back:  # leave and enter on the side, away from the forward edges
        dx, dy = (0.0, 1.0) if direction in ("LR", "RL") else (1.0, 0.0)
        sx, sy = a.x + dx * a.w / 2, a.y + dy * a.h / 2
        tx, ty = b.x + dx * b.w / 2, b.y + dy * b.h / 2
        bend = 36 + abs(tx - sx) * dx / 2 + abs(ty - sy) * dy / 2
        c1, c2 = (sx + dx * bend, sy + dy * bend), (tx + dx * bend, ty + dy * bend)
    else:
        sx, sy, tx, ty, dx, dy = _ends(a, b, direction)
        pull = max(abs(tx - sx) * dx, abs(ty - sy) * dy, 20) / 2
        c1, c2 = (sx + dx * pull, sy + dy * pull), (tx - dx * pull, ty - dy * pull)
    d = f"M{sx:.1f},{sy:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {tx:.1f},{ty:.1f}"
    # The curve's midpoint (t = 1/2 of a cubic Bézier).
    mx = (sx + 3 * c1[0] + 3 * c2[0] + tx) / 8
    my = (sy + 3 * c1[1] + 3 * c2[1] + ty) / 8
    width = max((len(line) for line in lines), default=0) * CHAR + 8
    return Line(d, lines, mx, my, width)


def flow_svg(flow: Flow, *, name: str) -> markupsafe.Markup:
    """The flow drawn as an inline `<svg>` element; *name* makes its ids unique in a page."""
    boxes, width, height = place(flow)
    by_id = {b.id: b for b in boxes}
    _, back = ranks(flow)
    lines = [
        edge(
            by_id[e.source], by_id[e.target], e.label, flow.direction, (e.source, e.target) in back
        )
        for e in flow.edges
        if e.source in by_id and e.target in by_id
    ]
    title = flow.title or "Incident flow"
    svg = (
        environment()
        .get_template("flow.svg.j2")
        .render(
            boxes=boxes,
            lines=lines,
            width=width,
            height=height,
            title=title,
            name=slug(name),
            LINE=LINE,
        )
    )
    return markupsafe.Markup(svg)
