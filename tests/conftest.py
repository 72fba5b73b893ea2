"""Shared test helpers."""

from __future__ import annotations

import shutil

import pytest
import torch
from torch.utils._pytree import tree_flatten

#: Notebooks the grader's tests hand in as a class (tests/submissions/generate.py): they are
#: test data, some of them hostile (an endless loop, os._exit), not notebooks for nbval.
collect_ignore = ["submissions"]


class _Fed(Exception):
    """Raised by the hook once the model has received its first input."""


def _devices_fed(model: torch.nn.Module, call) -> set[torch.device]:
    """Move ``model`` to the ``meta`` device, run ``call(model)`` up to the first forward of
    any of its modules, and return the devices of the tensors handed to that forward.

    Without a GPU this still catches a function that builds its tensors on the CPU instead
    of on the model's device: they would arrive as ``cpu``, not ``meta``.
    """
    model.to("meta")
    seen: list[torch.Tensor] = []

    def hook(module, args, kwargs):
        seen.extend(t for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor))
        raise _Fed

    handles = [m.register_forward_pre_hook(hook, with_kwargs=True) for m in model.modules()]
    try:
        with pytest.raises(_Fed):
            call(model)
    finally:
        for h in handles:
            h.remove()
    assert seen, "the model received no tensor"
    return {t.device for t in seen}


@pytest.fixture
def devices_fed():
    """``devices_fed(model, call)``: the devices of what ``call`` first feeds ``model`` (on ``meta``)."""
    return _devices_fed


# ----------------------------------------------------------------------------- a real browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Debian Chromium through Selenium, reaching nothing but 127.0.0.1."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail(
            "Debian's chromium and chromium-driver are needed: apt-get install chromium chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,2000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


#: Resolves once MathJax 3 has typeset the page (``false`` if it never started).
MATHJAX_READY = """
const done = arguments[arguments.length - 1];
const wait = (n) => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => done(true), () => done(false));
  } else if (n > 0) { setTimeout(() => wait(n - 1), 100); } else { done(false); }
};
wait(100);
"""


@pytest.fixture
def mathjax_ready() -> str:
    """The script above, as a fixture: test modules cannot import from conftest, since
    chapters/conftest.py is also a module named ``conftest``."""
    return MATHJAX_READY


#: The Colab edition's run times, as its tests record them (``record_property``): the reports
#: reach this process also when pytest-xdist ran the tests in a worker.
_COLAB_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    for name, value in getattr(report, "user_properties", ()):
        if name == "colab_seconds" and report.when == "call":
            _COLAB_SECONDS[report.nodeid.rsplit("[", 1)[-1].rstrip("]")] = value


def pytest_terminal_summary(terminalreporter):
    """The Colab edition's run times in the pinned runtime (tests/test_colab_runtime.py)."""
    if not _COLAB_SECONDS:
        return
    terminalreporter.section("Colab edition in the pinned Colab-like runtime (bootstrap included)")
    for name, seconds in sorted(_COLAB_SECONDS.items()):
        terminalreporter.write_line(f"{name:<28}{seconds:7.1f} s")
    terminalreporter.write_line(
        f"{'all, two at a time':<28}{sum(_COLAB_SECONDS.values()):7.1f} s of run time"
    )


def _to_float32(value):
    """``value`` with every float array, tensor and number in float32 (dicts, lists, tuples recursively)."""
    import numpy as np

    if isinstance(value, torch.Tensor):
        return value.float() if value.is_floating_point() else value
    if isinstance(value, np.ndarray):
        return value.astype(np.float32) if value.dtype.kind == "f" else value
    if isinstance(value, float):
        return np.float32(value)
    if isinstance(value, dict):
        return {k: _to_float32(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_float32(v) for v in value)
    return value


@pytest.fixture
def float32():
    """Turn an answer into the same answer computed in float32: its float inputs and outputs cast down."""

    def wrap(fn):
        def in_float32(*args):
            return _to_float32(fn(*_to_float32(args)))

        return in_float32

    return wrap
