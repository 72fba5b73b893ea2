"""One chapter as a notebook that Colab and plain Jupyter show as written (the editions' converter).

:func:`convert` makes the Colab edition of a chapter, or with ``solutions=False`` its student
edition: the same notebook with every solution removed (not folded), so numbering,
checkers and bootstrap stay the same. ``booktools.editions`` writes the editions to disk.

The chapters stay the MyST source of truth. Per chapter the converter

- puts a first cell that links to the chapter's online page;
- converts every markdown cell to plain markdown (``colab_markdown``): numbered exercises,
  solutions folded in ``<details>``, citations and cross references linked to the online
  book, macros expanded;
- keeps the bootstrap cell first and shows it in Colab as a collapsed form
  (``#@title ...``); folds whatever the online page hides (``hide-input``, ...) and
  drops what it removes (``remove-output``, ...);
- strips the ``# NBVAL_...`` markers and their ``# Why:`` lines, which only nbval reads, and
  the book's ``glue(...)`` calls, which only feed numbers to the online prose;
- moves the checker imports out of the exercise cells into one cell before the first of
  them, so a student who rewrites an exercise cell does not lose the next exercise's checker;
- keeps text and figure outputs so a student can preview them, stores a progress bar's final
  text state instead of its live widget, and drops what cannot display without its kernel
  state (interactive widgets) and the book's glue records.
"""

from __future__ import annotations

import ast
import copy
import pathlib
import re

import nbformat

from .colab_book import Book, ConversionError, directive_of, parse_markdown
from .colab_markdown import ChapterMarkdown, fence

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
BOOTSTRAP_TITLE = "Bootstrap: run this cell first (in Colab it installs seqmodels and the Shakespeare corpus)"
HIDDEN_TITLE = "Code hidden in the online book (double-click to show)"
FOLDED_TAGS = {"hide-input", "remove-input", "hide-cell", "remove-cell"}
NO_OUTPUT_TAGS = {"remove-output", "remove-cell"}
COLLAPSED_OUTPUT_TAGS = {"hide-output", "hide-cell"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: The first line of a progress bar's text form before it ran: "training:   0%|   | 0/300 [...]".
_BAR_AT_ZERO = re.compile(r"^(?P<desc>.*?):?\s*0%\|[^|]*\|\s*0/(?P<total>\d+)\b")
#: The module a checker is imported from in an exercise cell: ``seqmodels.exercises.ch07``.
_CHECKER_MODULE = re.compile(r"^seqmodels\.exercises(\.\w+)?$")
CHECKERS_CELL_ID = "exercise-checkers"
CHECKERS_COMMENT = "# The checkers of this chapter's exercises: run this cell once before the exercises."
_NBVAL = re.compile(r"^\s*#\s*NBVAL_\w+")
_WHY = re.compile(r"^\s*#\s*Why:")


# --------------------------------------------------------------------------- one notebook


#: An ``{explorable}`` directive: the online page's figure that moves; the edition keeps the live widget.
EXPLORABLE = re.compile(r"^```\{explorable\}[^\n]*\n(?:[^`][^\n]*\n)*```[ \t]*\n?", re.MULTILINE)


def without_explorable(source: str) -> str:
    """``source`` without its ``{explorable}`` directives; the prose around them stays."""
    return EXPLORABLE.sub("", source).lstrip("\n")


def convert(chapter: pathlib.Path, book: Book | None = None, solutions: bool = True) -> nbformat.NotebookNode:
    """The Colab edition of one chapter, as a notebook (not written).

    With ``solutions=False``, the student edition: every ``{solution}`` (and every gated
    solution, with its code cells) is left out instead of folded; all else is the same.
    """
    book = book or Book()
    nb = nbformat.read(chapter, as_version=4)
    page = book.page_of(chapter)
    markdown = ChapterMarkdown(book, page, glue_records(nb), solutions=solutions)
    for n, cell in enumerate(nb.cells):
        cell.setdefault("id", f"cell-{n}")  # ids keep the file stable from one build to the next
    checkers, checkers_at = hoist_checker_imports(nb)
    cells = [first_cell(book, page, solutions)]
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
            if "remove-cell" not in tags:
                text = markdown.convert(without_explorable(source), where)
                if text.strip():
                    cells.append(nbformat.v4.new_markdown_cell(text, id=cell.get("id")))
        elif cell.cell_type == "code":
            if i == checkers_at:
                cells.append(nbformat.v4.new_code_cell(checkers, id=CHECKERS_CELL_ID))
            new = code_cell(cell, is_bootstrap=i == bootstrap)
            if new.source.strip() or new.outputs:
                cells.append(new)
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


def first_cell(book: Book, page, solutions: bool = True) -> nbformat.NotebookNode:
    edition, answers = (
        (
            "Colab edition",
            "Each solution is folded under its exercise: click its title to open it, after you have tried.",
        )
        if solutions
        else (
            "student edition",
            "This edition has no solutions: the checker under an exercise tells you whether your code is right.",
        )
    )
    text = (
        f"**{book.config.get('title', 'The book')}**, chapter {page.number}: "
        f"[read it online]({book.url(page.docname)}) · [the whole book]({book.online})\n\n"
        f"This is the chapter's {edition}: the text and code of the online page, in markdown that "
        "Colab and Jupyter show as written. Run the first code cell first (in Colab it installs the "
        f"book's package `seqmodels`), then the cells in order. {answers} Citations and cross "
        "references link to the online book.\n\n"
        f"{LICENCE_LINE} ([licence and citation]({book.url('book/license')}))"
    )
    return nbformat.v4.new_markdown_cell(text, id="colab-edition" if solutions else "student-edition")


def code_cell(cell: nbformat.NotebookNode, is_bootstrap: bool) -> nbformat.NotebookNode:
    tags = set(cell.metadata.get("tags", []))
    source = strip_glue(strip_nbval(cell.source))
    metadata = nbformat.NotebookNode()
    if cell.metadata.get("tags"):
        metadata["tags"] = list(cell.metadata["tags"])
    if (is_bootstrap or tags & FOLDED_TAGS) and source.strip():
        # Colab shows the title of a form cell and folds its code (cellView); JupyterLab folds it
        # too (source_hidden). Elsewhere the title reads as the comment it is.
        title = BOOTSTRAP_TITLE if is_bootstrap else HIDDEN_TITLE
        source = f"#@title {title}\n" + source
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
            return final_progress_bar(data.get("text/plain", ""))
        scrapbook = output.get("metadata", {}).pop("scrapbook", None)
        if scrapbook is not None and scrapbook.get("mime_prefix"):  # glue stored for the book only
            return None
        return output
    return output  # errors are not stored (tests/test_notebooks.py)


def final_progress_bar(text: str | list) -> nbformat.NotebookNode | None:
    """A tqdm bar's widget as the text it ends with, or ``None`` for any other widget.

    The stored widget's text form is the bar before it ran ("0%| | 0/300"), which static
    viewers show as a run stuck at zero. A chapter is only stored once every cell ran to the
    end (``make refresh`` refuses one that raised) and no chapter stops a loop early, so the
    bar ended full: that is the text stored here.
    """
    text = text if isinstance(text, str) else "".join(text)
    match = _BAR_AT_ZERO.match(text.strip())
    if match is None:
        return None
    desc, total = match.group("desc").strip(), match.group("total")
    bar = f"100%|{'█' * 10}| {total}/{total}"
    return nbformat.v4.new_output("stream", name="stderr", text=(f"{desc}: {bar}" if desc else bar) + "\n")


def strip_glue(source: str) -> str:
    """The cell without the book's ``glue(...)`` calls and ``glue`` imports.

    They hand numbers to the online page's prose, which the editions already print in the
    text; a student would only wonder what they do. A block left empty keeps a ``pass``.
    """
    if not re.search(r"\bglue\b", source):
        return source
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ConversionError(f"a cell that calls glue(...) is not plain Python: {error}") from None
    lines = source.split("\n")
    edits: dict[int, tuple[int, str | None]] = {}  # first line -> (last line, replacement)

    def indent_of(node: ast.stmt) -> str:
        return " " * node.col_offset

    def is_glue(node: ast.stmt) -> bool:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            return isinstance(node.value.func, ast.Name) and node.value.func.id == "glue"
        return isinstance(node, ast.ImportFrom) and [a.name for a in node.names] == ["glue"]

    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(parent, field, None)
            if not isinstance(body, list) or not body or not isinstance(body[0], ast.stmt):
                continue
            for node in body:
                if is_glue(node):
                    edits[node.lineno - 1] = (node.end_lineno - 1, None)
                elif isinstance(node, ast.ImportFrom) and any(a.name == "glue" for a in node.names):
                    kept = ast.ImportFrom(
                        node.module, [a for a in node.names if a.name != "glue"], node.level
                    )
                    edits[node.lineno - 1] = (node.end_lineno - 1, indent_of(node) + ast.unparse(kept))
            if not isinstance(parent, ast.Module) and all(is_glue(n) for n in body):
                edits[body[0].lineno - 1] = (body[-1].end_lineno - 1, indent_of(body[0]) + "pass")
    for first in sorted(edits, reverse=True):
        last, replacement = edits[first]
        lines[first : last + 1] = [] if replacement is None else [replacement]
    text = "\n".join(lines).strip("\n")
    ast.parse(text)  # still Python
    return text


def hoist_checker_imports(nb: nbformat.NotebookNode) -> tuple[str, int | None]:
    """Take the checker imports out of the chapter's code cells (in place).

    Only cells after the first exercise are touched. Returns one cell's source holding the
    imports, and the index of the code cell it goes before (the first that imported a
    checker), or ``("", None)`` when there are none. A
    student may rewrite an exercise cell from scratch; the next exercise's checker must not
    go with it.
    """
    imports: list[str] = []
    first = None
    exercises = next(
        (i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "{exercise" in c.source),
        len(nb.cells),
    )
    for i, cell in enumerate(nb.cells):
        if i < exercises or cell.cell_type != "code" or "seqmodels.exercises" not in cell.source:
            continue  # a chapter's own imports cell, before the exercises, stays as it is
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines = cell.source.split("\n")
        found = [
            n for n in tree.body if isinstance(n, ast.ImportFrom) and _CHECKER_MODULE.match(n.module or "")
        ]
        for node in found:
            statement = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            if statement not in imports:
                imports.append(statement)
        for node in reversed(found):
            del lines[node.lineno - 1 : node.end_lineno]
        if found:
            first = i if first is None else first
            cell.source = "\n".join(lines).strip("\n")
    if first is None:
        return "", None
    return CHECKERS_COMMENT + "\n" + "\n".join(imports), first


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
