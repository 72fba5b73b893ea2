"""MyST markdown -> plain Jupyter markdown, for the Colab edition.

Colab, JupyterLab, VS Code and GitHub render CommonMark with a little HTML and ``$`` math,
and nothing of MyST. This renderer walks the syntax tree that myst-parser's own parser
makes of a markdown cell and writes it back as markdown they all understand:

- ``{exercise}`` -> a quote headed **Exercise 7.2**, numbered as the online book numbers it;
- ``{solution}`` -> ``<details><summary>Solution to Exercise 7.2</summary> ... </details>``,
  folded, with the markdown, math and code inside still rendered (left out entirely for
  the student edition, ``solutions=False``);
- ``{cite}`` -> "[Pascanu *et al.*, 2013]" linked to the online references page, in the
  book's author-year style; ``{ref}``, ``{numref}``, ``{doc}``, ``{eq}``, ``{term}`` ->
  text linked to the page and anchor of the online book;
- admonitions -> quotes with a bold title (folded when their class is ``dropdown``);
  ``{figure}``/``{image}`` -> the image from the online book, with its numbered caption;
- ``{glue:text}``/``{glue}`` -> the value the chapter's stored outputs hold for the key;
- the book's MathJax macros (``\\R``, ``\\Wxh``, ...) expanded inside every formula,
  because Colab typesets each cell on its own and cannot share definitions;
- headings numbered as online (``## 7.1. Many factors``); comments and targets dropped.

Anything it cannot express raises :class:`ConversionError` naming the construct, so a new
construct in a chapter fails ``make colab`` loudly instead of leaking raw MyST.
"""

from __future__ import annotations

from ..colab_book import Book, ConversionError, Page, SectionCounter, parse_markdown
from .blocks import BlocksMixin
from .directives import DirectivesMixin
from .glue import GlueMixin
from .inline import InlineMixin
from .roles import RolesMixin
from .tex import expand_macros
from .writing import code_span, details, display_math, escape, fence, indent, quote, strip_labels

__all__ = [
    "ChapterMarkdown",
    "code_span",
    "details",
    "display_math",
    "escape",
    "expand_macros",
    "fence",
    "indent",
    "quote",
    "strip_labels",
]


class ChapterMarkdown(BlocksMixin, DirectivesMixin, InlineMixin, RolesMixin, GlueMixin):
    """Converts the markdown cells of one chapter, in order (exercises are counted as they come).

    The conversion is split by kind of markup: blocks (``blocks.py``), directives
    (``directives.py``), inline markup (``inline.py``), roles (``roles.py``), and glue, math and
    substitutions (``glue.py``);
    this class holds the state they share and the entry point.
    """

    def __init__(
        self, book: Book, page: Page, glue: dict[str, dict] | None = None, solutions: bool = True
    ) -> None:
        self.book, self.page, self.glue = book, page, glue or {}
        self.solutions = solutions  # False: the student edition leaves every solution out
        self.exercises_seen = 0
        self.sections = SectionCounter(page.number)
        self.where = page.path.name

    # ------------------------------------------------------------------ entry points

    def convert(self, source: str, where: str | None = None) -> str:
        """One markdown cell's source as plain markdown."""
        if where:
            self.where = f"{self.page.path.name}, {where}"
        return self.blocks(parse_markdown(self.book.parser, source))

    def fail(self, message: str) -> ConversionError:
        return ConversionError(f"{self.where}: {message}")
