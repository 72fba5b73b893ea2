"""Chapter 9: hover a word of a translation and see where attention looked to write it.

The states are :func:`seqmodels.seq2seq.attention_examples` of chapter 9's attention model
(its recipe, trained once per build by ``_trained.translator``): three long test sentences
it translates exactly and three it gets wrong, one of each kind of error, every weight
rounded to three decimals. A select picks the sentence; hovering (or tapping) a cell of the map picks the target word,
and the bars below show that word's weights over the source words.
"""

from __future__ import annotations

from collections.abc import Sequence

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.seq2seq import AttentionExample

DECIMALS = 3


def records(examples: Sequence[AttentionExample]) -> list[dict]:
    """One row per (sentence, written word, source word): the chart's data, weights rounded."""
    rows = []
    for s, ex in enumerate(examples):
        for i, target in enumerate([*ex.output, "<eos>"]):
            for j, source in enumerate(ex.source):
                rows.append(
                    {
                        "s": s,
                        "i": i,
                        "target": target,
                        "j": j,
                        "source": source,
                        "w": round(float(ex.weights[i, j]), DECIMALS),
                    }
                )
    return rows


def label(example: AttentionExample) -> str:
    """The select's text for a sentence: right or wrong, the source and what the model wrote."""
    mark = "right" if example.correct else f"wrong, {example.error}"
    return f"{mark}: {' '.join(example.source)} → {' '.join(example.output)}"


def chart(examples: Sequence[AttentionExample]):
    """The explorable as an Altair chart: a weight map with a hover selection, and its row as bars."""
    import altair as alt

    if not examples:
        raise ValueError("examples must hold at least one AttentionExample, got none")
    sentence = alt.param(
        name="sentence",
        value=0,
        bind=alt.binding_select(
            options=list(range(len(examples))), labels=[label(e) for e in examples], name="sentence "
        ),
    )
    word = alt.selection_point(name="word", fields=["i"], on="pointerover", clear=False, value=[{"i": 0}])
    # Words repeat within a sentence, so each label gets i (or j) invisible spaces to stay its own row.
    base = (
        alt.Chart(alt.Data(values=records(examples)))
        .transform_filter(alt.datum.s == sentence)
        .transform_calculate(
            row="datum.target + pad('', datum.i, '\u200b')",
            column="datum.source + pad('', datum.j, '\u200b')",
        )
    )
    column = alt.X(
        "column:N",
        sort=alt.EncodingSortField("j", op="min"),
        title="source word",
        axis=alt.Axis(labelAngle=-45),
    )
    heat = (
        base.mark_rect()
        .encode(
            x=column,
            y=alt.Y("row:N", sort=alt.EncodingSortField("i", op="min"), title="target word (output)"),
            color=alt.Color("w:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), title="weight"),
            stroke=alt.condition(word, alt.value("#d62728"), alt.value("white")),
            strokeWidth=alt.condition(word, alt.value(2), alt.value(0.5)),
            tooltip=["target:N", "source:N", alt.Tooltip("w:Q", format=".3f")],
        )
        .add_params(word)
        .properties(name="map", width=alt.Step(40), height=alt.Step(20))
    )
    bars = (
        base.transform_filter(word)
        .mark_bar()
        .encode(
            x=column,
            y=alt.Y("w:Q", scale=alt.Scale(domain=[0, 1]), title="weight"),
            tooltip=["target:N", "source:N", alt.Tooltip("w:Q", format=".3f")],
        )
        .properties(
            name="weights",
            width=alt.Step(40),
            height=110,
            title="the hovered word's weights over the source words",
        )
    )
    return (
        alt.vconcat(heat, bars, spacing=8)
        .add_params(sentence)
        .properties(
            title="Hover (or tap) a row: where the decoder looked to write that word",
            autosize=alt.AutoSizeParams(type="pad", resize=True),  # sentences differ in length
        )
    )


def examples() -> list[AttentionExample]:
    """Chapter 9's attention model on three long test sentences it gets right and three it gets wrong."""
    from seqmodels.explorables._trained import translator
    from seqmodels.phrases import noun_phrase_count
    from seqmodels.seq2seq import attention_examples

    # Trained once per build, shared with chapter 9's other explorable (ch09_attention).
    model, split, src_vocab, tgt_vocab = translator(attention=True)
    long_ones = [p for p in split.test if noun_phrase_count(p) >= 3]
    return attention_examples(model, long_ones, src_vocab, tgt_vocab, right=3, wrong=3)


def states():
    """The precomputed states: the chart over :func:`examples`."""
    return chart(examples())


def _weights_row(spec: dict, s: int, i: int) -> list[dict]:
    from seqmodels.explorables._units import data_values

    rows = data_values(spec, "w")
    return [{"j": r["j"], "w": r["w"]} for r in rows if r["s"] == s and r["i"] == i]


SPEC = Explorable(
    name="ch09_attention_hover",
    chapter=9,
    title="Where attention looks, word by word",
    states=states,
    alt="A heat map of attention weights, target words down and source words across, for a chosen sentence; "
    "hovering a row shows its weights as bars over the source words.",
)

BROWSER_CHECKS = [
    BrowserCheck(
        controls={"sentence": s}, mark="weights", expected=lambda spec, s=s: _weights_row(spec, s, 0)
    )
    for s in (0, 4)
]
