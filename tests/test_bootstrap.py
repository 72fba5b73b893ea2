"""The first code cell of every chapter: identical everywhere, and it really installs.

The Colab path is exercised without the network: a fresh virtual environment that sees
the book's installed dependencies but not ``seqmodels``, with ``SEQMODELS_SOURCE`` pointing
the bootstrap cell at this checkout.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbtools  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_code_cell_is_the_bootstrap_for_the_configured_repository(path):
    nb = nbformat.read(path, as_version=4)
    assert nbtools.first_code_cell(nb).source == nbtools.bootstrap_source()
    assert nbtools.repository_url() in nbtools.bootstrap_source()


def test_bootstrap_installs_seqmodels_into_an_environment_without_it(tmp_path):
    venv = tmp_path / "fresh"
    # --without-pip: pip and setuptools come from the book environment, like everything else.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    fresh_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # The book's dependencies (torch, jupyter, ...) are visible through a path entry, but the
    # editable install of seqmodels is not: its own .pth hook is not processed from there.
    (pathlib.Path(fresh_site) / "book_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # Install from a copy of the package's sources, so the build leaves nothing in the checkout.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "code", source / "code", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"SEQMODELS_SOURCE": str(source), "PIP_NO_BUILD_ISOLATION": "0", "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    missing = subprocess.run([python, "-c", "import seqmodels"], env=env, capture_output=True, cwd=tmp_path)
    assert missing.returncode != 0, "seqmodels must not be importable before the bootstrap runs"

    runner = textwrap.dedent(
        """
        import json, sys, nbformat
        from nbclient import NotebookClient
        nb = nbformat.read(sys.argv[1], as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": sys.argv[2]}}).execute()
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        print(json.dumps({"errors": len(errors)}))
        """
    )
    result = subprocess.run(
        [python, "-c", runner, str(ROOT / "chapters" / "01_sequences.ipynb"), str(tmp_path)],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"errors": 0}
    installed = subprocess.run(
        [python, "-c", "import seqmodels; print(seqmodels.__file__)"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert installed.returncode == 0 and str(venv) in installed.stdout
