"""seqmodels.grading.report: the CSV, the feedback files, the summary and its figure."""

from __future__ import annotations

import csv
import io
import os

import matplotlib.pyplot as plt

from seqmodels.grading.grader import ExerciseGrade, Grade
from seqmodels.grading.report import (
    feedback_name,
    feedback_text,
    grades_csv,
    pass_rate_figure,
    summary_markdown,
    write_outputs,
)


def sample() -> list[Grade]:
    def ex(number, passed, total, failed=()):
        lines = [f"  ✗ {d}: expected 1, got 2" for d in failed]
        return ExerciseGrade(number, f"my_{number[-1]}", passed, total, lines, list(failed))

    return [
        Grade(
            "ada",
            3,
            "ada_03.ipynb",
            "graded",
            exercises=[ex("3.1", 4, 4), ex("3.2", 2, 4, ["big z", "bias"])],
        ),
        Grade(
            "=cmd",
            3,
            "=cmd_03.ipynb",
            "timed out",
            exercises=[ex("3.1", 0, 4, ["big z"]), ex("3.2", 1, 4, ["big z"])],
        ),
        Grade("bo", 1, "bo_01.ipynb", "graded", "a note", [ex("1.2", 8, 8)]),
        Grade("cy", None, "cy.ipynb", "unreadable: empty file"),
    ]


def test_the_csv_has_one_row_per_submission_and_a_column_per_exercise():
    rows = list(csv.DictReader(io.StringIO(grades_csv(sample()))))
    assert len(rows) == 4
    assert list(rows[0]) == [
        "student",
        "chapter",
        "file",
        "ex 1.2",
        "ex 3.1",
        "ex 3.2",
        "total",
        "status",
        "note",
    ]
    assert rows[0]["ex 3.2"] == "2/4" and rows[0]["ex 1.2"] == "" and rows[0]["total"] == "6/8"
    assert rows[1]["student"] == "'=cmd"  # a spreadsheet shows it as text, not as a formula
    assert rows[3]["status"] == "unreadable: empty file" and rows[3]["total"] == "0/0"


def test_feedback_names_are_safe_and_never_collide():
    taken: set[str] = set()
    g = Grade("../ada b", 3, "x", "graded")
    assert feedback_name(g, taken) == "_ada_b_ch03.txt"
    assert feedback_name(g, taken) == "_ada_b_ch03-2.txt"
    text = feedback_text(sample()[0])
    assert "Exercise 3.2 (my_2): 2/4 cases correct\n  ✗ big z: expected 1, got 2" in text


def test_the_summary_names_the_most_common_failed_case():
    text = summary_markdown(sample(), "summary.png")
    assert "| 3.2 | `my_2` | 0/2 | 38% | big z (2×) |" in text
    assert "- cy.ipynb: unreadable: empty file" in text and "![" in text


def test_the_figure_has_a_bar_per_exercise():
    fig = pass_rate_figure(sample())
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["3.2 my_2", "3.1 my_1", "1.2 my_2"]
    plt.close(fig)


def test_outputs_replace_whatever_a_submission_planted(tmp_path):
    out = tmp_path / "grades"
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "zed_ch03.txt").write_text("PASS")
    (out / "grades.csv").write_text("fake")
    (out / "summary.png").mkdir()
    os.symlink(tmp_path / "elsewhere.md", out / "summary.md")
    write_outputs(sample(), out)
    assert (out / "grades.csv").read_text() == grades_csv(sample())
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        "_cmd_ch03.txt",
        "ada_ch03.txt",
        "bo_ch01.txt",
        "cy_chNN.txt",
    ]
    assert (out / "summary.png").is_file() and not (out / "summary.md").is_symlink()
    assert not (tmp_path / "elsewhere.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades"]  # no staging folder left behind
