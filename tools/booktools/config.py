"""``_config.yml``, read in one place: the repository URL and the book's online address."""

from __future__ import annotations

import pathlib
import re

import yaml

from .paths import ROOT


def book_config(root: pathlib.Path = ROOT) -> dict:
    """``_config.yml`` under ``root``, parsed."""
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def repository_url(config: dict | None = None) -> str:
    """The repository URL from ``_config.yml`` (the one place it is written)."""
    config = book_config() if config is None else config
    url = (config.get("repository") or {}).get("url")
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
        raise SystemExit(
            f"cannot derive the online address from repository.url {url!r}: set html.baseurl in _config.yml"
        )
    org, repo = match.groups()
    if repo.lower() == f"{org.lower()}.github.io":
        return f"https://{org.lower()}.github.io/"
    return f"https://{org.lower()}.github.io/{repo}/"
