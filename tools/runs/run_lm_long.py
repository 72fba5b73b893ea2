"""Long, regularised runs of character LSTMs on Shakespeare, for chapter 8's contest.

    python tools/runs/run_lm_long.py NAME SEED      # e.g. lstm-2x512 0; about 30-60 min on one thread
    python tools/runs/run_lm_long.py --summary      # the stored runs, one line each

Chapter 8 trains its networks for seconds; a network needs tens of minutes to show what it
can do against chapter 2's Kneser-Ney counts. This script trains one configuration of
:data:`seqmodels.long_runs.CONFIGS` on the book's shared split (``shakespeare_split``) with
what keeps a large network from memorising the training text: dropout, AdamW's weight
decay, a cosine learning-rate schedule after a short warm-up, and early stopping (the
weights kept are those of the best validation loss). It writes, under
``code/seqmodels/data_files/lm_runs/``:

- ``NAME-seedSEED.json``: the configuration, the training and validation curves, the best
  step, validation and test nats/char, and samples of the kept model;
- ``NAME-seedSEED.npz``: ``log P(x_t | x_<t)`` of every character of the validation and test
  text but the first, read as one stream, for the chapter's interpolation with Kneser-Ney
  and its breakdown by kind of character.

The chapter reads these files (``seqmodels.long_runs``); it never trains these models.
Run it on one CPU thread (``OMP_NUM_THREADS=1``), two runs side by side on a 2-core machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import platform
import sys
import time

import numpy as np
import torch
from torch.nn import functional as F

from seqmodels import seed_everything
from seqmodels.data import Vocab, lm_batches, shakespeare_split
from seqmodels.lm import CharLM, char_logprobs, detach, evaluate_lm, sample
from seqmodels.long_runs import CONFIGS, SAMPLE_PROMPTS, load_run, run_path, stored_seeds


def learning_rate(step: int, cfg: dict) -> float:
    """Linear warm-up to ``lr``, then a cosine decay to ``lr / 10`` at ``max_steps``."""
    if step <= cfg["warmup"]:
        return cfg["lr"] * step / cfg["warmup"]
    progress = (step - cfg["warmup"]) / max(1, cfg["max_steps"] - cfg["warmup"])
    return cfg["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def train_run(name: str, seed: int) -> dict:
    cfg = CONFIGS[name]
    torch.set_num_threads(1)
    split = shakespeare_split()
    vocab = Vocab(split.train)
    train_ids, valid_ids, test_ids = (vocab.encode(t) for t in split)
    seed_everything(seed)
    model = CharLM(len(vocab), cfg["hidden_size"], cell="lstm", embed_size=cfg["embed_size"],
                   num_layers=cfg["num_layers"], dropout=cfg["dropout"])
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    curves = {"step": [], "train": [], "valid": [], "seconds": []}
    best = {"valid": math.inf, "step": 0, "state": None}
    start, step, epoch, window, bad_evals = time.perf_counter(), 0, 0, [], 0
    while step < cfg["max_steps"] and bad_evals < cfg["patience"]:
        state = None  # each epoch: a new random offset, a zero state
        for X, Y in lm_batches(train_ids, cfg["batch_size"], cfg["num_steps"], seed=1000 * seed + epoch):
            step += 1
            for group in opt.param_groups:
                group["lr"] = learning_rate(step, cfg)
            model.train()
            logits, state = model(X, detach(state))
            loss = F.cross_entropy(logits.flatten(0, 1), Y.flatten())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["clip"])
            opt.step()
            window.append(loss.item())
            if step % cfg["eval_every"] == 0 or step == cfg["max_steps"]:
                valid = evaluate_lm(model, valid_ids, batch_size=cfg["batch_size"], num_steps=cfg["num_steps"])
                curves["step"].append(step)
                curves["train"].append(round(float(np.mean(window)), 4))
                curves["valid"].append(round(valid, 4))
                curves["seconds"].append(round(time.perf_counter() - start, 1))
                window = []
                if valid < best["valid"]:
                    best.update(valid=valid, step=step, state=copy.deepcopy(model.state_dict()))
                    bad_evals = 0
                else:
                    bad_evals += 1
                print(f"{name} seed {seed} step {step}: train {curves['train'][-1]:.4f} "
                      f"valid {valid:.4f} ({curves['seconds'][-1]:.0f} s)", flush=True)
            if step >= cfg["max_steps"] or bad_evals >= cfg["patience"]:
                break
        epoch += 1
    seconds = time.perf_counter() - start
    model.load_state_dict(best["state"])
    model.eval()
    valid_lp = char_logprobs(model, valid_ids)
    test_lp = char_logprobs(model, test_ids)
    np.savez_compressed(run_path(name, seed, ".npz"), valid=valid_lp.astype(np.float32), test=test_lp.astype(np.float32))
    run = {
        "name": name, "seed": seed, "config": cfg,
        "parameters": sum(p.numel() for p in model.parameters()),
        "curves": curves, "best_step": best["step"], "steps_run": step,
        "stopped_by": "patience" if bad_evals >= cfg["patience"] else "max_steps",
        "valid_nats": round(float(-valid_lp.mean()), 4), "test_nats": round(float(-test_lp.mean()), 4),
        "samples": [sample(model, vocab, prompt, length=300, temperature=0.8, seed=seed) for prompt in SAMPLE_PROMPTS],
        "train_seconds": round(seconds, 1),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} CPU thread, torch {torch.__version__}",
    }
    run_path(name, seed, ".json").write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    return run


def summary() -> None:
    for run in (load_run(name, seed) for name in CONFIGS for seed in stored_seeds(name)):
        print(f"{run['name']:12s} seed {run['seed']}: valid {run['valid_nats']:.4f}  test {run['test_nats']:.4f}  "
              f"best step {run['best_step']}/{run['steps_run']} ({run['stopped_by']}), {run['train_seconds'] / 60:.0f} min")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", choices=sorted(CONFIGS))
    parser.add_argument("seed", nargs="?", type=int)
    parser.add_argument("--summary", action="store_true", help="print the stored runs and exit")
    args = parser.parse_args(argv)
    if args.summary:
        summary()
        return
    if args.name is None or args.seed is None:
        parser.error("give NAME and SEED, or --summary")
    run = train_run(args.name, args.seed)
    print(f"{args.name} seed {args.seed}: test {run['test_nats']:.4f} nats/char (best step {run['best_step']})")


if __name__ == "__main__":
    sys.exit(main())
