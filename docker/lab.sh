#!/usr/bin/env bash
# Starts JupyterLab on the course notebooks, with the GoNB kernel installed by
# docker/setup.sh. Used by `make lab` and by docker/Dockerfile.
#
# Settings (environment variables):
#   LAB_HOST  address to listen on; default 127.0.0.1 (this machine only).
#             The Docker image sets 0.0.0.0.
#   LAB_PORT  port to try first; default 8888. If it is taken, the next free
#             port is used and the script says so.
#   LAB_ROOT  the folder JupyterLab shows; default notebooks/. make formgrader
#             sets the repository's root, so that nbgrader's formgrader finds
#             its course directory, build/nbgrader/, inside it.
#   COURSE_LANG  the edition to open: en (default) or es. With es, the
#             lab opens the Spanish edition (notebooks/es/, written by make
#             setup) and JupyterLab's own menus and dialogs are in Spanish
#             (the language pack jupyterlab-language-pack-es-ES, as the default
#             of Settings > Language, which a student can still change). The
#             kernels do not inherit COURSE_LANG: the Spanish edition's
#             notebooks set it themselves, so an English notebook opened in
#             the same lab stays English.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
HOST=${LAB_HOST:-127.0.0.1}
PORT=${LAB_PORT:-8888}
LAB_ROOT=${LAB_ROOT:-$ROOT/notebooks}

die() {
	printf '\nlab: ERROR: %s\n\n' "$*" >&2
	exit 1
}

[ -x "$VENV/bin/jupyter" ] || die "JupyterLab is not installed in $VENV: run 'make setup' first."
[ -f "$VENV/share/jupyter/kernels/gonb/kernel.json" ] || die "the GoNB kernel is not registered: run 'make setup' first."

# Find a free port, starting at $PORT.
free=$("$VENV/bin/python" "$ROOT/docker/free_port.py" "$HOST" "$PORT") || true
[ -n "$free" ] || die "no free port between $PORT and $((PORT + 99)) on $HOST: set LAB_PORT to another port."
if [ "$free" != "$PORT" ]; then
	echo "lab: port $PORT on $HOST is already in use; using port $free instead."
fi

TOKEN=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(24))')
shown_host=$HOST
[ "$HOST" = "0.0.0.0" ] && shown_host=127.0.0.1

# Our kernelspec takes precedence over a user-wide "gonb" kernel, and the
# kernel finds gonb, goimports and gopls in bin/.
export JUPYTER_PATH="$VENV/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_RUNTIME_DIR="${JUPYTER_RUNTIME_DIR:-$VENV/share/jupyter/runtime}"
export PATH="$ROOT/bin:$PATH"

extra=()
[ "$(id -u)" = "0" ] && extra+=(--allow-root)

open=${OPEN:-00_Introduction.ipynb}
case "${COURSE_LANG:-en}" in
en) ;;
es)
	[ -f "$ROOT/notebooks/es/00_Introduction.ipynb" ] ||
		die "the Spanish edition is not written yet (notebooks/es/): run 'make editions' (or 'make setup') first."
	# JupyterLab reads its defaults from overrides.json in its application
	# settings folder, whose parent must hold the application's static/.
	settings="$VENV/share/jupyter/lab-es"
	mkdir -p "$settings/settings"
	ln -sfn ../lab/static "$settings/static"
	printf '{"@jupyterlab/translation-extension:plugin": {"locale": "es_ES"}}\n' >"$settings/settings/overrides.json"
	extra+=(--LabApp.app_settings_dir="$settings/settings")
	[ "$LAB_ROOT" != "$ROOT/notebooks" ] || open=es/${OPEN:-00_Introduction.ipynb}
	;;
*) die "COURSE_LANG=${COURSE_LANG}: the course has an English edition (en, the default) and a Spanish one (es)." ;;
esac
unset COURSE_LANG

cat <<MSG

  Redes Neuronales course: JupyterLab is starting on the notebooks in
  $LAB_ROOT

  Open:  http://$shown_host:$free/lab/tree/$open?token=$TOKEN

  Stop with Ctrl+C (twice).

MSG
# The log (stderr, shared with the GoNB kernels) passes through
# lab_log_filter.py, which drops GoNB's self-test lines and stack dumps on
# every kernel start and restart; real warnings and errors pass.
exec "$VENV/bin/jupyter" lab \
	--no-browser \
	--ServerApp.ip="$HOST" \
	--ServerApp.port="$free" \
	--ServerApp.port_retries=0 \
	--ServerApp.root_dir="$LAB_ROOT" \
	--IdentityProvider.token="$TOKEN" \
	"${extra[@]}" \
	2> >(trap '' INT; exec "$VENV/bin/python" -u "$ROOT/docker/lab_log_filter.py" >&2)
