"""The editions a course uses (booktools.editions): the student edition and the instructor's build.

One module fixture writes what ``make book SOLUTIONS=hidden`` builds from, the instructor's
sources (``instructor_source``), into a temporary folder; it holds the student edition too
(``student/``, as ``make student`` writes it). The tests compare both with the chapters and
the committed Colab edition: no solution text survives, every exercise, checker call and
bootstrap does, numbered as online. One test builds chapter 4's page from those sources
with Jupyter Book (stored outputs, one page: seconds, not the whole book's minutes) and reads
the HTML a course would publish.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
import yaml

from booktools import editions
from booktools.colab_book import (
    SOLUTION_DIRECTIVES,
    Book,
    ConversionError,
    directive_of,
    parse_markdown,
    walk,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
NAMES = [p.name for p in CHAPTERS]
CHECKER_CALL = re.compile(r"\bcheck_\w+\(")


@pytest.fixture(scope="module")
def book() -> Book:
    return Book()


@pytest.fixture(scope="module")
def instructor(book, tmp_path_factory) -> pathlib.Path:
    dest = tmp_path_factory.mktemp("instructor")
    removed = editions.instructor_source(dest, stored_outputs=True, book=book)
    assert removed == sum(len(solution_bodies(book, p)) for p in CHAPTERS)
    return dest


def solution_bodies(book: Book, chapter: pathlib.Path) -> list[str]:
    """The body of every solution in a chapter, as written in its MyST."""
    nb = nbformat.read(chapter, as_version=4)
    return [
        d.body
        for c in nb.cells
        if c.cell_type == "markdown"
        for node in walk(book.parser, parse_markdown(book.parser, c.source))
        if (d := directive_of(node)) and d.name in SOLUTION_DIRECTIVES
    ]


def telling_lines(text: str, elsewhere: str = "") -> list[str]:
    """Lines long enough to be a solution's own words, not a fence, and not also outside it
    (a solution repeats the exercise's ``def`` line, which stays)."""
    return [
        line.strip()
        for line in text.splitlines()
        if len(line.strip()) >= 25 and "```" not in line and line.strip() not in elsewhere
    ]


def outside_solutions(book: Book, chapter: pathlib.Path) -> str:
    text = everything_in(nbformat.read(chapter, as_version=4))
    for body in solution_bodies(book, chapter):
        text = text.replace(body, "")
    return text


def own_lines(book: Book, chapter: pathlib.Path) -> list[str]:
    """The solutions' own lines in a chapter."""
    elsewhere = outside_solutions(book, chapter)
    return [line for body in solution_bodies(book, chapter) for line in telling_lines(body, elsewhere)]


def everything_in(nb: nbformat.NotebookNode) -> str:
    """Every cell's source and every output's text of a notebook, as one string."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(json.dumps(output, ensure_ascii=False))
    return "\n".join(parts)


def exercise_titles(nb: nbformat.NotebookNode) -> list[str]:
    return [
        m
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in re.findall(r"\*\*Exercise [\d.]+\*\*", c.source)
    ]


def checker_calls(nb: nbformat.NotebookNode) -> list[str]:
    return [m for c in nb.cells if c.cell_type == "code" for m in CHECKER_CALL.findall(c.source)]


# --------------------------------------------------------------------------- the student edition


@pytest.mark.parametrize("name", NAMES)
def test_the_student_edition_keeps_no_solution_text(book, instructor, name):
    student = everything_in(nbformat.read(instructor / "student" / name, as_version=4))
    colab = nbformat.read(ROOT / "colab" / name, as_version=4)
    folded = "\n".join(
        block
        for c in colab.cells
        if c.cell_type == "markdown"
        for block in re.findall(r"<details>.*?</details>", c.source, re.S)
    )
    assert folded, f"the Colab edition of {name} folds its solutions"
    elsewhere = re.sub(r"<details>.*?</details>", "", everything_in(colab), flags=re.S)
    leaked = [line for line in telling_lines(folded, elsewhere) if line in student]
    assert not leaked, f"solution text in the student edition: {leaked[:3]}"
    assert "<details>" not in student and "Solution to Exercise" not in student


@pytest.mark.parametrize("name", NAMES)
def test_the_student_edition_is_the_colab_edition_with_the_same_numbers_checkers_and_code(instructor, name):
    student = nbformat.read(instructor / "student" / name, as_version=4)
    colab = nbformat.read(ROOT / "colab" / name, as_version=4)
    assert exercise_titles(student) == exercise_titles(colab) and exercise_titles(student)
    assert checker_calls(student) == checker_calls(colab)
    # Every code cell, bootstrap first, is the Colab edition's, so the Colab runtime test covers both.
    code = [(c.get("id"), c.source) for c in colab.cells if c.cell_type == "code"]
    assert [(c.get("id"), c.source) for c in student.cells if c.cell_type == "code"] == code
    assert "This edition has no solutions" in student.cells[0].source
    assert "CC BY 4.0" in student.cells[0].source and "MIT" in student.cells[0].source  # the licence
    ids = [c.get("id") for c in student.cells]
    assert len(ids) == len(set(ids))


def test_the_student_edition_is_not_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "student/01_sequences.ipynb"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0, "student/ is generated on demand (make student) and git-ignored"


@pytest.mark.parametrize("kind, error", [("teacher", ValueError), (None, TypeError)])
def test_an_unknown_edition_is_refused(kind, error):
    with pytest.raises(error, match="colab"):
        editions.edition(kind)


# --------------------------------------------------------------------------- the instructor's build


@pytest.mark.parametrize("name", NAMES)
def test_the_instructors_sources_keep_every_exercise_and_checker_and_no_solution(book, instructor, name):
    original = nbformat.read(ROOT / "chapters" / name, as_version=4)
    stripped = nbformat.read(instructor / "chapters" / name, as_version=4)
    text = everything_in(stripped)
    lines = own_lines(book, ROOT / "chapters" / name)
    assert lines
    leaked = [line for line in lines if line in text]
    assert not leaked, f"solution text in the instructor's sources: {leaked[:3]}"
    assert solution_bodies(book, instructor / "chapters" / name) == []
    assert text.count("{exercise}") == everything_in(original).count("{exercise}") > 0
    assert checker_calls(stripped) == checker_calls(original)
    # Code cells and their stored outputs are untouched: the build's outputs stay the checked ones.
    code = [c for c in original.cells if c.cell_type == "code"]
    assert [c for c in stripped.cells if c.cell_type == "code"] == code


def test_the_instructors_configuration_points_colab_buttons_at_the_student_edition(instructor):
    config = yaml.safe_load((instructor / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["colab_edition_folder"] == "student"
    assert config["execute"]["execute_notebooks"] == "off"  # stored_outputs=True, as make site
    assert "student" in config["exclude_patterns"]
    assert (instructor / "_toc.yml").read_text() == (ROOT / "_toc.yml").read_text()
    assert sorted(p.name for p in (instructor / "student").glob("*.ipynb")) == NAMES


def test_a_chapter_page_built_from_the_instructors_sources_has_no_solution(book, instructor, tmp_path):
    """Jupyter Book on chapter 4 alone, from the instructor's sources, with its stored outputs."""
    from bs4 import BeautifulSoup

    source = tmp_path / "src"
    subprocess.run(["cp", "-r", str(instructor), str(source)], check=True)
    (source / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/04_rnn\nchapters:\n  - file: book/only_check\n", encoding="utf-8"
    )
    (source / "book" / "only_check.md").write_text(
        "# Tags\n\n```{only} solutions\nSAYS-SOLUTIONS-FOLDED\n```\n\n```{only} not solutions\nSAYS-NO-SOLUTIONS\n```\n",
        encoding="utf-8",
    )
    build = subprocess.run(
        [
            str(pathlib.Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(source),
            "--builder",
            "html",
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    site = source / "_build" / "html"
    html = (site / "chapters" / "04_rnn.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    online_original = len(solution_bodies(book, ROOT / "chapters" / "04_rnn.ipynb"))
    assert online_original > 0 and page.select(".solution") == []
    assert len(page.select(".exercise")) == everything_in(
        nbformat.read(ROOT / "chapters" / "04_rnn.ipynb", as_version=4)
    ).count("{exercise}")
    text = page.get_text("")
    assert "check_rnn_step(" in text and "check_rnn_forward(" in text
    leaked = [
        line for line in own_lines(book, ROOT / "chapters" / "04_rnn.ipynb") if line in html or line in text
    ]
    assert not leaked, f"solution text in the built page: {leaked[:3]}"
    # The notebook the page offers for download is the one without solutions.
    assert solution_bodies(book, site / "_sources" / "chapters" / "04_rnn.ipynb") == []
    # The Colab button opens the student edition; the footer names the licences.
    colab = [a["href"] for a in page.select("a[href*='colab.research.google.com']")]
    assert colab and all(href.endswith("/student/04_rnn.ipynb") for href in colab), colab
    assert "creativecommons.org/licenses/by/4.0/" in html and "code: MIT" in html
    # Prose that holds only while solutions are shown ({only} solutions) drops out.
    tags = (site / "book" / "only_check.html").read_text(encoding="utf-8")
    assert "SAYS-NO-SOLUTIONS" in tags and "SAYS-SOLUTIONS-FOLDED" not in tags


# --------------------------------------------------------------------------- removing solutions


def markdown(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(s[5:]) if s.startswith("CODE:") else nbformat.v4.new_markdown_cell(s)
            for s in sources
        ]
    )


def test_a_solution_is_cut_from_its_cell_and_the_exercise_beside_it_stays(book):
    nb = markdown(
        "```{exercise}\n:label: ex-a\nDo it.\n```\n\n````{solution} ex-a\n:class: dropdown\nLike this.\n````\n\nAfter.",
        "```{solution} ex-a\nOnly a solution.\n```",
        "CODE:check_it(mine)",
    )
    assert editions.remove_solutions(nb, book) == 2
    assert [c.source for c in nb.cells] == [
        "```{exercise}\n:label: ex-a\nDo it.\n```\n\n\nAfter.",
        "check_it(mine)",
    ]


def test_a_gated_solution_goes_with_its_code_cells(book):
    nb = markdown(
        "Before.",
        "```{solution-start} ex-a\n```\nFirst part.",
        "CODE:answer = 42",
        "Middle.\n\n```{solution-end}\n```\n\nAfter the gate.",
        "CODE:check_it(mine)",
    )
    assert editions.remove_solutions(nb, book) == 1
    assert [c.source for c in nb.cells] == ["Before.", "After the gate.", "check_it(mine)"]


@pytest.mark.parametrize(
    "sources, match",
    [
        (["```{solution-end}\n```"], "without its"),
        (["```{solution-start} ex-a\n```", "CODE:x = 1"], "no {solution-end}"),
        (["::::{note}\n```{solution} ex-a\nHidden inside.\n```\n::::"], "nested"),
    ],
)
def test_solutions_that_cannot_be_cut_cleanly_fail_loudly(book, sources, match):
    with pytest.raises(ConversionError, match=match):
        editions.remove_solutions(markdown(*sources), book)


# --------------------------------------------------------------------------- what a student sees

#: What Jupyter, Colab and GitHub display without the book's kernel or extensions.
DISPLAYABLE = {
    "text/plain",
    "text/html",
    "text/markdown",
    "text/latex",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
}


def both_editions(instructor) -> list[pathlib.Path]:
    return sorted((ROOT / "colab").glob("*.ipynb")) + sorted((instructor / "student").glob("*.ipynb"))


def test_both_editions_show_no_glue_no_form_options_and_only_displayable_outputs(instructor):
    problems = []
    for path in both_editions(instructor):
        for cell in nbformat.read(path, as_version=4).cells:
            where = f"{path.parent.name}/{path.name} {cell.get('id')}"
            if cell.cell_type != "code":
                continue
            if re.search(r"\bglue\b", cell.source):
                problems.append(f"{where}: glue in the code")
            if "display-mode" in cell.source:
                problems.append(f"{where}: a Colab form option")
            for output in cell.outputs:
                odd = set(output.get("data", {})) - DISPLAYABLE
                if odd:
                    problems.append(f"{where}: output {sorted(odd)}")
                if output.output_type == "stream" and re.search(r"(^|\s)0%\|", output.text):
                    problems.append(f"{where}: a progress bar at 0 %")
    assert len(both_editions(instructor)) == 2 * len(NAMES)
    assert not problems, problems[:10]


def test_progress_bars_are_stored_full_and_checkers_are_imported_once_before_the_exercises(instructor):
    for path in both_editions(instructor):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        first_exercise = next(i for i, c in enumerate(nb.cells) if "**Exercise" in c.source)
        for cell in nb.cells[first_exercise:]:
            if cell.cell_type == "code" and cell.get("id") != "exercise-checkers":
                assert "import check_" not in cell.source, (
                    f"{path.name}: a checker import in an exercise cell"
                )
        # Every checker a cell calls was imported by then (by that cell or an earlier one).
        imported: set[str] = set()
        for cell in code:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.ImportFrom):
                    imported |= {alias.asname or alias.name for alias in node.names}
            missing = set(re.findall(r"\b(check_\w+)\(", cell.source)) - imported
            assert not missing, f"{path.name}: {missing} called before it is imported"
    bars = [
        o.text
        for o in (
            o
            for c in nbformat.read(ROOT / "colab" / "07_gradients.ipynb", as_version=4).cells
            for o in c.get("outputs", [])
        )
        if o.output_type == "stream" and "100%|" in o.text
    ]
    assert "clip = 1.0: 100%|██████████| 200/200\n" in bars
