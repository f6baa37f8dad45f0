"""What a model page costs on the wire, counted by the browser (Chromium's network
events, headers included), served the production way: gunicorn, whitenoise's
fingerprinted, precompressed static files, DEBUG off, the page cache on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import Browser

from tests.conftest import ROOT, wait_for

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 500 * 1024
REPEAT_VISIT_BUDGET = 40 * 1024
MODEL = "/liquid/lfm-40b"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def production(site: str, tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the live server's database, static files collected."""
    from tests.support.receiver import free_port

    env = dict(os.environ) | {
        "DATABASE_URL": _database_url(),
        "MODELBOARD_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "CACHE_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True, timeout=300)  # fmt: skip
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        def answers() -> bool:
            try:
                return httpx.get(f"{base}/healthz").status_code == 200
            except httpx.TransportError:
                return False

        wait_for(answers, timeout=60)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_first_visit_under_500_kb_and_repeat_under_40_kb(
    production: str, browser: Browser
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: list[float] = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    encodings: dict[str, str] = {}
    page.on(
        "response",
        lambda r: encodings.setdefault(r.url, r.headers.get("content-encoding", "")),
    )

    page.goto(production + MODEL, wait_until="networkidle")
    page.locator("[data-chart] .main-svg").first.wait_for()
    first = sum(received)
    assert first <= FIRST_VISIT_BUDGET, f"first visit {first / 1024:.0f} KB"
    assert encodings[production + MODEL] == "br"  # the HTML, compressed
    plotly = next(url for url in encodings if "plotly-basic" in url)
    assert encodings[plotly] == "br"

    received.clear()
    page.goto(production + MODEL, wait_until="networkidle")
    repeat = sum(received)
    received.clear()
    page.reload(wait_until="networkidle")  # revalidates the page itself
    reloaded = sum(received)
    print(f"model page on the wire: first {first / 1024:.0f} KB, repeat "
          f"{repeat / 1024:.1f} KB, reload {reloaded / 1024:.1f} KB")  # fmt: skip
    assert max(repeat, reloaded) <= REPEAT_VISIT_BUDGET, (repeat, reloaded)
    assert page.locator("[data-chart] .main-svg").count() >= 4
    context.close()
