"""Hygiene of the stored chapter notebooks: what every chapter promises its readers.

These checks read the notebooks as stored (nbval re-runs them separately), so they are fast
and cover every chapter present, including ones added later.
"""

import json
import pathlib
import re

import nbformat
import pytest

from booktools import nbtools, nbval_tolerance

ROOT = pathlib.Path(__file__).resolve().parent.parent

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
ids = [p.name for p in CHAPTERS]


def load(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_chapter_is_listed_in_the_table_of_contents(path):
    toc = (ROOT / "_toc.yml").read_text()
    assert f"chapters/{path.stem}" in toc


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_chapter_starts_with_a_title_then_the_bootstrap(path):
    nb = load(path)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert nb.cells[1].cell_type == "code" and nb.cells[1].source == nbtools.bootstrap_source()
    assert nb.cells[1].metadata.get("tags") == ["hide-input"], (
        "run make set-repository to fold the bootstrap online"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_stored_outputs_exist_have_no_errors_and_run_in_order(path):
    cells = code_cells(load(path))
    assert any(c.outputs for c in cells), "stored without outputs: nbval would compare nothing"
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        "execution counts must run 1, 2, 3, ... (run make refresh)"
    )
    for c in cells:
        assert not [o for o in c.outputs if o.output_type == "error"], (
            f"stored error output in:\n{c.source[:200]}"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_outputs_show_no_machine_paths_or_memory_addresses(path):
    for c in code_cells(load(path)):
        text = json.dumps([o for o in c.outputs if "image/png" not in o.get("data", {})])
        assert not re.search(r"/(work|tmp|root|home|Users)/", text), (
            f"machine path in output of:\n{c.source[:200]}"
        )
        assert not re.search(r" at 0x[0-9a-f]{6,}", text), f"memory address in output of:\n{c.source[:200]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_every_figure_has_a_caption_and_alt_text(path):
    nb = load(path)
    for i, c in enumerate(nb.cells):
        if nbtools.has_image(c):
            caption = nbtools.figure_caption(nb, i)
            assert caption, f"figure in cell {i} has no '**Figure.**' caption after it:\n{c.source[:200]}"
            assert c.metadata.get("mystnb", {}).get("image", {}).get("alt") == caption, (
                f"figure in cell {i} lacks its alt text (run make refresh)"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_every_chapter_has_three_exercises_with_solutions_and_a_checker(path):
    nb = load(path)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    exercises = re.findall(r"^`{3,}\{exercise\}\s*\n:label:\s*(\S+)", markdown, flags=re.MULTILINE)
    solutions = re.findall(r"^`{3,}\{solution\}\s+(\S+)\s*\n:class:\s*dropdown", markdown, flags=re.MULTILINE)
    assert len(exercises) >= 3, f"{len(exercises)} exercises; expected at least 3"
    assert set(exercises) <= set(solutions), (
        f"exercises without a dropdown solution: {set(exercises) - set(solutions)}"
    )
    code = "\n".join(c.source for c in code_cells(nb))
    assert re.search(r"from seqmodels\.exercises\.ch\d\d import check_\w+", code), "no checker imported"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_every_nbval_exemption_says_why(path):
    for c in code_cells(load(path)):
        lines = c.source.splitlines()
        for i, line in enumerate(lines):
            if re.match(r"#\s*NBVAL_(IGNORE_OUTPUT|SKIP|TOLERANCE)", line.strip()):
                assert i + 1 < len(lines) and lines[i + 1].startswith("# Why:"), (
                    f"nbval exemption or tolerance without a '# Why:' line after it:\n{c.source[:200]}"
                )
        nbval_tolerance.parse_tolerance(c.source)  # a malformed tolerance marker raises ValueError
        assert not any(t.startswith("nbval-") for t in c.metadata.get("tags", [])), (
            "use a commented NBVAL_ marker with a '# Why:' line instead of an nbval tag"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_notebook_imports_the_package_instead_of_defining_it(path):
    code = "\n".join(c.source for c in code_cells(load(path)))
    assert "import seqmodels" in code or "from seqmodels" in code


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_widget_cells_are_exempt_hidden_online_and_followed_by_a_static_figure(path):
    nb = load(path)
    for i, c in enumerate(nb.cells):
        if nbtools.is_widget_cell(c):
            assert "# NBVAL_IGNORE_OUTPUT" in c.source, "a live widget's output cannot be compared"
            assert "remove-output" in c.metadata.get("tags", []), "run make refresh to hide the widget online"
            following = next(x for x in nb.cells[i + 1 :] if x.cell_type == "code")
            assert nbtools.has_image(following) or following.outputs, "no static view after the widget"
