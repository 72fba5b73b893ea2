"""seqmodels.grading.submissions: who, which chapter, and why a file cannot be graded."""

from __future__ import annotations

import json
import zipfile

import pytest

from seqmodels.grading.submissions import chapter_of_notebook, find_submissions, parse_name


def write_notebook(path, *sources, **top):
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in sources
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **top}))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("ada_03_perceptron.ipynb", ("ada", 3)),
        ("ada_03.ipynb", ("ada", 3)),
        ("Ada_CH3.ipynb", ("Ada", 3)),
        ("anna-2_03_part_2.ipynb", ("anna-2", 3)),  # the first _NN is the chapter
        ("ada/03_perceptron.ipynb", ("ada", 3)),  # one folder per student
        ("class-2026/ada_07_gradients.ipynb", ("ada", 7)),  # a zip's wrapping folder is not a student
        ("olga.ipynb", ("olga", None)),
        ("s_10_x.ipynb", ("s_10_x", None)),  # 10 is no chapter
    ],
)
def test_the_file_name_gives_the_student_and_the_chapter(name, expected):
    assert parse_name(name) == expected


def test_the_chapter_comes_from_the_imported_checkers():
    nb = {"cells": [{"cell_type": "code", "source": ["from seqmodels.exercises.ch06 import check_greedy\n"]}]}
    assert chapter_of_notebook(nb) == 6
    nb["cells"].append({"cell_type": "code", "source": "import seqmodels.exercises.ch02"})
    assert chapter_of_notebook(nb) is None  # two chapters: the notebook does not say


def test_every_file_is_a_submission_and_a_broken_one_says_why(tmp_path):
    (tmp_path / "empty_03.ipynb").write_bytes(b"")
    (tmp_path / "cut_03.ipynb").write_text('{"cells": [')
    (tmp_path / "list_03.ipynb").write_text("[1, 2]")
    (tmp_path / "old_03.ipynb").write_text(json.dumps({"cells": [], "nbformat": 3}))
    (tmp_path / "latin_03.ipynb").write_bytes(b"\xff\xfe{}")
    write_notebook(tmp_path / "noname.ipynb", "print(1)")
    write_notebook(tmp_path / "found.ipynb", "from seqmodels.exercises.ch04 import check_rnn_step")
    write_notebook(tmp_path / "swap_03_x.ipynb", "from seqmodels.exercises.ch04 import check_rnn_step")
    write_notebook(tmp_path / ".ipynb_checkpoints" / "ada_03-checkpoint.ipynb", "")
    subs = {s.file: s for s in find_submissions(tmp_path, tmp_path / "unused")}
    assert sorted(subs) == sorted(
        ["empty_03.ipynb", "cut_03.ipynb", "list_03.ipynb", "old_03.ipynb", "latin_03.ipynb"]
        + ["noname.ipynb", "found.ipynb", "swap_03_x.ipynb"]
    )
    assert subs["empty_03.ipynb"].problem == "empty file"
    assert subs["cut_03.ipynb"].problem.startswith("invalid JSON")
    assert subs["list_03.ipynb"].problem == "not a notebook (no list of cells)"
    assert subs["old_03.ipynb"].problem.startswith("nbformat 3")
    assert subs["latin_03.ipynb"].problem == "not UTF-8 text"
    assert subs["noname.ipynb"].problem.startswith("no chapter in the file name")
    assert subs["found.ipynb"].chapter == 4 and not subs["found.ipynb"].problem
    swap = subs["swap_03_x.ipynb"]
    assert swap.chapter == 3 and "chapter 4" in swap.note and not swap.problem


def test_a_zip_is_unpacked_without_escaping_its_folder(tmp_path):
    archive = tmp_path / "class.zip"
    good = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 4})
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("class/ada_03_x.ipynb", good)
        z.writestr("../../evil_03_x.ipynb", good)
        z.writestr("__MACOSX/class/._ada_03_x.ipynb", "junk")
        z.writestr("class/readme.txt", "not a notebook")
    subs = find_submissions(archive, tmp_path / "unpacked")
    assert [(s.file, s.student, s.chapter, s.problem) for s in subs] == [
        ("class/ada_03_x.ipynb", "ada", 3, "")
    ]
    assert not (tmp_path.parent / "evil_03_x.ipynb").exists()


def test_a_missing_or_wrong_source_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no folder or zip"):
        find_submissions(tmp_path / "nothing", tmp_path)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ValueError, match="neither a folder nor a zip"):
        find_submissions(tmp_path / "file.txt", tmp_path)
