"""The functions the book shows (``seqmodels.notebook.SHOWN``) stay lesson-sized.

Each is at most 25 lines without its docstring and contains no ``raise``: input checks
belong in :mod:`seqmodels.validation`, called with one line, so that what a reader studies
is the idea and nothing else.
"""

from __future__ import annotations

import ast
import inspect
import pathlib
import re
import textwrap

import nbformat
import pytest

from seqmodels.notebook import SHOWN, resolve

MAX_LINES = 25

#: Entries another change adds; skipped only while they do not exist yet.
NOT_YET: set[str] = set()


def _definition(name: str) -> ast.FunctionDef:
    try:
        obj = resolve(name)
    except ValueError:
        if name in NOT_YET:
            pytest.skip(f"{name} is not written yet")
        raise
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(obj))))
    (node,) = tree.body
    assert isinstance(node, ast.FunctionDef), f"{name} is not a function"
    return node


def lines_without_docstring(node: ast.FunctionDef) -> int:
    """Lines of the definition, decorators and signature included, less its docstring's."""
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    lines = node.end_lineno - first + 1
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        lines -= body[0].end_lineno - body[0].lineno + 1
    return lines


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_each_shown_function_is_at_most_25_lines_without_its_docstring(name):
    assert lines_without_docstring(_definition(name)) <= MAX_LINES


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_no_shown_function_raises(name):
    raises = [n.lineno for n in ast.walk(_definition(name)) if isinstance(n, ast.Raise)]
    assert not raises, (
        f"{name} raises on line(s) {raises} of its source; move the check to seqmodels.validation"
    )


def test_the_line_count_leaves_out_the_docstring_only():
    source = '''
@decorator
def f(x):
    """One line.

    Two more.
    """
    y = x + 1
    return y
'''
    (node,) = ast.parse(source).body
    assert lines_without_docstring(node) == 4  # decorator, def, two lines of body


def test_every_shown_function_names_a_chapter():
    assert all(chapter[:2].isdigit() and "_" in chapter for chapter in SHOWN.values())


CHAPTERS = pathlib.Path(__file__).resolve().parent.parent / "chapters"


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_the_chapter_registered_for_a_function_shows_it_and_stores_the_source(name):
    """``show_source(Class.method)`` or ``show_source(function)`` in a code cell of that chapter,
    whose stored output is the function's current source (so a changed function needs a refresh)."""
    from seqmodels.notebook import show_source

    nb = nbformat.read(CHAPTERS / f"{SHOWN[name]}.ipynb", as_version=4)
    shown = ".".join(name.split(".")[-2:]) if name.split(".")[-2][:1].isupper() else name.split(".")[-1]
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and re.search(rf"show_source\({re.escape(shown)}\)", c.source)
    ]
    assert len(cells) == 1, f"chapter {SHOWN[name]} should show {shown} once with show_source({shown})"
    (output,) = cells[0].outputs
    stored, current = output["data"]["text/plain"], show_source(name).data
    assert stored.rstrip("\n") == current.rstrip("\n"), f"run make refresh for {SHOWN[name]}"


def test_every_show_source_call_in_a_chapter_is_registered():
    registered = {
        (chapter, ".".join(n.split(".")[-2:]) if n.split(".")[-2][:1].isupper() else n.split(".")[-1])
        for n, chapter in SHOWN.items()
    }
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for shown in re.findall(
                r"show_source\(([\w.]+)\)", cell.source if cell.cell_type == "code" else ""
            ):
                assert (path.stem, shown) in registered, (
                    f"{path.name} shows {shown}, not in seqmodels.notebook.SHOWN"
                )
