"""seqmodels: the tested companion package of *Deep Sequence Models*.

Every chapter of the book imports what it runs from here, one module per idea:

- :mod:`seqmodels.data`: Shakespeare's plays, tokenizers, ``Vocab``, splits, batches, synthetic sets.
- :mod:`seqmodels.sequences`: measuring dependence in sequences; autoregressive windows (chapter 1).
- :mod:`seqmodels.ngram`: n-gram language models: counting, smoothing, perplexity, sampling (chapter 2),
  written to be read; :mod:`seqmodels.ngram_fast`: the same model counted fast enough for Shakespeare.
- :mod:`seqmodels.perceptron`: activations and their derivatives, a perceptron, a two-layer net (chapter 3).
- :mod:`seqmodels.rnn`: ``ScratchRNN``, a recurrent layer from tensor operations equal to ``torch.nn.RNN`` (chapter 4).
- :mod:`seqmodels.recurrent_base`: what makes the scratch layers drop-ins for ``torch.nn`` (not part of the idea).
- :mod:`seqmodels.bptt`: backpropagation through time by hand in NumPy, full and truncated (chapter 5).
- :mod:`seqmodels.phrases`: a seeded English-to-Portuguese phrase set with agreement and reordering (chapter 6).
- :mod:`seqmodels.seq2seq`: encoder, decoder, attention decoder, greedy decoding (chapters 6 and 9).
- :mod:`seqmodels.gradients`: gradient flow in a plain RNN, spectral sizes, clipping, identity init (chapter 7).
- :mod:`seqmodels.adding`: the adding problem, a long-range memory test, and its models (chapters 7 and 8).
- :mod:`seqmodels.gated`: ``ScratchLSTM`` and ``ScratchGRU``, equal to ``torch.nn.LSTM`` / ``GRU``,
  and the gates of a trained LSTM (chapter 8).
- :mod:`seqmodels.agreement`: word language models scored on subject-verb agreement by distance (chapter 8).
- :mod:`seqmodels.results`: stored results of runs too long for a chapter (multi-seed sweeps, chapters 6-9), and ``load``.
- :mod:`seqmodels.long_runs`: chapter 8's long, regularised LSTM runs: their configurations and stored results.
- :mod:`seqmodels.contest`: counts against networks on the same characters: tuning, mixtures,
  a breakdown by kind (chapter 8).
- :mod:`seqmodels.train`: the one training loop every chapter uses.
- :mod:`seqmodels.lm`: a character language model with a pluggable recurrent layer, and sampling.
- :mod:`seqmodels.plot`: the one matplotlib style the book uses.
- :mod:`seqmodels.gate_plot`: a figure of an LSTM's gates and cell state along one sequence (chapter 8).
- :mod:`seqmodels.notebook`: ``glue`` and ``claim`` for the prose; ``show_source``, the package's code in a chapter.
- :mod:`seqmodels.explorables`: the widgets' states for the web page, as Vega-Lite specs (built with the book).
- :mod:`seqmodels.diagrams`: the architecture diagrams, one function each, in one visual language (chapters 3-9).
- :mod:`seqmodels.exercises`: checkers that tell a reader whether an exercise answer is right.
- :mod:`seqmodels.validation`: the input checks every public function calls, one line each.
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

__version__ = "0.1.0"


def seed_everything(seed: int = 0) -> None:
    """Seed Python's, NumPy's and PyTorch's random generators so a run repeats exactly."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


def device() -> torch.device:
    """The fastest device available: CUDA, then Apple's MPS, then the CPU.

    Everything in the book runs on the CPU; a GPU only makes it faster.
    """
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def model_device(model: torch.nn.Module) -> torch.device:
    """Where ``model``'s parameters live: the tensors it is fed must be made there."""
    return next(model.parameters()).device


__all__ = ["__version__", "device", "model_device", "seed_everything"]
