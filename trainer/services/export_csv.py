"""The one way the app writes CSV: every cell passes `safe_cell`.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and a leading tab
or carriage return can hide one; such text cells get a leading `'`, which spreadsheets show as
plain text. Real numbers (int, float) are written as they are, negative ones included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    # Leading spaces do not stop every spreadsheet from reading what follows as a formula.
    return "'" + text if text.lstrip(" ")[:1] in FORMULA_STARTS else text


def write_rows(stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[object] | Mapping[str, object]]) -> int:
    """A header and the rows (sequences in column order, or dicts by column); returns the count."""
    # CRLF (RFC 4180): the writer then quotes a cell holding either \r or \n, so no cell breaks a row.
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        values = [row.get(column) for column in columns] if isinstance(row, Mapping) else row
        writer.writerow([safe_cell(value) for value in values])
        count += 1
    return count


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object] | Mapping[str, object]]) -> str:
    out = io.StringIO()
    write_rows(out, columns, rows)
    return out.getvalue()
