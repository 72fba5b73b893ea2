"""The chapter 7 checkers accept correct answers and reject wrong ones."""

from __future__ import annotations

import numpy as np

from seqmodels.exercises.ch07 import check_clip


def clip_reference(g, theta):
    norm = np.linalg.norm(g)
    return theta * g / norm if norm >= theta else g


def clip_always_rescales(g, theta):  # wrong: also stretches short gradients
    return theta * g / np.linalg.norm(g)


def test_check_clip_accepts_the_reference(capsys):
    assert check_clip(clip_reference)
    assert "PASS: check_clip: 5/5" in capsys.readouterr().out


def test_check_clip_rejects_a_clip_that_stretches_short_gradients(capsys):
    assert not check_clip(clip_always_rescales)
    assert "FAIL" in capsys.readouterr().out


def test_check_clip_reports_an_unfinished_answer_without_raising(capsys):
    def unfinished(g, theta):
        raise NotImplementedError("replace this line with your code")

    assert not check_clip(unfinished)
    assert "NotImplementedError" in capsys.readouterr().out


def test_check_clip_does_not_let_in_place_edits_leak_between_cases():
    def in_place(g, theta):
        norm = np.linalg.norm(g)
        if norm >= theta:
            g *= theta / norm
        return g

    assert check_clip(in_place)
