"""Checkers for chapter 7 (vanishing and exploding gradients): clipping, the backward recursion."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..gradients import (
    clip_grad_norm,
    rnn_forward,
    state_gradients,
    state_gradients_autograd,
    state_jacobian_autograd,
    state_jacobians,
)
from . import Case, Verdict, run_checks


def _joint_clip(grads: Sequence[np.ndarray], theta: float) -> np.ndarray:
    """The expected answer, flattened into one vector."""
    flat = np.concatenate([np.ravel(g) for g in grads])
    norm = float(np.linalg.norm(flat))
    return flat * (theta / norm) if norm >= theta else flat


def _same_shapes(got: object, grads: Sequence[np.ndarray]) -> np.ndarray:
    """The reader's list of clipped tensors, checked for count and shapes, as one flat vector."""
    shapes = [g.shape for g in grads]
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        raise TypeError(f"the answer must be a list with one array per gradient, got {type(got).__name__}")
    if len(got) != len(grads):
        raise ValueError(f"expected one array per gradient ({len(grads)}), got {len(got)}")
    got_shapes = [np.shape(g) for g in got]
    if got_shapes != shapes:
        raise ValueError(f"expected arrays of shapes {shapes}, got {got_shapes}: keep each gradient's shape")
    return np.concatenate([np.ravel(np.asarray(g, dtype=np.float64)) for g in got])


def check_clip(fn: Callable[[list[np.ndarray], float], list[np.ndarray]]) -> Verdict:
    """Check ``fn(grads, theta)``: clip a list of gradient arrays by their *joint* norm.

    ``grads`` holds one NumPy array per parameter, of any shapes. With ``g`` all of them
    stacked into one vector, the answer is ``theta * g / ||g||`` when ``||g|| >= theta``
    and ``g`` unchanged otherwise, returned as a list of arrays of the original shapes.
    """
    rng = np.random.default_rng(7)
    big = [rng.normal(size=(3, 4)) * 30, rng.normal(size=4) * 30, rng.normal(size=1) * 30]
    cases = [
        (
            "two gradients of norms 3 and 4 (joint norm 5), threshold 1: both shrink by 5",
            [np.array([3.0, 0.0]), np.array([[0.0], [4.0]])],
            1.0,
        ),
        (
            "each gradient is below the threshold 0.9, together they are above it (norm 1)",
            [np.array([0.6, 0.0]), np.array([0.0, 0.8])],
            0.9,
        ),
        (
            "a short gradient (joint norm 0.5) with threshold 1 is left alone",
            [np.array([0.3]), np.array([[0.4]])],
            1.0,
        ),
        ("a matrix, a vector and a bias of joint norm 85, threshold 5: shapes and direction kept", big, 5.0),
        ("a gradient exactly at the threshold stays the same", [np.array([0.0, -2.0])], 2.0),
    ]
    checks = [Case(d, (grads, theta), _joint_clip(grads, theta), atol=1e-9) for d, grads, theta in cases]

    def call(grads: list[np.ndarray], theta: float) -> np.ndarray:
        return _same_shapes(fn([g.copy() for g in grads], theta), grads)

    return run_checks("check_clip", call, checks, forbidden=[clip_grad_norm])


def check_backprop(fn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(W_hh, A, g) -> G``: the backward recursion of a tanh RNN through its states.

    ``W_hh`` is ``(H, H)``; ``A`` is ``(T, H)``, the pre-activations, row ``t - 1`` being
    :math:`a_t` (as :func:`seqmodels.gradients.rnn_forward` returns them); ``g`` is
    :math:`\\partial L / \\partial h_T`, shape ``(H,)``. The answer ``G`` has shape
    ``(T + 1, H)``, row ``t`` being :math:`\\partial L / \\partial h_t`:
    :math:`\\partial L/\\partial h_{t-1} = W_{hh}^\\top (f'(a_t) \\odot \\partial L/\\partial h_t)`.
    """
    W = np.array([[0.0, 2.0], [0.5, 0.0]])  # not symmetric: W and its transpose differ
    gen = np.random.default_rng(3)
    W4 = gen.normal(size=(4, 4)) * 0.6
    W_xh = gen.normal(size=(4, 3))
    X = gen.normal(size=(5, 3))
    _, A4 = rnn_forward(W4, W_xh, X, activation="tanh")
    A4 = A4.numpy()
    g4 = gen.normal(size=4)
    cases = [
        (
            "one step in the linear regime (a = 0, f' = 1): dL/dh_0 = W_hh^T g",
            (W, np.zeros((1, 2)), np.array([1.0, 0.0])),
        ),
        (
            "one step with saturated units: f'(a) = 1 - tanh(a)^2 scales the gradient",
            (W, np.array([[1.0, -2.0]]), np.array([1.0, 1.0])),
        ),
        ("five steps of a 4-unit RNN: each step uses its own a_t", (W4, A4, g4)),
        ("a loss that ignores h_T gives zero gradients everywhere", (W4, A4, np.zeros(4))),
    ]
    checks = [Case(d, args, _backprop(*args), atol=1e-9) for d, args in cases]

    def call(W_hh: np.ndarray, A: np.ndarray, g: np.ndarray) -> np.ndarray:
        return np.asarray(fn(W_hh.copy(), A.copy(), g.copy()), dtype=np.float64)

    references = [
        _backprop,
        state_gradients,
        state_gradients_autograd,
        state_jacobian_autograd,
        state_jacobians,
    ]
    return run_checks("check_backprop", call, checks, forbidden=references)


def _backprop(W_hh: np.ndarray, A: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The expected answer (the tests check it against :func:`seqmodels.gradients.state_gradients`)."""
    grads = [g]
    for a in A[::-1]:
        grads.append(W_hh.T @ ((1 - np.tanh(a) ** 2) * grads[-1]))
    return np.stack(grads[::-1])


__all__ = ["check_backprop", "check_clip"]
