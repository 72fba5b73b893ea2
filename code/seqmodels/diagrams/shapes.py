"""The diagrams' one visual language: boxes, operator circles, arrows and labels.

Every diagram of the book is drawn on a :class:`Canvas`, a figure whose single, invisible
axes measures lengths in diagram *units* (one unit is :data:`UNIT` inches), so shapes and
fonts have the same size in every diagram. What a shape means is shown by its colour,
always the same one:

- boxes hold values: ``"input"`` (green, :math:`x_t`), ``"state"`` (blue, :math:`h_t`,
  :math:`c_t`, :math:`s_t`), ``"output"`` (orange, :math:`\\hat y_t`), ``"loss"`` (red),
  ``"token"`` (a word, white);
- ``"layer"`` boxes (purple) are learned layers: a gate's sigmoid, a tanh layer, a dense layer;
- white circles are operators without weights: :math:`+`, :math:`\\odot`, an elementwise
  tanh, :math:`1-`;
- arrows carry values forward in black; gradients flow back in red; weight matrices are
  written beside arrows in purple, like the layers that hold them.

The figures are built with :class:`matplotlib.figure.Figure` directly, not with pyplot: a
notebook cell that ends with a diagram shows it once, and nothing is left in pyplot's list
of open figures. Text artists carry a ``gid`` (``"box-text"`` inside a shape, ``"label"``
outside) and shapes the ``gid`` ``"node"``, so the tests can check that no label sits on
another label or on a shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path

from seqmodels.plot import COLORS

#: Inches per diagram unit.
UNIT = 0.55
#: Default box size and operator radius, in units.
BOX_W, BOX_H, OP_R = 1.0, 0.62, 0.27
#: Font sizes (points): text in a shape, a label beside an arrow, a small annotation.
TEXT_SIZE, LABEL_SIZE, SMALL_SIZE = 12, 11, 10
#: Line widths (points).
LINE_W, EDGE_W = 1.3, 1.1
INK = "#222222"
FRAME_FILL = "#f5f5f5"
GRADIENT = COLORS["red"]
WEIGHT = COLORS["purple"]

KIND_COLORS = {
    "input": COLORS["green"],
    "state": COLORS["blue"],
    "output": COLORS["orange"],
    "layer": COLORS["purple"],
    "loss": COLORS["red"],
    "token": COLORS["grey"],
    "plain": COLORS["grey"],
}


def tint(color: str, amount: float = 0.22) -> tuple[float, float, float]:
    """``color`` mixed with white: ``amount`` 1 is the colour itself, 0 is white."""
    rgb = np.asarray(to_rgb(color))
    return tuple(float(v) for v in amount * rgb + (1 - amount) * np.ones(3))


def fill_of(kind: str) -> tuple[float, float, float]:
    """The fill colour of a box of this kind (``token`` and ``plain`` boxes are white)."""
    if kind not in KIND_COLORS:
        raise ValueError(f"kind must be one of {sorted(KIND_COLORS)}, got {kind!r}")
    return (1.0, 1.0, 1.0) if kind in ("token", "plain") else tint(KIND_COLORS[kind])


Point = tuple[float, float]


@dataclass(frozen=True)
class Node:
    """A drawn box or circle: its centre, half-sizes (equal for a circle) and shape."""

    x: float
    y: float
    hw: float
    hh: float
    round: bool = False

    @property
    def top(self) -> Point:
        return (self.x, self.y + self.hh)

    @property
    def bottom(self) -> Point:
        return (self.x, self.y - self.hh)

    @property
    def left(self) -> Point:
        return (self.x - self.hw, self.y)

    @property
    def right(self) -> Point:
        return (self.x + self.hw, self.y)

    def at(self, dx: float = 0.0, dy: float = 0.0) -> Point:
        """A point offset from the centre, in units of the half-sizes (``dx=1``: right edge)."""
        return (self.x + dx * self.hw, self.y + dy * self.hh)

    def towards(self, point: Point) -> Point:
        """Where the straight line from the centre to ``point`` leaves the shape."""
        dx, dy = point[0] - self.x, point[1] - self.y
        if dx == 0 and dy == 0:
            return (self.x, self.y)
        if self.round:
            n = float(np.hypot(dx, dy))
            return (self.x + self.hw * dx / n, self.y + self.hh * dy / n)
        s = min(self.hw / abs(dx) if dx else np.inf, self.hh / abs(dy) if dy else np.inf)
        return (self.x + s * dx, self.y + s * dy)


class Canvas:
    """A blank diagram ``width`` by ``height`` units, with the drawing primitives."""

    def __init__(self, width: float, height: float) -> None:
        self.fig = Figure(figsize=(width * UNIT, height * UNIT))
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(0, height)
        self.ax.set_axis_off()

    # ------------------------------------------------------------------ shapes
    def box(
        self,
        xy: Point,
        text: str,
        kind: str = "state",
        w: float = BOX_W,
        h: float = BOX_H,
        size: float = TEXT_SIZE,
        edge: str | None = None,
    ) -> Node:
        """A rounded box holding a value (or a learned layer, ``kind="layer"``)."""
        x, y = xy
        pad = 0.06
        self.ax.add_patch(
            FancyBboxPatch(
                (x - w / 2 + pad, y - h / 2 + pad),
                w - 2 * pad,
                h - 2 * pad,
                boxstyle=f"round,pad={pad}",
                facecolor=fill_of(kind),
                edgecolor=edge or KIND_COLORS[kind],
                linewidth=EDGE_W,
                zorder=3,
                gid="node",
            )
        )
        if text:
            self._text(xy, text, size, INK, "center", "center", gid="box-text", zorder=4)
        return Node(x, y, w / 2, h / 2)

    def op(self, xy: Point, symbol: str, r: float = OP_R, size: float = TEXT_SIZE) -> Node:
        """A white circle for an operator without weights: ``"+"``, ``"⊙"``, ``"tanh"``, ``"1−"``."""
        self.ax.add_patch(
            Circle(xy, r, facecolor="white", edgecolor=INK, linewidth=EDGE_W, zorder=3, gid="node")
        )
        if symbol == "⊙":  # drawn, so it sits exactly in the middle whatever the font
            self.ax.add_patch(Circle(xy, r * 0.16, facecolor=INK, edgecolor="none", zorder=4))
        else:
            if len(symbol) > 2 and not symbol.startswith("$"):  # a word such as tanh
                size = size * 0.75
            self._text(xy, symbol, size, INK, "center", "center", gid="box-text", zorder=4)
        return Node(xy[0], xy[1], r, r, round=True)

    def cells(
        self,
        xy: Point,
        values: Sequence[float],
        cell: float = 0.3,
        horizontal: bool = False,
        color: str = COLORS["blue"],
    ) -> Node:
        """A vector drawn as a strip of cells, shaded by value (0 pale, 1 strong ``color``)."""
        n = len(values)
        w, h = (n * cell, cell) if horizontal else (cell, n * cell)
        for i, v in enumerate(values):  # left to right, or top to bottom
            if horizontal:
                corner = (xy[0] - w / 2 + i * cell, xy[1] - h / 2)
            else:
                corner = (xy[0] - w / 2, xy[1] + h / 2 - (i + 1) * cell)
            self.ax.add_patch(
                Rectangle(
                    corner,
                    cell,
                    cell,
                    facecolor=tint(color, 0.15 + 0.7 * float(v)),
                    edgecolor=COLORS["grey"],
                    linewidth=0.6,
                    zorder=3,
                    gid="node",
                )
            )
        return Node(xy[0], xy[1], w / 2, h / 2)

    def frame(self, xy: Point, w: float, h: float) -> None:
        """The light grey outline of a cell (everything inside belongs to one time step)."""
        self.ax.add_patch(
            FancyBboxPatch(
                (xy[0] - w / 2, xy[1] - h / 2),
                w,
                h,
                boxstyle="round,pad=0.1",
                facecolor=FRAME_FILL,
                edgecolor="#bbbbbb",
                linewidth=1.0,
                zorder=0,
            )
        )

    def dot(self, xy: Point, color: str = INK) -> None:
        """A junction where one line splits into two, or two lines join."""
        self.ax.add_patch(Circle(xy, 0.07, facecolor=color, edgecolor="none", zorder=5))

    # ------------------------------------------------------------------ lines
    def arrow(
        self,
        start: Point,
        end: Point,
        color: str = INK,
        label: str | None = None,
        label_at: Point | None = None,
        label_color: str = WEIGHT,
        label_ha: str = "center",
        dashed: bool = False,
        lw: float = LINE_W,
        bend: float = 0.0,
        head: bool = True,
        over: str | None = None,
    ) -> None:
        """A straight (or, with ``bend``, curved) arrow; ``label`` goes at ``label_at``.

        ``over`` (a background colour, e.g. ``"white"``) draws a halo of that colour around
        the line, so it visibly passes over the lines it crosses instead of joining them.
        """
        patch = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>" if head else "-",
            mutation_scale=11,
            color=color,
            linewidth=lw,
            linestyle="--" if dashed else "-",
            shrinkA=0,
            shrinkB=0,
            connectionstyle=f"arc3,rad={bend}",
            zorder=2.5 if over else 2,
            capstyle="butt",
        )
        if over:
            patch.set_path_effects(
                [patheffects.Stroke(linewidth=lw + 5, foreground=over), patheffects.Normal()]
            )
        self.ax.add_patch(patch)
        if label:
            if label_at is None:
                label_at = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            self.label(label_at, label, color=label_color, ha=label_ha)

    def loop(self, node: Node, label: str) -> None:
        """An arrow out of the right edge of ``node`` and back into it: a recurrence."""
        self.ax.add_patch(
            FancyArrowPatch(
                (node.x + node.hw, node.y + 0.2),
                (node.x + node.hw, node.y - 0.2),
                connectionstyle="arc,angleA=0,armA=20,angleB=0,armB=20,rad=6",
                arrowstyle="-|>",
                mutation_scale=11,
                color=INK,
                linewidth=LINE_W,
                shrinkA=0,
                shrinkB=0,
                zorder=2,
            )
        )
        self.label((node.x + node.hw + 0.58, node.y), label, color=WEIGHT, ha="left")

    def path(
        self,
        points: Sequence[Point],
        color: str = INK,
        head: bool = True,
        lw: float = LINE_W,
        dashed: bool = False,
        over: str | None = None,
    ) -> None:
        """A polyline through ``points`` with an arrowhead at the last one (``over``: see :meth:`arrow`)."""
        if len(points) < 2:
            raise ValueError(f"a path needs at least two points, got {len(points)}")
        verts = [tuple(map(float, p)) for p in points]
        codes = [Path.MOVETO] + [Path.LINETO] * (len(verts) - 1)
        patch = FancyArrowPatch(
            path=Path(verts, codes),
            arrowstyle="-|>" if head else "-",
            mutation_scale=11,
            color=color,
            linewidth=lw,
            linestyle="--" if dashed else "-",
            zorder=2.5 if over else 2,
            joinstyle="miter",
            capstyle="butt",
        )
        if over:
            patch.set_path_effects(
                [patheffects.Stroke(linewidth=lw + 5, foreground=over), patheffects.Normal()]
            )
        self.ax.add_patch(patch)

    # ------------------------------------------------------------------ text
    def label(
        self,
        xy: Point,
        text: str,
        color: str = INK,
        size: float = LABEL_SIZE,
        ha: str = "center",
        va: str = "center",
        **kw,
    ) -> None:
        """Free text in the book's notation (mathtext between ``$...$``)."""
        self._text(xy, text, size, color, ha, va, gid="label", **kw)

    def _text(self, xy, text, size, color, ha, va, gid, zorder=6, **kw) -> None:
        self.ax.text(
            xy[0], xy[1], text, fontsize=size, color=color, ha=ha, va=va, zorder=zorder, gid=gid, **kw
        )


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of the strings ``choices``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string, one of {list(choices)}, got {type(value).__name__} {value!r}"
        )
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def check_words(name: str, words: object, max_count: int) -> tuple[str, ...]:
    """Return ``words`` as a tuple if it is a sequence of 1 to ``max_count`` non-empty strings."""
    if isinstance(words, str) or not isinstance(words, Sequence):
        raise TypeError(f"{name} must be a sequence of strings, got {type(words).__name__} {words!r}")
    if not 1 <= len(words) <= max_count:
        raise ValueError(f"{name} must hold 1 to {max_count} words (more would not fit), got {len(words)}")
    for w in words:
        if not isinstance(w, str) or not w:
            raise TypeError(f"every entry of {name} must be a non-empty string, got {w!r}")
    return tuple(words)


def layout_problems(fig: Figure, margin_px: float = 1.0) -> list[str]:
    """What is wrong with a diagram's layout, one sentence each; empty when it is clean.

    Draws ``fig`` with the Agg renderer and compares the bounding boxes of its texts and
    shapes: two texts that overlap, a text or shape (``gid`` ``"node"``) cut off by the
    figure's edge, and a free label (``gid`` ``"label"``) lying on a shape are problems. Boxes are shrunk by
    ``margin_px`` pixels first, so texts that merely touch pass.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in _text_artists(fig) if t.get_visible()]
    boxes = [t.get_window_extent(renderer).padded(-margin_px) for t in texts]
    problems = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if boxes[i].overlaps(boxes[j]):
                problems.append(f"texts {texts[i].get_text()!r} and {texts[j].get_text()!r} overlap")
    page = fig.bbox.padded(margin_px)
    for t, b in zip(texts, boxes):
        if not (page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 and b.y1 <= page.y1):
            problems.append(f"text {t.get_text()!r} is cut off by the figure's edge")
    nodes = [p for ax in fig.axes for p in ax.patches if p.get_gid() == "node"]
    node_boxes = [p.get_window_extent(renderer).padded(-margin_px) for p in nodes]
    for b in node_boxes:
        if not (page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 and b.y1 <= page.y1):
            problems.append("a shape is cut off by the figure's edge")
    for t, b in zip(texts, boxes):
        if t.get_gid() == "label" and any(b.overlaps(n) for n in node_boxes):
            problems.append(f"label {t.get_text()!r} lies on a shape")
    return problems


def texts(fig: Figure) -> list[str]:
    """Every non-empty text of ``fig``, as written (mathtext keeps its ``$...$``)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    return [t.get_text() for t in _text_artists(fig)]


def _text_artists(fig: Figure) -> list:
    found = list(fig.texts)
    for ax in fig.axes:
        found += list(ax.texts) + [ax.title, ax.xaxis.label, ax.yaxis.label]
    return [t for t in found if t.get_text().strip()]
