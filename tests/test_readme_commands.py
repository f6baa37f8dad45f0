"""Every command the README gives runs as written on a fresh clone, in an
environment with nothing set (no MODELBOARD_LOCAL, no SECRET_KEY).

The commands are read from the README: each line of its shell blocks and each
inline code span that starts with `make`, `.venv/bin/python manage.py` or
`python manage.py` (after any `NAME=value` settings). What "runs" means:

- a management command answers `--help` with its usage (exit 0), its words
  before it included: `sync providers|catalog` runs `sync providers --help`
  (argparse refuses a target it does not know before it answers `--help`), and
  `catalog` must be among the choices of the argument `providers` was given to
  in that usage, so a target the README names must exist;
- a make target resolves (`make -n`): the suite or a benchmark is not run here;
- `make run`, the first command of all, is run: it must show the catalogue on its
  list, from the demo upstream (the live one is made unreachable), then it stops.

The clone gets a .venv of its own, whose packages are this test run's (nothing is
installed), marked installed so that make does not install again.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import site
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ENV_PREFIX = r"(?:[A-Z_]+=\S+\s+)*"
COMMAND = re.compile(
    rf"^(?P<env>{ENV_PREFIX})(?P<command>make(?:\s+[\w-]+)?|"
    r"(?:\.venv/bin/)?python manage\.py\s+\w+.*)$"
)
INLINE = re.compile(r"`([^`\n]+)`")
COUNT = re.compile(rb'id="result-count">([\d,]+)<')

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.http]


def readme_commands(text: str) -> list[str]:
    """The README's commands, in order, each once."""
    found: list[str] = []
    block: str | None = None  # the language of the fenced block we are in
    for line in text.splitlines():
        if line.startswith("```"):
            block = line.strip("`").strip() if block is None else None
            continue
        if block is None:
            candidates = INLINE.findall(line)
        elif block in ("sh", "bash"):
            candidates = [line.split("#", 1)[0]]
        else:
            continue
        for candidate in candidates:
            command = " ".join(candidate.split())
            if COMMAND.match(command) and command not in found:
                found.append(command)
    return found


def expanded(command: str) -> list[list[str]]:
    """A command's words, once per alternative (`a|b`), optional parts (`[--x 1]`)
    kept; settings before it dropped (what they set is said in the prose)."""
    words = COMMAND.match(command)["command"].replace("[", " ").replace("]", " ")  # type: ignore[index]
    choices = [word.split("|") for word in words.split()]
    return [list(words) for words in itertools.product(*choices)]


def test_the_readme_names_the_commands_this_test_walks():
    commands = readme_commands(README.read_text())
    assert commands[:2] == ["make run", "make test"]
    assert ".venv/bin/python manage.py run_stack --demo" in commands
    assert any(c.startswith(".venv/bin/python manage.py sync ") for c in commands)
    assert not [c for c in commands if "MODELBOARD_LOCAL" in c]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh clone of HEAD with a .venv sharing this run's packages."""
    target = tmp_path_factory.mktemp("readme") / "modelboard"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)],
        check=True,
    )
    venv = target / ".venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    found = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import site; print(site.getsitepackages()[0])",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    packages = Path(found.stdout.strip())
    (packages / "shared.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    for stamp in (".installed", ".installed-dev"):
        (venv / stamp).touch()
    return target


def clean_env(clone: Path) -> dict[str, str]:
    """Nothing of the test run's settings: PATH with the clone's venv first, as an
    activated venv has it, and a live upstream that cannot be reached."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    return {
        "PATH": f"{clone / '.venv' / 'bin'}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/"),
        "OPENROUTER_BASE_URL": f"http://127.0.0.1:{closed}/api/v1",
        "PYTHONWARNINGS": "ignore",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


COMMANDS = readme_commands(README.read_text())


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if "manage.py" in c], ids=lambda c: c[:60]
)
def test_each_management_command_answers_help_without_a_key(clone, command):
    first, *others = expanded(command)
    done = subprocess.run(
        [*first, "--help"],
        cwd=clone,
        env=clean_env(clone),
        capture_output=True,
        text=True,
        timeout=120,
    )
    name = first[first.index("manage.py") + 1]
    assert done.returncode == 0, (first, done.stderr[-2000:])
    assert done.stdout.startswith(f"usage: manage.py {name}"), done.stdout[:200]
    assert "Traceback" not in done.stderr
    # The other alternatives (`sync providers|catalog|…`) differ from the one
    # run in words its usage offers as one argument's choices (`{providers,
    # catalog,…}`), the word run among them: each is a value that argument takes.
    choices = [set(c.split(",")) for c in re.findall(r"\{([^{}\s]+)\}", done.stdout)]
    for words in others:
        assert len(words) == len(first), words
        for word, ran in zip(words, first, strict=True):
            if word != ran:
                assert any({word, ran} <= c for c in choices), (words, choices)


def is_make(command: str) -> bool:
    return COMMAND.match(command)["command"].startswith("make")  # type: ignore[index]


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if is_make(c)], ids=lambda c: c[:60]
)
def test_each_make_target_resolves(clone, command):
    for words in expanded(command):
        done = subprocess.run(
            ["make", "-n", *words[1:]],
            cwd=clone,
            env=clean_env(clone),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, (words, done.stderr[-2000:])


def test_make_run_shows_the_catalogue_then_stops(clone):
    """`make run` as a newcomer types it, offline: the list shows the demo's
    models; Ctrl-C stops everything it started."""
    port, demo_port = free_port(), free_port()
    env = clean_env(clone) | {"PYTHONUNBUFFERED": "1"}
    run = subprocess.Popen(
        ["make", "run", f"RUN_ARGS=--port {port} --demo-port {demo_port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    listed = 0
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and run.poll() is None and not listed:
            time.sleep(1)
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/", timeout=5
                ) as r:
                    found = COUNT.search(r.read())
            except OSError:
                continue
            listed = int(found.group(1).replace(b",", b"")) if found else 0
    finally:
        os.killpg(run.pid, signal.SIGINT)
        output, _ = run.communicate(timeout=90)
    text = output.decode(errors="replace")
    assert listed == 321, text[-3000:]
    assert "using the bundled demo upstream" in text
    assert "No SECRET_KEY" not in text  # make sets MODELBOARD_LOCAL itself
    assert "Traceback" not in text.split("stopped")[0], text[-3000:]
