"""The ``{explorable}`` directive: a figure readers can explore on the web page, with no kernel.

A chapter's markdown cell right under a widget's figure holds

    ```{explorable} ch01_window
    ```

When the book is built, the directive calls ``SPEC.spec()`` of ``seqmodels.explorables.<name>``
once (the Vega-Lite spec with every precomputed state), caches it under
``_build/explorables/<name>-<hash>.json`` keyed by a hash of the package's source (so a build
computes each explorable's states once, and again only when the package changed), and writes
it into the page inside the explorable's ``<div>``, as ``application/json``: the page then
works from a server and from a file alike. The loader (``explorable.js``, added only to pages
that have an explorable) loads Vega, Vega-Lite and vega-embed from ``_static/explorables/``
(copied from the ``panel`` package: nothing comes from the network), renders each ``<div>``
with its module's ``render({ model, el })`` (``<name>.js`` in the package, or the shared
``vegaEmbed`` one) and removes the ``<div>``'s fallback note. Without JavaScript the note stays,
and the static figure beside it (the widget's default view) is the figure. The Colab edition drops these cells: there
the live widget runs.

The time to compute each spec is written to ``_build/explorables/timings.json`` (read by
``tools/bench/bench_explorables.py``).
"""

from __future__ import annotations

import html
import os
import pathlib
import shutil
import time

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

HERE = pathlib.Path(__file__).resolve().parent
#: The three UMD builds panel bundles, under the names the page loads them by.
VEGA_FILES = {"vega.js": "vega@6.1.2", "vega-lite.js": "vega-lite@6.3.0", "vega-embed.js": "vega-embed@7.0.2"}
STATIC = "explorables"  # under _static/


def vega_dir() -> pathlib.Path:
    """Where the installed ``panel`` keeps its Vega bundles (installed --no-deps: only its files are used)."""
    import importlib.util

    spec = importlib.util.find_spec("panel")
    if spec is None or not spec.origin:
        raise RuntimeError("panel is not installed: run make install (it installs panel==1.9.4 --no-deps)")
    return pathlib.Path(spec.origin).parent / "dist" / "bundled" / "vegaplot"


class ExplorableDirective(SphinxDirective):
    """``{explorable} <name>``: the explorable figure ``seqmodels.explorables.<name>``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from seqmodels.explorables import discover

        name = self.arguments[0]
        explorable = discover().get(name)
        if explorable is None:
            raise self.error(f"no explorable named {name!r} in seqmodels.explorables")
        cache = pathlib.Path(self.env.app.outdir).parent / "explorables"
        # the trained models' weights (seqmodels/explorables/_trained.py) are kept there too
        os.environ.setdefault("SEQMODELS_EXPLORABLES_CACHE", str(cache))
        start = time.perf_counter()
        text = explorable.spec_json(cache)
        logger.info(f"explorable {name}: {len(text):,} bytes of states ({time.perf_counter() - start:.1f} s)")
        text = text.replace("</", "<\\/")  # no '</script>' inside the script element
        render = f"{name}.js" if explorable.js_path else ""
        markup = (
            f'<div class="explorable" id="explorable-{name}" data-explorable="{name}" data-render="{render}">\n'
            f'<p class="explorable-title"><strong>Explore it here.</strong> {html.escape(explorable.title)}</p>\n'
            f'<div class="explorable-view" role="figure" aria-label="{html.escape(explorable.alt)}"></div>\n'
            '<p class="explorable-fallback"><em>This figure can be explored with JavaScript on; '
            "the static figure beside it shows its default view.</em></p>\n"
            f'<script type="application/json" class="explorable-spec">{text}</script>\n'
            "</div>"
        )
        return [nodes.raw("", markup, format="html")]


def _add_loader(app, pagename, templatename, context, doctree) -> None:
    """Add the loader to the pages that have an explorable, and to no other."""
    if doctree is not None and any(
        "explorable-spec" in node.astext()
        for node in doctree.findall(nodes.raw)
        if "html" in node.get("format", "")
    ):
        app.add_js_file(f"{STATIC}/loader.js")


def _copy_static(app, exception) -> None:
    """Copy the loader, the Vega bundles and the explorables' own render modules into _static/explorables/."""
    if exception is not None or app.builder.format != "html":
        return
    from seqmodels.explorables import discover

    target = pathlib.Path(app.outdir) / "_static" / STATIC
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "explorable.js", target / "loader.js")
    source = vega_dir()
    for name, bundled in VEGA_FILES.items():
        shutil.copyfile(source / bundled, target / name)
    for explorable in discover().values():
        if explorable.js_path:
            shutil.copyfile(explorable.js_path, target / f"{explorable.name}.js")


def setup(app):
    app.add_directive("explorable", ExplorableDirective)
    app.connect("html-page-context", _add_loader)
    app.connect("build-finished", _copy_static)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
