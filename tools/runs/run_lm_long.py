"""Long, regularised runs of character LSTMs on Shakespeare, for chapter 8's contest.

    python tools/runs/run_lm_long.py NAME SEED      # e.g. lstm-2x512 0; about 30-60 min on one thread
    python tools/runs/run_lm_long.py --summary      # the stored runs, one line each
    python tools/runs/run_lm_long.py lstm-2x512 0 --weights _build/lm_weights/lstm-2x512-seed0.pt
                                                    # retrain, keep the weights there (not stored)

Chapter 8 trains its networks for seconds; a network needs tens of minutes to show what it
can do against chapter 2's Kneser-Ney counts. This script trains one configuration of
:data:`seqmodels.long_runs.CONFIGS` on the book's shared split (``shakespeare_split``) with
what keeps a large network from memorising the training text: dropout, AdamW's weight
decay, a cosine learning-rate schedule after a short warm-up, and early stopping (the
weights kept are those of the best validation loss), all of them options of the book's
:func:`seqmodels.lm.train_lm`: the script has no training loop of its own. It writes, under
``code/seqmodels/data_files/lm_runs/``:

- ``NAME-seedSEED.json``: the configuration, the arguments ``train_lm`` ran with
  (``"train_lm"``, its ``History.config``; runs stored before it existed lack it), the
  training and validation curves, the best step, validation and test nats/char, and samples
  of the kept model;
- ``NAME-seedSEED.npz``: ``log P(x_t | x_<t)`` of every character of the validation and test
  text but the first, read as one stream, for the chapter's interpolation with Kneser-Ney
  and its breakdown by kind of character.

The chapter reads these files (``seqmodels.long_runs``); it never trains these models.
Run it on one CPU thread (``OMP_NUM_THREADS=1``), two runs side by side on a 2-core machine.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import pathlib
import platform
import sys

import numpy as np
import torch

from seqmodels import seed_everything
from seqmodels.data import Vocab, shakespeare_split
from seqmodels.lm import CharLM, char_logprobs, sample, train_lm
from seqmodels.long_runs import CONFIGS, SAMPLE_PROMPTS, load_run, run_path, stored_seeds
from seqmodels.train import History


def learning_rate(step: int, cfg: dict) -> float:
    """Linear warm-up to ``lr``, then a cosine decay to ``lr / 10`` at ``max_steps``."""
    if step <= cfg["warmup"]:
        return cfg["lr"] * step / cfg["warmup"]
    progress = (step - cfg["warmup"]) / max(1, cfg["max_steps"] - cfg["warmup"])
    return cfg["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def train_lm_settings(cfg: dict, seed: int) -> dict:
    """The keyword arguments of :func:`seqmodels.lm.train_lm` for configuration ``cfg`` and ``seed``.

    AdamW with ``cfg["weight_decay"]``, the warm-up and cosine :func:`learning_rate`, early
    stopping after ``cfg["patience"]`` evaluations without a new best, and the best weights
    kept. Each epoch's batches are seeded ``1000 * seed + epoch``.
    """
    return dict(
        batch_size=cfg["batch_size"],
        num_steps=cfg["num_steps"],
        max_steps=cfg["max_steps"],
        lr=cfg["lr"],
        optimizer="adamw",
        weight_decay=cfg["weight_decay"],
        schedule=functools.partial(learning_rate, cfg=cfg),
        clip=cfg["clip"],
        eval_every=cfg["eval_every"],
        patience=cfg["patience"],
        keep_best=True,
        seed=1000 * seed,
    )


def curves(history: History) -> dict[str, list]:
    """At each evaluation: the step, the mean training loss since the last one, the validation loss, the time."""
    steps = history.eval_steps
    starts = [0, *steps[:-1]]  # train_loss[i] is the loss of step i + 1
    return {
        "step": steps,
        "train": [round(float(np.mean(history.train_loss[a:b])), 4) for a, b in zip(starts, steps)],
        "valid": [round(v, 4) for v in history.eval_loss],
        "seconds": [round(s, 1) for s in history.eval_seconds],
    }


def train_run(name: str, seed: int, weights: pathlib.Path | None = None) -> dict:
    """Train configuration ``name`` with ``seed``; store its run, or with ``weights`` save the model there.

    With ``weights``, the kept model's ``state_dict`` goes to that file (for analyses that need
    the network itself, such as chapter 8's memory measurement) and the run's JSON and
    log-probabilities go beside it, so the stored runs the chapter reads are left as they are.
    """
    cfg = CONFIGS[name]
    torch.set_num_threads(1)
    split = shakespeare_split()
    vocab = Vocab(split.train)
    train_ids, valid_ids, test_ids = (vocab.encode(t) for t in split)
    seed_everything(seed)
    model = CharLM(
        len(vocab),
        cfg["hidden_size"],
        cell="lstm",
        embed_size=cfg["embed_size"],
        num_layers=cfg["num_layers"],
        dropout=cfg["dropout"],
    )
    history = train_lm(
        model, train_ids, valid_ids, **train_lm_settings(cfg, seed)
    )  # ends with the best weights
    valid_lp = char_logprobs(model, valid_ids)
    test_lp = char_logprobs(model, test_ids)
    out = (
        (lambda suffix: weights.with_suffix(suffix))
        if weights
        else (lambda suffix: run_path(name, seed, suffix))
    )
    if weights:
        weights.parent.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), weights)
    np.savez_compressed(out(".npz"), valid=valid_lp.astype(np.float32), test=test_lp.astype(np.float32))
    run = {
        "name": name,
        "seed": seed,
        "config": cfg,
        "train_lm": history.config,
        "parameters": sum(p.numel() for p in model.parameters()),
        "curves": curves(history),
        "best_step": history.best_step,
        "steps_run": history.steps[-1],
        "stopped_by": history.stopped_by,
        "valid_nats": round(float(-valid_lp.mean()), 4),
        "test_nats": round(float(-test_lp.mean()), 4),
        "samples": [
            sample(model, vocab, prompt, length=300, temperature=0.8, seed=seed) for prompt in SAMPLE_PROMPTS
        ],
        "train_seconds": round(history.seconds, 1),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} CPU thread, torch {torch.__version__}",
    }
    out(".json").write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    return run


def summary() -> None:
    for run in (load_run(name, seed) for name in CONFIGS for seed in stored_seeds(name)):
        print(
            f"{run['name']:12s} seed {run['seed']}: valid {run['valid_nats']:.4f}  test {run['test_nats']:.4f}  "
            f"best step {run['best_step']}/{run['steps_run']} ({run['stopped_by']}), {run['train_seconds'] / 60:.0f} min"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", choices=sorted(CONFIGS))
    parser.add_argument("seed", nargs="?", type=int)
    parser.add_argument(
        "--weights", type=pathlib.Path, help="save the kept weights here (run files beside them)"
    )
    parser.add_argument("--summary", action="store_true", help="print the stored runs and exit")
    args = parser.parse_args(argv)
    if args.summary:
        summary()
        return
    if args.name is None or args.seed is None:
        parser.error("give NAME and SEED, or --summary")
    run = train_run(args.name, args.seed, args.weights)
    print(
        f"{args.name} seed {args.seed}: test {run['test_nats']:.4f} nats/char (best step {run['best_step']})"
    )


if __name__ == "__main__":
    sys.exit(main())
