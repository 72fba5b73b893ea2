"""The chapter 2 checkers pass correct answers and fail the classic mistakes, case by case."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from seqmodels.exercises.ch02 import bigram_counts, check_bigram_mle, check_kneser_ney, check_perplexity
from seqmodels.ngram import NGramLM
from seqmodels.ngram_fast import FastNGramLM

# ---------------------------------------------------------------- bigram MLE


def bigram_mle(corpus, prev, word):  # the chapter's solution
    pairs = [(p, w) for s in corpus for p, w in zip(["<s>", *s], [*s, "</s>"])]
    c_prev = sum(p == prev for p, _ in pairs)
    return sum(pair == (prev, word) for pair in pairs) / c_prev if c_prev else 0.0


def test_check_bigram_mle_passes_the_books_solution(capsys):
    assert check_bigram_mle(bigram_mle)
    assert "PASS: check_bigram_mle: 8/8" in capsys.readouterr().out


def test_check_bigram_mle_fails_missing_padding_and_crashes(capsys):
    def no_padding(corpus, prev, word):
        pairs = [(p, w) for s in corpus for p, w in zip(s, s[1:])]
        c_prev = sum(p == prev for p, _ in pairs)
        return sum(pair == (prev, word) for pair in pairs) / c_prev if c_prev else 0.0

    def padded_once(corpus, prev, word):  # pads the concatenated corpus, not each sentence
        return bigram_mle([[w for s in corpus for w in s]], prev, word)

    assert not check_bigram_mle(no_padding)
    assert not check_bigram_mle(padded_once)
    assert not check_bigram_mle(lambda c, p, w: 1 / 0)
    assert "raised ZeroDivisionError" in capsys.readouterr().out


def test_check_bigram_mle_fails_an_answer_that_uses_the_package(capsys):
    def via_package(corpus, prev, word):
        return (
            NGramLM(2).fit(corpus).prob(word, [prev])
            if any(prev in s for s in corpus) or prev == "<s>"
            else 0.0
        )

    assert not check_bigram_mle(via_package)
    assert "calls seqmodels.ngram.NGramLM.fit" in capsys.readouterr().out


# ---------------------------------------------------------------- perplexity


def perplexity(probs):  # the chapter's solution
    probs = np.asarray(probs, dtype=float)
    with np.errstate(divide="ignore"):
        return float(np.exp(-np.mean(np.log(probs))))


def perplexity_summed(probs):  # forgets to average over tokens (and overflows on long texts)
    with np.errstate(divide="ignore", over="ignore"):
        return float(np.exp(-np.sum(np.log(probs))))


def perplexity_by_product(probs):  # the geometric mean through the product: underflows
    with np.errstate(divide="ignore", over="ignore"):
        return float(np.prod(probs) ** (-1 / len(probs)))


def test_check_perplexity_passes_the_books_solution(capsys):
    assert check_perplexity(perplexity)
    assert "PASS: check_perplexity: 5/5" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong",
    [
        perplexity_summed,
        perplexity_by_product,
        lambda probs: 1 / float(np.mean(probs)),
        lambda probs: float(np.exp(np.mean(np.log(probs)))),
    ],
    ids=["summed", "product underflows", "inverse mean", "sign dropped"],
)
def test_check_perplexity_fails_the_classic_mistakes(wrong, capsys):
    with np.errstate(divide="ignore"):
        assert not check_perplexity(wrong)


def test_the_product_mistake_fails_only_the_underflow_case(capsys):
    check_perplexity(perplexity_by_product)
    out = capsys.readouterr().out
    assert "4/5 cases correct" in out and "✗ 2,000 tokens" in out


# ---------------------------------------------------------------- Kneser-Ney from counts


def kneser_ney(counts, prev, word, vocab_size, discount):  # the chapter's solution
    before, after, c_prev = Counter(), Counter(), Counter()
    for (p, w), c in counts.items():
        before[w] += 1  # N(. w): one more distinct word seen before w
        after[p] += 1  # T(p): one more distinct word seen after p
        c_prev[p] += c
    p1 = (max(before[word] - discount, 0) + discount * len(before) / vocab_size) / sum(before.values())
    if c_prev[prev] == 0:
        return p1
    return (max(counts.get((prev, word), 0) - discount, 0) + discount * after[prev] * p1) / c_prev[prev]


def kn_variant(
    raw_lower=False,
    uniform_floor=True,
    interpolate=True,
    unseen_context=None,
    fixed_discount=None,
    discount_top=True,
):
    """The solution with one classic mistake switched on."""

    def answer(counts, prev, word, vocab_size, discount):
        D = discount if fixed_discount is None else fixed_discount
        before, after, c_prev, raw = Counter(), Counter(), Counter(), Counter()
        for (p, w), c in counts.items():
            before[w] += 1
            after[p] += 1
            c_prev[p] += c
            raw[w] += c
        lower = raw if raw_lower else before
        floor = D * len(lower) / vocab_size if uniform_floor else 0.0
        p1 = (max(lower[word] - D, 0) + floor) / sum(lower.values())
        if c_prev[prev] == 0:
            return p1 if unseen_context is None else unseen_context(vocab_size)
        c = counts.get((prev, word), 0)
        top = max(c - D, 0) if discount_top else c
        if not interpolate:  # backoff: the lower order only for unseen bigrams
            return top / c_prev[prev] if c else D * after[prev] * p1 / c_prev[prev]
        return (top + D * after[prev] * p1) / c_prev[prev]

    return answer


def test_check_kneser_ney_passes_the_books_solution(capsys):
    assert check_kneser_ney(kneser_ney)
    assert "PASS: check_kneser_ney: 10/10" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong",
    [
        kn_variant(raw_lower=True),
        kn_variant(uniform_floor=False),
        kn_variant(interpolate=False),
        kn_variant(unseen_context=lambda V: 0.0),
        kn_variant(unseen_context=lambda V: 1 / V),
        kn_variant(fixed_discount=0.75),
        kn_variant(discount_top=False),
    ],
    ids=[
        "raw counts below the top",
        "no uniform floor",
        "backoff, not interpolation",
        "unseen context 0",
        "unseen context uniform",
        "D fixed at 0.75",
        "top order not discounted",
    ],
)
def test_check_kneser_ney_fails_the_classic_mistakes(wrong, capsys):
    assert not check_kneser_ney(wrong)


def test_check_kneser_ney_fails_an_answer_that_uses_the_package(capsys):
    corpus = [["san", "francisco"]]

    def via_package(counts, prev, word, vocab_size, discount):
        return NGramLM(2, "kneser-ney", discount=discount).fit(corpus).prob(word, [prev])

    assert not check_kneser_ney(via_package)
    assert "calls seqmodels.ngram.NGramLM.fit" in capsys.readouterr().out


@pytest.mark.parametrize("method", ["fit", "prob"])
def test_checkers_fail_answers_that_use_either_package_model(method, capsys):
    corpus = [["san", "francisco"]]
    readable = NGramLM(2, "kneser-ney").fit(corpus)
    fast = FastNGramLM(2, "kneser-ney").fit(corpus)

    def via(model):
        def answer(*args):
            prev, word = args[-4:-2] if len(args) == 5 else args[1:]
            return (
                model.prob(word, [prev])
                if method == "prob"
                else type(model)(2).fit(corpus).prob(word, [prev])
            )

        return answer

    for model in (readable, fast):
        assert not check_bigram_mle(via(model))
        assert not check_kneser_ney(via(model))
    out = capsys.readouterr().out
    assert "calls seqmodels.ngram.NGramLM." in out and "calls seqmodels.ngram_fast.FastNGramLM." in out


def test_check_kneser_ney_reports_a_crash_and_rejects_non_functions(capsys):
    assert not check_kneser_ney(lambda *args: 1 / 0)
    assert "raised ZeroDivisionError" in capsys.readouterr().out
    with pytest.raises(TypeError, match="expects a function"):
        check_kneser_ney(0.5)


def test_bigram_counts_pads_every_sentence():
    assert bigram_counts([["a", "b"], ["b"]]) == Counter(
        {("<s>", "a"): 1, ("a", "b"): 1, ("b", "</s>"): 2, ("<s>", "b"): 1}
    )


@pytest.mark.parametrize(
    "wrong, failing",
    [
        (kn_variant(raw_lower=True), "francisco | red"),
        (kn_variant(uniform_floor=False), "zebra | old"),
        (kn_variant(interpolate=False), "sum to 1"),
        (kn_variant(fixed_discount=0.75), "D = 0.5"),
    ],
    ids=["raw counts", "no floor", "backoff", "fixed D"],
)
def test_each_classic_mistake_fails_the_case_the_solution_names(wrong, failing, capsys):
    check_kneser_ney(wrong)
    failed = [line for line in capsys.readouterr().out.splitlines() if line.lstrip().startswith("✗")]
    assert any(failing in line for line in failed), failed


# ---------------------------------------------------------------- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

from seqmodels.exercises import exercise, score  # noqa: E402


def bigram_by_substring_counts(corpus, prev, word):
    """Counts ' prev word ' in the joined text: str.count misses overlapping matches."""
    text = " " + " ".join(" ".join(["<s>", *s, "</s>"]) for s in corpus) + " "
    c_prev = sum(1 for s in corpus for p in ["<s>", *s] if p == prev)
    return text.count(f" {prev} {word} ") / c_prev if c_prev else 0.0


def kneser_ney_c_of_h_from_the_wrong_side(counts, prev, word, vocab_size, discount):
    """c(h) counted where h is the *second* word: right for every context but <s>."""
    before, after = Counter(), Counter()
    for (p, w), _ in counts.items():
        before[w] += 1
        after[p] += 1
    c_h = sum(c for (a, b), c in counts.items() if b == prev)
    p1 = (max(before[word] - discount, 0) + discount * len(before) / vocab_size) / sum(before.values())
    if c_h == 0:
        return p1
    return (max(counts.get((prev, word), 0) - discount, 0) + discount * after[prev] * p1) / c_h


def kneser_ney_retry_after_the_guard(counts, prev, word, vocab_size, discount):
    corpus = [["x"]]  # any fit of the package's model is forbidden
    try:
        NGramLM(2, "kneser-ney", discount=discount).fit(corpus)
    except Exception:
        NGramLM(2, "kneser-ney", discount=discount).fit(corpus)
    return kneser_ney(counts, prev, word, vocab_size, discount)


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_bigram_mle, bigram_by_substring_counts),
        (check_kneser_ney, kneser_ney_c_of_h_from_the_wrong_side),
        (check_kneser_ney, kneser_ney_retry_after_the_guard),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_false_pass_of_the_review_now_fails(checker, wrong, capsys):
    assert not checker(wrong)
    capsys.readouterr()


def test_substring_counts_fail_the_overlapping_bigrams_and_c_h_from_the_wrong_side_fails_bos(capsys):
    check_bigram_mle(bigram_by_substring_counts)
    check_kneser_ney(kneser_ney_c_of_h_from_the_wrong_side)
    out = capsys.readouterr().out
    assert "✗ P(a | a) in 'a a a' is 2/3" in out and "✗ P(san | <s>)" in out


@pytest.mark.parametrize(
    "checker, solution",
    [(check_bigram_mle, bigram_mle), (check_perplexity, perplexity), (check_kneser_ney, kneser_ney)],
    ids=["bigram MLE in float32", "perplexity in float32", "Kneser-Ney in float32"],
)
def test_a_false_fail_of_the_review_now_passes(checker, solution, float32, capsys):
    assert checker(float32(solution))
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution",
    [("2.1", bigram_mle), ("2.2", perplexity), ("2.3", kneser_ney)],
    ids=["2.1", "2.2", "2.3"],
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
