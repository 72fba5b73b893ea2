"""Chapter 8's long language-model runs: their configurations and their stored results.

``tools/runs/run_lm_long.py NAME SEED`` trains configuration ``CONFIGS[NAME]`` with seed ``SEED``
(through :func:`seqmodels.lm.train_lm`) and writes ``data_files/lm_runs/NAME-seedSEED.{json,npz}``;
the chapter only reads them,
through :func:`load_run` and :func:`load_logprobs`. ``tests/test_long_runs.py`` checks that
every stored run was made with the configuration written here.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np

RUNS_DIR = pathlib.Path(__file__).resolve().parent / "data_files" / "lm_runs"

_COMMON = {
    "batch_size": 32,
    "num_steps": 128,
    "weight_decay": 0.01,
    "clip": 1.0,
    "warmup": 50,
    "eval_every": 100,
    "patience": 3,
}

#: name -> configuration of a regularised character LSTM (see ``tools/runs/run_lm_long.py``).
CONFIGS: dict[str, dict] = {
    "lstm-1x256": {
        **_COMMON,
        "num_layers": 1,
        "hidden_size": 256,
        "embed_size": 64,
        "dropout": 0.2,
        "lr": 3e-3,
        "max_steps": 3000,
    },
    "lstm-2x512": {
        **_COMMON,
        "num_layers": 2,
        "hidden_size": 512,
        "embed_size": 64,
        "dropout": 0.25,
        "lr": 2e-3,
        "max_steps": 1800,
    },
}

#: How the stored samples begin: a speaker's name on its own line, as the plays set it.
SAMPLE_PROMPTS = ("HAMLET\n", "LADY MACBETH\n")


def _check_name(name: str) -> str:
    if not isinstance(name, str) or name not in CONFIGS:
        raise ValueError(f"name must be one of {sorted(CONFIGS)}, got {name!r}")
    return name


def run_path(name: str, seed: int, suffix: str) -> pathlib.Path:
    """Where run ``name`` with ``seed`` is stored (``suffix`` ``".json"`` or ``".npz"``)."""
    _check_name(name)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if suffix not in (".json", ".npz"):
        raise ValueError(f"suffix must be '.json' or '.npz', got {suffix!r}")
    return RUNS_DIR / f"{name}-seed{seed}{suffix}"


def stored_seeds(name: str) -> list[int]:
    """The seeds stored for configuration ``name``, in increasing order."""
    _check_name(name)
    return sorted(int(p.stem.rsplit("-seed", 1)[1]) for p in RUNS_DIR.glob(f"{name}-seed*.json"))


def load_run(name: str, seed: int) -> dict:
    """The stored summary of one run: configuration, curves, nats/char, samples."""
    path = run_path(name, seed, ".json")
    if not path.exists():
        raise FileNotFoundError(
            f"no stored run {path.name}; train it with: python tools/runs/run_lm_long.py {name} {seed}"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def load_logprobs(name: str, seed: int) -> dict[str, np.ndarray]:
    """``{"valid": ..., "test": ...}``: the run's log-probability of every character but the first."""
    path = run_path(name, seed, ".npz")
    if not path.exists():
        raise FileNotFoundError(
            f"no stored log-probabilities {path.name}; run tools/runs/run_lm_long.py {name} {seed}"
        )
    with np.load(path) as data:
        return {"valid": data["valid"].astype(np.float64), "test": data["test"].astype(np.float64)}


__all__ = ["CONFIGS", "RUNS_DIR", "SAMPLE_PROMPTS", "load_logprobs", "load_run", "run_path", "stored_seeds"]
