"""Chapter 6's stored learning curves match the script that wrote them and the chapters' recipe."""

from __future__ import annotations

import importlib.util
import pathlib

from seqmodels.results.translation import TRANSLATION_RUNS
from seqmodels.results.translation_curves import TRANSLATION_CURVES


def _run_script(name: str):
    """The run script ``tools/runs/<name>.py``, imported from its file (scripts are not a package)."""
    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "runs" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


translation_curves = _run_script("run_translation_curves")
translation_runs = _run_script("run_translation")


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
