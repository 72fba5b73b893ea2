"""Chapter 3's diagrams: the neuron, the two-layer network, one network per time step."""

import pytest
from matplotlib.patches import FancyArrowPatch

from seqmodels.diagrams import feedforward_per_step, neuron, two_layer_network
from seqmodels.diagrams.shapes import texts


def arrows(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]


def test_neuron_shows_inputs_weights_bias_sum_activation_and_output():
    labels = texts(neuron())
    for label in [
        "$1$",
        "$x_1$",
        "$x_2$",
        "$x_m$",
        "$w_0$",
        "$w_1$",
        "$w_2$",
        "$w_m$",
        "$\\Sigma$",
        "$g$",
        "$\\hat y$",
        "inputs",
        "weights",
        "sum",
        "non-linearity",
        "output",
    ]:
        assert label in labels


def test_neuron_has_one_edge_per_input_and_two_after_the_sum():
    assert len(arrows(neuron())) == 4 + 2  # 1, x_1, x_2, x_m into the sum; sum -> g -> y


def test_two_layer_network_connects_every_input_to_every_hidden_unit():
    fig = two_layer_network(inputs=2, hidden=3)
    labels = texts(fig)
    for label in [
        "$x_1$",
        "$x_2$",
        "$h_1$",
        "$h_2$",
        "$h_3$",
        "$\\hat y$",
        "$W^{(1)}, \\mathbf{b}^{(1)}$",
        "$W^{(2)}, b^{(2)}$",
        "hidden layer",
    ]:
        assert label in labels
    assert "$h_4$" not in labels
    assert len(arrows(fig)) == 2 * 3 + 3


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"inputs": 0}, ValueError),
        ({"hidden": 6}, ValueError),
        ({"inputs": 2.0}, TypeError),
    ],
)
def test_two_layer_network_checks_its_sizes(kwargs, error):
    with pytest.raises(error, match="inputs|hidden"):
        two_layer_network(**kwargs)


def test_feedforward_per_step_draws_the_same_network_at_each_step_and_nothing_between():
    fig = feedforward_per_step(T=4)
    labels = texts(fig)
    assert [f"$x_{t}$" in labels and f"$\\hat y_{t}$" in labels for t in range(1, 5)] == [True] * 4
    assert labels.count("$f$") == 4
    assert len(arrows(fig)) == 2 * 4  # x_t -> f and f -> y_t only: no arrow joins two steps


@pytest.mark.parametrize("T, error", [(0, ValueError), (7, ValueError), ("3", TypeError)])
def test_feedforward_per_step_checks_T(T, error):
    with pytest.raises(error, match="T must"):
        feedforward_per_step(T=T)


def test_feedforward_per_step_names_the_output_size_q_as_chapter_3_does():
    """Chapter 3 writes ŷ_t ∈ R^q (n is its batch size); the diagram must use the same letter."""
    from seqmodels.diagrams import feedforward_per_step
    from seqmodels.diagrams.shapes import texts

    labels = texts(feedforward_per_step())
    assert "$\\hat{\\mathbf{y}}_t \\in \\mathbb{R}^q$" in labels
    assert not any("mathbb{R}^n" in label for label in labels)
