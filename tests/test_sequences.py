"""Tests for seqmodels.sequences: mutual information and autoregressive windows."""

import re

import numpy as np
import pytest

from seqmodels.data import load_plays
from seqmodels.sequences import (
    autoregressive_windows,
    entropy,
    fit_autoregressive,
    mutual_information,
    mutual_information_by_distance,
    predict_k_steps,
    speeches,
)


def test_mutual_information_of_a_variable_with_itself_is_its_entropy():
    x = np.array([0, 1, 2, 3] * 25)
    assert mutual_information(x, x) == pytest.approx(2.0)  # 4 equiprobable symbols: 2 bits


def test_entropy_is_log2_of_the_alphabet_for_uniform_symbols_and_zero_for_a_constant():
    assert entropy([0, 1, 2, 3] * 5) == pytest.approx(2.0)
    assert entropy([7] * 10) == 0.0
    assert entropy([0, 0, 0, 1]) == pytest.approx(-(0.75 * np.log2(0.75) + 0.25 * np.log2(0.25)))


def test_entropy_bounds_mutual_information_and_equals_it_for_a_variable_with_itself():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, 400)
    y = (x + rng.integers(0, 2, 400)) % 5
    assert mutual_information(x, x) == pytest.approx(entropy(x))
    assert 0 < mutual_information(x, y) < min(entropy(x), entropy(y))


def test_entropy_rejects_bad_input():
    with pytest.raises(ValueError, match="x is empty"):
        entropy([])
    with pytest.raises(TypeError, match="integer ids"):
        entropy([0.5])


def test_mutual_information_of_independent_factorised_counts_is_zero():
    x = np.repeat([0, 1], 50)
    y = np.tile([0, 1], 50)  # every pair (a, b) occurs exactly 25 times
    assert mutual_information(x, y) == pytest.approx(0.0, abs=1e-12)


def test_mutual_information_matches_hand_computed_value():
    # joint: P(0,0)=1/2, P(1,1)=1/4, P(1,0)=1/4
    x, y = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 0])
    px, py = np.array([0.5, 0.5]), np.array([0.75, 0.25])
    joint = {(0, 0): 0.5, (1, 1): 0.25, (1, 0): 0.25}
    expected = sum(p * np.log2(p / (px[a] * py[b])) for (a, b), p in joint.items())
    assert mutual_information(x, y) == pytest.approx(expected)


def test_mutual_information_by_distance_detects_a_period():
    ids = np.tile([0, 1, 2], 100)  # fully determined at every distance
    mi = mutual_information_by_distance(ids, [1, 2, 3])
    assert np.allclose(mi, np.log2(3), atol=1e-3)  # ragged ends make counts 100 vs 99


@pytest.mark.parametrize(
    "x, y, error, match",
    [
        ([0, 1], [0], ValueError, "same length"),
        ([], [], ValueError, "x is empty"),
        ([[0, 1]], [[0, 1]], ValueError, "x must be one-dimensional"),
        ([0.5, 1.0], [0, 1], TypeError, "x must hold integer ids"),
        ([0, -1], [0, 1], ValueError, "non-negative"),
    ],
)
def test_mutual_information_rejects_bad_input(x, y, error, match):
    with pytest.raises(error, match=match):
        mutual_information(x, y)


def test_mutual_information_by_distance_rejects_bad_distances():
    with pytest.raises(ValueError, match="distance 5 must be smaller than the sequence length 5"):
        mutual_information_by_distance([0, 1, 0, 1, 0], [5])
    with pytest.raises(ValueError, match="distance must be >= 1, got 0"):
        mutual_information_by_distance([0, 1, 0, 1, 0], [0])


def test_windows_hold_the_last_tau_values_oldest_first():
    features, labels = autoregressive_windows([1, 2, 3, 4, 5], tau=3)
    assert features.tolist() == [[1, 2, 3], [2, 3, 4]]
    assert labels.tolist() == [4, 5]


@pytest.mark.parametrize(
    "series, tau, error, match",
    [
        ([1.0, 2.0], 2, ValueError, "tau=2 must be smaller than the series length 2"),
        ([1.0, 2.0], 0, ValueError, "tau must be >= 1"),
        ([[1.0, 2.0]], 1, ValueError, "one-dimensional"),
        ([1.0, np.nan, 2.0], 1, ValueError, "NaN"),
    ],
)
def test_windows_reject_bad_input(series, tau, error, match):
    with pytest.raises(error, match=match):
        autoregressive_windows(series, tau)


def test_fit_recovers_the_weights_of_a_noise_free_linear_recurrence_newest_first():
    x = [1.0, 0.5]
    for _ in range(50):
        x.append(0.3 + 0.6 * x[-1] - 0.2 * x[-2])  # x_t = 0.3 + 0.6 x_{t-1} - 0.2 x_{t-2}
    assert np.allclose(fit_autoregressive(x, 2), [0.3, 0.6, -0.2])  # [w_0, w_1, w_2]


def test_one_step_prediction_equals_the_linear_model_on_true_windows():
    x = np.random.default_rng(0).standard_normal(30)
    w = np.array([0.1, 0.2, 0.3])  # w_1 = 0.2 for x_{t-1}, w_2 = 0.3 for x_{t-2}
    pred = predict_k_steps(x, w, 1)
    assert np.all(np.isnan(pred[:2]))
    assert np.allclose(pred[2:], 0.1 + 0.2 * x[1:-1] + 0.3 * x[:-2])


def test_fit_and_predict_agree_on_the_order_of_the_weights():
    x = np.random.default_rng(1).standard_normal(200).cumsum()
    w = fit_autoregressive(x, 3)
    features, labels = autoregressive_windows(x, 3)
    by_formula = w[0] + sum(w[i] * features[:, -i] for i in (1, 2, 3))  # w_i x_{t-i}
    assert np.allclose(predict_k_steps(x, w, 1)[3:], by_formula)


def test_k_step_prediction_feeds_back_its_own_predictions():
    x = np.arange(10.0)
    w = np.array([1.0, 1.0])  # x_t = 1 + x_{t-1}: exact on this series at every horizon
    for k in (1, 3, 5):
        pred = predict_k_steps(x, w, k)
        assert np.allclose(pred[k:], x[k:])
    w_half = np.array([0.0, 0.5])  # halves at each step: k steps shrink by 2^-k
    assert predict_k_steps(x, w_half, 3)[3] == pytest.approx(x[0] / 8)


def test_predict_rejects_bad_weights_and_horizons():
    with pytest.raises(ValueError, match="weights must be a vector"):
        predict_k_steps(np.arange(5.0), np.array([1.0]), 1)
    with pytest.raises(ValueError, match="tau \\+ k = 6 exceeds the series length 5"):
        predict_k_steps(np.arange(5.0), np.array([0.0, 1.0]), 5)
    with pytest.raises(ValueError, match="k must be >= 1"):
        predict_k_steps(np.arange(5.0), np.array([0.0, 1.0]), 0)


PLAY = """# Hamlet

## ACT I

### SCENE I. Elsinore.

_Enter BERNARDO and FRANCISCO_

**BERNARDO**  
Who's there?

**HORATIO**  
But soft, behold! lo, where it comes again!

_Re-enter Ghost_

I'll cross it, though it blast me. Stay, illusion!  
Speak to me:

_A flourish of trumpets,  
and ordnance shot off, within_

**MACBETH**  
_\\[Aside]_  
Glamis, and thane of Cawdor! \\[To ROSS] Thanks.

### SCENE II. A room.

Lines after a heading belong to no speech.

**KING**  
_\\[Reads]_
"""


def test_speeches_continue_past_stage_directions_and_drop_them():
    found = speeches(PLAY)
    assert found == [
        ["Who's there?"],
        [
            "But soft, behold! lo, where it comes again!",  # the speech goes on after _Re-enter Ghost_
            "I'll cross it, though it blast me. Stay, illusion!",
            "Speak to me:",
        ],
        ["Glamis, and thane of Cawdor!  Thanks."],  # [Aside] and [To ROSS] are directions
    ]  # the KING's speech holds only a direction, so it has no spoken line and is left out


def test_speeches_on_the_tragedies_keep_every_speech_and_no_direction():
    plays = load_plays(groups="tragedies", markup=True)
    found = [s for play in plays.values() for s in speeches(play)]
    plain = load_plays(groups="tragedies")
    speakers = sum(
        len(re.findall(r"^\*\*[^*]+\*\*\s*$", play, flags=re.MULTILINE)) for play in plays.values()
    )
    assert 0.99 * speakers <= len(found) <= speakers  # every speech but a few of directions only
    lines = [line for s in found for line in s]
    assert not any(line.startswith(("Exeunt", "Re-enter")) or "[" in line or "_" in line for line in lines)
    horatio = next(
        s for s in speeches(plays["hamlet"]) if "I'll cross it, though it blast me. Stay, illusion!" in s
    )
    assert horatio[0].startswith("A mote it is")  # the continuation is part of Horatio's speech
    assert all(line in plain["hamlet"] for line in horatio)  # the same words as the plain text


def test_speeches_checks_its_argument():
    with pytest.raises(TypeError, match="markdown must be a str"):
        speeches(["**HAMLET**", "Who's there?"])
