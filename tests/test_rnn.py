"""ScratchRNN must be indistinguishable from torch.nn.RNN (one layer), in float64."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from seqmodels.data import Vocab
from seqmodels.lm import CharLM, sample
from seqmodels.rnn import ScratchRNN, rnn_step

TOL = 1e-10


def _pair(nonlinearity="tanh", bias=True, batch_first=False, input_size=5, hidden_size=7, seed=0):
    """A torch RNN and a ScratchRNN with the torch weights copied in, both float64."""
    torch.manual_seed(seed)
    ref = nn.RNN(
        input_size, hidden_size, nonlinearity=nonlinearity, bias=bias, batch_first=batch_first
    ).double()
    mine = ScratchRNN(
        input_size, hidden_size, nonlinearity=nonlinearity, bias=bias, batch_first=batch_first
    ).double()
    mine.load_state_dict(ref.state_dict())
    return ref, mine


def _max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    assert a.shape == b.shape
    return (a - b).abs().max().item()


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("with_h0", [False, True])
def test_forward_equals_torch_rnn(nonlinearity, batch_first, bias, with_h0):
    ref, mine = _pair(nonlinearity, bias, batch_first)
    gen = torch.Generator().manual_seed(1)
    T, B = 6, 4
    shape = (B, T, 5) if batch_first else (T, B, 5)
    x = torch.randn(shape, generator=gen, dtype=torch.float64)
    h0 = torch.randn(1, B, 7, generator=gen, dtype=torch.float64) if with_h0 else None
    out_ref, h_ref = ref(x, h0)
    out_mine, h_mine = mine(x, h0)
    assert out_mine.shape == out_ref.shape
    assert h_mine.shape == h_ref.shape == (1, B, 7)
    assert _max_diff(out_mine, out_ref) < TOL
    assert _max_diff(h_mine, h_ref) < TOL


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_gradients_equal_torch_rnn(nonlinearity, batch_first):
    ref, mine = _pair(nonlinearity, True, batch_first)
    gen = torch.Generator().manual_seed(2)
    T, B = 5, 3
    shape = (B, T, 5) if batch_first else (T, B, 5)
    x = torch.randn(shape, generator=gen, dtype=torch.float64)
    h0 = torch.randn(1, B, 7, generator=gen, dtype=torch.float64)
    weights = torch.randn(out_shape := (*shape[:2], 7), generator=gen, dtype=torch.float64)
    grads = []
    for model in (ref, mine):
        xi, hi = x.clone().requires_grad_(), h0.clone().requires_grad_()
        out, hT = model(xi, hi)
        assert out.shape == out_shape
        loss = (out * weights).sum() + hT.pow(2).sum()
        loss.backward()
        grads.append(
            {name: p.grad.clone() for name, p in model.named_parameters()} | {"x": xi.grad, "h0": hi.grad}
        )
    assert grads[0].keys() == grads[1].keys()
    for name in grads[0]:
        assert _max_diff(grads[0][name], grads[1][name]) < TOL, name


def test_unbatched_input_matches_torch_rnn():
    ref, mine = _pair()
    x = torch.randn(4, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    h0 = torch.randn(1, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    for h in (None, h0):
        out_ref, h_ref = ref(x, h)
        out_mine, h_mine = mine(x, h)
        assert out_mine.shape == (4, 7) and h_mine.shape == (1, 7)
        assert _max_diff(out_mine, out_ref) < TOL
        assert _max_diff(h_mine, h_ref) < TOL


def test_same_parameter_names_shapes_and_initialisation_as_torch():
    for bias in (True, False):
        torch.manual_seed(0)
        ref = nn.RNN(3, 8, bias=bias)
        torch.manual_seed(0)
        mine = ScratchRNN(3, 8, bias=bias)
        ref_params = dict(ref.named_parameters())
        mine_params = dict(mine.named_parameters())
        assert list(mine_params) == list(ref_params)
        for name, p in ref_params.items():
            assert mine_params[name].shape == p.shape
            assert torch.equal(mine_params[name], p)  # same draw order, same distribution
    bound = 1 / 8**0.5
    assert all(p.abs().max() <= bound for p in ScratchRNN(3, 8).parameters())


def test_state_dict_loads_into_torch_rnn_too():
    mine = ScratchRNN(3, 4)
    ref = nn.RNN(3, 4)
    ref.load_state_dict(mine.state_dict())
    x = torch.randn(2, 5, 3)
    assert torch.allclose(ref(x)[0], mine(x)[0], atol=1e-6)


def test_rnn_step_is_the_lecture_update():
    gen = torch.Generator().manual_seed(5)
    x, h = torch.randn(2, 3, generator=gen), torch.randn(2, 4, generator=gen)
    W_xh, W_hh = torch.randn(3, 4, generator=gen), torch.randn(4, 4, generator=gen)
    # lecture: h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t); PyTorch stores W^T
    expected = torch.tanh(h @ W_hh + x @ W_xh)
    assert torch.allclose(rnn_step(x, h, W_xh.T, W_hh.T), expected)
    assert torch.allclose(
        rnn_step(x, h, W_xh.T, W_hh.T, nonlinearity="relu"), torch.relu(h @ W_hh + x @ W_xh)
    )


def test_final_state_is_last_output():
    mine = ScratchRNN(2, 3, batch_first=True)
    out, hT = mine(torch.randn(4, 6, 2))
    assert torch.equal(out[:, -1], hT[0])


def test_works_as_cell_of_char_lm_and_trains():
    torch.manual_seed(0)
    model = CharLM(10, cell=ScratchRNN(6, 12, batch_first=True))
    X = torch.randint(0, 10, (3, 8))
    logits, state = model(X)
    assert logits.shape == (3, 8, 10) and state.shape == (1, 3, 12)
    logits.sum().backward()
    assert model.rnn.weight_hh_l0.grad is not None


def test_sampling_is_reproducible_for_a_seed():
    vocab = Vocab("abcdefgh ", unk=None)
    torch.manual_seed(0)
    model = CharLM(len(vocab), cell=ScratchRNN(4, 8, batch_first=True))
    a = sample(model, vocab, "abc", length=40, temperature=1.0, seed=7)
    b = sample(model, vocab, "abc", length=40, temperature=1.0, seed=7)
    c = sample(model, vocab, "abc", length=40, temperature=1.0, seed=8)
    assert a == b and a != c
    assert a.startswith("abc") and len(a) == 43


def test_repr_names_the_options():
    assert repr(ScratchRNN(2, 3, nonlinearity="relu", bias=False, batch_first=True)) == (
        "ScratchRNN(2, 3, nonlinearity='relu', bias=False, batch_first=True)"
    )


# ---- what it refuses: tests/test_validation.py (one table per check)


@pytest.mark.parametrize("temperature", [0, -1.0])
def test_sampling_rejects_non_positive_temperature(temperature):
    vocab = Vocab("ab", unk=None)
    model = CharLM(len(vocab), cell=ScratchRNN(2, 3, batch_first=True))
    with pytest.raises(ValueError, match=rf"temperature must be > 0.0, got {float(temperature)}"):
        sample(model, vocab, "a", length=3, temperature=temperature)
