"""The built book, as a reader sees it: links resolve, and every chapter page works in a browser.

Needs the HTML in ``_build/html`` (``make test`` builds it first) and, for the browser test,
Debian's ``chromium`` and ``chromium-driver`` (``make test`` installs them when missing).
The browser runs headless against a server on 127.0.0.1 and reaches nothing else.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import pathlib
import threading
import urllib.parse

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
_CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
ORG_REPO = _CONFIG["repository"]["url"].rstrip("/").split("github.com/")[1]
BRANCH = _CONFIG["repository"].get("branch", "main")


def require_site() -> None:
    if not (SITE / "index.html").exists():
        pytest.fail("the book is not built: run `make book` (make test does it first)")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append((tag, attrs[key]))


@functools.lru_cache(maxsize=None)
def parse(page: pathlib.Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def book_pages() -> list[pathlib.Path]:
    """The book's pages; ``_static`` holds theme templates, not pages."""
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts)


def test_every_internal_link_and_anchor_resolves():
    require_site()
    pages = book_pages()
    broken = []
    for page in pages:
        for tag, link in parse(page).links:
            url = urllib.parse.urlsplit(link)
            if url.scheme or link.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            target = page if not url.path else (page.parent / urllib.parse.unquote(url.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(SITE)}: <{tag}> {link} (missing file)")
            elif url.fragment and target.suffix == ".html":
                if urllib.parse.unquote(url.fragment) not in parse(target).ids:
                    broken.append(f"{page.relative_to(SITE)}: <{tag}> {link} (missing anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken[:50])
    assert len(pages) >= len(CHAPTERS) + 3


def test_pages_load_no_script_or_style_from_the_network():
    require_site()
    remote = []
    for page in book_pages():
        for tag, link in parse(page).links:
            if tag in ("script", "link", "img") and urllib.parse.urlsplit(link).scheme in ("http", "https"):
                remote.append(f"{page.relative_to(SITE)}: <{tag}> {link}")
    assert not remote, "the book must render offline, but these load from the network:\n" + "\n".join(
        remote[:20]
    )


def test_every_page_names_the_licences_and_links_to_the_licence_page():
    require_site()
    missing = []
    licence_page = (SITE / "book" / "license.html").resolve()
    for page in book_pages():
        text = page.read_text(encoding="utf-8")
        if text.startswith('<meta http-equiv="Refresh"'):
            continue  # index.html only redirects to the first page
        local = [
            (page.parent / (urllib.parse.urlsplit(link).path or page.name)).resolve()
            for tag, link in parse(page).links
            if tag == "a" and not urllib.parse.urlsplit(link).scheme
        ]
        if (
            "https://creativecommons.org/licenses/by/4.0/" not in text
            or "code: MIT" not in text
            or licence_page not in local
        ):
            missing.append(str(page.relative_to(SITE)))
    assert not missing, "pages without the licence footer: " + ", ".join(missing[:20])


# ----------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def server():
    require_site()
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output readable
        pass


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_works_in_a_real_browser(chapter, server, browser, mathjax_ready):
    from selenium.webdriver.common.by import By

    assert (SITE / "chapters" / f"{chapter}.html").exists(), (
        f"{chapter} is not in the built book: run make book"
    )
    browser.get_log("browser")  # drop messages from the previous page
    browser.get(f"{server}/chapters/{chapter}.html")
    browser.set_script_timeout(30)

    # Math: MathJax (the offline copy) typeset every formula; no raw TeX delimiters remain.
    assert browser.execute_async_script(mathjax_ready), "MathJax did not start"
    mathjax_src = browser.execute_script(
        "return [...document.scripts].map(s => s.src).filter(s => s.includes('mathjax'));"
    )
    assert mathjax_src and all(s.startswith(server) for s in mathjax_src), mathjax_src
    assert browser.execute_script("return document.querySelectorAll('mjx-container').length") > 0
    text = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "\\(" not in text and "$$" not in text, "untypeset math on the page"

    # Images: every one loaded.
    broken = browser.execute_script(
        "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);"
    )
    assert not broken, f"images that did not load: {broken}"
    assert browser.execute_script("return document.querySelectorAll('main img').length") > 0
    no_alt = browser.execute_script(
        "return [...document.querySelectorAll('main img')].filter(i => !i.alt || i.alt.includes('_images/'))"
        ".map(i => i.src);"
    )
    assert not no_alt, f"figures without alt text: {no_alt}"

    # Solutions: hidden at first, shown after a click on the toggle.
    visibility = (
        "return getComputedStyle(document.querySelector("
        "'.solution.dropdown .admonition-title ~ *')).visibility;"
    )
    assert browser.execute_script(visibility) == "hidden", "the first solution should start folded"
    browser.find_element(By.CSS_SELECTOR, ".solution.dropdown .admonition-title").click()
    assert browser.execute_script(visibility) == "visible", "clicking the solution's title did not open it"

    # Launch button: opens this chapter's Colab edition (colab/), not the MyST source, in Colab.
    colab = browser.execute_script(
        "return [...document.querySelectorAll('a')].map(a => a.href).filter(h => h.includes('colab.research.google.com'));"
    )
    expected = f"https://colab.research.google.com/github/{ORG_REPO}/blob/{BRANCH}/colab/{chapter}.ipynb"
    assert colab == [expected], colab
    assert (ROOT / "colab" / f"{chapter}.ipynb").exists()

    # Console: no errors.
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"console errors: {errors}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0);")
    browser.save_screenshot(str(SCREENSHOTS / f"{chapter}.png"))


# ----------------------------------------------------------------------------- the Colab edition


def _colab_markdown_html(chapter: str):
    """The Colab edition's markdown cells of ``chapter``, rendered to HTML and parsed."""
    import nbformat
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    nb = nbformat.read(ROOT / "colab" / f"{chapter}.ipynb", as_version=4)
    render = MarkdownIt("commonmark", {"html": True}).enable("table").render
    return BeautifulSoup(
        "".join(render(c.source) for c in nb.cells if c.cell_type == "markdown"), "html.parser"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_colab_edition_numbers_exercises_and_cites_as_the_online_page(chapter):
    from bs4 import BeautifulSoup

    require_site()
    online = BeautifulSoup((SITE / "chapters" / f"{chapter}.html").read_text(encoding="utf-8"), "html.parser")
    edition = _colab_markdown_html(chapter)
    online_exercises = [t.get_text(" ", strip=True) for t in online.select(".exercise > .admonition-title")]
    edition_exercises = [
        s.get_text(" ", strip=True)
        for s in edition.select("blockquote > p:first-child > strong")
        if s.get_text().startswith("Exercise")
    ]
    assert edition_exercises and [e.split(" (")[0] for e in edition_exercises] == [
        e.split(" (")[0] for e in online_exercises
    ]
    online_solutions = [t.get_text(" ", strip=True) for t in online.select(".solution > .admonition-title")]
    assert [s.get_text(" ", strip=True) for s in edition.select("details > summary")] == online_solutions
    online_cites = [a.get_text() for a in online.select(".bibtex-citation a")]
    edition_cites = [
        a.get_text() for a in edition.select("a") if "references.html#cite-" in a.get("href", "")
    ]
    assert edition_cites == online_cites


def test_every_link_from_the_colab_edition_into_the_book_resolves():
    from booktools.config import online_url

    require_site()
    online = online_url()
    broken, seen = [], 0
    for chapter in CHAPTERS:
        for a in _colab_markdown_html(chapter).select("a"):
            href = a.get("href", "")
            if not href.startswith(online):
                continue
            seen += 1
            url = urllib.parse.urlsplit(href[len(online) :])
            target = SITE / urllib.parse.unquote(url.path or "index.html")
            if not target.exists():
                broken.append(f"{chapter}: {href} (missing page)")
            elif url.fragment and urllib.parse.unquote(url.fragment) not in parse(target).ids:
                broken.append(f"{chapter}: {href} (missing anchor)")
    assert seen > len(CHAPTERS), "the Colab edition links to the online book"
    assert not broken, "links from the Colab edition that the built book lacks:\n" + "\n".join(broken[:30])
