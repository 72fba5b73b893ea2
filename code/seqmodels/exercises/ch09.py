"""Checkers for chapter 9 (a first look at attention): exercises 9.1 and 9.2.

Every case runs with NumPy's overflow and invalid-value warnings turned into errors: a
softmax that overflows (``exp(1000)``) or divides zero by zero (``exp(-1000)`` everywhere) is
reported as that error instead of returning a value after a warning. Dividing by zero is
allowed, so the additive mask ``scores + np.log(mask)`` (``log 0 = -inf``) works.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Case, Exercise, Verdict, check, plain, rng_for


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    """A masked, stable softmax over the last axis (``-inf`` scores get weight 0)."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(shifted)
    return weights / weights.sum(axis=-1, keepdims=True)


def attention_harness(fn: Callable, *args: np.ndarray):
    """Call ``fn`` on copies of the arrays, with overflow and invalid values raised as errors."""
    copies = tuple(np.array(a) for a in args)
    with np.errstate(over="raise", invalid="raise", divide="ignore", under="ignore"):
        return plain(fn(*copies))


def _two_lines(
    description: str, args: tuple, context: np.ndarray, weights: np.ndarray, names: tuple[str, str]
) -> list[Case]:
    """One case per output, so the report says whether the weights or the context went wrong."""
    return [
        Case(f"{description}: weights", args, weights, outputs=names, part=1),
        Case(f"{description}: context", args, context, outputs=names, part=0),
    ]


def _attention(s: np.ndarray, H: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    weights = _softmax_rows(np.where(mask, H @ s, -np.inf))
    return weights @ H, weights


def attention_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 9.1, ``attention(s, H, mask) -> (c, alpha)``.

    ``s`` is one decoder state (shape ``(d,)``), ``H`` the encoder states (``(S, d)``), and
    ``mask`` a bool array (``(S,)``), ``False`` on padding. The weights are
    :math:`\\alpha_j = \\exp(s \\cdot h_j) / \\sum_{k \\text{ real}} \\exp(s \\cdot h_k)` on real
    positions and exactly 0 on padding; the context is :math:`c = \\sum_j \\alpha_j h_j`.
    """
    names = ("c", "alpha")
    if seed is None:
        H3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        every = np.array([True, True, True])
        padded = np.array([[1.0, 0.0], [0.0, 1.0], [9.0, 9.0]])  # a padding state that must not leak in
        setups = [
            ("equal scores give equal weights and the mean state", (np.zeros(2), H3, every)),
            ("weights follow exp(s . h_j)", (np.array([1.0, 2.0]), H3, every)),
            (
                "padding gets weight 0, and the weights of the real positions sum to 1",
                (np.array([1.0, 2.0]), padded, np.array([True, True, False])),
            ),
            (
                "large scores (1000) do not overflow: subtract the largest score first",
                (np.array([1000.0, 0.0]), np.eye(2), np.array([True, True])),
            ),
            (
                "very negative scores (-1000, -2000) do not give 0 / 0",
                (np.array([-1000.0, -1000.0]), np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([True, True])),
            ),
            (
                "a single real position gets all the weight",
                (np.array([-5.0, 3.0]), H3, np.array([False, True, False])),
            ),
            (
                "very negative real scores (-1000, -2000) beside a zero padding state (score 0): "
                "take the largest over the real positions only",
                (
                    np.array([1000.0, 0.0]),
                    np.array([[-1.0, 0.0], [-2.0, 0.0], [0.0, 0.0]]),
                    np.array([True, True, False]),
                ),
            ),
        ]
    else:
        rng = rng_for(seed, 0, salt=91)
        S, d = int(rng.integers(3, 7)), int(rng.integers(2, 5))
        H = rng.normal(size=(S, d))
        mask = np.ones(S, dtype=bool)
        mask[-1] = False
        s_far = 300.0 * (np.abs(rng.normal(size=d)) + 0.5)
        H_far = np.where(mask[:, None], -(np.abs(H) + 0.5), 0.0)  # real scores far below 0, padding 0
        setups = [
            (f"a random state and {S} encoder states", (rng.normal(size=d), H, np.ones(S, dtype=bool))),
            (f"{S} random encoder states, the last one padding", (rng.normal(size=d), H, mask)),
            ("random real scores in the hundreds below a zero padding state", (s_far, H_far, mask)),
        ]
    cases = []
    for desc, args in setups:
        cases += _two_lines(desc, args, *_attention(*args), names)
    return cases


def _scaled(Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expected answer."""
    scores = np.where(mask[None, :], Q @ K.T / np.sqrt(Q.shape[1]), -np.inf)
    weights = _softmax_rows(scores)
    return weights @ V, weights


def scaled_attention_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 9.2, ``scaled_attention(Q, K, V, mask) -> (C, A)``.

    ``Q`` is ``(T, d)``, one query per row; ``K`` is ``(S, d)`` and ``V`` is ``(S, d_v)``;
    ``mask`` is a bool array ``(S,)``, ``False`` on padding. ``A = softmax(Q K^T / sqrt(d))``
    row by row, 0 on padding, shape ``(T, S)``; ``C = A V``, shape ``(T, d_v)``.
    """
    names = ("Z", "A")
    gen = rng_for(seed, 9, salt=92)
    if seed is None:
        Q, K, V = gen.normal(size=(2, 4)) * 2, gen.normal(size=(3, 4)) * 2, gen.normal(size=(3, 2))
        every, last_hidden = np.ones(3, dtype=bool), np.array([True, True, False])
        Q16, K16, V16 = gen.normal(size=(3, 16)), gen.normal(size=(5, 16)), gen.normal(size=(5, 3))
        X = gen.normal(size=(4, 3))
        setups = [
            ("two queries, three keys of size 4, values of size 2", (Q, K, V, every)),
            ("the last key is padding", (Q, K, V, last_hidden)),
            ("size 16: the scores are divided by sqrt(16) = 4", (Q16, K16, V16, np.ones(5, dtype=bool))),
            ("a zero query weighs the real positions equally", (np.zeros((1, 4)), K, V, last_hidden)),
            ("scores in the thousands do not overflow", (Q * 1000, K, V, every)),
            (
                "self-attention (T = S = 4), the last position padding",
                (X, X, X, np.array([True, True, True, False])),
            ),
            (
                "a padding key with by far the largest score: take the largest over the real keys only",
                (
                    np.array([[1.0, 0.0]]),
                    np.array([[-1000.0, 0.0], [-1010.0, 0.0], [1000.0, 0.0]]),
                    np.eye(3, 2),
                    np.array([True, True, False]),
                ),
            ),
        ]
    else:
        T, S, d, dv = (int(v) for v in gen.integers(2, 6, 4))
        Q, K, V = gen.normal(size=(T, d)), gen.normal(size=(S, d)), gen.normal(size=(S, dv))
        mask = np.ones(S, dtype=bool)
        mask[-1] = False
        Q_pos = np.abs(Q) + 0.5
        K_far = np.where(mask[:, None], -300.0 * (np.abs(K) + 0.5), 300.0)  # the padding key scores highest
        setups = [
            (f"{T} random queries, {S} keys", (Q, K, V, np.ones(S, dtype=bool))),
            (f"{T} random queries, {S} keys, the last one padding", (Q, K, V, mask)),
            ("a random padding key with by far the largest scores", (Q_pos, K_far, V, mask)),
        ]
    cases = []
    for desc, args in setups:
        cases += _two_lines(desc, args, *_scaled(*args), names)
    return cases


_ATTENTION = "seqmodels.seq2seq.dot_product_attention"
EXERCISES = [
    Exercise(
        "9.1",
        "attention",
        attention_cases,
        "check_attention",
        forbidden=(_ATTENTION, "seqmodels.exercises.ch09._attention"),
        harness="seqmodels.exercises.ch09.attention_harness",
    ),
    Exercise(
        "9.2",
        "scaled_attention",
        scaled_attention_cases,
        "check_scaled_attention",
        forbidden=(
            _ATTENTION,
            "seqmodels.exercises.ch09._scaled",
            "torch.nn.functional.scaled_dot_product_attention",
        ),
        harness="seqmodels.exercises.ch09.attention_harness",
    ),
]


def check_attention(
    fn: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> Verdict:
    """Check ``fn(s, H, mask) -> (c, alpha)`` (exercise 9.1): a context read from the encoder states by attention."""
    return check(EXERCISES[0], fn)


def check_scaled_attention(
    fn: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> Verdict:
    """Check ``fn(Q, K, V, mask) -> (C, A)`` (exercise 9.2): scaled dot-product attention."""
    return check(EXERCISES[1], fn)


__all__ = [
    "EXERCISES",
    "attention_cases",
    "attention_harness",
    "check_attention",
    "check_scaled_attention",
    "scaled_attention_cases",
]
