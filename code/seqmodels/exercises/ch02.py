"""Checkers for the exercises of chapter 2 (n-gram language models): 2.1, 2.2 and 2.3."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from ..ngram import BOS, EOS, NGramLM
from . import Case, Exercise, Verdict, check, plain, rng_for

_TOY = [["the", "cat", "sat"], ["the", "cat", "ran"], ["a", "dog", "sat"]]
_ONE = [["a", "b", "a", "b", "b"]]
#: The package's own n-gram models, readable and fast: an answer that fits or queries either is
#: not the reader's own.
_REFERENCES = (
    "seqmodels.ngram.NGramLM.fit",
    "seqmodels.ngram.NGramLM.prob",
    "seqmodels.ngram_fast.FastNGramLM.fit",
    "seqmodels.ngram_fast.FastNGramLM._probs",
    "seqmodels.ngram_fast.FastNGramLM.kneser_ney_steps",
)


def _random_corpus(rng: np.random.Generator, words: int, sentences: int) -> list[list[str]]:
    vocab = [f"w{i}" for i in range(words)]
    return [
        [vocab[int(i)] for i in rng.integers(0, words, int(rng.integers(1, 7)))] for _ in range(sentences)
    ]


def _mle(corpus: list[list[str]], prev: str, word: str) -> float:
    counts = bigram_counts(corpus)
    total = sum(c for (p, _), c in counts.items() if p == prev)
    return counts[(prev, word)] / total if total else 0.0


def bigram_mle_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 2.1, ``bigram_mle(corpus, prev, word) -> P(word | prev)``.

    ``corpus`` is a list of token lists. Each sentence is padded as the chapter does it,
    ``<s> w_1 ... w_T </s>``, and ``P(word | prev) = c(prev, word) / c(prev)``, where
    ``c(prev)`` counts the bigrams that start with ``prev``; 0.0 when ``prev`` never occurs.
    """
    if seed is None:
        return [
            Case("P(cat | the) in the toy corpus is 2/2", (_TOY, "the", "cat"), 1.0),
            Case("P(sat | cat) is 1/2", (_TOY, "cat", "sat"), 0.5),
            Case("P(the | <s>) counts sentence starts: 2/3", (_TOY, "<s>", "the"), 2 / 3),
            Case("P(</s> | sat) counts sentence ends: 2/2", (_TOY, "sat", "</s>"), 1.0),
            Case("P(dog | the), never seen, is 0", (_TOY, "the", "dog"), 0.0),
            Case("P(b | b) in a b a b b is 1/3", (_ONE, "b", "b"), 1 / 3),
            Case("P(a | zebra), unseen context, is 0", (_ONE, "zebra", "a"), 0.0),
            Case(
                "P(a | a) in 'a a a' is 2/3: the bigrams (a, a) overlap, count both",
                ([["a", "a", "a"]], "a", "a"),
                2 / 3,
            ),
        ]
    rng = rng_for(seed, 0, salt=21)
    corpus = _random_corpus(rng, 5, 12) + [["w1", "w1", "w1", "w1"]]
    queries = [("w1", "w1"), (BOS, "w2"), ("w3", EOS), ("w0", "w4"), ("w9", "w0")]
    return [Case(f"P({w} | {p}) in a random corpus", (corpus, p, w), _mle(corpus, p, w)) for p, w in queries]


def _perplexity(probs: list[float]) -> float:
    p = np.asarray(probs, dtype=np.float64)
    if np.any(p == 0):
        return float("inf")
    return float(np.exp(-np.mean(np.log(p))))


def perplexity_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 2.2, ``perplexity(probs)``: exp of the mean negative log-probability."""
    if seed is None:
        return [
            Case("four tokens each with probability 1/4 give 4", ([0.25, 0.25, 0.25, 0.25],), 4.0),
            Case("a certain model (all probabilities 1) gives 1", ([1.0, 1.0, 1.0],), 1.0),
            Case("probabilities 1/2 and 1/8 give sqrt(16) = 4 (the mean, not the sum)", ([0.5, 0.125],), 4.0),
            Case("one probability of 0 gives infinity", ([0.5, 0.0],), float("inf")),
            Case(
                "2,000 tokens of probability 1/1000 give 1000 (their product underflows to 0: sum logs)",
                ([1e-3] * 2000,),
                1000.0,
            ),
        ]
    rng = rng_for(seed, 0, salt=22)
    cases = []
    for n in (int(rng.integers(3, 9)), int(rng.integers(20, 60)), 1500):
        probs = [float(p) for p in rng.uniform(0.0005 if n == 1500 else 0.01, 1.0, n)]
        cases.append(Case(f"{n} random probabilities", (probs,), _perplexity(probs)))
    cases.append(Case("a zero among random probabilities", ([0.3, 0.0, 0.9],), float("inf")))
    return cases


def bigram_counts(corpus: list[list[str]]) -> Counter:
    """``{(prev, word): c(prev, word)}`` over the padded sentences ``<s> w_1 .. w_T </s>``."""
    return Counter((p, w) for s in corpus for p, w in zip([BOS, *s], [*s, EOS]))


def _triples(corpus: list[list[str]]) -> list[list]:
    """The bigram counts as plain ``[prev, word, count]`` triples (what a case can carry)."""
    return [[p, w, int(c)] for (p, w), c in sorted(bigram_counts(corpus).items())]


_CITY = (
    [["san", "francisco"]] * 6
    + [[w, "glasses"] for w in ("red", "old", "new")]
    + [["the", "old", "san", "francisco"]]
)


def _kn_reference(corpus: list[list[str]], prev: str, word: str, discount: float) -> tuple[float, int]:
    """The package's answer and ``|V|`` for the bigram model of ``corpus``."""
    model = NGramLM(2, "kneser-ney", discount=discount).fit(corpus)
    return model.prob(word, [prev]), model.vocab_size


def kneser_ney_harness(
    fn: Callable, triples: list, prev: str, word: str | None, vocab_size: int, discount: float
):
    """Call ``fn(counts, prev, word, vocab_size, discount)`` with ``counts`` rebuilt from ``triples``.

    With ``word`` ``None`` the answer is the sum of ``fn`` over all ``vocab_size`` outcomes (the
    words seen, plus the unseen ones through one word never seen): it must be 1.
    """
    counts = Counter({(p, w): int(c) for p, w, c in triples})
    if word is not None:
        return plain(fn(counts, prev, word, vocab_size, discount))
    words = sorted({w for _, w in counts})
    seen = sum(fn(Counter(counts), prev, w, vocab_size, discount) for w in words)
    return plain(
        seen + (vocab_size - len(words)) * fn(Counter(counts), prev, "<never seen>", vocab_size, discount)
    )


def kneser_ney_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 2.3, ``my_kneser_ney(counts, prev, word, vocab_size, discount)``.

    ``counts`` maps each bigram ``(prev, word)`` of a padded corpus to its count (a case
    carries them as ``[prev, word, count]`` triples; :func:`kneser_ney_harness` rebuilds the
    dict). The answer is the chapter's interpolated Kneser-Ney bigram estimate with one
    discount ``D``:

    - ``P_1(w) = (max(N(. w) - D, 0) + D * T_1 / |V|) / N(. .)``, where ``N(. w)`` is the
      number of distinct words seen before ``w``, ``N(. .)`` their sum (the number of
      distinct bigrams) and ``T_1`` the number of words with ``N(. w) > 0``;
    - ``P(w | h) = (max(c(h, w) - D, 0) + D * T(h) * P_1(w)) / c(h)``, where ``c(h)`` is the
      number of bigrams that start with ``h`` and ``T(h)`` the number of distinct words
      after ``h``; when ``c(h) = 0`` the answer is ``P_1(w)``.
    """
    if seed is None:
        corpus = _CITY
        queries = [
            ("P(glasses | old): seen, discounted, plus its share of the lower order", "old", "glasses", 0.75),
            ("P(francisco | san): the frequent bigram keeps most of its count", "san", "francisco", 0.75),
            (
                "P(francisco | old): a bigram never seen after a seen context gets the lower order's share",
                "old",
                "francisco",
                0.75,
            ),
            (
                "P(francisco | red): frequent, but after one word only (continuation counts below the top)",
                "red",
                "francisco",
                0.75,
            ),
            ("P(glasses | the) with D = 0.5: the discount is an argument", "the", "glasses", 0.5),
            ("P(glasses | zebra): an unseen context gets P_1(glasses)", "zebra", "glasses", 0.75),
            ("P(zebra | old): a word never seen at all gets the uniform floor, not 0", "old", "zebra", 0.75),
            ("P(</s> | francisco): the end symbol is a word like any other", "francisco", EOS, 0.75),
            (
                "P(san | <s>): c(<s>) counts the bigrams that start with <s>, one per sentence",
                BOS,
                "san",
                0.75,
            ),
        ]
        total_prev = "old"
    else:
        rng = rng_for(seed, 0, salt=23)
        corpus = _random_corpus(rng, 6, 15)
        D = float(rng.choice([0.5, 0.75, 0.9]))
        queries = [
            (f"P({w} | {p}) in a random corpus, D = {D}", p, w, D)
            for p, w in [(BOS, "w0"), ("w1", "w2"), ("w3", EOS), ("w9", "w4"), ("w2", "w7")]
        ]
        total_prev = "w5"
    triples = _triples(corpus)
    _, V = _kn_reference(corpus, queries[0][1], "x", 0.75)
    cases = [
        Case(desc, (triples, prev, word, V, D), _kn_reference(corpus, prev, word, D)[0])
        for desc, prev, word, D in queries
    ]
    cases.append(
        Case(
            f"the probabilities after {total_prev!r} sum to 1 over all |V| outcomes (the freed mass is passed down)",
            (triples, total_prev, None, V, 0.75),
            1.0,
        )
    )
    return cases


EXERCISES = [
    Exercise("2.1", "bigram_mle", bigram_mle_cases, "check_bigram_mle", forbidden=_REFERENCES),
    Exercise("2.2", "perplexity", perplexity_cases, "check_perplexity"),
    Exercise(
        "2.3",
        "my_kneser_ney",
        kneser_ney_cases,
        "check_kneser_ney",
        forbidden=_REFERENCES,
        harness="seqmodels.exercises.ch02.kneser_ney_harness",
    ),
]


def check_bigram_mle(fn: Callable) -> Verdict:
    """Check ``fn(corpus, prev, word) -> P(word | prev)`` (exercise 2.1), the bigram MLE with padding."""
    return check(EXERCISES[0], fn)


def check_perplexity(fn: Callable) -> Verdict:
    """Check ``fn(probs) -> perplexity`` (exercise 2.2) for the probabilities a model gave each token."""
    return check(EXERCISES[1], fn)


def check_kneser_ney(fn: Callable) -> Verdict:
    """Check ``fn(counts, prev, word, vocab_size, discount) -> P_KN(word | prev)`` (exercise 2.3)."""
    return check(EXERCISES[2], fn)


__all__ = [
    "EXERCISES",
    "bigram_counts",
    "bigram_mle_cases",
    "check_bigram_mle",
    "check_kneser_ney",
    "check_perplexity",
    "kneser_ney_cases",
    "kneser_ney_harness",
    "perplexity_cases",
]
