"""How gradients flow backwards through a plain RNN, and three remedies (chapter 7).

For the plain recurrent network :math:`h_t = f(a_t)`, :math:`a_t = W_{hh} h_{t-1} + W_{xh} x_t + b`,
one step back in time multiplies a gradient by the Jacobian of that step:

.. math::

    \\frac{\\partial h_t}{\\partial h_{t-1}} = \\operatorname{diag}(f'(a_t))\\, W_{hh},
    \\qquad
    \\frac{\\partial L}{\\partial h_{t-1}} = W_{hh}^\\top \\operatorname{diag}(f'(a_t))\\,
    \\frac{\\partial L}{\\partial h_t},

so the gradient that reaches :math:`h_0` from :math:`h_T` holds :math:`T` factors of
:math:`W_{hh}` and :math:`T` factors of :math:`f'`. Its norm is at most
:math:`(\\gamma\\, \\sigma_{\\max}(W_{hh}))^T`, where :math:`\\gamma` bounds :math:`|f'|`
(1 for tanh and ReLU, 1/4 for the sigmoid): it must vanish when
:math:`\\sigma_{\\max}(W_{hh}) < 1/\\gamma` (Pascanu, Mikolov and Bengio, 2013), and it can
explode only when :math:`\\sigma_{\\max}(W_{hh}) > 1/\\gamma` (a necessary condition, not a
sufficient one: whether it does depends on the states, through :math:`f'`). The largest
singular value, not the largest eigenvalue, is what the bound needs: the two differ for a
non-symmetric :math:`W_{hh}`.

This module computes those products explicitly and by autograd (the tests check that the
two agree), plus the helpers the chapter needs: the largest singular value and the
spectral radius, gradient-norm clipping written from scratch, and the identity
initialisation of Le, Jaitly and Hinton (2015).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch
from torch import nn

from .validation import check_int, check_positive_int, check_real

_ACTIVATIONS = ("tanh", "relu", "sigmoid")


# --------------------------------------------------------------------------- inputs


def _matrix(name: str, value: object) -> torch.Tensor:
    """Accept a 2-D tensor or array; return it as a float64 tensor."""
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value)
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or numpy array, got {type(value).__name__}")
    if value.dim() != 2:
        raise ValueError(f"{name} must be a matrix (2 dimensions), got shape {tuple(value.shape)}")
    return value.detach().to(torch.float64)


def _check_rnn_inputs(
    W_hh: object, W_xh: object, X: object, h0: object, activation: str
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    W_hh, W_xh, X = _matrix("W_hh", W_hh), _matrix("W_xh", W_xh), _matrix("X", X)
    n = W_hh.shape[0]
    if W_hh.shape[1] != n:
        raise ValueError(f"W_hh must be square (hidden x hidden), got shape {tuple(W_hh.shape)}")
    if W_xh.shape[0] != n:
        raise ValueError(f"W_xh must have {n} rows (the hidden size of W_hh), got shape {tuple(W_xh.shape)}")
    if X.shape[1] != W_xh.shape[1]:
        raise ValueError(f"X must have shape (T, {W_xh.shape[1]}) to match W_xh, got {tuple(X.shape)}")
    if X.shape[0] < 1:
        raise ValueError("X must hold at least one time step")
    if h0 is None:
        h0 = torch.zeros(n, dtype=torch.float64)
    else:
        if isinstance(h0, np.ndarray):
            h0 = torch.from_numpy(h0)
        if not isinstance(h0, torch.Tensor):
            raise TypeError(f"h0 must be a torch.Tensor, numpy array or None, got {type(h0).__name__}")
        if tuple(h0.shape) != (n,):
            raise ValueError(f"h0 must have shape ({n},), got {tuple(h0.shape)}")
        h0 = h0.detach().to(torch.float64)
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {_ACTIVATIONS}, got {activation!r}")
    return W_hh, W_xh, X, h0


def _f(activation: str, a: torch.Tensor) -> torch.Tensor:
    return {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation](a)


def _f_prime(activation: str, a: torch.Tensor) -> torch.Tensor:
    """The derivative f'(a), written out (no autograd), as the chapter derives it."""
    if activation == "tanh":
        return 1 - torch.tanh(a) ** 2
    if activation == "relu":
        return (a > 0).to(a.dtype)
    s = torch.sigmoid(a)
    return s * (1 - s)


# --------------------------------------------------------------------------- forward


def rnn_forward(
    W_hh: torch.Tensor | np.ndarray,
    W_xh: torch.Tensor | np.ndarray,
    X: torch.Tensor | np.ndarray,
    h0: torch.Tensor | np.ndarray | None = None,
    activation: str = "tanh",
    bias: torch.Tensor | np.ndarray | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run a plain RNN over one sequence ``X`` of shape ``(T, input_size)``.

    Returns the states ``H`` of shape ``(T + 1, hidden)`` (``H[0] = h_0``) and the
    pre-activations ``A`` of shape ``(T, hidden)``, ``A[t-1] = W_hh h_{t-1} + W_xh x_t + b``,
    all in float64; ``bias`` is ``b`` (default: no bias).
    """
    W_hh, W_xh, X, h0 = _check_rnn_inputs(W_hh, W_xh, X, h0, activation)
    b = (
        torch.zeros(W_hh.shape[0], dtype=torch.float64)
        if bias is None
        else _vector("bias", bias, W_hh.shape[0])
    )
    states, pre = [h0], []
    for x_t in X:
        a = W_hh @ states[-1] + W_xh @ x_t + b
        pre.append(a)
        states.append(_f(activation, a))
    return torch.stack(states), torch.stack(pre)


# --------------------------------------------------------------------------- Jacobians


def state_jacobians(
    W_hh: torch.Tensor | np.ndarray,
    W_xh: torch.Tensor | np.ndarray,
    X: torch.Tensor | np.ndarray,
    h0: torch.Tensor | np.ndarray | None = None,
    activation: str = "tanh",
    bias: torch.Tensor | np.ndarray | None = None,
) -> torch.Tensor:
    """The matrices ``∂h_t/∂h_0`` for ``t = 1..T`` by the explicit product of Jacobians.

    ``∂h_t/∂h_0 = diag(f'(a_t)) W_hh · ... · diag(f'(a_1)) W_hh``. Returns a float64 tensor
    of shape ``(T, hidden, hidden)``.
    """
    W_hh, W_xh, X, h0 = _check_rnn_inputs(W_hh, W_xh, X, h0, activation)
    _, A = rnn_forward(W_hh, W_xh, X, h0, activation, bias)
    J = torch.eye(W_hh.shape[0], dtype=torch.float64)
    out = []
    for a in A:
        J = (_f_prime(activation, a)[:, None] * W_hh) @ J
        out.append(J)
    return torch.stack(out)


def state_jacobian_autograd(
    W_hh: torch.Tensor | np.ndarray,
    W_xh: torch.Tensor | np.ndarray,
    X: torch.Tensor | np.ndarray,
    h0: torch.Tensor | np.ndarray | None = None,
    activation: str = "tanh",
) -> torch.Tensor:
    """``∂h_T/∂h_0`` computed by PyTorch's autograd, to check :func:`state_jacobians`."""
    W_hh, W_xh, X, h0 = _check_rnn_inputs(W_hh, W_xh, X, h0, activation)

    def last_state(h: torch.Tensor) -> torch.Tensor:
        for x_t in X:
            h = _f(activation, W_hh @ h + W_xh @ x_t)
        return h

    return torch.autograd.functional.jacobian(last_state, h0)


def jacobian_norms(
    W_hh: torch.Tensor | np.ndarray,
    W_xh: torch.Tensor | np.ndarray,
    X: torch.Tensor | np.ndarray,
    h0: torch.Tensor | np.ndarray | None = None,
    activation: str = "tanh",
    bias: torch.Tensor | np.ndarray | None = None,
) -> np.ndarray:
    """The spectral norms ``‖∂h_t/∂h_0‖₂`` for ``t = 1..T`` as a NumPy array of length ``T``.

    This is the most that a gradient arriving at ``h_t`` can be amplified (or the least it is
    shrunk) on its way back to ``h_0``.
    """
    J = state_jacobians(W_hh, W_xh, X, h0, activation, bias)
    return torch.linalg.matrix_norm(J, ord=2).numpy()


def state_gradients(
    W_hh: torch.Tensor | np.ndarray,
    W_xh: torch.Tensor | np.ndarray,
    X: torch.Tensor | np.ndarray,
    dL_dhT: torch.Tensor | np.ndarray,
    h0: torch.Tensor | np.ndarray | None = None,
    activation: str = "tanh",
) -> torch.Tensor:
    """``∂L/∂h_t`` for ``t = 0..T`` when the loss depends on ``h_T`` only, by backpropagation.

    Starting from ``dL_dhT`` (shape ``(hidden,)``), each step back applies
    ``∂L/∂h_{t-1} = W_hhᵀ (f'(a_t) ⊙ ∂L/∂h_t)``. Returns shape ``(T + 1, hidden)``; row ``t``
    is ``∂L/∂h_t``.
    """
    W_hh, W_xh, X, h0 = _check_rnn_inputs(W_hh, W_xh, X, h0, activation)
    g = _vector("dL_dhT", dL_dhT, W_hh.shape[0])
    _, A = rnn_forward(W_hh, W_xh, X, h0, activation)
    grads = [g]
    for a in reversed(A):
        g = W_hh.T @ (_f_prime(activation, a) * g)
        grads.append(g)
    return torch.stack(grads[::-1])


def state_gradients_autograd(
    W_hh: torch.Tensor | np.ndarray,
    W_xh: torch.Tensor | np.ndarray,
    X: torch.Tensor | np.ndarray,
    dL_dhT: torch.Tensor | np.ndarray,
    h0: torch.Tensor | np.ndarray | None = None,
    activation: str = "tanh",
) -> torch.Tensor:
    """The same ``∂L/∂h_t`` as :func:`state_gradients`, by autograd with ``L = dL_dhT · h_T``."""
    W_hh, W_xh, X, h0 = _check_rnn_inputs(W_hh, W_xh, X, h0, activation)
    g = _vector("dL_dhT", dL_dhT, W_hh.shape[0])
    h = h0.clone().requires_grad_(True)
    states = [h]
    for x_t in X:
        h = _f(activation, W_hh @ h + W_xh @ x_t)
        h.retain_grad()
        states.append(h)
    (g @ states[-1]).backward()
    grads = [s.grad if s.grad is not None else torch.zeros_like(s) for s in states]
    return torch.stack(grads).detach()


def _vector(name: str, value: object, n: int) -> torch.Tensor:
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value)
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or numpy array, got {type(value).__name__}")
    if tuple(value.shape) != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {tuple(value.shape)}")
    return value.detach().to(torch.float64)


def rnn_weights(rnn: nn.RNN) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(W_hh, W_xh, b)`` of a one-layer ``nn.RNN`` as float64 tensors, ``b = b_ih + b_hh``.

    PyTorch stores the weights in the book's convention (``weight_ih_l0`` is ``(H, m)``), so
    ``rnn_forward(W_hh, W_xh, x, bias=b)`` runs the same network on one sequence.
    """
    if not isinstance(rnn, nn.RNN):
        raise TypeError(f"rnn must be a torch.nn.RNN, got {type(rnn).__name__}")
    if rnn.num_layers != 1 or rnn.bidirectional:
        raise ValueError("rnn must have one layer and one direction")
    weights = dict(rnn.named_parameters())
    W_hh, W_xh = (weights[name].detach().to(torch.float64) for name in ("weight_hh_l0", "weight_ih_l0"))
    b = torch.zeros(W_hh.shape[0], dtype=torch.float64)
    for name in ("bias_ih_l0", "bias_hh_l0"):
        if name in weights:
            b = b + weights[name].detach().to(torch.float64)
    return W_hh, W_xh, b


# --------------------------------------------------------------------------- matrix sizes


def largest_singular_value(W: torch.Tensor | np.ndarray) -> float:
    """``σ_max(W)``, the largest factor by which ``W`` can stretch a vector (its 2-norm)."""
    return float(torch.linalg.matrix_norm(_matrix("W", W), ord=2))


def spectral_radius(W: torch.Tensor | np.ndarray) -> float:
    """``ρ(W)``, the largest absolute eigenvalue: how fast ``W^T v`` grows or shrinks for large ``T``."""
    W = _matrix("W", W)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square to have eigenvalues, got shape {tuple(W.shape)}")
    return float(torch.linalg.eigvals(W).abs().max())


def scaled_orthogonal(n: int, scale: float, seed: int = 0) -> torch.Tensor:
    """A random ``n x n`` orthogonal matrix times ``scale`` (float64).

    Every singular value and every |eigenvalue| equals ``scale``, which makes it the
    cleanest way to dial the size of ``W_hh`` in an experiment.
    """
    n = check_positive_int("n", n)
    scale = check_real("scale", scale, low=0.0)
    seed = check_int("seed", seed, minimum=0)
    gen = torch.Generator().manual_seed(seed)
    Q, R = torch.linalg.qr(torch.randn(n, n, generator=gen, dtype=torch.float64))
    Q = Q * torch.sign(torch.diagonal(R))  # a uniformly random orthogonal matrix
    return scale * Q


# --------------------------------------------------------------------------- clipping


def clip_grad_norm(parameters: Iterable[torch.Tensor] | torch.Tensor, max_norm: float) -> float:
    """Rescale the gradients in place so that their joint norm is at most ``max_norm``.

    With ``g`` all gradients stacked into one vector and ``θ = max_norm``:
    ``g ← θ g / ‖g‖`` when ``‖g‖ ≥ θ``, otherwise nothing changes. The direction is kept;
    only the step length is capped. Like ``torch.nn.utils.clip_grad_norm_`` it adds
    ``1e-6`` to the norm in the division (so the result lands just under ``θ``) and returns
    the norm before clipping.
    """
    max_norm = check_real("max_norm", max_norm, low=0.0, low_open=True)
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return 0.0
    total = torch.sqrt(sum((g.detach().double() ** 2).sum() for g in grads))
    scale = max_norm / (float(total) + 1e-6)
    if scale < 1.0:
        for g in grads:
            g.detach().mul_(scale)
    return float(total)


# --------------------------------------------------------------------------- initialisation


def identity_init_(rnn: nn.RNN) -> nn.RNN:
    """The IRNN recipe (Le, Jaitly and Hinton, 2015): ``W_hh = I`` and zero biases, in place.

    With ReLU units and ``W_hh = I`` the network starts by copying its state forward, so
    ``∂h_t/∂h_{t-1}`` is the identity on the active units and gradients neither shrink nor
    grow at first. The input weights keep their initialisation. Returns ``rnn``.
    """
    if not isinstance(rnn, nn.RNN):
        raise TypeError(f"rnn must be a torch.nn.RNN, got {type(rnn).__name__}")
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            if name.startswith("weight_hh"):
                p.copy_(torch.eye(p.shape[0], dtype=p.dtype))
            elif name.startswith("bias"):
                p.zero_()
    return rnn


# --------------------------------------------------------------------------- what an output reads


def output_saliency(model: nn.Module, ids: Iterable[int] | np.ndarray | torch.Tensor) -> np.ndarray:
    """How strongly each output of a character model depends on each earlier input.

    ``S[t, j]`` is :math:`\\|\\partial \\hat y_t / \\partial x_j\\|`, the Frobenius norm of the
    Jacobian of the model's predicted distribution after character ``t`` with respect to
    the embedding of character ``j`` of ``ids`` (read from a zero state), for ``j <= t``;
    entries with ``j > t`` are 0, since an output cannot depend on later inputs. Plotted
    against ``k = t - j`` it shows how far back a trained network actually looks, the
    "connectivity" of Madsen (2019). ``model`` is a :class:`~seqmodels.lm.CharLM` (any
    module with ``embedding``, ``rnn`` and ``output`` like it). Returns a ``(T, T)`` array.
    """
    for part in ("embedding", "rnn", "output"):
        if not hasattr(model, part):
            raise TypeError(
                f"model must be a CharLM (with embedding, rnn and output), got {type(model).__name__}"
            )
    if isinstance(ids, str):
        raise TypeError("ids must be token indices, not a string: encode it with the vocabulary first")
    X = torch.as_tensor(np.asarray(list(ids) if not hasattr(ids, "__len__") else ids), dtype=torch.long)
    V = model.output.out_features
    if X.dim() != 1 or X.numel() == 0:
        raise ValueError(f"ids must be a non-empty 1-D sequence of token indices, got shape {tuple(X.shape)}")
    if int(X.min()) < 0 or int(X.max()) >= V:
        raise ValueError(f"ids must lie in 0..{V - 1}, got {int(X.min())}..{int(X.max())}")
    model.eval()
    device = next(model.parameters()).device
    E = model.embedding(X.to(device)).detach()
    T = X.numel()
    S = np.zeros((T, T))
    eye = torch.eye(V, device=device)
    for t in range(T):
        # V copies of x_1..x_t; copy v backpropagates output v, so its gradient is row v of the Jacobian.
        x = E[: t + 1].expand(V, -1, -1).clone().requires_grad_(True)
        H, _ = model.rnn(x)
        y_hat = torch.softmax(model.output(H[:, -1]), dim=-1)
        (grad,) = torch.autograd.grad((y_hat * eye).sum(), x)
        S[t, : t + 1] = grad.double().norm(dim=(0, 2)).cpu().numpy()
    return S


__all__ = [
    "clip_grad_norm",
    "identity_init_",
    "jacobian_norms",
    "largest_singular_value",
    "output_saliency",
    "rnn_forward",
    "rnn_weights",
    "scaled_orthogonal",
    "spectral_radius",
    "state_gradients",
    "state_gradients_autograd",
    "state_jacobian_autograd",
    "state_jacobians",
]
