"""The order `make test` hands modules out in: measured seconds from a JUnit
report, an estimate from markers for a module not measured yet."""

from __future__ import annotations

import json

from tests.support import durations


def test_a_junit_report_gives_each_modules_seconds(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(
        "<testsuites><testsuite>"
        '<testcase classname="tests.api.test_conformance" name="a" time="60.5"/>'
        '<testcase classname="tests.test_durations" name="b" time="0.25"/>'
        '<testcase classname="tests.test_durations" name="c" time="0.25"/>'
        '<testcase classname="tests.gone.test_nothing" name="d" time="9"/>'
        "</testsuite></testsuites>"
    )
    assert durations.from_junit(report) == {
        "tests/api/test_conformance.py": 60.5,
        "tests/test_durations.py": 0.5,
    }


def test_a_class_is_found_in_its_module():
    assert durations.module_of("tests.test_durations.TestSome") == (
        "tests/test_durations.py"
    )
    assert durations.module_of("nowhere.at_all") is None


def test_the_heavier_kind_estimates_a_module_not_measured():
    assert durations.estimate(["integration", "http"]) == 10.0
    assert durations.estimate(["http", "django_db"]) == durations.HTTP_ESTIMATE
    assert durations.estimate([]) == durations.QUICK_ESTIMATE


def test_the_committed_measures_are_read(monkeypatch, tmp_path):
    measured = durations.measured()
    assert measured["tests/api/test_conformance.py"] > 30
    bad = tmp_path / "durations.json"
    bad.write_text(json.dumps({"tests/x.py": "slow", "tests/y.py": 2}))
    monkeypatch.setattr(durations, "FILE", bad)
    assert durations.measured() == {"tests/y.py": 2.0}
    bad.write_text("{not json")
    assert durations.measured() == {}
