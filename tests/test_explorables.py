"""seqmodels.explorables: the explorable figures' machinery and every discovered explorable."""

from __future__ import annotations

import pytest

from seqmodels.explorables import BrowserCheck, Explorable, discover, source_hash


def _chart():
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "mark": "point",
        "data": {"values": []},
    }


def test_explorable_returns_its_states_as_a_json_ready_spec():
    spec = Explorable(name="demo", chapter=1, title="A demo", states=_chart, alt="Nothing.").spec()
    assert spec["mark"] == "point"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "not a name"}, ValueError),
        ({"chapter": 0}, ValueError),
        ({"chapter": True}, ValueError),
        ({"title": " "}, ValueError),
        ({"alt": ""}, ValueError),
        ({"states": "spec"}, TypeError),
    ],
)
def test_explorable_rejects_bad_fields(kwargs, error):
    fields = {"name": "demo", "chapter": 1, "title": "A demo", "states": _chart, "alt": "Nothing."} | kwargs
    with pytest.raises(error):
        Explorable(**fields)


def test_spec_rejects_what_is_not_vega_lite_and_what_json_cannot_hold():
    with pytest.raises(TypeError, match="schema"):
        Explorable(name="demo", chapter=1, title="t", states=lambda: {"mark": "point"}, alt="a").spec()
    with pytest.raises(ValueError):
        Explorable(
            name="demo", chapter=1, title="t", states=lambda: _chart() | {"x": float("nan")}, alt="a"
        ).spec()


def test_browser_check_checks_its_fields_and_reads_expected_from_the_spec():
    check = BrowserCheck(controls={"tau": 4}, mark="fit", expected=lambda spec: [{"n": len(spec)}])
    assert check.expected_items({"a": 1}) == [{"n": 1}]
    with pytest.raises(TypeError):
        BrowserCheck(controls={}, mark="fit", expected=[])
    with pytest.raises(TypeError):
        BrowserCheck(controls={"tau": 4}, mark="", expected=[])


def test_discover_finds_explorables_by_their_module_names():
    found = discover()
    assert all(isinstance(spec, Explorable) and spec.name == name for name, spec in found.items())


def test_source_hash_is_stable():
    assert source_hash() == source_hash() and len(source_hash()) == 16


# ----------------------------------------------------------------------------- every explorable

import functools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pathlib  # noqa: E402

import numpy as np  # noqa: E402

from seqmodels.explorables import MAX_SPEC_BYTES  # noqa: E402
from seqmodels.explorables._vega import dataset, state  # noqa: E402

CACHE = pathlib.Path(__file__).resolve().parent.parent / "_build" / "explorables"
os.environ.setdefault("SEQMODELS_EXPLORABLES_CACHE", str(CACHE))  # the build's trained models (_trained.py)
EXPLORABLES = discover()


@functools.lru_cache(maxsize=None)
def spec_text(name: str) -> str:
    """The spec the book's build wrote (the same cache, so ``make test`` computes each once)."""
    return EXPLORABLES[name].spec_json(CACHE)


def spec(name: str) -> dict:
    return json.loads(spec_text(name))


@pytest.mark.parametrize("name", sorted(EXPLORABLES))
def test_every_explorable_fits_its_budget_and_has_browser_checks(name):
    assert len(spec_text(name).encode()) <= MAX_SPEC_BYTES, f"{name}: {len(spec_text(name)):,} bytes"
    assert EXPLORABLES[name].browser_checks, f"{name} defines no BROWSER_CHECKS"
    assert spec(name)["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    for check in EXPLORABLES[name].browser_checks:
        assert check.expected_items(spec(name)), f"{name}: a browser check expects nothing"


def test_ch01_states_are_the_package_s_predictions():
    from seqmodels.data import make_time_series
    from seqmodels.sequences import fit_autoregressive, predict_k_steps

    rows = dataset(spec("ch01_window"), "states")
    assert {(r["tau"], r["k"]) for r in rows} == {
        (t, k) for t in range(1, 33) for k in (1, 2, 4, 8, 16, 32, 64, 128)
    }
    series = make_time_series(num_steps=1000, noise=0.2, seed=0)
    for tau, k in [(4, 16), (32, 128)]:
        pred = predict_k_steps(series, fit_autoregressive(series[:600], tau), k)[600:]
        shown = state(spec("ch01_window"), tau=tau, k=k)
        np.testing.assert_allclose(shown["y"], pred, atol=0.005 + 1e-9)
        assert shown["mse"] == pytest.approx(np.mean((pred - series[600:]) ** 2), abs=1e-4)


def test_ch03_states_are_the_package_s_trained_networks():
    from seqmodels.perceptron import TwoLayerNet, accuracy, decision_grid, make_rings

    X, y = make_rings(200, seed=0)
    net = TwoLayerNet(2, 2, activation="relu")
    net.fit(X, y, epochs=2000)
    shown = state(spec("ch03_boundary"), activation="relu", hidden=2)
    np.testing.assert_allclose(shown["p"], decision_grid(net, lim=1.5, num=41)[2].ravel(), atol=0.005 + 1e-9)
    assert shown["accuracy"] == pytest.approx(accuracy(net, X, y), abs=1e-4)
    assert len(dataset(spec("ch03_boundary"), "states")) == 4 * 8


def test_ch07_states_are_the_package_s_jacobian_norms():
    import torch

    from seqmodels.gradients import jacobian_norms, scaled_orthogonal

    gen = torch.Generator().manual_seed(0)
    W_xh = 0.1 * torch.randn(32, 4, generator=gen, dtype=torch.float64)
    X = torch.randn(60, 4, generator=gen, dtype=torch.float64)
    rows = dataset(spec("ch07_gradient_flow"), "states")
    assert [r["s"] for r in rows] == [round(0.2 + 0.05 * i, 2) for i in range(47)]
    for s, activation, key in [(0.5, "tanh", "tanh"), (1.5, "relu", "ReLU")]:
        norms = np.clip(
            jacobian_norms(scaled_orthogonal(32, s, seed=0), W_xh, X, activation=activation), 1e-20, 1e20
        )
        np.testing.assert_allclose(state(spec("ch07_gradient_flow"), s=s)[key], norms, rtol=1e-3)


def test_ch02_states_are_the_package_s_perplexities_and_samples():
    from seqmodels.explorables.ch02_ngrams import word_counts

    counts, valid = word_counts()
    model = counts.lower_order(4).with_smoothing("add-k", k=10.0**-1.5)
    row = next(
        r
        for r in dataset(spec("ch02_ngrams"), "states")
        if r["smoothing"] == "add-k" and r["log10_k"] == -1.5
    )
    assert row["ppl"][3] == pytest.approx(model.perplexity(valid), abs=0.006)
    assert row["sample"][3] == " ".join(model.generate(20, seed=0)).replace(" </s>", " /")
    mle = next(r for r in dataset(spec("ch02_ngrams"), "states") if r["smoothing"] == "mle")
    assert mle["ppl"][1:] == [None] * 4, "MLE's infinite perplexities beyond n = 1 are missing points"
    assert len(dataset(spec("ch02_ngrams"), "states")) == 1 + 9 + 19


def test_ch04_states_are_the_package_s_distribution_and_sample():
    from seqmodels.explorables._trained import char_rnn
    from seqmodels.lm import next_char_probs, sample

    model, vocab = char_rnn()
    probs = next_char_probs(model, vocab, "ROMEO:\nWhat ", 0.3)
    shown = state(spec("ch04_temperature"), temperature=0.3)
    np.testing.assert_allclose(shown["p"], np.sort(probs)[::-1][:30], atol=5e-5 + 1e-9)
    assert shown["sample"] == sample(model, vocab, "ROMEO:\nWhat ", length=150, temperature=0.3, seed=0)


def test_ch05_states_are_the_chapter_s_descent():
    from seqmodels.explorables.ch05_descent import chapter_data

    x_data, y_data, w_init = chapter_data()
    w, eta = np.array(w_init), 10**-1.0
    for _ in range(5):  # the chapter's update, written out once more
        w = w - eta * np.array(
            [
                2 * np.mean(w[0] + w[1] * x_data - y_data),
                2 * np.mean((w[0] + w[1] * x_data - y_data) * x_data),
            ]
        )
    shown = state(spec("ch05_descent"), log10_eta=-1.0)
    assert [shown["w0"][5], shown["w1"][5]] == pytest.approx(w, rel=1e-3)
    assert shown["J"][5] == pytest.approx(np.mean((w[0] + w[1] * x_data - y_data) ** 2), rel=1e-3)


def test_ch06_states_are_the_trained_translator_s_words():
    from seqmodels.explorables._trained import translator
    from seqmodels.phrases import noun_phrase_count
    from seqmodels.seq2seq import translate

    model, split, src_vocab, tgt_vocab = translator(attention=False)
    pair = [p for p in split.test if noun_phrase_count(p) == 3][5]
    (output,), _ = translate(model, [pair.src], src_vocab, tgt_vocab)
    shown = state(spec("ch06_confidence"), phrases=3, example=5)
    assert shown["word"] == output + ["<eos>"] and shown["source"] == " ".join(pair.src)
    assert all(0 < p <= 1 for p in shown["p"])


def test_ch09_states_are_the_package_s_attention_weights():
    from seqmodels.explorables._trained import translator
    from seqmodels.seq2seq import translate

    model, _, src_vocab, tgt_vocab = translator(attention=True)
    (output,), (weights,) = translate(model, [["i", "love", "you"]], src_vocab, tgt_vocab)
    shown = state(spec("ch09_attention"), sentence="i love you")
    assert shown["tgt"] == output + ["<eos>"]
    np.testing.assert_allclose(shown["w"], weights.numpy().ravel(), atol=5e-4 + 1e-9)
    assert len(dataset(spec("ch09_attention"), "states")) == 11
