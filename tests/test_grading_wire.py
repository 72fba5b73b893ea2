"""seqmodels.grading.wire: plain data in and out of a kernel, and nothing else."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from seqmodels.grading.wire import KERNEL_CODE, Unsupported, read_value, write_value


def kernel_answer(tmp_path, fn, args=(1.0,)):
    """Run the kernel-side code here (as the kernel would) on ``fn`` and read the answer back."""
    namespace = {"f": fn}
    exec(KERNEL_CODE, namespace)
    write_value(list(args), tmp_path / "args")
    namespace["_seqmodels_grade_call"]("f", str(tmp_path), "grading_standin", "3.1")
    error = tmp_path / "error.txt"
    return ("error", error.read_text()) if error.exists() else read_value(tmp_path / "result")


def test_plain_arguments_round_trip_through_json_and_npy(tmp_path):
    value = [
        np.arange(6.0).reshape(2, 3),
        (1, "a", None),
        {"k": [True, 2.5]},
        float("nan"),
        np.array(["x", "yz"]),
    ]
    write_value(value, tmp_path)
    back = read_value(tmp_path)
    np.testing.assert_array_equal(back[0], value[0])
    assert back[1] == (1, "a", None) and back[2] == {"k": [True, 2.5]} and np.isnan(back[3])
    assert back[4].tolist() == ["x", "yz"]


def test_arguments_that_are_not_plain_data_are_refused(tmp_path):
    with pytest.raises(TypeError, match="only plain data"):
        write_value([object()], tmp_path)
    with pytest.raises(TypeError, match="dtype object"):
        write_value([np.array([{}], dtype=object)], tmp_path)


def test_answers_come_back_as_plain_arrays_of_a_fixed_dtype(tmp_path):
    got = kernel_answer(
        tmp_path, lambda x: (np.float32(x), torch.ones(2, requires_grad=True), np.arange(3, dtype=np.int8))
    )
    assert isinstance(got, tuple) and type(got[0]) is float
    assert got[1].dtype == np.float64 and got[1].tolist() == [1.0, 1.0]
    assert got[2].dtype == np.int64


def test_a_dict_with_tuple_keys_comes_back(tmp_path):
    assert kernel_answer(tmp_path, lambda x: {("a", "b"): 2, ("b", "a"): 1}) == {("a", "b"): 2, ("b", "a"): 1}


def test_an_object_equal_to_everything_comes_back_as_unsupported(tmp_path):
    class Always(float):
        def __eq__(self, other):
            return True

    class AlwaysArray(np.ndarray):
        def __eq__(self, other):
            return True

    assert isinstance(kernel_answer(tmp_path / "a", lambda x: Always(0.0)), Unsupported)
    assert isinstance(kernel_answer(tmp_path / "b", lambda x: np.zeros(2).view(AlwaysArray)), Unsupported)
    assert isinstance(kernel_answer(tmp_path / "c", lambda x: {"W": Always(1.0)})["W"], Unsupported)


def test_an_exception_and_a_missing_function_are_reported(tmp_path):
    kind, text = kernel_answer(tmp_path / "a", lambda x: 1 / 0)
    assert kind == "error" and "ZeroDivisionError" in text
    namespace = {}
    exec(KERNEL_CODE, namespace)
    write_value([1.0], tmp_path / "b" / "args")
    namespace["_seqmodels_grade_call"]("my_square", str(tmp_path / "b"), "grading_standin", "3.1")
    assert "defines no function 'my_square'" in (tmp_path / "b" / "error.txt").read_text()


def test_a_hostile_result_folder_gives_unsupported_never_a_pickle(tmp_path):
    np.save(tmp_path / "p.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "value.json").write_text(
        json.dumps([{"__array__": "p.npy"}, {"__array__": "../etc/passwd"}, "ok"])
    )
    got = read_value(tmp_path)
    assert isinstance(got[0], Unsupported) and isinstance(got[1], Unsupported) and got[2] == "ok"
    (tmp_path / "value.json").write_text("{not json")
    assert isinstance(read_value(tmp_path), Unsupported)
    assert isinstance(read_value(tmp_path / "nowhere"), Unsupported)


def test_a_forbidden_call_is_reported_in_the_guard_s_words(tmp_path):
    class CalledReference(Exception):
        pass

    def cheat(x):
        raise CalledReference(
            "it calls seqmodels.perceptron.tanh_grad, and the exercise asks you to write it yourself"
        )

    kind, text = kernel_answer(tmp_path, cheat)
    assert text.startswith("it calls seqmodels.perceptron.tanh_grad")
