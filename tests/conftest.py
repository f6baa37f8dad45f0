"""Shared fixtures: the demo upstream over real HTTP, settings pointed at it, and a
real Celery worker process for integration tests."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from demo import litellm
from demo.server import DemoUpstream
from tests.support import databases, durations, snapshots
from tests.support.liveserver import without_nagle
from tests.support.upstream import in_process, mock_upstream_settings

ROOT = Path(__file__).resolve().parent.parent
# The processes the tests start (workers, commands) run on this machine too.
os.environ.setdefault("MODELBOARD_LOCAL", "1")
# Tests that use these talk over real sockets (a demo upstream server, the live
# server, a worker): they are marked `http` and left out of the fast tier.
HTTP_FIXTURES = {
    "demo",
    "upstream",
    "live_server",
    "celery_worker",
    "site",
    "hostile_board",
    "cache_down",
}


def pytest_configure(config) -> None:
    databases.run_uid(config)  # before xdist starts the workers
    databases.isolate_redis(config)


# States that take seconds to build from scratch (the 2026 history replayed day
# by day): a test that needs one is slow, whatever the cache holds.
SLOW_FIXTURES = {"replayed"}


def pytest_report_header(config) -> str | None:
    if _suite_on_postgresql():
        return None
    return (
        "suite database: SQLite; the tests marked postgresql (about PostgreSQL "
        "alone) run when DATABASE_URL points at PostgreSQL (CI's second leg)"
    )


def _suite_on_postgresql() -> bool:
    return "sqlite" not in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items) -> None:
    if not _suite_on_postgresql():
        # The suite on the embedded defaults needs no PostgreSQL server: what
        # PostgreSQL alone stores, plans or survives is asked of it on its leg.
        about_postgresql = [i for i in items if i.get_closest_marker("postgresql")]
        if about_postgresql:
            config.hook.pytest_deselected(items=about_postgresql)
            items[:] = [i for i in items if not i.get_closest_marker("postgresql")]
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if HTTP_FIXTURES & fixtures:
            item.add_marker(pytest.mark.http)
        if SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("clients"):
            # CI counts the client matrix's tests apart (its JUnit report).
            item.user_properties.append(("clients", "yes"))
    # The longest modules first (tests/support/durations.py): the workers (one
    # module each at a time, --dist loadscope) then end on short ones together
    # rather than one of them on a minute-long test while the others wait.
    known = durations.measured()
    weight: dict[str, float] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        if module in known:
            weight[module] = known[module]
        else:
            markers = (m.name for m in item.iter_markers())
            weight[module] = weight.get(module, 0.0) + durations.estimate(markers)
    items.sort(key=lambda item: -weight[item.nodeid.split("::")[0]])


def pytest_sessionfinish(session) -> None:
    if databases.worker_id(session.config) is None:
        databases.tear_down_run(session.config)


@pytest.fixture(scope="session", autouse=True)
def static_files_looked_up_per_request() -> Iterator[None]:
    """The test client builds the middleware afresh for each test, and WhiteNoise
    would list every static file each time (a fifth of the fast tier): here it
    looks a file up when asked, as in development. What production serves is
    tested where it is served: tests/front/test_static.py and the browser's
    page-weight test against gunicorn."""
    from django.test.utils import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(scope="module", autouse=True)
def shared_state(request) -> Iterator[None]:
    """A module marked `state(name)` restores that catalogue state once, and each
    of its tests runs in a savepoint of it (see snapshots.shared)."""
    marker = request.node.get_closest_marker("state")
    if marker is None:
        yield
        return
    request.getfixturevalue("django_db_setup")
    with snapshots.shared(marker.args[0], request.getfixturevalue("django_db_blocker")):
        yield


TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def shared_state_asked(request) -> Iterator[None]:
    if snapshots.SHARED.name is None:
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = TRANSACTIONAL & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        pytest.fail(
            f"{request.node.nodeid} needs a committed database, which a module that "
            f"shares a state in its transaction (pytest.mark.state) cannot give"
        )
    with snapshots.sharing_checked(request.node.nodeid):
        yield


@pytest.fixture(scope="session", autouse=True)
def live_servers_without_nagle() -> Iterator[None]:
    """The live servers answer a kept-alive connection at once (see
    tests/support/liveserver.py): a page's files, an SDK's calls."""
    with without_nagle():
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request) -> None:
    """The test database's name (no per-worker suffix: workers clone it)."""
    databases.name_test_database(request.config)


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
) -> Iterator[None]:
    """The migrated database, built once per run and cloned for each worker."""
    with django_db_blocker.unblock():
        tear_down = databases.set_up(request.config)
    yield
    with django_db_blocker.unblock():
        tear_down()


PLAIN_STATIC_STORAGE = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}


@pytest.fixture(autouse=True)
def plain_static_storage(settings) -> None:
    """Pages in tests link unfingerprinted static files: the live server serves them
    through the finders, which know no hashed names. tests/test_static.py covers the
    fingerprinted, compressed files that production serves."""
    settings.STORAGES = settings.STORAGES | {"staticfiles": PLAIN_STATIC_STORAGE}


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rendered pages, and the rate limits'
    counters (a test's requests never count against the next one's); a
    rolled-back database may reuse what a cached page or data version was keyed
    by."""
    with contextlib.suppress(Exception):  # a test may point the cache at nothing
        cache.clear()
    yield
    with contextlib.suppress(Exception):
        cache.clear()


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    """`manage.py sync` settles the collector for a long run (config.collector);
    called in this process, it would do so for the rest of the test run."""
    threshold = gc.get_threshold()
    yield
    if gc.get_freeze_count() or gc.get_threshold() != threshold:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.fixture(autouse=True)
def queued_tasks(monkeypatch) -> list[tuple[str, dict]]:
    """Tasks that request code (admin buttons, watch confirmations) hands to the
    broker, recorded instead of sent: no test process has a worker of its own
    (integration tests queue through their worker's broker)."""
    sent: list[tuple[str, dict]] = []

    def send_task(name, args=None, kwargs=None, **options):
        sent.append((name, kwargs or {}))

    monkeypatch.setattr("catalog.runs.queueing.current_app.send_task", send_task)
    return sent


@pytest.fixture(autouse=True)
def pages_built_each_time(settings) -> None:
    """Tests write rows straight through the ORM, which no data version follows:
    pages are built for every request here. tests/front/test_page_cache.py turns
    the page cache on to test it."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def demo() -> Iterator[DemoUpstream]:
    """The demo upstream on a free loopback port, serving the 2025-05-22 catalogue."""
    with DemoUpstream(port=0, snapshot="2025-05-22") as server:
        yield server


@pytest.fixture
def upstream(demo: DemoUpstream, settings) -> DemoUpstream:
    """Settings pointed at the demo upstream, with test-friendly limits."""
    settings.OPENROUTER_BASE_URL = demo.base_url
    settings.OPENROUTER_SITE_URL = demo.url
    settings.LITELLM_PRICES_URL = f"{demo.url}{litellm.PATH}"
    settings.HTTP_TIMEOUT_SECONDS = 2
    settings.SYNC_REQUESTS_PER_SECOND = 1000
    settings.SYNC_ENDPOINTS_CONCURRENCY = 8
    return demo


@pytest.fixture
def mock_upstream(settings, monkeypatch) -> DemoUpstream:
    """The demo upstream answering in-process through httpx.MockTransport: the same
    routes, recordings and faults as over HTTP, without a socket (the fast tier).

    Faults that need a socket (`slow`: a read timeout) only show over HTTP.
    """
    demo = DemoUpstream(port=0, snapshot="2025-05-22")
    monkeypatch.setattr("catalog.sources.transport", lambda: in_process(demo))
    for name, value in mock_upstream_settings(demo).items():
        setattr(settings, name, value)
    return demo


@pytest.fixture
def synced(mock_upstream: DemoUpstream) -> DemoUpstream:
    """The 2025-05-22 providers, catalogue and endpoints (with their stats samples)
    synced from the demo upstream (restored from this run's snapshot of them)."""
    snapshots.load("synced")
    return mock_upstream


@pytest.fixture(scope="module")
def replayed(django_db_setup, django_db_blocker) -> Iterator[dict[int, int]]:
    """The 2026 history replayed (restored from this run's snapshot of it), in a
    transaction rolled back after the module: run id -> recording index."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield snapshots.load("replayed")
        transaction.set_rollback(True)


def _worker_env(demo: DemoUpstream, broker_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        )
    env |= {
        "SECRET_KEY": settings.SECRET_KEY,
        "OPENROUTER_BASE_URL": demo.base_url,
        "OPENROUTER_SITE_URL": demo.url,
        # LiteLLM's price map from the demo too: a test never reaches the internet.
        "LITELLM_PRICES_URL": f"{demo.url}{litellm.PATH}",
        "HTTP_TIMEOUT_SECONDS": "2",
        "SYNC_REQUESTS_PER_SECOND": "1000",
        "SYNC_ENDPOINTS_CONCURRENCY": "8",
        "MODELBOARD_VAR_DIR": str(broker_dir),
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "SYNC_RETRY_BASE_SECONDS": "1",
        # Our own queue, so leftovers of other runs on a shared broker never reach us.
        "CELERY_QUEUE": f"test-{broker_dir.name}-{os.getpid()}",
        "PYTHONPATH": str(ROOT),
    }
    return env


class Worker:
    """A `celery worker` subprocess; `send` queues a task through the same broker.

    It serves the sync queue and the alerts queue, unless given `queues`
    ("sync", "alerts") to serve only some of them.
    """

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        queues: tuple[str, ...] = ("sync", "alerts"),
        concurrency: int = 2,
    ):
        self.env, self.log = env, log
        self.queues, self.concurrency = queues, concurrency
        self.process: subprocess.Popen | None = None

    def queue_names(self) -> str:
        sync = self.env["CELERY_QUEUE"]
        names = {"sync": sync, "alerts": f"{sync}.alerts"}
        return ",".join(names[q] for q in self.queues)

    def start(self) -> Worker:
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "--concurrency",
            str(self.concurrency),
            "--pool",
            "prefork",
            "-Q",
            self.queue_names(),
            "-n",
            f"test{time.time_ns()}@%h",
        ]
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            # Its own process group: the worker and its pool children die together.
            start_new_session=True,
        )
        return self

    def kill(self, sig: int = 9) -> None:
        """Signal the worker's main process only (its pool children live on)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def kill_all(self, sig: int = signal.SIGKILL) -> None:
        """Signal the worker and its pool children, as a process manager would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop the worker and its pool children, at once: a test is done with it.
        (Celery 5.6 answers SIGQUIT with a shutdown that waits some 5 s; what a
        worker does when it is killed is what the fault tests test.)"""
        if self.process:
            # Its children may outlive a main process that died.
            self.kill_all()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send(self, task: str, *args, broker: str = "", **options) -> None:
        """Queue `task` (through `broker` when given, else the worker's own)."""
        code = (
            "import sys; from config.celery import app; "
            f"app.send_task({task!r}, args={list(args)!r}, **{options!r})"
        )
        env = self.env | ({"CELERY_BROKER_URL": broker} if broker else {})
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60
        )


@pytest.fixture
def celery_worker(
    request, transactional_db, upstream: DemoUpstream, tmp_path: Path
) -> Iterator[Worker]:
    """A real Celery worker process on the configured broker, polling the demo;
    with the settings of the test's `worker_env` marker in its environment."""
    env = _worker_env(upstream, tmp_path)
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    for marker in request.node.iter_markers("worker_env"):
        env |= marker.kwargs
    worker = Worker(env, tmp_path / "worker.log").start()
    yield worker
    worker.stop()


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    """Poll `predicate` until it returns something truthy, or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
