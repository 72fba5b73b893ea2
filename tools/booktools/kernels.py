"""Run the chapters' nbval check as other machines would: other CPU kernels, more threads.

    python -m booktools kernels [--jobs N] [NOTEBOOK ...]      (`make test` runs it; `make kernels`)

The chapters' stored outputs were made on one machine. PyTorch and MKL pick their CPU
kernels at run time, so on another CPU a trained number can move in its last digits. Each
setting below makes this machine pick other kernels, and nbval must pass against the same
stored outputs under every one of them:

- ``default``: ``ATEN_CPU_CAPABILITY=default``, PyTorch's generic (non-vectorised) kernels;
- ``mkl-sse4.2``: ``MKL_ENABLE_INSTRUCTIONS=SSE4_2``, MKL's matrix products without AVX;
- ``2-threads``: two PyTorch/BLAS threads instead of one, so reductions split differently.

The one-thread settings run in parallel (``--jobs``, default 2), each in its own pytest
process; the two-thread setting runs alone afterwards, since two threads sharing a core with
another run slow each other down many times over. Logs go to ``_build/kernels/<setting>.log``.
The chapter time budget is left to the main run: timings here are distorted by the parallel runs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import subprocess
import sys
import time

from .paths import ROOT, chapter_files

LOGS = ROOT / "_build" / "kernels"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
SETTINGS = {
    "default": {**ONE_THREAD, "ATEN_CPU_CAPABILITY": "default"},
    "mkl-sse4.2": {**ONE_THREAD, "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    # OpenMP's default waiting (spin briefly, then sleep). OMP_WAIT_POLICY=PASSIVE, sleeping at
    # once, made every small matrix product wait for a thread to wake up: chapter 7 took 112 s
    # instead of 28 s, and a loaded machine then delayed outputs past nbval's patience.
    "2-threads": {"OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"},
}
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


def environment(setting: str) -> dict[str, str]:
    """This process's environment with one setting applied (and no inherited kernel choice)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS", "OMP_WAIT_POLICY")
    }
    return env | SETTINGS[setting]


def capability(setting: str) -> str:
    """The CPU capability PyTorch reports under ``setting`` (proof the setting took effect)."""
    probe = "import torch; print(torch.backends.cpu.get_cpu_capability(), torch.get_num_threads())"
    out = subprocess.run(
        [sys.executable, "-c", probe], env=environment(setting), capture_output=True, text=True
    )
    return out.stdout.strip() or out.stderr.strip()[-200:]


def run(setting: str, notebooks: list[str]) -> tuple[str, int, float, str]:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{setting}.log"
    command = [
        sys.executable,
        "-m",
        "pytest",
        *notebooks,
        *NBVAL,
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-time-budget",
    ]
    start = time.perf_counter()
    with log.open("w") as handle:
        handle.write(f"# {setting}: {SETTINGS[setting]}; torch capability, threads: {capability(setting)}\n")
        handle.flush()
        code = subprocess.run(
            command, cwd=ROOT, env=environment(setting), stdout=handle, stderr=subprocess.STDOUT
        ).returncode
    lines = log.read_text().strip().splitlines()
    return setting, code, time.perf_counter() - start, lines[-1] if lines else ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m booktools kernels", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="settings run at once (default 2)")
    parser.add_argument("--only", choices=list(SETTINGS), action="append", help="run only these settings")
    parser.add_argument("notebooks", nargs="*", help="chapters to check (default: all)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    notebooks = args.notebooks or [str(p.relative_to(ROOT)) for p in chapter_files()]
    settings = args.only or list(SETTINGS)
    failed = []
    alone = [s for s in settings if SETTINGS[s]["OMP_NUM_THREADS"] != "1"]
    together = [s for s in settings if s not in alone]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda s: run(s, notebooks), together))
    results += [run(s, notebooks) for s in alone]
    for setting, code, seconds, summary in results:
        print(f"nbval under {setting:<11} ({seconds:5.0f} s): {summary}", flush=True)
        if code != 0:
            failed.append(setting)
    if failed:
        for setting in failed:
            print(f"--- failures under {setting} (full log: {(LOGS / f'{setting}.log').relative_to(ROOT)})")
            text = (LOGS / f"{setting}.log").read_text()
            print(text[-6000:])
        return 1
    print(f"stored outputs pass under every setting: {', '.join(settings)}")
    return 0
