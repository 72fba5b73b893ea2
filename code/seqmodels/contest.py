"""Chapter 8's contest: counting (Kneser-Ney) against memory (LSTMs) on the same characters.

A fair comparison of language models needs the same text, the same characters scored and
the same outcomes predicted. Here every model gives ``log P(x_t | x_<t)`` for every
character of a text but the first (``FastNGramLM.stream_logprobs`` for the counts,
``seqmodels.lm.char_logprobs`` for a network), over the same symbols, so the per-character
arrays line up and can be compared, averaged and mixed position by position:

- :func:`tune_kneser_ney` picks the order and discount on the validation text;
- :func:`mix` and :func:`tune_mixture` interpolate two models,
  ``lambda P_a + (1 - lambda) P_b``, with ``lambda`` chosen on validation;
- :func:`reset_logprobs` scores a network whose state is reset every ``N`` characters, and
  :func:`kneser_ney_orders` scores the counts of every order up to ``n``: how much context
  each model actually uses, the memory measurement of chapter 8;
- :func:`character_kinds` sorts the scored characters by where they stand (after a line
  break, at a word start, inside a word, ...) and by whether their context was ever seen
  in training, and :func:`breakdown` averages each model's loss over every kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from . import model_device
from .ngram_fast import FastNGramLM
from .validation import check_positive_int


def tune_kneser_ney(
    train: str,
    valid: str,
    orders: Iterable[int] = range(4, 9),
    discounts: Sequence[float] = (0.7, 0.8, 0.85, 0.9, 0.95),
) -> tuple[FastNGramLM, dict[tuple[int, float], float]]:
    """Fit one Kneser-Ney model per order (from one count) and keep the best on ``valid``.

    Returns the chosen model and the validation nats/char of every ``(order, discount)``.
    """
    orders = sorted({check_positive_int("order", n) for n in orders})
    if not orders:
        raise ValueError("orders is empty: give at least one order to try")
    counts = FastNGramLM(orders[-1], "kneser-ney").fit([train])
    table = {}
    for n in orders:
        nats = -counts.lower_order(n).stream_logprobs(valid, discounts).mean(axis=1)
        table.update({(n, float(D)): float(x) for D, x in zip(discounts, nats)})
    n, D = min(table, key=table.get)
    return counts.lower_order(n).with_smoothing("kneser-ney", discount=D), table


@torch.no_grad()
def reset_logprobs(
    model: torch.nn.Module, ids: Sequence[int] | np.ndarray | torch.Tensor, reset_every: int, batch: int = 256
) -> np.ndarray:
    """``log P(x_t | ...)`` for every ``t >= 2`` of ``ids``, the network's state reset every ``reset_every`` inputs.

    The inputs ``x_1 .. x_{T-1}`` are cut into blocks of ``reset_every`` characters, and each
    block is read from a zero state: the first character of a block is predicted from one
    character of context, the last from ``reset_every``. So the network can use at most
    ``reset_every`` characters, however much it could remember; comparing the loss for growing
    ``reset_every`` with the loss of one unbroken stream (:func:`seqmodels.lm.char_logprobs`)
    measures how much of its advantage comes from context further back. The result lines up
    with ``char_logprobs`` (``len(ids) - 1`` values, in text order, float64); ``batch`` blocks
    are read at a time, which only bounds the memory used.
    """
    reset_every = check_positive_int("reset_every", reset_every)
    batch = check_positive_int("batch", batch)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(
            f"model must be a language model (a torch.nn.Module such as CharLM), got {type(model).__name__}"
        )
    corpus = torch.as_tensor(np.asarray(ids), dtype=torch.long).flatten()
    if corpus.numel() < 2:
        raise ValueError(f"ids must hold at least 2 tokens to score one, got {corpus.numel()}")
    inputs, targets = corpus[:-1], corpus[1:]
    length = inputs.numel()
    blocks = -(-length // reset_every)
    pad = blocks * reset_every - length  # the last block is padded at its end, which no earlier position sees
    X = torch.cat([inputs, inputs.new_zeros(pad)]).view(blocks, reset_every)
    Y = torch.cat([targets, targets.new_zeros(pad)]).view(blocks, reset_every)
    model.eval()
    device = model_device(model)
    out = []
    for i in range(0, blocks, batch):
        logits, _ = model(X[i : i + batch].to(device))
        logp = F.log_softmax(logits.double(), dim=-1)
        out.append(logp.gather(2, Y[i : i + batch].to(device)[..., None])[..., 0].cpu().numpy().ravel())
    return np.concatenate(out)[:length]


def kneser_ney_orders(
    train: str,
    valid: str,
    test: str,
    orders: Iterable[int] = range(1, 8),
    discounts: Sequence[float] = (0.7, 0.8, 0.85, 0.9, 0.95),
) -> dict[int, tuple[float, np.ndarray]]:
    """For each order ``n``: the discount chosen on ``valid`` and the test log-probabilities.

    One count of ``train`` serves every order, as in :func:`tune_kneser_ney`; each order gets
    its own best discount on the validation text, then scores the test text once
    (``FastNGramLM.stream_logprobs``, lined up with a network's). An ``n``-gram uses ``n - 1``
    characters of context: this is the counts' curve of loss against context length.
    """
    orders = sorted({check_positive_int("order", n) for n in orders})
    if not orders:
        raise ValueError("orders is empty: give at least one order to try")
    counts = FastNGramLM(orders[-1], "kneser-ney").fit([train])
    out = {}
    for n in orders:
        model = counts.lower_order(n)
        nats = -model.stream_logprobs(valid, discounts).mean(axis=1)
        D = float(discounts[int(np.argmin(nats))])
        out[n] = (D, model.with_smoothing("kneser-ney", discount=D).stream_logprobs(test))
    return out


def _check_logprobs(name: str, value: object) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of log-probabilities, got shape {arr.shape}")
    if np.any(arr > 1e-9):
        raise ValueError(f"{name} holds log-probabilities above 0; expected values <= 0")
    return arr


def mix(logp_a: np.ndarray, logp_b: np.ndarray, lam: float) -> np.ndarray:
    """``log(lam P_a + (1 - lam) P_b)`` per position, computed stably from the two log-probabilities."""
    a, b = _check_logprobs("logp_a", logp_a), _check_logprobs("logp_b", logp_b)
    if a.shape != b.shape:
        raise ValueError(
            f"logp_a and logp_b must score the same characters, got shapes {a.shape} and {b.shape}"
        )
    if isinstance(lam, bool) or not isinstance(lam, int | float | np.floating) or not 0.0 <= lam <= 1.0:
        raise ValueError(f"lam must be a number in [0, 1], got {lam!r}")
    with np.errstate(divide="ignore"):
        return np.logaddexp(np.log(lam) + a, np.log1p(-lam) + b) if 0 < lam < 1 else (a if lam == 1 else b)


def tune_mixture(valid_a: np.ndarray, valid_b: np.ndarray, steps: int = 100) -> float:
    """The ``lam`` on a grid of ``steps + 1`` values in [0, 1] that minimises the mixture's loss on validation."""
    steps = check_positive_int("steps", steps)
    grid = np.linspace(0.0, 1.0, steps + 1)
    losses = [-mix(valid_a, valid_b, float(lam)).mean() for lam in grid]
    return float(grid[int(np.argmin(losses))])


def character_kinds(text: str, train: str, context: int = 5) -> dict[str, np.ndarray]:
    """Boolean masks over the scored characters ``text[1:]``, one per kind of position.

    By what comes before: ``"after a line break"`` (a speaker's name or a verse starts),
    ``"word start"`` (after a space), ``"inside a word"`` (after a letter) and ``"other"``
    (after punctuation); these four are disjoint and cover everything. By the training data:
    ``"context seen"`` and ``"context unseen"``, whether the ``context`` characters before the
    position occur anywhere in ``train`` (positions with a shorter history count as seen).
    """
    if not isinstance(text, str) or not isinstance(train, str):
        raise TypeError("text and train must be strings")
    if len(text) < 2:
        raise ValueError(f"text must hold at least 2 characters to score one, got {len(text)}")
    context = check_positive_int("context", context)
    prev = np.array(list(text[:-1]))
    line = prev == "\n"
    space = prev == " "
    letter = np.char.isalpha(prev)
    seen_grams = {train[i : i + context] for i in range(len(train) - context + 1)}
    seen = np.array([t < context or text[t - context : t] in seen_grams for t in range(1, len(text))])
    return {
        "after a line break": line,
        "word start": space,
        "inside a word": letter,
        "other": ~(line | space | letter),
        "context seen": seen,
        "context unseen": ~seen,
    }


def breakdown(
    kinds: Mapping[str, np.ndarray], logprobs: Mapping[str, np.ndarray]
) -> dict[str, dict[str, float]]:
    """Per kind: its share of the characters and every model's mean loss (nats/char) on it."""
    sizes = {len(np.asarray(v)) for v in [*kinds.values(), *logprobs.values()]}
    if len(sizes) != 1:
        raise ValueError(
            f"every mask and log-probability array must cover the same characters, got lengths {sorted(sizes)}"
        )
    out = {}
    for kind, mask in kinds.items():
        mask = np.asarray(mask, dtype=bool)
        row = {"share": float(mask.mean())}
        for name, lp in logprobs.items():
            row[name] = float(-np.asarray(lp)[mask].mean()) if mask.any() else float("nan")
        out[kind] = row
    return out


__all__ = [
    "breakdown",
    "character_kinds",
    "kneser_ney_orders",
    "mix",
    "reset_logprobs",
    "tune_kneser_ney",
    "tune_mixture",
]
