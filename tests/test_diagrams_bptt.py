"""Chapter 5's diagram: backpropagation through time, full and truncated."""

import pytest
from matplotlib.patches import FancyArrowPatch

from seqmodels.diagrams import bptt_graph
from seqmodels.diagrams.shapes import GRADIENT, texts


def gradient_arrows(fig):
    red = tuple(int(GRADIENT[i : i + 2], 16) / 255 for i in (1, 3, 5))
    found = [
        p
        for p in fig.axes[0].patches
        if isinstance(p, FancyArrowPatch) and tuple(p.get_edgecolor()[:3]) == red
    ]
    return [p for p in found if p.get_linestyle() == "-"], [p for p in found if p.get_linestyle() == "--"]


def test_bptt_graph_has_per_step_losses_their_sum_and_a_gradient_at_every_state():
    fig = bptt_graph(T=4)
    labels = texts(fig)
    for t in range(1, 5):
        for label in [
            f"$x_{t}$",
            f"$h_{t}$",
            f"$\\hat y_{t}$",
            f"$L_{t}$",
            f"$\\partial L / \\partial h_{t}$",
        ]:
            assert label in labels
    assert "$L = L_1 + \\cdots + L_4$" in labels and "$W_{hh}$" in labels
    solid, dashed = gradient_arrows(fig)
    assert len(solid) == 2 * 4 + 3 and dashed == []  # L_t -> y_t -> h_t, and h_{t+1} -> h_t
    assert "$\\times$" not in labels


@pytest.mark.parametrize("T, k, cuts", [(4, 1, 3), (4, 2, 1), (4, 3, 1), (5, 2, 2), (4, 4, 0), (4, 9, 0)])
def test_truncation_cuts_the_gradient_between_windows_of_k_steps(T, k, cuts):
    fig = bptt_graph(T=T, truncation=k)
    solid, dashed = gradient_arrows(fig)
    assert len(dashed) == cuts and len(solid) == 2 * T + (T - 1) - cuts
    assert texts(fig).count("$\\times$") == cuts


def test_small_sums_are_written_out():
    assert "$L = L_1$" in texts(bptt_graph(T=1))
    assert "$L = L_1 + L_2 + L_3$" in texts(bptt_graph(T=3))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"T": 0}, ValueError, "T must be >= 1"),
        ({"T": 7}, ValueError, "T must be <= 6"),
        ({"T": 4.0}, TypeError, "T must be an integer"),
        ({"truncation": 0}, ValueError, "truncation must be >= 1"),
        ({"truncation": True}, TypeError, "truncation must be an integer"),
    ],
)
def test_bptt_graph_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        bptt_graph(**kwargs)
