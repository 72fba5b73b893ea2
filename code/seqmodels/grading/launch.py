"""Start a submission's kernel under resource caps: ``python -m seqmodels.grading.launch MB -- CMD...``.

The grader launches every kernel through this wrapper. It sets the address-space limit
(``RLIMIT_AS``) to ``MB`` megabytes and the largest file the kernel may write
(``RLIMIT_FSIZE``) to the same, so a notebook that allocates without end gets a
``MemoryError`` (or dies) instead of taking the machine, then replaces itself with the
kernel's command (``os.execvp``): the limits hold for the kernel and everything it starts.
"""

from __future__ import annotations

import os
import resource
import sys


def apply_limits(memory_mb: int) -> None:
    """Cap this process's address space and file size at ``memory_mb`` megabytes (children inherit it)."""
    if isinstance(memory_mb, bool) or not isinstance(memory_mb, int):
        raise TypeError(f"memory_mb must be an integer number of megabytes, got {type(memory_mb).__name__}")
    if memory_mb < 64:
        raise ValueError(f"memory_mb must be at least 64 (a Python kernel needs more), got {memory_mb}")
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def main(argv: list[str]) -> None:
    """Parse ``MB -- CMD...``, apply the limits and run ``CMD`` in this process."""
    if len(argv) < 3 or argv[1] != "--" or not argv[0].isdigit():
        raise SystemExit("usage: python -m seqmodels.grading.launch MEGABYTES -- COMMAND [ARGS...]")
    apply_limits(int(argv[0]))
    os.execvp(argv[2], argv[2:])


if __name__ == "__main__":
    main(sys.argv[1:])
