"""The build tools as one layered package: ``booktools``, run as ``python -m booktools COMMAND``.

Its modules import each other in layers (``paths`` and ``config`` at the bottom, ``__main__`` on
top); the test reads every module's imports with ``ast``, without running anything, and fails
on a cycle, so no module can be loaded twice or half-initialised again.
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

import booktools

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = pathlib.Path(booktools.__file__).resolve().parent


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The booktools modules that module ``name`` imports (absolute or relative), by full name."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # from . import colab
    return {m for m in found if m in MODULES and m != name}


def graph() -> dict[str, set[str]]:
    return {name: imports_of(name) for name in MODULES}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``edges`` as a list of names (first == last), or ``None``."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = "open", stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node], _ = "done", stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_accepts_layers():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"top": {"mid", "low"}, "mid": {"low"}, "low": set()}) is None


def test_the_import_graph_reads_relative_imports():
    edges = graph()
    assert "booktools.config" in edges["booktools.nbtools"]
    assert "booktools.colab_book" in edges["booktools.colab_markdown.blocks"]  # from ..colab_book import
    assert {"booktools.claims", "booktools.editions", "booktools.nbtools"} <= edges["booktools.__main__"]
    assert "booktools.colab" in edges["booktools.editions"]


def test_booktools_imports_have_no_cycle():
    assert find_cycle(graph()) is None


def test_the_layers_paths_and_config_at_the_bottom_main_on_top():
    edges = graph()
    assert edges["booktools.paths"] == set()
    assert edges["booktools.config"] == {"booktools.paths"}
    assert not any("booktools.__main__" in targets for targets in edges.values())
    # the jobs do not call each other: only __main__ chains refresh -> Colab edition -> claims
    assert "booktools.colab" not in edges["booktools.nbtools"]
    assert "booktools.claims" not in edges["booktools.nbtools"]


def test_the_editions_have_one_way_in():
    """Only booktools.editions calls the converter; the converter knows nothing of the editions."""
    edges = graph()
    callers = {name for name, targets in edges.items() if "booktools.colab" in targets}
    assert callers == {"booktools.editions"}
    converter = {"booktools.colab", "booktools.colab_book"} | {n for n in MODULES if "colab_markdown" in n}
    assert not any("booktools.editions" in edges[name] for name in converter)


def test_booktools_never_imports_the_book_package():
    for name in MODULES:
        source = MODULES[name].read_text(encoding="utf-8")
        assert "import seqmodels" not in source and "from seqmodels" not in source, name


def test_no_file_edits_sys_path():
    needle = "sys.path." + "insert"  # spelled in two parts so this file does not match itself
    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("tools", "tests", "chapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if needle in line
    ]
    assert not hits, hits


def test_the_colab_markdown_parts_stay_readable():
    for path in sorted((PACKAGE / "colab_markdown").glob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 200, f"{path.name}: {lines} lines"


def test_the_entry_point_prints_its_commands_when_given_none():
    result = subprocess.run([sys.executable, "-m", "booktools"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "python -m booktools refresh" in result.stderr and "python -m booktools colab" in result.stderr


@pytest.mark.parametrize("command", [["check"], ["claims", "--check"]])
def test_the_entry_point_checks_the_checkout(command):
    result = subprocess.run(
        [sys.executable, "-m", "booktools", *command], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
