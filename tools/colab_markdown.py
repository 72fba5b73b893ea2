"""MyST markdown -> plain Jupyter markdown, for the Colab edition.

Colab, JupyterLab, VS Code and GitHub render CommonMark with a little HTML and ``$`` math,
and nothing of MyST. This renderer walks the syntax tree that myst-parser's own parser
makes of a markdown cell and writes it back as markdown they all understand:

- ``{exercise}`` -> a quote headed **Exercise 7.2**, numbered as the online book numbers it;
- ``{solution}`` -> ``<details><summary>Solution to Exercise 7.2</summary> ... </details>``,
  folded, with the markdown, math and code inside still rendered;
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

import base64
import posixpath
import re
import urllib.parse

from docutils.nodes import make_id
from markdown_it.tree import SyntaxTreeNode
from myst_nb.core.variables import format_plain_text

from colab_book import (
    EXERCISE_DIRECTIVES,
    FIGURE_DIRECTIVES,
    SOLUTION_DIRECTIVES,
    Book,
    ConversionError,
    Directive,
    Page,
    SectionCounter,
    Target,
    directive_of,
    parse_markdown,
)

ADMONITIONS = ("note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso")
QUOTES = ("epigraph", "pull-quote", "highlights", "margin", "sidebar", "topic")
CODE_DIRECTIVES = ("code-block", "code", "sourcecode")
NUMREF_FORMAT = {"figure": "Fig. %s", "exercise": "Exercise %s", "section": "Section %s", "equation": "(%s)"}
#: myst-nb's order of preference among a glued value's formats, for the HTML build.
GLUE_PRIORITY = ("text/html", "image/png", "image/jpeg", "image/svg+xml", "text/markdown", "text/latex", "text/plain")
_ESCAPE = re.compile(r"([\\`*_\[\]<$~|])")
#: "exercise 3" in a chapter's prose, but not "exercise 3 of chapter 5" or "chapter 5's exercise 3".
_EXERCISE_IN_PROSE = re.compile(r"(?<!'s )\b([Ee]xercise) (\d+)\b(?!\.\d)(?! (?:of|in) (?:chapter|the))")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", flags=re.DOTALL)


class ChapterMarkdown:
    """Converts the markdown cells of one chapter, in order (exercises are counted as they come)."""

    def __init__(self, book: Book, page: Page, glue: dict[str, dict] | None = None) -> None:
        self.book, self.page, self.glue = book, page, glue or {}
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
                cells = [(self.inline(c.children[0]) if c.children else "").replace("\n", " ") for c in tr.children]
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
            return quote((f"**{self.inline_markdown(d.argument)}**\n\n" if d.argument else "") + self.convert_body(d.body))
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

    def solution(self, d: Directive) -> str:
        label = d.argument.strip()
        target = self.book.targets.get(label)
        if target is None or target.kind != "exercise":
            raise self.fail(f"{{{d.name}}} {label!r} names no exercise")
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
                names = ", ".join(authors[:-1]) + (", and " if len(authors) > 2 else " and ") + authors[-1] \
                    if len(authors) > 1 else "".join(authors)
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
                raise self.fail(f"citation role {{cite:{style}}} has no plain-markdown form in the Colab edition")
        joined = ", ".join(entries)
        return f"\\[{joined}\\]" if style in ("p", "ps") else joined

    def reference(self, role: str, content: str) -> str:
        explicit = _EXPLICIT.match(content)
        text, label = (explicit.group(1), explicit.group(2)) if explicit else (None, content.strip())
        if role == "doc":
            docname = label.lstrip("/") if label.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(self.page.docname), label))
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

    # ------------------------------------------------------------------ glue

    def glue_data(self, key: str) -> dict:
        if "::" in key:
            raise self.fail(f"glue from another page ({key!r}) is not supported; glue the value in this chapter")
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


# --------------------------------------------------------------------------- writing markdown


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
    pad = " " if content.startswith("`") or content.endswith("`") or (
        content.startswith(" ") and content.endswith(" ") and content.strip()) else ""
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
_INNER = {"equation": None, "align": "aligned", "gather": "gathered", "multline": "gathered",
          "alignat": "alignedat", "flalign": "aligned", "split": "split"}


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


def expand_macros(tex: str, macros: dict, depth: int = 0) -> str:
    """Replace the book's macros (``_config.yml``'s MathJax ``macros``) by their definitions.

    TeX reads ``\\Rightarrow`` as one control word, so only whole control words are
    replaced; ``\\\\`` (a line break) is skipped. A macro defined as ``[body, n]`` takes
    ``n`` arguments, written ``{...}`` or as single tokens.
    """
    if depth > 20:
        raise ConversionError(f"macro expansion does not terminate in {tex!r}")
    out, i, changed = [], 0, False
    while i < len(tex):
        if tex[i] != "\\":
            out.append(tex[i])
            i += 1
            continue
        match = re.match(r"\\([A-Za-z]+)", tex[i:])
        if not match:
            out.append(tex[i : i + 2])
            i += 2
            continue
        name, i = match.group(1), i + len(match.group(0))
        if name not in macros:
            out.append(match.group(0))
            continue
        definition = macros[name]
        body, nargs = (definition[0], int(definition[1])) if isinstance(definition, list) else (definition, 0)
        for n in range(1, nargs + 1):
            arg, i = _tex_argument(tex, i)
            body = body.replace(f"#{n}", arg)
        out.append(body)
        changed = True
    result = "".join(out)
    return expand_macros(result, macros, depth + 1) if changed else result


def _tex_argument(tex: str, i: int) -> tuple[str, int]:
    while i < len(tex) and tex[i].isspace():
        i += 1
    if i >= len(tex):
        raise ConversionError(f"a macro's argument is missing in {tex!r}")
    if tex[i] == "{":
        depth = 0
        for j in range(i, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1 : j], j + 1
        raise ConversionError(f"unbalanced braces in {tex!r}")
    match = re.match(r"\\[A-Za-z]+|\\.|.", tex[i:], flags=re.DOTALL)
    return match.group(0), i + len(match.group(0))
