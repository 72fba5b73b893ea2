"""Checkers for chapter 9 (a first look at attention)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Case, Verdict, run_checks


def check_attention(fn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(s, H, mask) -> alpha``: dot-product attention weights with masking.

    ``s`` is one decoder state (shape ``(d,)``), ``H`` the encoder states (``(S, d)``), and
    ``mask`` a bool array (``(S,)``), ``False`` on padding. The answer is
    :math:`\\alpha_j = \\exp(s \\cdot h_j) / \\sum_{k \\text{ real}} \\exp(s \\cdot h_k)` on real
    positions and exactly 0 on padding.
    """
    H3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    every = np.array([True, True, True])
    e = np.exp([1.0, 2.0, 3.0])
    cases = [
        Case("equal scores give equal weights", (np.zeros(2), H3, every), np.full(3, 1 / 3)),
        Case("weights follow exp(s . h_j)", (np.array([1.0, 2.0]), H3, every), e / e.sum()),
        Case(
            "padding gets weight 0",
            (np.array([1.0, 2.0]), H3, np.array([True, True, False])),
            np.array([e[0], e[1], 0.0]) / (e[0] + e[1]),
        ),
        Case(
            "large scores do not overflow (subtract the maximum first)",
            (np.array([1000.0, 0.0]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([True, True])),
            np.array([1.0, 0.0]),
        ),
        Case(
            "a single real position gets all the weight",
            (np.array([-5.0, 3.0]), H3, np.array([False, True, False])),
            np.array([0.0, 1.0, 0.0]),
        ),
    ]

    def call(s: np.ndarray, H: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.asarray(fn(s.copy(), H.copy(), mask.copy()), dtype=np.float64)

    return run_checks("check_attention", call, cases)


def attention_solution(s: np.ndarray, H: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The reference answer: masked, numerically stable softmax of the scores ``H @ s``."""
    scores = np.where(mask, H @ s, -np.inf)
    scores = scores - scores.max()
    weights = np.exp(scores)
    return weights / weights.sum()


__all__ = ["attention_solution", "check_attention"]
