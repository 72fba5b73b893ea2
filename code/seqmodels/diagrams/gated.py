"""Diagrams of chapter 8: the LSTM and GRU cells, gate by gate."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from seqmodels.diagrams.shapes import FRAME_FILL, SMALL_SIZE, Canvas, check_choice

_GATE_W, _GATE_H = 0.95, 0.62
#: The colour behind the part of a cell that a step of the story is about.
HIGHLIGHT = "#fff1b8"
#: The parts of each cell that ``highlight=`` can mark: name -> (x, y, width, height) of the
#: marked region, in the diagram's units.
LSTM_PARTS = {
    "forget": (2.85, 2.35, 1.3, 3.95),  # the forget gate and its product with c_{t-1}
    "input": (4.45, 2.35, 2.9, 3.95),  # the input gate, the candidate, their product and the sum
    "cell": (0.1, 5.45, 12.2, 0.9),  # the cell state from c_{t-1} to c_t
    "output": (7.8, 2.35, 5.45, 2.95),  # the output gate, tanh(c_t) and h_t
}
GRU_PARTS = {
    "reset": (1.85, 2.55, 2.45, 2.25),  # the reset gate and what it scales, W_hn h_{t-1}
    "candidate": (5.75, 3.8, 3.1, 1.0),  # the candidate n_t
    "update": (4.45, 2.55, 4.6, 4.0),  # the update gate: keep z_t of h_{t-1}, take 1 - z_t of n_t
}


def _highlight(c: Canvas, parts: dict[str, tuple[float, float, float, float]], name: str | None) -> None:
    """Shade region ``name`` of ``parts`` behind the drawing (nothing for None)."""
    if name is None:
        return
    x, y, w, h = parts[check_choice("highlight", name, list(parts))]
    c.ax.add_patch(
        FancyBboxPatch(
            (x, y), w, h, boxstyle="round,pad=0.08", facecolor=HIGHLIGHT, edgecolor="none", zorder=0.5
        )
    )


def lstm_cell(highlight: str | None = None) -> Figure:
    """One LSTM step: the cell state runs along the top and is only scaled and added to.

    ``highlight`` shades one part (a key of :data:`LSTM_PARTS`: ``"forget"``, ``"input"``,
    ``"cell"`` or ``"output"``), so that the cell can be built up one gate at a time on one
    picture, as chapter 8 does.

    :math:`h_{t-1}` and :math:`x_t` join into one vector :math:`[h_{t-1}, x_t]` that feeds
    the four layers: the forget gate :math:`f_t`, the input gate :math:`i_t`, the candidate
    :math:`g_t` (tanh) and the output gate :math:`o_t`. Then
    :math:`c_t = f_t \\odot c_{t-1} + i_t \\odot g_t` and :math:`h_t = o_t \\odot \\tanh(c_t)`.
    """
    if highlight is not None:
        check_choice("highlight", highlight, list(LSTM_PARTS))
    top, bus, layers = 5.9, 1.75, 2.85
    c = Canvas(13.4, 6.75)
    c.frame((6.45, 3.85), 9.5, 5.5)
    _highlight(c, LSTM_PARTS, highlight)
    c_prev = c.box((0.7, top), "$c_{t-1}$", "state")
    h_prev = c.box((0.7, bus), "$h_{t-1}$", "state")
    x_t = c.box((2.3, 0.45), "$x_t$", "input")
    c_t = c.box((12.6, top), "$c_t$", "state")
    h_t = c.box((12.6, 3.6), "$h_t$", "state")
    # the cell state: forget, then add
    forget = c.op((3.5, top), "⊙")
    add = c.op((6.7, top), "+")
    c.arrow(c_prev.right, forget.left)
    c.arrow(forget.right, add.left)
    c.arrow(add.right, c_t.left)
    # h_{t-1} and x_t join into one bus that every layer reads
    c.path([h_prev.right, (8.4, bus)], head=False)
    c.arrow(x_t.top, (2.3, bus), head=False)
    c.dot((2.3, bus))
    c.label((2.45, bus - 0.38), "$[h_{t-1}, x_t]$", size=SMALL_SIZE, ha="left")
    gates = {}
    for name, x, symbol in (("f", 3.5, "σ"), ("i", 5.1, "σ"), ("g", 6.7, "tanh"), ("o", 8.4, "σ")):
        gates[name] = c.box((x, layers), symbol, "layer", w=_GATE_W, h=_GATE_H)
        if x < 8.4:
            c.dot((x, bus))
        c.arrow((x, bus), gates[name].bottom)
    c.arrow(gates["f"].top, forget.bottom)
    c.label((3.27, 4.35), "$f_t$", ha="right")
    product = c.op((6.7, 4.45), "⊙")
    c.path([gates["i"].top, (5.1, product.y), product.left])
    c.label((4.87, 3.75), "$i_t$", ha="right")
    c.arrow(gates["g"].top, product.bottom)
    c.label((6.93, 3.72), "$g_t$", ha="left")
    c.arrow(product.top, add.bottom)
    # the output: o_t times tanh(c_t)
    c.dot((10.1, top))
    squash = c.op((10.1, 4.75), "tanh", r=0.36)
    c.arrow((10.1, top), squash.top)
    out = c.op((10.1, 3.6), "⊙")
    c.arrow(squash.bottom, out.top)
    c.path([gates["o"].top, (8.4, out.y), out.left])
    c.label((9.0, 3.85), "$o_t$")
    c.arrow(out.right, h_t.left)
    return c.fig


def gru_cell(highlight: str | None = None) -> Figure:
    """One GRU step in PyTorch's convention: two gates, one state.

    ``highlight`` shades one part (a key of :data:`GRU_PARTS`: ``"reset"``, ``"candidate"`` or
    ``"update"``), for building the cell one gate at a time.

    :math:`r_t` and :math:`z_t` read :math:`[h_{t-1}, x_t]`; the candidate is
    :math:`n_t = \\tanh(W_{xn} x_t + r_t \\odot (W_{hn} h_{t-1}))` (biases left out), so the
    reset gate acts *after* the matrix; then :math:`h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}`.
    """
    if highlight is not None:
        check_choice("highlight", highlight, list(GRU_PARTS))
    top, bus, layers, chain, mix, low = 6.15, 1.95, 3.0, 4.3, 5.2, 1.2
    c = Canvas(12.0, 7.0)
    c.frame((5.6, 3.75), 8.6, 5.7)
    _highlight(c, GRU_PARTS, highlight)
    h_prev = c.box((0.7, top), "$h_{t-1}$", "state")
    x_t = c.box((2.6, 0.45), "$x_t$", "input")
    h_t = c.box((11.2, top), "$h_t$", "state")
    keep = c.op((5.1, top), "⊙")
    add = c.op((8.5, top), "+")
    c.arrow(h_prev.right, keep.left)
    c.arrow(keep.right, add.left)
    c.arrow(add.right, h_t.left)
    # h_{t-1} drops to the bus, where x_t joins it
    c.dot((1.7, top))
    c.path([(1.7, top), (1.7, bus), (5.1, bus)], head=False)
    c.arrow(x_t.top, (2.6, bus), head=False)
    c.dot((2.6, bus))
    c.label((2.75, bus - 0.38), "$[h_{t-1}, x_t]$", size=SMALL_SIZE, ha="left")
    r = c.box((3.7, layers), "σ", "layer", w=_GATE_W, h=_GATE_H)
    z = c.box((5.1, layers), "σ", "layer", w=_GATE_W, h=_GATE_H)
    c.dot((3.7, bus))
    c.arrow((3.7, bus), r.bottom)
    c.arrow((5.1, bus), z.bottom)
    # the candidate: W_hn h_{t-1}, reset by r_t, plus x_t, through tanh
    c.dot((1.7, chain))
    w_hn = c.box((2.55, chain), "$W_{hn}$", "layer", w=0.95, h=0.56, size=SMALL_SIZE + 1)
    c.arrow((1.7, chain), w_hn.left)
    reset = c.op((3.7, chain), "⊙")
    c.arrow(w_hn.right, reset.left)
    c.arrow(r.top, reset.bottom)
    c.label((3.93, 3.65), "$r_t$", ha="left")
    cand = c.box((6.4, chain), "tanh", "layer", w=_GATE_W, h=_GATE_H)
    c.arrow(reset.right, cand.left, over=FRAME_FILL)  # passes over z_t's line
    c.dot((2.6, low))
    c.path([(2.6, low), (6.4, low), cand.bottom])
    # the update gate: z_t keeps the old state, 1 - z_t takes the candidate
    c.arrow(z.top, keep.bottom)
    c.label((4.87, 3.65), "$z_t$", ha="right")
    c.dot((5.1, mix))
    one_minus = c.op((6.9, mix), "1−", size=SMALL_SIZE)
    c.arrow((5.1, mix), one_minus.left)
    take = c.op((8.5, mix), "⊙")
    c.arrow(one_minus.right, take.left)
    c.path([cand.right, (8.5, chain), take.bottom])
    c.label((7.5, chain + 0.23), "$n_t$")
    c.arrow(take.top, add.bottom)
    return c.fig
