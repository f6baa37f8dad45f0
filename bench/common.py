"""What the PostgreSQL benchmarks share: a database made afresh, the board's
commands in their own processes (wall time and peak RSS each), the demo upstream
in its own process, a quarter of stats written in SQL, gunicorn.

Standard library and psycopg only: the board itself runs in the subprocesses.
"""

from __future__ import annotations

import os
import platform
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from demo import litellm
from stats.definitions import MINUTES_SINCE

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/modelboard_bench"
# One scratch directory per benchmark run (collected static files, broker files).
VAR = tempfile.mkdtemp(prefix="mb-bench-")
SECRET_KEY = secrets.token_urlsafe(50)


def database_url() -> str:
    """The PostgreSQL database the benchmark owns (dropped and made again)."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"BENCH_DATABASE_URL must be PostgreSQL, got {url!r}")
    return url


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def machine() -> str:
    """One line about where the numbers were taken."""
    cores = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with psycopg.connect(database_url()) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    pg = row[0] if row else "?"
    return (
        f"{platform.machine()} {cores} cores, Linux {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg}, load {load}"
    )


def board_env(**extra: str) -> dict[str, str]:
    """The environment of the board's processes under benchmark."""
    env = dict(os.environ)
    # A throwaway board: a key of its own unless one is given (DEBUG is off).
    env.setdefault("SECRET_KEY", SECRET_KEY)
    env |= {
        "DATABASE_URL": database_url(),
        "MODELBOARD_VAR_DIR": VAR,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "SYNC_REQUESTS_PER_SECOND": "1000",
        "SYNC_ENDPOINTS_CONCURRENCY": "8",
        "SYNC_WINDOW_SECONDS": "3500",
        "SYNC_LOCK_SECONDS": "3600",
        "HTTP_TIMEOUT_SECONDS": "30",
    }
    return env | extra


@dataclass(frozen=True)
class Ran:
    """One command: how long it took and its peak resident memory."""

    seconds: float
    peak_rss_mb: float
    output: str


def manage(env: dict[str, str], *args: str, check: bool = True) -> Ran:
    """Run `manage.py args` in its own process; its wall time and peak RSS."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        output = out.read().decode(errors="replace")
    if check and process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output[-3000:]}")
    # ru_maxrss is in kilobytes on Linux.
    return Ran(seconds, usage.ru_maxrss / 1024, output)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


@contextmanager
def demo_upstream(snapshot: str) -> Iterator[dict[str, str]]:
    """The demo upstream in its own process; the settings that point at it."""
    port = free_port()
    env = board_env(DJANGO_SETTINGS_MODULE="config.settings")
    process = subprocess.Popen(
        [PYTHON, "manage.py", "demo_upstream", "--port", str(port), "--snapshot", snapshot],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/v1/providers")
        yield {
            "OPENROUTER_BASE_URL": f"{base}/api/v1",
            "OPENROUTER_SITE_URL": base,
            "LITELLM_PRICES_URL": f"{base}{litellm.PATH}",
        }
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """The board under gunicorn on a loopback port; its base URL."""
    port = free_port()
    argv = [
        str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(argv, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/__bench/trivial")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


# What an uptime of that time means (stats.definitions: upstream's cut-over).
_DEFINITION = f"CASE WHEN {{}} >= '{MINUTES_SINCE.isoformat()}' THEN 'minutes' ELSE 'requests' END"
# A quarter (90 days) of stats for every model and endpoint, as the polls and the
# rollup job would have left them.
STATS_SQL = """
INSERT INTO stats_tokenusagedaily
    (model_id, date, source, prompt, completion, reasoning, total, requests)
SELECT m.id, d::date, 'website', v.p, v.c, v.c / 10, v.p + v.c, (v.p + v.c) / 2000
FROM catalog_languagemodel m
CROSS JOIN generate_series(current_date - 89, current_date, interval '1 day') AS d
CROSS JOIN LATERAL (
    SELECT (abs(hashtext(m.slug || d::text)) % 900000000)::bigint AS p,
           (abs(hashtext(d::text || m.slug)) % 300000000)::bigint AS c
) AS v
ON CONFLICT DO NOTHING;

INSERT INTO stats_endpointrollup
    (endpoint_id, period, start, samples, uptime_avg, uptime_min,
     latency_p50_avg, throughput_p50_avg, uptime_definition)
SELECT e.id, 'day', d, 288, 95 + random() * 5, 90, 200 + random() * 800,
       20 + random() * 150, {definition_d}
FROM catalog_endpoint e
CROSS JOIN generate_series(date_trunc('day', now()) - interval '89 days',
                           date_trunc('day', now()) - interval '1 day',
                           interval '1 day') AS d
ON CONFLICT DO NOTHING;

INSERT INTO stats_endpointrollup
    (endpoint_id, period, start, samples, uptime_avg, uptime_min,
     latency_p50_avg, throughput_p50_avg, uptime_definition)
SELECT e.id, 'hour', h, 12, 95 + random() * 5, 90, 200 + random() * 800,
       20 + random() * 150, {definition_h}
FROM catalog_endpoint e
CROSS JOIN generate_series(date_trunc('hour', now()) - interval '167 hours',
                           date_trunc('hour', now()) - interval '1 hour',
                           interval '1 hour') AS h
ON CONFLICT DO NOTHING;

INSERT INTO stats_uptimehistory
    (model_id, endpoint_id, series, hour, uptime, source, uptime_definition)
SELECT m.id, NULL, '', h, 95 + random() * 5, 'model-uptime-recent', {definition_h}
FROM catalog_languagemodel m
CROSS JOIN generate_series(date_trunc('hour', now()) - interval '71 hours',
                           date_trunc('hour', now()), interval '1 hour') AS h
ON CONFLICT DO NOTHING;

INSERT INTO stats_app (upstream_id, title, slug, description, main_url, origin_url,
                       source_code_url, categories, updated_at)
SELECT 'bench-app-' || i, 'App ' || i, 'app-' || i, 'An app', '', '', '', '[]', now()
FROM generate_series(1, 200) AS i
ON CONFLICT DO NOTHING;

INSERT INTO stats_appusage (app_id, model_id, period, period_start, rank, tokens)
SELECT a.id, m.id, 'week', date_trunc('week', now())::date, r, 1000000000 / r
FROM catalog_languagemodel m
CROSS JOIN generate_series(1, 5) AS r
JOIN stats_app a ON a.upstream_id = 'bench-app-' || (1 + (m.id * 7 + r) % 200)
ON CONFLICT DO NOTHING;
""".format(definition_d=_DEFINITION.format("d"), definition_h=_DEFINITION.format("h"))


def fill_stats(env: dict[str, str]) -> float:
    """Write a quarter of stats in SQL, then let the rollup job derive the current
    figures and rankings from them (as it does every hour); seconds taken."""
    started = time.monotonic()
    with psycopg.connect(database_url(), autocommit=True) as conn:
        conn.execute(STATS_SQL)
        conn.execute("VACUUM ANALYZE")
    manage(
        env,
        "shell",
        "-c",
        "from stats.housekeeping import stats_rollup; stats_rollup()",
    )
    with psycopg.connect(database_url(), autocommit=True) as conn:
        # The rollup rewrote every model's figures and rank: vacuumed and analysed
        # as autovacuum would have within a minute (whatever the server's setting).
        conn.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def peak_rss_of_self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
