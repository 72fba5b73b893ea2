"""Chapter 7's widget on the web page: ‖∂h_t/∂h_0‖ of a tanh and a ReLU network against the scale s of W_hh.

The widget (chapter 7, ``plot_gradient_flow``) builds ``W_hh = scaled_orthogonal(32, s, seed=0)``
and draws ``jacobian_norms(W_hh, W_xh, X, activation=...)`` for tanh and ReLU with the bound
s^t; the states here are those package calls on the chapter's inputs (``W_xh`` and ``X`` drawn
from ``torch.Generator().manual_seed(0)``, 32 hidden units, 4 inputs, T = 60).

Grid: s from 0.2 to 2.5 in steps of 0.05, exactly the widget's slider (47 states): the slider
moves as in the notebook. Each state holds 3 x 60 norms to 4 significant digits (the y axis
is logarithmic): about 45 KB of JSON.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import torch

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._vega import COLORS, CONFIG, HEIGHT, WIDTH, sig, state
from seqmodels.gradients import jacobian_norms, scaled_orthogonal

N_HIDDEN, N_INPUT, T = 32, 4, 60  # the chapter's network and sequence
SCALES = [round(0.2 + 0.05 * i, 2) for i in range(47)]
FLOOR, CEILING = 1e-20, 1e20  # the widget's y range; values beyond it are drawn at its edge
SERIES = {"tanh": COLORS["blue"], "ReLU": COLORS["orange"], "bound s^t": COLORS["grey"]}


def chapter_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    """``W_xh`` and ``X`` exactly as chapter 7 draws them."""
    gen = torch.Generator().manual_seed(0)
    W_xh = 0.1 * torch.randn(N_HIDDEN, N_INPUT, generator=gen, dtype=torch.float64)
    X = torch.randn(T, N_INPUT, generator=gen, dtype=torch.float64)
    return W_xh, X


def compute_state(scale: float, W_xh: torch.Tensor, X: torch.Tensor) -> dict:
    """One state: the two measured norm curves and the bound at scale ``s``."""
    W_hh = scaled_orthogonal(N_HIDDEN, scale, seed=0)
    t = np.arange(1, T + 1)
    clip = lambda v: sig(np.clip(v, FLOOR, CEILING))  # noqa: E731
    return {
        "s": scale,
        "tanh": clip(jacobian_norms(W_hh, W_xh, X, activation="tanh")),
        "ReLU": clip(jacobian_norms(W_hh, W_xh, X, activation="relu")),
        "bound s^t": clip(scale**t),
    }


def states() -> alt.LayerChart:
    """The chart: three curves over t = 1..60 on a log axis, for the chosen s."""
    W_xh, X = chapter_inputs()
    rows = [compute_state(s, W_xh, X) for s in SCALES]
    s = alt.param(name="s", value=1.0, bind=alt.binding_range(min=0.2, max=2.5, step=0.05, name="scale s "))
    curves = (
        alt.Chart(alt.NamedData("states"), name="curves")
        .transform_filter("abs(datum.s - s) < 1e-6")
        .transform_fold(list(SERIES), as_=["curve", "norms"])
        .transform_flatten(["norms"], as_=["norm"])
        .transform_window(groupby=["curve"], t="row_number()")
        .mark_line()
        .encode(
            x=alt.X("t:Q", title="distance t (steps back)"),
            y=alt.Y(
                "norm:Q",
                title="‖∂h_t/∂h_0‖",
                scale=alt.Scale(type="log", domain=[FLOOR, CEILING]),
                axis=alt.Axis(format=".0e", values=[10.0**e for e in range(-20, 21, 5)]),
            ),
            color=alt.Color(
                "curve:N",
                scale=alt.Scale(domain=list(SERIES), range=list(SERIES.values())),
                title=None,
                legend=alt.Legend(orient="bottom-left"),
            ),
            strokeDash=alt.StrokeDash(
                "curve:N", scale=alt.Scale(domain=list(SERIES), range=[[1, 0], [1, 0], [4, 3]]), legend=None
            ),
        )
    )
    title = (
        alt.Chart(alt.NamedData("states"), name="title")
        .transform_filter("abs(datum.s - s) < 1e-6")
        .transform_calculate(
            label="'s = ' + format(datum.s, '.2f') + ': vanishing ' + (datum.s < 1 ? 'guaranteed' : 'not guaranteed')"
        )
        .mark_text(align="left", x=8, y=-10, fontSize=12)
        .encode(text="label:N")
    )
    return (
        alt.layer(curves, title)
        .add_params(s)
        .properties(width=WIDTH, height=HEIGHT)
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(scale: float):
    def expected(spec: dict) -> list[dict]:
        row = state(spec, s=scale)
        return [{"curve": c, "t": t, "norm": v} for c in SERIES for t, v in enumerate(row[c], start=1)]

    return expected


SPEC = Explorable(
    name="ch07_gradient_flow",
    chapter=7,
    title="Move the scale s of W_hh and watch the measured gradient norms follow the bound s^t.",
    states=states,
    alt="Measured norms of the Jacobian from h_0 to h_t for a tanh and a ReLU network, and the bound s to the "
    "power t, on a log axis, for the chosen scale s of the recurrent weight matrix.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"s": 1.0}, mark="curves", expected=_expected(1.0)),
    BrowserCheck(controls={"s": 0.5}, mark="curves", expected=_expected(0.5)),
    BrowserCheck(controls={"s": 2.05}, mark="curves", expected=_expected(2.05)),
]
