"""The book's build tools, as one package with one entry point: ``python -m booktools COMMAND``.

Layers, bottom to top (a module imports only from the layers below it; ``tests/test_booktools.py``
walks the imports and fails on a cycle):

1. ``paths`` (where things are) and ``config`` (``_config.yml``: repository and online address);
2. the pieces: ``colab_book`` (what the Colab edition knows about the whole book),
   ``colab_markdown`` (MyST to plain markdown), ``nbval_tolerance`` and ``nbval_kernel``
   (nbval plugins, installed by ``chapters/conftest.py``), ``stored_module`` (what the run
   scripts in ``tools/runs/`` write), ``kernels`` (nbval under other CPU kernels);
3. the jobs: ``colab`` (one chapter converted for the editions), ``nbtools`` (the chapter
   notebooks), ``claims`` (the appendix of checked claims);
   then ``editions``, the one way into the editions (Colab, student, the instructor's sources,
   ``lab/``), the only module that calls ``colab``;
4. ``__main__``: the commands, including "refresh, then regenerate what follows the chapters".

The package never imports ``seqmodels``: it builds the book around the package, not with it.
"""
