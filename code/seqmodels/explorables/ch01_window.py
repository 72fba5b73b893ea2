"""Chapter 1's widget on the web page: a linear autoregressive model's k-step-ahead predictions, against τ and k.

The widget (chapter 1, ``plot_window``) fits ``fit_autoregressive(series[:600], tau)`` and draws
``predict_k_steps(series, w, k)`` over the test steps with its test MSE; the states here are
those same two package calls on the chapter's series (``make_time_series(1000, noise=0.2, seed=0)``).

Grid: the window τ takes every integer 1-32, as the widget's slider does, so the slider moves
exactly as in the notebook. The horizon k takes the powers of two 1-128 (a radio button, not a
slider): the widget's 128 integer values would make the page 16 times heavier, and the
prediction changes smoothly with k, so doubling steps show the whole range (the default k = 16
is one of them). 32 x 8 = 256 states of 400 predicted values, rounded to 2 decimals (half a pixel
at the drawn scale; the data's noise is 0.2): about 0.55 MB of JSON.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from seqmodels.data import make_time_series
from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._vega import COLORS, CONFIG, HEIGHT, WIDTH, rounded, state
from seqmodels.sequences import fit_autoregressive, predict_k_steps

N_STEPS, NOISE, SEED, N_TRAIN = 1000, 0.2, 0, 600  # the chapter's series and split
TAUS = list(range(1, 33))
KS = [1, 2, 4, 8, 16, 32, 64, 128]
DIGITS = 2


def compute_state(series: np.ndarray, weights: np.ndarray, k: int) -> dict:
    """One state: the test predictions and test MSE at horizon ``k`` of the model with these ``weights``."""
    tau = len(weights) - 1
    pred = predict_k_steps(series, weights, k)
    mse = float(np.mean((pred[N_TRAIN:] - series[N_TRAIN:]) ** 2))
    return {"tau": tau, "k": k, "y": rounded(pred[N_TRAIN:], DIGITS), "mse": round(mse, 4)}


def states() -> alt.LayerChart:
    """The chart: the series, and the predictions of the chosen (τ, k) over the test steps."""
    series = make_time_series(num_steps=N_STEPS, noise=NOISE, seed=SEED)
    fits = {tau: fit_autoregressive(series[:N_TRAIN], tau) for tau in TAUS}
    rows = [compute_state(series, fits[tau], k) for tau in TAUS for k in KS]
    tau = alt.param(name="tau", value=4, bind=alt.binding_range(min=1, max=32, step=1, name="window τ "))
    k = alt.param(name="k", value=16, bind=alt.binding_radio(options=KS, name="horizon k "))
    x = alt.X("t:Q", title="time step t", scale=alt.Scale(domain=[450, N_STEPS]))
    y = alt.Y("value:Q", title="x_t", scale=alt.Scale(domain=[-2.5, 2.5]))
    data = alt.Chart(
        alt.Data(
            name="series", values=[{"t": t + 1, "value": v} for t, v in enumerate(rounded(series, DIGITS))]
        ),
        name="data",
    ).mark_line(color=COLORS["grey"], strokeWidth=0.8, clip=True)
    chosen = alt.Chart(alt.NamedData("states")).transform_filter("datum.tau == tau && datum.k == k")
    prediction = (
        chosen.transform_flatten(["y"], as_=["value"])
        .transform_window(i="row_number()")
        .transform_calculate(t=f"{N_TRAIN} + datum.i")
        .mark_line(color=COLORS["orange"], strokeWidth=1.2)
        .properties(name="prediction")
    )
    split = (
        alt.Chart(alt.Data(values=[{"t": N_TRAIN}]))
        .mark_rule(color="black", strokeDash=[2, 2])
        .encode(x="t:Q")
    )
    mse = (
        chosen.transform_calculate(
            label="'τ = ' + datum.tau + ', k = ' + datum.k + ': test MSE ' + format(datum.mse, '.3f')"
        )
        .mark_text(align="left", x=8, y=10, fontSize=12)
        .encode(text="label:N")
        .properties(name="mse")
    )
    return (
        alt.layer(data.encode(x=x, y=y), prediction.encode(x=x, y=y), split, mse)
        .add_params(tau, k)
        .properties(width=WIDTH, height=HEIGHT)
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(tau: int, k: int):
    def expected(spec: dict) -> list[dict]:
        values = state(spec, tau=tau, k=k)["y"]
        return [{"t": N_TRAIN + i, "value": v} for i, v in enumerate(values, start=1)]

    return expected


SPEC = Explorable(
    name="ch01_window",
    chapter=1,
    title="Move the window τ and the horizon k; the orange line is the model's k-step-ahead prediction.",
    states=states,
    alt="The series (grey) and a linear autoregressive model's k-step-ahead predictions over the test steps "
    "(orange) for the chosen window tau and horizon k, with the test mean squared error.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"tau": 4, "k": 16}, mark="prediction", expected=_expected(4, 16)),
    BrowserCheck(controls={"tau": 20, "k": 128}, mark="prediction", expected=_expected(20, 128)),
    BrowserCheck(controls={"tau": 1, "k": 1}, mark="prediction", expected=_expected(1, 1)),
]
