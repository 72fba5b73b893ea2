"""The adding problem: data layout, seeding, the 1/6 baseline, and a model that learns it."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from seqmodels.adding import (
    BASELINE_MSE,
    SECOND_VALUE_MSE,
    TEST_SEED,
    VALID_SEED,
    AddingRegressor,
    adding_problem,
    compare_on_adding,
    evaluate_adding,
    make_adding_model,
    train_adding,
)


def test_layout_values_in_unit_interval_and_one_marker_per_half():
    X, y = adding_problem(200, 20, seed=0)
    assert X.shape == (200, 20, 2) and y.shape == (200,)
    assert X.dtype == torch.float32
    values, markers = X[..., 0], X[..., 1]
    assert float(values.min()) >= 0 and float(values.max()) <= 1
    assert torch.equal(markers[:, :10].sum(1), torch.ones(200))
    assert torch.equal(markers[:, 10:].sum(1), torch.ones(200))
    assert torch.allclose((values * markers).sum(1), y)


def test_same_seed_same_data_and_different_seed_different_data():
    a, b, c = adding_problem(5, 8, seed=1), adding_problem(5, 8, seed=1), adding_problem(5, 8, seed=2)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


def test_predicting_one_scores_one_sixth():
    # MSE of the constant 1 is the variance of U1 + U2 = 1/6; with 200k samples the
    # standard error is about 0.17 / sqrt(200k) * sqrt(1.4) ~ 5e-4 -> 5 sigma is 2.5e-3.
    _, y = adding_problem(200_000, 4, seed=0)
    assert abs(float(((y - 1) ** 2).mean()) - BASELINE_MSE) < 2.5e-3
    assert abs(float(y.mean()) - 1.0) < 5e-3


def test_remembering_only_the_second_value_scores_one_twelfth_half_the_baseline():
    # predict v2 + 1/2 (v2 = the marked value in the second half): the error is v1 - 1/2,
    # whose variance is 1/12; standard error ~ 0.083 * sqrt(0.8 / 200k) ~ 1.7e-4 -> 1e-3 is ~6 sigma.
    X, y = adding_problem(200_000, 10, seed=1)
    second = (X[:, 5:, 0] * X[:, 5:, 1]).sum(dim=1)
    assert abs(float(((y - (second + 0.5)) ** 2).mean()) - SECOND_VALUE_MSE) < 1e-3
    assert SECOND_VALUE_MSE == pytest.approx(BASELINE_MSE / 2)


def test_shortest_sequence_has_one_marker_in_each_position():
    X, _ = adding_problem(10, 2, seed=0)
    assert torch.equal(X[..., 1], torch.ones(10, 2))


@pytest.mark.parametrize("kind", ["tanh", "relu", "irnn", "gru", "lstm"])
def test_every_kind_of_model_maps_sequences_to_one_number(kind):
    model = make_adding_model(kind, hidden_size=8, seed=0)
    X, y = adding_problem(4, 6)
    assert model(X).shape == (4,)
    assert evaluate_adding(model, X, y) >= 0


def test_irnn_starts_with_identity_recurrence():
    model = make_adding_model("irnn", hidden_size=4)
    assert torch.equal(model.rnn.weight_hh_l0, torch.eye(4))
    assert model.rnn.nonlinearity == "relu"


@pytest.fixture
def one_thread():
    """Train on one thread: on a shared, busy machine it is several times faster than two."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_a_gru_beats_the_baseline_on_short_sequences_quickly(one_thread):
    model = make_adding_model("gru", hidden_size=8, seed=0)
    history, mse = train_adding(model, 4, max_steps=80, batch_size=32, lr=2e-2, progress=False, num_test=500)
    assert len(history.train_loss) == 80
    assert mse < 0.5 * BASELINE_MSE


def test_training_is_repeatable_with_a_seed():
    runs = compare_on_adding(["tanh"], 5, seeds=[3], hidden_size=4, max_steps=5, progress=False, num_test=50)
    again = compare_on_adding(["tanh"], 5, seeds=[3], hidden_size=4, max_steps=5, progress=False, num_test=50)
    assert runs[0].test_mse == again[0].test_mse
    assert runs[0].kind == "tanh" and runs[0].seed == 3


def test_validation_mse_is_measured_on_other_sequences_than_the_test_mse():
    (run,) = compare_on_adding(
        ["tanh"], 5, seeds=[3], hidden_size=4, max_steps=5, progress=False, num_test=50, num_valid=50
    )
    assert 0 < run.valid_mse < 1 and run.valid_mse != run.test_mse
    X_valid, _ = adding_problem(50, 5, seed=VALID_SEED + 3)
    X_test, _ = adding_problem(50, 5, seed=TEST_SEED + 3)
    assert not torch.equal(X_valid, X_test)
    with pytest.raises(ValueError, match="num_valid must be >= 1"):
        compare_on_adding(["tanh"], 5, num_valid=0)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="seq_len must be >= 2"):
        adding_problem(3, 1)
    with pytest.raises(TypeError, match="num_samples must be an integer"):
        adding_problem(2.0, 5)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        adding_problem(2, 5, seed=-1)
    with pytest.raises(ValueError, match="kind must be one of"):
        make_adding_model("transformer")
    with pytest.raises(ValueError, match="batch_first=True"):
        AddingRegressor(nn.LSTM(2, 3))
    with pytest.raises(ValueError, match="2 input features"):
        AddingRegressor(nn.LSTM(3, 3, batch_first=True))
    with pytest.raises(TypeError, match="rnn must be an nn.Module"):
        AddingRegressor("lstm")
    with pytest.raises(ValueError, match="lr must be > 0"):
        train_adding(make_adding_model("tanh", 4), 5, lr=0.0)


@pytest.mark.parametrize("use", ["evaluate", "train"])
def test_the_model_is_fed_on_its_own_device(use, devices_fed):
    X, y = adding_problem(4, 6, seed=0)
    call = {
        "evaluate": lambda m: evaluate_adding(m, X, y),
        "train": lambda m: train_adding(m, 6, max_steps=1, batch_size=4, num_test=4, progress=False),
    }[use]
    assert devices_fed(make_adding_model("gru", 4, seed=0), call) == {torch.device("meta")}
