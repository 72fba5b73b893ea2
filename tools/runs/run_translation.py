"""Translators trained with several seeds and sizes, for chapters 6 and 9.

    python tools/runs/run_translation.py

Chapters 6 and 9 train one plain encoder-decoder and one with attention, with seed 0, in
a few seconds each. One seed can mislead: on another CPU, or with another seed, the same
recipe lands a few points, at five noun phrases many points, elsewhere. This script trains
the chapters' recipe (``CONFIG``) with five seeds, with and without attention, and the
plain model also with a context vector of 32 and of 128 numbers, and for twice the steps
(three seeds each), and writes every run's scores per number of noun phrases to
``code/seqmodels/results/translation.py``, which the chapters read. Run on one CPU thread
(a few minutes).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import time

import torch

from booktools.stored_module import write_module
from seqmodels import seed_everything
from seqmodels.phrases import build_vocabs, noun_phrase_count, translation_split
from seqmodels.seq2seq import accuracy_by_length, make_translator, train_translator

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "translation.py"
#: The chapters' recipe: data (``translation_split`` defaults), model and training.
CONFIG = {"embed_size": 32, "max_steps": 400, "batch_size": 64, "lr": 5e-3, "clip": 1.0, "hidden_size": 64}
#: (attention, hidden_size, max_steps, seeds) of every run.
RUNS = [
    (False, 64, 400, (0, 1, 2, 3, 4)),
    (True, 64, 400, (0, 1, 2, 3, 4)),
    (False, 32, 400, (0, 1, 2)),
    (False, 128, 400, (0, 1, 2)),
    (False, 64, 800, (0, 1, 2)),
]


def train_and_score(attention: bool, hidden_size: int, max_steps: int, seed: int) -> dict:
    """One run of the recipe; its exact match, token and edit accuracy per number of noun phrases."""
    split = translation_split()
    src_vocab, tgt_vocab = build_vocabs(split.train)
    seed_everything(seed)
    model = make_translator(
        src_vocab, tgt_vocab, attention=attention, embed_size=CONFIG["embed_size"], hidden_size=hidden_size
    )
    train_translator(
        model,
        split.train,
        src_vocab,
        tgt_vocab,
        max_steps=max_steps,
        batch_size=CONFIG["batch_size"],
        lr=CONFIG["lr"],
        clip=CONFIG["clip"],
        seed=seed,
        progress=False,
    )
    table = accuracy_by_length(model, split.test, src_vocab, tgt_vocab, key=noun_phrase_count)
    return {
        "attention": attention,
        "hidden_size": hidden_size,
        "max_steps": max_steps,
        "seed": seed,
        "exact": [round(s.exact, 4) for s in table.values()],
        "token": [round(s.token, 4) for s in table.values()],
        "edit": [round(s.edit, 4) for s in table.values()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    runs = []
    for attention, hidden_size, max_steps, seeds in RUNS:
        for seed in seeds:
            runs.append(train_and_score(attention, hidden_size, max_steps, seed))
            print(
                f"attention={attention} hidden={hidden_size} steps={max_steps} seed={seed}: "
                f"exact {runs[-1]['exact']}",
                flush=True,
            )
    result = {
        "config": CONFIG,
        "noun_phrases": [1, 2, 3, 4, 5],
        "runs": runs,
        "machine": f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}",
    }
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_translation.py``; "
            "do not edit.\n\n"
            "``TRANSLATION_RUNS``: exact match, token accuracy and edit accuracy (0..1) of translators\n"
            "trained with chapters 6 and 9's recipe, per number of noun phrases in the test sentences,\n"
            "for several seeds and sizes of the context vector, with and without attention.\n"
        ),
        "TRANSLATION_RUNS",
        result,
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
