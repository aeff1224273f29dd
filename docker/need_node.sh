#!/usr/bin/env bash
# Makes sure Node.js 20+ and npm are there for JupyterHub's proxy
# (configurable-http-proxy) or for what $1 names (KaTeX): installs Debian's nodejs and npm with apt-get
# when missing and we are root, otherwise stops with a message naming what to
# install. Used by docker/setup.sh; tested by docker/test_hub_files.py.
set -euo pipefail

die() {
	printf '\nsetup: ERROR: %s\n\n' "$*" >&2
	exit 1
}
HUB_PROXY="JupyterHub's proxy (configurable-http-proxy, for make hub)"
WHY="${1:-$HUB_PROXY}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
		printf 'setup: installing Node.js and npm with apt-get (for %s) ...\n' "$WHY"
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } ||
			die "apt-get could not install nodejs and npm, which $WHY needs. Install Node.js 20 or newer and npm (Debian/Ubuntu: apt-get install nodejs npm)."
		command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
			die "apt-get ran, but 'node' or 'npm' is still not on PATH. Install Node.js 20 or newer and npm (Debian/Ubuntu: apt-get install nodejs npm)."
	else
		die "Node.js and npm are needed for $WHY, and 'node' or 'npm' is not on PATH. Install Node.js 20 or newer and npm (Debian/Ubuntu: apt-get install nodejs npm), then run make setup again."
	fi
fi
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 20 ] 2>/dev/null ||
	die "$WHY needs Node.js 20 or newer, found $(node --version 2>&1). Install a newer Node.js (Debian/Ubuntu: apt-get install nodejs), then run make setup again."
