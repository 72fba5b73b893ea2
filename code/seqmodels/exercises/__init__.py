"""Checkers for the book's code exercises, and the registry a grader reads them from.

Every code exercise of the book is an :class:`Exercise` in its chapter's module
``seqmodels.exercises.chNN`` (listed by :func:`exercises`). An exercise knows

- the name of the function the reader writes (``function``) and of the checker the chapter
  calls (``checker``);
- its cases: ``cases(None)`` gives the public cases, the ones the reader's ``check_*`` runs
  and prints; ``cases(seed)`` with an integer seed gives *hidden* cases drawn from the same
  generators (other sizes, values and toy data), never identical to the public ones, for grading;
- what the answer must not call (``forbidden``, dotted names such as ``"torch.sigmoid"``);
- how to call the reader's function on a case (``harness``, a dotted name; ``None`` means
  ``fn(*case.args)``).

**Plain data.** A case's ``args`` and ``expected`` are plain data only: numbers, strings,
lists, dicts and NumPy arrays, so that a grader can send the arguments into an untrusted
kernel (as JSON or ``.npy``) and compare the answer in its own process. Where an exercise's
function needs something else, the case holds a plain *description* and the exercise's
harness (a function inside ``seqmodels``, run in the kernel next to the reader's code)
rebuilds the real argument: the toy decoders of chapter 6 are tables of next-word
probabilities turned into a ``next_scores`` function, the bigram counts of chapter 2 are
``[prev, word, count]`` triples turned into a dict, chapter 8's arrays become float64
tensors. The harness also turns the answer into plain data (:func:`plain`), so the value
that comes back is what :func:`compare` judges.

**One comparison.** :func:`compare` is the only judgement: the checkers in the notebooks
and the grader both call it, and it trusts nothing but plain numbers, strings, lists, tuples
and dicts (an object whose ``==`` is always true gains nothing). Numbers agree when
``|got - expected| <= atol + rtol * |expected|`` entry by entry; the defaults (``atol=1e-6``,
``rtol=1e-5``) accept an answer computed in float32, whose results carry about seven
significant digits, and still catch every mistake the tests try. A failed case names each
wrong output (``h_t`` apart from ``c_t``, every wrong key of a dict of gradients) and shows
the largest difference, the tolerance and both dtypes.

**The guard is a nudge.** An exercise that asks the reader to write what the package or
PyTorch already does lists those routes in ``forbidden``; a profile hook notes every call of
one during a case, and the case fails even if the answer catches the exception and tries
again. It is meant for honest self-study: an answer that switches the hook off, runs the
reference in a thread or recompiles its source gets round it. No grade depends on the guard
alone; the cases also discriminate wherever a wrong answer differs in its results.
"""

from __future__ import annotations

import importlib
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Tolerances that accept float32 arithmetic: about 7 significant digits, a little slack
#: for the rounding that accumulates over a few dozen operations.
ATOL = 1e-6
RTOL = 1e-5


@dataclass(frozen=True)
class Case:
    """One test case: call the function with ``args`` and expect ``expected``.

    ``args`` and ``expected`` are plain data (numbers, strings, lists, dicts, NumPy arrays).
    A function that returns a tuple names its outputs in ``outputs``: the answer must then be
    a tuple or list of that length (a list pair ``[X, y]`` is as good as a tuple). With
    ``part`` set, this case checks the output ``outputs[part]`` only (one line per output);
    without it, ``expected`` is a tuple and every output is checked and named when wrong.
    """

    description: str
    args: tuple
    expected: Any
    atol: float = ATOL
    rtol: float = RTOL
    outputs: tuple[str, ...] = ()
    part: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.description, str) or not self.description:
            raise TypeError(f"a case needs a description string, got {self.description!r}")
        if not isinstance(self.args, tuple):
            raise TypeError(f"a case's args must be a tuple, got {type(self.args).__name__}")
        if self.atol < 0 or self.rtol < 0:
            raise ValueError(f"tolerances must be >= 0, got atol={self.atol}, rtol={self.rtol}")
        if self.part is not None and not 0 <= self.part < len(self.outputs):
            raise ValueError(f"part {self.part} does not name one of the outputs {self.outputs}")
        if self.outputs and self.part is None:
            if not isinstance(self.expected, tuple) or len(self.expected) != len(self.outputs):
                raise ValueError(
                    f"a case checking the outputs {self.outputs} needs a tuple of as many values"
                )


@dataclass(frozen=True)
class CaseResult:
    """The verdict on one case: ``passed``, and the line a checker prints for it."""

    passed: bool
    line: str


@dataclass(frozen=True)
class Exercise:
    """One code exercise of the book, as the checkers and the grader share it.

    ``number`` is the book's ("6.5"), ``function`` the name the reader's notebook defines,
    ``cases(seed)`` the public cases (``None``) or hidden ones (an integer), ``checker`` the
    name of the ``check_*`` function the chapter calls, ``forbidden`` the dotted names the
    answer must not call, and ``harness`` the dotted name of the function that calls the
    reader's function on a case's ``args`` and returns plain data (``None``: ``fn(*args)``).
    """

    number: str
    function: str
    cases: Callable[[int | None], list[Case]]
    checker: str
    forbidden: tuple[str, ...] = ()
    harness: str | None = None

    @property
    def chapter(self) -> int:
        return int(self.number.split(".")[0])


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
    """Raised when a reader's answer called something the exercise asks them to write."""


CHAPTERS = (1, 2, 3, 4, 5, 6, 7, 8, 9)


def exercises(chapter: int) -> list[Exercise]:
    """Every code exercise of ``chapter``, in book order."""
    if isinstance(chapter, bool) or not isinstance(chapter, int):
        raise TypeError(f"chapter must be an int, got {type(chapter).__name__}")
    if chapter not in CHAPTERS:
        raise ValueError(f"chapter must be one of {CHAPTERS}, got {chapter}")
    module = importlib.import_module(f"{__name__}.ch{chapter:02d}")
    return list(module.EXERCISES)


def exercise(number: str) -> Exercise:
    """The exercise the book numbers ``number`` (e.g. ``"6.5"``)."""
    if not isinstance(number, str):
        raise TypeError(f"an exercise number is a string such as '6.5', got {type(number).__name__}")
    try:
        chapter = int(number.split(".")[0])
        found = [e for e in exercises(chapter) if e.number == number]
    except ValueError:
        found = []
    if not found:
        raise ValueError(f"there is no code exercise {number!r}; exercises(chapter) lists them")
    return found[0]


# --------------------------------------------------------------------------- plain data


def plain(value: Any) -> Any:
    """``value`` as plain data: tensors become NumPy arrays, tuples and lists and dicts recursively.

    NumPy scalars become Python numbers and strings (``np.str_`` is a ``str``). Anything else
    is returned as it is, and :func:`compare` will not accept it where a number is expected.
    """
    if isinstance(value, (bool, int, float, str, type(None))):
        return value
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return value


# --------------------------------------------------------------------------- comparison


def _fmt(x: float) -> str:
    return f"{x:.10g}"


def _dtype(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return str(value.dtype)
    if isinstance(value, (float, np.floating)):
        return type(value).__name__ if not isinstance(value, np.floating) else str(np.asarray(value).dtype)
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (list, tuple)):
        try:
            return f"{type(value).__name__} of {np.asarray(value).dtype}"
        except (TypeError, ValueError, RuntimeError):
            return type(value).__name__
    return type(value).__name__


def _numbers(value: Any) -> np.ndarray | None:
    """``value`` as a float64 array if it is plain numeric data (a number, an array, nested lists)."""
    if isinstance(value, (bool, np.bool_)):
        return np.asarray(float(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return np.asarray(value, dtype=np.float64)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return None
        return value.astype(np.float64)
    if isinstance(value, (list, tuple)):
        try:
            parts = [_numbers(v) for v in value]
            if any(p is None for p in parts):
                return None
            return np.asarray(np.stack(parts) if parts else np.zeros(0), dtype=np.float64)
        except ValueError:  # ragged
            return None
    return None


def _number_mismatch(got: Any, expected: Any, atol: float, rtol: float) -> str | None:
    exp = np.asarray(expected, dtype=np.float64)
    arr = _numbers(got)
    if arr is None:
        kind = "a number" if exp.ndim == 0 else f"an array of shape {exp.shape}"
        return f"expected {kind}, got {type(got).__name__}"
    if arr.shape != exp.shape:
        return f"expected an array of shape {exp.shape}, got shape {arr.shape}"
    with np.errstate(invalid="ignore", over="ignore"):
        same_inf = np.isinf(exp) & (arr == exp)
        gap = np.where(same_inf, 0.0, np.abs(arr - exp))
        gap = np.where(np.isnan(gap), np.inf, gap)
        allowed = atol + rtol * np.where(np.isinf(exp), 0.0, np.abs(exp))
        bad = gap > allowed
    if not bad.any():
        return None
    tolerance = f"tolerance {atol:g} + {rtol:g}·|expected|"
    dtypes = f"dtypes: expected {_dtype(expected)}, got {_dtype(got)}"
    if exp.ndim == 0:
        return (
            f"expected {_fmt(float(exp))}, got {_fmt(float(arr))} (difference {_fmt(float(gap))}, "
            f"{tolerance}; {dtypes})"
        )
    index = np.unravel_index(int(np.argmax(np.where(bad, gap, -1.0))), exp.shape)
    where = tuple(int(i) for i in index)
    shown = ""
    if exp.size <= 8:
        shown = f"expected {_show(exp)}, got {_show(arr)}; "
    return (
        f"{shown}{int(bad.sum())} of {exp.size} entries differ; the largest difference is "
        f"{_fmt(float(gap[index]))} at index {where} (expected {_fmt(float(exp[index]))}, got "
        f"{_fmt(float(arr[index]))}; {tolerance}; {dtypes})"
    )


def _show(value: np.ndarray) -> str:
    return np.array2string(value, precision=6, threshold=8, max_line_width=10**6).replace("\n", "")


def _mismatch(got: Any, expected: Any, atol: float, rtol: float) -> str | None:
    """Why ``got`` is not ``expected`` (one line), or ``None`` when it is."""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return f"expected a dict with keys {sorted(expected)}, got {type(got).__name__}"
        wrong, right = [], []
        for key, value in expected.items():
            if key not in got:
                wrong.append(f"{key!r} is missing")
                continue
            why = _mismatch(got[key], value, atol, rtol)
            (wrong.append(f"{key!r}: {why}") if why else right.append(repr(key)))
        if not wrong:
            return None
        names = ", ".join(w.split(":")[0].split(" is")[0] for w in wrong)
        fine = f" ({', '.join(right)} right)" if right else ""
        return f"{len(wrong)} wrong entries, {names}{fine}: " + "; ".join(wrong)
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"expected the text {expected!r}, got {type(got).__name__} {got!r}"[:300]
        return None if str(got) == expected else f"expected {expected!r}, got {str(got)!r}"
    if isinstance(expected, (list, tuple)) and any(isinstance(e, (str, Mapping)) for e in expected):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"expected {expected!r}, got {got!r}"[:300]
        for g, e in zip(got, expected):
            if _mismatch(g, e, atol, rtol):
                return f"expected {expected!r}, got {got!r}"[:300]
        return None
    return _number_mismatch(got, expected, atol, rtol)


def _tuple_of(got: Any, outputs: Sequence[str]) -> tuple | str:
    if not isinstance(got, (tuple, list)) or len(got) != len(outputs):
        what = type(got).__name__ if not isinstance(got, (tuple, list)) else f"{len(got)} values"
        return (
            f"expected a pair ({', '.join(outputs)})"
            if len(outputs) == 2
            else (f"expected a tuple ({', '.join(outputs)})") + f", got {what}"
        )
    return tuple(got)


def compare(case: Case, got: Any) -> CaseResult:
    """Judge the plain answer ``got`` against ``case``: a passed flag and the line to print.

    The line starts ``✓`` or ``✗`` and the case's description; a failure says what is wrong:
    each wrong output by name, the largest difference, the tolerance and the dtypes.
    """
    if not isinstance(case, Case):
        raise TypeError(f"compare expects a Case, got {type(case).__name__}")
    if case.outputs:
        parts = _tuple_of(got, case.outputs)
        if isinstance(parts, str):
            if len(case.outputs) == 2:
                got_what = type(got).__name__ if not isinstance(got, (tuple, list)) else f"{len(got)} values"
                return failure(case, f"expected a pair ({', '.join(case.outputs)}), got {got_what}")
            return failure(case, parts)
        if case.part is not None:
            why = _mismatch(parts[case.part], case.expected, case.atol, case.rtol)
            return failure(case, f"{case.outputs[case.part]}: {why}") if why else success(case)
        wrong = []
        for name, g, e in zip(case.outputs, parts, case.expected):
            why = _mismatch(g, e, case.atol, case.rtol)
            if why:
                wrong.append(f"{name}: {why}")
        if not wrong:
            return success(case)
        right = [n for n in case.outputs if not any(w.startswith(f"{n}:") for w in wrong)]
        lead = f"{', '.join(w.split(':')[0] for w in wrong)} wrong" + (
            f" ({', '.join(right)} right)" if right else ""
        )
        return failure(case, f"{lead}: " + "; ".join(wrong))
    why = _mismatch(got, case.expected, case.atol, case.rtol)
    return failure(case, why) if why else success(case)


def success(case: Case) -> CaseResult:
    """The result of a case that passed."""
    return CaseResult(True, f"  ✓ {case.description}")


def failure(case: Case, reason: str) -> CaseResult:
    """The result of a failed case, with ``reason`` (e.g. the exception the answer raised)."""
    return CaseResult(False, f"  ✗ {case.description}: {reason}")


# --------------------------------------------------------------------------- the guard


def _resolve(dotted: str) -> Any:
    """The object a dotted name such as ``"torch.nn.LSTMCell.forward"`` points at."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ValueError(f"cannot import {dotted!r}")


def _targets(
    forbidden: Iterable[str | Callable],
) -> tuple[dict[object, str], dict[object, str], dict[str, str]]:
    """Map forbidden Python functions by code object, builtins by identity and by method name."""
    codes, builtins, methods = {}, {}, {}
    for item in forbidden:
        if not isinstance(item, str) and not callable(item):
            raise TypeError(f"forbidden references must be functions or dotted names, got {item!r}")
        name = (
            item
            if isinstance(item, str)
            else f"{getattr(item, '__module__', '?')}.{getattr(item, '__qualname__', item)}"
        )
        obj = _resolve(item) if isinstance(item, str) else item
        function = getattr(obj, "__func__", obj)
        if isinstance(function, type):  # a class: its forward, or its __call__
            function = getattr(function, "forward", None) or function.__call__
        code = getattr(function, "__code__", None)
        if code is not None:
            codes[code] = name
        elif callable(function):
            builtins[function] = name
            methods[getattr(function, "__name__", name)] = name  # the Tensor method of the same op
        else:
            raise TypeError(f"forbidden references must be functions, got {item!r}")
    return codes, builtins, methods


@contextmanager
def _forbidding(forbidden: Iterable[str | Callable]) -> Iterator[list[str]]:
    """Note every call of a forbidden function while the block runs; yield the list of names noted.

    A profile hook sees every Python call and every call of a builtin, whatever name the reader
    imported the function under, in this thread and in threads started inside the block. It
    raises :class:`CalledReference` at the first call, and the call stays noted, so catching
    that exception and calling again gains nothing: the noted call fails the case. Calling
    ``sys.setprofile`` (to switch the hook off) is noted the same way.
    """
    codes, builtins, methods = _targets(forbidden)
    noted: list[str] = []
    if not (codes or builtins):
        yield noted
        return
    # Switching the hook off is one more forbidden call.
    builtins = {**builtins, sys.setprofile: "sys.setprofile"}
    codes = {**codes, threading.setprofile.__code__: "threading.setprofile"}
    previous, previous_threads = sys.getprofile(), threading.getprofile()
    torch = sys.modules.get("torch")

    def hook(frame, event, arg):
        name = None
        if event == "call":
            name = codes.get(frame.f_code)
        elif event == "c_call":
            try:
                name = builtins.get(arg)
            except TypeError:  # unhashable
                name = None
            if (
                name is None
                and torch is not None
                and isinstance(getattr(arg, "__self__", None), torch.Tensor)
            ):
                name = methods.get(getattr(arg, "__name__", ""))
        if name is not None and name.endswith("setprofile"):
            caller = frame if event == "c_call" else frame.f_back
            if caller is not None and caller.f_code is _GUARD_CODE:  # the guard itself, installing or leaving
                name = None
        if name is not None:
            noted.append(name)
            raise CalledReference(_called(name))

    sys.setprofile(hook)
    threading.setprofile(hook)
    try:
        yield noted
    finally:
        sys.setprofile(previous)
        threading.setprofile(previous_threads)


# --------------------------------------------------------------------------- running an answer


_GUARD_CODE = _forbidding.__wrapped__.__code__


def call_plain(fn: Callable, *args: Any) -> Any:
    """The default harness: ``fn(*args)`` with its answer turned into plain data."""
    return plain(fn(*_copied(args)))


def _copied(args: tuple) -> tuple:
    """Fresh copies of a case's arguments, so an answer that writes into them spoils nothing."""
    import copy

    return tuple(copy.deepcopy(a) for a in args)


def answer(exercise: Exercise, fn: Callable, args: tuple) -> Any:
    """Run the reader's ``fn`` on one case's ``args`` as ``exercise`` says, guarded; return plain data.

    This is the side that runs next to the reader's code (in their notebook, or in the
    grader's kernel). Only the reader's function is watched, not the harness around it. It
    raises :class:`CalledReference` if the answer called a forbidden function (even once,
    even if it caught the exception), and otherwise whatever the answer raised.
    """
    harness = _resolve(exercise.harness) if exercise.harness else call_plain
    noted: list[str] = []

    def guarded(*call_args: Any, **kwargs: Any) -> Any:
        with _forbidding(exercise.forbidden) as seen:
            try:
                return fn(*call_args, **kwargs)
            finally:
                noted.extend(seen)

    try:
        got = harness(guarded, *args)
    except Exception:
        if noted:
            raise CalledReference(_called(noted[0])) from None
        raise
    if noted:
        raise CalledReference(_called(noted[0]))
    return plain(got)


def _called(name: str) -> str:
    return f"it calls {name}, and the exercise asks you to write it yourself"


def _tolerances(cases: Sequence[Case]) -> str:
    numeric = [c for c in cases if not isinstance(c.expected, str)]
    pairs = sorted({(c.atol, c.rtol) for c in numeric})
    if not pairs:
        return ""
    text = "; ".join(f"{a:g} + {r:g}·|expected|" for a, r in pairs)
    return f" (numbers within {text})"


def score(exercise: Exercise, fn: Callable, cases: Sequence[Case]) -> list[CaseResult]:
    """Run ``fn`` on each case (guarded, through the exercise's harness) and judge it: one result per case.

    An exception inside the reader's function, or a forbidden call, is a failed case; nothing
    the answer does raises out of here.
    """
    results = []
    for case in cases:
        try:
            got = answer(exercise, fn, case.args)
        except CalledReference as exc:
            results.append(failure(case, str(exc)))
        except Exception as exc:  # the reader's code failed: report it, don't crash
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            results.append(failure(case, f"raised {last}"))
        else:
            results.append(compare(case, got))
    return results


def check(exercise: Exercise, fn: Callable) -> Verdict:
    """Run ``fn`` on the exercise's public cases, print a line per case and a verdict; return it."""
    if not callable(fn):
        raise TypeError(f"{exercise.checker} expects a function, got {type(fn).__name__}")
    _targets(exercise.forbidden)  # a bad forbidden list is the checker's error, not the reader's
    cases = exercise.cases(None)
    results = score(exercise, fn, cases)
    for result in results:
        print(result.line)
    passed = sum(r.passed for r in results)
    verdict = Verdict(exercise.checker, passed, len(cases))
    word = "PASS" if verdict else "FAIL"
    print(f"{word}: {exercise.checker}: {passed}/{len(cases)} cases correct{_tolerances(cases)}")
    return verdict


def run_checks(
    name: str,
    fn: Callable,
    cases: Iterable[Case],
    forbidden: Iterable[str | Callable] = (),
    harness: str | None = None,
) -> Verdict:
    """Check ``fn`` on ad-hoc ``cases`` (for tests and small experiments): see :func:`check`."""
    fixed = list(cases)
    targets = tuple(forbidden)
    return check(Exercise("0.0", name, lambda seed: fixed, name, targets, harness), fn)  # type: ignore[arg-type]


def rng_for(seed: int | None, public: int, salt: int = 0) -> np.random.Generator:
    """The generator of one family of cases: ``public`` for the public cases, else from ``seed``.

    Hidden cases mix the grader's seed with a salt per family and a marker that keeps them
    apart from every public seed.
    """
    if seed is None:
        return np.random.default_rng(public)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"a hidden-case seed must be an int or None, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"a hidden-case seed must be >= 0, got {seed}")
    return np.random.default_rng([0x5EC, seed, salt])


__all__ = [
    "ATOL",
    "RTOL",
    "CalledReference",
    "Case",
    "CaseResult",
    "Exercise",
    "Verdict",
    "answer",
    "call_plain",
    "check",
    "compare",
    "exercise",
    "exercises",
    "failure",
    "plain",
    "rng_for",
    "run_checks",
    "score",
    "success",
]
