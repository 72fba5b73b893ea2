"""Diagrams of chapter 7: the gradient's path through repeated factors, and clipping on a cliff."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from seqmodels.diagrams.shapes import GRADIENT, INK, SMALL_SIZE, Canvas
from seqmodels.plot import COLORS
from seqmodels.validation import check_int, check_real


def gradient_path(T: int = 4) -> Figure:
    """:math:`\\partial h_T / \\partial h_0` as a product of one Jacobian per step (red).

    Each step back multiplies by :math:`\\partial h_t / \\partial h_{t-1} =
    \\mathrm{diag}(f'(a_t))\\, W_{hh}`, with :math:`a_t = W_{hh} h_{t-1} + W_{xh} x_t`:
    the same :math:`W_{hh}` every time, and a fresh derivative :math:`f'` every time.
    """
    T = check_int("T", T, minimum=1)
    if T > 5:
        raise ValueError(f"T must be <= 5 to fit the page width, got {T}")
    gap, h_row, x_row = 2.75, 2.2, 0.55
    xs = [0.75 + gap * t for t in range(T + 1)]
    c = Canvas(xs[-1] + 0.85, 4.6)
    h_prev = c.box((xs[0], h_row), "$h_0$", "state")
    for t in range(1, T + 1):
        x = xs[t]
        h_t = c.box((x, h_row), f"$h_{t}$", "state")
        x_t = c.box((x, x_row), f"$x_{t}$", "input", w=0.8, h=0.5)
        c.arrow(x_t.top, h_t.bottom)
        c.arrow(h_prev.right, h_t.left, label="$W_{hh}$", label_at=((h_prev.x + x) / 2, h_row + 0.27))
        c.arrow(h_t.at(-0.5, 1), h_prev.at(0.5, 1), color=GRADIENT, bend=0.45)
        c.label(
            ((h_prev.x + x) / 2, h_row + 1.25),
            f"$\\mathrm{{diag}}(f'(a_{t}))\\,W_{{hh}}$",
            color=GRADIENT,
            size=SMALL_SIZE,
        )
        h_prev = h_t
    factor = "\\mathrm{{diag}}(f'(a_{}))\\,W_{{hh}}".format
    product = (
        "\\;".join(factor(t) for t in range(T, 0, -1)) if T <= 2 else f"{factor(T)} \\;\\cdots\\; {factor(1)}"
    )
    c.label(((xs[0] + xs[-1]) / 2, 4.15), f"$\\partial h_{T} / \\partial h_0 = {product}$", color=GRADIENT)
    return c.fig


def _cliff(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A loss with a wall: a bowl plus a steep sigmoid step down at w = 1; value and slope."""
    height, width, centre = 3.0, 0.07, 1.0
    s = 0.5 * (1 - np.tanh((w - centre) / (2 * width)))  # 1 left of the wall, 0 right; never overflows
    loss = 0.3 * (w - 2.6) ** 2 + height * s
    slope = 0.6 * (w - 2.6) - height * s * (1 - s) / width
    return loss, slope


def clipping_cliff(learning_rate: float = 0.5, threshold: float = 1.0) -> Figure:
    """One gradient step from the face of a loss cliff, without and with norm clipping.

    On the wall the gradient is huge, so the raw step :math:`-\\eta g` throws the weight far
    past the valley, up the other side; the clipped step :math:`-\\eta\\,\\theta\\, g/\\|g\\|`
    keeps the direction, has length :math:`\\eta\\theta`, and lands close by. The curve
    and both steps are computed, in the spirit of Pascanu et al. (2013). ``learning_rate``
    :math:`\\eta` must lie in [0.4, 0.6], where the raw step overshoots, and ``threshold``
    :math:`\\theta` in (0, 2].
    """
    # below 0.4 the raw step does not overshoot the valley; above 0.6 the labels crowd
    eta = check_real("learning_rate", learning_rate, low=0.4, high=0.6)
    theta = check_real("threshold", threshold, low=0, low_open=True, high=2)
    w0 = 1.0
    loss0, g = (float(v) for v in _cliff(np.array(w0)))
    raw = w0 - eta * g
    clipped = w0 - eta * g * min(1.0, theta / abs(g))
    w = np.linspace(-0.6, max(6.0, raw) + 0.6, 600)
    loss = _cliff(w)[0]
    top = float(loss.max())
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.add_axes((0.06, 0.15, 0.92, 0.81))
    ax.plot(w, loss, color=COLORS["blue"], linewidth=1.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xticks(np.arange(0, np.floor(w[-1]) + 1))  # ticks, so "lands at w = ..." can be read off the axis
    ax.set_yticks([])
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("loss $L(w)$")
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(0, top * 1.12)
    for end, color, bend in ((raw, GRADIENT, -0.3), (clipped, COLORS["green"], 0.0)):
        point = (end, float(_cliff(np.array(end))[0]))
        ax.add_patch(
            FancyArrowPatch(
                (w0, loss0),
                point,
                arrowstyle="-|>",
                mutation_scale=12,
                color=color,
                linewidth=1.6,
                shrinkA=4,
                shrinkB=4,
                connectionstyle=f"arc3,rad={bend}",
            )
        )
        ax.plot(*point, "o", color=color, markersize=6)
    ax.plot(w0, loss0, "o", color=INK, markersize=6)

    def text(xy, offset, s, color=INK, **kw):  # offsets in points, so they hold at any scale
        ax.annotate(
            s,
            xy,
            xytext=offset,
            textcoords="offset points",
            color=color,
            fontsize=SMALL_SIZE,
            gid="label",
            **kw,
        )

    text((w0, loss0), (-8, 0), "start", ha="right", va="center")
    worse = ", higher than it started" if _cliff(np.array(raw))[0] > loss0 else ""
    text(
        (w[0] + 0.55 * (w[-1] - w[0]), top * 1.05),
        (0, 0),
        f"raw step $-\\eta\\, g$ with $|g| = {abs(g):.1f}$: lands at $w = {raw:.1f}${worse}",
        GRADIENT,
        ha="center",
        va="center",
    )
    land = float(_cliff(np.array(clipped))[0])
    text(
        (clipped, land),
        (8, 8),
        f"clipped step, length $\\eta\\theta = {eta * theta:g}$",
        COLORS["green"],
        ha="left",
        va="bottom",
    )
    return fig
