"""Tests for seqmodels.perceptron: activations, the perceptron, the two-layer net, toy data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from seqmodels.perceptron import (
    NextCharFeedForward,
    Perceptron,
    RosenblattPerceptron,
    TwoLayerNet,
    accuracy,
    decision_grid,
    get_activation,
    linear,
    linear_grad,
    logistic_loss,
    make_rings,
    make_separable_points,
    make_xor,
    next_char_metrics,
    pair_counts,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_grad,
    train_next_char,
)

# A grid with small, moderate and very large |z|, plus the kink of ReLU at 0.
Z = np.concatenate([np.linspace(-8, 8, 161), [-1000.0, -700.0, -50.0, -30.0, 30.0, 50.0, 700.0, 1000.0]])

TORCH = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
OURS = {"sigmoid": (sigmoid, sigmoid_grad), "tanh": (tanh, tanh_grad), "relu": (relu, relu_grad)}


# --------------------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activation_equals_torch_in_float64(name):
    g, _ = OURS[name]
    expected = TORCH[name](torch.tensor(Z, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(g(Z), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_derivative_equals_autograd_to_1e10_including_large_z(name):
    _, g_grad = OURS[name]
    z = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    TORCH[name](z).sum().backward()
    np.testing.assert_allclose(g_grad(Z), z.grad.numpy(), rtol=0, atol=1e-10)


def test_derivatives_follow_the_lecture_formulas():
    s, t = sigmoid(Z), tanh(Z)
    np.testing.assert_allclose(sigmoid_grad(Z), s * (1 - s), atol=0)
    np.testing.assert_allclose(tanh_grad(Z), 1 - t**2, atol=0)
    np.testing.assert_array_equal(relu_grad(Z), (Z > 0).astype(float))
    assert relu_grad(0.0) == 0.0


def test_sigmoid_is_stable_for_large_z_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            values = sigmoid(np.array([-1e6, -1000.0, 1000.0, 1e6]))
    np.testing.assert_array_equal(values, [0.0, 0.0, 1.0, 1.0])
    assert sigmoid(-40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_activations_keep_shape_and_accept_scalars_and_lists():
    z = np.arange(6.0).reshape(2, 3) - 2
    for g, g_grad in (OURS["sigmoid"], OURS["tanh"], OURS["relu"], (linear, linear_grad)):
        assert g(z).shape == (2, 3) and g_grad(z).shape == (2, 3)
    assert float(sigmoid(0)) == 0.5
    np.testing.assert_array_equal(relu([-1, 2]), [0.0, 2.0])
    np.testing.assert_array_equal(linear_grad([3.0, -1.0]), [1.0, 1.0])


def test_derivatives_are_small_where_activations_saturate():
    assert sigmoid_grad(0.0) == 0.25 and tanh_grad(0.0) == 1.0
    assert sigmoid_grad(10.0) < 1e-4 and tanh_grad(10.0) < 1e-8
    assert relu_grad(10.0) == 1.0  # ReLU does not saturate for z > 0


def test_get_activation_rejects_unknown_names():
    assert get_activation("tanh") == (tanh, tanh_grad)
    with pytest.raises(ValueError, match="activation must be one of .*got 'softsign'"):
        get_activation("softsign")


# --------------------------------------------------------------------------- the perceptron


def test_perceptron_forward_is_sigmoid_of_bias_plus_weighted_sum():
    p = Perceptron(3, seed=1)
    p.w0 = 0.2
    X = np.array([[1.0, -2.0, 0.5], [0.0, 0.0, 0.0]])
    expected = 1 / (1 + np.exp(-(0.2 + X @ p.W)))
    np.testing.assert_allclose(p.forward(X), expected, atol=1e-15)
    np.testing.assert_array_equal(p.predict(X), (expected >= 0.5).astype(int))


def test_perceptron_separates_separable_points_perfectly():
    X, y = make_separable_points(200, seed=0)
    p = Perceptron(2)
    losses = p.fit(X, y, learning_rate=1.0, epochs=500)
    assert accuracy(p, X, y) == 1.0
    assert losses[-1] < losses[0] / 5


def test_fit_returns_the_loss_before_training_and_after_every_step():
    X, y = make_separable_points(50, seed=1)
    p = Perceptron(2)
    losses = p.fit(X, y, epochs=7)
    assert len(losses) == 8 and losses[-1] == p.loss(X, y)
    net = TwoLayerNet(2, 3)
    first = net.loss(X, y)
    losses = net.fit(X, y, epochs=5)
    assert len(losses) == 6 and losses[0] == first and losses[-1] == net.loss(X, y)


def test_rosenblatt_rule_stops_once_a_line_separates_the_points():
    X, y = make_separable_points(200, seed=0)
    unit = RosenblattPerceptron(2)
    mistakes = unit.fit(X, y)
    assert mistakes[-1] == 0 and all(m > 0 for m in mistakes[:-1])
    assert accuracy(unit, X, y) == 1.0
    assert set(np.unique(unit.forward(X))) <= {0.0, 1.0}  # a step, not a probability


def test_rosenblatt_rule_updates_only_on_mistakes():
    unit = RosenblattPerceptron(2)
    X, y = np.array([[1.0, 2.0], [-1.0, -1.0]]), np.array([1, 0])
    assert unit.fit(X, y, max_epochs=1) == [1]  # (1, 2) is right at z = 0, (-1, -1) is not
    np.testing.assert_array_equal(unit.W, [1.0, 1.0])
    assert unit.w0 == -1.0


def test_rosenblatt_rule_never_settles_on_rings():
    X, y = make_rings(200, seed=0)
    unit = RosenblattPerceptron(2)
    mistakes = unit.fit(X, y, max_epochs=30)
    assert len(mistakes) == 30 and min(mistakes) > 0


def test_rosenblatt_perceptron_checks_its_inputs():
    with pytest.raises(ValueError, match="num_inputs must be >= 1"):
        RosenblattPerceptron(0)
    unit = RosenblattPerceptron(2)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        unit.fit(np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="max_epochs must be >= 1"):
        unit.fit(np.zeros((3, 2)), np.zeros(3), max_epochs=0)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        unit.fit(np.zeros((3, 2)), np.zeros(3), learning_rate=0.0)


def test_perceptron_gradient_equals_autograd():
    X, y = make_rings(50, seed=2)
    p = Perceptron(2, seed=4)
    W = torch.tensor(p.W, requires_grad=True)
    w0 = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        w0 + torch.tensor(X) @ W, torch.tensor(y, dtype=torch.float64)
    )
    loss.backward()
    assert p.loss(X, y) == pytest.approx(loss.item(), abs=1e-12)
    p.fit(X, y, learning_rate=1.0, epochs=1)  # one step: W_new = W - grad
    np.testing.assert_allclose(W.detach().numpy() - p.W, W.grad.numpy(), atol=1e-12)
    assert -p.w0 == pytest.approx(w0.grad.item(), abs=1e-12)


def test_perceptron_cannot_separate_rings():
    X, y = make_rings(200, seed=0)
    p = Perceptron(2)
    p.fit(X, y, epochs=300)
    assert accuracy(p, X, y) < 0.75


def test_logistic_loss_is_stable_and_matches_torch():
    z = np.array([-800.0, -3.0, 0.0, 2.0, 800.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y)).item()
    assert logistic_loss(z, y) == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- two layers


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_two_layer_backward_equals_autograd(activation):
    X, y = make_rings(40, seed=1)
    net = TwoLayerNet(2, 5, activation=activation, seed=3)
    loss, grads = net.backward(X, y)
    params = {k: torch.tensor(v, requires_grad=True) for k, v in net.params.items()}
    g = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda a: a}[activation]
    h = g(torch.tensor(X) @ params["W1"] + params["b1"])
    z = h @ params["W2"] + params["b2"]
    expected = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y, dtype=torch.float64))
    expected.backward()
    assert loss == pytest.approx(expected.item(), abs=1e-12)
    for name, p in params.items():
        assert grads[name].shape == net.params[name].shape
        np.testing.assert_allclose(grads[name], p.grad.numpy(), rtol=0, atol=1e-10, err_msg=name)


def test_two_layer_net_learns_rings_but_linear_activation_cannot():
    X, y = make_rings(200, seed=0)
    tanh_net = TwoLayerNet(2, 4, activation="tanh")
    tanh_net.fit(X, y)
    assert accuracy(tanh_net, X, y) == 1.0
    linear_net = TwoLayerNet(2, 8, activation="linear")
    linear_net.fit(X, y, epochs=300)
    assert accuracy(linear_net, X, y) < 0.75


def test_two_layer_net_learns_xor():
    X, y = make_xor(100, seed=0)
    net = TwoLayerNet(2, 4, activation="relu")
    net.fit(X, y, epochs=1000)
    assert accuracy(net, X, y) == 1.0


def test_same_seed_gives_same_weights_and_training():
    a, b = TwoLayerNet(2, 3, seed=7), TwoLayerNet(2, 3, seed=7)
    X, y = make_xor(40)
    assert a.fit(X, y, epochs=20) == b.fit(X, y, epochs=20)
    assert not np.array_equal(TwoLayerNet(2, 3, seed=8).params["W1"], TwoLayerNet(2, 3, seed=7).params["W1"])


def test_decision_grid_shapes_and_probabilities():
    net = TwoLayerNet(2, 3)
    xx, yy, probs = decision_grid(net, lim=1.0, num=11)
    assert xx.shape == yy.shape == probs.shape == (11, 11)
    assert xx[0, 0] == -1.0 and yy[-1, 0] == 1.0
    assert np.all((probs > 0) & (probs < 1))


# --------------------------------------------------------------------------- toy data


@pytest.mark.parametrize("make", [make_separable_points, make_rings, make_xor])
def test_toy_data_is_seeded_balanced_and_labelled_0_1(make):
    X, y = make(200, seed=5)
    X2, y2 = make(200, seed=5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0, 1}
    assert 0.3 < y.mean() < 0.7
    assert not np.array_equal(make(200, seed=6)[0], X)


def test_separable_points_keep_their_margin_from_the_line():
    X, y = make_separable_points(300, margin=0.15, seed=1)
    normal = np.array([-0.5, 1.0]) / np.hypot(0.5, 1.0)
    distance = X @ normal - 0.1 / np.hypot(0.5, 1.0)
    assert np.all(np.abs(distance) >= 0.15)
    np.testing.assert_array_equal(y, (distance > 0).astype(int))


def test_rings_put_green_inside_and_red_outside():
    X, y = make_rings(400, noise=0.05, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() <= 0.5 and r[y == 0].min() > 0.7


# --------------------------------------------------------------------------- bad input


def test_wrong_X_shape_raises():
    p = Perceptron(2)
    with pytest.raises(ValueError, match=r"X must have shape \(n, m\).*got shape \(3,\)"):
        p.forward(np.zeros(3))
    with pytest.raises(ValueError, match=r"X must have 2 columns.*got shape \(4, 3\)"):
        p.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"X must have 2 columns"):
        TwoLayerNet(2, 3).backward(np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        p.forward([["a", "b"]])


def test_labels_outside_0_1_raise():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"y must contain only the labels 0 and 1, got \[-1, 2\]"):
        Perceptron(2).fit(X, np.array([-1, 0, 2]))
    with pytest.raises(ValueError, match="y must contain only the labels 0 and 1"):
        TwoLayerNet(2, 2).fit(X, np.array(["a", "b", "c"]))
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        Perceptron(2).loss(X, np.zeros(4))


@pytest.mark.parametrize("lr", [0, -0.1])
def test_non_positive_learning_rate_raises(lr):
    X, y = make_xor(8)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        Perceptron(2).fit(X, y, learning_rate=lr)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        TwoLayerNet(2, 2).fit(X, y, learning_rate=lr)


def test_nan_or_infinite_inputs_raise():
    X, y = make_xor(8)
    for bad in (np.nan, np.inf):
        X_bad = X.copy()
        X_bad[3, 1] = bad
        with pytest.raises(ValueError, match="X contains NaN or infinite values"):
            Perceptron(2).fit(X_bad, y)
        with pytest.raises(ValueError, match="X contains NaN or infinite values"):
            TwoLayerNet(2, 2).forward(X_bad)


def test_bad_constructor_and_generator_arguments_raise():
    with pytest.raises(ValueError, match="num_inputs must be >= 1, got 0"):
        Perceptron(0)
    with pytest.raises(TypeError, match="num_hidden must be an integer"):
        TwoLayerNet(2, 2.5)
    with pytest.raises(ValueError, match="activation must be one of"):
        TwoLayerNet(2, 2, activation="step")
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        Perceptron(2).fit(*make_xor(8), epochs=0)
    with pytest.raises(ValueError, match="num_points must be >= 2"):
        make_rings(1)
    with pytest.raises(ValueError, match="margin must be <= 0.5"):
        make_separable_points(10, margin=0.7)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_xor(10, noise=-1)
    with pytest.raises(ValueError, match="lim must be > 0"):
        decision_grid(Perceptron(2), lim=0)


# --------------------------------------------------------------------------- one time step at a time


def test_pair_counts_counts_each_successor():
    counts = pair_counts([0, 1, 0, 1, 2], 3)
    expected = np.array([[0, 2, 0], [1, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(counts.numpy(), expected)


def test_count_weighted_loss_equals_the_mean_over_every_position():
    ids = np.random.default_rng(0).integers(0, 7, size=500)
    torch.manual_seed(0)
    model = NextCharFeedForward(7, embed_dim=3, num_hidden=5)
    per_position, _ = next_char_metrics(model, ids)
    first_loss = train_next_char(model, ids, steps=1, progress=False)[0]
    assert first_loss == pytest.approx(per_position, abs=1e-6)


def test_next_char_model_learns_a_deterministic_successor():
    torch.manual_seed(0)
    ids = np.tile(np.arange(5), 40)  # 0 1 2 3 4 0 1 2 ...: the next id is a function of this one
    model = NextCharFeedForward(5, embed_dim=4, num_hidden=8)
    losses = train_next_char(model, ids, steps=150, learning_rate=0.05, progress=False)
    assert losses[-1] < losses[0] / 5
    nats, acc = next_char_metrics(model, ids)
    assert acc == 1.0 and nats < 0.1
    assert model(torch.tensor([[0, 1], [2, 3]])).shape == (2, 2, 5)


def test_train_next_char_returns_the_loss_before_training_and_after_every_step():
    ids = np.tile(np.arange(4), 20)
    torch.manual_seed(0)
    model = NextCharFeedForward(4, embed_dim=3, num_hidden=5)
    losses = train_next_char(model, ids, steps=3, progress=False)
    assert len(losses) == 4
    assert losses[-1] == pytest.approx(next_char_metrics(model, ids)[0], abs=1e-6)


def test_next_char_model_cannot_beat_the_bigram_entropy():
    # a b a c a b a c ...: after 'a' comes b or c, and only x_{t-1} would tell which.
    ids = np.tile([0, 1, 0, 2], 50)
    torch.manual_seed(0)
    model = NextCharFeedForward(3, embed_dim=4, num_hidden=8)
    train_next_char(model, ids, steps=300, learning_rate=0.05, progress=False)
    nats, acc = next_char_metrics(model, ids)
    counts = pair_counts(ids, 3).numpy()
    probs = counts / counts.sum(axis=1, keepdims=True)
    seen = counts > 0
    bigram_nats = -(counts[seen] * np.log(probs[seen])).sum() / counts.sum()  # about 0.5 log 2
    assert bigram_nats == pytest.approx(0.5 * np.log(2), abs=0.005)
    assert bigram_nats - 1e-9 <= nats < bigram_nats + 0.01
    assert acc <= 0.76


def test_next_char_training_is_deterministic_and_keeps_thread_setting():
    ids = np.tile([0, 1, 0, 2], 20)
    threads = torch.get_num_threads()
    runs = []
    for _ in range(2):
        torch.manual_seed(1)
        runs.append(train_next_char(NextCharFeedForward(3), ids, steps=5, progress=False))
    assert runs[0] == runs[1]
    assert torch.get_num_threads() == threads


def test_next_char_bad_input_raises():
    model = NextCharFeedForward(3)
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 3\), got values from 0 to 5"):
        next_char_metrics(model, [0, 1, 5])
    with pytest.raises(ValueError, match="ids must be a 1-D sequence of at least 2"):
        next_char_metrics(model, [1])
    with pytest.raises(TypeError, match="ids must be integers"):
        train_next_char(model, np.array([0.0, 1.0]), progress=False)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        train_next_char(model, [0, 1, 2], learning_rate=0, progress=False)
    with pytest.raises(ValueError, match="vocab_size must be >= 1"):
        NextCharFeedForward(0)


@pytest.mark.parametrize("use", ["train", "metrics"])
def test_the_next_char_model_is_fed_on_its_own_device(use, devices_fed):
    ids = np.tile(np.arange(5), 4)
    call = {
        "train": lambda m: train_next_char(m, ids, steps=1, progress=False),
        "metrics": lambda m: next_char_metrics(m, ids),
    }[use]
    assert devices_fed(NextCharFeedForward(5, embed_dim=2, num_hidden=3), call) == {torch.device("meta")}


# --------------------------------------------------------------------------- several seeds, the best line, dead units
from seqmodels.perceptron import best_line_accuracy, dead_units, fit_two_layer_seeds  # noqa: E402


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_fit_two_layer_seeds_ends_where_each_seeds_own_fit_ends(activation):
    X, y = make_rings(60, seed=1)
    nets = fit_two_layer_seeds(X, y, 3, activation=activation, seeds=(0, 4), epochs=150)
    for seed, net in zip((0, 4), nets):
        alone = TwoLayerNet(2, 3, activation=activation, seed=seed)
        alone.fit(X, y, epochs=150)
        for name, value in alone.params.items():
            np.testing.assert_allclose(net.params[name], value, rtol=0, atol=1e-10)
        assert net.params["b2"].shape == ()


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"seeds": ()}, ValueError),
        ({"seeds": "01"}, TypeError),
        ({"seeds": 3}, TypeError),
        ({"epochs": 0}, ValueError),
        ({"activation": "step"}, ValueError),
        ({"num_hidden": 0}, ValueError),
    ],
)
def test_fit_two_layer_seeds_checks_its_arguments(kwargs, error):
    X, y = make_rings(20, seed=0)
    args = {"num_hidden": 2, **kwargs}
    with pytest.raises(error):
        fit_two_layer_seeds(X, y, **args)


def test_best_line_accuracy_is_one_on_separable_points_and_matches_a_fine_search_on_rings():
    X, y = make_separable_points(80, seed=2)
    assert best_line_accuracy(X, y) == 1.0
    X, y = make_rings(60, seed=3)
    exact = best_line_accuracy(X, y)
    theta = np.linspace(0, np.pi, 2000, endpoint=False)
    proj = X @ np.stack([np.cos(theta), np.sin(theta)])
    found = 0.0
    for k in range(len(theta)):  # every threshold between two sorted projections, both orientations
        p = np.sort(proj[:, k])
        for t in np.concatenate([[p[0] - 1], (p[1:] + p[:-1]) / 2]):
            acc = np.mean((proj[:, k] > t) == (y == 1))
            found = max(found, acc, 1 - acc)
    assert found <= exact + 1e-12  # no line does better than the exact search
    assert exact - found < 0.05  # and a fine search gets close to it
    assert exact >= max(y.mean(), 1 - y.mean())


def test_best_line_accuracy_beats_logistic_regression_on_the_rings():
    """Minimising the logistic loss is not minimising the mistakes: the loss's line is far worse."""
    X, y = make_rings(200, seed=0)
    perceptron = Perceptron(num_inputs=2)
    perceptron.fit(X, y, learning_rate=1.0, epochs=300)
    assert best_line_accuracy(X, y) > accuracy(perceptron, X, y) + 0.1


@pytest.mark.parametrize(
    "X, error", [(np.zeros((5, 3)), ValueError), (np.zeros((1, 2)), ValueError), ("xy", TypeError)]
)
def test_best_line_accuracy_checks_its_points(X, error):
    with pytest.raises(error):
        best_line_accuracy(X, np.zeros(len(X) if not isinstance(X, str) else 2, dtype=int))


def test_dead_units_counts_relu_units_silent_on_every_point():
    X, y = make_rings(40, seed=0)
    net = TwoLayerNet(2, 3, activation="relu", seed=0)
    net.params["W1"][:, 1] = 0.0
    net.params["b1"][1] = -1.0  # unit 1 never fires
    net.params["W1"][:, 2] = 0.0
    net.params["b1"][2] = 0.5  # unit 2 always fires
    assert dead_units(net, X) == 1 + int(np.all(X @ net.params["W1"][:, 0] + net.params["b1"][0] <= 0))
    with pytest.raises(ValueError, match="only ReLU"):
        dead_units(TwoLayerNet(2, 2, activation="tanh"), X)
    with pytest.raises(TypeError, match="TwoLayerNet"):
        dead_units(Perceptron(2), X)
