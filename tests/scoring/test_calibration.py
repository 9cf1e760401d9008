"""`webcare calibrate`: a team lead's judgements in, agreement per dimension out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scoring.calibration import (
    CalibrationFileInvalid,
    GradedReply,
    JudgedPair,
    calibrate,
    format_report,
    load_judgements,
    spearman,
)
from scoring import score_reply

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "calibration_nl.jsonl"
MEDIA = {"twitter", "email", "facebook_comment"}


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "judged.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_calibration_reads_pairs_and_graded_replies_by_their_fields(tmp_path):
    path = write(tmp_path,
                 '{"customer": "Waar blijft mijn pakket?", "better": "a", "worse": "b", "aspect": "repeat"}',
                 "",
                 "# a comment",
                 '{"customer": "Waar blijft mijn pakket?", "reply": "c", "grade": 40, "medium": "email"}')
    first, second = load_judgements(path, known_media=MEDIA)
    assert isinstance(first, JudgedPair) and first.dimension == "substance"
    assert isinstance(second, GradedReply) and second.grade == 40 and second.medium == "email"


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"customer": "x", "better": "a"}', "worse: is missing"),
        ('{"customer": "x", "reply": "a", "grade": 101}', "grade: Input should be less than or equal to 100"),
        ('{"customer": "x", "reply": "a", "grade": 50, "dimensions": {"warmth": 40}}', "dimension 'warmth' is not one of"),
        ('{"customer": "x", "better": "a", "worse": "b", "aspect": "vibes"}', "aspect 'vibes' is not one of"),
        ('{"customer": "x", "better": "a", "worse": "b", "score": 3}', "score: is not a known field"),
        ('{"customer": "x", "better": "a", "worse": "b", "medium": "fax"}', "medium: 'fax' is not one of"),
        ('{"customer": "x", "better": "a", "worse": "b", "language": "de"}', "language: Input should be 'nl' or 'en'"),
        ('{"customer": "x", "better": "a", "worse": "b", "kind": "triple"}', "kind must be 'pair' or 'graded'"),
        ('["not", "an", "object"]', "each line must be a JSON object"),
        ('{"customer": "x", "better": "a",', "not valid JSON"),
    ],
)
def test_calibration_file_errors_name_the_line(tmp_path, line, message):
    path = write(tmp_path, '{"customer": "x", "better": "a", "worse": "b"}', line)
    with pytest.raises(CalibrationFileInvalid) as caught:
        load_judgements(path, known_media=MEDIA)
    assert caught.value.errors == [f"{path}:2: " + caught.value.errors[0].split(":2: ", 1)[1]]
    assert message in caught.value.errors[0]


def test_calibration_file_reports_every_bad_line_at_once(tmp_path):
    path = write(tmp_path, "{", '{"customer": "x"}', '{"customer": "x", "better": "a", "worse": "b"}', "[]")
    with pytest.raises(CalibrationFileInvalid) as caught:
        load_judgements(path, known_media=MEDIA)
    assert [e.split(": ", 1)[0] for e in caught.value.errors] == [f"{path}:1", f"{path}:2", f"{path}:4"]


def test_calibration_file_that_is_empty_or_unreadable_is_refused(tmp_path):
    with pytest.raises(CalibrationFileInvalid, match="holds no judgements"):
        load_judgements(write(tmp_path, "# only a comment"))
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CalibrationFileInvalid, match="not UTF-8"):
        load_judgements(binary)
    with pytest.raises(CalibrationFileInvalid, match="cannot read it"):
        load_judgements(tmp_path / "missing.jsonl")


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([1, 2, 3, 4], [40, 30, 20, 10], -1.0),
        ([1, 2, 2, 3], [1, 2, 3, 4], 0.9487),  # ties take their mean rank
        ([1, 1, 1], [1, 2, 3], None),  # no spread: undefined, not 0
        ([1, 2], [1, 2], None),
    ],
)
def test_calibration_spearman(first, second, expected):
    result = spearman(first, second)
    assert result == expected if expected is None else result == pytest.approx(expected, abs=1e-4)


def test_calibration_report_agrees_with_the_judged_pairs(grammar_checker):
    """The judged pairs the scorer is tuned against, run through the calibration path: the
    agreement it reports is the same as the pair test's, per aspect as well."""
    raw = yaml.safe_load((ROOT / "tests" / "data" / "pairs_nl.yaml").read_text(encoding="utf-8"))["pairs"][:20]
    fields = set(JudgedPair.model_fields)
    pairs = [JudgedPair.model_validate({k: v for k, v in p.items() if k in fields and v is not None}) for p in raw]
    seen = []
    report = calibrate(pairs, lambda reply, context: score_reply(reply, context, checker=grammar_checker),
                       progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (20, 20)
    assert report.pairs.judged == 20
    assert report.pairs.agreed >= 19
    tone = report.pairs_by_dimension["tone"]
    assert tone.judged == sum(1 for p in pairs if p.dimension == "tone")
    assert "Judged pairs: 20" in format_report(report)


def test_calibration_graded_replies_measure_distance_and_verdicts(grammar_checker):
    judgements = load_judgements(EXAMPLE)
    graded = [j for j in judgements if isinstance(j, GradedReply)]
    report = calibrate(graded, lambda reply, context: score_reply(reply, context, checker=grammar_checker))
    assert len(report.grades.scorer) == 3
    assert report.pass_fail.judged == 3
    assert report.grades.rank_correlation is not None
    # The good reply is ranked above the two the team lead failed.
    assert report.grades.scorer[0] > max(report.grades.scorer[1:])
    assert report.grades.mean_absolute_difference == pytest.approx(
        sum(abs(s - t) for s, t in zip(report.grades.scorer, [85, 20, 35])) / 3)
    assert set(report.grades_by_dimension) == {"tone", "privacy"}


def test_cli_calibrate_prints_json_and_refuses_a_bad_file(grammar_checker, tmp_path):
    cli = [sys.executable, "-m", "trainer.cli", "calibrate"]
    done = subprocess.run(cli + [str(EXAMPLE), "--json"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["pairs"]["judged"] == 2 and report["grades"]["replies"] == 3
    assert set(report["pairs_by_dimension"]) == {"tone", "privacy"}

    bad = write(tmp_path, '{"customer": "x"}', '{"customer": "x", "better": "a", "worse": "b", "medium": "fax"}')
    refused = subprocess.run(cli + [str(bad)], capture_output=True, timeout=120)
    assert refused.returncode == 2
    stderr = refused.stderr.decode()
    assert f"{bad}:1: better: is missing" in stderr and f"{bad}:2: medium: 'fax'" in stderr
    assert "Traceback" not in stderr and "nothing was scored" in stderr
