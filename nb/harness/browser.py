"""Finding and starting the headless Chromium that prints the course's PDF
(make export) and drives JupyterLab in the browser test (make test-e2e).

The browser is Debian's `chromium` package, driven by Playwright for Python
(pinned in docker/requirements.txt); Playwright's own browser download is
never used. `make export` and `make test` install the package first when it
is missing (docker/need_chromium.sh).
"""

import os
import shutil

CHROMIUM_ENV = "CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "install the 'chromium' package (Debian: apt-get install chromium)"


class BrowserMissing(RuntimeError):
    pass


def chromium_path():
    """The Chromium executable: $CHROMIUM if set, else /usr/bin/chromium,
    else `chromium` on PATH. Raises BrowserMissing, naming the package to
    install, if there is none."""
    wanted = os.environ.get(CHROMIUM_ENV)
    if wanted:
        if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
            return wanted
        raise BrowserMissing(f"Chromium not found at {wanted} (set by ${CHROMIUM_ENV}): {INSTALL_HINT}, or point ${CHROMIUM_ENV} at a Chromium executable.")
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    raise BrowserMissing(f"Chromium is not installed (no {DEFAULT_CHROMIUM}, no 'chromium' on PATH): {INSTALL_HINT}.")


def launch(playwright, **kwargs):
    """Starts headless Chromium through Playwright."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, **kwargs)


def identity():
    """A string that changes when the Chromium executable changes (its
    path, size and time of modification): part of the key of what it
    printed or measured (export_cache.Memo)."""
    path = os.path.realpath(chromium_path())
    st = os.stat(path)
    return f"{path} {st.st_size} {st.st_mtime_ns}"
