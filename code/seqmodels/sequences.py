"""Measuring what makes sequences special (chapter 1).

Three ideas live here:

1. *Dependence*: inside a sequence, elements are not independent. We measure it with the
   mutual information between the symbol at position ``t`` and the one at ``t + d``.
   Its scale is the entropy ``H(x_t)``: the information can be at most that.
2. *Autoregression with a window*: predict ``x_t`` from the last ``tau`` values
   ``x_{t-1}, ..., x_{t-tau}`` only, so every prediction has the same number of inputs.
   We fit a linear model ``x_t ~ w_0 + sum_{i=1}^{tau} w_i x_{t-i}`` by least squares and
   watch ``k``-step-ahead predictions drift. The weights are numbered as in that formula:
   ``w_1`` multiplies the newest value ``x_{t-1}``, ``w_tau`` the oldest ``x_{t-tau}``.
3. *Variable length*: :func:`speeches` cuts a play into its speeches, whose lengths vary
   from one word to hundreds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from .validation import check_positive_int


def _as_ids(name: str, ids: Sequence[int] | np.ndarray) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; expected at least one symbol")
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer ids, got dtype {arr.dtype}")
    if arr.min() < 0:
        raise ValueError(f"{name} must hold non-negative ids, got {arr.min()}")
    return arr.astype(np.int64)


def entropy(x: Sequence[int] | np.ndarray) -> float:
    """Plug-in estimate of the entropy ``H(X) = -sum_a p(a) log2 p(a)`` in bits.

    It is the scale of :func:`mutual_information`: ``I(X; Y) <= H(X)``, with equality
    when ``y`` determines ``x`` (``I(X; X) = H(X)``).
    """
    x = _as_ids("x", x)
    p = np.bincount(x) / len(x)
    p = p[p > 0]
    return float(-np.sum(p * np.log2(p)) + 0.0)


def mutual_information(x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray) -> float:
    """Plug-in estimate of the mutual information ``I(X; Y)`` in bits from paired samples.

    ``I(X; Y) = sum_{a,b} p(a,b) log2 p(a,b) / (p(a) p(b))`` with every probability
    replaced by its relative frequency. It is 0 exactly when the empirical joint
    distribution factorises, i.e. when knowing ``x`` tells nothing about ``y``.
    The plug-in estimate is biased upwards by roughly ``(|X|-1)(|Y|-1) / (2 N ln 2)`` bits.
    """
    x = _as_ids("x", x)
    y = _as_ids("y", y)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    nx, ny = int(x.max()) + 1, int(y.max()) + 1
    joint = np.bincount(x * ny + y, minlength=nx * ny).reshape(nx, ny).astype(np.float64)
    joint /= joint.sum()
    px = joint.sum(axis=1, keepdims=True)
    py = joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log2(joint[nz] / (px @ py)[nz])))


def mutual_information_by_distance(ids: Sequence[int] | np.ndarray, distances: Iterable[int]) -> np.ndarray:
    """Mutual information (bits) between ``ids[t]`` and ``ids[t + d]`` for each distance ``d``."""
    ids = _as_ids("ids", ids)
    out = []
    for d in distances:
        d = check_positive_int("distance", d)
        if d >= len(ids):
            raise ValueError(f"distance {d} must be smaller than the sequence length {len(ids)}")
        out.append(mutual_information(ids[:-d], ids[d:]))
    return np.array(out)


def _as_series(series: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(series, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"series must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("series contains NaN or infinite values")
    return arr


def autoregressive_windows(series: Sequence[float] | np.ndarray, tau: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn a series into a regression data set with a window of length ``tau``.

    Row ``i`` of the features holds ``x_i, ..., x_{i+tau-1}`` (oldest first) and label ``i``
    is the value that follows, ``x_{i+tau}``. A series of length ``T`` gives ``T - tau`` rows.
    """
    x = _as_series(series)
    tau = check_positive_int("tau", tau)
    if tau >= len(x):
        raise ValueError(f"tau={tau} must be smaller than the series length {len(x)}")
    features = np.lib.stride_tricks.sliding_window_view(x, tau)[:-1].copy()
    return features, x[tau:].copy()


def fit_autoregressive(series: Sequence[float] | np.ndarray, tau: int) -> np.ndarray:
    """Least-squares fit of ``x_t ~ w_0 + sum_{i=1}^{tau} w_i x_{t-i}``; returns ``[w_0, w_1..w_tau]``.

    ``w_i`` is the weight of the value ``i`` steps back, so ``w_1`` belongs to the newest
    value ``x_{t-1}``. (The windows of :func:`autoregressive_windows` hold their values
    oldest first; the design matrix reverses them to match this numbering.)
    """
    features, labels = autoregressive_windows(series, tau)
    design = np.hstack([np.ones((len(features), 1)), features[:, ::-1]])
    weights, *_ = np.linalg.lstsq(design, labels, rcond=None)
    return weights


def predict_k_steps(series: Sequence[float] | np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """``k``-step-ahead predictions: from true values up to ``t``, predict ``t + k``.

    ``weights`` is ``[w_0, w_1..w_tau]`` as :func:`fit_autoregressive` returns it (``w_1``
    for the newest value). Steps ``1 .. k-1`` feed the model its own predictions, so errors compound. Returns an
    array aligned with the series: entry ``t`` is the prediction of ``x_t`` made ``k`` steps
    earlier (NaN where there is not enough history).
    """
    x = _as_series(series)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or len(weights) < 2:
        raise ValueError(f"weights must be a vector [w_0, w_1..w_tau], got shape {weights.shape}")
    tau = len(weights) - 1
    k = check_positive_int("k", k)
    if tau + k > len(x):
        raise ValueError(f"tau + k = {tau + k} exceeds the series length {len(x)}")
    n = len(x) - tau - k + 1  # number of starting windows
    window = np.lib.stride_tricks.sliding_window_view(x, tau)[:n].copy()  # oldest first
    for _ in range(k):
        nxt = weights[0] + window @ weights[:0:-1]  # w_tau for the oldest .. w_1 for the newest
        window = np.hstack([window[:, 1:], nxt[:, None]])
    out = np.full(len(x), np.nan)
    out[tau + k - 1 :] = nxt
    return out


__all__ = [
    "autoregressive_windows",
    "entropy",
    "fit_autoregressive",
    "mutual_information",
    "mutual_information_by_distance",
    "predict_k_steps",
]


_SPEAKER = re.compile(r"^\*\*(?P<name>[^*]+)\*\*$")
_DIRECTION_LINE = re.compile(r"^_[^_]*_$")  # a whole line in italics: a stage direction
_DIRECTION_BLOCK = re.compile(r"^_[^_]*_$", flags=re.DOTALL)  # a whole block in italics
_INLINE_DIRECTION = re.compile(r"_?\\?\[[^\]]*\]_?")  # _\[Aside]_ or [Aside], inside a spoken line or alone
_MARKUP = re.compile(r"[*_\\]")


def speeches(markdown: str) -> list[list[str]]:
    """The spoken lines of each speech in one play's markdown, in order.

    A speech starts at a speaker's name in bold (``**HAMLET**``) and runs until the next
    speaker or heading (``# ACT``, ``## SCENE``). Stage directions (lines or blocks in italics, such as
    ``_Exit Ghost_`` or ``_\\[Aside]_``) are dropped, and the speech *continues* after them:
    in plain text a speech interrupted by a direction looks like a block with no speaker,
    and a parser that needs a speaker line at the top of each block loses its rest.
    Markup is removed from the lines. Use :func:`seqmodels.data.load_plays` with
    ``markup=True`` for the markdown.
    """
    if not isinstance(markdown, str):
        raise TypeError(
            f"markdown must be a str (a play as load_plays(markup=True) returns it), "
            f"got {type(markdown).__name__}"
        )
    found: list[list[str]] = []
    current: list[str] | None = None
    for block in re.split(r"\n\s*\n", markdown):
        if _DIRECTION_BLOCK.match(block.strip()):  # a direction, possibly over several lines
            continue
        for raw in block.splitlines():
            line = raw.strip()
            if not line or _DIRECTION_LINE.match(line):
                continue
            if line.startswith("#"):
                current = None  # a new act or scene: no speech continues across it
            elif _SPEAKER.match(line):
                current = []
                found.append(current)
            elif current is not None:
                spoken = _MARKUP.sub("", _INLINE_DIRECTION.sub("", line)).strip()
                if spoken:
                    current.append(spoken)
    return [lines for lines in found if lines]
