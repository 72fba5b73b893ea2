"""Leaving no process of a submission behind.

A kernel is killed with its process group, but a notebook can start a process that leaves
the group (``setsid``) and outlives its parent, for instance to write into the grader's
output folder once grading is over. On Linux the grader makes itself a *child subreaper*
(``prctl(PR_SET_CHILD_SUBREAPER)``): such orphans are re-parented to the grader instead of
to ``init``, so :func:`kill_descendants` finds and kills them before the results are written.
Elsewhere both functions do nothing.
"""

from __future__ import annotations

import ctypes
import os
import pathlib
import signal

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt the orphans of this process's descendants (Linux); return whether it worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children() -> dict[int, list[int]]:
    """Map each process id to its children's, from ``/proc`` (empty where there is no ``/proc``)."""
    tree: dict[int, list[int]] = {}
    for entry in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int | None = None) -> list[int]:
    """Every live descendant of ``pid`` (default: this process)."""
    tree, found, todo = _children(), [], [os.getpid() if pid is None else pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_descendants(keep: set[int] = frozenset()) -> list[int]:
    """SIGKILL every descendant of this process except ``keep``; return the ids killed."""
    killed = []
    for pid in descendants():
        if pid in keep:
            continue
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except (ProcessLookupError, PermissionError):
            pass
    for pid in killed:  # reap them, so no zombie stays behind
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
    return killed
