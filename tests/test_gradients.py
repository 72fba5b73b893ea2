"""Gradient flow in a plain RNN: explicit Jacobian products, autograd, bounds, clipping, IRNN init."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from seqmodels.gradients import (
    clip_grad_norm,
    identity_init_,
    jacobian_norms,
    largest_singular_value,
    rnn_forward,
    rnn_weights,
    scaled_orthogonal,
    spectral_radius,
    state_gradients,
    state_gradients_autograd,
    state_jacobian_autograd,
    state_jacobians,
)

TOL = 1e-10


def _setup(n: int = 6, d: int = 3, T: int = 12, scale: float = 0.9, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    W_hh = scaled_orthogonal(n, scale, seed=seed)
    W_xh = torch.randn(n, d, generator=gen, dtype=torch.float64)
    X = torch.randn(T, d, generator=gen, dtype=torch.float64)
    h0 = 0.5 * torch.randn(n, generator=gen, dtype=torch.float64)
    return W_hh, W_xh, X, h0


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_jacobian_product_equals_autograd(activation):
    W_hh, W_xh, X, h0 = _setup(scale=1.3)
    explicit = state_jacobians(W_hh, W_xh, X, h0, activation)[-1]
    auto = state_jacobian_autograd(W_hh, W_xh, X, h0, activation)
    assert float((explicit - auto).abs().max()) < TOL


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_backward_recursion_of_state_gradients_equals_autograd(activation):
    W_hh, W_xh, X, h0 = _setup(scale=1.1)
    v = torch.linspace(-1, 1, 6, dtype=torch.float64)
    explicit = state_gradients(W_hh, W_xh, X, v, h0, activation)
    auto = state_gradients_autograd(W_hh, W_xh, X, v, h0, activation)
    assert explicit.shape == (13, 6)
    assert float((explicit - auto).abs().max()) < TOL


def test_state_gradient_at_h0_is_the_jacobian_transposed_times_the_loss_gradient():
    W_hh, W_xh, X, h0 = _setup()
    v = torch.ones(6, dtype=torch.float64)
    J = state_jacobians(W_hh, W_xh, X, h0)[-1]
    assert float((state_gradients(W_hh, W_xh, X, v, h0)[0] - J.T @ v).abs().max()) < TOL


def test_rnn_forward_matches_torch_rnn_without_bias():
    W_hh, W_xh, X, h0 = _setup()
    rnn = nn.RNN(3, 6, bias=False).double()
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(W_hh)
        rnn.weight_ih_l0.copy_(W_xh)
    H, A = rnn_forward(W_hh, W_xh, X, h0)
    out, _ = rnn(X, h0[None])
    assert H.shape == (13, 6) and A.shape == (12, 6)
    assert float((H[1:] - out).detach().abs().max()) < TOL


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_forward_with_the_weights_of_a_torch_rnn_with_bias_matches_it(nonlinearity):
    torch.manual_seed(0)
    rnn = nn.RNN(3, 6, nonlinearity=nonlinearity, batch_first=True)
    X = torch.randn(1, 12, 3)
    W_hh, W_xh, b = rnn_weights(rnn)
    H, _ = rnn_forward(W_hh, W_xh, X[0], activation=nonlinearity, bias=b)
    out, _ = rnn(X)
    assert float((H[1:] - out[0].double()).detach().abs().max()) < 1e-5
    assert bool((b != 0).any())
    autograd = state_jacobian_autograd(W_hh, W_xh, X[0], activation=nonlinearity)
    assert (
        float(
            (
                jacobian_norms(W_hh, W_xh, X[0], activation=nonlinearity, bias=torch.zeros(6))[-1]
                - torch.linalg.matrix_norm(autograd, ord=2)
            ).abs()
        )
        < TOL
    )


def test_rnn_weights_rejects_other_layers():
    with pytest.raises(TypeError, match="torch.nn.RNN"):
        rnn_weights(nn.GRU(2, 3))
    with pytest.raises(ValueError, match="one layer"):
        rnn_weights(nn.RNN(2, 3, num_layers=2))
    W_hh, _, b = rnn_weights(nn.RNN(2, 3, bias=False))
    assert W_hh.dtype == torch.float64 and bool((b == 0).all())
    with pytest.raises(ValueError, match="bias must have shape"):
        rnn_forward(W_hh, torch.zeros(3, 2), torch.zeros(4, 2), bias=torch.zeros(2))


@pytest.mark.parametrize("scale", [0.5, 0.9, 0.99])
def test_tanh_gradient_norm_is_at_most_scale_to_the_power_t(scale):
    # Pascanu et al. 2013: ||dh_T/dh_0|| <= (gamma * sigma_max)^T with gamma = 1 for tanh.
    W_hh, W_xh, X, h0 = _setup(T=30, scale=scale)
    norms = jacobian_norms(W_hh, W_xh, X, h0, "tanh")
    bound = scale ** np.arange(1, 31)
    assert np.all(norms <= bound * (1 + 1e-12))
    assert norms[-1] < 1e-1 if scale <= 0.9 else True


def test_sigmoid_gradient_vanishes_below_four():
    # gamma = 1/4 for the sigmoid: vanishing is guaranteed while sigma_max < 4.
    W_hh, W_xh, X, h0 = _setup(T=20, scale=3.5)
    norms = jacobian_norms(W_hh, W_xh, X, h0, "sigmoid")
    assert np.all(norms <= (3.5 / 4) ** np.arange(1, 21) * (1 + 1e-12))


def test_linear_regime_with_large_scale_explodes():
    # Tiny inputs keep tanh near its linear part, where f' ~ 1: the norm grows like scale^t.
    W_hh = scaled_orthogonal(6, 1.5, seed=0)
    W_xh = torch.zeros(6, 1, dtype=torch.float64)
    X = torch.zeros(10, 1, dtype=torch.float64)
    norms = jacobian_norms(W_hh, W_xh, X, torch.zeros(6, dtype=torch.float64), "tanh")
    assert np.allclose(norms, 1.5 ** np.arange(1, 11), rtol=1e-12)


def test_scaled_orthogonal_has_every_singular_value_and_eigenvalue_equal_to_scale():
    W = scaled_orthogonal(8, 0.7, seed=3)
    assert np.allclose(torch.linalg.svdvals(W).numpy(), 0.7)
    assert abs(largest_singular_value(W) - 0.7) < 1e-12
    assert abs(spectral_radius(W) - 0.7) < 1e-12


def test_spectral_radius_can_be_smaller_than_largest_singular_value():
    W = np.array([[0.5, 10.0], [0.0, 0.5]])
    assert abs(spectral_radius(W) - 0.5) < 1e-12
    assert largest_singular_value(W) > 10


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_clip_grad_norm_equals_torch(max_norm):
    torch.manual_seed(0)
    a, b = nn.Linear(4, 3), nn.Linear(4, 3)
    b.load_state_dict(a.state_dict())
    x = torch.randn(5, 4)
    for m in (a, b):
        (m(x) ** 2).sum().backward()
    mine = clip_grad_norm(a.parameters(), max_norm)
    ref = torch.nn.utils.clip_grad_norm_(b.parameters(), max_norm)
    assert abs(mine - float(ref)) < 1e-5
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.allclose(p.grad, q.grad, rtol=1e-6, atol=1e-7)


def test_clip_grad_norm_keeps_direction_and_caps_length():
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.tensor([3.0, 4.0, 0.0])
    total = clip_grad_norm(p, 1.0)
    assert total == pytest.approx(5.0)
    assert torch.allclose(p.grad, torch.tensor([0.6, 0.8, 0.0]), atol=1e-6)
    p.grad = torch.tensor([0.3, 0.4, 0.0])
    clip_grad_norm([p], 1.0)
    assert torch.equal(p.grad, torch.tensor([0.3, 0.4, 0.0]))


def test_identity_init_sets_identity_recurrence_and_zero_biases():
    rnn = identity_init_(nn.RNN(2, 5, nonlinearity="relu", num_layers=2))
    for name, p in rnn.named_parameters():
        if name.startswith("weight_hh"):
            assert torch.equal(p, torch.eye(5))
        elif name.startswith("bias"):
            assert torch.equal(p, torch.zeros(5))


def test_bad_inputs_raise_clear_errors():
    W_hh, W_xh, X, h0 = _setup()
    with pytest.raises(ValueError, match="W_hh must be square"):
        state_jacobians(torch.zeros(6, 5, dtype=torch.float64), W_xh, X)
    with pytest.raises(ValueError, match="W_xh must have 6 rows"):
        state_jacobians(W_hh, torch.zeros(4, 3), X)
    with pytest.raises(ValueError, match=r"X must have shape \(T, 3\)"):
        jacobian_norms(W_hh, W_xh, torch.zeros(5, 2))
    with pytest.raises(ValueError, match="activation must be one of"):
        jacobian_norms(W_hh, W_xh, X, activation="softplus")
    with pytest.raises(ValueError, match=r"h0 must have shape \(6,\)"):
        rnn_forward(W_hh, W_xh, X, torch.zeros(5))
    with pytest.raises(TypeError, match="W_hh must be a torch.Tensor or numpy array"):
        rnn_forward([[1.0]], W_xh, X)
    with pytest.raises(ValueError, match="must be a matrix"):
        largest_singular_value(torch.zeros(3))
    with pytest.raises(ValueError, match="W must be square"):
        spectral_radius(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"dL_dhT must have shape \(6,\)"):
        state_gradients(W_hh, W_xh, X, torch.zeros(3))
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        clip_grad_norm([], 0.0)
    with pytest.raises(TypeError, match="rnn must be a torch.nn.RNN"):
        identity_init_(nn.LSTM(2, 3))
    with pytest.raises(ValueError, match="scale must be >= 0"):
        scaled_orthogonal(3, -1.0)


# --------------------------------------------------------------------------- what an output reads


def test_output_saliency_equals_the_autograd_jacobian_and_ignores_later_inputs():
    from seqmodels.gradients import output_saliency
    from seqmodels.lm import CharLM

    torch.manual_seed(0)
    model = CharLM(5, hidden_size=6, cell="gru", embed_size=3)
    ids = [0, 3, 1, 4, 2]
    S = output_saliency(model, ids)
    E = model.embedding(torch.tensor(ids)).detach()

    def y_hat(t):
        return lambda e: torch.softmax(model.output(model.rnn(e[None, : t + 1])[0][0, -1]), dim=-1)

    for t in (0, 2, 4):
        J = torch.autograd.functional.jacobian(y_hat(t), E)  # (V, T, m)
        np.testing.assert_allclose(S[t], J.norm(dim=(0, 2)).numpy(), rtol=1e-5, atol=1e-7)
    assert np.all(S[np.triu_indices(5, 1)] == 0)


def test_output_saliency_checks_its_inputs():
    from seqmodels.gradients import output_saliency
    from seqmodels.lm import CharLM

    model = CharLM(5, hidden_size=4, embed_size=3)
    with pytest.raises(TypeError, match="CharLM"):
        output_saliency(nn.Linear(2, 2), [0])
    with pytest.raises(ValueError, match="lie in"):
        output_saliency(model, [0, 5])
    with pytest.raises(TypeError, match="encode"):
        output_saliency(model, "ab")
