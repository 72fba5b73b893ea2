"""Diagram of chapter 6: the encoder-decoder, trained with teacher forcing, decoding greedily."""

from __future__ import annotations

from matplotlib.figure import Figure

from seqmodels.diagrams.shapes import INK, SMALL_SIZE, Canvas, check_choice
from seqmodels.plot import COLORS

_BOS, _EOS = "⟨bos⟩", "⟨eos⟩"


def encoder_decoder(mode: str = "train", context_every_step: bool = True) -> Figure:
    """Translating "cat" into "o gato": the encoder's context :math:`c` starts the decoder.

    ``mode="train"``: teacher forcing, the decoder reads the *true* previous word (dashed
    green arrows from the target row). ``mode="infer"``: greedy decoding, it reads its own
    previous prediction (dashed orange arrows), until it writes ⟨eos⟩. With
    ``context_every_step`` (chapter 6's model) every decoder step also reads :math:`c`.
    """
    mode = check_choice("mode", mode, ("train", "infer"))
    if not isinstance(context_every_step, bool):
        raise TypeError(f"context_every_step must be True or False, got {context_every_step!r}")
    target = ["o", "gato", _EOS]
    xs = [4.7, 6.75, 8.8]
    lift = 1.35 if mode == "train" else 0.0  # room for the target row at the bottom
    y_in, y_bus, y_s, y_out = (v + lift for v in (0.5, 1.4, 2.2, 3.65))
    c = Canvas(10.0, y_out + 1.05)
    # encoder: reads the source and hands over its last state
    word = c.box((1.0, y_in), "cat", "input")
    h_1 = c.box((1.0, y_s), "$h_1$", "state")
    c.arrow(word.top, h_1.bottom)
    context = c.box((2.75, y_s), "$c$", "state", w=0.75, edge=INK)
    c.arrow(h_1.right, context.left)
    c.label((1.0, y_out + 0.55), "encoder", size=SMALL_SIZE, color=COLORS["grey"])
    title = "decoder, teacher forcing" if mode == "train" else "decoder, greedy decoding"
    c.label((xs[1], y_out + 0.55), title, size=SMALL_SIZE, color=COLORS["grey"])
    if context_every_step:
        c.path([context.bottom, (context.x, y_bus), (xs[-1] - 0.42, y_bus)], head=False)
    prev = context
    outputs = []
    for t, x in enumerate(xs):
        fed = _BOS if t == 0 else target[t - 1]  # the true word, or the prediction: here the same
        x_t = c.box((x, y_in), fed, "input")
        s_t = c.box((x, y_s), f"$s_{t + 1}$", "state")
        out = c.box((x, y_out), f"$\\hat y_{t + 1}$" if mode == "train" else target[t], "output")
        c.arrow(prev.right, s_t.left)
        c.arrow(x_t.top, s_t.bottom, over="white" if context_every_step else None)
        c.arrow(s_t.top, out.bottom)
        if context_every_step:
            c.dot((x - 0.42, y_bus))
            c.arrow((x - 0.42, y_bus), (x - 0.42, s_t.bottom[1]))
        outputs.append((x_t, out))
        prev = s_t
    if mode == "train":  # the target sentence, shifted by one, is what the decoder reads
        c.label((1.0, 0.5), "target", size=SMALL_SIZE, color=COLORS["grey"])
        for t, x in enumerate(xs):
            true = c.box((x, 0.5), target[t], "token")
            if t + 1 < len(xs):
                c.arrow(true.right, outputs[t + 1][0].towards(true.right), color=COLORS["green"], dashed=True)
    else:  # each prediction is the next input
        for t in range(len(xs) - 1):
            (_, out), (nxt, _) = outputs[t], outputs[t + 1]
            mid = (xs[t] + xs[t + 1]) / 2
            c.path(
                [out.right, (mid, out.y), (mid, nxt.y), nxt.left],
                color=COLORS["orange"],
                dashed=True,
                over="white",
            )
    return c.fig
