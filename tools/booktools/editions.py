"""The book's editions, with one entry point: :func:`build` (``python -m booktools colab|student``).

- ``colab``: ``colab/NN_name.ipynb``, each chapter in plain Jupyter markdown with its
  solutions folded (committed; the online book's Colab button opens it; ``make colab``).
- ``student``: ``student/NN_name.ipynb``, the same notebooks with every solution removed,
  not folded: same numbering, same checkers, same bootstrap (generated on demand and
  git-ignored; ``make student``). A course publishes or uploads that folder.

Two more things are built from the same pieces:

- :func:`instructor_source`: a copy of the book's sources with every solution removed, which
  ``make book SOLUTIONS=hidden`` (and ``make site SOLUTIONS=hidden``) builds into
  ``_build/html``, the online book a course can publish without answers. Its Colab buttons
  open the student edition.
- :func:`lab_folder`: the notebooks ``make lab`` opens in JupyterLab: an edition, which plain
  JupyterLab renders as the online book does (the chapters' MyST would show raw).
"""

from __future__ import annotations

import dataclasses
import pathlib
import shutil

import nbformat
import yaml

from .colab import convert
from .colab_book import SOLUTION_DIRECTIVES, Book, ConversionError, directive_of, parse_markdown, walk
from .paths import ROOT, chapter_files


@dataclasses.dataclass(frozen=True)
class Edition:
    """One edition of the chapters: where it is written and whether it keeps the solutions."""

    kind: str
    folder: str
    solutions: bool


EDITIONS = {
    "colab": Edition("colab", "colab", solutions=True),
    "student": Edition("student", "student", solutions=False),
}
#: The folder the instructor's build reads its sources from (and ``make book SOLUTIONS=hidden`` builds).
INSTRUCTOR_SOURCE = ROOT / "_build" / "instructor"
#: The folder ``make lab`` opens (git-ignored): students' own copies, never overwritten.
LAB = ROOT / "lab"


def edition(kind: str) -> Edition:
    """The edition called ``kind`` ("colab" or "student")."""
    if not isinstance(kind, str):
        raise TypeError(
            f"an edition's kind is a string, one of {sorted(EDITIONS)}; got {type(kind).__name__}"
        )
    if kind not in EDITIONS:
        raise ValueError(f"unknown edition {kind!r}: expected one of {sorted(EDITIONS)}")
    return EDITIONS[kind]


def edition_path(chapter: pathlib.Path, kind: str = "colab") -> pathlib.Path:
    """Where a chapter's edition lives: ``<folder>/<same name>.ipynb`` beside ``chapters/``."""
    return chapter.parent.parent / edition(kind).folder / chapter.name


def chapters(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    return chapter_files(root)


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def build(
    kind: str = "colab", book: Book | None = None, folder: pathlib.Path | None = None
) -> list[pathlib.Path]:
    """Write edition ``kind`` of every chapter (into ``folder``, default its own); return what changed.

    Files of chapters that no longer exist are removed (and returned too).
    """
    spec = edition(kind)
    book = book or Book()
    folder = folder or book.root / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters(book.root):
        target = folder / chapter.name
        text = render(convert(chapter, book, solutions=spec.solutions))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    for path in _orphans(book.root, folder):  # a chapter was renamed or removed
        path.unlink()
        written.append(path)
    return written


def stale(kind: str = "colab", book: Book | None = None) -> list[str]:
    """The edition's files that differ from what their chapters convert to now."""
    spec = edition(kind)
    book = book or Book()
    folder = book.root / spec.folder
    out = [
        c.name
        for c in chapters(book.root)
        if not (folder / c.name).exists()
        or (folder / c.name).read_text(encoding="utf-8") != render(convert(c, book, solutions=spec.solutions))
    ]
    return out + [p.name for p in _orphans(book.root, folder)]


def _orphans(root: pathlib.Path, folder: pathlib.Path) -> list[pathlib.Path]:
    names = {c.name for c in chapters(root)}
    return sorted(p for p in folder.glob("*.ipynb") if p.name not in names)


# --------------------------------------------------------------------------- without solutions


def remove_solutions(nb: nbformat.NotebookNode, book: Book) -> int:
    """Remove every solution from a chapter notebook, in place; return how many were removed.

    A ``{solution}`` directive is cut out of its markdown cell; a gated solution
    (``{solution-start}`` ... ``{solution-end}``) goes with every cell between, code cells
    included. A cell left empty is dropped. A solution nested inside another directive
    cannot be cut cleanly and raises :class:`ConversionError`.
    """
    removed, keep, inside_gate = 0, [], False
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            if not inside_gate:
                keep.append(cell)
            continue
        tree = parse_markdown(book.parser, cell.source)
        lines = cell.source.split("\n")
        cut: list[list[int]] = []
        for node in tree.children:
            d = directive_of(node)
            name = d.name if d else None
            if inside_gate or name in ("solution", "solution-start"):
                cut.append(node.map)
                removed += name in ("solution", "solution-start")
                inside_gate = (inside_gate or name == "solution-start") and name != "solution-end"
            elif name == "solution-end":
                raise ConversionError(f"cell {n}: {{solution-end}} without its {{solution-start}}")
        top = sum(1 for node in tree.children if (d := directive_of(node)) and d.name in SOLUTION_DIRECTIVES)
        every = sum(
            1
            for node in walk(book.parser, tree)
            if (d := directive_of(node)) and d.name in SOLUTION_DIRECTIVES
        )
        if every > top:
            raise ConversionError(f"cell {n}: a solution nested inside another directive cannot be removed")
        for first, last in reversed(cut):
            del lines[first:last]
        cell.source = "\n".join(lines).strip("\n")
        if cell.source.strip():
            keep.append(cell)
    if inside_gate:
        raise ConversionError("a {solution-start} has no {solution-end}")
    nb.cells = keep
    return removed


def remove_solutions_from_markdown(text: str, book: Book) -> str:
    """A MyST page (``.md``) without its ``{solution}`` directives."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    remove_solutions(nb, book)
    return nb.cells[0].source + "\n" if nb.cells else ""


def instructor_source(
    dest: pathlib.Path = INSTRUCTOR_SOURCE, stored_outputs: bool = False, book: Book | None = None
) -> int:
    """Write the book's sources without solutions into ``dest``; return how many solutions went.

    ``dest`` gets ``_config.yml``, ``_toc.yml``, ``book/`` and ``chapters/`` (every solution
    removed, outputs as stored) and the student edition in ``student/``, which the built
    pages' Colab buttons open (``sphinx.config.colab_edition_folder``). With
    ``stored_outputs``, the copy's configuration turns execution off (``make site``).
    """
    book = book or Book()
    root = book.root
    if dest.resolve() == root.resolve() or dest.resolve() in root.resolve().parents:
        raise ValueError(
            f"the instructor's sources go in a folder of their own, not {dest}: it is emptied first"
        )
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["exclude_patterns"] = [*config.get("exclude_patterns", []), "student"]
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["colab_edition_folder"] = "student"
    sphinx_config["book_solutions"] = False  # no Sphinx tag "solutions": {only} solutions blocks drop out
    if stored_outputs:
        config.setdefault("execute", {})["execute_notebooks"] = "off"
    (dest / "_config.yml").write_text(
        "# Generated by `python -m booktools instructor`: the book without solutions. Edit ../../_config.yml.\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    shutil.copy2(root / "_toc.yml", dest / "_toc.yml")
    shutil.copytree(
        root / "book", dest / "book", ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    )
    removed = 0
    for page in (dest / "book").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "solution" in text:
            page.write_text(remove_solutions_from_markdown(text, book), encoding="utf-8")
    (dest / "chapters").mkdir()
    for chapter in chapters(root):
        nb = nbformat.read(chapter, as_version=4)
        removed += remove_solutions(nb, book)
        nbformat.write(nb, dest / "chapters" / chapter.name)
    build("student", book, dest / "student")
    return removed


# --------------------------------------------------------------------------- make lab


def lab_folder(
    kind: str = "colab", dest: pathlib.Path = LAB, names: list[str] | None = None, book: Book | None = None
) -> list[pathlib.Path]:
    """Put edition ``kind`` of every chapter (or of those ``names``) into ``dest`` where missing.

    Returns the notebooks written. One already there is the student's own work and is left
    alone (delete it to get a fresh copy).
    """
    spec = edition(kind)
    known = {c.name: c for c in chapters()}
    unknown = sorted(set(names or ()) - set(known))
    if unknown:
        raise ValueError(f"no chapter called {unknown}: expected names among {sorted(known)}")
    dest.mkdir(parents=True, exist_ok=True)
    missing = [
        c for name, c in known.items() if (names is None or name in names) and not (dest / name).exists()
    ]
    if not missing:
        return []
    book = book or Book()
    added = []
    for chapter in missing:
        target = dest / chapter.name
        target.write_text(render(convert(chapter, book, solutions=spec.solutions)), encoding="utf-8")
        added.append(target)
    return added
