"""The list's workload folded into one line: the preset's name while its fields are
the preset's, "Custom" once one differs, the volume as asked (a day or a month)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from front.workload import workload_state


@pytest.mark.parametrize(
    ("query", "default", "line"),
    [
        ("", True, "Chat: 1,500 in + 400 out × 1,000/day"),
        ("", False, ""),
        ("preset=rag", False, "RAG with long prompts: 8,000 in + 500 out × 500/day"),
        (
            "preset=rag&input_tokens=9000",
            False,
            "Custom: 9,000 in + 500 out × 500/day",
        ),
        (
            "input_tokens=2000&output_tokens=100&tokens_per_month=5000000",
            False,
            "Custom: 2,000 in + 100 out × 5,000,000 tokens/month",
        ),
    ],
)
def test_the_workload_line(query: str, default: bool, line: str):
    assert workload_state(QueryDict(query), default=default).line == line


def test_an_invalid_workload_has_no_line():
    state = workload_state(QueryDict("input_tokens=-1"), default=True)
    assert state.form.errors and state.line == ""
