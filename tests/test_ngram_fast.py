"""Tests for seqmodels.ngram_fast: the engine equals the readable model, and what only it has.

The readable ``seqmodels.ngram.NGramLM`` is the definition; ``FastNGramLM`` must give its
numbers on random corpora for every order, estimate and ``min_freq``, seen and unseen
contexts alike: every probability to 1e-12, the same perplexity, the same samples for a seed.
The API both share is tested on both in ``test_ngram.py``.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from seqmodels.data import make_agreement_set
from seqmodels.ngram import BOS, EOS, UNK, NGramLM
from seqmodels.ngram_fast import FastNGramLM, agreement_accuracy

CORPUS = [["a", "b", "a"], ["b", "a"]]  # padded: <s> a b a </s> | <s> b a </s>
SMOOTHING_ARGS = [("mle", {}), ("add-k", {"k": 0.5}), ("kneser-ney", {"discount": 0.6})]


def fitted(n: int, smoothing: str = "mle", **kw) -> FastNGramLM:
    return FastNGramLM(n, smoothing, **kw).fit(CORPUS)


# ---------------------------------------------------------------- the engine equals the readable model


def random_corpus(seed: int, size: int = 25) -> list[list[str]]:
    """Sequences of 0 to 14 tokens with skewed frequencies, and one ``k``: ``min_freq = 2`` makes it ``<unk>``."""
    rng = random.Random(seed)
    tokens, weights = list("abcdefghij"), [30, 20, 12, 8, 5, 3, 2, 1, 1, 1]
    return [rng.choices(tokens, weights, k=rng.randint(0, 14)) for _ in range(size)] + [["a", "k", "b"]]


def queries(n: int, seed: int) -> list[list[str]]:
    """Contexts of ``n - 1`` tokens: from the training alphabet, padding, and words never seen."""
    rng = random.Random(seed)
    pool = [*"abcdefghijk", BOS, EOS, UNK, "zebra", "yak"]
    return [[BOS] * (n - 1)] + [rng.choices(pool, k=n - 1) for _ in range(25)]


def assert_same_model(fast: FastNGramLM, readable: NGramLM, seed: int) -> None:
    assert fast.vocab.idx_to_token == readable.vocab.idx_to_token
    assert fast.vocab_size == readable.vocab_size
    for context in queries(readable.n, seed):
        got, want = fast.distribution(context), readable.distribution(context)
        assert list(got) == list(want)
        for token in want:
            assert abs(got[token] - want[token]) <= 1e-12, (context, token)
        assert abs(fast.prob("zebra", context) - readable.prob("zebra", context)) <= 1e-12
    held = random_corpus(seed + 1, size=6) + [["zebra", "a", "yak"], []]
    assert fast.perplexity(held) == pytest.approx(readable.perplexity(held), rel=1e-12)
    padded = [[BOS] * (readable.n - 1) + seq + [EOS] for seq in held]
    logps = [
        readable.logprob(p[t], p[t - readable.n + 1 : t])
        for p in padded
        for t in range(readable.n - 1, len(p))
    ]
    np.testing.assert_allclose(fast.token_logprobs(held), logps, rtol=0, atol=1e-12)
    for sample_seed, prefix in [(0, []), (5, ["a", "zebra"])]:
        assert fast.generate(40, seed=sample_seed, prefix=prefix) == readable.generate(
            40, seed=sample_seed, prefix=prefix
        )


@pytest.mark.parametrize("min_freq", [1, 2])
@pytest.mark.parametrize(
    "smoothing,kw", [("mle", {}), ("add-k", {"k": 0.3}), ("kneser-ney", {"discount": 0.7})]
)
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_fast_engine_equals_the_readable_model_on_random_corpora(n, smoothing, kw, min_freq):
    seed = 100 * n + 10 * min_freq + len(smoothing)
    corpus = random_corpus(seed)
    readable = NGramLM(n, smoothing, min_freq=min_freq, **kw).fit(corpus)
    fast = FastNGramLM(n, smoothing, min_freq=min_freq, **kw).fit(corpus)
    assert_same_model(fast, readable, seed)
    for gram in [["a"], ["a", "b"][:n], [BOS, "a", "b"][:n], ["zebra"], ["k"]]:
        assert fast.count(gram) == readable.count(gram)
    assert (readable.count([UNK]) > 0) == (min_freq == 2)  # at least the single k


@pytest.mark.parametrize("min_freq", [1, 2])
@pytest.mark.parametrize(
    "smoothing,kw", [("mle", {}), ("add-k", {"k": 2.0}), ("kneser-ney", {"discount": 0.4})]
)
def test_lower_order_and_with_smoothing_equal_the_readable_model_of_that_order(smoothing, kw, min_freq):
    # how the chapters use the engine: one count of order 5, every lower order and estimate from it
    corpus = random_corpus(7)
    top = FastNGramLM(5, "mle", min_freq=min_freq).fit(corpus)
    for n in range(1, 6):
        fast = top.lower_order(n).with_smoothing(smoothing, **kw)
        assert_same_model(fast, NGramLM(n, smoothing, min_freq=min_freq, **kw).fit(corpus), seed=n)


def test_kneser_ney_steps_end_in_the_readable_models_probability():
    corpus = random_corpus(3)
    fast, readable = FastNGramLM(4, "kneser-ney").fit(corpus), NGramLM(4, "kneser-ney").fit(corpus)
    for context in queries(4, seed=3):
        for token in ["a", "j", EOS, "zebra"]:
            assert (
                abs(fast.kneser_ney_steps(token, context)[-1].prob - readable.prob(token, context)) <= 1e-12
            )


# ---------------------------------------------------------------- what only the engine has


def test_engine_counts_predicted_tokens_and_ngram_types():
    model = fitted(2)
    assert model.num_tokens == 7
    assert model.num_ngram_types == 5  # <s>a, ab, ba, a</s>, <s>b


def test_log_likelihood_and_cross_entropy_sum_and_average_the_log_probabilities():
    model = fitted(2, "kneser-ney")
    held_out = [["b", "a", "b"], ["a"]]
    logps = []
    for seq in held_out:
        padded = [BOS] + seq + [EOS]
        logps += [model.logprob(padded[i], padded[i - 1 : i]) for i in range(1, len(padded))]
    total, count = model.log_likelihood(held_out)
    assert total == pytest.approx(sum(logps)) and count == len(logps)
    assert model.cross_entropy(held_out) == pytest.approx(-np.mean(logps))
    assert model.perplexity(held_out) == pytest.approx(math.exp(model.cross_entropy(held_out)))


def test_unseen_share_rejects_empty_and_padded_sequences():
    model = fitted(2)
    with pytest.raises(ValueError, match="sequences is empty"):
        model.unseen_share([])
    with pytest.raises(ValueError, match="reserved padding symbol"):
        model.unseen_share([[BOS, "a"]])


def test_models_made_from_one_count_share_it_and_leave_it_unchanged():
    base = FastNGramLM(3, "mle").fit(CORPUS)
    kn = base.with_smoothing("kneser-ney")
    low = kn.lower_order(2)
    assert kn._shared is base._shared and low._raw[0] is base._raw[0]
    assert (base.smoothing, base.n, low.n, low.smoothing) == ("mle", 3, 2, "kneser-ney")
    assert base.prob("a", ["b", "b"]) == fitted(3).prob("a", ["b", "b"])


def test_vectorised_scoring_matches_token_by_token_prob_for_every_smoothing():
    text = "to be or not to be that is the question whether tis nobler in the mind".split()
    for smoothing, kw in SMOOTHING_ARGS[1:]:
        model = FastNGramLM(3, smoothing, **kw).fit([text[:12], text[5:]])
        held = ["to", "be", "in", "the", "question", "zebra"]
        padded = [BOS, BOS] + held + [EOS]
        expected = sum(model.logprob(padded[i], padded[i - 2 : i]) for i in range(2, len(padded)))
        assert model.log_likelihood([held])[0] == pytest.approx(expected)


def test_unseen_share_counts_held_out_ngrams_missing_from_training():
    model = fitted(2)
    # padded held-out <s> a a </s>: (<s>, a) seen, (a, a) unseen, (a, </s>) seen
    assert model.unseen_share([["a", "a"]]) == pytest.approx(1 / 3)
    assert model.unseen_share(CORPUS) == 0.0


def test_ngram_agreement_accuracy_is_perfect_within_its_window_and_chance_beyond():
    train = make_agreement_set(20000, list(range(0, 6)), seed=0)
    model = FastNGramLM(4, "kneser-ney").fit(train.sentences)
    near = [agreement_accuracy(model, make_agreement_set(300, k, seed=10 + k)) for k in (0, 1, 2)]
    far = [agreement_accuracy(model, make_agreement_set(300, k, seed=10 + k)) for k in (3, 5)]
    assert min(near) > 0.95
    assert max(far) < 0.62 and min(far) > 0.38


def test_agreement_accuracy_rejects_wrong_arguments():
    data = make_agreement_set(5, 1)
    with pytest.raises(TypeError, match="model must be a FastNGramLM"):
        agreement_accuracy("model", data)
    with pytest.raises(TypeError, match="data must be an AgreementSet"):
        agreement_accuracy(fitted(2), [["the"]])


def test_with_smoothing_reuses_counts_and_equals_a_fresh_fit():
    base = fitted(3, "mle")
    for smoothing, kw in SMOOTHING_ARGS:
        swapped = base.with_smoothing(smoothing, **kw)
        fresh = fitted(3, smoothing, **kw)
        assert swapped.smoothing == smoothing
        for context in ([BOS, BOS], ["a", "b"], ["zebra", "a"]):
            assert swapped.distribution(context) == pytest.approx(fresh.distribution(context))
    assert base.smoothing == "mle"  # the original is unchanged
    with pytest.raises(ValueError, match="smoothing must be one of"):
        base.with_smoothing("witten-bell")
    with pytest.raises(RuntimeError, match="call fit"):
        FastNGramLM(2).with_smoothing("mle")


@pytest.mark.parametrize("smoothing,kw", SMOOTHING_ARGS)
def test_lower_order_equals_a_fresh_fit_of_that_order(smoothing, kw):
    corpus = [list("abracadabra"), list("cadabra"), list("bar")]
    top = FastNGramLM(5, smoothing, **kw).fit(corpus)
    held = [list("abacab"), list("zzabra")]
    for m in range(1, 6):
        low, fresh = top.lower_order(m), FastNGramLM(m, smoothing, **kw).fit(corpus)
        assert low.n == m
        assert low.perplexity(held) == pytest.approx(fresh.perplexity(held))
        context = list("xcab")[4 - (m - 1) :] if m > 1 else []
        assert low.distribution(context) == pytest.approx(fresh.distribution(context))
    with pytest.raises(ValueError, match="m must be <= n = 5, got 6"):
        top.lower_order(6)


@pytest.mark.parametrize("smoothing,values", [("add-k", [0.01, 0.5, 2.0]), ("kneser-ney", [0.1, 0.6, 0.95])])
def test_sweep_equals_one_perplexity_per_value(smoothing, values):
    corpus = [list("abracadabra"), list("cadabra"), list("bar")]
    held = [list("abacab"), list("zzabra")]
    model = FastNGramLM(3, smoothing).fit(corpus)
    name = "k" if smoothing == "add-k" else "discount"
    expected = [model.with_smoothing(smoothing, **{name: v}).perplexity(held) for v in values]
    assert model.sweep(held, values) == pytest.approx(expected, rel=1e-12)


def test_sweep_rejects_mle_and_bad_values():
    model = fitted(2, "kneser-ney")
    with pytest.raises(ValueError, match="MLE has no hyper-parameter"):
        fitted(2).sweep(CORPUS, [0.5])
    with pytest.raises(ValueError, match="discount must be < 1"):
        model.sweep(CORPUS, [0.5, 1.0])
    with pytest.raises(ValueError, match="k must be > 0"):
        fitted(2, "add-k").sweep(CORPUS, [0.0])
    with pytest.raises(ValueError, match="values is empty"):
        model.sweep(CORPUS, [])
    with pytest.raises(TypeError, match="iterable of numbers"):
        model.sweep(CORPUS, 0.5)
    with pytest.raises(TypeError, match="iterable of numbers"):
        model.sweep(CORPUS, "0.5")


def test_token_logprobs_has_one_entry_per_predicted_token_and_sums_to_the_log_likelihood():
    model = fitted(2, "kneser-ney")
    held = [["a", "b"], ["b", "b", "a"]]
    logp = model.token_logprobs(held)
    assert len(logp) == 2 + 1 + 3 + 1  # the tokens and one </s> per sequence
    assert logp.sum() == pytest.approx(model.log_likelihood(held)[0])
    assert logp[0] == pytest.approx(math.log(model.prob("a", [BOS])))
    assert logp[-1] == pytest.approx(math.log(model.prob(EOS, ["a"])))


@pytest.mark.parametrize(
    "context,token", [(["a", "b"], "a"), (["b", "a"], "b"), (["zebra", "a"], EOS), ([BOS, BOS], "zebra")]
)
def test_kneser_ney_steps_end_in_the_models_probability(context, token):
    model = FastNGramLM(3, "kneser-ney", discount=0.6).fit(CORPUS)
    steps = model.kneser_ney_steps(token, context)
    assert [s.order for s in steps] == [1, 2, 3]
    assert [s.continuation for s in steps] == [True, True, False]
    assert steps[0].lower == pytest.approx(1 / model.vocab_size)
    for below, step in zip(steps, steps[1:]):
        assert step.lower == below.prob
    for step in steps:
        assert step.prob == pytest.approx(step.discounted + step.weight * step.lower)
    assert steps[-1].prob == pytest.approx(model.prob(token, context))


def test_kneser_ney_steps_show_the_hand_counts_of_a_bigram():
    model = fitted(2, "kneser-ney", discount=0.5)
    unigram, bigram = model.kneser_ney_steps("b", ["a"])
    # order 1: b follows two distinct tokens (a, <s>) of the 5 bigram types; 4 outcomes seen
    assert (unigram.context, unigram.count, unigram.context_count, unigram.context_types) == (
        (),
        2.0,
        5.0,
        3.0,
    )
    # order 2: c(a, b) = 1 of c(a) = 3, two distinct followers of a (b and </s>)
    assert (bigram.context, bigram.count, bigram.context_count, bigram.context_types) == (
        ("a",),
        1.0,
        3.0,
        2.0,
    )
    assert bigram.weight == pytest.approx(0.5 * 2 / 3) and bigram.discounted == pytest.approx(0.5 / 3)
    unseen = model.kneser_ney_steps("a", ["zebra"])[-1]  # an unseen context passes the lower order on
    assert (unseen.context, unseen.context_count, unseen.weight, unseen.discounted) == ((UNK,), 0.0, 1.0, 0.0)
    assert unseen.prob == unseen.lower


def test_kneser_ney_steps_rejects_other_estimates_and_bad_tokens():
    with pytest.raises(ValueError, match="needs a kneser-ney model"):
        fitted(2).kneser_ney_steps("a", ["b"])
    model = fitted(2, "kneser-ney")
    with pytest.raises(ValueError, match="never predicts it"):
        model.kneser_ney_steps(BOS, ["a"])
    with pytest.raises(TypeError, match="token must be a str"):
        model.kneser_ney_steps(3, ["a"])
    with pytest.raises(ValueError, match="exactly n - 1 = 1 tokens"):
        model.kneser_ney_steps("a", ["a", "b"])
