"""Chapter 8's contest: models scored on the same characters, mixtures, kinds of characters."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from seqmodels.contest import (
    breakdown,
    character_kinds,
    kneser_ney_orders,
    mix,
    reset_logprobs,
    tune_kneser_ney,
    tune_mixture,
)
from seqmodels.data import Vocab
from seqmodels.lm import CharLM, char_logprobs
from seqmodels.ngram_fast import FastNGramLM

TRAIN = "the cat sat on the mat.\nthe dog sat on the log.\n" * 20
VALID = "the cat sat on the log.\nthe dog sat on the mat.\n"


def test_stream_logprobs_score_every_character_but_the_first_over_the_symbols_without_end():
    model = FastNGramLM(3, "kneser-ney").fit([TRAIN])
    lp = model.stream_logprobs(VALID)
    assert lp.shape == (len(VALID) - 1,) and np.all(lp < 0)
    # each is a probability of a distribution over every outcome but </s>: they sum to one
    for t in (1, 10, len(VALID) - 1):
        context = (["<s>", "<s>"] + list(VALID))[t : t + 2]
        dist = model.distribution(context)
        rest = {w: p / (1 - dist["</s>"]) for w, p in dist.items() if w != "</s>"}
        assert sum(rest.values()) == pytest.approx(1.0)
        assert np.exp(lp[t - 1]) == pytest.approx(rest[VALID[t]])


def test_stream_logprobs_with_discounts_give_one_row_per_discount():
    model = FastNGramLM(4, "kneser-ney").fit([TRAIN])
    rows = model.stream_logprobs(VALID, [0.5, 0.9])
    assert rows.shape == (2, len(VALID) - 1)
    np.testing.assert_allclose(
        rows[1], model.with_smoothing("kneser-ney", discount=0.9).stream_logprobs(VALID)
    )


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"text": "a"}, ValueError, "at least 2 tokens"),
        ({"text": "ab", "discounts": []}, ValueError, "empty"),
        ({"text": "ab", "discounts": [1.5]}, ValueError, "discount"),
        ({"text": "ab", "discounts": "0.5"}, TypeError, "discounts"),
    ],
)
def test_stream_logprobs_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        FastNGramLM(2, "kneser-ney").fit([TRAIN]).stream_logprobs(**kwargs)


def test_stream_logprobs_takes_discounts_only_for_kneser_ney():
    with pytest.raises(ValueError, match="Kneser-Ney only"):
        FastNGramLM(2, "add-k").fit([TRAIN]).stream_logprobs(VALID, [0.5])


def test_tune_kneser_ney_returns_the_best_order_and_discount_on_validation():
    model, table = tune_kneser_ney(TRAIN, VALID, orders=[2, 3, 4], discounts=[0.5, 0.9])
    assert set(table) == {(n, D) for n in (2, 3, 4) for D in (0.5, 0.9)}
    best = min(table, key=table.get)
    assert (model.n, model.discount) == best
    assert -model.stream_logprobs(VALID).mean() == pytest.approx(table[best])


def test_tune_kneser_ney_needs_an_order():
    with pytest.raises(ValueError, match="orders is empty"):
        tune_kneser_ney(TRAIN, VALID, orders=[])


def test_mix_is_the_log_of_the_mixed_probabilities():
    a, b = np.log([0.5, 0.1, 0.9]), np.log([0.25, 0.6, 0.01])
    np.testing.assert_allclose(np.exp(mix(a, b, 0.3)), 0.3 * np.exp(a) + 0.7 * np.exp(b))
    np.testing.assert_array_equal(mix(a, b, 1.0), a)
    np.testing.assert_array_equal(mix(a, b, 0), b)


@pytest.mark.parametrize(
    "a, b, lam, match",
    [
        ([-1.0, -2.0], [-1.0], 0.5, "same characters"),
        ([0.5], [-1.0], 0.5, "above 0"),
        ([[-1.0]], [-1.0], 0.5, "1-D"),
        ([-1.0], [-1.0], 1.5, "lam"),
        ([-1.0], [-1.0], True, "lam"),
    ],
)
def test_mix_rejects_mismatched_or_impossible_input(a, b, lam, match):
    with pytest.raises(ValueError, match=match):
        mix(np.array(a), np.array(b), lam)


def test_tune_mixture_finds_the_weight_that_favours_the_better_model_where_each_is_better():
    # a is right on the first half, b on the second: the best mixture is near the middle
    a = np.log(np.r_[np.full(50, 0.9), np.full(50, 0.1)])
    b = np.log(np.r_[np.full(50, 0.1), np.full(50, 0.9)])
    assert tune_mixture(a, b) == pytest.approx(0.5)
    assert tune_mixture(a, np.log(np.full(100, 0.01))) == 1.0
    lam = tune_mixture(a, b, steps=10)
    assert -mix(a, b, lam).mean() < min(-a.mean(), -b.mean())


def test_character_kinds_sort_each_scored_character_by_what_precedes_it():
    kinds = character_kinds("ab c.\nd", train="ab c.\nx", context=2)
    # scored characters: b (after a), ' ' (after b), c (after ' '), . (after c), \n (after .), d (after \n)
    assert kinds["inside a word"].tolist() == [True, True, False, True, False, False]
    assert kinds["word start"].tolist() == [False, False, True, False, False, False]
    assert kinds["after a line break"].tolist() == [False, False, False, False, False, True]
    assert kinds["other"].tolist() == [False, False, False, False, True, False]
    total = sum(kinds[k].astype(int) for k in ("after a line break", "word start", "inside a word", "other"))
    assert np.all(total == 1)
    # contexts of two characters: "ab", "b ", " c", "c.", ".\n" are in train; nothing before t = 2
    assert kinds["context unseen"].tolist() == [False, False, False, False, False, False]
    assert character_kinds("zq ab", train="ab", context=2)["context unseen"].tolist() == [
        False,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    "text, train, context, error",
    [("a", "abc", 2, ValueError), (b"ab", "abc", 2, TypeError), ("ab", "abc", 0, ValueError)],
)
def test_character_kinds_rejects_bad_input(text, train, context, error):
    with pytest.raises(error):
        character_kinds(text, train, context)


def test_breakdown_averages_each_model_over_each_kind():
    kinds = {"first": np.array([True, False, True]), "second": np.array([False, True, False])}
    table = breakdown(kinds, {"m": np.log([0.5, 0.25, 0.5])})
    assert table["first"] == pytest.approx({"share": 2 / 3, "m": np.log(2)})
    assert table["second"]["m"] == pytest.approx(np.log(4))
    with pytest.raises(ValueError, match="same characters"):
        breakdown(kinds, {"m": np.log([0.5])})


# ---- how much context a model uses: resets for the network, orders for the counts


def _tiny_lm():
    vocab = Vocab(TRAIN, unk=None)
    torch.manual_seed(0)
    return CharLM(len(vocab), 8, cell="lstm", embed_size=4, num_layers=2).double(), vocab.encode(VALID)


def test_reset_logprobs_never_resetting_is_the_one_stream_score():
    model, ids = _tiny_lm()
    np.testing.assert_allclose(reset_logprobs(model, ids, len(ids)), char_logprobs(model, ids), atol=1e-12)


@pytest.mark.parametrize("every", [1, 3, 7])
def test_reset_logprobs_scores_each_character_from_its_block_alone(every):
    model, ids = _tiny_lm()
    lp = reset_logprobs(model, ids, every, batch=2)
    assert lp.shape == (len(ids) - 1,)
    for start in range(0, len(ids) - 1, every):  # each block read from a zero state on its own
        block = ids[start : min(start + every, len(ids) - 1) + 1]
        np.testing.assert_allclose(
            lp[start : start + len(block) - 1], char_logprobs(model, block), atol=1e-12
        )


def test_reset_logprobs_with_one_character_of_context_ignores_the_history():
    model, _ = _tiny_lm()
    a, b = [1, 2, 3, 4], [5, 6, 3, 4]  # the same last input and target, different histories
    assert reset_logprobs(model, a, 1)[2] == reset_logprobs(model, b, 1)[2]
    assert reset_logprobs(model, a, 4)[2] != reset_logprobs(model, b, 4)[2]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"reset_every": 0}, ValueError, "reset_every"),
        ({"reset_every": 2.5}, TypeError, "reset_every"),
        ({"ids": [3]}, ValueError, "at least 2 tokens"),
        ({"model": "lstm"}, TypeError, "model must be a language model"),
    ],
)
def test_reset_logprobs_rejects_bad_arguments(kwargs, error, match):
    model, ids = _tiny_lm()
    with pytest.raises(error, match=match):
        reset_logprobs(**{"model": model, "ids": ids, "reset_every": 4, **kwargs})


def test_kneser_ney_orders_choose_each_discount_on_validation_and_score_the_test_text():
    test = "the dog sat on the cat.\n"
    curve = kneser_ney_orders(TRAIN, VALID, test, orders=[1, 3, 2], discounts=(0.5, 0.9))
    assert list(curve) == [1, 2, 3]
    for n, (D, lp) in curve.items():
        assert lp.shape == (len(test) - 1,)
        by_discount = (
            FastNGramLM(n, "kneser-ney").fit([TRAIN]).stream_logprobs(VALID, (0.5, 0.9)).mean(axis=1)
        )
        assert D == (0.5, 0.9)[int(np.argmax(by_discount))]
        expected = FastNGramLM(n, "kneser-ney", discount=D).fit([TRAIN]).stream_logprobs(test)
        np.testing.assert_allclose(lp, expected, atol=1e-12)
    assert -curve[3][1].mean() < -curve[1][1].mean()  # more context helps on this repetitive text
    with pytest.raises(ValueError, match="orders is empty"):
        kneser_ney_orders(TRAIN, VALID, test, orders=[])
