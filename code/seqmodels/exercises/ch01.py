"""Checkers for chapter 1, "Sequences"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..sequences import autoregressive_windows
from . import Case, Verdict, run_checks


def _part(i: int) -> Callable[[Any], Any]:
    def pick(out: Any) -> Any:
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError(f"expected a (features, labels) tuple, got {type(out).__name__}")
        return out[i]
    return pick


def check_windows(fn: Callable) -> Verdict:
    """Check ``fn(series, tau) -> (features, labels)`` on series with known windows.

    Row ``i`` of ``features`` must hold ``x_i .. x_{i+tau-1}`` (oldest first) and
    ``labels[i]`` the value that follows, ``x_{i+tau}``.
    """
    counting = np.arange(1.0, 7.0)  # 1, 2, 3, 4, 5, 6
    noisy = np.random.default_rng(1).standard_normal(12)
    cases = []
    for desc, series, tau in [
        ("tau=2 on 1..6", counting, 2),
        ("tau=1 on 1..6", counting, 1),
        ("tau=5 on 1..6 (a single window)", counting, 5),
        ("tau=3 on a random series", noisy, 3),
    ]:
        features, labels = autoregressive_windows(series, tau)
        cases.append(Case(f"{desc}: features", (series, tau), features, extract=_part(0)))
        cases.append(Case(f"{desc}: labels", (series, tau), labels, extract=_part(1)))
    return run_checks("check_windows", fn, cases)


__all__ = ["check_windows"]
