"""Checkers for chapter 3, "The perceptron and activation functions".

- :func:`check_tanh_grad`: your g'(z) for g = tanh, as a function of a NumPy array.
- :func:`check_perceptron_forward`: your ŷ = σ(w0 + XᵀW) for a batch X of shape (n, m).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..perceptron import sigmoid, tanh_grad
from . import Case, Verdict, run_checks


def check_tanh_grad(fn: Callable[[np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(z)`` returns the derivative of tanh, elementwise, including where it saturates."""
    grids = [
        ("z = 0 (the slope is 1 there)", np.array([0.0])),
        ("a few small z", np.array([-1.0, -0.5, 0.25, 2.0])),
        ("large |z| (saturation: slope near 0)", np.array([-30.0, -10.0, 10.0, 30.0])),
        ("a 2-D array keeps its shape", np.linspace(-3.0, 3.0, 6).reshape(2, 3)),
    ]
    cases = [Case(text, (z.copy(),), tanh_grad(z), atol=1e-10) for text, z in grids]
    return run_checks("tanh derivative", fn, cases)


def check_perceptron_forward(fn: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> Verdict:
    """Check ``fn(X, W, w0)`` returns σ(w0 + XᵀW) for every row of ``X``."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 3))
    W = rng.normal(size=3)
    cases = [
        Case("one point, zero weights: σ(0) = 0.5", (np.array([[1.0, 2.0]]), np.zeros(2), 0.0), np.array([0.5])),
        Case("one point, bias only", (np.array([[0.0, 0.0]]), np.array([1.0, 1.0]), 2.0), sigmoid(np.array([2.0]))),
        Case("a batch of 5 points with 3 inputs", (X, W, -0.3), sigmoid(-0.3 + X @ W)),
        Case("large inputs stay in [0, 1]", (np.array([[800.0], [-800.0]]), np.array([1.0]), 0.0), np.array([1.0, 0.0])),
    ]
    return run_checks("perceptron forward pass", fn, cases)


__all__ = ["check_perceptron_forward", "check_tanh_grad"]
