"""The GitHub Actions workflow that tests pull requests and publishes the book.

GitHub does not run here, so the workflow is checked the ways that can run here: actionlint
(syntax, expressions, known actions' inputs, job dependencies), and a reading of what it runs,
which must be the README's two commands, so the workflow cannot drift from what this test
suite proves.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from booktools.__main__ import COMMANDS

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def load(path: pathlib.Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on:` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def run_commands(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def readme_commands() -> dict[str, str]:
    """The README's two commands: the one that builds the book and the one that runs every test."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = dict(re.findall(r"^(make \w+)\s+# (builds?|runs?) ", readme, flags=re.MULTILINE))
    return {("book" if verb.startswith("build") else "test"): command for command, verb in found.items()}


def actionlint() -> str:
    found = shutil.which("actionlint") or str(pathlib.Path(sys.executable).parent / "actionlint")
    if not pathlib.Path(found).exists():
        pytest.fail("actionlint is not installed: run make install (requirements.txt pins it)")
    return found


def test_the_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow under .github/workflows"
    result = subprocess.run(
        [actionlint(), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = WORKFLOW.read_text().replace("needs: build", "needs: bulid")
    (tmp_path / "broken.yml").write_text(broken)
    result = subprocess.run(
        [actionlint(), "-no-color", str(tmp_path / "broken.yml")], capture_output=True, text=True
    )
    assert result.returncode != 0 and "bulid" in result.stdout


def test_pull_requests_run_the_readmes_test_command():
    commands = readme_commands()
    assert commands == {"book": "make book", "test": "make test"}
    workflow = load(WORKFLOW)
    assert "pull_request" in workflow["on"]
    test = workflow["jobs"]["test"]
    assert "pull_request" in test["if"]
    assert run_commands(test) == [commands["test"]]


def test_main_builds_the_book_with_the_readmes_command_and_deploys_it_to_pages():
    workflow = load(WORKFLOW)
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert run_commands(build) == [readme_commands()["book"]]
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert "actions/upload-pages-artifact" in uses
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_every_action_is_pinned_to_an_exact_release():
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", step["uses"]), (
                        f"{path.name}: {step['uses']}"
                    )


def test_jobs_cache_pip_and_the_executed_notebooks():
    workflow = load(WORKFLOW)
    for name in ("test", "build"):
        paths = [
            s["with"]["path"]
            for s in workflow["jobs"][name]["steps"]
            if s.get("uses", "").startswith("actions/cache@")
        ]
        assert sorted(paths) == ["_build/.jupyter_cache", "~/.cache/pip"], name


def makefile_recipes() -> dict[str, list[str]]:
    """Each Makefile target's recipe lines (tab-indented), by target name."""
    recipes, target = {}, None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([\w-]+):", line):
            target = match.group(1)
            recipes[target] = []
        elif line.startswith("\t") and target:
            recipes[target].append(line.strip())
    return recipes


def test_make_test_lints_first_with_ruff():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    prerequisites = re.search(r"^test:(.*)$", makefile, flags=re.MULTILINE).group(1).split()
    assert prerequisites[:2] == ["install", "lint"]
    assert makefile_recipes()["lint"] == ["$(VENV)/bin/ruff check .", "$(VENV)/bin/ruff format --check ."]
    assert re.search(r"^ruff==\d+\.\d+\.\d+$", (ROOT / "requirements.txt").read_text(), flags=re.MULTILINE)


def test_the_makefile_runs_only_scripts_and_booktools_commands_that_exist():
    recipes = makefile_recipes()
    used = set()
    for target, lines in recipes.items():
        for line in lines:
            for script in re.findall(r"\$\(PY\) (\S+\.py)", line):
                assert (ROOT / script).is_file(), f"make {target}: no {script}"
            for command in re.findall(r"-m booktools (\$\(if [^)]*\)[^)]*\)|\w+)", line):
                # make set-repository: $(if $(URL),repository $(URL),bootstrap)
                names = ["repository", "bootstrap"] if command.startswith("$(if") else [command]
                assert set(names) <= set(COMMANDS), f"make {target}: booktools has no command {command}"
                used |= set(names)
    assert {"refresh", "colab", "kernels", "repository", "bootstrap"} <= used
