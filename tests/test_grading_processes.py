"""seqmodels.grading.processes: no process a submission starts outlives the grading."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from seqmodels.grading import processes
from seqmodels.grading.processes import descendants, kill_descendants

# A grader-like process: it becomes a subreaper, starts a child that starts a grandchild in a
# new session and exits; the orphaned grandchild comes back to it and is killed.
ORPHAN = textwrap.dedent(
    """
    import importlib.util, subprocess, sys, time

    spec = importlib.util.spec_from_file_location("processes", sys.argv[1])  # without importing torch
    processes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(processes)
    become_subreaper, descendants, kill_descendants = (
        processes.become_subreaper, processes.descendants, processes.kill_descendants
    )

    assert become_subreaper()
    spawn = (
        "import subprocess, sys; "
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], start_new_session=True, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(p.pid)"
    )
    pid = int(subprocess.run([sys.executable, "-c", spawn], capture_output=True, text=True).stdout)
    time.sleep(0.2)
    assert pid in descendants(), "the orphan did not come back to the subreaper"
    assert pid in kill_descendants()
    print("ok")
    """
)


def test_a_process_that_left_its_session_is_found_and_killed():
    module = processes.__file__
    result = subprocess.run(
        [sys.executable, "-c", ORPHAN, module], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_without_children_nothing_is_killed():
    before = set(descendants())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    time.sleep(0.1)
    assert child.pid in descendants()
    assert kill_descendants(keep=before) == [child.pid]
    child.wait(timeout=10)
