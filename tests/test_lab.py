"""``make lab``: a chapter opened locally in JupyterLab reads as it does online.

``make lab`` puts an edition of every chapter into ``lab/`` (``booktools.editions.lab_folder``)
and opens JupyterLab there: the editions are plain Jupyter markdown, which JupyterLab renders
as written, while the chapters' MyST would show raw. This test does what ``make lab`` does in
a temporary folder, starts JupyterLab headless on a free port with a token, opens chapter 4
in headless Chromium and checks what a student sees: rendered markdown and math, no raw
directive, every solution folded. The screenshot lands in ``_build/screenshots/lab-ch04.png``.

Needs ``jupyter-lab`` in the environment (``make test`` installs it, as ``make lab`` does).
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from booktools import editions
from booktools.colab_book import Book

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTER = "04_rnn.ipynb"
RAW_MYST = ("```{", "{glue:", ":::", "{exercise}", "{solution}", "{cite}", "{numref}", "{ref}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def book() -> Book:
    return Book()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, book):
    """JupyterLab on a fresh ``lab/`` folder; yields (base URL, token, folder)."""
    jupyter_lab = pathlib.Path(sys.executable).parent / "jupyter-lab"
    if not jupyter_lab.exists():
        pytest.fail("jupyter-lab is not installed: run `make jupyterlab` (make test and make lab do)")
    folder = tmp_path_factory.mktemp("lab")
    added = editions.lab_folder("colab", dest=folder, names=[CHAPTER], book=book)
    assert CHAPTER in {p.name for p in added}
    settings = tmp_path_factory.mktemp("lab-settings")
    # Render every cell (no virtual scrolling), and no news or update check (nothing online).
    for extension, name, values in (
        ("@jupyterlab/notebook-extension", "tracker", {"windowingMode": "none"}),
        ("@jupyterlab/apputils-extension", "notification", {"fetchNews": "false", "checkForUpdates": False}),
    ):
        path = settings / extension / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("jupyter-config"))}
    process = subprocess.Popen(
        [
            str(jupyter_lab),
            "--no-browser",
            "--allow-root",  # CI runs as root in a container
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('lab-workspaces')}",
            "--LabApp.news_url=",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start")
                time.sleep(0.3)
        yield base, token, folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_make_lab_shows_a_chapter_rendered_with_its_solutions_folded(lab, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, token, folder = lab
    nb = nbformat.read(folder / CHAPTER, as_version=4)
    markdown_cells = sum(c.cell_type == "markdown" for c in nb.cells)
    solutions = sum(c.source.count("<details>") for c in nb.cells if c.cell_type == "markdown")
    assert solutions > 0, "the Colab edition of chapter 4 folds its solutions in <details>"

    browser.get(f"{base}/lab/tree/{CHAPTER}?token={token}&reset")
    rendered = (
        "return document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown').length"
    )
    WebDriverWait(browser, 45, poll_frequency=0.5).until(
        lambda b: (
            b.execute_script(rendered) >= markdown_cells
            and b.execute_script("return document.querySelectorAll('.jp-NotebookPanel mjx-container').length")
            > 0
        )
    )
    notebook = browser.find_element(By.CSS_SELECTOR, ".jp-NotebookPanel .jp-Notebook")
    text = notebook.text  # what is visible: innerText skips folded <details> bodies

    raw = [marker for marker in RAW_MYST if marker in text]
    assert not raw, f"raw MyST visible in JupyterLab: {raw}"
    assert "Exercise 4.1" in text, "the exercises carry the online book's numbers"
    assert "Solution to Exercise 4.1" in text, "each solution's title shows, folded"

    details = browser.execute_script(
        "return [...document.querySelectorAll('.jp-NotebookPanel .jp-RenderedMarkdown details')]"
        ".map(d => [d.open, d.querySelector('summary').innerText, d.textContent.length])"
    )
    assert len(details) == solutions, "every solution is a <details> block"
    assert not [summary for is_open, summary, _ in details if is_open], "a solution is unfolded"
    # The body of the first solution is in the page but not visible: folded, not missing.
    body = browser.execute_script(
        "const d = document.querySelector('.jp-NotebookPanel .jp-RenderedMarkdown details');"
        "return d.textContent.replace(d.querySelector('summary').textContent, '').trim().slice(0, 60);"
    )
    assert body and body not in text

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "lab-ch04.png"))
    browser.execute_script(
        "document.querySelector('.jp-NotebookPanel .jp-RenderedMarkdown details').scrollIntoView({block: 'center'});"
    )
    browser.save_screenshot(str(SCREENSHOTS / "lab-ch04-exercises.png"))


def test_lab_folder_never_overwrites_a_students_notebook(tmp_path, book):
    mine = tmp_path / CHAPTER
    mine.write_text("my work", encoding="utf-8")
    added = editions.lab_folder("student", dest=tmp_path, names=[CHAPTER, "01_sequences.ipynb"], book=book)
    assert mine.read_text(encoding="utf-8") == "my work"
    assert [p.name for p in added] == ["01_sequences.ipynb"]
    assert editions.lab_folder("student", dest=tmp_path, names=["01_sequences.ipynb"]) == []
    with pytest.raises(ValueError, match="no chapter called"):
        editions.lab_folder("student", dest=tmp_path, names=["99_none.ipynb"])
