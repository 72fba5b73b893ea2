"""Grading a class's notebooks without trusting them: ``seqmodels-grade SUBMISSIONS --out GRADES``.

Each submitted notebook runs in its own fresh kernel, in a scratch copy, under timeouts and
caps on memory and output; then, in that kernel, the grader calls each of the chapter's
exercise functions on the checkers' public cases and on hidden ones drawn with the
assignment's seed, receives plain data back, and compares it with answers it computes in its
own process. The modules, one idea each:

- :mod:`~seqmodels.grading.submissions`: finding submissions, the file-name pattern, reading them;
- :mod:`~seqmodels.grading.launch`: the kernel's launcher, which sets the memory cap;
- :mod:`~seqmodels.grading.kernel`: running code in a kernel with timeouts and an output cap;
- :mod:`~seqmodels.grading.wire`: plain data in and out of the kernel (JSON and ``.npy``, no pickles);
- :mod:`~seqmodels.grading.grader`: grading one submission;
- :mod:`~seqmodels.grading.processes`: no process of a submission outlives the grading;
- :mod:`~seqmodels.grading.report`: ``grades.csv``, the feedback files, the summary and its figure;
- :mod:`~seqmodels.grading.cli`: the command, with its progress bar and parallel workers.
"""

from __future__ import annotations

from .cli import grade, main
from .grader import Grade, grade_submission
from .kernel import Limits

__all__ = ["Grade", "Limits", "grade", "grade_submission", "main"]
