"""Chapter 5's truncation experiment with three seeds: which delays full and truncated BPTT learn.

    python tools/runs/run_delay.py

Chapter 5 trains one network per delay and per training method (full BPTT, windows of
k = 4 steps) on ``seqmodels.bptt.delayed_copy_task`` with seed 0 and reads off where
truncated BPTT stops learning. One initialisation could be lucky or unlucky, so this
script runs the same recipe (``seqmodels.bptt.delay_accuracy`` with its defaults) for every
seed in ``SEEDS``, every delay in ``DELAYS`` and every window in ``WINDOWS``, and writes the
test accuracies to ``code/seqmodels/results/delay.py``, which the chapter reads. Run on one
CPU thread (about a minute).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import time

import numpy as np

from booktools.stored_module import write_module
from seqmodels.bptt import delay_accuracy

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "delay.py"
SEEDS = (0, 1, 2)
DELAYS = (2, 3, 4, 6)
#: Window lengths k; None is full BPTT.
WINDOWS = (None, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    start = time.perf_counter()
    runs = []
    for seed in SEEDS:
        for k in WINDOWS:
            accuracy = [round(delay_accuracy(d, k, seed=seed), 4) for d in DELAYS]
            runs.append({"seed": seed, "k": k, "accuracy": accuracy})
            print(f"seed={seed} k={k}: {accuracy}", flush=True)
    result = {
        "delays": list(DELAYS),
        "windows": list(WINDOWS),
        "seeds": list(SEEDS),
        "runs": runs,
        "machine": f"{platform.machine()}, 1 CPU thread, numpy {np.__version__}",
    }
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_delay.py``; do not edit.\n\n"
            "``DELAY_RUNS``: test accuracy (0..1) of ``seqmodels.bptt.delay_accuracy`` for every seed, every\n"
            "window length k (None: full BPTT) and every delay in ``delays``, in that order.\n"
        ),
        "DELAY_RUNS",
        result,
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
