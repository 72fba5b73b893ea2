"""Chapter 7: pick an output position t and see how much it depends on each earlier character.

After Madsen's "Visualizing memorization in RNNs" (Distill, 2019). The states are
:func:`seqmodels.gradients.output_saliency`, :math:`\\|\\partial \\hat y_t / \\partial x_{t-k}\\|`,
of three small character models (a plain RNN, an LSTM and a GRU with 64 units, embedding 16,
150 steps of Adam on Shakespeare with chapter 8's settings, trained once per build and kept
in the cache of ``_trained.py``: some seconds each), on 60 characters of the validation text. Each row is divided by
its largest entry and shown on a log scale, rounded to two decimals of its logarithm.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from seqmodels.explorables import BrowserCheck, Explorable

CELLS = ("rnn", "lstm", "gru")
NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
TEXT_START, TEXT_CHARS = 1000, 60
FLOOR = -4.0  # log10 of the smallest share shown; smaller ones are drawn at this level
DECIMALS = 2


def log_share(S: np.ndarray) -> np.ndarray:
    """``log10(S[t, j] / max_j S[t, j])`` for ``j <= t``, clipped below at ``FLOOR``; NaN above the diagonal."""
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"S must be a square (T, T) array from output_saliency, got shape {S.shape}")
    out = np.full(S.shape, np.nan)
    for t in range(S.shape[0]):
        row = S[t, : t + 1]
        top = row.max()
        out[t, : t + 1] = np.maximum(np.log10(np.maximum(row, 1e-300) / top), FLOOR) if top > 0 else FLOOR
    return out


def records(saliency: Mapping[str, np.ndarray]) -> list[dict]:
    """One row per (model, output position t, input position j <= t): ``v``, the rounded log share."""
    rows = []
    for name, S in saliency.items():
        L = log_share(S)
        for t in range(L.shape[0]):
            rows += [{"m": name, "t": t, "j": j, "v": round(float(L[t, j]), DECIMALS)} for j in range(t + 1)]
    return rows


def chart(text: str, saliency: Mapping[str, np.ndarray]):
    """A slider for t and, per model, the text with each character shaded by how much output t depends on it."""
    import altair as alt

    if not saliency or any(np.shape(S) != (len(text), len(text)) for S in saliency.values()):
        raise ValueError(
            f"saliency must map model names to ({len(text)}, {len(text)}) arrays, one row per character"
        )
    T = len(text)
    t = alt.param(
        name="t", value=T - 1, bind=alt.binding_range(min=0, max=T - 1, step=1, name="output position t ")
    )
    glyphs_data = [
        {"m": m, "j": j, "ch": "↵" if c == "\n" else c} for m in saliency for j, c in enumerate(text)
    ]
    order = list(saliency)
    x = alt.X("j:O", axis=None)
    y = alt.Y("m:N", sort=order, title=None)
    cells = (
        alt.Chart(alt.Data(values=records(saliency)))
        .transform_filter(alt.datum.t == t)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "v:Q", scale=alt.Scale(scheme="greens", domain=[FLOOR, 0]), title="log10 share of the largest"
            ),
            tooltip=["m:N", "j:O", alt.Tooltip("v:Q", format=".2f")],
        )
        .properties(name="saliency")
    )
    glyphs = (
        alt.Chart(alt.Data(values=glyphs_data))
        .mark_text(font="monospace", fontSize=12)
        .encode(
            x=x,
            y=y,
            text="ch:N",
            color=alt.condition(alt.datum.j == t, alt.value("#d62728"), alt.value("black")),
        )
    )
    return (
        alt.layer(cells, glyphs)
        .add_params(t)
        .properties(
            width=alt.Step(11),
            height=alt.Step(26),
            title="How much the prediction after character t (red) depends on each earlier character",
        )
        .configure_view(stroke=None)
    )


def models_and_text():
    """The three trained character models (by display name), the vocabulary's encoding of the text, and the text."""
    from seqmodels import seed_everything
    from seqmodels.data import Vocab, shakespeare_split
    from seqmodels.lm import CharLM, train_lm

    split = shakespeare_split()
    vocab = Vocab(split.train)
    train_ids, valid_ids = np.array(vocab.encode(split.train)), np.array(vocab.encode(split.valid[:5000]))
    from seqmodels.explorables._trained import _cached

    def make(cell):
        seed_everything(0)
        return CharLM(len(vocab), hidden_size=64, cell=cell, embed_size=16)

    def build(cell):
        model = make(cell)
        train_lm(model, train_ids, valid_ids, batch_size=32, num_steps=64, max_steps=150, lr=0.01, clip=1.0,
                 eval_every=None, progress=False)  # fmt: skip
        return model

    models = {NAMES[c]: _cached(f"saliency_{c}", lambda c=c: build(c), lambda c=c: make(c)) for c in CELLS}
    text = split.valid[TEXT_START : TEXT_START + TEXT_CHARS]
    return models, vocab.encode(text), text


def states():
    """The precomputed states: every model's saliency matrix over the text."""
    from seqmodels.gradients import output_saliency

    models, ids, text = models_and_text()
    return chart(text, {name: output_saliency(model, ids) for name, model in models.items()})


def expected_at(spec: dict, t: int) -> list[dict]:
    """What the browser should draw at slider value ``t``: every model's row, in data order."""
    from seqmodels.explorables._units import data_values

    return [{"m": r["m"], "j": r["j"], "v": r["v"]} for r in data_values(spec, "v") if r["t"] == t]


SPEC = Explorable(
    name="ch07_saliency",
    chapter=7,
    title="How far back an output looks: RNN, LSTM and GRU",
    states=states,
    alt="Sixty characters of Shakespeare in three rows, one per network; a slider picks an output position and "
    "each earlier character is shaded by how strongly that output depends on it.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"t": t}, mark="saliency", expected=lambda spec, t=t: expected_at(spec, t))
    for t in (10, 59)
]
