"""Checkers for chapter 6 (encoder-decoder): teacher forcing, greedy decoding, beam search.

The decoding checkers hand the reader's function a *toy decoder*: a function
``next_scores(prefix) -> log-probabilities`` over a tiny vocabulary, written as a table of
next-word probabilities for each prefix. The cases are built so that each classic mistake
(returning ``<eos>``, never stopping, forgetting ``<bos>``, extending a finished sentence,
keeping the wrong hypotheses) gives a wrong answer or a clear error, reported per case.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np

from . import Case, Exercise, Verdict, check, rng_for


def teacher_forcing_harness(fn: Callable, tokens: list[str]) -> str:
    """Call ``fn(tokens)`` and show its pair ``(decoder_input, target)`` as one readable line.

    Each element is shown as text, so NumPy string arrays are as good as lists; a list pair is
    as good as a tuple.
    """
    out = fn(list(tokens))
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"the answer must be a pair (decoder_input, target), got {type(out).__name__}")
    decoder_input, target = ([str(w) for w in part] for part in out)
    return f"input {decoder_input} -> target {target}"


def _tf_line(tokens: list[str]) -> str:
    return f"input {['<bos>', *tokens]} -> target {[*tokens, '<eos>']}"


def teacher_forcing_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 6.1, ``teacher_forcing(tokens) -> (decoder_input, target)``.

    The decoder reads ``<bos>`` followed by the sentence, and must predict the sentence
    followed by ``<eos>``: the same words, shifted by one step.
    """
    if seed is None:
        setups = [
            ("'o gato'", ["o", "gato"]),
            ("three words, 'eu te amo'", ["eu", "te", "amo"]),
            ("one word", ["sim"]),
            ("an empty sentence", []),
        ]
    else:
        rng = rng_for(seed, 0, salt=61)
        words = ["ela", "come", "pao", "nos", "vemos", "o", "mar", "hoje", "muito", "bem"]
        setups = [
            (f"a random sentence of {n} words", [words[int(i)] for i in rng.integers(0, len(words), n)])
            for n in (int(rng.integers(2, 5)), int(rng.integers(5, 9)))
        ]
    return [Case(desc, (tokens,), _tf_line(tokens)) for desc, tokens in setups]


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


def greedy_harness(fn: Callable, table: dict, max_calls: int, max_len: int) -> str:
    """Run ``fn(next_scores, BOS, EOS, max_len)`` on the toy decoder of ``table``; its answer as words."""
    return _words(fn(ToyDecoder(table, max_calls), BOS, EOS, max_len))


def beam_search_harness(fn: Callable, table: dict, max_calls: int, beam_size: int, max_len: int) -> str:
    """Run ``fn(next_scores, BOS, EOS, beam_size, max_len)`` on the toy decoder of ``table``; as words."""
    return _words(fn(ToyDecoder(table, max_calls), BOS, EOS, beam_size, max_len))


def _log_probs(table: dict, prefix: tuple[int, ...]) -> np.ndarray:
    return ToyDecoder(table, 1)(list(prefix))


def _greedy_reference(table: dict, max_len: int) -> str:
    prefix = [BOS]
    for _ in range(max_len):
        y = int(np.argmax(_log_probs(table, tuple(prefix))))
        if y == EOS:
            break
        prefix.append(y)
    return _words(prefix[1:])


def _beam_reference(table: dict, beam_size: int, max_len: int) -> str:
    """The statement's beam search: sums of log-probabilities; when the search stops (no
    unfinished prefix can beat the best finished sentence, or ``max_len`` words are written)
    the best hypothesis, finished or not."""
    beams: list[tuple[float, list[int]]] = [(0.0, [BOS])]
    finished: list[tuple[float, list[int]]] = []
    for _ in range(max_len):
        candidates = sorted(
            (
                (s + float(lp[y]), p + [y])
                for s, p in beams
                for lp in [_log_probs(table, tuple(p))]
                for y in range(len(lp))
                if lp[y] > -np.inf
            ),
            key=lambda c: -c[0],
        )[:beam_size]
        beams = [(s, p) for s, p in candidates if p[-1] != EOS]
        finished += [(s, p[1:-1]) for s, p in candidates if p[-1] == EOS]
        if not beams or max((s for s, _ in finished), default=-math.inf) >= beams[0][0]:
            break
    return _words(max(finished + [(s, p[1:]) for s, p in beams], key=lambda c: c[0])[1])


def _random_table(rng: np.random.Generator, depth: int) -> dict[str, dict[str, float]]:
    """A random toy decoder: every prefix of up to ``depth`` words has 2 to 4 possible next words."""
    words = [w for w in TOY_WORDS[2:]]
    table: dict[str, dict[str, float]] = {}
    frontier = [""]
    for level in range(depth):
        nxt = []
        for prefix in frontier:
            k = int(rng.integers(2, 5))
            choices = (
                ["<eos>", *rng.choice(words, k - 1, replace=False)]
                if level > 0
                else list(rng.choice(words, k, replace=False))
            )
            p = rng.dirichlet(np.ones(k))
            table[prefix] = {w: float(q) for w, q in zip(choices, p)}
            table[prefix][choices[-1]] += 1.0 - sum(table[prefix].values())  # exact sum 1
            nxt += [f"{prefix} {w}".strip() for w in choices if w != "<eos>"]
        frontier = nxt
    return table


#: "cat" -> "o gato": the chapter's example as a toy decoder.
_O_GATO = {
    "": {"o": 0.8, "um": 0.1, "<eos>": 0.1},
    "o": {"gato": 0.9, "preto": 0.1},
    "o gato": {"<eos>": 0.85, "preto": 0.15},
}
#: Exercise 6.3's two-word sentences: greedy takes "a", the best sentence starts with "b".
_A_OR_B = {
    "": {"a": 0.6, "b": 0.4},
    "a": {"x": 0.55, "y": 0.45},
    "b": {"z": 0.9, "w": 0.1},
}
_NEVER_ENDS = {" ".join(["e"] * n): {"e": 0.6, "<eos>": 0.4} for n in range(6)}
#: No sentence ever ends: every prefix of up to 5 words goes on with "e" (0.6) or "o" (0.4).
_NO_END = {
    " ".join(words): {"e": 0.6, "o": 0.4}
    for n in range(6)
    for words in itertools.product(("e", "o"), repeat=n)
}


def greedy_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 6.4, ``greedy(next_scores, bos, eos, max_len) -> list of word indices``.

    A case carries the toy decoder as its table of next-word probabilities; the harness
    (:func:`greedy_harness`) builds ``next_scores`` from it and turns the answer into words.
    """
    if seed is None:
        setups = [
            ("'cat' -> 'o gato': neither <bos> nor <eos> in the answer", _O_GATO, 10, "o gato"),
            ("<eos> is the best first word: the empty answer", {"": {"<eos>": 0.7, "o": 0.3}}, 10, "(empty)"),
            ("<eos> never comes: stop after max_len = 3 words", _NEVER_ENDS, 3, "e e e"),
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
            (
                "<eos> wins with probability 0.4 (the largest, though below 1/2): stop",
                {"": {"o": 0.8, "um": 0.2}, "o": {"<eos>": 0.4, "gato": 0.3, "preto": 0.3}},
                10,
                "o",
            ),
        ]
    else:
        rng = rng_for(seed, 0, salt=64)
        setups = []
        for k in range(3):
            table = _random_table(rng, 4)
            max_len = 2 if k == 2 else 6
            setups.append(
                (
                    f"a random toy decoder {k + 1}, max_len = {max_len}",
                    table,
                    max_len,
                    _greedy_reference(table, max_len),
                )
            )
    return [Case(d, (table, max_len + 1, max_len), expected) for d, table, max_len, expected in setups]


def beam_search_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 6.5, ``beam_search(next_scores, bos, eos, beam_size, max_len)``.

    Keep the ``beam_size`` best prefixes; score by the *sum* of log-probabilities; a prefix
    that ends in ``eos`` is finished and not extended. Stop once no unfinished prefix can beat
    the best finished sentence, or after ``max_len`` words; return the best hypothesis then
    (without ``bos`` and ``eos``): a finished sentence, or, when ``max_len`` cut the search
    and an unfinished prefix scores higher (or nothing finished), that prefix.
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
    runs_on = {  # "b c" stays ahead of "a" until it finishes, then falls behind: 0.42 < 0.45
        "": {"a": 0.45, "b": 0.55},
        "a": {"<eos>": 1.0},
        "b": {"c": 0.85, "<eos>": 0.15},
        "b c": {"<eos>": 0.9, "d": 0.1},
    }
    cut_short = {  # after 2 words "a x" (0.54) is unfinished, "b" (0.4) finished
        "": {"a": 0.6, "b": 0.4},
        "b": {"<eos>": 1.0},
        "a": {"x": 0.9, "y": 0.1},
        "a x": {"c": 0.9, "<eos>": 0.1},
        "a x c": {"<eos>": 1.0},
    }
    if seed is None:
        setups = [
            ("beam 2 finds exercise 6.3's best sentence 'b z' that greedy misses", _A_OR_B, 2, 10),
            ("beam 1 is greedy decoding", _A_OR_B, 1, 10),
            ("'cat' -> 'o gato': neither <bos> nor <eos> in the answer", _O_GATO, 3, 10),
            ("keep the best prefixes over the whole beam, not the best child of each", two_children, 2, 10),
            ("score by the sum of log-probabilities: 0.6 x 0.75 beats 0.4 x 1 x 1 x 1", short_or_long, 2, 10),
            (
                "the first sentence to finish ('a', 0.3) need not be the best ('b z', 0.324)",
                finished_early,
                2,
                10,
            ),
            (
                "rank finished sentences by the sum too: 'a' (0.45) beats the longer 'b c' (0.42)",
                runs_on,
                2,
                10,
            ),
            ("no sentence ever finishes: beam 1 stops after exactly max_len = 3 words", _NO_END, 1, 3),
            ("no sentence ever finishes: beam 2 stops after exactly max_len = 4 words", _NO_END, 2, 4),
            (
                "max_len = 2 cuts the search: the best hypothesis wins, the unfinished 'a x' (0.54) over 'b' (0.4)",
                cut_short,
                2,
                2,
            ),
        ]
    else:
        rng = rng_for(seed, 0, salt=65)
        setups = [
            (f"a random toy decoder {k + 1}, beam {b}, max_len = {m}", _random_table(rng, 4), b, m)
            for k, (b, m) in enumerate([(2, 6), (3, 6), (2, 2)])
        ]
    return [
        Case(d, (table, 50 * beam * (max_len + 1), beam, max_len), _beam_reference(table, beam, max_len))
        for d, table, beam, max_len in setups
    ]


_DECODERS = ("seqmodels.seq2seq.greedy_decode", "seqmodels.seq2seq.translate")

EXERCISES = [
    Exercise(
        "6.1",
        "teacher_forcing",
        teacher_forcing_cases,
        "check_teacher_forcing",
        forbidden=("seqmodels.phrases.encode_pairs",),
        harness="seqmodels.exercises.ch06.teacher_forcing_harness",
    ),
    Exercise(
        "6.4",
        "greedy",
        greedy_cases,
        "check_greedy",
        forbidden=_DECODERS,
        harness="seqmodels.exercises.ch06.greedy_harness",
    ),
    Exercise(
        "6.5",
        "beam_search",
        beam_search_cases,
        "check_beam_search",
        forbidden=_DECODERS,
        harness="seqmodels.exercises.ch06.beam_search_harness",
    ),
]


def check_teacher_forcing(fn: Callable[[list[str]], tuple[list[str], list[str]]]) -> Verdict:
    """Check ``fn(tokens) -> (decoder_input, target)`` for teacher forcing (exercise 6.1)."""
    return check(EXERCISES[0], fn)


def check_greedy(fn: Callable[[Callable[[list[int]], np.ndarray], int, int, int], list[int]]) -> Verdict:
    """Check ``fn(next_scores, bos, eos, max_len) -> list of word indices``: greedy decoding (exercise 6.4).

    Start from the prefix ``[bos]``; at every step take the index with the largest score,
    stop when it is ``eos`` (not included in the answer) or after ``max_len`` words.
    ``next_scores(prefix)`` returns log-probabilities of the next word for the whole prefix.
    """
    return check(EXERCISES[1], fn)


def check_beam_search(
    fn: Callable[[Callable[[list[int]], np.ndarray], int, int, int, int], list[int]],
) -> Verdict:
    """Check ``fn(next_scores, bos, eos, beam_size, max_len) -> list of word indices`` (exercise 6.5).

    See :func:`beam_search_cases` for the rules, including what to return when ``max_len``
    words pass before any sentence finishes.
    """
    return check(EXERCISES[2], fn)


__all__ = [
    "EXERCISES",
    "TOY_WORDS",
    "beam_search_cases",
    "beam_search_harness",
    "greedy_cases",
    "greedy_harness",
    "teacher_forcing_cases",
    "teacher_forcing_harness",
    "ToyDecoder",
    "check_beam_search",
    "check_greedy",
    "check_teacher_forcing",
]
