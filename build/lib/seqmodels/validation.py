"""Small input checks shared by every module.

Each helper raises ``TypeError`` for a value of the wrong type and ``ValueError``
for a value out of range, with a message that names the argument, shows the value
received and says what is expected. Keeping them in one place makes every public
function of the package fail the same, readable way.
"""

from __future__ import annotations

import numbers
from typing import Any


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an integer (not a bool) no smaller than ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` if it is an integer >= 1."""
    return check_int(name, value, minimum=1)


def check_real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number inside the given interval.

    ``low_open``/``high_open`` make the bound strict, e.g. ``low=0, low_open=True`` for "> 0".
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value >= high if high_open else value > high):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def check_fraction(name: str, value: Any) -> float:
    """Return ``value`` if it is a real number in the half-open interval [0, 1)."""
    return check_real(name, value, low=0.0, high=1.0, high_open=True)
