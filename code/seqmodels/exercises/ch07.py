"""Checkers for chapter 7 (vanishing and exploding gradients): clipping, the backward recursion."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..gradients import rnn_forward
from . import Case, Exercise, Verdict, check, plain, rng_for


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


def clip_harness(fn: Callable, grads: list[np.ndarray], theta: float) -> np.ndarray:
    """Call ``fn(grads, theta)`` and return its list of clipped arrays, checked for count and shapes, flat."""
    got = plain(fn([np.array(g, dtype=np.float64) for g in grads], theta))
    shapes = [np.shape(g) for g in grads]
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        raise TypeError(f"the answer must be a list with one array per gradient, got {type(got).__name__}")
    if len(got) != len(grads):
        raise ValueError(f"expected one array per gradient ({len(grads)}), got {len(got)}")
    got_shapes = [np.shape(g) for g in got]
    if got_shapes != shapes:
        raise ValueError(f"expected arrays of shapes {shapes}, got {got_shapes}: keep each gradient's shape")
    return np.concatenate([np.ravel(np.asarray(g)) for g in got]) if got else np.zeros(0)


def clip_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 7.1, ``my_clip(grads, theta)``: clip a list of gradient arrays by their joint norm.

    With ``g`` all of them stacked into one vector, the answer is ``theta * g / ||g||`` when
    ``||g|| >= theta`` and ``g`` unchanged otherwise (PyTorch's ``theta / (||g|| + 1e-6)`` is
    within the tolerance), returned as a list of arrays of the original shapes.
    """
    rng = rng_for(seed, 7, salt=71)
    if seed is None:
        big = [rng.normal(size=(3, 4)) * 30, rng.normal(size=4) * 30, rng.normal(size=1) * 30]
        setups = [
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
            (
                "a matrix, a vector and a bias of joint norm 85, threshold 5: shapes and direction kept",
                big,
                5.0,
            ),
            ("a gradient exactly at the threshold stays the same", [np.array([0.0, -2.0])], 2.0),
        ]
    else:
        setups = []
        for k, scale in enumerate((10.0, 0.05, 3.0)):
            grads = [
                rng.normal(size=(int(rng.integers(1, 4)), int(rng.integers(1, 4)))) * scale for _ in range(3)
            ]
            setups.append((f"three random gradients, setup {k + 1}", grads, float(rng.uniform(0.5, 2.0))))
    return [Case(d, (grads, theta), _joint_clip(grads, theta)) for d, grads, theta in setups]


def backprop_harness(fn: Callable, W_hh: np.ndarray, A: np.ndarray, g: np.ndarray):
    """Call ``fn(W_hh, A, g)`` on NumPy copies of the arrays."""
    return plain(fn(np.array(W_hh), np.array(A), np.array(g)))


def backprop_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 7.2, ``backprop(W_hh, A, g) -> G``: the backward recursion of a tanh RNN.

    ``W_hh`` is ``(H, H)``; ``A`` is ``(T, H)``, the pre-activations, row ``t - 1`` being
    :math:`a_t`; ``g`` is :math:`\\partial L / \\partial h_T`, shape ``(H,)``. The answer ``G``
    has shape ``(T + 1, H)``, row ``t`` being :math:`\\partial L / \\partial h_t`.
    """
    gen = rng_for(seed, 3, salt=72)
    if seed is None:
        W = np.array([[0.0, 2.0], [0.5, 0.0]])  # not symmetric: W and its transpose differ
        W4 = gen.normal(size=(4, 4)) * 0.6
        W_xh = gen.normal(size=(4, 3))
        X = gen.normal(size=(5, 3))
        _, A4 = rnn_forward(W4, W_xh, X, activation="tanh")
        A4 = A4.numpy()
        g4 = gen.normal(size=4)
        setups = [
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
    else:
        setups = []
        for k in range(2):
            H, T = int(gen.integers(2, 6)), int(gen.integers(2, 8))
            setups.append(
                (
                    f"{T} steps of a random {H}-unit RNN",
                    (gen.normal(size=(H, H)) * 0.8, gen.normal(size=(T, H)), gen.normal(size=H)),
                )
            )
    return [Case(d, args, _backprop(*args)) for d, args in setups]


def _backprop(W_hh: np.ndarray, A: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The expected answer (the tests check it against :func:`seqmodels.gradients.state_gradients`)."""
    grads = [g]
    for a in A[::-1]:
        grads.append(W_hh.T @ ((1 - np.tanh(a) ** 2) * grads[-1]))
    return np.stack(grads[::-1])


EXERCISES = [
    Exercise(
        "7.1",
        "my_clip",
        clip_cases,
        "check_clip",
        forbidden=(
            "seqmodels.gradients.clip_grad_norm",
            "torch.nn.utils.clip_grad_norm_",
            "torch.nn.utils.clip_grads_with_norm_",
        ),
        harness="seqmodels.exercises.ch07.clip_harness",
    ),
    Exercise(
        "7.2",
        "backprop",
        backprop_cases,
        "check_backprop",
        forbidden=(
            "seqmodels.exercises.ch07._backprop",
            "seqmodels.gradients.state_gradients",
            "seqmodels.gradients.state_gradients_autograd",
            "seqmodels.gradients.state_jacobian_autograd",
            "seqmodels.gradients.state_jacobians",
        ),
        harness="seqmodels.exercises.ch07.backprop_harness",
    ),
]


def check_clip(fn: Callable[[list[np.ndarray], float], list[np.ndarray]]) -> Verdict:
    """Check ``fn(grads, theta)`` (exercise 7.1): clip a list of gradient arrays by their *joint* norm."""
    return check(EXERCISES[0], fn)


def check_backprop(fn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(W_hh, A, g) -> G`` (exercise 7.2): the backward recursion of a tanh RNN through its states."""
    return check(EXERCISES[1], fn)


__all__ = [
    "EXERCISES",
    "backprop_cases",
    "backprop_harness",
    "check_backprop",
    "check_clip",
    "clip_cases",
    "clip_harness",
]
