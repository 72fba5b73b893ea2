"""The stored multi-seed runs that chapters 4, 6, 7, 8 and 9 read match the scripts that wrote them."""

from __future__ import annotations

import importlib.util
import math
import pathlib
import types

import pytest

from booktools.stored_module import module_source
from seqmodels import results
from seqmodels.results.adding import ADDING_SWEEP
from seqmodels.results.agreement import AGREEMENT_RUNS
from seqmodels.results.char_rnn import CHAR_RNN_RUNS
from seqmodels.results.delay import DELAY_RUNS
from seqmodels.results.gated_adding import GATED_ADDING_RUNS
from seqmodels.results.translation import TRANSLATION_RUNS
from seqmodels.results.translation_curves import TRANSLATION_CURVES

RUNS = pathlib.Path(__file__).resolve().parent.parent / "tools" / "runs"


def run_script(name: str) -> types.ModuleType:
    """The run script ``tools/runs/<name>.py``, imported from its file (scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, RUNS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


adding_sweep = run_script("run_adding")
agreement_runs = run_script("run_agreement")
gated_adding_runs = run_script("run_gated_adding")
translation_runs = run_script("run_translation")
char_rnn_runs = run_script("run_char_rnn")
delay_runs = run_script("run_delay")
translation_curves = run_script("run_translation_curves")


def test_translation_runs_were_made_with_the_scripts_configuration():
    assert TRANSLATION_RUNS["config"] == translation_runs.CONFIG
    made = [(r["attention"], r["hidden_size"], r["max_steps"], r["seed"]) for r in TRANSLATION_RUNS["runs"]]
    wanted = [(a, h, steps, s) for a, h, steps, seeds in translation_runs.RUNS for s in seeds]
    assert made == wanted


def test_translation_runs_hold_one_score_per_number_of_noun_phrases():
    groups = TRANSLATION_RUNS["noun_phrases"]
    assert groups == [1, 2, 3, 4, 5]
    for run in TRANSLATION_RUNS["runs"]:
        for metric in ("exact", "token", "edit"):
            assert len(run[metric]) == len(groups) and all(0 <= x <= 1 for x in run[metric])
        assert all(e <= t + 1e-9 for e, t in zip(run["exact"], run["token"]))  # exact match is the strictest


def test_the_chapters_recipe_is_the_scripts():
    """Chapters 6 and 9 train with the script's settings: the seed-0 plain run is the chapters' model."""
    config = translation_runs.CONFIG
    for chapter in ("06_seq2seq", "09_attention"):
        text = (pathlib.Path(__file__).resolve().parent.parent / "chapters" / f"{chapter}.ipynb").read_text()
        assert f"embed_size={config['embed_size']}, hidden_size={config['hidden_size']}" in text
        assert f"max_steps={config['max_steps']}, batch_size={config['batch_size']}, lr=5e-3" in text
    assert config["lr"] == 5e-3


def test_adding_sweep_was_made_with_the_scripts_configuration():
    assert ADDING_SWEEP["config"] == adding_sweep.CONFIG
    assert tuple(ADDING_SWEEP["kinds"]) == adding_sweep.KINDS
    assert (
        tuple(ADDING_SWEEP["lrs"]) == adding_sweep.LRS and tuple(ADDING_SWEEP["seeds"]) == adding_sweep.SEEDS
    )
    made = [(r["kind"], r["lr"], r["seed"]) for r in ADDING_SWEEP["runs"]]
    assert made == [
        (k, lr, s) for k in adding_sweep.KINDS for lr in adding_sweep.LRS for s in adding_sweep.SEEDS
    ]


@pytest.mark.parametrize("key", ["valid_mse", "test_mse"])
def test_adding_sweep_errors_are_plausible(key):
    values = [r[key] for r in ADDING_SWEEP["runs"]]
    assert all(math.isfinite(v) and 0 <= v < 1 for v in values)


def test_chapter_7_trains_with_the_sweeps_recipe():
    import inspect

    from seqmodels.adding import compare_on_adding, train_adding

    config = adding_sweep.CONFIG
    text = (pathlib.Path(__file__).resolve().parent.parent / "chapters" / "07_gradients.ipynb").read_text()
    call = (
        f"compare_on_adding([kind], seq_len={config['seq_len']}, seeds=seeds, hidden_size={config['hidden_size']}, "
        f"max_steps={config['max_steps']}, lr=lr)"
    )
    assert call in text
    defaults = {k: p.default for k, p in inspect.signature(train_adding).parameters.items()}
    assert [defaults[k] for k in ("batch_size", "optimizer", "clip", "num_test")] == [
        config[k] for k in ("batch_size", "optimizer", "clip", "num_test")
    ]
    assert inspect.signature(compare_on_adding).parameters["num_valid"].default == config["num_valid"]


# --------------------------------------------------------------------------- chapter 8: tanh RNN, GRU, LSTM


def test_gated_adding_runs_were_made_with_the_scripts_configuration():
    assert GATED_ADDING_RUNS["config"] == gated_adding_runs.CONFIG
    assert tuple(GATED_ADDING_RUNS["kinds"]) == gated_adding_runs.KINDS
    assert tuple(GATED_ADDING_RUNS["seeds"]) == gated_adding_runs.SEEDS
    assert GATED_ADDING_RUNS["smooth"] == gated_adding_runs.SMOOTH
    assert tuple(GATED_ADDING_RUNS["curve_steps"]) == gated_adding_runs.CURVE_STEPS
    made = [(r["kind"], r["seed"]) for r in GATED_ADDING_RUNS["runs"]]
    assert made == [(k, s) for k in gated_adding_runs.KINDS for s in gated_adding_runs.SEEDS]


def test_gated_adding_runs_hold_plausible_errors_and_one_curve_point_per_stored_step():
    steps = GATED_ADDING_RUNS["curve_steps"]
    assert steps[0] == GATED_ADDING_RUNS["smooth"] and steps[-1] == GATED_ADDING_RUNS["config"]["max_steps"]
    for run in GATED_ADDING_RUNS["runs"]:
        assert all(math.isfinite(run[key]) and 0 <= run[key] < 1 for key in ("test_mse", "valid_mse"))
        assert len(run["curve"]) == len(steps) and all(math.isfinite(v) and v >= 0 for v in run["curve"])


def test_gated_adding_lstm_runs_are_chapter_7s_lstm_runs_at_the_same_rate():
    """Same recipe, same seeds: the two scripts' LSTM runs at learning rate 0.02 are the same runs."""
    shared = (
        "seq_len",
        "hidden_size",
        "max_steps",
        "batch_size",
        "optimizer",
        "clip",
        "num_test",
        "num_valid",
    )
    assert all(GATED_ADDING_RUNS["config"][k] == ADDING_SWEEP["config"][k] for k in shared)
    lr = GATED_ADDING_RUNS["config"]["lr"]
    sweep = {r["seed"]: r for r in ADDING_SWEEP["runs"] if r["kind"] == "lstm" and r["lr"] == lr}
    for run in (r for r in GATED_ADDING_RUNS["runs"] if r["kind"] == "lstm"):
        for key in ("test_mse", "valid_mse"):
            assert math.isclose(run[key], sweep[run["seed"]][key], rel_tol=0.05, abs_tol=1e-4)


def test_smoothed_curve_averages_each_window_ending_at_a_stored_step():
    losses = [
        float(step) for step in range(1, gated_adding_runs.CONFIG["max_steps"] + 1)
    ]  # loss = step number
    curve = gated_adding_runs.smoothed_curve(losses)
    smooth = gated_adding_runs.SMOOTH
    assert curve == [step - (smooth - 1) / 2 for step in gated_adding_runs.CURVE_STEPS]


def test_agreement_runs_were_made_with_the_scripts_configuration():
    config = agreement_runs.CONFIG
    assert AGREEMENT_RUNS["config"] == config
    assert AGREEMENT_RUNS["distances"] == config["test_distances"]
    made = [(r["model"], r["task"], r["max_steps"], r["seed"]) for r in AGREEMENT_RUNS["runs"]]
    wanted = [(f"{config['ngram_order']}-gram", "lm", None, None)] + [
        (cell, task, steps, seed)
        for cell in config["cells"]
        for task in config["tasks"]
        for steps in config["max_steps"]
        for seed in config["seeds"]
    ]
    assert made == wanted


def test_agreement_runs_hold_one_accuracy_per_test_distance_with_and_without_attractors():
    k = len(AGREEMENT_RUNS["distances"])
    for run in AGREEMENT_RUNS["runs"]:
        for key in ("attractor", "plain"):
            assert len(run[key]) == k and all(0 <= a <= 1 for a in run[key])
    # the stored share of attractors per distance is what the script's test sets hold
    tests = agreement_runs.test_sets(True)
    assert AGREEMENT_RUNS["attractor_share"] == [
        float(tests[d].attractors.mean()) for d in AGREEMENT_RUNS["distances"]
    ]
    assert AGREEMENT_RUNS["attractor_share"][:3] == [0.0, 0.0, 0.0] and set(
        AGREEMENT_RUNS["attractor_share"][3:]
    ) == {1.0}


@pytest.mark.parametrize("module", sorted(results.STORED))
def test_the_shared_writer_reproduces_every_stored_module_exactly(module):
    stored = importlib.import_module(f"seqmodels.results.{module}")
    text = pathlib.Path(stored.__file__).read_text(encoding="utf-8")
    name = results.STORED[module]
    assert module_source(stored.__doc__, name, getattr(stored, name)) == text


@pytest.mark.parametrize("module", sorted(results.STORED))
def test_each_stored_module_is_written_by_its_run_script_and_read_by_the_loader(module):
    script = RUNS / f"run_{module}.py"
    assert script.exists(), f"no run script {script.name} for seqmodels.results.{module}"
    assert run_script(script.stem).OUT == pathlib.Path(
        importlib.import_module(f"seqmodels.results.{module}").__file__
    )
    assert results.load(module) is getattr(
        importlib.import_module(f"seqmodels.results.{module}"), results.STORED[module]
    )


@pytest.mark.parametrize(
    "name, error, match",
    [
        ("adding_runs", ValueError, "no stored results named 'adding_runs'; expected one of"),
        (3, TypeError, "name must be a str, got int"),
    ],
)
def test_the_loader_names_what_it_can_load(name, error, match):
    with pytest.raises(error, match=match):
        results.load(name)


def test_char_rnn_runs_were_made_with_the_scripts_configuration():
    assert CHAR_RNN_RUNS["config"] == char_rnn_runs.CONFIG
    assert tuple(CHAR_RNN_RUNS["seeds"]) == char_rnn_runs.SEEDS and len(char_rnn_runs.SEEDS) >= 3
    assert CHAR_RNN_RUNS["last"] == char_rnn_runs.LAST
    assert [r["seed"] for r in CHAR_RNN_RUNS["runs"]] == list(char_rnn_runs.SEEDS)


def test_char_rnn_runs_hold_plausible_losses_and_one_validation_point_per_eval():
    config = CHAR_RNN_RUNS["config"]
    steps = list(range(config["eval_every"], config["max_steps"] + 1, config["eval_every"]))
    for run in CHAR_RNN_RUNS["runs"]:
        assert run["eval_steps"] == steps and len(run["eval_loss"]) == len(steps)
        assert all(1.0 < x < 4.2 for x in [run["nats"], run["train_loss"], *run["eval_loss"]])  # below log 65


def test_chapter_4_trains_its_character_rnn_with_the_scripts_recipe():
    """Chapter 4 trains seed 0 itself and reads the other seeds: its cell must be the script's recipe."""
    import json

    config = char_rnn_runs.CONFIG
    notebook = json.loads(
        (pathlib.Path(__file__).resolve().parent.parent / "chapters" / "04_rnn.ipynb").read_text()
    )
    code = " ".join(
        " ".join("".join(c["source"]).split()) for c in notebook["cells"] if c["cell_type"] == "code"
    )
    assert f"ScratchRNN({config['embed_size']}, {config['hidden_size']}, batch_first=True)" in code
    assert (
        f"batch_size={config['batch_size']}, num_steps={config['num_steps']}, max_steps={config['max_steps']}, "
        f"lr=1e-2, eval_every={config['eval_every']}, seed=0"
    ) in code
    assert f"split.valid[:{config['valid_chars']:_}]" in code
    assert config["lr"] == 1e-2


def test_delay_runs_were_made_with_the_scripts_configuration():
    assert tuple(DELAY_RUNS["delays"]) == delay_runs.DELAYS
    assert tuple(DELAY_RUNS["windows"]) == delay_runs.WINDOWS
    assert tuple(DELAY_RUNS["seeds"]) == delay_runs.SEEDS
    made = [(r["seed"], r["k"]) for r in DELAY_RUNS["runs"]]
    assert made == [(s, k) for s in delay_runs.SEEDS for k in delay_runs.WINDOWS]


def test_delay_runs_hold_one_accuracy_per_delay():
    for run in DELAY_RUNS["runs"]:
        assert len(run["accuracy"]) == len(DELAY_RUNS["delays"])
        assert all(0.0 <= a <= 1.0 for a in run["accuracy"])


def test_chapter_5_runs_the_scripts_experiment_with_its_defaults():
    """The chapter calls delay_accuracy(d, k) with the defaults the script used, on the script's delays."""
    text = (pathlib.Path(__file__).resolve().parent.parent / "chapters" / "05_bptt.ipynb").read_text()
    assert "delay_accuracy(d, k) for d in delays] for k in [None, 4]" in text
    assert f"delays = {list(delay_runs.DELAYS)}" in text


def test_translation_curves_were_made_with_the_scripts_configuration():
    assert TRANSLATION_CURVES["config"] == translation_curves.CONFIG
    assert TRANSLATION_CURVES["max_steps"] == translation_curves.MAX_STEPS
    assert tuple(TRANSLATION_CURVES["eval_steps"]) == translation_curves.EVAL_STEPS
    made = [(r["hidden_size"], r["seed"]) for r in TRANSLATION_CURVES["runs"]]
    assert made == [(h, s) for h in translation_curves.SIZES for s in translation_curves.SEEDS]


def test_the_curves_use_the_recipe_of_the_seed_table():
    """Same data, model and optimiser settings as tools/runs/run_translation.py; only the steps differ."""
    recipe = {k: v for k, v in translation_runs.CONFIG.items() if k not in ("max_steps", "hidden_size")}
    assert translation_curves.CONFIG == recipe


def test_every_checkpoint_holds_one_score_per_number_of_noun_phrases():
    groups = TRANSLATION_CURVES["noun_phrases"]
    assert groups == TRANSLATION_RUNS["noun_phrases"]
    for run in TRANSLATION_CURVES["runs"]:
        assert len(run["train_loss"]) == len(TRANSLATION_CURVES["eval_steps"])
        for metric in ("exact", "edit"):
            assert len(run[metric]) == len(TRANSLATION_CURVES["eval_steps"])
            assert all(len(c) == len(groups) and all(0 <= x <= 1 for x in c) for c in run[metric])


def test_the_curves_first_checkpoints_are_the_seed_tables_runs():
    """Same recipe, same seeds: the curves at 400 (and, for 64 numbers, 800) steps reproduce translation_runs."""
    table = {
        (r["hidden_size"], r["max_steps"], r["seed"]): r
        for r in TRANSLATION_RUNS["runs"]
        if not r["attention"]
    }
    matched = 0
    for run in TRANSLATION_CURVES["runs"]:
        for i, steps in enumerate(TRANSLATION_CURVES["eval_steps"]):
            stored = table.get((run["hidden_size"], steps, run["seed"]))
            if stored is not None:
                assert run["exact"][i] == stored["exact"] and run["edit"][i] == stored["edit"]
                matched += 1
    assert matched >= 9 + 3  # every size at 400 steps, and 64 numbers at 800
