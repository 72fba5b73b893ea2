"""Chapter 1's diagrams: the nested sentence as a tree, and the k-step forecast recursion."""

import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from seqmodels.diagrams import k_step_forecast, parse_tree
from seqmodels.diagrams.sequences import CAT_SENTENCE, CATEGORY_NAMES
from seqmodels.diagrams.shapes import KIND_COLORS, fill_of, layout_problems, texts


def boxes_of_kind(fig, kind):
    return [
        p
        for p in fig.axes[0].patches
        if isinstance(p, FancyBboxPatch) and p.get_gid() == "node" and p.get_facecolor()[:3] == fill_of(kind)
    ]


def arrows(fig, dashed=None):
    found = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    if dashed is not None:
        found = [p for p in found if (p.get_linestyle() == "--") == dashed]
    return found


def test_parse_tree_draws_every_word_group_in_order_and_every_category():
    fig = parse_tree()
    labels = texts(fig)
    words = [
        "The cat,",
        "which had been\nsleeping peacefully",
        "in",
        "the warm\nsunlight",
        "streaming",
        "through\nthe window,",
        "suddenly woke up\nand licked its paws",
    ]
    assert [t for t in labels if t in words] == words  # the sentence reads left to right
    # the categories: one sentence, two clauses' worth of nesting, phrases inside them
    assert labels.count("S") == 1 and labels.count("RC") == 1
    assert labels.count("NP") == 2 and labels.count("PP") == 2 and labels.count("VP") == 2
    legend = [t for t in labels if "sentence" in t]
    assert len(legend) == 1 and all(f"{c} {n}" in legend[0] for c, n in CATEGORY_NAMES.items())
    assert "blue: clauses" in legend[0]


def test_parse_tree_colours_clauses_and_joins_each_node_to_its_parts():
    fig = parse_tree()
    assert len(boxes_of_kind(fig, "state")) == 2  # S and the relative clause
    # 8 categories + 7 word groups = 15 nodes, so a tree has 14 edges, drawn without heads
    assert len(arrows(fig)) == 14
    assert all(a.get_arrowstyle().__class__.__name__ == "Curve" for a in arrows(fig))


def test_parse_tree_of_a_small_tree_and_clean_layouts():
    small = ("S", [("NP", ["the dog"]), ("VP", ["barks"])])
    fig = parse_tree(small)
    assert [t for t in texts(fig) if t in ("the dog", "barks", "S", "NP", "VP")] == [
        "the dog",
        "barks",
        "NP",
        "VP",
        "S",
    ]
    assert len(arrows(fig)) == 4
    for f in (fig, parse_tree()):
        assert layout_problems(f) == []


@pytest.mark.parametrize(
    "tree, error, message",
    [
        ("just words", ValueError, "at least one category"),
        (("S", []), ValueError, "non-empty list of children"),
        (("S", "words"), ValueError, "non-empty list of children"),
        (("S", ["a", ("NP", [" "])]), ValueError, "at least one word"),
        (("S", [3]), TypeError, "must be a string"),
        ((1, ["a"]), TypeError, "category must be a non-empty string"),
        (("S", [f"w{i}" for i in range(10)]), ValueError, "at most 9 leaves"),
    ],
)
def test_parse_tree_checks_its_tree(tree, error, message):
    with pytest.raises(error, match=message):
        parse_tree(tree)


def test_parse_tree_checks_names():
    with pytest.raises(TypeError, match="names must be a dict"):
        parse_tree(CAT_SENTENCE, names=["S"])


def test_k_step_forecast_feeds_each_prediction_back_into_the_next_window():
    tau, k = 4, 5
    fig = k_step_forecast(tau=tau, k=k, last=600)
    labels = texts(fig)
    # every row reads tau values and writes one: observed values x_597..x_600, predictions from 601 on
    observed = [f"$x_{{{t}}}$" for t in range(597, 601)]
    predicted = [f"$\\hat x_{{{t}}}$" for t in range(601, 606)]
    assert [labels.count(x) for x in observed] == [1, 2, 3, 4]  # x_600 sits in the first four windows
    # a prediction is drawn once as an output and then in each later window that still holds it
    assert [labels.count(x) for x in predicted] == [5, 4, 3, 2, 1]
    assert [f"step {j}" for j in range(1, k + 1)] == [t for t in labels if t.startswith("step")]
    assert len(boxes_of_kind(fig, "input")) == sum(max(tau - j, 0) for j in range(k)) == 10
    assert len(boxes_of_kind(fig, "output")) == k * (tau + 1) - 10
    feedback = arrows(fig, dashed=True)
    assert len(feedback) == k - 1
    orange = tuple(int(KIND_COLORS["output"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert all(tuple(a.get_edgecolor()[:3]) == orange for a in feedback)
    assert len(arrows(fig, dashed=False)) == k  # window -> next value, once per row
    assert layout_problems(fig) == []


@pytest.mark.parametrize("tau, k", [(1, 1), (2, 3), (4, 6), (3, 7)])
def test_k_step_forecast_lays_out_cleanly(tau, k):
    fig = k_step_forecast(tau=tau, k=k)
    assert layout_problems(fig) == []
    assert texts(fig).count(f"$\\hat x_{{{600 + k}}}$") == 1


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"tau": 0}, ValueError, "tau must be >= 1"),
        ({"k": 0}, ValueError, "k must be >= 1"),
        ({"tau": 2.0}, TypeError, "tau must be an integer"),
        ({"tau": 5, "k": 6}, ValueError, "tau \\+ k must be <= 10"),
        ({"tau": 4, "last": 3}, ValueError, "last must be >= 4"),
    ],
)
def test_k_step_forecast_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        k_step_forecast(**kwargs)
