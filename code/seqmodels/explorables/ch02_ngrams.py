"""Chapter 2's widget on the web page: word n-gram models' validation perplexity by order, estimate, k and D.

The widget (chapter 2, ``explore``) refits nothing: it takes the word counts
``FastNGramLM(5, "mle", min_freq=2).fit(train_words)`` of the six tragedies, and for each
order 1-5 ``lower_order(m).with_smoothing(smoothing, k=k, discount=D).perplexity(valid_words)``,
with a sample of 20 tokens (``generate(20, seed=0)``) of the chosen order. The states here are
those package calls on the same split (``shakespeare_split()``, one word sequence per line).

Grid: exactly the widget's controls: the order n 1-5 and the estimate (mle, add-k, kneser-ney)
as they are, log10 k from -3 to 1 in steps of 0.5 (9 values) and D from 0.05 to 0.95 in steps
of 0.05 (19 values), so every slider moves as in the notebook. 1 + 9 + 19 = 29 estimates, each
with 5 perplexities and 5 samples: about 30 KB of JSON.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from seqmodels.data import shakespeare_split, tokenize_words
from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._vega import COLORS, CONFIG, HEIGHT, WIDTH, dataset
from seqmodels.ngram_fast import FastNGramLM

ORDERS = list(range(1, 6))
LOG10_KS = [round(-3.0 + 0.5 * i, 1) for i in range(9)]
DISCOUNTS = [round(0.05 * i, 2) for i in range(1, 20)]
CHOSEN = (
    "datum.smoothing == smoothing && (smoothing == 'mle'"
    " || (smoothing == 'add-k' && abs(datum.log10_k - log10_k) < 1e-6)"
    " || (smoothing == 'kneser-ney' && abs(datum.discount - discount) < 1e-6))"
)


def lines_of_words(text: str) -> list[list[str]]:
    """One sequence of word tokens per non-empty line, as chapter 2 splits its text."""
    return [words for words in map(tokenize_words, text.splitlines()) if words]


def word_counts() -> tuple[FastNGramLM, list[list[str]]]:
    """The chapter's 5-gram word counts (words seen once are <unk>) and its validation lines."""
    split = shakespeare_split()
    model = FastNGramLM(5, "mle", min_freq=2).fit(lines_of_words(split.train))
    return model, lines_of_words(split.valid)


def compute_state(
    counts: FastNGramLM, valid: list[list[str]], smoothing: str, log10_k: float | None, discount: float | None
) -> dict:
    """One estimate: its validation perplexity at every order, and a 20-token sample of each."""
    k = 10.0 ** (log10_k if log10_k is not None else -2.0)
    models = [
        counts.lower_order(m).with_smoothing(
            smoothing, k=k, discount=discount if discount is not None else 0.9
        )
        for m in ORDERS
    ]
    ppl = [model.perplexity(valid) for model in models]
    return {
        "smoothing": smoothing,
        "log10_k": log10_k,
        "discount": discount,
        "ppl": [round(float(p), 2) if np.isfinite(p) else None for p in ppl],
        "model": [repr(model) for model in models],
        "sample": [" ".join(model.generate(20, seed=0)).replace(" </s>", " /") for model in models],
    }


def states() -> alt.LayerChart:
    """The chart: perplexity against the order for the chosen estimate, the chosen order circled, its sample below."""
    counts, valid = word_counts()
    configs = [("mle", None, None)] + [("add-k", k, None) for k in LOG10_KS]
    configs += [("kneser-ney", None, d) for d in DISCOUNTS]
    rows = [compute_state(counts, valid, *config) for config in configs]
    n = alt.param(name="n", value=3, bind=alt.binding_range(min=1, max=5, step=1, name="n "))
    smoothing = alt.param(
        name="smoothing",
        value="kneser-ney",
        bind=alt.binding_radio(options=["mle", "add-k", "kneser-ney"], name="smoothing "),
    )
    log10_k = alt.param(
        name="log10_k", value=-2.0, bind=alt.binding_range(min=-3, max=1, step=0.5, name="log10 k ")
    )
    discount = alt.param(
        name="discount", value=0.9, bind=alt.binding_range(min=0.05, max=0.95, step=0.05, name="discount D ")
    )
    chosen = (
        alt.Chart(alt.NamedData("states"))
        .transform_filter(CHOSEN)
        .transform_flatten(["ppl", "model", "sample"])
        .transform_window(order="row_number()")
    )
    x = alt.X("order:Q", title="order n", scale=alt.Scale(domain=[0.8, 5.2]), axis=alt.Axis(values=ORDERS))
    y = alt.Y("ppl:Q", title="validation perplexity", scale=alt.Scale(type="log"))
    curve = chosen.transform_filter("datum.ppl != null").encode(x=x, y=y)
    line = curve.mark_line(color=COLORS["blue"])
    dots = curve.mark_circle(color=COLORS["blue"], size=40, opacity=1)
    circle = (
        curve.transform_filter("datum.order == n")
        .mark_point(size=400, color=COLORS["red"], strokeWidth=2)
        .properties(name="circle")
    )
    texts = chosen.transform_filter("datum.order == n").transform_calculate(
        line1="datum.model + ': validation perplexity ' + (datum.ppl == null ? 'infinite' : format(datum.ppl, '.1f'))",
        line2="'sample: ' + datum.sample",
    )
    line1 = texts.mark_text(align="left", x=0, y=HEIGHT + 45, fontSize=11).encode(text="line1:N")
    line2 = (
        texts.mark_text(align="left", x=0, y=HEIGHT + 62, fontSize=11, limit=WIDTH + 80)
        .encode(text="line2:N")
        .properties(name="sample")
    )
    return (
        alt.layer(line.properties(name="ppl"), dots, circle, line1, line2)
        .add_params(n, smoothing, log10_k, discount)
        .properties(width=WIDTH, height=HEIGHT, padding={"bottom": 70, "left": 5, "right": 5, "top": 5})
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _row(spec: dict, smoothing: str, log10_k: float, discount: float) -> dict:
    for row in dataset(spec, "states"):
        if row["smoothing"] != smoothing:
            continue
        if smoothing == "mle" or (smoothing == "add-k" and abs(row["log10_k"] - log10_k) < 1e-9):
            return row
        if smoothing == "kneser-ney" and abs(row["discount"] - discount) < 1e-9:
            return row
    raise KeyError((smoothing, log10_k, discount))


def _expected(n: int, smoothing: str, log10_k: float, discount: float):
    def expected(spec: dict) -> list[dict]:
        row = _row(spec, smoothing, log10_k, discount)
        return [{"sample": "sample: " + row["sample"][n - 1], "ppl": row["ppl"][n - 1]}]

    return expected


def _expected_curve(smoothing: str, log10_k: float, discount: float):
    def expected(spec: dict) -> list[dict]:
        row = _row(spec, smoothing, log10_k, discount)
        return [{"order": m, "ppl": p} for m, p in zip(ORDERS, row["ppl"]) if p is not None]

    return expected


_DEFAULT = {"n": 3, "smoothing": "kneser-ney", "log10_k": -2.0, "discount": 0.9}

SPEC = Explorable(
    name="ch02_ngrams",
    chapter=2,
    title="Pick the order n, the estimate, add-k's k and Kneser–Ney's discount D; "
    "the curve is validation perplexity by order, and a sample of order n follows.",
    states=states,
    alt="Validation perplexity of word n-gram models of order 1 to 5 on the six tragedies for the chosen estimate, "
    "with the chosen order circled, its perplexity and a 20-word sample written below.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls=_DEFAULT, mark="ppl", expected=_expected_curve("kneser-ney", -2.0, 0.9)),
    BrowserCheck(
        controls={**_DEFAULT, "smoothing": "add-k", "log10_k": 0.0},
        mark="ppl",
        expected=_expected_curve("add-k", 0.0, 0.9),
    ),
    BrowserCheck(
        controls={**_DEFAULT, "smoothing": "mle"}, mark="ppl", expected=_expected_curve("mle", -2.0, 0.9)
    ),
    BrowserCheck(
        controls={**_DEFAULT, "n": 5, "discount": 0.35},
        mark="sample",
        expected=_expected(5, "kneser-ney", -2.0, 0.35),
    ),
]
