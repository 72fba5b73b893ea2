"""The adding problem: a long-range memory test for recurrent networks (chapters 7 and 8).

Each example is a sequence of ``T`` steps with two input channels. The first channel
holds random values, uniform in ``[0, 1]``; the second is a marker that is 1 at exactly
two positions, one in the first half of the sequence and one in the second half, and 0
elsewhere. The target is the sum of the two marked values (Hochreiter and Schmidhuber
1997; Le, Jaitly and Hinton 2015).

To succeed, a network must notice the first marked value, hold it through up to ``T``
steps of distractors and add it to the second one. A network that cannot remember
predicts the average target, 1, and scores the mean squared error of the target's
variance: the sum of two independent uniform values has variance ``2 / 12 = 1/6 ≈ 0.167``.
That is the baseline every model must beat. A network that remembers only the *second*
marked value, which arrives at most ``T / 2`` steps before the end, can predict it plus
the mean of the first, ``v_2 + 1/2``, and scores ``Var(v_1) = 1/12 ≈ 0.083``: half the
baseline. Only going below ``1/12`` shows that the first value was carried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .gradients import identity_init_
from .train import History, train
from .validation import check_int, check_positive_int, check_real

#: Mean squared error of always predicting 1, the mean of the target.
BASELINE_MSE = 1.0 / 6.0

#: Mean squared error of predicting the second marked value plus 1/2: the variance of the
#: first value alone. A model between this and the baseline remembers only the second value.
SECOND_VALUE_MSE = 1.0 / 12.0

#: Seeds of the held-out sets (plus the run's seed): the test set that a run reports, and a
#: validation set, drawn apart, for choosing settings such as the learning rate.
TEST_SEED, VALID_SEED = 10_000, 20_000


def adding_problem(num_samples: int, seq_len: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Generate ``num_samples`` adding-problem sequences of length ``seq_len``.

    Returns ``X`` of shape ``(num_samples, seq_len, 2)`` (values, markers; float32) and
    the targets ``y`` of shape ``(num_samples,)``. The first marker sits uniformly in
    ``[0, seq_len // 2)``, the second in ``[seq_len // 2, seq_len)``. Same seed, same data.
    """
    num_samples = check_positive_int("num_samples", num_samples)
    seq_len = check_int("seq_len", seq_len, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(num_samples, seq_len))
    half = seq_len // 2
    first = rng.integers(0, half, size=num_samples)
    second = rng.integers(half, seq_len, size=num_samples)
    markers = np.zeros((num_samples, seq_len))
    rows = np.arange(num_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1)
    y = values[rows, first] + values[rows, second]
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


# --------------------------------------------------------------------------- a model


class AddingRegressor(nn.Module):
    """A recurrent layer reads the sequence; a linear layer maps its last state ``h_T`` to the sum."""

    def __init__(self, rnn: nn.Module) -> None:
        super().__init__()
        if not isinstance(rnn, nn.Module):
            raise TypeError(f"rnn must be an nn.Module, got {type(rnn).__name__}")
        if not getattr(rnn, "batch_first", False):
            raise ValueError("rnn must be built with batch_first=True")
        if getattr(rnn, "input_size", None) != 2:
            raise ValueError(
                f"rnn must take 2 input features, got input_size={getattr(rnn, 'input_size', None)}"
            )
        self.rnn = rnn
        self.head = nn.Linear(rnn.hidden_size, 1)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        H, _ = self.rnn(X)
        return self.head(H[:, -1]).squeeze(-1)


#: The recurrent layers the chapters compare: two plain RNNs, the IRNN and the gated cells.
KINDS = ("tanh", "relu", "irnn", "gru", "lstm")


def make_adding_model(kind: str, hidden_size: int = 32, seed: int = 0) -> AddingRegressor:
    """Build an :class:`AddingRegressor` of one ``kind`` with seeded initial weights.

    - ``"tanh"``: ``nn.RNN`` with tanh (the standard RNN);
    - ``"relu"``: ``nn.RNN`` with ReLU (trick 1);
    - ``"irnn"``: ReLU plus identity ``W_hh`` and zero biases (tricks 1 and 2);
    - ``"gru"``, ``"lstm"``: gated cells (trick 3).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    hidden_size = check_positive_int("hidden_size", hidden_size)
    seed = check_int("seed", seed, minimum=0)
    torch.manual_seed(seed)
    if kind in ("tanh", "relu", "irnn"):
        rnn = nn.RNN(2, hidden_size, nonlinearity="tanh" if kind == "tanh" else "relu", batch_first=True)
        if kind == "irnn":
            identity_init_(rnn)
    elif kind == "gru":
        rnn = nn.GRU(2, hidden_size, batch_first=True)
    else:
        rnn = nn.LSTM(2, hidden_size, batch_first=True)
    return AddingRegressor(rnn)


@torch.no_grad()
def evaluate_adding(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """Mean squared error of ``model`` on ``(X, y)``; ``nan`` if the model has diverged."""
    model.eval()
    device = next(model.parameters()).device
    return float(((model(X.to(device)) - y.to(device)) ** 2).mean())


@dataclass
class AddingResult:
    """One training run on the adding problem: its test MSE and, to choose settings by, a validation MSE."""

    kind: str
    seq_len: int
    seed: int
    test_mse: float
    history: History
    seconds: float
    valid_mse: float = float("nan")


def train_adding(
    model: nn.Module,
    seq_len: int,
    *,
    max_steps: int = 500,
    batch_size: int = 64,
    lr: float = 1e-2,
    optimizer: str = "adam",
    clip: float | None = 1.0,
    num_test: int = 1000,
    seed: int = 0,
    eval_every: int | None = None,
    progress: bool = True,
    desc: str = "adding problem",
) -> tuple[History, float]:
    """Train ``model`` on fresh adding-problem batches; return (history, test MSE).

    Every step draws a new batch (seeded by ``seed`` and the step), so the model never sees
    the same example twice; the test set of ``num_test`` sequences comes from a separate seed.
    ``optimizer`` is ``"adam"`` or ``"sgd"``; ``clip`` caps the gradient norm (``None``: no cap).
    """
    seq_len = check_int("seq_len", seq_len, minimum=2)
    batch_size = check_positive_int("batch_size", batch_size)
    num_test = check_positive_int("num_test", num_test)
    seed = check_int("seed", seed, minimum=0)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    X_test, y_test = adding_problem(num_test, seq_len, seed=TEST_SEED + seed)
    device = next(model.parameters()).device
    chunk = 50  # batches generated per "epoch", in one call to the generator

    def epochs(epoch: int):
        X, y = adding_problem(chunk * batch_size, seq_len, seed=1_000_000 * (seed + 1) + epoch)
        return zip(X.split(batch_size), y.split(batch_size))

    def step_fn(m: nn.Module, batch: tuple[torch.Tensor, ...], state: None) -> tuple[torch.Tensor, None]:
        X, y = (t.to(device) for t in batch)
        return ((m(X) - y) ** 2).mean(), None  # nothing carried from batch to batch

    def eval_fn(m: nn.Module) -> float:
        return evaluate_adding(m, X_test, y_test)

    history = train(
        model,
        epochs,
        step_fn,
        max_steps=max_steps,
        lr=lr,
        optimizer=optimizer,
        clip=clip,
        eval_fn=eval_fn,
        eval_every=eval_every,
        progress=progress,
        desc=desc,
    )
    return history, history.final_eval


def compare_on_adding(
    kinds: tuple[str, ...] | list[str],
    seq_len: int,
    seeds: tuple[int, ...] | list[int] = (0,),
    hidden_size: int = 32,
    num_valid: int = 1000,
    **train_kwargs,
) -> list[AddingResult]:
    """Train one model per (kind, seed) on the adding problem of length ``seq_len``.

    Each result has the test MSE and the MSE on ``num_valid`` validation sequences, drawn
    apart from the training and test data: choose settings on the validation MSE, report
    the test MSE.
    """
    num_valid = check_positive_int("num_valid", num_valid)
    results = []
    for kind in kinds:
        for seed in seeds:
            model = make_adding_model(kind, hidden_size, seed=seed)
            start = time.perf_counter()
            history, mse = train_adding(
                model, seq_len, seed=seed, desc=f"{kind}, seed {seed}", **train_kwargs
            )
            seconds = time.perf_counter() - start
            valid = evaluate_adding(model, *adding_problem(num_valid, seq_len, seed=VALID_SEED + seed))
            results.append(AddingResult(kind, seq_len, seed, mse, history, seconds, valid))
    return results


__all__ = [
    "BASELINE_MSE",
    "KINDS",
    "SECOND_VALUE_MSE",
    "TEST_SEED",
    "VALID_SEED",
    "AddingRegressor",
    "AddingResult",
    "adding_problem",
    "compare_on_adding",
    "evaluate_adding",
    "make_adding_model",
    "train_adding",
]
