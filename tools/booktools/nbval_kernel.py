"""How nbval starts the chapters' kernels: over Unix sockets, and again if one never answers.

nbval starts one kernel per notebook with ``nbval.kernel.start_new_kernel``: TCP ports on
localhost, and one wait of ``--nbval-kernel-startup-timeout`` seconds (60) for the kernel's
first reply. ``make test`` runs two nbval processes side by side (``booktools.kernels``), and
on a clean-clone CI run one chapter's kernel was alive but never answered: all 28 of that
chapter's cells errored with "Kernel didn't respond in 60 seconds". Starting a kernel
normally takes under a second here (75 starts from three processes at once: at most 0.93 s).

Two defences, installed by ``chapters/conftest.py``:

- **Unix sockets.** jupyter_client picks free TCP ports by binding and releasing them, so two
  processes starting kernels at the same moment can be handed the same port. A kernel here
  talks over IPC sockets instead, in a directory of this process's own; no port is shared.
- **Another try.** A kernel that hasn't answered within the startup timeout is shut down and
  a fresh one started, up to ``ATTEMPTS`` times. Each retry is reported on stderr, so a
  flaky machine shows up in the log instead of passing silently.
"""

from __future__ import annotations

import sys
import tempfile
import uuid

from jupyter_client.manager import KernelManager
from nbval.kernel import NbvalKernelspecManager

ATTEMPTS = 3

_SOCKETS = tempfile.TemporaryDirectory(prefix="nbval-ipc-")  # removed when the process exits


def start_new_kernel(
    startup_timeout: float = 60, kernel_name: str = "python", attempts: int = ATTEMPTS, **kwargs
):
    """Start a kernel and return its manager and client, like ``nbval.kernel.start_new_kernel``.

    The kernel listens on Unix sockets under a private directory, and a kernel that does not
    answer within ``startup_timeout`` seconds is replaced, up to ``attempts`` kernels in all.
    ``kwargs`` go to ``KernelManager.start_kernel`` (nbval passes ``cwd`` and ``stderr``).
    """
    if isinstance(attempts, bool) or not isinstance(attempts, int):
        raise TypeError(f"attempts must be an int, got {type(attempts).__name__}")
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    failures: list[str] = []
    for attempt in range(1, attempts + 1):
        km = KernelManager(
            kernel_name=kernel_name,
            kernel_spec_manager=NbvalKernelspecManager(),
            transport="ipc",
            ip=f"{_SOCKETS.name}/{uuid.uuid4().hex[:12]}",
        )
        km.start_kernel(**kwargs)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=startup_timeout)
        except RuntimeError as error:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            failures.append(f"attempt {attempt}: {error}")
            print(
                f"nbval_kernel: kernel {kernel_name!r} attempt {attempt} of {attempts} failed: {error}",
                file=sys.stderr,
                flush=True,
            )
            continue
        return km, kc
    raise RuntimeError(
        f"no kernel {kernel_name!r} answered in {attempts} attempts of "
        f"{startup_timeout:g} s each ({'; '.join(failures)})"
    )


def install() -> None:
    """Make nbval start its kernels with :func:`start_new_kernel`."""
    import nbval.kernel

    nbval.kernel.start_new_kernel = start_new_kernel
