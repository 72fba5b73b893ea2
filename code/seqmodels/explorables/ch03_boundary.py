"""Chapter 3's widget on the web page: a two-layer network's decision boundary on the rings, by activation and width.

The widget (chapter 3, ``show_boundary``) trains ``TwoLayerNet(2, num_hidden, activation=...)``
(seeded, so every run gives the same network) for 2000 epochs on ``make_rings(200, seed=0)``
and shades ``decision_grid(net)`` with its accuracy; the states here are those package calls.

Grid: the four activations (a radio button, as the widget's drop-down) and every width 1-8
(a slider, as the widget's): all 32 states the widget can show, so every control moves as in
the notebook. The probability is sampled on a 41 x 41 grid over [-1.5, 1.5]^2 (the widget
draws 150 x 150; 41 keeps the boundary's shape at 0.075 per cell) to 2 decimals: about
0.3 MB of JSON.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._vega import COLORS, CONFIG, rounded, state
from seqmodels.perceptron import TwoLayerNet, accuracy, decision_grid, make_rings

ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear"]
WIDTHS = list(range(1, 9))
EPOCHS, LIM, NUM = 2000, 1.5, 41
STEP = 2 * LIM / (NUM - 1)


def compute_state(activation: str, num_hidden: int, X: np.ndarray, y: np.ndarray) -> dict:
    """One state: the trained network's P(green) on the grid, row by row from the bottom, and its accuracy."""
    net = TwoLayerNet(2, num_hidden, activation=activation)
    net.fit(X, y, epochs=EPOCHS)
    _, _, probs = decision_grid(net, lim=LIM, num=NUM)
    return {
        "activation": activation,
        "hidden": num_hidden,
        "p": rounded(probs, 2),
        "accuracy": round(float(accuracy(net, X, y)), 4),
    }


def states() -> alt.LayerChart:
    """The chart: P(green) shaded over the plane, the ring points on top, the accuracy as a title."""
    X, y = make_rings(200, seed=0)
    rows = [compute_state(a, h, X, y) for a in ACTIVATIONS for h in WIDTHS]
    activation = alt.param(
        name="activation", value="tanh", bind=alt.binding_radio(options=ACTIVATIONS, name="activation ")
    )
    hidden = alt.param(
        name="hidden", value=3, bind=alt.binding_range(min=1, max=8, step=1, name="hidden units ")
    )
    chosen = alt.Chart(alt.NamedData("states")).transform_filter(
        "datum.activation == activation && datum.hidden == hidden"
    )
    axis = alt.Scale(domain=[-LIM - STEP / 2, LIM + STEP / 2], nice=False)
    shade = (
        chosen.transform_flatten(["p"])
        .transform_window(i="row_number()")
        .transform_calculate(
            x=f"{-LIM} + ((datum.i - 1) % {NUM}) * {STEP}",
            y=f"{-LIM} + floor((datum.i - 1) / {NUM}) * {STEP}",
        )
        .transform_calculate(x2=f"datum.x + {STEP}", y2=f"datum.y + {STEP}")
        .transform_calculate(x=f"datum.x - {STEP / 2}", y=f"datum.y - {STEP / 2}")
        .transform_calculate(x2=f"datum.x2 - {STEP / 2}", y2=f"datum.y2 - {STEP / 2}")
        .mark_rect(opacity=0.45)
        .encode(
            x=alt.X("x:Q", title="x_1", scale=axis),
            x2="x2:Q",
            y=alt.Y("y:Q", title="x_2", scale=axis),
            y2="y2:Q",
            color=alt.Color("p:Q", title="P(green)", scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1])),
        )
        .properties(name="shade")
    )
    points = (
        alt.Chart(alt.Data(values=[{"x1": a, "x2": b, "label": int(c)} for (a, b), c in zip(X.tolist(), y)]))
        .mark_circle(size=18, opacity=1)
        .encode(
            x="x1:Q",
            y="x2:Q",
            fill=alt.Fill(
                "label:N", scale=alt.Scale(domain=[0, 1], range=[COLORS["red"], COLORS["green"]]), legend=None
            ),
        )
    )
    title = (
        chosen.transform_calculate(
            label="datum.activation + ', ' + datum.hidden + ' hidden: ' + format(datum.accuracy, '.1%') + ' correct'"
        )
        .mark_text(align="left", x=4, y=-10, fontSize=12)
        .encode(text="label:N")
        .properties(name="title")
    )
    return (
        alt.layer(shade, points, title)
        .add_params(activation, hidden)
        .properties(width=360, height=360)
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(activation: str, hidden: int):
    def expected(spec: dict) -> list[dict]:
        return [{"p": p} for p in state(spec, activation=activation, hidden=hidden)["p"]]

    return expected


SPEC = Explorable(
    name="ch03_boundary",
    chapter=3,
    title="Pick the activation and the number of hidden units; the shading is the trained network's P(green).",
    states=states,
    alt="The two rings of red and green points with a trained two-layer network's probability of green shaded "
    "over the plane, for the chosen activation and number of hidden units, and its training accuracy.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"activation": "tanh", "hidden": 3}, mark="shade", expected=_expected("tanh", 3)),
    BrowserCheck(controls={"activation": "relu", "hidden": 2}, mark="shade", expected=_expected("relu", 2)),
    BrowserCheck(
        controls={"activation": "linear", "hidden": 8}, mark="shade", expected=_expected("linear", 8)
    ),
]
