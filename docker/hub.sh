#!/usr/bin/env bash
# Starts JupyterHub for a class on this server: `make hub`.
# See docker/jupyterhub_config.py for what it runs and its settings, and the
# README's "Teaching a class".
#
#   HUB_PORT    the port students open, tried first; default 8000. A busy
#               port moves to the next free one, and the script says so
#               (likewise the proxy's API port, HUB_API_PORT, default 8001,
#               and the hub's own, HUB_HUB_PORT, default 8081).
#   HUB_IP      default 127.0.0.1 (this machine only); 0.0.0.0 to serve
#               the class (behind HTTPS: see the README).
#   HUB_CONFIG  the configuration file; default docker/jupyterhub_config.py
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
CONFIG=${HUB_CONFIG:-$ROOT/docker/jupyterhub_config.py}

die() {
	printf '\nhub: ERROR: %s\n\n' "$*" >&2
	exit 1
}

[ -x "$VENV/bin/jupyterhub" ] || die "JupyterHub is not installed in $VENV: run 'make setup' first."
[ -x "$VENV/hub-node/node_modules/.bin/configurable-http-proxy" ] ||
	die "JupyterHub's proxy (configurable-http-proxy) is not installed in $VENV/hub-node: run 'make setup' (it needs Node.js 20+ and npm: apt-get install nodejs npm)."
command -v node >/dev/null 2>&1 || die "Node.js is not on PATH; JupyterHub's proxy needs it. Install Node.js 20 or newer (Debian/Ubuntu: apt-get install nodejs)."

bash "$ROOT/docker/hub_install.sh"

export HUB_IP=${HUB_IP:-127.0.0.1}
# free_port NAME FIRST [TAKEN...]: the first free port from FIRST on that is
# not among TAKEN, said when it is not FIRST.
free_port() {
	local name=$1 first=$2
	shift 2
	local p
	p=$("$VENV/bin/python" "$ROOT/docker/free_port.py" "$HUB_IP" "$first" "$@") || true
	[ -n "$p" ] || die "no free port between $first and $((first + 99)) for the $name: set another."
	[ "$p" = "$first" ] || echo "hub: port $first for the $name is already in use; using port $p instead." >&2
	echo "$p"
}
HUB_PORT=$(free_port "hub (HUB_PORT)" "${HUB_PORT:-8000}")
HUB_API_PORT=$(free_port "proxy's API (HUB_API_PORT)" "${HUB_API_PORT:-8001}" "$HUB_PORT")
HUB_HUB_PORT=$(free_port "hub's internal API (HUB_HUB_PORT)" "${HUB_HUB_PORT:-8081}" "$HUB_PORT" "$HUB_API_PORT")
export HUB_PORT HUB_API_PORT HUB_HUB_PORT

shown=$HUB_IP
[ "$HUB_IP" = "0.0.0.0" ] && shown=127.0.0.1
cat <<MSG

  Redes Neuronales course: JupyterHub is starting.

  Open:  http://$shown:$HUB_PORT/
  Students log in with their Unix user name and password (PAM).

  Stop with Ctrl+C: every student's server stops with the hub.

MSG
cd "${HUB_STATE:-/tmp}" 2>/dev/null || cd /tmp
exec "$VENV/bin/jupyterhub" -f "$CONFIG"
