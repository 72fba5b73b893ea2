"""Plain data across the kernel boundary: arguments in, answers out, never a pickle.

The grader sends a case's arguments to the submission's kernel as files in the scratch
folder, and the kernel writes the function's answer back the same way: a JSON document
``value.json`` in which every NumPy array (or tensor) is replaced by a reference to an
``.npy`` file beside it. Only numbers, strings, booleans, ``None``, lists, tuples, dicts
with string keys and numeric, boolean or string arrays cross; the grader reads the arrays
with ``allow_pickle=False``. Anything else the answer holds (an object whose ``==`` is
always true, a generator, a model) becomes an :class:`Unsupported` marker that no case
accepts.

:data:`KERNEL_CODE` is the code the grader runs *inside* the kernel to call one function;
it is sent as source each time, after the notebook's cells, so nothing the notebook
defines beforehand replaces it. Even if the notebook patches what it uses (``json``,
``numpy``), the worst it can do is write wrong data, which fails its case: the expected
answers never enter the kernel.
"""

from __future__ import annotations

import json
import math
import pathlib
from dataclasses import dataclass
from typing import Any

import numpy as np

_ARRAY, _TUPLE, _ITEMS = "__array__", "__tuple__", "__items__"
_UNSUPPORTED, _FLOAT = "__unsupported__", "__float__"


@dataclass(frozen=True)
class Unsupported:
    """An answer the kernel could not turn into plain data (``what`` names its type)."""

    what: str

    def __repr__(self) -> str:
        return f"<not plain data: {self.what}>"


def _encode(value: Any, folder: pathlib.Path, counter: list[int]) -> Any:
    """``value`` as JSON-ready data, arrays saved to ``folder`` (the grader's side: arguments)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else {_FLOAT: repr(value)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufU":
            raise TypeError(f"cannot send an array of dtype {value.dtype} to a kernel")
        counter[0] += 1
        name = f"a{counter[0]}.npy"
        np.save(folder / name, value, allow_pickle=False)
        return {_ARRAY: name}
    if isinstance(value, tuple):
        return {_TUPLE: [_encode(v, folder, counter) for v in value]}
    if isinstance(value, list):
        return [_encode(v, folder, counter) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        if any(k.startswith("__") and k.endswith("__") for k in value):
            raise ValueError("dict keys of the form __name__ are reserved by the wire format")
        return {k: _encode(v, folder, counter) for k, v in value.items()}
    raise TypeError(f"cannot send a {type(value).__name__} to a kernel: only plain data crosses")


def write_value(value: Any, folder: pathlib.Path) -> None:
    """Write ``value`` (plain data) into ``folder`` as ``value.json`` and ``.npy`` files."""
    folder.mkdir(parents=True, exist_ok=True)
    document = _encode(value, folder, [0])
    (folder / "value.json").write_text(json.dumps(document), encoding="utf-8")


def _decode(document: Any, folder: pathlib.Path, budget: list[int]) -> Any:
    if document is None or isinstance(document, (bool, int, float, str)):
        return document
    if isinstance(document, list):
        return [_decode(v, folder, budget) for v in document]
    if not isinstance(document, dict):
        return Unsupported(type(document).__name__)
    if set(document) == {_ARRAY}:
        name = document[_ARRAY]
        path = folder / str(name)
        if not isinstance(name, str) or "/" in name or "\\" in name or not path.is_file():
            return Unsupported("a missing array file")
        budget[0] -= path.stat().st_size
        if budget[0] < 0:
            return Unsupported("an answer larger than the grader accepts")
        try:
            array = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as exc:
            return Unsupported(f"an unreadable array ({exc})")
        if array.dtype.kind not in "biufU":
            return Unsupported(f"an array of dtype {array.dtype}")
        return array
    if set(document) == {_TUPLE}:
        items = document[_TUPLE]
        return (
            tuple(_decode(v, folder, budget) for v in items) if isinstance(items, list) else Unsupported("?")
        )
    if set(document) == {_FLOAT}:
        return float(document[_FLOAT]) if document[_FLOAT] in ("nan", "inf", "-inf") else Unsupported("?")
    if set(document) == {_ITEMS}:  # a dict whose keys are not all strings
        items = document[_ITEMS]
        if not isinstance(items, list) or not all(isinstance(i, list) and len(i) == 2 for i in items):
            return Unsupported("a malformed dict")
        pairs = [(_decode(k, folder, budget), _decode(v, folder, budget)) for k, v in items]
        if not all(isinstance(k, (str, int, float, bool, tuple, type(None))) for k, _ in pairs):
            return Unsupported("a dict with keys that are not plain values")
        try:
            return dict(pairs)
        except TypeError:
            return Unsupported("a dict with unhashable keys")
    if set(document) == {_UNSUPPORTED}:
        return Unsupported(str(document[_UNSUPPORTED])[:80])
    return {str(k): _decode(v, folder, budget) for k, v in document.items()}


def read_value(folder: pathlib.Path, max_bytes: int = 64 * 2**20) -> Any:
    """Read back what :func:`write_value` or the kernel wrote in ``folder``, as plain data.

    Arrays load with ``allow_pickle=False``; malformed or oversized content becomes an
    :class:`Unsupported` marker rather than an exception, so a hostile answer fails its case.
    """
    path = folder / "value.json"
    if not path.is_file():
        return Unsupported("no answer written")
    if path.stat().st_size > max_bytes:
        return Unsupported("an answer larger than the grader accepts")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return Unsupported("an unreadable answer")
    return _decode(document, folder, [max_bytes])


#: Runs inside the kernel: ``_seqmodels_grade_call(name, folder, registry_name, number)`` reads
#: the arguments in ``folder/args``, calls the notebook's function ``name`` on them as the
#: checker does (the registry's ``answer``: the exercise's harness, which rebuilds arguments
#: such as a toy decoder from their plain description, and its guard), and writes the answer
#: to ``folder/result`` (or what went wrong, as the checker would say it, to ``folder/error.txt``).
KERNEL_CODE = r"""
def _seqmodels_grade_prepare(registry_name, numbers):
    # Import the registry and everything its exercises name (harness, forbidden routes) once,
    # under the cell timeout, so that no call on a case pays for an import.
    import importlib
    registry = importlib.import_module(registry_name)
    if not callable(getattr(registry, "exercise", None)):
        return
    for number in numbers:
        exercise = registry.exercise(number)
        for dotted in filter(None, (exercise.harness, *exercise.forbidden)):
            parts = dotted.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    importlib.import_module(".".join(parts[:cut]))
                    break
                except ImportError:
                    continue


def _seqmodels_grade_call(name, folder, registry_name, number):
    import importlib, json, math, os, sys, traceback
    import numpy as np
    folder = os.path.abspath(folder)

    def decode(d, where):
        if isinstance(d, list):
            return [decode(v, where) for v in d]
        if isinstance(d, dict):
            if set(d) == {"__array__"}:
                return np.load(os.path.join(where, d["__array__"]), allow_pickle=False)
            if set(d) == {"__tuple__"}:
                return tuple(decode(v, where) for v in d["__tuple__"])
            if set(d) == {"__float__"}:
                return float(d["__float__"])
            return {k: decode(v, where) for k, v in d.items()}
        return d

    out = os.path.join(folder, "result")
    os.makedirs(out, exist_ok=True)
    count = [0]

    def array(a):
        a = np.asarray(a)
        kind = a.dtype.kind
        if kind == "b":
            a = a.astype(np.bool_)
        elif kind in "iu":
            a = a.astype(np.int64)
        elif kind == "f":
            a = a.astype(np.float64)
        elif kind == "U":
            a = a.astype(str)
        else:
            return {"__unsupported__": "an array of dtype " + str(a.dtype)}
        count[0] += 1
        file = "r%d.npy" % count[0]
        np.save(os.path.join(out, file), np.ascontiguousarray(a), allow_pickle=False)
        return {"__array__": file}

    def encode(v, depth=0):
        t = type(v)
        if depth > 20:
            return {"__unsupported__": "an answer nested too deep"}
        if v is None or t is bool or t is str or t is int:
            return v
        if t is float:
            return v if math.isfinite(v) else {"__float__": repr(v)}
        if t is tuple:
            return {"__tuple__": [encode(x, depth + 1) for x in v]}
        if t is list:
            return [encode(x, depth + 1) for x in v]
        if t is dict and all(type(k) is str and not k.startswith("__") for k in v):
            return {k: encode(x, depth + 1) for k, x in v.items()}
        if t is dict:
            return {"__items__": [[encode(k, depth + 1), encode(x, depth + 1)] for k, x in v.items()]}
        if t is np.bool_:
            return bool(v)
        if isinstance(v, np.integer) and t.__module__ == "numpy":
            return int(v)
        if isinstance(v, np.floating) and t.__module__ == "numpy":
            return encode(float(v))
        if t is np.ndarray:
            return array(v)
        if t.__module__ == "torch" and t.__name__ in ("Tensor", "Parameter"):
            return array(v.detach().cpu().numpy())
        return {"__unsupported__": t.__module__ + "." + t.__qualname__}

    try:
        with open(os.path.join(folder, "args", "value.json"), encoding="utf-8") as f:
            args = decode(json.load(f), os.path.join(folder, "args"))
        if not callable(globals().get(name)):
            raise NameError("the notebook defines no function " + repr(name))
        fn = globals()[name]
        registry = importlib.import_module(registry_name)
        if callable(getattr(registry, "answer", None)):  # the harness and the guard, as in the notebook
            got = registry.answer(registry.exercise(number), fn, args)
        else:
            got = fn(*args)
        document = encode(got)
    except BaseException as exc:
        with open(os.path.join(folder, "error.txt"), "w", encoding="utf-8") as f:
            if type(exc).__name__ == "CalledReference":  # the guard's own words, as the checker prints them
                f.write(str(exc)[:500])
            else:
                f.write("raised " + traceback.format_exception_only(type(exc), exc)[-1].strip()[:500])
        return
    with open(os.path.join(out, "value.json"), "w", encoding="utf-8") as f:
        json.dump(document, f)
"""
