"""The book's build commands, for authors (the Makefile's targets call these):

    python -m booktools refresh [NOTEBOOK ...]   execute chapters in place, clean metadata (make refresh)
    python -m booktools tidy [NOTEBOOK ...]      bootstrap, metadata and alt texts, without executing
    python -m booktools bootstrap                rewrite every chapter's bootstrap cell (make set-repository)
    python -m booktools repository URL           publish under URL: _config.yml, bootstraps, Colab edition
    python -m booktools check                    exit 1 if a bootstrap cell is out of date
    python -m booktools colab [check]            write (or check) the Colab edition colab/ (make colab)
    python -m booktools student                  write the student edition student/, no solutions (make student)
    python -m booktools instructor [--stored-outputs]
                                                 the book's sources without solutions in _build/instructor/
                                                 (make book SOLUTIONS=hidden builds them)
    python -m booktools lab [student]            put the Colab (or student) edition into lab/ (make lab)
    python -m booktools claims [--check]         write (or check) the appendix book/claims.md
    python -m booktools kernels [--jobs N] [NOTEBOOK ...]
                                                 nbval under other CPU kernels and two threads (make kernels)

The editions (colab, student), the instructor's sources and lab/ all come from one module,
``booktools.editions`` (its ``build(kind)`` is the way in).

refresh, tidy, bootstrap and repository change chapters, so they end by regenerating what
follows from the chapters: the Colab edition (every chapter links the others, so all of it)
and the appendix of checked claims. That orchestration lives here, on top of the modules it
calls, so none of them imports another job.
"""

from __future__ import annotations

import sys

from . import claims, editions, kernels, nbtools
from .paths import ROOT

NOTEBOOK_COMMANDS = {"refresh": nbtools.refresh, "tidy": nbtools.tidy, "bootstrap": nbtools.set_bootstrap}
#: Every command ``main`` understands (tests/test_workflow.py checks the Makefile uses only these).
COMMANDS = (
    *NOTEBOOK_COMMANDS,
    "repository",
    "check",
    "colab",
    "student",
    "instructor",
    "lab",
    "claims",
    "kernels",
)


def regenerate_followers() -> None:
    """Rebuild the Colab edition (and the student edition, where ``student/`` exists) and the
    claims appendix from the chapters as they are now."""
    report(editions.build("colab"))
    if (
        ROOT / editions.edition("student").folder
    ).exists():  # a course that publishes student/ keeps it current
        report(editions.build("student"))
    claims.main([])


def report(paths: list) -> None:
    for path in paths:
        print(f"{path.relative_to(ROOT)}: {'written' if path.exists() else 'removed'}")


def edition_command(kind: str, rest: list[str]) -> None:
    if rest == ["check"]:
        stale = editions.stale(kind)
        if stale:
            raise SystemExit(f"the {kind} edition is out of date: {stale}; run: make {kind}")
        print(f"{len(editions.chapters())} {kind}-edition notebooks up to date")
    elif not rest:
        written = editions.build(kind)
        report(written)
        print(
            f"{editions.edition(kind).folder}/: {len(editions.chapters())} notebooks, {len(written)} changed"
        )
    else:
        raise SystemExit(__doc__)


def instructor_command(rest: list[str]) -> None:
    if rest not in ([], ["--stored-outputs"]):
        raise SystemExit(__doc__)
    removed = editions.instructor_source(stored_outputs=bool(rest))
    print(f"{editions.INSTRUCTOR_SOURCE.relative_to(ROOT)}/: the book's sources, {removed} solutions removed")


def lab_command(rest: list[str]) -> None:
    if rest not in ([], ["colab"], ["student"]):
        raise SystemExit(__doc__)
    added = editions.lab_folder(rest[0] if rest else "colab")
    kept = len(editions.chapters()) - len(added)
    print(
        f"lab/: {len(added)} notebooks added"
        + (f", {kept} of your own kept (delete one to refresh it)" if kept else "")
    )


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
    elif command in editions.EDITIONS:
        edition_command(command, rest)
    elif command == "instructor":
        instructor_command(rest)
    elif command == "lab":
        lab_command(rest)
    elif command == "claims":
        claims.main(rest)
    elif command == "kernels":
        return kernels.main(rest)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
