"""How much context a language model uses: loss against context length, network against counts (chapter 8).

An ``n``-gram model sees ``n - 1`` characters, so its loss against ``n - 1`` is the curve of
"more context" for counting. A recurrent network has no window; to ask how much of its
history it uses, chapter 8 resets its state every ``N`` characters and scores the test text
again (:func:`seqmodels.contest.reset_logprobs`): no prediction can then lean on more than
``N`` characters. :func:`plot_context_curve` draws both curves on one axis, the network's
unbroken score as a line, one panel per kind of character. The records are those of
``seqmodels.results.lm_memory`` (``tools/runs/run_lm_memory.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from .plot import COLORS, STYLE


def context_curves(memory: Mapping, kind: str | None = None) -> dict[str, object]:
    """The two curves of ``memory`` (``LM_MEMORY``) for one kind of character (None: all of them).

    Returns ``{"reset": [(N, nats), ...], "never": nats, "orders": [(n, nats), ...]}``: the
    network reset every ``N`` characters, the network never reset, and the counts of order ``n``.
    """
    if not isinstance(memory, Mapping) or not {"runs", "kinds"} <= set(memory):
        raise TypeError("memory must be the dict LM_MEMORY, with 'runs' and 'kinds'")
    if kind is not None and kind not in memory["kinds"]:
        raise ValueError(
            f"kind must be None (all characters) or one of {list(memory['kinds'])}, got {kind!r}"
        )

    def nats(run: Mapping) -> float:
        return float(run["test_nats"] if kind is None else run["kinds"][kind])

    lstm = [r for r in memory["runs"] if r["model"] == "lstm"]
    never = [r for r in lstm if r["reset_every"] is None]
    if len(never) != 1:
        raise ValueError("memory must hold exactly one network run that is never reset (reset_every None)")
    return {
        "reset": [(int(r["reset_every"]), nats(r)) for r in lstm if r["reset_every"] is not None],
        "never": nats(never[0]),
        "orders": [(int(r["order"]), nats(r)) for r in memory["runs"] if r["model"] == "kn"],
    }


def plot_context_curve(
    memory: Mapping, kinds: Sequence[str | None] = (None,), *, title: str | None = None
) -> Figure:
    """One panel per entry of ``kinds`` (None: all characters): test nats/char against context length.

    Blue: the network with its state reset every ``N`` characters, at ``N`` (it may use at most
    ``N`` characters, on average about half); dotted blue: the network never reset. Orange:
    Kneser-Ney counts of order ``n`` at ``n - 1``, the characters they see (the unigram, which
    sees none, is left out of the logarithmic axis). Lower is better.
    """
    if isinstance(kinds, str) or not isinstance(kinds, Sequence) or not kinds:
        raise TypeError(f"kinds must be a non-empty sequence of kind names or None, got {kinds!r}")
    curves = [context_curves(memory, kind) for kind in kinds]
    width = STYLE["figure.figsize"][0] if len(kinds) == 1 else min(3.6 * len(kinds), 11.0)
    fig = Figure(figsize=(width, STYLE["figure.figsize"][1]), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(kinds)))
    for ax, kind, curve in zip(axes, kinds, curves):
        reset = np.array(curve["reset"], dtype=float)
        orders = np.array([(n - 1, x) for n, x in curve["orders"] if n > 1], dtype=float)
        ax.plot(reset[:, 0], reset[:, 1], color=COLORS["blue"], marker="o", label="LSTM, state reset every N")
        ax.axhline(curve["never"], color=COLORS["blue"], ls=":", label="LSTM, never reset")
        if len(orders):
            ax.plot(
                orders[:, 0], orders[:, 1], color=COLORS["orange"], marker="s", label="Kneser-Ney, order n"
            )
        ax.set_xscale("log", base=2)
        ax.set_title("all characters" if kind is None else kind)
    # one label under all panels: per panel it is too long and runs into its neighbour's
    fig.supxlabel("characters of context, at most (LSTM: N; counts: n - 1)", fontsize="medium")
    axes[0].set_ylabel("test nats/char")
    axes[0].legend(fontsize="small")
    if title is not None:
        fig.suptitle(str(title))
    return fig


__all__ = ["context_curves", "plot_context_curve"]
