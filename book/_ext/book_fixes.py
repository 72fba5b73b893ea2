"""Small fixes to the Jupyter Book 1 stack: no console errors, no dead weight, no stale page.

1. sphinx-thebe's set-up runs twice under Jupyter Book, so its inline configuration script
   (``const THEBE_JS_URL = ...``) is added twice and the second copy is a SyntaxError.
   We drop exact duplicates from each page's script list.
2. With no theme mode configured, pydata-sphinx-theme reads an empty mode and logs
   "Got invalid theme mode". We set the default mode explicitly.
3. Executing a chapter stores its widgets' state, which myst-nb embeds in the page. The
   book hides live widgets online (a static figure follows each), so the state is dead
   weight: we leave it out.
4. The performance appendix reads ``book/benchmarks.json``, a file Sphinx does not track:
   we re-read that page on every build (it also re-executes, see its front matter), so it
   always shows the latest ``make bench``.
"""

from __future__ import annotations


def _default_mode(app, config) -> None:
    config.html_context = {**(config.html_context or {}), "default_mode": "light"}


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        if getattr(script, "attributes", {}).get("type") == "application/vnd.jupyter.widget-state+json":
            continue
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", None) or "", attributes.get("body", ""))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _always_reread_performance(app, env, added, changed, removed):
    return [doc for doc in ("book/performance",) if doc in env.found_docs]


def setup(app):
    app.connect("env-get-outdated", _always_reread_performance)
    app.connect("config-inited", _default_mode)
    # Last in line, after the extensions that add scripts to the page.
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
