"""Chapter 9's widget on the web page: the attention weights of the translator with attention, for a chosen sentence.

The widget (chapter 9, ``show_attention``) translates the chosen sentence greedily with
``translate(attn, [words], src_vocab, tgt_vocab)`` and draws the attention weights of every
output step as a heat map, the translation in the title. The states here are that package
call on the chapter's model, trained at build time with its recipe (``_trained.translator``:
same seed, data, size and steps), over the chapter's eleven sentences (every 23rd unseen test
sentence with 2-4 noun phrases, up to eight, and three written ones).

Grid: the widget's drop-down as it is: all eleven sentences. Each holds its source and output
words and the weights (rows: output words and <eos>; columns: source words) to 3 decimals:
about 20 KB of JSON.
"""

from __future__ import annotations

import altair as alt

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._trained import translator
from seqmodels.explorables._vega import CONFIG, rounded, state
from seqmodels.phrases import EOS, noun_phrase_count
from seqmodels.seq2seq import translate

WRITTEN = ["the black cat", "i love you", "she sees the red houses and a small dog"]


def choices(test_pairs) -> list[str]:
    """The chapter's eleven sentences: every 23rd test sentence with 2-4 noun phrases (up to 8), then three written ones."""
    picked = [" ".join(p.src) for p in test_pairs if noun_phrase_count(p) in (2, 3, 4)][::23][:8]
    return picked + WRITTEN


def compute_state(model, sentence: str, src_vocab, tgt_vocab) -> dict:
    """One state: the translation of ``sentence`` and its attention weights, row by row."""
    words = sentence.split()
    (output,), (weights,) = translate(model, [words], src_vocab, tgt_vocab)
    return {"sentence": sentence, "src": words, "tgt": output + [EOS], "w": rounded(weights.numpy(), 3)}


def states() -> alt.LayerChart:
    """The chart: the weights as a heat map, source words across, output words down."""
    model, split, src_vocab, tgt_vocab = translator(attention=True)
    sentences = choices(split.test)
    rows = [compute_state(model, s, src_vocab, tgt_vocab) for s in sentences]
    sentence = alt.param(
        name="sentence", value=sentences[0], bind=alt.binding_select(options=sentences, name="sentence ")
    )
    chosen = alt.Chart(alt.NamedData("states")).transform_filter("datum.sentence == sentence")
    cells = (
        chosen.transform_calculate(n="length(datum.src)")
        .transform_flatten(["w"])
        .transform_window(index="row_number()")
        .transform_calculate(row="floor((datum.index - 1) / datum.n)", col="(datum.index - 1) % datum.n")
        .transform_calculate(
            source="(datum.col < 9 ? '0' : '') + (datum.col + 1) + ' ' + datum.src[datum.col]",
            target="(datum.row < 9 ? '0' : '') + (datum.row + 1) + ' ' + datum.tgt[datum.row]",
        )
    )
    strip = "slice(datum.value, 3)"
    heat = cells.mark_rect().encode(
        x=alt.X(
            "source:O", title="source word", axis=alt.Axis(labelAngle=-60, labelExpr=strip, orient="top")
        ),
        y=alt.Y("target:O", title="target word (output)", axis=alt.Axis(labelExpr=strip)),
        color=alt.Color("w:Q", title="weight", scale=alt.Scale(scheme="blues", domain=[0, 1])),
        tooltip=["source:N", "target:N", "w:Q"],
    )
    title = (
        chosen.transform_calculate(label="'→ ' + join(slice(datum.tgt, 0, length(datum.tgt) - 1), ' ')")
        .mark_text(align="left", x=0, y=-90, fontSize=11)
        .encode(text="label:N")
    )
    return (
        alt.layer(heat.properties(name="heat"), title)
        .add_params(sentence)
        .properties(
            width=alt.Step(24), height=alt.Step(18), padding={"top": 20, "left": 5, "right": 5, "bottom": 5}
        )
        .configure(**CONFIG)
        .properties(datasets={"states": rows})
    )


def _expected(sentence: str):
    def expected(spec: dict) -> list[dict]:
        return [{"w": w} for w in state(spec, sentence=sentence)["w"]]

    return expected


SPEC = Explorable(
    name="ch09_attention",
    chapter=9,
    title="Pick a sentence; the heat map shows which source words the decoder reads for each word it writes.",
    states=states,
    alt="A heat map of the attention weights of the translator with attention for the chosen sentence: source "
    "words across, the words it writes down, darker where the decoder reads that source word.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"sentence": s}, mark="heat", expected=_expected(s))
    for s in [WRITTEN[2], WRITTEN[0], WRITTEN[1]]
]
