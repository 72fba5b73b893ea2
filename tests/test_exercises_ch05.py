"""The chapter 5 checkers pass right answers and fail the classic mistakes, each for a reason."""

from __future__ import annotations

import numpy as np

from seqmodels import bptt
from seqmodels.exercises.ch05 import check_bptt_step, check_relu_bptt, check_tanh_backward

# ---- one tanh, one step


def test_tanh_backward_accepts_the_solution_and_rejects_the_classic_mistakes(capsys):
    assert check_tanh_backward(lambda dh, h: dh * (1 - h**2))
    assert not check_tanh_backward(lambda dh, h: dh * (1 - np.tanh(h) ** 2))  # tanh applied twice
    assert not check_tanh_backward(lambda dh, h: dh * h)
    assert not check_tanh_backward(lambda dh, h: 1 - h**2)  # forgot the incoming gradient
    out = capsys.readouterr().out
    assert "PASS: check_tanh_backward" in out and "FAIL: check_tanh_backward" in out


def test_bptt_step_accepts_the_solution_and_rejects_the_classic_mistakes(capsys):
    assert check_bptt_step(lambda dh, h, W: (dh * (1 - h**2)) @ W)
    assert not check_bptt_step(lambda dh, h, W: (dh * (1 - h**2)) @ W.T)  # transpose rule forgotten
    assert not check_bptt_step(lambda dh, h, W: dh @ W)  # tanh forgotten

    def unfinished(dh, h, W):
        raise NotImplementedError("replace this line with your code")

    assert not check_bptt_step(unfinished)
    assert "raised NotImplementedError" in capsys.readouterr().out


# ---- the whole backward pass of a ReLU RNN


def relu_bptt(params, xs, h0, dys, mistake=None):
    W_xh, W_hh, b_h, W_hy = (params[name] for name in ("W_xh", "W_hh", "b_h", "W_hy"))
    hs, h = [], h0
    for x_t in xs:
        h = np.maximum(0.0, h @ W_hh.T + x_t @ W_xh.T + b_h)
        hs.append(h)
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    dh_next = np.zeros_like(h0)
    for t in reversed(range(len(xs))):
        h_prev = hs[t - 1] if t > 0 else h0
        grads["W_hy"] += dys[t].T @ hs[t]
        grads["b_y"] += dys[t].sum(axis=0)
        dh = dys[t] @ W_hy + (0.0 if mistake == "no through time" else dh_next)
        da = dh * ((1 - hs[t] ** 2) if mistake == "tanh's slope" else (hs[t] > 0))
        if mistake == "overwrites W_hh's gradient":
            grads["W_hh"] = da.T @ h_prev
        else:
            grads["W_hh"] += da.T @ (hs[t] if mistake == "h_t instead of h_{t-1}" else h_prev)
        grads["W_xh"] += da.T @ xs[t]
        grads["b_h"] += da.sum(axis=0)
        dh_next = da @ (W_hh.T if mistake == "W_hh transposed" else W_hh)
    if mistake != "no h0":
        grads["h0"] = dh_next
    return grads


MISTAKES = [
    "no through time",
    "tanh's slope",
    "overwrites W_hh's gradient",
    "h_t instead of h_{t-1}",
    "W_hh transposed",
    "no h0",
]


def test_relu_bptt_accepts_backpropagation_through_time(capsys):
    assert check_relu_bptt(relu_bptt)
    assert "PASS: check_relu_bptt: 4/4" in capsys.readouterr().out


def test_relu_bptt_rejects_each_classic_mistake(capsys):
    for mistake in MISTAKES:
        assert not check_relu_bptt(lambda *args: relu_bptt(*args, mistake=mistake)), mistake
    out = capsys.readouterr().out
    assert "'h0' is missing" in out


def test_relu_bptt_without_the_future_term_passes_only_the_one_step_case(capsys):
    verdict = check_relu_bptt(lambda *args: relu_bptt(*args, mistake="no through time"))
    out = capsys.readouterr().out
    assert (verdict.passed, verdict.total) == (1, 4)
    assert "✓ one step: nothing flows through time yet" in out


def test_relu_bptt_fails_answers_that_call_the_package(capsys):
    def by_autograd(params, xs, h0, dys):
        return bptt.autograd_gradients(params, xs, h0, dys)

    def by_finite_differences(params, xs, h0, dys):
        arrays = {**{k: v.copy() for k, v in params.items()}, "h0": h0.copy()}
        return bptt.numerical_gradient(lambda: 0.0, arrays)

    assert not check_relu_bptt(by_autograd)
    assert not check_relu_bptt(by_finite_differences)
    out = capsys.readouterr().out
    assert "it calls seqmodels.bptt.autograd_gradients" in out
    assert "it calls seqmodels.bptt.numerical_gradient" in out


# ---- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

import pytest  # noqa: E402
import torch  # noqa: E402

from seqmodels.exercises import exercise, score  # noqa: E402


def relu_bptt_by_autograd(params, xs, h0, dys):
    t = {k: torch.tensor(v, requires_grad=True) for k, v in {**params, "h0": h0}.items()}
    h, ys = t["h0"], []
    for x_t in torch.from_numpy(xs):
        h = torch.relu(h @ t["W_hh"].T + x_t @ t["W_xh"].T + t["b_h"])
        ys.append(h @ t["W_hy"].T + t["b_y"])
    (torch.stack(ys) * torch.from_numpy(dys)).sum().backward()
    return {k: v.grad.numpy() for k, v in t.items()}


def test_a_false_pass_of_the_review_now_fails_relu_bptt_by_autograd(capsys):
    assert not check_relu_bptt(relu_bptt_by_autograd)
    assert "it calls torch.autograd.backward" in capsys.readouterr().out


def test_a_dict_of_gradients_names_every_wrong_entry(capsys):
    check_relu_bptt(lambda *args: relu_bptt(*args, mistake="W_hh transposed"))
    out = capsys.readouterr().out
    assert "wrong entries, 'W_xh', 'W_hh', 'b_h', 'h0' ('W_hy', 'b_y' right)" in out


@pytest.mark.parametrize(
    "checker, solution",
    [
        (check_tanh_backward, lambda dh, h: dh * (1 - h**2)),
        (check_bptt_step, lambda dh, h, W: (dh * (1 - h**2)) @ W),
        (check_relu_bptt, relu_bptt),
    ],
    ids=["tanh backward in float32", "bptt step in float32", "relu bptt in float32"],
)
def test_a_false_fail_of_the_review_now_passes(checker, solution, float32, capsys):
    assert checker(float32(solution))
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution",
    [
        ("5.1", lambda dh, h: dh * (1 - h**2)),
        ("5.2", lambda dh, h, W: (dh * (1 - h**2)) @ W),
        ("5.3", relu_bptt),
    ],
    ids=["5.1", "5.2", "5.3"],
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
