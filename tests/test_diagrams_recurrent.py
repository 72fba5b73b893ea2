"""Chapter 4's diagrams: the RNN folded and unrolled, the task shapes, the embedding lookup, the stream batches."""

import pytest
from matplotlib.patches import FancyBboxPatch

from seqmodels.diagrams import embedding_lookup, rnn_folded_unrolled, stream_batches, task_shapes
from seqmodels.diagrams.recurrent import TASK_SHAPES
from seqmodels.diagrams.shapes import fill_of, texts


def boxes_of_kind(fig, kind):
    return [
        p
        for p in fig.axes[0].patches
        if isinstance(p, FancyBboxPatch) and p.get_gid() == "node" and p.get_facecolor()[:3] == fill_of(kind)
    ]


def test_rnn_folded_and_unrolled_carries_the_notation():
    labels = texts(rnn_folded_unrolled(steps=3))
    for label in [
        "$x_t$",
        "$h_t$",
        "$\\hat y_t$",
        "$h_0$",
        "=",
        "$\\cdots$",
        "$x_1$",
        "$h_2$",
        "$\\hat y_3$",
    ]:
        assert label in labels
    # the same three matrices in the folded cell and in each of the four unrolled copies
    assert labels.count("$W_{xh}$") == labels.count("$W_{hy}$") == 5
    assert labels.count("$W_{hh}$") == 1 + 4  # the loop, then h_0 -> h_1, ..., h_3 -> (steps not drawn)


@pytest.mark.parametrize("steps, error", [(0, ValueError), (6, ValueError), (2.5, TypeError)])
def test_rnn_folded_unrolled_checks_steps(steps, error):
    with pytest.raises(error, match="steps must"):
        rnn_folded_unrolled(steps=steps)


def test_task_shapes_names_the_five_shapes_and_draws_their_boxes():
    fig = task_shapes()
    labels = texts(fig)
    for title in ["one to one", "one to many", "many to one", "many to many", "synced many to many"]:
        assert title in labels
    assert len(boxes_of_kind(fig, "state")) == sum(n for _, _, n, _, _ in TASK_SHAPES) == 15
    assert len(boxes_of_kind(fig, "input")) == sum(len(i) for *_, i, _ in TASK_SHAPES) == 11
    assert len(boxes_of_kind(fig, "output")) == sum(len(o) for *_, o in TASK_SHAPES) == 10


@pytest.mark.parametrize("word", [".", "a", "cat", "for", "walk"])
def test_embedding_lookup_puts_the_one_on_the_row_of_the_word(word):
    fig = embedding_lookup(word)
    ax = fig.axes[0]
    labels = texts(fig)
    for label in ["word", "index", "one-hot", "matrix $E$", "embedding", "$|V| \\times d$"]:
        assert label in labels
    ones = [t for t in ax.texts if t.get_text() == "1" and t.get_gid() == "box-text"]
    assert len(ones) == 1
    row = [t for t in ax.texts if t.get_text() == word and t.get_gid() == "label"]
    assert len(row) == 1 and row[0].get_position()[1] == ones[0].get_position()[1]


@pytest.mark.parametrize("word, error", [("dog", ValueError), (3, TypeError)])
def test_embedding_lookup_checks_the_word(word, error):
    with pytest.raises(error, match="word must"):
        embedding_lookup(word)


def test_embedding_lookup_draws_the_vocabulary_the_chapter_prints():
    """Chapter 4 prints {'.': 0, 'a': 1, 'cat': 2, 'for': 3, ..., 'walk': 9}; the figure shows the same indices."""
    fig = embedding_lookup("cat")
    by_y = {}
    for t in fig.axes[0].texts:
        if t.get_gid() == "label":
            by_y.setdefault(round(t.get_position()[1], 6), []).append(t.get_text())
    for word, index in [(".", "0"), ("a", "1"), ("cat", "2"), ("for", "3"), ("walk", "9")]:
        assert any(word in row and index in row for row in by_y.values()), (word, index)


def test_stream_batches_draws_one_window_per_stream_and_step_and_the_carried_state():
    fig = stream_batches(streams=32, window=64, steps=3)
    labels = texts(fig)
    for label in ["stream 1", "stream 32", "step 1", "step 3", "batch: 32 $\\times$ 64", "$h=0$"]:
        assert label in labels
    windows = boxes_of_kind(fig, "input")
    assert len(windows) == 4 * 3  # streams 1, 2, 3 and the last, one window per step
    for k in range(3):  # step k reads characters k*64+1 .. (k+1)*64 of every stream
        assert labels.count(f"chars {k * 64 + 1}–{(k + 1) * 64}") == 4
    assert labels.count("$h$") == 4 * 3  # the state passed on after every window


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"streams": 3}, ValueError),
        ({"window": 0}, ValueError),
        ({"steps": 4}, ValueError),
        ({"steps": 1.5}, TypeError),
        ({"window": 50_000, "steps": 2}, ValueError),
    ],
)
def test_stream_batches_checks_its_arguments(kwargs, error):
    with pytest.raises(error):
        stream_batches(**kwargs)
