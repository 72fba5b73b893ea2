"""Chapter 5's widget on the web page: gradient descent on a quadratic cost, against the learning rate and the steps.

The widget (chapter 5, ``show_descent``) runs ``gradient_descent(eta, steps, w_init)`` on the
mean squared error ``J`` of a line fitted to 50 seeded points, and draws the path on the cost
surface and the cost after each step. ``J``, ``dJ`` and ``gradient_descent`` are a few lines
the chapter writes out for teaching; the states here run the same lines on the same data
(drawn exactly as the chapter draws them), so chapter and page agree state for state.

Grid: log10 η from -2.0 to -0.35 in steps of 0.01 and the steps 1-100 one by one, exactly
the widget's two sliders: the path of each η is stored once for 100 steps, and the steps
slider shows its first ``steps`` of them. 166 paths of 101 points (w0, w1 and the cost, to
4 significant digits), plus the surface on a 0.2 grid: about 0.35 MB of JSON.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._vega import COLORS, CONFIG, dataset, sig

LOG10_ETAS = [round(-2.0 + 0.01 * i, 2) for i in range(166)]
MAX_STEPS = 100
W0_RANGE, W1_RANGE, CELL = (-5.0, 4.0), (-3.0, 5.0), 0.2


def chapter_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chapter's 50 points (x, y) and its random start ``w_init``, drawn as the chapter draws them."""
    rng = np.random.default_rng(0)
    x_data = rng.normal(1.0, 1.0, size=50)
    y_data = -1.0 + 2.0 * x_data + rng.normal(0.0, 0.5, size=50)
    w_init = np.random.default_rng(6).normal(0.0, 2.0, size=2)
    return x_data, y_data, w_init


def cost(
    w0: np.ndarray | float, w1: np.ndarray | float, x_data: np.ndarray, y_data: np.ndarray
) -> np.ndarray:
    """The chapter's ``J``: mean squared error of the line w0 + w1 x (works on grids too)."""
    residual = np.add.outer(w0, 0 * x_data) + np.multiply.outer(w1, x_data) - y_data
    return np.mean(residual**2, axis=-1)


def gradient_descent(
    eta: float, steps: int, w_init: np.ndarray, x_data: np.ndarray, y_data: np.ndarray
) -> np.ndarray:
    """The chapter's loop: every visited point, ``steps + 1`` of them."""
    w = np.array(w_init, dtype=float)
    path = [w.copy()]
    for _ in range(steps):
        residual = w[0] + w[1] * x_data - y_data
        w = w - eta * np.array([2 * residual.mean(), 2 * (residual * x_data).mean()])
        path.append(w.copy())
    return np.array(path)


def compute_state(log10_eta: float, x_data: np.ndarray, y_data: np.ndarray, w_init: np.ndarray) -> dict:
    """One state: the path of 100 steps at η = 10^log10_eta and the cost at each point."""
    with np.errstate(over="ignore", invalid="ignore"):
        path = gradient_descent(10**log10_eta, MAX_STEPS, w_init, x_data, y_data)
        costs = cost(path[:, 0], path[:, 1], x_data, y_data)
    return {"log10_eta": log10_eta, "w0": sig(path[:, 0]), "w1": sig(path[:, 1]), "J": sig(costs)}


def states() -> alt.HConcatChart:
    """The chart: the path on the cost surface (left) and the cost along it on a log axis (right)."""
    x_data, y_data, w_init = chapter_data()
    rows = [compute_state(e, x_data, y_data, w_init) for e in LOG10_ETAS]
    w_best = np.linalg.lstsq(np.c_[np.ones_like(x_data), x_data], y_data, rcond=None)[0]
    j_best = float(cost(w_best[0], w_best[1], x_data, y_data))
    eta = alt.param(
        name="log10_eta", value=-0.52, bind=alt.binding_range(min=-2.0, max=-0.35, step=0.01, name="log10 η ")
    )
    steps = alt.param(
        name="steps", value=30, bind=alt.binding_range(min=1, max=MAX_STEPS, step=1, name="steps ")
    )
    g0 = np.arange(W0_RANGE[0], W0_RANGE[1] + 1e-9, CELL)
    g1 = np.arange(W1_RANGE[0], W1_RANGE[1] + 1e-9, CELL)
    surface_rows = [
        {"w0": round(float(a), 2), "w1": round(float(b), 2), "J": v}
        for b in g1
        for a, v in zip(g0, sig(cost(g0, np.full_like(g0, b), x_data, y_data), 3))
    ]
    x = alt.X("w0:Q", title="w_0 (intercept)", scale=alt.Scale(domain=list(W0_RANGE), nice=False))
    y = alt.Y("w1:Q", title="w_1 (slope)", scale=alt.Scale(domain=list(W1_RANGE), nice=False))
    surface = (
        alt.Chart(alt.Data(values=surface_rows))
        .transform_calculate(w0_end=f"datum.w0 + {CELL}", w1_end=f"datum.w1 + {CELL}")
        .mark_rect(clip=True)
        .encode(
            x=x,
            x2="w0_end:Q",
            y=y,
            y2="w1_end:Q",
            color=alt.Color("J:Q", scale=alt.Scale(type="log", scheme="blues", reverse=True), legend=None),
        )
    )
    points = (
        alt.Chart(alt.NamedData("states"))
        .transform_filter("abs(datum.log10_eta - log10_eta) < 1e-6")
        .transform_flatten(["w0", "w1", "J"])
        .transform_window(step="row_number()")
        .transform_calculate(step="datum.step - 1")
        .transform_filter("datum.step <= steps")
    )
    path = points.mark_line(
        color=COLORS["red"], point={"size": 10, "color": COLORS["red"]}, clip=True
    ).encode(x="w0:Q", y="w1:Q", order="step:Q")
    best = alt.Chart(alt.Data(values=[{"w0": float(w_best[0]), "w1": float(w_best[1])}])).mark_point(
        shape="diamond", size=120, filled=True, color=COLORS["orange"]
    )
    left = alt.layer(surface, path.properties(name="path"), best.encode(x="w0:Q", y="w1:Q")).properties(
        width=300,
        height=300 * 8 / 9,
        title=alt.Title(alt.ExprRef("'gradient descent, η = ' + format(pow(10, log10_eta), '.3f')")),
    )
    curve = points.mark_line(color=COLORS["red"]).encode(
        x=alt.X("step:Q", title="step", scale=alt.Scale(domain=[0, MAX_STEPS])),
        y=alt.Y("J:Q", title="cost J (log scale)", scale=alt.Scale(type="log")),
    )
    lowest = (
        alt.Chart(alt.Data(values=[{"J": j_best}]))
        .mark_rule(color=COLORS["orange"], strokeDash=[5, 3])
        .encode(y="J:Q")
    )
    right = alt.layer(curve.properties(name="cost"), lowest).properties(
        width=300, height=300 * 8 / 9, title="cost along the path"
    )
    return (
        alt.hconcat(left, right)
        .add_params(eta, steps)
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(log10_eta: float, steps: int):
    def expected(spec: dict) -> list[dict]:
        row = next(r for r in dataset(spec, "states") if abs(r["log10_eta"] - log10_eta) < 1e-9)
        return [{"step": i, "J": row["J"][i]} for i in range(steps + 1)]

    return expected


SPEC = Explorable(
    name="ch05_descent",
    chapter=5,
    title="Move the learning rate η (on a log scale) and the number of steps; the path and its cost follow.",
    states=states,
    alt="Left: the path of gradient descent on the shaded cost surface of a line fit, from a random start towards "
    "the lowest cost (diamond). Right: the cost after each step on a log scale, with the lowest cost dashed.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"log10_eta": -0.52, "steps": 30}, mark="cost", expected=_expected(-0.52, 30)),
    BrowserCheck(controls={"log10_eta": -2.0, "steps": 100}, mark="cost", expected=_expected(-2.0, 100)),
    BrowserCheck(controls={"log10_eta": -0.35, "steps": 12}, mark="cost", expected=_expected(-0.35, 12)),
]
