"""Certification: eligibility edge cases, granting rights, expiry, revocation, PDF, verification."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from scoring.contentfile import content_dir
from trainer.db.models import AttemptCreate, AttemptOutcome, AuditEntry
from trainer.services import attempts, certification
from trainer.services.attempts import ReplySubmission
from trainer.services.certification import NotEligible, Status
from trainer.services.policy import CertificationPolicy, load_policy
from trainer.services.rights import PermissionDenied

from .conftest import make_scorecard

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)


def _policy(**basic) -> CertificationPolicy:
    real = load_policy()
    level = {
        "name": {"nl": "Test basis", "en": "Test basic"}, "valid_days": 30, "media": ["twitter"],
        "scenario_types": ["angry_customer"], "window_attempts": 3, "min_dimension_scores": {"tone": 70},
        "no_critical_in_last_attempts": 2, "min_group_drills": 0,
    }
    level.update(basic)
    advanced = dict(level, name={"nl": "Test gevorderd", "en": "Test advanced"}, requires=["basic"], media=[], scenario_types=[],
                    min_dimension_scores={})
    return CertificationPolicy.model_validate({
        "proficiency": real.proficiency.model_dump(), "team_status": real.team_status.model_dump(), "levels": {"basic": level, "advanced": advanced},
        "messages": {k: v.model_dump() for k, v in real.messages.items()},
    })


POLICY = _policy()
_clock = iter(range(10_000))


def _done(session, trainee, *, medium="twitter", scenario_type="angry_customer", dims=None, critical=0,
          outcome=AttemptOutcome.resolved, drill=None):
    """A finished attempt with one scored reply; each call is a minute later than the last."""
    at = NOW - timedelta(days=10) + timedelta(minutes=next(_clock))
    if drill:
        _holding_drill_conversation(session, trainee, drill, medium)
    attempt = attempts.start_attempt(
        session=session, actor=trainee, started_at=at,
        attempt_create=AttemptCreate(scenario_id="s", scenario_version="1", scenario_type=scenario_type, medium=medium,
                                     drill_run_id=drill),
    )
    attempts.submit_reply(
        session=session, actor=trainee, scorecard=make_scorecard(dims or {"tone": 80}, medium=medium, critical=critical),
        submission=ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(), text="Antwoord", sent_at=at),
    )
    attempts.finish_attempt(session=session, actor=trainee, attempt_id=attempt.id, outcome=outcome, finished_at=at)
    return attempt


def _holding_drill_conversation(session, trainee, run_id, medium):
    """A drill run of the trainee's team where they hold a customer ("s", seed 0): what a drill
    attempt must show before it counts."""
    from trainer.db.drill_models import DrillConversation, DrillRun
    from trainer.db.models import TeamMembership

    if session.get(DrillRun, run_id) is None:
        team_id = session.exec(select(TeamMembership.team_id).where(TeamMembership.user_id == trainee.id)).first()
        session.add(DrillRun(id=run_id, template_id="t", language="nl", team_id=team_id, created_by_id=trainee.id))
        session.flush()
    session.add(DrillConversation(run_id=run_id, arrival=next(_clock), scenario_id="s", medium=medium, seed=0,
                                  customer_name="Klant", handle="@klant", sla_seconds=60, claimed_by_id=trainee.id,
                                  conversation="{}"))
    session.commit()


def _check(session, world, level="basic", now=NOW, policy=POLICY):
    return certification.check_eligibility(session=session, actor=world.mila, trainee_id=world.tom.id, level=level, now=now, policy=policy)


def _codes(eligibility):
    return [u.code for u in eligibility.unmet]


def test_certification_no_history_lists_every_unmet_requirement_with_reasons(session, world):
    result = _check(session, world)
    assert not result.eligible
    assert _codes(result) == ["medium_not_passed", "scenario_type_not_passed", "dimension_unscored"]
    assert result.unmet[0].message("nl") == "Nog geen geslaagde poging op twitter."
    assert result.unmet[2].message("en") == "tone: no scores in the last 3 attempts yet."


def test_certification_minimum_score_exactly_met_is_enough(session, world):
    _done(session, world.tom, dims={"tone": 70})
    assert _check(session, world).eligible


def test_certification_just_below_a_minimum_says_by_how_much(session, world):
    _done(session, world.tom, dims={"tone": 69.9, "spelling": 100})
    result = _check(session, world)
    assert _codes(result) == ["dimension_below_minimum"]
    assert result.unmet[0].message("en") == "tone: mean 69.9 over the last 3 attempts, needs at least 70."
    assert result.unmet[0].message("nl") == "tone: gemiddeld 69.9 in de laatste 3 pogingen, minimaal 70 nodig."


def test_certification_only_the_last_attempts_count_for_scores(session, world):
    for _ in range(2):
        _done(session, world.tom, dims={"tone": 10, "spelling": 100, "length": 100, "speed": 100})  # passed, weak tone
    assert _codes(_check(session, world)) == ["dimension_below_minimum"]
    for _ in range(3):
        _done(session, world.tom, dims={"tone": 80})
    assert _check(session, world).eligible


def test_certification_critical_finding_in_window_blocks_and_ages_out(session, world):
    _done(session, world.tom, dims={"tone": 90})
    _done(session, world.tom, dims={"tone": 90}, critical=1)
    result = _check(session, world)
    assert _codes(result) == ["critical_findings"]
    assert result.unmet[0].message("en") == "1 critical finding(s) in the last 2 attempts; none are allowed."
    _done(session, world.tom, dims={"tone": 90})
    assert _codes(_check(session, world)) == ["critical_findings"]  # still one of the last two
    _done(session, world.tom, dims={"tone": 90})
    assert _check(session, world).eligible


def test_certification_unfinished_or_badly_ended_attempts_do_not_pass(session, world):
    _done(session, world.tom, dims={"tone": 95}, outcome=AttemptOutcome.escalated)
    attempts.start_attempt(session=session, actor=world.tom, attempt_create=AttemptCreate(
        scenario_id="s", scenario_version="1", scenario_type="angry_customer", medium="twitter"))
    assert _codes(_check(session, world)) == ["medium_not_passed", "scenario_type_not_passed"]


def test_certification_required_level_must_be_valid_now(session, world):
    assert _codes(_check(session, world, "advanced")) == ["requires_level"]
    assert _check(session, world, "advanced").unmet[0].message("en") == "Needs a valid Test basic certificate first."
    _done(session, world.tom, dims={"tone": 90})
    basic = certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level="basic",
                                comment="Goed bezig", now=NOW, policy=POLICY)
    assert _check(session, world, "advanced").eligible
    assert _codes(_check(session, world, "advanced", now=NOW + timedelta(days=31))) == ["requires_level"]
    certification.revoke(session=session, actor=world.mila, certification_id=basic.id, reason="fraude", now=NOW + timedelta(days=1))
    assert _codes(_check(session, world, "advanced", now=NOW + timedelta(days=2))) == ["requires_level"]


def test_certification_group_drills_are_counted_by_distinct_run(session, world):
    policy = _policy(min_group_drills=2)
    _done(session, world.tom, dims={"tone": 90}, drill="run-1")
    _done(session, world.tom, dims={"tone": 90}, drill="run-1")
    result = _check(session, world, policy=policy)
    assert _codes(result) == ["group_drills"]
    assert result.unmet[0].message("nl") == "Deelgenomen aan 1 van de 2 vereiste groepsoefeningen."
    _done(session, world.tom, dims={"tone": 90}, drill="run-2")
    assert _check(session, world, policy=policy).eligible


def test_certification_grant_expiry_revocation_and_audit(session, world):
    _done(session, world.tom, dims={"tone": 90})
    cert = certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level="basic",
                               comment="Klaar voor de live-kanalen", now=NOW, policy=POLICY)
    assert cert.expires_at == NOW + timedelta(days=30) and cert.granted_by_id == world.mila.id
    assert certification.status_of(cert, NOW + timedelta(days=29)) is Status.valid
    assert certification.status_of(cert, NOW + timedelta(days=30)) is Status.expired
    revoked = certification.revoke(session=session, actor=world.mila, certification_id=cert.id, reason="onterecht toegekend",
                                   now=NOW + timedelta(days=3))
    assert certification.status_of(revoked, NOW + timedelta(days=4)) is Status.revoked
    assert revoked.revoke_reason == "onterecht toegekend" and revoked.revoked_by_id == world.mila.id
    entries = session.exec(select(AuditEntry).where(AuditEntry.action.like("certification.%")).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id, e.target_id, e.reason, e.at) for e in entries] == [
        ("certification.grant", world.mila.id, str(world.tom.id), "Klaar voor de live-kanalen", NOW),
        ("certification.revoke", world.mila.id, str(world.tom.id), "onterecht toegekend", NOW + timedelta(days=3)),
    ]
    with pytest.raises(certification.CertificationError, match="already revoked"):
        certification.revoke(session=session, actor=world.admin, certification_id=cert.id, reason="nogmaals")


def test_certification_not_eligible_is_refused_with_reasons(session, world):
    with pytest.raises(NotEligible) as refused:
        certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level="basic", comment="toch maar",
                            now=NOW, policy=POLICY)
    assert _codes(refused.value.eligibility) == ["medium_not_passed", "scenario_type_not_passed", "dimension_unscored"]
    assert certification.list_certifications(session=session, actor=world.tom, trainee_id=world.tom.id) == []


def test_certification_grant_needs_a_comment(session, world):
    _done(session, world.tom, dims={"tone": 90})
    with pytest.raises(certification.CertificationError, match="comment"):
        certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level="basic", comment=" ",
                            now=NOW, policy=POLICY)


def test_certification_forbidden_grants_and_revocations_are_refused(session, world):
    from trainer.db.models import Role
    from trainer.services.accounts import add_member, set_role

    for trainee in (world.tom, world.eva):
        _done(session, trainee, dims={"tone": 90})
    # Make Mila also a trainee of Energie's team under Mark, so "certifying herself" is a real possibility.
    add_member(session=session, actor=world.admin, team_id=world.energie.id, user_id=world.mila.id)

    def grant(actor, trainee):
        return lambda: certification.grant(session=session, actor=actor, trainee_id=trainee.id, level="basic",
                                           comment="ok", now=NOW, policy=POLICY)

    forbidden = [grant(world.tom, world.tom), grant(world.tess, world.tom), grant(world.mark, world.tom),
                 grant(world.admin, world.tom), grant(world.mila, world.eva), grant(world.mila, world.mila)]
    for call in forbidden:
        with pytest.raises(PermissionDenied):
            call()
    cert = grant(world.mila, world.tom)()
    for actor in (world.tom, world.tess, world.mark):
        with pytest.raises(PermissionDenied):
            certification.revoke(session=session, actor=actor, certification_id=cert.id, reason="weg ermee")
    with pytest.raises(PermissionDenied):
        certification.list_certifications(session=session, actor=world.tess, trainee_id=world.tom.id)
    with pytest.raises(PermissionDenied):
        certification.check_eligibility(session=session, actor=world.mark, trainee_id=world.tom.id, level="basic", policy=POLICY)
    # A demoted manager can no longer certify.
    set_role(session=session, actor=world.admin, user_id=world.mila.id, role=Role.trainee, reason="terug naar de vloer")
    with pytest.raises(PermissionDenied):
        grant(world.mila, world.tom)()


def test_certification_verify_by_code_and_pdf(session, world, tmp_path):
    _done(session, world.tom, dims={"tone": 90})
    cert = certification.grant(session=session, actor=world.mila, trainee_id=world.tom.id, level="basic",
                               comment="Top", now=NOW, policy=POLICY)
    assert cert.verification_code.startswith("WT-") and len(cert.verification_code) == 17
    found = certification.verify(session=session, code=cert.verification_code.lower(), now=NOW)
    assert (found.status, found.holder, found.issued_by, found.level) == (Status.valid, "Tom Trainee", "Mila Manager", "basic")
    assert certification.verify(session=session, code=cert.verification_code, now=NOW + timedelta(days=31)).status is Status.expired
    assert certification.verify(session=session, code="WT-XXXX-XXXX-XXXX") is None

    pdf = certification.certificate_pdf(session=session, actor=world.tom, certification_id=cert.id, language="en")
    assert pdf.startswith(b"%PDF-")
    for text in (b"Tom Trainee", b"Mila Manager", cert.verification_code.encode(), b"2 November 2026", b"2 December 2026",
                 b"Certificate"):
        assert text in pdf
    with pytest.raises(PermissionDenied):
        certification.certificate_pdf(session=session, actor=world.tess, certification_id=cert.id)
    if shutil.which("pdftotext"):
        import subprocess

        (tmp_path / "c.pdf").write_bytes(pdf)
        assert "Tom Trainee" in subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True).stdout


def test_certification_real_policy_levels_are_reachable(session, world):
    policy = load_policy()
    for medium, scenario_type in [("twitter", "angry_customer"), ("facebook_comment", "cancellation"), ("whatsapp", "angry_customer")]:
        _done(session, world.tom, medium=medium, scenario_type=scenario_type,
              dims={"tone": 85, "spelling": 90, "privacy": 95, "substance": 80})
    assert certification.check_eligibility(session=session, actor=world.mila, trainee_id=world.tom.id,
                                           level="basic_webcare", policy=policy).eligible
    escalations = certification.check_eligibility(session=session, actor=world.mila, trainee_id=world.tom.id,
                                                  level="escalations", policy=policy)
    assert "requires_level" in _codes(escalations) and "group_drills" in _codes(escalations)


def test_certification_policy_mistakes_name_file_and_line(policy_mistake):
    text = (content_dir() / "certification.yaml").read_text(encoding="utf-8").replace(
        "media: [twitter, facebook_comment, whatsapp]", "media: [twitter, fax]")
    mistake = policy_mistake(text)
    line = next(i for i, line in enumerate(text.splitlines(), 1) if "fax" in line)
    assert f"certification.yaml:{line}" in mistake and "fax" in mistake


def test_certification_team_eligibility_for_the_managers_screen(session, world):
    _done(session, world.tom, dims={"tone": 90})
    rows = certification.team_eligibility(session=session, actor=world.mila, team_id=world.reizen.id, level="basic",
                                          now=NOW, policy=POLICY)
    assert [(user.full_name, result.eligible) for user, result in rows] == [("Tess Trainee", False), ("Tom Trainee", True)]
    for actor in (world.tom, world.mark):
        with pytest.raises(PermissionDenied):
            certification.team_eligibility(session=session, actor=actor, team_id=world.reizen.id, level="basic", policy=POLICY)
