"""Executed notebooks kept between exports, so that `make export` runs only
what changed.

The store is jupyter-cache's (https://jupyter-cache.readthedocs.io): it
keys an executed notebook by a hash of its code cells' sources and its
kernelspec, so an edit to markdown, or to a cell's metadata, finds the
stored execution, and jupyter-cache merges the stored outputs into the
edited notebook (cell metadata is left out of the hash: slide types,
tags and points do not change what a cell prints). Two more things decide a notebook's outputs here, and both
go into the kernelspec of the copy that jupyter-cache hashes:

  - the mode (quick or full);
  - the course's code: a SHA-256 digest of the Go release, go.mod, go.sum
    and every non-test Go source file of lib/ and nb/ (the files nb's own
    model cache fingerprints, nb/modelcache.go codeFingerprint), and of the
    harness that runs and checks the notebooks (run_notebooks.py).

An edit to a code cell, to the library, to nb, or to the harness is a miss:
that notebook runs again (its trained networks may still come from nb's
model cache, which has its own key). Only notebooks that passed every check
are stored, with the harness's counts (cells, seconds, images, checks).

    cache = ExecutedCache("build/export-cache", quick=True, root=".")
    r = cache.get("notebooks/02_Gradient_Descent.ipynb")   # a Result, or None
    cache.put(result)                                      # after a run that passed
"""

import copy
import hashlib
import json
import os
import subprocess
import threading

import nbformat

import run_notebooks

HERE = os.path.dirname(os.path.abspath(__file__))
# Executions kept (jupyter-cache drops the oldest beyond this): the 13
# notebooks in both modes, a few times over.
CACHE_LIMIT = 100
# The kernelspec key that carries the mode and the code fingerprint into
# jupyter-cache's hash (only on the copy it hashes; never written to a notebook).
KEY = "course-export"


def code_fingerprint(root):
    """SHA-256 (hex) of what decides a notebook's outputs besides its own
    cells: the Go release, go.mod, go.sum, the non-test .go and .s files of
    root/lib and root/nb (nb/harness and testdata folders excluded, as in
    nb/modelcache.go), and the harness (run_notebooks.py). Raises OSError
    when root has no go.mod."""
    h = hashlib.sha256()
    try:
        go = subprocess.run(["go", "version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        go = f"go unavailable: {e}"
    h.update(go.encode())
    files = []
    for top in ("lib", "nb"):
        for folder, dirs, names in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs if d not in ("harness", "testdata"))
            files += [
                os.path.join(folder, n) for n in names if n.endswith((".go", ".s")) and not n.endswith("_test.go")
            ]
    files = sorted(files) + [os.path.join(root, "go.mod"), os.path.join(root, "go.sum")]
    files.append(os.path.join(HERE, "run_notebooks.py"))
    for path in files:
        with open(path, "rb") as f:
            h.update(f"file {os.path.relpath(path, root)}\n".encode())
            h.update(f.read())
    return h.hexdigest()


class ExecutedCache:
    """The executed notebooks of earlier exports, in the folder path
    (created if needed), for one mode and the course rooted at root."""

    def __init__(self, path, quick, root):
        from jupyter_cache import get_cache  # only the export needs it

        os.makedirs(path, exist_ok=True)
        self.path = path
        self.cache = get_cache(path)
        if self.cache.get_cache_limit() != CACHE_LIMIT:
            self.cache.change_cache_limit(CACHE_LIMIT)
        self.key = f"{'quick' if quick else 'full'}-{code_fingerprint(root)}"

    def _keyed(self, nb):
        """The copy of nb that jupyter-cache hashes and stores: the mode and
        code fingerprint in its kernelspec, and no cell metadata (which
        jupyter-cache would hash, and which holds nbclient's timestamps)."""
        nb = copy.deepcopy(nb)
        nb.metadata.setdefault("kernelspec", {})[KEY] = self.key
        for cell in nb.cells:
            cell.metadata = nbformat.NotebookNode()
        return nb

    def get(self, path):
        """The stored execution of the notebook at path as it is now (its
        markdown and cell metadata from the file, its code cells' outputs
        from the store), as a run_notebooks.Result; None if there is none."""
        nb = nbformat.read(path, as_version=4)
        try:
            record = self.cache.match_cache_notebook(self._keyed(nb))
            _, merged = self.cache.merge_match_into_notebook(self._keyed(nb), nb_meta=("language_info",), cell_meta=())
        except KeyError:
            return None
        merged.metadata["kernelspec"] = nb.metadata.get("kernelspec", {})
        for cell, current in zip(merged.cells, nb.cells):
            cell.metadata = current.metadata
        counts = {k: v for k, v in (record.data or {}).items() if k in COUNTS}
        counts["cells"] = len(merged.cells)
        return run_notebooks.Result(path=path, notebook=merged, **counts)

    def put(self, result):
        """Stores result (a run that passed) for later exports."""
        from jupyter_cache.base import CacheBundleIn

        if not result.ok:
            raise ValueError(f"{result.path}: only a notebook that passed is stored")
        data = {k: getattr(result, k) for k in COUNTS}
        bundle = CacheBundleIn(self._keyed(result.notebook), uri=os.path.abspath(result.path), data=data)
        self.cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


COUNTS = ("cells", "seconds", "images", "checks_passed", "checks_failed", "checks_expected")


# --- which notebooks the last export to a folder held -------------------------

LAST_EXPORTS = "last-exports.json"


def last_export(cache_dir, out, quick):
    """The notebook paths of the last export to out in this mode (recorded
    by record_export in cache_dir), or [] when there was none."""
    try:
        with open(os.path.join(cache_dir, LAST_EXPORTS), encoding="utf-8") as f:
            record = json.load(f).get(os.path.abspath(out), {})
    except (OSError, ValueError):
        return []
    return list(record.get("notebooks", [])) if record.get("quick") == bool(quick) else []


def record_export(cache_dir, out, quick, paths):
    """Records that out now holds the notebooks of paths, exported in this mode."""
    path = os.path.join(cache_dir, LAST_EXPORTS)
    try:
        with open(path, encoding="utf-8") as f:
            records = json.load(f)
    except (OSError, ValueError):
        records = {}
    records[os.path.abspath(out)] = {"quick": bool(quick), "notebooks": [os.path.abspath(p) for p in paths]}
    os.makedirs(cache_dir, exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(records, f, indent=1)
    os.replace(path + ".tmp", path)


# --- verdicts of page checks, by the page's content ---------------------------


class PageVerdicts:
    """What a check of exported pages (axe-core, the slides' fit) found on
    each page, kept by the SHA-256 of the page's bytes and the checker's
    version, so that an export checks only the pages that changed. A JSON
    file in cache_dir named after the check."""

    def __init__(self, cache_dir, check, version):
        self.path = os.path.join(cache_dir, f"verdicts-{check}.json")
        self.version = version
        self.lock = threading.Lock()  # checks that run at once save to the same file
        try:
            with open(self.path, encoding="utf-8") as f:
                self.known = json.load(f)
        except (OSError, ValueError):
            self.known = {}

    def key(self, page):
        """The key of page's verdict: the SHA-256 of the checker's version and the page's bytes."""
        with open(page, "rb") as f:
            return hashlib.sha256(self.version.encode() + b"\0" + f.read()).hexdigest()

    def split(self, pages):
        """(found, changed): the stored findings of the pages seen before,
        by page, and the pages that must be checked."""
        found, changed = {}, []
        for page in pages:
            key = self.key(page)
            if key in self.known:
                found[page] = self.known[key]
            else:
                changed.append(page)
        return found, changed

    def save(self, findings):
        """Stores findings (page → a JSON value) by each page's content."""
        self.save_keys({self.key(page): value for page, value in findings.items()})

    def save_keys(self, findings):
        """Stores findings (key, as key() gave it, → a JSON value)."""
        with self.lock:
            self.known.update(findings)
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(self.path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(self.known, f)
            os.replace(self.path + ".tmp", self.path)


# --- outputs of the export's deterministic steps, by what they depend on -----


class Memo:
    """Outputs of the export's deterministic steps (a page rendered by
    nbconvert, a page typeset by KaTeX, a part of a PDF printed by Chromium,
    a notebook's student release), kept in folder by the SHA-256 of
    everything each depends on (Memo.key), so that an export repeats only
    the steps whose inputs changed. Entries that the export did not use are
    removed at its end (prune), so the folder holds one export's outputs.

        memo = Memo("build/export-cache/memo/quick")
        k = Memo.key("render", template_version, nbformat.writes(nb))
        page = memo.get(k)
        if page is None:
            page = render(nb)
            memo.put(k, page)
        ...
        memo.prune()
    """

    def __init__(self, folder):
        self.folder = folder
        self.used = set()
        os.makedirs(folder, exist_ok=True)

    @staticmethod
    def key(*parts):
        """The SHA-256 (hex) of parts (str or bytes), each length-prefixed."""
        h = hashlib.sha256()
        for p in parts:
            b = p if isinstance(p, bytes) else str(p).encode()
            h.update(f"{len(b)}:".encode())
            h.update(b)
        return h.hexdigest()

    def path(self, key):
        """The file that holds key's output (it may not exist)."""
        self.used.add(key)
        return os.path.join(self.folder, key)

    def get(self, key):
        """The bytes stored under key, or None."""
        try:
            with open(self.path(key), "rb") as f:
                return f.read()
        except OSError:
            return None

    def put(self, key, data):
        """Stores data (bytes or str) under key."""
        path = self.path(key)
        tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"  # jobs at once may store the same key
        with open(tmp, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        os.replace(tmp, path)

    def prune(self):
        """Removes the entries that were not used since this Memo was made."""
        for name in os.listdir(self.folder):
            if name not in self.used:
                os.remove(os.path.join(self.folder, name))
