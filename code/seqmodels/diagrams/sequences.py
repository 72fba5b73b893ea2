"""Diagrams of chapter 1: the nested structure of a sentence, and the k-step forecast."""

from __future__ import annotations

from typing import Sequence, Union

from matplotlib.figure import Figure

from seqmodels.diagrams.shapes import INK, KIND_COLORS, SMALL_SIZE, Canvas
from seqmodels.validation import check_int

#: A parse tree: a leaf is a string (a group of words, ``"\n"`` breaks its line); an inner
#: node is ``(category, [children...])``.
Tree = Union[str, tuple]

#: The chapter's example sentence, bracketed: the relative clause sits inside the subject's
#: noun phrase, the participle's phrase inside the noun phrase of *sunlight*, and so on.
CAT_SENTENCE: Tree = (
    "S",
    [
        (
            "NP",
            [
                "The cat,",
                (
                    "RC",
                    [
                        "which had been\nsleeping peacefully",
                        (
                            "PP",
                            [
                                "in",
                                (
                                    "NP",
                                    [
                                        "the warm\nsunlight",
                                        ("VP", ["streaming", ("PP", ["through\nthe window,"])]),
                                    ],
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        ("VP", ["suddenly woke up\nand licked its paws"]),
    ],
)

#: What the category labels of :data:`CAT_SENTENCE` stand for (the legend under the tree).
CATEGORY_NAMES = {
    "S": "sentence",
    "NP": "noun phrase",
    "VP": "verb phrase",
    "PP": "prepositional phrase",
    "RC": "relative clause",
}

_CLAUSES = ("S", "RC")  # drawn as clauses (blue); every other category is a phrase


def _check_tree(tree: object, where: str = "tree") -> None:
    if isinstance(tree, str):
        if not tree.strip():
            raise ValueError(f"{where}: a leaf must hold at least one word, got {tree!r}")
        return
    if not (isinstance(tree, tuple) and len(tree) == 2):
        raise TypeError(f"{where} must be a string (words) or a pair (category, children), got {tree!r}")
    category, children = tree
    if not isinstance(category, str) or not category:
        raise TypeError(f"{where}: a category must be a non-empty string, got {category!r}")
    if isinstance(children, str) or not isinstance(children, Sequence) or not children:
        raise ValueError(
            f"{where}: category {category!r} needs a non-empty list of children, got {children!r}"
        )
    for i, child in enumerate(children):
        _check_tree(child, f"{where}[{category}][{i}]")


def _depth(tree: Tree) -> int:
    return 0 if isinstance(tree, str) else 1 + max(_depth(child) for child in tree[1])


def _leaves(tree: Tree) -> list[str]:
    return [tree] if isinstance(tree, str) else [leaf for child in tree[1] for leaf in _leaves(child)]


def _categories(tree: Tree) -> set[str]:
    return set() if isinstance(tree, str) else {tree[0]}.union(*(_categories(child) for child in tree[1]))


def parse_tree(tree: Tree = CAT_SENTENCE, names: dict[str, str] | None = None) -> Figure:
    """The nesting of a sentence as a tree: words at the bottom, phrases and clauses above.

    The groups of words sit on one row in their order in the sentence; every phrase or clause
    is a box above the words it spans, joined to its parts, so *phrases inside clauses inside
    a sentence* can be read off as boxes inside boxes. Clauses (``S``, ``RC``) are blue,
    phrases white. ``tree`` is nested ``(category, [children...])`` pairs with strings (groups
    of words) as leaves; the default is chapter 1's sentence about the cat. ``names`` (default
    :data:`CATEGORY_NAMES`) spells out the categories in a legend below the tree.
    """
    _check_tree(tree)
    if isinstance(tree, str):
        raise ValueError("tree must have at least one category above its words, got a bare string")
    names = CATEGORY_NAMES if names is None else names
    if not isinstance(names, dict):
        raise TypeError(f"names must be a dict from category to its name, got {type(names).__name__}")
    leaves = _leaves(tree)
    depth = _depth(tree)
    if len(leaves) > 9 or depth > 8:
        raise ValueError(
            f"tree must have at most 9 leaves and 8 levels to fit the page, got {len(leaves)} and {depth}"
        )

    char_w, gap, row = 0.15, 0.25, 0.82  # units per character, between leaves, between levels
    widths = [max(len(line) for line in leaf.split("\n")) * char_w + 0.35 for leaf in leaves]
    legend_h = 0.7
    leaf_h = 0.95
    height = legend_h + leaf_h + depth * row + 0.3
    categories = _categories(tree)
    shown = [cat for cat in names if cat in categories]
    legend = "   ".join(f"{cat} {names[cat]}" for cat in shown)
    if any(cat in _CLAUSES for cat in categories):
        legend += "   (blue: clauses)"
    legend = legend.strip()
    text_w = sum(widths) + gap * (len(leaves) + 1)
    width = max(text_w, len(legend) * 0.14 + 0.6)
    c = Canvas(width, height)
    leaf_y = legend_h + leaf_h / 2

    xs, x = [], gap + (width - text_w) / 2
    for w in widths:
        xs.append(x + w / 2)
        x += w + gap
    leaf_nodes = [
        c.box((lx, leaf_y), leaf, "token", w=w, h=leaf_h - 0.12, size=SMALL_SIZE)
        for lx, w, leaf in zip(xs, widths, leaves)
    ]

    counter = iter(range(len(leaves)))

    def draw(node: Tree, level: int):
        """Draw ``node`` at ``level`` (0 is the root) and return its shape."""
        if isinstance(node, str):
            return leaf_nodes[next(counter)]
        category, children = node
        drawn = [draw(child, level + 1) for child in children]
        y = height - 0.3 - row / 2 - level * row
        x = (min(d.x for d in drawn) + max(d.x for d in drawn)) / 2
        if len(drawn) == 1 and isinstance(children[0], str):
            x = drawn[0].x
        me = c.box(
            (x, y), category, "state" if category in _CLAUSES else "plain", w=0.8, h=0.5, size=SMALL_SIZE
        )
        for d in drawn:
            c.arrow(me.bottom, d.top, head=False, lw=1.0)
        return me

    draw(tree, 0)
    if legend:
        c.label((width / 2, legend_h / 2), legend, color=INK, size=SMALL_SIZE)
    return c.fig


def k_step_forecast(tau: int = 4, k: int = 5, last: int = 600) -> Figure:
    """How a window model forecasts ``k`` steps ahead: its predictions re-enter its window.

    One row per step of the recursion. Row ``j`` shows the window of ``tau`` values the
    model reads (observed values green, its own earlier predictions orange) and the value it
    predicts, :math:`\\hat x_{last+j}`, in the next column; a dashed orange arrow carries that
    prediction down into the window of the next row. From row ``tau + 1`` on, the window
    holds nothing but predictions. ``last`` is the index of the last observed value.
    """
    tau = check_int("tau", tau, minimum=1)
    k = check_int("k", k, minimum=1)
    last = check_int("last", last, minimum=tau)
    if tau + k > 10:
        raise ValueError(f"tau + k must be <= 10 to fit the page width, got tau={tau}, k={k}")

    col, box_w, row = 1.45, 1.05, 1.2
    first = last - tau + 1  # the oldest value in the first window
    left = 1.7  # room for the row labels
    legend = "green: observed values, orange: the model's own predictions"
    width = max(left + col * (tau + k) + 0.2, len(legend) * 0.14 + 0.6)
    height = 0.55 + row * k + 0.2
    c = Canvas(width, height)

    def cx(t: int) -> float:
        return left + col * (t - first) + col / 2

    def name(t: int) -> str:
        return f"$x_{{{t}}}$" if t <= last else f"$\\hat x_{{{t}}}$"

    for j in range(1, k + 1):
        y = height - 0.2 - row * (j - 0.5)
        c.label((0.15, y), f"step {j}", ha="left", size=SMALL_SIZE)
        window = range(first + j - 1, first + j - 1 + tau)
        c.frame(((cx(window[0]) + cx(window[-1])) / 2, y), col * (tau - 1) + box_w + 0.1, 0.72)
        for t in window:
            c.box((cx(t), y), name(t), "input" if t <= last else "output", w=box_w)
        target = last + j
        out = c.box((cx(target), y), name(target), "output", w=box_w, edge=INK)
        c.arrow((cx(window[-1]) + box_w / 2 + 0.1, y), out.left)
        if j < k:  # the prediction is read again in the next row
            c.arrow(out.bottom, (out.x, out.y - row + 0.31), color=KIND_COLORS["output"], dashed=True)
    c.label((width / 2, 0.3), legend, size=SMALL_SIZE, color=INK)
    return c.fig
