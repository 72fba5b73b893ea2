"""Checkers for the exercises of chapter 2 (n-gram language models)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..ngram import BOS, EOS, NGramLM
from ..ngram_fast import FastNGramLM
from . import Case, Verdict, run_checks

_TOY = [["the", "cat", "sat"], ["the", "cat", "ran"], ["a", "dog", "sat"]]
_ONE = [["a", "b", "a", "b", "b"]]
#: The package's own n-gram models, readable and fast: an answer that fits or queries either is
#: not the reader's own.
_REFERENCES = [NGramLM.fit, NGramLM.prob, FastNGramLM.fit, FastNGramLM._probs, FastNGramLM.kneser_ney_steps]


def check_bigram_mle(fn: Callable) -> Verdict:
    """Check ``fn(corpus, prev, word) -> P(word | prev)``, the bigram MLE with padding.

    ``corpus`` is a list of token lists. Each sentence is padded as the chapter does it,
    ``<s> w_1 ... w_T </s>``, and ``P(word | prev) = c(prev, word) / c(prev)``, where
    ``c(prev)`` counts the bigrams that start with ``prev``. Return 0.0 when ``prev``
    never occurs (the chapter's model would fall back to uniform there; keep it simple).
    """
    cases = [
        Case("P(cat | the) in the toy corpus is 2/2", (_TOY, "the", "cat"), 1.0),
        Case("P(sat | cat) is 1/2", (_TOY, "cat", "sat"), 0.5),
        Case("P(the | <s>) counts sentence starts: 2/3", (_TOY, "<s>", "the"), 2 / 3),
        Case("P(</s> | sat) counts sentence ends: 2/2", (_TOY, "sat", "</s>"), 1.0),
        Case("P(dog | the), never seen, is 0", (_TOY, "the", "dog"), 0.0),
        Case("P(b | b) in a b a b b is 1/3", (_ONE, "b", "b"), 1 / 3),
        Case("P(a | zebra), unseen context, is 0", (_ONE, "zebra", "a"), 0.0),
    ]
    return run_checks("check_bigram_mle", fn, cases, forbidden=_REFERENCES)


def check_perplexity(fn: Callable) -> Verdict:
    """Check ``fn(probs) -> perplexity`` for the probabilities a model gave each token."""
    cases = [
        Case("four tokens each with probability 1/4 give 4", ([0.25, 0.25, 0.25, 0.25],), 4.0),
        Case("a certain model (all probabilities 1) gives 1", ([1.0, 1.0, 1.0],), 1.0),
        Case(
            "probabilities 1/2 and 1/8 give sqrt(16) = 4 (the mean, not the sum)",
            ([0.5, 0.125],),
            4.0,
            atol=1e-9,
        ),
        Case("one probability of 0 gives infinity", ([0.5, 0.0],), float("inf")),
        Case(
            "2,000 tokens of probability 1/1000 give 1000 (their product underflows to 0: sum logs)",
            ([1e-3] * 2000,),
            1000.0,
            atol=1e-6,
        ),
    ]
    return run_checks("check_perplexity", fn, cases)


def bigram_counts(corpus: list[list[str]]) -> Counter:
    """``{(prev, word): c(prev, word)}`` over the padded sentences ``<s> w_1 .. w_T </s>``."""
    return Counter((p, w) for s in corpus for p, w in zip([BOS, *s], [*s, EOS]))


_CITY = (
    [["san", "francisco"]] * 6
    + [[w, "glasses"] for w in ("red", "old", "new")]
    + [["the", "old", "san", "francisco"]]
)


def _kn_reference(corpus: list[list[str]], prev: str, word: str, discount: float) -> tuple[float, int]:
    """The package's answer and ``|V|`` for the bigram model of ``corpus``."""
    model = NGramLM(2, "kneser-ney", discount=discount).fit(corpus)
    return model.prob(word, [prev]), model.vocab_size


def check_kneser_ney(fn: Callable) -> Verdict:
    """Check ``fn(counts, prev, word, vocab_size, discount) -> P_KN(word | prev)``.

    ``counts`` maps each bigram ``(prev, word)`` of a padded corpus to its count. The
    answer is the chapter's interpolated Kneser-Ney bigram estimate with one discount ``D``:

    - ``P_1(w) = (max(N(. w) - D, 0) + D * T_1 / |V|) / N(. .)``, where ``N(. w)`` is the
      number of distinct words seen before ``w``, ``N(. .)`` their sum (the number of
      distinct bigrams) and ``T_1`` the number of words with ``N(. w) > 0``;
    - ``P(w | h) = (max(c(h, w) - D, 0) + D * T(h) * P_1(w)) / c(h)``, where ``c(h)`` is the
      number of bigrams that start with ``h`` and ``T(h)`` the number of distinct words
      after ``h``; when ``c(h) = 0`` the answer is ``P_1(w)``.
    """
    if not callable(fn):
        raise TypeError(f"check_kneser_ney expects a function, got {type(fn).__name__}")
    counts = bigram_counts(_CITY)
    _, V = _kn_reference(_CITY, "old", "glasses", 0.75)
    cases = []
    for desc, prev, word, D in [
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
    ]:
        expected, _ = _kn_reference(_CITY, prev, word, D)
        cases.append(Case(desc, (counts, prev, word, V, D), expected, atol=1e-10))

    words = sorted({w for _, w in counts})  # the outcomes seen; |V| - len(words) more are unseen
    total = Case(
        "the probabilities after 'old' sum to 1 over all |V| outcomes (the freed mass is passed down)",
        ("sum", "old", V, 0.75),
        1.0,
        atol=1e-10,
    )

    def answer(*args):
        if args[0] == "sum":
            _, prev, size, D = args
            seen = sum(fn(counts, prev, w, size, D) for w in words)
            return seen + (size - len(words)) * fn(counts, prev, "<never seen>", size, D)
        return fn(*args)

    return run_checks("check_kneser_ney", answer, [*cases, total], forbidden=_REFERENCES)


__all__ = ["bigram_counts", "check_bigram_mle", "check_kneser_ney", "check_perplexity"]
