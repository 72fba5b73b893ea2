"""The chapter 8 checkers accept correct answers and reject wrong ones."""

from __future__ import annotations

import torch

from seqmodels.exercises.ch08 import check_lstm_step
from seqmodels.gated import lstm_step


def lstm_with_swapped_gates(x, h, c, W_ih, W_hh, b_ih, b_hh):  # wrong: forget and input swapped
    i, f, g, o = (x @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=-1)
    c = torch.sigmoid(i) * c + torch.sigmoid(f) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def test_check_lstm_step_accepts_the_package_step(capsys):
    assert check_lstm_step(lstm_step)
    assert "PASS: check_lstm_step: 3/3" in capsys.readouterr().out


def test_check_lstm_step_rejects_swapped_gates_and_bad_return_types(capsys):
    assert not check_lstm_step(lstm_with_swapped_gates)
    assert not check_lstm_step(lambda *args: args[1])
    out = capsys.readouterr().out
    assert "tuple (h_t, c_t)" in out
