"""The seeds behind chapter 4's character RNN: the same recipe, five initialisations.

    python tools/runs/run_char_rnn.py

Chapter 4 trains one character RNN on Shakespeare (``CONFIG``: ``CharLM`` with an embedding
of 32, ``ScratchRNN`` with 128 units, 300 steps of Adam at learning rate 0.01 on 32 streams
of 64 characters, gradient norm clipped at 1) and compares it with count models on the first
``CONFIG["valid_chars"]`` characters of the shared validation text. One run says little
about where such a network lands, so this script repeats the chapter's run for every seed
in ``SEEDS`` (``seed_everything(seed)`` before the model is built, ``train_lm(seed=seed)``)
and records, for each run:

- ``nats``: the mean of ``-seqmodels.lm.char_logprobs`` on the validation characters, read
  as one stream: every character but the first, each with all of its history, exactly the
  characters ``NGramLM.stream_logprobs`` scores;
- ``eval_steps`` / ``eval_loss``: ``train_lm``'s own validation curve (``evaluate_lm``, 32
  streams from a zero state), every 50 steps;
- ``train_loss``: the mean training loss over the last 20 steps.

Five runs take longer than the chapter's time budget allows, so the chapter trains seed 0
itself and reads the others. Writes ``code/seqmodels/results/char_rnn.py``. Run on one CPU
thread (about two minutes).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import time

import numpy as np
import torch

from booktools.stored_module import write_module
from seqmodels import seed_everything
from seqmodels.data import Vocab, shakespeare_split
from seqmodels.lm import CharLM, char_logprobs, train_lm
from seqmodels.rnn import ScratchRNN

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "char_rnn.py"
CONFIG = {
    "embed_size": 32,
    "hidden_size": 128,
    "batch_size": 32,
    "num_steps": 64,
    "max_steps": 300,
    "lr": 1e-2,
    "eval_every": 50,
    "valid_chars": 20_000,
}
SEEDS = (0, 1, 2, 3, 4)
LAST = 20  # training steps averaged for the final training loss


def run(seed: int, train_ids: np.ndarray, valid_ids: np.ndarray, vocab_size: int) -> dict:
    """Train the chapter's character RNN with ``seed`` and score it; the chapter's own cell, seeded."""
    seed_everything(seed)
    model = CharLM(
        vocab_size,
        embed_size=CONFIG["embed_size"],
        cell=ScratchRNN(CONFIG["embed_size"], CONFIG["hidden_size"], batch_first=True),
    )
    history = train_lm(
        model,
        train_ids,
        valid_ids,
        batch_size=CONFIG["batch_size"],
        num_steps=CONFIG["num_steps"],
        max_steps=CONFIG["max_steps"],
        lr=CONFIG["lr"],
        eval_every=CONFIG["eval_every"],
        seed=seed,
        progress=False,
    )
    nats = -float(np.mean(char_logprobs(model, valid_ids)))
    return {
        "seed": seed,
        "nats": round(nats, 5),
        "eval_steps": list(history.eval_steps),
        "eval_loss": [round(x, 5) for x in history.eval_loss],
        "train_loss": round(float(np.mean(history.train_loss[-LAST:])), 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    split = shakespeare_split()
    vocab = Vocab(split.train, unk=None)
    train_ids = np.array(vocab.encode(split.train))
    valid_ids = np.array(vocab.encode(split.valid[: CONFIG["valid_chars"]]))
    runs = []
    for seed in SEEDS:
        runs.append(run(seed, train_ids, valid_ids, len(vocab)))
        print(runs[-1], f"{time.perf_counter() - start:.0f} s", flush=True)
    machine = f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}"
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_char_rnn.py``; do not edit.\n\n"
            "``CHAR_RNN_RUNS``: chapter 4's character RNN trained with five seeds; for each run the\n"
            "validation nats/char on the chapter's characters (``char_logprobs``, one stream), the\n"
            "``train_lm`` validation curve and the final training loss.\n"
        ),
        "CHAR_RNN_RUNS",
        {"config": CONFIG, "seeds": SEEDS, "last": LAST, "runs": runs, "machine": machine},
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
