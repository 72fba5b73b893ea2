"""Chapter 6's widget on the web page: the plain translator's confidence in each word it writes, sentence by sentence.

The widget (chapter 6, ``show_confidence``) takes the ``example``-th test sentence with
``phrases`` noun phrases, decodes it greedily and draws the probability of each chosen word,
green where it matches the reference at that position, red where it does not. The chapter
writes the decoding loop out (``decode_with_confidence``, a few lines over the package's
encoder and decoder); the states here run the same lines on the chapter's model, trained at
build time with its recipe (``_trained.translator``: same seed, data, size and steps).

Grid: exactly the widget's sliders: noun phrases 1-5 and example 0-20, all 105 states. Each
holds the chosen words, their probabilities to 3 decimals and whether each matches: about
25 KB of JSON.
"""

from __future__ import annotations

import altair as alt
import torch

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._trained import translator
from seqmodels.explorables._vega import COLORS, CONFIG, state
from seqmodels.phrases import BOS, EOS, encode_pairs, noun_phrase_count

PHRASES = list(range(1, 6))
EXAMPLES = list(range(21))


def decode_with_confidence(
    model, pair, src_vocab, tgt_vocab, max_len: int = 40
) -> tuple[list[str], list[float]]:
    """Greedy decoding that also records the probability of each chosen word (chapter 6's loop)."""
    bos, eos = tgt_vocab.token_to_idx[BOS], tgt_vocab.token_to_idx[EOS]
    batch = encode_pairs([pair], src_vocab, tgt_vocab)
    words, probs = [], []
    with torch.no_grad():
        memory = model.encoder(batch.src, batch.src_mask)
        y, dec_state = torch.tensor([[bos]]), None
        for _ in range(max_len):
            logits, dec_state, _ = model.decoder(y, memory, dec_state)
            p = torch.softmax(logits[0, -1], dim=-1)
            y = p.argmax().view(1, 1)
            words.append(tgt_vocab.idx_to_token[int(y)])
            probs.append(float(p[int(y)]))
            if int(y) == eos:
                break
    return words, probs


def compute_state(model, pair, src_vocab, tgt_vocab, phrases: int, example: int) -> dict:
    """One state: the written words, their probabilities, and which match the reference at their position."""
    words, probs = decode_with_confidence(model, pair, src_vocab, tgt_vocab)
    reference = pair.tgt + [EOS]
    return {
        "phrases": phrases,
        "example": example,
        "word": words,
        "p": [round(p, 3) for p in probs],
        "match": [t < len(reference) and w == reference[t] for t, w in enumerate(words)],
        "source": " ".join(pair.src),
        "reference": " ".join(pair.tgt),
    }


def states() -> alt.LayerChart:
    """The chart: one bar per written word, its height the word's probability, coloured by whether it matches."""
    model, split, src_vocab, tgt_vocab = translator(attention=False)
    rows = []
    for k in PHRASES:
        pairs = [p for p in split.test if noun_phrase_count(p) == k]
        rows += [compute_state(model, pairs[e], src_vocab, tgt_vocab, k, e) for e in EXAMPLES]
    phrases = alt.param(
        name="phrases", value=4, bind=alt.binding_range(min=1, max=5, step=1, name="noun phrases ")
    )
    example = alt.param(
        name="example", value=0, bind=alt.binding_range(min=0, max=20, step=1, name="example ")
    )
    chosen = alt.Chart(alt.NamedData("states")).transform_filter(
        "datum.phrases == phrases && datum.example == example"
    )
    bars = (
        chosen.transform_flatten(["word", "p", "match"])
        .transform_window(position="row_number()")
        .transform_calculate(label="datum.position + ' ' + datum.word")
        .mark_bar()
        .encode(
            x=alt.X(
                "label:N",
                sort=alt.SortField("position"),
                title=None,
                axis=alt.Axis(labelAngle=-60, labelExpr="slice(datum.value, indexof(datum.value, ' ') + 1)"),
            ),  # fmt: skip
            y=alt.Y("p:Q", title="probability of the chosen word", scale=alt.Scale(domain=[0, 1.05])),
            color=alt.Color(
                "match:N",
                scale=alt.Scale(domain=[True, False], range=[COLORS["green"], COLORS["red"]]),
                legend=alt.Legend(title="matches the reference", orient="top-right"),
            ),
            tooltip=["word:N", "p:Q", "match:N"],
        )
        .properties(name="bars")
    )
    caption = chosen.transform_calculate(
        line1="'source: ' + datum.source", line2="'reference: ' + datum.reference"
    )
    line1 = caption.mark_text(align="left", x=0, y=-34, fontSize=11).encode(text="line1:N")
    line2 = caption.mark_text(align="left", x=0, y=-18, fontSize=11).encode(text="line2:N")
    return (
        alt.layer(bars, line1, line2)
        .add_params(phrases, example)
        .properties(width=600, height=220, padding={"top": 45, "left": 5, "right": 5, "bottom": 5})
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(phrases: int, example: int):
    def expected(spec: dict) -> list[dict]:
        row = state(spec, phrases=phrases, example=example)
        return [{"word": w, "p": p, "match": m} for w, p, m in zip(row["word"], row["p"], row["match"])]

    return expected


SPEC = Explorable(
    name="ch06_confidence",
    chapter=6,
    title="Pick the number of noun phrases and a test sentence; each bar is the writer's confidence in the word "
    "it chose, green where it matches the reference.",
    states=states,
    alt="Bars of the probability the encoder-decoder gave each word it wrote for the chosen test sentence, green "
    "where the word matches the reference at that position and red where it does not, with the source and the "
    "reference written above.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"phrases": 4, "example": 0}, mark="bars", expected=_expected(4, 0)),
    BrowserCheck(controls={"phrases": 1, "example": 20}, mark="bars", expected=_expected(1, 20)),
    BrowserCheck(controls={"phrases": 5, "example": 7}, mark="bars", expected=_expected(5, 7)),
]
