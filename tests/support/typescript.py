"""OpenRouter's official TypeScript SDK (`@openrouter/sdk`, pinned with its lock file
in tests/clients/typescript/), run by Node against a server of the board.

`npm ci` installs it on first use (and again when the lock file changes); Node and
npm come from the distribution (`make test` installs Debian's when missing).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

CLIENT = Path(__file__).resolve().parents[1] / "clients" / "typescript"


@dataclass(frozen=True)
class Call:
    """One SDK call: `method` is "<namespace>.<method>", `args` its arguments."""

    method: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None
    error: dict[str, Any] | None = None


def installed() -> Path:
    """The client's directory, its dependencies installed from the lock file."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError(
            "node and npm are needed: install your distribution's nodejs and npm"
        )
    lock = CLIENT / "package-lock.json"
    stamp = CLIENT / "node_modules" / ".modelboard-lock"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    with FileLock(CLIENT / ".install.lock"):
        if not stamp.exists() or stamp.read_text() != digest:
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=CLIENT,
                check=True,
                timeout=300,
            )
            stamp.write_text(digest)
    return CLIENT


def sdk_calls(
    server_url: str, calls: list[Call], api_key: str = "unused"
) -> list[Outcome]:
    """Each call's parsed value, or the error the SDK raised (one Node process)."""
    request = {
        "serverURL": server_url,
        "apiKey": api_key,
        "calls": [{"method": c.method, "args": list(c.args)} for c in calls],
    }
    done = subprocess.run(
        ["node", "calls.mjs"],
        cwd=installed(),
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"node failed ({done.returncode}): {done.stderr[-2000:]}")
    outcomes = [Outcome(**json.loads(line)) for line in done.stdout.splitlines()]
    assert len(outcomes) == len(calls), done.stderr[-2000:]
    return outcomes
