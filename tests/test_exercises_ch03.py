"""The chapter 3 checkers pass right answers and fail the classic mistakes, each for a reason."""

from __future__ import annotations

import numpy as np

from seqmodels.exercises.ch03 import check_perceptron_forward, check_tanh_grad, check_two_layer_backward
from seqmodels.perceptron import Perceptron, TwoLayerNet, sigmoid, sigmoid_grad, tanh_grad

# ---- tanh derivative


def test_tanh_grad_accepts_one_minus_tanh_squared(capsys):
    assert check_tanh_grad(lambda z: 1 - np.tanh(z) ** 2)
    assert "PASS: check_tanh_grad: 4/4" in capsys.readouterr().out


def test_tanh_grad_rejects_the_classic_mistakes():
    assert not check_tanh_grad(lambda z: 1 - np.tanh(z))  # forgot the square
    assert not check_tanh_grad(lambda z: 1 - z**2)  # squared z instead of g(z)
    assert not check_tanh_grad(sigmoid_grad)  # the sigmoid's slope
    assert not check_tanh_grad(lambda z: (1 - np.tanh(z) ** 2).ravel())  # lost the shape


def test_tanh_grad_fails_an_answer_that_calls_the_package(capsys):
    assert not check_tanh_grad(lambda z: tanh_grad(z))
    assert "it calls seqmodels.perceptron.tanh_grad" in capsys.readouterr().out


def test_tanh_grad_reports_an_unfinished_answer_without_raising(capsys):
    def unfinished(z):
        raise NotImplementedError("replace this line with your code")

    assert not check_tanh_grad(unfinished)
    out = capsys.readouterr().out
    assert "raised NotImplementedError" in out and "FAIL: check_tanh_grad: 0/4" in out


# ---- perceptron forward pass


def stable_forward(X, W, w0):
    z = w0 + X @ W
    e = np.exp(-np.abs(z))  # at most 1: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def test_perceptron_forward_accepts_a_stable_sigmoid(capsys):
    assert check_perceptron_forward(stable_forward)
    assert "PASS: check_perceptron_forward: 5/5" in capsys.readouterr().out


def test_perceptron_forward_fails_the_naive_sigmoid_because_it_overflows(capsys):
    naive = lambda X, W, w0: 1 / (1 + np.exp(-(w0 + X @ W)))  # noqa: E731
    verdict = check_perceptron_forward(naive)
    out = capsys.readouterr().out
    assert not verdict and (verdict.passed, verdict.total) == (3, 5)
    assert "✗ z = ±800" in out and "overflow" in out


def test_perceptron_forward_fails_an_np_where_that_evaluates_the_overflowing_branch():
    def both_branches(X, W, w0):
        z = w0 + X @ W
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    assert not check_perceptron_forward(both_branches)


def test_perceptron_forward_rejects_the_classic_mistakes():
    assert not check_perceptron_forward(lambda X, W, w0: stable_forward(X, W, 0.0))  # forgot the bias
    assert not check_perceptron_forward(lambda X, W, w0: w0 + X @ W)  # forgot g
    assert not check_perceptron_forward(lambda X, W, w0: stable_forward(X.T, W, w0))  # X^T W for a batch


def test_perceptron_forward_fails_answers_that_call_the_package(capsys):
    def with_the_package(X, W, w0):
        neuron = Perceptron(X.shape[1])
        neuron.W, neuron.w0 = W, w0
        return neuron.forward(X)

    assert not check_perceptron_forward(lambda X, W, w0: sigmoid(w0 + X @ W))
    assert not check_perceptron_forward(with_the_package)
    out = capsys.readouterr().out
    assert "it calls seqmodels.perceptron.sigmoid" in out and "write it yourself" in out


def test_perceptron_forward_leaves_numpy_error_handling_as_it_was():
    before = np.geterr()
    check_perceptron_forward(stable_forward)
    assert np.geterr() == before


# ---- two-layer backward pass


def two_layer_backward(X, y, W1, b1, W2, b2, mistake=None):
    n = len(X)
    a = X @ W1 + b1
    h = np.tanh(a)
    z = h @ W2 + b2
    y_hat = stable_forward(h, W2, b2)
    dz = (y_hat - y) / (1 if mistake == "sum, not mean" else n)
    if mistake == "z - y":
        dz = (z - y) / n
    dh = np.outer(dz, W2)
    slope = {"no g'": 1.0, "g' of a": 1 - a**2}.get(mistake, 1 - h**2)
    da = dh * slope
    grads = {"W1": X.T @ da, "b1": da.sum(axis=0), "W2": h.T @ dz, "b2": dz.sum()}
    if mistake == "b1 not summed":
        grads["b1"] = da
    if mistake == "W1 transposed":
        grads["W1"] = da.T @ X
    if mistake == "no b2":
        del grads["b2"]
    return grads


def test_two_layer_backward_accepts_the_chain_rule(capsys):
    assert check_two_layer_backward(two_layer_backward)
    assert "PASS: check_two_layer_backward: 3/3" in capsys.readouterr().out


def test_two_layer_backward_rejects_each_classic_mistake(capsys):
    for mistake in ["sum, not mean", "z - y", "no g'", "g' of a", "b1 not summed", "W1 transposed", "no b2"]:
        verdict = check_two_layer_backward(lambda *args: two_layer_backward(*args, mistake=mistake))
        assert not verdict, mistake
    out = capsys.readouterr().out
    assert "'b1': expected an array of shape (2,), got shape (5, 2)" in out
    assert "'b2' is missing" in out


def test_two_layer_backward_fails_an_answer_that_calls_the_package(capsys):
    def with_the_package(X, y, W1, b1, W2, b2):
        net = TwoLayerNet(X.shape[1], W1.shape[1])
        net.params = {"W1": W1, "b1": b1, "W2": W2, "b2": np.asarray(b2)}
        return net.backward(X, y)[1]

    assert not check_two_layer_backward(with_the_package)
    assert "it calls seqmodels.perceptron.TwoLayerNet.backward" in capsys.readouterr().out


def test_two_layer_backward_rejects_a_tuple_instead_of_a_dict(capsys):
    assert not check_two_layer_backward(lambda *args: tuple(two_layer_backward(*args).values()))
    assert "expected a dict with keys ['W1', 'W2', 'b1', 'b2'], got tuple" in capsys.readouterr().out


def test_perceptron_forward_rejects_a_non_function():
    import pytest

    with pytest.raises(TypeError, match="expects a function"):
        check_perceptron_forward(42)
