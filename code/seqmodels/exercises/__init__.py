"""Checkers for the book's code exercises.

A checker takes the reader's function, runs it on a few cases whose answers we know,
and prints one clear line per case, then a verdict. It returns ``True`` or ``False`` so a
test (or a curious reader) can use the result, and it never raises because of the
reader's code: an exception inside their function is reported as a failed case.

Each chapter's checkers live in ``seqmodels.exercises.chNN``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Case:
    """One test case: call the function with ``args`` and expect ``expected``.

    ``extract``, if given, picks the part of the answer this case checks (for example
    one element of a returned tuple), so a function with several outputs gets one line
    per output.
    """

    description: str
    args: tuple
    expected: Any
    atol: float = 1e-8
    extract: Callable[[Any], Any] | None = None


def _close(got: Any, expected: Any, atol: float) -> bool:
    if isinstance(expected, (float, int, np.ndarray, list, tuple)) and not isinstance(expected, str):
        try:
            got_arr = np.asarray(got, dtype=np.float64)
            exp_arr = np.asarray(expected, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return got_arr.shape == exp_arr.shape and bool(np.allclose(got_arr, exp_arr, atol=atol, rtol=0))
    return got == expected


def run_checks(name: str, fn: Callable, cases: Iterable[Case]) -> bool:
    """Run ``fn`` on every case, print a line per case and a verdict; return whether all passed."""
    if not callable(fn):
        raise TypeError(f"{name} expects a function, got {type(fn).__name__}")
    cases = list(cases)
    passed = 0
    for case in cases:
        try:
            got = fn(*case.args)
            if case.extract is not None:
                got = case.extract(got)
        except Exception as exc:  # the reader's code failed: report it, don't crash
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            print(f"  ✗ {case.description}: raised {last}")
            continue
        if _close(got, case.expected, case.atol):
            passed += 1
            print(f"  ✓ {case.description}")
        else:
            print(f"  ✗ {case.description}: {_difference(got, case.expected)}")
    ok = passed == len(cases)
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict}: {name}: {passed}/{len(cases)} cases correct")
    return ok


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, threshold=8, max_line_width=10**6).replace("\n", "")
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _difference(got: Any, expected: Any) -> str:
    """Say how ``got`` differs from ``expected`` in one line."""
    if isinstance(expected, np.ndarray):
        try:
            got_arr = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return f"expected an array of shape {expected.shape}, got {type(got).__name__}"
        if got_arr.shape != expected.shape:
            return f"expected an array of shape {expected.shape}, got shape {got_arr.shape}"
        got = got_arr
    return f"expected {_show(expected)}, got {_show(got)}"


__all__ = ["Case", "run_checks"]
