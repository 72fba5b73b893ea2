"""How nbval starts the chapters' kernels (booktools.nbval_kernel, installed by chapters/conftest.py)."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys
import textwrap
import time

import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME as CURRENT_ENV  # what --nbval-current-env starts

from booktools import nbval_kernel

ROOT = pathlib.Path(__file__).resolve().parent.parent


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def kernel_spec(tmp_path, monkeypatch, name: str, script: str) -> str:
    """A kernel spec ``name`` whose command runs ``script`` with the connection file's path."""
    (tmp_path / "launch.py").write_text(textwrap.dedent(script))
    spec_dir = tmp_path / "jupyter" / "kernels" / name
    spec_dir.mkdir(parents=True)
    argv = [sys.executable, str(tmp_path / "launch.py"), "{connection_file}"]
    (spec_dir / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": name, "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return name


HANGS_FIRST_TIME = """
    import os, pathlib, sys, time
    marker = pathlib.Path(__file__).with_name("started-once")
    if not marker.exists():
        marker.touch()
        time.sleep(600)  # alive, but never answers: the failure seen on CI
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", sys.argv[1]])
"""

ALWAYS_HANGS = """
    import time
    time.sleep(600)
"""


def test_a_kernel_runs_code_over_unix_sockets_in_a_private_directory():
    km, kc = nbval_kernel.start_new_kernel(startup_timeout=60, kernel_name=CURRENT_ENV)
    try:
        assert km.transport == "ipc"
        assert km.ip.startswith(nbval_kernel._SOCKETS.name + "/")
        assert kc.execute_interactive("x = 6 * 7", timeout=30)["content"]["status"] == "ok"
    finally:
        stop(km, kc)


def test_two_kernels_get_separate_sockets():
    first, second = (nbval_kernel.start_new_kernel(kernel_name=CURRENT_ENV) for _ in range(2))
    try:
        assert first[0].ip != second[0].ip
    finally:
        stop(*first)
        stop(*second)


def test_a_kernel_that_never_answers_is_replaced_and_the_retry_is_reported(tmp_path, monkeypatch, capfd):
    name = kernel_spec(tmp_path, monkeypatch, "hangs-first-time", HANGS_FIRST_TIME)
    km, kc = nbval_kernel.start_new_kernel(startup_timeout=5, kernel_name=name, attempts=2)
    try:
        assert (tmp_path / "started-once").exists(), "the first kernel was never started"
        assert kc.execute_interactive("1 + 1", timeout=30)["content"]["status"] == "ok"
    finally:
        stop(km, kc)
    assert f"kernel '{name}' attempt 1 of 2 failed" in capfd.readouterr().err


def test_giving_up_says_how_many_kernels_were_tried_and_for_how_long(tmp_path, monkeypatch):
    name = kernel_spec(tmp_path, monkeypatch, "always-hangs", ALWAYS_HANGS)
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match=r"no kernel 'always-hangs' answered in 2 attempts of 2 s each"):
        nbval_kernel.start_new_kernel(startup_timeout=2, kernel_name=name, attempts=2)
    assert time.perf_counter() - start >= 4


@pytest.mark.parametrize(
    "attempts, error", [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError)]
)
def test_attempts_must_be_a_positive_int(attempts, error):
    with pytest.raises(error, match="attempts must be"):
        nbval_kernel.start_new_kernel(kernel_name=CURRENT_ENV, attempts=attempts)


def test_the_chapters_conftest_makes_nbval_start_kernels_this_way():
    import nbval.kernel

    original = nbval.kernel.start_new_kernel
    try:
        spec = importlib.util.spec_from_file_location("chapters_conftest", ROOT / "chapters" / "conftest.py")
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
        assert nbval.kernel.start_new_kernel.__module__ == "booktools.nbval_kernel"
        assert nbval.kernel.start_new_kernel.__name__ == "start_new_kernel"
    finally:
        nbval.kernel.start_new_kernel = original
