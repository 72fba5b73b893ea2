"""The chapter 4 checkers accept the book's RNN and reject the classic mistakes, each for a reason."""

from __future__ import annotations

import numpy as np
import torch

from seqmodels.exercises.ch04 import check_rnn_forward, check_rnn_step
from seqmodels.rnn import rnn_step


def correct_step(x_t, h_prev, W_xh, W_hh, b_h):
    return np.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b_h)


# ---- one step


def test_step_accepts_the_update_in_the_books_convention(capsys):
    assert check_rnn_step(correct_step)
    assert "PASS: check_rnn_step: 5/5" in capsys.readouterr().out


def test_step_accepts_the_column_vector_form():
    assert check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(Wh @ h.T + Wx @ x.T + b[:, None]).T)


def test_step_rejects_a_missing_nonlinearity():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: x @ Wx.T + h @ Wh.T + b)


def test_step_rejects_a_forgotten_previous_state():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + b))


def test_step_rejects_untransposed_recurrent_weights():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh + b))


def test_step_rejects_the_transposed_convention_for_the_input_weights(capsys):
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b))
    assert "input and state sizes differ" in capsys.readouterr().out


def test_step_rejects_a_forgotten_bias():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh.T))


def test_step_fails_an_answer_that_calls_the_package(capsys):
    def with_the_package(x, h, Wx, Wh, b):
        t = torch.from_numpy
        return rnn_step(t(x), t(h), t(Wx), t(Wh), t(b)).numpy()

    assert not check_rnn_step(with_the_package)
    assert "it calls seqmodels.rnn.rnn_step" in capsys.readouterr().out


def test_step_reports_an_unfinished_answer_without_raising(capsys):
    def unfinished(*args):
        raise NotImplementedError("replace this line with your code")

    assert not check_rnn_step(unfinished)
    out = capsys.readouterr().out
    assert "✗" in out and "FAIL: check_rnn_step: 0/5" in out


# ---- the whole forward pass


def rnn_forward(xs, h0, W_xh, W_hh, b_h, W_hy, b_y, mistake=None):
    h, ys = (np.zeros_like(h0) if mistake == "ignores h0" else h0), []
    for x_t in xs:
        h_prev = h0 if mistake == "state not carried" else h
        h_new = correct_step(x_t, h_prev, W_xh, W_hh.T if mistake == "W_hh transposed" else W_hh, b_h)
        read = h if mistake == "reads h_{t-1}" else h_new
        ys.append(read @ W_hy.T + (0 if mistake == "no b_y" else b_y))
        h = h_new
    if mistake == "final output as final state":
        return np.stack(ys), ys[-1]
    return np.stack(ys), h


def test_forward_accepts_the_loop_over_time(capsys):
    assert check_rnn_forward(rnn_forward)
    assert "PASS: check_rnn_forward: 8/8" in capsys.readouterr().out


def test_forward_rejects_each_classic_mistake():
    for mistake in [
        "ignores h0",
        "state not carried",
        "W_hh transposed",
        "reads h_{t-1}",
        "no b_y",
        "final output as final state",
    ]:
        assert not check_rnn_forward(lambda *args: rnn_forward(*args, mistake=mistake)), mistake


def test_forward_without_carrying_the_state_passes_only_the_one_step_case(capsys):
    verdict = check_rnn_forward(lambda *args: rnn_forward(*args, mistake="state not carried"))
    out = capsys.readouterr().out
    assert (verdict.passed, verdict.total) == (2, 8)
    assert "✗ 5 steps from h_0 = 0: the state carries over: outputs" in out


def test_forward_fails_an_answer_that_calls_the_package(capsys):
    from seqmodels import bptt

    def with_the_package(xs, h0, W_xh, W_hh, b_h, W_hy, b_y):
        params = {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h, "W_hy": W_hy, "b_y": b_y}
        ys, cache = bptt.rnn_forward(params, xs, h0)
        return ys, cache.hs[-1]

    assert not check_rnn_forward(with_the_package)
    assert "it calls seqmodels.bptt.rnn_forward" in capsys.readouterr().out


def test_forward_leaves_the_readers_random_state_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    check_rnn_forward(rnn_forward)
    assert torch.equal(torch.rand(3), expected)
