"""The exercise registry: every code exercise of the book, its public and hidden cases as plain data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from seqmodels.exercises import CHAPTERS, Case, Exercise, compare, exercise, exercises

ROOT = Path(__file__).resolve().parents[1]
ALL = [e for chapter in CHAPTERS for e in exercises(chapter)]


def _plain(value) -> bool:
    if isinstance(value, (bool, int, float, str, type(None))):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def test_the_registry_lists_the_books_23_code_exercises_in_order():
    numbers = [e.number for e in ALL]
    assert len(ALL) == 23
    assert numbers == sorted(numbers, key=lambda n: tuple(int(p) for p in n.split(".")))
    assert exercise("6.5").function == "beam_search" and exercise("6.5").checker == "check_beam_search"


def test_every_chapter_notebook_defines_each_function_and_calls_its_checker():
    for chapter in CHAPTERS:
        [path] = ROOT.glob(f"chapters/{chapter:02d}_*.ipynb")
        code = "\n".join(
            "".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"
        )
        for e in exercises(chapter):
            assert re.search(rf"^def {e.function}\(", code, re.M), (e.number, e.function)
            assert f"{e.checker}({e.function})" in code, (e.number, e.checker)


@pytest.mark.parametrize("e", ALL, ids=lambda e: e.number)
def test_cases_are_plain_data_and_hidden_ones_differ_from_the_public_ones(e: Exercise):
    public, hidden, again = e.cases(None), e.cases(1), e.cases(1)
    assert public and hidden
    for case in public + hidden:
        assert isinstance(case, Case) and _plain(case.args) and _plain(case.expected), case.description
    shown = {repr(c.args) for c in public}
    assert not any(repr(c.args) in shown for c in hidden)  # never a public case again
    assert [repr(c.args) for c in hidden] == [repr(c.args) for c in again]  # seeded
    assert [repr(c.args) for c in e.cases(2)] != [repr(c.args) for c in hidden]


def test_the_registry_refuses_unknown_chapters_and_exercises():
    with pytest.raises(ValueError, match="chapter must be one of"):
        exercises(10)
    with pytest.raises(TypeError, match="must be an int"):
        exercises("4")
    with pytest.raises(ValueError, match="no code exercise '4.3'"):
        exercise("4.3")


def test_compare_trusts_only_plain_values():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    text = Case("text", (), "o gato")
    number = Case("number", (), 2.0)
    assert not compare(text, AlwaysEqual()).passed and not compare(number, AlwaysEqual()).passed
    assert compare(text, "o gato").passed and compare(number, np.float32(2.0)).passed


def test_hidden_case_seeds_must_be_non_negative_ints():
    with pytest.raises(ValueError, match=">= 0"):
        exercise("4.1").cases(-1)
    with pytest.raises(TypeError, match="int or None"):
        exercise("4.1").cases(1.5)
