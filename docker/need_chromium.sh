#!/usr/bin/env bash
# Makes sure headless Chromium is there for the browser test (make test-e2e)
# and for the PDF of make export; Playwright (docker/requirements.txt) drives
# it. Never downloads a browser of its own: it uses Debian's `chromium`
# package, and installs it with apt-get when it is missing and this user may
# (root, or sudo without a password). Otherwise it stops with a message that
# names the package.
#
# CHROMIUM may point at another Chromium executable.
set -euo pipefail

say() { printf 'chromium: %s\n' "$*"; }
die() {
	printf '\nchromium: ERROR: %s\n\n' "$*" >&2
	exit 1
}

found() {
	if [ -n "${CHROMIUM:-}" ]; then
		[ -x "$CHROMIUM" ]
	else
		[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1
	fi
}

found && exit 0

what="Chromium is needed by the browser test (make test-e2e) and by the PDF of make export, and it is not installed${CHROMIUM:+ at \$CHROMIUM=$CHROMIUM}"
command -v apt-get >/dev/null 2>&1 ||
	die "$what. Install it with your system's package manager (the package is usually called 'chromium'; on Debian: apt-get install chromium), or set CHROMIUM to a Chromium executable."

if [ "$(id -u)" = 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
	sudo=(sudo -n)
else
	die "$what. Install Debian's package as root: sudo apt-get install chromium (or set CHROMIUM to a Chromium executable)."
fi

say "installing Debian's chromium package (apt-get install chromium), a minute or two ..."
"${sudo[@]}" apt-get update -qq >/dev/null ||
	die "apt-get update failed (see above). Install Chromium by hand: apt-get install chromium"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
	die "apt-get install chromium failed (see above). Install it by hand: apt-get install chromium"
found || die "apt-get installed chromium, but ${CHROMIUM:-/usr/bin/chromium} is still missing. Set CHROMIUM to the Chromium executable."
say "chromium installed"
