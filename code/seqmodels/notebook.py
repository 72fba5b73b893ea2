"""Gluing computed numbers into a chapter's prose, and checking what the prose says of them.

A sentence such as "the loss falls below {glue:text}`ch04-rnn-loss` nats" takes its number
from a code cell that calls ``glue("ch04-rnn-loss", f"{loss:.2f}")``. When the book is
built, myst-nb stores the value in the cell's outputs and pastes it into the prose. In
Colab or plain Jupyter myst-nb is not installed, and the Colab edition already has the
stored value written into its text, so there :func:`glue` only shows the value when asked
to (``display=True``) and otherwise does nothing visible.

A sentence that *interprets* a result ("the LSTM beats Kneser–Ney in every seed") is checked
by :func:`claim`, in a cell right after the one that produced the result. A claim that does
not hold raises :class:`ClaimFailed`, so nbval and ``make book`` fail instead of leaving a
false sentence in the book. A claim that holds prints one line, and carries its statement and
the numbers it was checked on in the output's metadata (which nbval does not compare), from
which the appendix "Claims this book checks" is generated.

The book also shows the code it runs: :func:`show_source` displays a package function as
installed, so the reader studies exactly what the chapter calls. :data:`SHOWN` lists every
function a chapter shows, and a test keeps each of them lesson-sized.
"""

from __future__ import annotations

import importlib
import inspect
import math
import numbers
import re
import textwrap
from typing import Any

import numpy as np


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
        raise ValueError(
            f"name must be a non-empty key without spaces or ':' such as 'ch04-rnn-loss', got {name!r}"
        )
    if not isinstance(display, bool):
        raise TypeError(f"display must be True or False, got {type(display).__name__}")
    myst_glue = _myst_nb_glue()
    if myst_glue is not None:
        myst_glue(name, value, display=display)
    elif display:
        from IPython.display import display as show

        show(value)


CLAIM_METADATA = "seqmodels-claim"
"""Key of a claim's record (key, statement, evidence) in its output's metadata."""

_CLAIM_KEY = re.compile(r"ch\d\d-[a-z0-9]+(?:-[a-z0-9]+)*")


class ClaimFailed(AssertionError):
    """A sentence of the book is not true of the result it interprets."""


def claim(key: str, holds: bool, statement: str, **evidence: float | int | str) -> None:
    """Check that ``statement``, a sentence of the prose, is true of the results beside it.

    ``key`` names the claim, chapter first (``"ch03-relu-beats-linear"``); ``holds`` is the
    check itself, a robust comparison with a margin (``min(relu) > linear + 0.05``), so that it
    holds under every CPU kernel the book is tested on; ``evidence`` names the numbers the
    check was made on (``relu=0.86, linear=0.72``), for the reader of the appendix.

    Raises :class:`ClaimFailed`, naming the key, the statement and the evidence, when the
    check fails; otherwise prints ``✓ key`` and stores the record for the appendix.
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a string such as 'ch03-relu-beats-linear', got {type(key).__name__}")
    if not _CLAIM_KEY.fullmatch(key):
        raise ValueError(
            f"key must be the chapter and lowercase words joined by '-', such as 'ch03-relu-beats-linear', got {key!r}"
        )
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(
            f"holds must be True or False (the result of the check), got {type(holds).__name__}; "
            "reduce an array with .all() or .any() first"
        )
    if not isinstance(statement, str):
        raise TypeError(f"statement must be the sentence the claim checks, got {type(statement).__name__}")
    if not statement.strip():
        raise ValueError("statement must be the sentence the claim checks, got an empty string")
    record = {"key": key, "statement": " ".join(statement.split()), "evidence": _evidence(key, evidence)}
    if not holds:
        shown = ", ".join(f"{name}={value}" for name, value in record["evidence"].items())
        raise ClaimFailed(
            f"claim {key} does not hold: {record['statement']}" + (f" ({shown})" if shown else "")
        )
    from IPython.display import display

    display({"text/plain": f"✓ {key}"}, raw=True, metadata={CLAIM_METADATA: record})


def _evidence(key: str, evidence: dict[str, Any]) -> dict[str, float | int | str]:
    """The evidence as plain JSON values: numbers (NumPy or 0-d tensors included) and strings."""
    plain: dict[str, float | int | str] = {}
    for name, value in evidence.items():
        if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
            value = value.item()  # a NumPy scalar or a 0-d tensor
        if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
            raise TypeError(
                f"evidence {name}= of claim {key} must be a number or a string, got {type(value).__name__}"
            )
        if isinstance(value, numbers.Integral):
            value = int(value)
        elif isinstance(value, numbers.Real):
            value = (
                float(f"{float(value):.4g}") if math.isfinite(value) else str(float(value))
            )  # JSON has no NaN
        plain[name] = value
    return plain


# --------------------------------------------------------------------------- the code the book shows

#: The package functions the book shows, by dotted name, with the chapter that shows each.
#: ``tests/test_shown_code.py`` keeps every one lesson-sized: at most 25 lines without its
#: docstring, and no ``raise`` (input checks live in :mod:`seqmodels.validation`).
SHOWN: dict[str, str] = {
    "seqmodels.ngram.NGramLM._kneser_ney": "02_ngrams",
    "seqmodels.rnn.rnn_step": "04_rnn",
    "seqmodels.rnn.ScratchRNN.forward": "04_rnn",
    "seqmodels.bptt.rnn_backward": "05_bptt",
    "seqmodels.seq2seq.translation_loss": "06_seq2seq",
    "seqmodels.gated.lstm_update": "08_gated",
    "seqmodels.gated.gru_update": "08_gated",
    "seqmodels.seq2seq.dot_product_attention": "09_attention",
}


def resolve(name: str) -> Any:
    """The object a dotted name such as ``"seqmodels.rnn.ScratchRNN.forward"`` refers to."""
    if not isinstance(name, str) or not name.startswith("seqmodels."):
        raise ValueError(
            f"name must be a dotted name inside seqmodels, such as 'seqmodels.rnn.rnn_step', got {name!r}"
        )
    parts = name.split(".")
    obj = importlib.import_module(parts[0])
    for depth, attribute in enumerate(parts[1:], start=2):
        if not hasattr(obj, attribute) and inspect.ismodule(obj):
            try:  # a submodule not imported yet
                importlib.import_module(".".join(parts[:depth]))
            except ModuleNotFoundError as error:
                if error.name != ".".join(parts[:depth]):
                    raise  # the submodule exists but fails to import: say so
        if not hasattr(obj, attribute):
            raise ValueError(f"{name} does not exist: {'.'.join(parts[: depth - 1])} has no {attribute!r}")
        obj = getattr(obj, attribute)
    return obj


def show_source(obj: Any) -> Any:
    """The source of a package function, method or class, syntax-highlighted: the code the book runs.

    ``obj`` is the object (``rnn_step``, ``ScratchRNN.forward``) or its dotted name
    (``"seqmodels.rnn.rnn_step"``). Returns IPython's ``Code``, which shows itself when it is
    the last value of a cell: highlighted in the book, Jupyter and Colab, as plain text elsewhere.
    A first comment line names the file and the object.
    """
    from IPython.display import Code

    if isinstance(obj, str):
        obj = resolve(obj)
    obj = inspect.unwrap(obj)  # through decorators such as torch.no_grad()
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isclass(obj)):
        raise TypeError(f"obj must be a function, method or class, got {type(obj).__name__}")
    module = inspect.getmodule(obj)
    where = f"{module.__name__.replace('.', '/')}.py: {obj.__qualname__}"
    return Code(f"# {where}\n" + textwrap.dedent(inspect.getsource(obj)), language="python")


__all__ = ["glue", "claim", "ClaimFailed", "CLAIM_METADATA", "SHOWN", "resolve", "show_source"]
