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


# ---- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

import pytest  # noqa: E402

from seqmodels.exercises import exercise, score  # noqa: E402


def rnn_forward_through_torch_nn_rnn(xs, h0, W_xh, W_hh, b_h, W_hy, b_y):
    rnn = torch.nn.RNN(W_xh.shape[1], W_xh.shape[0]).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(W_xh))
        rnn.weight_hh_l0.copy_(torch.from_numpy(W_hh))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b_h))
        rnn.bias_hh_l0.zero_()
        states, h_T = rnn(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    return states.numpy() @ W_hy.T + b_y, h_T[0].numpy()


def test_a_false_pass_of_the_review_now_fails_rnn_forward_through_torch_nn_rnn(capsys):
    assert not check_rnn_forward(rnn_forward_through_torch_nn_rnn)
    assert "it calls torch.nn.RNN.forward" in capsys.readouterr().out


@pytest.mark.parametrize(
    "checker, solution",
    [(check_rnn_step, correct_step), (check_rnn_forward, rnn_forward)],
    ids=["rnn step in float32", "rnn forward in float32"],
)
def test_a_false_fail_of_the_review_now_passes(checker, solution, float32, capsys):
    assert checker(float32(solution))
    capsys.readouterr()


def test_a_float32_answer_that_is_wrong_shows_the_gap_the_tolerance_and_the_dtypes(float32, capsys):
    assert not check_rnn_step(float32(lambda x, h, W_xh, W_hh, b: correct_step(x, h, W_xh, W_hh, b) * 1.001))
    out = capsys.readouterr().out
    assert "the largest difference is" in out and "tolerance 1e-06 + 1e-05·|expected|" in out
    assert "dtypes: expected float64, got float32" in out


@pytest.mark.parametrize(
    "number, solution", [("4.1", correct_step), ("4.2", rnn_forward)], ids=["4.1", "4.2"]
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
