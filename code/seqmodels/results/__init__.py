"""Stored results of runs too long for a chapter, one module per experiment, and their loader.

Each module holds one dict, written by its script in ``tools/runs/`` (``run_<name>.py``) and
never edited by hand; chapters read it instead of training for minutes:

- ``adding``: chapter 7's learning-rate sweep on the adding problem (``ADDING_SWEEP``);
- ``gated_adding``: three-seed runs of the tanh RNN, GRU and LSTM on the adding problem (chapter 8);
- ``agreement``: word language models scored on subject-verb agreement by distance (chapter 8);
- ``char_rnn``: chapter 4's character RNN trained with five seeds (``CHAR_RNN_RUNS``);
- ``delay``: chapter 5's delay experiment, full against truncated BPTT, three seeds (``DELAY_RUNS``);
- ``translation_curves``: chapter 6's plain translators' learning curves by context size (``TRANSLATION_CURVES``);
- ``translation``: the phrase translators with and without attention, several seeds (chapters 6, 9);
- ``lm_memory``: chapter 8's best character LSTM with its state reset every N characters, beside
  Kneser-Ney of every order (``LM_MEMORY``; written by ``tools/runs/run_lm_memory.py``).

Chapter 8's long language-model runs store arrays and are read by :mod:`seqmodels.long_runs`.
"""

from __future__ import annotations

import importlib

#: The stored experiments: module name -> the name of the dict it holds.
STORED = {
    "adding": "ADDING_SWEEP",
    "gated_adding": "GATED_ADDING_RUNS",
    "agreement": "AGREEMENT_RUNS",
    "translation": "TRANSLATION_RUNS",
    "char_rnn": "CHAR_RNN_RUNS",
    "delay": "DELAY_RUNS",
    "translation_curves": "TRANSLATION_CURVES",
    "lm_memory": "LM_MEMORY",
}


def load(name: str) -> dict:
    """The stored results of experiment ``name`` (one of :data:`STORED`), e.g. ``load("adding")``."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name not in STORED:
        raise ValueError(f"no stored results named {name!r}; expected one of {sorted(STORED)}")
    return getattr(importlib.import_module(f"{__name__}.{name}"), STORED[name])
