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

from . import Case, Exercise, Verdict, check, rng_for


def _reference_rnn_step(
    x_t: np.ndarray, h_prev: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray, b_h: np.ndarray
) -> np.ndarray:
    """The update for a batch of row vectors: ``h_t = tanh(x_t W_xh^T + h_{t-1} W_hh^T + b_h)``."""
    return np.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b_h)


def _step_case(
    description: str,
    rng: np.random.Generator,
    batch: int,
    m: int,
    H: int,
    zero_state: bool = False,
    zero_bias: bool = False,
) -> Case:
    x_t = rng.normal(size=(batch, m))
    h_prev = np.zeros((batch, H)) if zero_state else rng.uniform(-1, 1, size=(batch, H))
    W_xh = rng.normal(scale=0.7, size=(H, m))
    W_hh = rng.normal(scale=0.7, size=(H, H))
    b_h = np.zeros(H) if zero_bias else rng.normal(size=H)
    args = (x_t, h_prev, W_xh, W_hh, b_h)
    return Case(description, args, _reference_rnn_step(*args))


def rnn_step_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 4.1, ``my_rnn_step(x_t, h_prev, W_xh, W_hh, b_h) -> h_t``.

    Shapes: ``x_t`` ``(batch, m)``, ``h_prev`` ``(batch, H)``, ``W_xh`` ``(H, m)``,
    ``W_hh`` ``(H, H)``, ``b_h`` ``(H,)``; the answer has shape ``(batch, H)``.
    """
    if seed is None:
        g = np.random.default_rng
        return [
            _step_case("first step (h_prev = 0), no bias", g(0), 1, 3, 4, zero_state=True, zero_bias=True),
            _step_case("first step (h_prev = 0) with a bias", g(1), 2, 3, 4, zero_state=True),
            _step_case("a later step: the previous state matters", g(2), 2, 3, 4),
            _step_case("input and state sizes differ (m=5, H=2)", g(3), 3, 5, 2),
            _step_case("a batch of 4 sequences, H=6", g(4), 4, 2, 6),
        ]
    rng = rng_for(seed, 0, salt=41)
    cases = []
    for k in range(3):
        batch, m, H = (int(v) for v in rng.integers(1, 7, 3))
        cases.append(_step_case(f"random step {k + 1} (batch={batch}, m={m}, H={H})", rng, batch, m, H))
    return cases


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
    description: str,
    rng: np.random.Generator,
    T: int,
    batch: int,
    m: int,
    H: int,
    q: int,
    zero_state: bool = False,
) -> list[Case]:
    xs = rng.normal(size=(T, batch, m))
    h0 = np.zeros((batch, H)) if zero_state else rng.uniform(-1, 1, size=(batch, H))
    W_xh = rng.normal(scale=0.8, size=(H, m))
    W_hh = rng.normal(scale=0.8, size=(H, H))
    b_h = rng.normal(scale=0.5, size=H)
    W_hy = rng.normal(size=(q, H))
    b_y = rng.normal(size=q)
    args = (xs, h0, W_xh, W_hh, b_h, W_hy, b_y)
    ys, h_T = _torch_rnn_forward(*args)
    names = ("ys", "h_T")
    return [
        Case(f"{description}: outputs ŷ_1..ŷ_T", args, ys, outputs=names, part=0),
        Case(f"{description}: final state h_T", args, h_T, outputs=names, part=1),
    ]


def rnn_forward_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 4.2, ``my_rnn_forward(xs, h0, W_xh, W_hh, b_h, W_hy, b_y) -> (ys, h_T)``.

    ``xs`` has shape ``(T, batch, m)`` (time first, like ``torch.nn.RNN``), ``h0`` ``(batch, H)``;
    the expected values come from ``torch.nn.RNN`` plus the output layer.
    """
    if seed is None:
        g = np.random.default_rng
        return [
            *_forward_cases("one step, one sequence", g(10), T=1, batch=1, m=2, H=3, q=2, zero_state=True),
            *_forward_cases(
                "5 steps from h_0 = 0: the state carries over",
                g(11),
                T=5,
                batch=1,
                m=2,
                H=3,
                q=2,
                zero_state=True,
            ),
            *_forward_cases("a given initial state h_0", g(12), T=3, batch=2, m=2, H=3, q=2),
            *_forward_cases(
                "6 steps, a batch of 3, sizes differ (m=4, H=3, q=2)", g(13), T=6, batch=3, m=4, H=3, q=2
            ),
        ]
    rng = rng_for(seed, 0, salt=42)
    cases = []
    for k in range(2):
        T, batch, m, H, q = (int(v) for v in rng.integers(2, 7, 5))
        cases += _forward_cases(
            f"random sequence {k + 1} (T={T}, batch={batch}, m={m}, H={H}, q={q})", rng, T, batch, m, H, q
        )
    return cases


_RNN_ROUTES = (
    "seqmodels.rnn.rnn_step",
    "seqmodels.rnn.ScratchRNN.forward",
    "seqmodels.bptt.rnn_forward",
    "seqmodels.exercises.ch04._reference_rnn_step",
)

EXERCISES = [
    Exercise(
        "4.1", "my_rnn_step", rnn_step_cases, "check_rnn_step", forbidden=_RNN_ROUTES[:1] + _RNN_ROUTES[3:]
    ),
    Exercise(
        "4.2",
        "my_rnn_forward",
        rnn_forward_cases,
        "check_rnn_forward",
        forbidden=(
            *_RNN_ROUTES,
            "seqmodels.exercises.ch04._torch_rnn_forward",
            "torch.nn.RNN.forward",
            "torch.rnn_tanh",
            "torch.rnn_tanh_cell",
        ),
    ),
]


def check_rnn_step(fn: Callable) -> Verdict:
    """Check ``fn(x_t, h_prev, W_xh, W_hh, b_h) -> h_t`` (exercise 4.1) for one step of a vanilla RNN."""
    return check(EXERCISES[0], fn)


def check_rnn_forward(fn: Callable) -> Verdict:
    """Check ``fn(xs, h0, W_xh, W_hh, b_h, W_hy, b_y) -> (ys, h_T)``: a vanilla RNN over a sequence.

    ``xs`` has shape ``(T, batch, m)`` (time first, like ``torch.nn.RNN``), ``h0`` ``(batch, H)``;
    ``W_xh`` ``(H, m)``, ``W_hh`` ``(H, H)``, ``b_h`` ``(H,)``, ``W_hy`` ``(q, H)``, ``b_y`` ``(q,)``.
    The answer is the outputs ``ys`` of shape ``(T, batch, q)``, one :math:`\\hat y_t` per step,
    and the final state ``h_T`` of shape ``(batch, H)``; both are compared with ``torch.nn.RNN``
    plus the output layer. Calling your own ``my_rnn_step`` is fine; the package's RNN is not.
    """
    return check(EXERCISES[1], fn)


__all__ = ["EXERCISES", "check_rnn_forward", "check_rnn_step", "rnn_forward_cases", "rnn_step_cases"]
