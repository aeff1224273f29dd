"""Load figures for a class on one server (make bench-hub): not a test.

For each class size (default 5, 10 and 20), starts the hub as make test-hub
does (docker/hub.sh, test-only password login, quick mode), creates that many
students, logs them in, spawns their servers at once and runs
03_Backpropagation (quick mode: MNIST, 5,000 training images, 3 epochs) in
all of them at once through the hub's proxy. The shared model cache is left
empty, so every student trains: the worst case of a class pressing Run All
together. Prints, per size: the time until every server was ready, the
time per notebook (median and slowest), and the peak memory of one student
(their server with its kernel, the Go compiler and the compiled cells: the
maximum of their cgroup's memory.max_usage_in_bytes), the largest and the
median over students. Run as root.

    .venv/bin/python docker/bench_hub.py --students 5,10,20
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the checkout
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_hub  # noqa: E402
from test_hub import Hub, Student, run_many, sh  # noqa: E402


def peak_bytes(name):
    for path in (f"/sys/fs/cgroup/memory/redes-neuronales/{name}/memory.max_usage_in_bytes", f"/sys/fs/cgroup/redes-neuronales/{name}/memory.peak"):
        if os.path.exists(path):
            with open(path) as f:
                return int(f.read())
    return None


CLASS_CGROUP = "/sys/fs/cgroup/memory/redes-neuronales"


def limit_class(limit):
    """Caps the memory of the whole class (cgroup v1 parent of the students'
    cgroups), so that a benchmark on a shared machine cannot starve others;
    "-1" removes the cap."""
    os.makedirs(CLASS_CGROUP, exist_ok=True)
    with open(os.path.join(CLASS_CGROUP, "memory.limit_in_bytes"), "w") as f:
        f.write(limit)


def bench(n, notebook):
    names = [f"rnbench{i}" for i in range(1, n + 1)]
    tmp = tempfile.mkdtemp(prefix="hub-bench-", dir="/tmp")
    os.chmod(tmp, 0o755)
    homes = os.path.join(tmp, "homes")
    os.makedirs(homes)
    hub = None
    try:
        for name in names:
            sh("userdel", "-r", "-f", name, check=False)
            sh("useradd", "-m", "-b", homes, "-s", "/bin/bash", name)
        shutil.rmtree(os.path.join(test_hub.PREFIX, "models"), ignore_errors=True)
        os.makedirs(os.path.join(test_hub.PREFIX, "models"))
        hub = Hub(tmp, users=names, HUB_MEM_LIMIT="4G")
        students = [Student(hub, name) for name in names]
        for s in students:
            s.login()
            s.get_token()
        t0 = time.time()
        threads = [threading.Thread(target=s.spawn) for s in students]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ready = []
        for s in students:
            s.wait_ready(timeout=900)
            ready.append(time.time() - t0)
        t1 = time.time()
        results = run_many([(s, notebook) for s in students])
        wall = time.time() - t1
        seconds, failed = [], 0
        for s in students:
            out = results[(s.name, notebook)]
            if isinstance(out, BaseException) or out[0].errors:
                failed += 1
                print(f"  {s.name}: FAILED: {out if isinstance(out, BaseException) else out[0].errors[:1]}", flush=True)
            else:
                seconds.append(out[0].seconds)
        peaks = [p for p in (peak_bytes(name) for name in names) if p]
        mib = lambda b: b / (1 << 20)  # noqa: E731
        print(
            f"{n:3d} students: all servers ready in {max(ready):5.0f} s (first {min(ready):.0f} s); "
            f"{notebook} at once: {wall:5.0f} s for all, per notebook median {statistics.median(seconds) if seconds else float('nan'):5.0f} s, "
            f"slowest {max(seconds) if seconds else float('nan'):5.0f} s; "
            f"peak memory per student: largest {mib(max(peaks)) if peaks else float('nan'):5.0f} MiB, "
            f"median {mib(statistics.median(peaks)) if peaks else float('nan'):5.0f} MiB; failed {failed}",
            flush=True,
        )
    finally:
        if hub:
            hub.stop()
        for name in names:
            sh("pkill", "-KILL", "-u", name, check=False)
            sh("userdel", "-r", "-f", name, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", default="5,10,20", help="class sizes, comma-separated (default 5,10,20)")
    p.add_argument("--notebook", default="03_Backpropagation.ipynb")
    p.add_argument("--class-limit", default="", help="cap the class's total memory (cgroup v1), e.g. 14G, on a shared machine")
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_hub: run as root (students are Unix users)")
    print(f"bench_hub: {os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') >> 30} GiB; load average before: {os.getloadavg()[0]:.1f}", flush=True)
    if args.class_limit:
        limit_class(args.class_limit)
        print(f"bench_hub: the whole class may use {args.class_limit} of memory", flush=True)
    try:
        for n in (int(x) for x in args.students.split(",")):
            bench(n, args.notebook)
    finally:
        if args.class_limit:
            limit_class("-1")


if __name__ == "__main__":
    main()
