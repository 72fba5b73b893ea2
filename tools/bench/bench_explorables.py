"""Benchmark the explorable figures: the time to compute their states, and what they add to each page.

    python tools/bench/bench_explorables.py [results.json] [--from-build]

1. States: computes every explorable's spec from scratch (training the models some of them
   read), timing each; with ``--from-build`` it reads the times the last book build measured
   (``_build/explorables/timings.json``, written when the build computed them) instead.
2. Page weight, from the built site (``_build/html``; run ``make site`` or ``make book`` first):
   for each chapter page with an explorable, the bytes of its HTML plus every local script it
   loads (``<script src>``, and the Vega files the loader fetches), with and without the
   explorables. "Without" leaves out the explorables' ``<div>`` (its inline spec included),
   the loader and the three Vega files, which only pages with an explorable load.

The budgets: at most 2 MB added to any page, and at most 600 s for all the states of a cold
build (models trained too) on the book's 2-core reference machine with one thread, shared as
it is (the load average is recorded beside the times: at a load of 9 on 2 cores the states
took 374 s; a warm build reads them from ``_build/explorables/`` in no time).
"""

from __future__ import annotations

import html.parser
import json
import os
import pathlib
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
CACHE = ROOT / "_build" / "explorables"
VEGA = ["vega.js", "vega-lite.js", "vega-embed.js"]
BUDGET_ADDED_BYTES = 2_000_000
BUDGET_STATES_SECONDS = 600


class _Scripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        if tag == "script" and src and not re.match(r"^(https?:)?//", src):
            self.sources.append(src.split("?")[0])


def page_weight(page: pathlib.Path) -> dict[str, int]:
    """Bytes of ``page`` with and without its explorables (HTML + local scripts + the Vega files)."""
    text = page.read_text(encoding="utf-8")
    parser = _Scripts()
    parser.feed(text)
    scripts = {(page.parent / src).resolve() for src in parser.sources}
    script_bytes = sum(p.stat().st_size for p in scripts if p.exists())
    static = SITE / "_static" / "explorables"
    vega_bytes = sum((static / name).stat().st_size for name in VEGA)
    loader = static / "loader.js"
    divs = re.findall(r'<div class="explorable" id="explorable-.*?</script>\n</div>', text, flags=re.S)
    html_bytes = len(text.encode())
    with_bytes = html_bytes + script_bytes + vega_bytes
    tag = len(re.search(r'<script src="[^"]*explorables/loader\.js[^"]*"></script>', text).group(0).encode())
    without = html_bytes - sum(len(d.encode()) for d in divs) - tag + script_bytes - loader.stat().st_size
    return {
        "explorables": len(divs),
        "with_bytes": with_bytes,
        "without_bytes": without,
        "added_bytes": with_bytes - without,
        "spec_bytes": sum(len(d.encode()) for d in divs),
        "vega_js_bytes": vega_bytes,
    }


def page_weights() -> dict[str, dict[str, int]]:
    if not (SITE / "index.html").exists():
        raise SystemExit("no built site: run make site (or make book) first")
    pages = {}
    for page in sorted((SITE / "chapters").glob("*.html")):
        if 'class="explorable"' in page.read_text(encoding="utf-8"):
            pages[page.stem] = page_weight(page)
    return pages


def state_seconds(from_build: bool) -> dict[str, float]:
    if from_build:
        return json.loads((CACHE / "timings.json").read_text())
    os.environ.pop("SEQMODELS_EXPLORABLES_CACHE", None)  # train the models too, as a cold build does
    from seqmodels.explorables import discover

    seconds = {}
    for name, explorable in discover().items():
        start = time.perf_counter()
        explorable.spec_json()
        seconds[name] = round(time.perf_counter() - start, 2)
        print(f"{name}: {seconds[name]:.1f} s", flush=True)
    return seconds


def main(argv: list[str]) -> None:
    from_build = "--from-build" in argv
    paths = [a for a in argv if not a.startswith("--")]
    seconds = state_seconds(from_build)
    pages = page_weights()
    results = {
        "budget_added_bytes": BUDGET_ADDED_BYTES,
        "budget_states_seconds": BUDGET_STATES_SECONDS,
        "states_measured_in": "the book's build" if from_build else "this script",
        "states_seconds": seconds,
        "states_seconds_total": round(sum(seconds.values()), 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "pages": pages,
        "largest_added_bytes": max(p["added_bytes"] for p in pages.values()),
    }
    text = json.dumps(results, indent=2) + "\n"
    if paths:
        pathlib.Path(paths[0]).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
