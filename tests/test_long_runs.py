"""Chapter 8's stored long runs: made with the configuration in seqmodels.long_runs, complete, consistent."""

from __future__ import annotations

import importlib.util
import math
import pathlib

import numpy as np
import pytest

from seqmodels.data import shakespeare_split
from seqmodels.long_runs import CONFIGS, RUNS_DIR, SAMPLE_PROMPTS, load_logprobs, load_run, run_path, stored_seeds

STORED = [(name, seed) for name in CONFIGS for seed in stored_seeds(name)]


def _script():
    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "runs" / "run_lm_long.py"
    spec = importlib.util.spec_from_file_location("run_lm_long", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_configuration_has_runs_and_the_best_has_three_seeds():
    assert all(stored_seeds(name) for name in CONFIGS)
    best = min(CONFIGS, key=lambda n: np.mean([load_run(n, s)["test_nats"] for s in stored_seeds(n)]))
    assert stored_seeds(best) == [0, 1, 2]
    assert {p.suffix for p in RUNS_DIR.iterdir()} == {".json", ".npz"}


@pytest.mark.parametrize("name, seed", STORED)
def test_a_stored_run_was_made_with_the_configuration_the_script_reads(name, seed):
    run = load_run(name, seed)
    assert (run["name"], run["seed"]) == (name, seed)
    assert run["config"] == CONFIGS[name]
    assert _script().CONFIGS is CONFIGS  # the script trains what the module declares


@pytest.mark.parametrize("name, seed", STORED)
def test_a_stored_run_has_its_curves_its_best_step_and_its_samples(name, seed):
    run, cfg = load_run(name, seed), CONFIGS[name]
    curves = run["curves"]
    assert len({len(v) for v in curves.values()}) == 1 and len(curves["step"]) >= 2
    assert curves["step"] == sorted(curves["step"]) and curves["step"][-1] == run["steps_run"] <= cfg["max_steps"]
    assert all(s % cfg["eval_every"] == 0 or s == run["steps_run"] for s in curves["step"])
    assert run["best_step"] == curves["step"][int(np.argmin(curves["valid"]))]
    assert all(0 < x < math.log(66) for x in curves["train"] + curves["valid"])
    assert run["stopped_by"] in ("patience", "max_steps")
    assert [s[: len(p)] for s, p in zip(run["samples"], SAMPLE_PROMPTS)] == list(SAMPLE_PROMPTS)
    assert all(len(s) == len(p) + 300 for s, p in zip(run["samples"], SAMPLE_PROMPTS))


@pytest.mark.parametrize("name, seed", STORED)
def test_stored_log_probabilities_cover_every_character_and_give_the_stored_losses(name, seed):
    split, run, lp = shakespeare_split(), load_run(name, seed), load_logprobs(name, seed)
    assert lp["valid"].shape == (len(split.valid) - 1,) and lp["test"].shape == (len(split.test) - 1,)
    assert np.all(np.isfinite(lp["test"])) and np.all(lp["test"] <= 0)
    assert -lp["valid"].mean() == pytest.approx(run["valid_nats"], abs=1e-4)
    assert -lp["test"].mean() == pytest.approx(run["test_nats"], abs=1e-4)


def test_the_learning_rate_warms_up_then_decays_by_a_cosine_to_a_tenth():
    lr = _script().learning_rate
    cfg = {"lr": 1.0, "warmup": 10, "max_steps": 110}
    assert lr(5, cfg) == pytest.approx(0.5) and lr(10, cfg) == pytest.approx(1.0)
    assert lr(60, cfg) == pytest.approx(0.55) and lr(110, cfg) == pytest.approx(0.1)
    steps = [lr(s, cfg) for s in range(10, 111)]
    assert steps == sorted(steps, reverse=True)


@pytest.mark.parametrize("call, error, match", [
    (lambda: run_path("lstm-9x9", 0, ".json"), ValueError, "name must be one of"),
    (lambda: run_path("lstm-1x256", -1, ".json"), ValueError, "seed"),
    (lambda: run_path("lstm-1x256", 0, ".pt"), ValueError, "suffix"),
    (lambda: load_run("lstm-1x256", 99), FileNotFoundError, "tools/runs/run_lm_long.py lstm-1x256 99"),
    (lambda: load_logprobs("lstm-1x256", 99), FileNotFoundError, "run_lm_long.py"),
    (lambda: stored_seeds(3), ValueError, "name"),
])
def test_bad_run_names_seeds_and_missing_runs_get_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_script_summarises_every_stored_run_and_asks_for_a_name_and_a_seed(capsys):
    script = _script()
    script.main(["--summary"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(STORED) and all(" test " in line for line in lines)
    with pytest.raises(SystemExit):
        script.main(["lstm-1x256"])
