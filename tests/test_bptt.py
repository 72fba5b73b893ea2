"""Tests for seqmodels.bptt: hand-written BPTT against autograd and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from seqmodels.bptt import (
    PARAM_NAMES,
    autograd_gradients,
    bptt_memory,
    check_params,
    delay_accuracy,
    delayed_copy_task,
    fit,
    init_params,
    numerical_gradient,
    relative_error,
    rnn_backward,
    rnn_forward,
    softmax_cross_entropy,
    squared_error,
)

T, B, I, H, O = 7, 2, 3, 4, 5


@pytest.fixture
def problem():
    params = init_params(I, H, O, seed=0)
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(T, B, I))
    h0 = rng.normal(size=(B, H))
    targets = rng.integers(0, O, size=(T, B))
    return params, xs, h0, targets


def _max_abs_diff(a: dict, b: dict, names) -> float:
    return max(float(np.abs(a[n] - b[n]).max()) for n in names)


# ---- forward pass and losses


def test_forward_matches_torch_nn_rnn(problem):
    params, xs, h0, _ = problem
    rnn = torch.nn.RNN(I, H, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(params["W_xh"]))
        rnn.weight_hh_l0.copy_(torch.tensor(params["W_hh"]))
        rnn.bias_ih_l0.copy_(torch.tensor(params["b_h"]))
        rnn.bias_hh_l0.zero_()
        hs, _ = rnn(torch.tensor(xs), torch.tensor(h0)[None])
    ys, cache = rnn_forward(params, xs, h0)
    assert np.abs(cache.hs - hs.numpy()).max() < 1e-12
    assert ys.shape == (T, B, O)
    assert np.allclose(ys, cache.hs @ params["W_hy"].T + params["b_y"])


def test_forward_defaults_h0_to_zeros(problem):
    params, xs, _, _ = problem
    ys, cache = rnn_forward(params, xs)
    assert np.array_equal(cache.h0, np.zeros((B, H)))
    assert np.array_equal(ys, rnn_forward(params, xs, np.zeros((B, H)))[0])


def test_cache_nbytes_counts_inputs_and_states(problem):
    params, xs, h0, _ = problem
    _, cache = rnn_forward(params, xs, h0)
    assert cache.nbytes == 8 * bptt_memory(T, B, I, H)


def test_softmax_cross_entropy_matches_torch_loss_and_gradient(problem):
    _, _, _, targets = problem
    targets = targets.copy()
    targets[:3, 0] = -1  # steps without a target are skipped, as ignore_index does
    ys = np.random.default_rng(2).normal(size=(T, B, O))
    loss, dys = softmax_cross_entropy(ys, targets)
    y_t = torch.tensor(ys, requires_grad=True)
    ref = F.cross_entropy(y_t.reshape(-1, O), torch.tensor(targets).reshape(-1), ignore_index=-1)
    ref.backward()
    assert abs(loss - ref.item()) < 1e-12
    assert np.abs(dys - y_t.grad.numpy()).max() < 1e-12


def test_squared_error_matches_torch_mse_loss():
    rng = np.random.default_rng(3)
    ys, targets = rng.normal(size=(T, B, O)), rng.normal(size=(T, B, O))
    loss, dys = squared_error(ys, targets)
    y_t = torch.tensor(ys, requires_grad=True)
    ref = F.mse_loss(y_t, torch.tensor(targets))
    ref.backward()
    assert abs(loss - ref.item()) < 1e-12
    assert np.abs(dys - y_t.grad.numpy()).max() < 1e-12


# ---- full BPTT


def test_full_bptt_equals_torch_autograd(problem):
    params, xs, h0, targets = problem
    ys, cache = rnn_forward(params, xs, h0)
    _, dys = softmax_cross_entropy(ys, targets)
    ours = rnn_backward(params, cache, dys)
    ref = autograd_gradients(params, xs, h0, dys)
    assert _max_abs_diff(ours, ref, PARAM_NAMES + ("h0",)) < 1e-8


def test_autograd_reference_equals_torch_nn_rnn_backward(problem):
    """The reference itself is checked against torch.nn.RNN, so the chain is anchored."""
    params, xs, h0, targets = problem
    rnn = torch.nn.RNN(I, H, dtype=torch.float64)
    out = torch.nn.Linear(H, O, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(params["W_xh"]))
        rnn.weight_hh_l0.copy_(torch.tensor(params["W_hh"]))
        rnn.bias_ih_l0.copy_(torch.tensor(params["b_h"]))
        rnn.bias_hh_l0.zero_()
        out.weight.copy_(torch.tensor(params["W_hy"]))
        out.bias.copy_(torch.tensor(params["b_y"]))
    h0_t = torch.tensor(h0, requires_grad=True)
    hs, _ = rnn(torch.tensor(xs), h0_t[None])
    loss = F.cross_entropy(out(hs).reshape(-1, O), torch.tensor(targets).reshape(-1))
    loss.backward()
    ys, cache = rnn_forward(params, xs, h0)
    _, dys = softmax_cross_entropy(ys, targets)
    ours = rnn_backward(params, cache, dys)
    assert np.abs(ours["W_hh"] - rnn.weight_hh_l0.grad.numpy()).max() < 1e-8
    assert np.abs(ours["W_xh"] - rnn.weight_ih_l0.grad.numpy()).max() < 1e-8
    assert np.abs(ours["b_h"] - rnn.bias_hh_l0.grad.numpy()).max() < 1e-8
    assert np.abs(ours["W_hy"] - out.weight.grad.numpy()).max() < 1e-8
    assert np.abs(ours["h0"] - h0_t.grad.numpy()).max() < 1e-8


@pytest.mark.parametrize("loss_name", ["cross_entropy", "squared_error"])
def test_full_bptt_equals_central_finite_differences(problem, loss_name):
    params, xs, h0, targets = problem
    if loss_name == "cross_entropy":
        loss_fn = softmax_cross_entropy
    else:
        targets = np.random.default_rng(4).normal(size=(T, B, O))
        loss_fn = squared_error
    arrays = {**{n: params[n].copy() for n in PARAM_NAMES}, "h0": h0.copy()}

    def f() -> float:
        return loss_fn(rnn_forward(arrays, xs, arrays["h0"])[0], targets)[0]

    numeric = numerical_gradient(f, arrays, eps=1e-6)
    ys, cache = rnn_forward(params, xs, h0)
    ours = rnn_backward(params, cache, loss_fn(ys, targets)[1])
    for name in PARAM_NAMES + ("h0",):
        assert relative_error(ours[name], numeric[name]) < 1e-6, name


def test_gradient_of_hidden_states_is_dL_dh_t(problem):
    """grads['h'][t] equals autograd's gradient at h_t (checked via a perturbation of the loss)."""
    params, xs, h0, targets = problem
    ys, cache = rnn_forward(params, xs, h0)
    _, dys = softmax_cross_entropy(ys, targets)
    grads = rnn_backward(params, cache, dys)
    # dL/dh_0 (the state after the first step) equals dL/dh0 pushed forward one step:
    # dL/dh0 = ((dL/dh_1) * (1 - h_1^2)) @ W_hh.
    expected_h0 = (grads["h"][0] * (1 - cache.hs[0] ** 2)) @ params["W_hh"]
    assert np.allclose(grads["h0"], expected_h0, atol=1e-12)
    # At the last step only the output layer contributes.
    assert np.allclose(grads["h"][-1], dys[-1] @ params["W_hy"], atol=1e-12)


# ---- truncated BPTT


@pytest.mark.parametrize("k", [T, T + 1, 100])
def test_truncated_bptt_with_k_at_least_T_equals_full_bptt(problem, k):
    params, xs, h0, targets = problem
    ys, cache = rnn_forward(params, xs, h0)
    _, dys = softmax_cross_entropy(ys, targets)
    full = rnn_backward(params, cache, dys)
    truncated = rnn_backward(params, cache, dys, k=k)
    for name in PARAM_NAMES + ("h0", "h"):
        assert np.array_equal(full[name], truncated[name]), name


@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_truncated_bptt_equals_autograd_with_state_detached_every_k_steps(problem, k):
    params, xs, h0, targets = problem
    ys, cache = rnn_forward(params, xs, h0)
    _, dys = softmax_cross_entropy(ys, targets)
    ours = rnn_backward(params, cache, dys, k=k)
    ref = autograd_gradients(params, xs, h0, dys, k=k)
    assert _max_abs_diff(ours, ref, PARAM_NAMES + ("h0",)) < 1e-8
    full = rnn_backward(params, cache, dys)
    assert np.abs(ours["W_hh"] - full["W_hh"]).max() > 1e-6  # truncation really changes it


def test_truncated_bptt_matches_training_window_by_window(problem):
    """Windows of k steps run one after the other, carrying the state, give the same sums."""
    params, xs, h0, targets = problem
    k = 3
    ys, cache = rnn_forward(params, xs, h0)
    _, dys = softmax_cross_entropy(ys, targets)
    truncated = rnn_backward(params, cache, dys, k=k)
    total = {name: np.zeros_like(params[name]) for name in PARAM_NAMES}
    h = h0
    for start in range(0, T, k):
        _, window = rnn_forward(params, xs[start : start + k], h)
        grads = rnn_backward(params, window, dys[start : start + k])
        for name in PARAM_NAMES:
            total[name] += grads[name]
        h = window.hs[-1]
    for name in PARAM_NAMES:
        assert np.allclose(total[name], truncated[name], atol=1e-12), name


def test_truncation_blocks_gradient_from_a_late_loss_to_early_inputs(problem):
    params, xs, h0, _ = problem
    ys, cache = rnn_forward(params, xs, h0)
    dys = np.zeros_like(ys)
    dys[-1] = 1.0  # loss only at the last step
    grads = rnn_backward(params, cache, dys, k=2)
    last_window_start = ((T - 1) // 2) * 2
    assert np.all(grads["h"][:last_window_start] == 0)
    assert np.all(grads["h0"] == 0)
    assert np.any(grads["h"][last_window_start:] != 0)


def test_bptt_memory_grows_with_k_up_to_T():
    assert bptt_memory(100, 2, 3, 4) == 2 * (100 * 7 + 4)
    assert bptt_memory(100, 2, 3, 4, k=10) == 2 * (10 * 7 + 4)
    assert bptt_memory(100, 2, 3, 4, k=500) == bptt_memory(100, 2, 3, 4)


def test_init_params_shapes_and_seed():
    params = init_params(3, 4, 5, seed=7)
    assert check_params(params) == (3, 4, 5)
    assert all(np.array_equal(params[n], init_params(3, 4, 5, seed=7)[n]) for n in PARAM_NAMES)
    assert not np.array_equal(params["W_hh"], init_params(3, 4, 5, seed=8)["W_hh"])
    assert np.array_equal(params["b_h"], np.zeros(4))
    assert abs(init_params(3, 400, 5, seed=0, sigma=0.5)["W_hh"].std() - 0.5) < 0.01


def test_relative_error_is_scale_free():
    a = np.array([1.0, 2.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0
    assert relative_error(1e6 * a, 1e6 * a * (1 + 1e-9)) == pytest.approx(relative_error(a, a * (1 + 1e-9)))


# ---- training by hand


def test_delayed_copy_task_targets_are_the_inputs_delay_steps_back():
    xs, targets = delayed_copy_task(5, 10, 3, num_symbols=4, seed=0)
    assert xs.shape == (10, 5, 4) and targets.shape == (10, 5)
    assert np.array_equal(xs.sum(axis=-1), np.ones((10, 5)))
    assert np.all(targets[:3] == -1)
    assert np.array_equal(targets[3:], xs.argmax(axis=-1)[:-3])
    assert np.array_equal(xs, delayed_copy_task(5, 10, 3, seed=0)[0])


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_fit_lowers_the_loss_of_a_short_delay_task(optimizer):
    params = init_params(4, 16, 4, seed=0)
    lr = 0.02 if optimizer == "adam" else 0.5
    losses = fit(
        params,
        lambda step: delayed_copy_task(16, 8, 1, seed=step),
        60,
        lr=lr,
        optimizer=optimizer,
        progress=False,
    )
    assert len(losses) == 60
    assert np.mean(losses[-10:]) < 0.7 * np.mean(losses[:10])


def test_delay_accuracy_learns_a_delay_inside_the_window_and_not_beyond_it():
    """A short run of chapter 5's experiment: delay 1 fits in windows of 2 steps, delay 3 does not."""
    inside = delay_accuracy(1, 2, steps=120, hidden_size=16, T=10)
    beyond = delay_accuracy(3, 2, steps=120, hidden_size=16, T=10)
    full = delay_accuracy(3, None, steps=120, hidden_size=16, T=10)
    assert inside > 0.9 and full > 0.9 and beyond < full - 0.25


def test_delay_accuracy_repeats_with_a_seed_and_differs_between_seeds():
    a = delay_accuracy(3, None, steps=5, hidden_size=8, T=8, seed=1)
    assert a == delay_accuracy(3, None, steps=5, hidden_size=8, T=8, seed=1)
    assert a != delay_accuracy(3, None, steps=5, hidden_size=8, T=8, seed=2)
    assert 0.0 <= a <= 1.0


def test_delay_accuracy_rejects_bad_arguments():
    with pytest.raises(ValueError, match="delay must be < T=8"):
        delay_accuracy(8, 4, T=8)
    with pytest.raises(ValueError, match="k must be >= 1"):
        delay_accuracy(2, 0)
    with pytest.raises(TypeError, match="k must be a positive integer or None"):
        delay_accuracy(2, 2.5)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        delay_accuracy(2, 4, seed=-1)


def test_training_and_task_helpers_reject_bad_arguments():
    params = init_params(4, 8, 4, seed=0)
    with pytest.raises(ValueError, match="delay must be < T=5 .*got 5"):
        delayed_copy_task(2, 5, 5)
    with pytest.raises(ValueError, match="num_symbols must be >= 2, got 1"):
        delayed_copy_task(2, 5, 1, num_symbols=1)
    with pytest.raises(ValueError, match="optimizer must be 'adam' or 'sgd', got 'rmsprop'"):
        fit(params, lambda s: delayed_copy_task(2, 5, 1), 1, optimizer="rmsprop")
    with pytest.raises(ValueError, match="k must be >= 1"):
        fit(params, lambda s: delayed_copy_task(2, 5, 1), 1, k=0)
    with pytest.raises(ValueError, match="lr must be > 0.0, got 0.0"):
        fit(params, lambda s: delayed_copy_task(2, 5, 1), 1, lr=0.0)


# ---- bad input


def test_forward_rejects_wrong_feature_size(problem):
    params, xs, h0, _ = problem
    with pytest.raises(ValueError, match=r"input_size=3 features.*got 4"):
        rnn_forward(params, np.zeros((T, B, 4)), h0)


def test_forward_rejects_two_dimensional_xs_with_a_hint(problem):
    params, _, _, _ = problem
    with pytest.raises(ValueError, match=r"\(T, batch, input_size=3\), got \(7, 3\).*xs\[:, None, :\]"):
        rnn_forward(params, np.zeros((T, I)))


def test_forward_rejects_h0_of_wrong_shape(problem):
    params, xs, _, _ = problem
    with pytest.raises(ValueError, match=r"h0 must have shape .* \(2, 4\), got \(4,\)"):
        rnn_forward(params, xs, np.zeros(H))


@pytest.mark.parametrize("where", ["xs", "h0", "W_hh"])
def test_nan_anywhere_is_rejected(problem, where):
    params, xs, h0, _ = problem
    params, xs, h0 = dict(params), xs.copy(), h0.copy()
    target = {"xs": xs, "h0": h0, "W_hh": params["W_hh"] if where != "W_hh" else params["W_hh"].copy()}[where]
    target.flat[0] = np.nan
    if where == "W_hh":
        params["W_hh"] = target
    name = {"xs": "xs", "h0": "h0", "W_hh": r"params\['W_hh'\]"}[where]
    with pytest.raises(ValueError, match=rf"{name} must be finite, got 1 NaN"):
        rnn_forward(params, xs, h0)


def test_params_with_inconsistent_shapes_are_rejected(problem):
    params = dict(problem[0])
    params["W_hh"] = np.zeros((4, 5))
    with pytest.raises(ValueError, match=r"params\['W_hh'\] must have shape \(4, 4\), got \(4, 5\)"):
        rnn_forward(params, problem[1])
    with pytest.raises(ValueError, match=r"missing \['b_y'\]"):
        check_params({n: problem[0][n] for n in PARAM_NAMES[:-1]})
    with pytest.raises(TypeError, match="params must be a dict"):
        check_params([1, 2])


@pytest.mark.parametrize("k", [0, -3])
def test_backward_rejects_k_below_one(problem, k):
    params, xs, h0, targets = problem
    ys, cache = rnn_forward(params, xs, h0)
    dys = softmax_cross_entropy(ys, targets)[1]
    with pytest.raises(ValueError, match=rf"k must be >= 1 .*got {k}"):
        rnn_backward(params, cache, dys, k=k)


def test_backward_rejects_non_integer_k_and_bad_dys(problem):
    params, xs, h0, _ = problem
    ys, cache = rnn_forward(params, xs, h0)
    with pytest.raises(TypeError, match=r"k must be a positive integer or None \(full BPTT\), got float 2.5"):
        rnn_backward(params, cache, np.zeros_like(ys), k=2.5)
    with pytest.raises(ValueError, match=r"dys must have shape .* \(7, 2, 5\), got \(7, 2, 4\)"):
        rnn_backward(params, cache, np.zeros((T, B, 4)))
    bad = np.zeros_like(ys)
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="dys must be finite"):
        rnn_backward(params, cache, bad)
    with pytest.raises(TypeError, match="cache must be the Cache"):
        rnn_backward(params, {"hs": cache.hs}, np.zeros_like(ys))


def test_losses_reject_bad_targets():
    ys = np.zeros((T, B, O))
    with pytest.raises(ValueError, match=r"targets must have shape \(T, batch\) = \(7, 2\), got \(7,\)"):
        softmax_cross_entropy(ys, np.zeros(T, dtype=int))
    with pytest.raises(ValueError, match="targets must be < output_size=5, got max 5"):
        softmax_cross_entropy(ys, np.full((T, B), 5))
    with pytest.raises(ValueError, match="nothing to score"):
        softmax_cross_entropy(ys, np.full((T, B), -1))
    with pytest.raises(TypeError, match="integer class indices"):
        softmax_cross_entropy(ys, np.zeros((T, B)))
    with pytest.raises(ValueError, match=r"targets must have the shape of ys \(7, 2, 5\), got \(7, 2\)"):
        squared_error(ys, np.zeros((T, B)))


def test_other_helpers_reject_bad_arguments():
    with pytest.raises(ValueError, match="hidden_size must be >= 1, got 0"):
        init_params(3, 0, 5)
    with pytest.raises(ValueError, match="sigma must be > 0.0, got -1.0"):
        init_params(3, 4, 5, sigma=-1.0)
    with pytest.raises(ValueError, match="eps must be > 0.0, got 0.0"):
        numerical_gradient(lambda: 0.0, {}, eps=0.0)
    with pytest.raises(TypeError, match=r"arrays\['w'\] must be a float64 NumPy array"):
        numerical_gradient(lambda: 0.0, {"w": np.zeros(2, dtype=np.float32)})
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="k must be >= 1"):
        bptt_memory(10, 1, 1, 1, k=0)
