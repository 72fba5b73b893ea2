"""Grade one submission: run it in its own kernel, then call its functions on the cases.

:func:`grade_submission` copies the notebook into a scratch folder, starts a fresh kernel
there (:class:`~seqmodels.grading.kernel.Kernel`), runs every code cell with a timeout per
cell and one for the whole notebook, going on after a cell that fails, and then, in the same
kernel, calls each exercise's function on the exercise's public cases and on hidden cases
drawn with the assignment's seed. Arguments go in and answers come out as plain data
(:mod:`seqmodels.grading.wire`); the expected answers are computed here, in the grader's
process, and compared with the registry's ``compare``. What the notebook printed, or what
its own ``check_*`` said, is never read.
"""

from __future__ import annotations

import functools
import importlib
import pathlib
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field

from .kernel import Kernel, Limits
from .submissions import Submission, code_cells
from .wire import KERNEL_CODE, Unsupported, read_value, write_value

#: The registry the grader uses: a module with ``exercises(chapter)`` and ``compare(case, got)``.
DEFAULT_REGISTRY = "seqmodels.exercises"

GRADED, TIMED_OUT, KERNEL_DIED = "graded", "timed out", "kernel died"


@dataclass
class ExerciseGrade:
    """One exercise of one submission: cases passed out of total, and one line per case."""

    number: str
    function: str
    passed: int = 0
    total: int = 0
    lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # the descriptions of the failed cases


@dataclass
class Grade:
    """One row of ``grades.csv``: the submission, its status, and its grade per exercise."""

    student: str
    chapter: int | None
    file: str
    status: str
    note: str = ""
    exercises: list[ExerciseGrade] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # what happened while running the notebook
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(e.passed for e in self.exercises)

    @property
    def total(self) -> int:
        return sum(e.total for e in self.exercises)


def registry(name: str = DEFAULT_REGISTRY):
    """The registry module ``name`` (it must have ``exercises`` and ``compare``)."""
    module = importlib.import_module(name)
    if not (callable(getattr(module, "exercises", None)) and callable(getattr(module, "compare", None))):
        raise TypeError(
            f"{name} is not an exercise registry: it needs exercises(chapter) and compare(case, got)"
        )
    return module


@functools.lru_cache(maxsize=64)
def _cases(registry_name: str, chapter: int, seed: int) -> tuple:
    """Every exercise of ``chapter`` with its public and hidden cases, computed once per grading run."""
    result = []
    for exercise in registry(registry_name).exercises(chapter):
        public = list(exercise.cases(None))
        hidden = list(exercise.cases(seed))
        result.append((exercise, public, hidden))
    return tuple(result)


def exercises_of(chapter: int, seed: int, registry_name: str = DEFAULT_REGISTRY) -> list:
    """The exercises of ``chapter`` as the grader sees them (for the CSV's columns)."""
    return [exercise for exercise, _, _ in _cases(registry_name, chapter, seed)]


def _case_line(case, passed: bool, detail: str, hidden: bool) -> str:
    mark = "✓" if passed else "✗"
    if hidden:  # the hidden cases' answers stay hidden: the verdict, not the values
        return f"  {mark} (hidden case) {case.description}"
    return f"  {mark} {case.description}" + ("" if passed else f": {detail}")


def _grade_case(
    kernel: Kernel, scratch: pathlib.Path, exercise, case, compare, limits: Limits, registry_name: str
) -> tuple[bool, str, str]:
    """Call the function on one case in the kernel; return (passed, line or detail, kernel state)."""
    folder = scratch / "calls" / secrets.token_hex(8)
    write_value(list(case.args), folder / "args")
    code = f"_seqmodels_grade_call({exercise.function!r}, {str(folder)!r}, {registry_name!r}, {exercise.number!r})"
    outcome = kernel.run(code, limits.call_timeout)
    if outcome.state == "died":
        return False, "the kernel died during the call", "died"
    if outcome.state != "ok":
        return False, f"no answer: {outcome.error}", outcome.state
    error = folder / "error.txt"
    if error.is_file():
        return False, error.read_text(encoding="utf-8", errors="replace")[:300], "ok"
    got = read_value(folder / "result")
    if isinstance(got, Unsupported):
        return False, f"the answer is not plain data ({got.what})", "ok"
    result = compare(case, got)
    return bool(result.passed), _strip_mark(result.line, case.description), "ok"


def _strip_mark(line: str, description: str) -> str:
    """The detail of a checker's line (after '✗ description: ') so that lines read alike."""
    text = line.strip()
    for prefix in ("✓ ", "✗ "):
        text = text.removeprefix(prefix)
    return text.removeprefix(description).removeprefix(":").strip() or text


def grade_submission(
    submission: Submission, seed: int, limits: Limits = Limits(), registry_name: str = DEFAULT_REGISTRY
) -> Grade:
    """Run ``submission`` in a fresh kernel and grade every exercise of its chapter (see the module)."""
    start = time.monotonic()
    grade = Grade(submission.student, submission.chapter, submission.file, GRADED, submission.note)
    if submission.notebook is not None:
        grade.note = "; ".join(filter(None, [grade.note, guard_note(submission.notebook)]))
    if submission.problem:
        grade.status = f"unreadable: {submission.problem}"
    if submission.chapter is not None:
        try:
            plan = _cases(registry_name, submission.chapter, seed)
        except ValueError as exc:  # a chapter without exercises, or out of range
            grade.status = f"unreadable: {exc}"
            plan = ()
        grade.exercises = [
            ExerciseGrade(ex.number, ex.function, 0, len(public) + len(hidden)) for ex, public, hidden in plan
        ]
    if grade.status != GRADED:
        grade.seconds = time.monotonic() - start
        return grade
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="seqmodels-grade-"))
    try:
        work = scratch / "work"
        work.mkdir()
        shutil.copyfile(submission.path, work / "submission.ipynb")
        with Kernel(str(work), limits) as kernel:
            grade.status = _run_cells(kernel, submission.notebook, limits, grade.events)
            numbers = [exercise.number for exercise, _, _ in plan]
            prepare = f"_seqmodels_grade_prepare({registry_name!r}, {numbers!r})"
            if (
                kernel.alive
                and kernel.run(KERNEL_CODE, limits.call_timeout).state == "ok"
                and _prepared(kernel, prepare, limits, grade.events)
            ):
                _call_exercises(kernel, scratch, plan, grade, limits, registry_name)
            else:
                for (_, public, hidden), result in zip(plan, grade.exercises):
                    _fail_all(result, public, hidden, 0, "not run: the kernel is gone")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    grade.seconds = time.monotonic() - start
    return grade


#: What switches off the checkers' guard (a profile hook): worth an instructor's look.
GUARD_NAMES = ("setprofile", "settrace")


def guard_note(notebook: dict) -> str:
    """A note when the notebook's code mentions what switches off the checkers' guard, else ``""``.

    The guard (forbidden calls) is a nudge: a notebook can switch it off and call the
    package's own solution. That changes no grade here, but the row says so.
    """
    found = sorted({name for source in code_cells(notebook) for name in GUARD_NAMES if name in source})
    if not found:
        return ""
    return f"the notebook calls {' and '.join(found)} (it may switch off the checkers' guard): look at it"


def _prepared(kernel: Kernel, code: str, limits: Limits, events: list[str]) -> bool:
    """Import the registry in the kernel; false only if the kernel is gone or stuck afterwards."""
    outcome = kernel.run(code, limits.cell_timeout)
    if outcome.state == "error":  # e.g. a notebook that broke imports: its calls will say why
        events.append(f"loading the exercises in the kernel failed: {outcome.error}")
    return outcome.state in ("ok", "error")


def _fail_all(result: ExerciseGrade, public: list, hidden: list, start: int, why: str) -> None:
    """Record the cases from ``start`` on as failed, with ``why``."""
    for i, case in enumerate(public + hidden):
        if i >= start:
            result.lines.append(_case_line(case, False, why, hidden=i >= len(public)))
            result.failed.append(case.description)


def _call_exercises(
    kernel: Kernel, scratch: pathlib.Path, plan, grade: Grade, limits: Limits, registry_name: str
) -> None:
    """Call every exercise's function on its public then hidden cases; fill ``grade.exercises``.

    After a case that gives no answer in time, the exercise's remaining cases are not run (an
    endless loop would cost the call timeout on every one); after the kernel dies, nothing is.
    """
    compare = registry(registry_name).compare
    for (exercise, public, hidden), result in zip(plan, grade.exercises):
        cases = public + hidden
        for i, case in enumerate(cases):
            if not kernel.alive:
                _fail_all(result, public, hidden, i, "not run: the kernel is gone")
                break
            passed, detail, state = _grade_case(
                kernel, scratch, exercise, case, compare, limits, registry_name
            )
            result.passed += passed
            result.lines.append(_case_line(case, passed, detail, hidden=i >= len(public)))
            if not passed:
                result.failed.append(case.description)
            if state == "died":
                grade.status = KERNEL_DIED
                grade.events.append(f"the kernel died while {exercise.function} ran on a case")
            elif state != "ok":
                if grade.status == GRADED:
                    grade.status = TIMED_OUT
                grade.events.append(
                    f"{exercise.function} gave no answer on a case ({detail}); its other cases were not run"
                )
                _fail_all(result, public, hidden, i + 1, "not run: an earlier case gave no answer")
                break


def _run_cells(kernel: Kernel, notebook: dict, limits: Limits, events: list[str]) -> str:
    """Run every code cell, going on after errors and timeouts; return the submission's status."""
    status = GRADED
    deadline = time.monotonic() + limits.notebook_timeout
    for number, source in enumerate(code_cells(notebook), start=1):
        if not source.strip():
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            events.append(
                f"the notebook ran out of its {limits.notebook_timeout:g} s before code cell {number}"
            )
            return TIMED_OUT
        outcome = kernel.run(source, min(limits.cell_timeout, left))
        if outcome.state == "died":
            events.append(
                f"the kernel died in code cell {number}" + (f" ({outcome.error})" if outcome.error else "")
            )
            return KERNEL_DIED
        if outcome.state == "timed out":
            events.append(f"code cell {number} timed out ({outcome.error}); the cells after it still ran")
            status = TIMED_OUT
        elif outcome.state == "too much output":
            events.append(f"code cell {number} {outcome.error}: stopped there, its output discarded")
        elif outcome.state == "error":
            events.append(f"code cell {number} raised {outcome.error}")
    return status
