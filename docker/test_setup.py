"""Tests of docker/setup.sh's prerequisite checks: a missing or too old Go or
Python, or a Python without venv, must stop the set-up with one clear
message naming what to install, before anything is written; and of the
checks for Chromium (need_chromium.sh) and for Node.js, the hub's proxy's
runtime (need_node.sh), which install the Debian packages as root; and
of the notebooks' git filter (git_filter.sh, nbstripout): outputs saved by
JupyterLab never show in git, nbgrader's metadata survives `git add`.

Run by `make test` with any Python 3; each case runs setup.sh with a PATH
that hides or fakes one prerequisite.
"""

import json
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SETUP = os.path.join(HERE, "setup.sh")
NEED_CHROMIUM = os.path.join(HERE, "need_chromium.sh")
NEED_NODE = os.path.join(HERE, "need_node.sh")
GIT_FILTER = os.path.join(HERE, "git_filter.sh")
ROOT = os.path.dirname(HERE)
VENV_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")


def write_exe(path, body):
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class SetupPrerequisitesTest(unittest.TestCase):
    def setUp(self):
        self.bin = tempfile.mkdtemp(prefix="setup-test-bin-")
        self.addCleanup(shutil.rmtree, self.bin)
        # The few tools setup.sh uses before its checks are done.
        for tool in ("dirname", "sed", "cat"):
            os.symlink(shutil.which(tool), os.path.join(self.bin, tool))

    def link(self, name, target):
        os.symlink(target, os.path.join(self.bin, name))

    def run_setup(self):
        before = set(os.listdir(ROOT))
        p = subprocess.run(
            ["/bin/bash", SETUP],
            env={"PATH": self.bin, "HOME": os.environ.get("HOME", "/tmp")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(before, set(os.listdir(ROOT)), "setup.sh wrote into the repository before failing")
        return p

    def assertStops(self, p, *fragments):
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("setup: ERROR:", p.stderr)
        for f in fragments:
            self.assertIn(f, p.stderr)

    def test_no_go(self):
        self.assertStops(self.run_setup(), "Go is not installed", "no 'go' on PATH", "Go 1.26 or newer")

    def test_old_go(self):
        write_exe(os.path.join(self.bin, "go"), 'if [ "$1 $2" = "env GOVERSION" ]; then echo go1.22.5; fi\n')
        self.assertStops(self.run_setup(), "Go 1.26 or newer is required, found 'go1.22.5'")

    def test_no_python(self):
        self.link("go", shutil.which("go"))
        self.assertStops(self.run_setup(), "Python 3 is not installed", "python3-venv")

    def test_old_python(self):
        # 3.10 ran JupyterLab, but nbgrader 0.9.6 needs 3.11.
        self.link("go", shutil.which("go"))
        for version in ("3.7.3", "3.10.12"):
            with self.subTest(version):
                write_exe(
                    os.path.join(self.bin, "python3"),
                    f'if [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\nexit 1\n',
                )
                self.assertStops(self.run_setup(), f"Python 3.11 or newer is required, found Python {version}")

    def test_python_without_venv(self):
        self.link("go", shutil.which("go"))
        # Passes the version check, fails `import venv, ensurepip`.
        write_exe(
            os.path.join(self.bin, "python3"),
            'case "$*" in *ensurepip*) exit 1;; esac\nexit 0\n',
        )
        self.assertStops(self.run_setup(), "venv module is missing", "apt-get install python3-venv")


class FakeToolsTest(unittest.TestCase):
    """A temporary folder with bin/, the PATH a check script runs with, where
    a test puts fake tools; a fake apt-get appends its arguments to
    apt_log."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="prerequisite-test-")
        self.addCleanup(shutil.rmtree, self.dir)
        self.bin = os.path.join(self.dir, "bin")
        os.mkdir(self.bin)
        self.apt_log = os.path.join(self.dir, "apt-get.log")

    def fake(self, name, body):
        write_exe(os.path.join(self.bin, name), body)

    def apt_calls(self):
        if not os.path.exists(self.apt_log):
            return []
        with open(self.apt_log) as f:
            return f.read().splitlines()


class ChromiumPrerequisiteTest(FakeToolsTest):
    """need_chromium.sh with CHROMIUM pointing at a file that does not exist
    yet, and fake id, sudo and apt-get on PATH."""

    def setUp(self):
        super().setUp()
        for tool in ("env", "chmod", "true"):
            os.symlink(shutil.which(tool), os.path.join(self.bin, tool))
        self.chromium = os.path.join(self.dir, "chromium")

    def fake_apt_get(self):
        # Records its arguments; "installs" Chromium where CHROMIUM points.
        self.fake("apt-get", f'echo "$*" >>{self.apt_log}\nif [ "$1" = install ]; then printf \'#!/bin/sh\\n\' >{self.chromium}; chmod +x {self.chromium}; fi\n')

    def run_script(self, uid):
        self.fake("id", f'echo {uid}\n')
        return subprocess.run(
            ["/bin/bash", NEED_CHROMIUM],
            env={"PATH": self.bin, "CHROMIUM": self.chromium},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def test_present_does_nothing(self):
        write_exe(self.chromium, "")
        self.fake_apt_get()
        p = self.run_script(1000)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.apt_calls(), [])

    def test_root_installs_debian_package(self):
        self.fake_apt_get()
        p = self.run_script(0)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("installing Debian's chromium package", p.stdout)
        self.assertEqual(self.apt_calls(), ["update -qq", "install -y -qq chromium"])

    def test_passwordless_sudo_installs(self):
        self.fake_apt_get()
        self.fake("sudo", 'if [ "$1" = -n ]; then shift; fi\nexec "$@"\n')
        p = self.run_script(1000)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.apt_calls(), ["update -qq", "install -y -qq chromium"])

    def test_user_without_sudo_gets_the_package_name(self):
        self.fake_apt_get()
        p = self.run_script(1000)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("chromium: ERROR: Chromium is needed", p.stderr)
        self.assertIn("sudo apt-get install chromium", p.stderr)
        self.assertEqual(self.apt_calls(), [])

    def test_failed_install_says_so(self):
        self.fake("apt-get", 'if [ "$1" = install ]; then echo "E: Unable to locate package chromium" >&2; exit 100; fi\n')
        p = self.run_script(0)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("apt-get install chromium failed", p.stderr)

    def test_no_apt_get(self):
        p = self.run_script(0)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("the package is usually called 'chromium'", p.stderr)


class NodePrerequisiteTest(FakeToolsTest):
    """docker/need_node.sh (make setup's check for the hub's proxy), with
    fake id, apt-get, node and npm on PATH."""

    def fake_node(self, major, where=None):
        where = where or self.bin
        for name, body in (("node", f'case "$1" in -p) echo {major};; *) echo v{major}.1.0;; esac\n'), ("npm", "exit 0\n")):
            write_exe(os.path.join(where, name), body)

    def run_script(self, uid, apt=True, why=None):
        self.fake("id", f"echo {uid}\n")
        if apt:
            # Records its arguments; "installs" node and npm on PATH.
            node = '#!/bin/sh\ncase "$1" in -p) echo 20;; *) echo v20.1.0;; esac\n'
            self.fake(
                "apt-get",
                f'echo "$*" >>{self.apt_log}\n'
                f'if [ "$1" = install ] || [ "$3" = install ] || [ "$2" = install ]; then printf \'{node}\' >{self.bin}/node; printf \'#!/bin/sh\\n\' >{self.bin}/npm; '
                f"/bin/chmod +x {self.bin}/node {self.bin}/npm; fi\n",
            )
        return subprocess.run(["/bin/bash", NEED_NODE] + ([why] if why else []), env={"PATH": self.bin}, capture_output=True, text=True, timeout=60)

    def test_missing_node_names_what_needs_it(self):
        p = self.run_script(uid=1000, why="KaTeX (make export)")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("Node.js and npm are needed for KaTeX (make export)", p.stderr)
        self.assertNotIn("configurable-http-proxy", p.stderr)

    def test_missing_node_without_root_names_the_packages(self):
        p = self.run_script(uid=1000)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("setup: ERROR:", p.stderr)
        self.assertIn("apt-get install nodejs npm", p.stderr)
        self.assertIn("configurable-http-proxy", p.stderr)
        self.assertEqual(self.apt_calls(), [])

    def test_missing_node_as_root_is_installed(self):
        p = self.run_script(uid=0)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(any("install" in c and "nodejs" in c and "npm" in c for c in self.apt_calls()), self.apt_calls())

    def test_old_node_stops(self):
        self.fake_node(18)
        p = self.run_script(uid=0)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("Node.js 20 or newer, found v18.1.0", p.stderr)

    def test_present_node_passes_without_apt(self):
        self.fake_node(20)
        p = self.run_script(uid=0)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.apt_calls(), [])


@unittest.skipUnless(shutil.which("git"), "git is not installed")
class GitFilterTest(unittest.TestCase):
    """git_filter.sh in a new git repository holding 00_Introduction.ipynb,
    with .venv's Python (make setup installs nbstripout there)."""

    NOTEBOOK = "00_Introduction.ipynb"

    def setUp(self):
        if not os.path.exists(VENV_PYTHON):
            self.skipTest("no .venv: run make setup")
        self.repo = tempfile.mkdtemp(prefix="git-filter-test-")
        self.addCleanup(shutil.rmtree, self.repo)
        shutil.copy(os.path.join(ROOT, "notebooks", self.NOTEBOOK), self.repo)
        self.git("init", "-q")
        self.git("add", self.NOTEBOOK)
        self.git("commit", "-q", "-m", "course")

    def git(self, *args):
        p = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=self.repo, capture_output=True, text=True, timeout=60,
        )
        self.assertEqual(p.returncode, 0, f"git {' '.join(args)}: {p.stdout}{p.stderr}")
        return p.stdout

    def install(self, repo=None):
        p = subprocess.run(["bash", GIT_FILTER, repo or self.repo, VENV_PYTHON], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p.stdout

    def run_a_cell(self):
        """Writes the notebook as JupyterLab saves it after running its
        first code cell: an output, an execution count, timing metadata."""
        path = os.path.join(self.repo, self.NOTEBOOK)
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["course module: /home/student/course\n"]}]
        cell["execution_count"] = 1
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-12-01T10:00:00.000Z"}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        return path

    def test_outputs_stay_out_of_git(self):
        self.assertIn("installed", self.install())
        self.assertIn("up to date", self.install())  # idempotent
        with open(os.path.join(self.repo, ".git", "info", "attributes")) as f:
            self.assertEqual(f.read().count("*.ipynb filter=nbstripout"), 1)
        path = self.run_a_cell()
        with open(path, encoding="utf-8") as f:
            self.assertIn("course module: /home/student/course", f.read())  # the copy on disk keeps it
        self.assertEqual(self.git("diff"), "")
        # git status lists it (the file's size changed) until `git add`,
        # which stages nothing.
        # Staged, the notebook is the committed one: nbgrader's metadata
        # and the cell ids intact, no output.
        self.git("add", self.NOTEBOOK)
        self.assertEqual(self.git("status", "--porcelain"), "")
        staged = json.loads(self.git("show", ":" + self.NOTEBOOK))
        with open(os.path.join(ROOT, "notebooks", self.NOTEBOOK), encoding="utf-8") as f:
            self.assertEqual(staged, json.load(f))
        wiring = next(c for c in staged["cells"] if c["cell_type"] == "code")
        self.assertEqual(wiring["metadata"]["nbgrader"]["grade_id"], "wiring")
        self.assertEqual(wiring["outputs"], [])

    def test_not_a_checkout(self):
        plain = tempfile.mkdtemp(prefix="git-filter-plain-")
        self.addCleanup(shutil.rmtree, plain)
        self.assertIn("not a git checkout", self.install(plain))
        self.assertFalse(os.path.exists(os.path.join(plain, ".git")))

    def test_linked_worktree_left_alone(self):
        tree = os.path.join(tempfile.mkdtemp(prefix="git-filter-worktree-"), "wt")
        self.addCleanup(shutil.rmtree, os.path.dirname(tree))
        self.git("worktree", "add", "-q", tree)
        self.assertIn("linked git worktree", self.install(tree))
        self.assertEqual(subprocess.run(["git", "config", "--get", "filter.nbstripout.clean"], cwd=self.repo).returncode, 1)


if __name__ == "__main__":
    unittest.main()
