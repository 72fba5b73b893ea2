"""The stored long LSTM run that chapter 8 plots is complete and consistent."""

import math

from seqmodels.long_runs import LSTM_LONG_RUN


def test_long_run_has_one_loss_per_evaluation_step():
    run = LSTM_LONG_RUN
    assert len(run["eval_steps"]) == len(run["eval_loss"]) > 1
    assert run["eval_steps"] == sorted(run["eval_steps"])
    assert all(step % run["config"]["eval_every"] == 0 for step in run["eval_steps"])


def test_long_run_losses_are_plausible_nats_per_character():
    losses = LSTM_LONG_RUN["eval_loss"]
    assert all(math.isfinite(x) and 0 < x < math.log(66) for x in losses)
    assert min(losses) < losses[0]
    assert LSTM_LONG_RUN["seconds_per_step"] > 0
