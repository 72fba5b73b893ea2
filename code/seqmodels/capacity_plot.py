"""Learning curves that separate capacity from training budget (chapter 6).

Chapter 6's translator falls apart on long sentences. Is its context vector too small
(capacity), or was it trained too briefly (budget)? A single score after a fixed number of
steps cannot tell. :func:`plot_capacity_curves` draws, for each size of the context vector,
a score on the test sentences against the number of training steps, the mean over seeds as
a line and the range of the seeds as a band: where a curve levels off shows what more
training can still give, and the gap between the levelled-off curves is what size gives.
The records are those of ``seqmodels.results.translation_curves`` (``tools/runs/run_translation_curves.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from .plot import COLORS, STYLE

_SIZE_COLORS = (COLORS["red"], COLORS["blue"], COLORS["green"], COLORS["purple"], COLORS["orange"])
_METRICS = {"exact": "exact match", "edit": "edit accuracy"}


def capacity_curve(curves: Mapping, hidden_size: int, metric: str, phrases: int) -> np.ndarray:
    """The scores of every seed at every checkpoint, shape ``(seeds, checkpoints)``.

    ``curves`` is ``TRANSLATION_CURVES``; ``metric`` is ``"exact"`` or ``"edit"``; ``phrases``
    the number of noun phrases of the test sentences (one of ``curves["noun_phrases"]``).
    """
    if not isinstance(curves, Mapping) or not {"runs", "eval_steps", "noun_phrases"} <= set(curves):
        raise TypeError(
            "curves must be the dict TRANSLATION_CURVES, with 'runs', 'eval_steps' and 'noun_phrases'"
        )
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {sorted(_METRICS)}, got {metric!r}")
    if phrases not in curves["noun_phrases"]:
        raise ValueError(f"phrases must be one of {list(curves['noun_phrases'])}, got {phrases!r}")
    group = list(curves["noun_phrases"]).index(phrases)
    rows = [
        [checkpoint[group] for checkpoint in run[metric]]
        for run in curves["runs"]
        if run["hidden_size"] == hidden_size
    ]
    if not rows:
        sizes = sorted({run["hidden_size"] for run in curves["runs"]})
        raise ValueError(f"no runs with hidden_size={hidden_size!r}; the curves have sizes {sizes}")
    return np.array(rows, dtype=float)


def plot_capacity_curves(
    curves: Mapping,
    panels: Sequence[tuple[str, int]] = (("exact", 2), ("exact", 3), ("edit", 5)),
    *,
    title: str | None = None,
) -> Figure:
    """Draw one panel per ``(metric, phrases)`` in ``panels``: score against training steps.

    Each size of the context vector in ``curves`` gets one colour: the mean over its seeds
    as a line with dots at the checkpoints, the lowest and highest seed as a shaded band.
    Scores are drawn in percent. The figure is built without pyplot, so a cell whose last
    line is the call shows it once.
    """
    if isinstance(panels, (str, bytes)) or not isinstance(panels, Sequence) or not panels:
        raise TypeError("panels must be a non-empty sequence of (metric, phrases) pairs, e.g. [('exact', 2)]")
    sizes = (
        sorted({run["hidden_size"] for run in curves["runs"]})
        if isinstance(curves, Mapping) and "runs" in curves
        else []
    )
    steps = np.asarray(curves["eval_steps"]) if sizes else None
    data = [[capacity_curve(curves, size, metric, phrases) for size in sizes] for metric, phrases in panels]
    if len(sizes) > len(_SIZE_COLORS):
        raise ValueError(f"at most {len(_SIZE_COLORS)} sizes can be drawn, got {len(sizes)}")
    width = STYLE["figure.figsize"][0]
    fig = Figure(figsize=(1.25 * width, 3.3), layout="constrained")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    for ax, (metric, phrases), rows in zip(axes, panels, data):
        for size, color, scores in zip(sizes, _SIZE_COLORS, rows):
            ax.fill_between(
                steps,
                100 * scores.min(axis=0),
                100 * scores.max(axis=0),
                color=color,
                alpha=0.18,
                linewidth=0,
            )
            ax.plot(
                steps,
                100 * scores.mean(axis=0),
                marker="o",
                markersize=3.5,
                color=color,
                label=f"{size} numbers ({len(scores)} seeds)",
            )
        ax.set_title(f"{_METRICS[metric]}, {phrases} noun phrase{'s' if phrases != 1 else ''}", fontsize=10)
        ax.set_xlabel("training steps")
        ax.set_xticks(steps[1::2] if len(steps) > 4 else steps)
        ax.set_ylim(-3, 103)
    axes[0].set_ylabel("accuracy on unseen sentences (%)")
    axes[-1].legend(title="context vector", fontsize=8, title_fontsize=8, loc="lower right")
    if title is not None:
        fig.suptitle(title)
    return fig


__all__ = ["capacity_curve", "plot_capacity_curves"]
