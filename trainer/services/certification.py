"""Certification: eligibility from the policy in content/certification.yaml, granting by a
dialogue manager, expiry, revocation, a PDF certificate and public verification by code.

Eligibility lists every unmet requirement with its reason (in Dutch and English), so a manager
can tell a trainee exactly what is left. Granting checks eligibility again inside the same
transaction; grants and revocations land in the audit log.
"""

from __future__ import annotations

import io
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlencode

from sqlalchemy import func
from sqlmodel import Session, select

from scenarios.schema import GOOD_ENDS
from trainer.db.engine import writes
from trainer.db.models import Attempt, AttemptOutcome, Certification, DimensionScore, Score, User
from trainer import local_time
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import audit, feedback, limits
from trainer.services.accounts import load_actor, load_for
from trainer.services.auth_throttle import Throttle, process_throttle
from trainer.services.errors import Refused, get_or_not_found
from trainer.services.policy import CertificationLevel, CertificationPolicy, load_policy
from trainer.services.rights import Action, Actor, require
from trainer.settings import Settings, get_settings

# No 0/O or 1/I: codes are read aloud and typed over.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CertificationError(Refused):
    """A certification that cannot be granted, revoked or checked as asked."""

    area = "certification"


class Status(str, Enum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"


def status_of(certification: Certification, now: datetime | None = None) -> Status:
    now = now or utcnow()
    if certification.revoked_at is not None:
        return Status.revoked
    if certification.expires_at <= now:
        return Status.expired
    return Status.valid


@dataclass(frozen=True)
class Unmet:
    code: str  # one of policy.REASON_CODES
    params: dict[str, object]
    message_nl: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_nl


@dataclass
class Eligibility:
    trainee_id: int
    level: str
    unmet: list[Unmet] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.unmet


class NotEligible(CertificationError):
    def __init__(self, eligibility: Eligibility):
        # `eligibility.unmet` says what is missing; each has its own text in both languages.
        super().__init__("not_eligible", level=eligibility.level)
        self.eligibility = eligibility


@dataclass(frozen=True)
class _AttemptSummary:
    id: int
    medium: str
    scenario_type: str
    passed: bool
    critical: int


def _finished_attempts(session: Session, trainee_id: int) -> list[_AttemptSummary]:
    """The trainee's finished attempts, newest first, with whether each passed."""
    rows = session.exec(
        select(Attempt.id, Attempt.medium, Attempt.scenario_type, Attempt.outcome, Score.total, Score.pass_mark,
               Score.critical_findings, Score.id)
        .join(Score, Score.attempt_id == Attempt.id, isouter=True)
        .where(Attempt.user_id == trainee_id, Attempt.outcome != AttemptOutcome.in_progress.value)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())  # type: ignore[attr-defined]
    ).all()
    # A manager's override of a reply's total is their judgement of the whole reply: its figure
    # counts, and the scorer's critical findings on that reply no longer block (they stay on record).
    overridden = feedback.effective_totals(session, (row[-1] for row in rows if row[-1] is not None))
    grouped: dict[int, dict] = {}
    for attempt_id, medium, scenario_type, outcome, total, pass_mark, critical, score_id in rows:
        if score_id in overridden:
            total, critical = overridden[score_id], 0
        entry = grouped.setdefault(
            attempt_id, {"medium": medium, "type": scenario_type, "outcome": outcome, "totals": [], "marks": [], "critical": 0}
        )
        if total is not None:
            entry["totals"].append(total)
            entry["marks"].append(pass_mark)
            entry["critical"] += critical
    summaries = []
    for attempt_id, e in grouped.items():  # dicts keep the newest-first order
        scored = bool(e["totals"])
        passed = (
            scored
            and e["outcome"] in GOOD_ENDS
            and e["critical"] == 0
            and sum(e["totals"]) / len(e["totals"]) >= max(e["marks"])
        )
        summaries.append(_AttemptSummary(attempt_id, e["medium"], e["type"], passed, e["critical"]))
    return summaries


def _valid_levels(session: Session, trainee_id: int, now: datetime) -> set[str]:
    rows = session.exec(select(Certification).where(Certification.user_id == trainee_id)).all()
    return {c.level for c in rows if status_of(c, now) is Status.valid}


def _group_drills(session: Session, trainee_id: int) -> int:
    return session.exec(
        select(func.count(func.distinct(Attempt.drill_run_id))).where(
            Attempt.user_id == trainee_id, Attempt.drill_run_id != None  # noqa: E711
        )
    ).one()


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def check_eligibility(
    *, session: Session, actor: Actor, trainee_id: int, level: str, now: datetime | None = None,
    policy: CertificationPolicy | None = None,
) -> Eligibility:
    """Every requirement of `level` the trainee does not meet yet, each with its reason."""
    actor, trainee = load_for(session, actor, User, trainee_id, Action.read_attempts)
    return _eligibility(session, trainee_id, level, now or utcnow(), policy or load_policy())


def team_eligibility(
    *, session: Session, actor: Actor, team_id: int, level: str, now: datetime | None = None,
    policy: CertificationPolicy | None = None,
) -> list[tuple[User, Eligibility]]:
    """Eligibility of every trainee in a team, for its managers' certification screen."""
    from trainer.db.models import Team, TeamMembership

    actor, team = load_for(session, actor, Team, team_id, Action.read_team)
    trainees = session.exec(
        select(User)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team_id, TeamMembership.is_manager == False, User.is_active == True)  # noqa: E712
        .order_by(User.full_name)
    ).all()
    now, policy = now or utcnow(), policy or load_policy()
    return [(trainee, _eligibility(session, trainee.id, level, now, policy)) for trainee in trainees]


def _eligibility(session: Session, trainee_id: int, level_id: str, now: datetime, policy: CertificationPolicy) -> Eligibility:
    if level_id not in policy.levels:
        raise CertificationError("unknown_level", level=level_id)
    level: CertificationLevel = policy.levels[level_id]
    result = Eligibility(trainee_id=trainee_id, level=level_id)

    def unmet(code: str, **params: object) -> None:
        nl = getattr(policy.messages["nl"], code).format(**{k: _label(policy, k, v, "nl") for k, v in params.items()})
        en = getattr(policy.messages["en"], code).format(**{k: _label(policy, k, v, "en") for k, v in params.items()})
        result.unmet.append(Unmet(code, params, nl, en))

    held = _valid_levels(session, trainee_id, now)
    for required in level.requires:
        if required not in held:
            unmet("requires_level", required=required)

    attempts = _finished_attempts(session, trainee_id)
    passed_media = {a.medium for a in attempts if a.passed}
    passed_types = {a.scenario_type for a in attempts if a.passed}
    for medium in level.media:
        if medium not in passed_media:
            unmet("medium_not_passed", medium=medium)
    for scenario_type in level.scenario_types:
        if scenario_type not in passed_types:
            unmet("scenario_type_not_passed", scenario_type=scenario_type)

    window = [a.id for a in attempts[: level.window_attempts]]
    means: dict[str, float] = {}
    if window and level.min_dimension_scores:
        sums: dict[str, list[float]] = defaultdict(list)
        for name, value in session.exec(
            select(DimensionScore.name, DimensionScore.score)
            .join(Score, Score.id == DimensionScore.score_id)
            .where(Score.attempt_id.in_(window), DimensionScore.checked == True)  # type: ignore[attr-defined]  # noqa: E712
        ).all():
            sums[name].append(value)
        means = {name: sum(v) / len(v) for name, v in sums.items()}
    for dimension, minimum in level.min_dimension_scores.items():
        if dimension not in means:
            unmet("dimension_unscored", dimension=dimension, window=level.window_attempts)
        elif means[dimension] < minimum:
            unmet("dimension_below_minimum", dimension=dimension, score=_fmt(means[dimension]),
                  minimum=_fmt(minimum), window=level.window_attempts)

    if level.no_critical_in_last_attempts:
        recent = attempts[: level.no_critical_in_last_attempts]
        critical = sum(a.critical for a in recent)
        if critical:
            unmet("critical_findings", count=critical, window=level.no_critical_in_last_attempts)

    if level.min_group_drills:
        drills = _group_drills(session, trainee_id)
        if drills < level.min_group_drills:
            unmet("group_drills", count=drills, minimum=level.min_group_drills)
    return result


def _label(policy: CertificationPolicy, key: str, value: object, language: str) -> object:
    if key == "required" and value in policy.levels:
        return policy.levels[value].name(language)
    return value


def _new_code(session: Session) -> str:
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        code = f"WT-{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if session.exec(select(Certification.id).where(Certification.verification_code == code)).first() is None:
            return code


@writes
def grant(
    *, session: Session, actor: Actor, trainee_id: int, level: str, comment: str, now: datetime | None = None,
    policy: CertificationPolicy | None = None,
) -> Certification:
    """A manager certifies a trainee of their team (never themselves) who meets the policy."""
    actor, trainee = load_for(session, actor, User, trainee_id, Action.certify)
    limits.check(comment, "comment")
    if not comment or not comment.strip():
        raise CertificationError("comment_needed")
    now = now or utcnow()
    policy = policy or load_policy()
    eligibility = _eligibility(session, trainee_id, level, now, policy)
    if not eligibility.eligible:
        raise NotEligible(eligibility)
    certification = Certification(
        user_id=trainee_id, level=level, granted_by_id=actor.id, granted_at=now,
        expires_at=now + timedelta(days=policy.levels[level].valid_days), comment=comment.strip(),
        verification_code=_new_code(session),
    )
    session.add(certification)
    session.flush()
    audit.record(
        session, actor=actor, action="certification.grant", target_type="user", target_id=trainee_id, reason=comment, at=now,
        details={"certification_id": certification.id, "level": level, "expires_at": certification.expires_at.isoformat()},
    )
    session.commit()
    session.refresh(certification)
    return certification


@writes
def revoke(
    *, session: Session, actor: Actor, certification_id: int, reason: str, now: datetime | None = None
) -> Certification:
    actor = load_actor(session, actor)
    certification = get_or_not_found(session, Certification, certification_id)
    trainee = session.get(User, certification.user_id)
    require(actor, Action.revoke, trainee, session=session)
    limits.check(reason, "comment")
    if certification.revoked_at is not None:
        raise CertificationError("already_revoked")
    now = now or utcnow()
    certification.revoked_at = now
    certification.revoked_by_id = actor.id
    certification.revoke_reason = reason.strip()
    session.add(certification)
    audit.record(
        session, actor=actor, action="certification.revoke", target_type="user", target_id=trainee.id, reason=reason, at=now,
        details={"certification_id": certification.id, "level": certification.level},
    )
    session.commit()
    session.refresh(certification)
    return certification


def list_certifications(*, session: Session, actor: Actor, trainee_id: int) -> list[Certification]:
    actor, trainee = load_for(session, actor, User, trainee_id, Action.read_attempts)
    return list(
        session.exec(
            select(Certification).where(Certification.user_id == trainee_id).order_by(Certification.granted_at.desc())  # type: ignore[attr-defined]
        ).all()
    )


@dataclass(frozen=True)
class Verification:
    """What anyone holding a code may learn: enough to trust a certificate, nothing more."""

    code: str
    status: Status
    holder: str
    level: str
    level_name: str
    granted_at: datetime
    expires_at: datetime
    issued_by: str


def normalise_code(code: str) -> str:
    """A code as typed or read aloud ("wt abcd efgh jkmn") in its printed form ("WT-ABCD-EFGH-JKMN")."""
    bare = "".join(code.split()).replace("-", "").upper()
    if len(bare) == 14 and bare.startswith("WT"):
        return f"WT-{bare[2:6]}-{bare[6:10]}-{bare[10:]}"
    return code.strip().upper()


def verify(*, session: Session, code: str, now: datetime | None = None, language: str = "nl") -> Verification | None:
    """Look a verification code up. Public on purpose: the code is the credential."""
    normalised = normalise_code(code)
    certification = session.exec(select(Certification).where(Certification.verification_code == normalised)).first()
    if certification is None:
        return None
    holder = session.get(User, certification.user_id)
    issuer = session.get(User, certification.granted_by_id)
    levels = load_policy().levels
    level_name = levels[certification.level].name(language) if certification.level in levels else certification.level
    return Verification(
        code=normalised, status=status_of(certification, now), holder=holder.full_name, level=certification.level,
        level_name=level_name, granted_at=certification.granted_at, expires_at=certification.expires_at,
        issued_by=issuer.full_name,
    )


@dataclass(frozen=True)
class PublicCertificate:
    """All a stranger holding a code learns: whose certificate, which level, its dates and
    whether it counts. Nothing else about the holder (no e-mail, no scores, no issuer)."""

    holder: str
    level_name: str
    granted_at: datetime
    expires_at: datetime
    status: Status


class VerifyThrottled(CertificationError):
    def __init__(self, until: datetime):
        super().__init__("verify_throttled", until=until.isoformat())
        self.until = until


_CODE_SHAPE = re.compile(rf"^WT-[{_CODE_ALPHABET}]{{4}}-[{_CODE_ALPHABET}]{{4}}-[{_CODE_ALPHABET}]{{4}}$")


def check_code(
    *, session: Session, code: str, client: str | None, language: str = "nl", now: datetime | None = None,
    settings: Settings | None = None, throttle: Throttle | None = None,
) -> PublicCertificate | None:
    """The public verify page's look-up; None for an unknown code.

    Every unknown code counts against the client address (`client`, see client_address.py);
    after VERIFY_MAX_FAILURES of them within VERIFY_LOCKOUT_MINUTES the address is refused
    (VerifyThrottled) for that long, before anything is looked up. A known code gives its place
    back, so someone checking many real certificates is never locked out. A code is counted
    before it is looked up, so parallel guesses cannot all slip in under the limit."""
    settings = settings or get_settings()
    throttle = throttle or process_throttle()
    now = now or utcnow()
    key = ("verify", client or "-")
    limit, window = settings.VERIFY_MAX_FAILURES, timedelta(minutes=settings.VERIFY_LOCKOUT_MINUTES)
    until = throttle.reserve(key, limit=limit, window=window, now=now)
    if until is not None:
        raise VerifyThrottled(until)
    normalised = normalise_code(code)
    found = verify(session=session, code=normalised, now=now, language=language) if _CODE_SHAPE.match(normalised) else None
    if found is None:
        throttle.failed(key, limit=limit, window=window, now=now)  # this answer is still "not found"; the next is refused
        return None
    throttle.succeeded(key, forget=False)
    return PublicCertificate(holder=found.holder, level_name=found.level_name, granted_at=found.granted_at,
                             expires_at=found.expires_at, status=found.status)


def verify_url(code: str, settings: Settings | None = None) -> str:
    """Where anyone checks a certificate: the public page, with its code filled in."""
    base = (settings or get_settings()).PUBLIC_BASE_URL
    return f"{base}/verify?{urlencode({'code': code})}"


# The certificate's layout, in points on landscape A4 (842 x 595).
_MARGIN = 30
_LOGO_BOX = (150, 60)  # the largest a logo is drawn, its shape kept
_QR_SIZE = 110


def certificate_pdf(
    *, session: Session, actor: Actor, certification_id: int, language: str | None = None, settings: Settings | None = None,
) -> bytes:
    """The certificate as a one-page A4 PDF (the holder, their managers, admins): the
    organisation's name and logo, the holder, the level, the dates in the reader's language, and
    where anyone can check it (the public verify page's address and its QR code)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    settings = settings or get_settings()
    actor = load_actor(session, actor)
    certification = get_or_not_found(session, Certification, certification_id)
    holder = session.get(User, certification.user_id)
    require(actor, Action.read_attempts, holder, session=session)
    audit.record_access(session, actor=actor, action="certificate.pdf", target_type="user", target_id=holder.id,
                        details={"certification_id": certification.id, "level": certification.level})
    language = "en" if (language or holder.language) == "en" else "nl"
    found = verify(session=session, code=certification.verification_code, language=language)
    organisation = settings.ORGANISATION_NAME
    url = verify_url(found.code, settings)

    def text(key: str, **values: object) -> str:
        return t(f"certificate.{key}", language, **values)

    buffer = io.BytesIO()
    width, height = landscape(A4)
    inner = width - 2 * _MARGIN - 40
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=0)
    pdf.setTitle(f"{text('title')} {found.level_name} - {found.holder}")
    pdf.setAuthor(organisation)
    pdf.setLineWidth(3)
    pdf.rect(_MARGIN, _MARGIN, width - 2 * _MARGIN, height - 2 * _MARGIN)
    top = height - _MARGIN - 20
    if settings.ORGANISATION_LOGO is not None:
        box_width, box_height = _LOGO_BOX
        pdf.drawImage(str(settings.ORGANISATION_LOGO), _MARGIN + 20, top - box_height, box_width, box_height,
                      preserveAspectRatio=True, anchor="nw", mask="auto")
        inner = width - 2 * (_MARGIN + 20 + box_width + 10)  # the name stays clear of the logo
    _centred(pdf, organisation, "Helvetica-Bold", 18, width / 2, height - 80, inner)
    _centred(pdf, text("title"), "Helvetica-Bold", 36, width / 2, height - 145, width - 120)
    _centred(pdf, text("intro", organisation=organisation), "Helvetica", 16, width / 2, height - 190, width - 120)
    _centred(pdf, found.holder, "Helvetica-Bold", 28, width / 2, height - 230, width - 120)
    _centred(pdf, text("passed"), "Helvetica", 16, width / 2, height - 268, width - 120)
    _centred(pdf, found.level_name, "Helvetica-Bold", 24, width / 2, height - 305, width - 120)
    pdf.setFont("Helvetica", 13)
    lines = [
        f"{text('date')}: {local_time.long_date(found.granted_at, language)}",
        f"{text('expires')}: {local_time.long_date(found.expires_at, language)}",
        f"{text('issuer')}: {found.issued_by}",
        f"{text('code')}: {found.code}",
    ]
    for i, line in enumerate(lines):
        pdf.drawString(90, 185 - i * 22, line)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(90, 84, text("verify"))
    pdf.setFont("Helvetica-Bold", 11)
    pdf.setFillColorRGB(0.05, 0.2, 0.6)
    pdf.drawString(90, 68, url)
    pdf.linkURL(url, (88, 64, 92 + pdf.stringWidth(url, "Helvetica-Bold", 11), 80), relative=0)
    pdf.setFillColorRGB(0, 0, 0)
    qr_x, qr_y = width - _MARGIN - 40 - _QR_SIZE, _MARGIN + 25
    _qr_code(pdf, url, qr_x, qr_y, _QR_SIZE)
    pdf.linkURL(url, (qr_x, qr_y, qr_x + _QR_SIZE, qr_y + _QR_SIZE), relative=0)
    if found.status is Status.revoked:
        pdf.setFont("Helvetica-Bold", 60)
        pdf.setFillColorRGB(0.8, 0, 0)
        pdf.drawCentredString(width / 2, height / 2 - 40, text("revoked"))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _centred(pdf, line: str, font: str, size: float, x: float, y: float, max_width: float) -> None:
    """`line` centred on x, made smaller until it fits `max_width` (a long name or organisation)."""
    while size > 8 and pdf.stringWidth(line, font, size) > max_width:
        size -= 1
    pdf.setFont(font, size)
    pdf.drawCentredString(x, y, line)


def _qr_code(pdf, url: str, x: float, y: float, size: float) -> None:
    """`url` as a QR code of `size` points with its quiet zone, drawn as vector squares."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    code = QrCodeWidget(url, barLevel="M", barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(code)
    renderPDF.draw(drawing, pdf, x, y)
