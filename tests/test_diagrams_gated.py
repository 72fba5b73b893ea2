"""Chapter 8's diagrams: the LSTM and GRU cells."""

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
