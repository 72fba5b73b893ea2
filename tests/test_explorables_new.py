"""The three new explorables of issue 23 (chapters 4, 7, 8 and 9): their specs hold what the package computes.

Each test builds the explorable's chart from a small untrained model (the build trains the
chapters' models; here seconds matter) and checks the spec's data against the package
function, the controls the page binds, and the browser checks' expected items.
"""

from __future__ import annotations

import json
import os
import pathlib

import numpy as np
import pytest
import torch

from seqmodels.data import Vocab
from seqmodels.explorables import (
    MAX_SPEC_BYTES,
    ch04_units,
    ch07_saliency,
    ch08_units,
    ch09_attention_hover,
    discover,
)
from seqmodels.explorables._units import data_values, records
from seqmodels.gradients import output_saliency
from seqmodels.lm import CharLM, UnitScore, pick_units, rank_units, text_properties, unit_activations
from seqmodels.phrases import Pair, build_vocabs
from seqmodels.rnn import ScratchRNN
from seqmodels.seq2seq import attention_examples, make_translator

CACHE = pathlib.Path(__file__).resolve().parent.parent / "_build" / "explorables"
os.environ.setdefault("SEQMODELS_EXPLORABLES_CACHE", str(CACHE))  # the build's trained models (_trained.py)
TEXT = "KING CLAUDIUS\nLet's follow, Gertrude:\nHow much I had to do!\n"


def _params(spec: dict) -> dict:
    return {p["name"]: p for p in spec.get("params", [])}


@pytest.fixture(scope="module")
def char_model():
    torch.manual_seed(0)
    vocab = Vocab(TEXT, unk=None)
    return CharLM(len(vocab), cell=ScratchRNN(8, 16, batch_first=True)), vocab


def test_the_three_new_explorables_are_discovered_in_their_chapters():
    found = discover()
    assert {
        n: found[n].chapter for n in ("ch04_units", "ch07_saliency", "ch08_units", "ch09_attention_hover")
    } == {"ch04_units": 4, "ch07_saliency": 7, "ch08_units": 8, "ch09_attention_hover": 9}


def test_units_spec_holds_the_package_activations_of_the_ranked_units(char_model):
    model, vocab = char_model
    A = unit_activations(model, vocab.encode(TEXT))
    ranking = rank_units(A, text_properties(TEXT))
    spec = ch04_units.chart(TEXT, A, ranking, "t").to_dict()
    assert len(json.dumps(spec)) < MAX_SPEC_BYTES
    chosen = pick_units(ranking)
    assert [o for o in _params(spec)["unit"]["bind"]["options"]] == list(range(len(chosen)))
    rows = data_values(spec, "u0")
    assert [r["ch"] for r in rows] == [("↵" if c == "\n" else c) for c in TEXT]
    for k, score in enumerate(
        chosen
    ):  # the state for picker position k is unit score.unit of the package's array
        np.testing.assert_allclose([r[f"u{k}"] for r in rows], A[:, score.unit], atol=0.005 + 1e-9)
    for check in ch04_units.BROWSER_CHECKS:
        slot = check.controls["unit"]
        assert check.expected_items(spec) == [{"value": r[f"u{slot}"]} for r in rows]


def test_units_records_reject_activations_of_another_length():
    with pytest.raises(ValueError, match="one row per character"):
        records("abc", np.zeros((2, 4)), [UnitScore(0, "inside a word", 0.1)])


def test_lstm_units_chart_reads_the_cell_state():
    torch.manual_seed(0)
    vocab = Vocab(TEXT, unk=None)
    model = CharLM(len(vocab), hidden_size=8, cell="lstm", embed_size=4)
    C = unit_activations(model, vocab.encode(TEXT), state="c")
    spec = ch08_units.chart(TEXT, C, rank_units(C, text_properties(TEXT)), "t", state="c").to_dict()
    best = pick_units(rank_units(C, text_properties(TEXT)))[0].unit
    np.testing.assert_allclose([r["u0"] for r in data_values(spec, "u0")], C[:, best], atol=0.005 + 1e-9)


def test_saliency_spec_holds_the_package_saliency_for_every_t(char_model):
    model, vocab = char_model
    text = TEXT[:20]
    S = output_saliency(model, vocab.encode(text))
    spec = ch07_saliency.chart(text, {"RNN": S}).to_dict()
    t = _params(spec)["t"]
    assert (t["bind"]["min"], t["bind"]["max"], t["bind"]["step"]) == (0, 19, 1)
    for check in ch07_saliency.BROWSER_CHECKS[:1]:
        at = check.controls["t"]
        drawn = check.expected_items(spec)
        assert [d["j"] for d in drawn] == list(range(at + 1))
        expected = np.maximum(np.log10(S[at, : at + 1] / S[at, : at + 1].max()), ch07_saliency.FLOOR)
        np.testing.assert_allclose([d["v"] for d in drawn], expected, atol=0.005 + 1e-9)


def test_log_share_is_zero_at_the_largest_and_undefined_after_t():
    L = ch07_saliency.log_share(np.array([[2.0, 0.0], [1.0, 10.0]]))
    assert L[0, 0] == 0 and np.isnan(L[0, 1]) and L[1, 0] == -1 and L[1, 1] == 0
    with pytest.raises(ValueError, match="square"):
        ch07_saliency.log_share(np.zeros((2, 3)))


def test_attention_spec_holds_the_package_weights_of_right_and_wrong_translations():
    pairs = [
        Pair("the cat".split(), "o gato".split()),
        Pair("a dog".split(), "um cão".split()),
        Pair("the dog".split(), "o cão".split()),
    ]
    src_vocab, tgt_vocab = build_vocabs(pairs)
    torch.manual_seed(0)
    model = make_translator(src_vocab, tgt_vocab, attention=True, embed_size=8, hidden_size=8)
    examples = attention_examples(model, pairs, src_vocab, tgt_vocab, right=3, wrong=2)
    spec = ch09_attention_hover.chart(examples).to_dict()
    sentence = _params(spec)["sentence"]["bind"]
    assert sentence["options"] == list(range(len(examples)))
    assert all(
        label.startswith("right" if e.correct else "wrong") for label, e in zip(sentence["labels"], examples)
    )
    for s, ex in enumerate(examples):
        for i in range(len(ex.output) + 1):
            row = ch09_attention_hover._weights_row(spec, s, i)
            np.testing.assert_allclose([r["w"] for r in row], ex.weights[i], atol=0.0005 + 1e-9)


# ----------------------------------------------------------------------------- the built specs
# The specs the book's build wrote, from the chapters' trained models (kept in the same cache,
# so after the build these tests load weights and states instead of training).

BUILT = {}


def _built(name: str) -> dict:
    if name not in BUILT:
        BUILT[name] = json.loads(discover()[name].spec_json(CACHE))
    return BUILT[name]


def test_built_ch04_units_show_the_trained_rnns_units():
    from seqmodels.data import shakespeare_split
    from seqmodels.explorables._trained import char_rnn

    model, vocab = char_rnn()
    text = shakespeare_split().valid[: ch04_units.RANK_CHARS]
    A = unit_activations(model, vocab.encode(text))
    chosen = pick_units(rank_units(A, text_properties(text)))
    rows = data_values(_built("ch04_units"), "u0")
    assert len(rows) == ch04_units.SHOWN_CHARS
    for k in (0, len(chosen) - 1):
        np.testing.assert_allclose(
            [r[f"u{k}"] for r in rows], A[: len(rows), chosen[k].unit], atol=0.005 + 1e-9
        )


def test_built_ch09_attention_hover_shows_the_trained_models_weights():
    spec = _built("ch09_attention_hover")
    examples = ch09_attention_hover.examples()
    assert [e.correct for e in examples] == [True] * 3 + [False] * 3
    for s in (0, 5):
        for i in range(len(examples[s].output) + 1):
            shown = [r["w"] for r in ch09_attention_hover._weights_row(spec, s, i)]
            np.testing.assert_allclose(shown, examples[s].weights[i], atol=0.0005 + 1e-9)


def test_built_ch08_units_show_the_trained_lstms_cell_state():
    model, vocab, valid = ch08_units.trained_model()
    text = valid[: ch08_units.RANK_CHARS]
    C = unit_activations(model, vocab.encode(text), state="c")
    best = pick_units(rank_units(C, text_properties(text)))[0]
    rows = data_values(_built("ch08_units"), "u0")
    np.testing.assert_allclose([r["u0"] for r in rows], C[: len(rows), best.unit], atol=0.005 + 1e-9)


def test_built_ch07_saliency_shows_the_trained_models_gradients():
    models, ids, text = ch07_saliency.models_and_text()
    spec = _built("ch07_saliency")
    S = output_saliency(models["LSTM"], ids)
    t = len(text) - 1
    shown = [d["v"] for d in ch07_saliency.expected_at(spec, t) if d["m"] == "LSTM"]
    np.testing.assert_allclose(shown, ch07_saliency.log_share(S)[t], atol=0.005 + 1e-9)
