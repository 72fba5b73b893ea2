"""seqmodels.notebook.glue: stores for myst-nb in the book build, stays quiet elsewhere."""

import sys
import types

import nbformat
import pytest
from nbclient import NotebookClient

from seqmodels import notebook
from seqmodels.notebook import glue


@pytest.fixture
def fake_myst_nb(monkeypatch):
    calls = []
    module = types.ModuleType("myst_nb")
    module.glue = lambda name, value, display=True: calls.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", module)
    return calls


@pytest.fixture
def no_myst_nb(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # makes `import myst_nb` raise ImportError


def test_glue_hands_name_and_value_to_myst_nb_when_it_is_importable(fake_myst_nb):
    glue("ch04-rnn-loss", "1.23")
    glue("ch04-acc", 0.5, display=True)
    assert fake_myst_nb == [("ch04-rnn-loss", "1.23", False), ("ch04-acc", 0.5, True)]


def test_glue_without_myst_nb_shows_nothing_by_default(no_myst_nb, capsys):
    assert notebook._myst_nb_glue() is None
    glue("ch04-rnn-loss", "1.23")
    assert capsys.readouterr().out == ""


def test_glue_without_myst_nb_shows_the_value_when_asked(no_myst_nb, capsys):
    glue("ch04-rnn-loss", "1.23", display=True)
    assert "1.23" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["", "two words", "ch04:loss"])
def test_glue_rejects_names_the_role_cannot_look_up(name, fake_myst_nb):
    with pytest.raises(ValueError, match="name must be"):
        glue(name, 1.0)
    assert fake_myst_nb == []


def test_glue_rejects_a_name_that_is_not_a_string_and_a_display_that_is_not_a_bool(fake_myst_nb):
    with pytest.raises(TypeError, match="name must be a string"):
        glue(4, 1.0)
    with pytest.raises(TypeError, match="display must be True or False"):
        glue("ch04-loss", 1.0, display="yes")


def test_glue_in_a_real_kernel_stores_for_myst_nb_and_is_silent_without_it():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('from seqmodels.notebook import glue\nglue("ch00-loss", "1.23")'),
        nbformat.v4.new_code_cell('import sys\nsys.modules["myst_nb"] = None\nglue("ch00-loss", "1.23")'),
        nbformat.v4.new_code_cell('glue("ch00-loss", "1.23", display=True)'),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    stored, silent, shown = (cell.outputs for cell in nb.cells)
    # myst-nb's own format: hidden mime types under its prefix, the key in the metadata.
    assert len(stored) == 1 and stored[0].metadata["scrapbook"]["name"] == "ch00-loss"
    assert stored[0].data["application/papermill.record/text/plain"] == "'1.23'"
    assert silent == []
    assert [o.data["text/plain"] for o in shown] == ["'1.23'"]
