"""A character-level language model: embedding -> recurrent layer -> linear output.

The recurrent layer is pluggable. Pass ``"rnn"``, ``"gru"`` or ``"lstm"`` for PyTorch's
own layers, or any module with their interface (``batch_first=True``, ``forward(x, state)
-> (outputs, state)``), such as the book's from-scratch layers. Chapters 4, 7 and 8 train
every kind of cell through the same code, so the comparison between them is fair.

Training uses truncated backpropagation through time (chapter 5): the text is cut into
``batch_size`` parallel streams, read ``num_steps`` characters at a time; the hidden state
is handed from one window to the next but detached, so gradients stop at the window edge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from . import model_device
from .data import Vocab, lm_batches
from .train import History, records_config, train
from .validation import check_positive_int, check_real

State = torch.Tensor | tuple[torch.Tensor, ...] | None

_TORCH_CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


class CharLM(nn.Module):
    """Predict the next token from all previous ones: ``P(x_t | x_1..x_{t-1}) ~ P(x_t | h_{t-1})``.

    ``embedding`` maps token indices to vectors, ``rnn`` turns them into hidden states
    :math:`h_t`, and ``output`` maps each :math:`h_t` to scores over the vocabulary
    (the book's :math:`\\hat y_t = W_{hy} h_t + b_y`).

    ``num_layers`` stacks cells given by name; ``dropout`` (0 by default) zeroes that share
    of the embedding, the outputs of each layer and the last hidden states during training,
    the regulariser of chapter 8's long runs.
    """

    def __init__(
        self,
        vocab_size: int,
        hidden_size: int = 128,
        cell: str | nn.Module = "rnn",
        embed_size: int = 32,
        num_layers: int = 1,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        vocab_size = check_positive_int("vocab_size", vocab_size)
        num_layers = check_positive_int("num_layers", num_layers)
        dropout = check_real("dropout", dropout, low=0.0, high=1.0, high_open=True)
        if isinstance(cell, str):
            if cell not in _TORCH_CELLS:
                raise ValueError(f"cell must be one of {sorted(_TORCH_CELLS)} or a module, got {cell!r}")
            hidden_size = check_positive_int("hidden_size", hidden_size)
            embed_size = check_positive_int("embed_size", embed_size)
            # Between stacked layers PyTorch applies the dropout itself.
            rnn = _TORCH_CELLS[cell](
                embed_size,
                hidden_size,
                num_layers=num_layers,
                dropout=dropout if num_layers > 1 else 0.0,
                batch_first=True,
            )
        elif isinstance(cell, nn.Module):
            if num_layers != 1:
                raise ValueError(
                    "num_layers applies to a cell given by name; build a stacked module yourself"
                )
            rnn = cell
            for attr in ("input_size", "hidden_size"):
                if not hasattr(rnn, attr):
                    raise TypeError(f"a recurrent module must have attribute {attr!r}, like torch.nn.RNN")
            if not getattr(rnn, "batch_first", False):
                raise ValueError("the recurrent module must be built with batch_first=True")
            embed_size, hidden_size = rnn.input_size, rnn.hidden_size
        else:
            raise TypeError(f"cell must be a name or an nn.Module, got {type(cell).__name__}")
        self.vocab_size = vocab_size
        self.dropout = dropout
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = rnn
        self.output = nn.Linear(hidden_size, vocab_size)

    def forward(self, X: torch.Tensor, state: State = None) -> tuple[torch.Tensor, State]:
        """Scores of shape ``(batch, T, vocab_size)`` for inputs ``X`` of shape ``(batch, T)``."""
        if X.dim() != 2:
            raise ValueError(f"X must have shape (batch, T), got {tuple(X.shape)}")
        E = self.embedding(X)
        if self.dropout:  # on the layer's input and output; a no-op in eval mode
            E = F.dropout(E, self.dropout, self.training)
        H, state = self.rnn(E, state)
        if self.dropout:
            H = F.dropout(H, self.dropout, self.training)
        return self.output(H), state


def detach(state: State) -> State:
    """Cut the graph behind a state handed on between windows (truncated BPTT); works for tuples too."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


@torch.no_grad()
def evaluate_lm(
    model: CharLM, ids: Sequence[int] | np.ndarray | torch.Tensor, batch_size: int = 32, num_steps: int = 128
) -> float:
    """Average cross-entropy in nats per token on ``ids``, reading them as sequential streams.

    The perplexity is ``exp`` of the result.
    """
    model.eval()
    device = model_device(model)
    total, count, state = 0.0, 0, None
    for X, Y in lm_batches(ids, batch_size, num_steps, partition="sequential", seed=0):
        logits, state = model(X.to(device), state)
        total += F.cross_entropy(logits.flatten(0, 1), Y.to(device).flatten(), reduction="sum").item()
        count += Y.numel()
    return total / count


@records_config
def train_lm(
    model: CharLM,
    train_ids: Sequence[int] | np.ndarray | torch.Tensor,
    valid_ids: Sequence[int] | np.ndarray | torch.Tensor | None = None,
    *,
    batch_size: int = 32,
    num_steps: int = 64,
    max_steps: int = 500,
    lr: float = 3e-3,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    schedule: Callable[[int], float] | None = None,
    clip: float | None = 1.0,
    eval_every: int | None = 100,
    patience: int | None = None,
    keep_best: bool = False,
    time_budget: float | None = None,
    progress: bool = True,
    seed: int = 0,
) -> History:
    """Train a language model with truncated BPTT; evaluate nats/char on ``valid_ids``.

    Each epoch starts from a new random offset (``seed + epoch``) and a zero state; within
    an epoch the state is handed from window to window, detached. The long runs of chapter 8
    add AdamW's ``weight_decay``, a learning-rate ``schedule``, early stopping after
    ``patience`` evaluations without progress, and ``keep_best`` (see :func:`~seqmodels.train.train`).
    """
    device = model_device(model)

    def epoch_batches(epoch: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        return lm_batches(train_ids, batch_size, num_steps, partition="sequential", seed=seed + epoch)

    def step_fn(model: CharLM, batch: tuple[torch.Tensor, ...], state: State) -> tuple[torch.Tensor, State]:
        X, Y = (t.to(device) for t in batch)
        logits, state = model(X, detach(state))  # truncated BPTT: gradients stop at the window edge
        return F.cross_entropy(logits.flatten(0, 1), Y.flatten()), state

    def eval_fn(m: CharLM) -> float:
        return evaluate_lm(m, valid_ids, batch_size=batch_size, num_steps=num_steps)

    return train(
        model,
        epoch_batches,
        step_fn,
        max_steps=max_steps,
        lr=lr,
        optimizer=optimizer,
        weight_decay=weight_decay,
        schedule=schedule,
        clip=clip,
        eval_fn=eval_fn if valid_ids is not None else None,
        eval_every=eval_every,
        patience=patience,
        keep_best=keep_best,
        time_budget=time_budget,
        progress=progress,
        desc=f"training {type(model.rnn).__name__}",
    )


@torch.no_grad()
def char_logprobs(
    model: CharLM, ids: Sequence[int] | np.ndarray | torch.Tensor, chunk: int = 2000
) -> np.ndarray:
    """``log P(x_t | x_1..x_{t-1})`` for every ``t >= 2`` of ``ids``, read as one stream.

    The state starts at zero before ``x_1`` and is kept through the whole text, so every
    character is scored with all of its history; ``chunk`` only bounds the memory used.
    The result has ``len(ids) - 1`` entries, in text order (float64).
    """
    chunk = check_positive_int("chunk", chunk)
    corpus = torch.as_tensor(np.asarray(ids), dtype=torch.long).flatten()
    if corpus.numel() < 2:
        raise ValueError(f"ids must hold at least 2 tokens to score one, got {corpus.numel()}")
    model.eval()
    device = model_device(model)
    out, state = [], None
    for i in range(0, corpus.numel() - 1, chunk):
        X = corpus[i : min(i + chunk, corpus.numel() - 1)]
        Y = corpus[i + 1 : i + 1 + X.numel()]
        logits, state = model(X[None].to(device), state)
        logp = F.log_softmax(logits[0].double(), dim=-1)
        out.append(logp.gather(1, Y.to(device)[:, None])[:, 0].cpu().numpy())
    return np.concatenate(out)


@torch.no_grad()
def sample(
    model: CharLM,
    vocab: Vocab,
    prefix: str,
    length: int = 200,
    temperature: float = 1.0,
    seed: int = 0,
) -> str:
    """Continue ``prefix`` by ``length`` characters sampled from the model.

    ``temperature`` divides the scores before the softmax: below 1 the model plays safe and
    repeats its favourite continuations, above 1 it takes risks. Same seed, same text.
    """
    length = check_positive_int("length", length)
    temperature = check_real("temperature", temperature, low=0.0, low_open=True)
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, got {prefix!r}")
    model.eval()
    device = model_device(model)
    gen = torch.Generator().manual_seed(seed)
    ids = torch.tensor([vocab.encode(list(prefix))], device=device)
    logits, state = model(ids)
    out = []
    for _ in range(length):
        probs = F.softmax(logits[0, -1].double().cpu() / temperature, dim=-1)
        nxt = int(torch.multinomial(probs, 1, generator=gen))
        out.append(nxt)
        logits, state = model(torch.tensor([[nxt]], device=device), state)
    return prefix + "".join(vocab.decode(out))


@torch.no_grad()
def next_char_probs(model: CharLM, vocab: Vocab, prefix: str, temperature: float = 1.0) -> np.ndarray:
    """The model's distribution over the next character after ``prefix``, at ``temperature``.

    One probability per vocabulary entry (index order), as a NumPy array that sums to 1:
    ``softmax(scores / temperature)`` of the scores after the last character of ``prefix``.
    """
    temperature = check_real("temperature", temperature, low=0.0, low_open=True)
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, got {prefix!r}")
    model.eval()
    logits, _ = model(torch.tensor([vocab.encode(list(prefix))], device=model_device(model)))
    return F.softmax(logits[0, -1].double().cpu() / temperature, dim=-1).numpy()


def perplexity(nats: float) -> float:
    """Perplexity from an average loss in nats per token: ``exp(nats)``."""
    return math.exp(nats)


# --------------------------------------------------------------------------- what units track


@torch.no_grad()
def unit_activations(
    model: CharLM, ids: Sequence[int] | np.ndarray | torch.Tensor, state: str = "h"
) -> np.ndarray:
    """Every unit's value after each character of ``ids``: an array of shape ``(T, H)``.

    Row ``t`` is the hidden state :math:`h_t` (``state="h"``) the model holds after reading
    ``ids[0..t]`` from a zero state, or, for an LSTM, its cell state :math:`c_t`
    (``state="c"``), the memory Karpathy's and LSTMVis's views colour text by. Reading one
    unit down a column shows what it tracks as the text goes by.
    """
    if state not in ("h", "c"):
        raise ValueError(f"state must be 'h' (hidden state) or 'c' (an LSTM's cell state), got {state!r}")
    if isinstance(ids, str):
        raise TypeError("ids must be token indices, not a string: encode it with the vocabulary first")
    X = torch.as_tensor(np.asarray(ids), dtype=torch.long)
    if X.dim() != 1 or X.numel() == 0:
        raise ValueError(f"ids must be a non-empty 1-D sequence of token indices, got shape {tuple(X.shape)}")
    if int(X.min()) < 0 or int(X.max()) >= model.vocab_size:
        raise ValueError(f"ids must lie in 0..{model.vocab_size - 1}, got {int(X.min())}..{int(X.max())}")
    model.eval()
    E = model.embedding(X[None].to(model_device(model)))
    if state == "h":
        H, _ = model.rnn(E)
        return H[0].double().cpu().numpy()
    is_lstm = isinstance(model.rnn, nn.LSTM) or getattr(model.rnn, "state_names", ()) == ("h_0", "c_0")
    if not is_lstm:
        raise ValueError(
            f"state='c' needs an LSTM; this model's recurrent layer is {type(model.rnn).__name__}"
        )
    cells, state_t = [], None
    for t in range(E.shape[1]):  # one step at a time: the layer returns c only at its last step
        _, state_t = model.rnn(E[:, t : t + 1], state_t)
        cells.append(state_t[1][-1, 0])
    return torch.stack(cells).double().cpu().numpy()


TEXT_PROPERTIES = ("position in the line", "inside a word", "in a speaker's name")


def text_properties(text: str) -> dict[str, np.ndarray]:
    """Simple facts about every character of ``text``, each as an array of ``len(text)`` numbers.

    - ``"position in the line"``: how many characters precede it on its line (0 at a line's start);
    - ``"inside a word"``: 1 for a letter or an apostrophe between letters, else 0;
    - ``"in a speaker's name"``: 1 on a line written in capitals only (in the plays, the line
      that names who speaks next, such as ``KING CLAUDIUS``), else 0.

    These are the properties a unit is scored against in :func:`rank_units`: a unit whose
    value follows one of them closely has learned to keep track of it.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    position = np.zeros(len(text))
    in_word = np.zeros(len(text))
    in_name = np.zeros(len(text))
    i = 0
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        speaker = (
            len(letters) >= 2
            and all(c.isupper() for c in letters)
            and all(c.isalpha() or c == " " for c in line)
        )
        for j, c in enumerate(line):
            position[i + j] = j
            between = c == "'" and 0 < j < len(line) - 1 and line[j - 1].isalpha() and line[j + 1].isalpha()
            in_word[i + j] = float(c.isalpha() or between)
            in_name[i + j] = float(speaker)
        i += len(line)
        if i < len(text):  # the newline ends the line: position 0 of nothing, outside words and names
            position[i] = len(line)
            i += 1
    return dict(zip(TEXT_PROPERTIES, (position, in_word, in_name)))


class UnitScore(NamedTuple):
    """How well one unit's value follows its best property: Pearson's r over a text."""

    unit: int
    property: str
    r: float


def rank_units(activations: np.ndarray, properties: dict[str, np.ndarray]) -> list[UnitScore]:
    """Every unit with the property it follows best, the most interpretable units first.

    A unit's score is the largest ``|r|``, Pearson's correlation between its values
    (a column of ``activations``, shape ``(T, H)``) and one of ``properties`` (arrays of
    length ``T``, e.g. from :func:`text_properties`); for a yes/no property this is the
    point-biserial correlation. The sign of ``r`` says whether the unit goes up or down
    with the property. A unit or property that never changes scores 0.
    """
    A = np.asarray(activations, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] < 2:
        raise ValueError(f"activations must have shape (T, H) with T >= 2, got {A.shape}")
    if not isinstance(properties, dict) or not properties:
        raise TypeError("properties must be a non-empty dict of name -> array, e.g. text_properties(text)")
    centred = A - A.mean(axis=0)
    spread = np.sqrt((centred**2).sum(axis=0))
    best = [UnitScore(u, "", 0.0) for u in range(A.shape[1])]
    for name, values in properties.items():
        p = np.asarray(values, dtype=np.float64)
        if p.shape != (A.shape[0],):
            raise ValueError(
                f"property {name!r} must have shape ({A.shape[0]},) like the activations, got {p.shape}"
            )
        pc = p - p.mean()
        denominator = spread * np.sqrt((pc**2).sum())
        r = np.divide(pc @ centred, denominator, out=np.zeros(A.shape[1]), where=denominator > 0)
        for u in range(A.shape[1]):
            if abs(r[u]) > abs(best[u].r) or not best[u].property:
                best[u] = UnitScore(u, name, float(r[u]))
    return sorted(best, key=lambda s: (-abs(s.r), s.unit))


def pick_units(ranking: Sequence[UnitScore], k: int = 12) -> list[UnitScore]:
    """The ``k`` units to offer, most interpretable first: the best unit of each property, then by score.

    ``ranking`` is :func:`seqmodels.lm.rank_units`'s list (best first); a property no unit
    follows best gets no unit, rather than a weak one dressed up as a finding.
    """
    if not ranking or not all(isinstance(s, UnitScore) for s in ranking):
        raise ValueError("ranking must be a non-empty list of UnitScore, as rank_units returns")
    k = check_positive_int("k", k)
    first = {}
    for score in ranking:
        first.setdefault(score.property, score)
    chosen = sorted(first.values(), key=lambda s: -abs(s.r))
    chosen += [s for s in ranking if s not in chosen]
    return chosen[:k]


__all__ = [
    "TEXT_PROPERTIES",
    "CharLM",
    "UnitScore",
    "char_logprobs",
    "detach",
    "evaluate_lm",
    "next_char_probs",
    "perplexity",
    "pick_units",
    "rank_units",
    "sample",
    "text_properties",
    "train_lm",
    "unit_activations",
]
