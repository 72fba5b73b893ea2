"""MyST directives: exercises, solutions, admonitions, figures, code blocks.

One part of :class:`~booktools.colab_markdown.ChapterMarkdown`, which keeps the dispatch
and the state (``self.book``, ``self.page``, ``self.glue``, ``self.where``).
"""

from __future__ import annotations

from ..colab_book import (
    EXERCISE_DIRECTIVES,
    FIGURE_DIRECTIVES,
    SOLUTION_DIRECTIVES,
    Directive,
    parse_markdown,
)
from .writing import details, display_math, escape, fence, quote

ADMONITIONS = (
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
)
QUOTES = ("epigraph", "pull-quote", "highlights", "margin", "sidebar", "topic")
CODE_DIRECTIVES = ("code-block", "code", "sourcecode")


class DirectivesMixin:
    # ------------------------------------------------------------------ directives

    def directive(self, d: Directive) -> str | None:
        name = d.name
        if name in EXERCISE_DIRECTIVES:
            return self.exercise(d)
        if name in SOLUTION_DIRECTIVES:
            return self.solution(d)
        if name == "exercise-end":
            return None
        if name == "solution-end":
            raise self.fail("{solution-end} without its {solution-start}")
        if name in ADMONITIONS or name == "admonition":
            title = d.argument if name == "admonition" else name.replace("seealso", "see also").capitalize()
            return self.admonition(title, d)
        if name in ("dropdown", "toggle"):
            return details(self.inline_markdown(d.argument) or "Show", self.convert_body(d.body))
        if name in QUOTES:
            return quote(
                (f"**{self.inline_markdown(d.argument)}**\n\n" if d.argument else "")
                + self.convert_body(d.body)
            )
        if name in CODE_DIRECTIVES:
            return fence(d.body + "\n", d.argument)
        if name == "math":
            label = d.options.get("label") or d.options.get("name")
            return display_math(self.math(d.body), self.target(label, "eq").number if label else None)
        if name in FIGURE_DIRECTIVES or name == "image":
            return self.figure(d)
        if name in ("glue", "glue:", "glue:any", "glue:md", "glue:math"):
            return self.glue_block(name, d.argument)
        if name == "raw":
            return d.body if d.argument.strip() == "html" else None
        if name == "only":
            return self.convert_body(d.body) if "html" in d.argument else None
        if name == "table":
            body = self.convert_body(d.body)
            return (f"*{self.inline_markdown(d.argument)}*\n\n" if d.argument else "") + body
        raise self.fail(f"directive {{{name}}} has no plain-markdown form in the Colab edition")

    def convert_body(self, body: str) -> str:
        return self.blocks(parse_markdown(self.book.parser, body))

    def inline_markdown(self, text: str) -> str:
        """A directive argument (a title) as inline markdown."""
        root = parse_markdown(self.book.parser, text)
        return " ".join(self.inline(p.children[0]) for p in root.children if p.type == "paragraph")

    def exercise(self, d: Directive) -> str | None:
        if "hidden" in d.options:
            return None
        if self.exercises_seen >= len(self.page.exercises):
            raise self.fail("more exercises than the book's index found; is the chapter saved?")
        target = self.page.exercises[self.exercises_seen]
        self.exercises_seen += 1
        title = f"Exercise {target.number}" if target.number else "Exercise"
        subtitle = f" ({self.inline_markdown(d.argument)})" if d.argument else ""
        if "dropdown" in d.options.get("class", "").split():  # an exercise folded online too
            return details(title + subtitle, self.convert_body(d.body))
        return quote(f"**{title}**{subtitle}\n\n" + self.convert_body(d.body))

    def solution(self, d: Directive) -> str | None:
        label = d.argument.strip()
        target = self.book.targets.get(label)
        if target is None or target.kind != "exercise":
            raise self.fail(f"{{{d.name}}} {label!r} names no exercise")
        if not self.solutions:  # the student edition: removed, not folded
            return None
        title = f"Solution to Exercise {target.number}" if target.number else "Solution to Exercise"
        if target.title:
            title += f" ({self.inline_markdown(target.title)})"
        return details(title, self.convert_body(d.body))

    def admonition(self, title: str, d: Directive) -> str:
        body = self.convert_body(d.body)
        if "dropdown" in d.options.get("class", "").split():
            return details(self.inline_markdown(title), body)
        return quote(f"**{self.inline_markdown(title)}**\n\n" + body)

    def figure(self, d: Directive) -> str:
        if d.name == "glue:figure":
            image = self.glue_value(d.argument, inline=False)
        else:
            alt = d.options.get("alt", "")
            src = self.resource_url(d.argument)
            if "width" in d.options or "height" in d.options:
                size = "".join(f' {k}="{d.options[k]}"' for k in ("width", "height") if k in d.options)
                image = f'<img src="{src}" alt="{alt}"{size}>'
            else:
                image = f"![{escape(alt)}]({src})"
        if d.name == "image":
            return image
        label = d.options.get("name")
        number = self.target(label, "numref").number if label else None
        caption = self.convert_body(d.body)
        if number:
            caption = f"*Fig. {number}* " + caption
        return image + ("\n\n" + caption if caption else "")
