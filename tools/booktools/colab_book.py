"""What the Colab edition needs to know about the whole book, read from its sources.

A chapter's cross references point into other pages, its citations into the bibliography
and its exercise numbers depend on the table of contents. This module reads all of that
once, with the same MyST parser the book uses (myst-parser's markdown-it set-up and the
extensions enabled in ``_config.yml``), and numbers things the way Sphinx does in the
built HTML:

- a page in a ``numbered`` part of ``_toc.yml`` gets the next chapter number (the parts'
  numbering is continuous, as sphinx-multitoc-numbering makes it), its headings ``7``,
  ``7.1``, ``7.1.1``, ...;
- exercises (sphinx-exercise), named figures and labelled equations are numbered per
  page in the order they appear, prefixed by the chapter number: Exercise 7.2, Fig. 7.1,
  (7.3); ``:nonumber:`` exercises get no number and ``:hidden:`` ones are not shown;
- glossary terms get Sphinx's anchors (``term-`` and the term as an id).
"""

from __future__ import annotations

import dataclasses
import pathlib
from collections.abc import Iterator

import nbformat
import yaml
from markdown_it.renderer import RendererHTML
from markdown_it.tree import SyntaxTreeNode
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from pybtex.database import parse_file
from pybtex.plugin import find_plugin
from pybtex.richtext import Text
from sphinx.util.nodes import _make_id

from .config import book_config, online_url
from .paths import ROOT

#: sphinx-exercise's directives: the plain ones and the "gated" pairs that span cells.
EXERCISE_DIRECTIVES = ("exercise", "exercise-start")
SOLUTION_DIRECTIVES = ("solution", "solution-start")
#: Numbered by Sphinx's numfig, with the name its references print.
FIGURE_DIRECTIVES = ("figure", "glue:figure")


class ConversionError(ValueError):
    """The source uses something the Colab edition cannot express; the message says what and where."""


# --------------------------------------------------------------------------- parsing


def make_parser(config: dict):
    """myst-parser's markdown-it parser with the book's extensions (``parse`` in ``_config.yml``)."""
    parse = config.get("parse") or {}
    myst = MdParserConfig(
        enable_extensions=set(parse.get("myst_enable_extensions") or ()),
        dmath_double_inline=bool(parse.get("myst_dmath_double_inline", False)),
        substitutions=dict(parse.get("myst_substitutions") or {}),
    )
    return create_md_parser(myst, RendererHTML)


def parse_markdown(parser, text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(parser.parse(text))


@dataclasses.dataclass
class Directive:
    """A MyST directive taken apart: ``{name} argument``, its options and its body."""

    name: str
    argument: str
    options: dict[str, str]
    body: str


def directive_of(node: SyntaxTreeNode) -> Directive | None:
    """The directive a ``fence`` or ``colon_fence`` node holds, or ``None`` for a code block."""
    if node.type not in ("fence", "colon_fence"):
        return None
    info = node.info.strip()
    if not (info.startswith("{") and "}" in info):
        return None
    name, argument = info[1:].split("}", 1)
    lines = node.content.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":  # a YAML block of options
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise ConversionError(f"{{{name}}}: the YAML options block is not closed by '---'")
        loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
        options = {str(k): "" if v is None else str(v) for k, v in loaded.items()}
        lines = lines[end + 1 :]
    else:
        while lines and lines[0].startswith(":") and ":" in lines[0][1:]:
            key, value = lines.pop(0)[1:].split(":", 1)
            options[key.strip()] = value.strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    return Directive(name.strip(), argument.strip(), options, "\n".join(lines))


def walk(parser, node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """Every node in document order, descending into directive bodies as Sphinx would."""
    for child in node.walk():
        yield child
        directive = directive_of(child)
        if directive is not None and directive.name not in ("code-block", "code", "sourcecode", "raw"):
            yield from walk(parser, parse_markdown(parser, directive.body))


def inline_text(node: SyntaxTreeNode) -> str:
    """The plain text of an inline node (heading titles, glossary terms)."""
    parts = []
    for child in node.walk():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "math_inline":
            parts.append(f"${child.content}$")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


# --------------------------------------------------------------------------- the index


@dataclasses.dataclass
class Target:
    """Something a reference can point at."""

    kind: str  # "section", "exercise", "figure", "equation", "term", "doc"
    docname: str  # "chapters/07_gradients"
    anchor: str | None  # the id in the page's HTML
    title: str  # section title, exercise subtitle, figure caption, term
    number: str | None  # "7.2"; None when unnumbered


@dataclasses.dataclass
class Page:
    docname: str
    path: pathlib.Path
    number: str | None  # the chapter number, None outside the numbered parts
    title: str = ""
    exercises: list[Target] = dataclasses.field(default_factory=list)


class Book:
    """The whole book's pages, labels, numbers, citations, glossary and macros."""

    def __init__(self, root: pathlib.Path = ROOT) -> None:
        self.root = root
        self.config = book_config(root)
        self.online = online_url(self.config)
        self.parser = make_parser(self.config)
        sphinx_config = (self.config.get("sphinx") or {}).get("config") or {}
        self.macros: dict = ((sphinx_config.get("mathjax3_config") or {}).get("tex") or {}).get(
            "macros"
        ) or {}
        self.pages: dict[str, Page] = {}
        for docname, number in self._toc_docs():
            self.pages[docname] = Page(docname, self._source(docname), number)
        self.targets: dict[str, Target] = {}
        self.terms: dict[str, Target] = {}
        self.bibliography: str | None = None  # the page with the {bibliography}
        for page in self.pages.values():
            self._index(page)
        self.citations = self._read_bibliography()

    # ---------------------------------------------------------------- table of contents

    def _toc_docs(self) -> Iterator[tuple[str, str | None]]:
        toc = yaml.safe_load((self.root / "_toc.yml").read_text(encoding="utf-8"))
        yield _docname(toc["root"]), None
        counter = 0

        def entries(items, prefix: str | None) -> Iterator[tuple[str, str | None]]:
            nonlocal counter
            for i, item in enumerate(items or (), start=1):
                if "file" not in item:
                    continue
                if prefix is None:
                    number = None
                elif prefix == "":
                    counter += 1
                    number = str(counter)
                else:
                    number = f"{prefix}.{i}"
                yield _docname(item["file"]), number
                yield from entries(item.get("sections"), number)

        for part in toc.get("parts") or [{"chapters": toc.get("chapters"), "numbered": False}]:
            yield from entries(part.get("chapters"), "" if part.get("numbered") else None)

    def _source(self, docname: str) -> pathlib.Path:
        for suffix in (".ipynb", ".md"):
            path = self.root / f"{docname}{suffix}"
            if path.exists():
                return path
        raise ConversionError(
            f"_toc.yml lists {docname}, but neither {docname}.ipynb nor {docname}.md exists"
        )

    def markdown_of(self, page: Page) -> list[str]:
        """The page's markdown: every markdown cell of a notebook, or the file's text."""
        if page.path.suffix == ".ipynb":
            nb = nbformat.read(page.path, as_version=4)
            return [c.source for c in nb.cells if c.cell_type == "markdown"]
        return [page.path.read_text(encoding="utf-8")]

    # ---------------------------------------------------------------- labels and numbers

    def _add(self, label: str, target: Target) -> None:
        if label in self.targets:
            raise ConversionError(
                f"duplicate label {label!r} in {target.docname} and {self.targets[label].docname}"
            )
        self.targets[label] = target

    def _index(self, page: Page) -> None:
        counts = {"exercise": 0, "figure": 0, "equation": 0}
        sections = SectionCounter(page.number)
        pending: list[str] = []  # (label)= targets waiting for the next heading

        def numbered(kind: str) -> str | None:
            counts[kind] += 1
            return f"{page.number}.{counts[kind]}" if page.number else str(counts[kind])

        for source in self.markdown_of(page):
            for node in walk(self.parser, parse_markdown(self.parser, source)):
                if node.type == "myst_target":
                    pending.append(node.content)
                elif node.type == "heading":
                    level = int(node.tag[1])
                    title = inline_text(node.children[0]) if node.children else ""
                    number = sections.number(level)
                    if level == 1 and not page.title:
                        page.title = title
                    for label in pending:
                        self._add(label, Target("section", page.docname, label, title, number))
                    pending.clear()
                elif node.type == "math_block_label":
                    self._add(
                        node.info,
                        Target("equation", page.docname, f"equation-{node.info}", "", numbered("equation")),
                    )
                elif node.type != "root":
                    for label in pending:  # a target before something else than a heading
                        self._add(label, Target("target", page.docname, label, "", None))
                    pending.clear()
                    self._index_directive(page, directive_of(node), numbered)

    def _index_directive(self, page: Page, directive: Directive | None, numbered) -> None:
        if directive is None:
            return
        name, options = directive.name, directive.options
        if name in EXERCISE_DIRECTIVES:
            if "hidden" in options:
                return
            number = None if "nonumber" in options else numbered("exercise")
            label = options.get("label") or f"{page.docname}-exercise-{len(page.exercises)}"
            target = Target("exercise", page.docname, label, directive.argument, number)
            page.exercises.append(target)
            self._add(label, target)
        elif name in FIGURE_DIRECTIVES or name == "math":
            label = options.get("name") or options.get("label")
            if label:
                kind = "equation" if name == "math" else "figure"
                anchor = f"equation-{label}" if kind == "equation" else label
                self._add(label, Target(kind, page.docname, anchor, "", numbered(kind)))
        elif name == "bibliography":
            self.bibliography = page.docname
        elif name == "glossary":
            for line in directive.body.splitlines():
                if line.strip() and not line[0].isspace():
                    term = line.strip()
                    self.terms[term.lower()] = Target(
                        "term", page.docname, _make_id(f"term-{term}"), term, None
                    )

    # ---------------------------------------------------------------- citations

    def _read_bibliography(self) -> dict[str, dict]:
        """``{key: {"authors", "year", "rank"}}``; ``rank`` is the entry's place on the references
        page (the ``alpha`` style's author-year-title order), which also orders the keys of one
        citation there."""
        entries = {}
        for name in self.config.get("bibtex_bibfiles") or ():
            entries |= dict(parse_file(str(self.root / name), "bibtex").entries.items())
        order = find_plugin("pybtex.style.sorting", "author_year_title")().sort(list(entries.values()))
        citations = {}
        for rank, entry in enumerate(order):
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            citations[entry.key] = {
                "authors": [_latex_text(" ".join(p.prelast_names + p.last_names)) for p in people],
                "year": _latex_text(entry.fields.get("year", "n.d.")),
                "rank": rank,
            }
        return citations

    # ---------------------------------------------------------------- addresses

    def repository_file_url(self, path: str) -> str:
        """A file of the repository, on GitHub."""
        repository = self.config.get("repository") or {}
        return (
            f"{str(repository.get('url', '')).rstrip('/')}/blob/{repository.get('branch') or 'main'}/{path}"
        )

    def url(self, docname: str, anchor: str | None = None) -> str:
        """The online address of a page (and an anchor on it)."""
        return f"{self.online}{docname}.html" + (f"#{anchor}" if anchor else "")

    def page_of(self, path: pathlib.Path) -> Page:
        path = path.resolve()
        for page in self.pages.values():
            if page.path.resolve() == path:
                return page
        raise ConversionError(f"{path.name} is not in _toc.yml")


class SectionCounter:
    """Sphinx's section numbers on a numbered page: ``7``, ``7.1``, ``7.1.1``, ..."""

    def __init__(self, chapter: str | None) -> None:
        self.chapter, self.counts = chapter, []

    def number(self, level: int) -> str | None:
        """The number of the next heading of ``level`` (1 for ``#``); ``None`` on unnumbered pages."""
        if level == 1:
            self.counts = []
            return self.chapter
        depth = level - 1
        del self.counts[depth:]
        self.counts += [0] * (depth - len(self.counts))
        self.counts[depth - 1] += 1
        if self.chapter is None:
            return None
        return ".".join([self.chapter] + [str(n) for n in self.counts])


def _docname(entry: str) -> str:
    return str(pathlib.PurePosixPath(entry).with_suffix("")) if entry.endswith((".md", ".ipynb")) else entry


def _latex_text(value: str) -> str:
    """BibTeX's LaTeX (``{\\"u}``, ``--``, braces) as plain text."""
    return Text.from_latex(value).render_as("text")
