"""Tests for the exercise checkers: they pass right answers, fail wrong ones, never crash."""

import numpy as np
import pytest

from seqmodels.exercises import Case, run_checks
from seqmodels.exercises.ch01 import check_windows
from seqmodels.sequences import autoregressive_windows


def test_run_checks_reports_each_case_and_a_verdict(capsys):
    ok = run_checks("square", lambda x: x * x, [Case("2 squared", (2,), 4), Case("3 squared", (3,), 10)])
    out = capsys.readouterr().out
    assert not ok
    assert "✓ 2 squared" in out and "✗ 3 squared: expected 10, got 9" in out
    assert out.strip().endswith("FAIL: square: 1/2 cases correct")


def test_run_checks_turns_exceptions_into_failed_cases(capsys):
    def broken(x):
        raise NotImplementedError("your code here")

    assert not run_checks("broken", broken, [Case("any", (1,), 1)])
    assert "raised NotImplementedError: your code here" in capsys.readouterr().out


def test_run_checks_reports_shape_mismatch(capsys):
    run_checks("shape", lambda: np.zeros(3), [Case("vector", (), np.zeros(2))])
    assert "expected an array of shape (2,), got shape (3,)" in capsys.readouterr().out


def test_run_checks_rejects_non_callables():
    with pytest.raises(TypeError, match="expects a function"):
        run_checks("x", 42, [])


def test_check_windows_passes_the_reference_solution(capsys):
    assert check_windows(autoregressive_windows)
    assert "PASS: check_windows: 8/8" in capsys.readouterr().out


def test_check_windows_passes_the_books_solution():
    def my_windows(series, tau):
        x = np.asarray(series, dtype=float)
        return np.stack([x[i:i + tau] for i in range(len(x) - tau)]), x[tau:]

    assert check_windows(my_windows)


def test_check_windows_fails_off_by_one_and_wrong_order():
    def off_by_one(series, tau):
        x = np.asarray(series, dtype=float)
        return np.stack([x[i:i + tau] for i in range(len(x) - tau + 1)]), x[tau - 1:]

    def newest_first(series, tau):
        features, labels = autoregressive_windows(series, tau)
        return features[:, ::-1], labels

    assert not check_windows(off_by_one)
    assert not check_windows(newest_first)
    assert not check_windows(lambda series, tau: None)
