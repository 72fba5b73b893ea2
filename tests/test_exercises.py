"""Tests for the exercise checkers: they pass right answers, fail wrong ones, never crash."""

import numpy as np
import pytest

from seqmodels.exercises import Case, run_checks


def test_run_checks_reports_each_case_and_a_verdict(capsys):
    ok = run_checks("square", lambda x: x * x, [Case("2 squared", (2,), 4), Case("3 squared", (3,), 10)])
    out = capsys.readouterr().out
    assert not ok
    assert "✓ 2 squared" in out and "✗ 3 squared: expected 10, got 9 (difference 1, tolerance" in out
    assert "FAIL: square: 1/2 cases correct" in out


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


def test_a_verdict_is_true_only_when_every_case_passed_and_displays_nothing(capsys):
    good = run_checks("square", lambda x: x * x, [Case("2 squared", (2,), 4)])
    bad = run_checks("square", lambda x: x + x, [Case("3 squared", (3,), 9)])
    assert good and not bad
    assert (good.passed, good.total, bad.passed, bad.total) == (1, 1, 0, 1)
    # IPython calls _ipython_display_ instead of printing repr: the cell shows no stray True/False.
    assert good._ipython_display_() is None
    capsys.readouterr()


def _reference_square(x):
    return x * x


def test_an_answer_that_calls_the_forbidden_reference_fails_under_any_name(capsys):
    square = _reference_square  # imported under another name
    cases = [Case("2 squared", (2,), 4), Case("3 squared", (3,), 9)]
    assert not run_checks("square", lambda x: square(x), cases, forbidden=[_reference_square])
    assert not run_checks("square", _reference_square, cases, forbidden=[_reference_square])
    out = capsys.readouterr().out
    assert (
        "calls tests.test_exercises._reference_square" in out
        or "calls test_exercises._reference_square" in out
    )
    assert "write it yourself" in out and "FAIL: square: 0/2" in out


def test_forbidding_a_reference_leaves_honest_answers_and_the_profiler_alone(capsys):
    import sys

    before = sys.getprofile()
    assert run_checks("square", lambda x: x**2, [Case("2 squared", (2,), 4)], forbidden=[_reference_square])
    assert sys.getprofile() is before
    assert _reference_square(3) == 9  # the reference still works outside the checker
    capsys.readouterr()


def test_forbidden_references_must_be_functions():
    with pytest.raises(TypeError, match="must be functions"):
        run_checks("x", abs, [Case("one", (1,), 1)], forbidden=[3])


def test_a_tensor_that_requires_grad_is_read_as_its_values_and_text_fails(capsys):
    import torch

    needs_grad = torch.ones(2, requires_grad=True)
    cases = [Case("a vector", (), np.ones(2))]
    assert run_checks("grad", lambda: needs_grad, cases)
    assert not run_checks("text", lambda: "one, two", cases)
    assert "expected an array of shape (2,), got str" in capsys.readouterr().out


def test_a_dict_answer_names_every_wrong_entry(capsys):
    expected = {"a": np.zeros(2), "b": np.ones(12), "c": 1.0}
    assert run_checks(
        "dict", lambda: {"a": np.zeros(2), "b": np.ones(12), "c": 1.0, "extra": 1}, [Case("d", (), expected)]
    )
    assert not run_checks(
        "dict", lambda: {"a": np.ones(2), "b": np.arange(12.0), "c": 1.0}, [Case("d", (), expected)]
    )
    assert not run_checks("dict", lambda: [np.zeros(2)], [Case("d", (), expected)])
    out = capsys.readouterr().out
    assert "2 wrong entries, 'a', 'b' ('c' right)" in out
    assert (
        "'b': 11 of 12 entries differ; the largest difference is 10 at index (11,) (expected 1, got 11" in out
    )
    assert "expected a dict with keys ['a', 'b', 'c'], got list" in out


def test_switching_the_guard_off_or_retrying_after_it_still_fails_the_case(capsys):
    import sys

    def switch_off(x):
        sys.setprofile(None)
        return _reference_square(x)

    def retry(x):
        try:
            return _reference_square(x)
        except Exception:
            return _reference_square(x)

    before = sys.getprofile()
    for answer in (switch_off, retry):
        assert not run_checks("square", answer, [Case("2 squared", (2,), 4)], forbidden=[_reference_square])
    assert sys.getprofile() is before
    out = capsys.readouterr().out
    assert "it calls sys.setprofile" in out and "_reference_square, and the exercise asks" in out
