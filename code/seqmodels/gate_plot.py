"""A figure of an LSTM at work: its gates and cell state along one sequence (chapter 8).

:func:`seqmodels.gated.lstm_gate_trace` records, step by step, what a trained LSTM's gates
did on one input. :func:`plot_gate_trace` draws that record as a column of panels sharing
the time axis: the input values on top, then the input gate :math:`i_t`, the forget gate
:math:`f_t`, the output gate :math:`o_t` and the cell state :math:`c_t`, for a few chosen
units, with the mean over all units behind them and the marked steps shaded in every panel.
A reader can then see *when* each gate opens, not only that the model works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from .plot import COLORS, STYLE

#: The panels under the input, top to bottom: trace key and axis label.
PANELS = (
    ("i", "input gate\n$i_t$"),
    ("f", "forget gate\n$f_t$"),
    ("o", "output gate\n$o_t$"),
    ("c", "cell state\n$c_t$"),
)

_UNIT_COLORS = (COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"], COLORS["brown"])
_MARK_COLOR = COLORS["red"]


def _check_trace(trace: object) -> tuple[int, int]:
    """Return ``(T, hidden)`` of a trace from :func:`~seqmodels.gated.lstm_gate_trace`."""
    if not isinstance(trace, Mapping):
        raise TypeError(f"trace must be the dict lstm_gate_trace returns, got {type(trace).__name__}")
    missing = [key for key, _ in PANELS if key not in trace]
    if missing:
        raise ValueError(f"trace must have the arrays {[key for key, _ in PANELS]}, missing {missing}")
    shapes = {key: np.shape(trace[key]) for key, _ in PANELS}
    first = shapes["i"]
    if len(first) != 2 or first[0] < 1 or any(shape != first for shape in shapes.values()):
        raise ValueError(f"trace arrays must all have one shape (T, hidden) with T >= 1, got {shapes}")
    return first


def plot_gate_trace(
    trace: Mapping[str, np.ndarray],
    values: Sequence[float] | np.ndarray,
    marked: Sequence[int],
    units: Sequence[int] = (0,),
    *,
    show_mean: bool = True,
    title: str | None = None,
) -> Figure:
    """Draw an LSTM's input, gates and cell state along one sequence; return the figure.

    ``trace`` is what :func:`~seqmodels.gated.lstm_gate_trace` returns for a sequence of
    ``T`` steps; ``values`` are the ``T`` input values to show on top (for the adding
    problem, the first input channel) and ``marked`` the 0-based positions to shade in
    every panel (the two marked steps). ``units`` picks the hidden units drawn as lines
    (at most five); with ``show_mean`` the gates' mean over all units is drawn behind them,
    dashed grey. The time axis counts steps from 1, as :math:`t` does. The figure is built
    without pyplot, so a cell whose last line is the call shows it once.
    """
    T, hidden = _check_trace(trace)
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (T,):
        raise ValueError(f"values must be {T} numbers, one per step of the trace, got shape {values.shape}")
    marked = list(marked)
    if any(isinstance(p, bool) or not isinstance(p, (int, np.integer)) for p in marked):
        raise TypeError(f"marked must be integer positions, got {marked!r}")
    if any(not 0 <= p < T for p in marked):
        raise ValueError(f"marked positions must lie in [0, {T}), got {marked}")
    units = list(units)
    if any(isinstance(u, bool) or not isinstance(u, (int, np.integer)) for u in units):
        raise TypeError(f"units must be integer indices of hidden units, got {units!r}")
    if not 1 <= len(units) <= len(_UNIT_COLORS) or any(not 0 <= u < hidden for u in units):
        raise ValueError(f"units must be 1 to {len(_UNIT_COLORS)} indices in [0, {hidden}), got {units}")
    if not isinstance(show_mean, bool):
        raise TypeError(f"show_mean must be True or False, got {show_mean!r}")

    t = np.arange(1, T + 1)
    width = STYLE["figure.figsize"][0]
    fig = Figure(figsize=(width, 1.15 * (len(PANELS) + 1)), layout="constrained")
    axes = fig.subplots(len(PANELS) + 1, 1, sharex=True)
    top = axes[0]
    colors = [_MARK_COLOR if p in marked else COLORS["grey"] for p in range(T)]
    top.bar(t, values, width=0.7, color=colors)
    top.set_ylabel("input value\n$x_t$")
    top.set_ylim(0, max(1.0, float(values.max())) * 1.05)
    for ax, (key, label) in zip(axes[1:], PANELS):
        data = np.asarray(trace[key], dtype=np.float64)
        if show_mean and key != "c":
            ax.plot(
                t, data.mean(axis=1), color=COLORS["grey"], ls="--", lw=1.2, label=f"mean of {hidden} units"
            )
        for unit, color in zip(units, _UNIT_COLORS):
            ax.plot(t, data[:, unit], color=color, marker=".", ms=4, label=f"unit {unit}")
        if key != "c":
            ax.set_ylim(-0.05, 1.05)
        ax.set_ylabel(label)
    for ax in axes:
        for p in marked:
            ax.axvspan(p + 0.5, p + 1.5, color=_MARK_COLOR, alpha=0.15, lw=0)
    axes[2].legend(loc="center", fontsize="small", ncols=len(units) + show_mean)  # f_t leaves the middle free
    axes[-1].set_xlabel("time step $t$ (shaded: the marked steps)")
    axes[-1].set_xlim(0.5, T + 0.5)
    if title is not None:
        top.set_title(str(title))
    return fig


__all__ = ["PANELS", "plot_gate_trace"]
