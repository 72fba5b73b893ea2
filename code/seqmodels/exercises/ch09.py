"""Checkers for chapter 9 (a first look at attention).

Every case runs with NumPy's floating-point warnings turned into errors: a softmax that
overflows (``exp(1000)``) or divides zero by zero (``exp(-1000)`` everywhere) is reported
as that error instead of returning a value after a warning.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..seq2seq import dot_product_attention
from . import Case, Verdict, run_checks


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    """A masked, stable softmax over the last axis (``-inf`` scores get weight 0)."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(shifted)
    return weights / weights.sum(axis=-1, keepdims=True)


def _pair(got: object) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(got, tuple) or len(got) != 2:
        raise TypeError(f"the answer must be a pair (context, weights), got {type(got).__name__}")
    return np.asarray(got[0], dtype=np.float64), np.asarray(got[1], dtype=np.float64)


def _two_lines(description: str, args: tuple, context: np.ndarray, weights: np.ndarray) -> list[Case]:
    """One case per output, so the report says whether the weights or the context went wrong."""
    return [
        Case(f"{description}: weights", args, weights, atol=1e-9, extract=lambda got: got[1]),
        Case(f"{description}: context", args, context, atol=1e-9, extract=lambda got: got[0]),
    ]


def check_attention(
    fn: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> Verdict:
    """Check ``fn(s, H, mask) -> (c, alpha)``: a context read from the encoder states by attention.

    ``s`` is one decoder state (shape ``(d,)``), ``H`` the encoder states (``(S, d)``), and
    ``mask`` a bool array (``(S,)``), ``False`` on padding. The weights are
    :math:`\\alpha_j = \\exp(s \\cdot h_j) / \\sum_{k \\text{ real}} \\exp(s \\cdot h_k)` on real
    positions and exactly 0 on padding; the context is :math:`c = \\sum_j \\alpha_j h_j`.
    """
    H3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    every = np.array([True, True, True])
    e = np.exp([1.0, 2.0, 3.0])
    padded = np.array([[1.0, 0.0], [0.0, 1.0], [9.0, 9.0]])  # a padding state that must not leak in
    w_pad = np.array([e[0], e[1], 0.0]) / (e[0] + e[1])
    cases = [
        *_two_lines(
            "equal scores give equal weights and the mean state",
            (np.zeros(2), H3, every),
            H3.mean(axis=0),
            np.full(3, 1 / 3),
        ),
        *_two_lines(
            "weights follow exp(s . h_j)", (np.array([1.0, 2.0]), H3, every), e / e.sum() @ H3, e / e.sum()
        ),
        *_two_lines(
            "padding gets weight 0, and the weights of the real positions sum to 1",
            (np.array([1.0, 2.0]), padded, np.array([True, True, False])),
            w_pad @ padded,
            w_pad,
        ),
        *_two_lines(
            "large scores (1000) do not overflow: subtract the largest score first",
            (np.array([1000.0, 0.0]), np.eye(2), np.array([True, True])),
            np.array([1.0, 0.0]),
            np.array([1.0, 0.0]),
        ),
        *_two_lines(
            "very negative scores (-1000, -2000) do not give 0 / 0",
            (np.array([-1000.0, -1000.0]), np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([True, True])),
            np.array([1.0, 0.0]),
            np.array([1.0, 0.0]),
        ),
        *_two_lines(
            "a single real position gets all the weight",
            (np.array([-5.0, 3.0]), H3, np.array([False, True, False])),
            H3[1],
            np.array([0.0, 1.0, 0.0]),
        ),
    ]

    def call(s: np.ndarray, H: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return _pair(fn(s.copy(), H.copy(), mask.copy()))

    return run_checks("check_attention", call, cases, forbidden=[dot_product_attention])


def _scaled(Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expected answer."""
    scores = np.where(mask[None, :], Q @ K.T / np.sqrt(Q.shape[1]), -np.inf)
    weights = _softmax_rows(scores)
    return weights @ V, weights


def check_scaled_attention(
    fn: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> Verdict:
    """Check ``fn(Q, K, V, mask) -> (C, A)``: scaled dot-product attention with queries, keys and values.

    ``Q`` is ``(T, d)``, one query per row; ``K`` is ``(S, d)`` and ``V`` is ``(S, d_v)``, one
    key and one value per source position; ``mask`` is a bool array ``(S,)``, ``False`` on
    padding. ``A = softmax(Q K^T / sqrt(d))`` row by row, 0 on padding, shape ``(T, S)``;
    ``C = A V``, shape ``(T, d_v)``.
    """
    gen = np.random.default_rng(9)
    Q, K, V = gen.normal(size=(2, 4)) * 2, gen.normal(size=(3, 4)) * 2, gen.normal(size=(3, 2))
    every, last_hidden = np.ones(3, dtype=bool), np.array([True, True, False])
    Q16, K16, V16 = gen.normal(size=(3, 16)), gen.normal(size=(5, 16)), gen.normal(size=(5, 3))
    cases = [
        ("two queries, three keys of size 4, values of size 2", (Q, K, V, every)),
        ("the last key is padding", (Q, K, V, last_hidden)),
        ("size 16: the scores are divided by sqrt(16) = 4", (Q16, K16, V16, np.ones(5, dtype=bool))),
        ("a zero query weighs the real positions equally", (np.zeros((1, 4)), K, V, last_hidden)),
        ("scores in the thousands do not overflow", (Q * 1000, K, V, every)),
    ]
    checks = [case for d, args in cases for case in _two_lines(d, args, *_scaled(*args))]

    def call(Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return _pair(fn(Q.copy(), K.copy(), V.copy(), mask.copy()))

    return run_checks("check_scaled_attention", call, checks, forbidden=[_scaled, dot_product_attention])


__all__ = ["check_attention", "check_scaled_attention"]
