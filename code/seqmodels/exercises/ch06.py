"""Checkers for chapter 6 (encoder-decoder): teacher forcing, greedy decoding, beam search.

The decoding checkers hand the reader's function a *toy decoder*: a function
``next_scores(prefix) -> log-probabilities`` over a tiny vocabulary, written as a table of
next-word probabilities for each prefix. The cases are built so that each classic mistake
(returning ``<eos>``, never stopping, forgetting ``<bos>``, extending a finished sentence,
keeping the wrong hypotheses) gives a wrong answer or a clear error, reported per case.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ..phrases import encode_pairs
from ..seq2seq import greedy_decode, translate
from . import Case, Verdict, run_checks


def _shown(fn: Callable) -> Callable:
    """Call the reader's function and show its two lists as one readable line."""

    def call(tokens: list[str]) -> str:
        decoder_input, target = fn(list(tokens))
        return f"input {list(decoder_input)} -> target {list(target)}"

    return call


def check_teacher_forcing(fn: Callable[[list[str]], tuple[list[str], list[str]]]) -> Verdict:
    """Check ``fn(tokens) -> (decoder_input, target)`` for teacher forcing.

    The decoder reads ``<bos>`` followed by the sentence, and must predict the sentence
    followed by ``<eos>``: the same words, shifted by one step.
    """
    cases = [
        Case("'o gato'", (["o", "gato"],), "input ['<bos>', 'o', 'gato'] -> target ['o', 'gato', '<eos>']"),
        Case(
            "three words, 'eu te amo'",
            (["eu", "te", "amo"],),
            "input ['<bos>', 'eu', 'te', 'amo'] -> target ['eu', 'te', 'amo', '<eos>']",
        ),
        Case("one word", (["sim"],), "input ['<bos>', 'sim'] -> target ['sim', '<eos>']"),
        Case("an empty sentence", ([],), "input ['<bos>'] -> target ['<eos>']"),
    ]
    return run_checks("check_teacher_forcing", _shown(fn), cases, forbidden=[encode_pairs])


# --------------------------------------------------------------------------- toy decoders

#: The toy vocabulary: index -> word. ``<bos>`` is 0 and ``<eos>`` is 1.
TOY_WORDS = ("<bos>", "<eos>", "o", "gato", "um", "preto", "e", "a", "b", "x", "y", "z", "w", "c", "d")
BOS, EOS = 0, 1
_INDEX = {w: i for i, w in enumerate(TOY_WORDS)}


class ToyDecoder:
    """``next_scores(prefix)`` from a table ``{prefix words: {next word: probability}}``.

    A prefix is a list of indices that starts with ``<bos>``; the table's keys leave
    ``<bos>`` out ("o gato" for ``[<bos>, o, gato]``). A prefix missing from the table ends
    the sentence (``<eos>`` with probability 1). The decoder returns log-probabilities over
    :data:`TOY_WORDS` (``-inf`` for impossible words), refuses malformed prefixes with a
    message that says what is wrong, and stops a loop that calls it too often.
    """

    def __init__(self, table: dict[str, dict[str, float]], max_calls: int) -> None:
        self.table = {}
        for prefix, nexts in table.items():
            key = tuple(_INDEX[w] for w in prefix.split())
            p = np.zeros(len(TOY_WORDS))
            for word, prob in nexts.items():
                p[_INDEX[word]] = prob
            if not math.isclose(p.sum(), 1.0):
                raise ValueError(f"toy probabilities after {prefix!r} sum to {p.sum()}, not 1")
            self.table[key] = p
        self.max_calls = max_calls
        self.calls = 0

    def __call__(self, prefix: Sequence[int]) -> np.ndarray:
        self.calls += 1
        if self.calls > self.max_calls:
            raise RuntimeError(
                f"next_scores was called more than {self.max_calls} times; "
                "does the loop stop at <eos>, and after max_len words?"
            )
        try:
            ids = [int(i) for i in prefix]
        except (TypeError, ValueError):
            raise TypeError(f"a prefix must be a list of word indices, got {prefix!r}") from None
        if not ids or ids[0] != BOS:
            raise ValueError(f"a prefix must start with <bos> (index {BOS}), got {ids}")
        if EOS in ids:
            raise ValueError(
                f"the prefix {ids} goes on after <eos>: a finished sentence must not be extended"
            )
        if any(not 0 <= i < len(TOY_WORDS) for i in ids):
            raise ValueError(
                f"the prefix {ids} holds an index outside the vocabulary 0..{len(TOY_WORDS) - 1}"
            )
        p = self.table.get(tuple(ids[1:]))
        if p is None:
            p = np.zeros(len(TOY_WORDS))
            p[EOS] = 1.0
        with np.errstate(divide="ignore"):
            return np.log(p)


def _words(ids: object) -> str:
    """The reader's output as words ('o gato'), or a clear error if it is not a list of indices."""
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__iter__"):
        raise TypeError(f"the answer must be a list of word indices, got {type(ids).__name__}")
    words = []
    for i in ids:
        try:
            index = int(i)
        except (TypeError, ValueError):
            raise TypeError(f"the answer must be a list of word indices, got an element {i!r}") from None
        if not 0 <= index < len(TOY_WORDS):
            raise ValueError(
                f"the answer holds index {index}, outside the vocabulary 0..{len(TOY_WORDS) - 1}"
            )
        words.append(TOY_WORDS[index])
    return " ".join(words) if words else "(empty)"


#: "cat" -> "o gato": the chapter's example as a toy decoder.
_O_GATO = {
    "": {"o": 0.8, "um": 0.1, "<eos>": 0.1},
    "o": {"gato": 0.9, "preto": 0.1},
    "o gato": {"<eos>": 0.85, "preto": 0.15},
}
#: Exercise 3's two-word sentences: greedy takes "a", the best sentence starts with "b".
_A_OR_B = {
    "": {"a": 0.6, "b": 0.4},
    "a": {"x": 0.55, "y": 0.45},
    "b": {"z": 0.9, "w": 0.1},
}


def _case_decoder(table: dict[str, dict[str, float]], max_calls: int) -> Callable[[], ToyDecoder]:
    return lambda: ToyDecoder(table, max_calls)


def check_greedy(fn: Callable[[Callable[[list[int]], np.ndarray], int, int, int], list[int]]) -> Verdict:
    """Check ``fn(next_scores, bos, eos, max_len) -> list of word indices``: greedy decoding.

    Start from the prefix ``[bos]``; at every step take the index with the largest score,
    stop when it is ``eos`` (not included in the answer) or after ``max_len`` words.
    ``next_scores(prefix)`` returns log-probabilities of the next word for the whole prefix.
    """
    cases = [
        # (description, table, max_len, expected words)
        ("'cat' -> 'o gato': neither <bos> nor <eos> in the answer", _O_GATO, 10, "o gato"),
        ("<eos> is the best first word: the empty answer", {"": {"<eos>": 0.7, "o": 0.3}}, 10, "(empty)"),
        (
            "<eos> never comes: stop after max_len = 3 words",
            {
                "": {"e": 0.6, "<eos>": 0.4},
                "e": {"e": 0.6, "<eos>": 0.4},
                "e e": {"e": 0.6, "<eos>": 0.4},
                "e e e": {"e": 0.6, "<eos>": 0.4},
                "e e e e": {"e": 0.6, "<eos>": 0.4},
            },
            3,
            "e e e",
        ),
        (
            "the next word depends on the whole prefix (feed all of it back, from <bos>)",
            {
                "": {"o": 0.9, "<eos>": 0.1},
                "o": {"gato": 0.9, "<eos>": 0.1},
                "o gato": {"e": 0.9, "<eos>": 0.1},
                "o gato e": {"o": 0.9, "<eos>": 0.1},
                "o gato e o": {"gato": 0.6, "preto": 0.4},
                "o gato e o gato": {"<eos>": 0.7, "e": 0.3},
            },
            10,
            "o gato e o gato",
        ),
        (
            "greedy keeps the best first word, even when a better sentence starts otherwise",
            _A_OR_B,
            10,
            "a x",
        ),
    ]
    checks = [
        Case(description, (_case_decoder(table, max_len + 1), max_len), expected)
        for description, table, max_len, expected in cases
    ]

    def call(make_decoder: Callable[[], ToyDecoder], max_len: int) -> str:
        return _words(fn(make_decoder(), BOS, EOS, max_len))

    return run_checks("check_greedy", call, checks, forbidden=[greedy_decode, translate])


def check_beam_search(
    fn: Callable[[Callable[[list[int]], np.ndarray], int, int, int, int], list[int]],
) -> Verdict:
    """Check ``fn(next_scores, bos, eos, beam_size, max_len) -> list of word indices``: beam search.

    Keep the ``beam_size`` best unfinished prefixes; extend each by every word; score a
    sentence by the *sum* of its words' log-probabilities (its log-probability); a prefix
    that ends in ``eos`` is finished and is not extended. Return the best finished sentence
    (without ``bos`` and ``eos``) once no unfinished prefix can beat it, or after
    ``max_len`` words.
    """
    two_children = {  # the best sentence needs two children of the same first word
        "": {"a": 0.6, "b": 0.4},
        "a": {"x": 0.5, "y": 0.45, "<eos>": 0.05},
        "b": {"z": 0.3, "w": 0.3, "<eos>": 0.4},
        "a x": {"<eos>": 0.2, "c": 0.8},
        "a x c": {"d": 0.05, "<eos>": 0.95},
        "a y": {"<eos>": 0.9, "c": 0.1},
    }
    short_or_long = {  # a short sentence of probability 0.45 against a long one of 0.4
        "": {"a": 0.6, "b": 0.4},
        "a": {"<eos>": 0.75, "c": 0.25},
        "b": {"c": 1.0},
        "b c": {"d": 1.0},
        "b c d": {"<eos>": 1.0},
    }
    finished_early = {  # "a" finishes first (0.3), "b z" later and better (0.324)
        "": {"a": 0.6, "b": 0.4},
        "a": {"<eos>": 0.5, "x": 0.3, "y": 0.2},
        "b": {"z": 0.9, "w": 0.1},
        "b z": {"<eos>": 0.9, "c": 0.1},
    }
    cases = [
        # (description, table, beam_size, max_len, expected words)
        ("beam 2 finds exercise 3's best sentence 'b z' that greedy misses", _A_OR_B, 2, 10, "b z"),
        ("beam 1 is greedy decoding", _A_OR_B, 1, 10, "a x"),
        ("'cat' -> 'o gato': neither <bos> nor <eos> in the answer", _O_GATO, 3, 10, "o gato"),
        (
            "keep the best prefixes over the whole beam, not the best child of each",
            two_children,
            2,
            10,
            "a y",
        ),
        (
            "score by the sum of log-probabilities: 0.6 x 0.75 beats 0.4 x 1 x 1 x 1",
            short_or_long,
            2,
            10,
            "a",
        ),
        (
            "the first sentence to finish ('a', 0.3) need not be the best ('b z', 0.324)",
            finished_early,
            2,
            10,
            "b z",
        ),
    ]
    checks = [
        Case(
            description, (_case_decoder(table, 50 * beam_size * (max_len + 1)), beam_size, max_len), expected
        )
        for description, table, beam_size, max_len, expected in cases
    ]

    def call(make_decoder: Callable[[], ToyDecoder], beam_size: int, max_len: int) -> str:
        return _words(fn(make_decoder(), BOS, EOS, beam_size, max_len))

    return run_checks("check_beam_search", call, checks, forbidden=[greedy_decode, translate])


__all__ = [
    "TOY_WORDS",
    "ToyDecoder",
    "check_beam_search",
    "check_greedy",
    "check_teacher_forcing",
]
