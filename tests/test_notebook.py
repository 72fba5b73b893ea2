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


# --- claim: a sentence of the prose, checked against the result beside it -------------------

from seqmodels.notebook import CLAIM_METADATA, ClaimFailed, claim  # noqa: E402


def test_a_claim_that_holds_shows_its_key_and_stores_statement_and_evidence_in_a_kernel():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from seqmodels.notebook import claim\n"
            'claim("ch03-relu-beats-linear", 0.86 > 0.72 + 0.05, "ReLU beats  the linear\\nnetwork.",\n'
            "      relu=0.86, linear=0.72)"
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    (output,) = nb.cells[0].outputs
    assert output.data == {"text/plain": "✓ ch03-relu-beats-linear"}
    assert output.metadata[CLAIM_METADATA] == {
        "key": "ch03-relu-beats-linear",
        "statement": "ReLU beats the linear network.",
        "evidence": {"relu": 0.86, "linear": 0.72},
    }


def test_a_claim_that_does_not_hold_raises_naming_key_statement_and_evidence():
    with pytest.raises(
        ClaimFailed, match=r"claim ch03-relu-beats-linear does not hold: ReLU wins \(relu=0.7, linear=0.72\)"
    ):
        claim("ch03-relu-beats-linear", 0.70 > 0.72, "ReLU wins", relu=0.70, linear=0.72)
    assert issubclass(ClaimFailed, AssertionError)


def test_a_claims_evidence_becomes_plain_json_numbers():
    import numpy as np
    import torch

    from seqmodels.notebook import _evidence

    evidence = _evidence(
        "ch01-x",
        {
            "a": np.float32(0.123456789),
            "b": torch.tensor(3),
            "c": np.int64(7),
            "d": "seeds 0-2",
            "e": float("nan"),
            "f": 12345678.9,
        },
    )
    assert evidence == {"a": 0.1235, "b": 3, "c": 7, "d": "seeds 0-2", "e": "nan", "f": 12350000.0}
    assert all(type(v) in (int, float, str) for v in evidence.values())


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((3, True, "s"), {}, TypeError, "key must be a string"),
        (("relu-beats", True, "s"), {}, ValueError, "key must be the chapter"),
        (("ch3-relu", True, "s"), {}, ValueError, "key must be the chapter"),
        (("ch03-ReLU", True, "s"), {}, ValueError, "key must be the chapter"),
        (("ch03-relu", 1, "s"), {}, TypeError, "holds must be True or False"),
        (("ch03-relu", "yes", "s"), {}, TypeError, "holds must be True or False"),
        (("ch03-relu", [True], "s"), {}, TypeError, "holds must be True or False"),
        (("ch03-relu", True, None), {}, TypeError, "statement must be the sentence"),
        (("ch03-relu", True, "  "), {}, ValueError, "statement must be the sentence"),
        (
            ("ch03-relu", True, "s"),
            {"acc": [0.5, 0.6]},
            TypeError,
            "evidence acc= of claim ch03-relu must be a number",
        ),
        (
            ("ch03-relu", True, "s"),
            {"ok": True},
            TypeError,
            "evidence ok= of claim ch03-relu must be a number",
        ),
    ],
)
def test_a_claim_with_bad_arguments_says_what_is_expected(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        claim(*args, **kwargs)


def test_a_claim_accepts_numpy_and_array_checks_reduced_to_one_truth_value():
    import numpy as np

    with pytest.raises(TypeError, match=r"reduce an array with \.all\(\)"):
        claim("ch03-relu", np.array([True, True]), "s")
    claim("ch03-relu", bool((np.array([0.9, 0.8]) > 0.5).all()), "s")
    claim("ch03-relu", np.float64(0.9) > 0.5, "s")  # numpy.bool_


# --- show_source: the package's own code, shown in the chapter that teaches it ----------------

from seqmodels.notebook import SHOWN, resolve, show_source  # noqa: E402


def test_show_source_gives_the_installed_source_under_a_line_naming_file_and_object():
    from seqmodels.rnn import rnn_step

    code = show_source(rnn_step)
    first, *rest = code.data.splitlines()
    assert first == "# seqmodels/rnn.py: rnn_step"
    assert rest[0].startswith("def rnn_step(") and "return f(z)" in code.data
    assert code.language == "python" and repr(code) == code.data  # the plain-text view is the code itself
    assert '<div class="highlight">' in code._repr_html_()  # highlighted where HTML is shown


def test_show_source_takes_a_dotted_name_and_dedents_a_method():
    code = show_source("seqmodels.rnn.ScratchRNN.forward")
    first, second = code.data.splitlines()[:2]
    assert first == "# seqmodels/rnn.py: ScratchRNN.forward"
    assert second.startswith("def forward(")  # dedented out of the class body


def test_show_source_shows_a_decorated_function_with_its_decorator():
    code = show_source("seqmodels.gated.lstm_gate_trace")
    assert code.data.splitlines()[1:3] == ["@torch.no_grad()", code.data.splitlines()[2]]
    assert code.data.splitlines()[2].startswith("def lstm_gate_trace(")


def test_resolve_imports_the_module_it_needs_and_names_what_is_missing():
    assert resolve("seqmodels.bptt.rnn_backward").__name__ == "rnn_backward"
    with pytest.raises(ValueError, match="seqmodels.rnn has no 'rnn_stepp'"):
        resolve("seqmodels.rnn.rnn_stepp")
    with pytest.raises(ValueError, match="seqmodels has no 'no_such_module'"):
        resolve("seqmodels.no_such_module.f")
    with pytest.raises(ValueError, match="dotted name inside seqmodels"):
        resolve("os.path.join")


def test_show_source_rejects_what_has_no_source_of_its_own():
    with pytest.raises(TypeError, match="function, method or class, got int"):
        show_source(3)


def test_every_shown_name_is_a_dotted_name_inside_the_package():
    assert SHOWN and all(name.startswith("seqmodels.") for name in SHOWN)


def test_show_source_displays_highlighted_code_in_a_kernel():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            'from seqmodels.notebook import show_source\nshow_source("seqmodels.gated.gru_update")'
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    (output,) = nb.cells[0].outputs
    assert output.data["text/plain"].startswith("# seqmodels/gated.py: gru_update\ndef gru_update(")
    assert "highlight" in output.data["text/html"]
