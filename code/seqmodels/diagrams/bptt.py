"""Diagram of chapter 5: backpropagation through time on the unrolled graph."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from seqmodels.diagrams.shapes import GRADIENT, SMALL_SIZE, Canvas, tint
from seqmodels.validation import check_int

_X, _H, _Y, _LT, _L = 0.55, 2.05, 3.5, 4.85, 6.25  # heights of the rows
_BACK = 0.16  # how far a gradient arrow runs beside its forward arrow


def bptt_graph(T: int = 4, truncation: int | None = None) -> Figure:
    """The unrolled network with its per-step losses, and the gradients flowing back (red).

    Forward (black): :math:`x_t \\to h_t \\to \\hat y_t \\to L_t`, and the losses add up to
    :math:`L = \\sum_t L_t`. Backward (red): from every :math:`L_t` down to :math:`h_t`,
    and from :math:`h_{t+1}` back to :math:`h_t`; :math:`\\partial L / \\partial h_t` is
    the sum of both. With ``truncation=k`` the steps are grouped in windows of ``k``
    (shaded) and the gradient is not passed from one window into the one before (×).
    """
    T = check_int("T", T, minimum=1)
    if T > 6:
        raise ValueError(f"T must be <= 6 to fit the page width, got {T}")
    if truncation is not None:
        truncation = check_int("truncation", truncation, minimum=1)
    gap = 2.15
    xs = [0.85 + gap * t for t in range(T + 1)]  # xs[0] is h_0
    c = Canvas(max(xs[-1] + 1.05, (xs[1] + xs[-1]) / 2 + 1.35), 6.85)
    if truncation is not None:  # one shaded band per window of k steps
        for start in range(1, T + 1, truncation):
            stop = min(start + truncation - 1, T)
            x0, x1 = xs[start] - 0.8, xs[stop] + 0.8
            c.ax.add_patch(
                FancyBboxPatch(
                    (x0, 0.12),
                    x1 - x0,
                    _LT + 0.45 - 0.12,
                    boxstyle="round,pad=0.02",
                    facecolor=tint("#7f7f7f", 0.08),
                    edgecolor="none",
                    zorder=0,
                )
            )
    terms = " + ".join(f"L_{t}" for t in range(1, T + 1)) if T <= 3 else f"L_1 + \\cdots + L_{T}"
    total = c.box(((xs[1] + xs[-1]) / 2, _L), f"$L = {terms}$", "loss", w=2.4)
    h_prev = c.box((xs[0], _H), "$h_0$", "plain", w=0.8)
    for t in range(1, T + 1):
        x = xs[t]
        x_t = c.box((x, _X), f"$x_{t}$", "input")
        h_t = c.box((x, _H), f"$h_{t}$", "state")
        y_t = c.box((x, _Y), f"$\\hat y_{t}$", "output")
        l_t = c.box((x, _LT), f"$L_{t}$", "loss")
        c.arrow(x_t.top, h_t.bottom)
        for lower, upper in ((h_t, y_t), (y_t, l_t)):  # forward on the right, gradient on the left
            c.arrow((x + _BACK, lower.top[1]), (x + _BACK, upper.bottom[1]))
            c.arrow((x - _BACK, upper.bottom[1]), (x - _BACK, lower.top[1]), color=GRADIENT)
        c.arrow(l_t.top, total.towards(l_t.top))
        c.arrow(
            (h_prev.right[0], _H + _BACK),
            (h_t.left[0], _H + _BACK),
            label="$W_{hh}$",
            label_at=((h_prev.x + x) / 2 + 0.05, _H + 0.45),
        )
        if t > 1:
            cut = truncation is not None and (t - 1) % truncation == 0
            c.arrow(
                (h_t.left[0], _H - _BACK),
                (h_prev.right[0], _H - _BACK),
                color=GRADIENT,
                dashed=cut,
                lw=0.9 if cut else 1.3,
            )
            if cut:
                c.label(
                    ((h_prev.x + x) / 2, _H - _BACK),
                    "$\\times$",
                    color=GRADIENT,
                    size=16,
                    bbox=dict(boxstyle="circle,pad=0.05", facecolor="white", edgecolor="none"),
                )
        c.label(
            (x - 0.08, _H - 0.62),
            f"$\\partial L / \\partial h_{t}$",
            color=GRADIENT,
            size=SMALL_SIZE,
            ha="right",
        )
        h_prev = h_t
    return c.fig
