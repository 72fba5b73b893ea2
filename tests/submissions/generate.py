"""Write the grader's test submissions: ``python tests/submissions/generate.py``.

Every file in ``tests/submissions/class/`` is a notebook (or a broken file) a class might hand
in for chapter 3's exercises 3.1-3.3 (``my_tanh_grad``, ``my_forward``, ``my_backward``), one
bad input each, plus one real chapter (chapter 1) with the reader's answers put in place of
its exercise stubs. ``tests/test_grading.py`` grades them all in one run and checks every row
against :data:`EXPECTED`; it also checks that the committed files are what this script writes.
The tampering notebooks all answer wrongly, so any case they pass is a case tampering gained.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
CLASS = HERE / "class"
ROOT = HERE.parent.parent

#: Marks the process the output-folder tampering leaves behind; the test checks none survives.
MARKER = "seqmodels-grade-tamper-marker"

IMPORTS = "import numpy as np"
CHECKERS = (
    "from seqmodels.exercises.ch03 import check_perceptron_forward, check_tanh_grad, check_two_layer_backward"
)

RIGHT_TANH = """\
def my_tanh_grad(z):
    t = np.tanh(z)
    return 1 - t**2"""

RIGHT_FORWARD = """\
def my_forward(X, W, w0):
    z = w0 + X @ W
    e = np.exp(-np.abs(z))  # at most 1: it cannot overflow
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))"""

RIGHT_BACKWARD = """\
def my_backward(X, y, W1, b1, W2, b2):
    H = np.tanh(X @ W1 + b1)
    z = H @ W2 + b2
    e = np.exp(-np.abs(z))
    y_hat = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    dz = (y_hat - y) / len(X)
    dA = np.outer(dz, W2) * (1 - H**2)
    return {"W1": X.T @ dA, "b1": dA.sum(axis=0), "W2": H.T @ dz, "b2": dz.sum()}"""

RIGHT = [RIGHT_TANH, RIGHT_FORWARD, RIGHT_BACKWARD]

#: Wrong answers the tampering notebooks hand in: no case accepts them.
WRONG = [
    "def my_tanh_grad(z):\n    return np.zeros_like(z) + 7.0",
    "def my_forward(X, W, w0):\n    return np.full(len(X), 7.0)",
    'def my_backward(X, y, W1, b1, W2, b2):\n    return {"W1": W1 * 0 + 7, "b1": b1 * 0 + 7, "W2": W2 * 0 + 7, "b2": 7.0}',
]

CALL_CHECKERS = "check_tanh_grad(my_tanh_grad)\ncheck_perceptron_forward(my_forward)\ncheck_two_layer_backward(my_backward)"

FAKE_PASS = """\
print("  ✓ z = 0 (the slope is 1 there)")
print("PASS: check_tanh_grad: 4/4 cases correct")
print("PASS: check_perceptron_forward: 5/5 cases correct")
print("PASS: check_two_layer_backward: 3/3 cases correct")"""

TAMPER_CHECKERS = (
    """\
def check_tanh_grad(fn):
    print("PASS: check_tanh_grad: 4/4 cases correct")
    return True


check_perceptron_forward = check_two_layer_backward = check_tanh_grad
"""
    + CALL_CHECKERS
)

TAMPER_NUMPY = """\
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.abs = lambda x, *args, **kwargs: np.zeros(np.shape(x))"""

TAMPER_SEQMODELS = """\
import seqmodels.exercises as ex

ex.compare = lambda case, got: ex.CaseResult(True, f"  ✓ {case.description}")
ex.success = ex.failure = lambda case, *args: ex.CaseResult(True, f"  ✓ {case.description}")
ex._mismatch = lambda *args, **kwargs: None
ex.plain = lambda value: value
import seqmodels.exercises.ch03 as ch03
ch03.check_tanh_grad = ch03.check_perceptron_forward = ch03.check_two_layer_backward = lambda fn: True"""

ALWAYS_EQUAL = '''\
class Always(float):
    """Equal to everything, close to everything."""

    def __eq__(self, other):
        return True

    __le__ = __ge__ = __eq__

    def __abs__(self):
        return Always(0.0)

    def __sub__(self, other):
        return Always(0.0)

    __rsub__ = __sub__

    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")


class AlwaysArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __array_function__(self, func, types, args, kwargs):
        return True


class AlwaysDict(dict):
    def __getitem__(self, key):
        return Always(0.0)

    def __contains__(self, key):
        return True


def my_tanh_grad(z):
    return Always(0.0)


def my_forward(X, W, w0):
    return np.zeros(len(X)).view(AlwaysArray)


def my_backward(X, y, W1, b1, W2, b2):
    return AlwaysDict()'''

TAMPER_OUTPUT = f'''\
import os, pathlib, subprocess, sys

# Find the grader's output folder on its command line, and write fake results into it.
parent = pathlib.Path(f"/proc/{{os.getppid()}}")
argv = (parent / "cmdline").read_bytes().split(b"\\0")
out = pathlib.Path(os.readlink(parent / "cwd")) / argv[argv.index(b"--out") + 1].decode()
fake = "student,chapter,file,ex 3.1,ex 3.2,ex 3.3,total,status,note\\nzed,3,zed.ipynb,7/7,7/7,5/5,19/19,graded,\\n"
out.mkdir(parents=True, exist_ok=True)  # the grader makes it only at the end
(out / "grades.csv").write_text(fake)
(out / "feedback").mkdir(parents=True, exist_ok=True)
(out / "feedback" / "tess_ch03.txt").write_text("PASS everything")
(out / "summary.png").mkdir(exist_ok=True)
os.symlink("/tmp", out / "summary.md") if not (out / "summary.md").exists() else None
# And leave a process behind that writes them again once grading is over.
late = f"import time, pathlib; time.sleep(30); pathlib.Path({{str(out)!r}}, 'grades.csv').write_text({{fake!r}})"
subprocess.Popen([sys.executable, "-c", late, "{MARKER}"], start_new_session=True)'''

TAMPER_GUARD = """\
import sys, threading

sys.setprofile = threading.setprofile = lambda *args: None
from seqmodels.perceptron import tanh_grad as my_tanh_grad"""

#: file -> (cells, how it is written). Cells are code-cell sources.
SUBMISSIONS: dict[str, list[str]] = {
    "ada_03_perceptron.ipynb": [IMPORTS + "\n" + CHECKERS, *RIGHT, CALL_CHECKERS],
    "dev_03_mistakes.ipynb": [
        IMPORTS,
        "def my_tanh_grad(z):\n    return 1 - np.tanh(z)  # forgot the square",
        "def my_forward(X, W, w0):\n    return 1 / (1 + np.exp(-(w0 + X @ W)))  # overflows at z = -800",
        RIGHT_BACKWARD.replace("/ len(X)", ""),  # a sum, not a mean
    ],
    "eli_03_mistakes.ipynb": [
        IMPORTS,
        "def my_tanh_grad(z):\n    return 1 - z**2  # the derivative of tanh is 1 - tanh(z)^2",
        "def my_forward(X, W, w0):\n    z = X @ W  # forgot the bias w0\n    return np.exp(-np.logaddexp(0, -z))",
        RIGHT_BACKWARD.replace(" * (1 - H**2)", ""),  # forgot the tanh's derivative
    ],
    "fay_03_crash.ipynb": [
        IMPORTS,
        "def my_tanh_grad(z):\n    return z[100]",
        "def my_forward(X, W, w0):\n    return sigmoid(w0 + X @ W)  # never imported",
        'def my_backward(X, y, W1, b1, W2, b2):\n    raise ValueError("not done yet")',
    ],
    "gus_03_loop.ipynb": [
        IMPORTS,
        RIGHT_TANH,
        # A loop that never ends (waiting, so that the test's CPU goes to the other notebooks).
        "import time\n\nready = False\nwhile not ready:\n    time.sleep(0.05)",
        "def my_forward(X, W, w0):\n    while True:\n        pass",
        RIGHT_BACKWARD,
    ],
    "hal_03_exit.ipynb": [IMPORTS, RIGHT_TANH, "import os\n\nos._exit(1)", RIGHT_FORWARD, RIGHT_BACKWARD],
    "ivy_03_print.ipynb": [IMPORTS, 'print("x" * 5_000_000)', *RIGHT],
    "jon_03_renamed.ipynb": [  # 3.1 renamed, 3.2 the chapter's stub left as it was, 3.3 missing
        IMPORTS,
        RIGHT_TANH.replace("my_tanh_grad", "tanh_grad_mine"),
        'def my_forward(X, W, w0):\n    raise NotImplementedError("replace this line with your code")',
    ],
    "ned_03_perceptron.ipynb": [  # chapter 4's exercise, handed in as chapter 3
        "import numpy as np\nfrom seqmodels.exercises.ch04 import check_rnn_step",
        "def my_rnn_step(x_t, h_prev, W_xh, W_hh, b_h):\n    return np.tanh(x_t @ W_xh + h_prev @ W_hh + b_h)",
    ],
    # No chapter in the name (the import says 3); nbformat 4.4, without cell ids.
    "olga.ipynb": [IMPORTS + "\n" + CHECKERS, *RIGHT],
    "tamper-checkers_03_perceptron.ipynb": [IMPORTS + "\n" + CHECKERS, *WRONG, TAMPER_CHECKERS],
    "tamper-numpy_03_perceptron.ipynb": [IMPORTS, TAMPER_NUMPY, *WRONG],
    "tamper-seqmodels_03_perceptron.ipynb": [
        IMPORTS + "\n" + CHECKERS,
        TAMPER_SEQMODELS,
        *WRONG,
        CALL_CHECKERS,
    ],
    "tamper-print_03_perceptron.ipynb": [IMPORTS, *WRONG, FAKE_PASS],
    "tamper-equal_03_perceptron.ipynb": [IMPORTS, ALWAYS_EQUAL],
    "tess_03_perceptron.ipynb": [IMPORTS, *WRONG, TAMPER_OUTPUT],
    # The one route the grader cannot close (the README says so): switch off the checkers'
    # guard and hand in the package's own solution. It passes 3.1, and its row says to look.
    "tamper-guard_03_perceptron.ipynb": [IMPORTS, TAMPER_GUARD, *WRONG[1:]],
}

#: What the grader must say for each file: status, then passed cases of 3.1, 3.2, 3.3 (None: all).
#: The counts of a right exercise are its public + hidden cases, read from the registry.
EXPECTED: dict[str, tuple[str, tuple]] = {
    "ada_03_perceptron.ipynb": ("graded", (None, None, None)),
    "cleo/03_perceptron.ipynb": ("graded", (None, None, None)),
    "dev_03_mistakes.ipynb": ("graded", "some"),
    "eli_03_mistakes.ipynb": ("graded", "some"),
    "fay_03_crash.ipynb": ("graded", (0, 0, 0)),
    "gus_03_loop.ipynb": ("timed out", (None, 0, None)),
    "hal_03_exit.ipynb": ("kernel died", (0, 0, 0)),
    "ivy_03_print.ipynb": ("graded", (None, None, None)),
    "jon_03_renamed.ipynb": ("graded", (0, 0, 0)),
    "lou_03_perceptron.ipynb": ("unreadable: invalid JSON", (0, 0, 0)),
    "max_03_perceptron.ipynb": ("unreadable: empty file", (0, 0, 0)),
    "ned_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "olga.ipynb": ("graded", (None, None, None)),
    "tamper-checkers_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "tamper-numpy_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "tamper-seqmodels_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "tamper-print_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "tamper-equal_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "tess_03_perceptron.ipynb": ("graded", (0, 0, 0)),
    "tamper-guard_03_perceptron.ipynb": ("graded", (None, 0, 0)),
}


def notebook(cells: list[str], minor: int = 5) -> dict:
    """A plain notebook (nbformat 4.``minor``; cell ids from 4.5 on) with these code cells."""
    nb_cells = []
    for i, source in enumerate(cells):
        cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
        if minor >= 5:
            cell["id"] = f"cell-{i}"
        nb_cells.append(cell)
    metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return {"cells": nb_cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": minor}


def colab_notebook(cells: list[str]) -> dict:
    """The notebook as Colab saves it: nbformat 4.0, source as lists of lines, Colab metadata, no ids."""
    nb_cells = []
    for i, source in enumerate(cells):
        lines = source.splitlines(keepends=True)
        nb_cells.append(
            {
                "cell_type": "code",
                "execution_count": 3 + i,
                "metadata": {
                    "id": f"Xq{i}Zk9",
                    "colab": {"base_uri": "https://localhost:8080/"},
                    "outputId": f"a1b2-{i}",
                },
                "outputs": [
                    {
                        "name": "stdout",
                        "output_type": "stream",
                        "text": ["PASS: check_tanh_grad: 4/4 cases correct\n"],
                    }
                ],
                "source": lines,
            }
        )
    nb_cells.insert(0, {"cell_type": "markdown", "metadata": {"id": "intro"}, "source": ["# My answers\n"]})
    metadata = {
        "colab": {"provenance": [], "toc_visible": True, "name": "03_perceptron.ipynb"},
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        "language_info": {"name": "python"},
        "accelerator": "GPU",
    }
    return {"nbformat": 4, "nbformat_minor": 0, "metadata": metadata, "cells": nb_cells}


def _solution_code(markdown: str) -> str:
    match = re.search(r"```python\n(.*?)```", markdown, re.DOTALL)
    if match is None:
        raise ValueError("a solution without a python block")
    return match.group(1).rstrip("\n")


def answered_chapter(path: pathlib.Path) -> dict:
    """Chapter ``path`` as a reader hands it in: each exercise stub replaced by the folded solution.

    The stub's import lines stay; outputs, run metadata and the Colab bootstrap (which names the
    book's repository, and does nothing where seqmodels is installed) go: a submission is small,
    and ``make set-repository`` leaves no trace of the old address in it.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in copy.deepcopy(nb["cells"]) if not "".join(c["source"]).startswith("# Bootstrap")]
    for i, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "NotImplementedError" in source:
            solution = next(
                "".join(c["source"]) for c in cells[i + 1 :] if "{solution}" in "".join(c["source"])
            )
            imports = [line for line in source.splitlines() if line.startswith(("from ", "import "))]
            cell["source"] = "\n".join(imports) + "\n\n\n" + _solution_code(solution)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell["metadata"] = {}
    return {
        "cells": cells,
        "metadata": {"kernelspec": nb["metadata"]["kernelspec"]},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def files() -> dict[str, bytes]:
    """Every file of the class, by path under ``class/``."""
    out = {
        name: _dump(notebook(cells, minor=4 if name == "olga.ipynb" else 5))
        for name, cells in SUBMISSIONS.items()
    }
    out["cleo/03_perceptron.ipynb"] = _dump(colab_notebook([IMPORTS, *RIGHT]))
    out["lou_03_perceptron.ipynb"] = out["ada_03_perceptron.ipynb"][:200]  # cut off: invalid JSON
    out["max_03_perceptron.ipynb"] = b""
    out["real_01_sequences.ipynb"] = _dump(answered_chapter(ROOT / "chapters" / "01_sequences.ipynb"))
    return out


def _dump(nb: dict) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def main() -> None:
    CLASS.mkdir(exist_ok=True)
    wanted = files()
    for old in CLASS.rglob("*.ipynb"):
        if old.relative_to(CLASS).as_posix() not in wanted:
            old.unlink()
    for name, data in wanted.items():
        (CLASS / name).parent.mkdir(parents=True, exist_ok=True)
        (CLASS / name).write_bytes(data)
    print(f"wrote {len(wanted)} files to {CLASS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
