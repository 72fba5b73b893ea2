"""Where the book's files are, computed once: every other module takes its paths from here."""

from __future__ import annotations

import pathlib

#: The repository's root: ``tools/booktools/paths.py`` -> ``.``
ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
#: The executable chapters, the MyST source of truth.
CHAPTERS = ROOT / "chapters"
#: The Colab edition, generated from the chapters and committed.
COLAB = ROOT / "colab"
#: ``_config.yml``: the one place the repository URL is written.
CONFIG = ROOT / "_config.yml"


def chapter_files(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """Every chapter notebook under ``root``, in the book's order (the file names are numbered)."""
    return sorted((root / "chapters").glob("*.ipynb"))
