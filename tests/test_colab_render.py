"""The Colab edition as plain Jupyter shows it: nbconvert's HTML, no MyST anywhere.

nbconvert renders markdown cells the way Jupyter does (CommonMark, raw HTML, ``$`` math
left to MathJax), so whatever MyST survived the conversion would show here as literal text.
The last test opens chapter 7's exercises in headless Chromium, with MathJax, and saves
screenshots to ``_build/screenshots/`` (folded, then with the first solution open).
"""

from __future__ import annotations

import functools
import http.server
import pathlib
import re
import threading

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from booktools import editions
from booktools.colab_book import Book, directive_of, parse_markdown

ROOT = pathlib.Path(__file__).resolve().parent.parent

EDITION = sorted((ROOT / "colab").glob("*.ipynb"))
SCREENSHOTS = ROOT / "_build" / "screenshots"
RAW_MYST = [
    "```{",
    "~~~{",
    ":::",
    "{cite",
    "{numref}",
    "{ref}",
    "{doc}",
    "{eq}",
    "{term}",
    "{glue",
    ":label:",
    ":class:",
    "{exercise",
    "{solution",
    "{note}",
    "{admonition}",
    "{figure}",
]
#: MathJax 3 from sphinx-mathjax-offline, the copy the book itself serves offline.
MATHJAX_DIR = next(
    (ROOT / ".venv" / "lib").glob("python3*/site-packages/sphinx-mathjax-offline/static/mathjax"), None
)


@functools.lru_cache(maxsize=None)
def book() -> Book:
    return Book()


@functools.lru_cache(maxsize=None)
def rendered(name: str) -> BeautifulSoup:
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(ROOT / "colab" / name, as_version=4))
    return BeautifulSoup(html, "html.parser")


def markdown_cells(soup: BeautifulSoup) -> list:
    return soup.select(".jp-MarkdownCell .jp-RenderedMarkdown")


def solutions_in(chapter: pathlib.Path) -> int:
    nb = nbformat.read(chapter, as_version=4)
    parser = book().parser
    return sum(
        1
        for c in nb.cells
        if c.cell_type == "markdown"
        for n in parse_markdown(parser, c.source).children
        if (d := directive_of(n)) and d.name in ("solution", "solution-start")
    )


def test_there_is_an_edition_for_every_chapter():
    assert [p.name for p in EDITION] == [p.name for p in editions.chapters()]


@pytest.mark.parametrize("path", EDITION, ids=lambda p: p.name)
def test_rendered_markdown_has_no_raw_myst(path):
    text = "\n".join(cell.get_text() for cell in markdown_cells(rendered(path.name)))
    leaked = [token for token in RAW_MYST if token in text]
    assert not leaked, f"raw MyST in the rendered Colab edition: {leaked}"


@pytest.mark.parametrize("path", EDITION, ids=lambda p: p.name)
def test_rendered_math_uses_no_book_macro(path):
    text = "\n".join(cell.get_text() for cell in markdown_cells(rendered(path.name)))
    names = "|".join(re.escape(name) for name in book().macros)
    undefined = sorted(set(re.findall(rf"\\({names})(?![A-Za-z])", text)))
    assert not undefined, f"book macros Colab's MathJax does not know: {undefined}"


@pytest.mark.parametrize("path", EDITION, ids=lambda p: p.name)
def test_every_solution_is_folded_inside_details(path):
    soup = rendered(path.name)
    folded = [
        d for d in soup.select("details") if d.summary and d.summary.get_text().startswith("Solution to ")
    ]
    assert len(folded) == solutions_in(ROOT / "chapters" / path.name) >= 3
    for d in folded:
        body = d.get_text().replace(d.summary.get_text(), "", 1)
        assert len(body.strip()) > 20, f"an empty solution: {d.summary.get_text()}"
    outside = [
        t for t in soup.find_all(string=re.compile("Solution to Exercise")) if not t.find_parent("summary")
    ]
    assert not outside, "a solution title outside its <details>"


@pytest.mark.parametrize("path", EDITION, ids=lambda p: p.name)
def test_rendered_exercises_carry_the_book_numbers(path):
    soup = rendered(path.name)
    page = book().page_of(ROOT / "chapters" / path.name)
    shown = [
        s.get_text()
        for s in soup.select(".jp-RenderedMarkdown blockquote > p:first-child > strong")
        if s.get_text().startswith("Exercise")
    ]
    assert shown == [f"Exercise {e.number}" if e.number else "Exercise" for e in page.exercises]


# ----------------------------------------------------------------------------- in a browser


def mathjax_shim(directory: pathlib.Path) -> str:
    """nbconvert's page configures MathJax 2 from a CDN; this loads the offline MathJax 3
    with the same delimiters instead (the page's MathJax-2-only call is given a no-op)."""
    (directory / "mathjax").symlink_to(MATHJAX_DIR, target_is_directory=True)
    (directory / "mathjax-shim.js").write_text(
        "window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true,"
        " processEnvironments: true, tags: 'ams'}, Hub: {Config() {}, Queue() {}}};\n"
        "document.write('<script src=\"mathjax/tex-chtml-full.js\"><\\/script>');\n",
        encoding="utf-8",
    )
    return "mathjax-shim.js"


@pytest.fixture(scope="module")
def served_chapter_7(tmp_path_factory):
    if MATHJAX_DIR is None:
        pytest.fail("sphinx-mathjax-offline's MathJax is not in .venv: run make install")
    directory = tmp_path_factory.mktemp("colab-html")
    html, _ = HTMLExporter(mathjax_url=mathjax_shim(directory)).from_notebook_node(
        nbformat.read(ROOT / "colab" / "07_gradients.ipynb", as_version=4)
    )
    (directory / "07_gradients.html").write_text(html, encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/07_gradients.html"
    httpd.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_chapter_7_exercises_render_with_math_and_folded_solutions_in_a_browser(
    served_chapter_7, browser, mathjax_ready
):
    from selenium.webdriver.common.by import By

    browser.get(served_chapter_7)
    browser.set_script_timeout(60)
    assert browser.execute_async_script(mathjax_ready), "MathJax did not typeset the page"
    heading = next(h for h in browser.find_elements(By.CSS_SELECTOR, "h2") if h.text.endswith("Exercises"))
    browser.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -10);", heading)
    solutions = browser.find_elements(By.CSS_SELECTOR, "details")
    assert len(solutions) == 5 and not any(d.get_attribute("open") for d in solutions)
    maths = browser.execute_script("return [...document.querySelectorAll('details mjx-container')].length;")
    assert maths > 0, "the math inside the solutions was not typeset"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "colab-07_gradients-exercises.png"))
    solutions[0].find_element(By.TAG_NAME, "summary").click()
    assert solutions[0].get_attribute("open") is not None
    assert "np.sqrt(sum(np.sum(g**2) for g in grads))" in solutions[0].text
    browser.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -10);", heading)
    browser.save_screenshot(str(SCREENSHOTS / "colab-07_gradients-solution-open.png"))
