"""The book's one matplotlib style.

Every chapter calls :func:`use_style` once, so figures share fonts, sizes, colours and
a PNG output format (nbval ignores PNGs; SVGs embed a timestamp and would never compare).
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler

#: Colours used across the book; "green" and "red" also name the two classes of toy points.
COLORS = {
    "blue": "#1f77b4",
    "orange": "#ff7f0e",
    "green": "#2ca02c",
    "red": "#d62728",
    "purple": "#9467bd",
    "brown": "#8c564b",
    "grey": "#7f7f7f",
}

STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.format": "png",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "axes.prop_cycle": cycler(color=list(COLORS.values())),
    "svg.hashsalt": "seqmodels",
}


def use_style() -> None:
    """Apply the book's style and make inline figures PNG."""
    mpl.rcParams.update(STYLE)
    try:  # only inside IPython: inline figures as PNG, never SVG
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except Exception:  # pragma: no cover - outside a kernel there is nothing to set
        pass


def new_figure(ncols: int = 1, nrows: int = 1, width: float | None = None, height: float | None = None):
    """Create a figure with ``nrows x ncols`` axes, sized for the book's page width."""
    if width is None:
        width = STYLE["figure.figsize"][0] if ncols == 1 else min(3.6 * ncols, 11.0)
    if height is None:
        height = STYLE["figure.figsize"][1] * (1 if nrows == 1 else 0.8 * nrows)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained")
    return fig, axes


__all__ = ["COLORS", "STYLE", "new_figure", "use_style"]
