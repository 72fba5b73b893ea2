"""The chapter 9 checker accepts the reference answer and rejects wrong ones."""

import numpy as np

from seqmodels.exercises.ch09 import attention_solution, check_attention


def test_reference_solution_passes(capsys):
    assert check_attention(attention_solution)
    assert "PASS: check_attention: 5/5" in capsys.readouterr().out


def test_answer_that_ignores_the_mask_fails():
    def no_mask(s, H, mask):
        e = np.exp(H @ s - (H @ s).max())
        return e / e.sum()

    assert not check_attention(no_mask)


def test_answer_that_overflows_fails():
    def unstable(s, H, mask):
        e = np.where(mask, np.exp(H @ s), 0.0)
        return e / e.sum()

    with np.errstate(over="ignore", invalid="ignore"):
        assert not check_attention(unstable)


def test_unnormalised_scores_fail():
    assert not check_attention(lambda s, H, mask: np.where(mask, H @ s, 0.0))


def test_unfinished_answer_fails_without_raising(capsys):
    def todo(s, H, mask):
        raise NotImplementedError("replace this line with your code")

    assert not check_attention(todo)
    assert "FAIL: check_attention: 0/5" in capsys.readouterr().out
