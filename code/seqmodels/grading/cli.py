"""The command ``seqmodels-grade SUBMISSIONS [--out GRADES]``: grade a folder or zip of notebooks.

It finds the submissions (:mod:`~seqmodels.grading.submissions`), grades several at once in
threads, each with its own kernel (``--jobs``, one per core by default), shows a progress bar,
and, once every kernel and every process a submission started is gone, writes the results
(:mod:`~seqmodels.grading.report`).

The hidden cases are drawn with the assignment's seed: ``--seed N``, or a seed derived from
a course secret in the environment variable ``SEQMODELS_GRADE_SECRET`` (which, unlike a
command line, the submissions' processes cannot list; kernels never receive it). Without
either, the seed is 0, and the command says so.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

from tqdm.auto import tqdm

from .grader import DEFAULT_REGISTRY, KERNEL_DIED, Grade, grade_submission
from .kernel import Limits
from .processes import become_subreaper, kill_descendants
from .report import write_outputs
from .submissions import find_submissions


def seed_from_secret(secret: str) -> int:
    """A 31-bit seed from a course secret (the same secret gives the same hidden cases)."""
    if not isinstance(secret, str) or not secret:
        raise ValueError("the course secret must be a non-empty string")
    return int.from_bytes(hashlib.sha256(b"seqmodels-grade:" + secret.encode()).digest()[:4], "big") >> 1


def grade(
    source: str | os.PathLike,
    out: str | os.PathLike,
    *,
    seed: int = 0,
    jobs: int | None = None,
    limits: Limits = Limits(),
    registry_name: str = DEFAULT_REGISTRY,
    progress: bool = True,
) -> list[Grade]:
    """Grade every notebook in the folder or zip ``source`` and write the results into ``out``.

    Returns the grades, one per submission, in file-name order (the CSV's order).
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    source, out = pathlib.Path(source).resolve(), pathlib.Path(out).resolve()
    if out == source or (source.is_dir() and out.is_relative_to(source)):
        raise ValueError(f"the output folder {out} must not lie inside the submissions {source}")
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="seqmodels-grade-unzip-") as unpacked:
        submissions = find_submissions(source, pathlib.Path(unpacked))
        grades: list[Grade | None] = [None] * len(submissions)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(grade_submission, sub, seed, limits, registry_name): i
                for i, sub in enumerate(submissions)
            }
            for future in tqdm(
                as_completed(futures),
                total=len(futures),
                desc="grading",
                unit="notebook",
                disable=not progress,
            ):
                i = futures[future]
                try:
                    grades[i] = future.result()
                except Exception as exc:  # the grader could not run it at all: still a row
                    sub = submissions[i]
                    grades[i] = Grade(
                        sub.student, sub.chapter, sub.file, KERNEL_DIED, f"the grader failed: {exc}"[:300]
                    )
    kill_descendants()  # whatever a submission left running dies before the results are written
    write_outputs(grades, out)
    return grades


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seqmodels-grade",
        description="Grade a folder or zip of the book's exercise notebooks; see the README, 'For instructors'.",
    )
    parser.add_argument(
        "submissions",
        help="a folder or zip of .ipynb files: <student>_<NN>_*.ipynb or <student>/<NN>_*.ipynb",
    )
    parser.add_argument(
        "--out", default="grades", help="where grades.csv, feedback/ and summary.md go (default: grades)"
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="notebooks graded at once (default: one per core)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the hidden cases (default: from SEQMODELS_GRADE_SECRET)",
    )
    defaults = Limits()
    parser.add_argument("--cell-timeout", type=float, default=defaults.cell_timeout, help="seconds per cell")
    parser.add_argument(
        "--notebook-timeout", type=float, default=defaults.notebook_timeout, help="seconds per notebook"
    )
    parser.add_argument(
        "--call-timeout", type=float, default=defaults.call_timeout, help="seconds per call on a case"
    )
    parser.add_argument(
        "--memory-mb", type=int, default=defaults.memory_mb, help="address-space cap of a kernel"
    )
    parser.add_argument(
        "--output-bytes", type=int, default=defaults.output_bytes, help="output a cell may print"
    )
    parser.add_argument(
        "--registry", default=DEFAULT_REGISTRY, help=argparse.SUPPRESS
    )  # tests use a stand-in
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status (0 when every submission has its row)."""
    args = _parser().parse_args(argv)
    if args.seed is not None:
        seed = args.seed
    elif os.environ.get("SEQMODELS_GRADE_SECRET"):
        seed = seed_from_secret(os.environ["SEQMODELS_GRADE_SECRET"])
    else:
        seed = 0
        print(
            "seqmodels-grade: no --seed and no SEQMODELS_GRADE_SECRET: hidden cases use seed 0",
            file=sys.stderr,
        )
    try:
        limits = Limits(
            args.cell_timeout, args.notebook_timeout, args.call_timeout, args.memory_mb, args.output_bytes
        )
        grades = grade(
            args.submissions,
            args.out,
            seed=seed,
            jobs=args.jobs,
            limits=limits,
            registry_name=args.registry,
            progress=not args.no_progress,
        )
    except ValueError as exc:
        print(f"seqmodels-grade: {exc}", file=sys.stderr)
        return 2
    graded = sum(g.status == "graded" for g in grades)
    print(f"{len(grades)} submissions, {graded} graded without incident; results in {pathlib.Path(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
