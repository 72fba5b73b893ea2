"""Helpers the explorables share: the schema's look, rounding states for the page, reading states back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from seqmodels.plot import COLORS

WIDTH, HEIGHT = 560, 260
CONFIG = {"font": "sans-serif", "axis": {"labelFontSize": 11, "titleFontSize": 12}, "view": {"stroke": None}}


def rounded(values: Iterable[float] | np.ndarray, digits: int) -> list[float | None]:
    """``values`` rounded to ``digits`` decimals, as JSON numbers; NaN and infinities become None."""
    out = []
    for v in np.asarray(values, dtype=float).ravel():
        out.append(round(float(v), digits) if np.isfinite(v) else None)
    return out


def sig(values: Iterable[float] | np.ndarray, digits: int = 4) -> list[float | None]:
    """``values`` to ``digits`` significant digits (for quantities spanning many decades), NaN/inf as None."""
    out = []
    for v in np.asarray(values, dtype=float).ravel():
        out.append(float(f"{v:.{digits - 1}e}") if np.isfinite(v) else None)
    return out


def dataset(spec: dict, name: str) -> list[dict[str, Any]]:
    """The rows of the data set ``name``: top-level ``datasets`` or inline data anywhere in ``spec``."""
    if name in spec.get("datasets", {}):
        return spec["datasets"][name]
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("name") == name and isinstance(node.get("values"), list):
                return node["values"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise KeyError(f"the spec has no inline data set named {name!r}")


def state(spec: dict, name: str = "states", **controls: Any) -> dict[str, Any]:
    """The one row of data set ``name`` whose fields equal ``controls``: the state shown for those values."""
    rows = [r for r in dataset(spec, name) if all(r.get(k) == v for k, v in controls.items())]
    if len(rows) != 1:
        raise KeyError(f"{len(rows)} states match {controls} in {name!r}; expected exactly one")
    return rows[0]


__all__ = ["COLORS", "CONFIG", "HEIGHT", "WIDTH", "dataset", "rounded", "sig", "state"]
