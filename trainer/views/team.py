"""The dialogue manager's "Team" screen: the team at a glance, a trainee's conversations with
their scorecards, overriding a score with a comment, granting and revoking certificates, the
certificate PDF and a CSV export. Ready to show: statuses, skills, media and levels by name, every
unmet requirement explained, names escaped; what the actor may do asked of `rights.can`.

Reads take the page's session. Changes open their own, so a refused change (too long, not
allowed, not eligible) is rolled back before it is reported. A refusal to read anything at all
raises PermissionDenied; an unknown attempt or trainee is refused the same way, so a link says
no more about another team than "not for you".
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from scoring.config import Medium, media_catalogue, scoring_config
from scoring.model import Scorecard
from scoring.sentiment import mood_label
from trainer.components.markdown import escape
from trainer.components.medium_view import MessageView
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.db.engine import session_scope
from trainer.db.models import Role, User
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import (accounts, attempts, certification, export, reviews, rights, scorer_agreement,
                              stale_attempts, typing_test)
from trainer.services import progress as progress_service
from trainer.services.certification import Status
from trainer.services.drills import desk
from trainer.services.limits import InputTooLong
from trainer.services.errors import NotFound
from trainer.services.policy import TeamStatus, load_policy
from trainer.services.rights import Action, Actor, PermissionDenied
from trainer.views.progress import dimension_label, level_name, medium_label, reason
from trainer import local_time
from trainer.views.feedback import scenario_title
from trainer.views.outcome import Outcome


def when(moment: datetime | None) -> str:
    return local_time.date_and_time(moment)


def linked_id(value: str | None) -> int | None:
    """A `?trainee=` or `?attempt=` link's id; None when there is none or it is no number."""
    return int(value) if value and value.isdigit() else None


@contextmanager
def _refused_as_permission() -> Iterator[None]:
    try:
        yield
    except (attempts.AttemptError, NotFound) as unknown:
        raise PermissionDenied(str(unknown)) from unknown


# --- the team at a glance ---------------------------------------------------------------------

@dataclass(frozen=True)
class TeamList:
    teams: dict[int, str]  # id -> name (names are unique), the teams the actor may pick
    refused: bool  # no team, and a trainee: the screen is not for them


def team_list(*, session: Session, actor: Actor) -> TeamList:
    teams = {team.id: team.name for team in accounts.list_teams(session=session, actor=actor)}
    return TeamList(teams=teams, refused=not teams and Role(actor.role) is Role.trainee)


def member_status(member: progress_service.MemberRow, *, held: set[str], eligible: set[str], language: str,
                  now: datetime | None = None) -> str:
    """New, practising or idle, stuck, and per level certified or ready: thresholds from the
    `team_status` section of content/certification.yaml, the pass mark from content/scoring.yaml."""
    policy = load_policy()
    thresholds: TeamStatus = policy.team_status
    labels = []
    if member.replies == 0:
        labels.append(t("team.status_new", language))
    else:
        recent = member.last_activity and (now or utcnow()) - member.last_activity <= timedelta(days=thresholds.active_days)
        labels.append(t("team.status_practising" if recent else "team.status_idle", language))
        if member.replies >= thresholds.stuck_after_replies and (
            (member.mean_total or 0) < scoring_config().pass_mark
            or (member.pass_rate or 0) < thresholds.stuck_pass_rate_below
        ):
            labels.append(t("team.status_stuck", language))
    for level in policy.levels:
        if level in held:
            labels.append(t("team.status_certified", language, level=level_name(level, language)))
        elif level in eligible:
            labels.append(t("team.status_eligible", language, level=level_name(level, language)))
    return ", ".join(labels)


@dataclass(frozen=True)
class MemberLine:
    user_id: int
    name: str
    status: str
    attempts: int
    replies: int
    mean_total: int | None  # rounded
    pass_rate: int | None  # per cent, rounded
    critical: int
    weakest: str | None  # the skill by name
    last_activity: datetime | None


@dataclass(frozen=True)
class TeamScreen:
    team_id: int
    team_name: str
    members: list[MemberLine]  # trainees by name
    legend: str  # what the statuses mean, with this content's thresholds
    by_dimension: dict[str, float]  # skill by name -> the team's mean, one decimal
    export_file_name: str
    may_export: bool  # an observer reads, and takes no data out


def team_screen(*, session: Session, actor: Actor, language: str, team_id: int, now: datetime | None = None) -> TeamScreen:
    """One team for its managers and admins (the services refuse anyone else). Opening it first
    closes stale attempts now and then, so none shows as open for ever (`stale_attempts`)."""
    stale_attempts.sweep_if_due(session=session, trigger="team-page")  # by the real clock, not `now`
    overview = progress_service.team_overview(session=session, actor=actor, team_id=team_id)
    policy = load_policy()
    levels, thresholds = policy.levels, policy.team_status
    ready = {level: {trainee.id for trainee, check in certification.team_eligibility(
        session=session, actor=actor, team_id=team_id, level=level) if check.eligible} for level in levels}
    members = []
    for m in overview.members:
        held = {c.level for c in certification.list_certifications(session=session, actor=actor, trainee_id=m.user_id)
                if certification.status_of(c) is Status.valid}
        eligible = {level for level in levels if m.user_id in ready[level]}
        members.append(MemberLine(
            user_id=m.user_id, name=m.full_name,
            status=member_status(m, held=held, eligible=eligible, language=language, now=now),
            attempts=m.attempts, replies=m.replies,
            mean_total=round(m.mean_total) if m.mean_total is not None else None,
            pass_rate=round(100 * m.pass_rate) if m.pass_rate is not None else None,
            critical=m.critical_findings,
            weakest=dimension_label(m.weakest_dimension, language) if m.weakest_dimension else None,
            last_activity=m.last_activity,
        ))
    legend = t("team.legend", language, days=thresholds.active_days, replies=thresholds.stuck_after_replies,
               mark=f"{scoring_config().pass_mark:g}", rate=f"{100 * thresholds.stuck_pass_rate_below:g}%")
    return TeamScreen(
        team_id=overview.team_id, team_name=overview.team_name, members=members, legend=legend,
        by_dimension={dimension_label(n, language): round(v, 1) for n, v in overview.by_dimension.items()},
        export_file_name=f"webcare-{overview.team_name.lower().replace(' ', '-')}-{(now or utcnow()):%Y%m%d}.csv",
        may_export=rights.can(actor, Action.export, session=session),
    )


@dataclass(frozen=True)
class Agreement:
    """Where this team's managers and the scorer disagree: the managers' overrides against it."""

    overrides: int
    intro: str
    by_dimension: dict[str, float]  # the part by name -> mean difference (manager minus scorer)
    rows: list[dict[str, object]]  # per part, under translated headers
    rules: list[dict[str, object]]  # the most overruled rules, under translated headers


def agreement(*, session: Session, actor: Actor, language: str, team_id: int) -> Agreement:
    found = scorer_agreement.scorer_vs_managers(session=session, actor=actor, team_id=team_id)
    label = {d.dimension: t("team.agreement_total", language) if d.dimension == scorer_agreement.TOTAL
             else dimension_label(d.dimension, language) for d in found.by_dimension}
    part, overrides = t("team.agreement_part", language), t("team.agreement_overrides", language)
    return Agreement(
        overrides=found.overrides,
        intro=t("team.agreement_intro", language, count=found.overrides),
        by_dimension={label[d.dimension]: round(d.mean_difference, 1) for d in found.by_dimension},
        rows=[{
            part: label[d.dimension],
            overrides: d.overrides,
            t("team.agreement_mean", language): f"{d.mean_difference:+.1f}",
            t("team.agreement_absolute", language): round(d.mean_absolute_difference, 1),
            t("team.agreement_raised", language): d.raised,
            t("team.agreement_lowered", language): d.lowered,
        } for d in found.by_dimension],
        rules=[{
            t("team.agreement_rule", language): r.rule,
            part: dimension_label(r.dimension, language),
            overrides: r.overrides,
            t("team.agreement_example", language): r.example,
        } for r in found.most_overruled],
    )


def csv_export(*, actor: Actor, team_id: int) -> bytes:
    """The team's scored replies as CSV (made when the manager clicks)."""
    with session_scope() as session:
        buffer = io.StringIO()
        export.write_csv(export.attempt_rows(session=session, actor=actor, team_id=team_id), buffer)
    return buffer.getvalue().encode("utf-8")


# --- one trainee ------------------------------------------------------------------------------

def trainee_of_attempt(*, session: Session, actor: Actor, attempt_id: int) -> int:
    """The trainee a `?attempt=` link belongs to, if the actor may read it."""
    with _refused_as_permission():
        return attempts.attempt_detail(session=session, actor=actor, attempt_id=attempt_id).attempt.user_id


@dataclass(frozen=True)
class CertificateCard:
    id: int
    line: str  # level, status, dates and code
    comment: str
    revoke_reason: str | None
    pdf_file_name: str
    may_revoke: bool  # valid, and the actor may revoke it


@dataclass(frozen=True)
class GrantCheck:
    """Where the trainee stands for one level, for the grant section."""

    state: str  # "held", "eligible" or "missing"
    message: str
    reasons: list[str]  # "❌ …" per unmet requirement
    may_grant: bool  # eligible, and the actor may certify this trainee
    note: str | None = None  # eligible, but granting is for the trainee's managers


@dataclass(frozen=True)
class TraineeScreen:
    trainee_id: int
    name: str  # escaped
    history: list[dict[str, object]]  # conversations, newest first, under translated headers
    attempts: dict[int, str]  # id -> label, newest first
    certificates: list[CertificateCard]
    levels: dict[str, str]  # id -> name
    grants: dict[str, GrantCheck]  # per level
    typing_results: list[typing_test.TypingResult]


def _attempt_label(attempt, language: str) -> str:
    return (f"#{attempt.id} · {when(attempt.started_at)} · {attempt.scenario_id} · {medium_label(attempt.medium, language)}"
            f" · {t(f'team.outcome_{attempt.outcome}', language)}")


def _grant_check(check: certification.Eligibility, *, held: bool, may_certify: bool, trainee: str,
                 language: str) -> GrantCheck:
    level = level_name(check.level, language)
    if held:
        return GrantCheck("held", t("team.already_held", language, name=escape(trainee), level=level), [], False)
    if check.eligible:
        return GrantCheck("eligible", t("team.eligible", language, name=escape(trainee), level=level), [], may_certify,
                          None if may_certify else t("team.only_managers_grant", language))
    return GrantCheck("missing", t("team.not_eligible", language, name=escape(trainee), level=level),
                      [f"❌ {reason(unmet, language)}" for unmet in check.unmet], False)


def trainee_screen(*, session: Session, actor: Actor, language: str, trainee_id: int) -> TraineeScreen:
    """A trainee's conversations, certificates and typing results, for their managers and admins."""
    levels = load_policy().levels
    with _refused_as_permission():
        history = attempts.list_attempts(session=session, actor=actor, trainee_id=trainee_id)
        found = certification.list_certifications(session=session, actor=actor, trainee_id=trainee_id)
        checks = {level: certification.check_eligibility(session=session, actor=actor, trainee_id=trainee_id, level=level)
                  for level in levels}
        typing_results = typing_test.list_results(session=session, actor=actor, trainee_id=trainee_id)
    trainee = session.get(User, trainee_id)
    may_certify = rights.can(actor, Action.certify, trainee, session=session)
    may_revoke = rights.can(actor, Action.revoke, trainee, session=session)
    states = {c.id: certification.status_of(c) for c in found}
    valid = {c.level for c in found if states[c.id] is Status.valid}
    return TraineeScreen(
        trainee_id=trainee_id, name=escape(trainee.full_name),
        history=[{
            "#": a.id,
            t("team.when", language): when(a.started_at),
            t("team.scenario", language): scenario_title(a.scenario_id),
            t("team.type", language): t(f"type.{a.scenario_type}", language),
            t("team.medium", language): medium_label(a.medium, language),
            t("team.outcome", language): t(f"team.outcome_{a.outcome}", language),
        } for a in history],
        attempts={a.id: _attempt_label(a, language) for a in history},
        certificates=[CertificateCard(
            id=c.id,
            line=t("team.cert_line", language, level=level_name(c.level, language),
                   status=t(f"team.cert_status_{states[c.id].value}", language), granted=local_time.day(c.granted_at),
                   expires=local_time.day(c.expires_at), code=c.verification_code),
            comment=c.comment, revoke_reason=c.revoke_reason or None, pdf_file_name=t("team.cert_file_name", language, code=c.verification_code),
            may_revoke=states[c.id] is Status.valid and may_revoke,
        ) for c in found],
        levels={level: level_name(level, language) for level in levels},
        grants={level: _grant_check(check, held=level in valid, may_certify=may_certify, trainee=trainee.full_name,
                                    language=language)
                for level, check in checks.items()},
        typing_results=list(typing_results),
    )


def certificate_pdf(*, actor: Actor, language: str, certification_id: int) -> bytes:
    with session_scope() as session:
        return certification.certificate_pdf(session=session, actor=actor, certification_id=certification_id,
                                             language=language)


# --- one conversation -------------------------------------------------------------------------

@dataclass(frozen=True)
class Remark:
    caption: str  # who, what and when
    text: str  # their words, shown as plain text


@dataclass(frozen=True)
class ScoredReply:
    score_id: int
    scorecard: Scorecard
    title: str  # "Beoordeling: 62 · geslaagd"
    remarks: list[Remark]  # comments first, then overrides, oldest first
    may_review: bool  # the actor may comment on and override it
    dimensions: dict[str, str]  # what an override may change: "" (the total) or a skill -> its name


@dataclass(frozen=True)
class Entry:
    text: str  # the turn's text
    system: bool  # a line from the scenario, shown as a caption
    message: MessageView | None  # a customer message or reply, drawn like the medium
    score: ScoredReply | None
    mood: str | None = None  # under a customer message: how the customer sounded ("🔴 Stemming klant: …")


MOOD_ICON = {"negative": "🔴", "neutral": "⚪", "positive": "🟢"}


def mood_marker(mood: float | None, language: str) -> str | None:
    """The customer's mood in a stored message as a small marker; None when none was stored."""
    if mood is None:
        return None
    label = mood_label(mood, language)  # type: ignore[arg-type]
    return t("team.mood_marker", language, icon=MOOD_ICON[label], feeling=t(f"team.mood.{label}", language),
             score=desk.mood(mood, language))


@dataclass(frozen=True)
class Transcript:
    medium: Medium
    entries: list[Entry]


def _remarks(scored: attempts.ScoredTurn, people: dict[int, str], language: str) -> list[Remark]:
    remarks = [Remark(t("team.review_by", language, name=escape(people.get(r.reviewer_id, "?")), when=when(r.created_at)),
                      r.comment) for r in scored.reviews]
    for o in scored.overrides:
        what = (t("team.what_dimension", language, dimension=dimension_label(o.dimension, language))
                if o.dimension else t("team.what_total", language))
        automatic = f"{o.automatic_score:.0f}" if o.automatic_score is not None else "—"
        remarks.append(Remark(t("team.override_by", language, name=escape(people.get(o.reviewer_id, "?")), what=what,
                                automatic=automatic, override=f"{o.override_score:.0f}", when=when(o.created_at)), o.reason))
    return remarks


def _scored_reply(scored: attempts.ScoredTurn, people: dict[int, str], *, may_review: bool, language: str) -> ScoredReply:
    card = Scorecard.from_public_dict(scored.score.scorecard)
    verdict = t("score.passed" if card.passed else "score.failed", language)
    return ScoredReply(
        score_id=scored.score.id, scorecard=card, remarks=_remarks(scored, people, language), may_review=may_review,
        title=t("team.score_title", language, total=f"{card.total:.0f}", verdict=verdict),
        dimensions={"": t("team.override_total", language), **{d: dimension_label(d, language) for d in card.dimensions}},
    )


def transcript(*, session: Session, actor: Actor, language: str, attempt_id: int) -> Transcript:
    """A conversation as the trainee had it, each scored reply with its scorecard and remarks."""
    with _refused_as_permission():
        detail = attempts.attempt_detail(session=session, actor=actor, attempt_id=attempt_id)
    may_review = rights.can(actor, Action.review, detail.attempt, session=session)
    reviewer_ids = {r.reviewer_id for s in detail.turns for r in [*s.reviews, *s.overrides]}
    people = dict(session.exec(select(User.id, User.full_name).where(User.id.in_(reviewer_ids))).all())  # type: ignore[attr-defined]
    entries = []
    for scored in detail.turns:
        turn = scored.turn
        if turn.speaker == "system":
            entries.append(Entry(text=escape(turn.text), system=True, message=None, score=None))
            continue
        customer = turn.speaker == "customer"
        message = MessageView(text=turn.text, from_customer=customer,
                              author=t("team.customer", language) if customer else detail.trainee.full_name)
        score = _scored_reply(scored, people, may_review=may_review, language=language) if scored.score is not None else None
        entries.append(Entry(text=turn.text, system=False, message=message, score=score,
                             mood=mood_marker(turn.mood, language) if customer else None))
    return Transcript(medium=media_catalogue().media[detail.attempt.medium], entries=entries)


# --- changes ----------------------------------------------------------------------------------

def _refused(language: str, exc: Exception) -> Outcome:
    if isinstance(exc, InputTooLong):
        return Outcome(False, too_long(exc, language))
    return Outcome(False, t("team.not_allowed", language))


def save_review(*, actor: Actor, language: str, score_id: int, comment: str, override: float | None = None,
                dimension: str | None = None) -> Outcome:
    """A comment on a reply, or with `override` a new figure for its total or one skill, beside
    the automatic one. Either needs words."""
    if not comment.strip():
        return Outcome(False, t("team.comment_needed", language))
    try:
        with session_scope() as session:
            if override is not None:
                reviews.override_score(session=session, actor=actor, score_id=score_id, override=override,
                                       reason=comment, dimension=dimension or None)
            else:
                reviews.add_review(session=session, actor=actor, score_id=score_id, comment=comment)
    except (InputTooLong, PermissionDenied) as exc:
        return _refused(language, exc)
    except REFUSALS as failed:  # a figure out of range, a skill this score has not
        return Outcome(False, refused(failed, language))
    return Outcome(True, t("team.overridden" if override is not None else "team.reviewed", language))


def revoke(*, actor: Actor, language: str, certification_id: int, reason: str) -> Outcome:
    if not reason.strip():
        return Outcome(False, t("team.comment_needed", language))
    try:
        with session_scope() as session:
            certification.revoke(session=session, actor=actor, certification_id=certification_id, reason=reason)
    except (InputTooLong, PermissionDenied) as exc:
        return _refused(language, exc)
    except REFUSALS as failed:  # already revoked (in another tab)
        return Outcome(False, refused(failed, language))
    return Outcome(True, t("team.revoked", language))


def grant(*, actor: Actor, language: str, trainee_id: int, level: str, comment: str) -> Outcome:
    if not comment.strip():
        return Outcome(False, t("team.comment_needed", language))
    try:
        with session_scope() as session:
            granted = certification.grant(session=session, actor=actor, trainee_id=trainee_id, level=level, comment=comment)
            code = granted.verification_code
    except (InputTooLong, PermissionDenied) as exc:
        return _refused(language, exc)
    except certification.NotEligible as unready:
        with session_scope() as session:
            trainee = session.get(User, trainee_id).full_name
        return Outcome(False, t("team.not_eligible", language, name=escape(trainee), level=level_name(level, language)),
                       [f"❌ {reason(unmet, language)}" for unmet in unready.eligibility.unmet])
    except REFUSALS as failed:  # an unknown level
        return Outcome(False, refused(failed, language))
    return Outcome(True, t("team.granted", language, level=level_name(level, language), code=code))
