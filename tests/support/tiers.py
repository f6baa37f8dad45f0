"""The fast tier keeps its promise: no socket, no process, no test over a second.

`make test-fast` runs every test not marked `slow`, `http`, `integration` or
`browser`, with `--fast-tier`: a test that opens a socket or starts a process
then fails with the reason, and the run fails when a test's call took longer
than `--slow-limit` seconds without being marked `slow`.

"Took longer" is counted as the test's own time, not the clock's: the process's
CPU time during the call plus what it slept. A busy machine stretches the clock
of every test alike; it does not make a test slow.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Generator
from typing import Any

import pytest

MARKERS = ("slow", "http", "integration", "browser")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("modelboard")
    group.addoption(
        "--fast-tier",
        action="store_true",
        help="refuse sockets and processes: the fast tier's tests use neither",
    )
    group.addoption(
        "--slow-limit",
        type=float,
        default=None,
        help="fail the run when a test not marked slow took longer (seconds)",
    )


class Refused(RuntimeError):
    pass


def _refuse(what: str) -> Any:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise Refused(
            f"the fast tier {what}: mark this test `http` or `integration`, "
            "or keep it in-process"
        )

    return refused


@pytest.fixture(autouse=True)
def fast_tier_isolation(request: pytest.FixtureRequest, monkeypatch) -> None:
    if not request.config.getoption("--fast-tier"):
        return
    monkeypatch.setattr(socket.socket, "connect", _refuse("opens no socket"))
    monkeypatch.setattr(socket.socket, "bind", _refuse("opens no socket"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("starts no process"))
    monkeypatch.setattr(time, "sleep", _sleeps.sleep)


class _Sleeps:
    """How long some thread of the process was asleep (the union of their sleeps:
    eight threads asleep for the same second count one second)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._asleep = 0
        self._since = 0.0
        self._lock = threading.Lock()
        self._sleep = time.sleep

    def sleep(self, seconds: float) -> None:
        with self._lock:
            if not self._asleep:
                self._since = time.perf_counter()
            self._asleep += 1
        try:
            self._sleep(seconds)
        finally:
            with self._lock:
                self._asleep -= 1
                if not self._asleep:
                    self.total += time.perf_counter() - self._since


_sleeps = _Sleeps()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    cpu, slept = time.process_time(), _sleeps.total
    yield
    own = time.process_time() - cpu + _sleeps.total - slept
    item.user_properties.append(("own_seconds", round(own, 3)))


def _own(report: pytest.TestReport) -> float:
    for name, value in report.user_properties:
        if name == "own_seconds":
            return float(value)
    return report.duration


class SlowWatch:
    """Collects the calls that took longer than the limit, unmarked."""

    def __init__(self, limit: float):
        self.limit = limit
        self.offenders: list[tuple[str, float]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" or "slow" in report.keywords:
            return
        if _own(report) > self.limit:
            self.offenders.append((report.nodeid, _own(report)))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.offenders and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.offenders:
            return
        terminalreporter.section("tests over the slow limit", red=True)
        for nodeid, seconds in sorted(self.offenders, key=lambda o: -o[1]):
            terminalreporter.line(
                f"{seconds:.2f}s {nodeid}: over {self.limit:g} s, not marked slow"
            )


def pytest_configure(config: pytest.Config) -> None:
    limit = config.getoption("--slow-limit")
    # In the controller (or a run without workers): the reports of every worker.
    if limit is not None and not hasattr(config, "workerinput"):
        config.pluginmanager.register(SlowWatch(limit), "slow-watch")
