"""Tests of docker/lab.sh (make lab): JupyterLab starts on 127.0.0.1, serves
the course's GoNB kernel, and moves to another port, saying so, when the
requested one is busy.

Needs the set-up done (make setup); run by `make test`.
"""

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
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/00_Introduction\.ipynb\?token=([0-9a-f]+)")


class LabTest(unittest.TestCase):
    def start_lab(self, port):
        env = dict(os.environ, LAB_PORT=str(port))
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

    def get_json(self, port, token, path, timeout=60):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={token}", timeout=5) as r:
                    return json.load(r)
            except OSError as e:  # not listening yet
                last = e
                time.sleep(0.5)
        self.fail(f"JupyterLab did not answer on port {port}: {last}")

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


if __name__ == "__main__":
    unittest.main()
