"""Checkers for chapter 3, "The perceptron and activation functions".

- :func:`check_tanh_grad`: your g'(z) for g = tanh, as a function of a NumPy array.
- :func:`check_perceptron_forward`: your ŷ = σ(w0 + XᵀW) for a batch X of shape (n, m),
  without overflow.
- :func:`check_two_layer_backward`: the gradients of a two-layer network's logistic loss,
  checked against PyTorch's autograd.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import torch

from ..perceptron import Perceptron, TwoLayerNet, sigmoid, tanh_grad
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
    return run_checks("tanh derivative", fn, cases, forbidden=[tanh_grad])


def _without_overflow(fn: Callable) -> Callable:
    """``fn`` run with NumPy's overflow (and invalid-value) warnings turned into errors.

    The naive sigmoid ``1 / (1 + np.exp(-z))`` returns 0 at z = -800 only after ``np.exp(800)``
    has overflowed to infinity; that answer is right by luck, so here it fails its case.
    """
    if not callable(fn):
        return fn  # run_checks reports it

    @functools.wraps(fn)
    def strict(*args):
        with np.errstate(over="raise", invalid="raise"):
            try:
                return fn(*args)
            except FloatingPointError as exc:
                raise FloatingPointError(
                    f"{exc}: a number overflowed on the way, so the answer is right only by luck "
                    "(compute e^(-|z|), which is at most 1)"
                ) from None

    return strict


def check_perceptron_forward(fn: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> Verdict:
    """Check ``fn(X, W, w0)`` returns σ(w0 + XᵀW) for every row of ``X``, without overflow.

    The answer may not call the package's ``sigmoid`` or ``Perceptron``: writing a sigmoid
    that never overflows is part of the exercise.
    """
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 3))
    W = rng.normal(size=3)
    cases = [
        Case(
            "one point, zero weights: σ(0) = 0.5", (np.array([[1.0, 2.0]]), np.zeros(2), 0.0), np.array([0.5])
        ),
        Case(
            "one point, bias only",
            (np.array([[0.0, 0.0]]), np.array([1.0, 1.0]), 2.0),
            sigmoid(np.array([2.0])),
        ),
        Case("a batch of 5 points with 3 inputs", (X, W, -0.3), sigmoid(-0.3 + X @ W)),
        Case(
            "z = ±800: in [0, 1] and no overflow on the way",
            (np.array([[800.0], [-800.0]]), np.array([1.0]), 0.0),
            np.array([1.0, 0.0]),
        ),
    ]
    forbidden = [sigmoid, Perceptron.forward, Perceptron.logits]
    return run_checks("perceptron forward pass", _without_overflow(fn), cases, forbidden=forbidden)


def _autograd_two_layer(X, y, W1, b1, W2, b2) -> dict[str, np.ndarray]:
    """Reference gradients of the mean logistic loss of h = tanh(X W1 + b1), ŷ = σ(h W2 + b2)."""
    params = {
        name: torch.tensor(np.asarray(value, dtype=np.float64), requires_grad=True)
        for name, value in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2))
    }
    h = torch.tanh(torch.tensor(X) @ params["W1"] + params["b1"])
    z = h @ params["W2"] + params["b2"]
    torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y, dtype=torch.float64)).backward()
    return {name: p.grad.numpy() for name, p in params.items()}


def _two_layer_case(description: str, n: int, m: int, d: int, seed: int, scale: float = 1.0) -> Case:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    y = rng.integers(0, 2, size=n).astype(np.float64)
    W1 = rng.normal(scale=scale, size=(m, d))
    b1 = rng.normal(size=d)
    W2 = rng.normal(size=d)
    b2 = float(rng.normal())
    args = (X, y, W1, b1, W2, b2)
    return Case(description, args, _autograd_two_layer(*args), atol=1e-10)


def check_two_layer_backward(fn: Callable[..., dict[str, np.ndarray]]) -> Verdict:
    """Check ``fn(X, y, W1, b1, W2, b2)``: the backward pass of a two-layer tanh network.

    The network is ``h = tanh(X W1 + b1)`` and ``ŷ = σ(h W2 + b2)``, the loss the mean
    logistic loss over the ``n`` rows of ``X``. Shapes: ``X`` ``(n, m)``, ``y`` ``(n,)`` of 0s
    and 1s, ``W1`` ``(m, d)``, ``b1`` ``(d,)``, ``W2`` ``(d,)``, ``b2`` a number. The answer is a
    dict with the gradients ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``, each shaped like its
    parameter; they are compared with PyTorch's autograd.
    """
    cases = [
        _two_layer_case("one point, one hidden unit", n=1, m=1, d=1, seed=0),
        _two_layer_case(
            "5 points, 3 inputs, 2 hidden units: the loss is a mean over points", n=5, m=3, d=2, seed=1
        ),
        _two_layer_case(
            "8 points, 2 inputs, 4 hidden units, some of them saturated", n=8, m=2, d=4, seed=2, scale=3.0
        ),
    ]
    forbidden = [TwoLayerNet.backward, TwoLayerNet._backward, TwoLayerNet.fit, _autograd_two_layer]
    return run_checks("two-layer backward pass", fn, cases, forbidden=forbidden)


__all__ = ["check_perceptron_forward", "check_tanh_grad", "check_two_layer_backward"]
