"""Subject-verb agreement with attractors, beyond the training distances, over seeds (chapter 8).

    python tools/runs/run_agreement.py

Chapter 8 asks whether a recurrent network keeps the subject's number until the verb. One
seed, test distances equal to the training ones and a filler with no other noun cannot
answer it: a model may just agree with the last noun, and nothing is asked beyond what it
was trained on. This script trains on distances 0..8 where half the sentences end their
filler in a noun phrase ("of the teachers") whose number is independent of the subject's,
and tests every model on distances 0..16 twice: on sentences whose filler ends in an
**attractor** (a noun of the other number right before the verb) and on sentences without
one. Models (``CONFIG``): the Kneser-Ney 5-gram (deterministic, fitted once), and a tanh
RNN and an LSTM trained as word language models (is P(are) > P(is) at the verb?) and as
supervised number predictors (Linzen et al., 2016), each with the same seeds and the same
numbers of steps. It writes every run's accuracy per distance to
``code/seqmodels/results/agreement.py``, which the chapter reads. Run on one CPU thread
(about two minutes).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import time

import torch

from booktools.stored_module import write_module
from seqmodels.agreement import (
    accuracy_by_distance,
    agreement_vocab,
    lm_agreement_accuracy,
    number_prediction_accuracy,
    train_agreement_lm,
    train_number_predictor,
)
from seqmodels.data import AgreementSet, make_agreement_set
from seqmodels.ngram_fast import FastNGramLM, agreement_accuracy

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "agreement.py"
#: Data, models and training of every run.
CONFIG = {
    "train_size": 20_000,
    "train_distances": [0, 1, 2, 3, 4, 5, 6, 7, 8],
    "train_seed": 0,
    # half the training sentences (where there is room) end their filler in a noun phrase,
    # of either number with equal probability: the intervening noun says nothing about the verb
    "train_attractors": 0.25,
    "train_matching_nouns": 0.25,
    "test_size": 500,
    "test_distances": list(range(17)),
    # the no-attractor test sets are chapter 8's for k <= 8 (seed 100 + k)
    "plain_test_seed": 100,
    "attractor_test_seed": 2000,
    "ngram_order": 5,
    "embed_size": 16,
    "hidden_size": 32,
    "batch_size": 64,
    "lr": 0.01,
    "cells": ["rnn", "lstm"],
    "tasks": ["lm", "number"],
    "max_steps": [300, 1000],
    "seeds": [0, 1, 2],
}


def test_sets(attractors: bool) -> dict[int, AgreementSet]:
    """500 sentences per test distance, every one with an attractor where it fits (k >= 3), or none."""
    seed = CONFIG["attractor_test_seed"] if attractors else CONFIG["plain_test_seed"]
    return {
        k: make_agreement_set(CONFIG["test_size"], k, seed=seed + k, attractors=1.0 if attractors else 0.0)
        for k in CONFIG["test_distances"]
    }


def training_set() -> AgreementSet:
    return make_agreement_set(
        CONFIG["train_size"],
        CONFIG["train_distances"],
        seed=CONFIG["train_seed"],
        attractors=CONFIG["train_attractors"],
        matching_nouns=CONFIG["train_matching_nouns"],
    )


def _scores(score, tests: dict[str, dict[int, AgreementSet]]) -> dict[str, list[float]]:
    return {
        name: [round(a, 4) for a in accuracy_by_distance(score, sets).values()]
        for name, sets in tests.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    train = training_set()
    vocab = agreement_vocab(train)
    tests = {"attractor": test_sets(True), "plain": test_sets(False)}
    share = [float(tests["attractor"][k].attractors.mean()) for k in CONFIG["test_distances"]]
    ngram = FastNGramLM(CONFIG["ngram_order"], "kneser-ney").fit(train.sentences)
    runs = [
        {
            "model": f"{CONFIG['ngram_order']}-gram",
            "task": "lm",
            "max_steps": None,
            "seed": None,
            **_scores(lambda d: agreement_accuracy(ngram, d), tests),
        }
    ]
    print(f"{runs[-1]['model']}: attractor {runs[-1]['attractor']}", flush=True)
    kwargs = {k: CONFIG[k] for k in ("embed_size", "hidden_size", "batch_size", "lr")}
    for cell in CONFIG["cells"]:
        for task in CONFIG["tasks"]:
            for steps in CONFIG["max_steps"]:
                for seed in CONFIG["seeds"]:
                    if task == "lm":
                        model, _ = train_agreement_lm(
                            cell, train, vocab, max_steps=steps, seed=seed, progress=False, **kwargs
                        )
                        scores = _scores(lambda d: lm_agreement_accuracy(model, d, vocab), tests)
                    else:
                        model, _ = train_number_predictor(
                            cell, train, vocab, max_steps=steps, seed=seed, progress=False, **kwargs
                        )
                        scores = _scores(lambda d: number_prediction_accuracy(model, d, vocab), tests)
                    runs.append({"model": cell, "task": task, "max_steps": steps, "seed": seed, **scores})
                    print(
                        f"{cell} {task} steps={steps} seed={seed}: attractor {scores['attractor']} "
                        f"plain {scores['plain']}",
                        flush=True,
                    )
    seconds = time.perf_counter() - start
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_agreement.py``; "
            "do not edit.\n\n"
            "``AGREEMENT_RUNS``: verb-number accuracy (0..1, 500 sentences per distance) of the\n"
            "Kneser-Ney 5-gram and of tanh RNNs and LSTMs trained as language models (``task='lm'``)\n"
            "and as number predictors (``task='number'``), per test distance k between subject and\n"
            "verb, on test sets with an attractor right before the verb (``'attractor'``; there is\n"
            "room for one from k = 3, see ``'attractor_share'``) and without (``'plain'``).\n"
            "Trained on distances 0..8; see ``tools/runs/run_agreement.py`` for the recipe.\n"
        ),
        "AGREEMENT_RUNS",
        {
            "config": CONFIG,
            "distances": CONFIG["test_distances"],
            "attractor_share": share,
            "runs": runs,
            "seconds": round(seconds),
            "machine": f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}",
        },
    )
    print(f"wrote {OUT} in {seconds:.0f} s")


if __name__ == "__main__":
    main()
