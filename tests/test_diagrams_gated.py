"""Chapter 8's diagrams: the LSTM and GRU cells."""

import matplotlib
import pytest

from seqmodels.diagrams import gru_cell, lstm_cell
from seqmodels.diagrams.shapes import texts


def test_lstm_cell_names_its_gates_states_and_joined_input():
    labels = texts(lstm_cell())
    for label in [
        "$c_{t-1}$",
        "$c_t$",
        "$h_{t-1}$",
        "$h_t$",
        "$x_t$",
        "$[h_{t-1}, x_t]$",
        "$f_t$",
        "$i_t$",
        "$g_t$",
        "$o_t$",
        "+",
    ]:
        assert labels.count(label) == 1, label
    assert labels.count("σ") == 3  # forget, input and output gates
    assert labels.count("tanh") == 2  # the candidate layer and the squashing of c_t


def test_gru_cell_names_its_gates_and_candidate_in_pytorchs_convention():
    labels = texts(gru_cell())
    for label in [
        "$h_{t-1}$",
        "$h_t$",
        "$x_t$",
        "$[h_{t-1}, x_t]$",
        "$r_t$",
        "$z_t$",
        "$n_t$",
        "$W_{hn}$",
        "1−",
        "+",
    ]:
        assert labels.count(label) == 1, label
    assert labels.count("σ") == 2 and labels.count("tanh") == 1


def _shaded(fig):
    from matplotlib.colors import to_rgba

    from seqmodels.diagrams.gated import HIGHLIGHT

    return [p for p in fig.axes[0].patches if p.get_facecolor() == to_rgba(HIGHLIGHT)]


@pytest.mark.parametrize(
    "draw, parts",
    [(lstm_cell, ("forget", "input", "cell", "output")), (gru_cell, ("reset", "candidate", "update"))],
)
def test_a_highlight_shades_one_part_behind_the_unchanged_drawing(draw, parts):
    plain = draw()
    assert _shaded(plain) == []
    for part in parts:
        fig = draw(highlight=part)
        (patch,) = _shaded(fig)
        assert patch.get_zorder() < min(t.get_zorder() for t in fig.axes[0].texts)  # behind the labels
        assert texts(fig) == texts(plain)  # the same drawing: labels and their layout are untouched
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize(
    "draw, part, error",
    [(lstm_cell, "reset", ValueError), (gru_cell, "forget", ValueError), (lstm_cell, 3, TypeError)],
)
def test_a_highlight_of_a_part_the_cell_lacks_is_refused(draw, part, error):
    with pytest.raises(error, match="highlight must be"):
        draw(highlight=part)
