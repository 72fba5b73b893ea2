"""The stored-results modules that the run scripts in ``tools/runs/`` write and the chapters import.

A script measures what a chapter cannot afford to (several seeds, long training) and writes
the results as one dict in ``code/seqmodels/results/<name>.py``: plain Python, readable in a
diff, imported like any module (or read with ``seqmodels.results.load``).
:func:`module_source` is that file's text; the runs, one per line.
"""

from __future__ import annotations

import pathlib


def module_source(docstring: str, name: str, fields: dict) -> str:
    """The module's text: ``docstring``, then ``name = {...}`` with one key per line, each run on its own."""
    body = ""
    for key, value in fields.items():
        if key == "runs":
            body += "    'runs': [\n" + "".join(f"        {run!r},\n" for run in value) + "    ],\n"
        else:
            body += f"    {key!r}: {value!r},\n"
    return f'"""{docstring}"""\n\n{name} = {{\n{body}}}\n'


def write_module(path: pathlib.Path, docstring: str, name: str, fields: dict) -> None:
    """Write :func:`module_source` to ``path``."""
    path.write_text(module_source(docstring, name, fields), encoding="utf-8")
