"""The chapter 9 checkers pass correct answers and fail each classic mistake."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from seqmodels.exercises.ch09 import _scaled, check_attention, check_scaled_attention
from seqmodels.seq2seq import dot_product_attention

# --------------------------------------------------------------------------- one query


def attention_reference(s, H, mask):
    scores = np.where(mask, H @ s, -np.inf)
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    return weights @ H, weights


def attention_with_a_large_negative_mask(s, H, mask):  # also right: -1e9 instead of -inf
    scores = np.where(mask, H @ s, -1e9)
    weights = np.exp(scores - scores.max())
    return weights @ H / weights.sum(), weights / weights.sum()


def test_check_attention_accepts_correct_answers(capsys):
    assert check_attention(attention_reference)
    assert "PASS: check_attention: 14/14" in capsys.readouterr().out
    assert check_attention(attention_with_a_large_negative_mask)


def attention_without_mask(s, H, mask):
    scores = H @ s
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    return weights @ H, weights


def attention_masked_after_the_softmax(s, H, mask):  # zeroes padding but does not renormalise
    scores = H @ s
    weights = np.exp(scores - scores.max())
    weights = np.where(mask, weights / weights.sum(), 0.0)
    return weights @ H, weights


def attention_with_padding_scored_zero(s, H, mask):
    scores = np.where(mask, H @ s, 0.0)
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    return weights @ H, weights


def attention_without_max_subtraction(s, H, mask):
    weights = np.where(mask, np.exp(H @ s), 0.0)
    weights = weights / weights.sum()
    return weights @ H, weights


def attention_returning_the_weights_only(s, H, mask):
    return attention_reference(s, H, mask)[1]


def attention_with_context_in_the_wrong_order(s, H, mask):
    c, w = attention_reference(s, H, mask)
    return w, c


def attention_normalising_scores_by_their_sum(s, H, mask):
    scores = np.where(mask, H @ s, 0.0)
    weights = scores / scores.sum()
    return weights @ H, weights


@pytest.mark.parametrize(
    "mistake",
    [
        attention_without_mask,
        attention_masked_after_the_softmax,
        attention_with_padding_scored_zero,
        attention_without_max_subtraction,
        attention_returning_the_weights_only,
        attention_with_context_in_the_wrong_order,
        attention_normalising_scores_by_their_sum,
    ],
)
def test_check_attention_fails_each_classic_mistake(mistake, capsys):
    assert not check_attention(mistake)
    assert "FAIL: check_attention" in capsys.readouterr().out


def test_a_softmax_without_max_subtraction_fails_on_large_and_on_very_negative_scores(capsys):
    check_attention(attention_without_max_subtraction)
    out = capsys.readouterr().out
    assert (
        "✗ large scores (1000) do not overflow: subtract the largest score first: weights: raised FloatingPointError"
        in out
    )
    assert (
        "✗ very negative scores (-1000, -2000) do not give 0 / 0: weights: raised FloatingPointError" in out
    )


def test_check_attention_fails_an_answer_that_calls_the_package(capsys):
    def through_the_package(s, H, mask):
        c, w = dot_product_attention(
            torch.tensor(s)[None, None], torch.tensor(H)[None], torch.tensor(mask)[None]
        )
        return c[0, 0].numpy(), w[0, 0].numpy()

    assert not check_attention(through_the_package)
    assert (
        "it calls seqmodels.seq2seq.dot_product_attention, and the exercise asks you to write it yourself"
        in capsys.readouterr().out
    )


def test_unfinished_answer_fails_without_raising(capsys):
    def todo(s, H, mask):
        raise NotImplementedError("replace this line with your code")

    assert not check_attention(todo)
    assert "FAIL: check_attention: 0/14" in capsys.readouterr().out


# --------------------------------------------------------------------------- queries, keys and values


def scaled_reference(Q, K, V, mask):
    scores = Q @ K.T / np.sqrt(K.shape[1])
    scores[:, ~mask] = -np.inf
    A = np.exp(scores - scores.max(axis=1, keepdims=True))
    A /= A.sum(axis=1, keepdims=True)
    return A @ V, A


def test_check_scaled_attention_accepts_a_correct_answer(capsys):
    assert check_scaled_attention(scaled_reference)
    assert "PASS: check_scaled_attention: 14/14" in capsys.readouterr().out


def scaled_without_scaling(Q, K, V, mask):
    return scaled_reference(Q * np.sqrt(Q.shape[1]), K, V, mask)


def scaled_by_d(Q, K, V, mask):
    return scaled_reference(Q / np.sqrt(Q.shape[1]), K, V, mask)


def scaled_softmax_over_the_queries(Q, K, V, mask):
    scores = np.where(mask[None, :], Q @ K.T / np.sqrt(K.shape[1]), -np.inf)
    A = np.exp(scores - scores.max(axis=0, keepdims=True))
    A = np.nan_to_num(A / A.sum(axis=0, keepdims=True))
    return A @ V, A


def scaled_reading_the_keys(Q, K, V, mask):
    _, A = scaled_reference(Q, K, V, mask)
    return A @ K, A


def scaled_ignoring_the_mask(Q, K, V, mask):
    return scaled_reference(Q, K, V, np.ones_like(mask))


@pytest.mark.parametrize(
    "mistake",
    [
        scaled_without_scaling,
        scaled_by_d,
        scaled_softmax_over_the_queries,
        scaled_reading_the_keys,
        scaled_ignoring_the_mask,
    ],
)
def test_check_scaled_attention_fails_each_classic_mistake(mistake, capsys):
    assert not check_scaled_attention(mistake)
    assert "FAIL: check_scaled_attention" in capsys.readouterr().out


def test_check_scaled_attention_fails_an_answer_that_calls_the_checkers_own_answer(capsys):
    assert not check_scaled_attention(lambda Q, K, V, mask: _scaled(Q, K, V, mask))
    assert "and the exercise asks you to write it yourself" in capsys.readouterr().out


# --------------------------------------------------------------------------- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

from seqmodels.exercises import exercise, score  # noqa: E402


def attention_subtracting_the_max_over_all_positions(s, H, mask):
    """Subtracts the largest score over every position, padding included, then masks: 0/0 when
    the padding's score sits far above the real ones."""
    e = H @ s
    e = e - e.max()
    w = np.exp(e) * mask
    alpha = w / w.sum()
    return alpha @ H, alpha


def scaled_subtracting_the_max_over_all_keys(Q, K, V, mask):
    scores = Q @ K.T / np.sqrt(K.shape[1])
    A = np.exp(scores - scores.max(axis=1, keepdims=True)) * mask
    A = A / A.sum(axis=1, keepdims=True)
    return A @ V, A


def attention_with_the_log_mask_idiom(s, H, mask):
    scores = H @ s + np.log(mask)
    w = np.exp(scores - scores.max())
    alpha = w / w.sum()
    return alpha @ H, alpha


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_attention, attention_subtracting_the_max_over_all_positions),
        (check_scaled_attention, scaled_subtracting_the_max_over_all_keys),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_false_pass_of_the_review_now_fails(checker, wrong, capsys):
    assert not checker(wrong)
    out = capsys.readouterr().out
    assert "take the largest over the real" in out and "invalid value" in out


@pytest.mark.parametrize(
    "checker, solution",
    [
        (check_attention, attention_with_the_log_mask_idiom),
        (check_attention, "float32"),
        (check_scaled_attention, "float32"),
    ],
    ids=["attention with the np.log(mask) idiom", "attention in float32", "scaled attention in float32"],
)
def test_a_false_fail_of_the_review_now_passes(checker, solution, float32, capsys):
    if solution == "float32":
        solution = float32(attention_reference if checker is check_attention else scaled_reference)
    assert checker(solution)
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution", [("9.1", attention_reference), ("9.2", scaled_reference)], ids=["9.1", "9.2"]
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]


@pytest.mark.parametrize(
    "number, wrong",
    [
        ("9.1", attention_subtracting_the_max_over_all_positions),
        ("9.2", scaled_subtracting_the_max_over_all_keys),
    ],
    ids=["9.1", "9.2"],
)
def test_the_hidden_cases_catch_the_fragile_masking_too(number, wrong):
    for seed in (0, 1, 2):
        assert not all(r.passed for r in score(exercise(number), wrong, exercise(number).cases(seed)))
