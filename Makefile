# Redes Neuronales — the course that runs.
#
#   make lab     set up if needed, then start JupyterLab on the notebooks
#   make test    set up if needed, then run every check of the course
#   make export  execute the course and write HTML, PDF, slides and the
#                student edition to build/course/ (QUICK=1: quick mode)
#
# Everything is installed inside the repository (.venv/, bin/) by
# docker/setup.sh; see README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON := .venv/bin/python
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# Seconds a notebook cell may run under test before it counts as hung.
CELL_TIMEOUT ?= 300
# make export runs in full mode (QUICK=1 for quick mode), where a cell may
# train for minutes.
EXPORT_CELL_TIMEOUT ?= 1800
QUICK ?=

# Our kernelspec (in .venv) takes precedence over any user-wide "gonb" kernel;
# the kernel finds gonb, goimports and gopls in bin/. Jupyter's runtime files
# (connection files, server info) stay inside the project too.
export JUPYTER_PATH := $(CURDIR)/.venv/share/jupyter
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.venv/share/jupyter/runtime
export PATH := $(CURDIR)/bin:$(PATH)

.PHONY: help setup lab test test-setup test-lab lint test-go test-harness test-notebooks test-student test-e2e chromium export slides bench strip clean

help:
	@echo "make lab            start JupyterLab on the notebooks (sets up first if needed)"
	@echo "make test           set-up and lab tests, gofmt/vet, Go tests, harness tests, every notebook and its"
	@echo "                    student edition in quick mode, the browser test"
	@echo "make setup          install .venv, bin/gonb, bin/gopls, bin/goimports and the GoNB kernel"
	@echo "make test-notebooks run the notebooks only (NOTEBOOKS=notebooks/00_Introduction.ipynb for one)"
	@echo "make test-student   run the student edition (solutions replaced by stubs) in quick mode"
	@echo "make test-e2e       run 00_Introduction and 03_Backpropagation in JupyterLab in headless Chromium"
	@echo "make export         execute the course and write build/course/: HTML, PDF, slides, student edition"
	@echo "                    (full mode; QUICK=1 make export for quick mode)"
	@echo "make slides         give new cells the default slide types (nb/harness/slides.py)"
	@echo "make bench          run the library's benchmarks"
	@echo "make strip          remove outputs from the notebooks before committing"
	@echo "make clean          remove build/ (test logs, screenshots, the export)"

setup:
	@bash docker/setup.sh

lab: setup
	@bash docker/lab.sh

test: setup test-setup lint test-go test-lab test-harness test-notebooks test-student test-e2e

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

test-go:
	@echo "== go test"
	go test ./...
	@echo "== go test -tags purego (the library without assembly kernels)"
	go test -tags purego ./lib/...

test-harness: setup chromium
	@echo "== notebook harness tests"
	$(PYTHON) -m unittest discover -s nb/harness -p 'test_*.py'

test-notebooks: setup
	@echo "== notebooks (quick mode)"
	$(PYTHON) nb/harness/run_notebooks.py --quick --timeout $(CELL_TIMEOUT) $(NOTEBOOKS)

test-student: setup
	@echo "== student edition (quick mode): every solution replaced by its stub, and it still runs"
	$(PYTHON) nb/harness/student.py --run --timeout $(CELL_TIMEOUT) --out build/student $(NOTEBOOKS)

# Debian's chromium, installed with apt-get if missing (and allowed).
chromium:
	@bash docker/need_chromium.sh

test-e2e: setup chromium
	@echo "== browser test: JupyterLab in headless Chromium runs 00_Introduction and 03_Backpropagation"
	$(PYTHON) docker/test_e2e.py

export: setup chromium
	$(PYTHON) nb/harness/export.py $(if $(filter 1 yes true,$(QUICK)),--quick) --timeout $(EXPORT_CELL_TIMEOUT) $(NOTEBOOKS)

slides: setup
	$(PYTHON) nb/harness/slides.py $(NOTEBOOKS)

# Each case's name starts with the kernels that ran (AVX-512, AVX2+FMA or
# pure Go); it reports seconds per epoch and GFLOP/s.
bench:
	go test -run '^$$' -bench . -benchmem ./lib/...

strip: setup
	$(PYTHON) nb/harness/strip_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf build
