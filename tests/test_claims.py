"""booktools.claims: the appendix of checked claims, and claims failing nbval when they break."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from booktools import claims, nbtools

ROOT = pathlib.Path(__file__).resolve().parent.parent

from seqmodels.notebook import CLAIM_METADATA  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def probe(value: float) -> nbformat.NotebookNode:
    """A two-cell chapter: a result, then the claim its prose makes of it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 1. Probe\n\nThe accuracy is well above chance."),
        nbformat.v4.new_code_cell(f"accuracy = {value}\nprint(f'accuracy {{accuracy:.2f}}')"),
        nbformat.v4.new_code_cell(
            "from seqmodels.notebook import claim\n"
            'claim("ch01-above-chance", accuracy > 0.5 + 0.1, "The accuracy is well above chance.", accuracy=accuracy)'
        ),
    ]
    return nb


def executed(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def test_the_appendix_lists_each_claim_with_its_chapter_statement_and_evidence(tmp_path):
    path = tmp_path / "01_probe.ipynb"
    nbformat.write(executed(probe(0.9)), path)
    text = claims.appendix([path])
    assert "## 1. Probe" in text
    assert "1 claims, checked in {doc}`../chapters/01_probe`." in text
    assert "| `ch01-above-chance` | The accuracy is well above chance. | accuracy = 0.9 |" in text
    assert "The book checks 1 claims in 1 chapters." in text


def test_a_failing_claim_stops_execution_naming_key_and_statement():
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(
        CellExecutionError, match="claim ch01-above-chance does not hold: The accuracy is well above"
    ):
        executed(probe(0.55))


def nbval(tmp_path: pathlib.Path, nb: nbformat.NotebookNode) -> subprocess.CompletedProcess:
    nbformat.write(nb, tmp_path / "probe.ipynb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "probe.ipynb",
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


def test_nbval_passes_a_probe_whose_claim_holds_and_fails_it_once_a_number_is_perturbed(tmp_path):
    nb = executed(probe(0.9))
    assert nbval(tmp_path, nb).returncode == 0
    # The result changes (the code now gives 0.55), its stored output is updated to match,
    # so only the claim can catch that the prose no longer holds.
    nb.cells[1].source = nb.cells[1].source.replace("0.9", "0.55")
    nb.cells[1].outputs[0].text = "accuracy 0.55\n"
    result = nbval(tmp_path, nb)
    assert result.returncode != 0
    assert "claim ch01-above-chance does not hold" in result.stdout, result.stdout[-3000:]


def test_tidy_hides_claim_cells_online():
    nb = probe(0.9)
    nbtools.clean(nb)
    assert nb.cells[2].metadata["tags"] == ["remove-cell"]
    assert "tags" not in nb.cells[1].metadata


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_claim_cell_of_a_chapter_is_hidden_online_and_stored_with_its_records(path):
    nb = nbformat.read(path, as_version=4)
    for i in claims.claim_cells(nb):
        cell = nb.cells[i]
        assert "remove-cell" in cell.metadata.get("tags", []), (
            f"cell {i}: run make refresh to hide the claim online"
        )
        calls = len(claims.CLAIM_CALL.findall(cell.source))
        stored = [o for o in cell.outputs if CLAIM_METADATA in o.get("metadata", {})]
        assert len(stored) == calls, f"cell {i}: {calls} claim calls but {len(stored)} stored records"


def test_claim_keys_are_unique_across_the_book_and_start_with_their_chapter():
    seen = {}
    for path in CHAPTERS:
        for record in claims.claims_of(nbformat.read(path, as_version=4)):
            key = record["key"]
            assert key.startswith(f"ch{path.stem[:2]}-"), (
                f"{path.name}: claim {key} is named for another chapter"
            )
            assert key not in seen, f"claim {key} in {path.name} and {seen[key]}"
            seen[key] = path.name


def test_the_appendix_is_in_step_with_the_chapters():
    assert claims.APPENDIX.read_text(encoding="utf-8") == claims.appendix(), "run: python -m booktools claims"


def test_the_appendix_is_in_the_table_of_contents():
    assert "book/claims" in (ROOT / "_toc.yml").read_text(encoding="utf-8")
