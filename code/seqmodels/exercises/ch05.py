"""Checkers for chapter 5, "Backpropagation through time".

The network is the book's :math:`h_t = f(W_{hh} h_{t-1} + W_{xh} x_t + b_h)`,
:math:`\\hat y_t = W_{hy} h_t + b_y`, with ``W_xh`` of shape ``(H, m)``, ``W_hh`` ``(H, H)`` and
``W_hy`` ``(q, H)``, run on batches whose rows are sequences (``h_prev @ W_hh.T + ...``).

- :func:`check_tanh_backward`: the gradient through one tanh.
- :func:`check_bptt_step`: the gradient one step hands back to the previous state.
- :func:`check_relu_bptt`: the whole backward pass through time of a ReLU RNN, against
  PyTorch's autograd and finite differences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from .. import bptt
from . import Case, Exercise, Verdict, check, rng_for
from .ch03 import AUTOGRAD


def _tanh_backward(dh: np.ndarray, h: np.ndarray) -> np.ndarray:
    return dh * (1.0 - h**2)


def _bptt_step(dh: np.ndarray, h: np.ndarray, W_hh: np.ndarray) -> np.ndarray:
    return _tanh_backward(dh, h) @ W_hh


def tanh_backward_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 5.1, ``tanh_backward(dh, h)``: the gradient at ``a`` when ``h = tanh(a)``."""
    rng = rng_for(seed, 5, salt=51)
    if seed is None:
        h = np.tanh(rng.normal(size=(2, 3)))
        dh = rng.normal(size=(2, 3))
        return [
            Case(
                "h = 0: tanh'(0) = 1, the gradient passes unchanged",
                (np.ones((1, 2)), np.zeros((1, 2))),
                np.ones((1, 2)),
            ),
            Case(
                "saturated h = ±0.99: the gradient almost stops",
                (np.ones((1, 2)), np.array([[0.99, -0.99]])),
                np.full((1, 2), 1 - 0.99**2),
            ),
            Case("random batch of 2 x 3", (dh, h), _tanh_backward(dh, h)),
        ]
    cases = []
    for k in range(2):
        shape = tuple(int(v) for v in rng.integers(1, 6, 2))
        h, dh = np.tanh(rng.normal(scale=1.5, size=shape)), rng.normal(size=shape)
        cases.append(Case(f"random batch {k + 1} of {shape[0]} x {shape[1]}", (dh, h), _tanh_backward(dh, h)))
    return cases


def bptt_step_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 5.2, ``bptt_step(dh_t, h_t, W_hh)``: the gradient step ``t`` sends to ``h_{t-1}``.

    With ``h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)`` and row vectors, the answer is
    ``(dh_t * (1 - h_t**2)) @ W_hh``.
    """
    rng = rng_for(seed, 6, salt=52)
    if seed is None:
        W = rng.normal(size=(3, 3))
        h = np.tanh(rng.normal(size=(2, 3)))
        dh = rng.normal(size=(2, 3))
        return [
            Case(
                "W_hh = I and h_t = 0: the gradient passes unchanged", (dh, np.zeros((2, 3)), np.eye(3)), dh
            ),
            Case(
                "W_hh not symmetric (transpose matters)",
                (np.array([[1.0, 0.0, 0.0]]), np.zeros((1, 3)), W),
                W[:1],
            ),
            Case("random batch of 2, hidden size 3", (dh, h, W), _bptt_step(dh, h, W)),
        ]
    cases = []
    for k in range(2):
        batch, H = (int(v) for v in rng.integers(1, 6, 2))
        W, h, dh = rng.normal(size=(H, H)), np.tanh(rng.normal(size=(batch, H))), rng.normal(size=(batch, H))
        cases.append(
            Case(f"random batch {k + 1} of {batch}, hidden size {H}", (dh, h, W), _bptt_step(dh, h, W))
        )
    return cases


# ---- the whole backward pass of a ReLU RNN

_RELU_KEYS = (*bptt.PARAM_NAMES, "h0")


def _relu_outputs(arrays: dict[str, np.ndarray], xs: np.ndarray) -> np.ndarray:
    """Forward pass of the ReLU RNN in NumPy: the outputs ``ys`` of shape ``(T, batch, q)``."""
    h, ys = arrays["h0"], []
    for x_t in xs:
        h = np.maximum(0.0, h @ arrays["W_hh"].T + x_t @ arrays["W_xh"].T + arrays["b_h"])
        ys.append(h @ arrays["W_hy"].T + arrays["b_y"])
    return np.stack(ys)


def _relu_autograd(params: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, dys: np.ndarray) -> dict:
    """Reference gradients by PyTorch's autograd: backpropagate ``dys`` through the ReLU RNN."""
    t = {
        name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
        for name, value in {**params, "h0": h0}.items()
    }
    h, ys = t["h0"], []
    for x_t in torch.from_numpy(xs):
        h = torch.relu(h @ t["W_hh"].T + x_t @ t["W_xh"].T + t["b_h"])
        ys.append(h @ t["W_hy"].T + t["b_y"])
    torch.stack(ys).backward(torch.from_numpy(dys))
    return {name: t[name].grad.numpy() for name in _RELU_KEYS}


def _relu_finite_differences(
    params: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, dys: np.ndarray
) -> dict:
    """Reference gradients by central differences of the scalar ``sum(dys * ys)``."""
    arrays = {name: np.array(value, dtype=np.float64) for name, value in {**params, "h0": h0}.items()}
    return bptt.numerical_gradient(lambda: float(np.sum(dys * _relu_outputs(arrays, xs))), arrays, eps=1e-6)


def _relu_case(
    description: str,
    rng: np.random.Generator,
    T: int,
    batch: int,
    m: int,
    H: int,
    q: int,
    last_step_only: bool = False,
    finite_differences: bool = False,
) -> Case:
    params = {
        "W_xh": rng.normal(scale=0.8, size=(H, m)),
        "W_hh": rng.normal(scale=0.6, size=(H, H)),
        "b_h": rng.normal(scale=0.3, size=H),
        "W_hy": rng.normal(size=(q, H)),
        "b_y": rng.normal(size=q),
    }
    xs = rng.normal(size=(T, batch, m))
    h0 = rng.uniform(0.0, 1.0, size=(batch, H))
    dys = rng.normal(size=(T, batch, q))
    if last_step_only:
        dys[:-1] = 0.0
    args = (params, xs, h0, dys)
    if finite_differences:
        return Case(description, args, _relu_finite_differences(*args), atol=1e-5)
    return Case(description, args, _relu_autograd(*args))


def relu_bptt_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 5.3, ``relu_bptt(params, xs, h0, dys)``: BPTT for a ReLU RNN.

    The reference is PyTorch's autograd, and in one case central finite differences.
    """
    g = np.random.default_rng
    if seed is None:
        return [
            _relu_case("one step: nothing flows through time yet", g(21), T=1, batch=1, m=2, H=3, q=2),
            _relu_case(
                "4 steps, a loss at the last step only: all of it arrives through W_hh",
                g(24),
                T=4,
                batch=1,
                m=2,
                H=3,
                q=2,
                last_step_only=True,
            ),
            _relu_case(
                "5 steps, a batch of 2, sizes differ (m=3, H=4, q=2)", g(25), T=5, batch=2, m=3, H=4, q=2
            ),
            _relu_case(
                "3 steps: agrees with finite differences",
                g(26),
                T=3,
                batch=2,
                m=2,
                H=3,
                q=2,
                finite_differences=True,
            ),
        ]
    rng = rng_for(seed, 0, salt=53)
    cases = []
    for k in range(2):
        T, batch, m, H, q = (int(v) for v in rng.integers(2, 6, 5))
        cases.append(
            _relu_case(
                f"random ReLU RNN {k + 1} (T={T}, batch={batch}, m={m}, H={H}, q={q})",
                rng,
                T,
                batch,
                m,
                H,
                q,
                last_step_only=k == 1,
            )
        )
    return cases


EXERCISES = [
    Exercise(
        "5.1",
        "tanh_backward",
        tanh_backward_cases,
        "check_tanh_backward",
        forbidden=("seqmodels.exercises.ch05._tanh_backward",),
    ),
    Exercise(
        "5.2",
        "bptt_step",
        bptt_step_cases,
        "check_bptt_step",
        forbidden=("seqmodels.exercises.ch05._tanh_backward", "seqmodels.exercises.ch05._bptt_step"),
    ),
    Exercise(
        "5.3",
        "relu_bptt",
        relu_bptt_cases,
        "check_relu_bptt",
        forbidden=(
            "seqmodels.bptt.rnn_backward",
            "seqmodels.bptt.autograd_gradients",
            "seqmodels.bptt.numerical_gradient",
            "seqmodels.exercises.ch05._relu_autograd",
            "seqmodels.exercises.ch05._relu_finite_differences",
            "seqmodels.exercises.ch05._relu_outputs",
            *AUTOGRAD,
        ),
    ),
]


def check_tanh_backward(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(dh, h)`` (exercise 5.1): the gradient at the pre-activation ``a`` when ``h = tanh(a)``.

    ``dh`` is dL/dh and ``h`` the stored output of ``tanh`` (both of shape ``(batch, hidden)``).
    """
    return check(EXERCISES[0], fn)


def check_bptt_step(fn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(dh_t, h_t, W_hh)`` (exercise 5.2): the gradient that step ``t`` sends back to ``h_{t-1}``."""
    return check(EXERCISES[1], fn)


def check_relu_bptt(fn: Callable[..., dict[str, np.ndarray]]) -> Verdict:
    """Check ``fn(params, xs, h0, dys)``: backpropagation through time for a ReLU RNN.

    The network is ``h_t = relu(h_{t-1} @ W_hh.T + x_t @ W_xh.T + b_h)`` and
    ``ŷ_t = h_t @ W_hy.T + b_y`` on a batch stored time-major: ``xs`` ``(T, batch, m)``, ``h0``
    ``(batch, H)``, ``params`` a dict with ``"W_xh"`` ``(H, m)``, ``"W_hh"`` ``(H, H)``, ``"b_h"``
    ``(H,)``, ``"W_hy"`` ``(q, H)``, ``"b_y"`` ``(q,)``. ``dys`` is dJ/dŷ_t for every step, shape
    ``(T, batch, q)``. The answer runs the forward pass, then the backward pass, and returns a
    dict of gradients with the five parameter names and ``"h0"``, each shaped like its array.
    The reference is PyTorch's autograd, and in one case central finite differences.
    """
    return check(EXERCISES[2], fn)


__all__ = [
    "EXERCISES",
    "bptt_step_cases",
    "check_bptt_step",
    "check_relu_bptt",
    "check_tanh_backward",
    "relu_bptt_cases",
    "tanh_backward_cases",
]
