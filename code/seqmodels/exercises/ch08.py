"""Checkers for chapter 8 (gated cells: LSTM and GRU): exercises 8.1 and 8.2."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from . import Case, Exercise, Verdict, check, plain, rng_for


def _tensors(args: tuple) -> tuple:
    return tuple(torch.as_tensor(np.asarray(a, dtype=np.float64)) for a in args)


def step_harness(fn: Callable, *args: np.ndarray):
    """Call ``fn`` on the case's arrays as float64 tensors (the chapter works in PyTorch)."""
    return plain(fn(*_tensors(args)))


def _weights(
    rng: np.random.Generator, blocks: int, input_size: int, hidden: int, scale: float
) -> list[np.ndarray]:
    return [
        scale * rng.standard_normal((blocks * hidden, input_size)),
        scale * rng.standard_normal((blocks * hidden, hidden)),
        scale * rng.standard_normal(blocks * hidden),
        scale * rng.standard_normal(blocks * hidden),
    ]


def _lstm_case(
    description: str, rng: np.random.Generator, batch: int, input_size: int, hidden: int, scale: float = 1.0
) -> Case:
    W_ih, W_hh, b_ih, b_hh = _weights(rng, 4, input_size, hidden, scale)
    x, h, c = (
        rng.standard_normal((batch, input_size)),
        rng.standard_normal((batch, hidden)),
        rng.standard_normal((batch, hidden)),
    )
    cell = torch.nn.LSTMCell(input_size, hidden, dtype=torch.float64)
    with torch.no_grad():
        for p, value in zip(
            (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh), (W_ih, W_hh, b_ih, b_hh)
        ):
            p.copy_(torch.from_numpy(value))
        h1, c1 = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
    args = (x, h, c, W_ih, W_hh, b_ih, b_hh)
    return Case(description, args, (h1.numpy(), c1.numpy()), outputs=("h_t", "c_t"))


def lstm_step_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 8.1, ``my_lstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh) -> (h_t, c_t)``, against PyTorch.

    Shapes: ``x`` ``(batch, input_size)``, ``h`` and ``c`` ``(batch, hidden)``, ``W_ih``
    ``(4 hidden, input_size)``, ``W_hh`` ``(4 hidden, hidden)``, biases ``(4 hidden,)``; the gate
    blocks are stacked in PyTorch's order: input, forget, candidate, output. The harness hands
    them over as float64 tensors; each of ``h_t`` and ``c_t`` is checked and named.
    """
    g = np.random.default_rng
    if seed is None:
        return [
            _lstm_case("one sequence, 3 inputs, 2 hidden units", g(0), 1, 3, 2),
            _lstm_case("a batch of 4, 5 inputs, 3 hidden units", g(1), 4, 5, 3),
            _lstm_case("large weights that saturate the gates", g(2), 2, 3, 4, scale=4.0),
        ]
    rng = rng_for(seed, 0, salt=81)
    return [
        _lstm_case(
            f"random LSTM step {k + 1}",
            rng,
            int(rng.integers(1, 5)),
            int(rng.integers(1, 6)),
            int(rng.integers(1, 5)),
            scale=s,
        )
        for k, s in enumerate((1.0, 3.0))
    ]


def _gru_case(
    description: str,
    rng: np.random.Generator,
    batch: int,
    input_size: int,
    hidden: int,
    scale: float = 1.0,
    gate_bias: tuple[float, float] = (0.0, 0.0),
) -> Case:
    """A case from ``nn.GRUCell`` with random weights of size ``scale``.

    ``gate_bias`` is added to the input biases of the reset and update gates: a large
    positive or negative value saturates that gate at 1 or 0 for every unit.
    """
    W_ih, W_hh, b_ih, b_hh = _weights(rng, 3, input_size, hidden, scale)
    b_ih[:hidden] += gate_bias[0]
    b_ih[hidden : 2 * hidden] += gate_bias[1]
    x, h = rng.standard_normal((batch, input_size)), rng.standard_normal((batch, hidden))
    cell = torch.nn.GRUCell(input_size, hidden, dtype=torch.float64)
    with torch.no_grad():
        for p, value in zip(
            (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh), (W_ih, W_hh, b_ih, b_hh)
        ):
            p.copy_(torch.from_numpy(value))
        h1 = cell(torch.from_numpy(x), torch.from_numpy(h))
    return Case(description, (x, h, W_ih, W_hh, b_ih, b_hh), h1.numpy())


def gru_step_cases(seed: int | None = None) -> list[Case]:
    """Cases for exercise 8.2, ``my_gru_step(x, h, W_ih, W_hh, b_ih, b_hh) -> h_t``, against ``nn.GRUCell``.

    Shapes: ``x`` ``(batch, input_size)``, ``h`` ``(batch, hidden)``, ``W_ih``
    ``(3 hidden, input_size)``, ``W_hh`` ``(3 hidden, hidden)``, biases ``(3 hidden,)``; the gate
    blocks are stacked in PyTorch's order: reset, update, candidate. The reset gate multiplies
    ``W_hn h + b_hn``, as in PyTorch.
    """
    g = np.random.default_rng
    if seed is None:
        return [
            _gru_case("one sequence, 3 inputs, 2 hidden units", g(0), 1, 3, 2),
            _gru_case("a batch of 4, 5 inputs, 3 hidden units", g(1), 4, 5, 3),
            _gru_case("large weights that saturate the gates", g(2), 2, 3, 4, scale=4.0),
            _gru_case(
                "update gate shut (z near 1): the state passes through", g(3), 3, 2, 3, gate_bias=(0.0, 30.0)
            ),
            _gru_case(
                "update gate open (z near 0), reset gate closed (r near 0)",
                g(4),
                3,
                2,
                3,
                gate_bias=(-30.0, -30.0),
            ),
        ]
    rng = rng_for(seed, 0, salt=82)
    return [
        _gru_case(
            f"random GRU step {k + 1}",
            rng,
            int(rng.integers(1, 5)),
            int(rng.integers(1, 6)),
            int(rng.integers(1, 5)),
            scale=s,
            gate_bias=b,
        )
        for k, (s, b) in enumerate([(1.0, (0.0, 0.0)), (2.0, (-30.0, 0.0))])
    ]


_GATED = "seqmodels.gated."
EXERCISES = [
    Exercise(
        "8.1",
        "my_lstm_step",
        lstm_step_cases,
        "check_lstm_step",
        forbidden=(
            _GATED + "lstm_step",
            _GATED + "lstm_update",
            _GATED + "ScratchLSTM.forward",
            "torch.nn.LSTMCell.forward",
            "torch.nn.LSTM.forward",
            "torch.lstm_cell",
            "torch.lstm",
        ),
        harness="seqmodels.exercises.ch08.step_harness",
    ),
    Exercise(
        "8.2",
        "my_gru_step",
        gru_step_cases,
        "check_gru_step",
        forbidden=(
            _GATED + "gru_step",
            _GATED + "gru_update",
            _GATED + "ScratchGRU.forward",
            "torch.nn.GRUCell.forward",
            "torch.nn.GRU.forward",
            "torch.gru_cell",
            "torch.gru",
        ),
        harness="seqmodels.exercises.ch08.step_harness",
    ),
]


def check_lstm_step(fn: Callable) -> Verdict:
    """Check ``fn(x, h, c, W_ih, W_hh, b_ih, b_hh) -> (h_t, c_t)`` (exercise 8.1), one LSTM step, against PyTorch."""
    return check(EXERCISES[0], fn)


def check_gru_step(fn: Callable) -> Verdict:
    """Check ``fn(x, h, W_ih, W_hh, b_ih, b_hh) -> h_t`` (exercise 8.2), one GRU step, against ``nn.GRUCell``.

    The answer must not call the package's ``gru_step``, ``gru_update`` or ``ScratchGRU``, nor
    PyTorch's ``GRUCell``, ``GRU`` or ``gru_cell``.
    """
    return check(EXERCISES[1], fn)


__all__ = [
    "EXERCISES",
    "check_gru_step",
    "check_lstm_step",
    "gru_step_cases",
    "lstm_step_cases",
    "step_harness",
]
