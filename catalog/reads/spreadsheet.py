"""CSV cells safe to open in a spreadsheet: upstream text never becomes a formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (CSV injection). The standard
defence (OWASP) is a leading `'`, which spreadsheets show as text. Numbers keep
their sign: `-1` is data, not a formula.

Which character separates cells is the spreadsheet's choice, not the file's: one
set to a European locale splits on `;`, and some on tabs, so `a;=1` opens as two
cells, the second a formula. Every part of a value that could open as a cell, the
text after each `,`, `;` or tab, is neutralised the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


# What a spreadsheet may split a line on (a comma inside a value is quoted).
SEPARATOR = re.compile(r"[,;\t]")


def csv_cell(value: Any) -> Any:
    """`value`, with a `'` before each part a spreadsheet would run as a formula:
    the value itself, and what follows any separator in it."""
    if not isinstance(value, str) or not value:
        return value
    # The first character starts a cell whatever it is (a tab included).
    separators = list(SEPARATOR.finditer(value, 1))
    starts = [0, *(match.end() for match in separators)]
    ends = [*(match.start() for match in separators), len(value)]
    for start, end in reversed(list(zip(starts, ends, strict=True))):
        if _formula(value[start:end]):
            value = value[:start] + "'" + value[start:]
    return value


def _formula(cell: str) -> bool:
    return cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell)


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through csv_cell."""
    return [csv_cell(v) for v in values]
