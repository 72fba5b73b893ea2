"""Chapter 4: Shakespeare coloured by one hidden unit of the character RNN, units ranked by what they track.

The states are :func:`seqmodels.lm.unit_activations` of chapter 4's character RNN (its
recipe, trained once per build by ``_trained.char_rnn`` and shared with chapter 4's
temperature explorable) on a dozen lines of the validation text, for the twelve units that
:func:`seqmodels.lm.pick_units` offers from :func:`seqmodels.lm.rank_units`'s ranking over the
first 3,000 validation characters, values rounded to two decimals.
"""

from __future__ import annotations

from functools import partial

from seqmodels.explorables import BrowserCheck, Explorable
from seqmodels.explorables._units import chart, expected_values

RANK_CHARS = 3000  # validation characters the units are ranked on
SHOWN_CHARS = 560  # of which the first this many are shown, about a dozen lines


def states():
    """The precomputed states: the RNN's hidden units over the first validation lines."""
    from seqmodels.data import shakespeare_split
    from seqmodels.explorables._trained import char_rnn
    from seqmodels.lm import rank_units, text_properties, unit_activations

    model, vocab = char_rnn()  # chapter 4's recipe, trained once per build
    valid = shakespeare_split().valid
    text = valid[:RANK_CHARS]
    A = unit_activations(model, vocab.encode(text))
    ranking = rank_units(A, text_properties(text))
    return chart(
        valid[:SHOWN_CHARS],
        A[:SHOWN_CHARS],
        ranking,
        "Chapter 4's character RNN: the text coloured by one hidden unit (red high, blue low)",
    )


SPEC = Explorable(
    name="ch04_units",
    chapter=4,
    title="What one unit of the character RNN tracks",
    states=states,
    alt="Lines of Shakespeare, each character shaded by the value of the hidden unit chosen in the select; "
    "the select lists the units that best follow a simple property of the text first.",
)

BROWSER_CHECKS = [
    BrowserCheck(controls={"unit": k}, mark="units", expected=partial(expected_values, slot=k))
    for k in (0, 3)
]
