"""Gated recurrent cells from scratch: the LSTM and the GRU (chapter 8).

A *gate* is a sigmoid layer whose output, between 0 and 1, multiplies another vector
pointwise: 0 blocks a component, 1 lets it through. The LSTM (Hochreiter and
Schmidhuber, 1997) keeps a second state, the cell state :math:`c_t`, that is changed only
by a pointwise forget-and-add update; the GRU (Cho et al., 2014) merges the two states and
uses two gates. Both are written here from tensor operations only, gates in PyTorch's order:

LSTM (input, forget, candidate, output)::

    i_t = σ(W_xi x_t + b_xi + W_hi h_{t-1} + b_hi)
    f_t = σ(W_xf x_t + b_xf + W_hf h_{t-1} + b_hf)
    g_t = tanh(W_xg x_t + b_xg + W_hg h_{t-1} + b_hg)
    o_t = σ(W_xo x_t + b_xo + W_ho h_{t-1} + b_ho)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

GRU (reset, update, candidate)::

    r_t = σ(W_xr x_t + b_xr + W_hr h_{t-1} + b_hr)
    z_t = σ(W_xz x_t + b_xz + W_hz h_{t-1} + b_hz)
    n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t-1} + b_hn))
    h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

Each update is written once, in :func:`lstm_update` and :func:`gru_update`, from the stacked
pre-activations (the gate blocks stacked row-wise in ``W_ih``, ``W_hh``, ``b_ih``, ``b_hh``).
The step functions, the layers and :func:`lstm_gate_trace` all call them.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .recurrent_base import RecurrentLayer
from .validation import check_lstm_trace, check_step

# --------------------------------------------------------------------------- the updates


def lstm_update(gates: torch.Tensor, c: torch.Tensor, *, return_gates: bool = False) -> tuple:
    """From the stacked pre-activations ``[i, f, g, o]`` and ``c_{t-1}`` to ``(h_t, c_t)``.

    ``gates`` is ``x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh``, shape ``(batch, 4 H)``. With
    ``return_gates=True`` it returns ``(h_t, c_t, (i, f, g, o))``, the gates after their
    nonlinearities, which :func:`lstm_gate_trace` keeps.
    """
    i, f, g, o = gates.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g  # forget part of the old cell state, add part of the candidate
    h = o * torch.tanh(c)  # show part of the cell state
    return (h, c, (i, f, g, o)) if return_gates else (h, c)


def gru_update(gx: torch.Tensor, gh: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """From the input part ``gx``, the recurrent part ``gh`` (both ``[r, z, n]``) and ``h_{t-1}`` to ``h_t``.

    ``gx`` is ``x_t W_ih^T + b_ih`` and ``gh`` is ``h_{t-1} W_hh^T + b_hh``, shape ``(batch, 3 H)``:
    they stay apart because the reset gate multiplies the recurrent part of the candidate only.
    """
    xr, xz, xn = gx.chunk(3, dim=-1)
    hr, hz, hn = gh.chunk(3, dim=-1)
    r = torch.sigmoid(xr + hr)
    z = torch.sigmoid(xz + hz)
    n = torch.tanh(xn + r * hn)
    return (1 - z) * n + z * h


def _affine(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None) -> torch.Tensor:
    """``x W^T + b`` for rows ``x``, as ``nn.Linear`` computes it (no bias when ``b`` is None)."""
    out = x @ W.T
    return out if b is None else out + b


# --------------------------------------------------------------------------- one step


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
    check_step(4, x, h, W_ih, W_hh, c)
    return lstm_update(_affine(x, W_ih, b_ih) + _affine(h, W_hh, b_hh), c)


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
    check_step(3, x, h, W_ih, W_hh)
    return gru_update(_affine(x, W_ih, b_ih), _affine(h, W_hh, b_hh), h)


# --------------------------------------------------------------------------- layers


class ScratchLSTM(RecurrentLayer):
    """A one-layer LSTM built from tensor operations; a drop-in for ``torch.nn.LSTM``.

    ``forward(x, (h_0, c_0))`` takes ``x`` of shape ``(T, batch, input_size)`` (or
    ``(batch, T, input_size)`` with ``batch_first=True``) and optional initial states of
    shape ``(1, batch, hidden_size)``; it returns the outputs ``h_1..h_T`` and the final
    states ``(h_T, c_T)``, each ``(1, batch, hidden_size)``, exactly like PyTorch.

    The loop is :func:`lstm_step` with one change that makes it fast enough to train: the
    input part ``x_t W_ih^T + b_ih`` of every gate is computed for all time steps in one
    matrix product before the loop. Parameter names, shapes and gate order are PyTorch's
    (:mod:`seqmodels.recurrent_base`), so a state dict moves between this layer and
    ``nn.LSTM`` unchanged; the tests check the outputs agree in float64.
    """

    num_gates = 4
    state_names = ("h_0", "c_0")
    torch_name = "LSTM"

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        X, (h, c), unbatched = self._begin(x, state)
        gx = _affine(X, self.weight_ih_l0, self.bias_ih_l0)  # the input part, all steps at once
        outputs = []
        for gx_t in gx:
            h, c = lstm_update(gx_t + _affine(h, self.weight_hh_l0, self.bias_hh_l0), c)
            outputs.append(h)
        return self._end(outputs, (h, c), unbatched)


class ScratchGRU(RecurrentLayer):
    """A one-layer GRU built from tensor operations; a drop-in for ``torch.nn.GRU``.

    ``forward(x, h_0)`` takes ``x`` of shape ``(T, batch, input_size)`` (or
    ``(batch, T, input_size)`` with ``batch_first=True``) and an optional ``h_0`` of shape
    ``(1, batch, hidden_size)``; it returns the outputs ``h_1..h_T`` and ``h_T`` of shape
    ``(1, batch, hidden_size)``, exactly like PyTorch. Like :class:`ScratchLSTM`, it computes
    the input part of every step before the loop.
    """

    num_gates = 3
    torch_name = "GRU"

    def forward(
        self, x: torch.Tensor, state: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        X, (h,), unbatched = self._begin(x, state)
        gx = _affine(X, self.weight_ih_l0, self.bias_ih_l0)  # the input part, all steps at once
        outputs = []
        for gx_t in gx:
            h = gru_update(gx_t, _affine(h, self.weight_hh_l0, self.bias_hh_l0), h)
            outputs.append(h)
        return self._end(outputs, (h,), unbatched)


# --------------------------------------------------------------------------- inside a trained LSTM

#: The arrays :func:`lstm_gate_trace` returns, in PyTorch's gate order, then the two states.
TRACE_KEYS = ("i", "f", "g", "o", "c", "h")


@torch.no_grad()
def lstm_gate_trace(lstm: nn.LSTM, x: torch.Tensor) -> dict[str, np.ndarray]:
    """Run a one-layer ``nn.LSTM`` on one sequence and return its gates and states at every step.

    The layer itself hides them; this keeps them, so a chapter can show *when* the gates open
    and close. ``x`` is one sequence, of shape ``(T, input_size)`` (or ``(1, T, input_size)``
    for a layer built with ``batch_first=True``). The initial states are zero, as when the layer
    is called without them. Returns a dict of float64 arrays of shape ``(T, hidden_size)``:
    ``"i"``, ``"f"``, ``"o"`` (input, forget and output gates, after the sigmoid), ``"g"``
    (the candidate, after tanh), ``"c"`` (the cell state :math:`c_t`) and ``"h"``
    (:math:`h_t`). The ``h`` and ``c`` recomputed here equal the layer's own outputs: the
    layer is read, never changed.
    """
    x = check_lstm_trace(lstm, x)
    W_ih, W_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
    b_ih, b_hh = (lstm.bias_ih_l0, lstm.bias_hh_l0) if lstm.bias else (None, None)
    X = x.to(device=W_ih.device, dtype=W_ih.dtype)
    h = c = X.new_zeros(lstm.hidden_size)
    steps: dict[str, list[torch.Tensor]] = {key: [] for key in TRACE_KEYS}
    for x_t in X:
        h, c, gates = lstm_update(_affine(x_t, W_ih, b_ih) + _affine(h, W_hh, b_hh), c, return_gates=True)
        for key, value in zip(TRACE_KEYS, (*gates, c, h)):
            steps[key].append(value)
    return {key: torch.stack(values).double().cpu().numpy() for key, values in steps.items()}


__all__ = [
    "TRACE_KEYS",
    "ScratchGRU",
    "ScratchLSTM",
    "gru_step",
    "gru_update",
    "lstm_gate_trace",
    "lstm_step",
    "lstm_update",
]
