"""Glued values ({glue:text}, {glue}), math and ``{{ substitutions }}``.

One part of :class:`~booktools.colab_markdown.ChapterMarkdown`, which keeps the dispatch
and the state (``self.book``, ``self.page``, ``self.glue``, ``self.where``).
"""

from __future__ import annotations

import base64

from myst_nb.core.variables import format_plain_text

from .tex import expand_macros
from .writing import display_math, escape, fence, strip_labels, strip_math_delimiters

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


class GlueMixin:
    # ------------------------------------------------------------------ glue

    def glue_data(self, key: str) -> dict:
        if "::" in key:
            raise self.fail(
                f"glue from another page ({key!r}) is not supported; glue the value in this chapter"
            )
        if key not in self.glue:
            raise self.fail(f"glue key {key!r} is not in the chapter's stored outputs (run make refresh)")
        return self.glue[key]

    def glue_inline(self, role: str, content: str) -> str:
        if role == "glue:text":
            key, _, spec = content.rpartition(":") if ":" in content else (content, "", "s")
            data = self.glue_data(key)
            if "text/plain" not in data:
                raise self.fail(f"glue key {key!r} has no text/plain value")
            return escape(format_plain_text(data["text/plain"], spec))
        if role == "glue:md":
            key = content.rsplit(":", 1)[0]
            return self.inline_markdown(self.glue_data(key)["text/markdown"])
        return self.glue_value(content, inline=True)

    def glue_block(self, name: str, key: str) -> str:
        data = self.glue_data(key)
        if name == "glue:md":
            return self.convert_body(data["text/markdown"])
        if name == "glue:math":
            return display_math(self.math(strip_math_delimiters(data["text/latex"])))
        return self.glue_value(key, inline=False)

    def glue_value(self, key: str, inline: bool) -> str:
        data = self.glue_data(key)
        mime = next((m for m in GLUE_PRIORITY if m in data), None)
        value = data.get(mime)
        if mime == "text/html":
            return value if isinstance(value, str) else "".join(value)
        if mime in ("image/png", "image/jpeg"):
            encoded = value if isinstance(value, str) else "".join(value)
            return f"![{escape(key)}](data:{mime};base64,{''.join(encoded.split())})"
        if mime == "image/svg+xml":
            svg = value if isinstance(value, str) else "".join(value)
            return f"![{escape(key)}](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()})"
        if mime == "text/markdown":
            return self.inline_markdown(value) if inline else self.convert_body(value)
        if mime == "text/latex":
            tex = self.math(strip_math_delimiters(value))
            return f"${tex}$" if inline else display_math(tex)
        if mime == "text/plain":
            return escape(value) if inline else fence(value + "\n", "")
        raise self.fail(f"glue key {key!r} holds no format the Colab edition can show")

    # ------------------------------------------------------------------ math and substitutions

    def math(self, tex: str) -> str:
        return expand_macros(strip_labels(tex), self.book.macros)

    def substitution(self, key: str) -> str:
        subs = (self.book.config.get("parse") or {}).get("myst_substitutions") or {}
        key = key.strip()
        if key not in subs:
            raise self.fail(f"substitution {{{{ {key} }}}} is not defined in _config.yml")
        return str(subs[key])
