"""Tests for seqmodels.validation: the shared argument checks."""

import numpy as np
import pytest

from seqmodels.validation import check_fraction, check_int, check_positive_int, check_real, check_token_sequences


def test_check_int_accepts_numpy_integers_and_rejects_bools_and_floats():
    assert check_int("n", np.int64(3)) == 3
    with pytest.raises(TypeError, match="n must be an integer, got bool True"):
        check_int("n", True)
    with pytest.raises(TypeError, match="n must be an integer, got float 2.0"):
        check_int("n", 2.0)


def test_check_positive_int_names_argument_value_and_bound():
    with pytest.raises(ValueError, match="size must be >= 1, got 0"):
        check_positive_int("size", 0)


@pytest.mark.parametrize(
    "value, kwargs, match",
    [
        (0.0, {"low": 0.0, "low_open": True}, "lr must be > 0.0, got 0.0"),
        (-1.0, {"low": 0.0}, "lr must be >= 0.0, got -1.0"),
        (1.0, {"high": 1.0, "high_open": True}, "lr must be < 1.0, got 1.0"),
        (2.0, {"high": 1.0}, "lr must be <= 1.0, got 2.0"),
        (float("nan"), {}, "lr must be finite"),
        (float("inf"), {}, "lr must be finite"),
    ],
)
def test_check_real_rejects_values_outside_the_interval(value, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_real("lr", value, **kwargs)


def test_check_real_accepts_bounds_and_rejects_non_numbers():
    assert check_real("x", 0, low=0.0) == 0.0
    with pytest.raises(TypeError, match="x must be a real number, got str"):
        check_real("x", "1")


def test_check_fraction_is_half_open():
    assert check_fraction("f", 0.0) == 0.0
    with pytest.raises(ValueError, match="f must be < 1.0"):
        check_fraction("f", 1.0)


def test_check_token_sequences_returns_a_list_and_names_what_is_wrong():
    assert check_token_sequences("seqs", (s for s in ["ab", ("c",)])) == ["ab", ("c",)]
    with pytest.raises(TypeError, match="got a single str; wrap it in a list"):
        check_token_sequences("seqs", "abc")
    with pytest.raises(TypeError, match="seqs must be an iterable of token sequences, got int"):
        check_token_sequences("seqs", 3)
    with pytest.raises(TypeError, match=r"seqs\[1\] must be a sequence of tokens"):
        check_token_sequences("seqs", [["a"], 7])
    with pytest.raises(TypeError, match="seqs must contain str tokens, got int 1"):
        check_token_sequences("seqs", [["a", 1]])
    with pytest.raises(TypeError, match="seqs must contain str tokens, got list"):
        check_token_sequences("seqs", [[["a"], "b"]])  # unhashable
    with pytest.raises(ValueError, match="reserved padding symbol '<s>' or '</s>'"):
        check_token_sequences("seqs", [["a", "</s>"]], padding=("<s>", "</s>"))
