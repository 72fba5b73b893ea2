"""MyST roles: cite, ref, numref, doc, eq, term.

One part of :class:`~booktools.colab_markdown.ChapterMarkdown`, which keeps the dispatch
and the state (``self.book``, ``self.page``, ``self.glue``, ``self.where``).
"""

from __future__ import annotations

import posixpath
import re

from docutils.nodes import make_id

from ..colab_book import (
    Target,
)
from .writing import code_span, escape

NUMREF_FORMAT = {"figure": "Fig. %s", "exercise": "Exercise %s", "section": "Section %s", "equation": "(%s)"}
#: myst-nb's order of preference among a glued value's formats, for the HTML build.
GLUE_PRIORITY = (
    "text/html",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "text/markdown",
    "text/latex",
    "text/plain",
)
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", flags=re.DOTALL)


class RolesMixin:
    # ------------------------------------------------------------------ roles

    def role(self, name: str, content: str) -> str:
        if name == "cite" or name.startswith("cite:"):
            return self.cite(name.partition(":")[2] or "p", content)
        if name in ("ref", "numref", "eq", "doc", "term", "any"):
            return self.reference(name, content)
        if name in ("glue", "glue:", "glue:any", "glue:text", "glue:md"):
            return self.glue_inline(name, content)
        if name == "math":
            return f"${self.math(content)}$"
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{content}</{name}>"
        if name == "abbr":
            match = re.match(r"^(.*?)\s*\((.*)\)$", content, flags=re.DOTALL)
            return f'<abbr title="{match.group(2)}">{match.group(1)}</abbr>' if match else content
        if name in ("code", "samp", "file", "command", "program", "literal"):
            return code_span(content)
        if name in ("emphasis", "strong"):
            mark = "*" if name == "emphasis" else "**"
            return mark + escape(content) + mark
        raise self.fail(f"role {{{name}}} has no plain-markdown form in the Colab edition")

    def cite(self, style: str, content: str) -> str:
        """The author-year citation sphinxcontrib-bibtex prints, each entry linked to the references page."""
        keys = [k.strip() for k in content.split(",") if k.strip()]
        if self.book.bibliography is None:
            raise self.fail("the book has no {bibliography} page for citations to link to")
        missing = [key for key in keys if key not in self.book.citations]
        if missing:
            raise self.fail(f"citation key {missing[0]!r} is not in the bibliography")
        entries = []
        for key in sorted(keys, key=lambda k: self.book.citations[k]["rank"]):  # as sphinxcontrib-bibtex does
            entry = self.book.citations[key]
            authors = entry["authors"]
            if style.endswith("s"):  # the full author list
                names = (
                    ", ".join(authors[:-1]) + (", and " if len(authors) > 2 else " and ") + authors[-1]
                    if len(authors) > 1
                    else "".join(authors)
                )
            else:
                names = authors[0] + " *et al.*" if len(authors) > 2 else " and ".join(authors)
            url = self.book.url(self.book.bibliography, make_id(f"cite-{key}"))
            year = entry["year"]
            if style in ("p", "ps"):
                entries.append(f"[{names}, {year}]({url})")
            elif style in ("t", "ts"):
                entries.append(f"{names} \\[[{year}]({url})\\]")  # only the year is a link, as online
            elif style in ("author", "authors"):
                entries.append(f"[{names}]({url})")
            elif style == "year":
                entries.append(f"[{year}]({url})")
            else:
                raise self.fail(
                    f"citation role {{cite:{style}}} has no plain-markdown form in the Colab edition"
                )
        joined = ", ".join(entries)
        return f"\\[{joined}\\]" if style in ("p", "ps") else joined

    def reference(self, role: str, content: str) -> str:
        explicit = _EXPLICIT.match(content)
        text, label = (explicit.group(1), explicit.group(2)) if explicit else (None, content.strip())
        if role == "doc":
            docname = (
                label.lstrip("/")
                if label.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(self.page.docname), label))
            )
            docname = posixpath.splitext(docname)[0] if docname.endswith((".md", ".ipynb")) else docname
            page = self.book.pages.get(docname)
            if page is None:
                raise self.fail(f"{{doc}} {label!r} is no page of the book")
            return f"[{text or self.inline_markdown(page.title)}]({self.book.url(docname)})"
        if role == "term":
            target = self.book.terms.get(label.lower())
            if target is None:
                raise self.fail(f"{{term}} {label!r} is not in the glossary")
            return f"[{escape(text or label)}]({self.book.url(target.docname, target.anchor)})"
        target = self.target(label, role)
        if role == "eq":
            shown = text or f"({target.number})"
        elif role == "numref":
            number = target.number or ""
            if text:
                shown = text.replace("%s", number).replace("{number}", number).replace("{name}", target.title)
            else:
                shown = NUMREF_FORMAT.get(target.kind, "%s") % number
        elif text:
            shown = text
        elif target.kind == "exercise":
            shown = f"Exercise {target.number}" if target.number else "Exercise"
        elif target.kind == "section":
            shown = self.inline_markdown(target.title)
        else:
            raise self.fail(f"{{{role}}} to {label!r} needs an explicit text: {{{role}}}`text <{label}>`")
        return f"[{shown}]({self.book.url(target.docname, target.anchor)})"

    def target(self, label: str, role: str) -> Target:
        target = self.book.targets.get(label)
        if target is None:
            raise self.fail(f"{{{role}}} to unknown label {label!r}")
        return target
