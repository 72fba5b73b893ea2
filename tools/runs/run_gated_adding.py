"""The three-seed comparison behind chapter 8's adding problem: tanh RNN, GRU and LSTM.

    python tools/runs/run_gated_adding.py

Chapter 8 compares a plain tanh RNN, a GRU and an LSTM on the adding problem under one
recipe (``CONFIG``: Adam at learning rate 0.02, gradient norm clipped at 1, 400 batches of
64 fresh sequences of length 30). One seed says little about a training run that either
finds the two markers or does not, so this script trains every network (``KINDS``) with
every seed (``SEEDS``) and records each run's test and validation MSE and its training
curve: the moving average of the training MSE over ``SMOOTH`` steps, kept at every
``EVERY``-th step (``CURVE_STEPS``), enough to draw and small enough to store.
Nine runs take longer than the chapter's time budget allows, so the chapter reads them.
Writes ``code/seqmodels/results/gated_adding.py``. Run on one CPU thread (about a minute).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import time

import numpy as np
import torch

from booktools.stored_module import write_module
from seqmodels.adding import compare_on_adding

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "gated_adding.py"
CONFIG = {
    "seq_len": 30,
    "hidden_size": 32,
    "max_steps": 400,
    "batch_size": 64,
    "lr": 0.02,
    "optimizer": "adam",
    "clip": 1.0,
    "num_test": 1000,
    "num_valid": 1000,
}
KINDS = ("tanh", "gru", "lstm")
SEEDS = (0, 1, 2)
SMOOTH, EVERY = 20, 5

#: Training step (counted from 1) at which each stored point of a curve ends its window.
CURVE_STEPS = tuple(range(SMOOTH, CONFIG["max_steps"] + 1, EVERY))


def smoothed_curve(train_loss: list[float]) -> list[float]:
    """Moving average of ``SMOOTH`` steps of the training loss, at the steps ``CURVE_STEPS`` (4 digits)."""
    average = np.convolve(np.asarray(train_loss, dtype=np.float64), np.ones(SMOOTH) / SMOOTH, mode="valid")
    return [float(f"{average[step - SMOOTH]:.4g}") for step in CURVE_STEPS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    runs = []
    for kind in KINDS:
        results = compare_on_adding(
            [kind],
            CONFIG["seq_len"],
            seeds=SEEDS,
            hidden_size=CONFIG["hidden_size"],
            num_valid=CONFIG["num_valid"],
            max_steps=CONFIG["max_steps"],
            batch_size=CONFIG["batch_size"],
            lr=CONFIG["lr"],
            optimizer=CONFIG["optimizer"],
            clip=CONFIG["clip"],
            num_test=CONFIG["num_test"],
            progress=False,
        )
        for r in results:
            runs.append(
                {
                    "kind": kind,
                    "seed": r.seed,
                    "test_mse": round(r.test_mse, 5),
                    "valid_mse": round(r.valid_mse, 5),
                    "curve": smoothed_curve(r.history.train_loss),
                }
            )
            print({k: v for k, v in runs[-1].items() if k != "curve"}, f"{r.seconds:.1f} s", flush=True)
    machine = f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}"
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_gated_adding.py``; "
            "do not edit.\n\n"
            "``GATED_ADDING_RUNS``: test and validation MSE on the adding problem of chapter 8's tanh RNN,\n"
            "GRU and LSTM for three seeds, and each run's training curve (moving average of the training\n"
            "MSE over ``smooth`` steps, at the training steps ``curve_steps``).\n"
        ),
        "GATED_ADDING_RUNS",
        {
            "config": CONFIG,
            "kinds": KINDS,
            "seeds": SEEDS,
            "smooth": SMOOTH,
            "curve_steps": CURVE_STEPS,
            "runs": runs,
            "machine": machine,
        },
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
