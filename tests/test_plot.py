"""Tests for seqmodels.plot: the accuracy-against-distance figure with a band over seeds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from seqmodels.plot import COLORS, new_figure, plot_accuracy_by_distance  # noqa: E402


def test_draws_one_line_per_curve_in_percent_and_a_band_only_where_seeds_differ():
    fig, ax = new_figure()
    curves = {
        "net": ([0.9, 0.8, 0.7], [0.85, 0.7, 0.6], [1.0, 0.9, 0.8]),
        "n-gram": ([1.0, 0.5, 0.5], [1.0, 0.5, 0.5], [1.0, 0.5, 0.5]),
    }
    plot_accuracy_by_distance(
        ax,
        [0, 4, 8],
        curves,
        styles={"net": {"color": COLORS["blue"]}},
        marks={"longest training distance": 8.5},
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["net"].get_ydata()) == pytest.approx([90, 80, 70])
    assert list(lines["n-gram"].get_xdata()) == [0, 4, 8] and lines["net"].get_color() == COLORS["blue"]
    assert len(ax.collections) == 1  # the band: only "net" has a spread over seeds
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(60) and band[:, 1].max() == pytest.approx(100)
    # chance at 50 % and the dashed mark at 8.5, with its text
    assert any(np.allclose(line.get_ydata(), 50) for line in ax.get_lines())
    assert any(np.allclose(line.get_xdata(), 8.5) for line in ax.get_lines())
    assert [t.get_text() for t in ax.texts] == ["longest training distance"]
    plt.close(fig)


def test_rejects_curves_that_do_not_match_the_distances():
    fig, ax = new_figure()
    with pytest.raises(ValueError, match="at least one"):
        plot_accuracy_by_distance(ax, [0, 1], {})
    with pytest.raises(ValueError, match=r"curves\['net'\] must be \(mean, low, high\)"):
        plot_accuracy_by_distance(ax, [0, 1], {"net": ([0.5], [0.5], [0.5])})
    with pytest.raises(ValueError, match="one value per distance"):
        plot_accuracy_by_distance(ax, [0, 1], {"net": ([0.5, 0.5], [0.5, 0.5])})
    plt.close(fig)


def test_rank_frequency_sorts_counts_and_draws_log_log_with_a_reference_slope():
    from seqmodels.plot import plot_rank_frequency

    fig, ax = new_figure()
    plot_rank_frequency(ax, {"words": [1, 8, 2, 4], "pairs": [3, 1, 1]})
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["words"].get_xdata()) == [1, 2, 3, 4]
    assert list(lines["words"].get_ydata()) == [8, 4, 2, 1]  # most frequent first
    assert list(lines["pairs"].get_ydata()) == [3, 1, 1]
    assert list(lines["slope -1"].get_ydata()) == pytest.approx([8, 4, 8 / 3, 2])  # through the first point
    assert ax.get_xscale() == ax.get_yscale() == "log"
    plt.close(fig)
    fig, ax = new_figure()
    plot_rank_frequency(ax, {"words": [5, 1]}, slope=None)
    assert [line.get_label() for line in ax.get_lines()] == ["words"]
    plt.close(fig)


@pytest.mark.parametrize(
    "counts, message",
    [
        ({}, "non-empty dict"),
        ([1, 2], "non-empty dict"),
        ({"words": []}, "non-empty sequence"),
        ({"words": [3, 0]}, "whole counts >= 1"),
        ({"words": [2.5]}, "whole counts >= 1"),
    ],
)
def test_rank_frequency_rejects_bad_counts(counts, message):
    from seqmodels.plot import plot_rank_frequency

    fig, ax = new_figure()
    with pytest.raises(ValueError, match=message):
        plot_rank_frequency(ax, counts)


def test_plot_fading_trace_draws_one_log_scale_line_per_network():
    from seqmodels.plot import plot_fading_trace

    fig, ax = new_figure()
    plot_fading_trace(ax, [14, 16, 18], {"untrained": [1e-4, 1e-5, 1e-6], "larger W_hh": [0.3, 0.2, 0.1]})
    assert ax.get_yscale() == "log"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["larger W_hh"].get_ydata()) == [0.3, 0.2, 0.1]
    assert ax.get_legend() is not None
    plt.close(fig)


@pytest.mark.parametrize(
    "distances, curves, error",
    [
        ([1, 2], {"a": [1.0]}, ValueError),
        ([1], {"a": [0.0]}, ValueError),
        ([], {"a": []}, ValueError),
        ([1], {}, TypeError),
        ([1], [[1.0]], TypeError),
    ],
)
def test_plot_fading_trace_rejects_bad_curves(distances, curves, error):
    from seqmodels.plot import plot_fading_trace

    fig, ax = new_figure()
    with pytest.raises(error):
        plot_fading_trace(ax, distances, curves)


def test_training_curves_one_colour_per_model_one_style_per_seed_and_a_line_per_level():
    from seqmodels.plot import plot_training_curves

    fig, ax = new_figure()
    curves = {"a": [np.ones(30), 2 * np.ones(30)], "b": [np.arange(30.0)]}
    plot_training_curves(ax, curves, smooth=10, levels={"predict 1": 1 / 6, "second value only": 1 / 12})
    lines = ax.get_lines()
    seeds_of_a = [line for line in lines if line.get_color() == "C0"]
    assert [line.get_linestyle() for line in seeds_of_a] == ["-", ":"]
    assert list(seeds_of_a[1].get_ydata()) == pytest.approx([2.0] * 21)  # 30 - 10 + 1 windows
    assert list(seeds_of_a[1].get_xdata()) == list(range(10, 31))  # step that ends each window
    b = [line for line in lines if line.get_color() == "C1"][0]
    assert b.get_ydata()[0] == pytest.approx(4.5)  # mean of 0..9
    levels = {
        line.get_label(): line.get_ydata()[0]
        for line in lines
        if line.get_label() in ("predict 1", "second value only")
    }
    assert levels == pytest.approx({"predict 1": 1 / 6, "second value only": 1 / 12})
    assert ax.get_yscale() == "log"
    assert ax.get_legend_handles_labels()[1] == ["a", "b", "predict 1", "second value only"]
    assert ax.get_legend() is not None and ax.get_ylabel() == "training loss (moving average of 10)"
    plt.close(fig)


def test_training_curves_check_their_arguments():
    from seqmodels.plot import plot_training_curves

    fig, ax = new_figure()
    with pytest.raises(ValueError, match="at least one"):
        plot_training_curves(ax, {})
    with pytest.raises(ValueError, match="1 to 4 runs"):
        plot_training_curves(ax, {"a": [np.ones(30)] * 5})
    with pytest.raises(ValueError, match="at least smooth = 20"):
        plot_training_curves(ax, {"a": [np.ones(5)]})
    with pytest.raises(ValueError, match="smooth must be a positive"):
        plot_training_curves(ax, {"a": [np.ones(5)]}, smooth=0)
    plt.close(fig)


def test_plot_unit_text_colours_every_character_by_its_value():
    from seqmodels.plot import plot_unit_text

    fig, ax = new_figure()
    image = plot_unit_text(ax, "ab\nc", [1.0, -0.5, 0.0, 0.25], "unit 3")
    grid = image.get_array()
    assert grid[0, :3].tolist() == [1.0, -0.5, 0.0] and grid[1, 0] == 0.25 and image.get_clim() == (-1.0, 1.0)
    assert [t.get_text() for t in ax.texts] == ["a", "b", "↵", "c"] and ax.get_title(loc="left") == "unit 3"
    plt.close(fig)


@pytest.mark.parametrize("text, values", [("", []), ("ab", [1.0]), ("ab", [1.0, float("nan")])])
def test_plot_unit_text_rejects_text_and_values_that_do_not_match(text, values):
    from seqmodels.plot import plot_unit_text

    fig, ax = new_figure()
    with pytest.raises(ValueError):
        plot_unit_text(ax, text, values, "unit")
    plt.close(fig)
