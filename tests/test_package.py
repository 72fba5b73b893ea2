"""Tests for the package root (seed_everything, device) and the plot style."""

import random

import matplotlib
import numpy as np
import pytest
import torch

import seqmodels
from seqmodels import device, seed_everything
from seqmodels.plot import COLORS, new_figure, use_style


def test_seed_everything_makes_all_generators_repeat():
    seed_everything(7)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    seed_everything(7)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == a


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_seed_everything_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed"):
        seed_everything(seed)


def test_device_is_cpu_without_an_accelerator(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert device() == torch.device("cpu")


def test_device_prefers_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert device() == torch.device("cuda")


def test_version_is_a_string():
    assert isinstance(seqmodels.__version__, str) and seqmodels.__version__.count(".") == 2


def test_style_sets_png_and_palette():
    use_style()
    assert matplotlib.rcParams["savefig.format"] == "png"
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0] == COLORS["blue"]


def test_new_figure_sizes_grids():
    fig, axes = new_figure(ncols=3, nrows=2)
    assert axes.shape == (2, 3)
    fig2, ax = new_figure(width=3, height=2)
    assert tuple(fig2.get_size_inches()) == (3, 2)
    matplotlib.pyplot.close("all")


def test_model_device_is_where_the_parameters_live():
    model = torch.nn.Linear(2, 3).to("meta")
    assert seqmodels.model_device(model) == torch.device("meta")
