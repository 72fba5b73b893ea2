"""The gate-trace figure draws every gate and the cell state, labels them, and shades the marked steps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure
from torch import nn

from seqmodels.diagrams.shapes import layout_problems
from seqmodels.gate_plot import PANELS, plot_gate_trace
from seqmodels.gated import lstm_gate_trace

T, HIDDEN = 12, 6


@pytest.fixture
def trace():
    torch.manual_seed(0)
    lstm = nn.LSTM(2, HIDDEN, batch_first=True)
    x = torch.rand(T, 2, generator=torch.Generator().manual_seed(1))
    return lstm_gate_trace(lstm, x), x[:, 0].numpy()


def test_figure_has_the_input_and_one_labelled_panel_per_gate_and_the_cell_state(trace):
    record, values = trace
    fig = plot_gate_trace(record, values, marked=[2, 9], units=[1, 4])
    axes = fig.axes
    assert len(axes) == 1 + len(PANELS)
    assert [ax.get_ylabel() for ax in axes[1:]] == [label for _, label in PANELS]
    assert "x_t" in axes[0].get_ylabel() and "time step" in axes[-1].get_xlabel()
    legend = [t.get_text() for t in axes[2].get_legend().get_texts()]
    assert legend == [f"mean of {HIDDEN} units", "unit 1", "unit 4"]


def test_figure_draws_the_traced_numbers_on_a_time_axis_from_one(trace):
    record, values = trace
    fig = plot_gate_trace(record, values, marked=[0], units=[3])
    for ax, (key, _) in zip(fig.axes[1:], PANELS):
        unit_line = next(line for line in ax.get_lines() if line.get_label() == "unit 3")
        assert np.array_equal(unit_line.get_xdata(), np.arange(1, T + 1))
        assert np.allclose(unit_line.get_ydata(), record[key][:, 3])
        if key != "c":  # the gates' mean over all units; the cell state has none
            mean = next(line for line in ax.get_lines() if line.get_label().startswith("mean"))
            assert np.allclose(mean.get_ydata(), record[key].mean(axis=1))
    heights = [bar.get_height() for bar in fig.axes[0].patches[:T]]  # the bars come before the shading
    assert np.allclose(heights, values)


def test_marked_steps_are_shaded_in_every_panel_and_their_bars_coloured(trace):
    record, values = trace
    fig = plot_gate_trace(record, values, marked=[2, 9])
    for ax in fig.axes:
        spans = [p for p in ax.patches if p.get_alpha() is not None and p.get_alpha() < 1]
        assert sorted(round(s.get_x() + s.get_width() / 2, 6) for s in spans) == [
            3.0,
            10.0,
        ]  # t = position + 1
    bars = fig.axes[0].patches[:T]
    marked_colors = {bars[p].get_facecolor() for p in (2, 9)}
    assert len(marked_colors) == 1 and marked_colors.isdisjoint({bars[p].get_facecolor() for p in (0, 5)})


def test_figure_is_clean_renders_as_png_and_pyplot_never_sees_it(trace):
    record, values = trace
    before = plt.get_fignums()
    fig = plot_gate_trace(record, values, marked=[2, 9], units=[0, 1, 2], title="one sequence")
    assert isinstance(fig, Figure) and plt.get_fignums() == before
    assert layout_problems(fig) == []
    assert print_figure(fig, "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.axes[0].get_title() == "one sequence"


def test_mean_can_be_left_out(trace):
    record, values = trace
    fig = plot_gate_trace(record, values, marked=[1], show_mean=False)
    assert all(not line.get_label().startswith("mean") for ax in fig.axes for line in ax.get_lines())


def test_bad_inputs_are_rejected_with_what_was_expected(trace):
    record, values = trace
    with pytest.raises(TypeError, match="dict lstm_gate_trace returns"):
        plot_gate_trace([record["i"]], values, [1])
    with pytest.raises(ValueError, match="missing \\['f'\\]"):
        plot_gate_trace({k: v for k, v in record.items() if k != "f"}, values, [1])
    with pytest.raises(ValueError, match="one shape"):
        plot_gate_trace({**record, "c": record["c"][:-1]}, values, [1])
    with pytest.raises(ValueError, match=f"values must be {T} numbers"):
        plot_gate_trace(record, values[:-1], [1])
    with pytest.raises(ValueError, match=f"marked positions must lie in \\[0, {T}\\)"):
        plot_gate_trace(record, values, [T])
    with pytest.raises(TypeError, match="marked must be integer positions"):
        plot_gate_trace(record, values, [1.5])
    with pytest.raises(ValueError, match=f"indices in \\[0, {HIDDEN}\\)"):
        plot_gate_trace(record, values, [1], units=[HIDDEN])
    with pytest.raises(ValueError, match="1 to 5 indices"):
        plot_gate_trace(record, values, [1], units=[])
    with pytest.raises(TypeError, match="units must be integer"):
        plot_gate_trace(record, values, [1], units=[True])
    with pytest.raises(TypeError, match="show_mean must be True or False"):
        plot_gate_trace(record, values, [1], show_mean=1)
