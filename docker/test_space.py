"""The course works from a folder whose name has a space ("…/My Course/").

Run by `make test` (make test-space) after the set-up; about a minute. It
copies the checkout (the files git knows, committed or not) into a
folder named "My Course" under build/ and there, with the commands a user
types:

1. runs the wiring cell of every notebook with GONB_DIR in that folder and
   checks that go.mod gets `replace github.com/redesneuronales/course =>
   "…/My Course"`;
2. runs `make setup`, and checks the kernelspec it writes (the kernel's
   path and the PATH it gets, both with the space);
3. runs `make test-notebooks NOTEBOOKS=notebooks/00_Introduction.ipynb`, a
   real notebook through the GoNB kernel;
4. starts `make lab`, checks that it serves the notebooks and the copy's
   GoNB kernel, and stops it;
5. checks with `make -n` that export, test-assignments, slides and strip name
   the notebooks as given, on the command line or in the environment.

To stay cheap it does not install the Python packages again: the copy gets
this checkout's .venv and bin/ as hard links (a copy where links are not
possible), with the scripts' paths rewritten, so `make setup` finds them up
to date. The pip install step itself, `make export` and the browser test
are not run from the copy.
"""

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
MODULE = "github.com/redesneuronales/course"
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/00_Introduction\.ipynb\?token=([0-9a-f]+)")
NOTEBOOK = "notebooks/00_Introduction.ipynb"
# Files of the copied .venv that the set-up or Jupyter writes: copied for
# real, never hard-linked, so that the checkout's own stay untouched.
WRITTEN = ("share/jupyter/kernels", "share/jupyter/runtime", "etc/jupyter/labconfig", "etc/jupyter/nbgrader_config.py")


def tracked_files():
    """The checkout's files that git knows (committed, changed or new but
    not ignored); every file but .venv, bin, build and .git without git."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout
        return [f for f in out.decode().split("\0") if f and os.path.isfile(os.path.join(ROOT, f))]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(ROOT):
            rel = os.path.relpath(d, ROOT)
            if rel == ".":
                dirs[:] = [x for x in dirs if x not in (".venv", "bin", "build", ".git")]
            files += [os.path.normpath(os.path.join(rel, n)) for n in names]
        return files


def link_tree(src, dst):
    """Mirrors src at dst with hard links (copies if linking fails)."""

    def link(s, d):
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, symlinks=True, copy_function=link)


def relocate_venv(src, dst):
    """Makes dst a working copy of the virtual environment src: hard links,
    but real copies of what gets written, and scripts that name dst."""
    link_tree(src, dst)
    for sub in WRITTEN:
        d = os.path.join(dst, sub)
        if os.path.isfile(d) or os.path.islink(d):
            os.remove(d)  # a file the set-up writes anew: unlinked, not truncated through the link
            continue
        if os.path.lexists(d):
            shutil.rmtree(d)
        if sub.endswith("kernels") or not os.path.isdir(os.path.join(src, sub)):
            continue  # the set-up writes the kernelspec anew
        shutil.copytree(os.path.join(src, sub), d)
    old, new = src.encode(), dst.encode()
    bindir = os.path.join(dst, "bin")
    for name in os.listdir(bindir):
        path = os.path.join(bindir, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            text = f.read()
        if not text.startswith(b"#!") or old not in text:
            continue
        first, _, rest = text.partition(b"\n")
        interpreter = first[2:].strip()
        if old in interpreter and b" " in new:
            # A shebang cannot name a path with a space: use the form pip
            # itself writes for such a venv, sh exec'ing the interpreter.
            first = b"#!/bin/sh\n'''exec' \"" + interpreter.replace(old, new) + b"\" \"$0\" \"$@\"\n' '''"
            text = first + b"\n" + rest
        mode = os.stat(path).st_mode
        os.unlink(path)  # a new file: the hard link to src's stays as it was
        with open(path, "wb") as f:
            f.write(text.replace(old, new))
        os.chmod(path, mode)


def wiring_command(path):
    """The shell command of the notebook's wiring cell (its first code cell)."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"])
    lines = [l for l in source.splitlines() if l.startswith("!*")]
    if len(lines) != 1:
        raise AssertionError(f"{path}: the wiring cell has {len(lines)} '!*' lines, want 1")
    return lines[0][2:]


class SpaceInFolderNameTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for need in (".venv/bin/python", "bin/gonb"):
            if not os.path.exists(os.path.join(ROOT, need)):
                raise unittest.SkipTest(f"{need} is missing: run make setup first")
        # Under build/, not the system's temporary folder, from which gonb
        # --install copies its binary into the kernelspec (it takes a binary
        # there for one of `go run`).
        os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
        cls.tmp = tempfile.mkdtemp(prefix="space-test-", dir=os.path.join(ROOT, "build"))
        cls.root = os.path.join(cls.tmp, "My Course")
        for rel in tracked_files():
            dst = os.path.join(cls.root, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, rel), dst)
        relocate_venv(os.path.join(ROOT, ".venv"), os.path.join(cls.root, ".venv"))
        link_tree(os.path.join(ROOT, "bin"), os.path.join(cls.root, "bin"))
        # The environment of a user's shell, not of the make that runs us.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "MAKE", "MFLAGS", "VIRTUAL_ENV"))}
        rootbin = os.path.join(ROOT, "bin")
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p not in (rootbin, os.path.join(ROOT, ".venv", "bin")))
        cls.env = env
        cls.setup = cls.make("setup", timeout=600)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def make(cls, *args, timeout=600):
        return subprocess.run(["make", *args], cwd=cls.root, env=cls.env, capture_output=True, text=True, timeout=timeout)

    def test_wiring_cell_replaces_with_quoted_path(self):
        # The right value: go.mod names the folder, quoted.
        want = f'replace {MODULE} => "{self.root}"'
        notebooks = sorted(n for n in os.listdir(os.path.join(self.root, "notebooks")) if n.endswith(".ipynb"))
        self.assertGreater(len(notebooks), 0)
        for name in notebooks:
            mod = tempfile.mkdtemp(prefix="gonb-wiring-", dir=self.tmp)
            with open(os.path.join(mod, "go.mod"), "w") as f:
                f.write("module gonb_test\n\ngo 1.26\n")
            cmd = wiring_command(os.path.join(self.root, "notebooks", name))
            env = dict(self.env, GONB_DIR=os.path.join(self.root, "notebooks"))
            p = subprocess.run(["/bin/bash", "-c", cmd], cwd=mod, env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, f"{name}: {p.stdout}{p.stderr}")
            self.assertEqual(p.stdout.strip(), f"course module: {self.root}", name)
            with open(os.path.join(mod, "go.mod")) as f:
                gomod = f.read()
            self.assertIn(want, gomod, name)
            self.assertIn(f"require {MODULE} v0.0.0", gomod, name)

    def test_setup_writes_kernelspec_with_the_space(self):
        self.assertEqual(self.setup.returncode, 0, self.setup.stdout + self.setup.stderr)
        self.assertIn("set-up complete", self.setup.stdout)
        with open(os.path.join(self.root, ".venv/share/jupyter/kernels/gonb/kernel.json")) as f:
            spec = json.load(f)
        self.assertEqual(spec["argv"][0], os.path.join(self.root, "bin", "gonb"))
        self.assertTrue(spec["env"]["PATH"].startswith(os.path.join(self.root, "bin") + ":"), spec["env"])
        # The checkout's own kernelspec still names the checkout.
        with open(os.path.join(ROOT, ".venv/share/jupyter/kernels/gonb/kernel.json")) as f:
            self.assertEqual(json.load(f)["argv"][0], os.path.join(ROOT, "bin", "gonb"))

    def test_notebook_runs(self):
        self.assertEqual(self.setup.returncode, 0, self.setup.stderr)
        p = self.make("test-notebooks", "NOTEBOOKS=" + NOTEBOOK, timeout=900)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("PASS  00_Introduction.ipynb", p.stdout)
        self.assertIn("notebooks: 1 passed, 0 failed", p.stdout)

    def test_lab_serves_the_copy(self):
        self.assertEqual(self.setup.returncode, 0, self.setup.stderr)
        lab = subprocess.Popen(
            ["make", "lab"], cwd=self.root, env=dict(self.env, LAB_PORT="8970"),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        try:
            lines, m = [], None
            deadline = time.time() + 120
            while m is None and time.time() < deadline:
                line = lab.stdout.readline()
                if not line:
                    break
                lines.append(line)
                m = URL_RE.search(line)
            self.assertIsNotNone(m, "make lab printed no URL:\n" + "".join(lines))
            self.assertIn(os.path.join(self.root, "notebooks"), "".join(lines))
            port, token = m.group(1), m.group(2)

            def get(path):
                last = None
                for _ in range(120):
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={token}", timeout=5) as r:
                            return json.load(r)
                    except OSError as e:
                        last = e
                        time.sleep(0.5)
                os.killpg(lab.pid, signal.SIGTERM)
                rest = lab.communicate(timeout=30)[0]
                self.fail(f"make lab did not answer on port {port}: {last}\n{''.join(lines)}{rest[-3000:]}")

            gonb = get("/api/kernelspecs")["kernelspecs"]["gonb"]["spec"]
            self.assertEqual(gonb["argv"][0], os.path.join(self.root, "bin", "gonb"))
            names = {c["name"] for c in get("/api/contents")["content"]}
            self.assertIn("00_Introduction.ipynb", names)
        finally:
            try:
                os.killpg(lab.pid, signal.SIGTERM)
                lab.wait(timeout=20)
            except ProcessLookupError:
                pass  # already stopped (a failure above stops it to read its output)
            except subprocess.TimeoutExpired:
                os.killpg(lab.pid, signal.SIGKILL)
                lab.wait()

    def test_other_commands_take_the_notebooks_given(self):
        for target, script in (("export", "nb/harness/export.py"), ("test-assignments", "nb/harness/grader.py"),
                               ("slides", "nb/harness/slides.py"), ("strip", "nb/harness/strip_notebooks.py")):
            p = self.make("-n", target, "NOTEBOOKS=" + NOTEBOOK, "QUICK=1", timeout=60)
            self.assertEqual(p.returncode, 0, f"make -n {target}: {p.stdout}{p.stderr}")
            run = [l for l in p.stdout.splitlines() if script in l]
            self.assertEqual(len(run), 1, f"make -n {target}:\n{p.stdout}")
            self.assertTrue(run[0].rstrip().endswith(" " + NOTEBOOK), run[0])
        self.assertIn("--quick", [l for l in self.make("-n", "export", "QUICK=1").stdout.splitlines() if "export.py" in l][0])
        # Both given in the environment, as in `QUICK=1 make export`.
        env = dict(self.env, NOTEBOOKS=NOTEBOOK, QUICK="1")
        p = subprocess.run(["make", "-n", "export"], cwd=self.root, env=env, capture_output=True, text=True, timeout=60)
        run = [l for l in p.stdout.splitlines() if "export.py" in l]
        self.assertEqual(len(run), 1, p.stdout + p.stderr)
        self.assertTrue(run[0].rstrip().endswith("--quick --timeout 1800 " + NOTEBOOK), run[0])


if __name__ == "__main__":
    unittest.main()
