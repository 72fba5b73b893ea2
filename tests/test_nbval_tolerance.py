"""The tolerance comparison of trained numbers (booktools.nbval_tolerance, chapters/conftest.py).

It must let kernel-level noise through and still catch a real change: the last tests perturb
the stored outputs of the chapters' own marked cells, and run nbval end to end on a small
notebook whose stored numbers were moved.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from booktools.nbval_tolerance import NUMBER, Tolerance, parse_tolerance, reconcile, reconcile_outputs

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_a_cell_without_the_marker_has_no_tolerance():
    assert parse_tolerance("print(1.0)\n# NBVAL_IGNORE_OUTPUT") is None


def test_the_marker_reads_abs_rel_and_pct():
    source = "# NBVAL_TOLERANCE abs=0.005 rel=0.01 pct=1.5\n# Why: trained\nprint(loss)"
    assert parse_tolerance(source) == Tolerance(abs=0.005, rel=0.01, pct=1.5)
    assert str(parse_tolerance(source)) == "abs=0.005 rel=0.01 pct=1.5"


@pytest.mark.parametrize(
    "spec, message",
    [
        ("", "needs at least one"),
        ("abs", "expected abs=, rel= or pct="),
        ("tol=0.1", "expected abs=, rel= or pct="),
        ("abs=x", "must be a number"),
        ("abs=-1", "finite number >= 0"),
        ("rel=inf", "finite number >= 0"),
    ],
)
def test_a_malformed_marker_is_an_error_that_says_what_is_expected(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_tolerance(f"# NBVAL_TOLERANCE {spec}\nprint(1)")


def test_two_markers_in_one_cell_are_an_error():
    with pytest.raises(ValueError, match="one NBVAL_TOLERANCE"):
        parse_tolerance("# NBVAL_TOLERANCE abs=1\n# NBVAL_TOLERANCE abs=2\n")
    with pytest.raises(TypeError, match="must be a string"):
        parse_tolerance(None)


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("loss 2.483, accuracy 97.0%", ["2.483", "97.0%"]),
        ("W_hh2 ch07 x1 3rd 12ms", []),
        ("lr 3e-3 and -0.5 then 1.5e+2.", ["3e-3", "-0.5", "1.5e+2"]),
        ("range 1-2, time 12:30", ["1", "2", "12", "30"]),
    ],
)
def test_numbers_are_found_but_not_inside_names_or_units(text, numbers):
    assert [m.group() for m in NUMBER.finditer(text)] == numbers


def test_numbers_within_tolerance_take_the_stored_spelling():
    tol = Tolerance(abs=0.005, pct=1.5)
    got, problems = reconcile("loss 2.484, accuracy 97.0%", "loss 2.483, accuracy 98.0%", tol)
    assert (got, problems) == ("loss 2.483, accuracy 98.0%", [])


def test_a_number_beyond_tolerance_is_kept_and_reported():
    got, problems = reconcile("loss 2.600 acc 90.0%", "loss 2.483 acc 98.0%", Tolerance(abs=0.005, pct=1.5))
    assert got == "loss 2.600 acc 90.0%"
    assert problems == ["2.483 -> 2.600 is beyond abs=0.005", "98.0% -> 90.0% is beyond pct=1.5"]


def test_relative_tolerance_scales_with_the_stored_value():
    tol = Tolerance(rel=0.01)
    assert reconcile("1005", "1000", tol)[1] == []
    assert reconcile("1011", "1000", tol)[1] == ["1000 -> 1011 is beyond rel=0.01"]


def test_percentages_use_abs_when_no_pct_is_given():
    assert reconcile("50.4%", "50.0%", Tolerance(abs=0.5))[1] == []
    assert reconcile("50.6%", "50.0%", Tolerance(abs=0.5))[1] != []


def test_text_around_the_numbers_is_still_compared_exactly():
    got, problems = reconcile("loss 2.483 (valid)", "loss 2.483 (test)", Tolerance(abs=1))
    assert got == "loss 2.483 (valid)" and "text around the numbers differs" in problems[0]
    got, problems = reconcile("2.48%", "2.48", Tolerance(abs=1))  # a percentage is not a plain number
    assert problems


def test_column_padding_may_change_with_a_numbers_width_but_not_the_words_or_lines():
    stored = "    5     19.2      0.0%      100.0%\n"
    got, problems = reconcile("    5     19.2      0.0%       99.0%\n", stored, Tolerance(pct=2))
    assert got == stored and problems == []
    got, problems = reconcile("    5     19.2      0.0%       90.0%\n", stored, Tolerance(pct=2))
    assert got == "    5     19.2      0.0%      90.0%\n" and "100.0% -> 90.0% is beyond pct=2" in problems[0]
    assert reconcile("    5 19.2 words 0.0% 99.0%\n", stored, Tolerance(pct=2))[1]  # a new word
    assert reconcile("    5     19.2\n      0.0%       99.0%\n", stored, Tolerance(pct=2))[1]  # a new line


def test_outputs_are_matched_by_type_and_stream_and_not_changed_in_place():
    stored = [
        nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "loss 1.871\n"}),
        nbformat.from_dict(
            {
                "output_type": "execute_result",
                "execution_count": 3,
                "metadata": {},
                "data": {"text/plain": "0.25", "image/png": "iVBOR123"},
            }
        ),
    ]
    got = [
        nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "loss 1.872\n"}),
        nbformat.from_dict(
            {
                "output_type": "execute_result",
                "execution_count": 3,
                "metadata": {},
                "data": {"text/plain": "0.26", "image/png": "iVBOR999"},
            }
        ),
    ]
    result, problems = reconcile_outputs(got, stored, Tolerance(abs=0.005))
    assert result[0].text == "loss 1.871\n" and got[0].text == "loss 1.872\n"
    assert result[1]["data"]["image/png"] == "iVBOR999", "images are never touched"
    assert problems == ["output 1 (text/plain): 0.25 -> 0.26 is beyond abs=0.005"]
    assert result[0].output_type == "stream", "nbval reads outputs as notebook nodes"


def test_sanitized_timings_do_not_hide_among_trained_numbers():
    sanitize = lambda s: s.replace("1.23 s", "TIME").replace("4.56 s", "TIME")  # noqa: E731
    stored = [
        nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "loss 1.870 took 1.23 s"})
    ]
    got = [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "loss 1.871 took 4.56 s"})]
    result, problems = reconcile_outputs(got, stored, Tolerance(abs=0.005), sanitize=sanitize)
    assert (result[0].text, problems) == ("loss 1.870 took TIME", [])


def marked_cells():
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and parse_tolerance(cell.source) is not None:
                yield pytest.param(cell, id=f"{path.stem}-cell{i}")


@pytest.mark.parametrize("cell", list(marked_cells()))
def test_a_real_change_in_a_chapters_trained_number_is_caught(cell):
    """Move the first number of a marked cell's stored output by 3x its tolerance: caught;
    by a third of its tolerance: let through."""
    tol = parse_tolerance(cell.source)
    for index, out in enumerate(cell.outputs):
        texts = (
            [out.text]
            if out.output_type == "stream"
            else [
                v
                for k, v in out.get("data", {}).items()
                if k.removeprefix("application/papermill.record/").startswith("text/")
            ]
        )
        match = next((m for t in texts for m in NUMBER.finditer(t)), None)
        if match:
            break
    else:
        pytest.fail("a marked cell has no number in its stored outputs: drop the marker")
    stored = float(match.group().rstrip("%"))
    limit = tol.pct if match.group("pct") and tol.pct is not None else max(tol.abs, tol.rel * abs(stored))
    decimals = len(match.group().rstrip("%").partition(".")[2].partition("e")[0])

    def moved(by):
        text = f"{stored + by:.{max(decimals, 6)}f}" + (match.group("pct") or "")
        changed = json.loads(json.dumps(cell.outputs))
        for o in changed[index : index + 1]:
            if o["output_type"] == "stream":
                o["text"] = o["text"][: match.start()] + text + o["text"][match.end() :]
            else:
                for k, v in o["data"].items():
                    if isinstance(v, str) and v.find(match.group(), match.start()) == match.start():
                        o["data"][k] = v[: match.start()] + text + v[match.end() :]
        return [nbformat.from_dict(o) for o in changed]

    assert reconcile_outputs(moved(3 * limit + 10**-decimals), cell.outputs, tol)[1], (
        "a real change slipped through"
    )
    assert not reconcile_outputs(moved(limit / 3), cell.outputs, tol)[1], (
        "noise within tolerance was not let through"
    )


NOTEBOOK_CELLS = [
    "value = sum(0.001 * i for i in range(100))",
    "# NBVAL_TOLERANCE abs=0.01 pct=2\n# Why: stands in for a trained loss and accuracy\n"
    "print(f'loss {value:.3f}, accuracy {97.0:.1f}%')",
    "print(f'exact {value:.3f}')",
]


def run_nbval_on(tmp_path, stored_texts):
    """Run nbval, through the chapters' conftest, on a notebook whose stored outputs are given."""
    (tmp_path / "chapters").mkdir()
    shutil.copy(ROOT / "chapters" / "conftest.py", tmp_path / "chapters" / "conftest.py")  # imports booktools
    nb = nbformat.v4.new_notebook()
    for n, (source, text) in enumerate(zip(NOTEBOOK_CELLS, stored_texts), start=1):
        cell = nbformat.v4.new_code_cell(source, execution_count=n)
        if text is not None:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        nb.cells.append(cell)
    nbformat.write(nb, tmp_path / "chapters" / "probe.ipynb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "chapters/probe.ipynb",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_nbval_passes_a_marked_number_within_tolerance(tmp_path):
    result = run_nbval_on(tmp_path, [None, "loss 4.955, accuracy 98.5%\n", "exact 4.950\n"])
    assert result.returncode == 0, result.stdout[-3000:]


def test_nbval_fails_a_marked_number_beyond_tolerance_and_says_so(tmp_path):
    result = run_nbval_on(tmp_path, [None, "loss 4.990, accuracy 97.0%\n", "exact 4.950\n"])
    assert result.returncode != 0
    assert "4.990 -> 4.950 is beyond abs=0.01" in result.stdout, result.stdout[-3000:]


def test_nbval_still_compares_unmarked_cells_exactly(tmp_path):
    result = run_nbval_on(tmp_path, [None, "loss 4.950, accuracy 97.0%\n", "exact 4.951\n"])
    assert result.returncode != 0 and "Cell 2" in result.stdout, result.stdout[-3000:]


def test_the_chapters_conftest_gives_nbval_more_patience_for_late_outputs():
    import importlib.util
    import types

    from nbval.plugin import IPyNbCell

    spec = importlib.util.spec_from_file_location("chapters_conftest", ROOT / "chapters" / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    item = object.__new__(IPyNbCell)  # nbval sets 5 s in __init__; the hook must raise it
    item.output_timeout, item.cell = 5, types.SimpleNamespace(source="print(1)")
    config = types.SimpleNamespace(getoption=lambda name, default=None: False)
    conftest.pytest_collection_modifyitems(None, config, [item])
    assert item.output_timeout == conftest.OUTPUT_PATIENCE_S > 5
