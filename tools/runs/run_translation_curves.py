"""Learning curves of chapter 6's plain encoder-decoder for three sizes of the context vector.

    python tools/runs/run_translation_curves.py [--workers 2]

Chapter 6 trains its translator for 400 steps, far from converged (its training loss is
still falling). Comparing context vectors of 32, 64 and 128 numbers after 400 steps
therefore mixes two causes of the fall of accuracy with length: the size of the vector
(capacity) and the training budget. This script trains the chapters' recipe
(``CONFIG``, the same as ``tools/runs/run_translation.py``) for each size in ``SIZES`` and
each seed in ``SEEDS`` for ``MAX_STEPS`` steps (six times the chapter's budget) and scores
the model on the 500 test sentences of ``translation_split`` every ``EVAL_EVERY`` steps:
exact match and edit accuracy per number of noun phrases, and the mean training loss of
the steps since the last checkpoint. Nothing is selected on the test sentences; the curves
only show where each size levels off. Writes ``code/seqmodels/results/translation_curves.py``.
Each process runs on one CPU thread (about 15 CPU-minutes in all).
"""

from __future__ import annotations

import argparse
import multiprocessing
import pathlib
import platform
import time

import numpy as np
import torch

from booktools.stored_module import write_module
from seqmodels import seed_everything
from seqmodels.phrases import build_vocabs, noun_phrase_count, phrase_batches, translation_split
from seqmodels.seq2seq import accuracy_by_length, make_translator, translation_loss
from seqmodels.train import train

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "translation_curves.py"
#: The chapters' recipe (as in ``tools/runs/run_translation.py``), except the number of steps.
CONFIG = {"embed_size": 32, "batch_size": 64, "lr": 5e-3, "clip": 1.0}
SIZES = (32, 64, 128)
SEEDS = (0, 1, 2)
MAX_STEPS = 2400
EVAL_EVERY = 400
#: The steps at which every run was scored.
EVAL_STEPS = tuple(range(EVAL_EVERY, MAX_STEPS + 1, EVAL_EVERY))


def train_and_score(hidden_size: int, seed: int) -> dict:
    """One run: exact match and edit accuracy per number of noun phrases at every checkpoint."""
    torch.set_num_threads(1)
    split = translation_split()
    src_vocab, tgt_vocab = build_vocabs(split.train)
    seed_everything(seed)
    model = make_translator(
        src_vocab, tgt_vocab, attention=False, embed_size=CONFIG["embed_size"], hidden_size=hidden_size
    )
    exact, edit = [], []

    def score(model) -> float:
        table = accuracy_by_length(model, split.test, src_vocab, tgt_vocab, key=noun_phrase_count)
        exact.append([round(s.exact, 4) for s in table.values()])
        edit.append([round(s.edit, 4) for s in table.values()])
        return float(np.mean(edit[-1]))

    # The batches of train_translator: a new shuffle every epoch (seed + epoch).
    def batches(epoch: int):
        return phrase_batches(split.train, src_vocab, tgt_vocab, CONFIG["batch_size"], seed=seed + epoch)

    def step(m, batch, state):
        return translation_loss(m, batch), None  # each pair starts afresh: nothing carried

    history = train(
        model,
        batches,
        step,
        max_steps=MAX_STEPS,
        lr=CONFIG["lr"],
        clip=CONFIG["clip"],
        eval_fn=score,
        eval_every=EVAL_EVERY,
        progress=False,
    )
    assert tuple(history.eval_steps) == EVAL_STEPS
    losses = np.asarray(history.train_loss).reshape(len(EVAL_STEPS), EVAL_EVERY).mean(axis=1)
    return {
        "hidden_size": hidden_size,
        "seed": seed,
        "exact": exact,
        "edit": edit,
        "train_loss": [round(float(x), 4) for x in losses],
    }


def _job(args: tuple[int, int]) -> dict:
    start = time.perf_counter()
    run = train_and_score(*args)
    print(
        f"hidden={args[0]} seed={args[1]}: exact at 2 phrases {[e[1] for e in run['exact']]} "
        f"({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="processes, one CPU thread each")
    args = parser.parse_args()
    start = time.perf_counter()
    jobs = [(h, s) for h in SIZES for s in SEEDS]
    with multiprocessing.Pool(args.workers) as pool:
        # The largest models first, so the workers finish together.
        done = dict(zip(sorted(jobs, reverse=True), pool.map(_job, sorted(jobs, reverse=True), chunksize=1)))
    result = {
        "config": CONFIG,
        "max_steps": MAX_STEPS,
        "eval_steps": list(EVAL_STEPS),
        "noun_phrases": [1, 2, 3, 4, 5],
        "runs": [done[job] for job in jobs],
        "machine": f"{platform.machine()}, 1 CPU thread per run, torch {torch.__version__}",
    }
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_translation_curves.py``; do not edit.\n\n"
            "``TRANSLATION_CURVES``: learning curves of chapter 6's plain encoder-decoder with context vectors\n"
            "of 32, 64 and 128 numbers, three seeds each: exact match and edit accuracy (0..1) per number of\n"
            "noun phrases on the test sentences at every checkpoint in ``eval_steps``, and the mean training\n"
            "loss (nats per word) of the steps up to each checkpoint since the one before.\n"
        ),
        "TRANSLATION_CURVES",
        result,
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
