"""Subject-verb agreement for recurrent language models (chapter 8; chapter 2 has the n-grams).

Chapter 2 scores an n-gram model on the sentences of
:func:`seqmodels.data.make_agreement_set` by asking which of the two verb forms it finds
more probable after the words before the verb (:func:`seqmodels.ngram_fast.agreement_accuracy`).
This module asks a recurrent network the same question, so the two are compared like with
like: :class:`AgreementLM` is a word-level language model (embedding, one recurrent layer,
a linear output over the vocabulary), trained on the same sentences with next-word
cross-entropy, and :func:`lm_agreement_accuracy` compares
``P(singular verb | prefix)`` with ``P(plural verb | prefix)`` at the verb position.
The only difference from the n-gram is what the prediction may depend on: the n-gram sees
the last ``n - 1`` words, the network its state ``h_t``, which can carry the subject's
number from arbitrarily far back if training taught it to.

That is Linzen et al. (2016)'s *language-model* test: nobody tells the network that number
matters, it has to discover it from next-word prediction alone. Their other test,
**number prediction**, is supervised: :class:`NumberPredictor` reads the same words up to
the verb and a linear layer on its last state says "singular" or "plural", trained with
cross-entropy on the label (:func:`train_number_predictor`,
:func:`number_prediction_accuracy`). The supervised signal names the one thing to
remember, so it isolates *can the cell carry the number* from *does next-word prediction
teach it to*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import torch
from torch import nn

from .data import AgreementSet, Vocab
from .train import History, train
from .validation import check_int, check_positive_int, check_real

#: Padding (ignored by the loss) and the start-of-sentence token fed before the first word.
PAD, BOS = "<pad>", "<s>"
#: The recurrent layers :class:`AgreementLM` can use.
CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def _check_set(data: object, name: str = "data") -> AgreementSet:
    if not isinstance(data, AgreementSet):
        raise TypeError(f"{name} must be an AgreementSet (see make_agreement_set), got {type(data).__name__}")
    return data


def agreement_vocab(data: AgreementSet) -> Vocab:
    """The word vocabulary of an agreement set, with ``<pad>`` and ``<s>`` reserved (after ``<unk>``)."""
    _check_set(data)
    return Vocab([t for s in data.sentences for t in s], reserved=(PAD, BOS))


def encode_sentences(data: AgreementSet, vocab: Vocab) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and next-word targets, padded to the longest sentence.

    Input row ``i`` is ``<s> w_1 ... w_{L-1}`` and target row ``i`` is ``w_1 ... w_L``,
    so the output at input position ``t`` predicts word ``t`` of the sentence: the output at
    the verb's position ``v`` is the model's distribution over the verb given the words before
    it. Padding is ``vocab[<pad>]`` in both (the loss ignores it). Shapes ``(N, L_max)``.
    """
    _check_set(data)
    if not isinstance(vocab, Vocab) or PAD not in vocab or BOS not in vocab:
        raise TypeError("vocab must be a Vocab with '<pad>' and '<s>' reserved (see agreement_vocab)")
    pad, bos = vocab.token_to_idx[PAD], vocab.token_to_idx[BOS]
    width = max(len(s) for s in data.sentences)
    inputs = np.full((len(data.sentences), width), pad, dtype=np.int64)
    targets = np.full((len(data.sentences), width), pad, dtype=np.int64)
    for i, sentence in enumerate(data.sentences):
        ids = vocab.encode(sentence)
        inputs[i, : len(ids)] = [bos, *ids[:-1]]
        targets[i, : len(ids)] = ids
    return torch.from_numpy(inputs), torch.from_numpy(targets)


class AgreementLM(nn.Module):
    """Word language model: embedding -> recurrent layer (``rnn``, ``gru`` or ``lstm``) -> linear.

    ``forward(inputs)`` maps token indices of shape ``(batch, T)`` to next-word logits of
    shape ``(batch, T, vocab_size)``. The plain ``rnn`` uses tanh.
    """

    def __init__(
        self, vocab_size: int, cell: str = "lstm", embed_size: int = 16, hidden_size: int = 32
    ) -> None:
        super().__init__()
        vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        embed_size = check_positive_int("embed_size", embed_size)
        hidden_size = check_positive_int("hidden_size", hidden_size)
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        self.cell = cell
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.rnn = CELLS[cell](embed_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if not isinstance(inputs, torch.Tensor) or inputs.dim() != 2 or inputs.dtype != torch.int64:
            raise ValueError("inputs must be an int64 tensor of shape (batch, T)")
        H, _ = self.rnn(self.embed(inputs))
        return self.head(H)


def lm_agreement_accuracy(model: AgreementLM, data: AgreementSet, vocab: Vocab) -> float:
    """Share of sentences where ``model`` gives the agreeing verb form the higher probability.

    The same rule as :func:`seqmodels.ngram_fast.agreement_accuracy`: compare the two verb forms'
    logits at the verb position (the softmax is monotone, so this compares probabilities);
    a tie earns half a point. Chance is 0.5.
    """
    if not isinstance(model, AgreementLM):
        raise TypeError(f"model must be an AgreementLM, got {type(model).__name__}")
    inputs, _ = encode_sentences(data, vocab)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(inputs.to(device))
    model.train(was_training)
    rows = torch.arange(len(data.sentences), device=device)
    at_verb = logits[rows, torch.from_numpy(data.verb_positions).to(device)]
    singular = torch.tensor(vocab.encode([f[0] for f in data.verb_forms]), device=device)
    plural = torch.tensor(vocab.encode([f[1] for f in data.verb_forms]), device=device)
    s_sing, s_plur = at_verb[rows, singular], at_verb[rows, plural]
    labels = torch.from_numpy(data.labels).to(device)
    right = torch.where(labels == 1, s_plur > s_sing, s_sing > s_plur).double()
    return float(torch.where(s_sing == s_plur, 0.5, right).mean())


class NumberPredictor(nn.Module):
    """Number classifier: embedding -> recurrent layer (``rnn``, ``gru`` or ``lstm``) -> linear(2).

    ``forward(inputs)`` maps token indices of shape ``(batch, T)`` to logits over
    (singular, plural) after every prefix, shape ``(batch, T, 2)``. It reads the inputs of
    :func:`encode_sentences` (``<s> w_1 ... w_{L-1}``), so the output at input position
    ``verb_positions[i]`` is the prediction from the words before the verb, exactly the
    prefix the language model sees; the layer is causal, so later words cannot leak in.
    """

    def __init__(
        self, vocab_size: int, cell: str = "lstm", embed_size: int = 16, hidden_size: int = 32
    ) -> None:
        super().__init__()
        vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        embed_size = check_positive_int("embed_size", embed_size)
        hidden_size = check_positive_int("hidden_size", hidden_size)
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        self.cell = cell
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.rnn = CELLS[cell](embed_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 2)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if not isinstance(inputs, torch.Tensor) or inputs.dim() != 2 or inputs.dtype != torch.int64:
            raise ValueError("inputs must be an int64 tensor of shape (batch, T)")
        H, _ = self.rnn(self.embed(inputs))
        return self.head(H)


def number_prediction_accuracy(model: NumberPredictor, data: AgreementSet, vocab: Vocab) -> float:
    """Share of sentences where ``model``'s number logits before the verb favour the right number.

    Read at the verb's input position (the state after the word before the verb); a tie
    earns half a point, as in :func:`lm_agreement_accuracy`. Chance is 0.5.
    """
    if not isinstance(model, NumberPredictor):
        raise TypeError(f"model must be a NumberPredictor, got {type(model).__name__}")
    inputs, _ = encode_sentences(data, vocab)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(inputs.to(device))
    model.train(was_training)
    rows = torch.arange(len(data.sentences), device=device)
    at_verb = logits[rows, torch.from_numpy(data.verb_positions).to(device)]
    s_sing, s_plur = at_verb[:, 0], at_verb[:, 1]
    labels = torch.from_numpy(data.labels).to(device)
    right = torch.where(labels == 1, s_plur > s_sing, s_sing > s_plur).double()
    return float(torch.where(s_sing == s_plur, 0.5, right).mean())


def accuracy_by_distance(
    score: Callable[[AgreementSet], float], tests: dict[int, AgreementSet]
) -> dict[int, float]:
    """``{k: score(tests[k])}`` for every distance ``k``, in increasing order of ``k``."""
    if not callable(score):
        raise TypeError(f"score must be callable, got {type(score).__name__}")
    if not isinstance(tests, dict) or not tests:
        raise ValueError("tests must be a non-empty dict {distance: AgreementSet}")
    return {k: float(score(_check_set(tests[k], f"tests[{k}]"))) for k in sorted(tests)}


def seed_spread(runs: list[dict], key: str, **match: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, minimum and maximum over the ``runs`` whose fields equal ``match``, of ``run[key]``.

    For stored multi-seed runs such as :data:`seqmodels.results.agreement.AGREEMENT_RUNS`:
    ``seed_spread(runs, "attractor", model="lstm", task="lm", max_steps=1000)`` gives three
    arrays with one accuracy per test distance, over that recipe's seeds.
    """
    if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
        raise TypeError("runs must be a list of dicts (e.g. AGREEMENT_RUNS['runs'])")
    chosen = [r for r in runs if all(r.get(f) == v for f, v in match.items())]
    if not chosen:
        raise ValueError(f"no run has {match}")
    if any(key not in r for r in chosen):
        raise ValueError(f"key {key!r} is missing from some of the runs with {match}")
    values = np.array([r[key] for r in chosen], dtype=np.float64)
    return values.mean(axis=0), values.min(axis=0), values.max(axis=0)


def _check_recipe(max_steps: int, batch_size: int, lr: float, seed: int) -> tuple[int, int, float, int]:
    return (
        check_positive_int("max_steps", max_steps),
        check_positive_int("batch_size", batch_size),
        check_real("lr", lr, low=0.0, low_open=True),
        check_int("seed", seed, minimum=0),
    )


def _shuffled_batches(
    tensors: tuple[torch.Tensor, ...], batch_size: int, seed: int
) -> Callable[[int], Iterator[tuple[torch.Tensor, ...]]]:
    """``epoch -> batches``: ``batch_size`` rows of every tensor, in a seeded order reshuffled each epoch."""

    def batches(epoch: int) -> Iterator[tuple[torch.Tensor, ...]]:
        order = np.random.default_rng([seed, epoch]).permutation(len(tensors[0]))
        for start in range(0, len(order) - batch_size + 1, batch_size):
            idx = torch.from_numpy(order[start : start + batch_size])
            yield tuple(t[idx] for t in tensors)

    return batches


def train_agreement_lm(
    cell: str,
    data: AgreementSet,
    vocab: Vocab,
    *,
    max_steps: int = 300,
    batch_size: int = 64,
    lr: float = 0.01,
    embed_size: int = 16,
    hidden_size: int = 32,
    seed: int = 0,
    progress: bool = True,
) -> tuple[AgreementLM, History]:
    """Train a seeded :class:`AgreementLM` on ``data`` with next-word cross-entropy.

    Batches are ``batch_size`` sentences drawn in a seeded random order, reshuffled every
    epoch; Adam, gradient norm clipped at 1 (through :func:`seqmodels.train.train`).
    """
    max_steps, batch_size, lr, seed = _check_recipe(max_steps, batch_size, lr, seed)
    inputs, targets = encode_sentences(data, vocab)
    pad = vocab.token_to_idx[PAD]
    torch.manual_seed(seed)
    model = AgreementLM(len(vocab), cell, embed_size=embed_size, hidden_size=hidden_size)
    loss_fn = nn.CrossEntropyLoss(ignore_index=pad)

    batches = _shuffled_batches((inputs, targets), batch_size, seed)

    def step(m: nn.Module, batch: tuple[torch.Tensor, ...], state: None) -> tuple[torch.Tensor, None]:
        x, y = batch
        return loss_fn(m(x).reshape(-1, len(vocab)), y.reshape(-1)), None  # each sentence starts afresh

    history = train(
        model,
        batches,
        step,
        max_steps=max_steps,
        lr=lr,
        clip=1.0,
        progress=progress,
        desc=f"{cell} on agreement",
    )
    return model, history


def train_number_predictor(
    cell: str,
    data: AgreementSet,
    vocab: Vocab,
    *,
    max_steps: int = 300,
    batch_size: int = 64,
    lr: float = 0.01,
    embed_size: int = 16,
    hidden_size: int = 32,
    seed: int = 0,
    progress: bool = True,
) -> tuple[NumberPredictor, History]:
    """Train a seeded :class:`NumberPredictor` on ``data``: cross-entropy on the subject's number.

    The loss sees one output per sentence, at the verb's position; everything else is as in
    :func:`train_agreement_lm` (seeded batches reshuffled every epoch, Adam, gradient norm
    clipped at 1), so the two differ only in what the network is asked to predict.
    """
    max_steps, batch_size, lr, seed = _check_recipe(max_steps, batch_size, lr, seed)
    inputs, _ = encode_sentences(data, vocab)
    if batch_size > len(inputs):
        raise ValueError(f"batch_size must be <= the number of sentences ({len(inputs)}), got {batch_size}")
    positions = torch.from_numpy(data.verb_positions)
    labels = torch.from_numpy(data.labels)
    torch.manual_seed(seed)
    model = NumberPredictor(len(vocab), cell, embed_size=embed_size, hidden_size=hidden_size)
    loss_fn = nn.CrossEntropyLoss()

    batches = _shuffled_batches((inputs, positions, labels), batch_size, seed)

    def step(m: nn.Module, batch: tuple[torch.Tensor, ...], state: None) -> tuple[torch.Tensor, None]:
        x, v, y = batch
        logits = m(x)
        return loss_fn(logits[torch.arange(len(x)), v], y), None  # each sentence starts afresh

    history = train(
        model,
        batches,
        step,
        max_steps=max_steps,
        lr=lr,
        clip=1.0,
        progress=progress,
        desc=f"{cell} number predictor",
    )
    return model, history


__all__ = [
    "BOS",
    "CELLS",
    "PAD",
    "AgreementLM",
    "NumberPredictor",
    "accuracy_by_distance",
    "agreement_vocab",
    "encode_sentences",
    "lm_agreement_accuracy",
    "number_prediction_accuracy",
    "seed_spread",
    "train_agreement_lm",
    "train_number_predictor",
]
