"""The grading command end to end: the committed class of test submissions, one grader run.

``tests/submissions/class/`` (written by ``tests/submissions/generate.py``) holds one notebook
per bad input, the tampering attempts, and chapter 1 answered as a reader would. One run of
``seqmodels-grade`` with two workers grades them all; each test reads its part of the result.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

from seqmodels.exercises import exercises

HERE = pathlib.Path(__file__).resolve().parent
CLASS = HERE / "submissions" / "class"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_submissions", HERE / "submissions" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _generator()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the class once (two workers, short timeouts); return the output folder and the CSV rows."""
    work = tmp_path_factory.mktemp("grading")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SEQMODELS_GRADE_SECRET": "course secret"}
    command = [sys.executable, "-m", "seqmodels.grading", str(CLASS), "--out", "grades", "--jobs", "2"]
    # The endless loop costs a cell timeout and a call timeout: short ones keep the test fast.
    command += ["--cell-timeout", "20", "--call-timeout", "4", "--no-progress"]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    out = work / "grades"
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    return out, rows, result


def _totals(chapter: int) -> list[int]:
    seed = 0  # the counts of public and hidden cases do not depend on the seed
    return [len(e.cases(None)) + len(e.cases(seed)) for e in exercises(chapter)]


def test_the_committed_submissions_are_what_the_script_writes():
    wanted = generate.files()
    present = {p.relative_to(CLASS).as_posix() for p in CLASS.rglob("*.ipynb")}
    assert present == set(wanted)
    stale = [name for name, data in wanted.items() if (CLASS / name).read_bytes() != data]
    assert not stale, f"run python tests/submissions/generate.py: {stale} are out of date"


def test_every_submission_gets_its_row(graded):
    _, rows, _ = graded
    assert set(rows) == set(generate.EXPECTED) | {"real_01_sequences.ipynb"}


@pytest.mark.parametrize("file", sorted(generate.EXPECTED))
def test_each_bad_input_gets_the_row_it_deserves(graded, file):
    _, rows, _ = graded
    row = rows[file]
    status, passed = generate.EXPECTED[file]
    assert row["status"].startswith(status), row
    assert row["chapter"] == "3"
    numbers = [e.number for e in exercises(3)]
    got = [row[f"ex {n}"] for n in numbers]
    totals = _totals(3)
    assert got[0].endswith(f"/{totals[0]}") and row["total"].endswith(f"/{sum(totals)}")
    if passed == "some":  # a classic mistake: some cases pass, never all
        assert all(0 <= int(g.split("/")[0]) < t for g, t in zip(got, totals)), row
        assert any(int(g.split("/")[0]) < t for g, t in zip(got, totals))
    else:
        assert got == [f"{t if p is None else p}/{t}" for p, t in zip(passed, totals)], row


def test_no_tampering_gains_a_case(graded):
    _, rows, _ = graded
    tampered = [
        f for f in rows if f.startswith(("tamper-", "tess_")) and f != "tamper-guard_03_perceptron.ipynb"
    ]
    assert len(tampered) == 6
    assert all(rows[f]["total"].startswith("0/") for f in tampered)


def test_switching_off_the_guard_to_hand_in_the_package_s_answer_is_flagged(graded):
    _, rows, _ = graded
    assert "setprofile" in rows["tamper-guard_03_perceptron.ipynb"]["note"]


def test_notes_say_what_happened(graded):
    out, rows, _ = graded
    assert "the notebook is chapter 4's" in rows["ned_03_perceptron.ipynb"]["note"]
    assert rows["olga.ipynb"]["student"] == "olga" and rows["cleo/03_perceptron.ipynb"]["student"] == "cleo"
    loop = (out / "feedback" / "gus_ch03.txt").read_text()
    assert "code cell 3 timed out" in loop and "my_forward gave no answer" in loop
    assert "printed over 2,000,000 bytes" in (out / "feedback" / "ivy_ch03.txt").read_text()
    assert "the kernel died in code cell 3" in (out / "feedback" / "hal_ch03.txt").read_text()
    renamed = (out / "feedback" / "jon_ch03.txt").read_text()
    assert "defines no function 'my_tanh_grad'" in renamed and "defines no function 'my_backward'" in renamed
    assert "raised NotImplementedError: replace this line with your code" in renamed


def test_a_real_chapter_answered_as_the_solutions_say_gets_full_marks(graded):
    _, rows, _ = graded
    row = rows["real_01_sequences.ipynb"]
    totals = _totals(1)
    assert row["status"] == "graded" and row["total"] == f"{sum(totals)}/{sum(totals)}", row


def test_feedback_holds_the_checkers_lines_and_hides_the_hidden_answers(graded):
    out, _, _ = graded
    text = (out / "feedback" / "dev_ch03.txt").read_text()
    assert "Exercise 3.2 (my_forward)" in text and "raised FloatingPointError: overflow" in text
    assert "✗ (hidden case) " in text and "(hidden case) random z in [-2, 2]:" not in text


def test_writing_into_the_output_folder_changes_nothing(graded):
    out, rows, _ = graded
    assert "zed" not in {r["student"] for r in rows.values()}
    feedback = (out / "feedback" / "tess_ch03.txt").read_text()
    assert (
        feedback.startswith("tess, chapter 3") and "raised" not in feedback.split("total:")[0]
    )  # it did write
    assert {p.name for p in out.iterdir()} == {"grades.csv", "feedback", "summary.md", "summary.png"}
    assert (out / "summary.png").is_file() and not (out / "summary.md").is_symlink()
    leftovers = []
    for proc in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if generate.MARKER.encode() in (proc / "cmdline").read_bytes():
                leftovers.append(proc.name)
        except OSError:
            pass
    assert not leftovers, "a process the submission started outlived the grading"


def test_the_summary_has_a_row_per_exercise_and_a_figure(graded):
    out, _, _ = graded
    summary = (out / "summary.md").read_text()
    for exercise in exercises(3) + exercises(1):
        assert f"| {exercise.number} | `{exercise.function}` |" in summary
    assert "![" in summary and (out / "summary.png").stat().st_size > 1000
