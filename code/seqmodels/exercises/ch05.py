"""Checkers for chapter 5, "Backpropagation through time"."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Case, Verdict, run_checks


def _tanh_backward(dh: np.ndarray, h: np.ndarray) -> np.ndarray:
    return dh * (1.0 - h**2)


def _bptt_step(dh: np.ndarray, h: np.ndarray, W_hh: np.ndarray) -> np.ndarray:
    return _tanh_backward(dh, h) @ W_hh


def check_tanh_backward(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(dh, h)``: the gradient at the pre-activation ``a`` when ``h = tanh(a)``.

    ``dh`` is dL/dh and ``h`` the stored output of ``tanh`` (both of shape ``(batch, hidden)``).
    """
    rng = np.random.default_rng(5)
    h = np.tanh(rng.normal(size=(2, 3)))
    dh = rng.normal(size=(2, 3))
    cases = [
        Case("h = 0: tanh'(0) = 1, the gradient passes unchanged", (np.ones((1, 2)), np.zeros((1, 2))), np.ones((1, 2))),
        Case("saturated h = ±0.99: the gradient almost stops", (np.ones((1, 2)), np.array([[0.99, -0.99]])),
             np.full((1, 2), 1 - 0.99**2)),
        Case("random batch of 2 x 3", (dh, h), _tanh_backward(dh, h)),
    ]
    return run_checks("check_tanh_backward", fn, cases)


def check_bptt_step(fn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(dh_t, h_t, W_hh)``: the gradient that step ``t`` sends back to ``h_{t-1}``.

    With ``h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)`` and row vectors, the answer is
    ``(dh_t * (1 - h_t**2)) @ W_hh``.
    """
    rng = np.random.default_rng(6)
    W = rng.normal(size=(3, 3))
    h = np.tanh(rng.normal(size=(2, 3)))
    dh = rng.normal(size=(2, 3))
    eye = np.eye(3)
    cases = [
        Case("W_hh = I and h_t = 0: the gradient passes unchanged", (dh, np.zeros((2, 3)), eye), dh),
        Case("W_hh not symmetric (transpose matters)", (np.array([[1.0, 0.0, 0.0]]), np.zeros((1, 3)), W), W[:1]),
        Case("random batch of 2, hidden size 3", (dh, h, W), _bptt_step(dh, h, W)),
    ]
    return run_checks("check_bptt_step", fn, cases)


__all__ = ["check_bptt_step", "check_tanh_backward"]
