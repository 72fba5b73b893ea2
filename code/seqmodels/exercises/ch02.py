"""Checkers for the exercises of chapter 2 (n-gram language models)."""

from __future__ import annotations

from collections.abc import Callable

from . import Case, Verdict, run_checks

_TOY = [["the", "cat", "sat"], ["the", "cat", "ran"], ["a", "dog", "sat"]]
_ONE = [["a", "b", "a", "b", "b"]]


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
    return run_checks("check_bigram_mle", fn, cases)


def check_perplexity(fn: Callable) -> Verdict:
    """Check ``fn(probs) -> perplexity`` for the probabilities a model gave each token."""
    cases = [
        Case("four tokens each with probability 1/4 give 4", ([0.25, 0.25, 0.25, 0.25],), 4.0),
        Case("a certain model (all probabilities 1) gives 1", ([1.0, 1.0, 1.0],), 1.0),
        Case("probabilities 1/2 and 1/8 give sqrt(16) = 4", ([0.5, 0.125],), 4.0, atol=1e-9),
        Case("one probability of 0 gives infinity", ([0.5, 0.0],), float("inf")),
    ]
    return run_checks("check_perplexity", fn, cases)


__all__ = ["check_bigram_mle", "check_perplexity"]
