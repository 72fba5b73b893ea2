"""Measure the book: chapter run times and the package's micro-benchmarks.

    python tools/bench/bench.py [OUTPUT.json]      (default: book/benchmarks.json; `make bench`)

1. Executes every chapter in a fresh kernel, as a reader would (no nbval, no coverage), and
   records its wall time.
2. Runs every ``tools/bench/bench_*.py`` script (each writes its results as JSON to the path it is
   given) and collects what they report: n-gram tokens per second, from-scratch layers vs
   PyTorch time ratios, language models' validation loss at their chapters' budgets, and the
   grader's throughput (``micro.grade``: ``notebooks``, ``jobs``, ``cores``, ``seconds``,
   ``seconds_per_notebook``, ``notebooks_per_minute``).
3. Writes everything, with the machine's core count and library versions, to one JSON file
   that the performance appendix of the book reads.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

from booktools.paths import ROOT, chapter_files

DEFAULT_OUTPUT = ROOT / "book" / "benchmarks.json"


def machine() -> dict:
    import matplotlib
    import numpy
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        # The kernels PyTorch picked here (AVX512, AVX2, DEFAULT, ...): other CPUs pick others.
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "torch": torch.__version__,
        "matplotlib": matplotlib.__version__,
    }


def time_chapters() -> dict[str, float]:
    times = {}
    for path in chapter_files():
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        times[path.stem] = round(time.perf_counter() - start, 2)
        print(f"{path.name:<28}{times[path.stem]:7.1f} s", flush=True)
    return times


def micro_benchmarks() -> dict[str, dict]:
    results = {}
    for script in sorted(pathlib.Path(__file__).resolve().parent.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp) / "result.json"
            start = time.perf_counter()
            subprocess.run([sys.executable, str(script), str(out)], check=True, cwd=ROOT)
            results[name] = json.loads(out.read_text())
            print(f"{script.name}: done in {time.perf_counter() - start:.1f} s", flush=True)
    return results


def main(argv: list[str]) -> None:
    output = pathlib.Path(argv[0]) if argv else DEFAULT_OUTPUT
    results = {"machine": machine(), "chapters_seconds": time_chapters()}
    results["book_seconds"] = round(sum(results["chapters_seconds"].values()), 2)
    results["micro"] = micro_benchmarks()
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    grading = results["micro"].get("grade")
    if grading:
        print(
            f"grading: {grading['notebooks_per_minute']:.1f} notebooks per minute with {grading['jobs']} workers"
        )
    print(f"whole book: {results['book_seconds']:.1f} s; wrote {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
