"""The first code cell of every chapter: identical everywhere, for the configured repository.

That it really installs is tested where students run it: tests/test_colab_runtime.py runs
every Colab-edition notebook through its bootstrap cell in a fresh Colab-like runtime
without ``seqmodels``, with ``SEQMODELS_SOURCE`` pointing the cell at this checkout.
"""

import pathlib

import nbformat
import pytest

from booktools import config, nbtools

ROOT = pathlib.Path(__file__).resolve().parent.parent

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_code_cell_is_the_bootstrap_for_the_configured_repository(path):
    nb = nbformat.read(path, as_version=4)
    assert nbtools.first_code_cell(nb).source == nbtools.bootstrap_source()
    assert config.repository_url() in nbtools.bootstrap_source()
