#!/usr/bin/env bash
# Installs nbstripout as the git filter of the notebooks in a git checkout:
#
#   bash docker/git_filter.sh REPO PYTHON
#
# PYTHON is the Python with nbstripout (docker/requirements.txt), usually
# REPO/.venv/bin/python. Afterwards `git add`, `git diff` and `git status`
# see every *.ipynb without its outputs and execution counts (the rules of
# make strip): JupyterLab's autosave may write outputs into a notebook, but
# they never reach a commit, so `git pull` does not conflict with them and
# the copy on disk keeps them. Cell ids and all other metadata (nbgrader's,
# the slide types) are kept.
#
# Does nothing, and says why, when REPO is not the top of a git checkout or
# is a linked worktree (git worktree add), whose filter settings are the
# main checkout's. Idempotent. Used by docker/setup.sh (make setup).
set -euo pipefail

REPO=$1
PY=$2
say() { printf 'setup: %s\n' "$*"; }

if ! command -v git >/dev/null 2>&1 || ! top=$(git -C "$REPO" rev-parse --show-toplevel 2>/dev/null) ||
	[ "$(cd "$top" && pwd -P)" != "$(cd "$REPO" && pwd -P)" ]; then
	say "not a git checkout: no git filter for the notebooks' outputs"
	exit 0
fi
if [ ! -d "$REPO/.git" ]; then
	say "a linked git worktree shares the main checkout's settings: no git filter installed here (run 'make setup' in the main checkout)"
	exit 0
fi

clean="\"$PY\" -m nbstripout --keep-id"
textconv="\"$PY\" -m nbstripout -t --keep-id"
cd "$REPO"
if [ "$(git config --local --get filter.nbstripout.clean || true)" = "$clean" ] &&
	[ "$(git config --local --get diff.ipynb.textconv || true)" = "$textconv" ] &&
	grep -qx '\*.ipynb filter=nbstripout' "$(git rev-parse --git-path info/attributes)" 2>/dev/null; then
	say "git filter nbstripout is up to date (notebook outputs stay out of commits)"
	exit 0
fi
"$PY" -m nbstripout --install --python "$PY" ||
	{ printf '\nsetup: ERROR: nbstripout --install failed in %s (see above).\n\n' "$REPO" >&2; exit 1; }
# nbstripout --install writes its default command, which renumbers cell ids.
git config --local filter.nbstripout.clean "$clean"
git config --local diff.ipynb.textconv "$textconv"
say "git filter nbstripout installed: notebook outputs stay out of commits (README: Keeping your own work)"
