"""Backpropagation through time (BPTT), by hand, in NumPy (chapter 5).

A vanilla recurrent network reads a sequence ``x_1 .. x_T`` one step at a time:

.. math::

    h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b_h), \\qquad \\hat y_t = W_{hy} h_t + b_y .

The forward pass (:func:`rnn_forward`) runs these two equations from ``t = 1`` to ``T`` and
keeps every hidden state in a cache. The backward pass (:func:`rnn_backward`) walks the
unrolled network the other way, from ``t = T`` down to ``t = 1``: at each step the gradient
reaching :math:`h_t` has two sources, the loss at step ``t`` (through :math:`\\hat y_t`) and
the future (through :math:`h_{t+1}`), and because the same weights are used at every step
their gradients are sums over time. That is all "through time" means.

Shapes. A batch of ``B`` sequences is stored time-major: ``xs`` has shape
``(T, B, input_size)``, the hidden states ``(T, B, hidden_size)``, the outputs
``(T, B, output_size)`` and the initial state ``h0`` has shape ``(B, hidden_size)``. Matrices
follow the book's column-vector convention, the equations above, which is also how
``torch.nn.RNN`` stores them: ``W_xh`` is ``(hidden_size, input_size)``, ``W_hh`` is
``(hidden_size, hidden_size)`` and ``W_hy`` is ``(output_size, hidden_size)``. The batch sits in
the rows, so one step for the whole batch is ``h_prev @ W_hh.T + x_t @ W_xh.T + b_h``.

Truncation. ``rnn_backward(..., k=k)`` computes what PyTorch computes when a long sequence is
cut into consecutive windows of ``k`` steps (steps ``1..k``, ``k+1..2k``, ...) and the hidden
state is detached at every window boundary, as :mod:`seqmodels.lm` does when it trains a
language model: a loss term at step ``t`` sends gradient back only to the start of its own
window, never into an earlier one. :func:`autograd_gradients` builds exactly that graph in
PyTorch, and the tests check the two agree.

Everything is float64 so that the gradient checks against finite differences are meaningful.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import torch
from tqdm.auto import tqdm

from .validation import check_int, check_positive_int, check_real

#: The parameters of the network, in the order the equations introduce them.
PARAM_NAMES = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")

Params = dict[str, np.ndarray]


# ---- parameters and input checks


def init_params(
    input_size: int, hidden_size: int, output_size: int, seed: int = 0, sigma: float | None = None
) -> Params:
    """Random parameters: weights ~ N(0, sigma^2), biases zero (step 1 of gradient descent).

    ``sigma`` defaults to ``1 / sqrt(fan_in)``, which keeps ``tanh`` away from saturation at
    the start.
    """
    input_size = check_positive_int("input_size", input_size)
    hidden_size = check_positive_int("hidden_size", hidden_size)
    output_size = check_positive_int("output_size", output_size)
    if sigma is not None:
        sigma = check_real("sigma", sigma, low=0.0, low_open=True)
    rng = np.random.default_rng(seed)

    def weight(rows: int, cols: int) -> np.ndarray:
        scale = sigma if sigma is not None else 1.0 / np.sqrt(cols)
        return rng.normal(0.0, scale, size=(rows, cols))

    return {
        "W_xh": weight(hidden_size, input_size),
        "W_hh": weight(hidden_size, hidden_size),
        "b_h": np.zeros(hidden_size),
        "W_hy": weight(output_size, hidden_size),
        "b_y": np.zeros(output_size),
    }


def _check_finite(name: str, array: np.ndarray) -> None:
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite value(s)")


def _as_float_array(name: str, value: object) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from exc
    _check_finite(name, array)
    return array


def check_params(params: Mapping[str, np.ndarray]) -> tuple[int, int, int]:
    """Check that ``params`` holds the five arrays with consistent shapes; return the sizes.

    Returns ``(input_size, hidden_size, output_size)``.
    """
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict of arrays with keys {PARAM_NAMES}, got {type(params).__name__}"
        )
    missing = [name for name in PARAM_NAMES if name not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {PARAM_NAMES}")
    arrays = {name: _as_float_array(f"params[{name!r}]", params[name]) for name in PARAM_NAMES}
    if arrays["W_xh"].ndim != 2:
        raise ValueError(
            f"params['W_xh'] must have shape (hidden_size, input_size), got {arrays['W_xh'].shape}"
        )
    hidden_size, input_size = arrays["W_xh"].shape
    if arrays["W_hy"].ndim != 2:
        raise ValueError(
            f"params['W_hy'] must have shape (output_size, hidden_size), got {arrays['W_hy'].shape}"
        )
    output_size = arrays["W_hy"].shape[0]
    expected = {
        "W_hh": (hidden_size, hidden_size),
        "b_h": (hidden_size,),
        "W_hy": (output_size, hidden_size),
        "b_y": (output_size,),
    }
    for name, shape in expected.items():
        if arrays[name].shape != shape:
            raise ValueError(f"params[{name!r}] must have shape {shape}, got {arrays[name].shape}")
    return input_size, hidden_size, output_size


def _check_k(k: int | None) -> int | None:
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be a positive integer or None (full BPTT), got {type(k).__name__} {k!r}")
    if k < 1:
        raise ValueError(f"k must be >= 1 (window length in steps) or None (full BPTT), got {k}")
    return int(k)


# ---- forward pass


@dataclass
class Cache:
    """What the backward pass needs from the forward pass.

    ``hs[t]`` is the hidden state after reading ``xs[t]`` (the equations' :math:`h_{t+1}`, since
    the code counts from 0); the pre-activations are not stored because
    :math:`\\tanh'(a) = 1 - \\tanh(a)^2` can be computed from ``hs`` alone.
    """

    xs: np.ndarray  # (T, B, input_size)
    h0: np.ndarray  # (B, hidden_size)
    hs: np.ndarray  # (T, B, hidden_size)

    @property
    def nbytes(self) -> int:
        """Memory held for the backward pass: inputs, initial state and hidden states."""
        return int(self.xs.nbytes + self.h0.nbytes + self.hs.nbytes)


def rnn_forward(
    params: Mapping[str, np.ndarray], xs: np.ndarray, h0: np.ndarray | None = None
) -> tuple[np.ndarray, Cache]:
    """Run the RNN over ``xs`` of shape ``(T, B, input_size)``; return ``(ys, cache)``.

    ``ys`` has shape ``(T, B, output_size)``: the prediction :math:`\\hat y_t` at every step.
    ``h0`` (shape ``(B, hidden_size)``) defaults to zeros.
    """
    input_size, hidden_size, _ = check_params(params)
    xs = _as_float_array("xs", xs)
    if xs.ndim != 3:
        hint = " (for one sequence of shape (T, input_size) pass xs[:, None, :])" if xs.ndim == 2 else ""
        raise ValueError(f"xs must have shape (T, batch, input_size={input_size}), got {xs.shape}{hint}")
    T, B, features = xs.shape
    if T < 1 or B < 1:
        raise ValueError(f"xs must hold at least one step and one sequence, got shape {xs.shape}")
    if features != input_size:
        raise ValueError(f"xs must have input_size={input_size} features (last axis), got {features}")
    if h0 is None:
        h0 = np.zeros((B, hidden_size))
    h0 = _as_float_array("h0", h0)
    if h0.shape != (B, hidden_size):
        raise ValueError(f"h0 must have shape (batch, hidden_size) = {(B, hidden_size)}, got {h0.shape}")
    W_xh, W_hh, b_h, W_hy, b_y = (np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES)

    hs = np.empty((T, B, hidden_size))
    ys = np.empty((T, B, W_hy.shape[0]))
    h = h0
    for t in range(T):  # one step at a time, from start to finish
        h = np.tanh(h @ W_hh.T + xs[t] @ W_xh.T + b_h)
        hs[t] = h
        ys[t] = h @ W_hy.T + b_y
    return ys, Cache(xs=xs, h0=h0, hs=hs)


# ---- losses: each returns the loss and dL/dy, the input of the backward pass


def softmax_cross_entropy(ys: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of the scores ``ys`` (T, B, V) against class indices ``targets`` (T, B).

    A negative target means "no loss at this step" (e.g. a task scored only at the end);
    the mean is over the steps that have a target, as in ``torch.nn.functional.cross_entropy``
    with ``ignore_index``. Returns ``(loss, dys)`` with ``dys = dL/dys``.
    """
    ys = _as_float_array("ys", ys)
    if ys.ndim != 3:
        raise ValueError(f"ys must have shape (T, batch, output_size), got {ys.shape}")
    targets = np.asarray(targets)
    if targets.shape != ys.shape[:2]:
        raise ValueError(f"targets must have shape (T, batch) = {ys.shape[:2]}, got {targets.shape}")
    if not np.issubdtype(targets.dtype, np.integer):
        raise TypeError(f"targets must be integer class indices, got dtype {targets.dtype}")
    if np.any(targets >= ys.shape[2]):
        raise ValueError(f"targets must be < output_size={ys.shape[2]}, got max {int(targets.max())}")
    scored = targets >= 0
    count = int(scored.sum())
    if count == 0:
        raise ValueError("targets has no non-negative entry: there is nothing to score")
    shifted = ys - ys.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    safe = np.where(scored, targets, 0)
    picked = np.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    loss = -float(picked[scored].sum()) / count
    dys = np.exp(log_probs)
    np.put_along_axis(dys, safe[..., None], np.take_along_axis(dys, safe[..., None], axis=-1) - 1.0, axis=-1)
    dys *= scored[..., None] / count
    return loss, dys


def squared_error(ys: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over every element (``torch.nn.functional.mse_loss``); returns ``(loss, dys)``."""
    ys = _as_float_array("ys", ys)
    targets = _as_float_array("targets", targets)
    if targets.shape != ys.shape:
        raise ValueError(f"targets must have the shape of ys {ys.shape}, got {targets.shape}")
    diff = ys - targets
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


# ---- backward pass


def _check_backward(
    params: Mapping[str, np.ndarray], cache: Cache, dys: np.ndarray, k: int | None
) -> tuple[np.ndarray, int | None]:
    """The checked ``dys`` (as float64) and ``k`` of :func:`rnn_backward`."""
    _, _, output_size = check_params(params)
    k = _check_k(k)
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the Cache returned by rnn_forward, got {type(cache).__name__}")
    dys = _as_float_array("dys", dys)
    T, B, _ = cache.hs.shape
    if dys.shape != (T, B, output_size):
        raise ValueError(
            f"dys must have shape (T, batch, output_size) = {(T, B, output_size)}, got {dys.shape}"
        )
    return dys, k


def rnn_backward(
    params: Mapping[str, np.ndarray], cache: Cache, dys: np.ndarray, k: int | None = None
) -> dict[str, np.ndarray]:
    """Backpropagation through time: the gradient of the loss for every parameter and ``h0``.

    ``dys`` is :math:`\\partial L / \\partial \\hat y_t` for every step, shape ``(T, B, output_size)``
    (the second value a loss helper returns). Walking from the last step to the first, the
    gradient reaching :math:`h_t` is

    .. math::

        \\frac{\\partial L}{\\partial h_t} = W_{hy}^\\top \\frac{\\partial L}{\\partial \\hat y_t}
        + W_{hh}^\\top \\Big[(1 - h_{t+1}^2) \\odot \\frac{\\partial L}{\\partial h_{t+1}}\\Big],

    and each step adds its share to the shared weights' gradients.

    ``k=None`` is full BPTT. With ``k`` the sequence is cut into consecutive windows of ``k``
    steps, starting at the first step, and the gradient is not passed from the first step of a
    window to the state that entered it: the same as detaching the hidden state every ``k``
    steps in PyTorch. ``k >= T`` is full BPTT. ``h0`` enters the first window, so it still
    receives the gradient of that window.

    Returns a dict with the five parameter gradients (keys :data:`PARAM_NAMES`), ``"h0"``
    and ``"h"``: :math:`\\partial L / \\partial h_t` for every step, shape ``(T, B, hidden_size)``
    (under truncation, the gradient that actually flows).
    """
    dys, k = _check_backward(params, cache, dys, k)
    W_hh, W_hy = (np.asarray(params[name], dtype=np.float64) for name in ("W_hh", "W_hy"))
    xs, hs = cache.xs, cache.hs

    grads = {name: np.zeros_like(np.asarray(params[name], dtype=np.float64)) for name in PARAM_NAMES}
    dh_all = np.empty_like(hs)
    dh_next = np.zeros(cache.h0.shape)  # gradient arriving at h_t from step t+1
    for t in reversed(range(len(hs))):
        grads["W_hy"] += dys[t].T @ hs[t]  # the output layer sees each h_t on its own
        grads["b_y"] += dys[t].sum(axis=0)
        dh = dys[t] @ W_hy + dh_next  # from the loss at step t, and from the future
        dh_all[t] = dh
        da = dh * (1.0 - hs[t] ** 2)  # back through tanh
        h_prev = hs[t - 1] if t > 0 else cache.h0
        grads["W_hh"] += da.T @ h_prev
        grads["W_xh"] += da.T @ xs[t]
        grads["b_h"] += da.sum(axis=0)
        dh_next = da @ W_hh  # to h_{t-1}: the step "through time"
        if k is not None and t > 0 and t % k == 0:
            dh_next = np.zeros_like(dh_next)  # window boundary: the state was detached here
    return grads | {"h0": dh_next, "h": dh_all}


# ---- gradient checks


def autograd_gradients(
    params: Mapping[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, dys: np.ndarray, k: int | None = None
) -> dict[str, np.ndarray]:
    """The same gradients as :func:`rnn_backward`, computed by PyTorch's autograd in float64.

    The network is rebuilt from ``torch`` operations; with ``k`` the hidden state is detached
    every ``k`` steps (``h = h.detach()``), which is how truncated BPTT is done in practice.
    Used as the reference in the tests and in chapter 5.
    """
    check_params(params)
    k = _check_k(k)
    tensors = {
        name: torch.tensor(np.asarray(params[name]), dtype=torch.float64, requires_grad=True)
        for name in PARAM_NAMES
    }
    h = h0_t = torch.tensor(np.asarray(h0), dtype=torch.float64, requires_grad=True)
    x = torch.tensor(np.asarray(xs), dtype=torch.float64)
    outputs = []
    for t in range(x.shape[0]):
        if k is not None and t > 0 and t % k == 0:
            h = h.detach()
        h = torch.tanh(h @ tensors["W_hh"].T + x[t] @ tensors["W_xh"].T + tensors["b_h"])
        outputs.append(h @ tensors["W_hy"].T + tensors["b_y"])
    ys = torch.stack(outputs)
    ys.backward(torch.tensor(np.asarray(dys), dtype=torch.float64))
    grads = {name: tensors[name].grad.numpy() for name in PARAM_NAMES}
    grads["h0"] = h0_t.grad.numpy() if h0_t.grad is not None else np.zeros(h0_t.shape)
    return grads


def numerical_gradient(
    f: Callable[[], float], arrays: Mapping[str, np.ndarray], eps: float = 1e-6
) -> dict[str, np.ndarray]:
    """Central finite differences of ``f()`` with respect to every entry of every array.

    ``f`` takes no argument and reads the arrays in ``arrays`` (e.g. a dict holding the
    parameters and ``h0``); each entry is nudged by ``+eps`` and ``-eps`` in place, and
    restored: ``(f(w + eps) - f(w - eps)) / (2 eps)``. Slow (two forward passes per number),
    which is exactly why we need backpropagation; fine for a check on a tiny network.
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    grads = {}
    for name, array in arrays.items():
        if not isinstance(array, np.ndarray) or array.dtype != np.float64:
            raise TypeError(f"arrays[{name!r}] must be a float64 NumPy array (it is changed in place)")
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            old = array[index]
            array[index] = old + eps
            plus = f()
            array[index] = old - eps
            minus = f()
            array[index] = old
            grad[index] = (plus - minus) / (2 * eps)
        grads[name] = grad
    return grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / (||a|| + ||b||)``, 0 when both are zero: a scale-free distance."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def bptt_memory(T: int, batch_size: int, input_size: int, hidden_size: int, k: int | None = None) -> int:
    """Number of floats the backward pass must keep for one update over a window.

    Full BPTT keeps the inputs and hidden states of all ``T`` steps; truncated BPTT with
    window ``k`` processes one window at a time and keeps only ``min(k, T)`` steps (plus the
    state that entered the window), whatever ``T`` is.
    """
    T = check_positive_int("T", T)
    batch_size = check_positive_int("batch_size", batch_size)
    input_size = check_positive_int("input_size", input_size)
    hidden_size = check_positive_int("hidden_size", hidden_size)
    k = _check_k(k)
    steps = T if k is None else min(k, T)
    return batch_size * (steps * (input_size + hidden_size) + hidden_size)


# ---- training by hand: the gradient-descent loop with BPTT gradients


def delayed_copy_task(
    batch_size: int, T: int, delay: int, num_symbols: int = 4, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A synthetic task whose answer lies exactly ``delay`` steps in the past.

    The input is a stream of random symbols (one-hot, shape ``(T, batch_size, num_symbols)``);
    the target at step ``t`` is the symbol read at step ``t - delay`` (``-1``, "no target", for
    the first ``delay`` steps). A network can only solve it by carrying each symbol for
    ``delay`` steps, so the task measures how far back training can teach it to remember.
    """
    batch_size = check_positive_int("batch_size", batch_size)
    T = check_positive_int("T", T)
    delay = check_positive_int("delay", delay)
    num_symbols = check_int("num_symbols", num_symbols, minimum=2)
    if delay >= T:
        raise ValueError(f"delay must be < T={T} so that some step has a target, got {delay}")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, num_symbols, size=(T, batch_size))
    targets = np.full((T, batch_size), -1)
    targets[delay:] = symbols[:-delay]
    return np.eye(num_symbols)[symbols], targets


def fit(
    params: Params,
    make_batch: Callable[[int], tuple[np.ndarray, np.ndarray]],
    steps: int,
    *,
    k: int | None = None,
    lr: float = 0.01,
    optimizer: str = "adam",
    progress: bool = True,
) -> list[float]:
    """Train ``params`` in place with BPTT gradients; return the loss of every step.

    ``make_batch(step)`` returns ``(xs, targets)`` for the cross-entropy loss. Each step is
    the loop of gradient descent: forward pass, loss, backward pass through time (truncated to windows
    of ``k`` steps if ``k`` is given), update. ``optimizer="sgd"`` is the plain update
    :math:`W \\leftarrow W - \\eta \\, \\partial J / \\partial W`; ``"adam"`` (the default) scales
    each parameter's step by a running estimate of its gradient's size, which copes better
    with the very uneven gradients of recurrent networks.
    """
    check_params(params)
    steps = check_positive_int("steps", steps)
    k = _check_k(k)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    beta1, beta2, tiny = 0.9, 0.999, 1e-8
    m = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}
    v = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}
    losses = []
    for step in tqdm(range(1, steps + 1), desc=f"BPTT k={k}", disable=not progress, leave=False):
        xs, targets = make_batch(step)
        ys, cache = rnn_forward(params, xs)
        loss, dys = softmax_cross_entropy(ys, targets)
        grads = rnn_backward(params, cache, dys, k=k)
        for name in PARAM_NAMES:
            if optimizer == "sgd":
                params[name] -= lr * grads[name]
                continue
            m[name] = beta1 * m[name] + (1 - beta1) * grads[name]
            v[name] = beta2 * v[name] + (1 - beta2) * grads[name] ** 2
            m_hat, v_hat = m[name] / (1 - beta1**step), v[name] / (1 - beta2**step)
            params[name] -= lr * m_hat / (np.sqrt(v_hat) + tiny)
        losses.append(loss)
    return losses


def delay_accuracy(
    delay: int,
    k: int | None,
    *,
    steps: int = 300,
    hidden_size: int = 32,
    T: int = 24,
    seed: int = 0,
    progress: bool = False,
) -> float:
    """Train a fresh RNN on :func:`delayed_copy_task` and return its test accuracy.

    The experiment of chapter 5 that shows truncation's blind spot: a network of
    ``hidden_size`` tanh units, initialised with ``seed``, is trained with :func:`fit`
    (Adam, learning rate 0.01) for ``steps`` batches of 32 fresh sequences of ``T`` steps,
    with full BPTT (``k=None``) or windows of ``k`` steps, then scored on 500 test sequences
    (always the same ones, whatever the seed): the share of the steps that have a target
    where the most likely output is the symbol read ``delay`` steps earlier. Chance is
    1/4. ``seed`` picks the initial weights and the training batches, so that runs with
    different seeds are independent; ``seed=0`` is the chapter's run.
    """
    delay = check_positive_int("delay", delay)
    k = _check_k(k)
    steps = check_positive_int("steps", steps)
    hidden_size = check_positive_int("hidden_size", hidden_size)
    T = check_positive_int("T", T)
    seed = check_int("seed", seed, minimum=0)
    if delay >= T:
        raise ValueError(f"delay must be < T={T} so that some step has a target, got {delay}")
    params = init_params(4, hidden_size, 4, seed=seed)
    fit(
        params,
        lambda step: delayed_copy_task(32, T, delay, seed=1000 + step + 100_000 * seed),
        steps,
        k=k,
        lr=0.01,
        progress=progress,
    )
    test_xs, test_targets = delayed_copy_task(500, T, delay, seed=1)
    predicted = rnn_forward(params, test_xs)[0].argmax(axis=-1)
    return float((predicted == test_targets)[delay:].mean())


__all__ = [
    "PARAM_NAMES",
    "Cache",
    "autograd_gradients",
    "bptt_memory",
    "check_params",
    "delay_accuracy",
    "delayed_copy_task",
    "fit",
    "init_params",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_forward",
    "softmax_cross_entropy",
    "squared_error",
]
