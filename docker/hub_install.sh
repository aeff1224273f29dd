#!/usr/bin/env bash
# Lays out what the students' servers of a JupyterHub share, read-only, in
# one folder (HUB_PREFIX):
#
#   $HUB_PREFIX/venv/        the students' Python: JupyterLab and
#                            jupyterhub-singleuser (their pins in
#                            docker/requirements.txt, the hub's own), with
#                            the GoNB kernelspec
#   $HUB_PREFIX/bin/         gonb, goimports and gopls (copied from bin/)
#   $HUB_PREFIX/course/      the course as each student gets it: go.mod,
#                            go.sum, lib/, nb/ and notebooks/ (copied into
#                            a student's home on their first spawn); the
#                            notebooks are nbgrader's student release
#                            (solutions replaced by stubs, no hidden tests)
#   $HUB_PREFIX/gomodcache/  the Go module cache of the course (gonum, plot,
#                            GoNB's libraries, MNIST), read by every student
#                            (GOMODCACHE, GOPROXY=off: no download at run time)
#   $HUB_PREFIX/gocache/     a warm Go build cache of those modules, copied
#                            into a student's ~/.cache/go-build on first
#                            spawn, so that their first cell compiles in
#                            seconds (Go needs a writable build cache)
#   $HUB_PREFIX/models/      the class's shared model cache
#                            (NB_SHARED_CACHE_DIR): writable by its owner
#                            only; `make hub-models` fills it
#
# Used by `make hub` and `make test-hub` (docker/hub.sh), and by
# docker/Dockerfile, so the hub test covers what the image installs.
# Needs `make setup` first. Students use only what is under HUB_PREFIX (and
# Go's toolchain), so the repository itself may stay private. Idempotent.
#
# Settings: HUB_PREFIX, default /srv/redes-neuronales as root, otherwise
# .venv/hub in the repository.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
if [ "$(id -u)" = "0" ]; then
	PREFIX=${HUB_PREFIX:-/srv/redes-neuronales}
else
	PREFIX=${HUB_PREFIX:-$VENV/hub}
fi

say() { printf 'hub-install: %s\n' "$*"; }
die() {
	printf '\nhub-install: ERROR: %s\n\n' "$*" >&2
	exit 1
}

[ -x "$VENV/bin/jupyterhub-singleuser" ] || die "JupyterHub is not installed in $VENV: run 'make setup' first."
[ -x "$ROOT/bin/gonb" ] || die "GoNB is not built in $ROOT/bin: run 'make setup' first."

umask 022
mkdir -p "$PREFIX"
chmod 755 "$PREFIX"

# closed_folder PATH succeeds when a folder above PATH is closed to the
# students (no o+x), leaving the first such folder in d and its permissions
# in perm.
closed_folder() {
	d=$(dirname "$1")
	while [ "$d" != "/" ]; do
		perm=$(stat -c '%A' "$d")
		case "${perm:9:1}" in x | t) ;; *) return 0 ;; esac
		d=$(dirname "$d")
	done
	return 1
}

# Every folder above HUB_PREFIX must be open to the students (o+x).
if [ "$(id -u)" = "0" ] && closed_folder "$PREFIX"; then
	die "students cannot enter $d ($perm), which holds HUB_PREFIX=$PREFIX. Run 'chmod o+x $d', or choose another HUB_PREFIX."
fi

# --- the students' Python and the GoNB kernel ----------------------------------

# A Python the students can run: the repository's .venv may rest on a Python
# under a private folder (pyenv in /root), so the students get their own
# venv, from HUB_PYTHON (default: Debian's /usr/bin/python3 when present).
PY=${HUB_PYTHON:-}
if [ -z "$PY" ]; then
	if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3); fi
fi
"$PY" -c "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))" 2>/dev/null ||
	die "$PY cannot make the students' venv: it needs Python 3.10 or newer with venv (Debian/Ubuntu: apt-get install python3-venv), or set HUB_PYTHON."
real=$(readlink -f "$PY")
if [ "$(id -u)" = "0" ] && closed_folder "$real"; then
	die "students cannot run $real (the folder $d is $perm): set HUB_PYTHON to a Python everyone can run, such as /usr/bin/python3 (apt-get install python3 python3-venv)."
fi
# Only what a single-user server needs, at the versions pinned for the
# whole course (JupyterLab, its Spanish language pack, which a student
# chooses in Settings > Language, its kernel client, jupyterhub-singleuser).
REQS="$PREFIX/requirements-students.txt"
grep -E '^(jupyterlab|jupyterlab-language-pack-es-ES|jupyter_client|jupyterhub)==' "$ROOT/docker/requirements.txt" >"$REQS.new"
[ "$(grep -c . "$REQS.new")" = 4 ] || die "docker/requirements.txt lacks a pin of jupyterlab, jupyterlab-language-pack-es-ES, jupyter_client or jupyterhub."
mv -f "$REQS.new" "$REQS"
want=$(cat "$REQS" <(readlink -f "$PY") | sha256sum | cut -c1-64)
if [ -x "$PREFIX/venv/bin/jupyterhub-singleuser" ] && [ "$(cat "$PREFIX/.venv-stamp" 2>/dev/null)" = "$want" ]; then
	say "students' Python is up to date ($PREFIX/venv)"
else
	say "creating the students' Python ($PREFIX/venv, from $PY; about a minute) ..."
	rm -rf "$PREFIX/venv"
	"$PY" -m venv "$PREFIX/venv" || die "$PY -m venv $PREFIX/venv failed (see above)."
	"$PREFIX/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" ||
		die "pip could not install $REQS (pinned in docker/requirements.txt) into $PREFIX/venv (see above)."
	printf '%s\n' "$want" >"$PREFIX/.venv-stamp"
fi
mkdir -p "$PREFIX/bin"
for tool in gonb goimports gopls; do
	cp -f "$ROOT/bin/$tool" "$PREFIX/bin/$tool.new" && mv -f "$PREFIX/bin/$tool.new" "$PREFIX/bin/$tool"
done
KERNEL_DIR="$PREFIX/venv/share/jupyter/kernels/gonb"
mkdir -p "$KERNEL_DIR"
"$PREFIX/venv/bin/python" - "$VENV/share/jupyter/kernels/gonb/kernel.json" "$KERNEL_DIR/kernel.json" "$ROOT/bin" "$PREFIX/bin" "$ROOT/docker/jupyterhub_config.py" <<'PY'
import json, re, sys
src, dst, old, new, config = sys.argv[1:]
spec = json.load(open(src))
# The checkout's kernel starts each notebook in a Go workspace of the
# checkout (-go_work, docker/setup.sh), so that a cell run before the wiring
# cell finds the course's packages. A student's kernel uses the student's
# copy, ~/COURSE_DIR (jupyterhub_config.py), which only the kernel's
# environment knows: a shell adds -go_work=$HOME/COURSE_DIR when that copy
# has its go.mod (and its path no comma, which GoNB would split at), and
# then runs GoNB. In a workspace go refuses GOFLAGS=-mod=mod (the hub's,
# jupyterhub_config.py), so the shell empties GOFLAGS there: the workspace
# resolves the course's requirements from the shared module cache itself.
course_dir = re.search(r'^COURSE_DIR = "([^"]+)"', open(config).read(), re.M).group(1)
argv = [a.replace(old, new) for a in spec["argv"] if not a.startswith("-go_work=")]
launch = (f'w="$HOME/{course_dir}"; case "$w" in *,*) w= ;; esac; [ -f "$w/go.mod" ] || w=; '
          '[ -z "$w" ] || export GOFLAGS=; exec "$0" "$@" -go_work="$w"')
spec["argv"] = ["/bin/sh", "-c", launch] + argv
spec["env"] = {k: v.replace(old, new) for k, v in spec.get("env", {}).items()}
json.dump(spec, open(dst, "w"), indent=1)
PY
find "$VENV/share/jupyter/kernels/gonb" -maxdepth 1 -type f -not -name kernel.json -exec cp -f {} "$KERNEL_DIR/" \;
mkdir -p "$PREFIX/venv/etc/jupyter/labconfig"
cp -f "$VENV/etc/jupyter/labconfig/page_config.json" "$PREFIX/venv/etc/jupyter/labconfig/" 2>/dev/null || true

# --- the course, as each student gets it ------------------------------------

stamp=$( (cd "$ROOT" && find go.mod go.sum lib nb notebooks -type f -not -path 'nb/harness/*' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64)
if [ "$(cat "$PREFIX/.course-stamp" 2>/dev/null)" = "$stamp" ]; then
	say "course copy is up to date ($PREFIX/course)"
else
	rm -rf "$PREFIX/course.new"
	mkdir -p "$PREFIX/course.new"
	(cd "$ROOT" && cp -r go.mod go.sum lib nb notebooks "$PREFIX/course.new/")
	rm -rf "$PREFIX/course.new/nb/harness" "$PREFIX/course.new/notebooks/es"
	# Students get the release of every notebook (make assignments), never
	# the teacher's solutions or hidden tests: the English notebooks, and in
	# notebooks/es/ the Spanish edition's (nb/harness/editions.py).
	release=$(mktemp -d)
	"$VENV/bin/python" "$ROOT/nb/harness/editions.py" write --to "$release/es" es >/dev/null ||
		die "the Spanish edition could not be written (nb/harness/editions.py; see above)."
	mkdir -p "$PREFIX/course.new/notebooks/es"
	for edition in en es; do
		sources=("$ROOT"/notebooks/*.ipynb) target="$PREFIX/course.new/notebooks"
		[ "$edition" = en ] || sources=("$release/es/"*.ipynb) target="$PREFIX/course.new/notebooks/es"
		NBGRADER_COURSE_DIR="$release/$edition-course" "$VENV/bin/python" "$ROOT/nb/harness/grader.py" assignments "${sources[@]}" >/dev/null ||
			die "the student release of the notebooks ($edition) could not be written (nb/harness/grader.py assignments; see above)."
		for nbk in "${sources[@]}"; do
			name=$(basename "$nbk" .ipynb)
			[ -f "$release/$edition-course/release/$name/$name.ipynb" ] || die "$name.ipynb has no student release (graded exercises with nbgrader metadata)."
			cp -f "$release/$edition-course/release/$name/$name.ipynb" "$target/$name.ipynb"
		done
	done
	rm -rf "$release"
	rm -rf "$PREFIX/course" && mv "$PREFIX/course.new" "$PREFIX/course"
	chmod -R a+rX,go-w "$PREFIX/course"
	printf '%s\n' "$stamp" >"$PREFIX/.course-stamp"
	say "course copied to $PREFIX/course"
fi

# --- Go: shared module cache and a warm build cache ---------------------------

# The students' Go environment (jupyterhub_config.py sets the same).
export GOMODCACHE="$PREFIX/gomodcache" GOCACHE="$PREFIX/gocache" GOTOOLCHAIN=local GOFLAGS=-mod=mod
# Take modules from this machine's own module cache first, then the proxy.
own=$(env -u GOMODCACHE go env GOMODCACHE)
upstream=$(go env GOPROXY)
export GOPROXY="file://$own/cache/download,$upstream"
want=$(cat "$ROOT/go.mod" "$ROOT/go.sum" | sha256sum | cut -c1-64)
if [ "$(cat "$PREFIX/.go-stamp" 2>/dev/null)" = "$want" ] && [ -d "$GOCACHE" ]; then
	say "Go module and build caches are up to date"
else
	say "filling the shared Go module cache ($GOMODCACHE) ..."
	(cd "$PREFIX/course" && go mod download) || die "go mod download failed in $PREFIX/course (see above)."
	say "warming the Go build cache ($GOCACHE) ..."
	(cd "$PREFIX/course" && go build ./...) || die "the course does not build in $PREFIX/course (see above)."
	printf '%s\n' "$want" >"$PREFIX/.go-stamp"
fi
# Module files are read-only already (Go makes them so); make them readable.
chmod -R a+rX "$GOMODCACHE" "$GOCACHE" "$PREFIX/venv" "$PREFIX/bin"

# --- the class's shared model cache -------------------------------------------

mkdir -p "$PREFIX/models"
chmod 755 "$PREFIX/models"
say "ready: $PREFIX ($(du -sh "$PREFIX/gomodcache" | cut -f1) modules, $(du -sh "$PREFIX/gocache" | cut -f1) build cache, $(find "$PREFIX/models" -name '*.params' | wc -l) shared model(s))"
