"""A longer LSTM language-model run than a chapter can afford, for chapter 8's table.

    python tools/lm_long_run.py [--steps N] [--budget SECONDS]

Chapter 8 trains its language models for a few seconds each, and a 5-gram count model
beats all of them. This script trains a larger LSTM on the same split, evaluating the
validation loss (nats/char) every 250 steps, and writes the learning curve to
``code/seqmodels/long_runs.py`` so the chapter can show, without retraining, how many
steps and seconds the LSTM needs to overtake the counts. Run on one CPU thread.
"""

from __future__ import annotations

import argparse
import pathlib
import platform

import torch

from seqmodels import seed_everything
from seqmodels.data import Vocab, shakespeare_split
from seqmodels.lm import CharLM, train_lm

OUT = pathlib.Path(__file__).resolve().parent.parent / "code" / "seqmodels" / "long_runs.py"
CONFIG = {"cell": "lstm", "hidden_size": 256, "embed_size": 32, "batch_size": 32, "num_steps": 64,
          "lr": 3e-3, "clip": 1.0, "eval_every": 250, "seed": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--budget", type=float, default=780.0, help="wall-clock seconds at most")
    args = parser.parse_args()
    torch.set_num_threads(1)
    split = shakespeare_split()
    vocab = Vocab(split.train)
    seed_everything(CONFIG["seed"])
    model = CharLM(len(vocab), CONFIG["hidden_size"], cell=CONFIG["cell"], embed_size=CONFIG["embed_size"])
    history = train_lm(
        model, vocab.encode(split.train), vocab.encode(split.valid),
        batch_size=CONFIG["batch_size"], num_steps=CONFIG["num_steps"], max_steps=args.steps,
        lr=CONFIG["lr"], clip=CONFIG["clip"], eval_every=CONFIG["eval_every"], time_budget=args.budget,
        seed=CONFIG["seed"],
    )
    seconds_per_step = history.seconds / len(history.steps)
    run = {
        "config": CONFIG,
        "eval_steps": history.eval_steps,
        "eval_loss": [round(x, 4) for x in history.eval_loss],
        "seconds_per_step": round(seconds_per_step, 4),
        "machine": f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}",
    }
    OUT.write_text(
        '"""Results of runs too long for a chapter, written by ``tools/lm_long_run.py``; do not edit.\n\n'
        "``LSTM_LONG_RUN``: validation loss (nats/char) of a larger character LSTM on the shared\n"
        'Shakespeare split every ``eval_every`` steps; chapter 8 compares it with the n-gram model.\n"""\n\n'
        "LSTM_LONG_RUN = {\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in run.items()) + "}\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT}: final {history.eval_loss[-1]:.3f} nats/char after {history.steps[-1]} steps")


if __name__ == "__main__":
    main()
