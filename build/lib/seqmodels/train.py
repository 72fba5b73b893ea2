"""The book's one training loop.

Every chapter that trains a network (language models, translation, the adding problem)
calls :func:`train`. It knows nothing about the model: a chapter passes a ``step_fn`` that
turns one batch into a scalar loss, and the loop does the rest, always in this order:

1. zero the gradients, compute the loss, backpropagate;
2. optionally clip the gradient norm (chapter 7 explains why);
3. take an optimiser step;
4. every ``eval_every`` steps, call ``eval_fn`` (e.g. validation loss) and record it.

It stops after ``max_steps`` steps, or earlier when an optional wall-clock ``time_budget``
runs out. Chapters use a step budget so that their numbers repeat exactly; the time budget
is a safety net for readers experimenting on slow machines.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from tqdm.auto import tqdm

from .validation import check_positive_int, check_real


@dataclass
class History:
    """What happened during training, for plots and tables."""

    steps: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    eval_loss: list[float] = field(default_factory=list)
    seconds: float = 0.0
    stopped_by: str = "max_steps"

    @property
    def final_eval(self) -> float:
        """The last evaluation result (``nan`` if there was none)."""
        return self.eval_loss[-1] if self.eval_loss else float("nan")


def make_optimizer(model: nn.Module, name: str = "adam", lr: float = 1e-3) -> torch.optim.Optimizer:
    """Adam (the default) or plain SGD over the model's parameters."""
    lr = check_real("lr", lr, low=0.0, low_open=True)
    if name == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr)
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr)
    raise ValueError(f"optimizer must be 'adam' or 'sgd', got {name!r}")


def _forever(batches: Iterable | Callable[[int], Iterable]) -> Iterator[Any]:
    """Cycle through epochs: call ``batches(epoch)`` anew each time, or re-iterate the iterable."""
    for epoch in itertools.count():
        source = batches(epoch) if callable(batches) else batches
        empty = True
        for batch in source:
            empty = False
            yield batch
        if empty:
            raise ValueError("batches produced no batch; check the data and batch sizes")


def train(
    model: nn.Module,
    batches: Iterable | Callable[[int], Iterable],
    step_fn: Callable[[nn.Module, Any], torch.Tensor],
    *,
    max_steps: int,
    lr: float = 1e-3,
    optimizer: str | torch.optim.Optimizer = "adam",
    clip: float | None = 1.0,
    eval_fn: Callable[[nn.Module], float] | None = None,
    eval_every: int | None = None,
    time_budget: float | None = None,
    progress: bool = True,
    desc: str = "training",
) -> History:
    """Train ``model`` for ``max_steps`` optimiser steps; return the :class:`History`.

    ``batches`` is an iterable of batches, or a function ``epoch -> iterable`` called at the
    start of every epoch (to reshuffle with a new seed, or to reset a carried state).
    ``step_fn(model, batch)`` returns the scalar loss of one batch. ``clip`` is the maximum
    gradient norm (``None`` for no clipping).
    """
    max_steps = check_positive_int("max_steps", max_steps)
    if clip is not None:
        clip = check_real("clip", clip, low=0.0, low_open=True)
    if eval_every is not None:
        eval_every = check_positive_int("eval_every", eval_every)
    if time_budget is not None:
        time_budget = check_real("time_budget", time_budget, low=0.0, low_open=True)
    opt = optimizer if isinstance(optimizer, torch.optim.Optimizer) else make_optimizer(model, optimizer, lr)
    history = History()
    start = time.perf_counter()
    bar = tqdm(total=max_steps, desc=desc, disable=not progress, leave=False)
    model.train()
    for step, batch in enumerate(_forever(batches), start=1):
        opt.zero_grad(set_to_none=True)
        loss = step_fn(model, batch)
        if loss.dim() != 0:
            raise ValueError(f"step_fn must return a scalar loss, got shape {tuple(loss.shape)}")
        loss.backward()
        params = [p for p in model.parameters() if p.grad is not None]
        norm = torch.nn.utils.clip_grad_norm_(params, clip if clip is not None else float("inf"))
        opt.step()
        history.steps.append(step)
        history.train_loss.append(loss.item())
        history.grad_norm.append(float(norm))
        bar.update(1)
        out_of_time = time_budget is not None and time.perf_counter() - start > time_budget
        if eval_fn is not None and (step == max_steps or out_of_time or (eval_every and step % eval_every == 0)):
            model.eval()
            with torch.no_grad():
                history.eval_steps.append(step)
                history.eval_loss.append(float(eval_fn(model)))
            model.train()
            bar.set_postfix(eval=f"{history.eval_loss[-1]:.3f}")
        if step == max_steps:
            break
        if out_of_time:
            history.stopped_by = "time_budget"
            break
    bar.close()
    model.eval()
    history.seconds = time.perf_counter() - start
    return history


__all__ = ["History", "make_optimizer", "train"]
