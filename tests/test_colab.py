"""The Colab-edition converter (booktools.colab, colab_book, colab_markdown).

Most tests convert a miniature book written to a temporary folder, so that every MyST
construct the chapters use, or are likely to use, is covered whether or not a chapter uses
it today. The last tests check the committed edition of the real chapters.
"""

from __future__ import annotations

import json
import pathlib
import textwrap

import nbformat
import pytest

from booktools import colab, editions, nbtools
from booktools.colab_book import Book, ConversionError
from booktools.colab_markdown import ChapterMarkdown, escape, expand_macros
from booktools.config import online_url

ROOT = pathlib.Path(__file__).resolve().parent.parent

ONLINE = "https://org.github.io/repo/"

CONFIG = """\
title: Mini Book
repository:
  url: https://github.com/org/repo
  branch: main
parse:
  myst_enable_extensions: [amsmath, colon_fence, dollarmath, deflist, substitution]
  myst_substitutions:
    course: Sequence Models 101
bibtex_bibfiles: [refs.bib]
sphinx:
  config:
    mathjax3_config:
      tex:
        macros:
          R: "\\\\mathbb{R}"
          Wxh: "W_{xh}"
          pair: ["\\\\langle #1, #2 \\\\rangle", 2]
"""

TOC = """\
format: jb-book
root: intro
parts:
  - caption: Front
    chapters:
      - file: glossary
  - caption: Chapters
    numbered: true
    chapters:
      - file: chapters/01_first
      - file: chapters/02_second
  - caption: Back
    chapters:
      - file: references
"""

BIB = """\
@article{solo2000,
  title = {One}, author = {Solo, Han}, journal = {J}, year = {2000}
}
@article{duo2001,
  title = {Two}, author = {Duo, Ann and Pair, Bob}, journal = {J}, year = {2001}
}
@article{trio2002,
  title = {Three}, author = {Tr{\\"o}, Cem and Four, Dan and Five, Eve}, journal = {J}, year = {2002}
}
"""

GLOSSARY = """\
# Glossary

```{glossary}
Hidden state
  The memory of a recurrent network.

Backpropagation through time (BPTT)
  Backpropagation through the unrolled network.
```
"""

BOOTSTRAP = "# Bootstrap: installs the package in Colab.\nimport sys"

FIRST = [
    "# First chapter\n\nIt starts here.",
    BOOTSTRAP,
    "(sec-later)=\n## A section with $\\R^n$\n\n$$ y = W x $$ (eq-main)\n\n```{figure} ../images/plot.png\n"
    ":name: fig-plot\n:alt: A plot\n\nThe caption.\n```",
    "```{exercise} Warm-up\n:label: ch01-ex-warm\nAdd one.\n```",
    "```{solution} ch01-ex-warm\n:class: dropdown\nAdd **one**.\n```",
    ":::{exercise}\n:label: ch01-ex-colon\n:nonumber:\nNo number here.\n:::",
    "```{exercise}\n:label: ch01-ex-hidden\n:hidden:\nHidden.\n```",
    "````{exercise}\n:label: ch01-ex-code\nWrite code; see exercise 2.\n````",
    "````{solution} ch01-ex-code\n:class: dropdown\n~~~python\nx = 1\n~~~\nThen $x = 1$.\n````",
]

SECOND = [
    "# Second chapter\n\nBack to {ref}`sec-later` and {ref}`the section <sec-later>`.",
    BOOTSTRAP,
    "## Exercises",
    "```{exercise}\n:label: ch02-ex-one\nUse {numref}`ch01-ex-warm`.\n```",
    "```{solution-start} ch02-ex-one\n:class: dropdown\n```\nFirst the code:",
    "y = 2",
    "```{solution-end}\n```",
]


def code(source: str, **extra) -> dict:
    return {
        "cell_type": "code",
        "source": source,
        "metadata": extra.pop("metadata", {}),
        "outputs": [],
        "execution_count": None,
        **extra,
    }


def write_notebook(path: pathlib.Path, cells: list) -> None:
    nb = nbformat.v4.new_notebook()
    for i, cell in enumerate(cells):
        if isinstance(cell, dict):
            nb.cells.append(nbformat.from_dict({"id": f"c{i}", **cell}))
        elif cell == BOOTSTRAP:
            nb.cells.append(nbformat.v4.new_code_cell(cell, id=f"c{i}", metadata={"tags": ["hide-input"]}))
        elif not cell.startswith(("#", "(", "`", ":")) and "=" in cell:
            nb.cells.append(nbformat.v4.new_code_cell(cell, id=f"c{i}"))
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(cell, id=f"c{i}"))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("mini-book")
    (root / "chapters").mkdir()
    for name, text in [
        ("_config.yml", CONFIG),
        ("_toc.yml", TOC),
        ("refs.bib", BIB),
        ("glossary.md", GLOSSARY),
        ("intro.md", "# Intro\n"),
        ("references.md", "# References\n\n```{bibliography}\n```\n"),
    ]:
        (root / name).write_text(text, encoding="utf-8")
    write_notebook(root / "chapters" / "01_first.ipynb", FIRST)
    write_notebook(root / "chapters" / "02_second.ipynb", SECOND)
    return root


@pytest.fixture(scope="module")
def book(mini) -> Book:
    return Book(mini)


def md(book: Book, source: str, chapter: str = "chapters/02_second", glue: dict | None = None) -> str:
    """One markdown source converted in the context of a chapter of the miniature book."""
    return ChapterMarkdown(book, book.pages[chapter], glue).convert(textwrap.dedent(source))


# --------------------------------------------------------------------------- numbering


def test_chapters_are_numbered_from_the_numbered_part_of_the_toc(book):
    assert book.pages["chapters/01_first"].number == "1"
    assert book.pages["chapters/02_second"].number == "2"
    assert book.pages["glossary"].number is None


def test_exercises_are_numbered_per_chapter_skipping_unnumbered_and_hidden_ones(book):
    exercises = book.pages["chapters/01_first"].exercises
    assert [(e.anchor, e.number) for e in exercises] == [
        ("ch01-ex-warm", "1.1"),
        ("ch01-ex-colon", None),
        ("ch01-ex-code", "1.2"),
    ]
    assert book.targets["ch02-ex-one"].number == "2.1"


def test_exercises_become_quoted_numbered_headings_with_their_subtitle(book):
    nb = colab.convert(book.root / "chapters" / "01_first.ipynb", book)
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "> **Exercise 1.1** (Warm-up)\n>\n> Add one." in text
    assert "> **Exercise**\n>\n> No number here." in text  # :nonumber:, in a colon fence
    assert "Hidden." not in text  # :hidden:
    assert "> **Exercise 1.2**" in text


def test_headings_carry_the_section_numbers_of_the_online_book(book):
    out = md(book, "# Title\n\n## One\n\n### Deeper\n\n## Two")
    assert out.splitlines()[::2] == ["# 2. Title", "## 2.1. One", "### 2.1.1. Deeper", "## 2.2. Two"]


def test_a_plain_exercise_number_in_the_prose_becomes_the_linked_book_number(book):
    nb = colab.convert(book.root / "chapters" / "01_first.ipynb", book)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"see [exercise 1.2]({ONLINE}chapters/01_first.html#ch01-ex-code)." in text
    assert "exercise 9" in md(book, "Compare exercise 9 and chapter 5's exercise 1.")  # not in this chapter


# --------------------------------------------------------------------------- solutions


def test_solutions_fold_into_details_and_keep_their_markdown_math_and_code(book):
    nb = colab.convert(book.root / "chapters" / "01_first.ipynb", book)
    solutions = [c.source for c in nb.cells if c.cell_type == "markdown" and "<details>" in c.source]
    assert solutions[0] == (
        "<details>\n<summary><strong>Solution to Exercise 1.1 (Warm-up)</strong></summary>\n\n"
        "Add **one**.\n\n</details>"
    )
    assert "```python\nx = 1\n```\n\nThen $x = 1$." in solutions[1]  # nested ~~~ fence inside ````


def test_a_gated_solution_spanning_cells_becomes_one_folded_cell(book):
    nb = colab.convert(book.root / "chapters" / "02_second.ipynb", book)
    folded = [c for c in nb.cells if "<details>" in c.source]
    assert len(folded) == 1 and folded[0].cell_type == "markdown"
    assert "Solution to Exercise 2.1" in folded[0].source
    assert "First the code:\n\n```python\ny = 2\n```" in folded[0].source
    assert not any(c.cell_type == "code" and c.source == "y = 2" for c in nb.cells)


def test_dropdown_admonitions_fold_and_other_admonitions_become_titled_quotes(book):
    assert md(book, "```{note}\nRead *this*.\n```") == "> **Note**\n>\n> Read *this*."
    assert md(book, ":::{warning}\nCareful.\n:::") == "> **Warning**\n>\n> Careful."
    assert md(book, "```{tip}\nA tip.\n```").startswith("> **Tip**")
    assert md(book, "```{admonition} Why $\\R$?\nBecause.\n```") == "> **Why $\\mathbb{R}$?**\n>\n> Because."
    folded = md(book, "```{admonition} Details\n:class: dropdown\nHidden text.\n```")
    assert (
        folded.startswith("<details>\n<summary><strong>Details</strong></summary>")
        and "Hidden text." in folded
    )


# --------------------------------------------------------------------------- references


def test_citations_use_the_books_author_year_style_and_link_to_the_references(book):
    ref = f"{ONLINE}references.html#cite-"
    assert md(book, "{cite}`solo2000`") == f"\\[[Solo, 2000]({ref}solo2000)\\]"
    assert md(book, "{cite:p}`trio2002,duo2001`") == (  # in the references page's order
        f"\\[[Duo and Pair, 2001]({ref}duo2001), [Trö *et al.*, 2002]({ref}trio2002)\\]"
    )
    assert md(book, "{cite:t}`trio2002`") == f"Trö *et al.* \\[[2002]({ref}trio2002)\\]"
    assert md(book, "{cite:ps}`trio2002`") == f"\\[[Trö, Four, and Five, 2002]({ref}trio2002)\\]"
    with pytest.raises(ConversionError, match="'nobody' is not in the bibliography"):
        md(book, "{cite}`nobody`")


def test_ref_numref_eq_and_doc_become_links_into_the_online_book(book):
    first = f"{ONLINE}chapters/01_first.html"
    assert md(book, "{ref}`sec-later`") == f"[A section with $\\mathbb{{R}}^n$]({first}#sec-later)"
    assert md(book, "{ref}`that part <sec-later>`") == f"[that part]({first}#sec-later)"
    assert md(book, "{numref}`ch01-ex-code`") == f"[Exercise 1.2]({first}#ch01-ex-code)"
    assert md(book, "{ref}`ch01-ex-warm`") == f"[Exercise 1.1]({first}#ch01-ex-warm)"
    assert md(book, "{numref}`Task %s <ch01-ex-warm>`") == f"[Task 1.1]({first}#ch01-ex-warm)"
    assert md(book, "{numref}`fig-plot`") == f"[Fig. 1.1]({first}#fig-plot)"
    assert md(book, "{eq}`eq-main`") == f"[(1.1)]({first}#equation-eq-main)"
    assert md(book, "{doc}`../glossary`") == f"[Glossary]({ONLINE}glossary.html)"
    assert md(book, "{doc}`the first <01_first>`") == f"[the first]({first})"
    with pytest.raises(ConversionError, match="unknown label 'nowhere'"):
        md(book, "{ref}`nowhere`")


def test_glossary_terms_link_to_sphinx_term_anchors(book):
    assert md(book, "{term}`hidden state`") == f"[hidden state]({ONLINE}glossary.html#term-Hidden-state)"
    assert md(book, "{term}`BPTT <Backpropagation through time (BPTT)>`") == (
        f"[BPTT]({ONLINE}glossary.html#term-Backpropagation-through-time-BPTT)"
    )


def test_links_to_pages_go_online_and_links_to_files_to_the_repository(book):
    assert md(book, "[one](01_first.ipynb)") == f"[one]({ONLINE}chapters/01_first.html)"
    assert md(book, "[here](#top)") == f"[here]({ONLINE}chapters/02_second.html#top)"
    assert md(book, "[code](../code/x.py)") == "[code](https://github.com/org/repo/blob/main/code/x.py)"
    assert md(book, "<https://example.org>") == "<https://example.org>"


# --------------------------------------------------------------------------- figures, math, glue


def test_figures_show_the_online_image_with_their_numbered_caption(book):
    nb = colab.convert(book.root / "chapters" / "01_first.ipynb", book)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"![A plot]({ONLINE}_images/plot.png)\n\n*Fig. 1.1* The caption." in text
    assert (
        md(book, "```{image} pic.png\n:width: 200px\n```")
        == f'<img src="{ONLINE}_images/pic.png" alt="" width="200px">'
    )


def test_labelled_equations_get_their_number_and_labels_are_stripped(book):
    nb = colab.convert(book.root / "chapters" / "01_first.ipynb", book)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "$$\ny = W x \\tag{1.1}\n$$" in text
    assert md(book, "$$\na = b \\label{eq:ab}\n$$") == "$$\na = b\n$$"


def test_amsmath_environments_become_their_inner_forms_inside_display_math(book):
    assert md(book, "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}") == (
        "$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$"
    )
    assert md(book, "\\begin{equation*}\nx \\label{e}\n\\end{equation*}") == "$$\nx\n$$"


def test_book_macros_are_expanded_as_whole_control_words():
    macros = {
        "R": "\\mathbb{R}",
        "Wxh": "W_{xh}",
        "pair": ["\\langle #1, #2 \\rangle", 2],
        "V": "\\mathcal{V}",
    }
    assert (
        expand_macros("x \\in \\R^n, \\Rightarrow \\Wxh x", macros)
        == "x \\in \\mathbb{R}^n, \\Rightarrow W_{xh} x"
    )
    assert expand_macros("\\pair{a}{\\R}", macros) == "\\langle a, \\mathbb{R} \\rangle"
    assert expand_macros("a \\\\R b", macros) == "a \\\\R b"  # a line break, then the letter R
    assert expand_macros("|\\V|", macros) == "|\\mathcal{V}|"


def test_macros_in_inline_and_display_math_and_in_directives(book):
    assert md(book, "$x \\in \\R$") == "$x \\in \\mathbb{R}$"
    assert md(book, "```{note}\n$$\\Wxh$$\n```") == "> **Note**\n>\n> $$\n> W_{xh}\n> $$"


def test_glue_roles_paste_the_stored_value_with_its_format_spec(book):
    glue = {"ch02-loss": {"text/plain": "1.23456"}, "ch02-word": {"text/plain": "'cat'"}}
    assert md(book, "loss {glue:text}`ch02-loss:.2f` nats", glue=glue) == "loss 1.23 nats"
    assert md(book, "the {glue:text}`ch02-word`", glue=glue) == "the cat"
    assert md(book, "raw {glue}`ch02-word`", glue=glue) == "raw 'cat'"
    with pytest.raises(ConversionError, match="'ch02-none' is not in the chapter's stored outputs"):
        md(book, "{glue:text}`ch02-none`", glue=glue)


def test_glue_records_are_read_from_myst_nbs_stored_outputs():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "glue()",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data",
                        data={"application/papermill.record/text/plain": "'0.15'"},
                        metadata={
                            "scrapbook": {"name": "ch02-mse", "mime_prefix": "application/papermill.record/"}
                        },
                    ),
                ],
            )
        ]
    )
    assert colab.glue_records(nb) == {"ch02-mse": {"text/plain": "'0.15'"}}


def test_substitutions_comments_and_targets(book):
    assert md(book, "In {{ course }}.") == "In Sequence Models 101."
    assert md(book, "(a-target)=\n% a comment\nText.\n\n+++\n\nMore.") == "Text.\n\nMore."


# --------------------------------------------------------------------------- plain markdown


@pytest.mark.parametrize(
    "source",
    [
        "The clouds are in the \\_\\_\\_.",
        "Costs \\$5, *really* **bold** and `code with ``ticks`` inside`.",
        "1. one\n2. two\n   - nested\n   - list",
        "- a\n\n  continued\n- b",
        "> quoted *text*\n>\n> again",
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "Line one\\\nline two",
        'A [link](https://example.org "t") and ![img](https://example.org/a.png)',
    ],
)
def test_plain_markdown_survives_the_round_trip(book, source):
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark").enable("table").render
    assert render(md(book, source)) == render(source)


def test_escaping_keeps_text_literal_in_commonmark():
    assert escape("a_b *c* $d$ [e] <f>") == "a\\_b \\*c\\* \\$d\\$ \\[e\\] \\<f>"
    assert escape("1. not a list", at_line_start=True) == "1\\. not a list"
    assert escape("0.01 stays", at_line_start=True) == "0.01 stays"
    assert escape("x\n# not a heading") == "x\n\\# not a heading"


@pytest.mark.parametrize(
    "source, match",
    [
        ("```{tab-set}\nx\n```", "directive {tab-set}"),
        ("{py:func}`f`", "role {py:func}"),
        ("Text[^1].\n\n[^1]: A footnote.", "footnote"),
    ],
)
def test_constructs_without_a_plain_form_fail_loudly(book, source, match):
    with pytest.raises(ConversionError, match=match):
        md(book, source)


# --------------------------------------------------------------------------- notebook cells


def mini_chapter(book: Book, cells: list) -> nbformat.NotebookNode:
    path = book.root / "chapters" / "02_second.ipynb"
    original = path.read_text(encoding="utf-8")
    try:
        write_notebook(path, cells)
        return colab.convert(path, book)
    finally:
        path.write_text(original, encoding="utf-8")


def test_the_first_cell_links_the_online_chapter_then_the_bootstrap_is_a_collapsed_form(book):
    nb = colab.convert(book.root / "chapters" / "01_first.ipynb", book)
    assert f"[read it online]({ONLINE}chapters/01_first.html)" in nb.cells[0].source
    assert f"{colab.LICENCE_LINE} ([licence and citation]({ONLINE}book/license.html))" in nb.cells[0].source
    bootstrap = next(c for c in nb.cells if c.cell_type == "code")
    first_line = bootstrap.source.splitlines()[0]
    assert first_line == f"#@title {colab.BOOTSTRAP_TITLE}"
    assert bootstrap.source.endswith(BOOTSTRAP)
    assert bootstrap.metadata["cellView"] == "form" and bootstrap.metadata["jupyter"] == {
        "source_hidden": True
    }


def test_nbval_markers_and_their_why_lines_are_stripped(book):
    source = (
        "# NBVAL_IGNORE_OUTPUT\n# Why: a live widget\nx = 1\n"
        "# NBVAL_TOLERANCE abs=0.005 pct=1.5\n# Why: trained numbers\nprint(x)  # Why: stays, not a marker"
    )
    nb = mini_chapter(book, ["# T", BOOTSTRAP, code(source)])
    assert nb.cells[-1].source == "x = 1\nprint(x)  # Why: stays, not a marker"
    assert colab.strip_nbval("# NBVAL_SKIP\n# Why: slow\n\ny = 2") == "y = 2"


def test_outputs_keep_text_and_figures_and_drop_widgets_progress_bars_and_glue(book):
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="loss 1.0\n"),
        nbformat.v4.new_output("stream", name="stderr", text="\r 50%|#####     |"),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
        nbformat.v4.new_output(
            "display_data",
            data={colab.WIDGET_MIME: {"model_id": "x"}, "text/plain": "interactive(children=...)"},
        ),
        nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/plain": "1"},
            metadata={"scrapbook": {"name": "k", "mime_prefix": "application/papermill.record/"}},
        ),
    ]
    cell = code(
        "plot()",
        outputs=outputs,
        execution_count=3,
        metadata={"mystnb": {"image": {"alt": "A curve"}}, "lines_to_next_cell": 2},
    )
    nb = mini_chapter(book, ["# T", BOOTSTRAP, cell])
    kept = nb.cells[-1]
    assert [o.output_type for o in kept.outputs] == ["stream", "display_data"]
    assert kept.outputs[1].metadata["image/png"]["alt"] == "A curve"
    assert (
        kept.execution_count == 3
        and "mystnb" not in kept.metadata
        and "lines_to_next_cell" not in kept.metadata
    )


def test_cell_tags_fold_or_drop_what_the_online_page_hides_or_removes(book):
    out = [nbformat.v4.new_output("stream", name="stdout", text="shown\n")]
    nb = mini_chapter(
        book,
        [
            "# T",
            BOOTSTRAP,
            code("draw()", outputs=out, metadata={"tags": ["hide-input"]}),
            code("widget()", outputs=out, metadata={"tags": ["remove-output"]}),
            code("many()", outputs=out, metadata={"tags": ["hide-output"]}),
            {"cell_type": "markdown", "source": "Only online.", "metadata": {"tags": ["remove-cell"]}},
        ],
    )
    hidden, removed, collapsed = nb.cells[-3:]
    assert hidden.metadata["cellView"] == "form" and hidden.source.startswith("#@title ") and hidden.outputs
    assert removed.outputs == [] and removed.execution_count is None and removed.source == "widget()"
    assert collapsed.metadata["jupyter"] == {"outputs_hidden": True} and collapsed.outputs
    assert not any("Only online." in c.source for c in nb.cells)


# --------------------------------------------------------------------------- the online address


@pytest.mark.parametrize(
    "config, expected",
    [
        ({"repository": {"url": "https://github.com/Org/repo"}}, "https://org.github.io/repo/"),
        ({"repository": {"url": "https://github.com/org/repo.git/"}}, "https://org.github.io/repo/"),
        ({"repository": {"url": "https://github.com/org/org.github.io"}}, "https://org.github.io/"),
        (
            {
                "repository": {"url": "https://github.com/org/repo"},
                "html": {"baseurl": "https://book.example.edu/dsm"},
            },
            "https://book.example.edu/dsm/",
        ),
    ],
)
def test_online_address_comes_from_the_repository_unless_baseurl_is_set(config, expected):
    assert online_url(config) == expected


def test_online_address_needs_baseurl_outside_github():
    with pytest.raises(SystemExit, match="html.baseurl"):
        online_url({"repository": {"url": "https://gitlab.com/org/repo"}})


# --------------------------------------------------------------------------- up to date


def test_a_stale_edition_is_detected_and_rebuilt(book):
    editions.build("colab", book)
    assert editions.stale("colab", book) == []
    path = book.root / "chapters" / "02_second.ipynb"
    original = path.read_text(encoding="utf-8")
    try:
        nb = nbformat.read(path, as_version=4)
        nb.cells[0].source += "\n\nA new sentence."
        nbformat.write(nb, path)
        assert editions.stale("colab", book) == ["02_second.ipynb"]
        (book.root / "colab" / "99_gone.ipynb").write_text("{}")
        assert editions.stale("colab", book) == ["02_second.ipynb", "99_gone.ipynb"]
        assert {p.name for p in editions.build("colab", book)} == {"02_second.ipynb", "99_gone.ipynb"}
        assert editions.stale("colab", book) == []
    finally:
        path.write_text(original, encoding="utf-8")
        editions.build("colab", book)


def test_the_committed_colab_edition_is_up_to_date_with_the_chapters():
    assert editions.stale("colab") == [], "the Colab edition is out of date: run make colab"


REAL_EDITION = sorted((ROOT / "colab").glob("*.ipynb"))


@pytest.mark.parametrize("path", REAL_EDITION, ids=lambda p: p.name)
def test_every_committed_edition_starts_with_its_link_then_the_bootstrap_form(path):
    nb = nbformat.read(path, as_version=4)
    online = online_url()
    assert f"({online}chapters/{path.stem}.html)" in nb.cells[0].source
    bootstrap = next(c for c in nb.cells if c.cell_type == "code")
    assert bootstrap.source.splitlines()[0].startswith("#@title Bootstrap")
    assert bootstrap.source.endswith(nbtools.bootstrap_source())
    code_text = json.dumps([c.source for c in nb.cells if c.cell_type == "code"])
    assert "NBVAL_" not in code_text and "# Why:" not in code_text


# --------------------------------------------------------------------------- what a student sees


def test_a_progress_bar_widget_is_stored_as_the_text_it_ends_with(book):
    bar = nbformat.v4.new_output(
        "display_data",
        data={
            colab.WIDGET_MIME: {"model_id": "b"},
            "text/plain": "training LSTM:   0%|          | 0/150 [00:00<?, ?it/s]",
        },
    )
    nb = mini_chapter(book, ["# T", BOOTSTRAP, code("train()", outputs=[bar], execution_count=4)])
    (output,) = nb.cells[-1].outputs
    assert output.output_type == "stream" and output.name == "stderr"
    assert output.text == "training LSTM: 100%|██████████| 150/150\n"
    assert (
        colab.final_progress_bar("  0%|          | 0/20 [00:00<?, ?it/s]").text == "100%|██████████| 20/20\n"
    )
    assert colab.final_progress_bar("HBox(children=(FloatProgress(value=0.0),))") is None


def test_glue_calls_and_the_glue_import_are_stripped_and_blocks_stay_python():
    source = (
        "from seqmodels.notebook import claim, glue\n"
        "from seqmodels.notebook import glue\n"
        "x = 3\n"
        'glue("k-x", f"{x}")\n'
        "for n in (1, 2):\n"
        '    glue(f"k-{n}",\n'
        "         n)\n"
        "print(x)  # glue stays in comments"
    )
    assert colab.strip_glue(source) == (
        "from seqmodels.notebook import claim\nx = 3\nfor n in (1, 2):\n    pass\nprint(x)  # glue stays in comments"
    )
    assert colab.strip_glue("y = 1") == "y = 1"
    with pytest.raises(ConversionError, match="not plain Python"):
        colab.strip_glue('%time glue("k", 1)')


def test_a_cell_that_only_glued_is_left_out(book):
    nb = mini_chapter(
        book, ["# T", BOOTSTRAP, code('glue("k", 1)', metadata={"tags": ["remove-cell"]}), code("x = 1")]
    )
    assert [c.source for c in nb.cells if c.cell_type == "code"][1:] == ["x = 1"]


def test_checker_imports_move_out_of_the_exercise_cells_into_one_cell_before_them(book):
    cells = [
        "# T",
        BOOTSTRAP,
        code("from seqmodels.exercises.ch02 import check_early\nearly = 1"),
        "```{exercise}\n:label: ch02-ex-a\nDo it.\n```",
        code(
            "from seqmodels.exercises.ch02 import check_a, helper\n\ndef mine():\n    pass\n\ncheck_a(mine)"
        ),
        code("from seqmodels.exercises.ch02 import check_b\ncheck_b(mine)"),
    ]
    nb = mini_chapter(book, cells)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert (
        code_cells[1].source == "from seqmodels.exercises.ch02 import check_early\nearly = 1"
    )  # before the exercises
    assert code_cells[2].id == colab.CHECKERS_CELL_ID
    assert code_cells[2].source == (
        colab.CHECKERS_COMMENT
        + "\nfrom seqmodels.exercises.ch02 import check_a, helper\nfrom seqmodels.exercises.ch02 import check_b"
    )
    assert code_cells[3].source == "def mine():\n    pass\n\ncheck_a(mine)"
    assert code_cells[4].source == "check_b(mine)"


def test_the_student_edition_leaves_solutions_out_and_says_so(book):
    chapter = book.root / "chapters" / "01_first.ipynb"
    full, student = colab.convert(chapter, book), colab.convert(chapter, book, solutions=False)
    assert "<details>" in "".join(c.source for c in full.cells)
    assert "Solution to Exercise" not in "".join(c.source for c in student.cells)
    assert "This edition has no solutions" in student.cells[0].source
    assert colab.LICENCE_LINE in student.cells[0].source


def test_the_student_edition_drops_a_gated_solution_with_its_code_cells(book):
    nb = colab.convert(book.root / "chapters" / "02_second.ipynb", book, solutions=False)
    text = "".join(c.source for c in nb.cells)
    assert "Exercise 2.1" in text
    assert "First the code" not in text and "y = 2" not in text and "<details>" not in text
