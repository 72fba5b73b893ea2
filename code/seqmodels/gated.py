"""Gated recurrent cells from scratch: the LSTM and the GRU (chapter 8).

A *gate* is a sigmoid layer whose output, between 0 and 1, multiplies another vector
pointwise: 0 blocks a component, 1 lets it through. The LSTM (Hochreiter and
Schmidhuber, 1997) keeps a second state, the cell state :math:`c_t`, that is changed only
by a pointwise forget-and-add update; the GRU (Cho et al., 2014) merges the two states and
uses two gates. Both are written here from tensor operations only:

LSTM, gates in PyTorch's order (input, forget, candidate, output)::

    i_t = σ(W_xi x_t + b_xi + W_hi h_{t-1} + b_hi)
    f_t = σ(W_xf x_t + b_xf + W_hf h_{t-1} + b_hf)
    g_t = tanh(W_xg x_t + b_xg + W_hg h_{t-1} + b_hg)
    o_t = σ(W_xo x_t + b_xo + W_ho h_{t-1} + b_ho)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

GRU, gates in PyTorch's order (reset, update, candidate)::

    r_t = σ(W_xr x_t + b_xr + W_hr h_{t-1} + b_hr)
    z_t = σ(W_xz x_t + b_xz + W_hz h_{t-1} + b_hz)
    n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t-1} + b_hn))
    h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

The layers :class:`ScratchLSTM` and :class:`ScratchGRU` use PyTorch's parameter names,
shapes and gate order (the four or three gate blocks are stacked row-wise in
``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``), so a state dict moves
between them and ``torch.nn.LSTM`` / ``torch.nn.GRU`` unchanged and the outputs agree to
rounding. The tests check this in float64.

The small functions :func:`lstm_step` and :func:`gru_step` compute one time step for one
batch, the way the chapter writes the equations; the layers run the same arithmetic but
compute the input part :math:`W_{x\\cdot} x_t` for all time steps in one matrix product
before the loop, which is most of what makes them fast enough to train.

:func:`lstm_gate_trace` runs a trained ``torch.nn.LSTM`` on one sequence step by step and
keeps what the layer itself hides: the gates :math:`i_t, f_t, o_t`, the candidate
:math:`g_t` and the cell state :math:`c_t` at every step, so a chapter can show *when*
the gates open and close.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .rnn import RecurrentLayer

# --------------------------------------------------------------------------- one step


def _lstm_update(gates: torch.Tensor, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """From the stacked pre-activations ``[i, f, g, o]`` and ``c_{t-1}`` to ``(h_t, c_t)``."""
    i, f, g, o = gates.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g
    return o * torch.tanh(c), c


def _gru_update(gx: torch.Tensor, gh: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """From the input part ``gx``, the recurrent part ``gh`` (both ``[r, z, n]``) and ``h_{t-1}``."""
    xr, xz, xn = gx.chunk(3, dim=-1)
    hr, hz, hn = gh.chunk(3, dim=-1)
    r = torch.sigmoid(xr + hr)
    z = torch.sigmoid(xz + hz)
    n = torch.tanh(xn + r * hn)
    return (1 - z) * n + z * h


def _affine(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None) -> torch.Tensor:
    out = x @ W.T
    return out if b is None else out + b


def _check_tensor(name: str, value: object) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    return value


def lstm_step(
    x: torch.Tensor,
    h: torch.Tensor,
    c: torch.Tensor,
    W_ih: torch.Tensor,
    W_hh: torch.Tensor,
    b_ih: torch.Tensor | None = None,
    b_hh: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM step: ``x`` of shape ``(batch, input_size)``, ``h``, ``c`` of ``(batch, hidden)``.

    ``W_ih`` is ``(4 hidden, input_size)``, ``W_hh`` is ``(4 hidden, hidden)``, the gate
    blocks stacked in the order input, forget, candidate, output. Returns ``(h_t, c_t)``.
    """
    for name, t in (("x", x), ("h", h), ("c", c), ("W_ih", W_ih), ("W_hh", W_hh)):
        _check_tensor(name, t)
    hidden = h.shape[-1]
    if W_ih.shape[0] != 4 * hidden or W_hh.shape != (4 * hidden, hidden):
        raise ValueError(
            f"W_ih must have {4 * hidden} rows and W_hh shape ({4 * hidden}, {hidden}) for hidden size "
            f"{hidden}, got {tuple(W_ih.shape)} and {tuple(W_hh.shape)}"
        )
    if c.shape != h.shape:
        raise ValueError(f"c must have the shape of h {tuple(h.shape)}, got {tuple(c.shape)}")
    gates = _affine(x, W_ih, b_ih) + _affine(h, W_hh, b_hh)
    return _lstm_update(gates, c)


def gru_step(
    x: torch.Tensor,
    h: torch.Tensor,
    W_ih: torch.Tensor,
    W_hh: torch.Tensor,
    b_ih: torch.Tensor | None = None,
    b_hh: torch.Tensor | None = None,
) -> torch.Tensor:
    """One GRU step: ``x`` of shape ``(batch, input_size)``, ``h`` of ``(batch, hidden)``.

    ``W_ih`` is ``(3 hidden, input_size)``, ``W_hh`` is ``(3 hidden, hidden)``, blocks in the
    order reset, update, candidate. The reset gate multiplies ``W_hn h + b_hn``, as in
    PyTorch (and in the GRU of Cho et al. 2014 up to where the bias sits). Returns ``h_t``.
    """
    for name, t in (("x", x), ("h", h), ("W_ih", W_ih), ("W_hh", W_hh)):
        _check_tensor(name, t)
    hidden = h.shape[-1]
    if W_ih.shape[0] != 3 * hidden or W_hh.shape != (3 * hidden, hidden):
        raise ValueError(
            f"W_ih must have {3 * hidden} rows and W_hh shape ({3 * hidden}, {hidden}) for hidden size "
            f"{hidden}, got {tuple(W_ih.shape)} and {tuple(W_hh.shape)}"
        )
    return _gru_update(_affine(x, W_ih, b_ih), _affine(h, W_hh, b_hh), h)


# --------------------------------------------------------------------------- inside a trained LSTM

#: The arrays :func:`lstm_gate_trace` returns, in PyTorch's gate order, then the two states.
TRACE_KEYS = ("i", "f", "g", "o", "c", "h")


@torch.no_grad()
def lstm_gate_trace(lstm: nn.LSTM, x: torch.Tensor) -> dict[str, np.ndarray]:
    """Run a one-layer ``nn.LSTM`` on one sequence and return its gates and states at every step.

    ``x`` is one sequence, of shape ``(T, input_size)`` (or ``(1, T, input_size)`` for a
    layer built with ``batch_first=True``). The initial states are zero, as when the layer
    is called without them. Returns a dict of float64 arrays of shape ``(T, hidden_size)``:
    ``"i"``, ``"f"``, ``"o"`` (input, forget and output gates, after the sigmoid), ``"g"``
    (the candidate, after tanh), ``"c"`` (the cell state :math:`c_t`) and ``"h"``
    (:math:`h_t`). The ``h`` and ``c`` recomputed here equal the layer's own outputs: the
    layer is read, never changed.
    """
    if not isinstance(lstm, nn.LSTM):
        raise TypeError(f"lstm must be a torch.nn.LSTM, got {type(lstm).__name__}")
    if lstm.num_layers != 1 or lstm.bidirectional or lstm.proj_size != 0:
        raise ValueError(
            "lstm must be a one-layer, one-directional LSTM without projection, got "
            f"num_layers={lstm.num_layers}, bidirectional={lstm.bidirectional}, proj_size={lstm.proj_size}"
        )
    _check_tensor("x", x)
    if x.dim() == 3:
        if x.shape[0] != 1 or not lstm.batch_first:
            raise ValueError(
                "x must be one sequence: (T, input_size), or (1, T, input_size) for a batch_first layer; "
                f"got shape {tuple(x.shape)} (batch_first={lstm.batch_first})"
            )
        x = x[0]
    if x.dim() != 2 or x.shape[0] < 1 or x.shape[1] != lstm.input_size:
        raise ValueError(
            f"x must have shape (T, {lstm.input_size}) with T >= 1, got {tuple(x.shape)}"
        )
    if not x.is_floating_point():
        raise TypeError(f"x must be a floating-point tensor, got {x.dtype}")
    W_ih, W_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
    b_ih, b_hh = (lstm.bias_ih_l0, lstm.bias_hh_l0) if lstm.bias else (None, None)
    X = x.to(device=W_ih.device, dtype=W_ih.dtype)
    h = X.new_zeros(lstm.hidden_size)
    c = X.new_zeros(lstm.hidden_size)
    steps = {key: [] for key in TRACE_KEYS}
    for x_t in X:
        i, f, g, o = (_affine(x_t, W_ih, b_ih) + _affine(h, W_hh, b_hh)).chunk(4, dim=-1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        for key, value in zip(TRACE_KEYS, (i, f, g, o, c, h)):
            steps[key].append(value)
    return {key: torch.stack(values).double().cpu().numpy() for key, values in steps.items()}


# --------------------------------------------------------------------------- layers


class ScratchLSTM(RecurrentLayer):
    """A one-layer LSTM built from tensor operations; a drop-in for ``torch.nn.LSTM``.

    ``forward(x, (h_0, c_0))`` takes ``x`` of shape ``(T, batch, input_size)`` (or
    ``(batch, T, input_size)`` with ``batch_first=True``) and optional initial states of
    shape ``(1, batch, hidden_size)``; it returns the outputs ``h_1..h_T`` and the final
    states ``(h_T, c_T)``, each ``(1, batch, hidden_size)``, exactly like PyTorch.
    """

    num_gates = 4

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        X, unbatched = self._time_major(x)
        if state is None:
            h0 = c0 = None
        elif isinstance(state, tuple) and len(state) == 2:
            h0, c0 = state
        else:
            raise TypeError("state must be None or a tuple (h_0, c_0), like torch.nn.LSTM")
        h = self._initial("h_0", h0, X, unbatched)
        c = self._initial("c_0", c0, X, unbatched)
        # The input part of every gate, for all time steps at once: (T, batch, 4 hidden).
        gx = _affine(X, self.weight_ih_l0, self.bias_ih_l0)
        W_hh_T, b_hh = self.weight_hh_l0.T, self.bias_hh_l0
        outputs = []
        for gx_t in gx:
            gates = gx_t + (h @ W_hh_T if b_hh is None else torch.addmm(b_hh, h, W_hh_T))
            h, c = _lstm_update(gates, c)
            outputs.append(h)
        H = torch.stack(outputs)
        return self._outputs(H, unbatched), (self._final(h, unbatched), self._final(c, unbatched))


class ScratchGRU(RecurrentLayer):
    """A one-layer GRU built from tensor operations; a drop-in for ``torch.nn.GRU``.

    ``forward(x, h_0)`` takes ``x`` of shape ``(T, batch, input_size)`` (or
    ``(batch, T, input_size)`` with ``batch_first=True``) and an optional ``h_0`` of shape
    ``(1, batch, hidden_size)``; it returns the outputs ``h_1..h_T`` and ``h_T`` of shape
    ``(1, batch, hidden_size)``, exactly like PyTorch.
    """

    num_gates = 3

    def forward(self, x: torch.Tensor, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        X, unbatched = self._time_major(x)
        if isinstance(state, tuple):
            raise TypeError("state must be None or a tensor h_0, like torch.nn.GRU (not a tuple)")
        h = self._initial("h_0", state, X, unbatched)
        gx = _affine(X, self.weight_ih_l0, self.bias_ih_l0)
        W_hh_T, b_hh = self.weight_hh_l0.T, self.bias_hh_l0
        outputs = []
        for gx_t in gx:
            gh = h @ W_hh_T if b_hh is None else torch.addmm(b_hh, h, W_hh_T)
            h = _gru_update(gx_t, gh, h)
            outputs.append(h)
        H = torch.stack(outputs)
        return self._outputs(H, unbatched), self._final(h, unbatched)


__all__ = ["TRACE_KEYS", "ScratchGRU", "ScratchLSTM", "gru_step", "lstm_gate_trace", "lstm_step"]
