"""Checkers for the book's code exercises.

A checker takes the reader's function, runs it on a few cases whose answers we know,
and prints one clear line per case, then a verdict. It returns a :class:`Verdict`, true
when every case passed, so a test (or a curious reader) can use the result; in a notebook
the verdict displays nothing more, since the report is already printed. A checker never
raises because of the reader's code: an exception inside their function is reported as a
failed case.

An exercise asks the reader to write what the package already has. A checker names that
reference in ``forbidden``: a case whose answer calls it fails, so the exercise cannot be
passed by calling the package's own solution.

Each chapter's checkers live in ``seqmodels.exercises.chNN``.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
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
    if isinstance(expected, Mapping):  # e.g. gradients by parameter name; extra keys are ignored
        return isinstance(got, Mapping) and all(
            key in got and _close(got[key], value, atol) for key, value in expected.items()
        )
    if isinstance(expected, (float, int, np.ndarray, list, tuple)) and not isinstance(expected, str):
        try:
            got_arr = np.asarray(got, dtype=np.float64)
            exp_arr = np.asarray(expected, dtype=np.float64)
        except (TypeError, ValueError, RuntimeError):  # RuntimeError: a tensor that requires grad
            return False
        return got_arr.shape == exp_arr.shape and bool(np.allclose(got_arr, exp_arr, atol=atol, rtol=0))
    return got == expected


@dataclass(frozen=True)
class Verdict:
    """The outcome of a checker: true when all ``total`` cases passed.

    In IPython it displays nothing, so a checker called on a cell's last line shows its
    printed report and not a stray ``True``/``False`` after it.
    """

    name: str
    passed: int
    total: int

    def __bool__(self) -> bool:
        return self.passed == self.total

    def _ipython_display_(self) -> None:
        """Show nothing: the checker has printed its report already."""


class CalledReference(Exception):
    """Raised inside a reader's answer when it calls the package's own solution."""


def _reference_names(forbidden: Iterable[Callable]) -> dict[object, str]:
    """Map each forbidden function's code object to its dotted name."""
    names = {}
    for reference in forbidden:
        function = getattr(reference, "__func__", reference)
        code = getattr(function, "__code__", None)
        if code is None:
            raise TypeError(f"forbidden references must be Python functions, got {reference!r}")
        names[code] = f"{function.__module__}.{function.__qualname__}"
    return names


@contextmanager
def _forbidding(names: dict[object, str]) -> Iterator[None]:
    """Make every call of a forbidden function (by code object) raise :class:`CalledReference`.

    A profile hook sees every Python call, whatever name the reader imported the function
    under; the functions themselves stay untouched.
    """
    if not names:
        yield
        return
    previous = sys.getprofile()

    def hook(frame, event, arg):
        if event == "call" and frame.f_code in names:
            sys.setprofile(previous)
            raise CalledReference(
                f"it calls {names[frame.f_code]}, the package's own answer: write it yourself"
            )

    sys.setprofile(hook)
    try:
        yield
    finally:
        sys.setprofile(previous)


def run_checks(name: str, fn: Callable, cases: Iterable[Case], forbidden: Iterable[Callable] = ()) -> Verdict:
    """Run ``fn`` on every case, print a line per case and a verdict; return the :class:`Verdict`.

    ``forbidden`` lists the package functions the exercise asks the reader to write: a case
    whose answer calls one of them fails.
    """
    if not callable(fn):
        raise TypeError(f"{name} expects a function, got {type(fn).__name__}")
    cases = list(cases)
    forbidden_names = _reference_names(forbidden)
    passed = 0
    for case in cases:
        try:
            with _forbidding(forbidden_names):
                got = fn(*case.args)
            if case.extract is not None:
                got = case.extract(got)
        except CalledReference as exc:
            print(f"  ✗ {case.description}: {exc}")
            continue
        except Exception as exc:  # the reader's code failed: report it, don't crash
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            print(f"  ✗ {case.description}: raised {last}")
            continue
        if _close(got, case.expected, case.atol):
            passed += 1
            print(f"  ✓ {case.description}")
        else:
            print(f"  ✗ {case.description}: {_difference(got, case.expected, case.atol)}")
    verdict = Verdict(name, passed, len(cases))
    print(f"{'PASS' if verdict else 'FAIL'}: {name}: {passed}/{len(cases)} cases correct")
    return verdict


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, threshold=8, max_line_width=10**6).replace("\n", "")
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _difference(got: Any, expected: Any, atol: float = 1e-8) -> str:
    """Say how ``got`` differs from ``expected`` in one line (for a dict: its first wrong entry)."""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return f"expected a dict with keys {sorted(expected)}, got {type(got).__name__}"
        missing = [key for key in expected if key not in got]
        if missing:
            return f"the answer has no entry {missing[0]!r} (expected keys {sorted(expected)})"
        key = next(key for key, value in expected.items() if not _close(got[key], value, atol))
        return f"[{key!r}]: {_difference(got[key], expected[key], atol)}"
    if isinstance(expected, np.ndarray):
        try:
            got_arr = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError, RuntimeError):  # RuntimeError: a tensor that requires grad
            return f"expected an array of shape {expected.shape}, got {type(got).__name__}"
        if got_arr.shape != expected.shape:
            return f"expected an array of shape {expected.shape}, got shape {got_arr.shape}"
        if expected.size > 8:  # too long to print whole: point at the worst entry
            gap = np.abs(got_arr - expected)
            gap = np.where(np.isnan(gap), np.inf, gap)
            index = np.unravel_index(int(np.argmax(gap)), expected.shape)
            return (
                f"{int(np.sum(gap > atol))} of {expected.size} entries differ; the largest at index "
                f"{tuple(int(i) for i in index)}: expected {expected[index]:.6g}, got {got_arr[index]:.6g}"
            )
        got = got_arr
    return f"expected {_show(expected)}, got {_show(got)}"


__all__ = ["CalledReference", "Case", "Verdict", "run_checks"]
