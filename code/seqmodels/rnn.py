"""A recurrent neural network built from tensor operations, equal to ``torch.nn.RNN``.

The lecture's state update is

.. math:: h_t = \\tanh(W_{hh}^T h_{t-1} + W_{xh}^T x_t),

with the same weights at every time step. PyTorch stores the two matrices already
transposed and adds two bias vectors, and works with rows (one row per sequence in the
batch), so the same update reads

.. math:: h_t = f(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}),

where ``weight_ih_l0`` is the lecture's :math:`W_{xh}^T` (shape ``(H, input_size)``) and
``weight_hh_l0`` is :math:`W_{hh}^T` (shape ``(H, H)``). :class:`ScratchRNN` runs this
update in an explicit Python loop over time. It has the same parameter names, shapes and
initialisation as ``torch.nn.RNN`` with one layer, so a state dict copies across and the
two give the same outputs; the tests check it to 1e-10 in float64.

The output layer :math:`\\hat y_t = W_{hy}^T h_t` is not part of the recurrent layer (as in
PyTorch): :class:`seqmodels.lm.CharLM` adds it on top.
"""

from __future__ import annotations

import math

import torch
from torch import nn

_NONLINEARITIES = {"tanh": torch.tanh, "relu": torch.relu}


def _check_nonlinearity(nonlinearity: str) -> str:
    if nonlinearity not in _NONLINEARITIES:
        raise ValueError(f"nonlinearity must be one of {sorted(_NONLINEARITIES)}, got {nonlinearity!r}")
    return nonlinearity


def rnn_step(
    x_t: torch.Tensor,
    h_prev: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
    nonlinearity: str = "tanh",
) -> torch.Tensor:
    """One time step: ``h_t = f(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``.

    ``x_t`` has shape ``(batch, input_size)`` and ``h_prev`` shape ``(batch, H)``; the
    weights use PyTorch's layout (``weight_ih``: ``(H, input_size)``, ``weight_hh``:
    ``(H, H)``). This is the whole of a vanilla RNN cell; :class:`ScratchRNN` calls it once
    per time step with the same weights every time.
    """
    f = _NONLINEARITIES[_check_nonlinearity(nonlinearity)]
    z = x_t @ weight_ih.T + h_prev @ weight_hh.T
    if bias_ih is not None:
        z = z + bias_ih
    if bias_hh is not None:
        z = z + bias_hh
    return f(z)


class ScratchRNN(nn.Module):
    """A one-layer Elman RNN written as a loop over time; a drop-in for ``torch.nn.RNN``.

    ``forward(input, h0=None)`` takes ``input`` of shape ``(T, batch, input_size)``
    (``(batch, T, input_size)`` with ``batch_first=True``) or, unbatched, ``(T, input_size)``,
    and an optional initial state ``h0`` of shape ``(1, batch, H)`` (``(1, H)`` unbatched;
    zeros when omitted). It returns every hidden state, shaped like the input with ``H``
    features, and the final state ``h_T`` shaped like ``h0`` -- exactly what ``nn.RNN``
    returns.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
    ) -> None:
        super().__init__()
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
            if value < 1:
                raise ValueError(f"{name} must be >= 1, got {value}")
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.nonlinearity = _check_nonlinearity(nonlinearity)
        self.bias = bool(bias)
        self.batch_first = bool(batch_first)
        self.num_layers = 1
        # Registered in nn.RNN's order, so the same seed gives the same initial weights.
        self.weight_ih_l0 = nn.Parameter(torch.empty(hidden_size, input_size))
        self.weight_hh_l0 = nn.Parameter(torch.empty(hidden_size, hidden_size))
        if self.bias:
            self.bias_ih_l0 = nn.Parameter(torch.empty(hidden_size))
            self.bias_hh_l0 = nn.Parameter(torch.empty(hidden_size))
        else:
            self.register_parameter("bias_ih_l0", None)
            self.register_parameter("bias_hh_l0", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias from U(-1/sqrt(H), 1/sqrt(H)), as PyTorch does."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.nonlinearity != "tanh":
            s += f", nonlinearity={self.nonlinearity!r}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        return s

    def forward(self, input: torch.Tensor, h0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """All hidden states and the final one, for ``input`` and initial state ``h0``."""
        if not isinstance(input, torch.Tensor):
            raise TypeError(f"input must be a torch.Tensor, got {type(input).__name__}")
        if input.dim() not in (2, 3):
            layout = "(batch, T, input_size)" if self.batch_first else "(T, batch, input_size)"
            raise ValueError(
                f"input must have shape {layout} or (T, input_size), got {tuple(input.shape)}"
            )
        if input.shape[-1] != self.input_size:
            raise ValueError(
                f"input must have input_size={self.input_size} features in its last dimension, "
                f"got shape {tuple(input.shape)} with {input.shape[-1]}"
            )
        batched = input.dim() == 3
        # Work time-major: X[t] is the batch of inputs at step t.
        if not batched:
            X = input.unsqueeze(1)
        elif self.batch_first:
            X = input.transpose(0, 1)
        else:
            X = input
        T, batch = X.shape[0], X.shape[1]
        if T == 0:
            raise ValueError(f"input must contain at least one time step, got shape {tuple(input.shape)}")
        expected = (1, batch, self.hidden_size) if batched else (1, self.hidden_size)
        if h0 is None:
            h = X.new_zeros(batch, self.hidden_size)
        else:
            if not isinstance(h0, torch.Tensor):
                raise TypeError(f"h0 must be a torch.Tensor or None, got {type(h0).__name__}")
            if tuple(h0.shape) != expected:
                raise ValueError(f"h0 must have shape {expected}, got {tuple(h0.shape)}")
            h = h0.reshape(batch, self.hidden_size)
        outputs = []
        for t in range(T):  # the same weights at every step: parameter sharing
            h = rnn_step(
                X[t], h, self.weight_ih_l0, self.weight_hh_l0, self.bias_ih_l0, self.bias_hh_l0,
                self.nonlinearity,
            )
            outputs.append(h)
        out = torch.stack(outputs)  # (T, batch, H)
        if not batched:
            return out.squeeze(1), h  # (T, H) and (1, H)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, h.unsqueeze(0)


__all__ = ["ScratchRNN", "rnn_step"]
