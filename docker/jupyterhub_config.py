"""JupyterHub configuration for teaching the course to a class on one server.

Started by `make hub` (docker/hub.sh), which sets the environment below;
docker/test_hub.py loads it under a test-only authenticator. Everything is
JupyterHub's own machinery: its proxy (configurable-http-proxy), its local
process spawner, its authenticators and jupyterhub-idle-culler.

As root, every student is a real Unix user with their own home and their
own single-user server (JupyterHub's LocalProcessSpawner, as The Littlest
JupyterHub does). Without root, every server runs as the hub's user with a
home under HUB_PREFIX/homes/: fine to try the hub, no isolation.

On a student's first spawn their home gets the course (go.mod, lib/, nb/
and notebooks/ in ~/redes-neuronales) and a warm Go build cache; later
spawns keep their edits. Go's module cache and the class's model cache are
shared and read-only (docker/hub_install.sh lays them out).

Environment (all optional):
  HUB_IP, HUB_PORT       public address; default 127.0.0.1:8000
  HUB_API_PORT, HUB_HUB_PORT
                         the proxy's API port and the hub's own port;
                         default 8001 and 8081
  HUB_PREFIX             shared folder of docker/hub_install.sh
  HUB_STATE              the hub's database, cookie secret and logs;
                         default HUB_PREFIX/state
  HUB_ADMINS             comma-separated admin (teacher) user names
  HUB_IDLE_TIMEOUT       seconds before an idle server is stopped; default 3600
  HUB_MEM_LIMIT          memory of one student's server and everything it
                         runs (kernels, compiled cells), e.g. 3G; default 3G
  COURSE_QUICK           passed to the students' kernels (quick mode)

Authentication: PAM (JupyterHub's default): students log in with the user
name and password of their Unix account, if it is in the group HUB_GROUP
(default "students"). `HUB_CREATE_USERS=1` lets the admin page create the
Unix accounts of users the teacher adds.
"""

import asyncio
import os
import pwd
import shutil
import signal
import sys

from jupyterhub.spawner import LocalProcessSpawner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
IS_ROOT = os.geteuid() == 0
PREFIX = os.environ.get("HUB_PREFIX") or ("/srv/redes-neuronales" if IS_ROOT else os.path.join(VENV, "hub"))
STATE = os.environ.get("HUB_STATE") or os.path.join(PREFIX, "state")
COURSE_DIR = "redes-neuronales"  # the course in a student's home
os.makedirs(STATE, mode=0o700, exist_ok=True)

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

# --- network: everything on this machine's loopback by default --------------
c.JupyterHub.ip = os.environ.get("HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s" % os.environ.get("HUB_API_PORT", "8001")
c.ConfigurableHTTPProxy.command = [os.path.join(VENV, "hub-node", "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "proxy.pid")
# Stopping the hub stops the proxy and every student's server.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")

# --- who logs in -------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
# Members of the class's Unix group may log in (not every account of the
# server: not root, not service accounts), and the admins.
c.LocalAuthenticator.allowed_groups = {os.environ.get("HUB_GROUP", "students")}
c.Authenticator.admin_users = {u for u in os.environ.get("HUB_ADMINS", "").split(",") if u}
c.LocalAuthenticator.create_system_users = os.environ.get("HUB_CREATE_USERS") == "1"

# --- the students' servers ---------------------------------------------------


def cgroup_dir(user):
    """The memory cgroup folder of one student and the name of its limit
    file (cgroup v2, else v1), or (None, None) when this machine has no
    memory controller mounted."""
    for base, limit in (("/sys/fs/cgroup", "memory.max"), ("/sys/fs/cgroup/memory", "memory.limit_in_bytes")):
        if os.path.exists(os.path.join(base, "cgroup.controllers" if limit == "memory.max" else "memory.limit_in_bytes")):
            return os.path.join(base, "redes-neuronales", user), limit
    return None, None


class CourseSpawner(LocalProcessSpawner):
    """JupyterHub's LocalProcessSpawner, plus three things a class needs:
    the course copied into a new student's home, a warm Go build cache, and
    a memory limit per student (a cgroup that holds their server and all it
    starts: when a student's cell exhausts it, the kernel's own OOM killer
    ends a process of theirs, never another student's)."""

    def home(self):
        if IS_ROOT:
            return pwd.getpwnam(self.user.name).pw_dir
        return os.path.join(PREFIX, "homes", self.user.name)

    def user_env(self, env):
        env = super().user_env(env)
        if not IS_ROOT:
            env["HOME"] = self.home()
        return env

    def make_preexec_fn(self, name):
        drop = super().make_preexec_fn(name) if IS_ROOT else (lambda: None)
        procs = getattr(self, "_cgroup_procs", None)

        def preexec():
            if procs:
                with open(procs, "w") as f:  # join the student's cgroup, as root
                    f.write(str(os.getpid()))
            drop()

        return preexec

    async def start(self):
        self._cgroup_procs = self._make_cgroup()
        if not IS_ROOT:
            self.notebook_dir = os.path.join(self.home(), COURSE_DIR, "notebooks")
        return await super().start()

    async def stop(self, now=False):
        """Stops the server as LocalProcessSpawner does, then ends whatever
        it left in the student's cgroup (a kernel, gopls, a compiled cell),
        so that no process of theirs outlives their server."""
        await super().stop(now=now)
        procs = getattr(self, "_cgroup_procs", None)
        if not procs:
            return
        for _ in range(50):
            try:
                with open(procs) as f:
                    pids = [int(p) for p in f.read().split()]
            except OSError:
                return
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            await asyncio.sleep(0.1)
        try:
            os.rmdir(os.path.dirname(procs))
        except OSError:
            pass

    def _make_cgroup(self):
        if not IS_ROOT or not self.mem_limit:
            return None
        path, limit = cgroup_dir(self.user.name)
        if not path:
            self.log.warning("no writable memory cgroup: %s's server runs without a memory limit", self.user.name)
            return None
        try:
            os.makedirs(path, exist_ok=True)
            if limit == "memory.max":
                parent = os.path.dirname(path)
                with open(os.path.join(parent, "cgroup.subtree_control"), "w") as f:
                    f.write("+memory")
            with open(os.path.join(path, limit), "w") as f:
                f.write(str(self.mem_limit))
            self.log.info("%s's server may use %d MiB (cgroup %s)", self.user.name, self.mem_limit >> 20, path)
            return os.path.join(path, "cgroup.procs")
        except OSError as e:
            self.log.warning("cannot set %s's memory limit (%s): running without one", self.user.name, e)
            return None


class SpawnRefused(RuntimeError):
    """A reason a student's server cannot start, shown to them (and to the
    teacher) on the hub's page; other students are not affected."""

    @property
    def jupyterhub_message(self):
        return str(self)


def prepare_home(spawner):
    """Before every spawn: give a new student the course and a warm Go build
    cache; a returning student keeps what they have."""
    home = spawner.home()
    if IS_ROOT:
        pw = pwd.getpwnam(spawner.user.name)
        if not os.path.isdir(home):
            raise SpawnRefused(
                f"{spawner.user.name}'s home folder {home} does not exist: create the account with a home "
                f"(useradd -m {spawner.user.name}), then start the server again"
            )
    else:
        os.makedirs(home, exist_ok=True)
    for src, dst in (
        (os.path.join(PREFIX, "course"), os.path.join(home, COURSE_DIR)),
        (os.path.join(PREFIX, "gocache"), os.path.join(home, ".cache", "go-build")),
    ):
        if os.path.exists(dst):
            continue
        if not os.path.isdir(src):
            raise SpawnRefused(f"{src} is missing: run docker/hub_install.sh (make hub does) first")
        tmp = dst + ".copying"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copytree(src, tmp, symlinks=True)
        if IS_ROOT:
            chown_tree(os.path.join(home, ".cache") if dst.endswith("go-build") else tmp, pw.pw_uid, pw.pw_gid)
            os.chmod(tmp, 0o755 if dst.endswith(COURSE_DIR) else 0o700)
        os.rename(tmp, dst)
        spawner.log.info("copied %s into %s", src, dst)
    if IS_ROOT:
        os.chmod(home, 0o700)  # a student's files are theirs alone


def chown_tree(top, uid, gid):
    os.chown(top, uid, gid)
    for d, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(d, n)
            os.lchown(p, uid, gid)
            if n in files and not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | 0o600)
            elif n in dirs:
                os.chmod(p, os.stat(p).st_mode | 0o700)


c.JupyterHub.spawner_class = CourseSpawner
c.Spawner.pre_spawn_hook = prepare_home
c.Spawner.cmd = [os.path.join(PREFIX, "venv", "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~/" + COURSE_DIR + "/notebooks"
c.Spawner.mem_limit = os.environ.get("HUB_MEM_LIMIT", "3G")
c.Spawner.start_timeout = 180  # a class spawning at once on a small server
c.Spawner.http_timeout = 180
go_bin = os.path.dirname(shutil.which("go") or "/usr/local/go/bin/go")
c.Spawner.environment = {
    # GoNB, goimports, gopls and go; the students' Python, with the GoNB
    # kernelspec (docker/hub_install.sh lays them out under HUB_PREFIX).
    "PATH": ":".join([os.path.join(PREFIX, "bin"), go_bin, os.path.join(PREFIX, "venv", "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
    "JUPYTER_PATH": os.path.join(PREFIX, "venv", "share", "jupyter"),
    # Go: the shared module cache, read-only, and never a download; each
    # student's build cache (GOCACHE) and GOPATH stay in their home.
    "GOMODCACHE": os.path.join(PREFIX, "gomodcache"),
    "GOPROXY": "off",
    # The shared modules were checked against go.sum when hub_install.sh
    # downloaded them; with no network there is no checksum database.
    "GOSUMDB": "off",
    "GOFLAGS": "-mod=mod",
    "GOTOOLCHAIN": "local",
    # Trained models: the class's shared cache first, then the student's own
    # (~/.cache/redes-neuronales-course, nb.CacheDir).
    "NB_SHARED_CACHE_DIR": os.path.join(PREFIX, "models"),
}
if os.environ.get("COURSE_QUICK"):
    c.Spawner.environment["COURSE_QUICK"] = os.environ["COURSE_QUICK"]

# --- idle servers are stopped (jupyterhub-idle-culler) -------------------------
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=%s" % os.environ.get("HUB_IDLE_TIMEOUT", "3600")],
    }
]
