"""Checkers for chapter 4, "Recurrent neural networks"."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Case, Verdict, run_checks


def _reference_rnn_step(x_t: np.ndarray, h_prev: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray,
                        b_h: np.ndarray) -> np.ndarray:
    """The lecture's update for a batch of row vectors: ``h_t = tanh(h_{t-1} W_hh + x_t W_xh + b_h)``."""
    return np.tanh(h_prev @ W_hh + x_t @ W_xh + b_h)


def _case(description: str, batch: int, m: int, H: int, seed: int, zero_state: bool = False,
          zero_bias: bool = False) -> Case:
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(batch, m))
    h_prev = np.zeros((batch, H)) if zero_state else rng.uniform(-1, 1, size=(batch, H))
    W_xh = rng.normal(scale=0.7, size=(m, H))
    W_hh = rng.normal(scale=0.7, size=(H, H))
    b_h = np.zeros(H) if zero_bias else rng.normal(size=H)
    args = (x_t, h_prev, W_xh, W_hh, b_h)
    return Case(description, args, _reference_rnn_step(*args), atol=1e-10)


def check_rnn_step(fn: Callable) -> Verdict:
    """Check ``fn(x_t, h_prev, W_xh, W_hh, b_h) -> h_t`` for one step of a vanilla RNN.

    Shapes: ``x_t`` ``(batch, m)``, ``h_prev`` ``(batch, H)``, ``W_xh`` ``(m, H)``,
    ``W_hh`` ``(H, H)``, ``b_h`` ``(H,)``; the answer has shape ``(batch, H)``.
    """
    cases = [
        _case("first step (h_prev = 0), no bias", batch=1, m=3, H=4, seed=0, zero_state=True, zero_bias=True),
        _case("first step (h_prev = 0) with a bias", batch=2, m=3, H=4, seed=1, zero_state=True),
        _case("a later step: the previous state matters", batch=2, m=3, H=4, seed=2),
        _case("input and state sizes differ (m=5, H=2)", batch=3, m=5, H=2, seed=3),
        _case("a batch of 4 sequences, H=6", batch=4, m=2, H=6, seed=4),
    ]
    return run_checks("check_rnn_step", fn, cases)


__all__ = ["check_rnn_step"]
