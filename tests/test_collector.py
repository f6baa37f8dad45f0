"""The long-lived processes settle their garbage collector (config.collector):
gunicorn's workers, Celery's workers and `manage.py sync`."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from config.collector import THRESHOLD

ROOT = Path(__file__).resolve().parent.parent

# What the process's collector looks like once the entry point is loaded.
REPORT = "print(json.dumps([gc.get_freeze_count(), gc.get_threshold()]))"


def settled_in_a_process_of_its_own(code: str, tmp_path: Path) -> tuple[int, list]:
    # Not in this process: settling it would change the collector of the test run.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MODELBOARD_LOCAL": "1",
        "MODELBOARD_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import gc, json; {code}; {REPORT}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    frozen, threshold = json.loads(done.stdout.strip().splitlines()[-1])
    return frozen, threshold


@pytest.mark.integration
def test_gunicorns_application_settles_its_worker(tmp_path):
    """Loading config.wsgi (what each gunicorn worker does) freezes Django and the
    apps (tens of thousands of objects) and raises the thresholds."""
    frozen, threshold = settled_in_a_process_of_its_own("import config.wsgi", tmp_path)
    assert frozen > 20_000
    assert tuple(threshold) == THRESHOLD


@pytest.mark.integration
def test_a_celery_worker_process_settles_once_started(tmp_path):
    """A worker's child process, once its tasks are loaded (worker_process_init)."""
    code = (
        "import django; django.setup(); "
        "from config.celery import app; "
        "from celery.signals import worker_process_init; "
        "worker_process_init.send(sender=None)"
    )
    frozen, threshold = settled_in_a_process_of_its_own(code, tmp_path)
    assert frozen > 20_000
    assert tuple(threshold) == THRESHOLD


@pytest.mark.integration
def test_the_default_collector_is_what_settling_changes(tmp_path):
    """Without an entry point, a process keeps CPython's defaults: the two tests
    above see what the entry points did."""
    frozen, threshold = settled_in_a_process_of_its_own(
        "import django; django.setup()", tmp_path
    )
    assert frozen == 0
    assert tuple(threshold) != THRESHOLD


@pytest.mark.django_db
def test_manage_py_sync_settles_before_it_polls(upstream):
    """`manage.py sync` holds a whole catalogue parsed: settled first. (The
    collector_as_found fixture puts this process's collector back afterwards.)"""
    assert gc.get_threshold() != THRESHOLD
    call_command("sync", "providers", no_progress=True, stdout=StringIO())
    assert gc.get_threshold() == THRESHOLD
    assert gc.get_freeze_count() > 0
