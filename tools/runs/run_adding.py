"""The learning-rate sweep behind chapter 7's comparison on the adding problem.

    python tools/runs/run_adding.py

Chapter 7 compares four recurrent networks on the adding problem, each with its own
learning rate. This script trains every network (``KINDS``) with every rate (``LRS``) and
seed (``SEEDS``) under the chapter's recipe (``CONFIG``) and records each run's MSE on a
validation set and on the test set. The chapter picks, for each network, the rate with the
lower mean *validation* MSE and then trains and reports those runs itself (test MSE).
Writes ``code/seqmodels/results/adding.py``. Run on one CPU thread (a few minutes).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import time

import torch

from booktools.stored_module import write_module
from seqmodels.adding import compare_on_adding

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "adding.py"
CONFIG = {
    "seq_len": 30,
    "hidden_size": 32,
    "max_steps": 400,
    "batch_size": 64,
    "optimizer": "adam",
    "clip": 1.0,
    "num_test": 1000,
    "num_valid": 1000,
}
KINDS = ("tanh", "relu", "irnn", "lstm")
LRS = (0.003, 0.02)
SEEDS = (0, 1, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    runs = []
    for kind in KINDS:
        for lr in LRS:
            results = compare_on_adding(
                [kind],
                CONFIG["seq_len"],
                seeds=SEEDS,
                hidden_size=CONFIG["hidden_size"],
                num_valid=CONFIG["num_valid"],
                max_steps=CONFIG["max_steps"],
                batch_size=CONFIG["batch_size"],
                optimizer=CONFIG["optimizer"],
                clip=CONFIG["clip"],
                num_test=CONFIG["num_test"],
                lr=lr,
                progress=False,
            )
            for r in results:
                runs.append(
                    {
                        "kind": kind,
                        "lr": lr,
                        "seed": r.seed,
                        "valid_mse": round(r.valid_mse, 5),
                        "test_mse": round(r.test_mse, 5),
                    }
                )
                print(runs[-1], flush=True)
    machine = f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}"
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_adding.py``; "
            "do not edit.\n\n"
            "``ADDING_SWEEP``: validation and test MSE on the adding problem of every network, learning\n"
            "rate and seed of chapter 7's sweep.\n"
        ),
        "ADDING_SWEEP",
        {"config": CONFIG, "kinds": KINDS, "lrs": LRS, "seeds": SEEDS, "runs": runs, "machine": machine},
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
