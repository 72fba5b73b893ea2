"""Checkers for chapter 1, "Sequences": exercises 1.2, 1.3 and 1.6."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..sequences import (
    autoregressive_windows,
    fit_autoregressive,
    mutual_information,
    predict_k_steps,
)
from . import Case, Exercise, Verdict, check, rng_for

_PACKAGE = "seqmodels.sequences."


def windows_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 1.2, ``my_windows(series, tau) -> (features, labels)``.

    Row ``i`` of ``features`` must hold ``x_i .. x_{i+tau-1}`` (oldest first) and
    ``labels[i]`` the value that follows, ``x_{i+tau}``.
    """
    rng = rng_for(seed, 1)
    if seed is None:
        counting = np.arange(1.0, 7.0)  # 1, 2, 3, 4, 5, 6
        setups = [
            ("tau=2 on 1..6", counting, 2),
            ("tau=1 on 1..6", counting, 1),
            ("tau=5 on 1..6 (a single window)", counting, 5),
            ("tau=3 on a random series", rng.standard_normal(12), 3),
        ]
    else:
        setups = []
        for k in range(4):
            T = int(rng.integers(7, 16))
            tau = int(rng.integers(1, 5)) if k < 3 else T - 1
            setups.append((f"tau={tau} on a random series of {T} values", rng.standard_normal(T), tau))
    cases = []
    for desc, series, tau in setups:
        features, labels = autoregressive_windows(series, tau)
        for part, name in enumerate(("features", "labels")):
            out = (features, labels)[part]
            cases.append(
                Case(f"{desc}: {name}", (series, tau), out, outputs=("features", "labels"), part=part)
            )
    return cases


def _colliding_ids(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Paired ids up to 14 with a dependence, so that a pair code ``10 * a + b`` collides."""
    x = rng.integers(0, 15, n)
    y = np.where(rng.random(n) < 0.6, (x + 11) % 15, rng.integers(0, 15, n))
    return x, y


def mutual_information_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 1.3, ``my_mutual_information(x, y) -> I(x; y)`` in bits.

    ``I = sum_{a,b} P(a, b) log2 P(a, b) / (P(a) P(b))`` over the pairs ``(a, b)`` that
    occur, with every probability a relative frequency of the ``len(x)`` pairs.
    """
    rng = rng_for(seed, 3)
    if seed is None:
        four = np.tile([0, 1, 2, 3], 25)
        a = rng.integers(0, 3, 500)
        b = (a + (rng.random(500) < 0.3)) % 4  # depends on a, with a fourth symbol of its own
        x_hand, y_hand = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 0])  # P(0, 1) = 0
        x15, y15 = _colliding_ids(np.random.default_rng(13), 400)
        return [
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
            Case(
                "15 symbols: pairs such as (1, 12) and (2, 2) must stay apart (a code 10 a + b mixes them up)",
                (x15, y15),
                mutual_information(x15, y15),
            ),
        ]
    cases = []
    for k in range(3):
        n = int(rng.integers(100, 400))
        x, y = (
            _colliding_ids(rng, n) if k == 0 else (rng.integers(0, 3 + 4 * k, n), rng.integers(0, 4 + k, n))
        )
        if k == 2:
            y = (x + (rng.random(n) < 0.4)) % 9
        cases.append(Case(f"{n} random pairs (setup {k + 1})", (x, y), mutual_information(x, y)))
    return cases


def _k_step_reference(history: np.ndarray, weights: np.ndarray, k: int) -> float:
    """The package's k-step prediction from one window (padding the series it wants)."""
    padded = np.concatenate([history, np.zeros(k)])
    return float(predict_k_steps(padded, weights, k)[len(history) + k - 1])


def k_step_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 1.6, ``my_k_step(history, weights, k) -> float``.

    ``history`` is a NumPy array of the last ``tau`` observed values, oldest first; ``weights``
    is ``[w_0, w_1, ..., w_tau]`` with ``w_i`` the weight of the value ``i`` steps back, as
    :func:`seqmodels.sequences.fit_autoregressive` returns it. Steps ``2..k`` use the model's
    own earlier predictions in place of the values that were not observed.
    """
    rng = rng_for(seed, 4)
    if seed is None:
        history = rng.standard_normal(4)
        fitted = fit_autoregressive(np.sin(0.3 * np.arange(60)) + 0.1 * rng.standard_normal(60), 4)
        return [
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
    cases = []
    for _ in range(3):
        tau = int(rng.integers(1, 6))
        series = np.sin(rng.uniform(0.1, 0.6) * np.arange(80)) + 0.1 * rng.standard_normal(80)
        weights = fit_autoregressive(series, tau)
        history = series[-tau:].copy()
        k = int(rng.integers(2, 12))
        cases.append(
            Case(
                f"a fitted tau={tau} model, {k} steps ahead",
                (history, weights, k),
                _k_step_reference(history, weights, k),
            )
        )
    return cases


EXERCISES = [
    Exercise(
        "1.2",
        "my_windows",
        windows_cases,
        "check_windows",
        forbidden=(_PACKAGE + "autoregressive_windows",),
    ),
    Exercise(
        "1.3",
        "my_mutual_information",
        mutual_information_cases,
        "check_mutual_information",
        forbidden=tuple(
            _PACKAGE + n for n in ("mutual_information", "mutual_information_by_distance", "entropy")
        ),
    ),
    Exercise("1.6", "my_k_step", k_step_cases, "check_k_step", forbidden=(_PACKAGE + "predict_k_steps",)),
]


def check_windows(fn: Callable) -> Verdict:
    """Check ``fn(series, tau) -> (features, labels)`` (exercise 1.2) on series with known windows."""
    return check(EXERCISES[0], fn)


def check_mutual_information(fn: Callable) -> Verdict:
    """Check ``fn(x, y) -> I(x; y)`` in bits (exercise 1.3), the plug-in estimate from paired integer ids."""
    return check(EXERCISES[1], fn)


def check_k_step(fn: Callable) -> Verdict:
    """Check ``fn(history, weights, k) -> float`` (exercise 1.6): the prediction ``k`` steps after ``history``."""
    return check(EXERCISES[2], fn)


__all__ = [
    "EXERCISES",
    "check_k_step",
    "check_mutual_information",
    "check_windows",
    "k_step_cases",
    "mutual_information_cases",
    "windows_cases",
]
