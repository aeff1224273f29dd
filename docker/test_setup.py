"""Tests of docker/setup.sh's prerequisite checks: a missing or too old Go or
Python, or a Python without venv, must stop the set-up with one clear
message naming what to install, before anything is written.

Run by `make test` with any Python 3; each case runs setup.sh with a PATH
that hides or fakes one prerequisite.
"""

import os
import shutil
import stat
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SETUP = os.path.join(HERE, "setup.sh")
NEED_CHROMIUM = os.path.join(HERE, "need_chromium.sh")
ROOT = os.path.dirname(HERE)


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
        self.link("go", shutil.which("go"))
        write_exe(
            os.path.join(self.bin, "python3"),
            'if [ "$1" = "--version" ]; then echo "Python 3.7.3"; exit 0; fi\nexit 1\n',
        )
        self.assertStops(self.run_setup(), "Python 3.10 or newer is required, found Python 3.7.3")

    def test_python_without_venv(self):
        self.link("go", shutil.which("go"))
        # Passes the version check, fails `import venv, ensurepip`.
        write_exe(
            os.path.join(self.bin, "python3"),
            'case "$*" in *ensurepip*) exit 1;; esac\nexit 0\n',
        )
        self.assertStops(self.run_setup(), "venv module is missing", "apt-get install python3-venv")


class ChromiumPrerequisiteTest(unittest.TestCase):
    """need_chromium.sh with CHROMIUM pointing at a file that does not exist
    yet, and fake id, sudo and apt-get on PATH."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="chromium-test-")
        self.addCleanup(shutil.rmtree, self.dir)
        self.bin = os.path.join(self.dir, "bin")
        os.mkdir(self.bin)
        for tool in ("env", "chmod", "true"):
            os.symlink(shutil.which(tool), os.path.join(self.bin, tool))
        self.chromium = os.path.join(self.dir, "chromium")
        self.apt_log = os.path.join(self.dir, "apt-get.log")

    def fake(self, name, body):
        write_exe(os.path.join(self.bin, name), body)

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

    def apt_calls(self):
        if not os.path.exists(self.apt_log):
            return []
        with open(self.apt_log) as f:
            return f.read().splitlines()

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


if __name__ == "__main__":
    unittest.main()
