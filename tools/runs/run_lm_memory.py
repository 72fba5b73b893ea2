"""How much context chapter 8's best character LSTM uses: its test loss with the state reset every N characters.

    python tools/runs/run_lm_memory.py WEIGHTS              # e.g. _build/lm_weights/lstm-2x512-seed0.pt
    python tools/runs/run_lm_memory.py WEIGHTS --name lstm-2x512 --seed 0

Chapter 8's LSTM beats Kneser-Ney counts on Shakespeare. Is that memory, context further back
than the counts' window, or better estimation from the same few characters? This script
answers it for the weights that ``tools/runs/run_lm_long.py NAME SEED --weights WEIGHTS`` kept
(the configuration chosen on validation, ``NAME``; its seed ``SEED``): it scores the test text
with the network's state reset every ``N`` characters (``RESET_EVERY``; then no prediction
can use more than ``N`` characters, :func:`seqmodels.contest.reset_logprobs`) and as one
unbroken stream (``None``: all of the history), and, for contrast, chapter 2's interpolated
Kneser-Ney counts of every order in ``KN_ORDERS``, each with its discount chosen on
validation (:func:`seqmodels.contest.kneser_ney_orders`; an ``n``-gram sees ``n - 1``
characters). Every model scores the same characters, and every loss is also split by the
chapter's kinds of character (:func:`seqmodels.contest.character_kinds`, with the context of
``KINDS_CONTEXT`` characters, plus the positions where a line break comes next), so the
chapter can say which characters gain from context beyond the counts' window.

It records the weights file's SHA-256, the configuration and the validation and test loss of
the run that made them (read from the run's JSON beside the weights), and writes
``code/seqmodels/results/lm_memory.py`` (``LM_MEMORY``). The weights themselves are not
stored. About ten minutes on one CPU thread (``OMP_NUM_THREADS=1``) for the 2x512 LSTM.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import platform
import time
from collections.abc import Sequence

import numpy as np
import torch

from booktools.stored_module import write_module
from seqmodels.contest import character_kinds, kneser_ney_orders, reset_logprobs
from seqmodels.data import Split, Vocab, shakespeare_split
from seqmodels.lm import CharLM, char_logprobs
from seqmodels.long_runs import CONFIGS

OUT = pathlib.Path(__file__).resolve().parents[2] / "code" / "seqmodels" / "results" / "lm_memory.py"
NAME, SEED = "lstm-2x512", 0
#: Reset the state every N characters; None: never (one stream, all of the history).
RESET_EVERY = (4, 8, 16, 32, 64, 128, 256, None)
KN_ORDERS = (1, 2, 3, 4, 5, 6, 7)
KN_DISCOUNTS = (0.7, 0.8, 0.85, 0.9, 0.95)
KINDS_CONTEXT = 5
NEXT_IS_LINE_BREAK = "before a line break"


def sha256(path: pathlib.Path) -> str:
    """The SHA-256 of a file, in hex: which weights a stored measurement was made with."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def kinds_of(split: Split) -> dict[str, np.ndarray]:
    """The chapter's kinds of test character, and the positions where a line break comes next."""
    kinds = character_kinds(split.test, split.train, context=KINDS_CONTEXT)
    kinds[NEXT_IS_LINE_BREAK] = np.array(list(split.test[1:])) == "\n"
    return kinds


def summary(logp: np.ndarray, kinds: dict[str, np.ndarray]) -> dict:
    """Test nats/char overall and per kind (4 decimals; None for a kind with no character)."""
    return {
        "test_nats": round(float(-logp.mean()), 4),
        "kinds": {
            kind: round(float(-logp[mask].mean()), 4) if mask.any() else None for kind, mask in kinds.items()
        },
    }


def measure(
    model: CharLM,
    vocab: Vocab,
    split: Split,
    reset_every: Sequence[int | None] = RESET_EVERY,
    orders: Sequence[int] = KN_ORDERS,
    discounts: Sequence[float] = KN_DISCOUNTS,
) -> list[dict]:
    """One record per reset interval of the network and per order of the counts, on ``split.test``."""
    ids = np.array(vocab.encode(split.test))
    kinds = kinds_of(split)
    rows = []
    for every in reset_every:
        start = time.perf_counter()
        logp = char_logprobs(model, ids) if every is None else reset_logprobs(model, ids, every)
        rows.append({"model": "lstm", "reset_every": every, **summary(logp, kinds)})
        print(
            rows[-1]["model"],
            every,
            rows[-1]["test_nats"],
            f"{time.perf_counter() - start:.0f} s",
            flush=True,
        )
    for order, (discount, logp) in kneser_ney_orders(
        split.train, split.valid, split.test, orders, discounts
    ).items():
        rows.append({"model": "kn", "order": order, "discount": discount, **summary(logp, kinds)})
        print(f"{order}-gram, D = {discount}: {rows[-1]['test_nats']}", flush=True)
    return rows


def load_model(weights: pathlib.Path, name: str, vocab_size: int) -> CharLM:
    """The CharLM of configuration ``name`` with the saved ``state_dict`` (loaded with ``weights_only=True``)."""
    cfg = CONFIGS[name]
    model = CharLM(
        vocab_size,
        cfg["hidden_size"],
        cell="lstm",
        embed_size=cfg["embed_size"],
        num_layers=cfg["num_layers"],
        dropout=cfg["dropout"],
    )
    model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    return model.eval()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=pathlib.Path, help="the state_dict run_lm_long.py --weights saved")
    parser.add_argument("--name", default=NAME, choices=sorted(CONFIGS))
    parser.add_argument("--seed", default=SEED, type=int)
    args = parser.parse_args(argv)
    run_file = args.weights.with_suffix(".json")
    if not args.weights.exists() or not run_file.exists():
        parser.error(
            f"need {args.weights} and the run's {run_file.name} beside it (run_lm_long.py --weights)"
        )
    run = json.loads(run_file.read_text(encoding="utf-8"))
    if (run["name"], run["seed"], run["config"]) != (args.name, args.seed, CONFIGS[args.name]):
        parser.error(
            f"{run_file.name} is run {run['name']} seed {run['seed']}, not {args.name} seed {args.seed}"
        )
    torch.set_num_threads(1)
    start = time.perf_counter()
    split = shakespeare_split()
    vocab = Vocab(split.train)
    model = load_model(args.weights, args.name, len(vocab))
    rows = measure(model, vocab, split)
    kinds = kinds_of(split)
    write_module(
        OUT,
        (
            "Results of runs too long for a chapter, written by ``tools/runs/run_lm_memory.py``; do not edit.\n\n"
            "``LM_MEMORY``: test nats/char of chapter 8's best character LSTM (configuration ``name``,\n"
            "chosen on validation, seed ``seed``) with its state reset every ``reset_every`` characters\n"
            "(None: never), and of Kneser-Ney counts of every order in ``kn_orders`` (discount chosen on\n"
            "validation), overall and per kind of character (``kinds``: each kind's share of the test\n"
            "characters); ``run``: the weights' SHA-256 and the run's configuration and losses.\n"
        ),
        "LM_MEMORY",
        {
            "name": args.name,
            "seed": args.seed,
            "reset_every": RESET_EVERY,
            "kn_orders": KN_ORDERS,
            "kn_discounts": KN_DISCOUNTS,
            "kinds_context": KINDS_CONTEXT,
            "run": {
                "weights_sha256": sha256(args.weights),
                "config": run["config"],
                "best_step": run["best_step"],
                "valid_nats": run["valid_nats"],
                "test_nats": run["test_nats"],
            },
            "kinds": {kind: round(float(mask.mean()), 4) for kind, mask in kinds.items()},
            "runs": rows,
            "machine": f"{platform.machine()}, 1 CPU thread, torch {torch.__version__}",
        },
    )
    print(f"wrote {OUT} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
