"""Chapter 8: Shakespeare coloured by one unit of the character LSTM's cell state, units ranked by what they track.

The view of Karpathy's "unreasonable effectiveness" post and of LSTMVis. The states are
:func:`seqmodels.lm.unit_activations` (the cell state :math:`c_t`) of chapter 8's character
LSTM (its recipe, trained once per build and kept in the cache of ``_trained.py``: 150
steps, some seconds) on a dozen lines of the validation text, for the twelve units
:func:`seqmodels.lm.pick_units` offers from :func:`seqmodels.lm.rank_units`'s ranking over
the first 3,000 validation characters, rounded to two decimals. Each unit is shaded on its
own scale, since cell states range from tenths to tens.
"""

from __future__ import annotations

from functools import partial

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._units import chart, expected_values

RANK_CHARS = 3000
SHOWN_CHARS = 560


def trained_model():
    """Chapter 8's character LSTM: CharLM(V, 128, "lstm", embed 32), 150 steps of Adam at 0.01, clip 1; its vocab."""
    import numpy as np

    from seqmodels import seed_everything
    from seqmodels.data import Vocab, shakespeare_split
    from seqmodels.explorables._trained import _cached
    from seqmodels.lm import CharLM, train_lm

    split = shakespeare_split()
    vocab = Vocab(split.train)

    def make():
        seed_everything(0)
        return CharLM(len(vocab), hidden_size=128, cell="lstm", embed_size=32)

    def build():
        model = make()
        train_ids, valid_ids = np.array(vocab.encode(split.train)), np.array(vocab.encode(split.valid))
        train_lm(model, train_ids, valid_ids, batch_size=32, num_steps=64, max_steps=150, lr=0.01, clip=1.0,
                 eval_every=None, progress=False)  # fmt: skip
        return model

    return _cached("char_lstm_ch08", build, make), vocab, split.valid


def states():
    """The precomputed states: the LSTM's cell-state units over the first validation lines."""
    from seqmodels.lm import rank_units, text_properties, unit_activations

    model, vocab, valid = trained_model()
    text = valid[:RANK_CHARS]
    C = unit_activations(model, vocab.encode(text), state="c")
    ranking = rank_units(C, text_properties(text))
    return chart(
        valid[:SHOWN_CHARS],
        C[:SHOWN_CHARS],
        ranking,
        "Chapter 8's character LSTM: the text coloured by one unit of its cell state c (red high, blue low)",
        state="c",
    )


SPEC = Explorable(
    name="ch08_units",
    chapter=8,
    title="What one memory cell of the character LSTM tracks",
    states=states,
    alt="Lines of Shakespeare, each character shaded by the value of the LSTM cell-state unit chosen in the select; "
    "the select lists the units that best follow a simple property of the text first.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"unit": k}, mark="units", expected=partial(expected_values, slot=k))
    for k in (0, 3)
]
