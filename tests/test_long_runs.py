"""Chapter 8's stored long runs: made with the configuration in seqmodels.long_runs, complete, consistent."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import math
import pathlib
import time

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from seqmodels import seed_everything
from seqmodels.contest import character_kinds
from seqmodels.data import Split, Vocab, lm_batches, shakespeare_split
from seqmodels.lm import CharLM, char_logprobs, detach, evaluate_lm, train_lm
from seqmodels.long_runs import (
    CONFIGS,
    RUNS_DIR,
    SAMPLE_PROMPTS,
    load_logprobs,
    load_run,
    run_path,
    stored_seeds,
)
from seqmodels.train import plain

STORED = [(name, seed) for name in CONFIGS for seed in stored_seeds(name)]


def _script():
    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "runs" / "run_lm_long.py"
    spec = importlib.util.spec_from_file_location("run_lm_long", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_configuration_has_runs_and_the_best_on_validation_has_three_seeds():
    assert all(stored_seeds(name) for name in CONFIGS)
    # Chosen on validation, as the chapter does: the test text is used once, to score.
    best = min(CONFIGS, key=lambda n: np.mean([load_run(n, s)["valid_nats"] for s in stored_seeds(n)]))
    assert stored_seeds(best) == [0, 1, 2]
    assert {p.suffix for p in RUNS_DIR.iterdir()} == {".json", ".npz"}


@pytest.mark.parametrize("name, seed", STORED)
def test_a_stored_run_was_made_with_the_configuration_the_script_reads(name, seed):
    run = load_run(name, seed)
    assert (run["name"], run["seed"]) == (name, seed)
    assert run["config"] == CONFIGS[name]
    assert _script().CONFIGS is CONFIGS  # the script trains what the module declares
    if "train_lm" in run:  # runs stored since train_lm records the arguments it ran with
        settings = _script().train_lm_settings(CONFIGS[name], seed)
        assert all(run["train_lm"][key] == plain(value) for key, value in settings.items())


@pytest.mark.parametrize("name, seed", STORED)
def test_a_stored_run_has_its_curves_its_best_step_and_its_samples(name, seed):
    run, cfg = load_run(name, seed), CONFIGS[name]
    curves = run["curves"]
    assert len({len(v) for v in curves.values()}) == 1 and len(curves["step"]) >= 2
    assert (
        curves["step"] == sorted(curves["step"])
        and curves["step"][-1] == run["steps_run"] <= cfg["max_steps"]
    )
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


@pytest.mark.parametrize("name", CONFIGS)
def test_the_script_hands_every_setting_of_a_configuration_to_train_lm(name):
    cfg, settings = CONFIGS[name], _script().train_lm_settings(CONFIGS[name], seed=2)
    for key in cfg.keys() - {
        "num_layers",
        "hidden_size",
        "embed_size",
        "dropout",
        "warmup",
    }:  # CharLM's; the schedule's
        assert settings[key] == cfg[key], key
    assert settings["optimizer"] == "adamw" and settings["keep_best"] and settings["seed"] == 2000
    schedule = settings["schedule"]
    assert schedule(cfg["warmup"]) == cfg["lr"] and schedule(1) == cfg["lr"] / cfg["warmup"]


def test_the_script_has_no_training_loop_of_its_own():
    source = pathlib.Path(_script().__file__).read_text(encoding="utf-8")
    assert "backward()" not in source and "train_lm(" in source


def test_the_learning_rate_warms_up_then_decays_by_a_cosine_to_a_tenth():
    lr = _script().learning_rate
    cfg = {"lr": 1.0, "warmup": 10, "max_steps": 110}
    assert lr(5, cfg) == pytest.approx(0.5) and lr(10, cfg) == pytest.approx(1.0)
    assert lr(60, cfg) == pytest.approx(0.55) and lr(110, cfg) == pytest.approx(0.1)
    steps = [lr(s, cfg) for s in range(10, 111)]
    assert steps == sorted(steps, reverse=True)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: run_path("lstm-9x9", 0, ".json"), ValueError, "name must be one of"),
        (lambda: run_path("lstm-1x256", -1, ".json"), ValueError, "seed"),
        (lambda: run_path("lstm-1x256", 0, ".pt"), ValueError, "suffix"),
        (lambda: load_run("lstm-1x256", 99), FileNotFoundError, "tools/runs/run_lm_long.py lstm-1x256 99"),
        (lambda: load_logprobs("lstm-1x256", 99), FileNotFoundError, "run_lm_long.py"),
        (lambda: stored_seeds(3), ValueError, "name"),
    ],
)
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


# ---- the memory measurement: tools/runs/run_lm_memory.py and its stored results


def _memory_script():
    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "runs" / "run_lm_memory.py"
    spec = importlib.util.spec_from_file_location("run_lm_memory", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_memory_script_scores_every_reset_and_every_order_on_the_same_kinds_of_character():
    script = _memory_script()
    split = Split(
        "the cat sat on the mat.\nthe dog sat.\n" * 10, "the cat sat.\n", "the dog sat on the cat.\n"
    )
    vocab = Vocab(split.train)
    torch.manual_seed(0)
    model = CharLM(len(vocab), 8, cell="lstm", embed_size=4)
    rows = script.measure(model, vocab, split, reset_every=(2, None), orders=(1, 3), discounts=(0.5, 0.9))
    assert [(r["model"], r.get("reset_every"), r.get("order")) for r in rows] == [
        ("lstm", 2, None),
        ("lstm", None, None),
        ("kn", None, 1),
        ("kn", None, 3),
    ]
    kinds = script.kinds_of(split)
    assert set(kinds) == set(character_kinds(split.test, split.train, context=script.KINDS_CONTEXT)) | {
        script.NEXT_IS_LINE_BREAK
    }
    assert all(len(mask) == len(split.test) - 1 for mask in kinds.values())
    assert all(set(r["kinds"]) == set(kinds) and r["test_nats"] > 0 for r in rows)
    assert all((value is None) == (not kinds[kind].any()) for r in rows for kind, value in r["kinds"].items())
    never = -char_logprobs(model, vocab.encode(split.test)).mean()
    assert rows[1]["test_nats"] == pytest.approx(never, abs=1e-4)


def test_the_memory_script_loads_weights_safely_and_names_them_by_their_hash(tmp_path):
    script = _memory_script()
    cfg = CONFIGS[script.NAME]
    torch.manual_seed(0)
    model = CharLM(
        5, cfg["hidden_size"], cell="lstm", embed_size=cfg["embed_size"], num_layers=cfg["num_layers"]
    )
    path = tmp_path / "w.pt"
    torch.save(model.state_dict(), path)
    loaded = script.load_model(path, script.NAME, 5)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), loaded.state_dict().values()))
    assert script.sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SystemExit):  # no run JSON beside the weights
        script.main([str(path)])


def test_the_memory_script_measures_the_configuration_chosen_on_validation():
    best = min(CONFIGS, key=lambda n: np.mean([load_run(n, s)["valid_nats"] for s in stored_seeds(n)]))
    script = _memory_script()
    assert (script.NAME, script.SEED) == (best, 0)
    assert script.RESET_EVERY == (4, 8, 16, 32, 64, 128, 256, None) and script.KN_ORDERS == tuple(range(1, 8))


def test_the_stored_memory_measurement_matches_the_scripts_configuration():
    memory = pytest.importorskip("seqmodels.results.lm_memory").LM_MEMORY
    script = _memory_script()
    assert (memory["name"], memory["seed"]) == (script.NAME, script.SEED)
    assert (
        tuple(memory["reset_every"]) == script.RESET_EVERY and tuple(memory["kn_orders"]) == script.KN_ORDERS
    )
    assert (
        tuple(memory["kn_discounts"]) == script.KN_DISCOUNTS
        and memory["kinds_context"] == script.KINDS_CONTEXT
    )
    assert memory["run"]["config"] == CONFIGS[script.NAME] and len(memory["run"]["weights_sha256"]) == 64
    lstm = [r["reset_every"] for r in memory["runs"] if r["model"] == "lstm"]
    kn = [(r["order"], r["discount"]) for r in memory["runs"] if r["model"] == "kn"]
    assert tuple(lstm) == script.RESET_EVERY and [o for o, _ in kn] == list(script.KN_ORDERS)
    assert all(d in script.KN_DISCOUNTS for _, d in kn)
    assert all(set(r["kinds"]) == set(memory["kinds"]) for r in memory["runs"])
    # the unbroken stream is the retrained run's own test score, measured again
    never = next(r for r in memory["runs"] if r["model"] == "lstm" and r["reset_every"] is None)
    assert never["test_nats"] == pytest.approx(memory["run"]["test_nats"], abs=2e-4)
    # the counts' curve is chapter 8's: its 7-gram is the tuned model the contest uses (1.4571 nats/char)
    assert next(r for r in memory["runs"] if r.get("order") == 7)["test_nats"] == pytest.approx(
        1.4571, abs=1e-4
    )


# ---- the old script loop, as the reference for the new train_lm


# tools/lm_long_run.py's learning_rate and the training loop of its train_run before issue 24, verbatim (the
# loop inside a function; one line marked "added" records each step's loss). The script now calls train_lm.
def learning_rate(step: int, cfg: dict) -> float:
    """Linear warm-up to ``lr``, then a cosine decay to ``lr / 10`` at ``max_steps``."""
    if step <= cfg["warmup"]:
        return cfg["lr"] * step / cfg["warmup"]
    progress = (step - cfg["warmup"]) / max(1, cfg["max_steps"] - cfg["warmup"])
    return cfg["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def _old_script_loop(model, train_ids, valid_ids, cfg, name, seed):
    losses = []  # added
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
            losses.append(loss.item())  # added: every step's loss, for the comparison
            if step % cfg["eval_every"] == 0 or step == cfg["max_steps"]:
                valid = evaluate_lm(
                    model, valid_ids, batch_size=cfg["batch_size"], num_steps=cfg["num_steps"]
                )
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
                print(
                    f"{name} seed {seed} step {step}: train {curves['train'][-1]:.4f} "
                    f"valid {valid:.4f} ({curves['seconds'][-1]:.0f} s)",
                    flush=True,
                )
            if step >= cfg["max_steps"] or bad_evals >= cfg["patience"]:
                break
        epoch += 1
    seconds = time.perf_counter() - start  # noqa: F841
    model.load_state_dict(best["state"])
    return (
        losses,
        curves,
        best["step"],
        step,
        "patience" if bad_evals >= cfg["patience"] else "max_steps",
    )  # added


TINY = {
    "batch_size": 4,
    "num_steps": 10,
    "weight_decay": 0.01,
    "clip": 1.0,
    "warmup": 4,
    "eval_every": 2,
    "patience": 2,
    "num_layers": 2,
    "hidden_size": 16,
    "embed_size": 8,
    "dropout": 0.25,
    "lr": 3e-2,
    "max_steps": 20,
}


def _tiny_run(seed):
    """A two-layer LSTM with dropout on a tiny text, validated on another, seeded like the script's runs."""
    text = "the cat sat on the mat. " * 30
    vocab = Vocab(text + "dog", unk=None)
    seed_everything(seed)
    model = CharLM(
        len(vocab),
        TINY["hidden_size"],
        cell="lstm",
        embed_size=TINY["embed_size"],
        num_layers=TINY["num_layers"],
        dropout=TINY["dropout"],
    )
    return model, vocab.encode(text), vocab.encode("a cat. a mat. a dog. " * 3)


@pytest.mark.parametrize("patience", [2, 100])
def test_train_lm_with_the_scripts_settings_repeats_the_old_script_loop_exactly(patience):
    cfg = {**TINY, "patience": patience}
    model, train_ids, valid_ids = _tiny_run(seed=1)
    losses, old_curves, best_step, steps_run, stopped_by = _old_script_loop(
        model, train_ids, valid_ids, cfg, "t", 1
    )
    new_model, train_ids, valid_ids = _tiny_run(seed=1)
    settings = _script().train_lm_settings(cfg, seed=1)
    history = train_lm(new_model, train_ids, valid_ids, progress=False, **settings)
    assert all(
        history.config[key] == plain(value) for key, value in settings.items()
    )  # what a new run stores
    assert history.train_loss == losses  # every step, bit for bit
    new_curves = _script().curves(history)
    assert all(new_curves[k] == old_curves[k] for k in ("step", "train", "valid"))
    assert (history.best_step, history.steps[-1], history.stopped_by) == (best_step, steps_run, stopped_by)
    assert all(
        torch.equal(a, b) for a, b in zip(model.state_dict().values(), new_model.state_dict().values())
    )
    # Both features at work: early stopping (or not), and the best weights put back.
    assert stopped_by == ("patience" if patience == 2 else "max_steps") and best_step < steps_run
