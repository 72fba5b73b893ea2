"""The chapter 7 checkers pass correct answers and fail each classic mistake."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from seqmodels.exercises.ch07 import _backprop, check_backprop, check_clip
from seqmodels.gradients import clip_grad_norm, rnn_forward, state_gradients

# --------------------------------------------------------------------------- clipping by the joint norm


def clip_reference(grads, theta):
    norm = np.sqrt(sum(float((g**2).sum()) for g in grads))
    return [g * (theta / norm) for g in grads] if norm >= theta else grads


def clip_in_place(grads, theta):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    if norm >= theta:
        for g in grads:
            g *= theta / norm
    return grads


def test_check_clip_accepts_correct_answers(capsys):
    assert check_clip(clip_reference)
    assert "PASS: check_clip: 5/5" in capsys.readouterr().out
    assert check_clip(clip_in_place)  # in-place edits do not leak between cases


def clip_each_tensor(grads, theta):  # wrong: every tensor by its own norm, so the direction changes
    return [g * (theta / np.linalg.norm(g)) if np.linalg.norm(g) >= theta else g for g in grads]


def clip_each_value(grads, theta):  # wrong: clipping values, not the norm
    return [np.clip(g, -theta, theta) for g in grads]


def clip_always(grads, theta):  # wrong: also stretches short gradients
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    return [g * (theta / norm) for g in grads]


def clip_by_squared_norm(grads, theta):  # wrong: forgot the square root
    norm = sum(float((g**2).sum()) for g in grads)
    return [g * (theta / norm) for g in grads] if norm >= theta else grads


def clip_flattened(grads, theta):  # wrong: returns one vector instead of the list of shapes
    flat = np.concatenate([g.ravel() for g in grads])
    norm = np.linalg.norm(flat)
    return flat * theta / norm if norm >= theta else flat


def clip_by_largest_value(grads, theta):  # wrong: the max norm, not the Euclidean one
    norm = max(float(np.abs(g).max()) for g in grads)
    return [g * (theta / norm) for g in grads] if norm >= theta else grads


@pytest.mark.parametrize(
    "mistake",
    [
        clip_each_tensor,
        clip_each_value,
        clip_always,
        clip_by_squared_norm,
        clip_flattened,
        clip_by_largest_value,
    ],
)
def test_check_clip_fails_each_classic_mistake(mistake, capsys):
    assert not check_clip(mistake)
    assert "FAIL: check_clip" in capsys.readouterr().out


def test_check_clip_fails_an_answer_that_calls_the_packages_clipping(capsys):
    def through_the_package(grads, theta):
        params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g.copy())
        clip_grad_norm(params, theta)
        return [p.grad.numpy() for p in params]

    assert not check_clip(through_the_package)
    assert (
        "it calls seqmodels.gradients.clip_grad_norm, and the exercise asks you to write it yourself"
        in capsys.readouterr().out
    )


def test_check_clip_reports_an_unfinished_answer_without_raising(capsys):
    def unfinished(grads, theta):
        raise NotImplementedError("replace this line with your code")

    assert not check_clip(unfinished)
    assert "NotImplementedError" in capsys.readouterr().out


# --------------------------------------------------------------------------- the backward recursion


def backprop_reference(W_hh, A, g):
    G = np.zeros((len(A) + 1, len(g)))
    G[-1] = g
    for t in range(len(A), 0, -1):
        G[t - 1] = W_hh.T @ ((1 - np.tanh(A[t - 1]) ** 2) * G[t])
    return G


def test_the_checkers_expected_answers_equal_the_packages_state_gradients():
    gen = np.random.default_rng(0)
    W_hh, W_xh, X, g = (
        gen.normal(size=(4, 4)),
        gen.normal(size=(4, 3)),
        gen.normal(size=(6, 3)),
        gen.normal(size=4),
    )
    _, A = rnn_forward(W_hh, W_xh, X)
    np.testing.assert_allclose(
        _backprop(W_hh, A.numpy(), g), state_gradients(W_hh, W_xh, X, g).numpy(), atol=1e-12
    )


def test_check_backprop_accepts_a_correct_answer(capsys):
    assert check_backprop(backprop_reference)
    assert "PASS: check_backprop: 4/4" in capsys.readouterr().out


def backprop_without_transpose(W_hh, A, g):
    return backprop_reference(W_hh.T, A, g)


def backprop_with_tanh_for_its_derivative(W_hh, A, g):
    G = [g]
    for a in A[::-1]:
        G.append(W_hh.T @ (np.tanh(a) * G[-1]))
    return np.stack(G[::-1])


def backprop_one_step_off(W_hh, A, g):  # uses a_{t-1} where a_t belongs
    G = [g]
    for t in range(len(A), 0, -1):
        a = A[t - 2] if t >= 2 else np.zeros_like(A[0])
        G.append(W_hh.T @ ((1 - np.tanh(a) ** 2) * G[-1]))
    return np.stack(G[::-1])


def backprop_in_reverse_order(W_hh, A, g):
    return backprop_reference(W_hh, A, g)[::-1]


def backprop_derivative_after_the_matrix(W_hh, A, g):  # f' applied on the wrong side of W_hh
    G = [g]
    for a in A[::-1]:
        G.append((1 - np.tanh(a) ** 2) * (W_hh.T @ G[-1]))
    return np.stack(G[::-1])


def backprop_only_the_first_state(W_hh, A, g):
    return backprop_reference(W_hh, A, g)[0]


@pytest.mark.parametrize(
    "mistake",
    [
        backprop_without_transpose,
        backprop_with_tanh_for_its_derivative,
        backprop_one_step_off,
        backprop_in_reverse_order,
        backprop_derivative_after_the_matrix,
        backprop_only_the_first_state,
    ],
)
def test_check_backprop_fails_each_classic_mistake(mistake, capsys):
    assert not check_backprop(mistake)
    assert "FAIL: check_backprop" in capsys.readouterr().out


def test_check_backprop_fails_an_answer_that_calls_the_package(capsys):
    def through_the_package(W_hh, A, g):
        return state_gradients(W_hh, np.eye(len(g)), np.zeros((len(A), len(g))), g).numpy()

    assert not check_backprop(through_the_package)
    assert (
        "it calls seqmodels.gradients.state_gradients, and the exercise asks you to write it yourself"
        in capsys.readouterr().out
    )
    assert not check_backprop(lambda W_hh, A, g: _backprop(W_hh, A, g))


# --------------------------------------------------------------------------- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false fails now pass.

from seqmodels.exercises import exercise, score  # noqa: E402


def clip_with_pytorchs_factor(grads, theta):
    """PyTorch's clip_grad_norm_: c = theta / (||g|| + 1e-6), applied when c < 1."""
    norm = np.sqrt(sum(float((g**2).sum()) for g in grads))
    c = theta / (norm + 1e-6)
    return [g * c for g in grads] if c < 1 else grads


def test_a_false_fail_of_the_review_now_passes_clip_with_pytorchs_factor(capsys):
    assert check_clip(clip_with_pytorchs_factor)
    capsys.readouterr()


@pytest.mark.parametrize(
    "checker, solution",
    [(check_clip, clip_reference), (check_backprop, backprop_reference)],
    ids=["clip in float32", "backprop in float32"],
)
def test_a_float32_answer_passes(checker, solution, float32, capsys):
    assert checker(float32(solution))
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution", [("7.1", clip_reference), ("7.2", backprop_reference)], ids=["7.1", "7.2"]
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
