"""Chapter 4's widget on the web page: the character RNN's next-character distribution and a sample, by temperature.

The widget (chapter 4, ``show_temperature``) draws ``next_char_probs(char_rnn, char_vocab,
"ROMEO:\\nWhat ", temperature)`` as bars of the ``top`` likeliest characters and prints
``sample(char_rnn, char_vocab, prompt, length=150, temperature=temperature, seed=0)``. The
states here are those package calls on the chapter's model, trained with the chapter's recipe
at build time (``_trained.char_rnn``: same seed, data, size and steps).

Grid: exactly the widget's sliders: the temperature from 0.1 to 2.5 in steps of 0.1 (25
states) and ``top`` from 5 to 30 in steps of 5, which only cuts the 30 stored bars. Each
state holds 30 characters, their probabilities to 4 decimals and a 150-character sample:
about 10 KB of JSON.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._trained import char_rnn
from seqmodels.explorables._vega import COLORS, CONFIG, HEIGHT, WIDTH, state
from seqmodels.lm import next_char_probs, sample

PROMPT = "ROMEO:\nWhat "
TEMPERATURES = [round(0.1 * i, 1) for i in range(1, 26)]
TOP = 30


def compute_state(model, vocab, temperature: float) -> dict:
    """One state: the 30 likeliest next characters at ``temperature``, and a sample of 150 characters."""
    probs = next_char_probs(model, vocab, PROMPT, temperature)
    order = np.argsort(-probs, kind="stable")[:TOP]
    return {
        "temperature": temperature,
        "char": [repr(c)[1:-1] for c in vocab.decode(order.tolist())],
        "p": [round(float(p), 4) for p in probs[order]],
        "sample": sample(model, vocab, PROMPT, length=150, temperature=temperature, seed=0),
    }


def states() -> alt.VConcatChart:
    """The chart: the bars for the chosen temperature and top, and the sampled text under them."""
    model, vocab = char_rnn()
    rows = [compute_state(model, vocab, t) for t in TEMPERATURES]
    temperature = alt.param(
        name="temperature", value=1.0, bind=alt.binding_range(min=0.1, max=2.5, step=0.1, name="temperature ")
    )
    top = alt.param(name="top", value=15, bind=alt.binding_range(min=5, max=30, step=5, name="top "))
    chosen = alt.Chart(alt.NamedData("states")).transform_filter(
        "abs(datum.temperature - temperature) < 1e-6"
    )
    bars = (
        chosen.transform_flatten(["char", "p"])
        .transform_window(rank="row_number()")
        .transform_filter("datum.rank <= top")
        .mark_bar(color=COLORS["blue"])
        .encode(
            x=alt.X(
                "char:N",
                sort=alt.SortField("rank"),
                title="next character after 'ROMEO:\\nWhat '",
                axis=alt.Axis(labelAngle=0),
            ),  # fmt: skip
            y=alt.Y("p:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            tooltip=["char:N", "p:Q"],
        )
        .properties(name="bars", width=WIDTH, height=HEIGHT - 60)
    )
    lines = (
        chosen.transform_calculate(line="split(datum.sample, '\\n')")
        .transform_flatten(["line"])
        .transform_window(row="row_number()")
        .mark_text(align="left", baseline="top", font="monospace", fontSize=11)
        .encode(y=alt.Y("row:O", axis=None), text="line:N")
        .properties(name="sample", width=WIDTH, height=130, title="a sample at this temperature (seed 0)")
    )
    return (
        alt.vconcat(bars, lines)
        .add_params(temperature, top)
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(temperature: float, top: int):
    def expected(spec: dict) -> list[dict]:
        row = state(spec, temperature=temperature)
        return [{"char": c, "p": p} for c, p in zip(row["char"][:top], row["p"][:top])]

    return expected


def _expected_sample(temperature: float):
    def expected(spec: dict) -> list[dict]:
        return [{"line": line} for line in state(spec, temperature=temperature)["sample"].split("\n")]

    return expected


SPEC = Explorable(
    name="ch04_temperature",
    chapter=4,
    title="Move the temperature and the number of bars; the bars are the next character's probabilities, "
    "and a text sampled at that temperature follows.",
    states=states,
    alt="Bars of the character RNN's likeliest next characters after the prompt ROMEO, What, at the chosen "
    "temperature, and a 150-character text sampled from the model at that temperature.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"temperature": 1.0, "top": 15}, mark="bars", expected=_expected(1.0, 15)),
    BrowserCheck(controls={"temperature": 0.3, "top": 30}, mark="bars", expected=_expected(0.3, 30)),
    BrowserCheck(controls={"temperature": 2.5, "top": 5}, mark="bars", expected=_expected(2.5, 5)),
    BrowserCheck(controls={"temperature": 0.7, "top": 5}, mark="sample", expected=_expected_sample(0.7)),
]
