"""The Colab edition: every chapter as a notebook that Colab and plain Jupyter show as written.

    python -m booktools colab           write colab/NN_name.ipynb for every chapter (make colab)
    python -m booktools colab check     exit 1 if colab/ is out of date with chapters/

The chapters stay the MyST source of truth; each Colab-edition notebook is generated from
its chapter and committed, so the book's Colab button can open it straight from GitHub.
Per chapter it

- puts a first cell that links to the chapter's online page;
- converts every markdown cell to plain markdown (``colab_markdown``): numbered exercises,
  solutions folded in ``<details>``, citations and cross references linked to the online
  book, macros expanded;
- keeps the bootstrap cell first and shows it in Colab as a collapsed form
  (``#@title ...``); folds whatever the online page hides (``hide-input``, ...) and
  drops what it removes (``remove-output``, ...);
- strips the ``# NBVAL_...`` markers and their ``# Why:`` lines, which only nbval reads;
- keeps text and figure outputs so a student can preview them, and drops what cannot
  display without its kernel state (widgets, progress bars) and the book's glue records.
"""

from __future__ import annotations

import copy
import pathlib
import re

import nbformat

from .colab_book import Book, ConversionError, directive_of, parse_markdown
from .colab_markdown import ChapterMarkdown, fence
from .paths import ROOT, chapter_files

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
BOOTSTRAP_TITLE = "Bootstrap: run this cell first (in Colab it installs seqmodels and the Shakespeare corpus)"
HIDDEN_TITLE = "Code hidden in the online book (double-click to show)"
FOLDED_TAGS = {"hide-input", "remove-input", "hide-cell", "remove-cell"}
NO_OUTPUT_TAGS = {"remove-output", "remove-cell"}
COLLAPSED_OUTPUT_TAGS = {"hide-output", "hide-cell"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_NBVAL = re.compile(r"^\s*#\s*NBVAL_\w+")
_WHY = re.compile(r"^\s*#\s*Why:")


def edition_path(chapter: pathlib.Path) -> pathlib.Path:
    """Where a chapter's Colab edition lives: ``colab/<same name>.ipynb`` beside ``chapters/``."""
    return chapter.parent.parent / "colab" / chapter.name


def chapters(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    return chapter_files(root)


# --------------------------------------------------------------------------- one notebook


def convert(chapter: pathlib.Path, book: Book | None = None) -> nbformat.NotebookNode:
    """The Colab edition of one chapter, as a notebook (not written)."""
    book = book or Book()
    nb = nbformat.read(chapter, as_version=4)
    page = book.page_of(chapter)
    markdown = ChapterMarkdown(book, page, glue_records(nb))
    for n, cell in enumerate(nb.cells):
        cell.setdefault("id", f"cell-{n}")  # ids keep the file stable from one build to the next
    cells = [first_cell(book, page)]
    bootstrap = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    i = 0
    while i < len(nb.cells):
        cell = nb.cells[i]
        where = f"cell {i}"
        if cell.cell_type == "markdown":
            tags = set(cell.metadata.get("tags", []))
            end = gated_solution_end(book, nb, i)
            if end is not None:
                source = merge_gated_solution(book, nb.cells[i : end + 1])
                i = end
            else:
                source = cell.source
            if "remove-cell" not in tags and not source.lstrip().startswith(
                "```{explorable}"
            ):  # live widget instead
                text = markdown.convert(source, where)
                if text.strip():
                    cells.append(nbformat.v4.new_markdown_cell(text, id=cell.get("id")))
        elif cell.cell_type == "code":
            cells.append(code_cell(cell, is_bootstrap=i == bootstrap))
        else:
            cells.append(copy.deepcopy(cell))
        i += 1
    edition = nbformat.v4.new_notebook(cells=cells)
    edition.metadata = nbformat.NotebookNode(
        kernelspec=KERNELSPEC, language_info={"name": "python"}, colab={"toc_visible": True}
    )
    edition.nbformat_minor = max(nb.nbformat_minor, 5)
    return edition


LICENCE_LINE = "Text and figures: [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/); code: MIT"


def first_cell(book: Book, page) -> nbformat.NotebookNode:
    text = (
        f"**{book.config.get('title', 'The book')}**, chapter {page.number}: "
        f"[read it online]({book.url(page.docname)}) · [the whole book]({book.online})\n\n"
        "This is the chapter's Colab edition: the text and code of the online page, in markdown that "
        "Colab and Jupyter show as written. Run the first code cell first (in Colab it installs the "
        "book's package `seqmodels`), then the cells in order. Each solution is folded under its "
        "exercise: click its title to open it, after you have tried. Citations and cross "
        "references link to the online book.\n\n"
        f"{LICENCE_LINE} ([licence and citation]({book.url('book/license')}))"
    )
    return nbformat.v4.new_markdown_cell(text, id="colab-edition")


def code_cell(cell: nbformat.NotebookNode, is_bootstrap: bool) -> nbformat.NotebookNode:
    tags = set(cell.metadata.get("tags", []))
    source = strip_nbval(cell.source)
    metadata = nbformat.NotebookNode()
    if cell.metadata.get("tags"):
        metadata["tags"] = list(cell.metadata["tags"])
    if is_bootstrap or tags & FOLDED_TAGS:
        title = BOOTSTRAP_TITLE if is_bootstrap else HIDDEN_TITLE
        source = f'#@title {title} {{ display-mode: "form" }}\n' + source
        metadata["cellView"] = "form"  # Colab: show the title, fold the code
        metadata["jupyter"] = {"source_hidden": True}  # JupyterLab
    outputs = [] if tags & NO_OUTPUT_TAGS else [o for o in (keep_output(o, tags) for o in cell.outputs) if o]
    alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
    for output in outputs:
        if alt and "image/png" in output.get("data", {}):  # the figure's alt text, where nbconvert reads it
            output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = alt
    if outputs and tags & COLLAPSED_OUTPUT_TAGS:
        metadata.setdefault("jupyter", {})["outputs_hidden"] = True
    new = nbformat.v4.new_code_cell(source, id=cell.get("id"), metadata=metadata, outputs=outputs)
    new.execution_count = cell.execution_count if outputs else None
    return new


def strip_nbval(source: str) -> str:
    """Drop ``# NBVAL_...`` markers and the ``# Why:`` line after each: only nbval reads them."""
    lines, out, skip_why = source.split("\n"), [], False
    for line in lines:
        if _NBVAL.match(line):
            skip_why = True
            continue
        if skip_why and _WHY.match(line):
            skip_why = False
            continue
        skip_why = False
        out.append(line)
    while out and not out[0].strip():
        out.pop(0)
    return "\n".join(out)


def keep_output(output: nbformat.NotebookNode, tags: set[str]) -> nbformat.NotebookNode | None:
    """The output as the edition stores it, or ``None`` when it cannot display there."""
    output = copy.deepcopy(output)
    kind = output.get("output_type")
    if kind == "stream":
        if f"remove-{output.get('name')}" in tags:
            return None
        text = output.get("text", "")
        if "\r" in text:  # a text progress bar: rates and times, no content
            return None
        return output
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        if WIDGET_MIME in data:  # a widget or a tqdm bar: needs its live state
            return None
        scrapbook = output.get("metadata", {}).pop("scrapbook", None)
        if scrapbook is not None and scrapbook.get("mime_prefix"):  # glue stored for the book only
            return None
        return output
    return output  # errors are not stored (tests/test_notebooks.py)


def glue_records(nb: nbformat.NotebookNode) -> dict[str, dict]:
    """``{key: {mime type: value}}`` of every value the chapter glued (myst-nb's records)."""
    records = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                prefix = scrapbook.get("mime_prefix", "")
                records[scrapbook["name"]] = {
                    k[len(prefix) :]: v if isinstance(v, str) else "".join(v)
                    for k, v in output.get("data", {}).items()
                    if k.startswith(prefix)
                }
    return records


# --------------------------------------------------------------------------- gated solutions


def _directives(book: Book, source: str) -> list:
    return [d for n in parse_markdown(book.parser, source).children if (d := directive_of(n))]


def gated_solution_end(book: Book, nb: nbformat.NotebookNode, start: int) -> int | None:
    """For a cell opening ``{solution-start}``, the index of the cell with its ``{solution-end}``."""
    if not any(d.name == "solution-start" for d in _directives(book, nb.cells[start].source)):
        return None
    for j in range(start, len(nb.cells)):
        if nb.cells[j].cell_type == "markdown" and any(
            d.name == "solution-end" for d in _directives(book, nb.cells[j].source)
        ):
            return j
    raise ConversionError(f"a {{solution-start}} in cell {start} has no {{solution-end}}")


def merge_gated_solution(book: Book, cells: list) -> str:
    """One ``{solution}`` holding a gated solution's cells: code cells become code blocks.

    A ``<details>`` block cannot span notebook cells, so the solution's code is shown, folded,
    as text to read or copy, like the book's other solutions.
    """
    parts = []
    for cell in cells:
        if cell.cell_type == "code":
            parts.append(fence(strip_nbval(cell.source) + "\n", "python"))
            continue
        for node in parse_markdown(book.parser, cell.source).children:
            d = directive_of(node)
            if d and d.name == "solution-start":
                label, options, body = d.argument, d.options, d.body
                parts.append(body)
            elif not (d and d.name == "solution-end"):
                lines = cell.source.splitlines()[node.map[0] : node.map[1]] if node.map else []
                parts.append("\n".join(lines))
    body = "\n\n".join(p for p in parts if p.strip())
    ticks = "`" * (max([3] + [len(r) for r in re.findall(r"`{3,}", body)]) + 1)
    opts = "".join(f":{k}: {v}\n" for k, v in options.items())
    return f"{ticks}{{solution}} {label}\n{opts}{body}\n{ticks}"


# --------------------------------------------------------------------------- the edition


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def build(book: Book | None = None) -> list[pathlib.Path]:
    """Write the Colab edition of every chapter; return the files that changed."""
    book = book or Book()
    (book.root / "colab").mkdir(exist_ok=True)
    written = []
    for chapter in chapters(book.root):
        target = edition_path(chapter)
        text = render(convert(chapter, book))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    for path in _orphans(book.root):  # a chapter was renamed or removed
        path.unlink()
        written.append(path)
    return written


def stale_editions(book: Book | None = None) -> list[str]:
    """The Colab-edition files that differ from what their chapters convert to now."""
    book = book or Book()
    stale = [
        edition_path(c).name
        for c in chapters(book.root)
        if not edition_path(c).exists()
        or edition_path(c).read_text(encoding="utf-8") != render(convert(c, book))
    ]
    return stale + [p.name for p in _orphans(book.root)]


def _orphans(root: pathlib.Path) -> list[pathlib.Path]:
    names = {c.name for c in chapters(root)}
    return sorted(p for p in (root / "colab").glob("*.ipynb") if p.name not in names)
