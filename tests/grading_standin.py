"""A tiny stand-in exercise registry for the grader's own tests (``--registry grading_standin``).

It has the registry's shape (``exercises(chapter)``, ``compare(case, got)``) with two
NumPy-only exercises under chapter 3, and imports nothing of ``seqmodels`` (so no PyTorch): a
kernel that grades against it starts in a second, and the kernel-side tests stay fast. With
no ``answer`` here, the kernel calls the function directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Case:
    description: str
    args: tuple
    expected: object
    atol: float = 1e-9


@dataclass(frozen=True)
class Exercise:
    number: str
    function: str
    cases: object
    checker: str
    forbidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseResult:
    passed: bool
    line: str


def _square_cases(seed):
    if seed is None:
        grids = [np.array([0.0, 1.0, -2.0]), np.arange(6.0).reshape(2, 3)]
    else:
        rng = np.random.default_rng(seed)
        grids = [rng.normal(size=4), rng.normal(size=(3, 2))]
    label = "public" if seed is None else "hidden"
    return [Case(f"{label} grid {i}", (z,), z**2, atol=1e-9) for i, z in enumerate(grids)]


def _count_cases(seed):
    words = ["a b a", "b b"] if seed is None else ["c a c c", "a"]
    return [Case(f"count 'a' in {w!r}", (w,), w.split().count("a")) for w in words]


def exercises(chapter: int) -> list[Exercise]:
    if chapter != 3:
        raise ValueError(f"the stand-in registry has only chapter 3, not {chapter}")
    return [
        Exercise("3.1", "my_square", _square_cases, "check_square"),
        Exercise("3.2", "my_count", _count_cases, "check_count"),
    ]


def compare(case: Case, got) -> CaseResult:
    try:
        same = np.shape(got) == np.shape(case.expected) and np.allclose(
            got, case.expected, atol=case.atol, rtol=0
        )
    except (TypeError, ValueError):
        same = False
    if same:
        return CaseResult(True, f"  ✓ {case.description}")
    return CaseResult(False, f"  ✗ {case.description}: expected {case.expected!r}, got {got!r}")
