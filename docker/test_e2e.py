"""Browser test (make test-e2e): the course works in JupyterLab, in a real browser.

Starts JupyterLab with docker/lab.sh on a free port of 127.0.0.1, with the
GoNB kernel in quick mode (COURSE_QUICK=1), and drives Debian's headless
Chromium with Playwright: for 00_Introduction and 03_Backpropagation (the
MNIST training notebook) it opens the notebook, runs Run → Run All Cells
from the menu, waits until every code cell has an execution count, and
asserts that plot images and derivation-check tables (data-nb-checks, with
failed=0) appear and that no error output does. Screenshots go to build/e2e/.
The server is stopped at the end, also on failure, and the notebooks in the
repository must be left unchanged (autosave is off in the test's own
JupyterLab settings folder).

Needs make setup and Chromium (make test-e2e installs it if missing).
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "nb", "harness"))

import browser  # noqa: E402  (nb/harness/browser.py)
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

LAB = os.path.join(HERE, "lab.sh")
SHOTS = os.path.join(ROOT, "build", "e2e")
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/00_Introduction\.ipynb\?token=([0-9a-f]+)")
NOTEBOOK_TIMEOUT = int(os.environ.get("E2E_TIMEOUT", "900"))  # seconds for Run All of one notebook
CHECKS_RE = re.compile(r"passed=(\d+) failed=(\d+) expected=(\d+)")

# What the page shows about the notebook that is open: the prompts of the
# code cells ("[3]:", "[*]:", "[ ]:"), the images in outputs, the
# derivation-check tables and the error outputs.
COLLECT_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document;
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const text = e => (e ? e.textContent : '').trim();
  return {
    prompts: cells.map(c => text(c.querySelector('.jp-InputArea-prompt'))),
    images: panel.querySelectorAll('.jp-OutputArea-output img').length,
    checks: [...panel.querySelectorAll('[data-nb-checks]')].map(e => e.getAttribute('data-nb-checks')),
    errors: [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output [data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => text(e).slice(0, 400)),
  };
}"""


def problems(state):
    """What is wrong with a notebook after Run All, from COLLECT_JS's state;
    an empty list means it passed."""
    out = []
    prompts = state["prompts"]
    if not prompts:
        out.append("no code cells on the page")
    missing = [i + 1 for i, p in enumerate(prompts) if not re.fullmatch(r"\[\d+\]:?", p)]
    if missing:
        out.append(f"code cells without an execution count: {missing} (prompts {[prompts[i - 1] for i in missing]})")
    if state["images"] == 0:
        out.append("no plot image (img) in the outputs")
    if not state["checks"]:
        out.append("no derivation-check table (data-nb-checks) in the outputs")
    for c in state["checks"]:
        m = CHECKS_RE.search(c or "")
        if not m:
            out.append(f"unreadable derivation-check table: data-nb-checks={c!r}")
        elif int(m.group(2)):
            out.append(f"a derivation-check table has failed checks: {c}")
    for e in state["errors"]:
        out.append(f"error output: {e}")
    return out


def wait_for_idle_kernel(sessions, notebook, timeout):
    """Polls sessions() (a Jupyter server's /api/sessions) until it lists a
    session for notebook whose kernel answered (execution state idle);
    raises AssertionError after timeout seconds."""
    deadline = time.time() + timeout
    listed = []
    while time.time() < deadline:
        listed = sessions()
        for sess in listed:
            if sess.get("path", "").endswith(notebook) and (sess.get("kernel") or {}).get("execution_state") == "idle":
                time.sleep(1)  # let the page attach to it
                return
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel for {notebook} after {timeout} s; sessions: {listed}")


def settle(state_fn, timeout, poll=1.0, still=3):
    """Polls state_fn until no cell is queued or running ("[*]") for `still`
    polls in a row, and returns the last state; raises TimeoutError after
    timeout seconds."""
    deadline = time.time() + timeout
    calm = 0
    state = state_fn()
    while time.time() < deadline:
        state = state_fn()
        running = any("*" in p for p in state["prompts"])
        done = state["prompts"] and all(re.fullmatch(r"\[\d+\]:?", p) for p in state["prompts"])
        calm = 0 if running else calm + 1
        if done and calm >= 2 or calm >= still:
            return state
        time.sleep(poll)
    raise TimeoutError(f"cells still running after {timeout} s: {state['prompts']}")


def digest(paths):
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


class Lab:
    """JupyterLab started by docker/lab.sh in its own process group, with a
    settings folder of its own: every cell attached to the page (windowing
    off), and no autosave, so that running the notebooks leaves the files
    alone."""

    def __init__(self, tmp):
        self.tmp = tmp
        settings = os.path.join(tmp, "settings")
        for plugin, values in {
            "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
            "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        }.items():
            path = os.path.join(settings, plugin + ".jupyterlab-settings")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(values, f)
        env = dict(
            os.environ,
            LAB_PORT=os.environ.get("E2E_PORT", "8890"),
            COURSE_QUICK="1",
            NB_CACHE_DIR=os.path.join(tmp, "cache"),
            JUPYTERLAB_SETTINGS_DIR=settings,
            JUPYTERLAB_WORKSPACES_DIR=os.path.join(tmp, "workspaces"),
        )
        env.pop("LAB_HOST", None)
        self.log_path = os.path.join(SHOTS, "lab.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            ["bash", LAB], env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.port, self.token = self.wait_for_url()
        self.wait_until_serving()

    def wait_for_url(self, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path) as f:
                m = URL_RE.search(f.read())
            if m:
                return int(m.group(1)), m.group(2)
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        with open(self.log_path) as f:
            raise RuntimeError(f"lab.sh printed no URL (log {self.log_path}):\n{f.read()[-3000:]}")

    def wait_until_serving(self, timeout=90):
        """lab.sh prints the URL before JupyterLab listens: ask its API until it answers."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/status?token={self.token}", timeout=5):
                    return
            except OSError as e:
                last = e
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab does not answer on port {self.port}: {last} (log {self.log_path})")

    def wait_for_kernel(self, notebook, timeout=120):
        """Waits until the server has a session for notebook whose kernel
        answered, as the page asked it to start one (wait_for_idle_kernel)."""

        def sessions():
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/sessions?token={self.token}", timeout=10) as r:
                return json.load(r)

        wait_for_idle_kernel(sessions, notebook, timeout)

    def url(self, notebook):
        """The notebook alone in a fresh workspace of its own (no tabs left
        over from the notebook opened before)."""
        workspace = "e2e-" + os.path.splitext(notebook)[0].lower()
        return f"http://127.0.0.1:{self.port}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class ProblemsTest(unittest.TestCase):
    """The assertions of the browser test must be able to fail."""

    GOOD = {"prompts": ["[1]:", "[2]:"], "images": 2, "checks": ["passed=7 failed=0 expected=3"], "errors": []}

    def test_good_state_passes(self):
        self.assertEqual(problems(self.GOOD), [])

    def test_each_missing_thing_fails(self):
        cases = {
            "without an execution count": dict(self.GOOD, prompts=["[1]:", "[ ]:"]),
            "no plot image": dict(self.GOOD, images=0),
            "no derivation-check table": dict(self.GOOD, checks=[]),
            "has failed checks": dict(self.GOOD, checks=["passed=6 failed=1 expected=0"]),
            "error output: panic": dict(self.GOOD, errors=["panic: deliberate"]),
        }
        for want, state in cases.items():
            with self.subTest(want):
                got = problems(state)
                self.assertTrue(any(want in p for p in got), got)


class CollectTest(unittest.TestCase):
    """COLLECT_JS reads JupyterLab's markup (no server needed)."""

    PAGE = """<div class="jp-NotebookPanel"><div class="jp-Notebook">
      <div class="jp-CodeCell"><div class="jp-InputArea-prompt">[1]:</div>
        <div class="jp-OutputArea-output"><table data-nb-checks="passed=3 failed=0 expected=0"></table></div></div>
      <div class="jp-CodeCell"><div class="jp-InputArea-prompt">[ ]:</div>
        <div class="jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr">panic: deliberate failure</div></div>
    </div></div>"""

    def test_collect_and_fail(self):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = browser.launch(p)
            try:
                page = b.new_page()
                page.set_content(self.PAGE)
                state = page.evaluate(COLLECT_JS)
            finally:
                b.close()
        self.assertEqual(state["prompts"], ["[1]:", "[ ]:"])
        self.assertEqual(state["images"], 0)
        self.assertEqual(state["checks"], ["passed=3 failed=0 expected=0"])
        got = "\n".join(problems(state))
        for want in ("without an execution count: [2]", "no plot image", "error output: panic: deliberate failure"):
            self.assertIn(want, got)


class JupyterLabTest(unittest.TestCase):
    NOTEBOOKS = ("00_Introduction.ipynb", "03_Backpropagation.ipynb")

    @classmethod
    def setUpClass(cls):
        from playwright.sync_api import sync_playwright

        os.makedirs(SHOTS, exist_ok=True)
        cls.files = [os.path.join(ROOT, "notebooks", n) for n in cls.NOTEBOOKS]
        cls.before = digest(cls.files)
        cls.tmp = tempfile.mkdtemp(prefix="e2e-")
        cls.lab = None
        cls.pw = cls.browser = None
        try:
            cls.lab = Lab(cls.tmp)
            cls.pw = sync_playwright().start()
            cls.browser = browser.launch(cls.pw)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.browser:
                cls.browser.close()
            if cls.pw:
                cls.pw.stop()
        finally:
            if cls.lab:
                cls.lab.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_all(self, notebook):
        """Opens notebook in a fresh page, runs all cells from the menu and
        returns the settled state; screenshots go to build/e2e/."""
        name = os.path.splitext(notebook)[0]
        context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            start = time.time()
            page.goto(self.lab.url(notebook), timeout=120_000)
            page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").first.wait_for(timeout=120_000)
            self.choose_kernel_if_asked(page)
            self.start_run_all(page, notebook)
            state = settle(lambda: page.evaluate(COLLECT_JS), NOTEBOOK_TIMEOUT)
            seconds = time.time() - start
            page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))
            if state["images"]:
                page.locator(".jp-OutputArea-output img").first.screenshot(path=os.path.join(SHOTS, f"{name}-plot.png"))
            if state["checks"]:
                page.locator("[data-nb-checks]").first.screenshot(path=os.path.join(SHOTS, f"{name}-checks.png"))
            print(
                f"e2e: {notebook}: {len(state['prompts'])} code cells run in {seconds:.0f} s, "
                f"{state['images']} images, {len(state['checks'])} check tables, {len(state['errors'])} errors",
                file=sys.stderr,
                flush=True,
            )
            return state
        except BaseException:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-failure.png"))
            raise
        finally:
            context.close()

    STARTED_JS = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')].some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""

    def start_run_all(self, page, notebook):
        """Run → Run All Cells, once the notebook's kernel is up. If
        JupyterLab asks for a kernel (it does when the click comes before the
        kernel is attached to the page), Go (gonb) is chosen, as a person
        would; a click that started nothing is repeated."""
        self.lab.wait_for_kernel(notebook)
        for attempt in range(4):
            self.choose_kernel_if_asked(page)
            try:
                page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click(timeout=10_000)
                page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click(timeout=10_000)
                page.wait_for_function(f"() => ({self.STARTED_JS})() || document.querySelector('.jp-Dialog') !== null", timeout=20_000)
                if self.choose_kernel_if_asked(page):
                    page.wait_for_function(self.STARTED_JS, timeout=60_000)
                return
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        raise AssertionError("Run → Run All Cells did not start any cell")

    @staticmethod
    def choose_kernel_if_asked(page):
        """Accepts JupyterLab's kernel dialog (Go (gonb) is preselected) if it is open."""
        dialog = page.locator(".jp-Dialog")
        if dialog.count() and dialog.first.is_visible():
            page.locator(".jp-Dialog .jp-mod-accept").first.click()
            dialog.first.wait_for(state="detached", timeout=10_000)
            return True
        return False

    def check_notebook(self, notebook):
        state = self.run_all(notebook)
        self.assertEqual(problems(state), [], f"{notebook} in JupyterLab (screenshots in {SHOTS})")

    def test_00_introduction(self):
        self.check_notebook("00_Introduction.ipynb")

    def test_03_backpropagation(self):
        self.check_notebook("03_Backpropagation.ipynb")

    def test_zz_notebooks_unchanged(self):
        """Running them through the UI did not save outputs into the repository."""
        self.assertEqual(digest(self.files), self.before, "JupyterLab wrote to the notebooks: run `git diff notebooks/`")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    failed = len(result.failures) + len(result.errors)
    print(f"browser: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
