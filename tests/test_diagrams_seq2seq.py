"""Chapter 6's diagram: the encoder-decoder in training and at inference."""

import pytest
from matplotlib.colors import to_rgb
from matplotlib.patches import FancyArrowPatch

from seqmodels.diagrams import encoder_decoder
from seqmodels.diagrams.shapes import texts
from seqmodels.plot import COLORS


def dashed_arrows(fig, colour):
    return [
        p
        for p in fig.axes[0].patches
        if isinstance(p, FancyArrowPatch)
        and p.get_linestyle() == "--"
        and tuple(p.get_edgecolor()[:3]) == to_rgb(COLORS[colour])
    ]


def test_training_feeds_the_true_previous_word():
    fig = encoder_decoder("train")
    labels = texts(fig)
    for label in [
        "cat",
        "$h_1$",
        "$c$",
        "⟨bos⟩",
        "o",
        "gato",
        "⟨eos⟩",
        "$s_1$",
        "$s_3$",
        "$\\hat y_1$",
        "target",
        "decoder, teacher forcing",
        "encoder",
    ]:
        assert label in labels
    assert len(dashed_arrows(fig, "green")) == 2 and dashed_arrows(fig, "orange") == []


def test_inference_feeds_back_its_own_prediction():
    fig = encoder_decoder("infer")
    labels = texts(fig)
    for label in ["cat", "$c$", "⟨bos⟩", "⟨eos⟩", "decoder, greedy decoding"]:
        assert label in labels
    assert labels.count("o") == labels.count("gato") == 2  # written, then read back
    assert "target" not in labels and "$\\hat y_1$" not in labels
    assert len(dashed_arrows(fig, "orange")) == 2 and dashed_arrows(fig, "green") == []


def test_the_context_can_feed_only_the_first_step():
    every = encoder_decoder(context_every_step=True)
    first = encoder_decoder(context_every_step=False)
    count = lambda fig: sum(isinstance(p, FancyArrowPatch) for p in fig.axes[0].patches)  # noqa: E731
    assert count(every) == count(first) + 1 + 3  # the bus and one tap per decoder step


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"mode": "test"}, ValueError, "mode must be one of"),
        ({"mode": 1}, TypeError, "mode must be a string"),
        ({"context_every_step": "yes"}, TypeError, "context_every_step must be True or False"),
    ],
)
def test_encoder_decoder_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        encoder_decoder(**kwargs)
