"""Publishing under another address is one command: ``make set-repository URL=...``.

The test runs it on a copy of the checkout and then looks for any trace of the old address
(the repository, and the GitHub Pages address derived from it) in every tracked file.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from booktools import config, nbtools

ROOT = pathlib.Path(__file__).resolve().parent.parent

NEW = "https://github.com/a-course/sequence-book"


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [name for name in out.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    copy = tmp_path_factory.mktemp("checkout")
    for name in tracked_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
    env["PYTHONPATH"] = str(
        copy / "tools"
    )  # the copy's booktools, which works on the copy, not this checkout
    result = subprocess.run(
        [sys.executable, "-m", "booktools", "repository", NEW],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return copy


def test_no_trace_of_the_old_address_remains(moved):
    old_repository = config.repository_url()
    old_pages = config.online_url().rstrip("/")
    old_names = {
        old_repository,
        old_repository.removeprefix("https://"),
        old_pages,
        old_pages.removeprefix("https://"),
    }
    traces = []
    for path in moved.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="ignore")
            traces += [f"{path.relative_to(moved)}: {name}" for name in old_names if name in text]
    assert not traces, "the old address survives in:\n" + "\n".join(sorted(traces))


def test_the_new_address_reaches_config_bootstraps_and_colab_edition(moved):
    assert f"url: {NEW}\n" in (moved / "_config.yml").read_text()
    pages = "https://a-course.github.io/sequence-book/"
    for chapter in sorted((moved / "chapters").glob("*.ipynb")):
        bootstrap = nbtools.first_code_cell(nbformat.read(chapter, as_version=4)).source
        assert f'REPOSITORY = "{NEW}"' in bootstrap, chapter.name
        edition = (moved / "colab" / chapter.name).read_text()
        assert f"{pages}chapters/{chapter.stem}.html" in edition, chapter.name
        assert NEW in edition, chapter.name


def test_a_url_that_is_not_a_github_repository_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "booktools", "repository", "github.com/x"], capture_output=True, text=True
    )
    assert result.returncode != 0 and "expected a GitHub repository address" in result.stderr


def test_the_citation_file_names_the_configured_repository_and_book():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'repository-code: "{config.repository_url()}"' in text
    assert f'url: "{config.online_url()}"' in text
