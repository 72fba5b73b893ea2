"""Compare trained numbers within a stated tolerance, on top of nbval's exact comparison.

nbval compares every output of a chapter with the stored one, character for character.
That is right for deterministic outputs, and wrong for a number that comes out of training:
PyTorch picks its CPU kernels at run time, so on another CPU a trained loss moves in the
third decimal while the chapter is as correct as before. A cell that prints such numbers
says so, and says how far they may move, with two comment lines:

    # NBVAL_TOLERANCE abs=0.005 pct=1.5
    # Why: trained losses and accuracies; other CPU kernels move the third decimal

Its outputs are then compared number by number. The text between the numbers must still
match exactly, the count of numbers too, and each number ``got`` must satisfy
``|got - stored| <= max(abs, rel * |stored|)``; a number written directly before ``%`` is
allowed ``pct`` points instead (``abs``/``rel`` when ``pct`` is not given). Numbers within
tolerance are replaced by their stored spelling, and nbval's own comparison then runs as
usual, so a number that moved further shows up in nbval's diff, with a line saying by how
much it moved.

``chapters/conftest.py`` installs the comparison on every marked cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

MARKER = "NBVAL_TOLERANCE"
_MARKER_LINE = re.compile(rf"^\s*#\s*{MARKER}\b(?P<spec>.*)$", flags=re.MULTILINE)

#: A decimal number, not part of a name (``W_hh2``, ``ch07``) or of a longer number.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?![\w.]*\w)(?P<pct>%)?")

#: The MIME types whose text is compared number by number (glue records included).
TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")


@dataclass(frozen=True)
class Tolerance:
    """How far a trained number may move: ``max(abs, rel * |stored|)``; ``pct`` for percentages."""

    abs: float = 0.0
    rel: float = 0.0
    pct: float | None = None

    def allows(self, stored: float, got: float, percent: bool = False) -> bool:
        """Whether ``got`` is close enough to ``stored``."""
        if math.isnan(stored) or math.isnan(got):
            return math.isnan(stored) and math.isnan(got)
        limit = self.pct if (percent and self.pct is not None) else max(self.abs, self.rel * abs(stored))
        return abs(got - stored) <= limit + 1e-12 * max(1.0, abs(stored))

    def describe(self, percent: bool = False) -> str:
        """The tolerance that applies to one number, as the marker spells it."""
        if percent and self.pct is not None:
            return f"pct={self.pct:g}"
        return " ".join(f"{k}={v:g}" for k, v in (("abs", self.abs), ("rel", self.rel)) if v) or "abs=0"

    def __str__(self) -> str:
        return self.describe() + (f" pct={self.pct:g}" if self.pct is not None else "")


def parse_tolerance(source: str) -> Tolerance | None:
    """The tolerance a cell's source declares, or ``None`` for an exactly compared cell.

    Raises ``ValueError`` for a marker nbval could not honour: no value, an unknown key, a
    negative or non-numeric value, or two markers in one cell.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a string, got {type(source).__name__}")
    lines = _MARKER_LINE.findall(source)
    if not lines:
        return None
    if len(lines) > 1:
        raise ValueError(f"a cell may declare one {MARKER}, found {len(lines)}")
    values: dict[str, float] = {}
    for item in lines[0].split():
        key, sep, value = item.partition("=")
        if not sep or key not in ("abs", "rel", "pct"):
            raise ValueError(f"{MARKER}: expected abs=, rel= or pct= items, got {item!r}")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{MARKER}: {key} must be a number, got {value!r}") from None
        if not number >= 0 or math.isinf(number):
            raise ValueError(f"{MARKER}: {key} must be a finite number >= 0, got {value!r}")
        values[key] = number
    if not values:
        raise ValueError(f"{MARKER} needs at least one of abs=, rel=, pct=")
    return Tolerance(**values)


#: Runs of spaces (not newlines): the padding of a table's columns.
_PADDING = re.compile(r"[ \t]+")


def _layout_free(text: str) -> list[str | None]:
    """The text around the numbers, with every run of spaces counted as one space."""
    return [_PADDING.sub(" ", piece) if piece is not None else None for piece in NUMBER.split(text)]


def reconcile(got: str, stored: str, tolerance: Tolerance) -> tuple[str, list[str]]:
    """Return ``got`` with every number within tolerance spelled as in ``stored``.

    The text around the numbers must match, except for the number of spaces in a run: a
    table's column padding changes when a number within tolerance gains or loses a digit
    (``100.0%`` against `` 99.0%``). The result then takes the stored text's layout.
    The second element lists what still differs: numbers that moved too far, or a note that
    the text around the numbers differs (then ``got`` is returned unchanged and nbval's
    exact comparison reports the difference).
    """
    got_numbers, stored_numbers = list(NUMBER.finditer(got)), list(NUMBER.finditer(stored))
    if _layout_free(got) != _layout_free(stored) or len(got_numbers) != len(stored_numbers):
        # split() also returns the "%" groups; comparing both keeps percentages percentages.
        if got != stored:
            return got, ["the text around the numbers differs, so it is compared exactly"]
        return got, []
    pieces, problems, last = [], [], 0
    for g, s in zip(got_numbers, stored_numbers):
        pieces.append(stored[last : s.start()])
        percent = bool(s.group("pct"))
        if tolerance.allows(float(s.group().rstrip("%")), float(g.group().rstrip("%")), percent):
            pieces.append(s.group())
        else:
            pieces.append(g.group())
            problems.append(f"{s.group()} -> {g.group()} is beyond {tolerance.describe(percent)}")
        last = s.end()
    pieces.append(stored[last:])
    return "".join(pieces), problems


def _texts(output: dict) -> list[tuple[dict, str]]:
    """The (container, key) pairs of an output whose strings are compared number by number."""
    if output.get("output_type") == "stream":
        return [(output, "text")]
    data = output.get("data", {})
    return [(data, key) for key in data if key.removeprefix("application/papermill.record/") in TEXT_TYPES]


def reconcile_outputs(
    got: list[dict], stored: list[dict], tolerance: Tolerance, sanitize: Callable[[str], str] = lambda s: s
) -> tuple[list[dict], list[str]]:
    """Apply :func:`reconcile` to every text of ``got`` against the matching stored output.

    Outputs are matched in order, by type (and stream name); ``sanitize`` (nbval's sanitizer)
    runs first on both sides so a sanitized timing cannot hide among trained numbers.
    Returns copies (notebook nodes, as nbval expects); the inputs are not changed.
    """
    result, problems = [], []
    for i, out in enumerate(got):
        out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in out.items()}
        ref = stored[i] if i < len(stored) else None
        if (
            ref is not None
            and ref.get("output_type") == out.get("output_type")
            and ref.get("name") == out.get("name")
        ):
            ref_texts = dict((key, container[key]) for container, key in _texts(ref))
            for container, key in _texts(out):
                if key in ref_texts and isinstance(container[key], str) and isinstance(ref_texts[key], str):
                    container[key], found = reconcile(
                        sanitize(container[key]), sanitize(ref_texts[key]), tolerance
                    )
                    problems += [f"output {i} ({key}): {p}" for p in found]
        result.append(nbformat.from_dict(out))
    return result, problems


__all__ = ["MARKER", "NUMBER", "Tolerance", "parse_tolerance", "reconcile", "reconcile_outputs"]
