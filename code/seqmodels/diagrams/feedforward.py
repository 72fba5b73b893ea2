"""Diagrams of chapter 3: one neuron, a two-layer network, a network applied step by step."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from seqmodels.diagrams.shapes import SMALL_SIZE, WEIGHT, Canvas
from seqmodels.plot import COLORS
from seqmodels.validation import check_int


def neuron() -> Figure:
    """The perceptron: inputs times weights, plus the bias, summed, then the non-linearity g.

    :math:`\\hat y = g(w_0 + \\sum_{i=1}^m x_i w_i)`; the bias :math:`w_0` is the weight
    of a constant input 1.
    """
    c = Canvas(9.6, 4.9)
    rows = [
        ("$1$", "plain", "$w_0$"),
        ("$x_1$", "input", "$w_1$"),
        ("$x_2$", "input", "$w_2$"),
        ("$\\vdots$", None, None),
        ("$x_m$", "input", "$w_m$"),
    ]
    ys = [4.1, 3.15, 2.3, 1.55, 0.95]
    total = c.op((4.6, 2.5), "$\\Sigma$", r=0.36)
    for (text, kind, weight), y in zip(rows, ys):
        if kind is None:
            c.label((0.9, y + 0.05), text)
            continue
        x_i = c.box((0.9, y), text, kind, w=0.8, h=0.56)
        end = total.towards(x_i.right)
        c.arrow(x_i.right, end)
        # the weight sits a third of the way along its edge, just above it
        fx, fy = x_i.right[0] + 0.42 * (end[0] - x_i.right[0]), x_i.right[1] + 0.42 * (end[1] - x_i.right[1])
        c.label((fx, fy + 0.2), weight, color=WEIGHT)
    g = c.op((6.55, 2.5), "$g$", r=0.36)
    c.arrow(
        total.right,
        g.left,
        label="$z$",
        label_at=((total.right[0] + g.left[0]) / 2, 2.75),
        label_color="black",
    )
    y_hat = c.box((8.6, 2.5), "$\\hat y$", "output", w=0.8, h=0.56)
    c.arrow(g.right, y_hat.left)
    for x, text in (
        (0.9, "inputs"),
        (2.5, "weights"),
        (4.6, "sum"),
        (6.55, "non-linearity"),
        (8.6, "output"),
    ):
        c.label((x, 0.2), text, size=SMALL_SIZE, color=COLORS["grey"])
    return c.fig


def two_layer_network(inputs: int = 2, hidden: int = 3) -> Figure:
    """A feed-forward network with one hidden layer: every input feeds every hidden unit.

    Defaults follow chapter 3's rings: two inputs (a point's coordinates) and three hidden
    units, the fewest that separate them; one output :math:`\\hat y`.
    """
    inputs = check_int("inputs", inputs, minimum=1)
    hidden = check_int("hidden", hidden, minimum=1)
    if inputs > 5 or hidden > 5:
        raise ValueError(f"inputs and hidden must be <= 5 to stay readable, got {inputs} and {hidden}")
    mid = 1.1 + 0.95 * (max(inputs, hidden) - 1) / 2
    c = Canvas(8.2, 2 * mid + 0.5)

    def column(x: float, n: int, name: str, kind: str):
        ys = mid + 0.95 * (np.arange(n)[::-1] - (n - 1) / 2)
        return [c.box((x, y), f"${name}_{i + 1}$", kind, w=0.75, h=0.55) for i, y in enumerate(ys)]

    xs = column(0.8, inputs, "x", "input")
    hs = column(4.1, hidden, "h", "state")
    y_hat = c.box((7.4, mid), "$\\hat y$", "output", w=0.75, h=0.55)
    for h_j in hs:
        for x_i in xs:
            c.arrow(x_i.right, h_j.towards(x_i.right), lw=1.0)
        c.arrow(h_j.right, y_hat.towards(h_j.right), lw=1.0)
    top = max(n.y for n in xs + hs) + 0.75
    c.label((2.45, top), "$W^{(1)}, \\mathbf{b}^{(1)}$", color=WEIGHT)
    c.label((5.75, top), "$W^{(2)}, b^{(2)}$", color=WEIGHT)
    for x, text in ((0.8, "input layer"), (4.1, "hidden layer"), (7.4, "output")):
        c.label((x, 0.2), text, size=SMALL_SIZE, color=COLORS["grey"])
    return c.fig


def feedforward_per_step(T: int = 3) -> Figure:
    """A feed-forward network applied to a sequence: the same network at each step, on its own.

    There is no arrow between the steps: :math:`\\hat y_t` depends on :math:`x_t` only.
    """
    T = check_int("T", T, minimum=1)
    if T > 6:
        raise ValueError(f"T must be <= 6 to fit the page width, got {T}")
    gap = 1.9
    c = Canvas(1.9 + gap * T, 3.9)
    c.label((0.75, 0.55), "$\\mathbf{x}_t \\in \\mathbb{R}^m$", size=SMALL_SIZE, color=COLORS["grey"])
    c.label((0.75, 3.35), "$\\hat{\\mathbf{y}}_t \\in \\mathbb{R}^q$", size=SMALL_SIZE, color=COLORS["grey"])
    for t in range(1, T + 1):
        x = 1.45 + gap * t - gap / 2 + 0.5
        x_t = c.box((x, 0.55), f"$x_{t}$", "input")
        net = c.box((x, 1.95), "$f$", "layer", w=1.25, h=0.8)
        y_t = c.box((x, 3.35), f"$\\hat y_{t}$", "output")
        c.arrow(x_t.top, net.bottom)
        c.arrow(net.top, y_t.bottom)
    return c.fig
