"""The book's build commands, for authors (the Makefile's targets call these):

    python -m booktools refresh [NOTEBOOK ...]   execute chapters in place, clean metadata (make refresh)
    python -m booktools tidy [NOTEBOOK ...]      bootstrap, metadata and alt texts, without executing
    python -m booktools bootstrap                rewrite every chapter's bootstrap cell (make set-repository)
    python -m booktools repository URL           publish under URL: _config.yml, bootstraps, Colab edition
    python -m booktools check                    exit 1 if a bootstrap cell is out of date
    python -m booktools colab [check]            write (or check) the Colab edition colab/ (make colab)
    python -m booktools claims [--check]         write (or check) the appendix book/claims.md
    python -m booktools kernels [--jobs N] [NOTEBOOK ...]
                                                 nbval under other CPU kernels and two threads (make kernels)

refresh, tidy, bootstrap and repository change chapters, so they end by regenerating what
follows from the chapters: the Colab edition (every chapter links the others, so all of it)
and the appendix of checked claims. That orchestration lives here, on top of the modules it
calls, so none of them imports another job.
"""

from __future__ import annotations

import sys

from . import claims, colab, kernels, nbtools
from .paths import ROOT

NOTEBOOK_COMMANDS = {"refresh": nbtools.refresh, "tidy": nbtools.tidy, "bootstrap": nbtools.set_bootstrap}
#: Every command ``main`` understands (tests/test_workflow.py checks the Makefile uses only these).
COMMANDS = (*NOTEBOOK_COMMANDS, "repository", "check", "colab", "claims", "kernels")


def regenerate_followers() -> None:
    """Rebuild the Colab edition and the claims appendix from the chapters as they are now."""
    for path in colab.build():
        print(f"{path.relative_to(ROOT)}: {'written' if path.exists() else 'removed'}")
    claims.main([])


def colab_command(rest: list[str]) -> None:
    if rest == ["check"]:
        stale = colab.stale_editions()
        if stale:
            raise SystemExit(f"the Colab edition is out of date: {stale}; run: make colab")
        print(f"{len(colab.chapters())} Colab-edition notebooks up to date")
    elif not rest:
        for path in colab.build():
            print(f"{path.relative_to(ROOT)}: {'written' if path.exists() else 'removed'}")
    else:
        raise SystemExit(__doc__)


def main(argv: list[str]) -> int:
    """Run one command; return the process's exit status."""
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command in NOTEBOOK_COMMANDS:
        NOTEBOOK_COMMANDS[command](nbtools.chapter_paths(rest))
        regenerate_followers()
    elif command == "repository":
        if len(rest) != 1:
            raise SystemExit("usage: python -m booktools repository https://github.com/ORG/REPO")
        nbtools.set_repository_url(rest[0])
        nbtools.set_citation_urls()
        nbtools.set_bootstrap(nbtools.chapter_paths([]))
        regenerate_followers()
    elif command == "check":
        nbtools.check(nbtools.chapter_paths(rest))
    elif command == "colab":
        colab_command(rest)
    elif command == "claims":
        claims.main(rest)
    elif command == "kernels":
        return kernels.main(rest)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
