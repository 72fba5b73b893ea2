"""Block-level markdown: paragraphs, headings, lists, tables, definition lists.

One part of :class:`~booktools.colab_markdown.ChapterMarkdown`, which keeps the dispatch
and the state (``self.book``, ``self.page``, ``self.glue``, ``self.where``).
"""

from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode

from ..colab_book import (
    directive_of,
)
from .writing import display_math, fence, indent, inner_environment, quote


class BlocksMixin:
    # ------------------------------------------------------------------ blocks

    def blocks(self, node: SyntaxTreeNode, tight: bool = False) -> str:
        parts = [text for child in node.children if (text := self.block(child)) is not None]
        return ("\n" if tight else "\n\n").join(parts)

    def block(self, node: SyntaxTreeNode) -> str | None:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children[0]) if node.children else ""
        if kind == "heading":
            return self.heading(node)
        if kind in ("bullet_list", "ordered_list"):
            return self.listing(node)
        if kind == "blockquote":
            return quote(self.blocks(node))
        if kind in ("fence", "colon_fence"):
            directive = directive_of(node)
            return self.directive(directive) if directive else fence(node.content, node.info.strip())
        if kind == "code_block":
            return fence(node.content, "")
        if kind == "hr":
            return "---"
        if kind == "html_block":
            return node.content.rstrip("\n")
        if kind == "table":
            return self.table(node)
        if kind == "math_block":
            return display_math(self.math(node.content))
        if kind == "math_block_label":
            return display_math(self.math(node.content), self.target(node.info, "eq").number)
        if kind == "amsmath":
            return display_math(self.math(inner_environment(node.content)))
        if kind == "dl":
            return self.definitions(node)
        if kind in ("myst_target", "myst_line_comment", "myst_block_break", "front_matter"):
            return None
        if kind == "substitution_block":
            return self.convert(self.substitution(node.content))
        raise self.fail(f"markdown element {kind!r} has no plain-markdown form in the Colab edition")

    def heading(self, node: SyntaxTreeNode) -> str:
        level = int(node.tag[1])
        title = self.inline(node.children[0]) if node.children else ""
        number = self.sections.number(level)
        return "#" * level + " " + (f"{number}. " if number else "") + title

    def listing(self, node: SyntaxTreeNode) -> str:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        items, tight = [], True
        for i, item in enumerate(node.children):
            marker = f"{start + i}{node.markup or '.'}" if ordered else (node.markup or "-")
            item_tight = all(c.hidden for c in item.children if c.type == "paragraph")
            tight = tight and item_tight
            body = self.blocks(item, tight=item_tight)
            items.append(indent(f"{marker} " + body, len(marker) + 1))
        return ("\n" if tight else "\n\n").join(items)

    def table(self, node: SyntaxTreeNode) -> str:
        rows = []
        for section in node.children:  # thead, tbody
            for tr in section.children:
                cells = [
                    (self.inline(c.children[0]) if c.children else "").replace("\n", " ") for c in tr.children
                ]
                rows.append((cells, [c.attrs.get("style", "") for c in tr.children]))
        header, styles = rows[0]
        rule = []
        for style in styles:
            align = style.replace("text-align:", "").strip()
            rule.append({"left": ":---", "center": ":---:", "right": "---:"}.get(align, "---"))
        lines = [header, rule] + [cells for cells, _ in rows[1:]]
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)

    def definitions(self, node: SyntaxTreeNode) -> str:
        parts = []
        for child in node.children:
            if child.type == "dt":
                parts.append(f"**{self.inline(child.children[0])}**")
            else:
                parts.append(quote(self.blocks(child)))
        return "\n\n".join(parts)
