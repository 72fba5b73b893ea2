"""seqmodels.grading.kernel and grader: one submission's kernel, its caps, and its grade.

One kernel is shared by the module's tests (a kernel takes seconds to start); the tests that
end a kernel start their own. The exercises come from the stand-in registry
(``tests/grading_standin.py``), which imports no PyTorch.
"""

from __future__ import annotations

import json
import os

import pytest

from seqmodels.grading.grader import grade_submission, guard_note
from seqmodels.grading.kernel import Kernel, Limits
from seqmodels.grading.launch import apply_limits
from seqmodels.grading.launch import main as launch_main
from seqmodels.grading.submissions import find_submissions

LIMITS = Limits(cell_timeout=5, notebook_timeout=60, call_timeout=5, memory_mb=2048, output_bytes=100_000)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    os.environ["SEQMODELS_GRADE_SECRET"] = "do not tell"
    try:
        with Kernel(str(tmp_path_factory.mktemp("scratch")), LIMITS) as k:
            yield k
    finally:
        del os.environ["SEQMODELS_GRADE_SECRET"]


def test_a_failing_cell_does_not_stop_the_next(kernel):
    assert kernel.run("x = 1\n1 / 0", 5).error.startswith("ZeroDivisionError")
    assert kernel.run("assert x == 1", 5).state == "ok"


def test_a_cell_that_never_ends_is_interrupted_and_the_kernel_goes_on(kernel):
    outcome = kernel.run("while True:\n    pass", 1)
    assert outcome.state == "timed out" and kernel.alive
    assert kernel.run("y = 2", 5).state == "ok"


def test_output_is_capped_and_not_kept(kernel):
    outcome = kernel.run("while True:\n    print('x' * 10_000)", 30)
    assert outcome.state == "too much output" and outcome.output_bytes > LIMITS.output_bytes
    assert kernel.run("z = 3", 5).state == "ok"


def test_memory_is_capped(kernel):
    outcome = kernel.run("import numpy as np\nblock = np.ones(2**30)", 10)  # 8 GiB
    assert outcome.error.startswith("MemoryError") and kernel.alive


def test_the_kernel_runs_in_its_scratch_folder_without_the_secret(kernel):
    code = (
        "import os\n"
        f"assert os.getcwd() == {kernel.cwd!r}\n"
        "assert 'SEQMODELS_GRADE_SECRET' not in os.environ\n"
        "assert os.environ['MPLBACKEND'] == 'Agg'"
    )
    assert kernel.run(code, 5).state == "ok"


def test_a_kernel_that_exits_is_reported_dead(tmp_path):
    with Kernel(str(tmp_path), LIMITS) as k:
        assert k.run("import os\nos._exit(3)", 10).state == "died"
        assert k.run("1", 5).state == "died"


def write(path, *cells):
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c}
            for c in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    path.write_text(json.dumps(nb))


def test_a_submission_is_graded_on_public_and_hidden_cases(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.path.dirname(__file__))  # the kernel imports the stand-in too
    subs = tmp_path / "subs"
    subs.mkdir()
    write(
        subs / "ada_03.ipynb",
        "import numpy as np",
        "def my_square(z):\n    return z * z",
        "def my_count(text):\n    while True:\n        pass",
    )
    (sub,) = find_submissions(subs, tmp_path)
    grade = grade_submission(sub, seed=5, limits=LIMITS, registry_name="grading_standin")
    square, count = grade.exercises
    assert (square.passed, square.total, count.passed, count.total) == (4, 4, 0, 4)
    assert grade.status == "timed out" and "my_count gave no answer" in grade.events[0]
    assert square.lines[2].startswith("  ✓ (hidden case) hidden grid 0")
    assert count.lines[1] == "  ✗ count 'a' in 'b b': not run: an earlier case gave no answer"


def test_a_notebook_that_touches_the_guard_gets_a_note():
    nb = {"cells": [{"cell_type": "code", "source": "import sys\nsys.setprofile(None)"}]}
    assert "setprofile" in guard_note(nb) and "look at it" in guard_note(nb)
    assert guard_note({"cells": [{"cell_type": "code", "source": "x = 1"}]}) == ""


def test_the_launcher_checks_its_arguments():
    with pytest.raises(TypeError, match="integer number of megabytes"):
        apply_limits("4096")
    with pytest.raises(ValueError, match="at least 64"):
        apply_limits(8)
    with pytest.raises(SystemExit, match="usage"):
        launch_main(["4096", "python"])


def test_limits_are_checked():
    with pytest.raises(ValueError, match="cell_timeout must be a positive number"):
        Limits(cell_timeout=0)
    with pytest.raises(ValueError, match="memory_mb must be a positive integer"):
        Limits(memory_mb=1.5)
