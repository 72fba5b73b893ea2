"""The chapter 8 checkers accept correct answers and reject wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from seqmodels.exercises.ch08 import check_gru_step, check_lstm_step
from seqmodels.gated import gru_step, lstm_step


def lstm_with_swapped_gates(x, h, c, W_ih, W_hh, b_ih, b_hh):  # wrong: forget and input swapped
    i, f, g, o = (x @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=-1)
    c = torch.sigmoid(i) * c + torch.sigmoid(f) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def correct_lstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    i, f, g, o = (x @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=-1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def test_check_lstm_step_accepts_a_correct_step(capsys):
    assert check_lstm_step(correct_lstm_step)
    assert "PASS: check_lstm_step: 3/3" in capsys.readouterr().out


def test_check_lstm_step_fails_an_answer_that_calls_the_packages_step(capsys):
    assert not check_lstm_step(lstm_step)
    assert "lstm_step" in capsys.readouterr().out


def test_check_lstm_step_rejects_swapped_gates_and_bad_return_types(capsys):
    assert not check_lstm_step(lstm_with_swapped_gates)
    assert not check_lstm_step(lambda *args: args[1])
    out = capsys.readouterr().out
    assert "a pair (h_t, c_t)" in out


# --------------------------------------------------------------------------- one GRU step


def gru_reference(x, h, W_ih, W_hh, b_ih, b_hh):
    xr, xz, xn = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    hr, hz, hn = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
    n = torch.tanh(xn + r * hn)
    return (1 - z) * n + z * h


def gru_per_gate(x, h, W_ih, W_hh, b_ih, b_hh):  # correct too: one block at a time, in NumPy
    x, h, W_ih, W_hh, b_ih, b_hh = (t.numpy() for t in (x, h, W_ih, W_hh, b_ih, b_hh))
    H = h.shape[1]
    block = lambda W, b, v, k: v @ W[k * H : (k + 1) * H].T + b[k * H : (k + 1) * H]  # noqa: E731
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    r = sigmoid(block(W_ih, b_ih, x, 0) + block(W_hh, b_hh, h, 0))
    z = sigmoid(block(W_ih, b_ih, x, 1) + block(W_hh, b_hh, h, 1))
    n = np.tanh(block(W_ih, b_ih, x, 2) + r * block(W_hh, b_hh, h, 2))
    return z * h + (1 - z) * n


def gru_with_r_and_z_swapped(x, h, W_ih, W_hh, b_ih, b_hh):  # wrong: blocks read as update, reset, candidate
    xz, xr, xn = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    hz, hr, hn = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
    return (1 - z) * torch.tanh(xn + r * hn) + z * h


def gru_with_1_minus_z_on_the_old_state(x, h, W_ih, W_hh, b_ih, b_hh):  # wrong: h = z*n + (1-z)*h
    xr, xz, xn = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    hr, hz, hn = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
    return z * torch.tanh(xn + r * hn) + (1 - z) * h


def gru_with_reset_before_the_matrix(
    x, h, W_ih, W_hh, b_ih, b_hh
):  # wrong here: (r*h) @ W_hn^T, Cho et al.'s variant
    H = h.shape[1]
    xr, xz, xn = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    hr, hz, _ = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
    n = torch.tanh(xn + (r * h) @ W_hh[2 * H :].T + b_hh[2 * H :])
    return (1 - z) * n + z * h


def gru_with_b_hn_outside_the_reset(
    x, h, W_ih, W_hh, b_ih, b_hh
):  # wrong: n = tanh(W_in x + b_in + r*(W_hn h) + b_hn)
    H = h.shape[1]
    xr, xz, xn = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    hr, hz, hn = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
    n = torch.tanh(xn + r * (hn - b_hh[2 * H :]) + b_hh[2 * H :])
    return (1 - z) * n + z * h


def test_check_gru_step_accepts_correct_answers(capsys):
    assert check_gru_step(gru_reference)
    assert "PASS: check_gru_step: 5/5" in capsys.readouterr().out
    assert check_gru_step(gru_per_gate)  # NumPy arrays and another order of the terms are fine


@pytest.mark.parametrize(
    "mistake",
    [
        gru_with_r_and_z_swapped,
        gru_with_1_minus_z_on_the_old_state,
        gru_with_reset_before_the_matrix,
        gru_with_b_hn_outside_the_reset,
    ],
)
def test_check_gru_step_fails_each_classic_mistake(mistake, capsys):
    assert not check_gru_step(mistake)
    assert "FAIL: check_gru_step" in capsys.readouterr().out


def test_the_saturated_cases_fail_the_mistakes_that_saturation_exposes(capsys):
    """With z near 1 the state must pass through; with z and r near 0, h_t = tanh(W_in x + b_in + r*b_hn)."""
    check_gru_step(gru_with_1_minus_z_on_the_old_state)
    assert "✗ update gate shut (z near 1): the state passes through" in capsys.readouterr().out
    check_gru_step(gru_with_b_hn_outside_the_reset)
    assert "✗ update gate open (z near 0), reset gate closed (r near 0)" in capsys.readouterr().out


def test_check_gru_step_fails_an_answer_that_calls_the_packages_step(capsys):
    assert not check_gru_step(gru_step)
    assert not check_gru_step(lambda *args: gru_step(*args))
    assert (
        "seqmodels.gated.gru_step, and the exercise asks you to write it yourself" in capsys.readouterr().out
    )


def test_check_gru_step_reports_a_wrong_shape_and_an_exception(capsys):
    assert not check_gru_step(lambda x, h, *rest: h[:, :1])
    assert not check_gru_step(lambda *args: 1 / 0)
    out = capsys.readouterr().out
    assert "expected an array of shape" in out and "raised ZeroDivisionError" in out


def test_the_checkers_fail_an_answer_that_calls_the_packages_update(capsys):
    from seqmodels.gated import gru_update, lstm_update

    def lstm_via_update(x, h, c, W_ih, W_hh, b_ih, b_hh):
        return lstm_update(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh, c)

    def gru_via_update(x, h, W_ih, W_hh, b_ih, b_hh):
        return gru_update(x @ W_ih.T + b_ih, h @ W_hh.T + b_hh, h)

    assert not check_lstm_step(lstm_via_update)
    assert not check_gru_step(gru_via_update)
    out = capsys.readouterr().out
    assert "seqmodels.gated.lstm_update" in out and "seqmodels.gated.gru_update" in out


# --------------------------------------------------------------------------- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

from seqmodels.exercises import exercise, score  # noqa: E402
from seqmodels.gated import ScratchGRU, ScratchLSTM, gru_update, lstm_update  # noqa: E402


def lstm_by_nn_lstmcell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    cell = torch.nn.LSTMCell(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for p, v in zip(
            (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh), (W_ih, W_hh, b_ih, b_hh)
        ):
            p.copy_(v)
        return cell(x, (h, c))


def lstm_by_vf_lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return torch._VF.lstm_cell(x, (h, c), W_ih, W_hh, b_ih, b_hh)


def lstm_by_the_private_update(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return lstm_update(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh, c)


def lstm_by_scratch_lstm(x, h, c, W_ih, W_hh, b_ih, b_hh):
    layer = ScratchLSTM(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for p, v in zip(layer.parameters(), (W_ih, W_hh, b_ih, b_hh)):
            p.copy_(v.reshape(p.shape))
        out, (h1, c1) = layer(x[:, None], (h[None], c[None]))
    return h1[0], c1[0]


def gru_by_nn_grucell(x, h, W_ih, W_hh, b_ih, b_hh):
    cell = torch.nn.GRUCell(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for p, v in zip(
            (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh), (W_ih, W_hh, b_ih, b_hh)
        ):
            p.copy_(v)
        return cell(x, h)


def gru_by_nn_gru(x, h, W_ih, W_hh, b_ih, b_hh):
    layer = torch.nn.GRU(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for p, v in zip(
            (layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0),
            (W_ih, W_hh, b_ih, b_hh),
        ):
            p.copy_(v)
        return layer(x[None], h[None])[1][0]


def gru_by_torch_gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh)


def gru_by_the_private_update(x, h, W_ih, W_hh, b_ih, b_hh):
    return gru_update(x @ W_ih.T + b_ih, h @ W_hh.T + b_hh, h)


def gru_by_scratch_gru(x, h, W_ih, W_hh, b_ih, b_hh):
    layer = ScratchGRU(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for p, v in zip(layer.parameters(), (W_ih, W_hh, b_ih, b_hh)):
            p.copy_(v.reshape(p.shape))
        out, h1 = layer(x[:, None], h[None])
    return h1[0]


def gru_retry_after_the_guard(x, h, W_ih, W_hh, b_ih, b_hh):
    try:
        return gru_step(x, h, W_ih, W_hh, b_ih, b_hh)
    except Exception:
        return gru_step(x, h, W_ih, W_hh, b_ih, b_hh)


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_lstm_step, lstm_by_nn_lstmcell),
        (check_lstm_step, lstm_by_vf_lstm_cell),
        (check_lstm_step, lstm_by_the_private_update),
        (check_lstm_step, lstm_by_scratch_lstm),
        (check_gru_step, gru_by_nn_grucell),
        (check_gru_step, gru_by_nn_gru),
        (check_gru_step, gru_by_torch_gru_cell),
        (check_gru_step, gru_by_the_private_update),
        (check_gru_step, gru_by_scratch_gru),
        (check_gru_step, gru_retry_after_the_guard),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_false_pass_of_the_review_now_fails(checker, wrong, capsys):
    assert not checker(wrong)
    out = capsys.readouterr().out
    assert "it calls " in out


def test_a_wrong_lstm_names_h_t_and_c_t_apart(capsys):
    def h_is_o_times_c(x, h, c, W_ih, W_hh, b_ih, b_hh):
        i, f, g, o = (x @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * c, c

    assert not check_lstm_step(h_is_o_times_c)
    assert "h_t wrong (c_t right): h_t:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "checker, solution",
    [(check_lstm_step, correct_lstm_step), (check_gru_step, gru_reference)],
    ids=["lstm step in float32", "gru step in float32"],
)
def test_a_false_fail_of_the_review_now_passes(checker, solution, float32, capsys):
    assert checker(float32(solution))
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution", [("8.1", correct_lstm_step), ("8.2", gru_reference)], ids=["8.1", "8.2"]
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
