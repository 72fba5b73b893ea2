"""Checkers for chapter 8 (gated cells: LSTM and GRU)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from ..gated import gru_step, gru_update, lstm_step, lstm_update
from . import Case, Verdict, run_checks


def _as_pair(result: object) -> np.ndarray:
    """Turn the reader's ``(h_t, c_t)`` into one array of shape ``(2, batch, hidden)``."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise TypeError(f"the function must return a tuple (h_t, c_t), got {type(result).__name__}")
    return np.stack([torch.as_tensor(r).detach().double().numpy() for r in result])


def _lstm_case(
    description: str, batch: int, input_size: int, hidden: int, seed: int, scale: float = 1.0
) -> Case:
    gen = torch.Generator().manual_seed(seed)
    cell = torch.nn.LSTMCell(input_size, hidden).double()
    with torch.no_grad():
        for p in cell.parameters():
            p.copy_(scale * torch.randn(p.shape, generator=gen, dtype=torch.float64))
    x = torch.randn(batch, input_size, generator=gen, dtype=torch.float64)
    h = torch.randn(batch, hidden, generator=gen, dtype=torch.float64)
    c = torch.randn(batch, hidden, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        h1, c1 = cell(x, (h, c))
    args = (
        x,
        h,
        c,
        cell.weight_ih.detach(),
        cell.weight_hh.detach(),
        cell.bias_ih.detach(),
        cell.bias_hh.detach(),
    )
    return Case(description, args, np.stack([h1.numpy(), c1.numpy()]), atol=1e-10)


def check_lstm_step(fn: Callable) -> Verdict:
    """Check ``fn(x, h, c, W_ih, W_hh, b_ih, b_hh) -> (h_t, c_t)``, one LSTM step, against PyTorch.

    Shapes: ``x`` ``(batch, input_size)``, ``h`` and ``c`` ``(batch, hidden)``, ``W_ih``
    ``(4 hidden, input_size)``, ``W_hh`` ``(4 hidden, hidden)``, biases ``(4 hidden,)``; the gate
    blocks are stacked in PyTorch's order: input, forget, candidate, output.
    """
    cases = [
        _lstm_case("one sequence, 3 inputs, 2 hidden units", 1, 3, 2, seed=0),
        _lstm_case("a batch of 4, 5 inputs, 3 hidden units", 4, 5, 3, seed=1),
        _lstm_case("large weights that saturate the gates", 2, 3, 4, seed=2, scale=4.0),
    ]
    return run_checks(
        "check_lstm_step", lambda *args: _as_pair(fn(*args)), cases, forbidden=[lstm_step, lstm_update]
    )


def _gru_case(
    description: str,
    batch: int,
    input_size: int,
    hidden: int,
    seed: int,
    scale: float = 1.0,
    gate_bias: tuple[float, float] = (0.0, 0.0),
) -> Case:
    """A case from ``nn.GRUCell`` with seeded random weights of size ``scale``.

    ``gate_bias`` is added to the input biases of the reset and update gates: a large
    positive or negative value saturates that gate at 1 or 0 for every unit.
    """
    gen = torch.Generator().manual_seed(seed)
    cell = torch.nn.GRUCell(input_size, hidden).double()
    with torch.no_grad():
        for p in cell.parameters():
            p.copy_(scale * torch.randn(p.shape, generator=gen, dtype=torch.float64))
        cell.bias_ih[:hidden] += gate_bias[0]
        cell.bias_ih[hidden : 2 * hidden] += gate_bias[1]
    x = torch.randn(batch, input_size, generator=gen, dtype=torch.float64)
    h = torch.randn(batch, hidden, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        h1 = cell(x, h)
    args = (
        x,
        h,
        cell.weight_ih.detach(),
        cell.weight_hh.detach(),
        cell.bias_ih.detach(),
        cell.bias_hh.detach(),
    )
    return Case(description, args, h1.numpy(), atol=1e-10)


def check_gru_step(fn: Callable) -> Verdict:
    """Check ``fn(x, h, W_ih, W_hh, b_ih, b_hh) -> h_t``, one GRU step, against ``nn.GRUCell``.

    Shapes: ``x`` ``(batch, input_size)``, ``h`` ``(batch, hidden)``, ``W_ih``
    ``(3 hidden, input_size)``, ``W_hh`` ``(3 hidden, hidden)``, biases ``(3 hidden,)``; the gate
    blocks are stacked in PyTorch's order: reset, update, candidate. The reset gate multiplies
    ``W_hn h + b_hn``, as in PyTorch. The answer must not call ``seqmodels.gated.gru_step`` or
    ``gru_update``.
    """
    cases = [
        _gru_case("one sequence, 3 inputs, 2 hidden units", 1, 3, 2, seed=0),
        _gru_case("a batch of 4, 5 inputs, 3 hidden units", 4, 5, 3, seed=1),
        _gru_case("large weights that saturate the gates", 2, 3, 4, seed=2, scale=4.0),
        _gru_case(
            "update gate shut (z near 1): the state passes through", 3, 2, 3, seed=3, gate_bias=(0.0, 30.0)
        ),
        _gru_case(
            "update gate open (z near 0), reset gate closed (r near 0)",
            3,
            2,
            3,
            seed=4,
            gate_bias=(-30.0, -30.0),
        ),
    ]
    return run_checks("check_gru_step", fn, cases, forbidden=[gru_step, gru_update])


__all__ = ["check_gru_step", "check_lstm_step"]
