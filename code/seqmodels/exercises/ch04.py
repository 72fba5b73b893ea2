"""Checkers for chapter 4, "Recurrent neural networks".

Both use the book's matrix convention, :math:`h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b_h)`
and :math:`\\hat y_t = W_{hy} h_t + b_y`, with ``W_xh`` of shape ``(H, m)``, ``W_hh`` ``(H, H)``
and ``W_hy`` ``(q, H)`` (as ``torch.nn.RNN`` stores them), on batches whose rows are sequences.

- :func:`check_rnn_step`: one step of the state update.
- :func:`check_rnn_forward`: the whole forward pass over a sequence, against ``torch.nn.RNN``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from .. import bptt
from ..rnn import ScratchRNN, rnn_step
from . import Case, Verdict, run_checks


def _reference_rnn_step(
    x_t: np.ndarray, h_prev: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray, b_h: np.ndarray
) -> np.ndarray:
    """The update for a batch of row vectors: ``h_t = tanh(x_t W_xh^T + h_{t-1} W_hh^T + b_h)``."""
    return np.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b_h)


def _step_case(
    description: str, batch: int, m: int, H: int, seed: int, zero_state: bool = False, zero_bias: bool = False
) -> Case:
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(batch, m))
    h_prev = np.zeros((batch, H)) if zero_state else rng.uniform(-1, 1, size=(batch, H))
    W_xh = rng.normal(scale=0.7, size=(H, m))
    W_hh = rng.normal(scale=0.7, size=(H, H))
    b_h = np.zeros(H) if zero_bias else rng.normal(size=H)
    args = (x_t, h_prev, W_xh, W_hh, b_h)
    return Case(description, args, _reference_rnn_step(*args), atol=1e-10)


def check_rnn_step(fn: Callable) -> Verdict:
    """Check ``fn(x_t, h_prev, W_xh, W_hh, b_h) -> h_t`` for one step of a vanilla RNN.

    Shapes: ``x_t`` ``(batch, m)``, ``h_prev`` ``(batch, H)``, ``W_xh`` ``(H, m)``,
    ``W_hh`` ``(H, H)``, ``b_h`` ``(H,)``; the answer has shape ``(batch, H)``.
    """
    cases = [
        _step_case(
            "first step (h_prev = 0), no bias", batch=1, m=3, H=4, seed=0, zero_state=True, zero_bias=True
        ),
        _step_case("first step (h_prev = 0) with a bias", batch=2, m=3, H=4, seed=1, zero_state=True),
        _step_case("a later step: the previous state matters", batch=2, m=3, H=4, seed=2),
        _step_case("input and state sizes differ (m=5, H=2)", batch=3, m=5, H=2, seed=3),
        _step_case("a batch of 4 sequences, H=6", batch=4, m=2, H=6, seed=4),
    ]
    return run_checks("check_rnn_step", fn, cases, forbidden=[rnn_step, _reference_rnn_step])


def _torch_rnn_forward(xs, h0, W_xh, W_hh, b_h, W_hy, b_y) -> tuple[np.ndarray, np.ndarray]:
    """The reference: ``torch.nn.RNN`` with the weights copied in, then the output layer."""
    H, m = W_xh.shape
    with torch.random.fork_rng(devices=[]):  # building the layer draws weights: leave the reader's seed alone
        rnn = torch.nn.RNN(m, H).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(W_xh))
        rnn.weight_hh_l0.copy_(torch.from_numpy(W_hh))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b_h))
        rnn.bias_hh_l0.zero_()
        states, h_T = rnn(torch.from_numpy(xs), torch.from_numpy(h0)[None])
        ys = states @ torch.from_numpy(W_hy).T + torch.from_numpy(b_y)
    return ys.numpy(), h_T[0].numpy()


def _forward_cases(
    description: str, T: int, batch: int, m: int, H: int, q: int, seed: int, zero_state: bool = False
) -> list[Case]:
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(T, batch, m))
    h0 = np.zeros((batch, H)) if zero_state else rng.uniform(-1, 1, size=(batch, H))
    W_xh = rng.normal(scale=0.8, size=(H, m))
    W_hh = rng.normal(scale=0.8, size=(H, H))
    b_h = rng.normal(scale=0.5, size=H)
    W_hy = rng.normal(size=(q, H))
    b_y = rng.normal(size=q)
    args = (xs, h0, W_xh, W_hh, b_h, W_hy, b_y)
    ys, h_T = _torch_rnn_forward(*args)
    return [
        Case(f"{description}: outputs ŷ_1..ŷ_T", args, ys, atol=1e-10, extract=lambda answer: answer[0]),
        Case(f"{description}: final state h_T", args, h_T, atol=1e-10, extract=lambda answer: answer[1]),
    ]


def check_rnn_forward(fn: Callable) -> Verdict:
    """Check ``fn(xs, h0, W_xh, W_hh, b_h, W_hy, b_y) -> (ys, h_T)``: a vanilla RNN over a sequence.

    ``xs`` has shape ``(T, batch, m)`` (time first, like ``torch.nn.RNN``), ``h0`` ``(batch, H)``;
    ``W_xh`` ``(H, m)``, ``W_hh`` ``(H, H)``, ``b_h`` ``(H,)``, ``W_hy`` ``(q, H)``, ``b_y`` ``(q,)``.
    The answer is the outputs ``ys`` of shape ``(T, batch, q)``, one :math:`\\hat y_t` per step,
    and the final state ``h_T`` of shape ``(batch, H)``; both are compared with ``torch.nn.RNN``
    plus the output layer. Calling your own ``my_rnn_step`` is fine; the package's RNN is not.
    """
    cases = [
        *_forward_cases("one step, one sequence", T=1, batch=1, m=2, H=3, q=2, seed=10, zero_state=True),
        *_forward_cases(
            "5 steps from h_0 = 0: the state carries over",
            T=5,
            batch=1,
            m=2,
            H=3,
            q=2,
            seed=11,
            zero_state=True,
        ),
        *_forward_cases("a given initial state h_0", T=3, batch=2, m=2, H=3, q=2, seed=12),
        *_forward_cases(
            "6 steps, a batch of 3, sizes differ (m=4, H=3, q=2)", T=6, batch=3, m=4, H=3, q=2, seed=13
        ),
    ]
    forbidden = [rnn_step, ScratchRNN.forward, bptt.rnn_forward, _reference_rnn_step, _torch_rnn_forward]
    return run_checks("check_rnn_forward", fn, cases, forbidden=forbidden)


__all__ = ["check_rnn_forward", "check_rnn_step"]
