"""Tests for seqmodels.ngram: counts, the three estimates, perplexity, sampling, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seqmodels.data import make_agreement_set
from seqmodels.ngram import BOS, EOS, UNK, NGramLM, agreement_accuracy, num_parameters

CORPUS = [["a", "b", "a"], ["b", "a"]]  # padded: <s> a b a </s> | <s> b a </s>
SMOOTHING_ARGS = [("mle", {}), ("add-k", {"k": 0.5}), ("kneser-ney", {"discount": 0.6})]


def fitted(n: int, smoothing: str = "mle", **kw) -> NGramLM:
    return NGramLM(n, smoothing, **kw).fit(CORPUS)


# ---------------------------------------------------------------- distributions


@pytest.mark.parametrize("smoothing,kw", SMOOTHING_ARGS)
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_distribution_sums_to_one_over_vocabulary_for_seen_and_unseen_contexts(smoothing, kw, n):
    model = fitted(n, smoothing, **kw)
    contexts = [[BOS] * (n - 1), ["a"] * (n - 1), ["b", "b", "b"][: n - 1], ["zebra"] * (n - 1)]
    for context in contexts:
        dist = model.distribution(context)
        assert set(dist) == {"a", "b", EOS, UNK}  # every outcome but <s>
        assert sum(dist.values()) == pytest.approx(1.0, abs=1e-12)
        assert all(p >= 0 for p in dist.values())


@pytest.mark.parametrize("smoothing,kw", SMOOTHING_ARGS)
def test_distribution_sums_to_one_on_real_text_with_min_freq(smoothing, kw):
    text = "the cat sat on the mat . the dog sat on the cat . a bird flew over the dog ."
    model = NGramLM(3, smoothing, min_freq=2, **kw).fit([text.split()])
    for context in (["the", "cat"], ["on", "the"], ["flew", "over"], ["unseen", "words"]):
        assert sum(model.distribution(context).values()) == pytest.approx(1.0, abs=1e-12)


def test_smoothed_models_never_give_probability_zero():
    for smoothing, kw in SMOOTHING_ARGS[1:]:
        model = fitted(3, smoothing, **kw)
        assert min(model.distribution(["b", "b"]).values()) > 0


# ---------------------------------------------------------------- hand-computed values


def test_vocabulary_holds_unk_padding_and_tokens_and_size_excludes_start_symbol():
    model = fitted(2)
    assert model.vocab.idx_to_token[:3] == [UNK, BOS, EOS]
    assert set(model.vocab.idx_to_token) == {UNK, BOS, EOS, "a", "b"}
    assert model.vocab_size == 4


def test_counts_match_hand_counts_of_padded_corpus():
    model = fitted(2)
    assert model.count(["a"]) == 3
    assert model.count(["b"]) == 2
    assert model.count([EOS]) == 2
    assert model.count(["b", "a"]) == 2
    assert model.count(["a", EOS]) == 2
    assert model.count([BOS, "a"]) == 1
    assert model.count(["a", "a"]) == 0
    assert model.num_tokens == 7
    assert model.num_ngram_types == 5  # <s>a, ab, ba, a</s>, <s>b


def test_mle_bigram_probabilities_are_relative_frequencies():
    model = fitted(2)
    assert model.prob("b", ["a"]) == pytest.approx(1 / 3)
    assert model.prob(EOS, ["a"]) == pytest.approx(2 / 3)
    assert model.prob("a", ["b"]) == pytest.approx(1.0)
    assert model.prob("a", [BOS]) == pytest.approx(1 / 2)
    assert model.prob("a", ["a"]) == 0.0


def test_mle_trigram_uses_two_start_symbols():
    model = fitted(3)
    assert model.prob("a", [BOS, BOS]) == pytest.approx(1 / 2)
    assert model.prob("b", [BOS, "a"]) == pytest.approx(1.0)
    assert model.prob(EOS, ["b", "a"]) == pytest.approx(1.0)


def test_mle_unigram_is_token_frequency():
    model = fitted(1)
    assert model.prob("a", []) == pytest.approx(3 / 7)
    assert model.prob(EOS, []) == pytest.approx(2 / 7)
    assert model.prob(UNK, []) == 0.0


def test_add_one_is_laplace_smoothing():
    model = fitted(2, "add-k", k=1.0)
    assert model.prob("b", ["a"]) == pytest.approx((1 + 1) / (3 + 4))
    assert model.prob(UNK, ["a"]) == pytest.approx(1 / 7)
    assert model.prob("zebra", ["a"]) == pytest.approx(1 / 7)  # scored as <unk>


def test_kneser_ney_bigram_matches_hand_computation():
    model = fitted(2, "kneser-ney", discount=0.5)
    # Continuation counts N1+(. w): a after {<s>, b}, b after {a, <s>}, </s> after {a}.
    p_uni = {"a": 1.5 / 5 + 0.5 * 3 / 5 / 4, "b": 1.5 / 5 + 0.5 * 3 / 5 / 4,
             EOS: 0.5 / 5 + 0.5 * 3 / 5 / 4, UNK: 0.5 * 3 / 5 / 4}
    # context a: c(a) = 3, followed by 2 types (b once, </s> twice)
    assert model.prob("b", ["a"]) == pytest.approx((0.5 + 0.5 * 2 * p_uni["b"]) / 3)
    assert model.prob(EOS, ["a"]) == pytest.approx((1.5 + 0.5 * 2 * p_uni[EOS]) / 3)
    assert model.prob("a", ["a"]) == pytest.approx(0.5 * 2 * p_uni["a"] / 3)
    # an unseen context falls back to the continuation unigram
    for w, p in p_uni.items():
        assert model.prob(w, ["zebra"]) == pytest.approx(p)


def test_kneser_ney_lower_order_uses_continuation_counts_not_raw_counts():
    # "francisco" is frequent but only ever follows "san"; "glasses" is rarer but follows
    # many words. Plain absolute discounting backs off to raw unigram counts and prefers
    # "francisco"; Kneser-Ney's continuation counts prefer "glasses".
    corpus = [["san", "francisco"]] * 10 + [[w, "glasses"] for w in ("red", "blue", "old", "new")]
    corpus += [["reading", "books"]]
    model = NGramLM(2, "kneser-ney").fit(corpus)
    assert model.count(["francisco"]) > model.count(["glasses"])
    assert model.prob("glasses", ["reading"]) > model.prob("francisco", ["reading"])
    assert model.prob("glasses", ["zebra"]) > model.prob("francisco", ["zebra"])
    # Both come from the lower order: discounted continuation counts 4 - D and 1 - D over
    # N1+(..) = 15 bigram types, plus D * 10 types / 15 times the uniform 1/|V|.
    ratio = model.prob("glasses", ["reading"]) / model.prob("francisco", ["reading"])
    unif = 0.75 * 10 / 15 / model.vocab_size
    assert ratio == pytest.approx((3.25 / 15 + unif) / (0.25 / 15 + unif))


def test_kneser_ney_top_order_uses_raw_counts():
    corpus = [["x", "y"]] * 3 + [["x", "z"]]
    model = NGramLM(2, "kneser-ney", discount=0.5).fit(corpus)
    p_lower_y = model.prob("y", ["unseen"])
    # c(x) = 4, c(x, y) = 3, two types follow x
    assert model.prob("y", ["x"]) == pytest.approx((3 - 0.5 + 0.5 * 2 * p_lower_y) / 4)


def test_mle_on_unseen_context_is_uniform():
    for smoothing, kw in SMOOTHING_ARGS[:2]:
        model = fitted(3, smoothing, **kw)
        assert model.prob("a", ["zebra", "zebra"]) == pytest.approx(1 / model.vocab_size)


# ---------------------------------------------------------------- perplexity


def test_uniform_model_has_perplexity_equal_to_vocabulary_size():
    # add-k with a huge k is uniform; so is any model on contexts it never saw
    model = fitted(2, "add-k", k=1e12)
    assert model.perplexity([["a", "b", "zebra"], ["b"]]) == pytest.approx(model.vocab_size, rel=1e-9)
    big = NGramLM(2, "add-k", k=1e12).fit([list("abcdefghij")])
    assert big.perplexity([list("jihgf")]) == pytest.approx(big.vocab_size, rel=1e-9)


def test_perplexity_is_exp_of_mean_negative_log_probability():
    model = fitted(2, "kneser-ney")
    held_out = [["b", "a", "b"], ["a"]]
    logps = []
    for seq in held_out:
        padded = [BOS] + seq + [EOS]
        logps += [model.logprob(padded[i], padded[i - 1 : i]) for i in range(1, len(padded))]
    assert model.perplexity(held_out) == pytest.approx(math.exp(-np.mean(logps)))
    total, count = model.log_likelihood(held_out)
    assert total == pytest.approx(sum(logps)) and count == len(logps)
    assert model.cross_entropy(held_out) == pytest.approx(-np.mean(logps))


def test_vectorised_scoring_matches_token_by_token_prob_for_every_smoothing():
    text = "to be or not to be that is the question whether tis nobler in the mind".split()
    for smoothing, kw in SMOOTHING_ARGS[1:]:
        model = NGramLM(3, smoothing, **kw).fit([text[:12], text[5:]])
        held = ["to", "be", "in", "the", "question", "zebra"]
        padded = [BOS, BOS] + held + [EOS]
        expected = sum(model.logprob(padded[i], padded[i - 2 : i]) for i in range(2, len(padded)))
        assert model.log_likelihood([held])[0] == pytest.approx(expected)


def test_mle_perplexity_is_infinite_on_an_unseen_ngram_and_smoothing_makes_it_finite():
    assert fitted(2).perplexity([["a", "a"]]) == math.inf
    assert fitted(2).logprob("a", ["a"]) == -math.inf
    assert math.isfinite(fitted(2, "add-k").perplexity([["a", "a"]]))
    assert math.isfinite(fitted(2, "kneser-ney").perplexity([["a", "a"]]))


def test_mle_perplexity_on_training_data_is_finite_and_below_vocabulary_size():
    model = fitted(2)
    assert 1 <= model.perplexity(CORPUS) < model.vocab_size


def test_unseen_share_counts_held_out_ngrams_missing_from_training():
    model = fitted(2)
    # padded held-out <s> a a </s>: (<s>, a) seen, (a, a) unseen, (a, </s>) seen
    assert model.unseen_share([["a", "a"]]) == pytest.approx(1 / 3)
    assert model.unseen_share(CORPUS) == 0.0


def test_character_sequences_may_be_given_as_strings():
    model = NGramLM(3, "kneser-ney").fit(["abab", "ba"])
    assert model.prob("b", "ba") == model.prob("b", ["b", "a"])
    assert model.perplexity(["ab"]) == model.perplexity([["a", "b"]])


# ---------------------------------------------------------------- generation


def test_generate_is_reproducible_for_a_seed():
    model = NGramLM(3, "kneser-ney").fit([list("the cat sat on the mat and the dog sat on the log")])
    a = model.generate(40, seed=3)
    assert a == model.generate(40, seed=3)
    assert len(a) == 40
    assert a != model.generate(40, seed=4)
    assert BOS not in a


def test_generate_continues_a_prefix_and_restarts_after_end_symbol():
    model = NGramLM(2).fit([["x", "y"]])
    assert model.generate(6, seed=0) == ["x", "y", EOS, "x", "y", EOS]
    assert model.generate(2, seed=0, prefix=["x"]) == ["y", EOS]
    assert model.generate(0) == []


# ---------------------------------------------------------------- agreement


def test_ngram_agreement_accuracy_is_perfect_within_its_window_and_chance_beyond():
    train = make_agreement_set(20000, list(range(0, 6)), seed=0)
    model = NGramLM(4, "kneser-ney").fit(train.sentences)
    near = [agreement_accuracy(model, make_agreement_set(300, k, seed=10 + k)) for k in (0, 1, 2)]
    far = [agreement_accuracy(model, make_agreement_set(300, k, seed=10 + k)) for k in (3, 5)]
    assert min(near) > 0.95
    assert max(far) < 0.62 and min(far) > 0.38


def test_agreement_accuracy_rejects_wrong_arguments():
    data = make_agreement_set(5, 1)
    with pytest.raises(TypeError, match="model must be an NGramLM"):
        agreement_accuracy("model", data)
    with pytest.raises(TypeError, match="data must be an AgreementSet"):
        agreement_accuracy(fitted(2), [["the"]])


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


def test_constructor_rejects_bad_order_smoothing_k_and_discount():
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        NGramLM(0)
    with pytest.raises(TypeError, match="n must be an integer"):
        NGramLM(2.5)
    with pytest.raises(ValueError, match="smoothing must be one of"):
        NGramLM(2, "good-turing")
    with pytest.raises(ValueError, match="k must be > 0"):
        NGramLM(2, "add-k", k=0)
    with pytest.raises(ValueError, match="k must be > 0"):
        NGramLM(2, "add-k", k=-1)
    for d in (0, 1, 1.5, -0.2):
        with pytest.raises(ValueError, match="discount must be"):
            NGramLM(2, "kneser-ney", discount=d)
    with pytest.raises(ValueError, match="min_freq must be >= 1"):
        NGramLM(2, min_freq=0)


def test_fit_rejects_empty_corpus():
    with pytest.raises(ValueError, match="sequences is empty"):
        NGramLM(2).fit([])
    with pytest.raises(ValueError, match="sequences is empty"):
        NGramLM(2).fit([[], []])


def test_fit_rejects_non_sequence_input():
    with pytest.raises(TypeError, match="got a single str"):
        NGramLM(2).fit("abc")
    with pytest.raises(TypeError, match="iterable of token sequences, got int"):
        NGramLM(2).fit(5)
    with pytest.raises(TypeError, match=r"sequences\[1\] must be a sequence of tokens"):
        NGramLM(2).fit([["a"], 7])
    with pytest.raises(TypeError, match="must contain str tokens, got int"):
        NGramLM(2).fit([[1, 2, 3]])
    with pytest.raises(TypeError, match="must contain str tokens, got list"):
        NGramLM(2).fit([[["a"], "b"]])


def test_fit_rejects_padding_symbols_in_the_data():
    with pytest.raises(ValueError, match="reserved padding symbol"):
        NGramLM(2).fit([["a", BOS, "b"]])


def test_queries_reject_context_of_wrong_length_and_bad_tokens():
    model = fitted(3)
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


def test_scoring_rejects_bad_sequences():
    model = fitted(2)
    with pytest.raises(ValueError, match="sequences is empty"):
        model.perplexity([])
    with pytest.raises(TypeError, match="got a single str"):
        model.perplexity("ab")
    with pytest.raises(TypeError, match="must contain str tokens"):
        model.perplexity([[1]])
    with pytest.raises(ValueError, match="sequences is empty"):
        model.unseen_share([])


def test_count_and_generate_reject_bad_arguments():
    model = fitted(2)
    with pytest.raises(ValueError, match="ngram must hold 1 to n = 2 tokens, got 3"):
        model.count(["a", "b", "a"])
    with pytest.raises(TypeError, match="ngram must be a list or tuple"):
        model.count("ab")
    with pytest.raises(ValueError, match="num_tokens must be >= 0"):
        model.generate(-1)
    with pytest.raises(TypeError, match="prefix must be a list or tuple"):
        model.generate(3, prefix="a")


def test_using_an_unfitted_model_raises_a_helpful_error():
    with pytest.raises(RuntimeError, match="call fit"):
        NGramLM(2).prob("a", ["b"])
    with pytest.raises(RuntimeError, match="call fit"):
        NGramLM(2).perplexity([["a"]])


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
        NGramLM(2).with_smoothing("mle")


@pytest.mark.parametrize("smoothing,kw", SMOOTHING_ARGS)
def test_lower_order_equals_a_fresh_fit_of_that_order(smoothing, kw):
    corpus = [list("abracadabra"), list("cadabra"), list("bar")]
    top = NGramLM(5, smoothing, **kw).fit(corpus)
    held = [list("abacab"), list("zzabra")]
    for m in range(1, 6):
        low, fresh = top.lower_order(m), NGramLM(m, smoothing, **kw).fit(corpus)
        assert low.n == m
        assert low.perplexity(held) == pytest.approx(fresh.perplexity(held))
        context = list("xcab")[4 - (m - 1) :] if m > 1 else []
        assert low.distribution(context) == pytest.approx(fresh.distribution(context))
    with pytest.raises(ValueError, match="m must be <= n = 5, got 6"):
        top.lower_order(6)


def test_scoring_rejects_padding_symbols_in_held_out_text():
    model = fitted(2)
    with pytest.raises(ValueError, match="reserved padding symbol"):
        model.perplexity([["a", EOS, "b"]])
    with pytest.raises(ValueError, match="reserved padding symbol"):
        model.unseen_share([[BOS, "a"]])


# ---------------------------------------------------------------- tuning and the worked example


@pytest.mark.parametrize("smoothing,values", [("add-k", [0.01, 0.5, 2.0]), ("kneser-ney", [0.1, 0.6, 0.95])])
def test_sweep_equals_one_perplexity_per_value(smoothing, values):
    corpus = [list("abracadabra"), list("cadabra"), list("bar")]
    held = [list("abacab"), list("zzabra")]
    model = NGramLM(3, smoothing).fit(corpus)
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


@pytest.mark.parametrize("context,token", [(["a", "b"], "a"), (["b", "a"], "b"), (["zebra", "a"], EOS), ([BOS, BOS], "zebra")])
def test_kneser_ney_steps_end_in_the_models_probability(context, token):
    model = NGramLM(3, "kneser-ney", discount=0.6).fit(CORPUS)
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
    assert (unigram.context, unigram.count, unigram.context_count, unigram.context_types) == ((), 2.0, 5.0, 3.0)
    # order 2: c(a, b) = 1 of c(a) = 3, two distinct followers of a (b and </s>)
    assert (bigram.context, bigram.count, bigram.context_count, bigram.context_types) == (("a",), 1.0, 3.0, 2.0)
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
