"""Structure of the hub files that cannot run here (make test-hub-files).

No container engine and no Kubernetes run where the course is written, so
docker/values.yaml (Zero to JupyterHub), .binder/Dockerfile (Binder) and the
hub-ready docker/Dockerfile are checked as files: the YAML parses, the keys
Zero to JupyterHub reads are where it reads them, and both images run the
install script that make test-hub runs on the host. The chart's own JSON
schema is not checked: it ships in the Helm chart, which no registry
reachable here serves (PyPI, npm, Debian, crates.io, the Go proxy).
"""

import os
import re
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


def dig(d, path):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d:
            raise KeyError(path)
        d = d[key]
    return d


def size(s):
    """Bytes of a Kubernetes-style size such as 3G or 2Gi."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]i?)?", str(s))
    if not m:
        raise ValueError(f"not a size: {s!r}")
    n, unit = float(m.group(1)), m.group(2) or ""
    base = 1024 if unit.endswith("i") else 1000
    return n * base ** ("KMGT".index(unit[0]) + 1 if unit else 0)


class ValuesTest(unittest.TestCase):
    values = yaml.safe_load(read("docker", "values.yaml"))

    def test_required_keys(self):
        for path in (
            "singleuser.image.name",
            "singleuser.image.tag",
            "singleuser.cmd",
            "singleuser.memory.limit",
            "singleuser.memory.guarantee",
            "singleuser.cpu.limit",
            "singleuser.cpu.guarantee",
            "singleuser.storage.type",
            "singleuser.storage.homeMountPath",
            "singleuser.storage.extraVolumes",
            "singleuser.storage.extraVolumeMounts",
            "cull.enabled",
            "cull.timeout",
            "hub.config.JupyterHub.authenticator_class",
        ):
            with self.subTest(path=path):
                dig(self.values, path)

    def test_single_user_server(self):
        self.assertEqual(dig(self.values, "singleuser.cmd"), "jupyterhub-singleuser")
        self.assertEqual(dig(self.values, "singleuser.uid"), 1000)
        self.assertEqual(dig(self.values, "singleuser.storage.homeMountPath"), "/home/jovyan")
        self.assertIs(dig(self.values, "cull.enabled"), True)
        self.assertGreater(dig(self.values, "cull.timeout"), 0)

    def test_limits_are_consistent(self):
        mem = dig(self.values, "singleuser.memory")
        cpu = dig(self.values, "singleuser.cpu")
        self.assertLessEqual(size(mem["guarantee"]), size(mem["limit"]))
        self.assertLessEqual(float(cpu["guarantee"]), float(cpu["limit"]))

    def test_shared_models_mounted_read_only_where_the_image_reads_them(self):
        storage = dig(self.values, "singleuser.storage")
        mounts = {m["name"]: m for m in storage["extraVolumeMounts"]}
        volumes = {v["name"]: v for v in storage["extraVolumes"]}
        self.assertIn("shared-models", mounts)
        self.assertIn("shared-models", volumes)
        self.assertTrue(mounts["shared-models"].get("readOnly"))
        self.assertTrue(volumes["shared-models"]["persistentVolumeClaim"].get("readOnly"))
        env = re.search(r"NB_SHARED_CACHE_DIR=(\S+)", read("docker", "Dockerfile"))
        self.assertIsNotNone(env, "the image sets no NB_SHARED_CACHE_DIR")
        self.assertEqual(mounts["shared-models"]["mountPath"], env.group(1))

    def test_first_start_copies_the_course_into_the_persistent_home(self):
        command = " ".join(dig(self.values, "singleuser.lifecycleHooks.postStart.exec.command"))
        self.assertIn("/opt/redes-neuronales/course", command)
        self.assertIn("go-build", command)


class ImagesTest(unittest.TestCase):
    def check_image(self, dockerfile):
        text = read(*dockerfile.split("/"))
        self.assertRegex(text, r"(?m)^FROM golang:1\.26")
        self.assertIn("bash docker/setup.sh", text)
        self.assertIn("bash docker/hub_install.sh", text, "the image must run the install script make test-hub runs")
        self.assertRegex(text, r"NB_UID=1000")
        self.assertRegex(text, r"(?m)^USER \$\{?NB_USER\}?")
        for var in ("GOMODCACHE=/opt/redes-neuronales/gomodcache", "GOPROXY=off", "GOSUMDB=off", "JUPYTER_PATH=/opt/redes-neuronales/venv/share/jupyter"):
            self.assertIn(var, text)
        return text

    def test_hub_image(self):
        text = self.check_image("docker/Dockerfile")
        self.assertIn("/home/$NB_USER/redes-neuronales", text)
        self.assertIn("useradd -m", text)

    def test_binder_image_runs_in_quick_mode(self):
        text = self.check_image(".binder/Dockerfile")
        self.assertIn("COURSE_QUICK=1", text)
        self.assertIn("COPY . /course", text)

    def test_jupyterhub_pinned_once_for_hub_and_servers(self):
        pins = re.findall(r"(?m)^jupyterhub==(\S+)$", read("docker", "requirements.txt"))
        self.assertEqual(pins, ["6.1.1"])
        self.assertIn('requirements.txt', read("docker", "hub_install.sh"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
