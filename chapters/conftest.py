"""Time budget of the chapters, checked while nbval runs them.

nbval runs each cell as a test item. We add up the cells' run times per notebook and, after
the last notebook, one extra test checks the book's speed promise: every chapter executes in
at most 60 s and the whole book in at most 5 minutes, on this course's 2-core machines.
"""

from __future__ import annotations

import collections
import pathlib

import pytest

CHAPTER_LIMIT_S = 60.0
BOOK_LIMIT_S = 300.0

_seconds: dict[str, float] = collections.defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _seconds[pathlib.Path(path).name] += report.duration


class ChapterTimeBudget(pytest.Item):
    def runtest(self):
        total = sum(_seconds.values())
        slow = {n: round(s, 1) for n, s in _seconds.items() if s > CHAPTER_LIMIT_S}
        assert not slow, f"chapters over {CHAPTER_LIMIT_S:.0f} s: {slow}"
        assert total <= BOOK_LIMIT_S, f"the book took {total:.0f} s; the budget is {BOOK_LIMIT_S:.0f} s"

    def reportinfo(self):
        return self.path, None, "chapter time budget"


def pytest_collection_modifyitems(session, config, items):
    if config.getoption("nbval", default=False) and any(str(i.path).endswith(".ipynb") for i in items):
        items.append(ChapterTimeBudget.from_parent(session, name="chapter_time_budget"))


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    terminalreporter.section("chapter execution times (nbval)")
    for name, seconds in sorted(_seconds.items()):
        terminalreporter.write_line(f"{name:<28}{seconds:7.1f} s")
    terminalreporter.write_line(f"{'whole book':<28}{sum(_seconds.values()):7.1f} s")
