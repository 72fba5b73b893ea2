"""Inline markdown: text, emphasis, code spans, links and images.

One part of :class:`~booktools.colab_markdown.ChapterMarkdown`, which keeps the dispatch
and the state (``self.book``, ``self.page``, ``self.glue``, ``self.where``).
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse

from markdown_it.tree import SyntaxTreeNode

from .writing import code_span, escape

#: "exercise 3" in a chapter's prose, but not "exercise 3 of chapter 5" or "chapter 5's exercise 3".
_EXERCISE_IN_PROSE = re.compile(r"(?<!'s )\b([Ee]xercise) (\d+)\b(?!\.\d)(?! (?:of|in) (?:chapter|the))")


class InlineMixin:
    # ------------------------------------------------------------------ inline

    def inline(self, node: SyntaxTreeNode) -> str:
        out: list[str] = []
        for child in node.children:
            at_line_start = not out or out[-1].endswith("\n")
            out.append(self.inline_node(child, at_line_start))
        return "".join(out)

    def inline_node(self, node: SyntaxTreeNode, at_line_start: bool = False) -> str:
        kind = node.type
        if kind == "text":
            return self.text(node.content, at_line_start)
        if kind == "softbreak":
            return "\n"
        if kind == "hardbreak":
            return "\\\n"
        if kind == "code_inline":
            return code_span(node.content)
        if kind in ("em", "strong", "s"):
            mark = {"em": "*", "strong": "**", "s": "~~"}[kind]
            return mark + self.inline(node) + mark
        if kind == "link":
            return self.link(node)
        if kind == "image":
            alt = "".join(c.content for c in node.walk() if c.type == "text")
            return f"![{escape(alt)}]({self.resource_url(node.attrs['src'])})"
        if kind == "html_inline":
            return node.content
        if kind == "math_inline":
            return f"${self.math(node.content)}$"
        if kind == "math_inline_double":
            return f"$${self.math(node.content)}$$"
        if kind == "myst_role":
            return self.role(node.meta["name"], node.content)
        if kind == "substitution_inline":
            return self.inline_markdown(self.substitution(node.content))
        raise self.fail(f"inline markdown {kind!r} has no plain-markdown form in the Colab edition")

    def text(self, content: str, at_line_start: bool) -> str:
        """Escaped text, where "exercise 3" (this chapter's third) becomes a linked "exercise 7.3"."""
        out, last = [], 0
        for match in _EXERCISE_IN_PROSE.finditer(content):
            index = int(match.group(2)) - 1
            numbered = [e for e in self.page.exercises if e.number]
            if not (0 <= index < len(numbered)) or not self.page.number:
                continue
            target = numbered[index]
            out.append(escape(content[last : match.start()], at_line_start and last == 0))
            out.append(f"[{match.group(1)} {target.number}]({self.book.url(target.docname, target.anchor)})")
            last = match.end()
        out.append(escape(content[last:], at_line_start and last == 0))
        return "".join(out)

    def link(self, node: SyntaxTreeNode) -> str:
        text = self.inline(node)
        href = str(node.attrs.get("href", ""))
        if node.markup == "autolink":
            return f"<{href}>"
        title = node.attrs.get("title")
        title = ' "' + str(title).replace('"', '\\"') + '"' if title else ""
        return f"[{text}]({self.link_url(href)}{title})"

    def link_url(self, href: str) -> str:
        """Links into the book go to the online book; links to other files to the repository."""
        url = urllib.parse.urlsplit(href)
        if url.scheme or href.startswith("//"):
            return href
        if not url.path:  # an anchor on this page
            return self.book.url(self.page.docname, url.fragment or None)
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(self.page.docname), url.path))
        stem, suffix = posixpath.splitext(docname)
        if suffix in (".md", ".ipynb", "") and stem in self.book.pages:
            return self.book.url(stem, url.fragment or None)
        return self.book.repository_file_url(docname)

    def resource_url(self, src: str) -> str:
        """An image: from the online book, where Sphinx copies it into ``_images/``."""
        if urllib.parse.urlsplit(src).scheme or src.startswith(("//", "data:")):
            return src
        return f"{self.book.online}_images/{posixpath.basename(src)}"
