#!/usr/bin/env bash
# Installs everything the course needs, inside the repository:
#
#   .venv/                 Python virtual environment with JupyterLab, nbclient
#                          and nbconvert (versions pinned in docker/requirements.txt)
#   .venv/share/jupyter/kernels/gonb/
#                          the GoNB kernel, registered inside the venv only
#   bin/gonb, bin/goimports, bin/gopls
#                          the Go kernel and the tools it calls, built at the
#                          versions pinned in go.mod (gopls: GOPLS_VERSION below)
#
#   .venv/hub-node/       configurable-http-proxy (pinned, from npm) for make hub
#   .venv/katex-node/     KaTeX (pinned, from npm): make export typesets the
#                          formulas with it (nb/harness/katex.py)
#
# and, in a git checkout, nbstripout as the notebooks' git filter
# (docker/git_filter.sh: outputs stay out of commits),
# and compiles the library once so that the first notebook cell does not wait
# for a cold build. The user's own Jupyter configuration is not touched.
#
# Prerequisites: Go >= 1.26 and Python >= 3.11 with the venv module.
# Idempotent: a second run checks stamps and finishes in seconds.
# Used by `make setup` (and so by `make lab` and `make test`) and by
# docker/Dockerfile.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

GO_MIN_MINOR=26        # Go 1.26 or newer
PY_MIN=(3 11)          # Python 3.11 or newer (nbgrader 0.9.6 needs it)
GOPLS_VERSION=v0.23.0  # gopls has its own module; built with its own go.mod
VENV="$ROOT/.venv"
BIN="$ROOT/bin"

say() { printf 'setup: %s\n' "$*"; }
die() {
	printf '\nsetup: ERROR: %s\n\n' "$*" >&2
	exit 1
}

# --- prerequisites ---------------------------------------------------------

command -v go >/dev/null 2>&1 ||
	die "Go is not installed (no 'go' on PATH). Install Go 1.${GO_MIN_MINOR} or newer from https://go.dev/dl/ and make sure 'go' is on your PATH."
# GOTOOLCHAIN=local: never try to download a newer toolchain to answer.
GOVERSION=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || true)
minor=$(printf '%s' "$GOVERSION" | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
if [ -z "$minor" ] || [ "$minor" -lt "$GO_MIN_MINOR" ]; then
	die "Go 1.${GO_MIN_MINOR} or newer is required, found '${GOVERSION:-unknown}' ($(command -v go)). Install a newer Go from https://go.dev/dl/."
fi

command -v python3 >/dev/null 2>&1 ||
	die "Python 3 is not installed (no 'python3' on PATH). Install Python ${PY_MIN[0]}.${PY_MIN[1]} or newer (Debian/Ubuntu: apt-get install python3 python3-venv)."
python3 -c "import sys; sys.exit(sys.version_info < (${PY_MIN[0]}, ${PY_MIN[1]}))" ||
	die "Python ${PY_MIN[0]}.${PY_MIN[1]} or newer is required, found $(python3 --version 2>&1)."
python3 -c "import venv, ensurepip" >/dev/null 2>&1 ||
	die "Python's venv module is missing, so the course cannot create its .venv. Install it (Debian/Ubuntu: apt-get install python3-venv)."

# hash prints a digest of the given files, for the stamps below.
hash() { cat "$@" | python3 -c "import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())"; }

# --- Python: .venv with JupyterLab and the notebook runners -----------------

want=$(hash docker/requirements.txt)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.requirements-stamp" 2>/dev/null)" = "$want" ]; then
	say "Python venv is up to date (.venv)"
else
	say "creating .venv and installing docker/requirements.txt (about a minute) ..."
	[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv $VENV failed (see above)."
	"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r docker/requirements.txt ||
		die "pip could not install docker/requirements.txt into .venv (see above). Check your network access to PyPI."
	printf '%s\n' "$want" >"$VENV/.requirements-stamp"
	say "Python venv ready"
fi

# --- Go tools: gonb, goimports (pinned in go.mod) and gopls -----------------

mkdir -p "$BIN"
want=$(hash go.mod go.sum)
if [ -x "$BIN/gonb" ] && [ -x "$BIN/goimports" ] && [ "$(cat "$BIN/.tools-stamp" 2>/dev/null)" = "$want" ]; then
	say "gonb and goimports are up to date (bin/)"
else
	say "building gonb and goimports at the versions in go.mod ..."
	GOBIN="$BIN" go install tool || die "building the Go tools of go.mod (go install tool) failed (see above)."
	printf '%s\n' "$want" >"$BIN/.tools-stamp"
fi
if [ -x "$BIN/gopls" ] && "$BIN/gopls" version 2>/dev/null | grep -q " $GOPLS_VERSION\$"; then
	say "gopls $GOPLS_VERSION is up to date (bin/)"
else
	say "building gopls $GOPLS_VERSION (about a minute) ..."
	GOBIN="$BIN" go install "golang.org/x/tools/gopls@$GOPLS_VERSION" || die "building gopls $GOPLS_VERSION failed (see above)."
fi

# --- the GoNB kernel, registered inside the venv -----------------------------

KERNEL_DIR="$VENV/share/jupyter/kernels/gonb"
JUPYTER_DATA_DIR="$VENV/share/jupyter" PATH="$BIN:$PATH" "$BIN/gonb" --install >/dev/null 2>&1 ||
	die "registering the GoNB kernel in $KERNEL_DIR failed: run 'JUPYTER_DATA_DIR=$VENV/share/jupyter $BIN/gonb --install' to see why."
# The kernel finds go, goimports and gopls through PATH: put ours first.
# -go_work: every notebook's module starts in a Go workspace (go.work) that
# uses this checkout, so the course's packages resolve from the first cell,
# even one run before the wiring cell (without it, GoNB's `go get` asks the
# module proxy for github.com/redesneuronales/course and fails with "403
# Forbidden"). The wiring cell still runs and agrees with it. GoNB splits
# the flag's value at commas: a checkout whose path holds one goes without.
GOROOT_BIN="$(go env GOROOT)/bin"
"$VENV/bin/python" - "$KERNEL_DIR/kernel.json" "$BIN" "$GOROOT_BIN" "$ROOT" <<'PY'
import json, sys
path, bindir, gorootbin, root = sys.argv[1:]
spec = json.load(open(path))
spec["display_name"] = "Go (gonb)"
spec.setdefault("env", {})["PATH"] = bindir + ":" + gorootbin + ":${PATH}"
work = "" if "," in root else root
# GoNB logs every program it runs, and a goroutine dump whenever it stops
# gopls, at INFO level, which no -v switch silences: INFO goes to
# /dev/null, warnings and errors still reach Jupyter's log (make lab's
# terminal, docker/lab_log_filter.py).
flags = {"-go_work": work, "-logtostderr": "false", "-log_file": "/dev/null", "-stderrthreshold": "1"}
spec["argv"] = [a for a in spec["argv"] if a.split("=", 1)[0] not in flags] + [k + "=" + v for k, v in flags.items()]
json.dump(spec, open(path, "w"), indent=1)
PY
say "GoNB kernel registered in .venv/share/jupyter/kernels/gonb"
# A classroom JupyterLab should not ask students about Jupyter's news feed.
mkdir -p "$VENV/etc/jupyter/labconfig"
cat >"$VENV/etc/jupyter/labconfig/page_config.json" <<'JSON'
{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}
JSON

# nbgrader (make assignments, make autograde, the formgrader of make
# formgrader) reads the course's configuration, nb/grader/nbgrader_config.py,
# also when a Jupyter server started from .venv looks for nbgrader_config.py.
# The path is found from the file's own place (.venv/etc/jupyter/ in the
# checkout), not written in: a copy of the checkout with its own .venv (the
# folder-with-a-space test) must not point the checkout at the copy.
cat >"$VENV/etc/jupyter/nbgrader_config.py" <<'PY'
# Written by docker/setup.sh: the course's nbgrader configuration,
# nb/grader/nbgrader_config.py of the checkout whose .venv holds this file.
import os
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "nb", "grader", "nbgrader_config.py"))
PY

# --- git: notebook outputs stay out of commits --------------------------------

# JupyterLab's autosave writes outputs into the notebooks; nbstripout, as the
# repository's git filter, keeps them out of commits and diffs.
bash "$ROOT/docker/git_filter.sh" "$ROOT" "$VENV/bin/python"

# --- Node.js programs from npm, each pinned, inside .venv --------------------

# npm_package PACKAGE VERSION FOLDER FILE [WHY]: installs PACKAGE@VERSION with
# npm into FOLDER (node_modules/ under it) unless FILE is there from the same
# version (a stamp in FOLDER records it); WHY names what needs Node.js when
# need_node.sh must install it.
npm_package() {
	local package="$1" version="$2" folder="$3" file="$4" why="${5:-}"
	local stamp="$folder/.$package-stamp"
	if [ -e "$file" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
		say "$package $version is up to date (${folder#"$ROOT"/})"
		return
	fi
	bash "$ROOT/docker/need_node.sh" ${why:+"$why"}
	say "installing $package $version from npm (${folder#"$ROOT"/}) ..."
	mkdir -p "$folder"
	npm install --silent --no-audit --no-fund --prefix "$folder" "$package@$version" >/dev/null ||
		die "npm could not install $package@$version (see above). Check your network access to the npm registry."
	[ -e "$file" ] || die "npm finished but $file is missing."
	printf '%s\n' "$version" >"$stamp"
}

# make hub: JupyterHub itself is in docker/requirements.txt; its proxy is a
# Node.js program (.venv/hub-node/node_modules/.bin/configurable-http-proxy).
npm_package configurable-http-proxy 5.3.0 "$VENV/hub-node" "$VENV/hub-node/node_modules/.bin/configurable-http-proxy"

# make export: nb/harness/typeset.py runs .venv/katex-node/node_modules/katex
# with node and copies its CSS and fonts next to the pages (build/course/katex/).
npm_package katex 0.19.1 "$VENV/katex-node" "$VENV/katex-node/node_modules/katex/dist/katex.min.css" \
	"KaTeX (make export typesets the course's formulas with it)"

# --- warm the Go build cache -------------------------------------------------

go build ./... || die "the course's Go code does not build (see above)."

# --- the Spanish edition (make editions) -------------------------------------

"$VENV/bin/python" "$ROOT/nb/harness/editions.py" write ||
	die "the Spanish edition could not be written (see above): check notebooks/i18n/es/."
say "library compiled; set-up complete"
