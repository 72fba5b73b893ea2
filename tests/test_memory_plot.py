"""plot_context_curve and context_curves: loss against context length, network against counts."""

from __future__ import annotations

import matplotlib
import pytest

from seqmodels.memory_plot import context_curves, plot_context_curve

KINDS = {"inside a word": 0.7, "after a line break": 0.3}


def _run(model, key, value, nats):
    return {
        "model": model,
        key: value,
        "test_nats": nats,
        "kinds": {k: nats + i for i, k in enumerate(KINDS)},
    }


MEMORY = {
    "kinds": KINDS,
    "runs": [
        _run("lstm", "reset_every", 4, 2.0),
        _run("lstm", "reset_every", 16, 1.6),
        _run("lstm", "reset_every", None, 1.4),
        _run("kn", "order", 1, 3.3),
        _run("kn", "order", 3, 2.0),
        _run("kn", "order", 5, 1.5),
    ],
}


def test_context_curves_read_the_reset_and_order_curves_of_one_kind():
    assert context_curves(MEMORY) == {
        "reset": [(4, 2.0), (16, 1.6)],
        "never": 1.4,
        "orders": [(1, 3.3), (3, 2.0), (5, 1.5)],
    }
    line = context_curves(MEMORY, "after a line break")
    assert line["never"] == pytest.approx(2.4) and line["reset"][0] == (4, pytest.approx(3.0))


def test_plot_context_curve_draws_one_panel_per_kind_with_both_curves_and_the_unbroken_line():
    fig = plot_context_curve(MEMORY, kinds=[None, "inside a word"], title="memory")
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "inside a word"
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["LSTM, state reset every N"].get_xdata()) == [4, 16]
    assert list(lines["Kneser-Ney, order n"].get_xdata()) == [2, 4]  # n - 1; the unigram is left out
    assert list(lines["LSTM, never reset"].get_ydata()) == [1.4, 1.4]
    assert ax.get_xscale() == "log"
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: context_curves([1, 2]), TypeError, "LM_MEMORY"),
        (lambda: context_curves(MEMORY, "nowhere"), ValueError, "kind must be None"),
        (lambda: context_curves({**MEMORY, "runs": MEMORY["runs"][:2]}), ValueError, "never reset"),
        (lambda: plot_context_curve(MEMORY, kinds="inside a word"), TypeError, "kinds must be"),
        (lambda: plot_context_curve(MEMORY, kinds=[]), TypeError, "kinds must be"),
    ],
)
def test_bad_memory_records_and_kinds_get_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()
