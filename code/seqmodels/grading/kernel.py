"""One submission's kernel: started fresh under caps, fed cells, asked to call functions.

:class:`Kernel` starts an IPython kernel through :mod:`seqmodels.grading.launch` (so the
memory cap holds for the kernel and all it starts), with its working folder in the
submission's scratch copy and an environment without the grader's secrets. It runs code
with :meth:`Kernel.run`: a timeout per call, after which the kernel is interrupted (and
killed if it does not stop), and a cap on output, which is counted and thrown away, never
stored. A failing cell is reported, not raised, so the next cell still runs.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager

#: Environment variables a submission's kernel never sees (the course secret among them).
SECRET_VARIABLES = ("SEQMODELS_GRADE_SECRET",)


@dataclass(frozen=True)
class Limits:
    """The caps every submission runs under (seconds, megabytes, bytes)."""

    cell_timeout: float = 60.0
    notebook_timeout: float = 600.0
    call_timeout: float = 10.0
    memory_mb: int = 4096
    output_bytes: int = 2_000_000

    def __post_init__(self) -> None:
        for name in ("cell_timeout", "notebook_timeout", "call_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        for name in ("memory_mb", "output_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


@dataclass(frozen=True)
class Outcome:
    """What running one piece of code did: ``ok``, ``error``, ``timed out``, ``too much output`` or ``died``."""

    state: str
    error: str = ""
    output_bytes: int = 0

    @property
    def kernel_alive(self) -> bool:
        return self.state != "died"


def kernel_environment(cwd: str) -> dict[str, str]:
    """The grader's environment for a kernel: secrets removed, one thread, no display, HOME in scratch."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES and not k.startswith("JPY_")}
    env.update(MPLBACKEND="Agg", HOME=cwd, PYTHONNOUSERSITE="1")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def _message_bytes(msg: dict) -> int:
    content = msg.get("content", {})
    if msg["msg_type"] == "stream":
        return len(content.get("text", ""))
    if msg["msg_type"] in ("display_data", "execute_result", "update_display_data"):
        return sum(len(str(v)) for v in content.get("data", {}).values())
    if msg["msg_type"] == "error":
        return sum(len(line) for line in content.get("traceback", []))
    return 0


class Kernel:
    """A fresh IPython kernel for one submission (a context manager: it is always shut down)."""

    def __init__(self, cwd: str, limits: Limits) -> None:
        self.cwd, self.limits = cwd, limits
        argv = [sys.executable, "-m", "seqmodels.grading.launch", str(limits.memory_mb), "--"]
        argv += [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        # IPC sockets in the scratch folder: no TCP port is opened for a submission's kernel.
        self.manager = KernelManager(transport="ipc", ip=os.path.join(cwd, ".kernel"))
        self.manager._kernel_spec = KernelSpec(argv=argv, display_name="grader", language="python")
        self.client = None

    def __enter__(self) -> Kernel:
        # What the kernel writes to its own stdout and stderr (os.write(1, ...)) is thrown away too.
        self.manager.start_kernel(
            cwd=self.cwd,
            env=kernel_environment(self.cwd),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = self.manager.blocking_client()
        self.client.start_channels()
        try:
            self.client.wait_for_ready(timeout=60)
        except RuntimeError:
            pass  # a kernel that died at start: run() reports it
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self.manager.is_alive()

    def close(self) -> None:
        """Stop the channels and kill the kernel with its whole process group."""
        if self.client is not None:
            self.client.stop_channels()
        pid = getattr(self.manager.provisioner, "pid", None) if self.manager.provisioner else None
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.manager.cleanup_resources()

    def run(self, code: str, timeout: float) -> Outcome:
        """Execute ``code``; wait at most ``timeout`` seconds; count its output and drop it."""
        if not self.alive:
            return Outcome("died")
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        output, error = 0, ""
        while True:
            now = time.monotonic()
            if now > deadline:
                return self._stop(Outcome("timed out", f"stopped after {timeout:g} s", output))
            if output > self.limits.output_bytes:
                return self._stop(
                    Outcome("too much output", f"printed over {self.limits.output_bytes:,} bytes", output)
                )
            try:
                msg = self.client.get_iopub_msg(timeout=min(0.2, deadline - now + 0.01))
            except queue.Empty:
                if not self.alive:
                    return Outcome("died", "the kernel died", output)
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            output += _message_bytes(msg)
            if msg["msg_type"] == "error":
                content = msg["content"]
                error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"[:300]
            elif msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                return Outcome("error" if error else "ok", error, output)

    def _stop(self, outcome: Outcome) -> Outcome:
        """Interrupt the running code; kill the kernel if it is still busy five seconds later."""
        if not self.alive:
            return Outcome("died", outcome.error, outcome.output_bytes)
        self.manager.interrupt_kernel()
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                self._drain()
                return outcome
        self.manager.shutdown_kernel(now=True)
        return Outcome("died", outcome.error + "; it did not stop when interrupted", outcome.output_bytes)

    def _drain(self) -> None:
        """Throw away the messages still queued (output sent before the interrupt landed)."""
        while True:
            try:
                self.client.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                return
