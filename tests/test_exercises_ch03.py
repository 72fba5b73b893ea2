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


# ---- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

import pytest  # noqa: E402
import torch  # noqa: E402

from seqmodels.exercises import exercise, score  # noqa: E402


def tanh_grad_by_autograd(z):
    t = torch.tensor(z, requires_grad=True)
    torch.tanh(t).sum().backward()
    return t.grad.numpy()


def forward_naive_with_errstate_ignored(X, W, w0):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-(w0 + X @ W)))


def forward_naive_with_seterr_ignored(X, W, w0):
    old = np.seterr(all="ignore")
    try:
        return 1 / (1 + np.exp(-(w0 + X @ W)))
    finally:
        np.seterr(**old)


def forward_naive_in_longdouble(X, W, w0):
    z = (w0 + X @ W).astype(np.longdouble)
    return (1 / (1 + np.exp(-z))).astype(np.float64)


def forward_by_torch_sigmoid(X, W, w0):
    return torch.sigmoid(torch.from_numpy(w0 + X @ W)).numpy()


def forward_by_nn_sigmoid(X, W, w0):
    return torch.nn.Sigmoid()(torch.from_numpy(w0 + X @ W)).numpy()


def forward_retry_after_the_guard(X, W, w0):
    try:
        return sigmoid(w0 + X @ W)
    except Exception:
        return sigmoid(w0 + X @ W)


def backward_by_autograd(X, y, W1, b1, W2, b2):
    p = {
        k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True)
        for k, v in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2))
    }
    z = torch.tanh(torch.from_numpy(X) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(y)).backward()
    return {k: v.grad.numpy() if v.grad.ndim else float(v.grad) for k, v in p.items()}


def backward_by_torch_func_grad(X, y, W1, b1, W2, b2):
    def loss(params):
        z = torch.tanh(torch.from_numpy(X) @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
        return torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(y))

    params = {
        k: torch.tensor(np.asarray(v, dtype=np.float64))
        for k, v in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2))
    }
    return {k: v.numpy() for k, v in torch.func.grad(loss)(params).items()}


def backward_retry_after_the_guard(X, y, W1, b1, W2, b2):
    net = TwoLayerNet(X.shape[1], len(b1))
    try:
        net.backward(X, y)
    except Exception:
        pass
    return two_layer_backward(X, y, W1, b1, W2, b2)


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_tanh_grad, tanh_grad_by_autograd),
        (check_perceptron_forward, forward_naive_with_errstate_ignored),
        (check_perceptron_forward, forward_naive_with_seterr_ignored),
        (check_perceptron_forward, forward_naive_in_longdouble),
        (check_perceptron_forward, forward_by_torch_sigmoid),
        (check_perceptron_forward, forward_by_nn_sigmoid),
        (check_perceptron_forward, forward_retry_after_the_guard),
        (check_two_layer_backward, backward_by_autograd),
        (check_two_layer_backward, backward_by_torch_func_grad),
        (check_two_layer_backward, backward_retry_after_the_guard),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_false_pass_of_the_review_now_fails(checker, wrong, capsys):
    assert not checker(wrong)
    capsys.readouterr()


def test_the_guard_names_what_was_called(capsys):
    check_perceptron_forward(forward_naive_with_errstate_ignored)
    check_perceptron_forward(forward_by_torch_sigmoid)
    check_tanh_grad(tanh_grad_by_autograd)
    out = capsys.readouterr().out
    assert "it calls numpy.errstate.__enter__" in out and "it calls torch.sigmoid" in out
    assert "it calls torch.autograd.backward" in out


@pytest.mark.parametrize(
    "checker, solution",
    [
        (check_tanh_grad, lambda z: 1 - np.tanh(z) ** 2),
        (check_perceptron_forward, stable_forward),
        (check_two_layer_backward, two_layer_backward),
    ],
    ids=["tanh derivative in float32", "perceptron forward in float32", "two-layer backward in float32"],
)
def test_a_false_fail_of_the_review_now_passes(checker, solution, float32, capsys):
    assert checker(float32(solution))
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution",
    [("3.1", lambda z: 1 - np.tanh(z) ** 2), ("3.2", stable_forward), ("3.3", two_layer_backward)],
    ids=["3.1", "3.2", "3.3"],
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
