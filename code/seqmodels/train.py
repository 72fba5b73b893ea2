"""The book's one training loop.

Every chapter that trains a network (language models, translation, the adding problem)
calls :func:`train`, and so do chapter 8's long runs (``tools/lm_long_run.py``). It knows
nothing about the model: a chapter passes a ``step_fn`` that turns one batch into a scalar
loss, and the loop does the rest, always in this order:

1. set the step's learning rate, if a ``schedule`` gives one;
2. zero the gradients, compute the loss, backpropagate;
3. optionally clip the gradient norm (chapter 7 explains why);
4. take an optimiser step;
5. every ``eval_every`` steps, call ``eval_fn`` (e.g. validation loss) and record it.

The step function also receives and returns a *carried state*: ``step_fn(model, batch,
state) -> (loss, state)``. A language model reads its text in consecutive windows and hands
its last hidden state to the next window (truncated backpropagation through time, chapter
5); every other model ignores the state and returns ``(loss, None)``. The loop resets the
state to ``None`` at the start of every epoch.

It stops after ``max_steps`` steps, earlier when the evaluation has not improved for
``patience`` evaluations, or when an optional wall-clock ``time_budget`` runs out. Chapters
use a step budget so that their numbers repeat exactly; the time budget is a safety net for
readers experimenting on slow machines. The :class:`History` records what happened and,
in ``config``, every argument the run was called with, defaults included.
"""

from __future__ import annotations

import copy
import functools
import inspect
import itertools
import numbers
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
    eval_seconds: list[float] = field(default_factory=list)  # since the start, at each evaluation
    best_step: int | None = None  # the step of the lowest evaluation (the first, if tied)
    seconds: float = 0.0
    stopped_by: str = "max_steps"
    config: dict[str, Any] = field(default_factory=dict)  # the arguments of the run, JSON-plain

    @property
    def final_eval(self) -> float:
        """The last evaluation result (``nan`` if there was none)."""
        return self.eval_loss[-1] if self.eval_loss else float("nan")


def plain(value: Any) -> Any:
    """``value`` as JSON can store it, for :attr:`History.config`.

    Numbers, strings, ``None``, short lists and dicts stay as they are; a model, a corpus or a
    function is written as what it is (``"CharLM"``, ``"list of length 1000"``, a function's
    name, a tensor by its shape), so a run's settings can be saved next to its results.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if hasattr(value, "shape") and hasattr(value, "ndim"):  # a tensor or an array
        if value.ndim == 0:
            return plain(value.item())
        return f"{type(value).__name__} of shape {tuple(value.shape)}"
    if isinstance(value, (list, tuple)) and len(value) <= 8:
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, nn.Module):
        return type(value).__name__
    if callable(value):  # a function, or the function a functools.partial wraps, by its name
        return getattr(value, "__qualname__", None) or plain(getattr(value, "func", type(value)))
    if hasattr(value, "__len__"):
        return f"{type(value).__name__} of length {len(value)}"
    return type(value).__name__


def records_config(fn: Callable[..., History]) -> Callable[..., History]:
    """Make a training function record its resolved arguments in the ``config`` of its History.

    The arguments are bound to ``fn``'s signature with the defaults filled in, so a stored run
    shows every setting it ran with, including those nobody typed (the learning rate, say).
    When one training function calls another, the outer one's arguments are kept.
    """
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> History:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        history = fn(*args, **kwargs)
        history.config = {name: plain(value) for name, value in bound.arguments.items()}
        return history

    return run


_OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}


def make_optimizer(
    model: nn.Module, name: str = "adam", lr: float = 1e-3, weight_decay: float = 0.0
) -> torch.optim.Optimizer:
    """Adam (the default), AdamW or plain SGD over the model's parameters.

    ``weight_decay`` shrinks every weight towards zero at each step; AdamW applies it apart
    from the gradient (decoupled weight decay, the long runs of chapter 8), Adam and SGD add it
    to the gradient.
    """
    lr = check_real("lr", lr, low=0.0, low_open=True)
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    if name not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be 'adam', 'adamw' or 'sgd', got {name!r}")
    return _OPTIMIZERS[name](model.parameters(), lr=lr, weight_decay=weight_decay)


def _forever(batches: Iterable | Callable[[int], Iterable]) -> Iterator[tuple[bool, Any]]:
    """Cycle through epochs, yielding ``(starts_an_epoch, batch)``.

    ``batches(epoch)`` is called anew for each epoch; an iterable is simply re-iterated.
    """
    for epoch in itertools.count():
        starts_an_epoch = True
        for batch in batches(epoch) if callable(batches) else batches:
            yield starts_an_epoch, batch
            starts_an_epoch = False
        if starts_an_epoch:
            raise ValueError("batches produced no batch; check the data and batch sizes")


def _loss_and_state(result: Any) -> tuple[torch.Tensor, Any]:
    """Check what a step function returned: a scalar loss and the state to carry on."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise TypeError(
            f"step_fn must return (loss, state), with state None if nothing is carried; "
            f"got {type(result).__name__}"
        )
    loss, state = result
    if loss.dim() != 0:
        raise ValueError(f"step_fn must return a scalar loss, got shape {tuple(loss.shape)}")
    return loss, state


@records_config
def train(
    model: nn.Module,
    batches: Iterable | Callable[[int], Iterable],
    step_fn: Callable[[nn.Module, Any, Any], tuple[torch.Tensor, Any]],
    *,
    max_steps: int,
    lr: float = 1e-3,
    optimizer: str | torch.optim.Optimizer = "adam",
    weight_decay: float = 0.0,
    schedule: Callable[[int], float] | None = None,
    clip: float | None = 1.0,
    eval_fn: Callable[[nn.Module], float] | None = None,
    eval_every: int | None = None,
    patience: int | None = None,
    keep_best: bool = False,
    time_budget: float | None = None,
    progress: bool = True,
    desc: str = "training",
) -> History:
    """Train ``model`` for ``max_steps`` optimiser steps; return the :class:`History`.

    ``batches`` is an iterable of batches, or a function ``epoch -> iterable`` called at the
    start of every epoch (to reshuffle with a new seed). ``step_fn(model, batch, state)``
    returns the scalar loss of one batch and the state to carry to the next batch (``None``
    when nothing is carried); the state is ``None`` at the start of every epoch.

    ``optimizer`` is ``"adam"``, ``"adamw"``, ``"sgd"`` (with ``lr`` and ``weight_decay``) or
    an optimiser to use as given. ``schedule(step)``, if given, is the learning rate of step
    ``1, 2, ...``, set before the step. ``clip`` is the maximum gradient norm (``None`` for no
    clipping). ``eval_fn(model)`` (a loss: lower is better) runs every ``eval_every`` steps and
    at the end; ``patience`` stops the run after that many evaluations without a new best, and
    ``keep_best`` puts back the weights of the best evaluation when the run ends.
    """
    max_steps = check_positive_int("max_steps", max_steps)
    if clip is not None:
        clip = check_real("clip", clip, low=0.0, low_open=True)
    if eval_every is not None:
        eval_every = check_positive_int("eval_every", eval_every)
    if patience is not None:
        patience = check_positive_int("patience", patience)
    if time_budget is not None:
        time_budget = check_real("time_budget", time_budget, low=0.0, low_open=True)
    if eval_fn is None and (patience is not None or keep_best):
        raise ValueError("patience and keep_best need an evaluation: pass eval_fn (valid_ids to train_lm)")
    if isinstance(optimizer, torch.optim.Optimizer):
        opt = optimizer
    else:
        opt = make_optimizer(model, optimizer, lr, weight_decay)
    history = History()
    best_loss, best_weights, evals_since_best = float("inf"), None, 0
    start = time.perf_counter()
    bar = tqdm(total=max_steps, desc=desc, disable=not progress, leave=False)
    model.train()
    for step, (starts_an_epoch, batch) in enumerate(_forever(batches), start=1):
        if starts_an_epoch:
            state = None  # each epoch starts from a zero state
        if schedule is not None:
            for group in opt.param_groups:
                group["lr"] = schedule(step)
        opt.zero_grad(set_to_none=True)
        loss, state = _loss_and_state(step_fn(model, batch, state))
        loss.backward()
        params = [p for p in model.parameters() if p.grad is not None]
        norm = torch.nn.utils.clip_grad_norm_(params, clip if clip is not None else float("inf"))
        opt.step()
        history.steps.append(step)
        history.train_loss.append(loss.item())
        history.grad_norm.append(float(norm))
        bar.update(1)
        out_of_time = time_budget is not None and time.perf_counter() - start > time_budget
        if eval_fn is not None and (
            step == max_steps or out_of_time or (eval_every and step % eval_every == 0)
        ):
            model.eval()
            with torch.no_grad():
                history.eval_steps.append(step)
                history.eval_loss.append(float(eval_fn(model)))
                history.eval_seconds.append(time.perf_counter() - start)
            model.train()
            bar.set_postfix(eval=f"{history.eval_loss[-1]:.3f}")
            if history.eval_loss[-1] < best_loss:  # a new best
                best_loss, history.best_step, evals_since_best = history.eval_loss[-1], step, 0
                best_weights = copy.deepcopy(model.state_dict()) if keep_best else None
            else:
                evals_since_best += 1
        if patience is not None and evals_since_best >= patience:
            history.stopped_by = "patience"
            break
        if step == max_steps:
            break
        if out_of_time:
            history.stopped_by = "time_budget"
            break
    bar.close()
    if best_weights is not None:
        model.load_state_dict(best_weights)
    model.eval()
    history.seconds = time.perf_counter() - start
    return history


__all__ = ["History", "make_optimizer", "plain", "records_config", "train"]
