"""A cold start: from `make run` on a fresh clone to the list showing models, and
to `ready:` (the whole first sync done).

Clones this checkout's HEAD into a temporary folder and runs `make run` there
against the demo upstream (`RUN_ARGS=--demo`, on free ports), with a fresh
.venv: pip reuses its wheel cache and any find-links it is configured with,
PyPI otherwise. Each phase is timed from what make prints and writes:

- install: the venv and the running dependencies (.venv/.installed);
- prepare: collectstatic, migrate and the schedules (until run_stack starts);
- web: until the list answers;
- list: until the list shows models (the catalogue synced);
- ready: until run_stack prints `ready:` (the stats synced too).

It prints each phase's wall time and CPU time (of make and everything it
started, read from /proc: what a busy machine does not change), and the load
average at the start (the machine may be busy with other work: wall times of
runs at unlike loads do not compare).

    .venv/bin/python bench/coldstart.py [--runs 1] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = re.compile(rb'id="result-count">([\d,]+)<')
READY_TIMEOUT = 900


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def clone(into: Path) -> Path:
    """This checkout's HEAD, as a fresh clone has it (no .venv, no var/)."""
    target = into / "modelboard"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)],
        check=True,
    )
    return target


class Watch:
    """make's output, line by line, each with the moment it came."""

    def __init__(self, process: subprocess.Popen[bytes], started: float):
        self.lines: list[tuple[float, str]] = []
        self.started = started
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append((time.monotonic() - self.started, line))

    def first(self, pattern: str) -> float | None:
        return next((t for t, line in self.lines if re.search(pattern, line)), None)


TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` and every process under it, live or exited: each live
    one's own time plus that of its children it has reaped."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / TICK
    total, queue = 0.0, [root]
    while queue:
        pid = queue.pop()
        total += times.get(pid, 0.0)
        queue += [child for child, parent in parents.items() if parent == pid]
    return total


def listed(url: str) -> int | None:
    """How many models the list says it holds (None: it does not answer yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            found = COUNT.search(response.read())
    except OSError:
        return None
    return int(found.group(1).replace(b",", b"")) if found else 0


def run_once(workdir: Path) -> dict[str, float]:
    port, demo_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for name in ("VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "MODELBOARD_VAR_DIR"):
        env.pop(name, None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    make = subprocess.Popen(
        ["make", "run", f"RUN_ARGS=--demo --port {port} --demo-port {demo_port}"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    watch = Watch(make, started)
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}
    stamp = workdir / ".venv" / ".installed"
    try:
        while "ready" not in marks:
            now = time.monotonic() - started
            if now > READY_TIMEOUT or make.poll() is not None:
                tail = "\n".join(line for _, line in watch.lines[-30:])
                raise SystemExit(f"no ready: after {now:.0f} s\n{tail}")
            if "install" not in marks and stamp.exists():
                marks["install"] = now
            if "prepare" not in marks and (at := watch.first(r"^modelboard on ")):
                marks["prepare"] = at
            if "prepare" in marks and "list" not in marks:
                count = listed(url)
                if count is not None and "web" not in marks:
                    marks["web"] = time.monotonic() - started
                if count:
                    marks["list"] = time.monotonic() - started
            if at := watch.first(r"^ready: "):
                marks["ready"] = at
            for phase in marks.keys() - cpu.keys():
                cpu[phase] = tree_cpu(make.pid)
            time.sleep(0.25)
    finally:
        os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks["cpu"] = (after.ru_utime - before.ru_utime) + (
        after.ru_stime - before.ru_stime
    )
    return marks | {f"cpu:{phase}": seconds for phase, seconds in cpu.items()}


def report(marks: dict[str, float], load: float) -> None:
    previous, used = 0.0, 0.0
    print(f"load average at start: {load:.2f} (2 cores)")
    for phase in ("install", "prepare", "web", "list", "ready"):
        at = marks.get(phase)
        if at is None:
            continue
        spent = marks[f"cpu:{phase}"]
        print(
            f"  {phase:<8} at {at:6.1f} s  (+{at - previous:5.1f} s wall, "
            f"+{spent - used:5.1f} s CPU)"
        )
        previous, used = at, spent
    print(
        f"  CPU time of everything make started, its stop included: {marks['cpu']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the clone")
    args = parser.parse_args()
    if shutil.which("make") is None:
        raise SystemExit("make is needed")
    for run in range(args.runs):
        folder = Path(tempfile.mkdtemp(prefix="mb-coldstart-"))
        try:
            workdir = clone(folder)
            print(f"run {run + 1}: fresh clone in {workdir}")
            load = os.getloadavg()[0]
            report(run_once(workdir), load)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
