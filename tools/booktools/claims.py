"""The appendix "Claims this book checks", generated from the chapters' stored outputs.

    python -m booktools claims            write book/claims.md
    python -m booktools claims --check    exit 1 if book/claims.md is not what the chapters say

Every sentence of a chapter that interprets a result is checked by ``seqmodels.notebook.claim``
in a cell right after the result (hidden online). A claim that holds stores its key, its
statement and the numbers it was checked on in its output's metadata; this script gathers
them, chapter by chapter, into one page, so an instructor sees at a glance what the book
asserts and on what evidence. ``make refresh`` rewrites it; a test keeps it in step.
"""

from __future__ import annotations

import pathlib
import re

import nbformat

from .paths import ROOT, chapter_files

APPENDIX = ROOT / "book" / "claims.md"
CLAIM_METADATA = "seqmodels-claim"  # seqmodels.notebook.CLAIM_METADATA (tools do not import the package)
CLAIM_CALL = re.compile(r"\bclaim\(")

INTRO = """\
# Claims this book checks

A sentence that draws a conclusion from a result (that one model beats another, that a
number falls below chance, that something holds in every seed) is only as good as the
result beside it. In this book each such sentence is checked in code, in a cell right after
the one that computes the result: `claim(key, holds, statement, **evidence)` from
`seqmodels.notebook`. The cell is hidden online and folded in the Colab edition. If a change
to the code, the data or the training ever makes a claim false, the claim raises an error,
and the book's build and its notebook tests (nbval, under several CPU kernels) fail instead
of leaving a false sentence in the book.

The checks are robust statements, inequalities with margins, so that they hold on every CPU
the book is tested on. The numbers below are those of the run the book shows: the chapters'
stored outputs, from which this page is generated (`python -m booktools claims`).
"""


def claims_of(nb: nbformat.NotebookNode) -> list[dict]:
    """The records of the claims a chapter's stored outputs hold, in the chapter's order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get(CLAIM_METADATA)
            if record is not None:
                found.append(record)
    return found


def claim_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the code cells that call ``claim(``."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and CLAIM_CALL.search(c.source)]


def chapter_title(nb: nbformat.NotebookNode, path: pathlib.Path) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return path.stem


def _cell(text: str) -> str:
    """``text`` safe inside a markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _evidence(evidence: dict) -> str:
    return ", ".join(f"{name} = {value}" for name, value in evidence.items()) or "–"


def appendix(chapters: list[pathlib.Path] | None = None) -> str:
    """The text of ``book/claims.md``."""
    chapters = chapters if chapters is not None else chapter_files()
    parts = [INTRO]
    total = 0
    sections = []
    for path in chapters:
        nb = nbformat.read(path, as_version=4)
        records = claims_of(nb)
        if not records:
            continue
        total += len(records)
        rows = "\n".join(
            f"| `{r['key']}` | {_cell(r['statement'])} | {_cell(_evidence(r['evidence']))} |" for r in records
        )
        sections.append(
            f"## {_cell(chapter_title(nb, path))}\n\n"
            f"{len(records)} claims, checked in {{doc}}`../chapters/{path.stem}`.\n\n"
            "| key | the book says | checked on |\n|---|---|---|\n" + rows + "\n"
        )
    parts.append(f"The book checks {total} claims in {len(sections)} chapters.\n")
    return "\n".join(parts + sections)


def main(argv: list[str]) -> None:
    text = appendix()
    if argv == ["--check"]:
        if not APPENDIX.exists() or APPENDIX.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{APPENDIX.relative_to(ROOT)} is out of date; run: python -m booktools claims")
        print(f"{APPENDIX.relative_to(ROOT)} is up to date")
    elif not argv:
        APPENDIX.write_text(text, encoding="utf-8")
        print(f"{APPENDIX.relative_to(ROOT)}: written")
    else:
        raise SystemExit(__doc__)
