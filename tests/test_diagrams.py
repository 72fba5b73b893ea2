"""What every diagram promises the chapters: it draws, cleanly, once, without pyplot."""

import matplotlib.pyplot as plt
import pytest
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure

import seqmodels.diagrams as diagrams
from seqmodels.diagrams.shapes import layout_problems

#: The names the chapter authors were given; they must not change.
BOOK_NAMES = {
    "parse_tree",
    "k_step_forecast",
    "neuron",
    "two_layer_network",
    "feedforward_per_step",
    "rnn_folded_unrolled",
    "task_shapes",
    "embedding_lookup",
    "stream_batches",
    "bptt_graph",
    "encoder_decoder",
    "gradient_path",
    "clipping_cliff",
    "lstm_cell",
    "gru_cell",
    "dense_everything",
    "attention_over_states",
}

#: Every diagram with its defaults, and the other settings the chapters may use.
VARIANTS = [(name, {}) for name in sorted(BOOK_NAMES)] + [
    ("two_layer_network", {"inputs": 1, "hidden": 1}),
    ("two_layer_network", {"inputs": 5, "hidden": 5}),
    ("feedforward_per_step", {"T": 1}),
    ("feedforward_per_step", {"T": 6}),
    ("rnn_folded_unrolled", {"steps": 1}),
    ("rnn_folded_unrolled", {"steps": 5}),
    ("embedding_lookup", {"word": "walk"}),
    ("embedding_lookup", {"word": "."}),
    ("stream_batches", {"steps": 1}),
    ("stream_batches", {"streams": 4, "window": 8, "steps": 2}),
    ("bptt_graph", {"T": 1}),
    ("bptt_graph", {"T": 4, "truncation": 1}),
    ("bptt_graph", {"T": 4, "truncation": 2}),
    ("bptt_graph", {"T": 6, "truncation": 4}),
    ("encoder_decoder", {"mode": "infer"}),
    ("encoder_decoder", {"mode": "train", "context_every_step": False}),
    ("encoder_decoder", {"mode": "infer", "context_every_step": False}),
    ("gradient_path", {"T": 1}),
    ("gradient_path", {"T": 2}),
    ("gradient_path", {"T": 5}),
    ("clipping_cliff", {"learning_rate": 0.4, "threshold": 0.1}),
    ("clipping_cliff", {"learning_rate": 0.4, "threshold": 2.0}),
    ("clipping_cliff", {"learning_rate": 0.6, "threshold": 0.1}),
    ("clipping_cliff", {"learning_rate": 0.6, "threshold": 2.0}),
    ("dense_everything", {"words": ("a",), "length": 1}),
    ("dense_everything", {"words": ("o", "gato", "preto"), "length": 6}),
    ("attention_over_states", {"words": ("cat",)}),
    ("attention_over_states", {"words": ("i", "love", "you", "<eos>")}),
]
ids = [f"{name}({', '.join(f'{k}={v!r}' for k, v in kw.items())})" for name, kw in VARIANTS]


def test_the_public_names_are_the_ones_the_chapters_call():
    assert set(diagrams.__all__) == BOOK_NAMES
    for name in BOOK_NAMES:
        assert callable(getattr(diagrams, name))


@pytest.mark.parametrize("name, kwargs", VARIANTS, ids=ids)
def test_diagram_has_no_overlapping_or_cut_off_labels(name, kwargs):
    assert layout_problems(getattr(diagrams, name)(**kwargs)) == []


@pytest.mark.parametrize("name", sorted(BOOK_NAMES))
def test_diagram_is_a_figure_that_pyplot_never_sees(name):
    before = plt.get_fignums()
    fig = getattr(diagrams, name)()
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before
    assert fig.canvas.manager is None  # no window, no entry in pyplot's list


@pytest.mark.parametrize("name", sorted(BOOK_NAMES))
def test_diagram_renders_as_png_the_way_a_notebook_shows_it(name):
    png = print_figure(getattr(diagrams, name)(), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", sorted(BOOK_NAMES))
def test_diagram_fits_the_page_width(name):
    width, height = getattr(diagrams, name)().get_size_inches()
    assert 3.0 <= width <= 9.0 and height <= 5.0
