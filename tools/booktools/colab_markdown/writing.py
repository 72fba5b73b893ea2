"""Writing plain markdown: escaping, code spans and fences, quotes, folded details, display math."""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"([\\`*_\[\]<$~|])")
_BLOCK_STARTS = [
    (re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|=+\s*$)"), r"\1\\\2"),  # heading, quote, item, rule
    (re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)"), r"\1\\\2"),  # an ordered item
]


def escape(text: str, at_line_start: bool = False) -> str:
    """Plain text as markdown that shows exactly this text (no emphasis, links or math)."""
    text = _ESCAPE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i > 0 or at_line_start:
            for pattern, repl in _BLOCK_STARTS:
                line = pattern.sub(repl, line)
            lines[i] = line
    return "\n".join(lines)


def code_span(content: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * (longest + 1)
    pad = (
        " "
        if content.startswith("`")
        or content.endswith("`")
        or (content.startswith(" ") and content.endswith(" ") and content.strip())
        else ""
    )
    return f"{ticks}{pad}{content}{pad}{ticks}"


def fence(content: str, info: str) -> str:
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", content, flags=re.MULTILINE)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{content.rstrip(chr(10))}\n{ticks}"


def indent(text: str, width: int) -> str:
    """Indent every line after the first by ``width`` spaces (a list item's continuation)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [(" " * width + line) if line.strip() else "" for line in rest])


def quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def details(summary: str, body: str) -> str:
    """A folded block; the blank lines make Jupyter, Colab and GitHub render the markdown inside."""
    return f"<details>\n<summary><strong>{summary}</strong></summary>\n\n{body}\n\n</details>"


def display_math(tex: str, number: str | None = None) -> str:
    tex = tex.strip()
    return f"$$\n{tex}" + (f" \\tag{{{number}}}" if number else "") + "\n$$"


#: amsmath's top-level environments, and what says the same inside ``$$ ... $$``.
_INNER = {
    "equation": None,
    "align": "aligned",
    "gather": "gathered",
    "multline": "gathered",
    "alignat": "alignedat",
    "flalign": "aligned",
    "split": "split",
}


def inner_environment(tex: str) -> str:
    """``\\begin{align}...`` as the environment display math may contain (``aligned``, ...).

    Colab's MathJax rejects a top-level environment nested in ``$$``; the book numbers none
    of them, so nothing is lost.
    """
    match = re.fullmatch(r"\s*\\begin\{(\w+)(\*?)\}(.*)\\end\{\1\2\}\s*", tex, flags=re.DOTALL)
    if not match or match.group(1) not in _INNER:
        return tex
    name, body = _INNER[match.group(1)], match.group(3)
    return body.strip() if name is None else f"\\begin{{{name}}}{body}\\end{{{name}}}"


def strip_labels(tex: str) -> str:
    """``\\label{...}`` is for the book's numbering; Colab's MathJax would only trip over it."""
    return re.sub(r"\\label\{[^{}]*\}", "", tex)


def strip_math_delimiters(tex: str) -> str:
    tex = tex.strip()
    for left, right in (("$$", "$$"), ("$", "$"), ("\\[", "\\]"), ("\\(", "\\)")):
        if tex.startswith(left) and tex.endswith(right) and len(tex) >= len(left) + len(right):
            return tex[len(left) : len(tex) - len(right)]
    return tex
