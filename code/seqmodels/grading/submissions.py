"""Finding the submissions in a folder or zip, and who and which chapter each one is.

The file-name pattern (documented in the README):

- ``<student>_<NN>_<anything>.ipynb`` or ``<student>_<NN>.ipynb``, e.g. ``ada_03_perceptron.ipynb``;
- ``<student>/<NN>_<anything>.ipynb``, one folder per student, e.g. ``ada/03_perceptron.ipynb``
  (what a learning platform's bulk download usually looks like).

``NN`` is the chapter, two digits (``01`` to ``09``; ``ch3`` and ``ch03`` work too); the
student id is everything before the first ``_NN`` and may hold any other characters. When
the name has no chapter, the grader takes it from the notebook itself: the chapter whose
checkers it imports (``seqmodels.exercises.chNN``). When both are there and disagree, the
name wins (it is what the student handed in for) and the row carries a note, since that
notebook's answers will not be the ones this chapter asks for.

Every ``.ipynb`` file found becomes a :class:`Submission`, even one that cannot be read:
its ``problem`` says why, and its row says ``unreadable: <why>``.
"""

from __future__ import annotations

import json
import pathlib
import re
import zipfile
from dataclasses import dataclass

#: The most bytes a submitted notebook may have (a student's notebook with outputs is far smaller).
MAX_NOTEBOOK_BYTES = 50 * 2**20

_CHAPTER = r"(?:0(?P<chapter>[1-9])|ch0?(?P<chapter_ch>[1-9]))"
_NAME_CHAPTER = re.compile(rf"^(?P<student>.+?)_{_CHAPTER}(?:_.*)?$", re.IGNORECASE)
_FILE_CHAPTER = re.compile(rf"^{_CHAPTER}(?:_.*)?$", re.IGNORECASE)
_IMPORTED_CHAPTER = re.compile(r"seqmodels\.exercises\.ch0?([1-9])\b")


@dataclass(frozen=True)
class Submission:
    """One submitted file: where it is, whose it is, which chapter, and why it cannot be graded (if so)."""

    path: pathlib.Path  # the file on disk (inside the grader's extraction folder for a zip)
    file: str  # the name as submitted, relative to the folder or zip
    student: str
    chapter: int | None
    notebook: dict | None
    problem: str = ""  # empty when the notebook can be graded
    note: str = ""  # e.g. a chapter mismatch


def _read_notebook(path: pathlib.Path) -> tuple[dict | None, str]:
    """The notebook as a dict, or ``None`` and the reason it cannot be used."""
    size = path.stat().st_size
    if size == 0:
        return None, "empty file"
    if size > MAX_NOTEBOOK_BYTES:
        return None, f"file of {size:,} bytes, over the {MAX_NOTEBOOK_BYTES:,} accepted"
    try:
        nb = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except ValueError as exc:
        return None, f"invalid JSON ({str(exc).split(':')[0]})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "not a notebook (no list of cells)"
    if nb.get("nbformat") != 4:
        return None, f"nbformat {nb.get('nbformat')!r}; nbformat 4 is expected"
    return nb, ""


def code_cells(nb: dict) -> list[str]:
    """The source of every code cell, in order (a cell's source may be a string or a list of lines)."""
    sources = []
    for cell in nb["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else str(source))
    return sources


def chapter_of_notebook(nb: dict) -> int | None:
    """The chapter whose checkers the notebook imports, or ``None`` if none or several."""
    found = {int(m) for source in code_cells(nb) for m in _IMPORTED_CHAPTER.findall(source)}
    return found.pop() if len(found) == 1 else None


def parse_name(relative: str) -> tuple[str, int | None]:
    """Student id and chapter (or ``None``) from a submission's relative path (see the module's patterns).

    A file named ``NN_*`` belongs to the student its folder names; a file named ``<student>_NN*``
    names its student itself, in whatever folders it lies (a zip often wraps everything in one).
    """
    parts = pathlib.PurePosixPath(relative.replace("\\", "/")).parts
    stem = pathlib.PurePosixPath(parts[-1]).stem
    folder = parts[-2] if len(parts) >= 2 else stem
    match = _FILE_CHAPTER.match(stem)
    if match:
        return folder, _chapter(match)
    match = _NAME_CHAPTER.match(stem)
    if match:
        return match["student"], _chapter(match)
    return folder, None


def _chapter(match: re.Match | None) -> int | None:
    if match is None:
        return None
    return int(match["chapter"] or match["chapter_ch"])


def _submission(path: pathlib.Path, relative: str) -> Submission:
    student, name_chapter = parse_name(relative)
    nb, problem = _read_notebook(path)
    nb_chapter = chapter_of_notebook(nb) if nb is not None else None
    chapter, note = name_chapter, ""
    if chapter is None:
        chapter = nb_chapter
        if nb is not None and chapter is None:
            problem = "no chapter in the file name, and the notebook imports no chapter's checkers"
    elif nb_chapter is not None and nb_chapter != name_chapter:
        note = f"the file name says chapter {name_chapter}, but the notebook is chapter {nb_chapter}'s"
    return Submission(path, relative, student, chapter, nb, problem, note)


def find_submissions(source: pathlib.Path, unpack_to: pathlib.Path) -> list[Submission]:
    """Every ``.ipynb`` under the folder ``source`` (or inside the zip ``source``), sorted by name.

    A zip is extracted into ``unpack_to`` (member names that would land outside it are skipped).
    Checkpoint copies (``.ipynb_checkpoints``) and macOS resource forks (``__MACOSX``) are not submissions.
    """
    source = pathlib.Path(source)
    if not source.exists():
        raise ValueError(f"no folder or zip at {source}")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise ValueError(f"{source} is neither a folder nor a zip file")
        root = pathlib.Path(unpack_to).resolve()
        with zipfile.ZipFile(source) as archive:
            for member in archive.infolist():
                target = (root / member.filename).resolve()
                if (
                    member.is_dir()
                    or not target.is_relative_to(root)
                    or not member.filename.endswith(".ipynb")
                ):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as data:  # one byte over the limit is enough to refuse it
                    target.write_bytes(data.read(MAX_NOTEBOOK_BYTES + 1))
        source = root
    files = sorted(
        path
        for path in source.rglob("*.ipynb")
        if path.is_file() and not {".ipynb_checkpoints", "__MACOSX"} & set(path.relative_to(source).parts)
    )
    return [_submission(path, path.relative_to(source).as_posix()) for path in files]
