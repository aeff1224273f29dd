# Redes Neuronales — the course that runs.
#
#   make lab     set up if needed, then start JupyterLab on the notebooks
#   make test    set up if needed, then run every check of the course
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

# Our kernelspec (in .venv) takes precedence over any user-wide "gonb" kernel;
# the kernel finds gonb, goimports and gopls in bin/. Jupyter's runtime files
# (connection files, server info) stay inside the project too.
export JUPYTER_PATH := $(CURDIR)/.venv/share/jupyter
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.venv/share/jupyter/runtime
export PATH := $(CURDIR)/bin:$(PATH)

.PHONY: help setup lab test test-setup test-lab lint test-go test-harness test-notebooks bench strip clean

help:
	@echo "make lab            start JupyterLab on the notebooks (sets up first if needed)"
	@echo "make test           set-up and lab tests, gofmt/vet, Go tests, harness tests, every notebook in quick mode"
	@echo "make setup          install .venv, bin/gonb, bin/gopls, bin/goimports and the GoNB kernel"
	@echo "make test-notebooks run the notebooks only (NOTEBOOKS=notebooks/00_Introduction.ipynb for one)"
	@echo "make bench          run the library's benchmarks"
	@echo "make strip          remove outputs from the notebooks before committing"
	@echo "make clean          remove build/ (test logs, executed notebooks)"

setup:
	@bash docker/setup.sh

lab: setup
	@bash docker/lab.sh

test: setup test-setup lint test-go test-lab test-harness test-notebooks

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

test-harness: setup
	@echo "== notebook harness tests"
	$(PYTHON) -m unittest discover -s nb/harness -p 'test_*.py'

test-notebooks: setup
	@echo "== notebooks (quick mode)"
	$(PYTHON) nb/harness/run_notebooks.py --quick --timeout $(CELL_TIMEOUT) $(NOTEBOOKS)

bench:
	go test -run '^$$' -bench . -benchmem ./lib/...

strip: setup
	$(PYTHON) nb/harness/strip_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf build
