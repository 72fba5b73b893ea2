"""The from-scratch LSTM and GRU layers agree with torch.nn.LSTM / torch.nn.GRU in float64."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from seqmodels.gated import ScratchGRU, ScratchLSTM, gru_step, lstm_step
from seqmodels.lm import CharLM

TOL = 1e-10


def _pair(kind: str, bias: bool = True, batch_first: bool = False, input_size: int = 3, hidden: int = 5):
    torch.manual_seed(0)
    ref = (nn.LSTM if kind == "lstm" else nn.GRU)(input_size, hidden, bias=bias, batch_first=batch_first).double()
    mine = (ScratchLSTM if kind == "lstm" else ScratchGRU)(input_size, hidden, bias=bias, batch_first=batch_first)
    mine.load_state_dict(ref.state_dict())
    return ref, mine.double()


def _max_diff(a, b) -> float:
    if isinstance(a, tuple):
        return max(_max_diff(x, y) for x, y in zip(a, b, strict=True))
    assert a.shape == b.shape
    return float((a - b).detach().abs().max())


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_scratch_layer_equals_torch_outputs_and_final_states(kind, batch_first, with_state):
    ref, mine = _pair(kind, batch_first=batch_first)
    gen = torch.Generator().manual_seed(1)
    T, B = 7, 4
    x = torch.randn((B, T, 3) if batch_first else (T, B, 3), generator=gen, dtype=torch.float64)
    state = None
    if with_state:
        h0 = torch.randn(1, B, 5, generator=gen, dtype=torch.float64)
        c0 = torch.randn(1, B, 5, generator=gen, dtype=torch.float64)
        state = (h0, c0) if kind == "lstm" else h0
    out_ref, s_ref = ref(x, state)
    out_mine, s_mine = mine(x, state)
    assert _max_diff(out_ref, out_mine) < TOL
    assert _max_diff(s_ref, s_mine) < TOL


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_scratch_layer_gradients_equal_torch(kind):
    ref, mine = _pair(kind, batch_first=True)
    x = torch.randn(3, 6, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    for model in (ref, mine):
        out, _ = model(x)
        (out**2).sum().backward()
    for (name, p_ref), (name2, p_mine) in zip(ref.named_parameters(), mine.named_parameters(), strict=True):
        assert name == name2
        assert float((p_ref.grad - p_mine.grad).abs().max()) < TOL


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_scratch_layer_without_bias_equals_torch(kind):
    ref, mine = _pair(kind, bias=False)
    assert mine.bias_ih_l0 is None and "bias_ih_l0" not in dict(mine.named_parameters())
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    assert _max_diff(ref(x)[0], mine(x)[0]) < TOL


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_scratch_layer_accepts_unbatched_input_like_torch(kind):
    ref, mine = _pair(kind)
    x = torch.randn(6, 3, dtype=torch.float64)
    out_ref, s_ref = ref(x)
    out_mine, s_mine = mine(x)
    assert _max_diff(out_ref, out_mine) < TOL
    assert _max_diff(s_ref, s_mine) < TOL


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_parameter_names_and_shapes_match_torch(kind):
    ref, mine = _pair(kind)
    assert {k: v.shape for k, v in ref.state_dict().items()} == {k: v.shape for k, v in mine.state_dict().items()}


def test_initialisation_is_uniform_within_one_over_sqrt_hidden():
    torch.manual_seed(0)
    lstm = ScratchLSTM(3, 16)
    bound = 1 / 16**0.5
    for p in lstm.parameters():
        assert float(p.detach().abs().max()) <= bound


def test_lstm_step_matches_one_step_of_torch_lstm_cell():
    torch.manual_seed(0)
    cell = nn.LSTMCell(3, 4).double()
    x = torch.randn(2, 3, dtype=torch.float64)
    h, c = torch.randn(2, 4, dtype=torch.float64), torch.randn(2, 4, dtype=torch.float64)
    h_ref, c_ref = cell(x, (h, c))
    h_mine, c_mine = lstm_step(x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    assert _max_diff((h_ref, c_ref), (h_mine, c_mine)) < TOL


def test_gru_step_matches_one_step_of_torch_gru_cell():
    torch.manual_seed(0)
    cell = nn.GRUCell(3, 4).double()
    x = torch.randn(2, 3, dtype=torch.float64)
    h = torch.randn(2, 4, dtype=torch.float64)
    assert _max_diff(cell(x, h), gru_step(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)) < TOL


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_scratch_layer_works_as_the_cell_of_a_char_lm(kind):
    torch.manual_seed(0)
    layer = (ScratchLSTM if kind == "lstm" else ScratchGRU)(8, 16, batch_first=True)
    model = CharLM(10, cell=layer)
    logits, state = model(torch.randint(0, 10, (2, 5)))
    assert logits.shape == (2, 5, 10)
    logits2, _ = model(torch.randint(0, 10, (2, 3)), state)
    assert logits2.shape == (2, 3, 10)


def test_constructor_rejects_bad_sizes_and_flags():
    with pytest.raises(ValueError, match="hidden_size must be >= 1"):
        ScratchLSTM(3, 0)
    with pytest.raises(TypeError, match="input_size must be an integer"):
        ScratchGRU(2.5, 4)
    with pytest.raises(TypeError, match="batch_first must be True or False"):
        ScratchLSTM(3, 4, batch_first=1)
    with pytest.raises(TypeError, match="bias must be True or False"):
        ScratchGRU(3, 4, bias="yes")


def test_forward_rejects_bad_inputs_and_states():
    lstm, gru = ScratchLSTM(3, 4), ScratchGRU(3, 4)
    with pytest.raises(TypeError, match="input must be a torch.Tensor"):
        lstm([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="3 features"):
        lstm(torch.zeros(5, 2, 2))
    with pytest.raises(ValueError, match="3 dimensions"):
        gru(torch.zeros(5, 2, 3, 1))
    with pytest.raises(TypeError, match="floating-point"):
        gru(torch.zeros(5, 2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match="at least one time step"):
        gru(torch.zeros(0, 2, 3))
    with pytest.raises(ValueError, match=r"h_0 must have shape \(1, 2, 4\)"):
        gru(torch.zeros(5, 2, 3), torch.zeros(2, 4))
    with pytest.raises(TypeError, match=r"tuple \(h_0, c_0\)"):
        lstm(torch.zeros(5, 2, 3), torch.zeros(1, 2, 4))
    with pytest.raises(TypeError, match="not a tuple"):
        gru(torch.zeros(5, 2, 3), (torch.zeros(1, 2, 4),))


def test_step_functions_reject_mismatched_weights():
    x, h = torch.zeros(2, 3), torch.zeros(2, 4)
    with pytest.raises(ValueError, match="W_ih must have 16 rows"):
        lstm_step(x, h, h, torch.zeros(12, 3), torch.zeros(16, 4))
    with pytest.raises(ValueError, match="c must have the shape of h"):
        lstm_step(x, h, torch.zeros(2, 5), torch.zeros(16, 3), torch.zeros(16, 4))
    with pytest.raises(ValueError, match="W_ih must have 12 rows"):
        gru_step(x, h, torch.zeros(16, 3), torch.zeros(12, 4))
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        gru_step([0.0], h, torch.zeros(12, 3), torch.zeros(12, 4))
