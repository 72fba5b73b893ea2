"""The chapter 6 checker accepts the reference answer and rejects wrong ones."""

from seqmodels.exercises.ch06 import check_teacher_forcing, teacher_forcing_solution


def test_reference_solution_passes(capsys):
    assert check_teacher_forcing(teacher_forcing_solution)
    assert "PASS: check_teacher_forcing: 4/4" in capsys.readouterr().out


def test_unshifted_answer_fails(capsys):
    assert not check_teacher_forcing(lambda tokens: (tokens, tokens))
    assert "FAIL: check_teacher_forcing" in capsys.readouterr().out


def test_answer_with_the_markers_swapped_fails():
    assert not check_teacher_forcing(lambda t: (["<eos>"] + t, t + ["<bos>"]))


def test_unfinished_answer_fails_without_raising(capsys):
    def todo(tokens):
        raise NotImplementedError("replace this line with your code")

    assert not check_teacher_forcing(todo)
    assert "raised NotImplementedError" in capsys.readouterr().out
