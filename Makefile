# Redes Neuronales — the course that runs.
#
#   make lab     set up if needed, then start JupyterLab on the notebooks
#   make test    set up if needed, then run every check of the course
#   make hub     serve the course to a class with JupyterHub (README: Teaching a class)
#   make editions  write the Spanish edition (notebooks/es/) from the notebooks
#                and their translations (notebooks/i18n/es/); make setup does it
#   make export  execute the course and write HTML, PDF, slides and the
#                student release (nbgrader) to build/course/ (QUICK=1: quick mode)
#   make assignments, make autograde SUBMISSIONS=<folder>
#                graded exercises with nbgrader (README: Teaching a class)
#
# Everything is installed inside the repository (.venv/, bin/) by
# docker/setup.sh; see README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON := .venv/bin/python
# Every notebook unless NOTEBOOKS is given, on the command line or in the
# environment (NOTEBOOKS=notebooks/00_Introduction.ipynb make export).
NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb))
# GoNB links each cell of a notebook under test without the symbol table
# and DWARF (%goflags): about 20% less time per cell, the same results.
TEST_GO_BUILD_FLAGS ?= -ldflags=-s
# Notebooks run at once under test, each with its own kernel: compiling and
# linking a cell keeps about one core busy, so two keep two cores busy.
TEST_JOBS ?= 2
# Seconds a notebook cell may run under test before it counts as hung.
CELL_TIMEOUT ?= 300
# make export runs in full mode (QUICK=1 for quick mode), where a cell may
# train for minutes.
EXPORT_CELL_TIMEOUT ?= 1800
QUICK ?=
# make export runs a notebook again only when its code cells, the library
# (lib/, nb/, go.mod, go.sum) or the mode changed since an earlier export
# (build/export-cache/, jupyter-cache), and networks come from the export's
# model cache; FRESH=1 runs every notebook and trains every network again.
FRESH ?=

# Our kernelspec (in .venv) takes precedence over any user-wide "gonb" kernel;
# the kernel finds gonb, goimports and gopls in bin/. Jupyter's runtime files
# (connection files, server info) stay inside the project too.
export JUPYTER_PATH := $(CURDIR)/.venv/share/jupyter
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.venv/share/jupyter/runtime
export PATH := $(CURDIR)/bin:$(PATH)

.PHONY: help check setup editions lab hub assignments autograde formgrader hub-models test-hub test-hub-files bench-hub test test-setup test-lab test-space lint test-go test-harness test-notebooks test-assignments test-e2e chromium export slides bench strip clean reproduce

help:
	@echo "make lab            start JupyterLab on the notebooks (sets up first if needed)"
	@echo "make hub            serve the course to a class on this server with JupyterHub (as root: Unix users)"
	@echo "make hub-models     fill the class's shared model cache with a full-mode export (as root)"
	@echo "make test-hub       5 students on a JupyterHub: login, spawn, notebooks, isolation, shared models"
	@echo "make check          the fast daily check: gofmt, go vet, go test ./..., the harness's unit tests"
	@echo "                    (sets up first if needed; about a minute)"
	@echo "make test           set-up and lab tests, gofmt/vet, Go tests, harness tests, every notebook and its"
	@echo "                    graded exercises (teacher full marks, release stubs 0) in quick mode, the browser test"
	@echo "make setup          install .venv, bin/gonb, bin/gopls, bin/goimports and the GoNB kernel,"
	@echo "                    and write the Spanish edition (make editions)"
	@echo "make editions       write notebooks/es/ from notebooks/ and notebooks/i18n/es/ (COURSE_LANG=es make lab opens it)"
	@echo "make test-notebooks run the notebooks only (NOTEBOOKS=notebooks/00_Introduction.ipynb for one)"
	@echo "make test-assignments  after test-notebooks: the teacher's solutions score full marks, the release's stubs 0"
	@echo "make test-e2e       run 00_Introduction and 03_Backpropagation in JupyterLab in headless Chromium"
	@echo "make export         execute the course and write build/course/: HTML, PDF, slides, student release"
	@echo "                    (full mode; QUICK=1 make export for quick mode)"
	@echo "make assignments    write the nbgrader release of every graded notebook to build/nbgrader/release/"
	@echo "make autograde      SUBMISSIONS=<folder>: grade it (one subfolder per student), scores (CSV) and"
	@echo "                    feedback (HTML) in build/grades/ (QUICK=1: quick mode)"
	@echo "make formgrader     JupyterLab on the repository for the teacher, with nbgrader's formgrader"
	@echo "make slides         give new cells the default slide types (nb/harness/slides.py)"
	@echo "make test-fuzz      run each Go fuzz target briefly (FUZZTIME=10s)"
	@echo "make bench          run the library's benchmarks"
	@echo "make reproduce      run Nielsen's published experiments with his protocols, every step not yet complete"
	@echo "                    (STEP=ch1-30 for one; resumable; hours to days; not part of make test)"
	@echo "make strip          remove outputs from the notebooks before committing"
	@echo "make clean          remove build/ (test logs, screenshots, the export)"

setup:
	@bash docker/setup.sh

lab: setup
	@bash docker/lab.sh

# The Spanish edition, notebooks/es/, written from the English notebooks and
# the translations of their prose (nb/harness/editions.py). A notebook of the
# edition that a student changed is kept, and named.
editions:
	@test -x $(PYTHON) || bash docker/setup.sh
	$(PYTHON) nb/harness/editions.py write

test: setup test-setup lint test-go test-lab test-space test-harness test-notebooks test-assignments test-e2e test-hub-files test-hub

# The fast check for daily work: no notebook runs, no kernel, no browser.
# The harness's unit tests need .venv's nbformat and nbconvert, hence setup
# (seconds once done).
check: setup lint
	@echo "== go test"
	go test ./...
	@echo "== notebook harness unit tests (no kernel started)"
	cd nb/harness && ../../$(PYTHON) -m unittest $(HARNESS_UNIT_TESTS)

# The harness's tests that start no GoNB kernel and no browser; make
# test-harness runs these and the rest.
HARNESS_UNIT_TESTS := test_editions test_export_cache test_export.CheckSlidesTest test_grader.MarkerTest test_grader.SubmissionsTest test_grader.OutputFolderTest test_ledger test_run_notebooks.HelpersTest test_export.OrderTest test_export.HandoutTest test_typeset test_slides

lint:
	@echo "== gofmt and go vet"
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.venv/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted (run gofmt -w)"; exit 1; fi
	go vet ./...

test-setup:
	@echo "== set-up script tests"
	python3 docker/test_setup.py

test-lab: setup
	@echo "== make lab: JupyterLab starts, serves the GoNB kernel, avoids a busy port"
	$(PYTHON) docker/test_lab.py

test-space: setup
	@echo "== a checkout in a folder named 'My Course': wiring cell, make setup, a notebook, make lab"
	$(PYTHON) docker/test_space.py

test-go:
	@echo "== go test"
	go test ./...
	@echo "== go test -tags purego (the library without assembly kernels)"
	go test -tags purego ./lib/...

# A brief run of each native fuzz target (the seed corpora already run in
# test-go): malformed MNIST files and saved networks give errors, never panics.
FUZZTIME ?= 10s
.PHONY: test-fuzz
test: test-fuzz
test-fuzz:
	@echo "== go fuzz targets, $(FUZZTIME) each"
	for target in FuzzMNIST FuzzLoad; do \
		go test ./lib/nn -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -parallel 2; \
	done

test-harness: setup chromium
	@echo "== notebook harness tests"
	$(PYTHON) -m unittest discover -s nb/harness -p 'test_*.py'

# The executed copies (build/executed/) are checked against the ledger of
# the notes' claims (nb/ledger): every claim of a notebook that ran has its
# check rows, and their outcomes agree with the claim's verdict.
test-notebooks: setup
	@echo "== notebooks (quick mode), then the ledger of the notes' claims"
	rm -rf build/executed
	$(PYTHON) nb/harness/run_notebooks.py --quick --jobs $(TEST_JOBS) --timeout $(CELL_TIMEOUT) --go-build-flags=$(TEST_GO_BUILD_FLAGS) --output-dir build/executed $(NOTEBOOKS)
	$(PYTHON) nb/harness/ledger.py --quick build/executed/*.ipynb

# After test-notebooks (it grades the teacher's notebooks that test-notebooks executed).
# The release's stubs run in the Spanish edition: its code cells are the
# English ones but for the language the wiring cell sets (test_editions), so
# this one run of every notebook tests both releases and runs the Spanish
# edition top to bottom, with its figures and tables in Spanish.
test-assignments: setup
	@echo "== graded exercises: the release of every notebook (nbgrader); the teacher's solutions score full marks, the Spanish release's stubs run to the end and score 0, every other check passing (quick mode)"
	$(PYTHON) nb/harness/grader.py verify --jobs $(TEST_JOBS) --executed build/executed --go-build-flags=$(TEST_GO_BUILD_FLAGS) --release-language es $(NOTEBOOKS)

# Debian's chromium, installed with apt-get if missing (and allowed).
chromium:
	@bash docker/need_chromium.sh

test-e2e: setup chromium
	@echo "== browser test: JupyterLab in headless Chromium runs 00_Introduction and 03_Backpropagation"
	$(PYTHON) docker/test_e2e.py

hub: setup
	@bash docker/hub.sh

# The teacher's one-off: a full-mode export that also copies every model it
# trains into the class's shared cache (HUB_PREFIX/models, read-only to the
# students). HUB_PREFIX defaults to /srv/redes-neuronales (see docker/hub_install.sh).
HUB_PREFIX ?= $(if $(filter 0,$(shell id -u)),/srv/redes-neuronales,$(CURDIR)/.venv/hub)
hub-models: setup
	@HUB_PREFIX="$(HUB_PREFIX)" bash docker/hub_install.sh
	NB_FILL_SHARED_CACHE_DIR="$(HUB_PREFIX)/models" $(MAKE) export FRESH=1
	chmod -R a+rX,go-w "$(HUB_PREFIX)/models"

test-hub: setup chromium
	@echo "== hub test: 5 students on JupyterHub run 00_Introduction (and 03_Backpropagation), isolated"
	$(PYTHON) docker/test_hub.py

test-hub-files:
	@echo "== Zero to JupyterHub values, Binder and hub image files: structure"
	$(PYTHON) docker/test_hub_files.py

# Load figures for the README (not a test): STUDENTS=5,10,20.
bench-hub: setup
	$(PYTHON) docker/bench_hub.py $(if $(STUDENTS),--students $(STUDENTS))

export: setup chromium
	$(PYTHON) nb/harness/export.py $(strip $(if $(filter 1 yes true,$(QUICK)),--quick) $(if $(filter 1 yes true,$(FRESH)),--fresh)) --timeout $(EXPORT_CELL_TIMEOUT) $(NOTEBOOKS)

# Graded exercises (nbgrader, nb/harness/grader.py; course directory
# build/nbgrader/, configuration nb/grader/nbgrader_config.py). Notebooks
# without nbgrader metadata are skipped.
assignments: setup
	$(PYTHON) nb/harness/grader.py assignments $(NOTEBOOKS)

# make autograde SUBMISSIONS=<folder>: one subfolder per student holding the
# submitted NAME.ipynb (or NAME/NAME.ipynb); run make assignments first.
SUBMISSIONS ?=
GRADES ?= build/grades
autograde: setup
	@if [ -z "$(SUBMISSIONS)" ]; then echo "make autograde: give SUBMISSIONS=<folder>, one subfolder per student holding the submitted notebooks" >&2; exit 2; fi
	$(PYTHON) nb/harness/grader.py autograde $(if $(filter 1 yes true,$(QUICK)),--quick) --out "$(GRADES)" "$(SUBMISSIONS)"

# JupyterLab on the whole repository, for the teacher: Nbgrader → Formgrader
# manages assignments, submissions and grades in build/nbgrader/.
formgrader: setup
	LAB_ROOT="$(CURDIR)" OPEN=notebooks/00_Introduction.ipynb bash docker/lab.sh

slides: setup
	$(PYTHON) nb/harness/slides.py $(NOTEBOOKS)

# Each case's name starts with the kernels that ran (AVX-512, AVX2+FMA or
# pure Go); it reports seconds per epoch and GFLOP/s.
bench:
	go test -run '^$$' -bench . -benchmem ./lib/...

# Nielsen's published figures, like for like (nb/reproduce): each step is
# resumable and writes nb/reproduce/results/<step>.json, RESULTS.md and
# README.md's table. REPRODUCE_FLAGS="-for 80m" stops after 80 minutes.
reproduce:
	go run ./nb/reproduce $(if $(STEP),-step $(STEP)) $(REPRODUCE_FLAGS)

strip: setup
	$(PYTHON) nb/harness/strip_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf build
