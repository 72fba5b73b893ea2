"""Checkers for chapter 1, "Sequences"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..sequences import (
    autoregressive_windows,
    entropy,
    fit_autoregressive,
    mutual_information,
    mutual_information_by_distance,
    predict_k_steps,
)
from . import Case, Verdict, run_checks


def _part(i: int) -> Callable[[Any], Any]:
    def pick(out: Any) -> Any:
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError(f"expected a (features, labels) tuple, got {type(out).__name__}")
        return out[i]

    return pick


def check_windows(fn: Callable) -> Verdict:
    """Check ``fn(series, tau) -> (features, labels)`` on series with known windows.

    Row ``i`` of ``features`` must hold ``x_i .. x_{i+tau-1}`` (oldest first) and
    ``labels[i]`` the value that follows, ``x_{i+tau}``.
    """
    counting = np.arange(1.0, 7.0)  # 1, 2, 3, 4, 5, 6
    noisy = np.random.default_rng(1).standard_normal(12)
    cases = []
    for desc, series, tau in [
        ("tau=2 on 1..6", counting, 2),
        ("tau=1 on 1..6", counting, 1),
        ("tau=5 on 1..6 (a single window)", counting, 5),
        ("tau=3 on a random series", noisy, 3),
    ]:
        features, labels = autoregressive_windows(series, tau)
        cases.append(Case(f"{desc}: features", (series, tau), features, extract=_part(0)))
        cases.append(Case(f"{desc}: labels", (series, tau), labels, extract=_part(1)))
    return run_checks("check_windows", fn, cases, forbidden=[autoregressive_windows])


def check_mutual_information(fn: Callable) -> Verdict:
    """Check ``fn(x, y) -> I(x; y)`` in bits, the plug-in estimate from paired integer ids.

    ``I = sum_{a,b} P(a, b) log2 P(a, b) / (P(a) P(b))`` over the pairs ``(a, b)`` that
    occur, with every probability a relative frequency of the ``len(x)`` pairs.
    """
    four = np.tile([0, 1, 2, 3], 25)
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, 500)
    b = (a + (rng.random(500) < 0.3)) % 4  # depends on a, with a fourth symbol of its own
    x_hand, y_hand = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 0])  # P(0, 1) = 0
    cases = [
        Case(
            "a variable with itself, 4 equally likely symbols: its entropy, 2 bits (log base 2)",
            (four, four),
            2.0,
        ),
        Case(
            "x = 0, 0, 1, 1 and y = 0, 0, 1, 0 (the pair (0, 1) never occurs: it adds nothing, not NaN)",
            (x_hand, y_hand),
            mutual_information(x_hand, y_hand),
        ),
        Case(
            "every pair occurs equally often: independent, 0 bits",
            (np.repeat([0, 1], 50), np.tile([0, 1], 50)),
            0.0,
            atol=1e-10,
        ),
        Case(
            "x with 3 symbols, y with 4 (each variable needs its own marginal)",
            (a, b),
            mutual_information(a, b),
        ),
        Case("the same pairs with x and y swapped: I is symmetric", (b, a), mutual_information(a, b)),
        Case(
            "ids need not start at 0 or be contiguous (7 and 40 only)",
            (np.array([7, 7, 40, 40, 7]), np.array([7, 40, 40, 40, 7])),
            mutual_information(np.array([0, 0, 1, 1, 0]), np.array([0, 1, 1, 1, 0])),
        ),
    ]
    return run_checks(
        "check_mutual_information",
        fn,
        cases,
        forbidden=[mutual_information, mutual_information_by_distance, entropy],
    )


def _k_step_reference(history: np.ndarray, weights: np.ndarray, k: int) -> float:
    """The package's k-step prediction from one window (padding the series it wants)."""
    padded = np.concatenate([history, np.zeros(k)])
    return float(predict_k_steps(padded, weights, k)[len(history) + k - 1])


def check_k_step(fn: Callable) -> Verdict:
    """Check ``fn(history, weights, k) -> float``: the prediction ``k`` steps after ``history``.

    ``history`` holds the last ``tau`` observed values, oldest first; ``weights`` is
    ``[w_0, w_1, ..., w_tau]`` with ``w_i`` the weight of the value ``i`` steps back, as
    :func:`seqmodels.sequences.fit_autoregressive` returns it. Steps ``2..k`` must use the
    model's own earlier predictions in place of the values that were not observed.
    """
    rng = np.random.default_rng(4)
    history = rng.standard_normal(4)
    fitted = fit_autoregressive(np.sin(0.3 * np.arange(60)) + 0.1 * rng.standard_normal(60), 4)
    cases = [
        Case(
            "k=1 adds the bias w_0: 0.5 + 1 * 3 = 3.5",
            (np.array([1.0, 2.0, 3.0]), np.array([0.5, 1.0, 0.0, 0.0]), 1),
            3.5,
        ),
        Case(
            "k=1, w_1 goes with the newest value: 0.1*3 + 0.2*2 + 0.3*1 = 1.0",
            (np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.1, 0.2, 0.3]), 1),
            1.0,
        ),
        Case(
            "x_t = 1 + x_(t-1) from 5, three steps ahead: 8 (exactly k steps)",
            (np.array([5.0]), np.array([1.0, 1.0]), 3),
            8.0,
        ),
        Case(
            "the mean of the last two, from 0, 1, three steps ahead: 0.625 (predictions fed back)",
            (np.array([0.0, 1.0]), np.array([0.0, 0.5, 0.5]), 3),
            0.625,
        ),
        Case(
            "x_t = x_(t-3) repeats its window: 4 steps after 1, 2, 3 comes 1 (the oldest value drops out)",
            (np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 0.0, 1.0]), 4),
            1.0,
        ),
        Case(
            "a fitted tau=4 model, 16 steps ahead",
            (history, fitted, 16),
            _k_step_reference(history, fitted, 16),
        ),
    ]
    return run_checks("check_k_step", fn, cases, forbidden=[predict_k_steps])


__all__ = ["check_k_step", "check_mutual_information", "check_windows"]
