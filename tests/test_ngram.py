"""Tests for seqmodels.ngram: counts, the three estimates, perplexity, sampling, checks.

Every test of the API that the readable ``NGramLM`` and the engine ``FastNGramLM`` share runs
on both classes (the ``LM`` fixture); what only the engine has is in ``test_ngram_fast.py``,
with the tests that the two classes give the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from seqmodels.ngram import BOS, EOS, UNK, NGramLM, num_parameters
from seqmodels.ngram_fast import FastNGramLM

CORPUS = [["a", "b", "a"], ["b", "a"]]  # padded: <s> a b a </s> | <s> b a </s>
SMOOTHING_ARGS = [("mle", {}), ("add-k", {"k": 0.5}), ("kneser-ney", {"discount": 0.6})]


@pytest.fixture(params=[NGramLM, FastNGramLM], ids=["readable", "fast"])
def LM(request):
    """The class under test: the readable model, then the engine."""
    return request.param


def fitted(LM, n: int, smoothing: str = "mle", **kw):
    return LM(n, smoothing, **kw).fit(CORPUS)


# ---------------------------------------------------------------- distributions


@pytest.mark.parametrize("smoothing,kw", SMOOTHING_ARGS)
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_distribution_sums_to_one_over_vocabulary_for_seen_and_unseen_contexts(LM, smoothing, kw, n):
    model = fitted(LM, n, smoothing, **kw)
    contexts = [[BOS] * (n - 1), ["a"] * (n - 1), ["b", "b", "b"][: n - 1], ["zebra"] * (n - 1)]
    for context in contexts:
        dist = model.distribution(context)
        assert set(dist) == {"a", "b", EOS, UNK}  # every outcome but <s>
        assert sum(dist.values()) == pytest.approx(1.0, abs=1e-12)
        assert all(p >= 0 for p in dist.values())


@pytest.mark.parametrize("smoothing,kw", SMOOTHING_ARGS)
def test_distribution_sums_to_one_on_real_text_with_min_freq(LM, smoothing, kw):
    text = "the cat sat on the mat . the dog sat on the cat . a bird flew over the dog ."
    model = LM(3, smoothing, min_freq=2, **kw).fit([text.split()])
    for context in (["the", "cat"], ["on", "the"], ["flew", "over"], ["unseen", "words"]):
        assert sum(model.distribution(context).values()) == pytest.approx(1.0, abs=1e-12)


def test_smoothed_models_never_give_probability_zero(LM):
    for smoothing, kw in SMOOTHING_ARGS[1:]:
        model = fitted(LM, 3, smoothing, **kw)
        assert min(model.distribution(["b", "b"]).values()) > 0


# ---------------------------------------------------------------- hand-computed values


def test_vocabulary_holds_unk_padding_and_tokens_and_size_excludes_start_symbol(LM):
    model = fitted(LM, 2)
    assert model.vocab.idx_to_token[:3] == [UNK, BOS, EOS]
    assert set(model.vocab.idx_to_token) == {UNK, BOS, EOS, "a", "b"}
    assert model.vocab_size == 4


def test_counts_match_hand_counts_of_padded_corpus(LM):
    model = fitted(LM, 2)
    assert model.count(["a"]) == 3
    assert model.count(["b"]) == 2
    assert model.count([EOS]) == 2
    assert model.count(["b", "a"]) == 2
    assert model.count(["a", EOS]) == 2
    assert model.count([BOS, "a"]) == 1
    assert model.count(["a", "a"]) == 0


def test_mle_bigram_probabilities_are_relative_frequencies(LM):
    model = fitted(LM, 2)
    assert model.prob("b", ["a"]) == pytest.approx(1 / 3)
    assert model.prob(EOS, ["a"]) == pytest.approx(2 / 3)
    assert model.prob("a", ["b"]) == pytest.approx(1.0)
    assert model.prob("a", [BOS]) == pytest.approx(1 / 2)
    assert model.prob("a", ["a"]) == 0.0


def test_mle_trigram_uses_two_start_symbols(LM):
    model = fitted(LM, 3)
    assert model.prob("a", [BOS, BOS]) == pytest.approx(1 / 2)
    assert model.prob("b", [BOS, "a"]) == pytest.approx(1.0)
    assert model.prob(EOS, ["b", "a"]) == pytest.approx(1.0)


def test_mle_unigram_is_token_frequency(LM):
    model = fitted(LM, 1)
    assert model.prob("a", []) == pytest.approx(3 / 7)
    assert model.prob(EOS, []) == pytest.approx(2 / 7)
    assert model.prob(UNK, []) == 0.0


def test_add_one_is_laplace_smoothing(LM):
    model = fitted(LM, 2, "add-k", k=1.0)
    assert model.prob("b", ["a"]) == pytest.approx((1 + 1) / (3 + 4))
    assert model.prob(UNK, ["a"]) == pytest.approx(1 / 7)
    assert model.prob("zebra", ["a"]) == pytest.approx(1 / 7)  # scored as <unk>


def test_kneser_ney_bigram_matches_hand_computation(LM):
    model = fitted(LM, 2, "kneser-ney", discount=0.5)
    # Continuation counts N1+(. w): a after {<s>, b}, b after {a, <s>}, </s> after {a}.
    p_uni = {
        "a": 1.5 / 5 + 0.5 * 3 / 5 / 4,
        "b": 1.5 / 5 + 0.5 * 3 / 5 / 4,
        EOS: 0.5 / 5 + 0.5 * 3 / 5 / 4,
        UNK: 0.5 * 3 / 5 / 4,
    }
    # context a: c(a) = 3, followed by 2 types (b once, </s> twice)
    assert model.prob("b", ["a"]) == pytest.approx((0.5 + 0.5 * 2 * p_uni["b"]) / 3)
    assert model.prob(EOS, ["a"]) == pytest.approx((1.5 + 0.5 * 2 * p_uni[EOS]) / 3)
    assert model.prob("a", ["a"]) == pytest.approx(0.5 * 2 * p_uni["a"] / 3)
    # an unseen context falls back to the continuation unigram
    for w, p in p_uni.items():
        assert model.prob(w, ["zebra"]) == pytest.approx(p)


def test_kneser_ney_lower_order_uses_continuation_counts_not_raw_counts(LM):
    # "francisco" is frequent but only ever follows "san"; "glasses" is rarer but follows
    # many words. Plain absolute discounting backs off to raw unigram counts and prefers
    # "francisco"; Kneser-Ney's continuation counts prefer "glasses".
    corpus = [["san", "francisco"]] * 10 + [[w, "glasses"] for w in ("red", "blue", "old", "new")]
    corpus += [["reading", "books"]]
    model = LM(2, "kneser-ney").fit(corpus)
    assert model.count(["francisco"]) > model.count(["glasses"])
    assert model.prob("glasses", ["reading"]) > model.prob("francisco", ["reading"])
    assert model.prob("glasses", ["zebra"]) > model.prob("francisco", ["zebra"])
    # Both come from the lower order: discounted continuation counts 4 - D and 1 - D over
    # N1+(..) = 15 bigram types, plus D * 10 types / 15 times the uniform 1/|V|.
    ratio = model.prob("glasses", ["reading"]) / model.prob("francisco", ["reading"])
    unif = 0.75 * 10 / 15 / model.vocab_size
    assert ratio == pytest.approx((3.25 / 15 + unif) / (0.25 / 15 + unif))


def test_kneser_ney_top_order_uses_raw_counts(LM):
    corpus = [["x", "y"]] * 3 + [["x", "z"]]
    model = LM(2, "kneser-ney", discount=0.5).fit(corpus)
    p_lower_y = model.prob("y", ["unseen"])
    # c(x) = 4, c(x, y) = 3, two types follow x
    assert model.prob("y", ["x"]) == pytest.approx((3 - 0.5 + 0.5 * 2 * p_lower_y) / 4)


def test_mle_on_unseen_context_is_uniform(LM):
    for smoothing, kw in SMOOTHING_ARGS[:2]:
        model = fitted(LM, 3, smoothing, **kw)
        assert model.prob("a", ["zebra", "zebra"]) == pytest.approx(1 / model.vocab_size)


# ---------------------------------------------------------------- perplexity


def test_uniform_model_has_perplexity_equal_to_vocabulary_size(LM):
    # add-k with a huge k is uniform; so is any model on contexts it never saw
    model = fitted(LM, 2, "add-k", k=1e12)
    assert model.perplexity([["a", "b", "zebra"], ["b"]]) == pytest.approx(model.vocab_size, rel=1e-9)
    big = LM(2, "add-k", k=1e12).fit([list("abcdefghij")])
    assert big.perplexity([list("jihgf")]) == pytest.approx(big.vocab_size, rel=1e-9)


def test_perplexity_is_exp_of_mean_negative_log_probability(LM):
    model = fitted(LM, 2, "kneser-ney")
    held_out = [["b", "a", "b"], ["a"]]
    logps = []
    for seq in held_out:
        padded = [BOS] + seq + [EOS]
        logps += [model.logprob(padded[i], padded[i - 1 : i]) for i in range(1, len(padded))]
    assert model.perplexity(held_out) == pytest.approx(math.exp(-np.mean(logps)))


def test_mle_perplexity_is_infinite_on_an_unseen_ngram_and_smoothing_makes_it_finite(LM):
    assert fitted(LM, 2).perplexity([["a", "a"]]) == math.inf
    assert fitted(LM, 2).logprob("a", ["a"]) == -math.inf
    assert math.isfinite(fitted(LM, 2, "add-k").perplexity([["a", "a"]]))
    assert math.isfinite(fitted(LM, 2, "kneser-ney").perplexity([["a", "a"]]))


def test_mle_perplexity_on_training_data_is_finite_and_below_vocabulary_size(LM):
    model = fitted(LM, 2)
    assert 1 <= model.perplexity(CORPUS) < model.vocab_size


def test_character_sequences_may_be_given_as_strings(LM):
    model = LM(3, "kneser-ney").fit(["abab", "ba"])
    assert model.prob("b", "ba") == model.prob("b", ["b", "a"])
    assert model.perplexity(["ab"]) == model.perplexity([["a", "b"]])


# ---------------------------------------------------------------- generation


def test_generate_is_reproducible_for_a_seed(LM):
    model = LM(3, "kneser-ney").fit([list("the cat sat on the mat and the dog sat on the log")])
    a = model.generate(40, seed=3)
    assert a == model.generate(40, seed=3)
    assert len(a) == 40
    assert a != model.generate(40, seed=4)
    assert BOS not in a


def test_generate_continues_a_prefix_and_restarts_after_end_symbol(LM):
    model = LM(2).fit([["x", "y"]])
    assert model.generate(6, seed=0) == ["x", "y", EOS, "x", "y", EOS]
    assert model.generate(2, seed=0, prefix=["x"]) == ["y", EOS]
    assert model.generate(0) == []


# ---------------------------------------------------------------- parameter count


def test_num_parameters_is_vocabulary_size_to_the_n():
    assert num_parameters(10, 2) == 100
    assert num_parameters(10, 4) == 10_000
    assert num_parameters(50_000, 3) == 125 * 10**12
    assert num_parameters(50_000, 5) == 50_000**5  # exact, beyond int64


def test_num_parameters_rejects_bad_arguments():
    with pytest.raises(ValueError, match="vocab_size must be >= 1"):
        num_parameters(0, 2)
    with pytest.raises(TypeError, match="n must be an integer"):
        num_parameters(10, 2.0)


# ---------------------------------------------------------------- bad input


def test_constructor_rejects_bad_order_smoothing_k_and_discount(LM):
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        LM(0)
    with pytest.raises(TypeError, match="n must be an integer"):
        LM(2.5)
    with pytest.raises(ValueError, match="smoothing must be one of"):
        LM(2, "good-turing")
    with pytest.raises(ValueError, match="k must be > 0"):
        LM(2, "add-k", k=0)
    with pytest.raises(ValueError, match="k must be > 0"):
        LM(2, "add-k", k=-1)
    for d in (0, 1, 1.5, -0.2):
        with pytest.raises(ValueError, match="discount must be"):
            LM(2, "kneser-ney", discount=d)
    with pytest.raises(ValueError, match="min_freq must be >= 1"):
        LM(2, min_freq=0)


def test_fit_rejects_empty_corpus(LM):
    with pytest.raises(ValueError, match="sequences is empty"):
        LM(2).fit([])
    with pytest.raises(ValueError, match="sequences is empty"):
        LM(2).fit([[], []])


def test_fit_rejects_non_sequence_input(LM):
    with pytest.raises(TypeError, match="got a single str"):
        LM(2).fit("abc")
    with pytest.raises(TypeError, match="iterable of token sequences, got int"):
        LM(2).fit(5)
    with pytest.raises(TypeError, match=r"sequences\[1\] must be a sequence of tokens"):
        LM(2).fit([["a"], 7])
    with pytest.raises(TypeError, match="must contain str tokens, got int"):
        LM(2).fit([[1, 2, 3]])
    with pytest.raises(TypeError, match="must contain str tokens, got list"):
        LM(2).fit([[["a"], "b"]])


def test_fit_rejects_padding_symbols_in_the_data(LM):
    with pytest.raises(ValueError, match="reserved padding symbol"):
        LM(2).fit([["a", BOS, "b"]])


def test_queries_reject_context_of_wrong_length_and_bad_tokens(LM):
    model = fitted(LM, 3)
    with pytest.raises(ValueError, match="context must hold exactly n - 1 = 2 tokens, got 1"):
        model.prob("a", ["a"])
    with pytest.raises(ValueError, match="exactly n - 1 = 2 tokens, got 3"):
        model.distribution(["a", "b", "a"])
    with pytest.raises(TypeError, match="context must be a sequence of tokens"):
        model.prob("a", 5)
    with pytest.raises(TypeError, match="context must contain str tokens"):
        model.prob("a", ["a", 1])
    with pytest.raises(TypeError, match="token must be a str"):
        model.prob(3, ["a", "b"])
    with pytest.raises(ValueError, match="never predicts it"):
        model.prob(BOS, ["a", "b"])


def test_scoring_rejects_bad_sequences(LM):
    model = fitted(LM, 2)
    with pytest.raises(ValueError, match="sequences is empty"):
        model.perplexity([])
    with pytest.raises(TypeError, match="got a single str"):
        model.perplexity("ab")
    with pytest.raises(TypeError, match="must contain str tokens"):
        model.perplexity([[1]])


def test_count_and_generate_reject_bad_arguments(LM):
    model = fitted(LM, 2)
    with pytest.raises(ValueError, match="ngram must hold 1 to n = 2 tokens, got 3"):
        model.count(["a", "b", "a"])
    with pytest.raises(TypeError, match="ngram must be a list or tuple"):
        model.count("ab")
    with pytest.raises(ValueError, match="num_tokens must be >= 0"):
        model.generate(-1)
    with pytest.raises(TypeError, match="prefix must be a list or tuple"):
        model.generate(3, prefix="a")


def test_using_an_unfitted_model_raises_a_helpful_error(LM):
    with pytest.raises(RuntimeError, match="call fit"):
        LM(2).prob("a", ["b"])
    with pytest.raises(RuntimeError, match="call fit"):
        LM(2).perplexity([["a"]])


def test_scoring_rejects_padding_symbols_in_held_out_text(LM):
    model = fitted(LM, 2)
    with pytest.raises(ValueError, match="reserved padding symbol"):
        model.perplexity([["a", EOS, "b"]])
    with pytest.raises(ValueError, match="reserved padding symbol"):
        model.perplexity([[BOS, "a"]])


# ---------------------------------------------------------------- tuning and the worked example
