"""Chapter 9's diagrams: a dense network over the whole sentence, attention over the states."""

import numpy as np
import pytest
import torch

from seqmodels.diagrams import attention_over_states, dense_everything
from seqmodels.diagrams.attention import attention_weights
from seqmodels.diagrams.shapes import texts


def test_dense_everything_gives_every_position_its_own_weights_and_pads_to_a_fixed_length():
    labels = texts(dense_everything(words=("the", "cat", "is", "black"), length=5))
    assert [f"$W_{j}$" in labels for j in range(1, 6)] == [True] * 5
    assert labels.count("⟨pad⟩") == 1 and "5 × 4 = 20 inputs" in labels
    assert "one block per position" in labels


def test_dense_everything_draws_real_one_hot_vectors_and_zeros_for_padding():
    fig = dense_everything(words=("the", "cat", "the"), length=4)
    ax = fig.axes[0]
    faces = [
        p.get_facecolor()
        for p in ax.patches
        if getattr(p, "get_width", None) and abs(p.get_width() - 0.75) < 1e-9
    ]
    assert len(faces) == 4 * 2  # |V| = 2 distinct words: 2 cells per position
    filled = [f != faces[-1] for f in faces]  # the padding's cells are all empty
    assert filled[-2:] == [False, False] and sum(filled) == 3  # one filled cell per word, none for padding
    assert faces[0] == faces[4] and faces[0] != faces[1]  # "the" at positions 1 and 3: the same one-hot


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"words": ("a", "b"), "length": 1}, ValueError, "length must be between"),
        ({"length": 7}, ValueError, "length must be between"),
        ({"length": 5.0}, TypeError, "length must be an integer"),
        ({"words": "the cat"}, TypeError, "words must be a sequence"),
    ],
)
def test_dense_everything_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        dense_everything(**kwargs)


def test_attention_weights_are_a_softmax_of_the_dot_product_scores():
    rng = np.random.default_rng(7)
    h, s = rng.normal(size=(3, 4)), rng.normal(size=4)
    e, alpha = attention_weights(seed=7, positions=3, size=4)
    assert np.allclose(e, h @ s)
    assert np.allclose(alpha, torch.softmax(torch.tensor(e), dim=0).numpy())
    assert np.isclose(alpha.sum(), 1.0) and (alpha > 0).all()


def test_attention_over_states_shows_the_scores_weights_and_context_it_computed():
    labels = texts(attention_over_states(words=("the", "black", "cat")))
    for label in [
        "the",
        "black",
        "cat",
        "$h_1$",
        "$h_2$",
        "$h_3$",
        "$s_t$",
        "$s_{t-1}$",
        "$y_{t-1}$",
        "$c_t$",
        "$\\hat y_t$",
        "$e_{t,j} = s_t \\cdot h_j$",
        "$\\alpha_{t,j} = \\mathrm{softmax}_j(e_{t,j})$",
        "$\\Sigma_j\\, \\alpha_{t,j} h_j$",
    ]:
        assert label in labels, label
    e, alpha = attention_weights(positions=3)
    assert all(f"{v:.1f}".replace("-", "−") in labels for v in e)  # scores, with a true minus sign
    assert all(f"{a:.2f}" in labels for a in alpha)


@pytest.mark.parametrize("words, error", [((), ValueError), (("a",) * 5, ValueError), ("cat", TypeError)])
def test_attention_over_states_checks_the_words(words, error):
    with pytest.raises(error, match="words"):
        attention_over_states(words=words)
