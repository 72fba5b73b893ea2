"""The book's one training loop: order of operations, budgets, evaluation and bad input."""

from __future__ import annotations

import functools
import json
import math

import pytest
import torch
from torch import nn

from seqmodels.train import History, make_optimizer, plain, train


def _regression(seed: int = 0):
    """A linear model and batches of y = 3x - 1, the simplest thing that must train."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(64, 1, generator=gen)
    batches = [(x[i : i + 16], 3 * x[i : i + 16] - 1) for i in range(0, 64, 16)]
    torch.manual_seed(seed)
    return nn.Linear(1, 1), batches


def _mse(model, batch, state):
    x, y = batch
    return ((model(x) - y) ** 2).mean(), None


def test_training_reduces_the_loss_and_records_every_step():
    model, batches = _regression()
    history = train(model, batches, _mse, max_steps=200, lr=0.05, progress=False)
    assert isinstance(history, History)
    assert history.steps == list(range(1, 201))
    assert len(history.train_loss) == len(history.grad_norm) == 200
    assert history.train_loss[-1] < 1e-3 < history.train_loss[0]
    assert history.stopped_by == "max_steps"
    assert history.seconds > 0
    assert model.weight.item() == pytest.approx(3, abs=0.05)


def test_batches_may_be_a_function_of_the_epoch():
    model, batches = _regression()
    epochs = []

    def per_epoch(epoch):
        epochs.append(epoch)
        return batches

    train(model, per_epoch, _mse, max_steps=10, progress=False)
    assert epochs == [0, 1, 2]  # 4 batches per epoch: steps 1-4, 5-8, 9-10


def test_evaluation_runs_every_eval_every_steps_and_at_the_end():
    model, batches = _regression()
    calls = []

    def eval_fn(m):
        assert not m.training and not torch.is_grad_enabled()
        calls.append(1)
        return float(len(calls))

    history = train(model, batches, _mse, max_steps=25, eval_fn=eval_fn, eval_every=10, progress=False)
    assert history.eval_steps == [10, 20, 25]
    assert history.eval_loss == [1.0, 2.0, 3.0]
    assert history.final_eval == 3.0


def test_final_eval_is_nan_without_evaluation():
    assert math.isnan(History().final_eval)


def test_clipping_bounds_the_update_but_reports_the_raw_norm():
    model, batches = _regression()
    with torch.no_grad():
        model.weight.fill_(100.0)  # a huge gradient at the first step
    before = model.weight.item()
    history = train(model, batches[:1], _mse, max_steps=1, lr=1.0, optimizer="sgd", clip=0.5, progress=False)
    assert history.grad_norm[0] > 0.5  # the norm before clipping is recorded
    step = math.hypot(model.weight.item() - before, 0)
    assert step <= 0.5 + 1e-6


def test_no_clipping_with_clip_none():
    model, batches = _regression()
    with torch.no_grad():
        model.weight.fill_(100.0)
    before = model.weight.item()
    train(model, batches[:1], _mse, max_steps=1, lr=1.0, optimizer="sgd", clip=None, progress=False)
    assert abs(model.weight.item() - before) > 1.0


def test_time_budget_stops_early():
    model, batches = _regression()
    history = train(
        model, batches, _mse, max_steps=10**6, time_budget=0.05, progress=False, eval_fn=lambda m: 0.0
    )
    assert history.stopped_by == "time_budget"
    assert len(history.steps) < 10**6
    assert history.eval_steps == [history.steps[-1]]  # evaluated once, where it stopped


def test_training_repeats_exactly():
    runs = []
    for _ in range(2):
        model, batches = _regression()
        runs.append(train(model, batches, _mse, max_steps=20, progress=False).train_loss)
    assert runs[0] == runs[1]


def test_an_optimizer_instance_is_used_as_given():
    model, batches = _regression()
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    before = model.weight.item()
    train(model, batches, _mse, max_steps=5, optimizer=opt, progress=False)
    assert model.weight.item() == before


def test_model_is_left_in_eval_mode():
    model, batches = _regression()
    train(model, batches, _mse, max_steps=2, progress=False)
    assert not model.training


def test_the_state_a_step_returns_is_handed_to_the_next_step_and_reset_every_epoch():
    model, batches = _regression()
    received = []

    def counting_step(m, batch, state):
        received.append(state)
        loss, _ = _mse(m, batch, None)
        return loss, (0 if state is None else state) + 1

    train(model, batches, counting_step, max_steps=10, progress=False)
    assert received == [None, 1, 2, 3, None, 1, 2, 3, None, 1]  # 4 batches per epoch


def test_a_step_that_returns_only_a_loss_is_told_to_return_loss_and_state():
    model, batches = _regression()
    with pytest.raises(TypeError, match=r"step_fn must return \(loss, state\).*got Tensor"):
        train(model, batches, lambda m, b, s: _mse(m, b, s)[0], max_steps=1, progress=False)


def test_a_schedule_sets_the_learning_rate_of_every_step():
    model, batches = _regression()
    opt = torch.optim.SGD(model.parameters(), lr=123.0)
    seen = []

    def step(m, batch, state):
        seen.append(opt.param_groups[0]["lr"])
        return _mse(m, batch, state)

    train(model, batches, step, max_steps=5, optimizer=opt, schedule=lambda s: 0.1 / s, progress=False)
    assert seen == [0.1 / s for s in range(1, 6)]


def test_weight_decay_with_adamw_shrinks_the_weights_apart_from_the_gradient():
    model = nn.Linear(2, 1)
    opt = make_optimizer(model, "adamw", lr=0.1, weight_decay=0.5)
    assert isinstance(opt, torch.optim.AdamW) and opt.param_groups[0]["weight_decay"] == 0.5
    # With a zero loss only the decay acts: w <- w * (1 - lr * weight_decay).
    before = model.weight.detach().clone()
    train(
        model,
        [(torch.zeros(4, 2), None)],
        lambda m, b, s: ((m(b[0]) * 0).sum(), None),
        max_steps=1,
        optimizer=opt,
        progress=False,
    )
    assert torch.allclose(model.weight, before * (1 - 0.1 * 0.5))


def test_patience_stops_after_evaluations_without_a_new_best_and_keep_best_restores_it():
    model, batches = _regression()
    scores = iter([3.0, 1.0, 2.0, 1.0, 5.0, 0.5])  # best at the second evaluation, then three misses
    weights = {}

    def eval_fn(m):
        weights[len(weights) + 1] = m.weight.item()
        return next(scores)

    history = train(
        model,
        batches,
        _mse,
        max_steps=100,
        eval_fn=eval_fn,
        eval_every=2,
        patience=3,
        keep_best=True,
        progress=False,
    )
    assert history.stopped_by == "patience" and history.steps[-1] == 10
    assert history.eval_steps == [2, 4, 6, 8, 10] and history.best_step == 4
    assert model.weight.item() == weights[2]  # the weights of the best evaluation, put back
    assert len(history.eval_seconds) == 5 and history.eval_seconds == sorted(history.eval_seconds)


def test_without_keep_best_the_last_weights_stay():
    model, batches = _regression()
    last = []
    evaluation = lambda m: last.append(m.weight.item()) or -len(last)  # noqa: E731  (a new best every time)
    history = train(model, batches, _mse, max_steps=6, eval_every=2, eval_fn=evaluation, progress=False)
    assert history.best_step == 6 and model.weight.item() == last[-1]


@pytest.mark.parametrize("kwargs", [{"patience": 2}, {"keep_best": True}])
def test_patience_and_keep_best_need_an_evaluation(kwargs):
    model, batches = _regression()
    with pytest.raises(ValueError, match="patience and keep_best need an evaluation"):
        train(model, batches, _mse, max_steps=3, progress=False, **kwargs)


def test_history_config_records_every_argument_of_the_run_defaults_included():
    model, batches = _regression()
    history = train(model, batches, _mse, max_steps=3, lr=0.05, progress=False)
    assert history.config["lr"] == 0.05 and history.config["max_steps"] == 3
    assert history.config["clip"] == 1.0 and history.config["optimizer"] == "adam"  # defaults, resolved
    assert history.config["model"] == "Linear" and history.config["step_fn"] == "_mse"
    assert history.config["batches"] == [["Tensor of shape (16, 1)"] * 2] * 4
    json.dumps(history.config)  # storable as it is


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        (0.5, 0.5),
        (None, None),
        ("adam", "adam"),
        (True, True),
        ((1, 2.5), [1, 2.5]),
        ({"a": (1,)}, {"a": [1]}),
        (list(range(100)), "list of length 100"),
        (torch.zeros(3, 2), "Tensor of shape (3, 2)"),
        (torch.tensor(2.5), 2.5),
        (nn.LSTM(2, 3), "LSTM"),
        (math.exp, "exp"),
        (functools.partial(math.log, base=2), "log"),
    ],
)
def test_plain_turns_values_into_what_json_stores(value, expected):
    assert plain(value) == expected


def test_make_optimizer_builds_adam_and_sgd():
    model = nn.Linear(2, 1)
    assert isinstance(make_optimizer(model), torch.optim.Adam)
    sgd = make_optimizer(model, "sgd", lr=0.1)
    assert isinstance(sgd, torch.optim.SGD) and sgd.param_groups[0]["lr"] == 0.1


# ---- bad input


@pytest.mark.parametrize(
    ("name", "lr", "error", "match"),
    [
        ("rmsprop", 0.1, ValueError, "optimizer must be 'adam', 'adamw' or 'sgd', got 'rmsprop'"),
        ("adam", 0.0, ValueError, "lr must be > 0.0, got 0.0"),
        ("adam", "fast", TypeError, "lr must be a real number, got str"),
    ],
)
def test_make_optimizer_rejects_bad_arguments(name, lr, error, match):
    with pytest.raises(error, match=match):
        make_optimizer(nn.Linear(2, 1), name, lr)


def test_make_optimizer_rejects_a_negative_weight_decay():
    with pytest.raises(ValueError, match="weight_decay must be >= 0.0, got -0.1"):
        make_optimizer(nn.Linear(2, 1), "adamw", 0.1, weight_decay=-0.1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_steps": 0}, ValueError, "max_steps must be >= 1, got 0"),
        ({"max_steps": 2.5}, TypeError, "max_steps must be an integer, got float"),
        ({"clip": 0}, ValueError, "clip must be > 0.0, got 0.0"),
        ({"eval_every": 0}, ValueError, "eval_every must be >= 1, got 0"),
        ({"patience": 0, "eval_fn": lambda m: 0.0}, ValueError, "patience must be >= 1, got 0"),
        ({"time_budget": -1}, ValueError, "time_budget must be > 0.0, got -1.0"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, error, match):
    model, batches = _regression()
    args = {"max_steps": 3, "progress": False} | kwargs
    with pytest.raises(error, match=match):
        train(model, batches, _mse, **args)


def test_empty_batches_are_reported():
    model, _ = _regression()
    with pytest.raises(ValueError, match="batches produced no batch"):
        train(model, [], _mse, max_steps=3, progress=False)


def test_step_fn_must_return_a_scalar():
    model, batches = _regression()
    with pytest.raises(ValueError, match=r"step_fn must return a scalar loss, got shape \(16, 1\)"):
        train(model, batches, lambda m, b, s: ((m(b[0]) - b[1]) ** 2, None), max_steps=1, progress=False)
