#!/usr/bin/env bash
# Lays out what the students' servers of a JupyterHub share, read-only, in
# one folder (HUB_PREFIX):
#
#   $HUB_PREFIX/course/      the course as each student gets it: go.mod,
#                            go.sum, lib/, nb/ and notebooks/ (copied into
#                            a student's home on their first spawn)
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
# Needs `make setup` first (the .venv and bin/ it uses stay in the
# repository, which students must be able to read). Idempotent.
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

# Students run the repository's .venv and bin/: every folder above them must
# be open to them (o+x), or their servers cannot start.
if [ "$(id -u)" = "0" ]; then
	d=$ROOT
	while [ "$d" != "/" ]; do
		perm=$(stat -c '%A' "$d")
		[ "${perm:9:1}" = "x" ] || [ "${perm:9:1}" = "t" ] ||
			die "students cannot enter $d ($perm), so they cannot run the course's .venv and bin/ in $ROOT. Run 'chmod o+x $d', or put the repository in a folder everyone can read (such as /opt or /srv)."
		d=$(dirname "$d")
	done
fi

umask 022
mkdir -p "$PREFIX"
chmod 755 "$PREFIX"

# --- the course, as each student gets it ------------------------------------

stamp=$( (cd "$ROOT" && find go.mod go.sum lib nb notebooks -type f -not -path 'nb/harness/*' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64)
if [ "$(cat "$PREFIX/.course-stamp" 2>/dev/null)" = "$stamp" ]; then
	say "course copy is up to date ($PREFIX/course)"
else
	rm -rf "$PREFIX/course.new"
	mkdir -p "$PREFIX/course.new"
	(cd "$ROOT" && cp -r go.mod go.sum lib nb notebooks "$PREFIX/course.new/")
	rm -rf "$PREFIX/course.new/nb/harness"
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
	(cd "$PREFIX/course" && go build ./... && go vet ./lib/... ./nb/ >/dev/null) || die "the course does not build in $PREFIX/course (see above)."
	printf '%s\n' "$want" >"$PREFIX/.go-stamp"
fi
# Module files are read-only already (Go makes them so); make them readable.
chmod -R a+rX "$GOMODCACHE" "$GOCACHE"

# --- the class's shared model cache -------------------------------------------

mkdir -p "$PREFIX/models"
chmod 755 "$PREFIX/models"
say "ready: $PREFIX ($(du -sh "$PREFIX/gomodcache" | cut -f1) modules, $(du -sh "$PREFIX/gocache" | cut -f1) build cache, $(find "$PREFIX/models" -name '*.params' | wc -l) shared model(s))"
