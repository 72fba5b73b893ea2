"""Chapter 7's diagrams: the gradient's path through W_hh, and clipping on a cliff."""

import numpy as np
import pytest

from seqmodels.diagrams import clipping_cliff, gradient_path
from seqmodels.diagrams.gradients import _cliff
from seqmodels.diagrams.shapes import texts


def test_gradient_path_writes_one_jacobian_factor_per_step_and_their_product():
    labels = texts(gradient_path(T=4))
    factors = [f"$\\mathrm{{diag}}(f'(a_{t}))\\,W_{{hh}}$" for t in range(1, 5)]
    assert all(f in labels for f in factors)
    assert labels.count("$W_{hh}$") == 4 and "$h_0$" in labels and "$h_4$" in labels
    product = [s for s in labels if s.startswith("$\\partial h_4 / \\partial h_0 = ")]
    assert len(product) == 1 and "a_4" in product[0] and "a_1" in product[0] and "\\cdots" in product[0]


def test_gradient_path_writes_short_products_in_full():
    (product,) = [s for s in texts(gradient_path(T=2)) if s.startswith("$\\partial h_2")]
    assert "\\cdots" not in product and product.index("a_2") < product.index("a_1")


@pytest.mark.parametrize("T, error", [(0, ValueError), (6, ValueError), (None, TypeError)])
def test_gradient_path_checks_T(T, error):
    with pytest.raises(error, match="T must"):
        gradient_path(T=T)


def test_the_cliff_slope_is_the_derivative_of_the_cliff_loss():
    w = np.linspace(-0.5, 6.0, 41)
    eps = 1e-6
    numeric = (_cliff(w + eps)[0] - _cliff(w - eps)[0]) / (2 * eps)
    assert np.allclose(_cliff(w)[1], numeric, atol=1e-5)


def test_clipping_cliff_plots_the_computed_loss_and_both_steps():
    fig = clipping_cliff(learning_rate=0.5, threshold=1.0)
    ax = fig.axes[0]
    curve = ax.lines[0]
    assert np.allclose(curve.get_ydata(), _cliff(curve.get_xdata())[0])
    loss0, g = (float(v) for v in _cliff(np.array(1.0)))
    raw, clipped = 1.0 - 0.5 * g, 1.0 - 0.5 * np.sign(g)  # the clipped step has length eta * theta
    points = {round(float(line.get_xdata()[0]), 6) for line in ax.lines[1:]}
    assert points == {round(raw, 6), round(clipped, 6), 1.0}
    labels = texts(fig)
    assert "start" in labels and abs(g) > 10
    assert (
        f"raw step $-\\eta\\, g$ with $|g| = {abs(g):.1f}$: lands at $w = {raw:.1f}$, higher than it started"
        in labels
    )
    assert _cliff(np.array(raw))[0] > loss0 > _cliff(np.array(clipped))[0]
    assert "clipped step, length $\\eta\\theta = 0.5$" in labels
    ticks = list(ax.get_xticks())  # the landing points can be read off the w axis
    assert ticks[0] <= min(clipped, 1.0) and ticks[-1] >= np.floor(raw) and np.allclose(np.diff(ticks), 1)


def test_the_cliff_never_overflows(recwarn):
    _cliff(np.array([-1e4, 1e4]))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("eta", [0.4, 0.5, 0.6])
def test_every_allowed_raw_step_overshoots_to_a_higher_loss(eta):
    loss0, g = (float(v) for v in _cliff(np.array(1.0)))
    assert _cliff(np.array(1.0 - eta * g))[0] > loss0
    assert any("higher than it started" in s for s in texts(clipping_cliff(learning_rate=eta)))


def test_the_raw_step_is_called_higher_only_when_it_is(monkeypatch):
    import seqmodels.diagrams.gradients as module

    downhill = lambda w: (10.0 - w, np.full_like(w, -1.0, dtype=float))  # noqa: E731  every step lands lower
    monkeypatch.setattr(module, "_cliff", downhill)
    labels = texts(module.clipping_cliff())
    assert any("lands at" in s for s in labels) and not any("higher than it started" in s for s in labels)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"learning_rate": 0.3}, ValueError),
        ({"learning_rate": 0.7}, ValueError),
        ({"threshold": -1.0}, ValueError),
        ({"threshold": 3.0}, ValueError),
        ({"learning_rate": "0.1"}, TypeError),
    ],
)
def test_clipping_cliff_checks_its_arguments(kwargs, error):
    with pytest.raises(error, match="learning_rate|threshold"):
        clipping_cliff(**kwargs)
