"""Checkers for chapter 7 (vanishing and exploding gradients)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Case, Verdict, run_checks


def _clipped(g: np.ndarray, theta: float) -> np.ndarray:
    norm = float(np.linalg.norm(g))
    return g * (theta / norm) if norm >= theta else g


def check_clip(fn: Callable[[np.ndarray, float], np.ndarray]) -> Verdict:
    """Check ``fn(g, theta)``: return ``theta * g / ||g||`` when ``||g|| >= theta``, else ``g``.

    ``g`` is a 1-D NumPy array of gradient values, ``theta > 0`` the threshold.
    """
    rng = np.random.default_rng(7)
    big = rng.normal(size=10) * 50
    small = rng.normal(size=10) * 1e-3
    cases = [
        Case("a long gradient [3, 4] (norm 5) with threshold 1 is rescaled to norm 1", (np.array([3.0, 4.0]), 1.0),
             np.array([0.6, 0.8]), atol=1e-9),
        Case("a short gradient [0.3, 0.4] (norm 0.5) with threshold 1 is left alone",
             (np.array([0.3, 0.4]), 1.0), np.array([0.3, 0.4]), atol=1e-12),
        Case("a random gradient of norm ~150 with threshold 5 keeps its direction, norm 5", (big, 5.0),
             _clipped(big, 5.0), atol=1e-9),
        Case("a tiny random gradient is returned unchanged", (small, 5.0), small, atol=1e-12),
        Case("a gradient exactly at the threshold stays the same", (np.array([0.0, -2.0]), 2.0),
             np.array([0.0, -2.0]), atol=1e-12),
    ]
    return run_checks("check_clip", lambda g, theta: fn(g.copy(), theta), cases)


__all__ = ["check_clip"]
