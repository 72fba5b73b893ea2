"""Validation loss of the book's character language models at their chapters' budgets.

    python tools/bench/bench_lm.py [results.json]

Trains each model exactly as its chapter does (same seed, sizes, steps and learning rate)
and reports validation nats/char and training seconds:

- chapter 4: ``ScratchRNN`` with 128 units, 300 steps, on the first 20,000 validation characters;
- chapter 8: ``nn.RNN``, ``nn.GRU`` and ``nn.LSTM`` with 128 units, 150 steps, on the whole
  validation text.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import torch

from seqmodels import seed_everything
from seqmodels.data import Vocab, shakespeare_split
from seqmodels.lm import CharLM, train_lm
from seqmodels.rnn import ScratchRNN


def run(name: str, model: CharLM, train_ids, valid_ids, max_steps: int, eval_every: int | None) -> dict:
    history = train_lm(
        model,
        train_ids,
        valid_ids,
        batch_size=32,
        num_steps=64,
        max_steps=max_steps,
        lr=1e-2,
        clip=1.0,
        eval_every=eval_every,
        seed=0,
        progress=False,
    )
    result = {
        "steps": max_steps,
        "valid_nats_per_char": round(history.final_eval, 4),
        "train_seconds": round(history.seconds, 2),
    }
    print(f"{name:<34}{result['valid_nats_per_char']:8.3f} nats/char  {result['train_seconds']:6.1f} s")
    return result


def main(argv: list[str]) -> dict:
    split = shakespeare_split()
    results = {"threads": torch.get_num_threads()}
    vocab4 = Vocab(split.train, unk=None)
    train4 = np.array(vocab4.encode(split.train))
    valid4 = np.array(vocab4.encode(split.valid[:20_000]))
    seed_everything(0)
    model = CharLM(len(vocab4), cell=ScratchRNN(32, 128, batch_first=True))
    results["ch04_scratch_rnn"] = run("chapter 4: ScratchRNN, 300 steps", model, train4, valid4, 300, 50)

    vocab8 = Vocab(split.train)
    train8, valid8 = np.array(vocab8.encode(split.train)), np.array(vocab8.encode(split.valid))
    for cell in ("rnn", "gru", "lstm"):
        seed_everything(0)
        model = CharLM(len(vocab8), hidden_size=128, cell=cell, embed_size=32)
        results[f"ch08_{cell}"] = run(
            f"chapter 8: {cell.upper()}, 150 steps", model, train8, valid8, 150, None
        )
    if argv:
        with open(argv[0], "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
