"""The capacity-curve figure draws one mean line and one seed band per context size, in percent."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from seqmodels.capacity_plot import capacity_curve, plot_capacity_curves


def _curves():
    runs = []
    for size, level in ((32, 0.2), (64, 0.5)):
        for seed in (0, 1, 2):
            score = [[min(1.0, level + 0.1 * c + 0.01 * seed)] * 5 for c in range(3)]
            runs.append(
                {
                    "hidden_size": size,
                    "seed": seed,
                    "exact": score,
                    "edit": score,
                    "train_loss": [1, 0.5, 0.4],
                }
            )
    return {"eval_steps": [100, 200, 300], "noun_phrases": [1, 2, 3, 4, 5], "runs": runs}


def test_capacity_curve_has_one_row_per_seed_and_one_column_per_checkpoint():
    scores = capacity_curve(_curves(), 64, "exact", 2)
    assert scores.shape == (3, 3)
    assert np.allclose(scores[:, 0], [0.5, 0.51, 0.52]) and np.allclose(scores[0], [0.5, 0.6, 0.7])


def test_figure_draws_a_mean_line_per_size_in_percent_with_a_seed_band():
    fig = plot_capacity_curves(_curves(), panels=[("exact", 2), ("edit", 5)])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["32 numbers (3 seeds)", "64 numbers (3 seeds)"]
    assert np.allclose(lines[1].get_xdata(), [100, 200, 300])
    assert np.allclose(lines[1].get_ydata(), [51, 61, 71])  # mean of the seeds, in percent
    assert len(ax.collections) == 2  # one band per size
    assert (
        "exact match, 2 noun phrases" == ax.get_title()
        and "edit accuracy, 5 noun phrases" == fig.axes[1].get_title()
    )
    assert ax.get_xlabel() == "training steps" and "%" in ax.get_ylabel()


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(TypeError, match="TRANSLATION_CURVES"):
        capacity_curve({"runs": []}, 64, "exact", 2)
    with pytest.raises(ValueError, match="metric must be one of"):
        capacity_curve(_curves(), 64, "bleu", 2)
    with pytest.raises(ValueError, match="phrases must be one of"):
        capacity_curve(_curves(), 64, "exact", 6)
    with pytest.raises(ValueError, match="no runs with hidden_size=128; the curves have sizes \\[32, 64\\]"):
        capacity_curve(_curves(), 128, "exact", 2)
    with pytest.raises(TypeError, match="panels must be a non-empty sequence"):
        plot_capacity_curves(_curves(), panels=[])
