"""aider's model-info lookup for OpenRouter models (`aider/openrouter.py` of
`aider-chat`, pinned by hash in tests/clients/aider/requirements.txt), imported
from its wheel.

aider pins 108 packages exactly (openai, pydantic, litellm, numpy, scipy, ...), so
it cannot share this project's environment; its lookup module needs only
`requests` and `packaging`, both in our lock. `pip download --no-deps` fetches the
wheel on first use into var/clients/aider/, and Python imports from it as from
any zip archive.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "tests" / "clients" / "aider" / "requirements.txt"
WHEELS = ROOT / "var" / "clients" / "aider"


def wheel() -> Path:
    """The pinned wheel, downloaded (hash checked) when missing."""
    WHEELS.mkdir(parents=True, exist_ok=True)
    with FileLock(WHEELS / ".download.lock"):
        found = sorted(WHEELS.glob("aider_chat-*.whl"))
        if not found:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
                + ["--require-hashes", "-r", str(REQUIREMENTS), "-d", str(WHEELS)],
                check=True,
                timeout=300,
            )
            found = sorted(WHEELS.glob("aider_chat-*.whl"))
    assert len(found) == 1, found
    return found[0]


def openrouter_module() -> ModuleType:
    """aider.openrouter, imported from the wheel."""
    path = str(wheel())
    if path not in sys.path:
        sys.path.append(path)
    import aider
    import aider.openrouter

    assert aider.__version__.startswith("0.86.2"), aider.__version__
    return aider.openrouter
