"""The explorable figures on the built page, in headless Chromium with nothing but 127.0.0.1 reachable.

For every explorable the package has (``seqmodels.explorables.discover``) and every check in
its module's ``BROWSER_CHECKS``: open the chapter page that shows it, move its controls (the
inputs Vega binds to its parameters, as a reader would), read the data of the items Vega
drew for the named view back from the scenegraph, and compare them with the precomputed
state for those values. No console errors, no request off the local server. A screenshot of
each explorable lands in ``_build/screenshots/<name>.png``.

Needs the built site (``make site``; ``make test`` builds it first) and Debian's chromium.
"""

from __future__ import annotations

import functools
import http.server
import json
import math
import pathlib
import re
import threading

import pytest

from seqmodels.explorables import discover

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
EXPLORABLES = discover()


def pages() -> dict[str, pathlib.Path]:
    """The built chapter page of each explorable, found by its ``<div data-explorable=...>``."""
    found = {}
    for page in sorted((SITE / "chapters").glob("*.html")):
        for name in re.findall(r'data-explorable="(\w+)"', page.read_text(encoding="utf-8")):
            found[name] = page
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail("the book is not built: run `make site` (make test does it first)")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# Resolves with "true" once the loader rendered the explorable (or "failed", or "timeout").
READY = """
const [name, done] = [arguments[0], arguments[arguments.length - 1]];
const wait = (n) => {
  const box = document.getElementById('explorable-' + name);
  const state = box && box.dataset.ready;
  if (state) done(state); else if (n > 0) setTimeout(() => wait(n - 1), 100); else done('timeout');
};
wait(200);
"""

# Moves the controls as a reader does (a bound input of that name; a parameter without one is
# set on the view), lets Vega run, then returns the chosen fields of the items drawn by the mark.
SET_AND_READ = """
const [name, controls, mark, fields, done] = arguments;
const box = document.getElementById('explorable-' + name);
const view = box.explorableView;
for (const [param, value] of Object.entries(controls)) {
  const inputs = [...box.querySelectorAll('.vega-bindings [name="' + param + '"]')];
  if (!inputs.length) { view.signal(param, value); continue; }
  const input = inputs[0];
  if (input.type === 'radio') {
    const radio = inputs.find((r) => r.value === String(value));
    if (!radio) { done({error: 'no radio button ' + value + ' for ' + param}); return; }
    radio.click();
  } else if (input.tagName === 'SELECT') {
    const index = [...input.options].findIndex((o) => o.value === String(value) || o.text === String(value));
    if (index < 0) { done({error: 'no option ' + value + ' for ' + param}); return; }
    input.selectedIndex = index;
    input.dispatchEvent(new Event('change'));
  } else {
    input.value = String(value);
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
  }
}
view.runAsync().then(() => {
  const items = [];
  const walk = (node) => {
    if (!node) return;
    if (node.marktype && node.name === mark + '_marks') {
      for (const item of node.items) items.push(Object.fromEntries(fields.map((f) => [f, item.datum[f]])));
      return;
    }
    for (const child of node.items || []) walk(child);
  };
  walk(view.scenegraph().root);
  const signals = Object.fromEntries(Object.keys(controls).map((p) => [p, view.signal(p)]));
  done({items, signals});
}, (error) => done({error: String(error)}));
"""


def same(drawn, expected) -> bool:
    if isinstance(expected, float) and isinstance(drawn, (int, float)):
        return math.isclose(drawn, expected, rel_tol=1e-6, abs_tol=1e-12)
    return drawn == expected


@pytest.fixture(scope="module")
def loaded(server, browser):
    """Opens a page once, waits for its explorables; returns the browser on it."""
    current = {}

    def load(name: str):
        page = pages().get(name)
        assert page is not None, f"no built page shows the explorable {name!r}: add its directive cell"
        url = f"{server}/{page.relative_to(SITE).as_posix()}"
        if current.get("url") != url:
            browser.get_log("browser")  # drop the previous page's messages
            browser.get(url)
            browser.set_script_timeout(60)
            current["url"] = url
        assert browser.execute_async_script(READY, name) == "true", f"{name} did not render"
        return browser

    return load


@pytest.mark.parametrize("name", sorted(EXPLORABLES))
def test_explorable_draws_the_precomputed_state_for_each_control_value(name, loaded, server):
    explorable = EXPLORABLES[name]
    checks = explorable.browser_checks
    assert checks, f"{name} has no BROWSER_CHECKS"
    browser = loaded(name)
    spec = json.loads(
        browser.execute_script(
            "return document.querySelector('#explorable-' + arguments[0] + ' script.explorable-spec').textContent;",
            name,
        )
    )
    for check in checks:
        expected = check.expected_items(spec)
        assert expected, f"{name}: a check with no expected items: {check.controls}"
        fields = sorted({f for item in expected for f in item})
        result = browser.execute_async_script(SET_AND_READ, name, dict(check.controls), check.mark, fields)
        assert "error" not in result, f"{name}: {result.get('error')}"
        for param, value in check.controls.items():
            assert same(result["signals"][param], value), (
                f"{name}: {param} is {result['signals'][param]}, not {value}"
            )
        drawn = result["items"]
        assert len(drawn) == len(expected), (
            f"{name} at {check.controls}: {len(drawn)} items drawn in {check.mark!r}, expected {len(expected)}"
        )
        wrong = [
            (i, d, e) for i, (d, e) in enumerate(zip(drawn, expected)) if not all(same(d[f], e[f]) for f in e)
        ]
        assert not wrong, f"{name} at {check.controls}: drawn items differ from the state, first: {wrong[:3]}"

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"console errors: {errors}"
    off_server = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(arguments[0]));",
        server,
    )
    assert not off_server, f"requests off the local server: {off_server}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box = browser.find_element("id", f"explorable-{name}")
    browser.execute_script("arguments[0].scrollIntoView();", box)
    box.screenshot(str(SCREENSHOTS / f"{name}.png"))


def test_the_page_loads_each_explorable_from_the_build_and_keeps_a_fallback():
    shown = pages()
    assert set(shown) == set(EXPLORABLES), f"explorables without a page: {set(EXPLORABLES) - set(shown)}"
    for name, page in shown.items():
        text = page.read_text(encoding="utf-8")
        assert "_static/explorables/loader.js" in text
        assert "explorable-fallback" in text, f"{name}: no fallback note for readers without JavaScript"
    for file in ("loader.js", "vega.js", "vega-lite.js", "vega-embed.js"):
        assert (SITE / "_static" / "explorables" / file).exists(), file
