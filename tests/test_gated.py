"""The from-scratch LSTM and GRU layers agree with torch.nn.LSTM / torch.nn.GRU in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from seqmodels.gated import (
    TRACE_KEYS,
    ScratchGRU,
    ScratchLSTM,
    gru_step,
    gru_update,
    lstm_gate_trace,
    lstm_step,
    lstm_update,
)
from seqmodels.lm import CharLM

TOL = 1e-10


def _pair(kind: str, bias: bool = True, batch_first: bool = False, input_size: int = 3, hidden: int = 5):
    torch.manual_seed(0)
    ref = (nn.LSTM if kind == "lstm" else nn.GRU)(
        input_size, hidden, bias=bias, batch_first=batch_first
    ).double()
    mine = (ScratchLSTM if kind == "lstm" else ScratchGRU)(
        input_size, hidden, bias=bias, batch_first=batch_first
    )
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
    assert {k: v.shape for k, v in ref.state_dict().items()} == {
        k: v.shape for k, v in mine.state_dict().items()
    }


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
    assert (
        _max_diff(cell(x, h), gru_step(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh))
        < TOL
    )


def test_lstm_update_is_the_chapters_equations_on_the_four_gate_blocks():
    gen = torch.Generator().manual_seed(3)
    gates = torch.randn(2, 12, generator=gen, dtype=torch.float64)
    c = torch.randn(2, 3, generator=gen, dtype=torch.float64)
    h_t, c_t, (i, f, g, o) = lstm_update(gates, c, return_gates=True)
    pre_i, pre_f, pre_g, pre_o = gates[:, :3], gates[:, 3:6], gates[:, 6:9], gates[:, 9:]
    assert torch.equal(i, torch.sigmoid(pre_i)) and torch.equal(f, torch.sigmoid(pre_f))
    assert torch.equal(g, torch.tanh(pre_g)) and torch.equal(o, torch.sigmoid(pre_o))
    assert torch.allclose(c_t, f * c + i * g) and torch.allclose(h_t, o * torch.tanh(c_t))
    assert all(torch.equal(a, b) for a, b in zip(lstm_update(gates, c), (h_t, c_t), strict=True))


def test_gru_update_resets_only_the_recurrent_part_of_the_candidate():
    gen = torch.Generator().manual_seed(4)
    gx = torch.randn(2, 9, generator=gen, dtype=torch.float64)
    gh = torch.randn(2, 9, generator=gen, dtype=torch.float64)
    h = torch.randn(2, 3, generator=gen, dtype=torch.float64)
    r = torch.sigmoid(gx[:, :3] + gh[:, :3])
    z = torch.sigmoid(gx[:, 3:6] + gh[:, 3:6])
    n = torch.tanh(gx[:, 6:] + r * gh[:, 6:])
    assert torch.allclose(gru_update(gx, gh, h), (1 - z) * n + z * h)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_scratch_layer_works_as_the_cell_of_a_char_lm(kind):
    torch.manual_seed(0)
    layer = (ScratchLSTM if kind == "lstm" else ScratchGRU)(8, 16, batch_first=True)
    model = CharLM(10, cell=layer)
    logits, state = model(torch.randint(0, 10, (2, 5)))
    assert logits.shape == (2, 5, 10)
    logits2, _ = model(torch.randint(0, 10, (2, 3)), state)
    assert logits2.shape == (2, 3, 10)


# --------------------------------------------------------------------------- the gates of a trained LSTM


@pytest.mark.parametrize("batch_first", [True, False])
def test_gate_trace_recomputes_the_layers_own_h_and_c(batch_first):
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 5, batch_first=batch_first).double()
    x = torch.randn(9, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    out, (h_T, c_T) = lstm(x[None] if batch_first else x[:, None])
    trace = lstm_gate_trace(lstm, x)
    assert tuple(trace) == TRACE_KEYS
    assert all(trace[key].shape == (9, 5) and trace[key].dtype == np.float64 for key in TRACE_KEYS)
    assert np.abs(trace["h"] - out.detach().reshape(9, 5).numpy()).max() < TOL
    assert np.abs(trace["h"][-1] - h_T.detach().reshape(5).numpy()).max() < TOL
    assert np.abs(trace["c"][-1] - c_T.detach().reshape(5).numpy()).max() < TOL
    # every step's c_t too: run the layer on each prefix of the sequence
    for t in (1, 4):
        _, (_, c_t) = lstm(x[None, :t] if batch_first else x[:t, None])
        assert np.abs(trace["c"][t - 1] - c_t.detach().reshape(5).numpy()).max() < TOL


def test_gate_trace_gates_are_the_ones_that_rebuild_the_states():
    torch.manual_seed(1)
    lstm = nn.LSTM(2, 4, batch_first=True)
    trace = lstm_gate_trace(lstm, torch.rand(1, 6, 2))
    for key in ("i", "f", "o"):
        assert ((trace[key] > 0) & (trace[key] < 1)).all()
    c_prev = np.vstack([np.zeros(4), trace["c"][:-1]])
    assert np.allclose(trace["c"], trace["f"] * c_prev + trace["i"] * trace["g"], atol=1e-6)
    assert np.allclose(trace["h"], trace["o"] * np.tanh(trace["c"]), atol=1e-6)


def test_gate_trace_reads_a_layer_without_bias_and_leaves_it_unchanged():
    torch.manual_seed(2)
    lstm = nn.LSTM(2, 3, bias=False, batch_first=True).double()
    before = {k: v.clone() for k, v in lstm.state_dict().items()}
    x = torch.rand(5, 2, dtype=torch.float64)
    trace = lstm_gate_trace(lstm, x)
    assert np.abs(trace["h"] - lstm(x[None])[0][0].detach().numpy()).max() < TOL
    assert all(torch.equal(before[k], v) for k, v in lstm.state_dict().items())


# What the layers, steps and the trace refuse: tests/test_validation.py (one table per check).
