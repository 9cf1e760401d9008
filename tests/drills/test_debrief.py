"""The debrief: five worst and best conversations with transcripts, CSV and PDF."""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib

import pytest

from tests.drills.conftest import at
from tests.drills.test_dashboard import worked  # noqa: F401  (fixture)
from trainer.services.export_csv import safe_cell
from trainer.services import drills
from trainer.services.drills import debrief as drill_debrief
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
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell(-0.25) == -0.25


def _pdf_text(pdf: bytes) -> str:
    """The text drawn on the PDF's pages: every content stream inflated, every string shown
    with Tj/TJ joined (no PDF tool needed on the machine)."""
    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            content = zlib.decompress(stream.strip())
        except zlib.error:
            try:
                content = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
            except (ValueError, zlib.error):
                continue
        for line in re.findall(rb"\[(.*?)\]\s*TJ|\((.*?)(?<!\\)\)\s*Tj", content, re.S):
            chunk = line[0] or line[1]
            shown.append(b"".join(re.findall(rb"\((.*?)(?<!\\)\)", chunk)) if line[0] else chunk)
    return " ".join(part.decode("latin-1") for part in shown)


def test_drill_debrief_pdf_shows_title_chart_and_transcripts(session, world, stopped):
    storm, _ = stopped
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    pdf = drill_debrief.debrief_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "Nabespreking: Storm op Schiphol" in text
    assert "De vijf slechtst afgehandelde gesprekken" in text and "De vijf best afgehandelde gesprekken" in text
    assert "Tom Trainee" in text and "Achterstand" in text
    assert report.worst[0].customer_name in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_drill_debrief_pdf_words_come_from_content_ui(session, world, stopped, language):
    """Headings and labels in the drill's language (content/ui `drills.pdf.*`), each
    conversation's outcome by name instead of its stored word."""
    import dataclasses

    from scoring.config import media_catalogue
    from trainer.i18n import t

    storm, _ = stopped
    found = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    # One of the worst ended badly: its stored word is shown by name.
    worst = [dataclasses.replace(found.worst[0], outcome="escalated"), *found.worst[1:]]
    report = dataclasses.replace(found, language=language, worst=worst)
    # Readable: the PDF writes "(" as \( and other letters as octal escapes in its fonts' encoding
    # (WinAnsi, cp1252): "ge\353scaleerd", "\226" for "–".
    text = re.sub(r"\\([0-7]{3}|[()\\])", lambda m: bytes([int(m[1], 8)]).decode("cp1252") if m[1].isdigit() else m[1],
                  _pdf_text(drill_debrief.debrief_pdf(report)))
    texts = drill_debrief.pdf_texts(language)
    assert texts == {name: t(f"drills.pdf.{name}", language) for name in drill_debrief.PDF_TEXTS}
    assert f"{texts['debrief']}: {report.title}" in text and texts["worst"] in text and texts["backlog"] in text
    other = drill_debrief.pdf_texts("en" if language == "nl" else "nl")
    assert other["worst"] not in text
    shown = {r.id: t(f"drills.outcome.{r.outcome}", language) if r.outcome else "–" for r in report.worst + report.best}
    assert shown[worst[0].id] == t("drills.outcome.escalated", language)
    assert language == "en" or "escalated" not in text  # the Dutch PDF: "geëscaleerd", not the stored word
    media = media_catalogue().media
    assert all(f"#{r.id} {r.customer_name} ({r.handle}) · {media[r.medium].name(language)} · "
               f"{texts['handling']} {r.handling:.0f} · {shown[r.id]}" in text for r in report.worst + report.best)
