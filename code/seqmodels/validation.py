"""Small input checks shared by every module.

Each helper raises ``TypeError`` for a value of the wrong type and ``ValueError``
for a value out of range, with a message that names the argument, shows the value
received and says what is expected. Keeping them in one place makes every public
function of the package fail the same, readable way.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Iterable, Sequence
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


def check_token_sequences(
    name: str, sequences: Iterable[Sequence[str]], padding: Sequence[str] = ()
) -> list[Sequence[str]]:
    """Return ``sequences`` as a list if it is an iterable of sequences of str tokens.

    A str counts as a sequence of characters, but a single str is refused as the whole
    argument (wrap it: ``[text]``). Token types are checked once per distinct token, which is
    much cheaper than once per token. No token may be one of the ``padding`` symbols, which
    the caller adds itself.
    """
    if isinstance(sequences, str):
        raise TypeError(
            f"{name} must be an iterable of token sequences, got a single str; "
            "wrap it in a list ([text]) to use it as one character sequence"
        )
    try:
        items = list(sequences)
    except TypeError:
        raise TypeError(f"{name} must be an iterable of token sequences, got {type(sequences).__name__}") from None
    for i, seq in enumerate(items):
        if not isinstance(seq, Sequence):
            raise TypeError(
                f"{name}[{i}] must be a sequence of tokens (list, tuple or str), got {type(seq).__name__}"
            )
    try:
        distinct = set(itertools.chain.from_iterable(items))
    except TypeError:  # an unhashable token, e.g. a list inside a sequence
        distinct = [tok for seq in items for tok in seq]
    for tok in distinct:
        if not isinstance(tok, str):
            raise TypeError(f"{name} must contain str tokens, got {type(tok).__name__} {tok!r}")
    if any(symbol in distinct for symbol in padding):
        raise ValueError(
            f"{name} contain the reserved padding symbol {' or '.join(map(repr, padding))}; "
            "the model adds the padding itself"
        )
    return items


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
