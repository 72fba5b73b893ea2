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
    return run_checks("check_tanh_backward", fn, cases, forbidden=[_tanh_backward])


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
        Case(
            "W_hh not symmetric (transpose matters)",
            (np.array([[1.0, 0.0, 0.0]]), np.zeros((1, 3)), W),
            W[:1],
        ),
        Case("random batch of 2, hidden size 3", (dh, h, W), _bptt_step(dh, h, W)),
    ]
    return run_checks("check_bptt_step", fn, cases, forbidden=[_tanh_backward, _bptt_step])


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
    T: int,
    batch: int,
    m: int,
    H: int,
    q: int,
    seed: int,
    last_step_only: bool = False,
    finite_differences: bool = False,
) -> Case:
    rng = np.random.default_rng(seed)
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
        return Case(description, args, _relu_finite_differences(*args), atol=1e-6)
    return Case(description, args, _relu_autograd(*args), atol=1e-10)


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
    cases = [
        _relu_case("one step: nothing flows through time yet", T=1, batch=1, m=2, H=3, q=2, seed=21),
        _relu_case(
            "4 steps, a loss at the last step only: all of it arrives through W_hh",
            T=4,
            batch=1,
            m=2,
            H=3,
            q=2,
            seed=24,
            last_step_only=True,
        ),
        _relu_case(
            "5 steps, a batch of 2, sizes differ (m=3, H=4, q=2)", T=5, batch=2, m=3, H=4, q=2, seed=25
        ),
        _relu_case(
            "3 steps: agrees with finite differences",
            T=3,
            batch=2,
            m=2,
            H=3,
            q=2,
            seed=26,
            finite_differences=True,
        ),
    ]
    forbidden = [
        bptt.rnn_backward,
        bptt.autograd_gradients,
        bptt.numerical_gradient,
        _relu_autograd,
        _relu_finite_differences,
        _relu_outputs,
    ]
    return run_checks("check_relu_bptt", fn, cases, forbidden=forbidden)


__all__ = ["check_bptt_step", "check_relu_bptt", "check_tanh_backward"]
