"""Diagrams of chapter 4: the recurrent cell, the shapes of sequence tasks, embeddings."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from seqmodels.diagrams.shapes import INK, SMALL_SIZE, Canvas, Node, tint
from seqmodels.plot import COLORS
from seqmodels.validation import check_int

_X, _H, _Y = 0.55, 2.0, 3.45  # heights of the input, state and output rows


def _column(c: Canvas, x: float, t: str) -> Node:
    """One time step, x_t -> h_t -> y_t, with the weights beside the arrows; returns h_t."""
    x_t = c.box((x, _X), f"$x_{t}$", "input")
    h_t = c.box((x, _H), f"$h_{t}$", "state")
    y_t = c.box((x, _Y), f"$\\hat y_{t}$", "output")
    c.arrow(x_t.top, h_t.bottom, label="$W_{xh}$", label_at=(x + 0.1, (_X + _H) / 2), label_ha="left")
    c.arrow(h_t.top, y_t.bottom, label="$W_{hy}$", label_at=(x + 0.1, (_H + _Y) / 2), label_ha="left")
    return h_t


def rnn_folded_unrolled(steps: int = 3) -> Figure:
    """The recurrent cell with its loop (left) equals the unrolled chain (right).

    The chain shows ``steps`` numbered steps, then a gap and the general step ``t``; every
    copy uses the same :math:`W_{xh}`, :math:`W_{hh}` and :math:`W_{hy}`.
    """
    steps = check_int("steps", steps, minimum=1)
    if steps > 5:
        raise ValueError(f"steps must be <= 5 to fit the page width, got {steps}")
    gap = 1.95
    c = Canvas(10.2 + gap * (steps - 1), 4.05)
    # folded: one cell whose state feeds back into itself
    h_t = _column(c, 0.75, "t")
    c.loop(h_t, "$W_{hh}$")
    c.label((3.0, _H), "=", size=20)
    # unrolled: the same cell once per time step
    h_prev = c.box((3.95, _H), "$h_0$", "plain", w=0.8)
    x = h_prev.x + 1.7
    for name in [str(i) for i in range(1, steps + 1)] + ["t"]:
        if name == "t":  # the steps not drawn
            a = h_prev.right[0]
            c.arrow(h_prev.right, (a + 0.95, _H), label="$W_{hh}$", label_at=(a + 0.47, _H + 0.27))
            c.label((a + 1.27, _H), "$\\cdots$", size=16)
            h_prev = Node(a + 1.1, _H, 0.5, 0)
            x = a + 2.6
        h_t = _column(c, x, name)
        c.arrow(
            h_prev.right,
            h_t.left,
            label=None if name == "t" else "$W_{hh}$",
            label_at=((h_prev.right[0] + h_t.left[0]) / 2, _H + 0.27),
        )
        h_prev = h_t
        x += gap
    return c.fig


#: The five shapes of sequence tasks: title, example, number of steps, steps with an input,
#: steps with an output.
TASK_SHAPES = (
    ("one to one", "no sequence", 1, (0,), (0,)),
    ("one to many", "captioning", 3, (0,), (0, 1, 2)),
    ("many to one", "sentiment", 3, (0, 1, 2), (2,)),
    ("many to many", "translation", 5, (0, 1, 2), (3, 4)),
    ("synced many to many", "each frame", 3, (0, 1, 2), (0, 1, 2)),
)


def task_shapes() -> Figure:
    """Five ways to wire a recurrent network to a task: which steps get an input or an output.

    Green boxes are inputs, blue ones states, orange ones outputs; states pass to the right.
    """
    step, w, h = 0.72, 0.5, 0.42
    rows = {"x": 1.3, "h": 2.25, "y": 3.2}
    widths = [max(n * step, 0.15 * len(title)) for title, _, n, _, _ in TASK_SHAPES]
    c = Canvas(0.75 + sum(widths) + 0.35 * (len(widths) - 1), 3.65)
    for name, y in rows.items():
        text = {"x": "$x$", "h": "$h$", "y": "$\\hat y$"}[name]
        c.label((0.3, y), text, size=SMALL_SIZE, color=COLORS["grey"])
    left = 0.75
    for (title, example, n, ins, outs), width in zip(TASK_SHAPES, widths):
        x0 = left + (width - (n - 1) * step) / 2
        prev = None
        for i in range(n):
            x = x0 + i * step
            h_i = c.box((x, rows["h"]), "", "state", w=w, h=h)
            if prev is not None:
                c.arrow(prev.right, h_i.left)
            if i in ins:
                x_i = c.box((x, rows["x"]), "", "input", w=w, h=h)
                c.arrow(x_i.top, h_i.bottom)
            if i in outs:
                y_i = c.box((x, rows["y"]), "", "output", w=w, h=h)
                c.arrow(h_i.top, y_i.bottom)
            prev = h_i
        mid = left + width / 2
        c.label((mid, 0.62), title, size=SMALL_SIZE)
        c.label((mid, 0.2), f"({example})", size=SMALL_SIZE, color=COLORS["grey"])
        left += width + 0.35
    return c.fig


def embedding_lookup(word: str = "cat") -> Figure:
    """From a word to a vector: vocabulary and index, one-hot vector, row of the embedding matrix.

    The vocabulary drawn is chapter 4's, built from "This morning I took my cat for a walk."
    and sorted: "." is 0, "a" 1, "cat" 2, "for" 3, ..., "walk" 9 (:math:`|V| = 10`).

    The rows line up: the word's index picks the one entry 1 of its one-hot vector, which
    picks the same row of the embedding matrix :math:`E` (multiplying the one-hot vector
    by :math:`E` gives that row); the row is the word's vector.
    """
    vocab = (".", "a", "cat", "for", "walk")
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__} {word!r}")
    if word not in vocab:
        raise ValueError(f"word must be one of the drawn vocabulary {list(vocab)}, got {word!r}")
    words = (".", "a", "cat", "for", "$\\vdots$", "walk")
    index = ("0", "1", "2", "3", "$\\vdots$", "9")
    row = words.index(word)
    cell, d = 0.42, 4
    c = Canvas(11.4, 4.85)
    ys = [3.55 - i * cell * 1.25 for i in range(len(words))]
    y = ys[row]
    token = c.box((0.65, y), word, "token", w=0.9)
    # the chosen word's row, across the vocabulary, the one-hot vector and the matrix
    c.ax.add_patch(
        Rectangle(
            (1.75, y - 0.27), 6.0, 0.54, facecolor=tint(COLORS["blue"], 0.12), edgecolor="none", zorder=1
        )
    )
    c.arrow(token.right, (1.8, y))
    rows = np.random.default_rng(0).uniform(0, 1, (len(words), d))
    for i, (w_i, k_i, y_i) in enumerate(zip(words, index, ys)):
        c.label((2.75, y_i), w_i, ha="right")
        c.label((3.55, y_i), k_i)
        if w_i == "$\\vdots$":
            c.label((4.75, y_i), w_i)
            c.label((6.3, y_i), w_i)
        else:
            c.box((4.75, y_i), "1" if i == row else "0", "plain", w=cell, h=cell, size=SMALL_SIZE)
            c.cells((6.3, y_i), rows[i], cell=cell, horizontal=True)
    c.ax.add_patch(
        Rectangle(
            (6.3 - d * cell / 2, y - cell / 2),
            d * cell,
            cell,
            facecolor="none",
            edgecolor=INK,
            linewidth=1.6,
            zorder=4,
        )
    )
    c.arrow((6.3 + d * cell / 2 + 0.05, y), (8.75, y))
    c.cells((9.7, y), rows[row], cell=cell, horizontal=True)
    for x, text in (
        (2.4, "word"),
        (3.55, "index"),
        (4.75, "one-hot"),
        (6.3, "matrix $E$"),
        (9.7, "embedding"),
    ):
        c.label((x, 4.45), text)
    c.label((4.75, 0.22), "$|V|$ entries", size=SMALL_SIZE, color=COLORS["grey"])
    c.label((6.3, 0.22), "$|V| \\times d$", size=SMALL_SIZE, color=COLORS["grey"])
    c.label((9.7, y - 0.55), "$d$ numbers", size=SMALL_SIZE, color=COLORS["grey"])
    return c.fig


def stream_batches(streams: int = 32, window: int = 64, steps: int = 3) -> Figure:
    """How ``train_lm`` reads a long text: ``streams`` parallel pieces, ``window`` characters per step.

    The text is cut into ``streams`` equal pieces (the rows; three and the last are drawn).
    Training step ``k`` reads the ``k``-th window of ``window`` characters of every piece at
    once: one column, a batch of ``streams x window``. Within a row the windows follow each
    other in the text, so the state :math:`h` a window ends with is the state the next
    window starts from (blue arrows): the network's memory runs across windows, while the
    gradient stops at each window's start (``detach``, chapter 5).
    """
    streams = check_int("streams", streams, minimum=4)
    window = check_int("window", window, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    if steps > 3:
        raise ValueError(f"steps must be <= 3 to fit the page width, got {steps}")
    if window * steps >= 10**5:
        raise ValueError(f"window * steps must stay below 100000 to fit in a box, got {window * steps}")
    blue = COLORS["blue"]
    col_w, gap = 2.5, 1.25
    cols = [4.2 + k * (col_w + gap) for k in range(steps)]
    c = Canvas(max(cols[-1] + col_w / 2 + 2.1, 15.1), 8.0)  # the footnote needs 15 units
    # the text, cut into equal pieces
    names = ["stream 1", "stream 2", "stream 3", "$\\cdots$", f"stream {streams}"]
    left, right = 0.4, max(cols[-1] + col_w / 2 + 1.9, 14.9)
    piece = (right - left) / len(names)
    c.label(((left + right) / 2, 7.55), f"the training text, cut into {streams} equal pieces (streams)")
    for i, name in enumerate(names):
        c.box((left + piece * (i + 0.5), 6.85), name, "token", w=piece, h=0.6, size=SMALL_SIZE)
    # one row per stream, one column per training step
    rows = {"stream 1": 5.55, "stream 2": 4.65, "stream 3": 3.75, "$\\vdots$": 3.0, f"stream {streams}": 2.25}
    for k, x in enumerate(cols):
        c.frame((x, 3.95), col_w + 0.15, 4.05)
        c.label((x, 6.2), f"step {k + 1}")
        c.label((x, 1.25), f"batch: {streams} $\\times$ {window}", size=SMALL_SIZE)
    for name, y in rows.items():
        c.label((0.95, y), name, size=SMALL_SIZE)
        if name == "$\\vdots$":
            for x in cols:
                c.label((x, y), name)
            continue
        c.label((2.3, y + 0.3), "$h=0$", color=blue, size=SMALL_SIZE)
        c.arrow((1.75, y), (cols[0] - col_w / 2, y), color=blue)
        for k, x in enumerate(cols):
            c.box(
                (x, y), f"chars {k * window + 1}–{(k + 1) * window}", "input", w=col_w, h=0.6, size=SMALL_SIZE
            )
            end = cols[k + 1] - col_w / 2 if k + 1 < steps else x + col_w / 2 + 0.95
            c.arrow((x + col_w / 2, y), (end, y), color=blue)
            c.label((x + col_w / 2 + 0.45, y + 0.3), "$h$", color=blue, size=SMALL_SIZE)
        c.label((cols[-1] + col_w / 2 + 1.3, y), "$\\cdots$")
    c.label(
        ((left + right) / 2, 0.45),
        "a window's last state $h$ starts the next window of its stream; the gradient stops there",
        size=SMALL_SIZE,
        color=COLORS["grey"],
    )
    return c.fig
