"""Explorable figures for the web page: the widgets' states, computed by the package at build time.

A widget in a chapter runs Python callbacks, so online, where no kernel runs, it is a single
static picture. An *explorable* is the same figure with the same controls, drawn by Vega-Lite
in the browser from states the package computed when the book was built: the page moves
between precomputed states and computes nothing itself, so the package function the widget
calls stays the one source of truth.

Each explorable is one module in this package, ``seqmodels/explorables/<name>.py``, that
defines ``SPEC = Explorable(...)``:

- ``states()`` returns the Vega-Lite specification (an Altair chart, or its dict) whose data
  are the precomputed states and whose parameters are the controls (``alt.param(bind=...)``);
- an optional sibling ``<name>.js`` is an anywidget-style ES module,
  ``export default { render({ model, el }) { ... } }``, reading ``model.get("spec")``; without
  one, the page uses the shared render, ``vegaEmbed(el, spec, {actions: false})``. A render
  returns (a promise of) the vega-embed result, so the browser tests can read its view;
- an optional ``BROWSER_CHECKS`` list of :class:`BrowserCheck` says what the browser tests
  set on the page and which drawn data they expect to read back.

:func:`discover` imports every module of the package and collects the ``SPEC`` of each.
A chapter shows one with a markdown cell holding the directive ```` ```{explorable} <name> ``` ````
(``book/_ext/explorable.py``); without JavaScript the static figure above it stays.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import pathlib
import pkgutil
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["BrowserCheck", "Explorable", "discover", "source_hash", "MAX_SPEC_BYTES"]

#: The largest spec (JSON, bytes) an explorable may add to its page. A page carries the
#: Vega JavaScript (about 820 KB, once) plus its explorables' specs, and stays within 2 MB added.
MAX_SPEC_BYTES = 1_000_000

_HERE = pathlib.Path(__file__).resolve().parent


@dataclasses.dataclass(frozen=True)
class BrowserCheck:
    """One check the browser tests make on a built page.

    They set each control in ``controls`` (a bound input, found by its parameter's name;
    a parameter without an input is set through the Vega view's ``signal``), then read
    back the data of the items drawn by the view named ``mark`` (the ``name`` given to
    that Altair chart; Vega-Lite calls its marks ``<mark>_marks``) and compare them with
    ``expected``: a list of dicts, one per drawn item in drawing order, holding the fields
    to compare (numbers to a relative 1e-6). ``expected`` may also be a function of the
    spec dict returning that list, so it can be read from the precomputed states.
    """

    controls: Mapping[str, Any]
    mark: str
    expected: Sequence[Mapping[str, Any]] | Callable[[dict], Sequence[Mapping[str, Any]]]

    def __post_init__(self) -> None:
        if not isinstance(self.controls, Mapping) or not self.controls:
            raise TypeError(
                f"controls must be a non-empty mapping of parameter name to value, got {self.controls!r}"
            )
        if not isinstance(self.mark, str) or not self.mark:
            raise TypeError(f"mark must be the name of a view in the spec, got {self.mark!r}")
        if not callable(self.expected) and not isinstance(self.expected, Sequence):
            raise TypeError(
                f"expected must be a list of dicts or a function of the spec, got {type(self.expected)}"
            )

    def expected_items(self, spec: dict) -> list[dict]:
        """The expected drawn items, as a list of dicts (calls ``expected`` on ``spec`` if it is a function)."""
        items = self.expected(spec) if callable(self.expected) else self.expected
        return [dict(item) for item in items]


@dataclasses.dataclass(frozen=True)
class Explorable:
    """A figure of the book that readers can explore on the web page, from precomputed states.

    ``name`` is the module's name (and the directive's argument); ``chapter`` the chapter
    number that shows it; ``title`` a short heading; ``states`` a function, called once when
    the book is built, that returns the Vega-Lite spec (an Altair chart or a dict) holding
    every state; ``alt`` the text a screen reader hears for the figure.
    """

    name: str
    chapter: int
    title: str
    states: Callable[[], Any]
    alt: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"name must be a Python identifier (the module's name), got {self.name!r}")
        if isinstance(self.chapter, bool) or not isinstance(self.chapter, int) or not 1 <= self.chapter <= 99:
            raise ValueError(f"chapter must be a chapter number between 1 and 99, got {self.chapter!r}")
        for field in ("title", "alt"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{field} must be a non-empty string, got {value!r}")
        if not callable(self.states):
            raise TypeError(
                f"states must be a function returning the Vega-Lite spec, got {type(self.states)}"
            )

    def spec(self) -> dict:
        """The Vega-Lite spec as a JSON-ready dict: ``states()``, converted from Altair when needed."""
        chart = self.states()
        spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
        if not isinstance(spec, dict) or "$schema" not in spec:
            raise TypeError(
                f"{self.name}: states() must return an Altair chart or a Vega-Lite dict with a '$schema', "
                f"got {type(chart)}"
            )
        json.dumps(spec, allow_nan=False)  # raises on NaN/infinity, which JSON cannot hold
        return spec

    def spec_json(self, cache: pathlib.Path | str | None = None) -> str:
        """The spec as compact JSON, cached as ``<cache>/<name>-<source_hash()>.json``.

        The book's build (``book/_ext/explorable.py``) and the tests share this cache, so the
        states are computed once per version of the package; the seconds it took are kept
        in ``<cache>/timings.json`` for the build-time benchmark.
        """
        if cache is None:
            return json.dumps(self.spec(), separators=(",", ":"), allow_nan=False)
        cache = pathlib.Path(cache)
        path = cache / f"{self.name}-{source_hash()}.json"
        if path.exists():
            return path.read_text(encoding="utf-8")
        start = time.perf_counter()
        text = json.dumps(self.spec(), separators=(",", ":"), allow_nan=False)
        seconds = time.perf_counter() - start
        cache.mkdir(parents=True, exist_ok=True)
        for stale in cache.glob(f"{self.name}-*.json"):
            stale.unlink()
        path.write_text(text, encoding="utf-8")
        timings_path = cache / "timings.json"
        timings = json.loads(timings_path.read_text(encoding="utf-8")) if timings_path.exists() else {}
        timings[self.name] = round(seconds, 2)
        timings_path.write_text(json.dumps(timings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return text

    @property
    def js_path(self) -> pathlib.Path | None:
        """The explorable's own render module, ``<name>.js`` beside its Python module, if it has one."""
        path = _HERE / f"{self.name}.js"
        return path if path.exists() else None

    @property
    def browser_checks(self) -> list[BrowserCheck]:
        """The module's ``BROWSER_CHECKS`` (empty when it defines none)."""
        module = importlib.import_module(f"{__name__}.{self.name}")
        return list(getattr(module, "BROWSER_CHECKS", []))


def discover() -> dict[str, Explorable]:
    """Every explorable of the package, by name: imports each module here and collects its ``SPEC``.

    A module without ``SPEC`` is a helper and is skipped; a ``SPEC`` whose name is not its
    module's name is an error, since the directive and the tests find it by that name.
    """
    found: dict[str, Explorable] = {}
    for info in sorted(pkgutil.iter_modules([str(_HERE)]), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if spec is None:
            continue
        if not isinstance(spec, Explorable):
            raise TypeError(f"{module.__name__}.SPEC must be an Explorable, got {type(spec)}")
        if spec.name != info.name:
            raise ValueError(f"{module.__name__}.SPEC.name is {spec.name!r}; it must be the module's name")
        found[spec.name] = spec
    return found


def source_hash() -> str:
    """A hash of the package's source: every .py and .js file of ``seqmodels``, with its path.

    The book's build caches each explorable's spec under this key, so states are computed
    again only when the code that computes them may have changed.
    """
    root = _HERE.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".js") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
