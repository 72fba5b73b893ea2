"""The trained models some explorables read, trained once per process (and kept on disk between runs).

Chapters 4, 6 and 9 train their models in the chapter; an explorable computes its states from
the same recipe (seed, data, size, steps), so the build trains each once. When the
environment variable ``SEQMODELS_EXPLORABLES_CACHE`` names a folder (the book's build and the
tests set it to ``_build/explorables``), the weights are kept there under a hash of the
package's source, so tests and later builds load them instead of training again.
"""

from __future__ import annotations

import functools
import os
import pathlib
from collections.abc import Callable

import numpy as np
import torch

from seqmodels import seed_everything
from seqmodels.explorables import source_hash

CACHE_ENV = "SEQMODELS_EXPLORABLES_CACHE"


def _cached(
    name: str, build: Callable[[], torch.nn.Module], make: Callable[[], torch.nn.Module]
) -> torch.nn.Module:
    """``build()`` (which trains), or its weights from the disk cache loaded into ``make()``."""
    folder = os.environ.get(CACHE_ENV)
    path = pathlib.Path(folder) / f"{name}-{source_hash()}.pt" if folder else None
    if path is not None and path.exists():
        model = make()
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        return model.eval()
    model = build().eval()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{name}-*.pt"):
            stale.unlink()
        torch.save(model.state_dict(), path)
    return model


@functools.lru_cache(maxsize=None)
def char_rnn():
    """Chapter 4's character RNN: ``ScratchRNN(32, 128)`` in a ``CharLM``, 300 steps, seed 0; and its vocabulary."""
    from seqmodels.data import Vocab, shakespeare_split
    from seqmodels.lm import CharLM, train_lm
    from seqmodels.rnn import ScratchRNN

    split = shakespeare_split()
    vocab = Vocab(split.train, unk=None)

    def make():
        seed_everything(0)
        return CharLM(len(vocab), cell=ScratchRNN(32, 128, batch_first=True))

    def build():
        model = make()
        train_ids = np.array(vocab.encode(split.train))
        valid_ids = np.array(vocab.encode(split.valid[:20_000]))
        train_lm(model, train_ids, valid_ids, batch_size=32, num_steps=64, max_steps=300, lr=1e-2, eval_every=50,
                 seed=0, progress=False)  # fmt: skip
        return model

    return _cached("char_rnn", build, make), vocab


@functools.lru_cache(maxsize=None)
def translator(attention: bool):
    """Chapters 6 and 9's translator (plain or with attention): 32/64 sizes, 400 steps, seed 0; with its data."""
    from seqmodels.phrases import build_vocabs, translation_split
    from seqmodels.seq2seq import make_translator, train_translator

    split = translation_split()
    src_vocab, tgt_vocab = build_vocabs(split.train)

    def make():
        seed_everything(0)
        return make_translator(src_vocab, tgt_vocab, attention=attention, embed_size=32, hidden_size=64)

    def build():
        model = make()
        train_translator(model, split.train, src_vocab, tgt_vocab, max_steps=400, batch_size=64, lr=5e-3, seed=0,
                         progress=False)  # fmt: skip
        return model

    name = "translator_attention" if attention else "translator_plain"
    return _cached(name, build, make), split, src_vocab, tgt_vocab
