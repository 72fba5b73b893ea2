"""nbval over the chapters: trained numbers compared within their stated tolerance, and a
guard against gross slowdowns.

1. Tolerances. A cell marked ``# NBVAL_TOLERANCE ...`` (see ``booktools.nbval_tolerance``)
   has its numbers compared within the stated tolerance; every other cell, and all text
   around the numbers, is compared exactly by nbval.
2. Time. The book promises every chapter in at most 60 s and the whole book in 5 minutes
   on a 2-core machine; ``make bench`` measures that in fresh kernels and the performance
   appendix shows it. Here, under nbval with coverage and on whatever machine runs the
   tests, timings are noisy, so the test fails only on a gross regression: a chapter over
   twice its budget, or the book over twice its own.
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


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if isinstance(item, IPyNbCell):
            item.output_timeout = OUTPUT_PATIENCE_S
            tolerance = nbval_tolerance.parse_tolerance(item.cell.source)
            if tolerance is not None:
                item.compare_outputs = functools.partial(compare_within_tolerance, item, tolerance)
    if config.getoption("nbval", default=False) and any(str(i.path).endswith(".ipynb") for i in items):
        items.append(ChapterTimeBudget.from_parent(session, name="chapter_time_budget"))


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _seconds[pathlib.Path(path).name] += report.duration


class ChapterTimeBudget(pytest.Item):
    def runtest(self):
        total = sum(_seconds.values())
        slow = {n: round(s, 1) for n, s in _seconds.items() if s > GROSS * CHAPTER_BUDGET_S}
        assert not slow, f"chapters over {GROSS:g} x their {CHAPTER_BUDGET_S:.0f} s budget: {slow}"
        assert total <= GROSS * BOOK_BUDGET_S, (
            f"the book took {total:.0f} s, over {GROSS:g} x its {BOOK_BUDGET_S:.0f} s budget"
        )

    def reportinfo(self):
        return self.path, None, "chapter time budget (gross regressions only; make bench measures)"


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    terminalreporter.section("chapter execution times (nbval, with its overhead; make bench measures)")
    for name, seconds in sorted(_seconds.items()):
        terminalreporter.write_line(f"{name:<28}{seconds:7.1f} s")
    terminalreporter.write_line(f"{'whole book':<28}{sum(_seconds.values()):7.1f} s")
