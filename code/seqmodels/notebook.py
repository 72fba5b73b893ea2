"""Gluing computed numbers into a chapter's prose, in the book and out of it.

A sentence such as "the loss falls below {glue:text}`ch04-rnn-loss` nats" takes its number
from a code cell that calls ``glue("ch04-rnn-loss", f"{loss:.2f}")``. When the book is
built, myst-nb stores the value in the cell's outputs and pastes it into the prose. In
Colab or plain Jupyter myst-nb is not installed, and the Colab edition already has the
stored value written into its text, so there :func:`glue` only shows the value when asked
to (``display=True``) and otherwise does nothing visible.
"""

from __future__ import annotations

import importlib
from typing import Any


def _myst_nb_glue():
    """myst-nb's ``glue`` when myst-nb is importable (the book build), else ``None``."""
    try:
        return importlib.import_module("myst_nb").glue
    except ImportError:
        return None


def glue(name: str, value: Any, display: bool = False) -> None:
    """Store ``value`` under ``name`` for the prose of this chapter (``{glue:text}`name```).

    ``name`` starts with the chapter, e.g. ``"ch04-rnn-loss"``. With ``display=True`` the
    value is also shown under the cell; by default it is stored only.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'ch04-rnn-loss', got {type(name).__name__}")
    if not name.strip() or any(c.isspace() for c in name) or ":" in name:
        raise ValueError(f"name must be a non-empty key without spaces or ':' such as 'ch04-rnn-loss', got {name!r}")
    if not isinstance(display, bool):
        raise TypeError(f"display must be True or False, got {type(display).__name__}")
    myst_glue = _myst_nb_glue()
    if myst_glue is not None:
        myst_glue(name, value, display=display)
    elif display:
        from IPython.display import display as show

        show(value)


__all__ = ["glue"]
