"""nbval over the chapters: trained numbers compared within their stated tolerance, and a
guard against gross slowdowns.

1. Tolerances. A cell marked ``# NBVAL_TOLERANCE ...`` (see ``booktools.nbval_tolerance``)
   has its numbers compared within the stated tolerance; every other cell, and all text
   around the numbers, is compared exactly by nbval.
2. Time. The book promises every chapter in at most 60 s and the whole book in 5 minutes
   on a 2-core machine; ``make bench`` measures that in fresh kernels and the performance
   appendix shows it. Here, under nbval with coverage and on whatever machine runs the
   tests, timings are noisy, so the run fails only on a gross regression: a chapter over
   twice its budget, or the book over twice its own (checked once all chapters have run,
   in the process that sees them all; ``--no-time-budget`` skips it).
3. Patience. Once a cell has finished, nbval waits only 5 s for each of its remaining
   output messages; a loaded CI machine has delayed one longer than that. It waits
   ``OUTPUT_PATIENCE_S`` instead (the cell's own time limit is unchanged).
4. Kernels. Each notebook's kernel talks over Unix sockets and is replaced if it never
   answers (``booktools.nbval_kernel``): a clean-clone CI run once lost a whole chapter to a
   kernel that started but never replied.
"""

from __future__ import annotations

import collections
import functools
import pathlib

import pytest
from nbval.plugin import IPyNbCell

from booktools import nbval_kernel, nbval_tolerance

nbval_kernel.install()

CHAPTER_BUDGET_S = 60.0
BOOK_BUDGET_S = 300.0
GROSS = 2.0  # fail only beyond this multiple of a budget
OUTPUT_PATIENCE_S = 60

_seconds: dict[str, float] = collections.defaultdict(float)


def compare_within_tolerance(
    item: IPyNbCell, tolerance: nbval_tolerance.Tolerance, test, ref, skip_compare=None
):
    """nbval's comparison of ``item``, after the numbers within ``tolerance`` were matched up."""
    reconciled, problems = nbval_tolerance.reconcile_outputs(test, ref, tolerance, sanitize=item.sanitize)
    ok = IPyNbCell.compare_outputs(item, reconciled, ref, skip_compare)
    if not ok:
        item.comparison_traceback.append(
            f"{nbval_tolerance.MARKER} {tolerance} did not cover: "
            + ("; ".join(problems) or "a difference in the text")
        )
    return ok


def pytest_addoption(parser):
    parser.addoption(
        "--no-time-budget",
        action="store_true",
        help="skip the chapters' gross time-budget check (for runs side by side, which distort timings)",
    )


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if isinstance(item, IPyNbCell):
            item.output_timeout = OUTPUT_PATIENCE_S
            tolerance = nbval_tolerance.parse_tolerance(item.cell.source)
            if tolerance is not None:
                item.compare_outputs = functools.partial(compare_within_tolerance, item, tolerance)


def pytest_runtest_logreport(report):
    """Add up each chapter's cell times (under pytest-xdist, the controller sees every worker's reports)."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _seconds[pathlib.Path(path).name] += report.duration


def over_budget(seconds: dict[str, float]) -> list[str]:
    """What broke the budget grossly: each chapter over GROSS x its budget, and the whole book."""
    problems = [
        f"{name} took {s:.0f} s, over {GROSS:g} x its {CHAPTER_BUDGET_S:.0f} s budget"
        for name, s in sorted(seconds.items())
        if s > GROSS * CHAPTER_BUDGET_S
    ]
    total = sum(seconds.values())
    if total > GROSS * BOOK_BUDGET_S:
        problems.append(f"the book took {total:.0f} s, over {GROSS:g} x its {BOOK_BUDGET_S:.0f} s budget")
    return problems


def pytest_sessionfinish(session, exitstatus):
    """Fail the run on a gross slowdown, once every chapter has run.

    This is checked where all the times meet: in the one process, or in pytest-xdist's
    controller (a worker sees only its own chapters), not in a test item that could run
    before the chapters it sums.
    """
    if hasattr(session.config, "workerinput") or session.config.getoption("no_time_budget"):
        return
    problems = over_budget(_seconds)
    if problems:
        session.config._time_budget_problems = problems
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for problem in getattr(config, "_time_budget_problems", []):
        terminalreporter.write_line(f"FAILED chapter time budget: {problem}", red=True)
    if not _seconds:
        return
    terminalreporter.section("chapter execution times (nbval, with its overhead; make bench measures)")
    for name, seconds in sorted(_seconds.items()):
        terminalreporter.write_line(f"{name:<28}{seconds:7.1f} s")
    terminalreporter.write_line(f"{'whole book':<28}{sum(_seconds.values()):7.1f} s")
