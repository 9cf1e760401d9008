"""The debrief: five worst and best conversations with transcripts, CSV and PDF."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

from tests.drills.conftest import at
from tests.drills.test_dashboard import worked  # noqa: F401  (fixture)
from trainer.services import drill_debrief, drills
from trainer.services.rights import PermissionDenied


@pytest.fixture
def stopped(session, world, worked):  # noqa: F811
    storm, conversations, now = worked
    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(now + 1))
    return storm, conversations


def test_drill_debrief_ranks_worst_and_best_with_transcripts(session, world, stopped):
    storm, (first, second, _) = stopped
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    assert report.status == "stopped" and len(report.conversations) == report.board.arrived
    assert {r.id for r in report.best} == {first.id, second.id}  # the only answered ones
    late, on_time = (next(r for r in report.best if r.id == i) for i in (first.id, second.id))
    assert late.late_replies == 1 and on_time.late_replies == 0
    assert late.handling < on_time.handling or late.mean_score < on_time.mean_score
    assert len(report.worst) == 5 and all(r.replies == 0 and r.handling == 0 for r in report.worst)
    transcript = on_time.transcript
    assert transcript[0].role == "customer" and any(line.role == "agent" and line.by == "Tom Trainee" for line in transcript)
    with pytest.raises(PermissionDenied):
        drill_debrief.debrief(session=session, actor=world.tom, run_id=storm.id)


def test_drill_debrief_csv_has_every_conversation_and_trainee(session, world, stopped):
    storm, (first, _, _) = stopped
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    rows = list(csv.DictReader(io.StringIO(drill_debrief.conversations_csv(report))))
    assert len(rows) == report.board.arrived
    row = next(r for r in rows if r["conversation"] == str(first.id))
    assert row["late_replies"] == "1" and row["handled_by"] == "Tom Trainee"
    trainees = list(csv.DictReader(io.StringIO(drill_debrief.trainees_csv(report))))
    assert {t["trainee"]: t["replies"] for t in trainees} == {"Tom Trainee": "2", "Tess Trainee": "0"}
    assert drill_debrief._clean("=HYPERLINK(1)") == "'=HYPERLINK(1)" and drill_debrief._clean("-0.25") == "-0.25"


def test_drill_debrief_pdf_shows_title_chart_and_transcripts(session, world, stopped, tmp_path):
    storm, _ = stopped
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    pdf = drill_debrief.debrief_pdf(report)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "debrief.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF back"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nabespreking: Storm op Schiphol" in text
    assert "De vijf slechtst afgehandelde gesprekken" in text and "De vijf best afgehandelde gesprekken" in text
    assert "Tom Trainee" in text and "Achterstand" in text
