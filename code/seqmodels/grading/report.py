"""What the grader writes: ``grades.csv``, ``feedback/<student>_chNN.txt``, ``summary.md`` and its figure.

Everything is built in a fresh temporary folder beside the output folder and moved into
place at the end, after every kernel is gone, so nothing a submission wrote into the
output folder while it ran survives under one of these names, and nothing there is read.

``grades.csv`` has one row per submission, whatever happened to it. Its columns:
``student``, ``chapter``, ``file``, then one column per exercise (``ex 3.2``, holding
``passed/total`` cases, public and hidden together; empty for another chapter's exercise),
``total`` (``passed/total`` over the row's exercises), ``status`` (``graded``, ``timed out``,
``kernel died`` or ``unreadable: <why>``) and ``note`` (e.g. a chapter mismatch).
"""

from __future__ import annotations

import collections
import csv
import io
import os
import pathlib
import re
import shutil
import tempfile
from collections.abc import Sequence

import matplotlib

from .grader import Grade

matplotlib.use("Agg")  # the grader draws one figure to a file, never to a screen


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text (a leading = + - @ would start a formula)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def exercise_columns(grades: Sequence[Grade]) -> list[str]:
    """The exercise numbers present, in book order (chapter, then exercise)."""
    numbers = {e.number for g in grades for e in g.exercises}
    return sorted(numbers, key=lambda n: tuple(int(p) if p.isdigit() else 0 for p in n.split(".")))


def grades_csv(grades: Sequence[Grade]) -> str:
    """The text of ``grades.csv`` (columns in the module's docstring)."""
    columns = exercise_columns(grades)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "chapter", "file", *(f"ex {n}" for n in columns), "total", "status", "note"])
    for g in grades:
        by_number = {e.number: f"{e.passed}/{e.total}" for e in g.exercises}
        writer.writerow(
            [
                _cell(g.student),
                "" if g.chapter is None else g.chapter,
                _cell(g.file),
                *(by_number.get(n, "") for n in columns),
                f"{g.passed}/{g.total}",
                _cell(g.status),
                _cell(g.note),
            ]
        )
    return buffer.getvalue()


def feedback_name(grade: Grade, taken: set[str]) -> str:
    """``<student>_chNN.txt`` (characters outside ``[A-Za-z0-9._-]`` become ``_``; a clash gets ``-2``)."""
    student = re.sub(r"[^A-Za-z0-9._-]", "_", grade.student).strip(".") or "student"
    chapter = f"ch{grade.chapter:02d}" if grade.chapter is not None else "chNN"
    name, k = f"{student}_{chapter}.txt", 1
    while name in taken:
        k += 1
        name = f"{student}_{chapter}-{k}.txt"
    taken.add(name)
    return name


def feedback_text(grade: Grade) -> str:
    """A student's feedback: the status, what happened, and each exercise's case lines."""
    lines = [f"{grade.student}, chapter {grade.chapter}: {grade.file}", f"status: {grade.status}"]
    if grade.note:
        lines.append(f"note: {grade.note}")
    lines += [f"- {event}" for event in grade.events]
    lines.append(f"total: {grade.passed}/{grade.total} cases correct")
    for e in grade.exercises:
        lines += ["", f"Exercise {e.number} ({e.function}): {e.passed}/{e.total} cases correct", *e.lines]
    return "\n".join(lines) + "\n"


def pass_rates(grades: Sequence[Grade]) -> dict[str, dict]:
    """Per exercise: submissions, how many passed every case, case pass rate, the most failed case."""
    stats: dict[str, dict] = {}
    for g in grades:
        for e in g.exercises:
            s = stats.setdefault(
                e.number,
                {
                    "function": e.function,
                    "submissions": 0,
                    "all_passed": 0,
                    "cases": 0,
                    "passed": 0,
                    "failed": collections.Counter(),
                },
            )
            s["submissions"] += 1
            s["all_passed"] += e.total > 0 and e.passed == e.total
            s["cases"] += e.total
            s["passed"] += e.passed
            s["failed"].update(e.failed)
    return {n: stats[n] for n in exercise_columns(grades)}


def pass_rate_figure(grades: Sequence[Grade]):
    """A bar chart: for each exercise, the share of submissions that passed every case."""
    from ..plot import COLORS, new_figure, use_style

    use_style()
    stats = pass_rates(grades)
    numbers = list(stats)[::-1]
    shares = [
        stats[n]["all_passed"] / stats[n]["submissions"] if stats[n]["submissions"] else 0.0 for n in numbers
    ]
    fig, ax = new_figure(height=max(2.0, 0.35 * len(numbers) + 1.2))
    ax.barh([f"{n} {stats[n]['function']}" for n in numbers], shares, color=COLORS["blue"])
    ax.set(xlim=(0, 1), xlabel="share of submissions that pass every case", title="Pass rate per exercise")
    return fig


def summary_markdown(grades: Sequence[Grade], figure_name: str | None) -> str:
    """``summary.md``: statuses, then per exercise the pass rate and the most common failed case."""
    statuses = collections.Counter(g.status.split(":")[0] for g in grades)
    lines = [
        "# Grading summary",
        "",
        f"{len(grades)} submissions: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())),
        "",
    ]
    notes = [g for g in grades if g.note or g.status not in ("graded",)]
    if notes:
        lines += ["Submissions to look at:", ""]
        lines += [f"- {g.file}: {g.status}" + (f"; {g.note}" if g.note else "") for g in notes]
        lines.append("")
    lines += [
        "| exercise | function | pass every case | cases passed | most common failed case |",
        "|---|---|---|---|---|",
    ]
    for number, s in pass_rates(grades).items():
        common = s["failed"].most_common(1)
        failed = f"{common[0][0]} ({common[0][1]}×)" if common else "none"
        share = f"{s['all_passed']}/{s['submissions']}"
        cases = f"{s['passed'] / s['cases']:.0%}" if s["cases"] else "-"
        lines.append(f"| {number} | `{s['function']}` | {share} | {cases} | {failed.replace('|', '/')} |")
    if figure_name:
        lines += ["", f"![Share of submissions that pass every case, per exercise]({figure_name})"]
    return "\n".join(lines) + "\n"


def write_outputs(grades: Sequence[Grade], out: pathlib.Path) -> None:
    """Write the CSV, the feedback files, the summary and its figure into ``out`` (see the module)."""
    import matplotlib.pyplot as plt

    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(prefix=".grading-", dir=out.parent))
    try:
        (staging / "grades.csv").write_text(grades_csv(grades), encoding="utf-8")
        feedback = staging / "feedback"
        feedback.mkdir()
        taken: set[str] = set()
        for g in grades:
            (feedback / feedback_name(g, taken)).write_text(feedback_text(g), encoding="utf-8")
        figure = None
        if any(g.exercises for g in grades):
            fig = pass_rate_figure(grades)
            fig.savefig(staging / "summary.png")
            plt.close(fig)
            figure = "summary.png"
        (staging / "summary.md").write_text(summary_markdown(grades, figure), encoding="utf-8")
        for name in ("grades.csv", "summary.md", "summary.png"):
            target = out / name
            if (staging / name).exists():
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(staging / name, target)
            elif target.exists() or target.is_symlink():
                target.unlink()
        old = out / "feedback"
        if old.exists() or old.is_symlink():
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
        os.replace(feedback, old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
