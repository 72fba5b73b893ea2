"""The book's one matplotlib style.

Every chapter calls :func:`use_style` once, so figures share fonts, sizes, colours and
a PNG output format (nbval ignores PNGs; SVGs embed a timestamp and would never compare).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
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


def plot_accuracy_by_distance(
    ax: Any,
    distances: Sequence[int],
    curves: dict[str, tuple[Sequence[float], Sequence[float], Sequence[float]]],
    *,
    styles: dict[str, dict] | None = None,
    marks: dict[str, float] | None = None,
    chance: float | None = 0.5,
) -> Any:
    """Accuracy (in %) against distance: one line per curve, with a band for the spread over seeds.

    ``curves[label]`` is ``(mean, low, high)``, three sequences of accuracies in 0..1, one per
    distance (``low == high`` for a deterministic model: no band). ``styles[label]`` are
    extra ``ax.plot`` arguments (colour, marker, ...). ``marks`` draws a dashed vertical line
    at each ``{text: x}``, e.g. the largest training distance; ``chance`` a dotted line.
    """
    distances = list(distances)
    if not curves:
        raise ValueError("curves must hold at least one {label: (mean, low, high)}")
    styles = styles or {}
    for label, curve in curves.items():
        if len(curve) != 3 or any(len(c) != len(distances) for c in curve):
            raise ValueError(
                f"curves[{label!r}] must be (mean, low, high), each with one value per distance "
                f"({len(distances)})"
            )
        mean, low, high = ([100 * float(a) for a in c] for c in curve)
        (line,) = ax.plot(distances, mean, label=label, **styles.get(label, {}))
        if low != high:
            ax.fill_between(distances, low, high, color=line.get_color(), alpha=0.2, lw=0)
    if chance is not None:
        ax.axhline(100 * chance, color="black", lw=0.8, ls=":")
    top = ax.get_ylim()[1]
    for text, x in (marks or {}).items():
        ax.axvline(x, color=COLORS["grey"], lw=0.8, ls="--")
        ax.text(x + 0.15, top, text, fontsize=8, color=COLORS["grey"], va="top")
    ax.set_xlabel("distance k (words between subject and verb)")
    ax.set_ylabel("accuracy (%)")
    return ax


def plot_fading_trace(ax: Any, distances: Sequence[int], curves: dict[str, Sequence[float]]) -> Any:
    """How much of an early word survives in a recurrent state: distance against word count, log scale.

    ``curves[label]`` holds one positive distance between two final states per entry of
    ``distances`` (the number of words between the word that differs and the end). A
    straight line on the log scale is a geometric fade: every extra word multiplies what is
    left by the same factor. Chapter 4 draws its untrained RNN and the same RNN with a larger
    :math:`W_{hh}`.
    """
    distances = list(distances)
    if not distances:
        raise ValueError("distances is empty: give one word count per point")
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict of label -> distances, got {type(curves).__name__}")
    for label, values in curves.items():
        values = list(values)
        if len(values) != len(distances):
            raise ValueError(f"curve {label!r} has {len(values)} values for {len(distances)} distances")
        if not all(v > 0 for v in values):
            raise ValueError(f"curve {label!r} must hold positive distances for a log scale, got {values}")
        ax.semilogy(distances, values, marker="o", label=label)
    ax.set_xlabel("words between 'France' / 'Spain' and the blank")
    ax.set_ylabel(r"$\|h_T(\mathrm{France}) - h_T(\mathrm{Spain})\|$")
    ax.set_title("How much of the first word survives in the final state")
    if len(curves) > 1:
        ax.legend()
    return ax


def plot_rank_frequency(ax: Any, counts: dict[str, Sequence[int]], *, slope: float | None = -1.0) -> Any:
    """Zipf's plot: the frequency of each type against its rank, on log-log axes.

    ``counts[label]`` holds how often each type occurred (in any order; they are sorted
    here, the most frequent first, at rank 1). Frequencies that fall like a straight line on
    these axes mean a few very frequent types and a long tail of rare ones, most of them seen
    once: why no corpus fills an n-gram table. ``slope`` draws a dotted reference line of
    that slope (Zipf's law is about -1 for words) through the first curve's first point.
    """
    if not isinstance(counts, dict) or not counts:
        raise ValueError("counts must be a non-empty dict {label: counts of each type}")
    first = None
    for label, values in counts.items():
        freq = np.sort(np.asarray(values, dtype=float))[::-1]
        if freq.ndim != 1 or freq.size == 0:
            raise ValueError(
                f"counts[{label!r}] must be a non-empty sequence of counts, got shape {freq.shape}"
            )
        if freq[-1] < 1 or not np.all(freq == np.round(freq)):
            raise ValueError(f"counts[{label!r}] must hold whole counts >= 1 (types that occurred)")
        ranks = np.arange(1, freq.size + 1)
        ax.plot(ranks, freq, label=label)
        if first is None:
            first = (ranks, freq)
    if slope is not None:
        ranks, freq = first
        ax.plot(
            ranks,
            freq[0] * ranks.astype(float) ** slope,
            color=COLORS["grey"],
            lw=0.8,
            ls=":",
            label=f"slope {slope:g}",
        )
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="rank of the type (most frequent first)",
        ylabel="count in the text",
    )
    return ax


def plot_training_curves(
    ax: Any,
    curves: dict[str, Sequence[Sequence[float]]],
    *,
    smooth: int = 20,
    levels: dict[str, float] | None = None,
    log: bool = True,
) -> Any:
    """Training loss against step: one colour per model, one line style per seed, and reference levels.

    ``curves[label]`` holds one training-loss sequence per seed (up to four seeds, drawn
    solid, dotted, dashed, dash-dotted); each is smoothed by a moving average of ``smooth``
    steps, plotted at the step that ends its window. ``levels`` draws a horizontal line at
    each ``{text: loss}``, e.g. the error of always predicting the mean, so a reader sees
    which models got below which level. Why a package function: chapters draw no figures
    themselves, and chapter 7's adding figure needs the same seeds-and-levels layout as its
    table.
    """
    if not curves:
        raise ValueError("curves must hold at least one {label: [loss per step, one per seed]}")
    smooth = int(smooth)
    if smooth < 1:
        raise ValueError(f"smooth must be a positive number of steps, got {smooth}")
    styles = ["-", ":", "--", "-."]
    for i, (label, runs) in enumerate(curves.items()):
        if not 1 <= len(runs) <= len(styles):
            raise ValueError(
                f"curves[{label!r}] must hold 1 to {len(styles)} runs (one per seed), got {len(runs)}"
            )
        for j, loss in enumerate(runs):
            loss = np.asarray(loss, dtype=float)
            if loss.ndim != 1 or len(loss) < smooth:
                raise ValueError(
                    f"curves[{label!r}][{j}] must be a sequence of at least smooth = {smooth} losses, "
                    f"got shape {loss.shape}"
                )
            average = np.convolve(loss, np.ones(smooth) / smooth, mode="valid")
            ax.plot(
                np.arange(len(average)) + smooth,
                average,
                color=f"C{i}",
                ls=styles[j],
                lw=1.2,
                label=label if j == 0 else None,
            )
    greys = [COLORS["grey"], "black"]
    for k, (text, level) in enumerate((levels or {}).items()):
        ax.axhline(level, color=greys[k % 2], lw=1.0, ls=["--", "-."][k % 2], label=text)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("training loss" + (f" (moving average of {smooth})" if smooth > 1 else ""))
    ax.legend(fontsize=8)
    return ax


def plot_unit_text(
    ax: Any, text: str, values: Sequence[float], label: str, limit: float | None = None
) -> Any:
    """Text with each character on a square coloured by one unit's value there: red high, blue low.

    The static view of Karpathy's and LSTMVis's pictures of what a recurrent unit tracks.
    ``values`` holds one number per character of ``text`` (a column of
    :func:`seqmodels.lm.unit_activations`); the colour scale is symmetric around 0, up to
    ``limit`` (the largest ``|value|`` when omitted). A line break is drawn as ``↵``.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    v = np.asarray(values, dtype=float)
    if v.shape != (len(text),):
        raise ValueError(f"values must hold one number per character ({len(text)}), got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("values must be finite")
    lines = text.split("\n")
    grid = np.full((len(lines), max(len(line) for line in lines) + 1), np.nan)
    top = limit if limit is not None else (float(np.abs(v).max()) or 1.0)
    if top <= 0:
        raise ValueError(f"limit must be positive, got {limit}")
    i = 0
    for row, line in enumerate(lines):
        for col, char in enumerate(line + ("\n" if i + len(line) < len(text) else "")):
            grid[row, col] = v[i]
            dark = abs(v[i]) > 0.6 * top  # white letters on the strongest colours
            ax.text(
                col,
                row,
                "↵" if char == "\n" else char,
                ha="center",
                va="center",
                family="monospace",
                fontsize=7,
                color="white" if dark else "black",
            )
            i += 1
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-top, vmax=top, aspect="auto", interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(label, fontsize=9, loc="left")
    return image


__all__ = [
    "COLORS",
    "STYLE",
    "new_figure",
    "plot_accuracy_by_distance",
    "plot_fading_trace",
    "plot_rank_frequency",
    "plot_training_curves",
    "plot_unit_text",
    "use_style",
]
