"""Checkers for chapter 3, "The perceptron and activation functions": exercises 3.1, 3.2, 3.3.

- :func:`check_tanh_grad`: your g'(z) for g = tanh, as a function of a NumPy array.
- :func:`check_perceptron_forward`: your ŷ = σ(w0 + XᵀW) for a batch X of shape (n, m),
  without overflow.
- :func:`check_two_layer_backward`: the gradients of a two-layer network's logistic loss,
  checked against PyTorch's autograd.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from ..perceptron import sigmoid, tanh_grad
from . import Case, Exercise, Verdict, check, plain, rng_for

#: Automatic differentiation: the exercises that ask for a derivative by hand rule it out.
AUTOGRAD = (
    "torch.autograd.backward",
    "torch.autograd.grad",
    "torch._functorch.eager_transforms.grad_impl",
    "torch._functorch.eager_transforms.grad_and_value_impl",
    "torch._functorch.eager_transforms.vjp",
    "torch._functorch.eager_transforms.jacrev",
)


def tanh_grad_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 3.1, ``my_tanh_grad(z)``: the derivative of tanh, elementwise."""
    if seed is None:
        grids = [
            ("z = 0 (the slope is 1 there)", np.array([0.0])),
            ("a few small z", np.array([-1.0, -0.5, 0.25, 2.0])),
            ("large |z| (saturation: slope near 0)", np.array([-30.0, -10.0, 10.0, 30.0])),
            ("a 2-D array keeps its shape", np.linspace(-3.0, 3.0, 6).reshape(2, 3)),
        ]
    else:
        rng = rng_for(seed, 0, salt=31)
        grids = [
            ("random z in [-2, 2]", rng.uniform(-2, 2, int(rng.integers(3, 9)))),
            ("random large |z|", rng.choice([-1, 1], 4) * rng.uniform(8, 40, 4)),
            ("a random 2-D array keeps its shape", rng.normal(scale=2.0, size=(int(rng.integers(2, 4)), 3))),
        ]
    return [Case(text, (z,), tanh_grad(z)) for text, z in grids]


def perceptron_harness(fn: Callable, X: np.ndarray, W: np.ndarray, w0: float):
    """``fn(X, W, w0)`` with NumPy's overflow (and invalid-value) warnings turned into errors.

    The naive sigmoid ``1 / (1 + np.exp(-z))`` returns 0 at z = -800 only after ``np.exp(800)``
    has overflowed to infinity; that answer is right by luck, so here it fails its case.
    (Silencing the warning inside the answer is ruled out by the guard: ``numpy.errstate``
    and ``numpy.seterr`` are on the exercise's forbidden list.)
    """
    with np.errstate(over="raise", invalid="raise"):
        try:
            return plain(fn(X, W, w0))
        except FloatingPointError as exc:
            raise FloatingPointError(
                f"{exc}: a number overflowed on the way, so the answer is right only by luck "
                "(compute e^(-|z|), which is at most 1)"
            ) from None


def perceptron_forward_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 3.2, ``my_forward(X, W, w0)``: σ(w0 + XᵀW) for every row of ``X``."""
    rng = rng_for(seed, 3, salt=32)
    if seed is None:
        X = rng.normal(size=(5, 3))
        W = rng.normal(size=3)
        return [
            Case(
                "one point, zero weights: σ(0) = 0.5",
                (np.array([[1.0, 2.0]]), np.zeros(2), 0.0),
                np.array([0.5]),
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
            Case(
                "z = ±20000: no overflow even in extended precision",
                (np.array([[2e4], [-2e4]]), np.array([1.0]), 0.0),
                np.array([1.0, 0.0]),
            ),
        ]
    n, m = int(rng.integers(2, 8)), int(rng.integers(1, 5))
    X, W, w0 = rng.normal(size=(n, m)), rng.normal(size=m), float(rng.normal())
    big = float(rng.uniform(1000, 30000))
    return [
        Case(f"a batch of {n} points with {m} inputs", (X, W, w0), sigmoid(w0 + X @ W)),
        Case(
            f"z = ±{big:.0f}: no overflow",
            (np.array([[big], [-big], [1.0]]), np.array([1.0]), 0.0),
            sigmoid(np.array([big, -big, 1.0])),
        ),
    ]


def _autograd_two_layer(X, y, W1, b1, W2, b2) -> dict[str, np.ndarray]:
    """Reference gradients of the mean logistic loss of h = tanh(X W1 + b1), ŷ = σ(h W2 + b2)."""
    params = {
        name: torch.tensor(np.asarray(value, dtype=np.float64), requires_grad=True)
        for name, value in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2))
    }
    h = torch.tanh(torch.tensor(X) @ params["W1"] + params["b1"])
    z = h @ params["W2"] + params["b2"]
    torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y, dtype=torch.float64)).backward()
    grads = {name: p.grad.numpy() for name, p in params.items()}
    grads["b2"] = float(grads["b2"])
    return grads


def _two_layer_case(
    description: str, rng: np.random.Generator, n: int, m: int, d: int, scale: float = 1.0
) -> Case:
    X = rng.normal(size=(n, m))
    y = rng.integers(0, 2, size=n).astype(np.float64)
    W1 = rng.normal(scale=scale, size=(m, d))
    b1 = rng.normal(size=d)
    W2 = rng.normal(size=d)
    b2 = float(rng.normal())
    args = (X, y, W1, b1, W2, b2)
    return Case(description, args, _autograd_two_layer(*args))


def two_layer_backward_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 3.3, ``my_backward(X, y, W1, b1, W2, b2) -> {"W1", "b1", "W2", "b2"}``.

    The network is ``h = tanh(X W1 + b1)`` and ``ŷ = σ(h W2 + b2)``, the loss the mean
    logistic loss over the ``n`` rows of ``X``; the reference gradients come from autograd.
    """
    if seed is None:
        return [
            _two_layer_case("one point, one hidden unit", np.random.default_rng(0), n=1, m=1, d=1),
            _two_layer_case(
                "5 points, 3 inputs, 2 hidden units: the loss is a mean over points",
                np.random.default_rng(1),
                n=5,
                m=3,
                d=2,
            ),
            _two_layer_case(
                "8 points, 2 inputs, 4 hidden units, some of them saturated",
                np.random.default_rng(2),
                n=8,
                m=2,
                d=4,
                scale=3.0,
            ),
        ]
    rng = rng_for(seed, 0, salt=33)
    return [
        _two_layer_case(
            f"random network {k + 1}",
            rng,
            int(rng.integers(2, 9)),
            int(rng.integers(1, 4)),
            int(rng.integers(2, 5)),
            scale=s,
        )
        for k, s in enumerate((1.0, 2.5))
    ]


EXERCISES = [
    Exercise(
        "3.1",
        "my_tanh_grad",
        tanh_grad_cases,
        "check_tanh_grad",
        forbidden=("seqmodels.perceptron.tanh_grad", *AUTOGRAD),
    ),
    Exercise(
        "3.2",
        "my_forward",
        perceptron_forward_cases,
        "check_perceptron_forward",
        forbidden=(
            "seqmodels.perceptron.sigmoid",
            "seqmodels.perceptron.Perceptron.forward",
            "seqmodels.perceptron.Perceptron.logits",
            "torch.sigmoid",
            "torch.special.expit",
            "torch.nn.functional.sigmoid",
            "numpy.errstate.__enter__",
            "numpy.seterr",
        ),
        harness="seqmodels.exercises.ch03.perceptron_harness",
    ),
    Exercise(
        "3.3",
        "my_backward",
        two_layer_backward_cases,
        "check_two_layer_backward",
        forbidden=(
            "seqmodels.perceptron.TwoLayerNet.backward",
            "seqmodels.perceptron.TwoLayerNet._backward",
            "seqmodels.perceptron.TwoLayerNet.fit",
            *AUTOGRAD,
        ),
    ),
]


def check_tanh_grad(fn: Callable[[np.ndarray], np.ndarray]) -> Verdict:
    """Check ``fn(z)`` (exercise 3.1) returns the derivative of tanh, elementwise, by hand (no autograd)."""
    return check(EXERCISES[0], fn)


def check_perceptron_forward(fn: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> Verdict:
    """Check ``fn(X, W, w0)`` (exercise 3.2) returns σ(w0 + XᵀW) for every row of ``X``, without overflow.

    The answer may not call the package's ``sigmoid`` or ``Perceptron``, nor ``torch.sigmoid``,
    nor silence NumPy's overflow warning: writing a sigmoid that never overflows is the exercise.
    """
    return check(EXERCISES[1], fn)


def check_two_layer_backward(fn: Callable[..., dict[str, np.ndarray]]) -> Verdict:
    """Check ``fn(X, y, W1, b1, W2, b2)`` (exercise 3.3): the backward pass of a two-layer tanh network.

    Shapes: ``X`` ``(n, m)``, ``y`` ``(n,)`` of 0s and 1s, ``W1`` ``(m, d)``, ``b1`` ``(d,)``,
    ``W2`` ``(d,)``, ``b2`` a number. The answer is a dict with the gradients ``"W1"``, ``"b1"``,
    ``"W2"``, ``"b2"``, each shaped like its parameter, written by hand (autograd is ruled out).
    """
    return check(EXERCISES[2], fn)


__all__ = [
    "AUTOGRAD",
    "EXERCISES",
    "check_perceptron_forward",
    "check_tanh_grad",
    "check_two_layer_backward",
    "perceptron_forward_cases",
    "perceptron_harness",
    "tanh_grad_cases",
    "two_layer_backward_cases",
]
