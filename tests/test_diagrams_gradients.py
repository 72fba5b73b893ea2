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
    assert f"start: $|g| = {abs(g):.1f}$" in labels and abs(g) > 10
    assert f"raw step $-\\eta\\, g$: lands at $w = {raw:.1f}$, higher than it started" in labels
    assert _cliff(np.array(raw))[0] > loss0 > _cliff(np.array(clipped))[0]
    assert "clipped step, length $\\eta\\theta = 0.5$" in labels


def test_a_small_raw_step_is_not_called_higher():
    labels = texts(clipping_cliff(learning_rate=0.05))
    assert not any("higher than it started" in s for s in labels)


@pytest.mark.parametrize("kwargs, error", [
    ({"learning_rate": 0}, ValueError), ({"threshold": -1.0}, ValueError), ({"learning_rate": "0.1"}, TypeError),
])
def test_clipping_cliff_checks_its_arguments(kwargs, error):
    with pytest.raises(error, match="learning_rate|threshold"):
        clipping_cliff(**kwargs)
