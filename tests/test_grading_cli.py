"""seqmodels.grading.cli: the command's options, its seed, and a class without a readable notebook."""

from __future__ import annotations

import csv

import pytest

from seqmodels.grading import cli
from seqmodels.grading.cli import grade, main, seed_from_secret


def test_the_seed_comes_from_the_secret_and_stays():
    assert (
        seed_from_secret("course 2026") == seed_from_secret("course 2026") != seed_from_secret("course 2027")
    )
    assert 0 <= seed_from_secret("x") < 2**31
    with pytest.raises(ValueError, match="non-empty"):
        seed_from_secret("")


def test_bad_options_are_refused_before_anything_runs(tmp_path, capsys):
    (tmp_path / "subs").mkdir()
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "subs" / "grades")]) == 2
    assert "must not lie inside the submissions" in capsys.readouterr().err
    with pytest.raises(ValueError, match="jobs must be a positive integer"):
        grade(tmp_path / "subs", tmp_path / "out", jobs=0)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        grade(tmp_path / "subs", tmp_path / "out", seed=-1)
    assert main([str(tmp_path / "nothing"), "--out", str(tmp_path / "out")]) == 2


def test_unreadable_files_still_get_their_rows(tmp_path, monkeypatch, capsys):
    # In this process: the subreaper and the final kill are for the command's own process.
    monkeypatch.setattr(cli, "become_subreaper", lambda: False)
    monkeypatch.setattr(cli, "kill_descendants", lambda: [])
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ada_03.ipynb").write_bytes(b"")
    (subs / "bo_02.ipynb").write_text("{")
    assert main([str(subs), "--out", str(tmp_path / "out"), "--seed", "1", "--no-progress"]) == 0
    assert "2 submissions, 0 graded without incident" in capsys.readouterr().out
    rows = list(csv.DictReader(open(tmp_path / "out" / "grades.csv", encoding="utf-8")))
    assert [(r["student"], r["status"]) for r in rows] == [
        ("ada", "unreadable: empty file"),
        ("bo", "unreadable: invalid JSON (Expecting property name enclosed in double quotes)"),
    ]
    assert rows[0]["ex 3.1"] == "0/7" and rows[1]["ex 2.1"] == "0/13"


def test_without_seed_or_secret_the_command_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "become_subreaper", lambda: False)
    monkeypatch.setattr(cli, "kill_descendants", lambda: [])
    monkeypatch.delenv("SEQMODELS_GRADE_SECRET", raising=False)
    (tmp_path / "subs").mkdir()
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    assert "hidden cases use seed 0" in capsys.readouterr().err
