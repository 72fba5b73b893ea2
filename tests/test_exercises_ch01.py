"""The chapter 1 checkers pass correct answers and fail the classic mistakes, case by case."""

from __future__ import annotations

import numpy as np
import pytest

from seqmodels.exercises.ch01 import check_k_step, check_mutual_information, check_windows
from seqmodels.sequences import autoregressive_windows, mutual_information, predict_k_steps

# ---------------------------------------------------------------- windows


def my_windows(series, tau):  # the chapter's solution
    x = np.asarray(series, dtype=float)
    return np.stack([x[i : i + tau] for i in range(len(x) - tau)]), x[tau:]


def test_check_windows_passes_the_books_solution(capsys):
    assert check_windows(my_windows)
    assert "PASS: check_windows: 8/8" in capsys.readouterr().out


def test_check_windows_fails_an_answer_that_calls_the_package(capsys):
    assert not check_windows(autoregressive_windows)
    assert not check_windows(lambda series, tau: autoregressive_windows(series, tau))
    out = capsys.readouterr().out
    assert "calls seqmodels.sequences.autoregressive_windows" in out and "write it yourself" in out


def test_check_windows_fails_off_by_one_newest_first_and_no_answer():
    def off_by_one(series, tau):
        x = np.asarray(series, dtype=float)
        return np.stack([x[i : i + tau] for i in range(len(x) - tau + 1)]), x[tau - 1 :]

    def newest_first(series, tau):
        features, labels = my_windows(series, tau)
        return features[:, ::-1], labels

    assert not check_windows(off_by_one)
    assert not check_windows(newest_first)
    assert not check_windows(lambda series, tau: None)


# ---------------------------------------------------------------- mutual information


def my_mutual_information(x, y):  # the chapter's solution
    x, y = np.asarray(x), np.asarray(y)
    pairs, counts = np.unique(np.stack([x, y]), axis=1, return_counts=True)
    p_xy = counts / len(x)
    p_x = {a: np.mean(x == a) for a in np.unique(x).tolist()}
    p_y = {b: np.mean(y == b) for b in np.unique(y).tolist()}
    p_indep = np.array([p_x[a] * p_y[b] for a, b in pairs.T.tolist()])
    return float(np.sum(p_xy * np.log2(p_xy / p_indep)))


def _joint(x, y):
    x, y = np.asarray(x), np.asarray(y)
    joint = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(joint, (x, y), 1)
    return joint / joint.sum()


def mi_natural_log(x, y):
    joint = _joint(x, y)
    px, py = joint.sum(1, keepdims=True), joint.sum(0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / (px @ py)[nz])))


def mi_without_skipping_zeros(x, y):  # 0 * log 0 becomes NaN
    joint = _joint(x, y)
    px, py = joint.sum(1, keepdims=True), joint.sum(0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(joint * np.log2(joint / (px @ py))))


def mi_one_marginal_for_both(x, y):  # uses P(x) where P(y) belongs
    joint = _joint(x, y)
    px = joint.sum(1)
    size = max(joint.shape)
    px = np.pad(px, (0, size - len(px)))
    nz = joint > 0
    rows, cols = np.nonzero(nz)
    with np.errstate(divide="ignore"):
        return float(np.sum(joint[nz] * np.log2(joint[nz] / (px[rows] * px[cols]))))


def test_check_mutual_information_passes_the_books_solution(capsys):
    assert check_mutual_information(my_mutual_information)
    assert "PASS: check_mutual_information: 7/7" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong",
    [mi_natural_log, mi_without_skipping_zeros, mi_one_marginal_for_both],
    ids=["natural log", "0 log 0 gives NaN", "one marginal for both"],
)
def test_check_mutual_information_fails_the_classic_mistakes(wrong, capsys):
    assert not check_mutual_information(wrong)


def test_natural_log_passes_only_the_independent_case_as_the_solution_says(capsys):
    check_mutual_information(mi_natural_log)
    out = capsys.readouterr().out
    assert "1/7 cases correct" in out and "✓ every pair occurs equally often" in out and "got 1.386294" in out


def test_check_mutual_information_fails_an_answer_that_calls_the_package(capsys):
    assert not check_mutual_information(mutual_information)
    assert "calls seqmodels.sequences.mutual_information" in capsys.readouterr().out


# ---------------------------------------------------------------- k steps ahead


def my_k_step(history, weights, k):  # the chapter's solution
    window = list(history)
    for _ in range(k):
        prediction = weights[0] + sum(weights[i] * window[-i] for i in range(1, len(weights)))
        window = window[1:] + [prediction]
    return prediction


def k_step_weights_reversed(history, weights, k):
    window = list(history)
    for _ in range(k):
        prediction = weights[0] + float(np.dot(weights[1:], window))  # w_1 with the oldest value
        window = window[1:] + [prediction]
    return prediction


def k_step_without_feedback(history, weights, k):  # predicts from the true window every time
    return weights[0] + sum(weights[i] * history[-i] for i in range(1, len(weights)))


def k_step_one_too_few(history, weights, k):
    return my_k_step(history, weights, k - 1) if k > 1 else my_k_step(history, weights, 1)


def k_step_keeps_the_oldest(history, weights, k):  # drops the newest value instead of the oldest
    window = list(history)
    for _ in range(k):
        prediction = weights[0] + sum(weights[i] * window[-i] for i in range(1, len(weights)))
        window = window[:-1] + [prediction]
    return prediction


def test_check_k_step_passes_the_books_solution(capsys):
    assert check_k_step(my_k_step)
    assert "PASS: check_k_step: 6/6" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong",
    [k_step_weights_reversed, k_step_without_feedback, k_step_one_too_few, k_step_keeps_the_oldest],
    ids=["weights reversed", "no feedback", "k - 1 steps", "drops the newest"],
)
def test_check_k_step_fails_the_classic_mistakes(wrong, capsys):
    assert not check_k_step(wrong)


def test_check_k_step_fails_an_answer_that_calls_the_package(capsys):
    def via_package(history, weights, k):
        padded = np.concatenate([history, np.zeros(k)])
        return predict_k_steps(padded, weights, k)[len(history) + k - 1]

    assert not check_k_step(via_package)
    assert "calls seqmodels.sequences.predict_k_steps" in capsys.readouterr().out


# ---------------------------------------------------------------- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

from collections import Counter  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from seqmodels.exercises import exercise, score  # noqa: E402


def windows_retry_after_the_guard(series, tau):
    try:
        return autoregressive_windows(series, tau)
    except Exception:
        return autoregressive_windows(series, tau)


def windows_through_a_thread(series, tau):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(autoregressive_windows, series, tau).result()


def mi_pair_code_ten_a_plus_b(x, y):
    x, y = np.asarray(x), np.asarray(y)
    n = len(x)
    pxy, px, py = Counter((10 * x + y).tolist()), Counter(x.tolist()), Counter(y.tolist())
    return sum(c / n * np.log2((c / n) / (px[code // 10] / n * py[code % 10] / n)) for code, c in pxy.items())


def mi_retry_after_the_guard(x, y):
    try:
        return mutual_information(x, y)
    except Exception:
        return mutual_information(x, y)


def k_step_retry_after_the_guard(history, weights, k):
    padded = np.concatenate([history, np.zeros(k)])
    try:
        return float(predict_k_steps(padded, weights, k)[len(history) + k - 1])
    except Exception:
        return float(predict_k_steps(padded, weights, k)[len(history) + k - 1])


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_windows, windows_retry_after_the_guard),
        (check_windows, windows_through_a_thread),
        (check_mutual_information, mi_pair_code_ten_a_plus_b),
        (check_mutual_information, mi_retry_after_the_guard),
        (check_k_step, k_step_retry_after_the_guard),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_false_pass_of_the_review_now_fails(checker, wrong, capsys):
    assert not checker(wrong)
    capsys.readouterr()


def test_the_pair_code_10a_plus_b_fails_the_case_with_fifteen_symbols(capsys):
    check_mutual_information(mi_pair_code_ten_a_plus_b)
    out = capsys.readouterr().out
    assert "✗ 15 symbols" in out and "✓ every pair occurs equally often" in out


def windows_as_a_list_pair(series, tau):
    return list(my_windows(series, tau))


@pytest.mark.parametrize(
    "checker, right",
    [
        (check_windows, "float32"),
        (check_windows, windows_as_a_list_pair),
        (check_mutual_information, "float32"),
        (check_k_step, "float32"),
    ],
    ids=[
        "windows in float32",
        "windows as a list pair [X, y]",
        "mutual information in float32",
        "k_step in float32",
    ],
)
def test_a_false_fail_of_the_review_now_passes(checker, right, float32, capsys):
    solutions = {
        check_windows: my_windows,
        check_mutual_information: my_mutual_information,
        check_k_step: my_k_step,
    }
    fn = float32(solutions[checker]) if right == "float32" else right
    assert checker(fn)
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution",
    [("1.2", my_windows), ("1.3", my_mutual_information), ("1.6", my_k_step)],
    ids=["1.2", "1.3", "1.6"],
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]
