"""Every CSV the app writes goes through one helper that defuses spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from trainer.services import export

from .conftest import scored_reply

ROOT = Path(__file__).resolve().parents[2]
# A cell a spreadsheet would run as a formula (or shift into one): a name, a scenario id.
DANGEROUS = ["=HYPERLINK(\"http://x.example\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
             "  =cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_export_csv_attempts_defuse_formula_cells(session, world, text):
    world.tom.full_name = text
    session.add(world.tom)
    session.commit()
    scored_reply(session, world.tom)
    buffer = io.StringIO()
    export.write_csv(export.attempt_rows(session=session, actor=world.admin), buffer)
    row = next(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert row["trainee_name"] == "'" + text
    assert float(row["tone_score"]) == 60  # numbers stay numbers


@pytest.mark.parametrize("value, cell", [("Anna de Vries", "Anna de Vries"), (-3.5, "-3.5"), (12, "12"), (None, ""),
                                         ("=1", "'=1"), ("-", "'-")])
def test_export_csv_cells(value, cell):
    from trainer.services.export_csv import csv_text

    assert csv_text(["a"], [[value]]).splitlines()[1].strip('"') == cell


def test_export_csv_one_helper_writes_every_csv():
    writers = [
        str(path.relative_to(ROOT)) for path in (ROOT / "trainer").rglob("*.py")
        if re.search(r"^\s*import csv\b|^\s*from csv import", path.read_text(encoding="utf-8"), re.M)
    ]
    assert writers == ["trainer/services/export_csv.py"]
