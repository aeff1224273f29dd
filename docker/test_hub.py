"""Hub test (make test-hub): the course served to a class by JupyterHub.

Runs as root (students are real Unix users). It starts the hub with
docker/hub.sh on a free port of 127.0.0.1, under a test-only authenticator
(JupyterHub's SharedPasswordAuthenticator, configured only here) and in quick
mode (COURSE_QUICK=1 in the students' environment), with the shared folder
laid out by docker/hub_install.sh (the script docker/Dockerfile runs). Then:

1. creates 5 students (Unix users with homes in a temporary folder) and a
   sixth whose home is missing;
2. logs each student in through the hub's login form, and spawns the five
   servers at once (and the sixth, whose failure must show its reason while
   the others start);
3. runs 00_Introduction in every student's server: for students 2–5
   through the hub's proxy with the Jupyter server's REST API (sessions,
   contents) and the kernel's websocket, for student 1 in headless Chromium,
   logged in through the hub's page (one run per notebook path: two sessions
   on one path would share a kernel);
4. runs 03_Backpropagation (quick) for student 1, who trains MNIST; the
   test copies the trained model into the class's shared cache, as the
   teacher's `make hub-models` would, and runs 03_Backpropagation for
   students 2 and 3, who must load it (no training: nothing new in their own
   cache, and the notebook says so), timing the training cell for the
   report;
5. checks isolation: each student's files are in their own home, owned by
   them and closed to the others, and survive a restart of their server; a student's token and cookies are refused
   on another's server; requests without login are refused; no student can
   write the shared model cache;
6. checks the per-student memory limit (a cgroup holding the server), and
   that a cell allocating past it is killed while that student's kernel and
   another student's cell carry on;
7. stops the hub and checks that no process of the hub, its proxy or any
   student is left.

Every notebook must pass as in make test-notebooks (nb/harness/run_notebooks.py
checks its outputs: errors, stderr, images of plot cells, derivation-check
tables), except the graded exercises' test cells: the students' notebooks are
nbgrader's release, so each test cell must fail with the stub's "not
implemented" (a solution in a student's copy would be a leak), and in
Chromium, whose Run All stops at the first error, the run must reach the
first one. Output: timings per student, and unittest's summary line.
"""

import asyncio
import hashlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

import nbformat
import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

sys.dont_write_bytecode = True  # leave no __pycache__ in the checkout
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "nb", "harness"))
sys.path.insert(0, HERE)

import grader  # noqa: E402  (nb/harness/grader.py)
import run_notebooks  # noqa: E402  (nb/harness/run_notebooks.py)

# The standard-error outputs of each code cell of the page's notebook, in order.
STDERR_PER_CELL_JS = """() => [...(document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document)
  .querySelectorAll('.jp-Notebook .jp-CodeCell')].map(c => [...c.querySelectorAll(
  '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output [data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.textContent.trim().slice(0, 400)))"""

# The shared folder of docker/hub_install.sh, kept between runs (its stamps
# make a second run fast): under /tmp, which every student can enter
# whatever the permissions of the folder holding this checkout.
PREFIX = os.environ.get("HUB_TEST_PREFIX") or os.path.join(
    "/tmp", "redes-neuronales-hub-test-" + hashlib.sha256(ROOT.encode()).hexdigest()[:10]
)
STUDENTS = [f"rnstud{i}" for i in range(1, 6)]
BROKEN = "rnbroken"
PASSWORD = "course-test-" + uuid.uuid4().hex[:8]
CELL_TIMEOUT = int(os.environ.get("HUB_CELL_TIMEOUT", "300"))
MEM_LIMIT = "2G"
TRAIN_03 = STUDENTS[:1]  # train MNIST (quick), then fill the shared cache
LOAD_03 = STUDENTS[1:3]  # load it from the shared cache


def log(msg):
    print(f"hub-test: {msg}", file=sys.stderr, flush=True)


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def student_processes(uids):
    """PIDs of processes run by any of uids."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("Uid:"):
                        if int(line.split()[1]) in uids:
                            found.append(int(pid))
                        break
        except OSError:
            pass
    return found


def children(ppid):
    """{pid: command line} of the processes whose parent is ppid."""
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) != ppid:
                    continue
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                found[int(pid)] = f.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            pass
    return found


def alive(pids):
    return [p for p in pids if os.path.exists(f"/proc/{p}")]


class Hub:
    """The hub under test, started with docker/hub.sh."""

    def __init__(self, tmp, users=None, **env_extra):
        users = users or STUDENTS + [BROKEN]
        self.tmp = tmp
        self.state = os.path.join(tmp, "state")
        os.makedirs(self.state, mode=0o700)
        config = os.path.join(tmp, "jupyterhub_test_config.py")
        with open(config, "w") as f:
            f.write(
                f"load_subconfig({os.path.join(HERE, 'jupyterhub_config.py')!r})\n"
                "# Test only: one shared password for the test's students.\n"
                "c.JupyterHub.authenticator_class = 'shared-password'\n"
                f"c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}\n"
                f"c.Authenticator.allowed_users = {set(users)!r}\n"
                "c.Authenticator.allow_all = False\n"
                # The test's admin token, to look at servers as the teacher would.
                f"c.JupyterHub.services.append({{'name': 'test-admin', 'api_token': {self.admin_token()!r}}})\n"
                "c.JupyterHub.load_roles.append({'name': 'test-admin', 'scopes': ['admin:users', 'admin:servers', 'read:users'], 'services': ['test-admin']})\n"
            )
        env = dict(
            os.environ,
            HUB_PREFIX=PREFIX,
            HUB_STATE=self.state,
            HUB_CONFIG=config,
            HUB_PORT=os.environ.get("HUB_TEST_PORT", "8300"),
            HUB_API_PORT="8301",
            HUB_HUB_PORT="8302",
            HUB_MEM_LIMIT=MEM_LIMIT,
            COURSE_QUICK="1",
        )
        env.update(env_extra)
        self.log_path = os.path.join(tmp, "hub.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            ["bash", os.path.join(HERE, "hub.sh")], stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self.url = self.wait_for_url()

    _token = None

    @classmethod
    def admin_token(cls):
        if cls._token is None:
            cls._token = uuid.uuid4().hex
        return cls._token

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_for_url(self, timeout=600):
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(r"JupyterHub is now running at (http://127\.0\.0\.1:\d+)/", self.text())
            if m:
                return m.group(1)
            if self.proc.poll() is not None:
                raise AssertionError(f"the hub exited with {self.proc.returncode}:\n{self.text()[-4000:]}")
            time.sleep(0.5)
        raise AssertionError(f"the hub did not start in {timeout} s:\n{self.text()[-4000:]}")

    def api(self, method, path, **kw):
        return requests.request(method, self.url + "/hub/api" + path, headers={"Authorization": "token " + self.admin_token()}, timeout=60, **kw)

    def stop(self, timeout=120):
        """SIGTERM to the hub (hub.sh execs it), as Ctrl+C would."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        # Kept for a failure's post-mortem: the single-user servers and their
        # kernels log here too.
        os.makedirs(os.path.join(ROOT, "build", "hub-test"), exist_ok=True)
        shutil.copy(self.log_path, os.path.join(ROOT, "build", "hub-test", "hub.log"))
        return self.proc.returncode


class Student:
    """A student's browser-less session: the hub's cookies, then an API token."""

    def __init__(self, hub, name):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.token = None
        self.home = pwd.getpwnam(name).pw_dir

    def login(self):
        r = self.session.get(self.hub.url + "/hub/login", timeout=60)
        r.raise_for_status()
        xsrf = self.session.cookies.get("_xsrf")
        r = self.session.post(
            self.hub.url + "/hub/login?next=", data={"username": self.name, "password": PASSWORD, "_xsrf": xsrf}, allow_redirects=False, timeout=60
        )
        if r.status_code != 302:
            raise AssertionError(f"{self.name}: login answered {r.status_code}: {r.text[:300]}")
        return r

    def hub_api(self, method, path, **kw):
        headers = {"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/") or self.session.cookies.get("_xsrf") or ""}
        return self.session.request(method, self.hub.url + "/hub/api" + path, headers=headers, timeout=120, **kw)

    def get_token(self):
        r = self.hub_api("POST", f"/users/{self.name}/tokens", json={"note": "hub test", "expires_in": 3600})
        if r.status_code != 201:
            raise AssertionError(f"{self.name}: token request answered {r.status_code}: {r.text[:300]}")
        self.token = r.json()["token"]

    def spawn(self):
        return self.hub_api("POST", f"/users/{self.name}/server")

    def wait_ready(self, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = self.hub.api("GET", f"/users/{self.name}")
            server = r.json().get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not server:
                raise AssertionError(f"{self.name}'s server stopped while starting:\n{self.hub.text()[-3000:]}")
            time.sleep(1)
        raise AssertionError(f"{self.name}'s server did not start in {timeout} s")

    def server(self, method, path, token=None, **kw):
        """A request to the student's server through the hub's proxy."""
        return requests.request(
            method, f"{self.hub.url}/user/{self.name}/api{path}", headers={"Authorization": "token " + (token or self.token)}, timeout=120, **kw
        )

    async def run_notebook(self, notebook):
        """Opens a session on notebook (the student's own copy, through the
        contents API), runs every code cell through the kernel's websocket
        and checks the outputs like make test-notebooks. Returns the
        harness's Result and the seconds per cell."""
        r = self.server("GET", f"/contents/{notebook}", params={"content": "1"})
        r.raise_for_status()
        nb = nbformat.from_dict(r.json()["content"])
        result = run_notebooks.Result(path=notebook, cells=len(nb.cells), notebook=nb)
        r = self.server("POST", "/sessions", json={"path": notebook, "type": "notebook", "name": notebook, "kernel": {"name": "gonb"}})
        r.raise_for_status()
        session = r.json()
        kernel = session["kernel"]["id"]
        ws_url = self.hub.url.replace("http://", "ws://") + f"/user/{self.name}/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": "token " + self.token}), max_message_size=1 << 30)
        seconds = {}
        start = time.time()
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.time()
                ok = await self.execute(ws, cell)
                seconds[index] = time.time() - t0
                if ok is None:
                    result.errors.append(f"{run_notebooks.cell_label(nb, index)} timed out after {CELL_TIMEOUT} s")
                    break
                if grader.is_test_cell(cell):
                    # The release: the stub panics, so the test fails.
                    if ok or "not implemented" not in json.dumps(cell.outputs):
                        result.errors.append(f"{run_notebooks.cell_label(nb, index)}: a graded test cell of the student's copy "
                                             "did not fail with the stub's \"not implemented\" (is it the release?)")
                        break
                    continue
                run_notebooks.check_outputs(nb, index, result)
                if not ok and result.ok:
                    result.errors.append(f"{run_notebooks.cell_label(nb, index)} failed")
                if not result.ok:
                    break
        finally:
            result.seconds = time.time() - start
            ws.close()
            self.server("DELETE", f"/sessions/{session['id']}")
        return result, seconds

    async def run_cells(self, cells):
        """Runs cells (nbformat) one after the other in a new kernel of the
        student's server, not tied to a notebook; returns what execute
        returns for each. The kernel is shut down afterwards."""
        r = self.server("POST", "/kernels", json={"name": "gonb"})
        r.raise_for_status()
        kernel = r.json()["id"]
        url = self.hub.url.replace("http://", "ws://") + f"/user/{self.name}/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": "token " + self.token}), max_message_size=1 << 30)
        try:
            return [await self.execute(ws, c) for c in cells]
        finally:
            ws.close()
            self.server("DELETE", f"/kernels/{kernel}")

    @staticmethod
    async def execute(ws, cell):
        """Runs one cell; its outputs go into cell.outputs (nbformat).
        Returns True for status ok, False for an error, None on timeout."""
        msg_id = uuid.uuid4().hex
        await ws.write_message(
            json.dumps(
                {
                    "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex, "version": "5.3"},
                    "parent_header": {},
                    "metadata": {},
                    "content": {"code": cell.source, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False},
                    "channel": "shell",
                }
            )
        )
        cell.outputs = []
        status, idle = None, False
        deadline = time.time() + CELL_TIMEOUT
        while status is None or not idle:
            left = deadline - time.time()
            if left <= 0:
                return None
            try:
                raw = await asyncio.wait_for(ws.read_message(), left)
            except asyncio.TimeoutError:
                return None
            if raw is None:
                raise AssertionError("the kernel's websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if msg["channel"] == "shell" and kind == "execute_reply":
                status = content["status"]
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "stream":
                cell.outputs.append(nbformat.v4.new_output("stream", name=content["name"], text=content["text"]))
            elif kind in ("display_data", "update_display_data", "execute_result"):
                cell.outputs.append(nbformat.v4.new_output("display_data", data=content.get("data", {}), metadata=content.get("metadata", {})))
            elif kind == "error":
                cell.outputs.append(nbformat.v4.new_output("error", ename=content["ename"], evalue=content["evalue"], traceback=content["traceback"]))
        return status == "ok"


def run_many(jobs):
    """Runs (student, notebook) jobs at once in one event loop; returns
    {(name, notebook): (Result, seconds)}."""

    async def main():
        outs = await asyncio.gather(*(s.run_notebook(n) for s, n in jobs), return_exceptions=True)
        return {(s.name, n): o for (s, n), o in zip(jobs, outs)}

    return asyncio.run(main())


class HubTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("the hub test creates Unix users: run it as root")
        cls.tmp = tempfile.mkdtemp(prefix="hub-test-", dir="/tmp")  # students must reach their homes
        os.chmod(cls.tmp, 0o755)
        cls.homes = os.path.join(cls.tmp, "homes")
        os.makedirs(cls.homes, mode=0o755)
        cls.hub = None
        cls.busy = None
        cls.created = []
        try:
            cls.make_users()
            shutil.rmtree(os.path.join(PREFIX, "models"), ignore_errors=True)
            # A busy port: the hub must move to the next free one and say so.
            cls.busy = socket.socket()
            cls.busy.bind(("127.0.0.1", 0))
            cls.busy.listen()
            t0 = time.time()
            cls.hub = Hub(cls.tmp, HUB_PORT=str(cls.busy.getsockname()[1]))
            log(f"hub at {cls.hub.url} ({time.time() - t0:.0f} s, including docker/hub_install.sh)")
            cls.students = {n: Student(cls.hub, n) for n in STUDENTS}
            cls.broken = Student(cls.hub, BROKEN)
            cls.start_servers()
        except BaseException:
            cls.cleanup()
            raise

    @classmethod
    def make_users(cls):
        for name in STUDENTS + [BROKEN]:
            if subprocess.run(["id", name], capture_output=True).returncode == 0:
                sh("userdel", "-r", "-f", name, check=False)
            if name == BROKEN:
                sh("useradd", "-M", "-d", os.path.join(cls.homes, "nowhere", name), "-s", "/bin/bash", name)
            else:
                sh("useradd", "-m", "-b", cls.homes, "-s", "/bin/bash", name)
            cls.created.append(name)
        cls.uids = {pwd.getpwnam(n).pw_uid for n in cls.created}

    @classmethod
    def start_servers(cls):
        """Logs everyone in, then spawns the five servers and the broken one
        at once, and waits for the five."""
        for s in list(cls.students.values()) + [cls.broken]:
            s.login()
            s.get_token()
        t0 = time.time()
        cls.spawn_answers = {}

        def spawn(s):
            cls.spawn_answers[s.name] = s.spawn()

        threads = [threading.Thread(target=spawn, args=(s,)) for s in list(cls.students.values()) + [cls.broken]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cls.spawn_seconds = {}
        for s in cls.students.values():
            s.wait_ready()
            cls.spawn_seconds[s.name] = time.time() - t0
        cls.hub_children = children(cls.hub.proc.pid)
        log("servers ready after " + ", ".join(f"{n} {v:.0f} s" for n, v in cls.spawn_seconds.items()))

    @classmethod
    def cleanup(cls):
        if cls.hub:
            cls.hub.stop()
        if cls.busy:
            cls.busy.close()
        for name in cls.created:
            sh("pkill", "-KILL", "-u", name, check=False)
            sh("userdel", "-r", "-f", name, check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def tearDownClass(cls):
        cls.cleanup()

    # --- the tests, in order ---------------------------------------------------

    def test_0_a_busy_port_moves_to_the_next_free_one(self):
        busy = self.busy.getsockname()[1]
        port = int(self.hub.url.rsplit(":", 1)[1])
        self.assertNotEqual(port, busy)
        self.assertIn(f"port {busy} for the hub (HUB_PORT) is already in use; using port {port} instead", self.hub.text())

    def test_1_failed_spawn_shows_its_reason(self):
        answer = self.spawn_answers[BROKEN]
        page = self.broken.session.get(self.hub.url + f"/hub/spawn-pending/{BROKEN}", timeout=60).text
        shown = answer.text + page
        self.assertIn("does not exist", shown, f"the broken student's spawn: {answer.status_code} {answer.text[:300]}")
        self.assertIn("useradd -m", shown)
        server = self.hub.api("GET", f"/users/{BROKEN}").json()["servers"].get("")
        self.assertFalse(server and server.get("ready"), "the broken student's server counts as running")

    def test_2_notebooks_run_in_every_server(self):
        # The first student runs 00_Introduction in Chromium only: a second,
        # REST-made session on the same notebook would share its path, and
        # JupyterLab would attach the browser to that kernel (or ask for a
        # kernel again when the REST run deletes it), so the two runs would
        # interleave their cells.
        # The second student runs the Spanish edition's (notebooks/es/, the
        # release too, its figures in Spanish).
        jobs = [(s, ("es/" if s.name == STUDENTS[1] else "") + "00_Introduction.ipynb") for s in self.students.values() if s.name != STUDENTS[0]]
        jobs += [(self.students[n], "03_Backpropagation.ipynb") for n in TRAIN_03]
        t0 = time.time()
        chromium = {}
        browser_thread = threading.Thread(target=self.chromium_run, args=(self.students[STUDENTS[0]], chromium))
        browser_thread.start()
        results = run_many(jobs)
        browser_thread.join()
        log(f"phase 1 ({len(jobs)} notebooks at once, and Chromium): {time.time() - t0:.0f} s")
        for (name, notebook), out in sorted(results.items()):
            with self.subTest(student=name, notebook=notebook):
                self.assertNotIsInstance(out, BaseException, f"{name} {notebook}: {out!r}")
                r, _ = out
                log(f"{name}: {run_notebooks.summary_line(r)}")
                self.assertEqual(r.errors, [], f"{name}: {notebook}")
                self.assertGreater(r.checks_passed, 0, f"{name}: {notebook} showed no passed derivation checks")
        with self.subTest("chromium"):
            self.assertNotIn("exception", chromium, chromium.get("exception"))
            self.assertEqual(chromium.get("problems"), [], "00_Introduction in Chromium through the hub")
        type(self).trained = results.get((TRAIN_03[0], "03_Backpropagation.ipynb"))

    def chromium_run(self, student, out):
        """Logs student in on the hub's page in headless Chromium, opens their
        00_Introduction in JupyterLab and runs all cells from the menu."""
        try:
            import browser  # nb/harness/browser.py
            from playwright.sync_api import sync_playwright
            from test_e2e import COLLECT_JS, JupyterLabTest, problems, settle, wait_for_idle_kernel

            shots = os.path.join(ROOT, "build", "hub-test")
            os.makedirs(shots, exist_ok=True)
            with sync_playwright() as pw:
                b = browser.launch(pw)
                page = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                try:
                    page.goto(self.hub.url + "/hub/login", timeout=120_000)
                    page.fill("#username_input", student.name)
                    page.fill("#password_input", PASSWORD)
                    page.click("#login_submit")
                    page.wait_for_url(re.compile(r".*/(hub/home|hub/spawn|user/).*"), timeout=120_000)
                    # As test_e2e does (and a student would): the page starts
                    # the notebook's kernel itself; Run All waits until the
                    # server reports that kernel idle. (A session made through
                    # the REST API before the page opened led JupyterLab to
                    # ask for a kernel again, and each answer started another.)
                    page.goto(f"{self.hub.url}/user/{student.name}/lab/tree/00_Introduction.ipynb", timeout=180_000)
                    page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").first.wait_for(timeout=180_000)
                    wait_for_idle_kernel(lambda: student.server("GET", "/sessions").json(), "00_Introduction.ipynb", 300)
                    started = False
                    for _ in range(4):
                        try:
                            JupyterLabTest.choose_kernel_if_asked(page)
                            page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click(timeout=10_000)
                            page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click(timeout=10_000)
                            page.wait_for_function(f"() => ({JupyterLabTest.STARTED_JS})() || document.querySelector('.jp-Dialog') !== null", timeout=30_000)
                            if JupyterLabTest.choose_kernel_if_asked(page):
                                page.wait_for_function(JupyterLabTest.STARTED_JS, timeout=60_000)
                            started = True
                            break
                        except Exception as e:
                            log(f"{student.name}: Run All Cells started nothing ({type(e).__name__}); trying again")
                            page.screenshot(path=os.path.join(shots, "00_Introduction-chromium-retry.png"))
                            page.keyboard.press("Escape")
                    if not started:
                        raise AssertionError("Run → Run All Cells did not start any cell")
                    state = settle(lambda: page.evaluate(COLLECT_JS), 900)
                    # The student's copy is the release: Run All stops at the
                    # first graded test cell, which the stub makes fail.
                    r = student.server("GET", "/contents/00_Introduction.ipynb", params={"content": "1"})
                    r.raise_for_status()
                    code = [c for c in nbformat.from_dict(r.json()["content"]).cells if c.cell_type == "code"]
                    first_test = next(k for k, c in enumerate(code, 1) if grader.is_test_cell(c))
                    per_cell = page.evaluate(STDERR_PER_CELL_JS)
                    stub = " ".join(per_cell[first_test - 1]) if len(per_cell) >= first_test else ""
                    state = dict(state, prompts=state["prompts"][:first_test], errors=[e for errs in per_cell[: first_test - 1] for e in errs])
                    out["problems"] = problems(state) + ([] if "not implemented" in stub else [f"code cell {first_test}, the first graded test, did not fail with the stub's \"not implemented\" (its stderr: {stub[:200]!r})"])
                    if out["problems"]:
                        first = page.evaluate(
                            "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].slice(0, 2).map(c => c.querySelector('.jp-OutputArea') ? c.querySelector('.jp-OutputArea').textContent : '')"
                        )
                        log(f"{student.name}: outputs of the first two code cells in Chromium: {first!r}")
                    log(f"{student.name}: 00_Introduction in Chromium: {len(state['prompts'])} code cells, {state['images']} images, {len(state['checks'])} check tables")
                finally:
                    page.screenshot(path=os.path.join(shots, "00_Introduction-chromium.png"))
                    b.close()
        except BaseException as e:  # reported by the test
            out["exception"] = f"{type(e).__name__}: {e}"

    def test_3_shared_model_cache_is_loaded_not_retrained(self):
        self.assertIsNotNone(getattr(self, "trained", None), "03_Backpropagation did not run for the training student")
        trainer = self.students[TRAIN_03[0]]
        own = os.path.join(trainer.home, ".cache", "redes-neuronales-course")
        models = sorted(f for f in os.listdir(own) if f.endswith(".params"))
        self.assertTrue(models, f"{trainer.name}'s training left no model in {own}")
        st = os.stat(os.path.join(own, models[0]))
        self.assertEqual(st.st_uid, pwd.getpwnam(trainer.name).pw_uid, "the trained model is not the student's own")
        # The teacher's step (make hub-models does it with a full export).
        shared = os.path.join(PREFIX, "models")
        for f in os.listdir(own):
            if f.endswith((".params", ".history")):
                shutil.copy(os.path.join(own, f), shared)
                os.chmod(os.path.join(shared, f), 0o644)
        # No student can write there, not even next to the models.
        for name in STUDENTS:
            r = subprocess.run(["runuser", "-u", name, "--", "touch", os.path.join(shared, "x")], capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0, f"{name} could write to the shared model cache")
            r = subprocess.run(["runuser", "-u", name, "--", "sh", "-c", f"echo x >> {shared}/{models[0]}"], capture_output=True)
            self.assertNotEqual(r.returncode, 0, f"{name} could change a shared model")

        results = run_many([(self.students[n], "03_Backpropagation.ipynb") for n in LOAD_03])
        train_result, train_seconds = self.trained
        train_cell = max(train_seconds, key=train_seconds.get)  # the training cell
        for name in LOAD_03:
            with self.subTest(student=name):
                out = results[(name, "03_Backpropagation.ipynb")]
                self.assertNotIsInstance(out, BaseException, repr(out))
                r, seconds = out
                log(f"{name}: {run_notebooks.summary_line(r)}")
                self.assertEqual(r.errors, [], name)
                text = json.dumps([c.get("outputs", []) for c in r.notebook.cells])
                self.assertIn("from the class's shared cache", text, f"{name} did not load the shared model")
                mine = os.path.join(self.students[name].home, ".cache", "redes-neuronales-course")
                new = [f for f in (os.listdir(mine) if os.path.isdir(mine) else []) if f in models]
                self.assertEqual(new, [], f"{name} trained the shared model again into their own cache")
                log(
                    f"{name}: 03_Backpropagation's training cell {train_seconds[train_cell]:.1f} s when trained "
                    f"({TRAIN_03[0]}), {seconds.get(train_cell, float('nan')):.1f} s loaded from the shared cache"
                )

    def test_3b_a_cell_run_before_the_wiring_cell_finds_the_course(self):
        """A student's first cell imports the course before the wiring cell
        has run: the kernel starts in a Go workspace of the student's copy
        (docker/hub_install.sh), so the import resolves there instead of
        asking the module proxy ("403 Forbidden")."""
        student = self.students[STUDENTS[1]]
        cell = nbformat.v4.new_code_cell('import "github.com/redesneuronales/course/nb"\n\n%%\nfmt.Println("quick mode:", nb.Quick())')
        (ok,) = asyncio.run(student.run_cells([cell]))
        text = json.dumps(cell.outputs)
        self.assertTrue(ok, f"{student.name}'s cell before the wiring cell failed: {text[:600]}")
        self.assertIn("quick mode: ", text)
        self.assertNotIn("403", text)

    def test_4_students_files_are_their_own(self):
        for name, s in self.students.items():
            with self.subTest(student=name):
                path = f"hub-test-{name}.txt"
                r = s.server("PUT", f"/contents/{path}", json={"type": "file", "format": "text", "content": name})
                self.assertIn(r.status_code, (200, 201), r.text[:300])
                on_disk = os.path.join(s.home, "redes-neuronales", "notebooks", path)
                self.assertTrue(os.path.isfile(on_disk), f"{name}'s file is not in their home ({on_disk})")
                st = os.stat(on_disk)
                self.assertEqual(st.st_uid, pwd.getpwnam(name).pw_uid)
                self.assertEqual(os.stat(s.home).st_mode & 0o077, 0, f"{name}'s home is open to others")
                # The notebooks they ran are their own copies.
                self.assertEqual(os.stat(os.path.join(s.home, "redes-neuronales", "notebooks", "00_Introduction.ipynb")).st_uid, st.st_uid)
        a, b = self.students[STUDENTS[0]], self.students[STUDENTS[1]]
        # Edits survive a restart of the server: the course is copied once.
        nb = a.server("GET", "/contents/00_Introduction.ipynb").json()
        nb["content"]["cells"][0]["source"] += "\n\nEDITED BY THE STUDENT"
        r = a.server("PUT", "/contents/00_Introduction.ipynb", json={"type": "notebook", "format": "json", "content": nb["content"]})
        self.assertEqual(r.status_code, 200, r.text[:300])
        r = a.hub_api("DELETE", f"/users/{a.name}/server")
        self.assertIn(r.status_code, (202, 204), r.text[:300])
        deadline = time.time() + 120
        while self.hub.api("GET", f"/users/{a.name}").json()["servers"].get("") and time.time() < deadline:
            time.sleep(1)
        r = a.spawn()
        self.assertIn(r.status_code, (201, 202), r.text[:300])
        a.wait_ready()
        again = a.server("GET", "/contents/00_Introduction.ipynb").json()
        self.assertIn("EDITED BY THE STUDENT", "".join(again["content"]["cells"][0]["source"]), "the restart lost the student's edit")
        self.assertEqual(a.server("GET", f"/contents/hub-test-{a.name}.txt").status_code, 200, "the restart lost the student's file")
        r = subprocess.run(["runuser", "-u", b.name, "--", "cat", os.path.join(a.home, "redes-neuronales", "notebooks", f"hub-test-{a.name}.txt")], capture_output=True)
        self.assertNotEqual(r.returncode, 0, f"{b.name} can read {a.name}'s file on disk")

    def test_5_a_student_is_refused_another_students_server(self):
        a, b = self.students[STUDENTS[0]], self.students[STUDENTS[1]]
        for path in ("/contents", f"/contents/hub-test-{b.name}.txt", "/kernels", "/sessions"):
            with self.subTest(path=path):
                r = b.server("GET", path, token=a.token)  # a's token on b's server
                self.assertEqual(r.status_code, 403, f"{a.name}'s token on {b.name}'s {path}: {r.status_code}")
        r = a.session.get(f"{self.hub.url}/user/{b.name}/api/contents", timeout=60)  # a's cookies
        self.assertNotEqual(r.status_code, 200, f"{a.name}'s cookies opened {b.name}'s server")
        self.assertNotIn(f"hub-test-{b.name}", r.text)
        r = b.server("PUT", "/contents/intruder.txt", token=a.token, json={"type": "file", "format": "text", "content": "x"})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(os.path.exists(os.path.join(b.home, "redes-neuronales", "notebooks", "intruder.txt")))
        r = a.hub_api("POST", f"/users/{b.name}/tokens", json={"note": "steal"})
        self.assertEqual(r.status_code, 403, "a student could make a token for another")

    def test_6_requests_without_login_are_refused(self):
        name = STUDENTS[0]
        for url in (f"/user/{name}/api/contents", f"/user/{name}/api/kernels", "/hub/api/users", f"/user/{name}/lab"):
            with self.subTest(url=url):
                # Followed to the end: a refusal, or the hub's login page.
                r = requests.get(self.hub.url + url, timeout=60)
                refused = r.status_code == 403 or (r.status_code == 200 and "/hub/login" in r.url)
                self.assertTrue(refused, f"{url} without login ended at {r.url} with {r.status_code}")
                self.assertNotIn("00_Introduction.ipynb", r.text, url)
        r = requests.post(self.hub.url + "/hub/login", data={"username": name, "password": "wrong"}, allow_redirects=False, timeout=60)
        self.assertNotEqual(r.status_code, 302, "a wrong password logged in")
        r = requests.get(self.hub.url + f"/user/{name}/api/contents", headers={"Authorization": "token " + uuid.uuid4().hex}, allow_redirects=False, timeout=60)
        self.assertIn(r.status_code, (302, 403), "a made-up token was accepted")

    def test_7_each_server_has_its_memory_limit(self):
        for name in STUDENTS:
            with self.subTest(student=name):
                base = "/sys/fs/cgroup/memory/redes-neuronales/" + name
                limit_file = base + "/memory.limit_in_bytes"
                if not os.path.exists(limit_file):
                    base = "/sys/fs/cgroup/redes-neuronales/" + name
                    limit_file = base + "/memory.max"
                if not os.path.exists(limit_file):
                    self.skipTest("no writable memory cgroup on this machine")
                with open(limit_file) as f:
                    self.assertEqual(int(f.read()), 2 << 30)
                with open(base + "/cgroup.procs") as f:
                    pids = {int(p) for p in f.read().split()}
                self.assertTrue(pids, "no process in the student's cgroup")
                uid = pwd.getpwnam(name).pw_uid
                self.assertTrue(all(os.stat(f"/proc/{p}").st_uid == uid for p in pids if os.path.exists(f"/proc/{p}")))

    def test_8_exhausting_memory_costs_only_that_students_cell(self):
        """A cell that allocates past the student's limit is killed; their
        kernel answers the next cell, and another student's cell runs at the
        same time unharmed."""
        greedy, other = self.students[STUDENTS[4]], self.students[STUDENTS[3]]
        hog = nbformat.v4.new_code_cell(
            "%%\nvar kept [][]byte\nfor i := 0; i < 64; i++ {\n\tb := make([]byte, 64<<20)\n"
            "\tfor j := range b {\n\t\tb[j] = 1\n\t}\n\tkept = append(kept, b)\n}\nfmt.Println(\"allocated\", len(kept)*64, \"MiB\")"
        )
        after = nbformat.v4.new_code_cell('%%\nfmt.Println("kernel still here")')
        sum_cell = nbformat.v4.new_code_cell('%%\nfmt.Println("sum", 40+2)')

        async def both():
            return await asyncio.gather(greedy.run_cells([hog, after]), other.run_cells([sum_cell]))

        (hog_ok, after_ok), (sum_ok,) = asyncio.run(both())
        text = lambda cell: json.dumps(cell.outputs)  # noqa: E731
        log(f"{greedy.name}'s memory hog: {text(hog)[:300]}")
        self.assertFalse(hog_ok and "allocated 4096 MiB" in text(hog), f"{greedy.name} allocated 4 GiB past a {MEM_LIMIT} limit")
        self.assertNotIn("allocated 4096", text(hog))
        self.assertTrue(after_ok, f"{greedy.name}'s kernel did not answer after the hog: {text(after)}")
        self.assertIn("kernel still here", text(after))
        self.assertTrue(sum_ok, f"{other.name}'s cell failed: {text(sum_cell)}")
        self.assertIn("sum 42", text(sum_cell))
        ready = self.hub.api("GET", f"/users/{greedy.name}").json()["servers"][""]["ready"]
        self.assertTrue(ready, f"{greedy.name}'s server went down")

    def test_9_stopping_the_hub_stops_everything(self):
        code = self.hub.stop()
        self.assertEqual(code, 0, "the hub did not exit cleanly:\n" + self.hub.text()[-2000:])
        kinds = " ".join(self.hub_children.values())
        for kind in ("configurable-http-proxy", "jupyterhub_idle_culler", "jupyterhub-singleuser"):
            self.assertIn(kind, kinds, f"the hub did not start {kind}: nothing to check")
        deadline = time.time() + 30
        while time.time() < deadline and (student_processes(self.uids) or alive(self.hub_children)):
            time.sleep(1)
        left = {p: open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ")[:200] for p in student_processes(self.uids) if os.path.exists(f"/proc/{p}")}
        self.assertEqual(left, {}, "students' processes outlived the hub")
        left = {p: self.hub_children[p] for p in alive(self.hub_children)}
        self.assertEqual(left, {}, "the hub's proxy, services or servers outlived it")


if __name__ == "__main__":
    unittest.main(verbosity=2)
