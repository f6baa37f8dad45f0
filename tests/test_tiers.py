"""The fast tier's promises are checked by the suite itself: a test that runs
over the slow limit unmarked fails the run, and one that opens a socket is
refused."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INI = """
[pytest]
markers =
    slow: takes over a second on its own
"""


def run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makeini(INI)
    pytester.makepyfile(source)
    return pytester.runpytest_inprocess(
        "-p", "tests.support.tiers", "-p", "no:cacheprovider", "-p", "no:django",
        "--fast-tier", "--slow-limit", "0.1",
    )  # fmt: skip


def test_an_unmarked_test_over_the_limit_fails_the_run(pytester):
    result = run(
        pytester,
        """
        import time
        import pytest

        def test_sleeps():
            time.sleep(0.15)

        def test_works():
            end = time.process_time() + 0.15
            while time.process_time() < end:
                pass

        @pytest.mark.slow
        def test_marked():
            time.sleep(0.15)

        def test_quick():
            pass
        """,
    )
    result.assert_outcomes(passed=4)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # Listed longest first, so the two (both ~0.15 s) may come in either order.
    result.stdout.fnmatch_lines(["*test_sleeps: over 0.1 s, not marked slow"])
    result.stdout.fnmatch_lines(["*test_works: over 0.1 s, not marked slow"])
    assert "test_marked:" not in result.stdout.str()
    assert "test_quick:" not in result.stdout.str()


def test_tests_under_the_limit_pass(pytester):
    result = run(pytester, "def test_quick():\n    pass\n")
    assert result.ret == pytest.ExitCode.OK


def test_the_fast_tier_refuses_a_socket_and_a_process(pytester):
    result = run(
        pytester,
        """
        import socket
        import subprocess

        def test_socket():
            socket.create_connection(("127.0.0.1", 9))

        def test_process():
            subprocess.run(["true"])
        """,
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*opens no socket*", "*starts no process*"])
