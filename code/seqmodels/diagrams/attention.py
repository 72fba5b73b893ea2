"""Diagrams of chapter 9: a dense network over a whole sentence, and attention over the states."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from seqmodels.diagrams.shapes import SMALL_SIZE, Canvas, check_words
from seqmodels.plot import COLORS
from seqmodels.validation import check_int

_PAD = "⟨pad⟩"


def dense_everything(words: tuple[str, ...] = ("the", "cat", "is", "black"), length: int = 5) -> Figure:
    """Idea 1: concatenate every word's one-hot vector and feed the lot to one dense layer.

    The vocabulary is the sentence's distinct words, so each position is a real one-hot
    vector of size :math:`|V|` (padding is all zeros). The input has a fixed ``length``
    (shorter sentences are padded), and every position has its own block of weights
    :math:`W_j`: nothing learnt at one position carries over to the next, and the layer's
    size grows with ``length``.
    """
    words = check_words("words", words, max_count=6)
    length = check_int("length", length, minimum=1)
    if not len(words) <= length <= 6:
        raise ValueError(f"length must be between len(words) = {len(words)} and 6, got {length}")
    slots = list(words) + [_PAD] * (length - len(words))
    vocab = list(dict.fromkeys(words))  # the sentence's distinct words, in order: one-hots of size |V|
    step, d = 1.5, len(vocab)
    xs = [0.95 + step * j for j in range(length)]
    c = Canvas(xs[-1] + 3.9, 5.9)
    for j, (x, word) in enumerate(zip(xs, slots)):
        token = c.box((x, 0.45), word, "token" if word == _PAD else "input", w=1.25)
        vector = c.cells(
            (x, 1.6),
            np.eye(d)[vocab.index(word)] if word != _PAD else np.zeros(d),
            cell=step / d,
            horizontal=True,
            color=COLORS["green"],
        )
        c.arrow(token.top, vector.bottom)
        block = c.box((x, 2.95), f"$W_{j + 1}$", "layer", w=step, h=0.7)
        c.arrow(vector.top, block.bottom)
    total = c.op(((xs[0] + xs[-1]) / 2, 4.1), "+")
    for x in xs:
        c.arrow((x, 3.3), total.towards((x, 3.3)))
    y_hat = c.box((total.x, 5.25), "$\\hat y$", "output")
    c.arrow(total.top, y_hat.bottom)
    right = xs[-1] + step / 2 + 0.25
    c.label(
        (right, 1.6),
        f"{length} × {d} = {length * d} inputs",
        size=SMALL_SIZE,
        ha="left",
        color=COLORS["grey"],
    )
    c.label((right, 2.95), "one block per position", size=SMALL_SIZE, ha="left", color=COLORS["grey"])
    return c.fig


def attention_weights(seed: int = 7, positions: int = 3, size: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Scores :math:`e_{t,j} = s_t \\cdot h_j` and weights :math:`\\alpha_{t,j}` of a small random example."""
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(positions, size))
    s = rng.normal(size=size)
    e = h @ s
    alpha = np.exp(e - e.max())
    return e, alpha / alpha.sum()


def attention_over_states(words: tuple[str, ...] = ("the", "black", "cat")) -> Figure:
    """Dot-product attention at one decoder step :math:`t`, on a small computed example.

    Every encoder state :math:`h_j` is scored against the decoder state,
    :math:`e_{t,j} = s_t \\cdot h_j`; a softmax over :math:`j` turns the scores into weights
    :math:`\\alpha_{t,j}` (non-negative, summing to 1); the context
    :math:`c_t = \\sum_j \\alpha_{t,j} h_j` (line widths show the weights) and :math:`s_t`
    together predict :math:`\\hat y_t`. The numbers come from random vectors, not a model.
    """
    words = check_words("words", words, max_count=4)
    m = len(words)
    e, alpha = attention_weights(positions=m)
    step, state, score, weight, top = 2.05, 1.6, 2.85, 4.35, 5.6
    xs = [0.9 + step * j for j in range(m)]
    right = xs[-1] + 1.6
    c = Canvas(right + 4.4, 6.2)
    prev = None
    ws = []
    for j, x in enumerate(xs):
        token = c.box((x, 0.45), words[j], "input")
        h_j = c.box((x, state), f"$h_{j + 1}$", "state")
        c.arrow(token.top, h_j.bottom)
        if prev is not None:
            c.arrow(prev.right, h_j.left)
        times = c.op((x, weight), "⊙")
        c.arrow(h_j.top, times.bottom)
        c.dot((x, score))
        e_j = c.box(
            (x + 0.9, score), f"{e[j]:.1f}".replace("-", "−"), "plain", w=0.72, h=0.5, size=SMALL_SIZE
        )
        c.arrow((x, score), e_j.left)
        a_j = c.box((x + 0.9, weight), f"{alpha[j]:.2f}", "output", w=0.72, h=0.5, size=SMALL_SIZE)
        c.arrow(e_j.top, a_j.bottom)
        c.arrow(a_j.left, times.right)
        ws.append(times)
        prev = h_j
    total = c.op((xs[m // 2] if m % 2 else (xs[0] + xs[-1]) / 2, top), "+")
    for times, a in zip(ws, alpha):
        c.arrow(times.towards((total.x, total.y)), total.towards((times.x, times.y)), lw=0.8 + 3.5 * float(a))
    c.label((right, score), "$e_{t,j} = s_t \\cdot h_j$", ha="left")
    c.label((right, weight), "$\\alpha_{t,j} = \\mathrm{softmax}_j(e_{t,j})$", ha="left")
    context = c.box((right + 0.6, top), "$c_t$", "state")
    c.arrow(total.right, context.left)
    c.label(((total.x + context.x) / 2, top + 0.3), "$\\Sigma_j\\, \\alpha_{t,j} h_j$", size=SMALL_SIZE)
    s_t = c.box((right + 3.2, state), "$s_t$", "state")
    prev_s = c.box((right + 1.5, state), "$s_{t-1}$", "state")
    c.arrow(prev_s.right, s_t.left)
    y_prev = c.box((s_t.x, 0.45), "$y_{t-1}$", "input")
    c.arrow(y_prev.top, s_t.bottom)
    c.arrow(s_t.at(-0.6, 1), (right + 1.5, score - 0.15), color=COLORS["blue"], dashed=True)  # the query
    y_hat = c.box((s_t.x, top), "$\\hat y_t$", "output")
    c.arrow(context.right, y_hat.left)
    c.arrow(s_t.top, y_hat.bottom)
    return c.fig
