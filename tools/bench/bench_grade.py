"""Benchmark the grader: notebooks graded per minute with two workers (``seqmodels-grade --jobs 2``).

    python tools/bench/bench_grade.py [results.json]

A class of ``N`` copies of one answered chapter-3 notebook (the right answers of the test
class, ``tests/submissions/class/ada_03_perceptron.ipynb``; students ``s01``...) is graded with
two workers, as a course would on a two-core machine: each notebook in its own fresh kernel,
its three exercises called on their public and hidden cases. The wall time covers everything
the command does, from reading the folder to writing the CSV, feedback and summary. A chapter
3 notebook is small; a full chapter notebook costs its run time on top (see the chapter times).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import sys
import tempfile
import time

from seqmodels.grading import grade
from seqmodels.grading.kernel import Limits

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "tests" / "submissions" / "class" / "ada_03_perceptron.ipynb"
STUDENTS, JOBS = 12, 2


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / "class"
        folder.mkdir()
        for k in range(1, STUDENTS + 1):
            shutil.copyfile(NOTEBOOK, folder / f"s{k:02d}_03_perceptron.ipynb")
        start = time.perf_counter()
        grades = grade(
            folder, pathlib.Path(tmp) / "grades", seed=1, jobs=JOBS, limits=Limits(), progress=False
        )
        seconds = time.perf_counter() - start
    full = sum(g.status == "graded" and g.passed == g.total for g in grades)
    if full != STUDENTS:
        raise SystemExit(f"only {full} of {STUDENTS} right answers got full marks: the benchmark is void")
    result = {
        "notebooks": STUDENTS,
        "jobs": JOBS,
        "cores": os.cpu_count(),
        "seconds": round(seconds, 2),
        "seconds_per_notebook": round(seconds / STUDENTS, 2),
        "notebooks_per_minute": round(60 * STUDENTS / seconds, 1),
    }
    print(
        f"grading: {STUDENTS} chapter-3 notebooks with {JOBS} workers in {seconds:.1f} s = "
        f"{result['notebooks_per_minute']:.1f} notebooks per minute"
    )
    if argv:
        pathlib.Path(argv[0]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
