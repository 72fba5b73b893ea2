"""The perceptron, its activation functions, and a small two-layer network (chapter 3).

A perceptron takes inputs $x_1..x_m$, weights $w_1..w_m$ and a bias $w_0$, and outputs

    ŷ = g(w0 + Σ_i x_i w_i) = g(w0 + XᵀW),

where ``g`` is a non-linear activation function. Rosenblatt's original unit
(:class:`RosenblattPerceptron`) uses a step function for ``g`` and learns with the perceptron
rule; :class:`Perceptron` uses the sigmoid and gradient descent on the logistic loss, which
makes it logistic regression. Everything here is plain NumPy with a hand-written backward
pass, so a reader can follow each number; the tests check every derivative and gradient
against PyTorch's autograd.

Shapes: a *batch* of ``n`` points is an array ``X`` of shape ``(n, m)``, one point per
row, so ``XᵀW`` for one point (a column vector X) becomes ``X @ W`` for the batch.

The chapter also needs toy data (green vs red points in the plane) and, at its end, a
feed-forward next-character model that sees one time step at a time; both are here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from .validation import check_int, check_positive_int, check_real

# --------------------------------------------------------------------------- activations


def _as_float_array(z: np.ndarray | float) -> np.ndarray:
    return np.asarray(z, dtype=np.float64)


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """The logistic sigmoid g(z) = 1 / (1 + e^{-z}), squashing any real into (0, 1).

    Computed from e^{-|z|}, which never overflows: for z >= 0 it is 1 / (1 + e^{-z}),
    for z < 0 the equal e^{z} / (1 + e^{z}). The naive formula overflows at z < -709.
    """
    z = _as_float_array(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z: np.ndarray | float) -> np.ndarray:
    """g'(z) = g(z)(1 - g(z)) for the sigmoid; at most 1/4 (at z = 0), tiny for large |z|."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray | float) -> np.ndarray:
    """The hyperbolic tangent g(z) = (e^z - e^{-z}) / (e^z + e^{-z}), a sigmoid onto (-1, 1)."""
    return np.tanh(_as_float_array(z))


def tanh_grad(z: np.ndarray | float) -> np.ndarray:
    """g'(z) = 1 - g(z)^2 for tanh; 1 at z = 0, tiny for large |z|."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray | float) -> np.ndarray:
    """The rectified linear unit g(z) = max(0, z)."""
    return np.maximum(0.0, _as_float_array(z))


def relu_grad(z: np.ndarray | float) -> np.ndarray:
    """g'(z) = 1 for z > 0, else 0 (we take 0 at the kink z = 0, as PyTorch does)."""
    return (_as_float_array(z) > 0).astype(np.float64)


def linear(z: np.ndarray | float) -> np.ndarray:
    """The identity g(z) = z: no non-linearity at all (used to show why we need one)."""
    return _as_float_array(z).copy()


def linear_grad(z: np.ndarray | float) -> np.ndarray:
    """g'(z) = 1 everywhere for the identity."""
    return np.ones_like(_as_float_array(z))


#: Each activation's name -> (g, g').
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "linear": (linear, linear_grad),
}


def get_activation(
    name: str,
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """Return the pair (g, g') for an activation name in :data:`ACTIVATIONS`."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


# --------------------------------------------------------------------------- input checks


def _check_X(X: np.ndarray, num_inputs: int | None = None) -> np.ndarray:
    """Return ``X`` as a float array of shape (n, m), or raise a clear error."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"X must be an array of numbers, got {type(X).__name__}") from exc
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n, m) with n >= 1, one point per row; got shape {X.shape}")
    if num_inputs is not None and X.shape[1] != num_inputs:
        raise ValueError(f"X must have {num_inputs} columns (one per input x_i), got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values; every input x_i must be a finite number")
    return X


def _check_y(y: np.ndarray, n: int) -> np.ndarray:
    """Return labels ``y`` as a float vector of length n with values in {0, 1}."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},), one label per row of X; got shape {y.shape}")
    if y.dtype.kind not in "biuf" or not np.all(np.isin(y, (0, 1))):
        bad = [v for v in np.unique(y).tolist() if v not in (0, 1)][:5] if y.dtype.kind in "biuf" else y.dtype
        raise ValueError(f"y must contain only the labels 0 and 1, got {bad}")
    return y.astype(np.float64)


def _check_training(learning_rate: float, epochs: int) -> tuple[float, int]:
    learning_rate = check_real("learning_rate", learning_rate, low=0.0, low_open=True)
    epochs = check_positive_int("epochs", epochs)
    return learning_rate, epochs


def logistic_loss(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of labels ``y`` given pre-activations ``z`` (ŷ = σ(z)).

    -[y log σ(z) + (1-y) log(1-σ(z))] simplifies to log(1 + e^z) - y z, which
    ``np.logaddexp`` evaluates without overflow. Its derivative in z is σ(z) - y.
    """
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


# --------------------------------------------------------------------------- the perceptron


class Perceptron:
    """One neuron: ŷ = σ(w0 + XᵀW), trained by gradient descent on the logistic loss.

    ``W`` starts at small random values drawn from ``seed``; ``w0`` starts at 0. The
    decision boundary, where ŷ = 1/2, is the line w0 + XᵀW = 0: a perceptron can only
    separate classes with a straight line (a hyperplane in m dimensions).
    """

    def __init__(self, num_inputs: int, seed: int = 0) -> None:
        self.num_inputs = check_positive_int("num_inputs", num_inputs)
        rng = np.random.default_rng(check_int("seed", seed, minimum=0))
        self.W = rng.normal(0.0, 0.1, size=self.num_inputs)
        self.w0 = 0.0

    def logits(self, X: np.ndarray) -> np.ndarray:
        """z = w0 + XᵀW for every row of X."""
        X = _check_X(X, self.num_inputs)
        return self.w0 + X @ self.W

    def forward(self, X: np.ndarray) -> np.ndarray:
        """ŷ = σ(w0 + XᵀW): the probability that each point is class 1."""
        return sigmoid(self.logits(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels: 1 where ŷ >= 1/2 (i.e. z >= 0), else 0."""
        return (self.logits(X) >= 0).astype(np.int64)

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean logistic loss on (X, y)."""
        X = _check_X(X, self.num_inputs)
        return logistic_loss(self.w0 + X @ self.W, _check_y(y, len(X)))

    def fit(self, X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0, epochs: int = 500) -> list[float]:
        """Full-batch gradient descent for ``epochs`` steps; returns ``epochs + 1`` losses.

        ``losses[k]`` is the loss after ``k`` steps (``losses[0]`` before training). With
        dL/dz_i = (σ(z_i) - y_i)/n, the gradients are dL/dW = Xᵀ(ŷ - y)/n and
        dL/dw0 = mean(ŷ - y).
        """
        X = _check_X(X, self.num_inputs)
        y = _check_y(y, len(X))
        learning_rate, epochs = _check_training(learning_rate, epochs)
        losses = []
        for _ in range(epochs):
            z = self.w0 + X @ self.W
            losses.append(logistic_loss(z, y))
            dz = (sigmoid(z) - y) / len(X)
            self.W -= learning_rate * (X.T @ dz)
            self.w0 -= learning_rate * float(dz.sum())
        losses.append(logistic_loss(self.w0 + X @ self.W, y))
        return losses


class RosenblattPerceptron:
    """Rosenblatt's perceptron: a step function and the perceptron learning rule.

    The output is ŷ = 1 if w0 + XᵀW >= 0, else 0. The step function has no useful
    derivative (it is 0 wherever it is defined), so the unit cannot follow a gradient;
    instead the rule visits the points one by one and, for each misclassified one, moves
    the line towards it: W <- W + η (y - ŷ) x and w0 <- w0 + η (y - ŷ). Points already on
    the right side change nothing. If one line separates the classes the rule stops after
    finitely many mistakes; if none does, it never stops.
    """

    def __init__(self, num_inputs: int) -> None:
        self.num_inputs = check_positive_int("num_inputs", num_inputs)
        self.W = np.zeros(self.num_inputs)
        self.w0 = 0.0

    def logits(self, X: np.ndarray) -> np.ndarray:
        """z = w0 + XᵀW for every row of X."""
        X = _check_X(X, self.num_inputs)
        return self.w0 + X @ self.W

    def forward(self, X: np.ndarray) -> np.ndarray:
        """The step function of z: 1.0 where w0 + XᵀW >= 0, else 0.0 (no probabilities)."""
        return (self.logits(X) >= 0).astype(np.float64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels: 1 where w0 + XᵀW >= 0, else 0."""
        return (self.logits(X) >= 0).astype(np.int64)

    def fit(
        self, X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0, max_epochs: int = 100
    ) -> list[int]:
        """Apply the perceptron rule, point by point, for at most ``max_epochs`` passes.

        Returns the number of mistakes (updates) in each pass; training stops after the
        first pass without a mistake, so a list ending in 0 means every point is right.
        """
        X = _check_X(X, self.num_inputs)
        y = _check_y(y, len(X))
        learning_rate = check_real("learning_rate", learning_rate, low=0.0, low_open=True)
        max_epochs = check_positive_int("max_epochs", max_epochs)
        mistakes = []
        for _ in range(max_epochs):
            count = 0
            for x_i, y_i in zip(X, y):
                error = y_i - float(self.w0 + x_i @ self.W >= 0)  # +1, -1, or 0 when right
                if error:
                    self.W += learning_rate * error * x_i
                    self.w0 += learning_rate * error
                    count += 1
            mistakes.append(count)
            if count == 0:
                break
        return mistakes


# --------------------------------------------------------------------------- two layers


class TwoLayerNet:
    """A feed-forward network with one hidden layer of ``num_hidden`` units.

        h = g(X W1 + b1)        hidden layer, activation g of your choice
        ŷ = σ(h W2 + b2)        output: probability of class 1

    ``backward`` is written by hand with the chain rule (the tests check it against
    autograd). With ``activation="linear"`` the whole network collapses to one linear
    map, so its decision boundary is a straight line however wide it is.
    """

    def __init__(self, num_inputs: int, num_hidden: int, activation: str = "tanh", seed: int = 0) -> None:
        self.num_inputs = check_positive_int("num_inputs", num_inputs)
        self.num_hidden = check_positive_int("num_hidden", num_hidden)
        self.g, self.g_grad = get_activation(activation)
        self.activation = activation
        rng = np.random.default_rng(check_int("seed", seed, minimum=0))
        self.params: dict[str, np.ndarray] = {
            "W1": rng.normal(0.0, 1.0, size=(self.num_inputs, self.num_hidden)),
            "b1": rng.normal(0.0, 0.5, size=self.num_hidden),
            "W2": rng.normal(0.0, 1.0 / np.sqrt(self.num_hidden), size=self.num_hidden),
            "b2": np.zeros(()),
        }

    def _forward(self, X: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        p = self.params
        a = X @ p["W1"] + p["b1"]  # hidden pre-activations, (n, d)
        h = self.g(a)  # hidden activations, (n, d)
        z = h @ p["W2"] + p["b2"]  # output pre-activation, (n,)
        return z, {"X": X, "a": a, "h": h, "z": z}

    def logits(self, X: np.ndarray) -> np.ndarray:
        """The output pre-activation z for every row of X."""
        return self._forward(_check_X(X, self.num_inputs))[0]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """ŷ = σ(z): the probability that each point is class 1."""
        return sigmoid(self.logits(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels: 1 where ŷ >= 1/2, else 0."""
        return (self.logits(X) >= 0).astype(np.int64)

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean logistic loss on (X, y)."""
        X = _check_X(X, self.num_inputs)
        return logistic_loss(self._forward(X)[0], _check_y(y, len(X)))

    def backward(self, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """The loss and its gradient with respect to every parameter, by the chain rule."""
        X = _check_X(X, self.num_inputs)
        return self._backward(X, _check_y(y, len(X)))

    def _backward(self, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """:meth:`backward` on inputs already checked (``fit`` checks them once, not every step)."""
        z, c = self._forward(X)
        dz = (sigmoid(z) - y) / len(X)  # dL/dz, (n,)
        dh = np.outer(dz, self.params["W2"])  # dL/dh, (n, d)
        da = dh * self.g_grad(c["a"])  # dL/da = dL/dh * g'(a), (n, d)
        grads = {
            "W2": c["h"].T @ dz,
            "b2": np.asarray(dz.sum()),
            "W1": X.T @ da,
            "b1": da.sum(axis=0),
        }
        return logistic_loss(z, y), grads

    def fit(
        self, X: np.ndarray, y: np.ndarray, learning_rate: float = 0.5, epochs: int = 2000
    ) -> list[float]:
        """Full-batch gradient descent with the hand-written gradients.

        Returns ``epochs + 1`` losses: ``losses[k]`` is the loss after ``k`` steps.
        """
        X = _check_X(X, self.num_inputs)
        y = _check_y(y, len(X))
        learning_rate, epochs = _check_training(learning_rate, epochs)
        losses = []
        for _ in range(epochs):
            loss, grads = self._backward(X, y)
            losses.append(loss)
            for name, grad in grads.items():
                self.params[name] -= learning_rate * grad
        losses.append(logistic_loss(self._forward(X)[0], y))
        return losses


#: g'(a) from the pre-activation a and the output h = g(a), reusing h where the formula allows
#: (the same numbers as :data:`ACTIVATIONS`' derivatives, one evaluation of g fewer).
_SLOPE_FROM_OUTPUT: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "sigmoid": lambda a, h: h * (1.0 - h),
    "tanh": lambda a, h: 1.0 - h * h,
    "relu": lambda a, h: (a > 0).astype(np.float64),
    "linear": lambda a, h: np.ones_like(a),
}


def fit_two_layer_seeds(
    X: np.ndarray,
    y: np.ndarray,
    num_hidden: int,
    activation: str = "tanh",
    seeds: Sequence[int] = (0, 1, 2),
    learning_rate: float = 0.5,
    epochs: int = 2000,
) -> list[TwoLayerNet]:
    """Train one :class:`TwoLayerNet` per seed at once, and return them trained.

    A single tiny fit tells little: whether two ReLU units find the rings depends on where
    their random lines start. This trains ``TwoLayerNet(m, num_hidden, activation, seed=s)``
    for every ``s`` in ``seeds`` with the same full-batch gradient descent as
    :meth:`TwoLayerNet.fit`, but stacks the networks along a leading axis so that every
    NumPy call serves all seeds; that is what makes several seeds cheap enough for a
    chapter. Each returned network ends where its own ``fit`` would (up to rounding).
    """
    X = _check_X(X)
    y = _check_y(y, len(X))
    learning_rate, epochs = _check_training(learning_rate, epochs)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence):
        raise TypeError(f"seeds must be a sequence of integers, got {type(seeds).__name__}")
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed")
    nets = [TwoLayerNet(X.shape[1], num_hidden, activation=activation, seed=s) for s in seeds]
    g, slope = nets[0].g, _SLOPE_FROM_OUTPUT[activation]
    W1, b1, W2, b2 = (np.stack([net.params[k] for net in nets]) for k in ("W1", "b1", "W2", "b2"))
    n, XT = len(X), X.T
    for _ in range(epochs):
        a = X @ W1 + b1[:, None, :]  # (S, n, d): every seed's hidden pre-activations
        h = g(a)
        z = (h @ W2[:, :, None])[:, :, 0] + b2[:, None]  # (S, n)
        dz = (sigmoid(z) - y) / n
        da = dz[:, :, None] * W2[:, None, :] * slope(a, h)
        W2 -= learning_rate * (dz[:, None, :] @ h)[:, 0, :]
        b2 -= learning_rate * dz.sum(axis=1)
        W1 -= learning_rate * (XT @ da)
        b1 -= learning_rate * da.sum(axis=1)
    for i, net in enumerate(nets):
        net.params = {"W1": W1[i].copy(), "b1": b1[i].copy(), "W2": W2[i].copy(), "b2": np.asarray(b2[i])}
    return nets


def accuracy(model: Perceptron | RosenblattPerceptron | TwoLayerNet, X: np.ndarray, y: np.ndarray) -> float:
    """Share of points whose predicted class equals the label."""
    X = _check_X(X)
    y = _check_y(y, len(X))
    return float(np.mean(model.predict(X) == y))


def best_line_accuracy(X: np.ndarray, y: np.ndarray) -> float:
    """The highest training accuracy any straight line reaches on points in the plane, found exactly.

    Logistic regression minimises the logistic loss, not the number of mistakes, so its line
    can be far from the line with the fewest mistakes; this is the yardstick that shows how
    far. A line classifies by the sign of ``u . x - t``. As the direction ``u`` turns, the
    order of the projections ``u . x`` changes only where ``u`` is perpendicular to the line
    through two points; between two such directions every threshold splits the points in the
    same ways. So one direction inside each of those arcs, with every threshold and both
    orientations, covers every line: ``O(n^3)`` work, instant for a few hundred points.
    """
    X = _check_X(X, 2)
    y = _check_y(y, len(X))
    n = len(X)
    if n < 2:
        raise ValueError(f"X must hold at least 2 points, got {n}")
    i, j = np.triu_indices(n, k=1)
    d = X[j] - X[i]
    critical = np.sort(np.mod(np.arctan2(d[:, 1], d[:, 0]) + np.pi / 2, np.pi))  # u perpendicular to a pair
    angles = (critical + np.roll(critical, -1) + np.pi * (np.arange(len(critical)) == len(critical) - 1)) / 2
    best = max(y.mean(), 1 - y.mean())  # a line with every point on one side
    for start in range(0, len(angles), 512):
        theta = angles[start : start + 512]
        proj = X @ np.stack([np.cos(theta), np.sin(theta)])  # (n, k)
        labels = y[np.argsort(proj, axis=0)]  # the labels in projection order, one column per direction
        red_below = np.cumsum(1 - labels, axis=0)[:-1]  # threshold after each point: reds on the low side
        green_above = labels.sum(axis=0) - np.cumsum(labels, axis=0)[:-1]
        correct = red_below + green_above
        best = max(best, float(np.max(np.maximum(correct, n - correct))) / n)
    return best


def dead_units(net: TwoLayerNet, X: np.ndarray) -> int:
    """How many hidden units of ``net`` output zero on every row of ``X`` (ReLU only).

    A ReLU unit whose pre-activation is negative on every training point passes no gradient
    (its slope is 0 there), so gradient descent can never revive it: the network trains as
    if it had one unit fewer. This counts them.
    """
    if not isinstance(net, TwoLayerNet):
        raise TypeError(f"net must be a TwoLayerNet, got {type(net).__name__}")
    if net.activation != "relu":
        raise ValueError(
            f"only ReLU units die (their slope is 0 below the kink); this net uses {net.activation!r}"
        )
    X = _check_X(X, net.num_inputs)
    a = X @ net.params["W1"] + net.params["b1"]
    return int(np.sum(np.all(a <= 0, axis=0)))


def decision_grid(
    model: Perceptron | RosenblattPerceptron | TwoLayerNet, lim: float = 1.5, num: int = 200
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ŷ on a ``num x num`` grid over [-lim, lim]^2, for drawing decision boundaries.

    Returns the grid coordinates ``xx, yy`` and the probabilities, each (num, num).
    """
    lim = check_real("lim", lim, low=0.0, low_open=True)
    num = check_int("num", num, minimum=2)
    xs = np.linspace(-lim, lim, num)
    xx, yy = np.meshgrid(xs, xs)
    probs = model.forward(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    return xx, yy, probs


# --------------------------------------------------------------------------- toy data


def make_separable_points(
    num_points: int = 200, margin: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Green (label 1) and red (label 0) points in [-1, 1]^2 that one straight line separates.

    Points are uniform in the square; the label is the side of the line
    x_2 = 0.5 x_1 + 0.1 they fall on. Points closer than ``margin`` to the line are
    redrawn, so a gap separates the classes.
    """
    num_points = check_int("num_points", num_points, minimum=2)
    margin = check_real("margin", margin, low=0.0, high=0.5)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    normal = np.array([-0.5, 1.0]) / np.hypot(0.5, 1.0)
    kept: list[np.ndarray] = []
    while sum(len(k) for k in kept) < num_points:
        X = rng.uniform(-1.0, 1.0, size=(num_points, 2))
        distance = (X @ normal) - 0.1 / np.hypot(0.5, 1.0)
        kept.append(X[np.abs(distance) >= margin])
    X = np.concatenate(kept)[:num_points]
    y = ((X @ normal) - 0.1 / np.hypot(0.5, 1.0) > 0).astype(np.int64)
    return X, y


def make_rings(num_points: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Green points (label 1) in a disc around the origin, red points (label 0) on a ring around it.

    No straight line separates them: every line through the green disc cuts the red ring.
    Half the points are green, spread uniformly over the disc of radius 0.5; half are red,
    at radius 1.0 plus Gaussian ``noise``.
    """
    num_points = check_int("num_points", num_points, minimum=2)
    noise = check_real("noise", noise, low=0.0)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    y = (np.arange(num_points) < num_points // 2).astype(np.int64)
    y = y[rng.permutation(num_points)]
    disc = 0.5 * np.sqrt(rng.uniform(0.0, 1.0, size=num_points))  # sqrt: uniform over the area
    ring = 1.0 + noise * rng.normal(size=num_points)
    radius = np.where(y == 1, disc, ring)
    angle = rng.uniform(0.0, 2 * np.pi, size=num_points)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, y


def make_xor(num_points: int = 200, noise: float = 0.15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The XOR pattern: green (1) in the first and third quadrants, red (0) in the other two.

    Points are drawn around the four corners (±0.6, ±0.6) with Gaussian ``noise``.
    """
    num_points = check_int("num_points", num_points, minimum=4)
    noise = check_real("noise", noise, low=0.0)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    corners = np.array([[0.6, 0.6], [-0.6, -0.6], [-0.6, 0.6], [0.6, -0.6]])
    which = np.arange(num_points) % 4
    which = which[rng.permutation(num_points)]
    X = corners[which] + noise * rng.normal(size=(num_points, 2))
    y = (which < 2).astype(np.int64)
    return X, y


# --------------------------------------------------------------------------- one time step at a time


class NextCharFeedForward(nn.Module):
    """A feed-forward net applied to each time step on its own: x_t -> ŷ_t.

    The current character's index goes through an embedding (a learned vector per
    character, the same as multiplying a one-hot x_t by a weight matrix), a hidden
    tanh layer and a linear layer to |V| scores; softmax turns them into
    P(x_{t+1} | x_t). It never sees x_{t-1}, x_{t-2}, ...: whatever it learns, it is
    a bigram model.
    """

    def __init__(self, vocab_size: int, embed_dim: int = 16, num_hidden: int = 64) -> None:
        super().__init__()
        vocab_size = check_positive_int("vocab_size", vocab_size)
        self.embedding = nn.Embedding(vocab_size, check_positive_int("embed_dim", embed_dim))
        self.hidden = nn.Linear(embed_dim, check_positive_int("num_hidden", num_hidden))
        self.output = nn.Linear(num_hidden, vocab_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scores (logits) over the next character, shape ``x.shape + (|V|,)``."""
        return self.output(torch.tanh(self.hidden(self.embedding(x))))


def _check_ids(ids: Sequence[int] | np.ndarray | torch.Tensor, vocab_size: int) -> torch.Tensor:
    ids = torch.as_tensor(np.asarray(ids))
    if ids.ndim != 1 or len(ids) < 2:
        raise ValueError(
            f"ids must be a 1-D sequence of at least 2 token indices, got shape {tuple(ids.shape)}"
        )
    if ids.dtype in (torch.float16, torch.float32, torch.float64, torch.bool):
        raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
    ids = ids.long()
    if int(ids.min()) < 0 or int(ids.max()) >= vocab_size:
        raise ValueError(
            f"ids must lie in [0, {vocab_size}), got values from {int(ids.min())} to {int(ids.max())}"
        )
    return ids


def pair_counts(ids: Sequence[int] | np.ndarray | torch.Tensor, vocab_size: int) -> torch.Tensor:
    """N[a, b]: how many times token ``b`` follows token ``a`` in ``ids`` (a |V| x |V| table)."""
    vocab_size = check_positive_int("vocab_size", vocab_size)
    ids = _check_ids(ids, vocab_size)
    flat = ids[:-1] * vocab_size + ids[1:]
    return torch.bincount(flat, minlength=vocab_size * vocab_size).reshape(vocab_size, vocab_size).double()


def train_next_char(
    model: NextCharFeedForward,
    ids: Sequence[int] | np.ndarray | torch.Tensor,
    steps: int = 300,
    learning_rate: float = 0.05,
    progress: bool = True,
) -> list[float]:
    """Train ``model`` to predict ids[t+1] from ids[t], with Adam on the whole sequence at once.

    The loss is the mean cross-entropy over every position t. Because the model sees only
    x_t, the terms with the same pair (x_t, x_{t+1}) = (a, b) are equal, so the mean is

        (1/N) Σ_t -log P(x_{t+1} | x_t) = (1/N) Σ_{a,b} N[a, b] (-log P(b | a)),

    with N the table of :func:`pair_counts`. Each step evaluates the model on the |V|
    possible inputs only, which makes a full-batch step over hundreds of thousands of
    characters cost almost nothing. The optimiser is Adam, not plain gradient descent.
    Returns ``steps + 1`` losses in nats per character: ``losses[k]`` after ``k`` steps.
    """
    from tqdm.auto import tqdm

    vocab_size = model.output.out_features
    device = next(model.parameters()).device
    counts = pair_counts(ids, vocab_size).to(device)
    steps = check_positive_int("steps", steps)
    learning_rate = check_real("learning_rate", learning_rate, low=0.0, low_open=True)
    every_input = torch.arange(vocab_size, device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

    def mean_loss() -> torch.Tensor:
        log_probs = torch.log_softmax(model(every_input), dim=-1).double()  # row a: log P(. | a)
        return -(counts * log_probs).sum() / counts.sum()

    losses = []
    model.train()
    # A step works on |V| rows: threads only add overhead (and, on a busy machine, long
    # waits), so train on one thread and give the caller's setting back afterwards.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for _ in tqdm(range(steps), desc="training", disable=not progress):
            loss = mean_loss()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        with torch.no_grad():
            losses.append(mean_loss().item())  # after the last step
    finally:
        torch.set_num_threads(threads)
    return losses


@torch.no_grad()
def next_char_metrics(
    model: NextCharFeedForward, ids: Sequence[int] | np.ndarray | torch.Tensor
) -> tuple[float, float]:
    """Mean cross-entropy (nats per character) and accuracy of predicting ids[t+1] from ids[t]."""
    ids = _check_ids(ids, model.output.out_features).to(next(model.parameters()).device)
    model.eval()
    logits = model(ids[:-1])
    nats = nn.functional.cross_entropy(logits, ids[1:]).item()
    acc = (logits.argmax(dim=-1) == ids[1:]).double().mean().item()
    return nats, acc


__all__ = [
    "ACTIVATIONS",
    "NextCharFeedForward",
    "Perceptron",
    "RosenblattPerceptron",
    "TwoLayerNet",
    "accuracy",
    "best_line_accuracy",
    "dead_units",
    "decision_grid",
    "fit_two_layer_seeds",
    "get_activation",
    "linear",
    "linear_grad",
    "logistic_loss",
    "make_rings",
    "make_separable_points",
    "make_xor",
    "next_char_metrics",
    "pair_counts",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "train_next_char",
]
