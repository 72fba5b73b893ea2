"""A recurrent neural network built from tensor operations, equal to ``torch.nn.RNN``.

The book writes the state update with column vectors,

.. math:: h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b_h),

with the same weights at every time step, :math:`W_{xh} \\in \\mathbb{R}^{H \\times m}` and
:math:`W_{hh} \\in \\mathbb{R}^{H \\times H}`. That is exactly how PyTorch stores them:
``weight_ih_l0`` is :math:`W_{xh}` (shape ``(H, input_size)``) and ``weight_hh_l0`` is
:math:`W_{hh}` (shape ``(H, H)``). PyTorch adds two bias vectors, whose sum is :math:`b_h`,
and works with rows (one row per sequence in the batch), so for a batch the same update reads

.. math:: h_t = f(x_t W_{xh}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}).

(Texts that write :math:`h_t = \\tanh(W_{hh}^T h_{t-1} + W_{xh}^T x_t)` store every matrix
transposed, :math:`W_{xh} \\in \\mathbb{R}^{m \\times H}`; it is the same model.)
:class:`ScratchRNN` runs this update in an explicit Python loop over time. It has the same
parameter names, shapes and initialisation as ``torch.nn.RNN`` with one layer, so a state
dict copies across and the two give the same outputs; the tests check it to 1e-10 in float64.

The output layer :math:`\\hat y_t = W_{hy} h_t + b_y` is not part of the recurrent layer (as in
PyTorch): :class:`seqmodels.lm.CharLM` adds it on top.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .validation import check_positive_int

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
    """One time step: ``h_t = f(x_t W_xh^T + b_ih + h_{t-1} W_hh^T + b_hh)`` for a batch of rows.

    ``x_t`` has shape ``(batch, input_size)`` and ``h_prev`` shape ``(batch, H)``; the
    weights are the book's :math:`W_{xh}` (``weight_ih``: ``(H, input_size)``) and
    :math:`W_{hh}` (``weight_hh``: ``(H, H)``), PyTorch's layout. This is the whole of a vanilla RNN cell; :class:`ScratchRNN` calls it once
    per time step with the same weights every time.
    """
    f = _NONLINEARITIES[_check_nonlinearity(nonlinearity)]
    z = x_t @ weight_ih.T + h_prev @ weight_hh.T
    if bias_ih is not None:
        z = z + bias_ih
    if bias_hh is not None:
        z = z + bias_hh
    return f(z)


class RecurrentLayer(nn.Module):
    """What every from-scratch recurrent layer of the book shares with PyTorch's.

    The parameters (``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, with
    ``num_gates`` blocks of ``hidden_size`` rows each: 1 for an RNN, 3 for a GRU, 4 for an
    LSTM), PyTorch's initialisation, the input checks and the batch layouts. Subclasses
    write only the loop over time (:class:`ScratchRNN` here, ``ScratchLSTM`` and
    ``ScratchGRU`` in :mod:`seqmodels.gated`).
    """

    num_gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, batch_first: bool = False) -> None:
        super().__init__()
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        for name, flag in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {type(flag).__name__} {flag!r}")
        self.bias = bias
        self.batch_first = batch_first
        self.num_layers = 1
        # Registered in PyTorch's order, so the same seed gives the same initial weights.
        G, H = self.num_gates * hidden_size, hidden_size
        self.weight_ih_l0 = nn.Parameter(torch.empty(G, input_size))
        self.weight_hh_l0 = nn.Parameter(torch.empty(G, H))
        if bias:
            self.bias_ih_l0 = nn.Parameter(torch.empty(G))
            self.bias_hh_l0 = nn.Parameter(torch.empty(G))
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
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        return s

    def _time_major(self, input: torch.Tensor) -> tuple[torch.Tensor, bool]:
        """Return ``input`` as ``(T, batch, input_size)`` and whether it had no batch axis."""
        if not isinstance(input, torch.Tensor):
            raise TypeError(f"input must be a torch.Tensor, got {type(input).__name__}")
        if input.dim() not in (2, 3):
            layout = "(batch, T, input_size)" if self.batch_first else "(T, batch, input_size)"
            raise ValueError(
                f"input must have shape {layout} (3 dimensions) or (T, input_size), got {tuple(input.shape)}"
            )
        if input.shape[-1] != self.input_size:
            raise ValueError(
                f"input must have input_size={self.input_size} features in its last dimension, "
                f"got shape {tuple(input.shape)} with {input.shape[-1]}"
            )
        if not input.is_floating_point():
            raise TypeError(f"input must be a floating-point tensor, got {input.dtype}")
        unbatched = input.dim() == 2
        if unbatched:
            X = input.unsqueeze(1)
        else:
            X = input.transpose(0, 1) if self.batch_first else input
        if X.shape[0] == 0:
            raise ValueError(f"input must contain at least one time step, got shape {tuple(input.shape)}")
        return X, unbatched

    def _initial(self, name: str, state: torch.Tensor | None, X: torch.Tensor, unbatched: bool) -> torch.Tensor:
        """An initial state of shape ``(batch, H)``: zeros, or ``state`` shaped ``(1, batch, H)``."""
        batch = X.shape[1]
        if state is None:
            return X.new_zeros(batch, self.hidden_size)
        if not isinstance(state, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor or None, got {type(state).__name__}")
        expected = (1, self.hidden_size) if unbatched else (1, batch, self.hidden_size)
        if tuple(state.shape) != expected:
            raise ValueError(f"{name} must have shape {expected}, got {tuple(state.shape)}")
        return state.reshape(batch, self.hidden_size)

    def _outputs(self, H: torch.Tensor, unbatched: bool) -> torch.Tensor:
        """Stacked states ``(T, batch, H)`` back in the caller's layout."""
        if unbatched:
            return H.squeeze(1)
        return H.transpose(0, 1) if self.batch_first else H

    @staticmethod
    def _final(state: torch.Tensor, unbatched: bool) -> torch.Tensor:
        """A final state ``(batch, H)`` shaped like PyTorch's ``(1, batch, H)`` (``(1, H)`` unbatched)."""
        return state if unbatched else state.unsqueeze(0)


class ScratchRNN(RecurrentLayer):
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
        self.nonlinearity = _check_nonlinearity(nonlinearity)
        super().__init__(input_size, hidden_size, bias=bias, batch_first=batch_first)

    def extra_repr(self) -> str:
        base = super().extra_repr()
        if self.nonlinearity == "tanh":
            return base
        head, _, rest = base.partition(", ")
        size, _, options = rest.partition(", ")
        return ", ".join(x for x in (head, size, f"nonlinearity={self.nonlinearity!r}", options) if x)

    def forward(self, input: torch.Tensor, h0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """All hidden states and the final one, for ``input`` and initial state ``h0``."""
        X, unbatched = self._time_major(input)  # X[t] is the batch of inputs at step t
        h = self._initial("h0", h0, X, unbatched)
        outputs = []
        for x_t in X:  # the same weights at every step: parameter sharing
            h = rnn_step(
                x_t, h, self.weight_ih_l0, self.weight_hh_l0, self.bias_ih_l0, self.bias_hh_l0,
                self.nonlinearity,
            )
            outputs.append(h)
        return self._outputs(torch.stack(outputs), unbatched), self._final(h, unbatched)


__all__ = ["RecurrentLayer", "ScratchRNN", "rnn_step"]
