"""Each test module's measured time, to hand the longest to the workers first.

`tests/durations.json` maps a module's path to the seconds its tests took in a
full run (`make test-durations` writes it from the last run's JUnit report). A
module it does not list is estimated from its tests' markers. With `--dist
loadscope` a worker takes one module at a time: starting with the longest keeps
a one-test minute (schemathesis, the README's `make run`) from running alone at
the end while the other workers wait.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

FILE = Path(__file__).resolve().parent.parent / "durations.json"
ROOT = FILE.parent.parent

# Roughly what a test of each kind takes, in seconds, for modules not measured.
ESTIMATES = {"browser": 3.0, "integration": 10.0, "clients": 1.0, "slow": 2.0}
HTTP_ESTIMATE = 0.5
QUICK_ESTIMATE = 0.02


def measured() -> dict[str, float]:
    try:
        data = json.loads(FILE.read_text())
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, int | float)}


def estimate(markers: Iterable[str]) -> float:
    names = set(markers)
    found = [ESTIMATES[n] for n in names if n in ESTIMATES]
    if found:
        return max(found)
    return HTTP_ESTIMATE if "http" in names else QUICK_ESTIMATE


def module_of(classname: str) -> str | None:
    """`tests.api.test_x` or `tests.api.test_x.TestY` -> `tests/api/test_x.py`."""
    parts = classname.split(".")
    for end in range(len(parts), 0, -1):
        path = "/".join(parts[:end]) + ".py"
        if (ROOT / path).is_file():
            return path
    return None


def from_junit(report: Path) -> dict[str, float]:
    seconds: dict[str, float] = {}
    for case in ET.parse(report).iter("testcase"):
        module = module_of(case.get("classname", ""))
        if module is not None:
            seconds[module] = seconds.get(module, 0.0) + float(case.get("time", 0))
    return {m: round(s, 1) for m, s in sorted(seconds.items())}


if __name__ == "__main__":
    found = from_junit(Path(sys.argv[1]))
    FILE.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    print(
        f"{FILE.relative_to(ROOT)}: {len(found)} modules, {sum(found.values()):.0f} s"
    )
