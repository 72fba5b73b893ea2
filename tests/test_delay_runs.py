"""Chapter 5's stored truncation runs match the script that wrote them."""

from __future__ import annotations

import importlib.util
import pathlib

from seqmodels.results.delay import DELAY_RUNS


def _run_script(name: str):
    """The run script ``tools/runs/<name>.py``, imported from its file (scripts are not a package)."""
    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "runs" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


delay_runs = _run_script("run_delay")


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
