"""The chapter 4 checker accepts the right RNN step and rejects common mistakes."""

from __future__ import annotations

import numpy as np

from seqmodels.exercises.ch04 import check_rnn_step


def correct(x_t, h_prev, W_xh, W_hh, b_h):
    return np.tanh(h_prev @ W_hh + x_t @ W_xh + b_h)


def test_accepts_the_lecture_update(capsys):
    assert check_rnn_step(correct)
    assert "PASS: check_rnn_step: 5/5" in capsys.readouterr().out


def test_rejects_a_missing_nonlinearity():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: h @ Wh + x @ Wx + b)


def test_rejects_a_forgotten_previous_state():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b))


def test_rejects_transposed_recurrent_weights():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(h @ Wh.T + x @ Wx + b))


def test_rejects_a_forgotten_bias():
    assert not check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(h @ Wh + x @ Wx))


def test_an_unfinished_answer_fails_without_raising(capsys):
    def unfinished(*args):
        raise NotImplementedError("replace this line with your code")

    assert not check_rnn_step(unfinished)
    out = capsys.readouterr().out
    assert "✗" in out and "FAIL: check_rnn_step: 0/5" in out
