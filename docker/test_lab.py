"""Tests of docker/lab.sh (make lab): JupyterLab starts on 127.0.0.1, serves
the course's GoNB kernel, and moves to another port, saying so, when the
requested one is busy; a notebook's kernel imports the course's packages
before its wiring cell has run; starting and restarting that kernel
leaves the terminal quiet (no GoNB self-test lines, no goroutine dumps).

Needs the set-up done (make setup); run by `make test`.
"""

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "lab.sh")
ROOT = os.path.dirname(HERE)
RUNTIME = os.path.join(ROOT, ".venv", "share", "jupyter", "runtime")


def load_filter():
    spec = importlib.util.spec_from_file_location("lab_log_filter", os.path.join(HERE, "lab_log_filter.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/(?:es/)?00_Introduction\.ipynb\?token=([0-9a-f]+)")


class LabTest(unittest.TestCase):
    def start_lab(self, port, **extra):
        env = dict(os.environ, LAB_PORT=str(port), **extra)
        env.pop("LAB_HOST", None)
        p = subprocess.Popen(
            ["bash", LAB],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, to stop it whole
        )
        self.addCleanup(self.stop, p)
        return p

    @staticmethod
    def stop(p):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()

    def read_until_url(self, p, timeout=60):
        lines = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = URL_RE.search(line)
            if m:
                return int(m.group(1)), m.group(2), "".join(lines)
        self.fail("lab.sh printed no URL:\n" + "".join(lines))

    def get_json(self, port, token, path, timeout=60, method="GET", body=None):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}?token={token}",
                    method=method,
                    data=None if body is None else json.dumps(body).encode(),
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(req, timeout=60) as r:
                    data = r.read()
                    return json.loads(data) if data else None
            except OSError as e:  # not listening yet
                last = e
                time.sleep(0.5)
        self.fail(f"JupyterLab did not answer on port {port}: {last}")

    def run_cell(self, kernel_id, code):
        """Runs code in the kernel (its connection file is in the runtime
        folder lab.sh sets) and returns its status and its output text."""
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient(connection_file=os.path.join(RUNTIME, f"kernel-{kernel_id}.json"))
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            texts = []

            def hook(msg):
                c = msg["content"]
                texts.append(c.get("text") or c.get("evalue") or "".join(c.get("traceback") or []))

            reply = kc.execute_interactive(code, timeout=180, output_hook=hook)
            return reply["content"]["status"], "".join(texts)
        finally:
            kc.stop_channels()

    def test_busy_port_moves_on_and_serves_gonb(self):
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        self.addCleanup(busy.close)
        port = busy.getsockname()[1]

        p = self.start_lab(port)
        got_port, token, text = self.read_until_url(p)
        self.assertNotEqual(got_port, port)
        self.assertIn(f"lab: port {port} on 127.0.0.1 is already in use; using port {got_port} instead.", text)

        specs = self.get_json(got_port, token, "/api/kernelspecs")
        self.assertIn("gonb", specs["kernelspecs"], specs)
        gonb = specs["kernelspecs"]["gonb"]["spec"]
        self.assertEqual(gonb["language"], "go")
        # The kernel runs this checkout's bin/gonb.
        self.assertTrue(gonb["argv"][0].endswith("/gonb"), gonb["argv"])

        tree = self.get_json(got_port, token, "/api/contents")
        names = {c["name"] for c in tree["content"]}
        self.assertIn("00_Introduction.ipynb", names)

        # A notebook's kernel: a cell run before the wiring cell finds the
        # course's packages (the kernelspec's -go_work, docker/setup.sh)
        # instead of asking the module proxy ("403 Forbidden").
        nb = "00_Introduction.ipynb"
        sess = self.get_json(got_port, token, "/api/sessions", method="POST",
                             body={"path": nb, "name": nb, "type": "notebook", "kernel": {"name": "gonb"}})
        kid = sess["kernel"]["id"]
        status, out = self.run_cell(kid, 'import "github.com/redesneuronales/course/nb"\n\n%%\nfmt.Println("quick mode:", nb.Quick())')
        self.assertEqual(status, "ok", out)
        self.assertIn("quick mode: ", out)
        self.assertNotIn("403", out)
        # A restart and a shutdown, then the terminal's whole text.
        self.get_json(got_port, token, f"/api/kernels/{kid}/restart", method="POST", body={})
        time.sleep(2)
        self.get_json(got_port, token, f"/api/sessions/{sess['id']}", method="DELETE")
        time.sleep(2)
        self.stop(p)
        text += p.stdout.read()
        p.stdout.close()
        self.assertIn("Kernel restarted", text)
        for noise in ("Info message", "Warning message", "Error message", "goroutine ", "killing gopls", "gopls failed with"):
            self.assertNotIn(noise, text)

    def test_the_spanish_edition_opens_in_spanish(self):
        p = self.start_lab(8890, COURSE_LANG="es")
        port, token, text = self.read_until_url(p)
        self.assertIn(f":{port}/lab/tree/es/00_Introduction.ipynb?token=", text)
        # JupyterLab's own language: the Spanish pack is installed and is
        # the default of Settings > Language.
        packs = self.get_json(port, token, "/lab/api/translations/")
        self.assertIn("es_ES", packs["data"])
        plugin = self.get_json(port, token, "/lab/api/settings/@jupyterlab/translation-extension:plugin")
        self.assertEqual(plugin["schema"]["properties"]["locale"]["default"], "es_ES")
        spanish = self.get_json(port, token, "/lab/api/translations/es_ES")
        self.assertEqual(spanish["data"]["jupyterlab"]["Run"], ["Ejecutar"])
        # The edition's notebooks are served; the kernels do not inherit
        # COURSE_LANG (the edition's wiring cell sets it).
        names = {c["name"] for c in self.get_json(port, token, "/api/contents/es")["content"]}
        self.assertIn("03_Backpropagation.ipynb", names)
        nb = "es/00_Introduction.ipynb"
        sess = self.get_json(port, token, "/api/sessions", method="POST",
                             body={"path": nb, "name": nb, "type": "notebook", "kernel": {"name": "gonb"}})
        status, out = self.run_cell(sess["kernel"]["id"], '%%\nfmt.Printf("lang=%q\\n", os.Getenv("COURSE_LANG"))')
        self.assertEqual(status, "ok", out)
        self.assertIn('lang=""', out)

    def test_an_unknown_edition_is_named(self):
        p = subprocess.run(["bash", LAB], env=dict(os.environ, COURSE_LANG="fr"),
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("COURSE_LANG=fr: the course has an English edition (en, the default) and a Spanish one (es).",
                      p.stderr)


class LogFilterTest(unittest.TestCase):
    """docker/lab_log_filter.py on lines GoNB v0.11.5 printed in make lab."""

    ID = "\x1b[7;39;32m[87646e52]\x1b[0m "

    def filtered(self, lines):
        f = load_filter()
        out, dropping = [], False
        for line in lines:
            shown, dropping = f.keep(line.encode(), dropping)
            if shown:
                out.append(line)
        return out

    def test_noise_goes_real_errors_stay(self):
        lines = [
            f"I1201 14:35:14.332129   23013 main.go:187] {self.ID}Logging to extra logger configured\n",
            f"I1201 14:35:14.335070   23013 main.go:189] {self.ID}Info message\n",
            f"W1201 14:35:14.335159   23013 main.go:190] {self.ID}Warning message\n",
            f"E1201 14:35:14.335168   23013 main.go:191] {self.ID}Error message\n",
            "[I 2026-12-01 14:35:14.357 ServerApp] Kernel started: f82a371c\n",
            f"I1201 14:35:24.717887   23013 exec.go:179] {self.ID}killing gopls: \n",
            "goroutine 1 [running]:\n",
            "github.com/janpfeifer/gonb/internal/util.GetStackTrace(...)\n",
            "\t/root/go/pkg/mod/github.com/janpfeifer/gonb@v0.11.5/internal/util/util.go:16\n",
            "main.main()\n",
            "[I 2026-12-01 14:35:24.893 ServerApp] Kernel restarted: f82a371c\n",
            f"W1201 14:36:52.670996   28080 exec.go:124] {self.ID}gopls failed with: signal: killed\n",
            f"E1201 14:36:52.670996   28080 dispatcher.go:160] {self.ID}Failed to handle \"execute_request\"\n",
            f"W1201 14:36:52.670996   28080 jpyexec.go:300] {self.ID}Failed to start command \"go\"\n",
            "[E 2026-12-01 14:35:13.262 ServerApp] Uncaught exception\n",
            "Traceback (most recent call last):\n",
        ]
        self.assertEqual(self.filtered(lines), [
            "[I 2026-12-01 14:35:14.357 ServerApp] Kernel started: f82a371c\n",
            "[I 2026-12-01 14:35:24.893 ServerApp] Kernel restarted: f82a371c\n",
            lines[12], lines[13],
            "[E 2026-12-01 14:35:13.262 ServerApp] Uncaught exception\n",
            "Traceback (most recent call last):\n",
        ])


if __name__ == "__main__":
    unittest.main()
